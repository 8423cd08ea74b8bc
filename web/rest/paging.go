package rest

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/toscaflow/toscaflow/processes/store"
)

// PageInfo is the page object of a paging envelope (Spring Data).
type PageInfo struct {
	Size          int   `json:"size"`
	TotalElements int64 `json:"totalElements"`
	TotalPages    int   `json:"totalPages"`
	Number        int   `json:"number"`
}

// Page is the paging envelope of a list.
type Page[T any] struct {
	Links   []Link   `json:"links"`
	Content []T      `json:"content"`
	Page    PageInfo `json:"page"`
}

// ParsePage reads page, size and sort (Spring Data style) from the query.
func ParsePage(q url.Values) (store.Page, error) {
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
		return p, Errorf(http.StatusBadRequest, "invalid sort: %v", err)
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
		return 0, Errorf(http.StatusBadRequest, "%s must be a non-negative integer, not %q", name, v)
	}
	return n, nil
}

// pageLinks are the first, prev, self, next and last links of a page (those that apply), each the
// request's URL with its page and size set, so that clients can follow next until self equals last.
func pageLinks(r *http.Request, number, size, totalPages int) []Link {
	base := BaseURL(r) + r.URL.EscapedPath()
	at := func(rel string, n int) Link {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("size", strconv.Itoa(size))
		return Link{Rel: rel, Href: base + "?" + q.Encode()}
	}
	var out []Link
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

// Paged renders one page of items with its envelope.
func Paged[T, V any](r *http.Request, p store.Paged[T], view func(T) V) Page[V] {
	out := Page[V]{Content: make([]V, 0, len(p.Items)),
		Page: PageInfo{Size: p.Size, TotalElements: p.Total, TotalPages: p.TotalPages(), Number: p.Number}}
	for _, it := range p.Items {
		out.Content = append(out.Content, view(it))
	}
	out.Links = pageLinks(r, p.Number, p.Size, out.Page.TotalPages)
	return out
}
