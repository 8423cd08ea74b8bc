package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Namespaces of the vendor extensions the compiler reads (task types, multi-instance collections,
// script result variables, correlation keys).
const (
	nsCamunda  = "http://camunda.org/schema/1.0/bpmn"
	nsZeebe    = "http://camunda.org/schema/zeebe/1.0"
	nsFlowable = "http://flowable.org/bpmn"
	nsActiviti = "http://activiti.org/bpmn"
	// nsToscaflow is this project's own namespace, used by the plans tosca2bpmn writes.
	nsToscaflow = "https://toscaflow.io/schema/bpmn"
)

var vendorNS = []string{nsToscaflow, nsCamunda, nsZeebe, nsFlowable, nsActiviti}

// ErrUnsupported is wrapped by Deploy errors for model constructs this engine does not execute
// (complex gateways, ad-hoc subprocesses, cancel events, ...).
var ErrUnsupported = errors.New("unsupported element")

// ErrModel is wrapped by Deploy errors for models that cannot execute (dangling references, flows
// across scopes, ...).
var ErrModel = errors.New("invalid model")

// compiler turns one Definitions into programs.
type compiler struct {
	ix          *bpmn.Index
	messages    map[string]*bpmn.Message
	errorCodes  map[string]string
	escalations map[string]string
	signals     map[string]string
	errs        []error
	p           *program
	assocs      []*bpmn.Association
}

func (c *compiler) fail(id string, kind error, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("element %q: %w: %s", id, kind, fmt.Sprintf(format, args...)))
}

