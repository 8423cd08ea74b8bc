package esb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

func TestConformanceGoChannel(t *testing.T) {
	esbtest.Run(t, esbtest.Features{}, func(t *testing.T, cfg esb.Config) *esb.Bus {
		cfg.URL = ""
		b, err := esb.New(cfg, nil)
		require.NoError(t, err)
		return b
	})
}

func TestConformanceNATS(t *testing.T) {
	url := esbtest.StartNATS(t)
	esbtest.Run(t, esbtest.Features{Durable: true, SharedGroups: true, Ordered: true},
		func(t *testing.T, cfg esb.Config) *esb.Bus {
			cfg.URL = url
			b, err := esb.New(cfg, nil)
			require.NoError(t, err)
			return b
		})
}
