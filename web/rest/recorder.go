package rest

import "net/http"

// StatusRecorder remembers the status a handler wrote, for the access log, the recoverer and the
// metrics.
type StatusRecorder struct {
	http.ResponseWriter
	// Code is the status written, 0 while nothing is.
	Code int
}

// WriteHeader records code and writes it.
func (r *StatusRecorder) WriteHeader(code int) {
	if r.Code == 0 {
		r.Code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a header.
func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.Code == 0 {
		r.Code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
