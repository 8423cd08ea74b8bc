package bpmnxml

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// xmlLines finds the line where every start tag begins with encoding/xml, the slow reference for
// startLines: tokens are contiguous, so the position after one token is where the next begins.
func xmlLines(b []byte) []int {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = charsetReader
	var lines []int
	for {
		line, _ := dec.InputPos()
		tok, err := dec.RawToken()
		if err != nil {
			return lines
		}
		if _, ok := tok.(xml.StartElement); ok {
			lines = append(lines, line)
		}
	}
}

func TestStartLines(t *testing.T) {
	docs := map[string][]byte{
		"markup": []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n<!ENTITY e \"x\">\n]>\n<!-- <b>\n -->\n<a x=\"1\"\n y=\"2\"><![CDATA[\n<c>]]>\n<?pi <d>\n?><b/>\n<b></b></a>\n"),
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*.bpmn"))
	if dir, err := os.Stat(filepath.Join("..", "..", "..", "shared", "bpmn", "samples")); err == nil && dir.IsDir() {
		more, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "bpmn", "samples", "*.bpmn"))
		files = append(files, more...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		docs[filepath.Base(f)] = b
	}
	for name, b := range docs {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, xmlLines(b), startLines(b))
		})
	}
}
