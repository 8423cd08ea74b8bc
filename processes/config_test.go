package processes_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/processes"
)

func TestConfigDefaults(t *testing.T) {
	c := processes.Config{}.WithDefaults()
	assert.Equal(t, "sim", c.Provider)
	assert.Equal(t, connectors.PlatformSim, c.Platform)
	assert.Equal(t, processes.DefaultCommandTimeout, c.CommandTimeout)
	assert.Equal(t, processes.DefaultCallbackTimeout, c.CallbackTimeout)
	assert.Equal(t, processes.DefaultTimerPoll, c.TimerPoll)
	require.NoError(t, processes.Config{}.Validate())
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  processes.Config
		want []string
	}{
		{"bad provider name", processes.Config{Provider: "a b"}, []string{"provider"}},
		{"negative durations", processes.Config{CommandTimeout: -1, CallbackTimeout: -time.Second, TimerPoll: -1,
			Retention: -1, PruneEvery: -1},
			[]string{"command timeout", "callback timeout", "timer poll", "retention", "prune period"}},
		{"check period not shorter than the unit timeout", processes.Config{CheckPeriod: time.Minute, UnitTimeout: time.Minute},
			[]string{"check period"}},
		{"every problem at once", processes.Config{Platform: "x/y", CommandTimeout: -1}, []string{"platform", "command timeout"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			require.ErrorIs(t, err, processes.ErrInvalidConfig)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestNewNeedsStoreAndBus(t *testing.T) {
	_, err := processes.New(processes.Config{}, processes.Deps{})
	require.ErrorIs(t, err, processes.ErrInvalidConfig)
	assert.Contains(t, err.Error(), "no store")
	assert.Contains(t, err.Error(), "no bus")
}
