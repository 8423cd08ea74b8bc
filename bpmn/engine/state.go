package engine

import (
	"cmp"
	"maps"
	"slices"
	"sync/atomic"
	"time"
)

// Status is the lifecycle state of a process instance.
type Status string

// Instance statuses. Completed (also by a terminate end event), Failed and Canceled are final.
const (
	StatusActive    Status = "active"
	StatusCompleted Status = "completed"
	StatusFailed    Status = "failed"   // ended by an uncaught error end event
	StatusCanceled  Status = "canceled" // ended by Cancel
)

// Final tells whether no operation can change the instance any more.
func (s Status) Final() bool { return s != StatusActive }

// Instance is the complete, serializable state of one process instance: its scope tree with the
// variables of each scope, its tokens, timers, subscriptions, compensation records, multi-instance
// counters and incidents. Stores persist it as a whole (JSON is fine); the engine never keeps one
// in memory between operations.
type Instance struct {
	ID        string `json:"id"`
	ProcessID string `json:"process"`
	// Model fingerprints the deployed process the instance was last checked against.
	Model string `json:"model,omitempty"`
	// Version increases by one with each committed step (optimistic concurrency).
	Version int64  `json:"version"`
	Status  Status `json:"status"`
	Seq     int64  `json:"seq"` // last id handed out for scopes, tokens, jobs, timers...
	// Scopes and Tokens are sorted by id (ids only grow, so appending keeps the order).
	Scopes []*Scope                 `json:"scopes"`
	Tokens []*Token                 `json:"tokens"`
	Timers map[string]*Timer        `json:"timers,omitempty"`
	Subs   map[string]*Subscription `json:"subscriptions,omitempty"`
	// Incidents are the open incidents.
	Incidents map[int64]*Incident `json:"incidents,omitempty"`
	// Parent is set on an instance started by a call activity.
	Parent *ParentRef `json:"parent,omitempty"`
	// Error is the uncaught error that failed the instance.
	Error   *ThrownError `json:"error,omitempty"`
	Started time.Time    `json:"started"`
	Ended   time.Time    `json:"ended,omitzero"`
	// gen identifies this copy of the state: scopes and tokens of another gen are shared with the
	// committed state and copied before they are changed.
	gen int64
}

// gens hands out copy generations, unique across all copies.
var gens atomic.Int64

// rootScope is the id of the process scope of every instance.
const rootScope int64 = 1

// Variables returns the process-level variables (a copy).
func (in *Instance) Variables() map[string]any { return maps.Clone(in.Scope(rootScope).Vars) }

// Scope returns the scope with id, or nil.
func (in *Instance) Scope(id int64) *Scope {
	if i, ok := slices.BinarySearchFunc(in.Scopes, id, func(s *Scope, id int64) int { return cmp.Compare(s.ID, id) }); ok {
		return in.Scopes[i]
	}
	return nil
}

// Token returns the token with id, or nil.
func (in *Instance) Token(id int64) *Token {
	if i, ok := slices.BinarySearchFunc(in.Tokens, id, func(t *Token, id int64) int { return cmp.Compare(t.ID, id) }); ok {
		return in.Tokens[i]
	}
	return nil
}

func (in *Instance) removeScope(id int64) {
	if i, ok := slices.BinarySearchFunc(in.Scopes, id, func(s *Scope, id int64) int { return cmp.Compare(s.ID, id) }); ok {
		in.Scopes = slices.Delete(in.Scopes, i, i+1)
	}
}

func (in *Instance) removeToken(id int64) {
	if i, ok := slices.BinarySearchFunc(in.Tokens, id, func(t *Token, id int64) int { return cmp.Compare(t.ID, id) }); ok {
		in.Tokens = slices.Delete(in.Tokens, i, i+1)
	}
}

// ParentRef links a called instance to the call activity that started it.
type ParentRef struct {
	Instance string `json:"instance"`
	Token    int64  `json:"token"`
}

// ThrownError is a BPMN error code with a message.
type ThrownError struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	Element string `json:"element,omitempty"`
}

// ScopeKind tells what a scope instance is.
type ScopeKind uint8

// Scope kinds.
const (
	ScopeProcess      ScopeKind = iota + 1
	ScopeSubProcess             // embedded subprocess instance
	ScopeEventSub               // event subprocess instance
	ScopeMIBody                 // the multi-instance body holding the counters
	ScopeMIInner                // one instance of a multi-instance activity
	ScopeCompensation           // a subprocess re-entered to run its compensation event subprocess
)

