// Package store is the booth's durable record: one SQLite file (modernc.org/sqlite,
// WAL, synchronous=FULL) holding officers, shifts, inspections (with the
// traveller's face photo, kept at the booth), crossings, the
// outbox HQ uploads from, and the hash-chained audit log.
//
// It implements app.Records, app.Officers and app.Shifts. It owns the file and
// its schema (embedded, numbered, forward-only migrations) and must not touch the
// network, the UI or the document reader. A file it cannot read as its own is
// reported and left untouched: the store never overwrites or "repairs" it.
//
// One writer connection (BEGIN IMMEDIATE) serialises every write; a pool of
// read-only connections serves history and the upload loop, so a read never waits
// for a decision being written.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/internal/safefile"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID marks a SQLite file as a Chekara booth store ("CHKA"); see
// migrations/0001_booth.sql.
const applicationID = 0x43484B41

//go:embed migrations/*.sql
var migrationFS embed.FS

// Options tune a store. The zero value is what a booth uses.
type Options struct {
	// Clock stamps audit entries and outbox rows; nil means the system clock.
	Clock app.Clock
	// BusyTimeout is how long a statement waits for a lock held by another
	// program before giving up with EUNAVAILABLE; 0 means 5 s.
	BusyTimeout time.Duration
	// Readers is the size of the read-only connection pool; 0 means 4.
	Readers int
	// MaxFailedSignIns locks an officer out after this many consecutive wrong
	// passwords; 0 means 5.
	MaxFailedSignIns int
	// LockoutFor is how long a locked-out officer must wait; 0 means 15 minutes.
	LockoutFor time.Duration
	// Argon2 sets the password hashing cost; the zero value is the booth default
	// (argon2id, 19 MiB, 2 passes, 1 lane: OWASP's minimum). Tests lower it.
	Argon2 Argon2Params
	// ReadOnly opens an existing store for reading only (audit verification,
	// backups): no file is created, no migration runs, every write fails.
	ReadOnly bool
	// MaxPageCount caps the database at this many pages (4 KiB each) on the
	// writer; 0 means no cap beyond the disk. A store at its cap behaves as on a
	// full disk.
	MaxPageCount int64
	// CacheKiB is the writer's page cache in KiB; 0 means SQLite's default
	// (2 MiB). Seeding millions of crossings wants far more.
	CacheKiB int
}

// Store is an open booth store. Its methods are safe for concurrent use.
type Store struct {
	path  string
	opts  Options
	clock app.Clock
	w     *sql.DB // the one writer connection; nil when read-only
	r     *sql.DB // read-only connections

	wake chan struct{} // see WaitForRecord

	idMu   sync.Mutex
	lastID [16]byte // the newest id NewID handed out or found in the file

	dummyOnce sync.Once
	dummy     string // see dummyHash

	ghostMu sync.Mutex
	ghosts  map[[32]byte]ghost // failed sign-ins under unknown ids (officers.go)

	q readQueries // prepared on the reader pool
}

// readQueries are the hot reads, prepared once: parsing SQL each time would
// cost a booth's history lookup a fifth of its time.
type readQueries struct {
	historyByDoc    *sql.Stmt
	historyByPerson *sql.Stmt
	payloadsBySeq   *sql.Stmt
}

func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&s.q.historyByDoc, "SELECT seq FROM crossings WHERE doc_key = ? ORDER BY seq DESC LIMIT ?"},
		{&s.q.historyByPerson, "SELECT seq FROM crossings WHERE person_key = ? ORDER BY seq DESC LIMIT ?"},
		{&s.q.payloadsBySeq, "SELECT seq, payload FROM crossings WHERE seq IN (SELECT value FROM json_each(?))"},
	} {
		stmt, err := s.r.PrepareContext(ctx, p.sql)
		if err != nil {
			return s.fail(err, "open")
		}
		*p.stmt = stmt
	}
	return nil
}

var (
	_ app.Records  = (*Store)(nil)
	_ app.Officers = (*Store)(nil)
	_ app.Shifts   = (*Store)(nil)
)

