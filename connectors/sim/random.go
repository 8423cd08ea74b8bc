package sim

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// rng returns the random source of one call: a function of the seed and of what identifies the call (the
// provider, the operation, the idempotency key and the call's number for that key), so that the same seed
// gives the same draws whatever order concurrent calls come in.
func (c *Cloud) rng(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(c.cfg.Seed, h.Sum64()))
}

// sample draws a duration of the distribution.
func (l Latency) sample(r *rand.Rand) time.Duration {
	switch l.Dist {
	case Fixed:
		return l.Mean
	case Uniform:
		if l.Max == l.Min {
			return l.Min
		}
		return l.Min + time.Duration(r.Int64N(int64(l.Max-l.Min)+1))
	case Normal:
		d := time.Duration(r.NormFloat64()*float64(l.StdDev)) + l.Mean
		return max(d, l.Min, 0)
	}
	return 0
}

// hash64 is a stable hash of the parts, for ids and addresses derived from them.
func hash64(seed uint64, parts ...string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
