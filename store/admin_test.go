package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

// TestOldestPending: the oldest record HQ has not acknowledged, by booth
// time, and none once HQ holds everything.
func TestOldestPending(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s, _ := openStore(t, store.Options{Clock: clk})
	if at, err := s.OldestPending(ctx); err != nil || !at.IsZero() {
		t.Fatalf("new store: %v %v, want none", at, err)
	}
	first := clk.Now()
	for i := range 3 {
		if err := s.Decide(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", clk.Now())); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
	}
	if at, err := s.OldestPending(ctx); err != nil || !at.Equal(first) {
		t.Errorf("three waiting: %v %v, want %v", at, err, first)
	}
	if err := s.MarkSent(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if at, err := s.OldestPending(ctx); err != nil || !at.Equal(first.Add(time.Hour)) {
		t.Errorf("first acknowledged: %v %v, want %v", at, err, first.Add(time.Hour))
	}
	if err := s.MarkSent(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if at, err := s.OldestPending(ctx); err != nil || !at.IsZero() {
		t.Errorf("all acknowledged: %v %v, want none", at, err)
	}
}

// TestCheckBackup: a backup copy whose pages read and whose chain is whole
// passes and names its last entry; one with an entry rewritten, or a file
// damaged on the drive, fails with EINVALID.
func TestCheckBackup(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	for i := range 5 {
		if err := s.Decide(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	open := func(path string) *store.Store {
		t.Helper()
		c, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	good := filepath.Join(t.TempDir(), "good.db")
	if err := s.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	n, head, err := open(good).CheckBackup(ctx)
	if err != nil || n != 5 || head.Seq != 5 {
		t.Fatalf("good copy: %d entries, head %d, %v; want 5, 5", n, head.Seq, err)
	}

	tampered := filepath.Join(t.TempDir(), "tampered.db")
	if err := s.Backup(ctx, tampered); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, tampered)
	for _, q := range []string{"DROP TRIGGER audit_no_update", "UPDATE audit SET detail = '{}' WHERE seq = 3"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if _, _, err := open(tampered).CheckBackup(ctx); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("rewritten entry: %v, want EINVALID", err)
	}

	torn := filepath.Join(t.TempDir(), "torn.db")
	if err := s.Backup(ctx, torn); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(torn)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) / 2; i < len(data)/2+4096 && i < len(data); i++ {
		data[i] ^= 0x5a // a page in the middle scrambled
	}
	if err := os.WriteFile(torn, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := store.Open(torn, store.Options{ReadOnly: true})
	if err == nil {
		defer c.Close()
		_, _, err = c.CheckBackup(ctx)
	}
	if err == nil {
		t.Error("a scrambled page passed the check")
	}
}
