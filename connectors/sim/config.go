package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrInvalidConfig wraps every problem Config.Validate finds.
var ErrInvalidConfig = errors.New("invalid sim configuration")

// Config is one simulated provider. It reads from YAML (durations as "2s", "1m30s"), as a provider
// catalogue writes it:
//
//	provider: sim-eu
//	seed: 42
//	ready_after: { dist: uniform, min: 1s, max: 5s }
//	default: { latency: { dist: fixed, mean: 200ms } }
//	operations:
//	  create-deployment-unit:
//	    latency: { dist: normal, mean: 3s, stddev: 1s, min: 500ms }
//	    faults: [ { kind: transient, probability: 0.1 }, { kind: permanent, first_n: 1, units: [ mysql_runtime ] } ]
//	health: { faults: [ { kind: permanent, probability: 0.2 } ] }
type Config struct {
	// Provider names the provider; resources are filed under it. Default "sim".
	Provider string `yaml:"provider"`
	// Path is the SQLite file of the ledger; empty keeps the ledger in memory (lost when the Cloud closes).
	Path string `yaml:"path"`
	// Seed makes latencies, faults and resource ids reproducible.
	Seed uint64 `yaml:"seed"`
	// Clock defaults to the wall clock.
	Clock Clock `yaml:"-"`
	// Default is the behaviour of the operations that Operations does not name.
	Default Behaviour `yaml:"default"`
	// Operations sets the behaviour of single operations (connectors.OpCreateDeploymentUnit...).
	Operations map[connectors.Operation]Behaviour `yaml:"operations"`
	// ReadyAfter is how long after its create a resource or deployment unit becomes ready (its status says
	// ready); zero means at once.
	ReadyAfter Latency `yaml:"ready_after"`
	// Health is the latency and the faults of the provider's health checks (Ping): a hang or a fault makes
	// a check fail. It is independent of Default.
	Health Behaviour `yaml:"health"`
}

// opHealth is the pseudo-operation of a health check: its behaviour is Config.Health.
const opHealth connectors.Operation = "health"

// Behaviour is the latency and the faults of an operation.
type Behaviour struct {
	Latency Latency `yaml:"latency"`
	// Faults are checked in order on every call; the first that hits decides the call's failure.
	Faults []Fault `yaml:"faults"`
}

// Distribution is the shape of a latency.
type Distribution string

// Distributions of latencies.
const (
	// None waits nothing (the zero Latency).
	None Distribution = ""
	// Fixed waits Mean.
	Fixed Distribution = "fixed"
	// Uniform waits a duration drawn uniformly from [Min, Max].
	Uniform Distribution = "uniform"
	// Normal waits a duration drawn from a normal distribution of Mean and StdDev, at least Min.
	Normal Distribution = "normal"
)

// Latency is a distribution of durations.
type Latency struct {
	Dist   Distribution  `yaml:"dist"`
	Mean   time.Duration `yaml:"mean"`
	StdDev time.Duration `yaml:"stddev"`
	Min    time.Duration `yaml:"min"`
	Max    time.Duration `yaml:"max"`
}

// FaultKind is what an injected fault does to a call.
type FaultKind string

// Kinds of faults.
const (
	// Transient fails the call with a retryable error.
	Transient FaultKind = "transient"
	// Permanent fails the call with a permanent error.
	Permanent FaultKind = "permanent"
	// Hang blocks the call until its context ends, then fails it with a timeout (or the cancellation).
	Hang FaultKind = "hang"
)

// Fault is an injected failure. It hits a call when the call is among the first FirstN calls of its
// operation that it applies to (counted since the Cloud was opened), or else with Probability.
type Fault struct {
	Kind        FaultKind `yaml:"kind"`
	Probability float64   `yaml:"probability"`
	FirstN      int       `yaml:"first_n"`
	// Units, when not empty, limits the fault to the units with these ids.
	Units []string `yaml:"units"`
	// AfterEffect makes the call fail (or hang) after it has done its work, as when a reply is lost: the
	// resource exists, and a retry with the same key must not create another.
	AfterEffect bool `yaml:"after_effect"`
}

// Validate reports every problem of the configuration, joined, wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	errs = append(errs, c.Default.validate("default")...)
	for op, b := range c.Operations {
		if !op.Known() {
			errs = append(errs, fmt.Errorf("unknown operation %q", op))
		}
		errs = append(errs, b.validate(string(op))...)
	}
	errs = append(errs, c.Health.validate("health")...)
	if err := c.ReadyAfter.validate(); err != nil {
		errs = append(errs, fmt.Errorf("ready after: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return nil
}

func (b Behaviour) validate(name string) []error {
	var errs []error
	if err := b.Latency.validate(); err != nil {
		errs = append(errs, fmt.Errorf("%s: latency: %w", name, err))
	}
	for i, f := range b.Faults {
		if err := f.validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: fault %d: %w", name, i+1, err))
		}
	}
	return errs
}

func (l Latency) validate() error {
	if l.Mean < 0 || l.StdDev < 0 || l.Min < 0 || l.Max < 0 {
		return errors.New("durations must not be negative")
	}
	switch l.Dist {
	case None, Fixed, Normal:
		return nil
	case Uniform:
		if l.Max < l.Min {
			return fmt.Errorf("uniform: max %v is below min %v", l.Max, l.Min)
		}
		return nil
	}
	return fmt.Errorf("unknown distribution %q (want fixed, uniform or normal)", l.Dist)
}

func (f Fault) validate() error {
	var errs []error
	switch f.Kind {
	case Transient, Permanent, Hang:
	default:
		errs = append(errs, fmt.Errorf("unknown kind %q (want transient, permanent or hang)", f.Kind))
	}
	if f.Probability < 0 || f.Probability > 1 {
		errs = append(errs, fmt.Errorf("probability %v is not within [0, 1]", f.Probability))
	}
	if f.FirstN < 0 {
		errs = append(errs, fmt.Errorf("first %d calls: must not be negative", f.FirstN))
	}
	if f.Probability == 0 && f.FirstN == 0 {
		errs = append(errs, errors.New("never hits: set a probability or a number of first calls"))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Provider == "" {
		c.Provider = "sim"
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	return c
}

func (c Config) behaviour(op connectors.Operation) Behaviour {
	if op == opHealth {
		return c.Health
	}
	if b, ok := c.Operations[op]; ok {
		return b
	}
	return c.Default
}
