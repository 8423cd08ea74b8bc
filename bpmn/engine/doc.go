// Package engine is an embedded BPMN 2.0 interpreter. It imports only the model package bpmn and
// libraries: a Store, a Dispatcher and a Clock are injected.
//
// Deploy compiles the processes of a bpmn.Definitions once (references resolved, expressions
// compiled); Start, CompleteTask, FailTask, FireTimers, CorrelateMessage, BroadcastSignal, Cancel,
// SetVariables and ResolveIncident each run as one atomic step: the instance is loaded, run to its
// next wait states, and its new state, journal events and outgoing commands are committed together
// (Store.Commit), with optimistic concurrency by instance version; commands go to the Dispatcher
// after the commit. The state of an instance (Instance) is plain data, serializable as JSON.
//
// The semantics of each element family is documented beside its code: events.go, tasks.go,
// gateways.go, subprocess.go, multiinstance.go, throw.go (errors and escalations),
// compensation.go, subscriptions.go (timers, messages, signals). They follow BPMN 2.0.2 and, where it
// is silent, Camunda and Zeebe. Two choices stand out: an error nothing catches fails the instance
// when it comes from an error end event, and raises an incident at the task when it comes from
// FailTask; an escalation nothing catches is ignored.
package engine
