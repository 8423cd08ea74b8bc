package registry

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrNotRegistered is wrapped by Lookup when no connector serves a service on a platform.
var ErrNotRegistered = errors.New("no connector registered")

// DuplicateError reports a second registration of the same service on the same platform.
type DuplicateError struct {
	Service  connectors.Service
	Platform connectors.Platform
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("service %q on platform %q is already registered", e.Service, e.Platform)
}

// Entry is one registration: a connector serving a service on a platform.
type Entry struct {
	Service   connectors.Service
	Platform  connectors.Platform
	Connector connectors.Connector
}

type key struct {
	service  connectors.Service
	platform connectors.Platform
}

// Services is the service registry. Its zero value is empty and ready; it is safe for concurrent use.
type Services struct {
	mu sync.RWMutex
	m  map[key]connectors.Connector
}

// NewServices returns an empty service registry.
func NewServices() *Services { return &Services{} }

// Register files c as the connector of service on platform. A service or platform that is empty, a nil
// connector, or a pair already registered (a *DuplicateError) is an error and changes nothing.
func (s *Services) Register(service connectors.Service, platform connectors.Platform, c connectors.Connector) error {
	if service == "" || platform == "" || c == nil {
		return fmt.Errorf("register service %q on platform %q: service, platform and connector are required", service, platform)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key{service, platform}
	if _, ok := s.m[k]; ok {
		return &DuplicateError{Service: service, Platform: platform}
	}
	if s.m == nil {
		s.m = map[key]connectors.Connector{}
	}
	s.m[k] = c
	return nil
}

// Announce registers c for every service it implements (c.Services()) on its platform: all of them, or none
// when one is already registered (the error lists every duplicate).
func (s *Services) Announce(c connectors.Connector) error {
	if c == nil {
		return errors.New("announce: connector is nil")
	}
	p := c.Platform()
	svcs := c.Services()
	if p == "" || len(svcs) == 0 {
		return fmt.Errorf("announce connector of platform %q: it names no platform or no service", p)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, svc := range svcs {
		if _, ok := s.m[key{svc, p}]; ok {
			errs = append(errs, &DuplicateError{Service: svc, Platform: p})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if s.m == nil {
		s.m = map[key]connectors.Connector{}
	}
	for _, svc := range svcs {
		s.m[key{svc, p}] = c
	}
	return nil
}

// MustAnnounce is Announce that panics on an error, for registration at start-up in one place.
func (s *Services) MustAnnounce(c connectors.Connector) {
	if err := s.Announce(c); err != nil {
		panic(err)
	}
}

// Lookup returns the connector that serves service on platform, or an error wrapping ErrNotRegistered.
func (s *Services) Lookup(service connectors.Service, platform connectors.Platform) (connectors.Connector, error) {
	s.mu.RLock()
	c, ok := s.m[key{service, platform}]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("lookup service %q on platform %q: %w", service, platform, ErrNotRegistered)
	}
	return c, nil
}

// Platforms returns the platforms on which service is served, sorted.
func (s *Services) Platforms(service connectors.Service) []connectors.Platform {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []connectors.Platform
	for k := range s.m {
		if k.service == service {
			out = append(out, k.platform)
		}
	}
	slices.Sort(out)
	return out
}

// List returns every registration, sorted by platform then service.
func (s *Services) List() []Entry {
	s.mu.RLock()
	out := make([]Entry, 0, len(s.m))
	for k, c := range s.m {
		out = append(out, Entry{Service: k.service, Platform: k.platform, Connector: c})
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.Service, b.Service))
	})
	return out
}
