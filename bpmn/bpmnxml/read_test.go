package bpmnxml_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

func TestReadLatin1(t *testing.T) {
	d, ps, err := bpmnxml.ReadFile(filepath.Join("..", "testdata", "latin1.bpmn"))
	require.NoError(t, err)
	require.Empty(t, ps)
	p := d.Processes()[0]
	assert.Equal(t, "Café über", p.Name)
	assert.Equal(t, "Début", p.FlowElements[0].Flow().Name)
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"malformed", `<bpmn:definitions xmlns:bpmn="` + bpmn.NSModel + `">`, bpmnxml.ErrSyntax},
		{"not bpmn", `<definitions xmlns="urn:other"/>`, bpmnxml.ErrNotBPMN},
		{"wrong root", `<process xmlns="` + bpmn.NSModel + `"/>`, bpmnxml.ErrNotBPMN},
		{"encoding", `<?xml version="1.0" encoding="EBCDIC"?><definitions xmlns="` + bpmn.NSModel + `"/>`, bpmnxml.ErrCharset},
		{"empty", ``, bpmnxml.ErrNotBPMN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := bpmnxml.Read(strings.NewReader(tc.doc))
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// TestReadNamespaces reads the same process written with different prefixes.
func TestReadNamespaces(t *testing.T) {
	body := `<%[1]sprocess id="p"><%[1]sstartEvent id="s"/><%[1]ssequenceFlow id="f" sourceRef="s" targetRef="e"/><%[1]sendEvent id="e"/></%[1]sprocess>`
	tests := []struct {
		name, open, prefix string
	}{
		{"default namespace", `<definitions xmlns="` + bpmn.NSModel + `" targetNamespace="t">`, ""},
		{"bpmn2 prefix", `<bpmn2:definitions xmlns:bpmn2="` + bpmn.NSModel + `" targetNamespace="t">`, "bpmn2:"},
		{"odd prefix", `<zz:definitions xmlns:zz="` + bpmn.NSModel + `" targetNamespace="t">`, "zz:"},
		{"one-letter prefix", `<a:definitions xmlns:a="` + bpmn.NSModel + `" targetNamespace="t">`, "a:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			end := "</definitions>"
			if tc.prefix != "" {
				end = "</" + tc.prefix + "definitions>"
			}
			doc := tc.open + strings.ReplaceAll(body, "%[1]s", tc.prefix) + end
			d, ps, err := bpmnxml.Read(strings.NewReader(doc))
			require.NoError(t, err)
			require.Empty(t, ps)
			ix := bpmn.NewIndex(d)
			require.Len(t, ix.Outgoing("s"), 1)
			assert.Equal(t, "e", ix.Outgoing("s")[0].TargetRef)
		})
	}
}

// TestReadForeign checks that foreign attributes and extension elements are kept and found by
// namespace URI, whatever their prefix.
func TestReadForeign(t *testing.T) {
	const camunda = "http://camunda.org/schema/1.0/bpmn"
	doc := `<definitions xmlns="` + bpmn.NSModel + `" xmlns:c="` + camunda + `" targetNamespace="t">
  <process id="p"><subProcess id="sp">
    <extensionElements><c:inputOutput><c:inputParameter name="x">1</c:inputParameter></c:inputOutput></extensionElements>
    <multiInstanceLoopCharacteristics c:collection="${items}" c:elementVariable="item"/>
  </subProcess></process></definitions>`
	d, ps, err := bpmnxml.Read(strings.NewReader(doc))
	require.NoError(t, err)
	require.Empty(t, ps)
	el, ok := bpmn.NewIndex(d).Lookup("sp")
	require.True(t, ok)
	sp := el.(*bpmn.SubProcess)
	mi := sp.LoopCharacteristics.(*bpmn.MultiInstanceLoopCharacteristics)
	coll, ok := mi.Attr(camunda, "collection")
	require.True(t, ok)
	assert.Equal(t, "${items}", coll)
	io := sp.Extension(camunda, "inputOutput")
	require.NotNil(t, io)
	assert.Equal(t, "1", io.Elements()[0].Text())
	out, err := bpmnxml.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(out), `xmlns:c="`+camunda+`"`)
	assert.Contains(t, string(out), `c:collection="${items}"`)
}
