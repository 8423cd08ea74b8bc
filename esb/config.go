package esb

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config configures a Bus. The zero value (after defaults) is an in-process bus.
type Config struct {
	// URL selects the back-end: empty for the in-process GoChannel, "nats://host:port" for NATS JetStream.
	URL string
	// Prefix is the first token of every topic (see Topics); default DefaultPrefix.
	Prefix string
	// Group names the consumers: buses with the same group share the messages of a topic (each message goes to one
	// of them), buses with different groups each get every message. Default "workers".
	Group string
	// Concurrency bounds the handlers running at once per topic on this bus; default 8.
	Concurrency int
	// MaxRetries is how many times a handler is run again after a retryable error before the message is poisoned;
	// default 3 (0 means the default: set NoRetry for none).
	MaxRetries int
	// NoRetry disables the bus's retries (MaxRetries is then ignored).
	NoRetry bool
	// InitialBackoff, MaxBackoff and BackoffMultiplier shape the exponential wait between retries
	// (defaults 100ms, 10s, 2).
	InitialBackoff    time.Duration
	MaxBackoff        time.Duration
	BackoffMultiplier float64
	// DefaultTimeout bounds a handler whose command has no deadline, and every reply handler; default 10m.
	DefaultTimeout time.Duration
	// CloseTimeout is how long Close waits for in-flight handlers before canceling them; default 30s.
	CloseTimeout time.Duration
	// AckWait (NATS) is how long the server waits for an ack before it redelivers a message to another consumer.
	// A bus pulls a message only for a free handler and tells the server it is in progress every AckWait/3 until
	// the handler is done, so a message is redelivered only when its consumer died or lost the server for
	// AckWait: it is how soon a restarted or surviving server takes over the commands of one that was killed.
	// Shorter means a faster take-over but more in-progress traffic, and a redelivery (a second run of the
	// handler, which handlers tolerate) whenever a live bus cannot reach the server for that long. Default 5s,
	// at least MinAckWait.
	AckWait time.Duration
	// MaxDeliveries (NATS) is how many times a message may be delivered (redelivered after a consumer died or
	// gave it back) before it is poisoned instead of handled; default 10.
	MaxDeliveries int
	// MaxAckPending (NATS) bounds the messages of a topic delivered to a group and not yet acked, i.e. the
	// handlers running at once on a topic across every bus of the group (each bus pulls at most Concurrency):
	// keep it at least the group's buses times Concurrency. Default 256; at least Concurrency.
	MaxAckPending int
	// StreamMaxAge (NATS) bounds how long the stream keeps messages; default 7 days.
	StreamMaxAge time.Duration
	// DuplicateWindow (NATS) is how long the stream remembers message ids to drop a re-published command; default 2m.
	DuplicateWindow time.Duration
	// Clock gives the bus the time (deadlines, retry waits); default the wall clock.
	Clock Clock
}

// Defaults of Config.
const (
	DefaultGroup             = "workers"
	DefaultConcurrency       = 8
	DefaultMaxRetries        = 3
	DefaultInitialBackoff    = 100 * time.Millisecond
	DefaultMaxBackoff        = 10 * time.Second
	DefaultBackoffMultiplier = 2.0
	DefaultTimeout           = 10 * time.Minute
	DefaultCloseTimeout      = 30 * time.Second
	DefaultAckWait           = 5 * time.Second
	DefaultMaxAckPending     = 256
	DefaultMaxDeliveries     = 10
	DefaultStreamMaxAge      = 7 * 24 * time.Hour
	DefaultDuplicateWindow   = 2 * time.Minute
)

// MinAckWait is the shortest Config.AckWait: the in-progress heartbeat (every AckWait/3) must get through a
// busy machine's scheduling and garbage-collection pauses.
const MinAckWait = time.Second

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	c.Group = cmp.Or(c.Group, DefaultGroup)
	c.Concurrency = cmp.Or(c.Concurrency, DefaultConcurrency)
	c.MaxRetries = cmp.Or(c.MaxRetries, DefaultMaxRetries)
	if c.NoRetry {
		c.MaxRetries = 0
	}
	c.InitialBackoff = cmp.Or(c.InitialBackoff, DefaultInitialBackoff)
	c.MaxBackoff = cmp.Or(c.MaxBackoff, DefaultMaxBackoff)
	c.BackoffMultiplier = cmp.Or(c.BackoffMultiplier, DefaultBackoffMultiplier)
	c.DefaultTimeout = cmp.Or(c.DefaultTimeout, DefaultTimeout)
	c.CloseTimeout = cmp.Or(c.CloseTimeout, DefaultCloseTimeout)
	c.AckWait = cmp.Or(c.AckWait, DefaultAckWait)
	c.MaxDeliveries = cmp.Or(c.MaxDeliveries, DefaultMaxDeliveries)
	c.MaxAckPending = cmp.Or(c.MaxAckPending, DefaultMaxAckPending)
	c.StreamMaxAge = cmp.Or(c.StreamMaxAge, DefaultStreamMaxAge)
	c.DuplicateWindow = cmp.Or(c.DuplicateWindow, DefaultDuplicateWindow)
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	return c
}

// Validate reports every problem of c (after defaults), joined, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.URL != "" {
		u, err := url.Parse(c.URL)
		switch {
		case err != nil:
			bad("bus URL %q: %v", c.URL, err)
		case u.Scheme != "nats":
			bad("bus URL %q: scheme must be nats", c.URL)
		case u.Host == "":
			bad("bus URL %q: no host", c.URL)
		}
	}
	if err := ValidateToken(c.Prefix); err != nil {
		bad("prefix: %v", err)
	}
	if err := ValidateToken(c.Group); err != nil {
		bad("group: %v", err)
	}
	if c.Concurrency < 1 {
		bad("concurrency %d: must be at least 1", c.Concurrency)
	}
	if c.MaxDeliveries < 1 {
		bad("max deliveries %d: must be at least 1", c.MaxDeliveries)
	}
	if c.MaxAckPending < 1 {
		bad("max ack pending %d: must be at least 1", c.MaxAckPending)
	}
	if c.URL != "" && c.MaxAckPending < c.Concurrency {
		bad("max ack pending %d is below concurrency %d: the bus could never run that many handlers", c.MaxAckPending,
			c.Concurrency)
	}
	if c.AckWait > 0 && c.AckWait < MinAckWait {
		bad("ack wait %v: must be at least %v", c.AckWait, MinAckWait)
	}
	if c.MaxRetries < 0 {
		bad("max retries %d: must not be negative", c.MaxRetries)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"initial backoff", c.InitialBackoff}, {"max backoff", c.MaxBackoff}, {"default timeout", c.DefaultTimeout},
		{"close timeout", c.CloseTimeout}, {"ack wait", c.AckWait}, {"stream max age", c.StreamMaxAge},
		{"duplicate window", c.DuplicateWindow},
	} {
		if d.v <= 0 {
			bad("%s %v: must be positive", d.name, d.v)
		}
	}
	if c.MaxBackoff < c.InitialBackoff {
		bad("max backoff %v is below initial backoff %v", c.MaxBackoff, c.InitialBackoff)
	}
	if c.BackoffMultiplier < 1 {
		bad("backoff multiplier %v: must be at least 1", c.BackoffMultiplier)
	}
	if c.DuplicateWindow > c.StreamMaxAge {
		bad("duplicate window %v exceeds stream max age %v", c.DuplicateWindow, c.StreamMaxAge)
	}
	if c.Clock == nil {
		bad("no clock")
	}
	return errors.Join(errs...)
}
