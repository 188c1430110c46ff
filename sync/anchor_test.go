package sync_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	bstore "github.com/chekara/chekara/store"
)

// tamper runs statements on the booth's database behind the store's back, as
// someone with write access to booth.db would.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rechain recomputes every audit hash from entry `from` on, as store/audit.go
// defines them: the rewrite a careful attacker makes so the chain verifies.
func rechain(t *testing.T, path string, from int64) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var prev []byte
	if err := db.QueryRow("SELECT hash FROM audit WHERE seq = ?", from-1).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT seq, at, officer_id, action, subject, detail FROM audit WHERE seq >= ? ORDER BY seq", from)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		seq, at                          int64
		officer, action, subject, detail string
	}
	var es []entry
	for rows.Next() {
		var e entry
		rows.Scan(&e.seq, &e.at, &e.officer, &e.action, &e.subject, &e.detail)
		es = append(es, e)
	}
	rows.Close()
	for _, e := range es {
		h := sha256.New()
		h.Write([]byte("chekara-audit-v1"))
		h.Write(prev)
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(e.seq))
		h.Write(n[:])
		binary.BigEndian.PutUint64(n[:], uint64(e.at))
		h.Write(n[:])
		for _, s := range []string{e.officer, e.action, e.subject, e.detail} {
			binary.BigEndian.PutUint32(n[:4], uint32(len(s)))
			h.Write(n[:4])
			h.Write([]byte(s))
		}
		sum := h.Sum(nil)
		if _, err := db.Exec("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", prev, sum, e.seq); err != nil {
			t.Fatal(err)
		}
		prev = sum
	}
}

// TestHQFindsWhatTheBoothLost: against a real HQ and a real booth database,
// a never-sent crossing deleted at the booth, an audit log rewritten with its
// chain recomputed, and an audit log cut short are each alerted at HQ, and
// the booth does not call the upload complete when records are missing
// (issue 14, item 1).
func TestHQFindsWhatTheBoothLost(t *testing.T) {
	const dropTriggers = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete"
	tests := []struct {
		name    string
		tamper  func(t *testing.T, s *bstore.Store, path string)
		missing int64
		want    string
	}{
		{"a never-sent crossing deleted", func(t *testing.T, s *bstore.Store, path string) {
			seed(t, s, 10, 77)
			tamper(t, path, dropTriggers, "DELETE FROM crossings WHERE seq = 35", "DELETE FROM outbox WHERE seq = 35")
		}, 1, store.AlertGap},
		{"an audit entry rewritten and the chain recomputed", func(t *testing.T, s *bstore.Store, path string) {
			tamper(t, path, dropTriggers, "UPDATE audit SET officer_id = 'SOMEONE-ELSE' WHERE seq = 5")
			rechain(t, path, 5)
			seed(t, s, 10, 77)
		}, 0, store.AlertAuditRewritten},
		{"the audit log cut short", func(t *testing.T, s *bstore.Store, path string) {
			tamper(t, path, dropTriggers, "DELETE FROM audit WHERE seq > 20", "DELETE FROM crossings WHERE seq > 19", "DELETE FROM outbox WHERE seq > 19")
			seed(t, s, 3, 77)
		}, 0, store.AlertAuditTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			h := hqtest.Start(t, hq.Config{})
			s := openStore(t, 30)
			l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, "")
			if res, err := l.Upload(ctx); err != nil || !res.Complete {
				t.Fatalf("first upload: %+v %v", res, err)
			}
			tt.tamper(t, s, s.Path())
			res, err := l.Upload(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Missing != tt.missing || res.Complete != (tt.missing == 0) {
				t.Errorf("upload: missing %d complete %v, want missing %d", res.Missing, res.Complete, tt.missing)
			}
			alerts, err := h.Store().Alerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range alerts {
				got = append(got, a.Reason)
			}
			if !slices.Contains(got, tt.want) {
				for _, a := range alerts {
					t.Logf("alert %s seq %d: %s", a.Reason, a.Seq, a.Payload)
				}
				t.Fatalf("HQ's alerts %v, want %s", got, tt.want)
			}
		})
	}
}
