//go:build unix

package safefile

import "syscall"

// noFollow refuses to open a symbolic link in a file's place; nonBlock opens a
// FIFO without waiting for a writer, so an import can see it is not a file.
const (
	noFollow = syscall.O_NOFOLLOW
	nonBlock = syscall.O_NONBLOCK
)
