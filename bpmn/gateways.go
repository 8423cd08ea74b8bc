package bpmn

// Gateway is the common part of gateways (BPMN 2.0.2, 10.6 Gateways).
type Gateway interface {
	FlowNode
	Gate() *GatewayBase
}

// GatewayBase holds the gateway direction: Unspecified (default when empty), Converging,
// Diverging or Mixed.
type GatewayBase struct {
	FlowNodeBase
	GatewayDirection string
}

// Gate returns the common part of the gateway.
func (g *GatewayBase) Gate() *GatewayBase { return g }

// ExclusiveGateway routes the token to the first outgoing flow whose condition holds, else to
// Default (BPMN 2.0.2, 10.6.2 Exclusive Gateway).
type ExclusiveGateway struct {
	GatewayBase
	Default string
}

// InclusiveGateway routes a token to every outgoing flow whose condition holds, else to Default;
// converging, it waits for all tokens that can still arrive (BPMN 2.0.2, 10.6.3 Inclusive Gateway).
type InclusiveGateway struct {
	GatewayBase
	Default string
}

// ParallelGateway forks to all outgoing flows and joins all incoming ones (BPMN 2.0.2, 10.6.4).
type ParallelGateway struct {
	GatewayBase
}

// ComplexGateway synchronizes on ActivationCondition (BPMN 2.0.2, 10.6.5 Complex Gateway).
type ComplexGateway struct {
	GatewayBase
	Default             string
	ActivationCondition *Expression
}

// EventBasedGateway waits for the first of the events that follow it (BPMN 2.0.2, 10.6.6
// Event-Based Gateway). EventGatewayType is Exclusive (default when empty) or Parallel.
type EventBasedGateway struct {
	GatewayBase
	Instantiate      bool
	EventGatewayType string
}

// DefaultFlow returns the id of the default sequence flow of a node (exclusive, inclusive and
// complex gateways and activities), or "".
func DefaultFlow(n FlowNode) string {
	switch x := n.(type) {
	case *ExclusiveGateway:
		return x.Default
	case *InclusiveGateway:
		return x.Default
	case *ComplexGateway:
		return x.Default
	case Activity:
		return x.Act().Default
	}
	return ""
}
