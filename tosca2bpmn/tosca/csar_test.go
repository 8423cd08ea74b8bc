package tosca

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeCSAR(t *testing.T, files map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.csar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSAR(t *testing.T) {
	meta := "TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: test\nEntry-Definitions: Definitions/main.yaml\n"
	main := `tosca_definitions_version: tosca_simple_yaml_1_3
imports: [ types.yaml ]
topology_template:
  node_templates:
    app:
      type: example.App
      requirements: [ { host: vm } ]
      interfaces:
        Standard:
          create: ../Scripts/create.sh
          configure: ../Scripts/missing.sh
    vm: { type: Compute }
`
	types := "tosca_definitions_version: tosca_simple_yaml_1_3\nnode_types:\n  example.App:\n    derived_from: tosca.nodes.SoftwareComponent\n"
	path := writeCSAR(t, map[string]string{
		"TOSCA-Metadata/TOSCA.meta": meta,
		"Definitions/main.yaml":     main,
		"Definitions/types.yaml":    types,
		"Scripts/create.sh":         "#!/bin/sh\n",
	})
	st, ps := Parse(context.Background(), path, Options{})
	errs := ps.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].String(), `app.csar!/Definitions/main.yaml:11:22: node template "app": file "../Scripts/missing.sh" does not exist in the CSAR`) {
		t.Fatalf("want exactly the missing script, got:\n%s", messages(ps))
	}
	if st.NodeTemplates["app"].Type.Name != "example.App" {
		t.Errorf("import inside the CSAR not read")
	}

	_, ps = Parse(context.Background(), writeCSAR(t, map[string]string{"TOSCA-Metadata/TOSCA.meta": "Created-By: x\n"}), Options{})
	if !ps.HasErrors() || !strings.Contains(messages(ps), "invalid CSAR") {
		t.Errorf("invalid CSAR accepted:\n%s", messages(ps))
	}
}
