package resolve

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// kind is where a document lives.
type kind int

const (
	kindFile kind = iota + 1 // a local file
	kindZip                  // an entry of a local zip archive (CSAR)
	kindURL                  // an http(s) URL, fetched or mirrored
)

// loc is the parsed form of a Location: the one place that knows how Locations are spelled.
//
//	file:///abs/a.yaml                        kindFile, path
//	zip:///abs/app.csar!/Definitions/a.yaml   kindZip, path (the archive) and entry (slash path inside it)
//	https://host/x.yaml                       kindURL, url
type loc struct {
	kind  kind
	path  string
	entry string
	url   *url.URL
}

// String spells the canonical Location. Paths are percent-escaped, so "!" in a file name cannot be mistaken for
// the archive separator "!/".
func (l loc) String() string {
	switch l.kind {
	case kindFile:
		return (&url.URL{Scheme: "file", Path: l.path}).String()
	case kindZip:
		return "zip://" + (&url.URL{Path: l.path}).EscapedPath() + "!/" + (&url.URL{Path: l.entry}).EscapedPath()
	case kindURL:
		return l.url.String()
	}
	return ""
}

// remote reports whether the document came from the network (or its mirror): such documents may not reach
// local files.
func (l loc) remote() bool { return l.kind == kindURL }

// parseLocation reads a Location produced by String. An empty Location stands for a document without a file
// (given in memory): its relative references resolve against the working directory.
func parseLocation(s string) (loc, error) {
	switch {
	case s == "":
		wd, err := filepath.Abs(".")
		if err != nil {
			return loc{}, fmt.Errorf("working directory: %w", err)
		}
		return loc{kind: kindFile, path: filepath.Join(wd, "(memory)")}, nil
	case strings.HasPrefix(s, "zip://"):
		archive, entry, ok := strings.Cut(strings.TrimPrefix(s, "zip://"), "!/")
		if !ok {
			return loc{}, fmt.Errorf("location %q: no \"!/\" separator: %w", s, ErrBadReference)
		}
		p, err1 := url.PathUnescape(archive)
		e, err2 := url.PathUnescape(entry)
		if err1 != nil || err2 != nil || !filepath.IsAbs(p) {
			return loc{}, fmt.Errorf("location %q: %w", s, ErrBadReference)
		}
		return loc{kind: kindZip, path: filepath.Clean(p), entry: path.Clean(e)}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return loc{}, fmt.Errorf("location %q: %w: %w", s, ErrBadReference, err)
	}
	switch u.Scheme {
	case "file":
		return loc{kind: kindFile, path: filepath.Clean(u.Path)}, nil
	case "http", "https":
		return loc{kind: kindURL, url: canonicalURL(u)}, nil
	}
	return loc{}, fmt.Errorf("location %q: unknown scheme: %w", s, ErrBadReference)
}

// canonicalURL gives one spelling per resource: lower-case scheme and host, no default port, no dot segments,
// no fragment, an empty path as "/".
func canonicalURL(u *url.URL) *url.URL {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	host := strings.ToLower(c.Host)
	if (c.Scheme == "http" && strings.HasSuffix(host, ":80")) || (c.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	c.Host = host
	c.Fragment, c.RawFragment = "", ""
	c.User = nil
	if c.Path == "" {
		c.Path = "/"
	}
	// Resolving against itself removes "." and ".." segments the way RFC 3986, 5.2.4 says.
	c = *c.ResolveReference(&url.URL{Path: c.Path, RawPath: c.RawPath, RawQuery: c.RawQuery})
	c.Fragment, c.RawFragment = "", ""
	return &c
}

// refScheme returns the lower-case scheme of ref when it is a URL ("" for a path). One-letter schemes are
// Windows drive letters, not URLs.
func refScheme(ref string) string {
	i := strings.Index(ref, ":")
	if i < 2 {
		return ""
	}
	for j, c := range ref[:i] {
		isLetter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !isLetter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return ""
		}
	}
	return strings.ToLower(ref[:i])
}

// resolveRef finds what ref (as written in an imports entry or an artifact) names, seen from the document at
// from; base, when not empty, is a repository URL (or path) that ref is relative to.
func resolveRef(from loc, base, ref string) (loc, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return loc{}, fmt.Errorf("empty reference: %w", ErrBadReference)
	}
	if base != "" {
		b, err := resolveRef(from, "", base)
		if err != nil {
			return loc{}, fmt.Errorf("repository %q: %w", base, err)
		}
		// A repository names a directory: make it one so that ref lands inside it.
		switch b.kind {
		case kindURL:
			u := *b.url
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
				u.RawPath = ""
			}
			b.url = &u
		case kindFile:
			b.path = filepath.Join(b.path, "(repository)")
		case kindZip:
			b.entry = path.Join(b.entry, "(repository)")
		}
		from = b
	}
	var to loc
	switch scheme := refScheme(ref); scheme {
	case "http", "https":
		u, err := url.Parse(ref)
		if err != nil || u.Host == "" {
			return loc{}, fmt.Errorf("URL %q: %w", ref, ErrBadReference)
		}
		to = loc{kind: kindURL, url: canonicalURL(u)}
	case "file":
		u, err := url.Parse(ref)
		if err != nil || (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) {
			return loc{}, fmt.Errorf("file URL %q: %w", ref, ErrBadReference)
		}
		to = loc{kind: kindFile, path: filepath.Clean(u.Path)}
	case "":
		var err error
		if to, err = resolvePath(from, ref); err != nil {
			return loc{}, err
		}
	default:
		return loc{}, fmt.Errorf("reference %q: unsupported scheme %q: %w", ref, scheme, ErrBadReference)
	}
	if from.remote() && !to.remote() {
		return loc{}, fmt.Errorf("reference %q from %s: a remote document cannot read local files: %w", ref, from, ErrUnsafePath)
	}
	return to, nil
}

// resolvePath resolves a reference that is a path (not a URL) against the document at from.
func resolvePath(from loc, ref string) (loc, error) {
	switch from.kind {
	case kindURL:
		r, err := url.Parse(ref)
		if err != nil {
			return loc{}, fmt.Errorf("reference %q: %w: %w", ref, ErrBadReference, err)
		}
		if r.Scheme != "" {
			// A drive letter ("C:/x") or "a:b" is neither a path on the server nor a URL we read.
			return loc{}, fmt.Errorf("reference %q from %s: %w", ref, from, ErrBadReference)
		}
		return loc{kind: kindURL, url: canonicalURL(from.url.ResolveReference(r))}, nil
	case kindZip:
		if strings.ContainsRune(ref, '\\') || path.IsAbs(ref) || filepath.IsAbs(ref) {
			return loc{}, fmt.Errorf("reference %q in %s: absolute paths cannot be used inside a CSAR: %w", ref, from, ErrUnsafePath)
		}
		e := path.Join(path.Dir(from.entry), ref)
		if e == ".." || strings.HasPrefix(e, "../") {
			return loc{}, fmt.Errorf("reference %q in %s escapes the archive: %w", ref, from, ErrUnsafePath)
		}
		return loc{kind: kindZip, path: from.path, entry: e}, nil
	default:
		if filepath.IsAbs(ref) {
			return loc{kind: kindFile, path: filepath.Clean(ref)}, nil
		}
		return loc{kind: kindFile, path: filepath.Join(filepath.Dir(from.path), filepath.FromSlash(ref))}, nil
	}
}
