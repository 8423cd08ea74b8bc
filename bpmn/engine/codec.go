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
			// The step's own copies: nobody else holds them before the commit, so keeping the
			// encodings races with no reader. A shared scope without one is left as it is.
			keep := in.gen != 0 && s.gen == in.gen
			var err error
			if es.JSON, err = encodeScope(s, keep); err != nil {
				return EncodedInstance{}, fmt.Errorf("encode instance %q: scope %d: %w", in.ID, s.ID, err)
			}
			es.Fresh = true
			if keep {
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

// UnmarshalJSON decodes the scope and keeps its encoding (see EncodeInstance), and that of its
// variables.
func (s *Scope) UnmarshalJSON(data []byte) error {
	var d struct {
		*scopeFields
		Vars json.RawMessage `json:"vars,omitempty"` // shadows scopeFields.Vars: kept raw, decoded below
	}
	d.scopeFields = (*scopeFields)(s)
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	s.Vars, s.varsEnc = nil, nil
	if len(d.Vars) > 0 && string(d.Vars) != "null" {
		if err := json.Unmarshal(d.Vars, &s.Vars); err != nil {
			return err
		}
		s.varsEnc = d.Vars
	}
	s.enc = append([]byte(nil), data...)
	return nil
}

// Scopes grow large in three parts a step seldom changes: the variables (a plan's unit descriptors),
// the compensation records (one per completed unit, with its variables) and a multi-instance body's
// input items. Re-encoding a plan's process scope for one more record took milliseconds, at every unit's
// end; encodeScope encodes the rest of the scope and splices in the encodings those parts keep while
// they do not change (Scope.varsEnc, CompRecord.enc, MIState.itemsEnc). The field order differs from
// json.Marshal's, the JSON value does not. keep: the scope is the step's own copy, whose parts may keep
// the encodings made here.
func encodeScope(s *Scope, keep bool) ([]byte, error) {
	rest := *(*scopeFields)(s)
	rest.Vars, rest.Comp, rest.MI = nil, nil, nil // omitted (omitempty), spliced in below
	out, err := json.Marshal(&rest)
	if err != nil {
		return nil, err
	}
	out = out[:len(out)-1] // the closing brace; the fields before it always include "id"
	if len(s.Vars) > 0 {
		vars := s.varsEnc
		if vars == nil {
			if vars, err = json.Marshal(s.Vars); err != nil {
				return nil, err
			}
			if keep {
				s.varsEnc = vars
			}
		}
		out = append(append(out, `,"vars":`...), vars...)
	}
	if len(s.Comp) > 0 {
		out = append(out, `,"comp":[`...)
		for i, c := range s.Comp {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = c.appendJSON(out, keep); err != nil {
				return nil, err
			}
		}
		out = append(out, ']')
	}
	if s.MI != nil {
		mi, err := s.MI.encode(keep)
		if err != nil {
			return nil, err
		}
		out = append(append(out, `,"mi":`...), mi...)
	}
	return append(out, '}'), nil
}

// compFields is CompRecord without its methods.
type compFields CompRecord

// appendJSON appends the record's JSON to out: the encoding it keeps, else a new one, which it then
// keeps when keep is set (a record without one was made by the step being committed: nobody else
// reads it yet).
func (c *CompRecord) appendJSON(out []byte, keep bool) ([]byte, error) {
	if c.enc != nil {
		return append(out, c.enc...), nil
	}
	b, err := json.Marshal((*compFields)(c))
	if err != nil {
		return nil, err
	}
	if keep {
		c.enc = b
	}
	return append(out, b...), nil
}

// MarshalJSON encodes the record, reusing the encoding it keeps. It never stores one: a record may be
// shared with readers.
func (c *CompRecord) MarshalJSON() ([]byte, error) {
	if c.enc != nil {
		return c.enc, nil
	}
	return json.Marshal((*compFields)(c))
}

// UnmarshalJSON decodes the record and keeps its encoding.
func (c *CompRecord) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*compFields)(c)); err != nil {
		return err
	}
	c.enc = append([]byte(nil), data...)
	return nil
}

// miFields is MIState without its methods.
type miFields MIState

// encode encodes the body's state, splicing in the encoding of its items it keeps (or makes, and keeps
// when keep is set: the step's own copy).
func (m *MIState) encode(keep bool) ([]byte, error) {
	rest := *(*miFields)(m)
	rest.Items = nil // omitted (omitempty), spliced in below
	out, err := json.Marshal(&rest)
	if err != nil || len(m.Items) == 0 {
		return out, err
	}
	items := m.itemsEnc
	if items == nil {
		if items, err = json.Marshal(m.Items); err != nil {
			return nil, err
		}
		if keep {
			m.itemsEnc = items
		}
	}
	out = out[:len(out)-1] // the closing brace; "n" always comes before it
	return append(append(append(out, `,"items":`...), items...), '}'), nil
}

// UnmarshalJSON decodes the body's state and keeps the encoding of its items.
func (m *MIState) UnmarshalJSON(data []byte) error {
	var d struct {
		*miFields
		Items json.RawMessage `json:"items,omitempty"` // shadows miFields.Items: kept raw, decoded below
	}
	d.miFields = (*miFields)(m)
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	m.Items, m.itemsEnc = nil, nil
	if len(d.Items) > 0 && string(d.Items) != "null" {
		if err := json.Unmarshal(d.Items, &m.Items); err != nil {
			return err
		}
		m.itemsEnc = d.Items
	}
	return nil
}
