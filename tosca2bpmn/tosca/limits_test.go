package tosca

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// billionLaughs builds the classic alias bomb: levels of lists of ten aliases to the level below, so
// that the expanded document has 10^levels leaves while the text is a few hundred bytes.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("tosca_definitions_version: tosca_simple_yaml_1_3\nmetadata:\n")
	b.WriteString("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "  l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("topology_template:\n  inputs:\n    bomb:\n      type: list\n      default: *l" + fmt.Sprint(levels) + "\n")
	return b.String()
}

func TestAliasBombRefused(t *testing.T) {
	src := billionLaughs(9) // 10^10 nodes once expanded
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := decodeYAML([]byte(src), Limits{}.withDefaults())
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("decodeYAML err = %v, want ErrTooMany", err)
	}
	// The guard walks each anchored node once: memory is linear in the text, not in the expansion.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("refusing the bomb allocated %d bytes, want < 8 MiB", alloc)
	}
	_, ps := parseString(t, src, Options{})
	if !strings.Contains(messages(ps), "alias bomb") {
		t.Errorf("Parse did not refuse the bomb:\n%s", messages(ps))
	}
}

func TestAliasesWithinLimitsAreExpandedOnce(t *testing.T) {
	// 10^4 expanded leaves: accepted, and the value reads as the full list.
	st, ps := parseString(t, billionLaughs(3), Options{})
	if ps.HasErrors() {
		t.Fatalf("unexpected problems:\n%s", messages(ps))
	}
	v := st.Inputs["bomb"].Value.Data.([]any)
	if len(v) != 10 {
		t.Fatalf("top list has %d entries", len(v))
	}
	if err := (guardCount{}).check(v, 10000); err != nil {
		t.Error(err)
	}
}

// guardCount counts leaves of a decoded value.
type guardCount struct{}

func (guardCount) check(v any, want int) error {
	n := 0
	var walk func(any)
	walk = func(x any) {
		if l, ok := x.([]any); ok {
			for _, e := range l {
				walk(e)
			}
			return
		}
		n++
	}
	walk(v)
	if n != want {
		return fmt.Errorf("%d leaves, want %d", n, want)
	}
	return nil
}

func TestRecursiveAliasRefused(t *testing.T) {
	_, err := decodeYAML([]byte("a: &a [ *a ]\n"), Limits{}.withDefaults())
	if err == nil {
		t.Fatal("a recursive alias was accepted")
	}
}

func TestDepthLimit(t *testing.T) {
	src := "tosca_definitions_version: tosca_simple_yaml_1_3\nmetadata:\n  deep: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n"
	_, err := decodeYAML([]byte(src), Limits{}.withDefaults())
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
	_, ps := parseString(t, src, Options{})
	if !strings.Contains(messages(ps), "nested too deeply") {
		t.Errorf("Parse did not refuse the deep document:\n%s", messages(ps))
	}
}

func TestNodeLimit(t *testing.T) {
	src := "tosca_definitions_version: tosca_simple_yaml_1_3\nmetadata:\n" + strings.Repeat("  - x\n", 0)
	var b strings.Builder
	b.WriteString(src)
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	_, err := decodeYAML([]byte(b.String()), Limits{MaxNodes: 1000}.withDefaults())
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("err = %v, want ErrTooMany", err)
	}
}

func TestOversizedFileRefused(t *testing.T) {
	src := "tosca_definitions_version: tosca_simple_yaml_1_3\ndescription: " + strings.Repeat("x", 4096) + "\n"
	_, ps := parseString(t, src, Options{Limits: Limits{MaxFileSize: 1024}})
	if !ps.HasErrors() || !strings.Contains(strings.ToLower(messages(ps)), "large") {
		t.Fatalf("oversized file accepted or unclear:\n%s", messages(ps))
	}
	_, err := decodeYAML([]byte(src), Limits{MaxFileSize: 1024}.withDefaults())
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("decodeYAML err = %v, want ErrTooLarge", err)
	}
}

func TestProblemLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "    n%d: { type: Nope }\n", i)
	}
	_, ps := parseString(t, b.String(), Options{Limits: Limits{MaxProblems: 10}})
	if len(ps) != 10 {
		t.Errorf("got %d problems, want the limit of 10", len(ps))
	}
}
