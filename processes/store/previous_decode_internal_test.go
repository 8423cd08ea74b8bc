package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecodePrevious: the column previous holds a JSON list of templates, or, as migration 0007 first kept
// it, one template's YAML itself.
func TestDecodePrevious(t *testing.T) {
	tests := []struct {
		name, column string
		want         []string
	}{
		{"none", "", nil},
		{"a list", `["a: 1\n","b: 2\n"]`, []string{"a: 1\n", "b: 2\n"}},
		{"one template as 0007 kept it", "tosca_definitions_version: tosca_simple_yaml_1_3\n",
			[]string{"tosca_definitions_version: tosca_simple_yaml_1_3\n"}},
		{"a flow mapping is a template too", `{"tosca_definitions_version": "tosca_simple_yaml_1_3"}`,
			[]string{`{"tosca_definitions_version": "tosca_simple_yaml_1_3"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, decodePrevious(tc.column))
		})
	}
}