// Scope is one instance of a process, subprocess or multi-instance level, with its local variables.
type Scope struct {
	ID     int64     `json:"id"`
	Parent int64     `json:"parent,omitempty"`
	Kind   ScopeKind `json:"kind"`
	// Element is the node the scope instantiates ("" for the process); Token the token in the parent
	// scope that owns this scope (0 for the process).
	Element string         `json:"element,omitempty"`
	Token   int64          `json:"token,omitempty"`
	Vars    map[string]any `json:"vars,omitempty"`
	// Active counts the tokens and child scopes inside; a scope with none and no pending join
	// arrivals is complete.
	Active int `json:"active"`
	// Joins counts the arrivals at converging gateways that have not fired yet (a short list).
	Joins []Arrival `json:"joins,omitempty"`
	// Comp are the compensable completions inside this scope, in completion order.
	Comp []*CompRecord `json:"comp,omitempty"`
	MI   *MIState      `json:"mi,omitempty"`
	// Interrupted is set when an interrupting event subprocess runs: the scope completes when it ends.
	Interrupted bool `json:"interrupted,omitempty"`
	// ownVars tells whether Vars belongs to this copy; a clone shares the map until its first write.
	ownVars bool
	gen     int64
	// enc is the scope's JSON once it can no longer change: decoded from it, or committed (codec.go).
	enc []byte
	// varsEnc is the JSON of Vars while the map is the one it was decoded from or committed with: a
	// copy shares it with its map, mutableVars drops it (codec.go).
	varsEnc []byte
}

// copyFor copies a shared scope for the state copy gen; its variables are copied on first write.
func (s *Scope) copyFor(gen int64) *Scope {
	c := *s
	c.gen = gen
	c.ownVars = false
	c.enc = nil // the copy is the one the step changes
	if s.Joins != nil {
		c.Joins = append([]Arrival(nil), s.Joins...)
	}
	if s.Comp != nil {
		c.Comp = append([]*CompRecord(nil), s.Comp...)
	}
	if s.MI != nil {
		mi := *s.MI
		mi.Output = append([]any(nil), s.MI.Output...)
		c.MI = &mi
	}
	return &c
}

// mutableVars returns Vars ready for writing, copying a map shared with the committed state first.
func (s *Scope) mutableVars() map[string]any {
	s.varsEnc = nil // the map changes
	if !s.ownVars {
		s.Vars = maps.Clone(s.Vars)
		s.ownVars = true
	}
	if s.Vars == nil {
		s.Vars = map[string]any{}
	}
	return s.Vars
}

// Arrival counts the tokens that arrived at a converging gateway by one incoming flow.
type Arrival struct {
	Gateway string `json:"gateway"`
	Flow    string `json:"flow"`
	Count   int    `json:"count"`
}

// CompRecord remembers a completed activity that can be compensated: its handler, or for a
// subprocess, the records of its own completed children (compensated in reverse order).
type CompRecord struct {
	Element  string         `json:"element"`
	Vars     map[string]any `json:"vars,omitempty"` // the activity's scope variables at completion
	Children []*CompRecord  `json:"children,omitempty"`
	// enc is the record's JSON: a record does not change once made (a copy that changes drops it), so
	// it is encoded once, when first committed, or kept from its decoding (codec.go).
	enc []byte
}

// MIState holds the counters of a multi-instance body.
type MIState struct {
	Instances int   `json:"n"`
	Active    int   `json:"active"`
	Completed int   `json:"completed"`
	Next      int   `json:"next"` // next loopCounter to start
	Items     []any `json:"items,omitempty"`
	Output    []any `json:"output,omitempty"`
	// itemsEnc is the JSON of Items, set once at the start of the body: kept from the decoding or the
	// first commit (codec.go).
	itemsEnc []byte
}

// TokenState tells what a token waits for.
type TokenState uint8

// Token states.
const (
	TokenJob          TokenState = iota + 1 // waits for a job (service, send, user, script... task) to complete
	TokenEvent                              // waits at a catch event or receive task
	TokenScope                              // waits for its child scope (subprocess, multi-instance body)
	TokenCall                               // waits for a called instance
	TokenEventGateway                       // waits for the first event after an event-based gateway
	TokenCompensating                       // a compensation throw waits for its handlers
	TokenIncident                           // stopped by an incident
)