// compileDefinitions compiles every process of defs.
func compileDefinitions(defs *bpmn.Definitions) (map[string]*program, error) {
	c := &compiler{
		ix:          bpmn.NewIndex(defs),
		messages:    map[string]*bpmn.Message{},
		errorCodes:  map[string]string{},
		escalations: map[string]string{},
		signals:     map[string]string{},
	}
	for _, r := range defs.RootElements {
		switch x := r.(type) {
		case *bpmn.Message:
			c.messages[x.ID] = x
		case *bpmn.Error:
			c.errorCodes[x.ID] = firstNonEmpty(x.ErrorCode, x.Name, x.ID)
		case *bpmn.Escalation:
			c.escalations[x.ID] = firstNonEmpty(x.EscalationCode, x.Name, x.ID)
		case *bpmn.Signal:
			c.signals[x.ID] = firstNonEmpty(x.Name, x.ID)
		}
	}
	out := map[string]*program{}
	for _, proc := range defs.Processes() {
		c.p = &program{
			id: proc.ID, name: proc.Name, nodes: map[string]*node{},
			messageStarts: map[string]*node{}, signalStarts: map[string][]*node{},
		}
		c.assocs = nil
		c.p.root = c.scope(proc.ID, &proc.FlowElementsContainer, nil)
		c.p.root.props = propertyNames(proc.Properties)
		c.wire()
		for _, s := range c.p.root.starts {
			if s.ev.trig == trNone && c.p.noneStart == nil {
				c.p.noneStart = s
			}
		}
		c.p.fingerprint = fingerprintOf(c.p)
		out[proc.ID] = c.p
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return out, nil
}

// scope compiles the flow nodes of one container.
func (c *compiler) scope(id string, ct *bpmn.FlowElementsContainer, owner *node) *scopeDef {
	sd := &scopeDef{id: id, owner: owner, links: map[string]*node{}}
	var flows []*bpmn.SequenceFlow
	for _, fe := range ct.FlowElements {
		switch x := fe.(type) {
		case *bpmn.SequenceFlow:
			flows = append(flows, x)
			continue
		case *bpmn.DataObject, *bpmn.DataObjectReference, *bpmn.DataStoreReference:
			continue
		case *bpmn.OtherFlowElement:
			c.fail(x.ID, ErrUnsupported, "flow element")
			continue
		}
		fn, ok := fe.(bpmn.FlowNode)
		if !ok {
			continue
		}
		n := c.node(fn, sd)
		if n == nil {
			continue
		}
		sd.nodes = append(sd.nodes, n)
		c.p.nodes[n.id] = n
		switch {
		case n.kind == kStart && owner == nil && n.ev.trig == trMessage:
			c.p.messageStarts[n.ev.name] = n
			sd.starts = append(sd.starts, n)
		case n.kind == kStart && owner == nil && n.ev.trig == trSignal:
			c.p.signalStarts[n.ev.name] = append(c.p.signalStarts[n.ev.name], n)
			sd.starts = append(sd.starts, n)
		case n.kind == kStart:
			sd.starts = append(sd.starts, n)
		case n.kind == kEventSubProcess:
			sd.eventSubs = append(sd.eventSubs, n)
			if len(n.inner.starts) == 1 && n.inner.starts[0].ev.trig == trCompensate {
				sd.compSub = n
			}
		case n.kind == kCatch && n.ev.trig == trLink:
			sd.links[n.ev.name] = n
		}
	}
	for _, a := range ct.Artifacts {
		if as, ok := a.(*bpmn.Association); ok {
			c.assocs = append(c.assocs, as)
		}
	}
	for _, f := range flows {
		src, tgt := c.p.nodes[f.SourceRef], c.p.nodes[f.TargetRef]
		if src == nil || tgt == nil || src.scope != sd || tgt.scope != sd {
			c.fail(f.ID, ErrModel, "sequence flow %s → %s must join two nodes of one scope", f.SourceRef, f.TargetRef)
			continue
		}
		fl := &flow{id: f.ID, source: src, target: tgt}
		if f.ConditionExpression != nil {
			fl.cond = strings.TrimSpace(f.ConditionExpression.Body)
		}
		src.out = append(src.out, fl)
		tgt.in = append(tgt.in, fl)
	}
	return sd
}

// wire resolves what needs every node of the process: boundary hosts, default flows, compensation
// handlers and the upstream sets of inclusive joins.
func (c *compiler) wire() {
	for _, n := range c.p.nodes {
		if n.kind == kBoundary {
			host := c.p.nodes[n.attachedTo.id]
			if host == nil || !host.isActivity() {
				c.fail(n.id, ErrModel, "boundary event attached to %q, which is no activity", n.attachedTo.id)
				continue
			}
			n.attachedTo = host
			host.boundaries = append(host.boundaries, n)
		}
	}
	for _, n := range c.p.nodes {
		if n.def != nil {
			var found *flow
			for _, f := range n.out {
				if f.id == n.def.id {
					found = f
				}
			}
			if found == nil {
				c.fail(n.id, ErrModel, "default flow %q is not an outgoing flow", n.def.id)
			}
			n.def = found
		}
	}
	for _, a := range c.assocs {
		b, h := c.p.nodes[a.SourceRef], c.p.nodes[a.TargetRef]
		if b == nil || h == nil {
			continue
		}
		if h.kind == kBoundary {
			b, h = h, b
		}
		if b.kind == kBoundary && b.ev.trig == trCompensate && h.forCompensation {
			b.attachedTo.compHandler = h
		}
	}
	for _, n := range c.p.nodes {
		if n.kind == kInclusive && len(n.in) > 1 {
			n.upstream = upstreamOf(n)
		}
	}
}

// upstreamOf collects the nodes from which a token can reach g without passing through g.
func upstreamOf(g *node) map[*node]bool {
	seen := map[*node]bool{}
	var stack []*node
	for _, f := range g.in {
		stack = append(stack, f.source)
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == g || seen[n] {
			continue
		}
		seen[n] = true
		for _, f := range n.in {
			stack = append(stack, f.source)
		}
		if n.kind == kBoundary {
			stack = append(stack, n.attachedTo)
		}
	}
	return seen
}

// node compiles one flow node; nil when it is reported as a problem.
func (c *compiler) node(fn bpmn.FlowNode, sd *scopeDef) *node {
	base := fn.Node()
	n := &node{id: base.ID, name: base.Name, scope: sd}
	switch x := fn.(type) {
	case *bpmn.StartEvent:
		n.kind, n.interrupting = kStart, x.IsInterrupting
		n.ev = c.catchDef(x.ID, x.EventDefinitions)
	case *bpmn.EndEvent:
		n.kind = kEnd
		n.ev = c.throwDef(x.ID, x.EventDefinitions)
	case *bpmn.IntermediateCatchEvent:
		n.kind = kCatch
		n.ev = c.catchDef(x.ID, x.EventDefinitions)
	case *bpmn.IntermediateThrowEvent:
		n.kind = kThrow
		n.ev = c.throwDef(x.ID, x.EventDefinitions)
	case *bpmn.BoundaryEvent:
		n.kind, n.interrupting = kBoundary, x.CancelActivity
		n.ev = c.catchDef(x.ID, x.EventDefinitions)
		n.attachedTo = &node{id: x.AttachedToRef} // resolved in wire
	case *bpmn.ExclusiveGateway:
		n.kind = kExclusive
		n.def = defaultRef(x.Default)
	case *bpmn.InclusiveGateway:
		n.kind = kInclusive
		n.def = defaultRef(x.Default)
	case *bpmn.ParallelGateway:
		n.kind = kParallel
	case *bpmn.EventBasedGateway:
		n.kind = kEventGateway
		if x.EventGatewayType == "Parallel" {
			c.fail(x.ID, ErrUnsupported, "parallel event-based gateway")
			return nil
		}
	case *bpmn.ComplexGateway:
		c.fail(x.ID, ErrUnsupported, "complex gateway")
		return nil
	case *bpmn.AdHocSubProcess:
		c.fail(x.ID, ErrUnsupported, "ad-hoc subprocess")
		return nil
	case *bpmn.CallActivity:
		n.kind, n.called = kCallActivity, x.CalledElement
		if n.called == "" {
			c.fail(x.ID, ErrModel, "call activity without calledElement")
		}
	case bpmn.Activity:
		if sp, ok := bpmn.SubProcessOf(x); ok {
			n.kind = kSubProcess
			if sp.TriggeredByEvent {
				n.kind = kEventSubProcess
			}
			n.inner = c.scope(sp.ID, &sp.FlowElementsContainer, n)
			n.inner.props = propertyNames(sp.Properties)
			if n.kind == kEventSubProcess {
				if len(n.inner.starts) != 1 {
					c.fail(sp.ID, ErrModel, "event subprocess needs exactly one start event")
					return nil
				}
				n.interrupting = n.inner.starts[0].interrupting
			}
		} else {
			n.kind = kTask
			c.task(n, x)
		}
	default:
		c.fail(base.ID, ErrUnsupported, "flow node %T", fn)
		return nil
	}
	if a, ok := fn.(bpmn.Activity); ok {
		ab := a.Act()
		n.forCompensation = ab.IsForCompensation
		if ab.Default != "" {
			n.def = defaultRef(ab.Default)
		}
		c.loop(n, ab.LoopCharacteristics)
	}
	return n
}

func defaultRef(id string) *flow {
	if id == "" {
		return nil
	}
	return &flow{id: id} // resolved in wire
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// vendorAttr reads an extension attribute by local name in any of the known vendor namespaces.
func vendorAttr(b *bpmn.BaseElement, local string) string {
	for _, ns := range vendorNS {
		if v, ok := b.Attr(ns, local); ok {
			return v
		}
	}
	return ""
}

// vendorExt finds an extension element by local name in any of the known vendor namespaces.
func vendorExt(b *bpmn.BaseElement, local string) *bpmn.XMLElement {
	for _, ns := range vendorNS {
		if e := b.Extension(ns, local); e != nil {
			return e
		}
	}
	return nil
}

func xmlAttr(e *bpmn.XMLElement, local string) string {
	if e == nil {
		return ""
	}
	for _, a := range e.Attrs {
		if a.Local == local {
			return a.Value
		}
	}
	return ""
}

// propertyNames lists the variable names of properties (BPMN 2.0.2, 10.4.1: instance data of their
// process or activity): every scope instance gets them as local variables.
func propertyNames(ps []*bpmn.Property) []string {
	var out []string
	for _, p := range ps {
		if name := firstNonEmpty(p.Name, p.ID); name != "" {
			out = append(out, name)
		}
	}
	return out
}
