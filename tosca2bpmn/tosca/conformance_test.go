package tosca

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateDisagreements = flag.Bool("update", false, "rewrite the disagreement lists from this run (reasons of kept entries are preserved; new ones get \"REVIEW\")")

// verdict is "ok" (no errors; warnings allowed) or "raise", as in expected.tsv.
func verdict(ps Problems) string {
	if !ps.HasErrors() {
		return "ok"
	}
	return "raise"
}

// referenceOptions configures the reader as tosca-parser is configured in its own tests: templates are
// validated without input values, and its NFV and MEC profiles (shipped with it, kept in the corpus)
// are available.
func referenceOptions(base string) Options {
	defs := filepath.Join(base, "definitions")
	return Options{PartialInputs: true, Profiles: []Profile{
		{Path: filepath.Join(defs, "TOSCA_nfv_definition_1_0_0.yaml"), Version: "tosca_simple_profile_for_nfv_1_0_0", Base: "tosca_simple_yaml_1_0"},
		{Path: filepath.Join(defs, "TOSCA_mec_definition_1_0_0.yaml"), Version: "tosca_simple_profile_for_mec_1_0_0", Base: "tosca_simple_yaml_1_0"},
	}}
}

type disagreement struct{ path, ours, theirs, reason string }

func readDisagreements(t *testing.T, file string) map[string]disagreement {
	t.Helper()
	out := map[string]disagreement{}
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "path\t") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 {
			t.Fatalf("%s: malformed line %q (want path, ours, theirs, reason)", file, line)
		}
		out[cols[0]] = disagreement{cols[0], cols[1], cols[2], cols[3]}
	}
	return out
}

func writeDisagreements(t *testing.T, file, header string, list []disagreement, old map[string]disagreement) {
	t.Helper()
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("path\tours\ttheirs\treason\n")
	sort.Slice(list, func(i, j int) bool { return list[i].path < list[j].path })
	for _, d := range list {
		reason := "REVIEW"
		if o, ok := old[d.path]; ok && o.ours == d.ours {
			reason = o.reason
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", d.path, d.ours, d.theirs, reason)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkDisagreements fails when the reviewed list is stale in either direction.
func checkDisagreements(t *testing.T, file, header string, got []disagreement) {
	t.Helper()
	old := readDisagreements(t, file)
	if *updateDisagreements {
		writeDisagreements(t, file, header, got, old)
		return
	}
	seen := map[string]bool{}
	for _, d := range got {
		seen[d.path] = true
		o, ok := old[d.path]
		switch {
		case !ok:
			t.Errorf("new disagreement not in %s: %s ours=%s theirs=%s (%s)", filepath.Base(file), d.path, d.ours, d.theirs, d.reason)
		case o.ours != d.ours:
			t.Errorf("%s: listed with ours=%s, now %s", d.path, o.ours, d.ours)
		case strings.TrimSpace(o.reason) == "" || o.reason == "REVIEW":
			t.Errorf("%s: disagreement has no reviewed reason", d.path)
		}
	}
	for p := range old {
		if !seen[p] {
			t.Errorf("stale entry in %s: %s now agrees (remove it)", filepath.Base(file), p)
		}
	}
}

// TestConformanceToscaParser compares our verdict on every file of tosca-parser/data with the reference
// parser's (column tosca_parser_head of expected.tsv).
func TestConformanceToscaParser(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	base := filepath.Join(sharedDir(t), "tosca-corpus", "tosca-parser")
	f, err := os.Open(filepath.Join(base, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var got []disagreement
	total, agree := 0, 0
	byKind := map[string][2]int{}
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || strings.HasPrefix(cols[0], "#") || cols[0] == "path" {
			continue
		}
		path, kind, theirs := cols[0], cols[1], cols[4]
		_, ps := Parse(context.Background(), filepath.Join(base, path), referenceOptions(base))
		ours := verdict(ps)
		total++
		k := byKind[kind]
		k[1]++
		if ours == theirs {
			agree++
			k[0]++
		} else {
			reason := ""
			if errs := ps.Errors(); len(errs) > 0 {
				reason = errs[0].String()
			}
			got = append(got, disagreement{path: path, ours: ours, theirs: theirs, reason: reason})
			if testing.Verbose() {
				t.Logf("disagree %s ours=%s theirs=%s: %s", path, ours, theirs, messages(ps.Errors()))
			}
		}
		byKind[kind] = k
	}
	pct := 100 * float64(agree) / float64(total)
	t.Logf("tosca-parser/data: %d files, agree %d (%.1f%%); templates %d/%d, definitions %d/%d; %d disagreements listed",
		total, agree, pct, byKind["template"][0], byKind["template"][1], byKind["defs"][0], byKind["defs"][1], len(got))
	if pct < 95 {
		t.Errorf("agreement %.1f%% is below 95%%", pct)
	}
	checkDisagreements(t, filepath.Join("testdata", "conformance", "tosca-parser-disagreements.tsv"),
		"# Files of tosca-corpus/tosca-parser/data where our verdict differs from tosca-parser head's, reviewed.\n", got)
}
