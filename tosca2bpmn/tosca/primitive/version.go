package primitive

import (
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Version is a TOSCA version (TOSCA 1.3, 3.3.2):
// <major>.<minor>[.<fix>[.<qualifier>[-<build>]]]. Missing numbers are 0.
type Version struct {
	Major, Minor, Fix int
	Qualifier         string // "" when absent
	Build             int
	Text              string // the text as written
}

var versionSyntax = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+)(?:\.([0-9A-Za-z]+)(?:-([0-9]+))?)?)?)?$`)

func parseVersion(n *yaml.Node) (any, *Error) {
	// A version is often written unquoted (version: 1.0) and YAML then reads a float; the text is what
	// counts, so any scalar except booleans, nulls and timestamps is read from its text.
	switch n.ShortTag() {
	case tagStr, tagInt, tagFloat:
	default:
		return nil, errAt(n, ErrInvalidValue, "%s is not a version", describeNode(n))
	}
	v, msg := parseVersionText(n.Value)
	if msg != "" {
		return nil, errAt(n, ErrInvalidValue, "%s is not a version: %s", describeNode(n), msg)
	}
	return v, nil
}

func parseVersionText(s string) (Version, string) {
	m := versionSyntax.FindStringSubmatch(s)
	if m == nil {
		return Version{}, "expected <major>.<minor>[.<fix>[.<qualifier>[-<build>]]], e.g. 1.2.3.beta-4"
	}
	var nums [4]int
	for i, text := range []string{m[1], m[2], m[3], m[5]} {
		if text == "" {
			continue
		}
		v, err := strconv.Atoi(text)
		if err != nil || v > 1<<31-1 {
			return Version{}, "a component is too large"
		}
		nums[i] = v
	}
	return Version{Major: nums[0], Minor: nums[1], Fix: nums[2], Qualifier: m[4], Build: nums[3], Text: s}, ""
}
