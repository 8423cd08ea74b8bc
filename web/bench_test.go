package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// BenchmarkGetDeployment measures one GET /deployments/{id} through the whole handler chain (routing,
// authentication, owner check, view, JSON) over the in-memory lifecycle, with authentication off and
// with a bearer token verified on every request (RS256, keys cached).
func BenchmarkGetDeployment(b *testing.B) {
	for _, mode := range []string{"auth off", "bearer RS256"} {
		b.Run(mode, func(b *testing.B) {
			var h http.Handler
			var target, header string
			if mode == "auth off" {
				f := apitest.NewFake()
				d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
				h, target = apitest.NewServer(b, f), "/deployments/"+d.UUID
			} else {
				a := apitest.NewAuthed(b)
				h, target, header = a.Server, "/deployments/"+a.Alice.UUID, "Bearer "+a.Issuer.Token(nil)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				if header != "" {
					req.Header.Set("Authorization", header)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