// Open opens the booth store at path, creating it (and running the migrations)
// when the file does not exist or is empty.
//
// Errors: EINVALID when the file is not a Chekara booth store (another program's
// file, a damaged file, a store written by a newer Chekara) — the file is left
// exactly as it was; EUNAVAILABLE when it cannot be opened or written (missing or
// read-only folder, full disk, locked by another program); ENOTFOUND when
// ReadOnly is set and there is no file.
func Open(path string, opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = app.SystemClock{}
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.Readers <= 0 {
		opts.Readers = 4
	}
	if opts.MaxFailedSignIns <= 0 {
		opts.MaxFailedSignIns = 5
	}
	if opts.LockoutFor <= 0 {
		opts.LockoutFor = 15 * time.Minute
	}

	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "The booth database path %q is not usable: %v.", path, err)
	}
	if err := checkFile(abs, opts.ReadOnly); err != nil {
		return nil, err
	}
	if !opts.ReadOnly {
		// The booth's records are personal data: 0600, whatever the umask.
		if err := safefile.PrivateDB(abs); err != nil {
			return nil, fmt.Errorf("%w: %w", app.Errorf(app.EUNAVAILABLE, "The booth database at %s cannot be created.", abs), err)
		}
	}

	s := &Store{path: abs, opts: opts, clock: opts.Clock, wake: make(chan struct{}, 1)}
	if st, err := os.Stat(abs); err == nil && st.Size() > 0 {
		// Look before the writer connects: connecting switches the file to WAL,
		// which would already change another program's database.
		probe, err := sql.Open("sqlite", s.dsn(true))
		if err != nil {
			return nil, s.fail(err, "open")
		}
		err = s.checkIdentity(context.Background(), probe, true)
		probe.Close()
		if err != nil {
			return nil, err
		}
	}
	if !opts.ReadOnly {
		s.w, err = sql.Open("sqlite", s.dsn(false))
		if err != nil {
			return nil, s.fail(err, "open")
		}
		s.w.SetMaxOpenConns(1)
		s.w.SetMaxIdleConns(1)
		s.w.SetConnMaxLifetime(0)
		s.w.SetConnMaxIdleTime(0)
		if err := s.w.Ping(); err != nil {
			s.w.Close()
			return nil, s.fail(err, "open")
		}
		if err := s.migrate(context.Background()); err != nil {
			s.w.Close()
			return nil, err
		}
	}
	s.r, err = sql.Open("sqlite", s.dsn(true))
	if err != nil {
		s.Close()
		return nil, s.fail(err, "open")
	}
	s.r.SetMaxOpenConns(opts.Readers)
	s.r.SetMaxIdleConns(opts.Readers)
	if err := s.loadLastID(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepare(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes every connection. The WAL is checkpointed into the main file by
// SQLite when the last connection closes.
func (s *Store) Close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{s.q.historyByDoc, s.q.historyByPerson, s.q.payloadsBySeq} {
		if stmt != nil {
			stmt.Close()
		}
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// sqliteHeader starts every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkFile refuses, before SQLite ever touches it, a path that is not a SQLite
// database, so a foreign file is never rewritten as a WAL database.
func checkFile(path string, readOnly bool) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if readOnly {
			return app.Errorf(app.ENOTFOUND, "There is no booth database at %s.", path)
		}
		dir := filepath.Dir(path)
		if d, err := os.Stat(dir); err != nil || !d.IsDir() {
			return app.Errorf(app.EUNAVAILABLE, "The folder %s for the booth database does not exist.", dir)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%w: %w", app.Errorf(app.EUNAVAILABLE, "The booth database at %s cannot be read.", path), err)
	case st.IsDir():
		return app.Errorf(app.EINVALID, "%s is a folder, not a booth database.", path)
	case st.Size() == 0:
		if readOnly {
			return app.Errorf(app.EINVALID, "%s is empty, not a booth database.", path)
		}
		return nil // a fresh file: the first migration makes it a store
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %w", app.Errorf(app.EUNAVAILABLE, "The booth database at %s cannot be read.", path), err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return app.Errorf(app.EINVALID, "%s is not a booth database (not a SQLite file). It was left untouched; check the path or restore the database from a backup.", path)
	}
	return nil
}

// dsn builds the modernc.org/sqlite URI. synchronous=FULL: with NORMAL a
// committed transaction can be lost on power loss (REFERENCE §5).
func (s *Store) dsn(readOnly bool) string {
	q := url.Values{}
	ms := strconv.FormatInt(s.opts.BusyTimeout.Milliseconds(), 10)
	q.Add("_pragma", "busy_timeout("+ms+")")
	if readOnly {
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
		// History reads a few index pages and rows scattered over the file:
		// map the file (SQLite caps this at 2 GiB) and keep a larger page cache
		// per reader, so a warm lookup copies nothing through read(2).
		q.Add("_pragma", "mmap_size(2147418112)")
		q.Add("_pragma", "cache_size(-16384)")
	} else {
		q.Set("mode", "rwc")
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		if s.opts.MaxPageCount > 0 {
			q.Add("_pragma", "max_page_count("+strconv.FormatInt(s.opts.MaxPageCount, 10)+")")
		}
		if s.opts.CacheKiB > 0 {
			q.Add("_pragma", "cache_size(-"+strconv.Itoa(s.opts.CacheKiB)+")")
		}
	}
	q.Add("_pragma", "foreign_keys(1)")
	u := url.URL{Scheme: "file", OmitHost: true, Path: s.path, RawQuery: q.Encode()}
	return u.String()
}

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := migrationFS.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// checkIdentity refuses a SQLite file that belongs to another program or to a
// newer Chekara. fresh reports a file with no schema at all.
func (s *Store) checkIdentity(ctx context.Context, db *sql.DB, allowFresh bool) error {
	var appID, version, tables int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return s.fail(err, "open")
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return s.fail(err, "open")
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return s.fail(err, "open")
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	switch {
	case appID == 0 && version == 0 && tables == 0 && allowFresh:
		return nil
	case appID != applicationID:
		return app.Errorf(app.EINVALID, "%s is another program's SQLite database, not a booth database. It was left untouched; check the path.", s.path)
	case version > len(ms):
		return app.Errorf(app.EINVALID, "%s was written by a newer Chekara (schema %d, this booth knows %d). It was left untouched; update the booth software.", s.path, version, len(ms))
	}
	return nil
}

// migrate brings the schema up to date, one transaction per migration.
func (s *Store) migrate(ctx context.Context) error {
	if err := s.checkIdentity(ctx, s.w, true); err != nil {
		return err
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return s.fail(err, "open")
	}
	// Foreign keys are off while a migration runs (SQLite's way to rebuild a
	// table others refer to) and checked whole before it commits. The writer
	// is one connection, so the pragma holds for the transaction.
	if len(ms) > version {
		if _, err := s.w.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return s.fail(err, "migrate")
		}
		defer s.w.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	}
	for _, m := range ms[version:] {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return s.fail(err, "migrate")
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return s.fail(fmt.Errorf("migration %s: %w", m.name, err), "migrate")
		}
		var orphans int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&orphans); err != nil || orphans > 0 {
			tx.Rollback()
			return s.fail(fmt.Errorf("migration %s: %d rows break a foreign key (%v)", m.name, orphans, err), "migrate")
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return s.fail(err, "migrate")
		}
		if err := tx.Commit(); err != nil {
			return s.fail(err, "migrate")
		}
	}
	return nil
}

