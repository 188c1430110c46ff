package app_test

import (
	"context"
	"testing"

	"github.com/chekara/chekara/app"
)

// Roles are enforced in the core: HQ's roles never sign in at a booth, only a
// post-admin administers it, and a trainee's decisions are training.
func TestRolesAtTheBooth(t *testing.T) {
	tests := []struct {
		role       app.Role
		signIn     string // error code of SignIn; "" signs in
		administer string // error code of Administer after signing in
	}{
		{app.RoleOfficer, "", app.EUNAUTHORIZED},
		{app.RoleTrainee, "", app.EUNAUTHORIZED},
		{app.RoleSupervisor, "", app.EUNAUTHORIZED},
		{app.RoleTrainer, "", app.EUNAUTHORIZED},
		{app.RolePostAdmin, "", ""},
		{app.RoleAdministrator, "", ""},
		{app.RoleAnalyst, app.EUNAUTHORIZED, ""},
		{app.RoleAuditor, app.EUNAUTHORIZED, ""},
		{app.RoleHQAdmin, app.EUNAUTHORIZED, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			f := newFixture(t)
			f.booth.Officers = &fakeOfficers{AuthenticateFn: func(id, _ string) (app.Officer, error) {
				return app.Officer{ID: id, Name: "Officer " + id, Role: tt.role, Language: "en"}, nil
			}}
			if err := f.booth.Administer(); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Errorf("Administer before sign-in: %v, want EUNAUTHORIZED", err)
			}
			s, err := f.booth.SignIn(context.Background(), "X1", "pw")
			if err != nil && app.ErrorCode(err) != tt.signIn || err == nil && tt.signIn != "" {
				t.Fatalf("SignIn = %v, want %q", err, tt.signIn)
			}
			if err != nil {
				return
			}
			if got, want := s.Training, tt.role == app.RoleTrainee; got != want {
				t.Errorf("Training = %t, want %t", got, want)
			}
			err = f.booth.Administer()
			if got := app.ErrorCode(err); err == nil && tt.administer != "" || err != nil && got != tt.administer {
				t.Errorf("Administer = %v, want %q", err, tt.administer)
			}
		})
	}
}
