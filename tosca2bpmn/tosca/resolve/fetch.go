package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// HTTPError is a fetch answered with a status other than 2xx. It unwraps to ErrNotFound for 404 and 410, else
// to ErrFetch.
type HTTPError struct {
	URL    string // the URL requested
	Status int    // the HTTP status code of the answer
}

// Error implements error.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Unwrap classifies the status.
func (e *HTTPError) Unwrap() error {
	if e.Status == http.StatusNotFound || e.Status == http.StatusGone {
		return ErrNotFound
	}
	return ErrFetch
}

// fetch returns the body of the http(s) URL u: from memory, else from the disk cache while it is fresh, else
// from the network (only with a client), bounded by MaxSize and FetchTimeout.
func (r *Resolver) fetch(ctx context.Context, u string) ([]byte, error) {
	r.mu.Lock()
	data, ok := r.fetched[u]
	r.mu.Unlock()
	if ok {
		return data, nil
	}
	if data, ok := r.cached(u); ok {
		r.remember(u, data)
		return data, nil
	}
	if r.client == nil {
		return nil, fmt.Errorf("%s: %w", u, ErrNoMirror)
	}
	data, err := r.get(ctx, u)
	if err != nil {
		return nil, err
	}
	r.remember(u, data)
	r.store(u, data)
	return data, nil
}

// remember keeps a fetched body for the life of the Resolver, so that one parse fetches each URL once.
func (r *Resolver) remember(u string, data []byte) {
	r.mu.Lock()
	r.fetched[u] = data
	r.mu.Unlock()
}

// get performs the GET request.
func (r *Resolver) get(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %w", u, ErrBadReference, err)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %w", u, ErrFetch, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &HTTPError{URL: u, Status: resp.StatusCode}
	}
	if resp.ContentLength > r.opts.MaxSize {
		return nil, fmt.Errorf("fetch %s: %d bytes, more than %d: %w", u, resp.ContentLength, r.opts.MaxSize, ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, r.opts.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %w", u, ErrFetch, err)
	}
	if int64(len(data)) > r.opts.MaxSize {
		return nil, fmt.Errorf("fetch %s: more than %d bytes: %w", u, r.opts.MaxSize, ErrTooLarge)
	}
	return data, nil
}

// probe reports whether the URL answers 2xx, for Exists: with HEAD, since artifacts may be large, and with a
// GET whose body is not read when the server does not do HEAD.
// The answer is kept for the life of the Resolver (artifacts are often listed by several templates), except
// when the context ended: that says nothing about the URL.
func (r *Resolver) probe(ctx context.Context, u string) bool {
	r.mu.Lock()
	found, ok := r.probed[u]
	r.mu.Unlock()
	if ok {
		return found
	}
	found = r.ask(ctx, u)
	if ctx.Err() == nil {
		r.mu.Lock()
		r.probed[u] = found
		r.mu.Unlock()
	}
	return found
}

// ask sends the probe.
func (r *Resolver) ask(ctx context.Context, u string) bool {
	ctx, cancel := context.WithTimeout(ctx, r.opts.FetchTimeout)
	defer cancel()
	status := func(method string) int {
		req, err := http.NewRequestWithContext(ctx, method, u, nil)
		if err != nil {
			return 0
		}
		resp, err := r.client.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	s := status(http.MethodHead)
	if s == http.StatusMethodNotAllowed || s == http.StatusNotImplemented {
		s = status(http.MethodGet)
	}
	return s >= 200 && s <= 299
}

// cacheFile is where the body of u is cached: the SHA-256 of the URL, so any URL makes a safe file name.
func (r *Resolver) cacheFile(u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(r.opts.CacheDir, hex.EncodeToString(sum[:]))
}

// cached returns the cached body of u when there is one younger than CacheMaxAge (any age when 0).
func (r *Resolver) cached(u string) ([]byte, bool) {
	if r.opts.CacheDir == "" {
		return nil, false
	}
	name := r.cacheFile(u)
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() || st.Size() > r.opts.MaxSize {
		return nil, false
	}
	if r.opts.CacheMaxAge > 0 && r.opts.Now().Sub(st.ModTime()) > r.opts.CacheMaxAge {
		return nil, false
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	return data, true
}

// store writes the body of u to the cache atomically (a temporary file renamed over the final name), so that
// a concurrent reader sees the old body or the new one, never a part. A cache that cannot be written only
// costs a later fetch, so the error is dropped.
func (r *Resolver) store(u string, data []byte) {
	if r.opts.CacheDir == "" {
		return
	}
	_ = writeAtomic(r.cacheFile(u), data)
}

// writeAtomic writes data to name through a temporary file in the same directory.
func writeAtomic(name string, data []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".fetch-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
