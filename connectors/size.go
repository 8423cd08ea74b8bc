package connectors

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units of TOSCA scalar-unit.size (TOSCA 1.3, 3.3.6.4), matched case-insensitively.
var sizeUnits = map[string]float64{
	"b": 1, "kb": 1e3, "kib": 1 << 10, "mb": 1e6, "mib": 1 << 20,
	"gb": 1e9, "gib": 1 << 30, "tb": 1e12, "tib": 1 << 40,
}

// ParseSize returns the bytes of a TOSCA scalar-unit.size such as "10 GiB" or "500MB".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return 0, fmt.Errorf("size %q: want a number and a unit", s)
	}
	n, err := strconv.ParseFloat(t[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q", s, strings.TrimSpace(t[i:]))
	}
	b := n * unit
	if b > math.MaxInt64 {
		return 0, fmt.Errorf("size %q: too large", s)
	}
	return int64(b), nil
}
