package engine

import "encoding/json"

// EncodeFresh encodes an instance as json.Marshal would with no scope keeping its encoding: what
// EncodeInstance's parts must give.
func EncodeFresh(in *Instance) ([]byte, error) {
	c := *in
	c.Scopes = make([]*Scope, len(in.Scopes))
	for i, s := range in.Scopes {
		cs := *s
		cs.enc = nil
		c.Scopes[i] = &cs
	}
	return json.Marshal(&c)
}
