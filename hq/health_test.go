package hq_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
)

// TestHealthServerClosesIdleConnections: 50 keep-alive connections left idle
// on the health address are closed by HQ (issue 14, item 4: they stayed open).
func TestHealthServerClosesIdleConnections(t *testing.T) {
	h := hqtest.Start(t, hq.Config{HealthIdleTimeout: 200 * time.Millisecond})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := h.HealthServer()
	go hs.Serve(l)
	defer hs.Close()
	var conns []net.Conn
	for range 50 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET "+wire.PathHealth+" HTTP/1.1\r\nHost: hq\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("health: %v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		conns = append(conns, c)
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("idle connection %d still open after 3 s: %v", i, err)
		}
	}
}