// Token is an activity instance or a waiting event: a token positioned at a node that waits.
type Token struct {
	ID      int64      `json:"id"`
	Scope   int64      `json:"scope"`
	Element string     `json:"element"`
	State   TokenState `json:"state"`
	Job     string     `json:"job,omitempty"`
	Child   int64      `json:"child,omitempty"`
	Called  string     `json:"called,omitempty"`
	// Loop counts the completed iterations of a standard loop.
	Loop int `json:"loop,omitempty"`
	// Retries is what the worker granted the job when it last failed (0: not failed).
	Retries int `json:"retries,omitempty"`
	// CompFor is the compensation throw token this handler runs for (0: a normal activity).
	CompFor int64 `json:"compFor,omitempty"`
	// CompQueue are the handlers a compensation throw still has to run, in order.
	CompQueue []*CompRecord `json:"compQueue,omitempty"`
	// CompRec is the record a compensation handler or compensation scope is compensating.
	CompRec *CompRecord `json:"compRec,omitempty"`
	// Incident is the open incident that stopped the token; Resume the state to resume.
	Incident int64      `json:"incident,omitempty"`
	Resume   TokenState `json:"resume,omitempty"`
	// Leave marks an incident raised while taking the outgoing flows of a completed node.
	Leave bool `json:"leave,omitempty"`
	gen   int64
}

// Timer is a scheduled timer of an instance. Owner is the token (boundary, catch event, event-based
// gateway) or the scope (event-subprocess start) whose lifetime bounds the timer.
//
// A timer start event of a process has no instance: Instance is empty and Process names the process
// to start.
type Timer struct {
	ID       string    `json:"id"`
	Instance string    `json:"instance"`
	Process  string    `json:"process,omitempty"`
	Owner    int64     `json:"owner"`
	OnScope  bool      `json:"onScope,omitempty"`
	Element  string    `json:"element"` // the event node that fires
	Due      time.Time `json:"due"`
	// Remaining repetitions of a cycle after this one (-1: unbounded); Every the cycle interval.
	Remaining int    `json:"remaining,omitempty"`
	Every     string `json:"every,omitempty"`
	// Retry marks the backoff timer of a failed job: firing dispatches the job again.
	Retry bool `json:"retry,omitempty"`
}

// SubKind is the kind of an event subscription.
type SubKind uint8

// Subscription kinds.
const (
	SubMessage SubKind = iota + 1
	SubSignal
	// SubConditional waits for a condition on variables; Name is the event's element id. The engine
	// evaluates it itself (stores need no index for it).
	SubConditional
)

// Subscription waits for a message (by name and correlation key) or a signal (by name).
type Subscription struct {
	ID       string  `json:"id"`
	Instance string  `json:"instance"`
	Kind     SubKind `json:"kind"`
	Name     string  `json:"name"`
	Key      string  `json:"key,omitempty"`
	Owner    int64   `json:"owner"`
	OnScope  bool    `json:"onScope,omitempty"`
	Element  string  `json:"element"`
}

// IncidentKind classifies incidents.
type IncidentKind string

// Incident kinds.
const (
	IncidentJobFailed     IncidentKind = "job-failed"      // a technical failure reported by FailTask
	IncidentUnhandled     IncidentKind = "unhandled-error" // a BPMN error from FailTask that nothing catches
	IncidentExpression    IncidentKind = "expression"      // an expression failed or no flow could be taken
	IncidentCalledProcess IncidentKind = "called-process"  // a call activity names no deployed process
)

// Incident stops a token until ResolveIncident retries it.
type Incident struct {
	ID      int64        `json:"id"`
	Token   int64        `json:"token"`
	Element string       `json:"element"`
	Kind    IncidentKind `json:"kind"`
	Message string       `json:"message"`
	Code    string       `json:"code,omitempty"`
	Created time.Time    `json:"created"`
}

// clone copies the instance for a step: scopes and tokens are copied when the step first touches
// them, variable maps on their first write, and variable values are shared because the engine
// treats them as immutable (it replaces, never mutates, a value).
func (in *Instance) clone() *Instance {
	c := *in
	// Scopes and tokens are shared until a step changes them (run.scope, run.token copy on write).
	c.gen = gens.Add(1)
	c.Scopes = slices.Clone(in.Scopes)
	c.Tokens = slices.Clone(in.Tokens)
	if in.Timers != nil {
		c.Timers = make(map[string]*Timer, len(in.Timers))
		for k, t := range in.Timers {
			ct := *t
			c.Timers[k] = &ct
		}
	}
	if in.Subs != nil {
		c.Subs = make(map[string]*Subscription, len(in.Subs))
		for k, s := range in.Subs {
			cs := *s
			c.Subs[k] = &cs
		}
	}
	if in.Incidents != nil {
		c.Incidents = make(map[int64]*Incident, len(in.Incidents))
		for k, i := range in.Incidents {
			ci := *i
			c.Incidents[k] = &ci
		}
	}
	return &c
}
