package connectors

import "context"

// Power operations: starting and stopping a cloud resource that exists (INDIGO's resource actions on
// compute nodes). They are not plan operations (no tf:operation names them): the lifecycle sends them
// on its own when a user asks.
const (
	OpStartResource Operation = "start-resource"
	OpStopResource  Operation = "stop-resource"
)

// ResourcePower starts and stops a cloud resource that exists (a virtual machine), keeping it and its
// id. An optional capability of a CloudResources connector; without it the operations are permanent
// errors wrapping ErrUnsupported. Starting a started resource, or stopping a stopped one, succeeds.
type ResourcePower interface {
	StartResource(ctx context.Context, req Request) (Outputs, error)
	StopResource(ctx context.Context, req Request) (Outputs, error)
}

// IsPower reports whether op is a power operation (InvokePower performs it, not Invoke).
func IsPower(op Operation) bool { return op == OpStartResource || op == OpStopResource }

// InvokePower performs a power operation with c's ResourcePower capability.
func InvokePower(ctx context.Context, c Connector, op Operation, req Request) (Outputs, error) {
	p, ok := c.(ResourcePower)
	if !ok || !IsPower(op) {
		return nil, unsupported(c, op)
	}
	if op == OpStartResource {
		return p.StartResource(ctx, req)
	}
	return p.StopResource(ctx, req)
}
