package store

import (
	"context"
	"errors"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/jackc/pgx/v5"
)

// postgresAccounts is migration 3: accounts and the chain of administrative changes.
const postgresAccounts = `CREATE TABLE accounts (
		id           text PRIMARY KEY,
		name         text NOT NULL,
		role         text NOT NULL,
		posts        text NOT NULL,
		language     text NOT NULL,
		disabled     boolean NOT NULL,
		password     text NOT NULL,
		failed       integer NOT NULL DEFAULT 0,
		locked_until timestamptz,
		changed      timestamptz NOT NULL
	);
	CREATE TABLE admin_log (
		seq       bigint PRIMARY KEY,
		at        timestamptz NOT NULL,
		actor     text NOT NULL,
		action    text NOT NULL,
		subject   text NOT NULL,
		detail    text NOT NULL,
		prev_hash bytea NOT NULL,
		hash      bytea NOT NULL
	);
	CREATE FUNCTION admin_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'the administrative log is append-only'; END $$;
	CREATE TRIGGER admin_log_append_only BEFORE UPDATE OR DELETE ON admin_log
		FOR EACH ROW EXECUTE FUNCTION admin_log_append_only();`

const pgAccountCols = `id, name, role, posts, language, disabled, password, failed, locked_until, changed`

func scanPgAccount(r scanner) (Account, error) {
	var a Account
	var role, posts string
	var locked *time.Time
	err := r.Scan(&a.ID, &a.Name, &role, &posts, &a.Language, &a.Disabled, &a.Password, &a.Failed, &locked, &a.Changed)
	a.Role, a.Posts, a.LockedUntil, a.Changed = app.Role(role), splitPosts(posts), nullTime(locked), a.Changed.UTC()
	return a, err
}

func scanPgAdminEntry(r scanner) (AdminEntry, error) {
	var e AdminEntry
	err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

func pgTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// ChangeAccount implements Accounts.
func (s *Postgres) ChangeAccount(ctx context.Context, id string, at time.Time, actor string, change func(Account, bool) (Account, AdminEntry, error)) (AdminEntry, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return AdminEntry{}, wrap(err, "begin account change")
	}
	defer tx.Rollback(ctx)
	// One administrative change at a time: the chain has one head, and the
	// last-hq-admin rule reads every account.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(8013)`); err != nil {
		return AdminEntry{}, wrap(err, "lock administrative log")
	}
	old, err := scanPgAccount(tx.QueryRow(ctx, `SELECT `+pgAccountCols+` FROM accounts WHERE id = $1`, id))
	exists := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
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
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE role = $1 AND NOT disabled`, string(app.RoleHQAdmin)).Scan(&admins); err != nil {
		return AdminEntry{}, wrap(err, "count hq-admins")
	}
	if err := lastAdmin(old, exists, next, admins); err != nil {
		return AdminEntry{}, err
	}
	head, err := scanPgAdminEntry(tx.QueryRow(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log ORDER BY seq DESC LIMIT 1`))
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return AdminEntry{}, wrap(err, "read administrative log")
	}
	e = chain(head, e, at, actor, id)
	next.Changed = e.At
	if _, err := tx.Exec(ctx, `INSERT INTO accounts (`+pgAccountCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, posts = excluded.posts, language = excluded.language,
		disabled = excluded.disabled, password = excluded.password, failed = excluded.failed, locked_until = excluded.locked_until, changed = excluded.changed`,
		next.ID, next.Name, string(next.Role), joinPosts(next.Posts), next.Language, next.Disabled, next.Password, next.Failed, pgTime(next.LockedUntil), next.Changed); err != nil {
		return AdminEntry{}, wrap(err, "store account %s", id)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO admin_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.Seq, e.At, e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash); err != nil {
		return AdminEntry{}, wrap(err, "append administrative log")
	}
	return e, wrap(tx.Commit(ctx), "commit account change")
}

// Account implements Accounts.
func (s *Postgres) Account(ctx context.Context, id string) (Account, error) {
	a, err := scanPgAccount(s.pool.QueryRow(ctx, `SELECT `+pgAccountCols+` FROM accounts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, app.Errorf(app.ENOTFOUND, "there is no account %s", id)
	}
	return a, wrap(err, "read account %s", id)
}

// AccountList implements Accounts.
func (s *Postgres) AccountList(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+pgAccountCols+` FROM accounts ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "read accounts")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Account, error) { return scanPgAccount(r) })
	return out, wrap(err, "read accounts")
}

// AdminLog implements Accounts.
func (s *Postgres) AdminLog(ctx context.Context, after int64) ([]AdminEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log WHERE seq > $1 ORDER BY seq`, after)
	if err != nil {
		return nil, wrap(err, "read administrative log")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (AdminEntry, error) { return scanPgAdminEntry(r) })
	return out, wrap(err, "read administrative log")
}

// AdminHead implements Accounts.
func (s *Postgres) AdminHead(ctx context.Context) (AdminEntry, error) {
	e, err := scanPgAdminEntry(s.pool.QueryRow(ctx, `SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM admin_log ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		return AdminEntry{}, nil
	}
	return e, wrap(err, "read administrative log")
}

// SetLockout implements Accounts.
func (s *Postgres) SetLockout(ctx context.Context, id string, failed int, lockedUntil time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE accounts SET failed = $1, locked_until = $2 WHERE id = $3`, failed, pgTime(lockedUntil), id)
	if err != nil {
		return wrap(err, "record sign-in of %s", id)
	}
	if tag.RowsAffected() == 0 {
		return app.Errorf(app.ENOTFOUND, "there is no account %s", id)
	}
	return nil
}
