package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/auth"
)

// loadAuth reads --auth-config and makes the verifier of bearer tokens; no file means authentication is
// off (a nil Authenticator, not a nil *auth.Verifier in an interface).
func loadAuth(ctx context.Context, path string, log *slog.Logger) (web.Authenticator, error) {
	if path == "" {
		return nil, nil
	}
	cfg, err := auth.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	v, err := auth.New(ctx, cfg, auth.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("authentication: %w", err)
	}
	return v, nil
}

// invalidConfig tells whether serve failed on a configuration file that is wrong (exit code exitInvalid)
// rather than on the command line or the machine (exitUsage).
func invalidConfig(err error) bool {
	return errors.Is(err, auth.ErrInvalidConfig) || errors.Is(err, registry.ErrInvalidCatalogue)
}
