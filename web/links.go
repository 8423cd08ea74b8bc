package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/toscaflow/toscaflow/processes/store"
)

// baseURL is scheme://host[/prefix] of the request as the client sees it, honouring X-Forwarded-Proto,
// X-Forwarded-Host and X-Forwarded-Prefix from a proxy (first value of each). Values that are not a
// plain scheme, host or path are ignored, so that a header cannot inject a query or another URL into
// the links.
func baseURL(r *http.Request) string {
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

// parsePage reads page, size and sort (Spring Data style) from the query.
func parsePage(q url.Values) (store.Page, error) {
	var p store.Page
	var err error
	if p.Number, err = queryInt(q, "page"); err != nil {
		return p, err
	}
	if p.Size, err = queryInt(q, "size"); err != nil {
		return p, err
	}
	var sorts []string
	for _, s := range q["sort"] {
		if s != "" {
			sorts = append(sorts, s)
		}
	}
	if p.Sort, err = store.ParseSort(sorts...); err != nil {
		return p, apiErrorf(http.StatusBadRequest, "invalid sort: %v", err)
	}
	return p, nil
}

func queryInt(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, apiErrorf(http.StatusBadRequest, "%s must be a non-negative integer, not %q", name, v)
	}
	return n, nil
}

// pageLinks are the first, prev, self, next and last links of a page (those that apply), each the
// request's URL with its page and size set, so that clients can follow next until self equals last.
func pageLinks(r *http.Request, number, size, totalPages int) []link {
	base := baseURL(r) + r.URL.EscapedPath()
	at := func(rel string, n int) link {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("size", strconv.Itoa(size))
		return link{Rel: rel, Href: base + "?" + q.Encode()}
	}
	var out []link
	if totalPages > 0 {
		out = append(out, at("first", 0))
	}
	if number > 0 && totalPages > 0 {
		out = append(out, at("prev", min(number-1, totalPages-1)))
	}
	out = append(out, at("self", number))
	if number+1 < totalPages {
		out = append(out, at("next", number+1))
	}
	if totalPages > 0 {
		out = append(out, at("last", totalPages-1))
	}
	return out
}

// paged renders one page of items with its envelope.
func paged[T, V any](r *http.Request, p store.Paged[T], view func(T) V) pageView[V] {
	out := pageView[V]{Content: make([]V, 0, len(p.Items)),
		Page: pageInfo{Size: p.Size, TotalElements: p.Total, TotalPages: p.TotalPages(), Number: p.Number}}
	for _, it := range p.Items {
		out.Content = append(out.Content, view(it))
	}
	out.Links = pageLinks(r, p.Number, p.Size, out.Page.TotalPages)
	return out
}
