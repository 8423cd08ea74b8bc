package broker

import (
	"errors"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
)

// Defaults of Config.
const (
	DefaultTimeout      = esb.DefaultTimeout
	DefaultDrainTimeout = 30 * time.Second
)

// ErrInvalidConfig wraps every problem Config.Validate finds.
var ErrInvalidConfig = errors.New("invalid broker configuration")

// Clock gives the broker the time: the remaining time to a command's deadline and the durations it reports
// are measured by it. (The same shape as esb.Clock.)
type Clock interface {
	Now() time.Time
	// After delivers once d has passed, like time.After.
	After(d time.Duration) <-chan time.Time
}

// Config configures a Broker. The zero value (after defaults) serves every service type of the registry.
type Config struct {
	// Services are the bus service types whose commands the broker consumes (cloud, container-cluster,
	// software...); empty means every type the registry serves when Run starts, the kinds of cloud resources
	// under cloud.
	Services []string
	// DefaultPlatform is the platform of commands that name none; empty means such commands are rejected
	// (permanent error CodeMissingPlatform).
	DefaultPlatform connectors.Platform
	// DefaultTimeout bounds a connector call whose command has no deadline; default 10m (esb.DefaultTimeout).
	DefaultTimeout time.Duration
	// DrainTimeout is how long Run waits, once its context ends, for the calls under way before canceling
	// them; default 30s.
	DrainTimeout time.Duration
	// Clock defaults to the wall clock (esb.SystemClock).
	Clock Clock
	// Metrics receives every handled command; default none.
	Metrics Metrics
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.DefaultTimeout == 0 {
		c.DefaultTimeout = DefaultTimeout
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = DefaultDrainTimeout
	}
	if c.Clock == nil {
		c.Clock = esb.SystemClock{}
	}
	if c.Metrics == nil {
		c.Metrics = nopMetrics{}
	}
	return c
}

// Validate reports every problem of c (after defaults), joined, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...)))
	}
	seen := map[string]bool{}
	for _, s := range c.Services {
		if err := esb.ValidateService(s); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInvalidConfig, err))
		}
		if seen[s] {
			bad("service type %q listed twice", s)
		}
		seen[s] = true
	}
	if c.DefaultTimeout < 0 {
		bad("default timeout %s is negative", c.DefaultTimeout)
	}
	if c.DrainTimeout < 0 {
		bad("drain timeout %s is negative", c.DrainTimeout)
	}
	return errors.Join(errs...)
}
