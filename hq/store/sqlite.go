package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// SQLite is the embedded store: one file, WAL, synchronous=FULL (with NORMAL a
// committed batch, already acknowledged to a booth, could be lost on power loss).
// One writer connection serialises batches; reads use their own pool so the
// revocation check on every request never waits behind an ingest.
type SQLite struct {
	w *sql.DB // one connection, BEGIN IMMEDIATE
	r *sql.DB // read-only pool
}

var _ Store = (*SQLite)(nil)

var sqliteSchema = []string{
	`CREATE TABLE booths (
		id          TEXT PRIMARY KEY,
		post        TEXT NOT NULL,
		enrolled_at TEXT NOT NULL,
		revoked_at  TEXT NOT NULL DEFAULT '',
		mark        INTEGER NOT NULL DEFAULT 0,
		last_sync   TEXT NOT NULL DEFAULT '',
		crossings   INTEGER NOT NULL DEFAULT 0
	) STRICT;
	CREATE TABLE certificates (
		serial     TEXT PRIMARY KEY,
		booth      TEXT NOT NULL REFERENCES booths(id),
		issued_at  TEXT NOT NULL,
		not_after  TEXT NOT NULL,
		revoked_at TEXT NOT NULL DEFAULT ''
	) STRICT;
	CREATE TABLE records (
		id          TEXT PRIMARY KEY,
		booth       TEXT NOT NULL,
		seq         INTEGER NOT NULL,
		kind        TEXT NOT NULL,
		payload     BLOB NOT NULL,
		sha256      BLOB NOT NULL,
		received_at TEXT NOT NULL
	) STRICT, WITHOUT ROWID;
	CREATE INDEX records_booth_seq ON records(booth, seq);
	CREATE TABLE alerts (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		record_id     TEXT NOT NULL,
		booth         TEXT NOT NULL,
		seq           INTEGER NOT NULL,
		kind          TEXT NOT NULL,
		payload       BLOB NOT NULL,
		sha256        BLOB NOT NULL,
		stored_sha256 BLOB NOT NULL,
		stored_booth  TEXT NOT NULL,
		source        TEXT NOT NULL,
		at            TEXT NOT NULL
	) STRICT;
	CREATE TABLE publications (
		kind       TEXT NOT NULL,
		version    INTEGER NOT NULL,
		delta      INTEGER NOT NULL,
		base       INTEGER NOT NULL,
		content    BLOB NOT NULL,
		sha256     BLOB NOT NULL,
		created_at TEXT NOT NULL,
		PRIMARY KEY (kind, version)
	) STRICT;`,
	// 2: the whole version a list delta produces, for booths further behind.
	`ALTER TABLE publications ADD COLUMN snapshot BLOB`,
	// 3: overrides and set-aside reads counted per booth, as crossings are.
	`ALTER TABLE booths ADD COLUMN overrides INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE booths ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;`,
	// 4: the national history's index and the audit of its queries (history.go).
	sqliteTravel,
	// 5: why an alert was raised; the booths' audit chains as HQ anchored them.
	`ALTER TABLE alerts ADD COLUMN reason TEXT NOT NULL DEFAULT 'changed';
	CREATE TABLE audit_anchors (
		booth TEXT NOT NULL,
		seq   INTEGER NOT NULL,
		hash  BLOB NOT NULL,
		mark  INTEGER NOT NULL, -- the booth's record mark the anchoring batch brought
		at    TEXT NOT NULL,
		PRIMARY KEY (booth, seq)
	) STRICT, WITHOUT ROWID;`,
	// 6: accounts and the chain of administrative changes (issue 13).
	sqliteAccounts,
	// 7: PostgreSQL partitions its records by month (postgres_partitions.go); one
	// SQLite file is one booth-count's archive and needs no partitions. The number is
	// kept so both back-ends count migrations alike.
	`SELECT 1`,
	// 8: the open stays HQ publishes to every booth (issue 15, openstays.go).
	sqliteOpenStays,
	// 9: each admitted crossing's stay entry in the person index (openstays.go).
	sqliteTravelStay,
	// 10: the booths' latest reported states (health.go).
	healthSchema,
	// 11: supervision: the post's shifts, referrals and outcomes, sign-offs,
	// the audit of booths' questions about their post (supervision.go).
	supervisionSchema,
}

// travelVersion is the migration (both back-ends) that made the history index; a store
// older than it has its stored crossings indexed while migrating.
const travelVersion = 4

