package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// RequireJSON refuses a body whose Content-Type is not JSON (415).
func RequireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return Errorf(http.StatusUnsupportedMediaType, "Content type %q is not supported, use application/json", ct)
	}
	return nil
}

// ReadObject decodes a JSON object body (numbers kept as json.Number) within the body limit.
func ReadObject(w http.ResponseWriter, r *http.Request, limit int64) (map[string]any, error) {
	if err := RequireJSON(r); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, Errorf(http.StatusRequestEntityTooLarge, "The request body exceeds %d bytes", mbe.Limit)
		}
		return nil, Errorf(http.StatusBadRequest, "read request body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, Errorf(http.StatusBadRequest, "The request body is not a JSON object")
	}
	if dec.More() {
		return nil, Errorf(http.StatusBadRequest, "The request body holds more than one JSON value")
	}
	return obj, nil
}

// Fields reads the request fields of a body, coercing scalars the way INDIGO clients send them
// (orchent sends "keepLastAttempt":"true" and numbers as strings); problems accumulate.
type Fields struct {
	obj      map[string]any
	problems []string
}

// NewFields reads the fields of a decoded body (ReadObject).
func NewFields(obj map[string]any) *Fields { return &Fields{obj: obj} }

// Problem notes a problem of the body.
func (f *Fields) Problem(format string, args ...any) {
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
}

// Problems are the problems noted so far, in the order found.
func (f *Fields) Problems() []string { return f.problems }

// Str reads a string field; a number or a boolean is taken as its text ("" when absent).
func (f *Fields) Str(name string) string {
	v, ok := f.obj[name]
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number, bool:
		return fmt.Sprint(v)
	default:
		if ok {
			f.Problem("%s must be a string", name)
		}
		return ""
	}
}

// Integer reads an integer field, given as a JSON number or a string; false when absent or invalid.
func (f *Fields) Integer(name string) (int, bool) {
	var s string
	switch v := f.obj[name].(type) {
	case nil:
		return 0, false
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
		if s == "" {
			return 0, false
		}
	default:
		f.Problem("%s must be an integer", name)
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Problem("%s must be an integer, not %q", name, s)
		return 0, false
	}
	return n, true
}

// Boolean reads a boolean field, given as a JSON boolean or a string (false when absent).
func (f *Fields) Boolean(name string) bool {
	switch v := f.obj[name].(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			f.Problem("%s must be true or false, not %q", name, v)
		}
		return b
	default:
		f.Problem("%s must be true or false", name)
		return false
	}
}

// Object reads a JSON object field with its numbers as int64 or float64 (empty when absent).
func (f *Fields) Object(name string) map[string]any {
	switch v := f.obj[name].(type) {
	case nil:
		return map[string]any{}
	case map[string]any:
		return numbersToValues(v).(map[string]any)
	default:
		f.Problem("%s must be a JSON object", name)
		return nil
	}
}

// numbersToValues turns json.Number into int64 or float64 so that parameters reach TOSCA as numbers.
func numbersToValues(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = numbersToValues(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = numbersToValues(e)
		}
		return v
	default:
		return v
	}
}
