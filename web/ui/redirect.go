package ui

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// WantsPage reports whether a request is a browser asking for a page: a GET whose Accept header lists
// text/html (with a non-zero quality) and that carries no bearer token. API clients (orchent, curl, fetch)
// send */* or application/json and keep getting the API's answer.
func WantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" {
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != "text/html" {
			continue
		}
		if q, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
				continue
			}
		}
		return true
	}
	return false
}
