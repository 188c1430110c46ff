package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

func dirOfficer(id, role, password string, disabled bool) wire.DirectoryOfficer {
	return wire.DirectoryOfficer{ID: id, Name: "Officer " + id, Role: role, Posts: []string{"DOSTUK"}, Language: "ru",
		Disabled: disabled, Password: wire.HashPassword(password, cheap)}
}

// TestApplyDirectory: HQ's directory becomes the booth's officers; the booth's
// lockout survives a directory that does not change the password and is
// cleared by one that does; an officer HQ no longer sends is disabled, never
// deleted; the same directory twice changes nothing; every change is audited.
func TestApplyDirectory(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	s, _ := openStore(t, store.Options{Clock: clk, MaxFailedSignIns: 2, LockoutFor: time.Hour})
	if err := s.SaveOfficer(ctx, app.Officer{ID: "LOCAL1", Name: "Made at the booth", Role: app.RoleAdministrator}, "pw-local"); err != nil {
		t.Fatal(err)
	}
	k100 := dirOfficer("K100", "officer", "first-password-1", false)
	d1 := wire.Directory{Post: "DOSTUK", Version: 3, Officers: []wire.DirectoryOfficer{k100, dirOfficer("P7", "post-admin", "admin-password-1", false)}}
	if n, err := s.ApplyDirectory(ctx, d1); err != nil || n != 3 {
		t.Fatalf("first directory: %d changes, %v; want 3 (two added, LOCAL1 disabled)", n, err)
	}
	if _, err := s.Authenticate(ctx, "P7", "admin-password-1"); err != nil {
		t.Errorf("post-admin from HQ: %v", err)
	}
	if _, err := s.Authenticate(ctx, "LOCAL1", "pw-local"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("officer absent from HQ's directory: %v, want EUNAUTHORIZED", err)
	}
	if o, err := s.Officer(ctx, "LOCAL1"); err != nil || !o.Disabled {
		t.Errorf("LOCAL1 = %+v, %v; want kept, disabled", o, err)
	}

	for i := 0; i < 2; i++ {
		s.Authenticate(ctx, "K100", "wrong")
	}
	if _, err := s.Authenticate(ctx, "K100", "first-password-1"); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("after 2 failures: %v, want ELOCKED", err)
	}
	// The same directory again (the booth restarts and loads it): no change,
	// the lockout stays.
	if n, err := s.ApplyDirectory(ctx, d1); err != nil || n != 0 {
		t.Errorf("same directory: %d changes, %v", n, err)
	}
	if _, err := s.Authenticate(ctx, "K100", "first-password-1"); app.ErrorCode(err) != app.ELOCKED {
		t.Errorf("lockout after an unchanged directory: %v, want ELOCKED", err)
	}
	// A password reset at HQ arrives: a new start.
	d2 := wire.Directory{Post: "DOSTUK", Version: 4, Officers: []wire.DirectoryOfficer{dirOfficer("K100", "officer", "second-password-2", false)}}
	if _, err := s.ApplyDirectory(ctx, d2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "K100", "second-password-2"); err != nil {
		t.Errorf("new password from HQ: %v", err)
	}
	if _, err := s.Authenticate(ctx, "P7", "admin-password-1"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("officer dropped from the directory: %v, want EUNAUTHORIZED", err)
	}

	// A directory that does not check is refused whole.
	bad := wire.Directory{Post: "DOSTUK", Version: 5, Officers: []wire.DirectoryOfficer{dirOfficer("X1", "analyst", "x-password-1", false)}}
	if _, err := s.ApplyDirectory(ctx, bad); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("analyst in a directory: %v, want EINVALID", err)
	}
	if _, err := s.Officer(ctx, "X1"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("refused directory left X1: %v", err)
	}
	if broken, err := s.VerifyAudit(ctx); err != nil || broken != 0 {
		t.Errorf("audit chain: broken at %d, %v", broken, err)
	}
}