// OpenSQLite opens (creating and migrating if needed) the store in the file at path.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(15000)", "foreign_keys(1)", "wal_autocheckpoint(8000)"} {
			q.Add("_pragma", p)
		}
		// A URI built by net/url: a '#' or '?' in the folder's name stays part
		// of the path instead of cutting off the pragmas (WAL, synchronous=FULL).
		u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode() + extra}
		return u.String()
	}
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open hq store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &SQLite{w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate hq store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn("&_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open hq store %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	for ; v < len(sqliteSchema); v++ {
		if _, err := tx.ExecContext(ctx, sqliteSchema[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if v+1 == travelVersion {
			if err := backfillTravel(ctx, tx); err != nil {
				return fmt.Errorf("migration %d: index stored crossings: %w", v+1, err)
			}
		}
		if v+1 == stayVersion {
			if err := backfillStay(ctx, tx); err != nil {
				return fmt.Errorf("migration %d: stay entries of indexed crossings: %w", v+1, err)
			}
		}
		if v+1 == supervisionVersion {
			err := backfillSupervision(func(after string, limit int) ([]Record, error) {
				rows, err := tx.QueryContext(ctx, selectBackfillSupervision, after, limit)
				if err != nil {
					return nil, err
				}
				defer rows.Close()
				return scanBackfill(rows)
			}, func(sts []statement) error {
				for _, st := range sts {
					if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("migration %d: index stored records for supervision: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v)); err != nil {
		return err
	}
	if err := s.migrateStats(ctx, tx); err != nil {
		return fmt.Errorf("summary tables: %w", err)
	}
	return tx.Commit()
}

// Close closes both pools.
func (s *SQLite) Close() error {
	err := s.w.Close()
	if s.r != nil {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping checks the file answers.
func (s *SQLite) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Apply implements Store.
func (s *SQLite) Apply(ctx context.Context, b Batch, at time.Time) (Result, error) {
	if err := Check(b); err != nil {
		return Result{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, wrap(err, "begin batch")
	}
	defer tx.Rollback()

	var mark int64
	var revoked string
	err = tx.QueryRowContext(ctx, `SELECT mark, revoked_at FROM booths WHERE id = ?`, b.Booth).Scan(&mark, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return Result{}, app.Errorf(app.ENOTFOUND, "booth %s is not enrolled", b.Booth)
	} else if err != nil {
		return Result{}, wrap(err, "read mark of %s", b.Booth)
	}
	if revoked != "" {
		return Result{}, app.Errorf(app.EUNAUTHORIZED, "booth %s was revoked", b.Booth)
	}
	if err := checkMark(b, mark); err != nil {
		return Result{}, err
	}
	all := b
	b, screened, auditSeq, err := screen(ctx, sqliteTx{tx}, b, mark, at)
	if err != nil {
		return Result{}, err
	}
	stateAlerts, err := noteState(ctx, sqliteTx{tx}, all, at)
	if err != nil {
		return Result{}, err
	}
	screened = append(screened, stateAlerts...)

	now := ts(at)
	fresh := make(map[string]bool, len(b.Records))
	// Records go in by chunks of many rows per statement (one trip through the
	// SQLite VM per chunk instead of per record); RETURNING names the ids that
	// were new, ON CONFLICT skips the ones HQ already has.
	var full *sql.Stmt
	for start := 0; start < len(b.Records); start += insertChunk {
		chunk := b.Records[start:min(start+insertChunk, len(b.Records))]
		args := make([]any, 0, 7*len(chunk))
		for _, r := range chunk {
			args = append(args, r.ID, r.Booth, r.Seq, r.Kind, r.Payload, r.SHA256, now)
		}
		var rows *sql.Rows
		if len(chunk) == insertChunk {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertRecords(insertChunk)); err != nil {
					return Result{}, wrap(err, "prepare insert")
				}
				defer full.Close()
			}
			rows, err = full.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, insertRecords(len(chunk)), args...)
		}
		if err != nil {
			return Result{}, wrap(err, "store records")
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return Result{}, wrap(err, "store records")
			}
			fresh[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return Result{}, wrap(err, "store records")
		}
	}
	existing := map[string]stored{}
	for _, r := range b.Records {
		if fresh[r.ID] {
			continue
		}
		var old stored
		if err := tx.QueryRowContext(ctx, `SELECT sha256, booth FROM records WHERE id = ?`, r.ID).Scan(&old.sha, &old.booth); err != nil {
			return Result{}, wrap(err, "read record %s", r.ID)
		}
		existing[r.ID] = old
	}
	if err := indexTravel(ctx, tx, b, fresh); err != nil {
		return Result{}, err
	}
	res := Result{Stored: len(fresh), AuditSeq: auditSeq}
	res.Alerts, res.Duplicates = classify(b, existing, at)
	res.Alerts = append(screened, res.Alerts...)
	for i, a := range res.Alerts {
		r, err := tx.ExecContext(ctx, `INSERT INTO alerts (record_id, booth, seq, kind, payload, sha256, stored_sha256, stored_booth, source, at, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.RecordID, a.Booth, a.Seq, a.Kind, a.Payload, a.SHA256, a.StoredSHA256, a.StoredBooth, a.Source, now, a.Reason)
		if err != nil {
			return Result{}, wrap(err, "store alert for %s", a.RecordID)
		}
		res.Alerts[i].ID, _ = r.LastInsertId()
	}
	sum, supervision := countFresh(b, fresh) // supervision.go
	for _, st := range sum.upserts() {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return Result{}, wrap(err, "count crossings")
		}
	}
	for _, st := range supervision {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return Result{}, wrap(err, "index supervision")
		}
	}
	res.Mark = max(mark, all.To)
	res.Replay = all.To <= mark && res.Stored == 0
	overrides, setAside := countsIn(b, fresh)
	if _, err := tx.ExecContext(ctx, `UPDATE booths SET mark = ?, last_sync = ?, crossings = crossings + ?,
		overrides = overrides + ?, set_aside = set_aside + ? WHERE id = ?`,
		res.Mark, now, crossingsIn(b, fresh), overrides, setAside, b.Booth); err != nil {
		return Result{}, wrap(err, "advance mark of %s", b.Booth)
	}
	if err := tx.Commit(); err != nil {
		return Result{}, wrap(err, "commit batch")
	}
	return res, nil
}

// insertChunk is how many records one INSERT carries (7 parameters each, well
// under SQLite's limit of 32,766).
const insertChunk = 100

func insertRecords(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO records (id, booth, seq, kind, payload, sha256, received_at) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`(?, ?, ?, ?, ?, ?, ?)`)
	}
	sb.WriteString(` ON CONFLICT (id) DO NOTHING RETURNING id`)
	return sb.String()
}

// Booth implements Store.
func (s *SQLite) Booth(ctx context.Context, id string) (Booth, error) {
	var b Booth
	var enrolled, revoked, last string
	err := s.r.QueryRowContext(ctx, `SELECT id, post, enrolled_at, revoked_at, mark, last_sync, crossings, overrides, set_aside FROM booths WHERE id = ?`, id).
		Scan(&b.ID, &b.Post, &enrolled, &revoked, &b.Mark, &last, &b.Crossings, &b.Overrides, &b.SetAside)
	if errors.Is(err, sql.ErrNoRows) {
		return Booth{}, app.Errorf(app.ENOTFOUND, "booth %s is not enrolled", id)
	} else if err != nil {
		return Booth{}, wrap(err, "read booth %s", id)
	}
	b.EnrolledAt, b.RevokedAt, b.LastSync = parseTS(enrolled), parseTS(revoked), parseTS(last)
	return b, nil
}

// Enrol implements Store.
func (s *SQLite) Enrol(ctx context.Context, b Booth, c Certificate) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err, "begin enrol")
	}
	defer tx.Rollback()
	var post, revoked string
	err = tx.QueryRowContext(ctx, `SELECT post, revoked_at FROM booths WHERE id = ?`, b.ID).Scan(&post, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO booths (id, post, enrolled_at) VALUES (?, ?, ?)`, b.ID, b.Post, ts(b.EnrolledAt)); err != nil {
			return wrap(err, "insert booth %s", b.ID)
		}
	case err != nil:
		return wrap(err, "read booth %s", b.ID)
	case revoked != "":
		return app.Errorf(app.ECONFLICT, "booth %s was revoked; enrol its replacement under a new booth id", b.ID)
	case post != b.Post:
		return app.Errorf(app.ECONFLICT, "booth %s is enrolled at post %s, not %s", b.ID, post, b.Post)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO certificates (serial, booth, issued_at, not_after) VALUES (?, ?, ?, ?)`,
		c.Serial, b.ID, ts(c.IssuedAt), ts(c.NotAfter)); err != nil {
		return wrap(err, "insert certificate %s", c.Serial)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = ? WHERE booth = ? AND serial <> ? AND revoked_at = ''`,
		ts(c.IssuedAt), b.ID, c.Serial); err != nil {
		return wrap(err, "retire certificates of %s", b.ID)
	}
	return wrap(tx.Commit(), "commit enrol")
}

// Revoke implements Store.
func (s *SQLite) Revoke(ctx context.Context, booth string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err, "begin revoke")
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE booths SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, ts(at), booth)
	if err != nil {
		return wrap(err, "revoke booth %s", booth)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Booth(ctx, booth); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = ? WHERE booth = ? AND revoked_at = ''`, ts(at), booth); err != nil {
		return wrap(err, "revoke certificates of %s", booth)
	}
	return wrap(tx.Commit(), "commit revoke")
}

// RevokeCertificate implements Store.
func (s *SQLite) RevokeCertificate(ctx context.Context, serial string, at time.Time) error {
	if _, err := s.Certificate(ctx, serial); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `UPDATE certificates SET revoked_at = ? WHERE serial = ? AND revoked_at = ''`, ts(at), serial)
	return wrap(err, "revoke certificate %s", serial)
}

// Certificate implements Store.
func (s *SQLite) Certificate(ctx context.Context, serial string) (Certificate, error) {
	var c Certificate
	var issued, notAfter, revoked string
	err := s.r.QueryRowContext(ctx, `SELECT serial, booth, issued_at, not_after, revoked_at FROM certificates WHERE serial = ?`, serial).
		Scan(&c.Serial, &c.Booth, &issued, &notAfter, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, app.Errorf(app.ENOTFOUND, "certificate %s was not issued by this HQ", serial)
	} else if err != nil {
		return Certificate{}, wrap(err, "read certificate %s", serial)
	}
	c.IssuedAt, c.NotAfter, c.RevokedAt = parseTS(issued), parseTS(notAfter), parseTS(revoked)
	return c, nil
}

// Alerts implements Store.
func (s *SQLite) Alerts(ctx context.Context) ([]Alert, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, reason, record_id, booth, seq, kind, payload, sha256, stored_sha256, stored_booth, source, at FROM alerts ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "read alerts")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Alert, error) {
		var a Alert
		var at string
		err := r.Scan(&a.ID, &a.Reason, &a.RecordID, &a.Booth, &a.Seq, &a.Kind, &a.Payload, &a.SHA256, &a.StoredSHA256, &a.StoredBooth, &a.Source, &at)
		a.At = parseTS(at)
		return a, err
	})
	return out, wrap(err, "read alerts")
}

// Records implements Store.
func (s *SQLite) Records(ctx context.Context, booth string) ([]Record, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT booth, seq, id, kind, payload, sha256 FROM records WHERE booth = ? ORDER BY seq, id`, booth)
	if err != nil {
		return nil, wrap(err, "read records of %s", booth)
	}
	defer rows.Close()
	out, err := collect(rows, scanRecord)
	return out, wrap(err, "read records of %s", booth)
}

// Publish implements Store.
func (s *SQLite) Publish(ctx context.Context, kind string, make func(int64) (Publication, error)) (Publication, error) {
	if err := checkKind(kind); err != nil {
		return Publication{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Publication{}, wrap(err, "begin publish")
	}
	defer tx.Rollback()
	var latest int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = ?`, kind).Scan(&latest); err != nil {
		return Publication{}, wrap(err, "read latest %s", kind)
	}
	p, err := make(latest)
	if err != nil {
		return Publication{}, err
	}
	p.Kind = kind
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM publications WHERE kind = ? AND version = ?`, kind, p.Base).Scan(&n); err != nil {
		return Publication{}, wrap(err, "read %s version %d", kind, p.Base)
	}
	if err := checkPublication(p, latest, n == 1); err != nil {
		return Publication{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO publications (kind, version, delta, base, content, snapshot, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Kind, p.Version, p.Delta, p.Base, p.Content, p.Snapshot, p.SHA256, ts(p.CreatedAt)); err != nil {
		return Publication{}, wrap(err, "store %s version %d", kind, p.Version)
	}
	return p, wrap(tx.Commit(), "commit publish")
}

// Next implements Store.
func (s *SQLite) Next(ctx context.Context, kind string, have int64) (Publication, error) {
	ps, err := s.pubs(ctx, `SELECT kind, version, delta, base, content, snapshot, sha256, created_at FROM publications
		WHERE kind = ? AND version > ? ORDER BY version DESC LIMIT 1`, kind, have)
	if err != nil {
		return Publication{}, err
	}
	if len(ps) == 0 {
		return Publication{}, app.Errorf(app.ENOTFOUND, "no %s version newer than %d", kind, have)
	}
	return whole(ps[0], have), nil
}

// Publications implements Store.
func (s *SQLite) Publications(ctx context.Context, kind string, after int64) ([]Publication, error) {
	return s.pubs(ctx, `SELECT kind, version, delta, base, content, snapshot, sha256, created_at FROM publications WHERE kind = ? AND version > ? ORDER BY version`, kind, after)
}

func (s *SQLite) pubs(ctx context.Context, q string, args ...any) ([]Publication, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "read publications")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Publication, error) {
		var p Publication
		var created string
		err := r.Scan(&p.Kind, &p.Version, &p.Delta, &p.Base, &p.Content, &p.Snapshot, &p.SHA256, &created)
		p.CreatedAt = parseTS(created)
		return p, err
	})
	return out, wrap(err, "read publications")
}

// Latest implements Store.
func (s *SQLite) Latest(ctx context.Context, kind string) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = ?`, kind).Scan(&v)
	return v, wrap(err, "read latest %s", kind)
}

// Report implements Store.
func (s *SQLite) Report(ctx context.Context) (Report, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, post, enrolled_at, revoked_at, mark, last_sync, crossings, overrides, set_aside FROM booths ORDER BY id`)
	if err != nil {
		return Report{}, wrap(err, "read booths")
	}
	defer rows.Close()
	rep := Report{Booths: []Booth{}}
	for rows.Next() {
		var b Booth
		var enrolled, revoked, last string
		if err := rows.Scan(&b.ID, &b.Post, &enrolled, &revoked, &b.Mark, &last, &b.Crossings, &b.Overrides, &b.SetAside); err != nil {
			return Report{}, wrap(err, "read booth")
		}
		b.EnrolledAt, b.RevokedAt, b.LastSync = parseTS(enrolled), parseTS(revoked), parseTS(last)
		rep.Crossings += b.Crossings
		rep.Overrides += b.Overrides
		rep.SetAside += b.SetAside
		rep.Booths = append(rep.Booths, b)
	}
	return rep, wrap(rows.Err(), "read booths")
}

// sqliteTx gives screen the batch transaction.
type sqliteTx struct{ tx *sql.Tx }

func (t sqliteTx) recordAt(ctx context.Context, booth string, seq int64) (string, []byte, bool, error) {
	var id string
	var sha []byte
	err := t.tx.QueryRowContext(ctx, `SELECT id, sha256 FROM records WHERE booth = ? AND seq = ? LIMIT 1`, booth, seq).Scan(&id, &sha)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, nil
	}
	return id, sha, err == nil, err
}

func (t sqliteTx) anchorAt(ctx context.Context, booth string, seq int64) ([]byte, bool, error) {
	var hash []byte
	err := t.tx.QueryRowContext(ctx, `SELECT hash FROM audit_anchors WHERE booth = ? AND seq = ?`, booth, seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return hash, err == nil, err
}

func (t sqliteTx) latestAnchor(ctx context.Context, booth string) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM audit_anchors WHERE booth = ?`, booth).Scan(&n)
	return n, err
}

func (t sqliteTx) addAnchor(ctx context.Context, booth string, seq int64, hash []byte, mark int64, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO audit_anchors (booth, seq, hash, mark, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, booth, seq, hash, mark, ts(at))
	return err
}

func (t sqliteTx) acknowledgedAfter(ctx context.Context, booth string, seq, from int64) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_anchors WHERE booth = ? AND seq > ? AND mark < ?`, booth, seq, from).Scan(&n)
	return n > 0, err
}

