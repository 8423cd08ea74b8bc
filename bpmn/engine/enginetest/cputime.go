package enginetest

import "time"

// CPUTime returns the user and system CPU time the process has used so far, or 0 where the platform
// does not say. Benchmarks report CPU per operation next to wall time: on a machine shared with other
// work, wall time measures the machine's load as much as the code, CPU time much less.
func CPUTime() time.Duration { return cpuTime() }
