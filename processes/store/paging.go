package store

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadPage means a page request names an unknown sort field or a negative page or size.
var ErrBadPage = errors.New("bad page request")

// MaxPageSize clamps Page.Size (the API's limit).
const MaxPageSize = 2000

// Page asks for one page of a listing (Spring Data style: Number is 0-based).
type Page struct {
	Number int
	// Size is the page size: 0 means 10, above MaxPageSize means MaxPageSize.
	Size int
	// Sort orders the listing; empty means the listing's default.
	Sort []Order
}

// Order is one sort key.
type Order struct {
	// Field is an API field name, e.g. "createdAt".
	Field string
	Desc  bool
}

// ParseSort reads the API's sort parameters ("createdAt,desc", "status", "status,asc"), one per value.
func ParseSort(values ...string) ([]Order, error) {
	var out []Order
	for _, v := range values {
		field, dir, _ := strings.Cut(v, ",")
		o := Order{Field: strings.TrimSpace(field)}
		switch strings.ToLower(strings.TrimSpace(dir)) {
		case "", "asc":
		case "desc":
			o.Desc = true
		default:
			return nil, fmt.Errorf("sort %q: direction %q: %w", v, dir, ErrBadPage)
		}
		out = append(out, o)
	}
	return out, nil
}

// Paged is one page of a listing with the totals the API's page envelope needs.
type Paged[T any] struct {
	Items []T
	// Total counts the items of every page.
	Total  int64
	Number int
	Size   int
}

// TotalPages is the number of pages of Size items (0 when there is nothing).
func (p Paged[T]) TotalPages() int {
	if p.Size <= 0 {
		return 0
	}
	return int((p.Total + int64(p.Size) - 1) / int64(p.Size))
}

// orderBy builds an ORDER BY clause from the page's sort over the columns allowed (API field →
// column), else from def, ending with tie so the order is total and pages never overlap.
func (p Page) orderBy(columns map[string]string, def []Order, tie string) (string, error) {
	sort := p.Sort
	if len(sort) == 0 {
		sort = def
	}
	var parts []string
	for _, o := range sort {
		col, ok := columns[o.Field]
		if !ok {
			return "", fmt.Errorf("sort by %q: %w", o.Field, ErrBadPage)
		}
		dir := " ASC"
		if o.Desc {
			dir = " DESC"
		}
		parts = append(parts, col+dir)
	}
	return " ORDER BY " + strings.Join(append(parts, tie), ", "), nil
}

// limits validates the page and returns its size and offset.
func (p Page) limits() (size, offset int, err error) {
	if p.Number < 0 || p.Size < 0 {
		return 0, 0, fmt.Errorf("page %d of size %d: %w", p.Number, p.Size, ErrBadPage)
	}
	size = p.Size
	if size == 0 {
		size = 10
	}
	size = min(size, MaxPageSize)
	return size, p.Number * size, nil
}