// migrateStats (re)builds the summary tables when they are missing or of an
// older definition, counting every crossing already stored.
func (s *SQLite) migrateStats(ctx context.Context, tx *sql.Tx) error {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM stats_version`).Scan(&v)
	if err == nil && v == statsVersion {
		return fillMonths(func(q string) error { _, err := tx.ExecContext(ctx, q); return err },
			func(q string) (int, error) { var n int; err := tx.QueryRowContext(ctx, q).Scan(&n); return n, err })
	}
	for _, q := range statsSchema {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, payload FROM records WHERE kind = ? AND id > ? ORDER BY id LIMIT ?`, wire.KindCrossing, after, backfillPage)
		if err != nil {
			return err
		}
		sum := newSummary()
		n, err := sum.addRows(rows, &after)
		rows.Close()
		if err != nil {
			return err
		}
		for _, st := range sum.upserts() {
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		if n < backfillPage {
			return nil
		}
	}
}

// CrossingStats implements Store.
func (s *SQLite) CrossingStats(ctx context.Context, q StatsQuery) ([]StatsRow, error) {
	return s.stats(ctx, false, q)
}

// HitStats implements Store.
func (s *SQLite) HitStats(ctx context.Context, q StatsQuery) ([]StatsRow, error) {
	return s.stats(ctx, true, q)
}

