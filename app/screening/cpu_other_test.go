//go:build !linux

package screening_test

import "time"

// threadCPU is not measured outside Linux: the CPU-time figures read 0 there
// and only the wall-clock ones count.
func threadCPU() time.Duration { return 0 }
