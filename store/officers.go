package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// Argon2Params is the cost of argon2id password hashing (the format HQ's
// directory hashes come in too).
type Argon2Params = wire.Argon2Params

func hashPassword(password string, p Argon2Params) string { return wire.HashPassword(password, p) }

func checkPassword(password, phc string) bool { return wire.CheckPassword(password, phc) }

// dummyHash is a hash no password matches in practice, checked for unknown
// officers. Computed once per store.
func (s *Store) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy = hashPassword(string(rand.Text()), s.opts.Argon2) })
	return s.dummy
}

// Authenticate checks an officer's password and records the attempt in the audit
// log ("sign_in", "sign_in_failed", and "lock" when the failures reach
// Options.MaxFailedSignIns). Errors: EUNAUTHORIZED for an unknown or disabled
// officer or a wrong password (the same message for all three); ELOCKED while the
// officer is locked out — even the right password is refused then.
func (s *Store) Authenticate(ctx context.Context, officerID, password string) (app.Officer, error) {
	if err := s.writable(); err != nil {
		return app.Officer{}, err
	}
	var o app.Officer
	var role, phc string
	var lockedUntil int64
	err := s.r.QueryRowContext(ctx, "SELECT id, name, role, language, disabled, password, locked_until FROM officers WHERE id = ?", officerID).
		Scan(&o.ID, &o.Name, &role, &o.Language, &o.Disabled, &phc, &lockedUntil)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return app.Officer{}, s.fail(err, "sign in")
	}
	o.Role = app.Role(role)
	now := s.clock.Now()
	denied := app.Errork(app.EUNAUTHORIZED, "err.wrong_password", "Wrong service number or password.")

	// An unknown id is locked out like a known one (in memory), so "locked"
	// does not tell that an id exists; what reaches the audit log is bounded.
	auditID := boundedID(officerID)
	if !known {
		lockedUntil = s.ghostLockedUntil(officerID)
	}
	if lockedUntil > now.UnixNano() {
		if !known {
			checkPassword(password, s.dummyHash()) // the same work as for a known id
		}
		err := s.write(ctx, "sign in", func(tx *sql.Tx) error {
			_, err := s.appendAudit(ctx, tx, app.AuditEntry{OfficerID: auditID, Action: app.AuditSignInFailed, Subject: auditID, Detail: `{"reason":"locked"}`})
			return err
		})
		if err != nil {
			return app.Officer{}, err
		}
		return app.Officer{}, app.Errork(app.ELOCKED, "err.account_locked", "This account is locked after too many wrong passwords; try again after %s or ask a supervisor.",
			time.Unix(0, lockedUntil).In(now.Location()).Format("15:04"))
	}
	if !known {
		phc = s.dummyHash() // hash anyway, so timing does not tell who exists
	}
	ok := checkPassword(password, phc)
	if known && ok && !o.Disabled {
		err := s.write(ctx, "sign in", func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE officers SET failed = 0, locked_until = 0 WHERE id = ?", officerID); err != nil {
				return err
			}
			_, err := s.appendAudit(ctx, tx, app.AuditEntry{OfficerID: officerID, Action: app.AuditSignIn, Subject: officerID})
			return err
		})
		if err != nil {
			return app.Officer{}, err
		}
		return o, nil
	}
	reason := "wrong_password"
	switch {
	case !known:
		reason = "unknown_officer"
	case o.Disabled:
		reason = "disabled"
	}
	err = s.write(ctx, "sign in", func(tx *sql.Tx) error {
		if _, err := s.appendAudit(ctx, tx, app.AuditEntry{OfficerID: auditID, Action: app.AuditSignInFailed, Subject: auditID,
			Detail: fmt.Sprintf(`{"reason":%q}`, reason)}); err != nil {
			return err
		}
		if !known {
			s.ghostFailed(officerID, now)
			return nil
		}
		var failed int
		if err := tx.QueryRowContext(ctx, "UPDATE officers SET failed = failed + 1 WHERE id = ? RETURNING failed", officerID).Scan(&failed); err != nil {
			return err
		}
		if failed < s.opts.MaxFailedSignIns {
			return nil
		}
		until := now.Add(s.opts.LockoutFor)
		if _, err := tx.ExecContext(ctx, "UPDATE officers SET failed = 0, locked_until = ? WHERE id = ?", until.UnixNano(), officerID); err != nil {
			return err
		}
		_, err := s.appendAudit(ctx, tx, app.AuditEntry{OfficerID: officerID, Action: app.AuditLock, Subject: officerID,
			Detail: fmt.Sprintf(`{"failures":%d,"until":%q}`, failed, until.UTC().Format(time.RFC3339))})
		return err
	})
	if err != nil {
		return app.Officer{}, err
	}
	return app.Officer{}, denied
}

