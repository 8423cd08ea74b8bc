package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Encoding instances. A store persists an instance as JSON (json.Marshal and json.Unmarshal give it),
// and most steps change a few scopes of a large state: a plan of twenty units keeps ~100 KB of unit
// descriptors and compensation records in scopes the step does not touch. Each scope therefore keeps
// the JSON it was decoded from or last encoded to, and a committed scope is never changed again (a step
// copies a shared scope before writing it, run.scope; copyFor drops the copy's encoding), so encoding
// the instance a step commits re-encodes only the scopes that step changed.

// MarshalInstance returns the JSON of an instance a step hands to Store.Commit: what json.Marshal gives,
// re-encoding only the scopes the step changed. It keeps the encoding of those scopes in them, which is
// right only because the step will not change them any more: call it on the instances of a Mutation
// being committed, never on one a step is still running.
func MarshalInstance(in *Instance) ([]byte, error) {
	scopes := make([][]byte, len(in.Scopes))
	size := 0
	for i, s := range in.Scopes {
		b := s.enc
		if b == nil {
			var err error
			if b, err = json.Marshal((*scopeFields)(s)); err != nil {
				return nil, err
			}
			// The step's own copies: nobody else holds them before the commit, so keeping the
			// encoding races with no reader. A shared scope without one is left as it is.
			if in.gen != 0 && s.gen == in.gen {
				s.enc = b
			}
		}
		scopes[i] = b
		size += len(b) + 1
	}
	// The rest of the instance is small: encode it without its scopes and splice them in, which spares
	// the encoder's validation pass over every scope's JSON (what a json.Marshaler would cost).
	rest := *in
	rest.Scopes = nil
	head, err := json.Marshal(&rest)
	if err != nil {
		return nil, err
	}
	// The fields before "scopes" are strings (escaped) and numbers: the first match is the field.
	at := bytes.Index(head, nullScopes)
	if at < 0 {
		return nil, fmt.Errorf("encode instance %q: no scopes field", in.ID)
	}
	out := make([]byte, 0, len(head)+size+2)
	out = append(out, head[:at]...)
	out = append(out, `"scopes":[`...)
	for i, b := range scopes {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	out = append(out, ']')
	return append(out, head[at+len(nullScopes):]...), nil
}

var nullScopes = []byte(`"scopes":null`)

// scopeFields is Scope without its methods, for the encoder's and decoder's default field handling.
type scopeFields Scope

// MarshalJSON encodes the scope, reusing the encoding it was decoded from or committed with.
func (s *Scope) MarshalJSON() ([]byte, error) {
	if s.enc != nil {
		return s.enc, nil
	}
	return json.Marshal((*scopeFields)(s))
}

// UnmarshalJSON decodes the scope and keeps its encoding (see MarshalInstance).
func (s *Scope) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*scopeFields)(s)); err != nil {
		return err
	}
	s.enc = append([]byte(nil), data...)
	return nil
}
