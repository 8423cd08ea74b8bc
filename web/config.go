package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/toscaflow/toscaflow/processes/store"
)

// Defaults of the request limits (Config).
const (
	// DefaultMaxBodyBytes limits request bodies when Config.MaxBodyBytes is 0 (templates are YAML text).
	DefaultMaxBodyBytes = 4 << 20
	// DefaultMaxTemplateBytes limits the template of a request when Config.MaxTemplateBytes is 0.
	DefaultMaxTemplateBytes = 1 << 20
	// DefaultMaxNodeTemplates limits the node templates of a template when Config.MaxNodeTemplates is 0.
	DefaultMaxNodeTemplates = 500
	// DefaultMaxInFlight bounds the POST and PUT requests served at once when Config.MaxInFlight is 0.
	DefaultMaxInFlight = 16
)

// ErrInvalidConfig is wrapped by every problem Config.Validate finds.
var ErrInvalidConfig = errors.New("invalid web configuration")

// Config is the configuration of the HTTP API.
type Config struct {
	// Addr is the listen address (host:port) of Server.Run; without Auth it must be a loopback address
	// unless AllowRemote is set.
	Addr string
	// AllowRemote allows a non-loopback Addr without authentication (logged as a warning); with Auth
	// any address is allowed.
	AllowRemote bool
	// MaxBodyBytes limits request bodies (413 beyond); 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxTemplateBytes limits the template of a POST, a PUT or /templates/* (413 beyond); 0 means
	// DefaultMaxTemplateBytes.
	MaxTemplateBytes int64
	// MaxNodeTemplates limits the node templates of a template (413 beyond); 0 means
	// DefaultMaxNodeTemplates.
	MaxNodeTemplates int
	// MaxInFlight bounds the POST and PUT requests served at once (429 with Retry-After beyond); 0
	// means DefaultMaxInFlight.
	MaxInFlight int
	// Auth verifies the bearer tokens (an *auth.Verifier); nil turns authentication off: every
	// request then acts as LocalUser, and Addr must be loopback unless AllowRemote.
	Auth Authenticator
	// LocalUser is who every request acts as while authentication is off.
	LocalUser store.Owner
	// Info is served by GET /info (build information).
	Info map[string]string
	// Configuration is served by GET /configuration: the service endpoints in use, as a flat string map.
	Configuration map[string]string
	// RetryAfter is the Retry-After of a 409 (the deployment is busy in another operation) and of a 503;
	// 0 means 10s.
	RetryAfter time.Duration
	// ShutdownTimeout bounds the graceful shutdown of Server.Run; 0 means 10s.
	ShutdownTimeout time.Duration
}

// Validate reports every problem of c, joined.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("%w: negative body limit %d", ErrInvalidConfig, c.MaxBodyBytes))
	}
	if c.MaxTemplateBytes < 0 || c.MaxNodeTemplates < 0 || c.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("%w: negative request limit", ErrInvalidConfig))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("%w: negative shutdown timeout %s", ErrInvalidConfig, c.ShutdownTimeout))
	}
	if c.Addr != "" {
		if err := checkListenAddr(c.Addr, c.AllowRemote || c.Auth != nil); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxTemplateBytes == 0 {
		c.MaxTemplateBytes = DefaultMaxTemplateBytes
	}
	if c.MaxNodeTemplates == 0 {
		c.MaxNodeTemplates = DefaultMaxNodeTemplates
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.LocalUser == (store.Owner{}) {
		c.LocalUser = store.Owner{Issuer: "local", Subject: "local"}
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if c.RetryAfter <= 0 {
		c.RetryAfter = 10 * time.Second
	}
	if c.Info == nil {
		c.Info = map[string]string{}
	}
	if c.Configuration == nil {
		c.Configuration = map[string]string{}
	}
	return c
}

// checkListenAddr refuses an address that is reachable from other hosts unless allowed: an empty
// host or an unspecified IP (0.0.0.0, ::) listens everywhere; a name other than localhost cannot be
// proven loopback.
func checkListenAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: listen address %q: %w", ErrInvalidConfig, addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: listen address %q is not loopback and authentication is off (allow it explicitly)",
		ErrInvalidConfig, addr)
}

// warnRemote logs once that the API is open to other hosts without authentication.
func warnRemote(log *slog.Logger, c Config) {
	if c.Auth == nil && c.AllowRemote && checkListenAddr(c.Addr, false) != nil {
		log.Warn("serving without authentication on a non-loopback address", "addr", c.Addr)
	}
}