func (s *SQLite) stats(ctx context.Context, hits bool, q StatsQuery) ([]StatsRow, error) {
	table, keys := statsOf(hits)
	query, args, err := statsSQL(table, q, keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errStats(err)
	}
	defer rows.Close()
	out, err := scanStats(rows, q.By)
	return out, errStats(err)
}

// PostShifts implements Supervision.
func (s *SQLite) PostShifts(ctx context.Context, post string, limit int) ([]PostShift, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.r.QueryContext(ctx, selectPostShifts, post, limit)
	if err != nil {
		return nil, wrap(err, "read post shifts")
	}
	defer rows.Close()
	out, err := scanPostShifts(rows)
	return out, wrap(err, "read post shifts")
}

// ShiftRecords implements Supervision.
func (s *SQLite) ShiftRecords(ctx context.Context, post, shiftID string) ([]Record, error) {
	var p string
	err := s.r.QueryRowContext(ctx, selectShiftPost, shiftID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) || err == nil && p != post {
		return nil, app.Errorf(app.ENOTFOUND, "post %s has no shift %s at HQ", post, shiftID)
	} else if err != nil {
		return nil, wrap(err, "read shift")
	}
	rows, err := s.r.QueryContext(ctx, selectShiftRecords, shiftID)
	if err != nil {
		return nil, wrap(err, "read shift records")
	}
	defer rows.Close()
	out, err := scanShiftRecords(rows)
	return out, wrap(err, "read shift records")
}

