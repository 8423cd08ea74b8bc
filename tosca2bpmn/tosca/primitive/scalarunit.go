package primitive

import (
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ScalarUnit is a value of a scalar-unit type (TOSCA 1.3, 3.3.6): a number and a unit.
type ScalarUnit struct {
	Value  float64 // in the base unit of its type: B, s, Hz or bps; this is what comparisons use
	Number float64 // the number as written
	Unit   string  // the unit in the specification's spelling, e.g. "GiB", "ms", "MHz", "Kibps"
	Text   string  // the text as written
}

// unit is one entry of a unit table: its spelling in the specification and its size in base units,
// as a factor, or for units smaller than the base as a divisor (5 us is 5/1e6 s, exactly 5e-6, where
// 5*1e-6 would not be).
type unit struct {
	name    string
	factor  float64
	divisor float64
}

func (u unit) base(number float64) float64 {
	if u.divisor != 0 {
		return number / u.divisor
	}
	return number * u.factor
}

// TOSCA 1.3, 3.3.6.4 scalar-unit.size.
var sizeUnits = []unit{
	{"B", 1, 0}, {"kB", 1e3, 0}, {"KiB", 1 << 10, 0}, {"MB", 1e6, 0}, {"MiB", 1 << 20, 0},
	{"GB", 1e9, 0}, {"GiB", 1 << 30, 0}, {"TB", 1e12, 0}, {"TiB", 1 << 40, 0},
}

// TOSCA 1.3, 3.3.6.5 scalar-unit.time.
var timeUnits = []unit{
	{"d", 86400, 0}, {"h", 3600, 0}, {"m", 60, 0}, {"s", 1, 0}, {"ms", 0, 1e3}, {"us", 0, 1e6}, {"ns", 0, 1e9},
}

// TOSCA 1.3, 3.3.6.6 scalar-unit.frequency.
var frequencyUnits = []unit{{"Hz", 1, 0}, {"kHz", 1e3, 0}, {"MHz", 1e6, 0}, {"GHz", 1e9, 0}}

// TOSCA 1.3, 3.3.6.7 scalar-unit.bitrate: bits (b) and bytes (B) per second, decimal and binary
// multiples.
var bitrateUnits = []unit{
	{"bps", 1, 0}, {"Kbps", 1e3, 0}, {"Kibps", 1 << 10, 0}, {"Mbps", 1e6, 0}, {"Mibps", 1 << 20, 0},
	{"Gbps", 1e9, 0}, {"Gibps", 1 << 30, 0}, {"Tbps", 1e12, 0}, {"Tibps", 1 << 40, 0},
	{"Bps", 8, 0}, {"KBps", 8e3, 0}, {"KiBps", 8 << 10, 0}, {"MBps", 8e6, 0}, {"MiBps", 8 << 20, 0},
	{"GBps", 8e9, 0}, {"GiBps", 8 << 30, 0}, {"TBps", 8e12, 0}, {"TiBps", 8 << 40, 0},
}

func unitsOf(kind string) []unit {
	switch kind {
	case TypeSize:
		return sizeUnits
	case TypeTime:
		return timeUnits
	case TypeFrequency:
		return frequencyUnits
	}
	return bitrateUnits
}

// lookupUnit finds a unit: case-insensitively, except the bit/byte letter of a bitrate unit.
func lookupUnit(kind, text string) (unit, bool) {
	for _, u := range unitsOf(kind) {
		if !asciiEqualFold(u.name, text) {
			continue
		}
		if kind == TypeBitrate && u.name[len(u.name)-3] != text[len(text)-3] {
			continue // "b" is a bit, "B" a byte
		}
		return u, true
	}
	return unit{}, false
}

func unitNames(kind string) string {
	units := unitsOf(kind)
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.name
	}
	return strings.Join(names, ", ")
}

func parseScalarUnit(kind string, n *yaml.Node) (any, *Error) {
	switch n.ShortTag() {
	case tagStr:
	case tagInt, tagFloat:
		return nil, errAt(n, ErrInvalidValue, "%s is not %s: the unit is missing (one of %s)",
			describeNode(n), article(kind), unitNames(kind))
	default:
		return nil, errAt(n, ErrInvalidValue, "%s is not %s", describeNode(n), article(kind))
	}
	su, msg := parseScalarUnitText(kind, n.Value)
	if msg != "" {
		return nil, errAt(n, ErrInvalidValue, "%s is not %s: %s", describeNode(n), article(kind), msg)
	}
	return su, nil
}

// parseScalarUnitText reads "<number> <unit>" (TOSCA 1.3, 3.3.6.2: any number of spaces, also none,
// between the two). It scans by hand rather than with a regular expression: templates hold many sizes
// and times, and this is several times faster.
func parseScalarUnitText(kind, text string) (ScalarUnit, string) {
	s := strings.TrimSpace(text)
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		if s[i] == '-' {
			return ScalarUnit{}, "the number must not be negative"
		}
		i++
	}
	start := i
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return ScalarUnit{}, "expected <number> <unit>, e.g. 4 " + unitsOf(kind)[1].name
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for i = j; i < len(s) && isDigit(s[i]); i++ {
			}
		}
	}
	number, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil || math.IsInf(number, 0) {
		return ScalarUnit{}, "the number is out of the 64-bit range"
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	name := s[i:]
	if name == "" {
		return ScalarUnit{}, "the unit is missing (one of " + unitNames(kind) + ")"
	}
	u, ok := lookupUnit(kind, name)
	if !ok {
		return ScalarUnit{}, "unknown unit " + strconv.Quote(name) + " (one of " + unitNames(kind) + ")"
	}
	value := u.base(number)
	if math.IsInf(value, 0) {
		return ScalarUnit{}, "the value is out of the 64-bit range"
	}
	return ScalarUnit{Value: value, Number: number, Unit: u.name, Text: text}, ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// asciiEqualFold compares case-insensitively in ASCII only: strings.EqualFold would also take the
// Kelvin sign for "K" and the long s for "s".
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
