package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
)

// payload is what the broker reads of a command's payload: the task's variables (tf:inputs).
type payload struct {
	Unit       map[string]any `json:"unit"`
	Deployment string         `json:"deployment"`
}

// handle is the bus handler of every service type the broker consumes: one run performs the command once
// (the bus retries retryable failures by running it again).
func (b *Broker) handle(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
	obs := Observation{Service: cmd.Service, Platform: cmd.Platform, Operation: cmd.Operation,
		Attempt: esb.Attempt(ctx), Command: cmd.ID}
	if !b.enter() {
		return nil, b.requeue(ctx, cmd, obs)
	}
	callCtx, cancel := context.WithCancel(ctx)
	stopAbort := context.AfterFunc(b.abort, cancel)
	out, err := b.perform(callCtx, cmd, &obs)
	stopAbort()
	cancel()
	b.calls.Done()
	if err != nil && b.abort.Err() != nil && ctx.Err() == nil && errors.Is(err, context.Canceled) {
		// Canceled by the drain, not by the sender or the bus: the command was not performed.
		return nil, b.requeue(ctx, cmd, obs)
	}
	b.cfg.Metrics.Observe(obs)
	if err != nil {
		b.logger.Info("command failed", "command", cmd.ID, "service", obs.Service, "platform", obs.Platform,
			"operation", cmd.Operation, "outcome", obs.Outcome, "attempt", obs.Attempt, "err", err)
		return nil, err
	}
	b.logger.Debug("command performed", "command", cmd.ID, "service", obs.Service, "platform", obs.Platform,
		"operation", cmd.Operation, "duration", obs.Duration)
	return out, nil
}

// perform decodes cmd, looks its connector up and invokes it, filling obs. Every error is an *esb.Error.
func (b *Broker) perform(ctx context.Context, cmd esb.Command, obs *Observation) (json.RawMessage, error) {
	fail := func(code string, err error) (json.RawMessage, error) {
		obs.Outcome = OutcomePermanent
		return nil, esb.PermanentError(code, err)
	}
	var p payload
	if len(cmd.Payload) > 0 {
		if err := json.Unmarshal(cmd.Payload, &p); err != nil {
			return fail(CodeInvalidCommand, fmt.Errorf("%w %q: payload is not a JSON object of variables: %w",
				ErrInvalidCommand, cmd.ID, err))
		}
	}
	if p.Unit == nil {
		return fail(CodeInvalidCommand, fmt.Errorf("%w %q (%s %s): no unit in its payload", ErrInvalidCommand,
			cmd.ID, cmd.Service, cmd.Operation))
	}
	u, err := connectors.DecodeUnit(p.Unit)
	if err != nil {
		return fail(CodeInvalidCommand, fmt.Errorf("%w %q: %w", ErrInvalidCommand, cmd.ID, err))
	}
	service := connectors.ServiceOf(cmd.Service, u)
	if service == "" {
		return fail(CodeInvalidCommand, fmt.Errorf("%w %q: %s unit %q names no kind of cloud resource", ErrInvalidCommand,
			cmd.ID, cmd.Service, u.ID))
	}
	obs.Service = string(service)
	platform := connectors.Platform(cmd.Platform)
	if platform == "" {
		platform = b.cfg.DefaultPlatform
		obs.Platform = string(platform)
	}
	if platform == "" {
		return fail(CodeMissingPlatform, fmt.Errorf("command %q (%s %s of unit %q): %w", cmd.ID, service,
			cmd.Operation, u.ID, ErrMissingPlatform))
	}
	c, err := b.reg.Lookup(service, platform)
	if err != nil {
		return fail(CodeNotRegistered, fmt.Errorf("no connector serves service %q on platform %q "+
			"(command %q, %s of unit %q): %w", service, platform, cmd.ID, cmd.Operation, u.ID, err))
	}
	deployment := cmd.Deployment
	if deployment == "" {
		deployment = p.Deployment
	}

	// The bus bounds the handler by the same deadline; the broker sets it itself so that the connector's
	// context has it whatever the bus does, and measures it on its own clock.
	d := b.cfg.DefaultTimeout
	if !cmd.Deadline.IsZero() {
		d = cmd.Deadline.Sub(b.cfg.Clock.Now())
	}
	if d <= 0 {
		obs.Outcome = OutcomeTimeout
		return nil, esb.NewError(esb.Timeout, CodeDeadlinePassed,
			fmt.Errorf("command %q: deadline passed before %s of unit %q", cmd.ID, cmd.Operation, u.ID))
	}
	callCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := b.cfg.Clock.Now()
	invoke := connectors.Invoke
	if connectors.IsPower(connectors.Operation(cmd.Operation)) {
		invoke = connectors.InvokePower // a resource action, not a plan's operation
	}
	out, err := invoke(callCtx, c, connectors.Operation(cmd.Operation), connectors.Request{
		Key: cmd.ID, Deployment: deployment, Provider: cmd.Provider, Unit: u})
	obs.Duration = b.cfg.Clock.Now().Sub(start)
	if err != nil {
		berr, outcome := busError(fmt.Errorf("%s of unit %q (service %s, provider %q on %s): %w", cmd.Operation, u.ID,
			service, cmd.Provider, platform, err))
		obs.Outcome = outcome
		return nil, berr
	}
	if out == nil {
		out = connectors.Outputs{}
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return fail(CodeInvalidOutputs, fmt.Errorf("outputs of %s of unit %q: %w", cmd.Operation, u.ID, err))
	}
	obs.Outcome = OutcomeSuccess
	return raw, nil
}

// requeue leaves a command the broker did not perform for redelivery: it waits for the bus to close (or the
// command's context to end) and returns a cancellation, which a closing bus leaves unacked instead of answering.
func (b *Broker) requeue(ctx context.Context, cmd esb.Command, obs Observation) error {
	obs.Outcome, obs.Duration = OutcomeRequeued, 0
	b.cfg.Metrics.Observe(obs)
	b.logger.Info("broker stopped; command left for redelivery", "command", cmd.ID, "operation", cmd.Operation)
	select {
	case <-b.bus.Closing():
	case <-ctx.Done():
	}
	return fmt.Errorf("broker stopped: %s %q left for redelivery: %w", cmd.Operation, cmd.ID, context.Canceled)
}