// SignOffs implements Supervision.
func (s *SQLite) SignOffs(ctx context.Context, post string, limit int) ([]app.SignOff, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.r.QueryContext(ctx, selectSignOffs, post, post, limit)
	if err != nil {
		return nil, wrap(err, "read sign-offs")
	}
	defer rows.Close()
	out, err := scanSignOffs(rows)
	return out, wrap(err, "read sign-offs")
}

// Referrals implements Supervision.
func (s *SQLite) Referrals(ctx context.Context, post string) ([]ReferralCount, error) {
	rows, err := s.r.QueryContext(ctx, selectReferrals, post, post)
	if err != nil {
		return nil, wrap(err, "read referrals")
	}
	defer rows.Close()
	out, err := scanReferrals(rows)
	return out, wrap(err, "read referrals")
}

// AuditPostLookup implements Supervision.
func (s *SQLite) AuditPostLookup(ctx context.Context, l PostLookup) (int64, error) {
	if err := checkPost(l.Post); err != nil {
		return 0, err
	}
	var id int64
	err := s.w.QueryRowContext(ctx, insertPostLookup, nanos(l.At), l.Booth, l.Post, l.OfficerID, l.What, l.ShiftID).Scan(&id)
	return id, wrap(err, "audit post lookup")
}

// PostLookups implements Supervision.
func (s *SQLite) PostLookups(ctx context.Context, after int64) ([]PostLookup, error) {
	rows, err := s.r.QueryContext(ctx, selectPostLookups, after)
	if err != nil {
		return nil, wrap(err, "read post lookups")
	}
	defer rows.Close()
	out, err := scanPostLookups(rows)
	return out, wrap(err, "read post lookups")
}

// PendingReferrals implements Supervision.
func (s *SQLite) PendingReferrals(ctx context.Context, post string, since time.Time, limit int) ([]Record, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.r.QueryContext(ctx, selectPendingReferrals, post, nanos(since), limit)
	if err != nil {
		return nil, wrap(err, "read referrals")
	}
	defer rows.Close()
	out, err := scanShiftRecords(rows)
	return out, wrap(err, "read referrals")
}
