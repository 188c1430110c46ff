package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chekara/chekara/app"
)

// register is an officer register whose answer for the signed-in officer the
// test changes, as a directory from HQ does.
type register struct {
	fakeOfficers
	now func() (app.Officer, error)
}

func (r *register) Officer(context.Context, string) (app.Officer, error) { return r.now() }

// TestOfficersChanged: after the register changes under a signed-in officer,
// the core ends the session of one it now refuses (disabled, gone from the
// post, given an HQ role) — audited, the window told why — keeps one still
// allowed with HQ's name and role, and keeps the session when the register
// cannot be read.
func TestOfficersChanged(t *testing.T) {
	officer := app.Officer{ID: "K1", Name: "Officer K1", Role: app.RoleOfficer, Language: "en"}
	tests := []struct {
		name    string
		now     func() (app.Officer, error)
		ended   string // the key the window is told; "" keeps the session
		err     bool
		role    app.Role // the session's role afterwards, when kept
		trainee bool
	}{
		{"unchanged", func() (app.Officer, error) { return officer, nil }, "", false, app.RoleOfficer, false},
		{"made a trainee", func() (app.Officer, error) { o := officer; o.Role = app.RoleTrainee; return o, nil }, "", false, app.RoleTrainee, true},
		{"disabled", func() (app.Officer, error) { o := officer; o.Disabled = true; return o, nil }, "err.session_ended_disabled", false, "", false},
		{"gone", func() (app.Officer, error) { return app.Officer{}, app.Errorf(app.ENOTFOUND, "no") }, "err.session_ended_disabled", false, "", false},
		{"an HQ role", func() (app.Officer, error) { o := officer; o.Role = app.RoleAnalyst; return o, nil }, "err.session_ended_role", false, "", false},
		{"register unreadable", func() (app.Officer, error) { return app.Officer{}, errors.New("disk I/O error") }, "", true, app.RoleOfficer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			f.booth.Officers = &register{fakeOfficers: *f.booth.Officers.(*fakeOfficers), now: tt.now}
			var told []*app.Error
			f.booth.OnSessionEnded(func(e *app.Error) { told = append(told, e) })
			before := len(f.records.actions())
			err := f.booth.OfficersChanged(context.Background())
			if (err != nil) != tt.err {
				t.Fatalf("OfficersChanged = %v, want error %v", err, tt.err)
			}
			s := f.booth.Session()
			if tt.ended == "" {
				if !s.SignedIn || len(told) != 0 || s.Officer.Role != tt.role || s.Training != tt.trainee {
					t.Errorf("session %+v, told %v; want K1 signed in as %s", s, told, tt.role)
				}
				if got := len(f.records.actions()); got != before {
					t.Errorf("%d audit entries written, want none", got-before)
				}
				return
			}
			if s.SignedIn || s.HasShift {
				t.Errorf("session %+v, want signed out", s)
			}
			if len(told) != 1 || told[0].Key != tt.ended {
				t.Errorf("window told %v, want %s", told, tt.ended)
			}
			acts := f.records.actions()
			if len(acts) != before+1 || acts[len(acts)-1] != app.AuditSignOut {
				t.Errorf("audit %v, want a sign-out appended", acts[before:])
			}
			// Nobody signed in: nothing to do.
			if err := f.booth.OfficersChanged(context.Background()); err != nil || len(told) != 1 {
				t.Errorf("again with nobody signed in: %v, told %d times", err, len(told))
			}
		})
	}
}
