package engine

import "time"

// EventType names a journal event.
type EventType string

// Journal event types.
const (
	EventInstanceStarted   EventType = "instance-started"
	EventInstanceCompleted EventType = "instance-completed"
	EventInstanceFailed    EventType = "instance-failed"
	EventInstanceCanceled  EventType = "instance-canceled"
	EventElementActivated  EventType = "element-activated"
	EventElementCompleted  EventType = "element-completed"
	EventElementTerminated EventType = "element-terminated"
	EventFlowTaken         EventType = "flow-taken"
	EventIncidentRaised    EventType = "incident-raised"
	EventIncidentResolved  EventType = "incident-resolved"
	// EventErrorThrown marks the element a BPMN error was thrown at (a task failed with an error code, an
	// error end event, a call activity passing on its called instance's error), before the handler runs
	// and the interruption terminates what it ends; Detail is "CODE: message". Statistics does not count it:
	// the thrower's own outcome (terminated, or an incident) is journaled as well.
	EventErrorThrown EventType = "error-thrown"
)

// Event is one journal entry. Element is the flow node (or, for EventFlowTaken, the sequence flow).
type Event struct {
	Type     EventType `json:"type"`
	Instance string    `json:"instance"`
	Element  string    `json:"element,omitempty"`
	Time     time.Time `json:"time"`
	Incident int64     `json:"incident,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// ElementStats are the per-element counts the dashboard shows: activity instances running now,
// completed, canceled (terminated by an interruption, cancel or terminate) and open incidents.
type ElementStats struct {
	Active    int `json:"active"`
	Completed int `json:"completed"`
	Canceled  int `json:"canceled"`
	Incidents int `json:"incidents"`
}

// Statistics derives the per-element counts from journal events (of one or many instances). Sequence
// flows appear with their Completed count being the number of times the flow was taken.
func Statistics(events []Event) map[string]ElementStats {
	out := map[string]ElementStats{}
	for _, ev := range events {
		if ev.Element == "" {
			continue
		}
		s := out[ev.Element]
		switch ev.Type {
		case EventElementActivated:
			s.Active++
		case EventElementCompleted:
			s.Active--
			s.Completed++
		case EventElementTerminated:
			s.Active--
			s.Canceled++
		case EventFlowTaken:
			s.Completed++
		case EventIncidentRaised:
			s.Incidents++
		case EventIncidentResolved:
			s.Incidents--
		default:
			continue
		}
		out[ev.Element] = s
	}
	return out
}
