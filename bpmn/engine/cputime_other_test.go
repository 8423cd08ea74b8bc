//go:build !unix

package engine_test

import "time"

// cpuTime is not measured on this platform: the benchmark reports zero CPU time.
func cpuTime() time.Duration { return 0 }
