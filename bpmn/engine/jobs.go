package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Jobs come back to the engine as completions or failures, applied idempotently by job id: a job
// that is no longer awaited (completed before, or its activity was interrupted) is reported with
// ErrNotFound and changes nothing. A technical failure with retries left dispatches the job again
// under a new id (at once, or after a backoff timer that ends with the task); without retries it
// raises an incident, and ResolveIncident dispatches it again. A failure with a BPMN error code
// throws the error at the task (throw.go).

// instanceOfJob extracts the instance id from a job id ("<instance>/<token>-<n>").
func instanceOfJob(job string) (string, error) {
	i := strings.LastIndexByte(job, '/')
	if i <= 0 {
		return "", fmt.Errorf("job %q: %w", job, ErrNotFound)
	}
	return job[:i], nil
}

// CompleteTask completes the job with the task's output variables and runs the instance on.
func (e *Engine) CompleteTask(ctx context.Context, job string, vars map[string]any) error {
	id, err := instanceOfJob(job)
	if err != nil {
		return err
	}
	err = e.onInstance(ctx, id, func(r *run) error {
		tok := r.tokenByJob(job)
		if tok == nil || tok.State != TokenJob {
			return fmt.Errorf("job %q: %w", job, ErrNotFound)
		}
		tok.Job = ""
		r.setVars(tok.Scope, vars)
		r.completeActivity(tok)
		return nil
	})
	if err != nil {
		return fmt.Errorf("complete task: %w", err)
	}
	return nil
}

// Failure is how a job failed. With ErrorCode set it is a BPMN error thrown at the task (caught by a
// boundary or event subprocess, else an incident); without, a technical failure: with Retries left
// the job is dispatched again under a new id (after RetryBackoff), else an incident is raised at the
// task (Zeebe's job retries).
type Failure struct {
	ErrorCode string
	Message   string
	// Retries is the number of attempts the worker still grants the job (carried by the retried
	// command as Command.Retries); RetryBackoff delays the retry.
	Retries      int
	RetryBackoff time.Duration
	// Variables are set in the scope of the task before the error is thrown.
	Variables map[string]any
}

// FailTask reports a failed job.
func (e *Engine) FailTask(ctx context.Context, job string, f Failure) error {
	id, err := instanceOfJob(job)
	if err != nil {
		return err
	}
	err = e.onInstance(ctx, id, func(r *run) error {
		tok := r.tokenByJob(job)
		if tok == nil || tok.State != TokenJob {
			return fmt.Errorf("job %q: %w", job, ErrNotFound)
		}
		n := r.p.nodes[tok.Element]
		r.setVars(tok.Scope, f.Variables)
		if f.ErrorCode == "" && f.Retries > 0 {
			tok.Retries = f.Retries
			if f.RetryBackoff <= 0 {
				r.retryJob(tok)
				return nil
			}
			// The job waits for its retry timer (cancelled with the task like its boundary timers).
			tok.Job = ""
			t := &Timer{ID: r.in.ID + "/t" + strconv.FormatInt(r.nextID(), 10), Instance: r.in.ID, Owner: tok.ID,
				Element: n.id, Due: r.t.now.Add(f.RetryBackoff), Retry: true}
			if r.in.Timers == nil {
				r.in.Timers = map[string]*Timer{}
			}
			r.in.Timers[t.ID] = t
			r.t.m.TimersSet = append(r.t.m.TimersSet, t)
			r.dirty = true
			return nil
		}
		if f.ErrorCode == "" {
			r.incident(tok.Scope, n, tok, IncidentJobFailed, "", fmt.Errorf("job %q failed: %s", job, f.Message))
			return nil
		}
		r.throwError(tok.Scope, tok, n, ThrownError{Code: f.ErrorCode, Message: f.Message, Element: n.id}, f.Variables)
		return nil
	})
	if err != nil {
		return fmt.Errorf("fail task: %w", err)
	}
	return nil
}

// ResolveIncident retries what the incident stopped: a failed job is dispatched again under a new
// job id; an element whose expression failed is executed again (fix the variables first with
// SetVariables).
func (e *Engine) ResolveIncident(ctx context.Context, instance string, incident int64) error {
	err := e.onInstance(ctx, instance, func(r *run) error {
		inc := r.in.Incidents[incident]
		if inc == nil {
			return fmt.Errorf("incident %d: %w", incident, ErrNotFound)
		}
		delete(r.in.Incidents, incident)
		r.t.event(Event{Type: EventIncidentResolved, Instance: r.in.ID,
			Element: inc.Element, Time: r.t.now, Incident: inc.ID})
		r.dirty = true
		tok := r.token(inc.Token)
		if tok == nil {
			return nil
		}
		tok.Incident = 0
		n := r.p.nodes[tok.Element]
		switch tok.Resume {
		case 0:
			scope := tok.Scope
			r.dropToken(tok)
			if tok.Leave {
				r.leave(scope, n) // the node completed: take its outgoing flows again
				return nil
			}
			// Nothing waited yet: execute the element again.
			r.reexecute = n.id
			r.enter(scope, n, nil)
		case TokenJob:
			kind := jobKind(n)
			if n.kind == kTask && (n.task == taskScript && n.inlineScript || n.task == taskNone || n.task == taskManual) {
				tok.State = TokenJob
				tok.Resume = 0
				r.runActivity(tok.Scope, n, tok)
				return nil
			}
			r.job(tok, n, kind)
			tok.Resume = 0
		case TokenScope, TokenCall:
			if tok.Child == 0 && tok.Called == "" {
				// Stopped before its scope or called instance existed: enter the activity again.
				scope := tok.Scope
				r.dropToken(tok)
				r.reexecute = n.id
				r.enter(scope, n, nil)
				return nil
			}
			tok.State = tok.Resume
			tok.Resume = 0
		default:
			tok.State = tok.Resume
			tok.Resume = 0
			if tok.State == TokenEvent || tok.State == TokenEventGateway {
				r.unsubscribe(tok.ID, false)
				if n.kind == kEventGateway {
					for _, f := range n.out {
						_ = r.subscribe(tok.ID, false, tok.Scope, f.target)
					}
				} else {
					_ = r.subscribe(tok.ID, false, tok.Scope, n)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("resolve incident %d of %q: %w", incident, instance, err)
	}
	return nil
}

// jobKind is the command kind of the job of node n.
func jobKind(n *node) CommandKind {
	switch {
	case n.kind == kEnd || n.kind == kThrow:
		return CommandSend // message throw events
	case n.task == taskScript:
		return CommandScript
	}
	return commandKind(n.task)
}

// retryJob dispatches the job of tok again under a new id, without registering its boundaries again.
func (r *run) retryJob(tok *Token) {
	n := r.p.nodes[tok.Element]
	tok.Resume = TokenJob
	r.job(tok, n, jobKind(n))
	tok.Resume = 0
}
