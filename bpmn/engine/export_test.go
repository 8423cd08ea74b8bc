package engine

import "encoding/json"

// EncodeFresh encodes an instance as json.Marshal would with no scope, variables, compensation record
// or multi-instance body keeping an encoding: what EncodeInstance's parts must give.
func EncodeFresh(in *Instance) ([]byte, error) {
	c := *in
	c.Scopes = make([]*Scope, len(in.Scopes))
	for i, s := range in.Scopes {
		cs := *s
		cs.enc, cs.varsEnc = nil, nil
		cs.Comp = freshRecords(s.Comp)
		if s.MI != nil {
			mi := *s.MI
			mi.itemsEnc = nil
			cs.MI = &mi
		}
		c.Scopes[i] = &cs
	}
	c.Tokens = make([]*Token, len(in.Tokens))
	for i, t := range in.Tokens {
		ct := *t
		ct.CompQueue = freshRecords(t.CompQueue)
		c.Tokens[i] = &ct
	}
	return json.Marshal(&c)
}

func freshRecords(recs []*CompRecord) []*CompRecord {
	if recs == nil {
		return nil
	}
	out := make([]*CompRecord, len(recs))
	for i, r := range recs {
		cr := *r
		cr.enc = nil
		cr.Children = freshRecords(r.Children)
		out[i] = &cr
	}
	return out
}
