package processes

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// BenchmarkSelection measures what provider selection adds to a create of the WordPress example: the
// requirements of the template, the ranking over a catalogue of 50 providers, and the attempt paths of
// the plan (laid out again); BenchmarkTranslate is the translation it comes on top of.
func BenchmarkSelection(b *testing.B) {
	st, cat := benchInputs(b)
	sel := &registry.Selector{Catalogue: cat}
	b.ReportAllocs()
	for b.Loop() {
		req, err := requirements(st, tosca2bpmn.Options{}, "")
		require.NoError(b, err)
		if len(sel.Rank(req).Kept()) == 0 {
			b.Fatal("no provider kept")
		}
		defs, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{})
		require.NoError(b, err)
		require.NoError(b, attemptPlan(defs, "PT5M"))
	}
}

func BenchmarkTranslate(b *testing.B) {
	st, _ := benchInputs(b)
	b.ReportAllocs()
	for b.Loop() {
		_, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{})
		require.NoError(b, err)
	}
}

func benchInputs(b *testing.B) (*tosca.ServiceTemplate, *registry.Catalogue) {
	st, ps := parseTemplate(context.Background(), examples.MustRead("wordpress-mysql.yaml"), nil)
	require.Empty(b, ps)
	cat := &registry.Catalogue{}
	for i := range 50 {
		cat.Providers = append(cat.Providers, registry.Provider{Name: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			Services: []registry.ServiceSpec{{Platform: "sim"}}, SLAs: []registry.SLA{{ID: "s" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Priority: i % 7}}})
	}
	return st, cat
}
