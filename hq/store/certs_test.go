package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// TestCertificateRevocation: re-enrolling a booth retires its earlier
// certificate, and one certificate (a lost bundle) can be revoked alone while
// the booth stays enrolled (issue 14, item 6).
func TestCertificateRevocation(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			cert := func(serial string, at time.Time) store.Certificate {
				return store.Certificate{Serial: serial, IssuedAt: at, NotAfter: at.AddDate(10, 0, 0)}
			}
			if err := s.Enrol(ctx, store.Booth{ID: "B1", Post: "DOSTUK", EnrolledAt: t0}, cert("a1", t0)); err != nil {
				t.Fatal(err)
			}
			t1 := t0.Add(time.Hour)
			if err := s.Enrol(ctx, store.Booth{ID: "B1", Post: "DOSTUK", EnrolledAt: t1}, cert("b2", t1)); err != nil {
				t.Fatal(err)
			}
			old, _ := s.Certificate(ctx, "a1")
			if !old.RevokedAt.Equal(t1) {
				t.Fatalf("the replaced certificate: %+v, want revoked at %v", old, t1)
			}
			if cur, _ := s.Certificate(ctx, "b2"); !cur.RevokedAt.IsZero() {
				t.Fatalf("the new certificate is revoked: %+v", cur)
			}
			t2 := t1.Add(time.Hour)
			if err := s.RevokeCertificate(ctx, "b2", t2); err != nil {
				t.Fatal(err)
			}
			if cur, _ := s.Certificate(ctx, "b2"); !cur.RevokedAt.Equal(t2) {
				t.Fatalf("revoked certificate: %+v", cur)
			}
			if b, _ := s.Booth(ctx, "B1"); !b.RevokedAt.IsZero() {
				t.Fatal("revoking one certificate revoked the booth")
			}
			if err := s.RevokeCertificate(ctx, "zz", t2); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown serial: %v", err)
			}
			if err := s.Enrol(ctx, store.Booth{ID: "B1", Post: "DOSTUK", EnrolledAt: t2}, cert("c3", t2)); err != nil {
				t.Fatalf("enrol after a lost bundle: %v", err)
			}
		})
	}
}
