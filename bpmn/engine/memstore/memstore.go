// Package memstore is an in-memory engine.Store: instances by id, timers in a heap by due time,
// subscriptions and buffered messages by name and correlation key, journals by instance. Every
// query is answered from an index, never by scanning instances. It keeps no outbox (commands go
// straight to the dispatcher). Snapshot and Restore serialize the whole store as JSON, which is how
// tests prove an instance survives a restart.
package memstore

import (
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// Store is the in-memory store; the zero value is not usable, call New.
type Store struct {
	mu        sync.RWMutex
	instances map[string]*engine.Instance
	timers    timerHeap
	timerByID map[string]*timerEntry
	subs      map[subKey]map[string]*subEntry
	subByID   map[string]*subEntry
	messages  map[subKey][]*engine.BufferedMessage
	// journal keeps each commit's events of an instance as one batch: no copying on append.
	journal map[string][][]event
	// arena is the current chunk journal batches are copied into (one allocation per many commits).
	arena []event
	// strs and strIdx intern the strings of journal events (element ids, event types, details).
	strs   []string
	strIdx map[string]uint32
	seq    int64
}

var _ engine.Store = (*Store)(nil)

type subKey struct {
	kind      engine.SubKind
	name, key string
}

type subEntry struct {
	seq int64
	sub *engine.Subscription
}

type timerEntry struct {
	timer *engine.Timer
	index int
}

// New makes an empty store.
func New() *Store {
	return &Store{
		instances: map[string]*engine.Instance{},
		timerByID: map[string]*timerEntry{},
		subs:      map[subKey]map[string]*subEntry{},
		subByID:   map[string]*subEntry{},
		messages:  map[subKey][]*engine.BufferedMessage{},
		journal:   map[string][][]event{},
		strs:      []string{""},
		strIdx:    map[string]uint32{"": 0},
	}
}

// Load returns the committed instance.
func (s *Store) Load(_ context.Context, id string) (*engine.Instance, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := s.instances[id]
	if in == nil {
		return nil, fmt.Errorf("instance %q: %w", id, engine.ErrNotFound)
	}
	return in, nil
}

// Commit applies a mutation atomically.
func (s *Store) Commit(_ context.Context, m *engine.Mutation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range m.Instances {
		cur := s.instances[w.Instance.ID]
		switch {
		case w.Expected == 0 && cur != nil:
			return fmt.Errorf("create instance %q: exists: %w", w.Instance.ID, engine.ErrConflict)
		case w.Expected != 0 && (cur == nil || cur.Version != w.Expected):
			return fmt.Errorf("write instance %q at version %d: %w", w.Instance.ID, w.Expected, engine.ErrConflict)
		}
	}
	for _, c := range m.MessagesConsumed {
		if !slices.ContainsFunc(s.messages[msgKey(c)], func(b *engine.BufferedMessage) bool { return b.ID == c.ID }) {
			return fmt.Errorf("consume message %q: %w", c.ID, engine.ErrConflict)
		}
	}
	if err := s.checkRendezvous(m); err != nil {
		return err
	}
	s.apply(m)
	return nil
}

// apply writes a checked mutation.
func (s *Store) apply(m *engine.Mutation) {
	for _, w := range m.Instances {
		s.instances[w.Instance.ID] = w.Instance
	}
	for _, c := range m.MessagesConsumed {
		k := msgKey(c)
		s.messages[k] = slices.DeleteFunc(s.messages[k], func(b *engine.BufferedMessage) bool { return b.ID == c.ID })
		if len(s.messages[k]) == 0 {
			delete(s.messages, k)
		}
	}
	for _, b := range m.MessagesBuffered {
		k := msgKey(b)
		s.messages[k] = append(s.messages[k], b)
	}
	for _, t := range m.TimersSet {
		s.setTimer(t)
	}
	for _, t := range m.TimersDeleted {
		if e := s.timerByID[t.ID]; e != nil {
			heap.Remove(&s.timers, e.index)
			delete(s.timerByID, t.ID)
		}
	}
	for _, sub := range m.SubsSet {
		s.seq++
		e := &subEntry{seq: s.seq, sub: sub}
		k := subKey{sub.Kind, sub.Name, sub.Key}
		if s.subs[k] == nil {
			s.subs[k] = map[string]*subEntry{}
		}
		s.subs[k][sub.ID] = e
		s.subByID[sub.ID] = e
	}
	for _, sub := range m.SubsDeleted {
		if e := s.subByID[sub.ID]; e != nil {
			k := subKey{e.sub.Kind, e.sub.Name, e.sub.Key}
			delete(s.subs[k], sub.ID)
			if len(s.subs[k]) == 0 {
				delete(s.subs, k)
			}
			delete(s.subByID, sub.ID)
		}
	}
	// Events arrive grouped by instance; each run of one instance becomes one batch.
	for i := 0; i < len(m.Events); {
		j := i + 1
		for j < len(m.Events) && m.Events[j].Instance == m.Events[i].Instance {
			j++
		}
		id := m.Events[i].Instance
		s.journal[id] = append(s.journal[id], s.keep(m.Events[i:j]))
		i = j
	}
}

// checkRendezvous refuses a commit that would leave a live buffered message and a matching message
// subscription side by side (see engine.Store.Commit).
func (s *Store) checkRendezvous(m *engine.Mutation) error {
	for _, sub := range m.SubsSet {
		if sub.Kind != engine.SubMessage {
			continue
		}
		for _, b := range s.messages[subKey{engine.SubMessage, sub.Name, sub.Key}] {
			consumed := slices.ContainsFunc(m.MessagesConsumed, func(c *engine.BufferedMessage) bool { return c.ID == b.ID })
			if b.Expires.After(m.Now) && !consumed {
				return fmt.Errorf("subscribe to %q: message %q is buffered: %w", sub.Name, b.ID, engine.ErrConflict)
			}
		}
	}
	for _, b := range m.MessagesBuffered {
		for id := range s.subs[msgKey(b)] {
			deleted := slices.ContainsFunc(m.SubsDeleted, func(d *engine.Subscription) bool { return d.ID == id })
			if !deleted {
				return fmt.Errorf("buffer message %q: subscription %q waits for it: %w", b.Name, id, engine.ErrConflict)
			}
		}
	}
	return nil
}

// arenaChunk is the number of events per arena chunk.
const arenaChunk = 4096

// event is a journal event without its instance (the journal's key), its strings interned and its
// time in Unix nanoseconds (UTC): a third of the size of an engine.Event and free of pointers, so
// the garbage collector never scans the journal.
type event struct {
	typ, element, detail uint32
	at, incident         int64
}

func (s *Store) export(instance string, e event) engine.Event {
	return engine.Event{Type: engine.EventType(s.strs[e.typ]), Instance: instance, Element: s.strs[e.element],
		Detail: s.strs[e.detail], Time: time.Unix(0, e.at).UTC(), Incident: e.incident}
}

// intern returns the index of str in the string table.
func (s *Store) intern(str string) uint32 {
	if i, ok := s.strIdx[str]; ok {
		return i
	}
	i := uint32(len(s.strs))
	s.strs = append(s.strs, str)
	s.strIdx[str] = i
	return i
}

// keep copies a batch of events into the arena and returns the copy.
func (s *Store) keep(batch []engine.Event) []event {
	if cap(s.arena)-len(s.arena) < len(batch) {
		s.arena = make([]event, 0, max(arenaChunk, len(batch)))
	}
	start := len(s.arena)
	for _, e := range batch {
		s.arena = append(s.arena, event{typ: s.intern(string(e.Type)), element: s.intern(e.Element),
			detail: s.intern(e.Detail), at: e.Time.UnixNano(), incident: e.Incident})
	}
	return s.arena[start:len(s.arena):len(s.arena)]
}

func msgKey(b *engine.BufferedMessage) subKey {
	return subKey{engine.SubMessage, b.Name, b.Key}
}

func (s *Store) setTimer(t *engine.Timer) {
	if e := s.timerByID[t.ID]; e != nil {
		e.timer = t
		heap.Fix(&s.timers, e.index)
		return
	}
	e := &timerEntry{timer: t}
	heap.Push(&s.timers, e)
	s.timerByID[t.ID] = e
}

// DueTimers returns the timers due at or before now, earliest first.
func (s *Store) DueTimers(_ context.Context, now time.Time, limit int) ([]*engine.Timer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Walk the heap in order without popping: a bounded best-first search from the root.
	var out []*engine.Timer
	frontier := []int{}
	if len(s.timers) > 0 {
		frontier = append(frontier, 0)
	}
	for len(frontier) > 0 && len(out) < limit {
		best := 0
		for i, idx := range frontier {
			if s.timers.Less(idx, frontier[best]) {
				best = i
			}
		}
		idx := frontier[best]
		frontier = slices.Delete(frontier, best, best+1)
		t := s.timers[idx].timer
		if t.Due.After(now) {
			continue
		}
		out = append(out, t)
		for _, c := range []int{2*idx + 1, 2*idx + 2} {
			if c < len(s.timers) {
				frontier = append(frontier, c)
			}
		}
	}
	return out, nil
}

// Subscriptions returns the subscriptions with kind, name and key, oldest first.
func (s *Store) Subscriptions(_ context.Context, kind engine.SubKind, name, key string) ([]*engine.Subscription, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.subs[subKey{kind, name, key}]
	entries := make([]*subEntry, 0, len(m))
	for _, e := range m {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b *subEntry) int { return int(a.seq - b.seq) })
	out := make([]*engine.Subscription, len(entries))
	for i, e := range entries {
		out[i] = e.sub
	}
	return out, nil
}

