package resolve

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// mirror is one compiled entry of Options.Mirrors. See the package documentation for the syntax.
type mirror struct {
	pattern string   // as given
	parts   []string // the canonical prefix split at each "*" segment: parts[0] * parts[1] * ...
	dir     string   // absolute local directory (or file, for a prefix that names one URL)
}

// compileMirror checks a mirror entry: prefix is an http(s) URL in which "*" may stand for whole path segments.
func compileMirror(prefix, dir string) (mirror, error) {
	if dir == "" {
		return mirror{}, fmt.Errorf("mirror %q: empty directory: %w", prefix, ErrBadReference)
	}
	u, err := url.Parse(prefix)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return mirror{}, fmt.Errorf("mirror %q: the prefix must be an http:// or https:// URL: %w", prefix, ErrBadReference)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Contains(u.Host, "*") {
		return mirror{}, fmt.Errorf("mirror %q: no query, fragment or \"*\" in the host: %w", prefix, ErrBadReference)
	}
	trailing := strings.HasSuffix(u.Path, "/")
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for _, s := range segs {
		if strings.Contains(s, "*") && s != "*" {
			return mirror{}, fmt.Errorf("mirror %q: \"*\" must be a whole path segment: %w", prefix, ErrBadReference)
		}
		if s == "." || s == ".." {
			return mirror{}, fmt.Errorf("mirror %q: dot segment in prefix: %w", prefix, ErrBadReference)
		}
	}
	// Canonicalise the literal parts the way canonicalURL spells the URLs they are matched against.
	c := canonicalURL(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/" + strings.Join(segs, "/")})
	canon := c.Scheme + "://" + c.Host + c.EscapedPath()
	if trailing && !strings.HasSuffix(canon, "/") {
		canon += "/"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return mirror{}, fmt.Errorf("mirror %q: directory %q: %w", prefix, dir, err)
	}
	return mirror{pattern: prefix, parts: strings.Split(canon, "%2A"), dir: abs}, nil
}

// match tests the canonical URL u (scheme://host/path, no query) against the mirror. It returns the rest of the
// path after the prefix, and how many characters of u the prefix covered (the longest wins). A prefix matches
// only at a segment boundary: "https://h/a" matches "https://h/a/x" but not "https://h/ab".
func (m mirror) match(u string) (rest string, covered int, ok bool) {
	pos := 0
	for i, part := range m.parts {
		if i > 0 {
			// A "*" segment: one or more characters up to the next "/".
			n := strings.IndexByte(u[pos:], '/')
			if n == 0 {
				return "", 0, false
			}
			if n < 0 {
				n = len(u) - pos
			}
			pos += n
		}
		if !strings.HasPrefix(u[pos:], part) {
			return "", 0, false
		}
		pos += len(part)
	}
	if pos < len(u) && !strings.HasSuffix(u[:pos], "/") && u[pos] != '/' {
		return "", 0, false
	}
	return strings.TrimPrefix(u[pos:], "/"), pos, true
}

// mirrorSet is the compiled Options.Mirrors.
type mirrorSet []mirror

// compileMirrors compiles every entry, joining all problems.
func compileMirrors(in map[string]string) (mirrorSet, error) {
	var (
		out  mirrorSet
		errs []error
	)
	for prefix, dir := range in {
		m, err := compileMirror(prefix, dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, m)
	}
	// A fixed order makes ties (same length) resolve the same way on every run.
	sort.Slice(out, func(i, j int) bool { return out[i].pattern < out[j].pattern })
	return out, errors.Join(errs...)
}

// lookup finds the local file for the URL u. ok is false when no mirror covers u. A mirror that covers u but
// whose rest would leave its directory is an ErrUnsafePath.
func (ms mirrorSet) lookup(u *url.URL) (file string, ok bool, err error) {
	key := u.Scheme + "://" + u.Host + u.EscapedPath()
	best, bestLen, bestStars := -1, -1, 0
	var bestRest string
	for i, m := range ms {
		rest, n, hit := m.match(key)
		stars := len(m.parts) - 1
		if hit && (n > bestLen || (n == bestLen && stars < bestStars)) {
			best, bestLen, bestStars, bestRest = i, n, stars, rest
		}
	}
	if best < 0 {
		return "", false, nil
	}
	rest, err := url.PathUnescape(bestRest)
	if err != nil {
		return "", true, fmt.Errorf("%s: %w: %w", u, ErrBadReference, err)
	}
	if rest == "" {
		return ms[best].dir, true, nil
	}
	rel := path.Clean(rest)
	if !filepath.IsLocal(filepath.FromSlash(rel)) || strings.ContainsAny(rest, "\\\x00") {
		return "", true, fmt.Errorf("%s: path %q leaves mirror %s: %w", u, rest, ms[best].dir, ErrUnsafePath)
	}
	return filepath.Join(ms[best].dir, filepath.FromSlash(rel)), true, nil
}
