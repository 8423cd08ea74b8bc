package primitive

import (
	"cmp"
	"fmt"
	"math"
)

// Compare orders two values of the same primitive type: -1, 0 or 1. Integers and floats compare by
// number (also with each other), strings by bytes, timestamps by instant, versions component by
// component (TOSCA 1.3, 3.3.2.3), scalar units by their value in base units (so 1 GB < 1 GiB) and only
// within one kind of unit. It returns an error wrapping ErrNotComparable for values of different types,
// for booleans, nulls and ranges (which have no order), and for versions that differ only by qualifier
// (the specification treats those as unordered branches).
func Compare(a, b any) (int, error) {
	a, b = normalize(a), normalize(b)
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y), nil
		case float64:
			return compareFloat(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return compareFloat(x, float64(y))
		case float64:
			return compareFloat(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return cmp.Compare(x, y), nil
		}
	case Timestamp:
		if y, ok := b.(Timestamp); ok {
			return x.Time.Compare(y.Time), nil
		}
	case Version:
		if y, ok := b.(Version); ok {
			return compareVersions(x, y)
		}
	case ScalarUnit:
		if y, ok := b.(ScalarUnit); ok {
			if unitKind(x.Unit) != unitKind(y.Unit) {
				return 0, fmt.Errorf("compare %s with %s: different kinds of unit: %w", Format(x), Format(y), ErrNotComparable)
			}
			return compareFloat(x.Value, y.Value)
		}
	}
	return 0, fmt.Errorf("compare %s with %s: %w", describe(a), describe(b), ErrNotComparable)
}

func compareFloat(x, y float64) (int, error) {
	if math.IsNaN(x) || math.IsNaN(y) {
		return 0, fmt.Errorf("compare NaN: %w", ErrNotComparable)
	}
	return cmp.Compare(x, y), nil
}

// TOSCA 1.3, 3.3.2.3: major, minor and fix in order; a version with a qualifier is older than the same
// version without; with the same qualifier, the build decides; different qualifiers are not ordered.
func compareVersions(x, y Version) (int, error) {
	for _, c := range [][2]int{{x.Major, y.Major}, {x.Minor, y.Minor}, {x.Fix, y.Fix}} {
		if r := cmp.Compare(c[0], c[1]); r != 0 {
			return r, nil
		}
	}
	switch {
	case x.Qualifier == y.Qualifier:
		return cmp.Compare(x.Build, y.Build), nil
	case x.Qualifier == "":
		return 1, nil
	case y.Qualifier == "":
		return -1, nil
	}
	return 0, fmt.Errorf("compare versions %s and %s: different qualifiers: %w", Format(x), Format(y), ErrNotComparable)
}

// Equal reports whether two values are the same: by Compare for ordered values, structurally for
// booleans, nulls, ranges, lists ([]any) and maps (map[string]any). Values of different types are not
// equal, except an integer and a float of the same number.
func Equal(a, b any) bool {
	a, b = normalize(a), normalize(b)
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case Range:
		y, ok := b.(Range)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, found := y[k]
			if !found || !Equal(xv, yv) {
				return false
			}
		}
		return true
	}
	c, err := Compare(a, b)
	return err == nil && c == 0
}

// normalize widens the Go numeric types a caller may hand in to int64 and float64.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// unitKinds maps every canonical unit spelling to its scalar-unit type (the spellings are distinct).
var unitKinds = func() map[string]string {
	m := map[string]string{}
	for _, kind := range []string{TypeSize, TypeTime, TypeFrequency, TypeBitrate} {
		for _, u := range unitsOf(kind) {
			m[u.name] = kind
		}
	}
	return m
}()

// unitKind tells which scalar-unit type a canonical unit spelling belongs to ("" for none).
func unitKind(name string) string { return unitKinds[name] }
