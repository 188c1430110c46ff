package sync_test

import (
	"context"
	"fmt"
	"io"
	"net"
	gosync "sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// stallProxy forwards TCP to upstream, but passes only the first n bytes of
// each answer and then holds the connection open in silence: an HQ that sends
// its headers and half a body, then nothing.
func stallProxy(t *testing.T, upstream string, n int64) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu gosync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, u)
			mu.Unlock()
			go io.Copy(u, c)
			go func() {
				io.CopyN(c, u, n)
				// Then silence: the connection stays open, nothing more arrives.
			}()
		}
	}()
	return l.Addr().String()
}

// TestFetchFromAStalledHQ: headers, then part of a large list, then nothing:
// the fetch ends within its stall timeout as EUNAVAILABLE instead of hanging
// (issue 14, item 4; before, bmis sync --once still hung after 200 s).
func TestFetchFromAStalledHQ(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	l := &screening.List{Version: 1, Published: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)}
	for i := range 20000 {
		l.Persons = append(l.Persons, screening.Person{ID: fmt.Sprintf("P%06d", i), Names: []string{"ASANOV BAKYT"}, BirthDate: "1980",
			Nationalities: []string{"KGZ"}, Category: screening.DenyEntry})
	}
	if _, err := h.ImportLists(context.Background(), listBytes(t, l)); err != nil {
		t.Fatal(err)
	}
	addr := stallProxy(t, h.Addr, 96<<10)
	c, err := sync.NewClient(h.Enrol(t, "DOSTUK-07", "DOSTUK"), sync.ClientOptions{Address: "https://" + addr, StallTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, _, err := c.Fetch(context.Background(), wire.KindLists, 0, 256<<20)
		done <- err
	}()
	select {
	case err := <-done:
		if app.ErrorCode(err) != app.EUNAVAILABLE {
			t.Fatalf("got %v, want unavailable", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("took %v", took)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the fetch from a stalled HQ still hangs after 20 s")
	}
}

// hangingLists is an HQ whose list endpoint never answers.
type hangingLists struct{ started chan struct{} }

func (h hangingLists) Fetch(ctx context.Context, _ wire.EnvelopeKind, _ int64, _ int) (wire.Envelope, bool, error) {
	select {
	case h.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return wire.Envelope{}, false, ctx.Err()
}

// TestUploadsNeverWaitBehindAPull: while a pull hangs, a new decision still
// reaches HQ at once.
func TestUploadsNeverWaitBehindAPull(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	s := openStore(t, 0)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, "")
	hang := hangingLists{started: make(chan struct{}, 1)}
	p, err := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindLists, File: t.TempDir() + "/" + sync.ListsFile, Build: sync.ListsBuild})
	if err != nil {
		t.Fatal(err)
	}
	l.Puller, l.Lists = p, hang
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l.Start(ctx)
	defer l.Stop()
	select {
	case <-hang.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the link never pulled")
	}
	seed(t, s, 5, 3)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if sent, _ := s.SentMark(ctx); sent == 5 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("records wait behind a hanging pull")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
