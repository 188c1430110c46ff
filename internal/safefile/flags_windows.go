package safefile

// Windows has no O_NOFOLLOW or O_NONBLOCK: its links need a privilege to make,
// and it has no FIFOs in the file system. The checks that follow the open still
// refuse anything but a regular file.
const (
	noFollow = 0
	nonBlock = 0
)
