package hq

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// consoleAccounts is HQ's account register as the console reads it. Only HQ's
// own roles sign in to the console: an officer's account, which lives in the
// same register for the booths' directory, is not found there.
type consoleAccounts struct{ st store.Accounts }

var _ console.Accounts = consoleAccounts{}

// Account returns an HQ account; ENOTFOUND for booth roles and unknown ids.
func (a consoleAccounts) Account(ctx context.Context, id string) (console.Account, error) {
	acc, err := a.st.Account(ctx, id)
	if err != nil {
		return console.Account{}, err
	}
	switch acc.Role {
	case app.RoleAnalyst, app.RoleAuditor, app.RoleHQAdmin:
	default:
		return console.Account{}, app.Errorf(app.ENOTFOUND, "There is no HQ account %s.", id)
	}
	return console.Account{ID: acc.ID, Name: acc.Name, Role: string(acc.Role), Language: acc.Language, Disabled: acc.Disabled,
		Password: acc.Password, Failed: acc.Failed, LockedUntil: acc.LockedUntil}, nil
}

// SetLockout records failed sign-ins and the lockout in the register.
func (a consoleAccounts) SetLockout(ctx context.Context, id string, failed int, lockedUntil time.Time) error {
	return a.st.SetLockout(ctx, id, failed, lockedUntil)
}

// dummyHash is an argon2id hash of a random password, checked for unknown
// accounts so that a wrong id takes as long as a wrong password.
func dummyHash() string {
	b := make([]byte, 16)
	rand.Read(b)
	return wire.HashPassword(hex.EncodeToString(b), wire.DefaultArgon2)
}
