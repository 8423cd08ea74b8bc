package tosca

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestEntries checks duplicate and merge keys below and above the length at which entries switches
// from scanning to an index.
func TestEntries(t *testing.T) {
	for _, n := range []int{3, entryScan, entryScan + 1, 3 * entryScan} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("base: &base {k0: merged, extra: merged}\nm:\n  <<: *base\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "  k%d: v%d\n", i, i)
			}
			fmt.Fprintf(&b, "  k%d: again\n", n-1)
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(b.String()), &doc); err != nil {
				t.Fatal(err)
			}
			p := newParser(context.Background(), Options{})
			es := p.entries("f.yaml", doc.Content[0].Content[3], "m")
			var keys []string
			for _, e := range es {
				keys = append(keys, e.Key+"="+e.V.Value)
			}
			if len(keys) != n+1 || keys[0] != "k0=v0" || keys[n-1] != fmt.Sprintf("k%d=v%d", n-1, n-1) || keys[n] != "extra=merged" {
				t.Errorf("entries = %v", keys)
			}
			if msg := messages(p.found); !strings.Contains(msg, fmt.Sprintf("duplicate key %q", fmt.Sprintf("k%d", n-1))) || len(p.found) != 1 {
				t.Errorf("problems = %s", msg)
			}
		})
	}
}
