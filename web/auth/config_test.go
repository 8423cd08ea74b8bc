package auth_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
)

func TestConfigValidate(t *testing.T) {
	ok := auth.IssuerConfig{Issuer: "https://iam.example.org/", Audience: "toscaflow"}
	cases := []struct {
		name string
		cfg  auth.Config
		want []string // substrings, one per problem
	}{
		{"valid", auth.Config{Issuers: []auth.IssuerConfig{ok}}, nil},
		{"loopback http", auth.Config{Issuers: []auth.IssuerConfig{{Issuer: "http://127.0.0.1:8080", Audience: "a"}}}, nil},
		{"localhost http", auth.Config{Issuers: []auth.IssuerConfig{{Issuer: "http://localhost:8080/realms/x", Audience: "a"}}}, nil},
		{"no issuer", auth.Config{}, []string{"no issuer configured"}},
		{"keys kept longer than used", auth.Config{Issuers: []auth.IssuerConfig{ok}, KeysTTL: 2 * time.Hour, MaxKeysAge: time.Hour},
			[]string{"maxKeysAge 1h0m0s shorter than keysTTL 2h0m0s"}},
		{"default max age below a long TTL", auth.Config{Issuers: []auth.IssuerConfig{ok}, KeysTTL: 48 * time.Hour},
			[]string{"maxKeysAge 24h0m0s shorter than keysTTL 48h0m0s"}},
		{"max age equal to the TTL", auth.Config{Issuers: []auth.IssuerConfig{ok}, KeysTTL: time.Hour, MaxKeysAge: time.Hour}, nil},
		{"every problem at once", auth.Config{
			Issuers: []auth.IssuerConfig{
				{Issuer: "http://iam.example.org", Audience: "a"},
				{Issuer: "", Audience: ""},
				{Issuer: "https://iam.example.org/?x=1", Audience: "a"},
				{Issuer: "ftp://iam.example.org", Audience: "a"},
				ok, ok,
			},
			Leeway: time.Hour, KeysTTL: -1, RefreshInterval: -1, MaxKeysAge: -1,
		}, []string{
			"leeway 1h0m0s outside", "negative keysTTL", "negative refreshInterval", "negative maxKeysAge",
			"issuers[0]: issuer \"http://iam.example.org\": http is allowed on a loopback host only",
			"issuers[1]: no issuer URL", "issuers[1] (): no audience",
			"issuers[2]: issuer \"https://iam.example.org/?x=1\": not an absolute URL",
			"issuers[3]: issuer \"ftp://iam.example.org\": scheme \"ftp\" is not https",
			"issuers[5]: issuer \"https://iam.example.org/\" configured twice",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, auth.ErrInvalidConfig)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), len(tc.want))
		})
	}
}

func TestLoadConfig(t *testing.T) {
	cfg, err := auth.LoadConfig(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	assert.Equal(t, auth.Config{
		Issuers: []auth.IssuerConfig{
			{Issuer: "https://iam.example.org/", Audience: "toscaflow", AdminGroup: "admins", ClientID: "toscaflow-dashboard"},
			{Issuer: "https://keycloak.example.org/realms/cloud", Audience: "toscaflow-api", GroupsClaim: "realm_access.roles",
				Scopes: []string{"openid", "profile", "email", "roles"}},
		},
		Leeway:          10 * time.Second,
		RefreshInterval: 30 * time.Second,
		MaxKeysAge:      12 * time.Hour,
	}, cfg)

	dir := t.TempDir()
	cases := []struct{ name, text, want string }{
		{"unknown field", "issuers:\n  - issuer: https://a.example.org\n    audiance: x\n", "field audiance not found"},
		{"invalid", "issuers: []\n", "no issuer configured"},
		{"not YAML", "issuers: [\n", "invalid authentication configuration"},
		{"empty", "", "no issuer configured"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o600))
			_, err := auth.LoadConfig(path)
			require.ErrorIs(t, err, auth.ErrInvalidConfig)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("openMetrics", func(t *testing.T) {
		path := filepath.Join(dir, "open.yaml")
		text := "issuers:\n  - issuer: https://a.example.org\n    audience: x\nopenMetrics: true\n"
		require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
		cfg, err := auth.LoadConfig(path)
		require.NoError(t, err)
		assert.True(t, cfg.OpenMetrics)
		v, err := auth.New(t.Context(), cfg, auth.Options{})
		require.NoError(t, err)
		assert.True(t, v.OpenMetrics(), "the verifier tells package web to leave /metrics open")
	})
	_, err = auth.LoadConfig(filepath.Join(dir, "missing.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestNewRefusesInvalidConfig(t *testing.T) {
	_, err := auth.New(t.Context(), auth.Config{}, auth.Options{})
	require.ErrorIs(t, err, auth.ErrInvalidConfig)
}
