//go:build unix

package ocr

import (
	"os"
	"syscall"
	"time"
)

// OneThread makes Tesseract use one OpenMP thread. libgomp reads OMP_THREAD_LIMIT
// when the library is loaded, before main runs, so setting it later does nothing:
// when it is unset, OneThread re-executes the program with OMP_THREAD_LIMIT=1 (the
// process keeps its arguments and id). Without it Tesseract's worker threads spin
// against the other booth work on a 2-core PC and a band takes several times as long.
// It returns only when nothing needs doing or the re-exec failed.
func OneThread() {
	if os.Getenv("OMP_THREAD_LIMIT") != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
	_ = syscall.Exec(exe, os.Args, env)
}

// CPUTime is the CPU time this process has used (user + system), for figures that
// must not depend on how busy the machine is.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
