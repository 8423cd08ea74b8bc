package primitive

import (
	"errors"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzParse feeds any type name and any YAML text to Parse, ParseConstraint, Check, Compare, Equal and
// Format: none may panic, every error must be one of the package's typed errors, and a parsed value
// must equal itself.
func FuzzParse(f *testing.F) {
	seeds := []struct{ typ, text string }{
		{"integer", "0x1F"}, {"integer", "'-1'"}, {"float", ".inf"}, {"boolean", "yes"},
		{"timestamp", "2001-12-14 21:59:43.10 -5"}, {"null", "~"}, {"version", "1.2.3.beta-4"},
		{"range", "[1, UNBOUNDED]"}, {"scalar-unit.size", "1.23 gb"}, {"scalar-unit.time", "10ms"},
		{"scalar-unit.frequency", "123e3 kHz"}, {"scalar-unit.bitrate", "1.23 KiBps"},
		{"string", "{pattern: '[a-z]+'}"}, {"integer", "{in_range: [1, 65535]}"},
		{"version", "{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}"}, {"list", "{min_length: 1}"},
		{"scalar-unit.size", "{valid_values: [1 GB, 2 GiB]}"}, {"range", "&a [*a, 1]"},
		{"integer", "{in_range: &b [*b, 1]}"}, {"string", "{schema: x}"},
	}
	for _, s := range seeds {
		f.Add(s.typ, s.text)
	}
	f.Fuzz(func(t *testing.T, typ, text string) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 {
			return
		}
		n := doc.Content[0]
		v, err := Parse(typ, n)
		if err != nil {
			requirePackageError(t, err)
		} else {
			_ = Format(v)
			if !Equal(v, v) {
				t.Fatalf("%#v is not equal to itself", v)
			}
			if _, cerr := Compare(v, v); cerr != nil && !errors.Is(cerr, ErrNotComparable) {
				t.Fatalf("Compare: %v", cerr)
			}
			requireRoundTrip(t, typ, v)
		}
		c, err := ParseConstraint(typ, n)
		if err != nil {
			requirePackageError(t, err)
			return
		}
		_ = c.String()
		for _, operand := range c.Operands {
			if cerr := c.Check(operand); cerr != nil && !errors.Is(cerr, ErrViolation) && !errors.Is(cerr, ErrInvalidValue) {
				t.Fatalf("Check: %v", cerr)
			}
		}
		_ = c.Check(v)
	})
}

func requirePackageError(t *testing.T, err error) {
	t.Helper()
	var perr *Error
	if !errors.As(err, &perr) || perr.Err == nil {
		t.Fatalf("error %v is not a *Error with a sentinel", err)
	}
}

// requireRoundTrip checks that what Format writes reads back (quoted) as an equal value, so that outputs
// can be fed back as inputs. Strings, nulls and ranges are left out: their text is not a quoted scalar.
func requireRoundTrip(t *testing.T, typ string, v any) {
	t.Helper()
	kind, _ := Kind(typ)
	if kind == TypeString || kind == TypeNull || kind == TypeRange {
		return
	}
	text := Format(v)
	back, err := Parse(typ, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: text})
	if err != nil {
		t.Fatalf("Format(%#v) = %q does not read back: %v", v, text, err)
	}
	if !Equal(v, back) {
		t.Fatalf("Format(%#v) = %q reads back as %#v", v, text, back)
	}
}
