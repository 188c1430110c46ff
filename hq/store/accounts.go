package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// Account is a person HQ administers: a booth officer (officer, trainee,
// supervisor, trainer, post-admin: sent to the booths of their posts in the
// officer directory) or an HQ account (analyst, auditor, hq-admin: never sent
// to a booth, signs in at HQ only).
type Account struct {
	ID       string
	Name     string
	Role     app.Role
	Posts    []string // by name; empty for HQ's roles
	Language string   // "ky", "ru" or "en"
	Disabled bool
	Password string // argon2id PHC string, made at HQ (wire.HashPassword)
	// Failed and LockedUntil are the HQ sign-in lockout (HQ accounts only; a
	// booth keeps its own lockout). Not administrative: never in the chain.
	Failed      int
	LockedUntil time.Time
	Changed     time.Time // the last administrative change
}

// AdminEntry is one administrative change in HQ's hash chain, as the booth's
// audit chain: Hash covers PrevHash and every other field, so changing or
// removing an entry breaks the chain from there on.
type AdminEntry struct {
	Seq      int64 // 1, 2, 3, …; the officer directory's version is the latest Seq
	At       time.Time
	Actor    string // who made the change (the operator's account or OS user)
	Action   string // e.g. "officer_add", "officer_disable"
	Subject  string // the account changed
	Detail   string // JSON: what changed, never a password or its hash
	PrevHash []byte
	Hash     []byte
}

// Accounts is HQ's register of accounts and the chain of administrative changes.
type Accounts interface {
	// ChangeAccount changes one account and appends the change to the chain in
	// one transaction: change receives the account as stored (exists false: a
	// zero Account) and returns the account to store and the entry's Action and
	// Detail (Seq, At, Actor, Subject and the hashes are filled in here). An
	// error from change is returned as it is and nothing is written. ECONFLICT
	// when the change would leave HQ without an enabled hq-admin while it had one.
	ChangeAccount(ctx context.Context, id string, at time.Time, actor string, change func(old Account, exists bool) (Account, AdminEntry, error)) (AdminEntry, error)
	// Account returns one account; ENOTFOUND if unknown.
	Account(ctx context.Context, id string) (Account, error)
	// AccountList returns every account by id.
	AccountList(ctx context.Context) ([]Account, error)
	// AdminLog returns the chain's entries after seq, oldest first.
	AdminLog(ctx context.Context, after int64) ([]AdminEntry, error)
	// AdminHead returns the chain's latest entry (zero before the first change).
	AdminHead(ctx context.Context) (AdminEntry, error)
	// SetLockout records an HQ account's failed sign-ins and lockout; ENOTFOUND
	// for an unknown account.
	SetLockout(ctx context.Context, id string, failed int, lockedUntil time.Time) error
}

const adminDomain = "chekara-hq-admin-v1"

// adminHash computes an entry's hash from its fields and its predecessor's hash.
func adminHash(e AdminEntry) []byte {
	h := sha256.New()
	h.Write([]byte(adminDomain))
	h.Write(e.PrevHash)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.At.UnixNano()))
	h.Write(n[:])
	for _, s := range []string{e.Actor, e.Action, e.Subject, e.Detail} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(s)))
		h.Write(n[:4])
		h.Write([]byte(s))
	}
	return h.Sum(nil)
}

// chain fills in e's place after head: sequence, time, actor, subject, hashes.
func chain(head AdminEntry, e AdminEntry, at time.Time, actor, subject string) AdminEntry {
	e.Seq = head.Seq + 1
	e.At = at.UTC()
	e.Actor, e.Subject = actor, subject
	e.PrevHash = head.Hash
	if e.PrevHash == nil {
		e.PrevHash = make([]byte, sha256.Size)
	}
	e.Hash = adminHash(e)
	return e
}

// VerifyAdminLog checks the chain from its first entry: sequence numbers
// 1, 2, 3, …, each entry's PrevHash its predecessor's Hash and each Hash its
// own. It returns the first broken entry's Seq (0 when whole) and an
// EINVALID error saying what broke.
func VerifyAdminLog(entries []AdminEntry) (int64, error) {
	prev := make([]byte, sha256.Size)
	for i, e := range entries {
		switch {
		case e.Seq != int64(i+1):
			return int64(i + 1), app.Errorf(app.EINVALID, "administrative change %d is missing (found %d in its place)", i+1, e.Seq)
		case !bytes.Equal(e.PrevHash, prev):
			return e.Seq, app.Errorf(app.EINVALID, "administrative change %d does not follow change %d", e.Seq, e.Seq-1)
		case !bytes.Equal(e.Hash, adminHash(e)):
			return e.Seq, app.Errorf(app.EINVALID, "administrative change %d was altered", e.Seq)
		}
		prev = e.Hash
	}
	return 0, nil
}

// lastAdmin refuses a change that disables, demotes or removes the last
// enabled hq-admin (admins counts the enabled hq-admins before the change).
func lastAdmin(old Account, exists bool, next Account, admins int) error {
	was := exists && old.Role == app.RoleHQAdmin && !old.Disabled
	is := next.Role == app.RoleHQAdmin && !next.Disabled
	if was && !is && admins <= 1 {
		return app.Errorf(app.ECONFLICT, "%s is the last enabled hq-admin; enable or add another hq-admin first", old.ID)
	}
	return nil
}

func joinPosts(p []string) string { return strings.Join(p, ",") }

func splitPosts(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// scanner is one row of either back-end (*sql.Row, pgx.Row, or a row of a result set).
type scanner interface {
	Scan(dest ...any) error
}
