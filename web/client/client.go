// Package client is a Go client of toscaflow's INDIGO PaaS Orchestrator compatible API that talks
// the way the INDIGO command-line client orchent (indigo-dc/orchent v1.3.0) does: every path is
// relative to a base URL (which may carry a proxy's prefix), lists are read by following the
// absolute next link until self equals last, keepLastAttempt is sent as a string, and every status
// >= 400 is decoded from the API's error body into an *Error. The project's tests drive the API
// through it, so that what orchent relies on is what they check.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxPages bounds the pages List follows: a server whose next links never reach last is an error,
// not an endless loop.
const MaxPages = 10_000

// ErrNoLastPage is returned by List when the next links never reach the last page.
var ErrNoLastPage = errors.New("the next links never reach the last page")

// Error is an answer with a status >= 400: the API's error body and the headers that go with it.
type Error struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
	// RetryAfter and Challenge are the Retry-After and WWW-Authenticate headers, when sent.
	RetryAfter string `json:"-"`
	Challenge  string `json:"-"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Code, e.Title, e.Message) }

// Client calls the API at a base URL.
type Client struct {
	base *url.URL
	http *http.Client
	// Token, when set, is sent as a bearer token.
	Token string
}

// New makes a client of the API at base (e.g. "https://host/orchestrator/"); hc nil means
// http.DefaultClient.
func New(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q: not http or https", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/" // "deployments" is then resolved below the prefix, as orchent does
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: u, http: hc}, nil
}

// Do sends a request to ref, a path relative to the base URL or an absolute link, with in (when not
// nil) as its JSON body, and decodes a 2xx answer into out: a *string receives the text, any other
// pointer the JSON, nil discards it. A status >= 400 is an *Error.
func (c *Client) Do(ctx context.Context, method, ref string, in, out any) error {
	u, err := c.base.Parse(ref)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, ref, err)
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode body: %w", method, ref, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, ref, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, ref, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, ref, err)
	}
	if resp.StatusCode >= 400 {
		e := &Error{RetryAfter: resp.Header.Get("Retry-After"), Challenge: resp.Header.Get("WWW-Authenticate")}
		if err := json.Unmarshal(data, e); err != nil || e.Code != resp.StatusCode || e.Title == "" {
			return fmt.Errorf("%s %s: %d without the error body: %q", method, ref, resp.StatusCode, data)
		}
		return e
	}
	switch out := out.(type) {
	case nil:
		return nil
	case *string:
		*out = string(data)
		return nil
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode %d answer: %w", method, ref, resp.StatusCode, err)
		}
		return nil
	}
}

// Link is one element of a links array.
type Link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// Links maps the rel of each link to its href.
func Links(ls []Link) map[string]string {
	out := make(map[string]string, len(ls))
	for _, l := range ls {
		out[l.Rel] = l.Href
	}
	return out
}

// PageInfo is the page object of a paging envelope.
type PageInfo struct {
	Size          int `json:"size"`
	TotalElements int `json:"totalElements"`
	TotalPages    int `json:"totalPages"`
	Number        int `json:"number"`
}

// page is a paging envelope with its content left raw.
type page struct {
	Links   []Link            `json:"links"`
	Content []json.RawMessage `json:"content"`
	Page    PageInfo          `json:"page"`
}

// List reads every element of a paged list from ref, following the next links until self equals
// last (orchent's loop), and decodes each into a T.
func List[T any](ctx context.Context, c *Client, ref string) ([]T, error) {
	var all []T
	for range MaxPages {
		var p page
		if err := c.Do(ctx, http.MethodGet, ref, nil, &p); err != nil {
			return nil, err
		}
		for _, raw := range p.Content {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("GET %s: decode element: %w", ref, err)
			}
			all = append(all, v)
		}
		links := Links(p.Links)
		if links["self"] == links["last"] || links["next"] == "" {
			return all, nil
		}
		ref = links["next"]
	}
	return nil, fmt.Errorf("GET %s: %w", ref, ErrNoLastPage)
}
