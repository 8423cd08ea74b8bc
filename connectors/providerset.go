package connectors

import (
	"errors"
	"fmt"
)

// Named is a connector of one named provider (a catalogue entry).
type Named interface {
	Provider() string
}

// ProviderSet holds the connectors of several providers of one platform. The registry keeps one
// connector per platform, so a platform's connector routes each request to the provider its
// Request.Provider names (the first one when empty) through a ProviderSet.
type ProviderSet[C Named] struct {
	all     []C
	byName  map[string]C
	unknown error
}

// NewProviderSet routes between conns, whose provider names must be distinct. unknown is the error a
// request naming another provider wraps (each platform has its own sentinel).
func NewProviderSet[C Named](unknown error, conns ...C) (*ProviderSet[C], error) {
	if len(conns) == 0 {
		return nil, errors.New("no provider")
	}
	s := &ProviderSet[C]{byName: make(map[string]C, len(conns)), unknown: unknown}
	for _, c := range conns {
		if _, dup := s.byName[c.Provider()]; dup {
			return nil, fmt.Errorf("provider %q is configured twice", c.Provider())
		}
		s.all = append(s.all, c)
		s.byName[c.Provider()] = c
	}
	return s, nil
}

// All are the connectors, in the order given.
func (s *ProviderSet[C]) All() []C { return s.all }

// Get returns the connector of a provider.
func (s *ProviderSet[C]) Get(name string) (C, bool) {
	c, ok := s.byName[name]
	return c, ok
}

// Named returns the connector of provider (the first one when empty), or an error wrapping the set's
// unknown-provider error.
func (s *ProviderSet[C]) Named(provider string) (C, error) {
	if provider == "" {
		return s.all[0], nil
	}
	if c, ok := s.byName[provider]; ok {
		return c, nil
	}
	var zero C
	return zero, fmt.Errorf("provider %q: %w", provider, s.unknown)
}

// Pick returns the connector of the request's provider; a provider the set lacks is a permanent error.
func (s *ProviderSet[C]) Pick(req Request) (C, error) {
	c, err := s.Named(req.Provider)
	if err != nil {
		return c, Permanent(fmt.Errorf("unit %q of deployment %q: %w", req.Unit.ID, req.Deployment, err))
	}
	return c, nil
}

// Route calls call on the connector of the request's provider.
func Route[C Named, T any](s *ProviderSet[C], req Request, call func(C) (T, error)) (T, error) {
	c, err := s.Pick(req)
	if err != nil {
		var zero T
		return zero, err
	}
	return call(c)
}