// Officer returns one officer. Errors: ENOTFOUND.
func (s *Store) Officer(ctx context.Context, officerID string) (app.Officer, error) {
	var o app.Officer
	var role string
	err := s.r.QueryRowContext(ctx, "SELECT id, name, role, language, disabled FROM officers WHERE id = ?", officerID).
		Scan(&o.ID, &o.Name, &role, &o.Language, &o.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Officer{}, app.Errorf(app.ENOTFOUND, "There is no officer %s at this booth.", officerID)
	} else if err != nil {
		return app.Officer{}, s.fail(err, "read officer")
	}
	o.Role = app.Role(role)
	return o, nil
}

// SaveOfficer creates or updates an officer; a non-empty password replaces the
// old one (and clears a lockout). A new officer needs a password. The change is
// audited ("officer_change", never with the password).
// Errors: EINVALID for an empty id or name, an unknown role, or a new officer
// without a password.
func (s *Store) SaveOfficer(ctx context.Context, o app.Officer, password string) error {
	if strings.TrimSpace(o.ID) == "" || strings.TrimSpace(o.Name) == "" {
		return app.Errorf(app.EINVALID, "An officer needs a service number and a name.")
	}
	if !o.Role.AtBooth() {
		return app.Errorf(app.EINVALID, "%q is not a role that signs in at a booth (officer, trainee, supervisor, trainer, post-admin).", o.Role)
	}
	if o.Language == "" {
		o.Language = "en"
	}
	phc := ""
	if password != "" {
		phc = hashPassword(password, s.opts.Argon2) // outside the write lock: it takes tens of ms
	}
	return s.write(ctx, "save officer", func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM officers WHERE id = ?)", o.ID).Scan(&exists); err != nil {
			return err
		}
		if !exists && phc == "" {
			return app.Errorf(app.EINVALID, "A new officer needs a password.")
		}
		var err error
		if exists {
			_, err = tx.ExecContext(ctx, "UPDATE officers SET name = ?, role = ?, language = ?, disabled = ? WHERE id = ?",
				o.Name, string(o.Role), o.Language, o.Disabled, o.ID)
			if err == nil && phc != "" {
				_, err = tx.ExecContext(ctx, "UPDATE officers SET password = ?, failed = 0, locked_until = 0 WHERE id = ?", phc, o.ID)
			}
		} else {
			_, err = tx.ExecContext(ctx, "INSERT INTO officers (id, name, role, language, disabled, password) VALUES (?, ?, ?, ?, ?, ?)",
				o.ID, o.Name, string(o.Role), o.Language, o.Disabled, phc)
		}
		if err != nil {
			return err
		}
		detail := fmt.Sprintf(`{"created":%t,"role":%q,"disabled":%t,"password_changed":%t}`, !exists, o.Role, o.Disabled, phc != "")
		_, err = s.appendAudit(ctx, tx, app.AuditEntry{Action: app.AuditOfficerChange, Subject: o.ID, Detail: detail})
		return err
	})
}

// maxGhosts bounds how many unknown ids the store remembers failures for.
const maxGhosts = 4096

// ghost counts failed sign-ins under an id that is not an officer's.
type ghost struct {
	failed int
	until  int64 // unix nanoseconds; 0 when not locked
}

func ghostKey(id string) [32]byte { return sha256.Sum256([]byte(id)) }

// ghostLockedUntil returns until when an unknown id is locked out, 0 if not.
func (s *Store) ghostLockedUntil(id string) int64 {
	s.ghostMu.Lock()
	defer s.ghostMu.Unlock()
	return s.ghosts[ghostKey(id)].until
}

// ghostFailed counts a failed sign-in under an unknown id and locks it out
// after MaxFailedSignIns, as a known officer would be.
func (s *Store) ghostFailed(id string, now time.Time) {
	s.ghostMu.Lock()
	defer s.ghostMu.Unlock()
	if s.ghosts == nil {
		s.ghosts = map[[32]byte]ghost{}
	}
	k := ghostKey(id)
	g, ok := s.ghosts[k]
	if !ok && len(s.ghosts) >= maxGhosts {
		for old, og := range s.ghosts { // forget one that is not locked, if any
			if og.until <= now.UnixNano() {
				delete(s.ghosts, old)
				break
			}
		}
		if len(s.ghosts) >= maxGhosts {
			return
		}
	}
	g.failed++
	if g.failed >= s.opts.MaxFailedSignIns {
		g.failed, g.until = 0, now.Add(s.opts.LockoutFor).UnixNano()
	}
	s.ghosts[k] = g
}

// maxAuditID is the most of a typed service number the audit log keeps.
const maxAuditID = 64

