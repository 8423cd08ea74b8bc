package auth_test

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// BenchmarkVerify measures Verify with the keys cached (the steady state of a server).
func BenchmarkVerify(b *testing.B) {
	e := newEnv(b, nil)
	for _, kid := range []string{"rs256-1", "es256-1"} {
		b.Run(kid, func(b *testing.B) {
			token := e.iss.Token(nil, oidctest.WithKey(kid))
			ctx := context.Background()
			if _, err := e.v.Verify(ctx, token); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.v.Verify(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
