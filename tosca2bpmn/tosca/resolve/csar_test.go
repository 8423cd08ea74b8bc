package resolve

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestCorpusCSARs opens every archive of the tosca-parser corpus: the valid ones give their entry definitions,
// the others the typed error whose reason matches tosca-parser's message (expected.tsv, last column).
func TestCorpusCSARs(t *testing.T) {
	dir := corpusCSAR(t)
	const wordpress = "Definitions/tosca_single_instance_wordpress.yaml"
	tests := []struct {
		file   string
		entry  string     // the main template, when the archive opens
		reason CSARReason // the refusal, when it does not
	}{
		{file: "csar_elk.csar", entry: "Definitions/tosca_elk.yaml"},
		{file: "csar_elk.zip", entry: "Definitions/tosca_elk.yaml"},
		{file: "csar_hello_world.zip", entry: "tosca_helloworld.yaml"},
		{file: "csar_invalid_entry_def.zip", reason: EntryDefinitionsMissing},
		{file: "csar_invalid_multilevel_imports_validation.zip", entry: "root.yaml"},
		{file: "csar_metadata_not_yaml.zip", reason: MetadataNotKeyValue},
		{file: "csar_missing_metadata.zip", reason: MissingMetadataKey},
		{file: "csar_multiple_deployment_flavour.zip", entry: "Definitions/helloworld3_top.vnfd.yaml"},
		{file: "csar_no_metadata_file.zip", reason: NoMetadata},
		{file: "csar_not_zip.zip", reason: NotZip},
		{file: "csar_relative_path_import_check.zip", entry: "root_level.yaml"},
		{file: "csar_root_level_yaml.zip", entry: "root_level.yaml"},
		{file: "csar_root_level_yaml_and_tosca_metadata.zip", entry: "Definitions/tosca_meta_main.yaml"},
		{file: "csar_root_yaml_with_tosca_definition1_0.zip", reason: NoMetadata},
		{file: "csar_two_root_level_yaml.zip", reason: RootYAMLCount},
		{file: "csar_valid_multilevel_imports_validation.zip", entry: "root.yaml"},
		{file: "csar_wordpress.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_artifact.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_artifact_multi.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_import_path.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_import_url.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_script_path.zip", entry: wordpress},
		{file: "csar_wordpress_invalid_script_url.zip", entry: wordpress},
		{file: "csar_wordpress_valid_artifact.zip", entry: wordpress},
		{file: "csar_wordpress_valid_artifact_multi.zip", entry: wordpress},
		{file: "csar_wordpress_with_url_import_and_script.zip", entry: wordpress},
		{file: "csar_wrong_metadata_file.zip", reason: NoMetadata},
	}
	archives, err := filepath.Glob(filepath.Join(dir, "*.[zc][is][pa]*"))
	require.NoError(t, err)
	require.Len(t, archives, len(tests), "every archive of the corpus has a row")

	r := newResolver(t, Options{})
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			doc, err := r.Root(context.Background(), path)
			if tc.reason != 0 {
				require.ErrorIs(t, err, ErrInvalidCSAR)
				var ce *CSARError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.reason, ce.Reason, "%v", err)
				assert.Equal(t, path, ce.Archive)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, path+"!/"+tc.entry, doc.Name)
			assert.Equal(t, "zip://"+realPath(t, path)+"!/"+tc.entry, doc.Location)
			assert.Contains(t, string(doc.Data), "tosca_definitions_version")
		})
	}
}

