package engine

import "time"

// Clock gives the engine the time: every timer is scheduled and every journal event stamped by it,
// so tests drive time with a fake clock instead of sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
