package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/chekara/chekara/app"
)

// sqliteAccounts is migration 3: accounts and the chain of administrative changes.
const sqliteAccounts = `CREATE TABLE accounts (
		id           TEXT PRIMARY KEY,
		name         TEXT NOT NULL,
		role         TEXT NOT NULL,
		posts        TEXT NOT NULL,
		language     TEXT NOT NULL,
		disabled     INTEGER NOT NULL,
		password     TEXT NOT NULL,
		failed       INTEGER NOT NULL DEFAULT 0,
		locked_until TEXT NOT NULL DEFAULT '',
		changed      TEXT NOT NULL
	) STRICT;
	CREATE TABLE admin_log (
		seq       INTEGER PRIMARY KEY,
		at        TEXT NOT NULL,
		actor     TEXT NOT NULL,
		action    TEXT NOT NULL,
		subject   TEXT NOT NULL,
		detail    TEXT NOT NULL,
		prev_hash BLOB NOT NULL,
		hash      BLOB NOT NULL
	) STRICT;
	CREATE TRIGGER admin_log_no_update BEFORE UPDATE ON admin_log BEGIN SELECT RAISE(ABORT, 'the administrative log is append-only'); END;
	CREATE TRIGGER admin_log_no_delete BEFORE DELETE ON admin_log BEGIN SELECT RAISE(ABORT, 'the administrative log is append-only'); END;`

const sqliteAccountCols = `id, name, role, posts, language, disabled, password, failed, locked_until, changed`

func scanSQLiteAccount(r scanner) (Account, error) {
	var a Account
	var role, posts, locked, changed string
	err := r.Scan(&a.ID, &a.Name, &role, &posts, &a.Language, &a.Disabled, &a.Password, &a.Failed, &locked, &changed)
	a.Role, a.Posts, a.LockedUntil, a.Changed = app.Role(role), splitPosts(posts), parseTS(locked), parseTS(changed)
	return a, err
}

// ChangeAccount implements Accounts.
func (s *SQLite) ChangeAccount(ctx context.Context, id string, at time.Time, actor string, change func(Account, bool) (Account, AdminEntry, error)) (AdminEntry, error) {
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: changes are serialised
	if err != nil {
		return AdminEntry{}, wrap(err, "begin account change")
	}
	defer tx.Rollback()
	old, err := scanSQLiteAccount(tx.QueryRowContext(ctx, `SELECT `+sqliteAccountCols+` FROM accounts WHERE id = ?`, id))
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return AdminEntry{}, wrap(err, "read account %s", id)
	}
	if !exists {
		old = Account{}
	}
	next, e, err := change(old, exists)
	if err != nil {
		return AdminEntry{}, err
	}
	next.ID = id
	var admins int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE role = ? AND disabled = 0`, string(app.RoleHQAdmin)).Scan(&admins); err != nil {
		return AdminEntry{}, wrap(err, "count hq-admins")
	}
	if err := lastAdmin(old, exists, next, admins); err != nil {
		return AdminEntry{}, err
	}
	head, err := scanAdminEntry(tx.QueryRowContext(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log ORDER BY seq DESC LIMIT 1`))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return AdminEntry{}, wrap(err, "read administrative log")
	}
	e = chain(head, e, at, actor, id)
	next.Changed = e.At
	if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (`+sqliteAccountCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, posts = excluded.posts, language = excluded.language,
		disabled = excluded.disabled, password = excluded.password, failed = excluded.failed, locked_until = excluded.locked_until, changed = excluded.changed`,
		next.ID, next.Name, string(next.Role), joinPosts(next.Posts), next.Language, next.Disabled, next.Password, next.Failed, ts(next.LockedUntil), ts(next.Changed)); err != nil {
		return AdminEntry{}, wrap(err, "store account %s", id)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO admin_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash); err != nil {
		return AdminEntry{}, wrap(err, "append administrative log")
	}
	return e, wrap(tx.Commit(), "commit account change")
}

func scanAdminEntry(r scanner) (AdminEntry, error) {
	var e AdminEntry
	var at string
	err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = parseTS(at)
	return e, err
}

// Account implements Accounts.
func (s *SQLite) Account(ctx context.Context, id string) (Account, error) {
	a, err := scanSQLiteAccount(s.r.QueryRowContext(ctx, `SELECT `+sqliteAccountCols+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, app.Errorf(app.ENOTFOUND, "there is no account %s", id)
	}
	return a, wrap(err, "read account %s", id)
}

// AccountList implements Accounts.
func (s *SQLite) AccountList(ctx context.Context) ([]Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+sqliteAccountCols+` FROM accounts ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "read accounts")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Account, error) { return scanSQLiteAccount(r) })
	return out, wrap(err, "read accounts")
}

// AdminLog implements Accounts.
func (s *SQLite) AdminLog(ctx context.Context, after int64) ([]AdminEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		return nil, wrap(err, "read administrative log")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (AdminEntry, error) { return scanAdminEntry(r) })
	return out, wrap(err, "read administrative log")
}

// AdminHead implements Accounts.
func (s *SQLite) AdminHead(ctx context.Context) (AdminEntry, error) {
	e, err := scanAdminEntry(s.r.QueryRowContext(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return AdminEntry{}, nil
	}
	return e, wrap(err, "read administrative log")
}

// SetLockout implements Accounts.
func (s *SQLite) SetLockout(ctx context.Context, id string, failed int, lockedUntil time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE accounts SET failed = ?, locked_until = ? WHERE id = ?`, failed, ts(lockedUntil), id)
	if err != nil {
		return wrap(err, "record sign-in of %s", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "there is no account %s", id)
	}
	return nil
}
