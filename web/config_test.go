package web

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWarnRemote(t *testing.T) {
	tests := []struct {
		cfg  Config
		warn bool
	}{
		{Config{Addr: "0.0.0.0:8080", AllowRemote: true}, true},
		{Config{Addr: "127.0.0.1:8080", AllowRemote: true}, false},
		{Config{Addr: "127.0.0.1:8080"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.cfg.Addr, func(t *testing.T) {
			var buf bytes.Buffer
			warnRemote(slog.New(slog.NewTextHandler(&buf, nil)), tc.cfg)
			if tc.warn {
				assert.Contains(t, buf.String(), "without authentication on a non-loopback address")
			} else {
				assert.Empty(t, buf.String())
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	assert.NoError(t, Config{}.Validate(), "a handler without a listen address")
	err := Config{MaxBodyBytes: -1, ShutdownTimeout: -1, Addr: ":80"}.Validate()
	assert.ErrorIs(t, err, ErrInvalidConfig)
	for _, want := range []string{"negative body limit", "negative shutdown timeout", "not loopback"} {
		assert.ErrorContains(t, err, want)
	}
}
