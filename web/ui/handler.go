package ui

import (
	"embed"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed dist
var embedded embed.FS

// indexFile is the page every dashboard URL answers with; the app routes on the URL's fragment.
const indexFile = "index.html"

// hashed matches the names esbuild gives its outputs ([name]-[hash].ext): their content never changes.
var hashed = regexp.MustCompile(`-[A-Z0-9]{8}\.[a-z0-9]+$`)

// Config is what the dashboard is served with.
type Config struct {
	// Prefix is the path the dashboard is mounted at, without a trailing slash, e.g. "/ui".
	Prefix string
	// AuthRequired is set when the API wants a bearer token on every call.
	AuthRequired bool
	// OIDC, when its Issuer is set, makes the dashboard sign in before calling the API.
	OIDC OIDC
	// Version is shown in the page footer.
	Version string
}

// OIDC is the sign-in the dashboard performs: the authorization-code flow with PKCE (S256) as a public
// client (no secret: the dashboard runs in the browser).
type OIDC struct {
	// Issuer is the OpenID Connect issuer URL; its discovery document names the endpoints.
	Issuer string `json:"issuer"`
	// ClientID is the dashboard's public client at the issuer.
	ClientID string `json:"clientId"`
	// Scopes are requested at sign-in; "openid" is always among them.
	Scopes []string `json:"scopes"`
}

// clientConfig is /config.json: what the app needs before its first API call.
type clientConfig struct {
	AuthRequired bool   `json:"authRequired"`
	Auth         *OIDC  `json:"auth,omitempty"`
	Version      string `json:"version,omitempty"`
}

// Built reports whether the bundle was built into this binary.
func Built() bool { return built(dist()) }

// dist is the embedded bundle, rooted at dist/.
func dist() fs.FS {
	sub, err := fs.Sub(embedded, "dist")
	if err != nil {
		panic(err) // the directory is embedded: it exists
	}
	return sub
}

func built(fsys fs.FS) bool {
	_, err := fs.Stat(fsys, indexFile)
	return err == nil
}

// Handler serves the dashboard under cfg.Prefix: the page at the prefix itself, /config.json, and the
// bundle's assets. It answers GET only.
func Handler(cfg Config) http.Handler { return newHandler(cfg, dist()) }

type handler struct {
	cfg    Config
	fsys   fs.FS
	config []byte
	csp    string
}

func newHandler(cfg Config, fsys fs.FS) *handler {
	cfg.Prefix = strings.TrimRight(cfg.Prefix, "/")
	cc := clientConfig{Version: cfg.Version, AuthRequired: cfg.AuthRequired}
	if cfg.OIDC.Issuer != "" {
		o := cfg.OIDC
		if !containsScope(o.Scopes, "openid") {
			o.Scopes = append([]string{"openid"}, o.Scopes...)
		}
		cc.Auth = &o
	}
	data, err := json.Marshal(cc)
	if err != nil {
		panic(err) // strings and slices of strings always marshal
	}
	return &handler{cfg: cfg, fsys: fsys, config: data, csp: contentSecurityPolicy(cfg.OIDC.Issuer)}
}

func containsScope(scopes []string, s string) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}

// contentSecurityPolicy allows only the dashboard's own scripts and the API (and, with OIDC, the issuer's
// discovery, token and JWKS endpoints). bpmn-js sets inline styles on the shapes it draws, hence
// 'unsafe-inline' for styles only.
func contentSecurityPolicy(issuer string) string {
	connect := "'self'"
	if origin := originOf(issuer); origin != "" {
		connect += " " + origin
	}
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
		"font-src 'self' data:; connect-src " + connect + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}

// originOf is scheme://host of an absolute URL, "" otherwise.
func originOf(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || scheme == "" {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel, ok := strings.CutPrefix(r.URL.Path, h.cfg.Prefix)
	if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	name := strings.TrimPrefix(path.Clean("/"+rel), "/")
	switch name {
	case "", indexFile:
		h.index(w)
	case "config.json":
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Cache-Control", "no-cache")
		_, _ = w.Write(h.config)
	default:
		h.asset(w, r, name)
	}
}

// index serves the page, or, when the bundle was not built, a page that says how to build it.
func (h *handler) index(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	data, err := fs.ReadFile(h.fsys, indexFile)
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(notBuiltPage))
		return
	}
	_, _ = w.Write(data)
}

// asset serves one file of the bundle; hashed names are cached for good.
func (h *handler) asset(w http.ResponseWriter, r *http.Request, name string) {
	data, err := fs.ReadFile(h.fsys, name)
	if err != nil || name == "README.md" {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if hashed.MatchString(name) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(data)
}

// notBuiltPage answers in place of the dashboard in a binary built without its bundle.
const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>toscaflow dashboard not built</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The dashboard is not built into this binary</h1>
<p>This toscaflow was compiled without the dashboard's bundle. The API works as usual.</p>
<p>To include the dashboard, build with <code>make build</code>, which runs
<code>npm ci &amp;&amp; npm run build</code> in <code>web/ui</code> (Node.js and npm needed) before <code>go build</code>.</p>
</body></html>
`
