package chipsim

import (
	"net"

	"golang.org/x/sys/unix"
)

// quickAck asks Linux to acknowledge at once. vpcd writes a frame's length and its
// bytes in two sends; with Nagle on its side and delayed ACKs on ours every APDU
// would wait 40 ms for the second half.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	if raw, err := tc.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) { unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_QUICKACK, 1) })
	}
}