// Messages returns the live buffered messages with name and key, oldest first.
func (s *Store) Messages(_ context.Context, name, key string, now time.Time) ([]*engine.BufferedMessage, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*engine.BufferedMessage
	for _, b := range s.messages[subKey{engine.SubMessage, name, key}] {
		if b.Expires.After(now) {
			out = append(out, b)
		}
	}
	return out, nil
}

// Journal returns the events of an instance.
func (s *Store) Journal(_ context.Context, instance string) ([]engine.Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []engine.Event
	for _, b := range s.journal[instance] {
		for _, e := range b {
			out = append(out, s.export(instance, e))
		}
	}
	return out, nil
}

// snapshot is the JSON form of the store.
type snapshot struct {
	Instances []*engine.Instance        `json:"instances"`
	Messages  []*engine.BufferedMessage `json:"messages,omitempty"`
	Journal   map[string][]engine.Event `json:"journal,omitempty"`
}

// Snapshot serializes the whole store.
func (s *Store) Snapshot() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var snap snapshot
	for _, in := range s.instances {
		snap.Instances = append(snap.Instances, in)
	}
	slices.SortFunc(snap.Instances, func(a, b *engine.Instance) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	for _, ms := range s.messages {
		snap.Messages = append(snap.Messages, ms...)
	}
	snap.Journal = map[string][]engine.Event{}
	for id, batches := range s.journal {
		for _, b := range batches {
			for _, e := range b {
				snap.Journal[id] = append(snap.Journal[id], s.export(id, e))
			}
		}
	}
	return json.Marshal(snap)
}

// Restore makes a store from a Snapshot, rebuilding every index from the instances.
func Restore(data []byte) (*Store, error) {
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return nil, fmt.Errorf("restore store: %w", err)
	}
	s := New()
	m := &engine.Mutation{MessagesBuffered: snap.Messages}
	for _, in := range snap.Instances {
		s.instances[in.ID] = in
		for _, t := range in.Timers {
			m.TimersSet = append(m.TimersSet, t)
		}
		for _, sub := range in.Subs {
			m.SubsSet = append(m.SubsSet, sub)
		}
	}
	s.apply(m) // a snapshot is consistent: no checks
	for id, evs := range snap.Journal {
		s.journal[id] = [][]event{s.keep(evs)}
	}
	return s, nil
}

// timerHeap orders timers by due time (then id, for a stable order).
type timerHeap []*timerEntry

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	a, b := h[i].timer, h[j].timer
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	return a.ID < b.ID
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	e := x.(*timerEntry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
