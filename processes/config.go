package processes

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// Defaults of Config.
const (
	DefaultProvider        = "sim"
	DefaultPlatform        = connectors.PlatformSim
	DefaultCommandTimeout  = 10 * time.Minute
	DefaultCallbackTimeout = 10 * time.Second
	DefaultTimerPoll       = time.Minute
	DefaultRetention       = 7 * 24 * time.Hour
	DefaultPruneEvery      = time.Hour
)

// ErrInvalidConfig wraps every problem Config.Validate finds.
var ErrInvalidConfig = errors.New("invalid processes configuration")

// Config configures a Service. The zero value (after defaults) deploys on the embedded simulated provider.
type Config struct {
	// Provider names the cloud provider deployments are placed on (the catalogue entry the connectors
	// are told); default "sim". Platform is its kind, which the broker looks connectors up by; default "sim".
	Provider string
	Platform connectors.Platform
	// Providers, when set, are the providers a deployment may be placed on, best first: a deployment
	// that fails on one is rolled back and tried on the next (at most its request's MaxProvidersRetry).
	// Empty means Provider alone.
	Providers []ProviderRef
	// Ranker, when set, ranks the providers for each deployment (registry.Selector over the provider
	// catalogue: placement policies, data location, SLAs, quotas, health); the deployment is tried on
	// those it keeps, best first. Nil keeps Providers in their order for every deployment.
	Ranker Ranker
	// CheckPeriod, UnitTimeout and Retries are the plans' defaults (tosca2bpmn.Options): how often the
	// status of a unit being created is checked, how long it may take, how many times a failed creation
	// is retried. Zero takes tosca2bpmn's defaults; a negative Retries means none.
	CheckPeriod time.Duration
	UnitTimeout time.Duration
	Retries     int
	// CommandTimeout is the deadline of every command from the moment it is published; default 10m.
	CommandTimeout time.Duration
	// CallbackTimeout bounds one POST to a deployment's callback URL; default 10s.
	CallbackTimeout time.Duration
	// TimerPoll is how long the timer driver waits when no timer is scheduled before it looks again
	// (every engine step this service runs wakes it anyway); default 1m.
	TimerPoll time.Duration
	// usage is what the deployments use on each provider (for the quotas); one per Service.
	usage *usage
	// Retention is how long sent outbox rows and applied inbox ids are kept (longer than the bus may
	// redeliver a reply); PruneEvery how often older ones are deleted. Defaults 7 days and 1 hour.
	Retention  time.Duration
	PruneEvery time.Duration
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.Provider == "" {
		c.Provider = DefaultProvider
	}
	if c.Platform == "" {
		c.Platform = DefaultPlatform
	}
	if len(c.Providers) == 0 {
		c.Providers = []ProviderRef{{Name: c.Provider, Platform: c.Platform}}
	}
	ps := make([]ProviderRef, len(c.Providers))
	for i, p := range c.Providers {
		if p.Platform == "" {
			p.Platform = DefaultPlatform
		}
		ps[i] = p
	}
	c.Providers = ps
	if c.Ranker == nil {
		c.Ranker = listRanker(ps)
	}
	if c.usage == nil {
		c.usage = &usage{}
	}
	if c.CommandTimeout == 0 {
		c.CommandTimeout = DefaultCommandTimeout
	}
	if c.CallbackTimeout == 0 {
		c.CallbackTimeout = DefaultCallbackTimeout
	}
	if c.TimerPoll == 0 {
		c.TimerPoll = DefaultTimerPoll
	}
	if c.Retention == 0 {
		c.Retention = DefaultRetention
	}
	if c.PruneEvery == 0 {
		c.PruneEvery = DefaultPruneEvery
	}
	return c
}

// Validate reports every problem of c (after defaults), joined, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if err := esb.ValidateToken(c.Provider); err != nil {
		bad("provider %q: %v", c.Provider, err)
	}
	if err := esb.ValidateToken(string(c.Platform)); err != nil {
		bad("platform %q: %v", c.Platform, err)
	}
	seen := map[string]bool{}
	for _, p := range c.Providers {
		if err := esb.ValidateToken(p.Name); err != nil {
			bad("provider %q: %v", p.Name, err)
		}
		if err := esb.ValidateToken(string(p.Platform)); err != nil {
			bad("platform %q of provider %q: %v", p.Platform, p.Name, err)
		}
		if seen[p.Name] {
			bad("provider %q listed twice", p.Name)
		}
		seen[p.Name] = true
	}
	if c.CommandTimeout < 0 {
		bad("command timeout %v is negative", c.CommandTimeout)
	}
	if c.CallbackTimeout < 0 {
		bad("callback timeout %v is negative", c.CallbackTimeout)
	}
	if c.TimerPoll < 0 {
		bad("timer poll %v is negative", c.TimerPoll)
	}
	if c.Retention < 0 {
		bad("retention %v is negative", c.Retention)
	}
	if c.PruneEvery < 0 {
		bad("prune period %v is negative", c.PruneEvery)
	}
	if err := c.planOptions("").Validate(); err != nil {
		bad("plan options: %v", err)
	}
	return errors.Join(errs...)
}

// ProviderRef names a provider of the catalogue and its platform (the kind of cloud, which the broker
// looks connectors up by).
type ProviderRef struct {
	Name     string
	Platform connectors.Platform
	// Endpoint, when known, is the endpoint of the provider's service the deployment uses (the API's
	// cloudProviderEndpoint.cpEndpoint).
	Endpoint string
}

// platformOf returns the platform of a provider (the default one for a provider not listed).
func (c Config) platformOf(name string) connectors.Platform {
	for _, p := range c.Providers {
		if p.Name == name {
			return p.Platform
		}
	}
	return c.Platform
}

// platformFor returns the platform a deployment's commands go to: the one chosen with its provider
// (its deployment type), else the provider's platform.
func (s *Service) platformFor(d *store.Deployment) connectors.Platform {
	if t := d.Provider.DeploymentType; t != "" {
		return connectors.Platform(strings.ToLower(t))
	}
	return s.cfg.platformOf(d.Provider.Name)
}

// planOptions are the translator's options for a plan whose process is processID.
func (c Config) planOptions(processID string) tosca2bpmn.Options {
	return tosca2bpmn.Options{CheckPeriod: c.CheckPeriod, Timeout: c.UnitTimeout, Retries: c.Retries, ProcessID: processID}
}

// Clock gives the service its time: rows are stamped, command deadlines computed and timers fired by
// it, so tests drive time without sleeping. esb.SystemClock fits.
type Clock interface {
	Now() time.Time
	// After delivers once d has passed, like time.After.
	After(d time.Duration) <-chan time.Time
}

// Deps are what a Service works with. Store and Bus are required; Clock defaults to the wall clock and
// Logger to one that discards.
type Deps struct {
	Store  *store.Store
	Bus    *esb.Bus
	Clock  Clock
	Logger *slog.Logger
}
