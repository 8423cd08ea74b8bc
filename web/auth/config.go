package auth

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Defaults of Config.
const (
	DefaultLeeway          = 30 * time.Second
	DefaultKeysTTL         = time.Hour
	DefaultMaxKeysAge      = 24 * time.Hour
	DefaultRefreshInterval = 10 * time.Second
	DefaultGroupsClaim     = "groups"
	// MaxLeeway bounds Config.Leeway: clock skew is seconds, not a way to accept expired tokens.
	MaxLeeway = 5 * time.Minute
)

// Config is the authentication configuration: the trusted issuers and how their keys are cached.
// In YAML, durations are written like "30s"; in JSON they are nanoseconds.
type Config struct {
	// Issuers are the trusted OpenID Connect providers; a token from any other is refused.
	Issuers []IssuerConfig `yaml:"issuers" json:"issuers"`
	// Leeway is the clock skew tolerated on exp, nbf and iat; 0 means DefaultLeeway, at most MaxLeeway.
	Leeway time.Duration `yaml:"leeway,omitempty" json:"leeway,omitempty"`
	// KeysTTL is how long a fetched key set is used before it is fetched again; 0 means DefaultKeysTTL.
	// Past it, a key set whose refresh fails is still used (logged) until MaxKeysAge.
	KeysTTL time.Duration `yaml:"keysTTL,omitempty" json:"keysTTL,omitempty"`
	// MaxKeysAge is how long a fetched key set may be used at all, at least KeysTTL; 0 means
	// DefaultMaxKeysAge. When an issuer stays unreachable that long, its keys are dropped and its
	// tokens are refused as ErrIssuerUnavailable (503) until its keys can be fetched again: a key the
	// provider has revoked meanwhile must not be trusted forever.
	MaxKeysAge time.Duration `yaml:"maxKeysAge,omitempty" json:"maxKeysAge,omitempty"`
	// RefreshInterval is the least time between two fetches from one issuer (on an unknown key id,
	// or after a failure); 0 means DefaultRefreshInterval.
	RefreshInterval time.Duration `yaml:"refreshInterval,omitempty" json:"refreshInterval,omitempty"`
	// OpenMetrics serves GET /metrics without a token, for a Prometheus that scrapes anonymously; false
	// (the default) protects it like every other route. The metrics count deployments by status and
	// requests by route, never a deployment's id or owner.
	OpenMetrics bool `yaml:"openMetrics,omitempty" json:"openMetrics,omitempty"`
}

// IssuerConfig is one trusted OpenID Connect provider.
type IssuerConfig struct {
	// Issuer is the issuer identifier URL, exactly as the tokens' iss claim and the discovery
	// document's issuer spell it (https, or http on a loopback host for tests and local providers).
	Issuer string `yaml:"issuer" json:"issuer"`
	// Audience must be one of the token's aud values: the identifier of this API at the provider.
	Audience string `yaml:"audience" json:"audience"`
	// AdminGroup, when set, makes a member of it an administrator (Principal.Admin).
	AdminGroup string `yaml:"adminGroup,omitempty" json:"adminGroup,omitempty"`
	// GroupsClaim names the claim holding the user's groups (a string array, or one string); a dotted
	// name ("realm_access.roles") walks nested objects when no top-level claim has that name. Empty
	// means DefaultGroupsClaim.
	GroupsClaim string `yaml:"groupsClaim,omitempty" json:"groupsClaim,omitempty"`
	// ClientID is the public client id the dashboard signs in with (authorization code flow with
	// PKCE); optional, the verifier does not use it.
	ClientID string `yaml:"clientID,omitempty" json:"clientID,omitempty"`
	// Scopes are what the dashboard asks for when it signs in; empty means DefaultScopes. The
	// verifier does not use them.
	Scopes []string `yaml:"scopes,omitempty" json:"scopes,omitempty"`
}

// DefaultScopes are IssuerConfig.Scopes when none are configured: an OpenID Connect sign-in with the
// user's name and email (OpenID Connect Core 1.0, 5.4).
var DefaultScopes = []string{"openid", "profile", "email"}

// Validate reports every problem of c, joined; each wraps ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if len(c.Issuers) == 0 {
		bad("no issuer configured")
	}
	if c.Leeway < 0 || c.Leeway > MaxLeeway {
		bad("leeway %s outside [0, %s]", c.Leeway, MaxLeeway)
	}
	if c.KeysTTL < 0 {
		bad("negative keysTTL %s", c.KeysTTL)
	}
	if c.MaxKeysAge < 0 {
		bad("negative maxKeysAge %s", c.MaxKeysAge)
	} else if ttl, age := cmp.Or(c.KeysTTL, DefaultKeysTTL), cmp.Or(c.MaxKeysAge, DefaultMaxKeysAge); c.KeysTTL >= 0 && age < ttl {
		bad("maxKeysAge %s shorter than keysTTL %s", age, ttl)
	}
	if c.RefreshInterval < 0 {
		bad("negative refreshInterval %s", c.RefreshInterval)
	}
	seen := map[string]bool{}
	for i, ic := range c.Issuers {
		if ic.Issuer == "" {
			bad("issuers[%d]: no issuer URL", i)
		} else if err := checkIssuerURL(ic.Issuer); err != nil {
			bad("issuers[%d]: issuer %q: %w", i, ic.Issuer, err)
		}
		if seen[ic.Issuer] && ic.Issuer != "" {
			bad("issuers[%d]: issuer %q configured twice", i, ic.Issuer)
		}
		seen[ic.Issuer] = true
		if strings.TrimSpace(ic.Audience) == "" {
			bad("issuers[%d] (%s): no audience (without one, tokens issued to any client would be accepted)", i, ic.Issuer)
		}
	}
	return errors.Join(errs...)
}

// withDefaults fills the zero values of c.
func (c Config) withDefaults() Config {
	if c.Leeway == 0 {
		c.Leeway = DefaultLeeway
	}
	if c.KeysTTL == 0 {
		c.KeysTTL = DefaultKeysTTL
	}
	if c.MaxKeysAge == 0 {
		c.MaxKeysAge = DefaultMaxKeysAge
	}
	if c.RefreshInterval == 0 {
		c.RefreshInterval = DefaultRefreshInterval
	}
	issuers := make([]IssuerConfig, len(c.Issuers))
	for i, ic := range c.Issuers {
		if ic.GroupsClaim == "" {
			ic.GroupsClaim = DefaultGroupsClaim
		}
		if len(ic.Scopes) == 0 {
			ic.Scopes = slices.Clone(DefaultScopes)
		}
		issuers[i] = ic
	}
	c.Issuers = issuers
	return c
}

// checkIssuerURL accepts an absolute https URL without query or fragment (OpenID Connect Core 1.0,
// 2: "iss"), or an http one on a loopback host: plain http elsewhere would let anyone on the path
// replace the keys.
func checkIssuerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("not an absolute URL without query, fragment or user")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("http is allowed on a loopback host only")
	default:
		return fmt.Errorf("scheme %q is not https", u.Scheme)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// LoadConfig reads a YAML configuration file strictly (an unknown field is an error, since a
// misspelt "audience" must not silently accept every audience) and validates it.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read authentication configuration: %w", err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, path, err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
