package normative

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestApplyPatch(t *testing.T) {
	const base = `
v: 1
node_types:
  a.A:
    description: keep
    properties:
      p: {type: string, default: x}
      q: {type: integer}
    requirements: [ {r: {capability: C}} ]
  a.B:
    description: drop
  a.C:
    description: rename
`
	tests := []struct {
		name, patch, want, err string
	}{
		{
			name: "merge, delete with null, replace lists, add keys and types",
			patch: `
v: 2
node_types:
  a.A:
    properties:
      p: {default: null, required: false}
      q: null
    requirements: [ {s: {capability: D}} ]
  a.D:
    description: new
`,
			want: `
v: 2
node_types:
  a.A:
    description: keep
    properties:
      p: {type: string, required: false}
    requirements: [ {s: {capability: D}} ]
  a.B:
    description: drop
  a.C:
    description: rename
  a.D:
    description: new
`,
		},
		{
			name: "rename in place, then remove, then merge under the new name",
			patch: `
rename:
  node_types: {a.C: a.E}
remove:
  node_types: [a.B]
node_types:
  a.E:
    description: renamed
`,
			want: `
v: 1
node_types:
  a.A:
    description: keep
    properties:
      p: {type: string, default: x}
      q: {type: integer}
    requirements: [ {r: {capability: C}} ]
  a.E:
    description: renamed
`,
		},
		{name: "remove unknown type", patch: "remove: {node_types: [a.X]}", err: `removal of unknown type "a.X"`},
		{name: "rename unknown type", patch: "rename: {node_types: {a.X: a.Y}}", err: `rename of unknown type "a.X"`},
		{name: "unknown section", patch: "remove: {group_types: [a.A]}", err: `no section "group_types"`},
		{name: "remove needs a mapping", patch: "remove: [a.A]", err: "take a mapping"},
		{name: "patch must be a mapping", patch: "[1]", err: "must be mappings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b, p yaml.Node
			require.NoError(t, yaml.Unmarshal([]byte(base), &b))
			require.NoError(t, yaml.Unmarshal([]byte(tc.patch), &p))
			err := applyPatch(b.Content[0], p.Content[0])
			if tc.err != "" {
				require.ErrorIs(t, err, errPatch)
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			var got, want any
			out, err := yaml.Marshal(&b)
			require.NoError(t, err)
			require.NoError(t, yaml.Unmarshal(out, &got))
			require.NoError(t, yaml.Unmarshal([]byte(tc.want), &want))
			assert.Equal(t, want, got)
			// Order matters for readable output: renamed types keep their place.
			assert.Equal(t, keysOf(t, tc.want), keysOf(t, string(out)))
		})
	}
}

// keysOf lists the type names of node_types in document order.
func keysOf(t *testing.T, doc string) []string {
	t.Helper()
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(doc), &n))
	var keys []string
	m := mapGet(n.Content[0], "node_types")
	for i := 0; i < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys
}
