package rest

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"plain", nil, "http://api.example:8080"},
		{"proxy", map[string]string{"X-Forwarded-Proto": "HTTPS", "X-Forwarded-Host": "paas.example, inner",
			"X-Forwarded-Prefix": "/orchestrator/"}, "https://paas.example/orchestrator"},
		{"bad scheme", map[string]string{"X-Forwarded-Proto": "gopher"}, "http://api.example:8080"},
		{"host with a path", map[string]string{"X-Forwarded-Host": "evil.example/x"}, "http://api.example:8080"},
		{"host with userinfo", map[string]string{"X-Forwarded-Host": "a@evil.example"}, "http://api.example:8080"},
		{"relative prefix", map[string]string{"X-Forwarded-Prefix": "orchestrator"}, "http://api.example:8080"},
		{"scheme-relative prefix", map[string]string{"X-Forwarded-Prefix": "//evil.example"}, "http://api.example:8080"},
		{"prefix with a query", map[string]string{"X-Forwarded-Prefix": "/a?b=c"}, "http://api.example:8080"},
		{"ipv6 host", map[string]string{"X-Forwarded-Host": "[::1]:9000"}, "http://[::1]:9000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://api.example:8080/deployments", nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			assert.Equal(t, tc.want, BaseURL(r))
		})
	}
}
