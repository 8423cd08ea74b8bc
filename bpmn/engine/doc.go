// Package engine is an embedded BPMN 2.0 interpreter. It imports only the model package bpmn and
// libraries: a Store, a Dispatcher and a Clock are injected (memstore is an in-memory Store,
// enginetest has a fake clock and a recording dispatcher).
//
// Deploy compiles the processes of a bpmn.Definitions once (references resolved, vendor attributes
// read, expressions compiled). Start, CompleteTask, FailTask, FireTimers, CorrelateMessage,
// BroadcastSignal, Cancel, SetVariables and ResolveIncident each run as one atomic step: the
// instances involved are loaded, run to their next wait states, and their new state, journal events
// and outgoing commands are committed together (Store.Commit) with optimistic concurrency by
// instance version; a step that loses a race runs again from scratch. Commands (service, send,
// user, business-rule and foreign-script tasks) go to the Dispatcher after the commit, with a job
// id that is stable per activation (an idempotency key); replies come back as CompleteTask or
// FailTask and are applied once. ScheduleStartTimers arms the timer start events of a process.
// The state of an instance (Instance) is plain data, serializable as JSON; the engine keeps none in
// memory between steps. Statistics derives per-element counts from the journal.
//
// The semantics of each element family is documented beside its code: events.go, tasks.go,
// gateways.go, subprocess.go, multiinstance.go, throw.go (errors and escalations),
// compensation.go, subscriptions.go (timers, messages, signals), starttimers.go. They follow
// BPMN 2.0.2 and, where it is silent, Camunda and Zeebe. Choices worth knowing: an error nothing
// catches fails the instance when it comes from an error end event, and raises an incident at the
// task when it comes from FailTask; an escalation nothing catches is ignored; a message nobody
// waits for is buffered for its TTL; a thrown signal reaches its own instance within the step and
// the other instances after the step commits (that part is not durable: a crash between the commit
// and the broadcast loses it). Deploy rejects what the engine does
// not execute (complex gateways, ad-hoc subprocesses, cancel events, parallel event-based
// gateways, events with several definitions) with ErrUnsupported.
package engine
