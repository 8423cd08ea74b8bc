package engine

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"

	"github.com/toscaflow/toscaflow/bpmn/engine/expression"
)

// A program is a process compiled for execution: the model resolved once (references followed,
// event definitions classified, flows indexed, vendor attributes read) so that the interpreter
// never searches the model while it runs. Programs are immutable and shared by all instances.
type program struct {
	id, name string
	// fingerprint identifies the set of element ids, so an instance checked once against this
	// program need not be checked again (Instance.Model).
	fingerprint string
	root        *scopeDef
	nodes       map[string]*node
	// starts by trigger, for instances started by a message or signal rather than by Start.
	messageStarts map[string]*node
	signalStarts  map[string][]*node
	noneStart     *node
}

// kind classifies flow nodes by behaviour.
type kind uint8

const (
	kStart kind = iota + 1
	kEnd
	kCatch // intermediate catch event
	kThrow // intermediate throw event
	kBoundary
	kTask
	kSubProcess
	kEventSubProcess
	kCallActivity
	kExclusive
	kParallel
	kInclusive
	kEventGateway
)

// taskKind tells the task types apart; it decides whether a task waits and how it leaves the engine.
type taskKind uint8

const (
	taskNone taskKind = iota // bpmn:task: passes through
	taskService
	taskSend
	taskReceive
	taskUser
	taskManual
	taskScript
	taskBusinessRule
)

// trigger is the kind of an event definition.
type trigger uint8

const (
	trNone trigger = iota
	trMessage
	trTimer
	trSignal
	trError
	trEscalation
	trCompensate
	trTerminate
	trLink
	trConditional
)

// eventDef is a resolved event definition.
type eventDef struct {
	trig trigger
	// name is the message or signal name, or the link name.
	name string
	// code is the error or escalation code; anyCode marks a catch without a reference (catch-all).
	code    string
	anyCode bool
	// corrKey is the expression giving a message subscription's correlation key ("" for none).
	corrKey string
	// timer definitions: exactly one is set.
	timeDate, timeDuration, timeCycle string
	// compensation
	activityRef string
	// condition of a conditional event
	condition string
}

// node is one compiled flow node.
type node struct {
	id, name string
	kind     kind
	task     taskKind
	ev       eventDef
	scope    *scopeDef // the scope the node lies in
	in, out  []*flow
	def      *flow // default flow of a gateway or activity
	// boundaries are the events attached to this activity; attachedTo the host of a boundary event.
	boundaries   []*node
	attachedTo   *node
	interrupting bool // boundary cancelActivity, event-subprocess start isInterrupting
	// inner is the content of a subprocess or event subprocess.
	inner *scopeDef
	mi    *miDef
	loop  *loopDef
	// forCompensation marks a compensation handler (isForCompensation); compHandler is the handler
	// of an activity with a compensation boundary event.
	forCompensation bool
	compHandler     *node
	// service-like tasks
	jobType string
	headers map[string]string
	// inputs, when set (tf:inputs), are the only variables the task's job carries.
	inputs []string
	// script tasks evaluated in the engine
	script, resultVar string
	inlineScript      bool
	called            string // call activity
	// upstream holds, for a converging inclusive gateway, the nodes from which a token can still
	// reach the gateway without passing through it.
	upstream map[*node]bool
}

// flow is a compiled sequence flow.
type flow struct {
	id     string
	source *node
	target *node
	cond   string // condition expression source, "" when unconditional
}

// scopeDef is the content of a process or subprocess.
type scopeDef struct {
	id    string
	owner *node // nil for the process
	// starts are the none start events that start the scope; eventSubs the event subprocesses
	// directly inside it; compSub the one with a compensation start event, if any.
	starts    []*node
	eventSubs []*node
	compSub   *node
	nodes     []*node
	links     map[string]*node // catching link events by name
	// props are the names of the scope's properties: local variables of each scope instance.
	props []string
}

// miDef is a compiled multiInstanceLoopCharacteristics.
type miDef struct {
	sequential  bool
	cardinality string // expression
	collection  string // expression or variable name giving the collection
	elementVar  string
	outputColl  string
	outputElem  string
	completion  string
}

// loopDef is a compiled standardLoopCharacteristics.
type loopDef struct {
	condition  string
	testBefore bool
	maximum    int // 0: unbounded
}

// isActivity tells whether the node is an activity (it may have boundaries, loops, compensation).
func (n *node) isActivity() bool {
	return n.kind == kTask || n.kind == kSubProcess || n.kind == kCallActivity || n.kind == kEventSubProcess
}

// compileCheck verifies every expression of p compiles, so syntax errors surface at Deploy rather than
// as incidents at run time.
func (p *program) compileCheck(c *expression.Cache) []error {
	var errs []error
	check := func(src string) {
		if src == "" {
			return
		}
		if _, err := c.Compile(src); err != nil {
			errs = append(errs, err)
		}
	}
	for _, n := range p.nodes {
		for _, f := range n.out {
			check(f.cond)
		}
		if n.mi != nil {
			check(n.mi.cardinality)
			check(n.mi.completion)
		}
		if n.loop != nil {
			check(n.loop.condition)
		}
		if n.inlineScript {
			check(n.script)
		}
		check(n.ev.condition)
	}
	return errs
}

// fits checks that every element an instance waits at exists in the program, so that an instance
// started on another version of the process fails cleanly rather than running on a wrong model.
func (p *program) fits(in *Instance) error {
	if in.Model == p.fingerprint {
		return nil
	}
	missing := func(id string) bool { return id != "" && p.nodes[id] == nil }
	for _, t := range in.Tokens {
		if missing(t.Element) {
			return fmt.Errorf("%w: element %q of the instance is not in the deployed process %q", ErrModel, t.Element, p.id)
		}
	}
	for _, s := range in.Scopes {
		if missing(s.Element) {
			return fmt.Errorf("%w: element %q of the instance is not in the deployed process %q", ErrModel, s.Element, p.id)
		}
	}
	for _, t := range in.Timers {
		if missing(t.Element) {
			return fmt.Errorf("%w: element %q of the instance is not in the deployed process %q", ErrModel, t.Element, p.id)
		}
	}
	for _, sub := range in.Subs {
		if missing(sub.Element) {
			return fmt.Errorf("%w: element %q of the instance is not in the deployed process %q", ErrModel, sub.Element, p.id)
		}
	}
	return nil
}

// fingerprintOf hashes the sorted element ids of a program.
func fingerprintOf(p *program) string {
	ids := make([]string, 0, len(p.nodes))
	for id := range p.nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	h := fnv.New64a()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
