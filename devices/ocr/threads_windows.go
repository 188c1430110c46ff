package ocr

import (
	"time"

	"golang.org/x/sys/windows"
)

// OneThread does nothing on Windows: the booth there reads pages without
// Tesseract (docs/windows.md), so no OpenMP threads compete with it.
func OneThread() {}

// CPUTime is the CPU time this process has used (user + system).
func CPUTime() time.Duration {
	var creation, exit, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user); err != nil {
		return 0
	}
	// Filetimes count 100 ns intervals.
	ticks := func(f windows.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
