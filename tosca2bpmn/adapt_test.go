package tosca2bpmn_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// TestAdapt: Options.Adapt changes the deploy plan before it is laid out, so that what it adds is drawn;
// its error fails the translation.
func TestAdapt(t *testing.T) {
	st := parseFile(t, example(t, "wordpress-mysql.yaml"))
	added := func(d *bpmn.Definitions) error {
		p := d.Processes()[0]
		end := &bpmn.EndEvent{}
		end.ID, end.Name = "adapted", "Added by Adapt"
		p.FlowElements = append(p.FlowElements, end)
		return nil
	}
	d, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{Adapt: added})
	require.NoError(t, err)
	require.NotEmpty(t, bpmn.NewIndex(d).DI("adapted"), "the element Adapt added has no shape")

	plain, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	require.Empty(t, bpmn.NewIndex(plain).DI("adapted"))

	boom := errors.New("boom")
	_, err = tosca2bpmn.Translate(st, tosca2bpmn.Options{Adapt: func(*bpmn.Definitions) error { return boom }})
	require.ErrorIs(t, err, boom)
}
