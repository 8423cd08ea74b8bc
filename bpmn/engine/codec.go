package engine

import (
	"encoding/json"
	"fmt"
)

// Encoding instances. A store persists an instance as JSON: whole (json.Marshal and json.Unmarshal
// give it) or in parts (EncodeInstance and DecodeInstance). Most steps change a few scopes of a large
// state: a plan of twenty units keeps ~100 KB of unit descriptors and compensation records in scopes
// the step does not touch. Each scope therefore keeps the JSON it was decoded from or last encoded to,
// and a committed scope is never changed again (a step copies a shared scope before writing it,
// run.scope; copyFor drops the copy's encoding), so encoding the instance a step commits re-encodes
// only the scopes that step changed, and a store that keeps scopes apart writes only those.

// EncodedInstance is an instance's JSON in parts, for a store that keeps each scope in a row of its
// own so that a step writes only what it changed: Head is the instance without its scopes (its
// "scopes" are null), Scopes the JSON of every scope, in id order.
type EncodedInstance struct {
	Head   []byte
	Scopes []EncodedScope
}

// EncodedScope is one scope's JSON.
type EncodedScope struct {
	ID   int64
	JSON []byte
	// Fresh tells that the scope was encoded now: the step made or changed it, so a store must write
	// it. A scope that is not fresh holds the JSON it was decoded from or committed with.
	Fresh bool
}

// EncodeInstance encodes an instance a step hands to Store.Commit, re-encoding only the scopes the
// step changed. It keeps the encoding of those scopes in them, which is right only because the step
// will not change them any more: call it on the instances of a Mutation being committed, never on one
// a step is still running.
func EncodeInstance(in *Instance) (EncodedInstance, error) {
	enc := EncodedInstance{Scopes: make([]EncodedScope, len(in.Scopes))}
	for i, s := range in.Scopes {
		es := EncodedScope{ID: s.ID, JSON: s.enc}
		if es.JSON == nil {
			var err error
			if es.JSON, err = json.Marshal((*scopeFields)(s)); err != nil {
				return EncodedInstance{}, fmt.Errorf("encode instance %q: scope %d: %w", in.ID, s.ID, err)
			}
			es.Fresh = true
			// The step's own copies: nobody else holds them before the commit, so keeping the
			// encoding races with no reader. A shared scope without one is left as it is.
			if in.gen != 0 && s.gen == in.gen {
				s.enc = es.JSON
			}
		}
		enc.Scopes[i] = es
	}
	rest := *in
	rest.Scopes = nil
	head, err := json.Marshal(&rest)
	if err != nil {
		return EncodedInstance{}, fmt.Errorf("encode instance %q: %w", in.ID, err)
	}
	enc.Head = head
	return enc, nil
}

// DecodeInstance decodes what EncodeInstance gave: the head and the scopes' JSON in id order. Each
// scope keeps the JSON it was decoded from, so that a step re-encodes only what it changes.
func DecodeInstance(head []byte, scopes [][]byte) (*Instance, error) {
	in := new(Instance)
	if err := json.Unmarshal(head, in); err != nil {
		return nil, fmt.Errorf("decode instance: %w", err)
	}
	if in.Scopes != nil {
		return nil, fmt.Errorf("decode instance %q: the head holds scopes", in.ID)
	}
	in.Scopes = make([]*Scope, len(scopes))
	for i, b := range scopes {
		s := new(Scope)
		if err := s.UnmarshalJSON(b); err != nil {
			return nil, fmt.Errorf("decode instance %q: scope %d: %w", in.ID, i, err)
		}
		if i > 0 && s.ID <= in.Scopes[i-1].ID {
			return nil, fmt.Errorf("decode instance %q: scope %d after scope %d: scopes must be in id order",
				in.ID, s.ID, in.Scopes[i-1].ID)
		}
		in.Scopes[i] = s
	}
	return in, nil
}

// scopeFields is Scope without its methods, for the encoder's and decoder's default field handling.
type scopeFields Scope

// MarshalJSON encodes the scope, reusing the encoding it was decoded from or committed with.
func (s *Scope) MarshalJSON() ([]byte, error) {
	if s.enc != nil {
		return s.enc, nil
	}
	return json.Marshal((*scopeFields)(s))
}

// UnmarshalJSON decodes the scope and keeps its encoding (see EncodeInstance).
func (s *Scope) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*scopeFields)(s)); err != nil {
		return err
	}
	s.enc = append([]byte(nil), data...)
	return nil
}
