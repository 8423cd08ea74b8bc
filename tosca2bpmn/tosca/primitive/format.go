package primitive

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Format renders a value the way a template would write it, for messages and for outputs: strings as
// they are, numbers in their shortest exact form, null as "null", timestamps in RFC 3339 (in the zone
// they were written in), versions as major.minor[.fix[.qualifier[-build]]], ranges as [1, UNBOUNDED],
// scalar units as "<number> <unit>" with the specification's unit spelling, lists as [a, b] and maps as
// {k: v} with sorted keys.
func Format(v any) string {
	var b strings.Builder
	format(&b, normalize(v), false)
	return b.String()
}

// formatQuoted is Format with strings in double quotes, so that messages show where a string ends.
func formatQuoted(v any) string {
	var b strings.Builder
	format(&b, normalize(v), true)
	return b.String()
}

func format(b *strings.Builder, v any, quote bool) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		if quote {
			b.WriteString(quoteText(x))
		} else {
			b.WriteString(x)
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(formatFloat(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case Timestamp:
		b.WriteString(x.Time.Format(time.RFC3339Nano))
	case Version:
		b.WriteString(formatVersion(x))
	case Range:
		b.WriteString("[" + strconv.FormatInt(x.Lower, 10) + ", ")
		if x.UpperUnbounded {
			b.WriteString(Unbounded)
		} else {
			b.WriteString(strconv.FormatInt(x.Upper, 10))
		}
		b.WriteString("]")
	case ScalarUnit:
		b.WriteString(formatFloat(x.Number) + " " + x.Unit)
	case []any:
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, normalize(e), quote)
		}
		b.WriteString("]")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, k, quote)
			b.WriteString(": ")
			format(b, normalize(x[k]), quote)
		}
		b.WriteString("}")
	default:
		fmt.Fprint(b, x)
	}
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case math.IsNaN(f):
		return ".nan"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func formatVersion(v Version) string {
	if v.Text != "" {
		return v.Text
	}
	s := strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor)
	if v.Fix != 0 || v.Qualifier != "" {
		s += "." + strconv.Itoa(v.Fix)
	}
	if v.Qualifier != "" {
		s += "." + v.Qualifier
		if v.Build != 0 {
			s += "-" + strconv.Itoa(v.Build)
		}
	}
	return s
}

// describe names a value and its type for messages, e.g. `integer 70000`, `string "abc"`.
func describe(v any) string {
	v = normalize(v)
	if v == nil {
		return "null"
	}
	return typeName(v) + " " + formatQuoted(v)
}

// typeName is the TOSCA type name of a Go value returned by Parse.
func typeName(v any) string {
	switch x := v.(type) {
	case string:
		return TypeString
	case int64:
		return TypeInteger
	case float64:
		return TypeFloat
	case bool:
		return TypeBoolean
	case Timestamp:
		return TypeTimestamp
	case nil:
		return TypeNull
	case Version:
		return TypeVersion
	case Range:
		return TypeRange
	case ScalarUnit:
		if k := unitKind(x.Unit); k != "" {
			return k
		}
		return "scalar-unit"
	case []any:
		return typeList
	case map[string]any:
		return typeMap
	}
	return "Go value"
}
