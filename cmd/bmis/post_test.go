package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

func TestPostSettingHeadless(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(db, store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, o := range []app.Officer{{ID: "S1", Name: "Sup", Role: app.RoleSupervisor}, {ID: "K1", Name: "Off", Role: app.RoleOfficer}} {
		if err := s.SaveOfficer(ctx, o, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"read", []string{"post", "--db", db}, 0, `{"confirm_refusals":false}`},
		{"no supervisor", []string{"post", "--db", db, "--confirm-refusals"}, 2, ""},
		{"an officer", []string{"post", "--db", db, "--confirm-refusals=true", "--by", "K1"}, 1, ""},
		{"not a bool", []string{"post", "--db", db, "--confirm-refusals=yes", "--by", "S1"}, 2, ""},
		{"on", []string{"post", "--db", db, "--confirm-refusals=true", "--by", "S1"}, 0, `{"confirm_refusals":true}`},
		{"read again", []string{"post", "--db", db}, 0, `{"confirm_refusals":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runBmisIn(t, "", tt.args...)
			if code != tt.code || strings.TrimSpace(out) != tt.out {
				t.Errorf("exit %d, out %q (%s); want %d, %q", code, out, errs, tt.code, tt.out)
			}
		})
	}
}