// boundedID is officerID as the audit log records it: whole when it is at
// most maxAuditID bytes of printable text, else its first bytes and a hash of
// the whole, so a 50 MB "service number" costs the log a few dozen bytes.
func boundedID(id string) string {
	ok := len(id) <= maxAuditID && utf8.ValidString(id)
	for _, r := range id {
		if !ok || !unicode.IsPrint(r) {
			ok = false
			break
		}
	}
	if ok {
		return id
	}
	prefix := []rune(strings.ToValidUTF8(id[:min(len(id), 32)], ""))
	for i, r := range prefix {
		if !unicode.IsPrint(r) {
			prefix[i] = '?'
		}
	}
	sum := sha256.Sum256([]byte(id))
	return fmt.Sprintf("%s…(%d bytes, sha256 %x)", string(prefix), len(id), sum[:8])
}

// Officers returns every officer the booth knows, by id.
func (s *Store) Officers(ctx context.Context) ([]app.Officer, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, name, role, language, disabled FROM officers ORDER BY id")
	if err != nil {
		return nil, s.fail(err, "read officers")
	}
	defer rows.Close()
	var out []app.Officer
	for rows.Next() {
		var o app.Officer
		var role string
		if err := rows.Scan(&o.ID, &o.Name, &role, &o.Language, &o.Disabled); err != nil {
			return nil, s.fail(err, "read officers")
		}
		o.Role = app.Role(role)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "read officers")
	}
	return out, nil
}

// ApplyDirectory makes the booth's officers those of HQ's directory d, in one
// transaction: each officer of d is created or updated (a new password hash
// clears the officer's lockout; otherwise failures and lockouts stay the
// booth's own), and every officer the booth holds that d does not name is
// disabled, never deleted (their shifts and decisions keep their id). Each
// change is audited ("officer_change" with the directory version); applying
// the same directory again changes nothing. It returns the number of officers
// changed. Errors: EINVALID for a directory that does not check (see
// wire.ParseDirectory).
func (s *Store) ApplyDirectory(ctx context.Context, d wire.Directory) (int, error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	// Marshalling checks d as ParseDirectory would have.
	if _, err := wire.MarshalDirectory(d); err != nil {
		return 0, err
	}
	changed := 0
	err := s.write(ctx, "apply officer directory", func(tx *sql.Tx) error {
		changed = 0
		type row struct {
			name, role, language, password string
			disabled                       bool
		}
		held := map[string]row{}
		rows, err := tx.QueryContext(ctx, "SELECT id, name, role, language, disabled, password FROM officers")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var r row
			if err := rows.Scan(&id, &r.name, &r.role, &r.language, &r.disabled, &r.password); err != nil {
				rows.Close()
				return err
			}
			held[id] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		audit := func(id string, detail map[string]any) error {
			detail["directory"] = d.Version
			b, _ := json.Marshal(detail)
			_, err := s.appendAudit(ctx, tx, app.AuditEntry{Action: app.AuditOfficerChange, Subject: id, Detail: string(b)})
			changed++
			return err
		}
		named := map[string]bool{}
		for _, o := range d.Officers {
			named[o.ID] = true
			lang := o.Language
			if lang == "" {
				lang = "en"
			}
			want := row{name: o.Name, role: o.Role, language: lang, password: o.Password, disabled: o.Disabled}
			old, ok := held[o.ID]
			switch {
			case !ok:
				if _, err := tx.ExecContext(ctx, "INSERT INTO officers (id, name, role, language, disabled, password) VALUES (?, ?, ?, ?, ?, ?)",
					o.ID, want.name, want.role, want.language, want.disabled, want.password); err != nil {
					return err
				}
				if err := audit(o.ID, map[string]any{"created": true, "role": want.role, "disabled": want.disabled}); err != nil {
					return err
				}
			case old != want:
				if _, err := tx.ExecContext(ctx, "UPDATE officers SET name = ?, role = ?, language = ?, disabled = ?, password = ? WHERE id = ?",
					want.name, want.role, want.language, want.disabled, want.password, o.ID); err != nil {
					return err
				}
				pw := old.password != want.password
				if pw {
					// A new password from HQ is a new start: the booth's lockout was about the old one.
					if _, err := tx.ExecContext(ctx, "UPDATE officers SET failed = 0, locked_until = 0 WHERE id = ?", o.ID); err != nil {
						return err
					}
				}
				if err := audit(o.ID, map[string]any{"created": false, "role": want.role, "disabled": want.disabled, "password_changed": pw}); err != nil {
					return err
				}
			}
		}
		for id, old := range held {
			if named[id] || old.disabled {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE officers SET disabled = 1 WHERE id = ?", id); err != nil {
				return err
			}
			if err := audit(id, map[string]any{"created": false, "role": old.role, "disabled": true, "reason": "not in the directory"}); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}
