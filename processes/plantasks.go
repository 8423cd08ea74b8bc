package processes

import (
	"context"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// planTaskRetry bounds the wait before a plan task that failed (the store was busy) is tried again.
const planTaskRetry = time.Second

// planTasks is the queue of the plans' own tasks (notify) the relay has handed over. They run on a
// worker of their own, in order, so that the bus commands the relay publishes next do not wait behind
// them: each is a full engine step. A task queued when the service stops is lost with the queue, but its
// outbox row is unanswered, so the next start sends it again (store.Requeue) and ApplyOnce runs it once.
type planTasks struct {
	mu    sync.Mutex
	queue []engine.Command
	wake  chan struct{}
}

func newPlanTasks() *planTasks { return &planTasks{wake: make(chan struct{}, 1)} }

// push queues a task; it never blocks the relay.
func (q *planTasks) push(cmd engine.Command) {
	q.mu.Lock()
	q.queue = append(q.queue, cmd)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// peek returns the first task, if any, without removing it (it goes once it has run).
func (q *planTasks) peek() (engine.Command, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queue) == 0 {
		return engine.Command{}, false
	}
	return q.queue[0], true
}

func (q *planTasks) pop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue[0] = engine.Command{}
	q.queue = q.queue[1:]
}

// runPlanTasks carries out the queued plan tasks until ctx ends. A task that fails is tried again
// after a pause, as the relay would have tried its row again.
func (s *Service) runPlanTasks(ctx context.Context) {
	wait := 10 * time.Millisecond
	for {
		cmd, ok := s.planTasks.peek()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-s.planTasks.wake:
			}
			continue
		}
		if err := s.runPlanTask(ctx, cmd); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("plan task failed: trying again", "command", cmd.ID, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-s.clock.After(wait):
			}
			wait = min(2*wait, planTaskRetry)
			continue
		}
		wait = 10 * time.Millisecond
		s.planTasks.pop()
	}
}
