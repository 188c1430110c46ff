package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// put is an administrative change that stores a as given.
func put(a store.Account, action string) func(store.Account, bool) (store.Account, store.AdminEntry, error) {
	return func(store.Account, bool) (store.Account, store.AdminEntry, error) {
		return a, store.AdminEntry{Action: action, Detail: `{}`}, nil
	}
}

func TestAccountsChain(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			adds := []store.Account{
				{ID: "A1", Name: "Aida Admin", Role: app.RoleHQAdmin, Language: "ky", Password: "$argon2id$x"},
				{ID: "K123", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK", "TORUGART"}, Language: "ru", Password: "$argon2id$y"},
			}
			for i, a := range adds {
				e, err := s.ChangeAccount(ctx, a.ID, t0.Add(time.Duration(i)*time.Minute), "tester", put(a, "officer_add"))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := e.Seq, int64(i+1); got != want {
					t.Errorf("seq = %d, want %d", got, want)
				}
			}
			got, err := s.Account(ctx, "K123")
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "Kubat Osmonov" || got.Role != app.RoleOfficer || len(got.Posts) != 2 || got.Posts[1] != "TORUGART" ||
				got.Language != "ru" || got.Password != "$argon2id$y" || !got.Changed.Equal(t0.Add(time.Minute)) {
				t.Errorf("account read back as %+v", got)
			}
			if _, err := s.Account(ctx, "NOBODY"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("unknown account: %v, want ENOTFOUND", err)
			}

			// The last enabled hq-admin cannot be disabled or demoted, and the
			// refused change leaves neither account nor chain touched.
			disable := func(old store.Account, _ bool) (store.Account, store.AdminEntry, error) {
				old.Disabled = true
				return old, store.AdminEntry{Action: "officer_disable", Detail: `{}`}, nil
			}
			if _, err := s.ChangeAccount(ctx, "A1", t0.Add(time.Hour), "tester", disable); app.ErrorCode(err) != app.ECONFLICT {
				t.Fatalf("disabling the last hq-admin: %v, want ECONFLICT", err)
			}
			if a, _ := s.Account(ctx, "A1"); a.Disabled {
				t.Error("the last hq-admin was disabled anyway")
			}
			// An error from the change itself writes nothing either.
			boom := errors.New("refused by the caller")
			if _, err := s.ChangeAccount(ctx, "K123", t0.Add(time.Hour), "tester", func(store.Account, bool) (store.Account, store.AdminEntry, error) {
				return store.Account{}, store.AdminEntry{}, boom
			}); !errors.Is(err, boom) {
				t.Fatalf("change error: %v", err)
			}
			head, err := s.AdminHead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := head.Seq, int64(2); got != want {
				t.Fatalf("head after refused changes = %d, want %d", got, want)
			}
			// With a second hq-admin, the first may go.
			if _, err := s.ChangeAccount(ctx, "A2", t0.Add(2*time.Hour), "tester", put(store.Account{ID: "A2", Name: "Bolot", Role: app.RoleHQAdmin, Language: "en", Password: "$argon2id$z"}, "officer_add")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ChangeAccount(ctx, "A1", t0.Add(3*time.Hour), "tester", disable); err != nil {
				t.Fatal(err)
			}

			log, err := s.AdminLog(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(log), 4; got != want {
				t.Fatalf("log has %d entries, want %d", got, want)
			}
			if broken, err := store.VerifyAdminLog(log); err != nil || broken != 0 {
				t.Fatalf("VerifyAdminLog = %d, %v", broken, err)
			}
			if got, want := log[3].Subject+" "+log[3].Action+" "+log[3].Actor, "A1 officer_disable tester"; got != want {
				t.Errorf("last entry %q, want %q", got, want)
			}
			// Any altered entry breaks the chain there.
			log[1].Detail = `{"role":"hq-admin"}`
			if broken, err := store.VerifyAdminLog(log); broken != 2 || app.ErrorCode(err) != app.EINVALID {
				t.Errorf("altered entry: broken at %d (%v), want 2", broken, err)
			}
			list, err := s.AccountList(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(list), 3; got != want {
				t.Errorf("%d accounts, want %d", got, want)
			}
		})
	}
}

func TestSetLockout(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			if _, err := s.ChangeAccount(ctx, "AN1", t0, "tester", put(store.Account{ID: "AN1", Name: "Analyst", Role: app.RoleAnalyst, Language: "en", Password: "$argon2id$x"}, "officer_add")); err != nil {
				t.Fatal(err)
			}
			until := t0.Add(15 * time.Minute)
			if err := s.SetLockout(ctx, "AN1", 5, until); err != nil {
				t.Fatal(err)
			}
			a, err := s.Account(ctx, "AN1")
			if err != nil {
				t.Fatal(err)
			}
			if a.Failed != 5 || !a.LockedUntil.Equal(until) {
				t.Errorf("lockout read back as %d, %v", a.Failed, a.LockedUntil)
			}
			if head, _ := s.AdminHead(ctx); head.Seq != 1 {
				t.Errorf("a lockout entered the administrative chain (head %d)", head.Seq)
			}
			if err := s.SetLockout(ctx, "NOBODY", 1, until); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("unknown account: %v", err)
			}
		})
	}
}
