package rest

import (
	"net/http"
	"strings"
)

// Link is one element of a links array (not HAL).
type Link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// BaseURL is scheme://host[/prefix] of the request as the client sees it, honouring X-Forwarded-Proto,
// X-Forwarded-Host and X-Forwarded-Prefix from a proxy (first value of each). Values that are not a
// plain scheme, host or path are ignored, so that a header cannot inject a query or another URL into
// the links.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); validHost(h) {
		host = h
	}
	prefix := ""
	if p := firstValue(r.Header.Get("X-Forwarded-Prefix")); validPrefix(p) {
		prefix = strings.TrimRight(p, "/")
	}
	return scheme + "://" + host + prefix
}

// validPrefix accepts an absolute path of unreserved characters (RFC 3986 2.3) and slashes.
func validPrefix(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for _, c := range p {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~/", c)
		if !ok {
			return false
		}
	}
	return true
}

func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

// validHost accepts host[:port] made of the characters of DNS names, IPv4 and bracketed IPv6.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]_", c)
		if !ok {
			return false
		}
	}
	return true
}
