package registry_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
)

type fake struct {
	platform connectors.Platform
	services []connectors.Service
}

func (f *fake) Platform() connectors.Platform  { return f.platform }
func (f *fake) Services() []connectors.Service { return f.services }

func TestRegisterAndLookup(t *testing.T) {
	s := registry.NewServices()
	k8s := &fake{platform: connectors.PlatformKubernetes}
	os := &fake{platform: connectors.PlatformOpenStack}
	require.NoError(t, s.Register(connectors.ServiceContainerCluster, connectors.PlatformKubernetes, k8s))
	require.NoError(t, s.Register(connectors.ServiceCompute, connectors.PlatformOpenStack, os))
	require.NoError(t, s.Register(connectors.ServiceContainerCluster, connectors.PlatformOpenStack, os))

	c, err := s.Lookup(connectors.ServiceContainerCluster, connectors.PlatformKubernetes)
	require.NoError(t, err)
	assert.Same(t, k8s, c)
	c, err = s.Lookup(connectors.ServiceCompute, connectors.PlatformOpenStack)
	require.NoError(t, err)
	assert.Same(t, os, c)

	_, err = s.Lookup(connectors.ServiceCompute, connectors.PlatformKubernetes)
	assert.ErrorIs(t, err, registry.ErrNotRegistered)
	assert.Contains(t, err.Error(), `"compute"`)
	assert.Contains(t, err.Error(), `"kubernetes"`)

	err = s.Register(connectors.ServiceContainerCluster, connectors.PlatformKubernetes, os)
	var dup *registry.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, registry.DuplicateError{Service: connectors.ServiceContainerCluster, Platform: connectors.PlatformKubernetes}, *dup)
	c, _ = s.Lookup(connectors.ServiceContainerCluster, connectors.PlatformKubernetes)
	assert.Same(t, k8s, c, "a duplicate replaces nothing")

	assert.Error(t, s.Register("", connectors.PlatformSim, os))
	assert.Error(t, s.Register(connectors.ServiceCompute, "", os))
	assert.Error(t, s.Register(connectors.ServiceCompute, connectors.PlatformSim, nil))

	assert.Equal(t, []connectors.Platform{connectors.PlatformKubernetes, connectors.PlatformOpenStack},
		s.Platforms(connectors.ServiceContainerCluster))
	var listed []string
	for _, e := range s.List() {
		listed = append(listed, fmt.Sprintf("%s/%s", e.Platform, e.Service))
	}
	assert.Equal(t, []string{"kubernetes/container-cluster", "openstack/compute", "openstack/container-cluster"}, listed)
}

func TestAnnounceIsAllOrNothing(t *testing.T) {
	var s registry.Services // the zero value is ready
	first := &fake{platform: connectors.PlatformSim, services: []connectors.Service{connectors.ServiceCompute, connectors.ServiceNetwork}}
	require.NoError(t, s.Announce(first))
	second := &fake{platform: connectors.PlatformSim, services: []connectors.Service{connectors.ServiceSoftware, connectors.ServiceNetwork}}
	err := s.Announce(second)
	var dup *registry.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, connectors.ServiceNetwork, dup.Service)
	_, err = s.Lookup(connectors.ServiceSoftware, connectors.PlatformSim)
	assert.ErrorIs(t, err, registry.ErrNotRegistered, "a failed announcement registers nothing")
	assert.Len(t, s.List(), 2)

	assert.Error(t, s.Announce(&fake{platform: connectors.PlatformSim}), "a connector with no service")
	assert.Error(t, s.Announce(nil))
	assert.Panics(t, func() { s.MustAnnounce(first) })
}

func TestConcurrentRegistration(t *testing.T) {
	s := registry.NewServices()
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, 2*n)
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each platform is registered twice: exactly one of the two wins.
			p := connectors.Platform(fmt.Sprint("p", i%n))
			errs[i] = s.Register(connectors.ServiceCompute, p, &fake{platform: p})
			_, _ = s.Lookup(connectors.ServiceCompute, p)
			_ = s.List()
		}()
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	assert.Equal(t, n, failed)
	assert.Len(t, s.List(), n)
}