// TestCorpusCSARImports follows the imports of every valid corpus archive to the end: all resolve inside their
// archive except the two the corpus breaks on purpose (a wrong path, a URL with no mirror and no network).
func TestCorpusCSARImports(t *testing.T) {
	dir := corpusCSAR(t)
	tests := []struct {
		file    string
		docs    int   // documents reached, root included
		wantErr error // the error of the one import that fails
	}{
		{file: "csar_elk.zip", docs: 7},
		{file: "csar_hello_world.zip", docs: 1},
		{file: "csar_multiple_deployment_flavour.zip", docs: 6},
		{file: "csar_relative_path_import_check.zip", docs: 8},
		{file: "csar_valid_multilevel_imports_validation.zip", docs: 3},
		{file: "csar_invalid_multilevel_imports_validation.zip", docs: 3},
		{file: "csar_wordpress.zip", docs: 2},
		{file: "csar_wordpress_invalid_import_path.zip", docs: 1, wantErr: ErrNotFound},
		{file: "csar_wordpress_invalid_import_url.zip", docs: 1, wantErr: ErrNoMirror},
	}
	r := newResolver(t, Options{})
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			root, err := r.Root(context.Background(), filepath.Join(dir, tc.file))
			require.NoError(t, err)
			seen, errs := walkImports(t, r, root)
			assert.Len(t, seen, tc.docs, "%v", keys(seen))
			if tc.wantErr == nil {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], tc.wantErr)
			for loc := range seen {
				assert.True(t, strings.HasPrefix(loc, "zip://"+realPath(t, filepath.Join(dir, tc.file))+"!/"), loc)
			}
		})
	}
}

// TestCorpusCSARArtifacts checks Exists on the artifact files the corpus references from nested documents.
func TestCorpusCSARArtifacts(t *testing.T) {
	dir := corpusCSAR(t)
	tests := []struct {
		file, doc, ref string
		exists         bool
	}{
		// level2.yaml lives in Definitions/: its "Files/..." is Definitions/Files/..., which is missing.
		{"csar_invalid_multilevel_imports_validation.zip", "Definitions/level2.yaml", "Files/images/cirros-0.4.0-x86_64-disk.img", false},
		{"csar_invalid_multilevel_imports_validation.zip", "Definitions/level1.yaml", "../Files/images/cirros-0.4.0-x86_64-disk.img", true},
		{"csar_valid_multilevel_imports_validation.zip", "Definitions/level2.yaml", "../Files/images/cirros-0.4.0-x86_64-disk.img", true},
		{"csar_wordpress.zip", "Definitions/tosca_single_instance_wordpress.yaml", "../Scripts/WordPress/install.sh", true},
		{"csar_wordpress_invalid_script_path.zip", "Definitions/tosca_single_instance_wordpress.yaml", "Scripts/WordPress/install.sh", false},
		{"csar_wordpress.zip", "Definitions/tosca_single_instance_wordpress.yaml", "../Scripts", false},
		{"csar_wordpress.zip", "Definitions/tosca_single_instance_wordpress.yaml", "../../outside.sh", false},
		{"csar_wordpress_with_url_import_and_script.zip", "Definitions/tosca_single_instance_wordpress.yaml", "https://example.com/install.sh", false},
	}
	r := newResolver(t, Options{})
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.ref, func(t *testing.T) {
			from := Document{Location: "zip://" + filepath.Join(dir, tc.file) + "!/" + tc.doc}
			assert.Equal(t, tc.exists, r.Exists(context.Background(), from, tc.ref))
		})
	}
}

// walkImports follows imports breadth-first, by Location, collecting the errors of imports that fail.
func walkImports(t *testing.T, r *Resolver, root Document) (map[string]bool, []error) {
	t.Helper()
	seen := map[string]bool{root.Location: true}
	queue := []Document{root}
	var errs []error
	for len(queue) > 0 {
		doc := queue[0]
		queue = queue[1:]
		for _, ref := range importRefs(t, doc.Data) {
			next, err := r.Import(context.Background(), doc, "", ref)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !seen[next.Location] {
				seen[next.Location] = true
				queue = append(queue, next)
			}
		}
	}
	return seen, errs
}

// importRefs lists the imports of a TOSCA document: strings, {file: ...} maps and 1.0 named {name: file}.
func importRefs(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Imports []any `yaml:"imports"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	var refs []string
	for _, imp := range doc.Imports {
		switch v := imp.(type) {
		case string:
			refs = append(refs, v)
		case map[string]any:
			if f, ok := v["file"].(string); ok {
				refs = append(refs, f)
				continue
			}
			for _, x := range v {
				if s, ok := x.(string); ok {
					refs = append(refs, s)
				} else if m, ok := x.(map[string]any); ok {
					if f, ok := m["file"].(string); ok {
						refs = append(refs, f)
					}
				}
			}
		}
	}
	return refs
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
