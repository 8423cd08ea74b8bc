package broker_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/registry"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      broker.Config
		problems int
	}{
		{"zero value", broker.Config{}, 0},
		{"explicit services", broker.Config{Services: []string{"cloud", "container-cluster"}}, 0},
		{"invalid service type", broker.Config{Services: []string{"cloud compute"}}, 1},
		{"service listed twice", broker.Config{Services: []string{"cloud", "cloud"}}, 1},
		{"negative durations", broker.Config{DefaultTimeout: -time.Second, DrainTimeout: -time.Second}, 2},
		{"every problem", broker.Config{Services: []string{"", "software", "software"}, DrainTimeout: -1}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.problems == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, broker.ErrInvalidConfig)
			var joined interface{ Unwrap() []error }
			require.True(t, errors.As(err, &joined))
			require.Len(t, joined.Unwrap(), tc.problems, "%v", err)
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := broker.Config{}.WithDefaults()
	require.Equal(t, broker.DefaultTimeout, c.DefaultTimeout)
	require.Equal(t, broker.DefaultDrainTimeout, c.DrainTimeout)
	require.NotNil(t, c.Clock)
	require.NotNil(t, c.Metrics)
	c = broker.Config{DefaultTimeout: time.Second, DrainTimeout: time.Minute}.WithDefaults()
	require.Equal(t, time.Second, c.DefaultTimeout)
	require.Equal(t, time.Minute, c.DrainTimeout)
}

func TestNewRejectsWhatIsMissing(t *testing.T) {
	bus, err := esb.New(esb.Config{}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bus.Close() })
	reg := registry.NewServices()

	_, err = broker.New(broker.Config{}, nil, nil, nil)
	require.ErrorIs(t, err, broker.ErrInvalidConfig)
	require.ErrorContains(t, err, "no bus")
	require.ErrorContains(t, err, "no registry")
	_, err = broker.New(broker.Config{DrainTimeout: -1}, bus, reg, nil)
	require.ErrorIs(t, err, broker.ErrInvalidConfig)
	b, err := broker.New(broker.Config{}, bus, reg, nil)
	require.NoError(t, err)
	require.ErrorIs(t, b.Run(t.Context()), broker.ErrNoServices, "an empty registry gives nothing to consume")
	require.ErrorIs(t, b.Run(t.Context()), broker.ErrAlreadyRun)
}

func TestServicesFromTheRegistry(t *testing.T) {
	bus, err := esb.New(esb.Config{}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bus.Close() })
	cloud, err := sim.New(t.Context(), sim.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = cloud.Close() })
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(cloud))

	b, err := broker.New(broker.Config{}, bus, reg, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"cloud", "container-cluster", "software"}, b.Services(),
		"the kinds of cloud resources are consumed under cloud, as the plans send them")

	b, err = broker.New(broker.Config{Services: []string{"software", "cloud"}}, bus, reg, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"cloud", "software"}, b.Services())

	only := registry.NewServices()
	require.NoError(t, only.Register(connectors.ServiceCompute, connectors.PlatformSim, cloud))
	b, err = broker.New(broker.Config{}, bus, only, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"cloud"}, b.Services())
}

func TestRunFailsOnATopicAlreadyHandled(t *testing.T) {
	bus, err := esb.New(esb.Config{}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bus.Close() })
	cloud, err := sim.New(t.Context(), sim.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = cloud.Close() })
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(cloud))

	first, err := broker.New(broker.Config{Services: []string{"software"}}, bus, reg, nil)
	require.NoError(t, err)
	ctx, cancel := contextWithCancel(t)
	done := make(chan error, 1)
	go func() { done <- first.Run(ctx) }()
	wait(t, first.Ready(), "first broker ready")

	second, err := broker.New(broker.Config{Services: []string{"software"}}, bus, reg, nil)
	require.NoError(t, err)
	require.ErrorIs(t, second.Run(t.Context()), esb.ErrDuplicateHandler)
	cancel()
	require.NoError(t, <-done)
}
