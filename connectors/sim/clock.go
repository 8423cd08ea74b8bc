package sim

import "time"

// Clock gives the simulated cloud its time: latencies are waited on it and the ledger's timestamps read from
// it, so that tests with a fake clock never sleep. (The same shape as esb.Clock.)
type Clock interface {
	Now() time.Time
	// After delivers once d has passed, like time.After.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
