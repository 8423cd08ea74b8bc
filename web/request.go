package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// callbackPattern is what a callback URL must match (API.md, Bodies).
var callbackPattern = regexp.MustCompile(`^https?:`)

// requireJSON refuses a body whose Content-Type is not JSON (415).
func requireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return apiErrorf(http.StatusUnsupportedMediaType, "Content type %q is not supported, use application/json", ct)
	}
	return nil
}

// readObject decodes a JSON object body (numbers kept as json.Number) within the body limit.
func readObject(w http.ResponseWriter, r *http.Request, limit int64) (map[string]any, error) {
	if err := requireJSON(r); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, apiErrorf(http.StatusRequestEntityTooLarge, "The request body exceeds %d bytes", mbe.Limit)
		}
		return nil, apiErrorf(http.StatusBadRequest, "read request body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, apiErrorf(http.StatusBadRequest, "The request body is not a JSON object")
	}
	if dec.More() {
		return nil, apiErrorf(http.StatusBadRequest, "The request body holds more than one JSON value")
	}
	return obj, nil
}

// fields reads the request fields of a body, coercing scalars the way INDIGO clients send them
// (orchent sends "keepLastAttempt":"true" and numbers as strings); problems accumulate.
type fields struct {
	obj      map[string]any
	problems []string
}

func (f *fields) problem(format string, args ...any) {
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
}

func (f *fields) str(name string) string {
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
			f.problem("%s must be a string", name)
		}
		return ""
	}
}

func (f *fields) integer(name string) (int, bool) {
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
		f.problem("%s must be an integer", name)
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.problem("%s must be an integer, not %q", name, s)
		return 0, false
	}
	return n, true
}

func (f *fields) boolean(name string) bool {
	switch v := f.obj[name].(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			f.problem("%s must be true or false, not %q", name, v)
		}
		return b
	default:
		f.problem("%s must be true or false", name)
		return false
	}
}

func (f *fields) object(name string) map[string]any {
	switch v := f.obj[name].(type) {
	case nil:
		return map[string]any{}
	case map[string]any:
		return numbersToValues(v).(map[string]any)
	default:
		f.problem("%s must be a JSON object", name)
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

// createRequest validates a POST /deployments body (API.md, Bodies).
func createRequest(obj map[string]any) (CreateRequest, error) { return deploymentRequest(obj, true) }

// deploymentRequest validates the body of a POST or a PUT (where the template may be left out).
func deploymentRequest(obj map[string]any, needTemplate bool) (CreateRequest, error) {
	f := &fields{obj: obj}
	req := CreateRequest{
		Template: f.str("template"), Parameters: f.object("parameters"), Callback: f.str("callback"),
		KeepLastAttempt: f.boolean("keepLastAttempt"), UserGroup: f.str("userGroup"),
	}
	if needTemplate && strings.TrimSpace(req.Template) == "" {
		f.problem("template is required")
	}
	if req.Callback != "" && !callbackPattern.MatchString(req.Callback) {
		f.problem("callback must be an http or https URL")
	}
	timeout, hasTimeout := f.integer("timeoutMins")
	provTimeout, hasProv := f.integer("providerTimeoutMins")
	retries, hasRetries := f.integer("maxProvidersRetry")
	if hasTimeout && timeout < 1 {
		f.problem("timeoutMins must be >= 1")
	}
	if hasProv && provTimeout < 1 {
		f.problem("providerTimeoutMins must be >= 1")
	}
	if hasTimeout && hasProv && timeout >= 1 && provTimeout > timeout {
		f.problem("ProviderTimeout must be <= Timeout")
	}
	if hasRetries && retries < 1 {
		f.problem("maxProvidersRetry must be >= 1")
	}
	req.TimeoutMins, req.ProviderTimeoutMins, req.MaxProvidersRetry = timeout, provTimeout, retries
	if len(f.problems) > 0 {
		return req, &ProblemsError{Summary: "Invalid deployment request", Problems: f.problems}
	}
	return req, nil
}
