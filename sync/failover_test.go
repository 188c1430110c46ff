package sync_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/internal/pgtest"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
)

// HQ survives losing its machine (issue 20 point 5). HQ's PostgreSQL streams to a
// synchronous standby, so a batch HQ acknowledges is on both servers. The primary is
// killed (SIGKILL) while a booth uploads; the standby is promoted; HQ, whose URL names
// both servers with target_session_attrs=read-write, finds the new primary by itself;
// the booth carries on by itself. Nothing HQ acknowledged before the kill is missing
// on the promoted standby, and in the end HQ holds every crossing exactly once.
func TestFailoverToSynchronousStandbyLosesNoAcknowledgedCrossing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	primary := pgtest.Primary(t)
	primary.Exec(t, "postgres", "CREATE DATABASE chekara")
	standby := primary.Standby(t, "hq_standby")
	primary.RequireSync(t, "hq_standby")

	url := fmt.Sprintf("postgres://%s@127.0.0.1:%d,127.0.0.1:%d/chekara?sslmode=disable&target_session_attrs=read-write&connect_timeout=2",
		pgtest.User, primary.Port, standby.Port)
	h := hqtest.Start(t, hq.Config{Postgres: url, RequireStandby: true})
	b := newBooth(t, h, h.Addr, 20)

	// The booth records and uploads without pause; acked is the highest sequence
	// number HQ has acknowledged, as the booth's own store says.
	ctx := context.Background()
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	var uploadErrors atomic.Int32
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := b.link.Upload(ctx); err != nil {
				uploadErrors.Add(1)
				time.Sleep(50 * time.Millisecond)
			}
			if m, err := b.s.SentMark(ctx); err == nil {
				acked.Store(m)
			}
		}
	}()
	commitMore := func(rounds int) {
		for i := 0; i < rounds; i++ {
			b.commit(t, 20)
			time.Sleep(10 * time.Millisecond)
		}
	}
	commitMore(15)
	waitFor(t, "HQ acknowledges the first crossings", func() bool { return acked.Load() >= 100 })

	primary.Kill(t)
	ackedAtKill := acked.Load()
	commitMore(5) // the booth goes on recording while HQ's database is gone

	standby.Promote(t)
	// Before HQ takes another batch: everything acknowledged is on the promoted standby.
	conn, err := pgx.Connect(ctx, standby.URL("chekara"))
	if err != nil {
		t.Fatal(err)
	}
	var have int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM records WHERE booth = 'DOSTUK-07' AND seq <= $1`, ackedAtKill).Scan(&have); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if have < ackedAtKill {
		t.Fatalf("HQ acknowledged %d crossings before its primary died; the promoted standby holds %d of them", ackedAtKill, have)
	}

	commitMore(5)
	waitFor(t, "the booth's backlog reaches the new primary", func() bool {
		last, _ := b.s.LastSeq(ctx)
		return acked.Load() == last
	})
	close(stop)
	wg.Wait()
	if uploadErrors.Load() == 0 {
		t.Fatal("no upload failed: the primary was not killed during ingest")
	}
	t.Logf("acknowledged at the kill: %d; committed in all: %d; failed uploads while HQ had no database: %d",
		ackedAtKill, len(b.committed), uploadErrors.Load())
	checkHQ(t, h, b.committed, "DOSTUK-07")
}

// The other half of the promise: with its standby gone, HQ acknowledges nothing (the
// commit waits), and its health says why, so that no acknowledged batch is ever on
// one machine only.
func TestHQAcknowledgesNothingWithoutItsStandby(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	primary := pgtest.Primary(t)
	primary.Exec(t, "postgres", "CREATE DATABASE chekara")
	standby := primary.Standby(t, "hq_standby")
	primary.RequireSync(t, "hq_standby")
	h := hqtest.Start(t, hq.Config{Postgres: primary.URL("chekara"), RequireStandby: true, HealthIdleTimeout: time.Second})
	b := newBooth(t, h, h.Addr, 21)

	standby.Kill(t)
	b.commit(t, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if res, err := b.link.Upload(ctx); err == nil && res.Sent > 0 {
		t.Fatalf("HQ acknowledged %d crossings with its synchronous standby down", res.Sent)
	}
	if m, _ := b.s.SentMark(context.Background()); m != 0 {
		t.Fatalf("sent mark %d with the standby down", m)
	}
	rec := httptest.NewRecorder()
	h.HealthHandler().ServeHTTP(rec, httptest.NewRequest("GET", wire.PathHealth, nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "no synchronous standby") {
		t.Fatalf("health with the standby down: %d %s", rec.Code, rec.Body)
	}
}
