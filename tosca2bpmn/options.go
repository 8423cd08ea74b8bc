package tosca2bpmn

import (
	"errors"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Defaults of the deployment options.
const (
	DefaultCheckPeriod = 10 * time.Second
	DefaultTimeout     = 30 * time.Minute
	DefaultRetries     = 3
)

// Options are the deployment options of a plan: how often the status of a deployment unit is checked,
// how long a unit may take to be created, and how many times a failed creation is retried. A
// toscaflow.policies.Provisioning policy in the template overrides them for the nodes it targets
// (see the package documentation). Zero fields take the defaults.
type Options struct {
	// CheckPeriod is the wait between two status checks of a deployment unit being created.
	CheckPeriod time.Duration
	// Timeout bounds the wait until a deployment unit is created (the timer boundary of "wait until
	// created"); a cloud resource waits as long.
	Timeout time.Duration
	// Retries is how many times a failed creation is disposed of and run again; 0 takes the default,
	// a negative value means no retry.
	Retries int
	// ProcessID is the id of the plan's process (default "deploy", "undeploy" or "update").
	ProcessID string
	// Adapt, when set, changes the deploy plan (Translate) before it is laid out: a caller that adds to
	// the plan has it laid out once, with its additions, rather than laying it out again.
	Adapt func(*bpmn.Definitions) error
}

// ErrOptions is wrapped by the error of Options.Validate.
var ErrOptions = errors.New("invalid plan options")

// withDefaults returns o with the zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.CheckPeriod == 0 {
		o.CheckPeriod = DefaultCheckPeriod
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case o.Retries == 0:
		o.Retries = DefaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	return o
}

// Validate reports every problem of the options. The check period must be shorter than the timeout once
// the defaults are applied: a check period of an hour alone conflicts with the default timeout.
func (o Options) Validate() error {
	var errs []error
	if o.CheckPeriod < 0 {
		errs = append(errs, fmt.Errorf("%w: check period %v is negative", ErrOptions, o.CheckPeriod))
	}
	if o.Timeout < 0 {
		errs = append(errs, fmt.Errorf("%w: timeout %v is negative", ErrOptions, o.Timeout))
	}
	if d := o.withDefaults(); o.CheckPeriod >= 0 && o.Timeout >= 0 && d.CheckPeriod >= d.Timeout {
		errs = append(errs, fmt.Errorf("%w: check period %v is not shorter than the timeout %v", ErrOptions, d.CheckPeriod, d.Timeout))
	}
	return errors.Join(errs...)
}

// isoDuration writes d as an ISO 8601 duration (PT1H2M3S; PT0.5S for fractions), the form BPMN timers use.
func isoDuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	out := "PT"
	if h := d / time.Hour; h > 0 {
		out += fmt.Sprintf("%dH", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		out += fmt.Sprintf("%dM", m)
		d -= m * time.Minute
	}
	if d > 0 {
		s := d.Seconds()
		if d%time.Second == 0 {
			out += fmt.Sprintf("%dS", int64(s))
		} else {
			out += fmt.Sprintf("%gS", s)
		}
	}
	return out
}