// writable returns EINVALID for a read-only store.
func (s *Store) writable() error {
	if s.w == nil {
		return app.Errorf(app.EINVALID, "The booth database was opened read-only.")
	}
	return nil
}

// fail turns a SQLite error into an app.Error an officer can act on, keeping the
// original in the chain for the log. what says what was being done.
func (s *Store) fail(err error, what string) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	var e *app.Error
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		e = app.Errork(app.EUNAVAILABLE, "err.disk_full", "The booth's disk is full: nothing was recorded. Free space on the disk or call the administrator.")
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		e = app.Errork(app.EUNAVAILABLE, "err.db_busy", "The booth database %s is locked by another program: nothing was recorded. Close that program or call the administrator.", s.path)
	case sqlite3.SQLITE_READONLY:
		e = app.Errork(app.EUNAVAILABLE, "err.db_readonly", "The booth database %s cannot be written (read-only disk or folder): nothing was recorded. Call the administrator.", s.path)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		e = app.Errorf(app.EUNAVAILABLE, "The booth database %s cannot be opened: check that its folder exists and is writable.", s.path)
	case sqlite3.SQLITE_NOTADB:
		e = app.Errorf(app.EINVALID, "%s is not a booth database. It was left untouched; check the path or restore the database from a backup.", s.path)
	case sqlite3.SQLITE_CORRUPT:
		e = app.Errorf(app.EINVALID, "The booth database %s is damaged. It was left untouched; restore it from a backup.", s.path)
	case sqlite3.SQLITE_IOERR:
		e = app.Errorf(app.EUNAVAILABLE, "The booth's disk failed while writing %s: nothing was recorded. Call the administrator.", s.path)
	default:
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return fmt.Errorf("%w (%s: %w)", e, what, err)
}

// isUnique reports a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// meta reads one value from the meta table; "" when unset.
func (s *Store) meta(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// BoothID returns the booth id set at enrolment, "" before enrolment.
func (s *Store) BoothID(ctx context.Context) (string, error) {
	v, err := s.meta(ctx, s.r, "booth_id")
	return v, s.fail(err, "read booth id")
}

// Post returns the crossing point set at enrolment, "" before enrolment.
func (s *Store) Post(ctx context.Context) (string, error) {
	v, err := s.meta(ctx, s.r, "post")
	return v, s.fail(err, "read post")
}

// SetBooth records the booth's identity (enrolment sets it) and audits the
// change. Errors: EINVALID for an empty booth id or post.
func (s *Store) SetBooth(ctx context.Context, boothID, post string) error {
	if strings.TrimSpace(boothID) == "" || strings.TrimSpace(post) == "" {
		return app.Errorf(app.EINVALID, "A booth needs an id and a post.")
	}
	return s.write(ctx, "set booth", func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, "booth_id", boothID); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "post", post); err != nil {
			return err
		}
		detail := fmt.Sprintf(`{"booth":%q,"post":%q}`, boothID, post)
		_, err := s.appendAudit(ctx, tx, app.AuditEntry{Action: app.AuditBoothIdentity, Subject: boothID, Detail: detail})
		return err
	})
}

// write runs fn in one immediate (write-locked) transaction on the writer.
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err, what)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.fail(err, what)
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		return s.fail(err, what)
	}
	return nil
}

// nanos stores times as unix nanoseconds, which sort and compare as integers.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
