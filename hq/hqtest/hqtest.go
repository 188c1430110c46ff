// Package hqtest starts a real HQ inside a test process: mutual TLS on
// loopback, a real SQLite file or a PostgreSQL schema of its own, booths
// enrolled programmatically. The hq tests and sync's end-to-end fault tests
// share it.
package hqtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
)

// PostgresURL returns a URL for the test PostgreSQL (CHEKARA_TEST_POSTGRES) whose
// search_path is a fresh schema, dropped when the test ends. Without PostgreSQL
// the test skips (fails in CI).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("CHEKARA_TEST_POSTGRES")
	var err error
	if url == "" {
		err = errors.New("CHEKARA_TEST_POSTGRES is not set")
	}
	testenv.Require(tb, "PostgreSQL", err)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	testenv.Require(tb, "PostgreSQL", err)
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "hqtest_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), url); err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// HQ is a running in-process HQ.
type HQ struct {
	*hq.Server
	URL  string // https://127.0.0.1:PORT
	Addr string // 127.0.0.1:PORT
	Cfg  hq.Config
}

// Start opens and starts HQ on a loopback port. Zero fields of cfg get test
// defaults: a temporary data directory, listen 127.0.0.1:0, logs discarded
// (shown with -v when HQTEST_LOG=1). Closed when the test ends.
func Start(tb testing.TB, cfg hq.Config) *HQ {
	tb.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = tb.TempDir()
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.Logger == nil {
		var w io.Writer = io.Discard
		if os.Getenv("HQTEST_LOG") == "1" {
			w = os.Stderr
		}
		cfg.Logger = slog.New(slog.NewJSONHandler(w, nil))
	}
	h := &HQ{Cfg: cfg}
	h.start(tb, cfg.Listen)
	tb.Cleanup(func() { h.Server.Close() })
	return h
}

func (h *HQ) start(tb testing.TB, addr string) {
	tb.Helper()
	s, err := hq.Open(context.Background(), h.Cfg)
	if err != nil {
		tb.Fatal(err)
	}
	var url string
	for i := 0; i < 100; i++ { // the old socket may linger a moment after a restart
		if url, err = s.Start(addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.Close()
		tb.Fatal(err)
	}
	h.Server, h.URL, h.Addr = s, url, strings.TrimPrefix(url, "https://")
}

// Restart closes HQ at once (connections cut, a batch in flight is lost or
// rolled back) and opens it again on the same address and data.
func (h *HQ) Restart(tb testing.TB) {
	tb.Helper()
	h.Server.Close()
	h.start(tb, h.Addr)
}

// Enrol enrols a booth and returns its bundle, addressed to this HQ.
func (h *HQ) Enrol(tb testing.TB, booth, post string) wire.Bundle {
	tb.Helper()
	b, err := h.Server.Enrol(context.Background(), booth, post, h.URL)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Client returns an HTTPS client that presents the bundle's certificate.
func Client(tb testing.TB, b wire.Bundle) *http.Client {
	tb.Helper()
	tc, err := b.ClientTLS()
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: tc, ForceAttemptHTTP2: true}, Timeout: 30 * time.Second}
}
