package resolve

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ParseMirror reads one mirror specification "URL=DIR" (the --mirror flag): an http(s) URL prefix, in which a
// path segment "*" matches any one segment, and a local directory (or file). It splits at the first "=", so the
// directory may contain "=" but the prefix may not.
func ParseMirror(spec string) (prefix, dir string, err error) {
	prefix, dir, ok := strings.Cut(spec, "=")
	prefix, dir = strings.TrimSpace(prefix), strings.TrimSpace(dir)
	switch {
	case !ok:
		return "", "", fmt.Errorf("mirror %q: want URL=DIR: %w", spec, ErrBadReference)
	case prefix == "":
		return "", "", fmt.Errorf("mirror %q: empty URL before \"=\": %w", spec, ErrBadReference)
	case dir == "":
		return "", "", fmt.Errorf("mirror %q: empty directory after \"=\": %w", spec, ErrBadReference)
	}
	if _, err := compileMirror(prefix, dir); err != nil {
		return "", "", err
	}
	return prefix, dir, nil
}

// ParseMirrors reads repeated "URL=DIR" specifications into a map for Options.Mirrors, reporting every bad one
// and any prefix given twice.
func ParseMirrors(specs []string) (map[string]string, error) {
	out := map[string]string{}
	var errs []error
	for _, s := range specs {
		prefix, dir, err := ParseMirror(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if old, dup := out[prefix]; dup && old != dir {
			errs = append(errs, fmt.Errorf("mirror %q given twice (%s and %s): %w", prefix, old, dir, ErrBadReference))
			continue
		}
		out[prefix] = dir
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// MirrorFlag collects repeated --mirror URL=DIR flags; it implements flag.Value:
//
//	mirrors := resolve.MirrorFlag{}
//	fs.Var(mirrors, "mirror", "URL=DIR: read URLs under URL from DIR (repeatable)")
//	... resolve.Options{Mirrors: mirrors}
type MirrorFlag map[string]string

// Set parses and adds one specification.
func (m MirrorFlag) Set(spec string) error {
	prefix, dir, err := ParseMirror(spec)
	if err != nil {
		return err
	}
	if old, dup := m[prefix]; dup && old != dir {
		return fmt.Errorf("mirror %q given twice (%s and %s): %w", prefix, old, dir, ErrBadReference)
	}
	m[prefix] = dir
	return nil
}

// String lists the specifications, sorted.
func (m MirrorFlag) String() string {
	specs := make([]string, 0, len(m))
	for p, d := range m {
		specs = append(specs, p+"="+d)
	}
	sort.Strings(specs)
	return strings.Join(specs, ",")
}
