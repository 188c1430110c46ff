package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the production store. A batch is one transaction of a few round
// trips whatever its size: the booth row is locked (FOR UPDATE serialises a
// booth's batches, other booths ingest in parallel), the records go in with one
// INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING, and only the ids that
// were already there are read back to compare hashes.
type Postgres struct {
	pool   *pgxpool.Pool
	months months // the record partitions known to exist (postgres_partitions.go)
}

var _ Store = (*Postgres)(nil)

var postgresSchema = []string{
	`CREATE TABLE booths (
		id          text PRIMARY KEY,
		post        text NOT NULL,
		enrolled_at timestamptz NOT NULL,
		revoked_at  timestamptz,
		mark        bigint NOT NULL DEFAULT 0,
		last_sync   timestamptz,
		crossings   bigint NOT NULL DEFAULT 0
	);
	CREATE TABLE certificates (
		serial     text PRIMARY KEY,
		booth      text NOT NULL REFERENCES booths(id),
		issued_at  timestamptz NOT NULL,
		not_after  timestamptz NOT NULL,
		revoked_at timestamptz
	);
	CREATE TABLE records (
		id          text PRIMARY KEY,
		booth       text NOT NULL,
		seq         bigint NOT NULL,
		kind        text NOT NULL,
		payload     bytea NOT NULL,
		sha256      bytea NOT NULL,
		received_at timestamptz NOT NULL
	);
	CREATE INDEX records_booth_seq ON records(booth, seq);
	CREATE TABLE alerts (
		id            bigserial PRIMARY KEY,
		record_id     text NOT NULL,
		booth         text NOT NULL,
		seq           bigint NOT NULL,
		kind          text NOT NULL,
		payload       bytea NOT NULL,
		sha256        bytea NOT NULL,
		stored_sha256 bytea NOT NULL,
		stored_booth  text NOT NULL,
		source        text NOT NULL,
		at            timestamptz NOT NULL
	);
	CREATE TABLE publications (
		kind       text NOT NULL,
		version    bigint NOT NULL,
		delta      boolean NOT NULL,
		base       bigint NOT NULL,
		content    bytea NOT NULL,
		sha256     bytea NOT NULL,
		created_at timestamptz NOT NULL,
		PRIMARY KEY (kind, version)
	);`,
	// 2: the whole version a list delta produces, for booths further behind.
	`ALTER TABLE publications ADD COLUMN snapshot bytea`,
	// 3: overrides and set-aside reads counted per booth, as crossings are.
	`ALTER TABLE booths ADD COLUMN overrides bigint NOT NULL DEFAULT 0;
	ALTER TABLE booths ADD COLUMN set_aside bigint NOT NULL DEFAULT 0;`,
	// 4: the national history's index and the audit of its queries (history.go).
	postgresTravel,
	// 5: why an alert was raised; the booths' audit chains as HQ anchored them.
	`ALTER TABLE alerts ADD COLUMN reason text NOT NULL DEFAULT 'changed';
	CREATE TABLE audit_anchors (
		booth text NOT NULL,
		seq   bigint NOT NULL,
		hash  bytea NOT NULL,
		mark  bigint NOT NULL, -- the booth's record mark the anchoring batch brought
		at    timestamptz NOT NULL,
		PRIMARY KEY (booth, seq)
	);`,
	// 6: accounts and the chain of administrative changes (issue 13).
	postgresAccounts,
	// 7: records partitioned by month (postgres_partitions.go).
	postgresPartitions,
	// 8: the open stays HQ publishes to every booth (issue 15, openstays.go).
	postgresOpenStays,
	// 9: each admitted crossing's stay entry in the person index (openstays.go).
	postgresTravelStay,
	// 10: the booths' latest reported states (health.go).
	healthSchema,
	// 11: supervision (supervision.go).
	supervisionSchema,
}

// OpenPostgres connects to the database at url (a libpq URL or key=value string;
// a search_path parameter selects the schema) and migrates it.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "PostgreSQL URL: %v", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgxpool's default (4 on small machines) would queue booths' batches
		// and the per-request certificate checks behind each other.
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s := &Postgres{pool: pool}
	if err := s.migrate(ctx, len(postgresSchema)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate PostgreSQL store: %w", err)
	}
	return s, nil
}

// migrate brings the schema to version to (len(postgresSchema) but in tests that
// make an older store to migrate).
func (s *Postgres) migrate(ctx context.Context, to int) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	// The advisory lock keeps two HQ processes starting together from migrating twice.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(8008)`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return err
	}
	var v int
	err = tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	for ; v < to; v++ {
		if _, err := tx.Exec(ctx, postgresSchema[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if v+1 == travelVersion {
			if err := postgresBackfillTravel(ctx, tx); err != nil {
				return fmt.Errorf("migration %d: index stored crossings: %w", v+1, err)
			}
		}
		if v+1 == stayVersion {
			if err := postgresBackfillStay(ctx, tx); err != nil {
				return fmt.Errorf("migration %d: stay entries of indexed crossings: %w", v+1, err)
			}
		}
		if v+1 == supervisionVersion {
			err := backfillSupervision(func(after string, limit int) ([]Record, error) {
				rows, err := tx.Query(ctx, dollar(selectBackfillSupervision), after, limit)
				if err != nil {
					return nil, err
				}
				defer rows.Close()
				return scanBackfill(rows)
			}, func(sts []statement) error { return execAll(ctx, tx, sts) })
			if err != nil {
				return fmt.Errorf("migration %d: index stored records for supervision: %w", v+1, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE schema_version SET version = $1`, v); err != nil {
		return err
	}
	if err := s.migrateStats(ctx, tx); err != nil {
		return fmt.Errorf("summary tables: %w", err)
	}
	return tx.Commit(ctx)
}

// Close closes the pool.
func (s *Postgres) Close() error { s.pool.Close(); return nil }

// Ping checks the database answers.
func (s *Postgres) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

func nullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// Apply implements Store.
func (s *Postgres) Apply(ctx context.Context, b Batch, at time.Time) (Result, error) {
	if err := Check(b); err != nil {
		return Result{}, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Result{}, wrap(err, "begin batch")
	}
	defer tx.Rollback(ctx)

	var mark int64
	var revoked *time.Time
	err = tx.QueryRow(ctx, `SELECT mark, revoked_at FROM booths WHERE id = $1 FOR UPDATE`, b.Booth).Scan(&mark, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return Result{}, app.Errorf(app.ENOTFOUND, "booth %s is not enrolled", b.Booth)
	} else if err != nil {
		return Result{}, wrap(err, "read mark of %s", b.Booth)
	}
	if revoked != nil {
		return Result{}, app.Errorf(app.EUNAUTHORIZED, "booth %s was revoked", b.Booth)
	}
	if err := checkMark(b, mark); err != nil {
		return Result{}, err
	}
	all := b
	b, screened, auditSeq, err := screen(ctx, pgTx{tx}, b, mark, at)
	if err != nil {
		return Result{}, err
	}
	stateAlerts, err := noteState(ctx, pgTx{tx}, all, at)
	if err != nil {
		return Result{}, err
	}
	screened = append(screened, stateAlerts...)

	n := len(b.Records)
	ids, seqs, kinds := make([]string, n), make([]int64, n), make([]string, n)
	payloads, hashes := make([][]byte, n), make([][]byte, n)
	for i, r := range b.Records {
		ids[i], seqs[i], kinds[i], payloads[i], hashes[i] = r.ID, r.Seq, r.Kind, r.Payload, r.SHA256
	}
	months, err := s.ensureMonths(ctx, ids)
	if err != nil {
		return Result{}, err
	}
	// One statement: the CTE inserts what is new; the outer SELECT reads, on the
	// snapshot taken before the insert, only the ids that were not inserted (none
	// in the common case), so no extra index probe per record.
	rows, err := tx.Query(ctx, `WITH input AS (
			SELECT * FROM unnest($1::text[], $3::bigint[], $4::text[], $5::bytea[], $6::bytea[], $8::date[]) AS u(id, seq, kind, payload, sha256, month)
		), ins AS (
			INSERT INTO records (id, month, booth, seq, kind, payload, sha256, received_at)
			SELECT id, month, $2, seq, kind, payload, sha256, $7 FROM input
			ON CONFLICT (id, month) DO NOTHING RETURNING id
		), dup AS (
			SELECT id, month FROM input WHERE id NOT IN (SELECT id FROM ins)
		)
		SELECT r.id, r.sha256, r.booth FROM records r JOIN dup ON r.id = dup.id AND r.month = dup.month
		UNION ALL
		SELECT id, NULL, NULL FROM ins`, ids, b.Booth, seqs, kinds, payloads, hashes, at, months)
	if err != nil {
		return Result{}, wrap(err, "store records")
	}
	fresh := make(map[string]bool, n)
	existing := map[string]stored{}
	if err := scanApplied(rows, fresh, existing); err != nil {
		return Result{}, err
	}
	if len(fresh)+len(existing) < n {
		// A record committed by another booth's batch after this statement's
		// snapshot: read it again with a new snapshot.
		var missing []string
		for _, id := range ids {
			if _, ok := existing[id]; !ok && !fresh[id] {
				missing = append(missing, id)
			}
		}
		rows, err := tx.Query(ctx, `SELECT id, sha256, booth FROM records WHERE id = ANY($1)`, missing)
		if err != nil {
			return Result{}, wrap(err, "read stored records")
		}
		if err := scanApplied(rows, fresh, existing); err != nil {
			return Result{}, err
		}
	}
	if err := postgresIndexTravel(ctx, tx, b, fresh); err != nil {
		return Result{}, err
	}
	res := Result{Stored: len(fresh), AuditSeq: auditSeq}
	res.Alerts, res.Duplicates = classify(b, existing, at)
	res.Alerts = append(screened, res.Alerts...)
	for i, a := range res.Alerts {
		err := tx.QueryRow(ctx, `INSERT INTO alerts (record_id, booth, seq, kind, payload, sha256, stored_sha256, stored_booth, source, at, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			a.RecordID, a.Booth, a.Seq, a.Kind, a.Payload, a.SHA256, a.StoredSHA256, a.StoredBooth, a.Source, at, a.Reason).Scan(&res.Alerts[i].ID)
		if err != nil {
			return Result{}, wrap(err, "store alert for %s", a.RecordID)
		}
	}
	sum, supervision := countFresh(b, fresh) // supervision.go
	if err := execAll(ctx, tx, sum.upserts()); err != nil {
		return Result{}, wrap(err, "count crossings")
	}
	if err := execAll(ctx, tx, supervision); err != nil {
		return Result{}, wrap(err, "index supervision")
	}
	res.Mark = max(mark, all.To)
	res.Replay = all.To <= mark && res.Stored == 0
	overrides, setAside := countsIn(b, fresh)
	if _, err := tx.Exec(ctx, `UPDATE booths SET mark = $1, last_sync = $2, crossings = crossings + $3,
		overrides = overrides + $4, set_aside = set_aside + $5 WHERE id = $6`,
		res.Mark, at, crossingsIn(b, fresh), overrides, setAside, b.Booth); err != nil {
		return Result{}, wrap(err, "advance mark of %s", b.Booth)
	}
	if err := tx.Commit(ctx); err != nil {
		return Result{}, wrap(err, "commit batch")
	}
	return res, nil
}

// scanApplied sorts the rows of Apply's statement: a NULL booth marks an id
// just inserted, otherwise the row is the copy HQ already had.
func scanApplied(rows pgx.Rows, fresh map[string]bool, existing map[string]stored) error {
	defer rows.Close()
	for rows.Next() {
		var id string
		var sha []byte
		var booth *string
		if err := rows.Scan(&id, &sha, &booth); err != nil {
			return wrap(err, "store records")
		}
		if booth == nil {
			fresh[id] = true
		} else {
			existing[id] = stored{sha: sha, booth: *booth}
		}
	}
	return wrap(rows.Err(), "store records")
}

const boothCols = `id, post, enrolled_at, revoked_at, mark, last_sync, crossings, overrides, set_aside`

func scanBooth(row pgx.Row) (Booth, error) {
	var b Booth
	var revoked, last *time.Time
	err := row.Scan(&b.ID, &b.Post, &b.EnrolledAt, &revoked, &b.Mark, &last, &b.Crossings, &b.Overrides, &b.SetAside)
	b.EnrolledAt, b.RevokedAt, b.LastSync = b.EnrolledAt.UTC(), nullTime(revoked), nullTime(last)
	return b, err
}

// Booth implements Store.
func (s *Postgres) Booth(ctx context.Context, id string) (Booth, error) {
	b, err := scanBooth(s.pool.QueryRow(ctx, `SELECT `+boothCols+` FROM booths WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Booth{}, app.Errorf(app.ENOTFOUND, "booth %s is not enrolled", id)
	}
	return b, wrap(err, "read booth %s", id)
}

// Enrol implements Store.
func (s *Postgres) Enrol(ctx context.Context, b Booth, c Certificate) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return wrap(err, "begin enrol")
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO booths (id, post, enrolled_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, b.ID, b.Post, b.EnrolledAt); err != nil {
		return wrap(err, "insert booth %s", b.ID)
	}
	var post string
	var revoked *time.Time
	if err := tx.QueryRow(ctx, `SELECT post, revoked_at FROM booths WHERE id = $1 FOR UPDATE`, b.ID).Scan(&post, &revoked); err != nil {
		return wrap(err, "read booth %s", b.ID)
	}
	switch {
	case revoked != nil:
		return app.Errorf(app.ECONFLICT, "booth %s was revoked; enrol its replacement under a new booth id", b.ID)
	case post != b.Post:
		return app.Errorf(app.ECONFLICT, "booth %s is enrolled at post %s, not %s", b.ID, post, b.Post)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO certificates (serial, booth, issued_at, not_after) VALUES ($1, $2, $3, $4)`,
		c.Serial, b.ID, c.IssuedAt, c.NotAfter); err != nil {
		return wrap(err, "insert certificate %s", c.Serial)
	}
	if _, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = $1 WHERE booth = $2 AND serial <> $3 AND revoked_at IS NULL`,
		c.IssuedAt, b.ID, c.Serial); err != nil {
		return wrap(err, "retire certificates of %s", b.ID)
	}
	return wrap(tx.Commit(ctx), "commit enrol")
}

// RevokeCertificate implements Store.
func (s *Postgres) RevokeCertificate(ctx context.Context, serial string, at time.Time) error {
	if _, err := s.Certificate(ctx, serial); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `UPDATE certificates SET revoked_at = $1 WHERE serial = $2 AND revoked_at IS NULL`, at, serial)
	return wrap(err, "revoke certificate %s", serial)
}

// Revoke implements Store.
func (s *Postgres) Revoke(ctx context.Context, booth string, at time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return wrap(err, "begin revoke")
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `UPDATE booths SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, at, booth)
	if err != nil {
		return wrap(err, "revoke booth %s", booth)
	}
	if tag.RowsAffected() == 0 {
		return app.Errorf(app.ENOTFOUND, "booth %s is not enrolled", booth)
	}
	if _, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = $1 WHERE booth = $2 AND revoked_at IS NULL`, at, booth); err != nil {
		return wrap(err, "revoke certificates of %s", booth)
	}
	return wrap(tx.Commit(ctx), "commit revoke")
}

// Certificate implements Store.
func (s *Postgres) Certificate(ctx context.Context, serial string) (Certificate, error) {
	var c Certificate
	var revoked *time.Time
	err := s.pool.QueryRow(ctx, `SELECT serial, booth, issued_at, not_after, revoked_at FROM certificates WHERE serial = $1`, serial).
		Scan(&c.Serial, &c.Booth, &c.IssuedAt, &c.NotAfter, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return Certificate{}, app.Errorf(app.ENOTFOUND, "certificate %s was not issued by this HQ", serial)
	} else if err != nil {
		return Certificate{}, wrap(err, "read certificate %s", serial)
	}
	c.IssuedAt, c.NotAfter, c.RevokedAt = c.IssuedAt.UTC(), c.NotAfter.UTC(), nullTime(revoked)
	return c, nil
}

// Alerts implements Store.
func (s *Postgres) Alerts(ctx context.Context) ([]Alert, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, reason, record_id, booth, seq, kind, payload, sha256, stored_sha256, stored_booth, source, at FROM alerts ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "read alerts")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Alert, error) {
		var a Alert
		err := r.Scan(&a.ID, &a.Reason, &a.RecordID, &a.Booth, &a.Seq, &a.Kind, &a.Payload, &a.SHA256, &a.StoredSHA256, &a.StoredBooth, &a.Source, &a.At)
		a.At = a.At.UTC()
		return a, err
	})
	return out, wrap(err, "read alerts")
}

// Records implements Store.
func (s *Postgres) Records(ctx context.Context, booth string) ([]Record, error) {
	rows, err := s.pool.Query(ctx, `SELECT booth, seq, id, kind, payload, sha256 FROM records WHERE booth = $1 ORDER BY seq, id`, booth)
	if err != nil {
		return nil, wrap(err, "read records of %s", booth)
	}
	defer rows.Close()
	out, err := collect(rows, scanRecord)
	return out, wrap(err, "read records of %s", booth)
}

// Publish implements Store.
func (s *Postgres) Publish(ctx context.Context, kind string, make func(int64) (Publication, error)) (Publication, error) {
	if err := checkKind(kind); err != nil {
		return Publication{}, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Publication{}, wrap(err, "begin publish")
	}
	defer tx.Rollback(ctx)
	// One publisher per kind at a time, so "newer than the latest" holds at commit.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(8009, hashtext($1))`, kind); err != nil {
		return Publication{}, wrap(err, "lock %s", kind)
	}
	var latest int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = $1`, kind).Scan(&latest); err != nil {
		return Publication{}, wrap(err, "read latest %s", kind)
	}
	p, err := make(latest)
	if err != nil {
		return Publication{}, err
	}
	p.Kind = kind
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM publications WHERE kind = $1 AND version = $2`, kind, p.Base).Scan(&n); err != nil {
		return Publication{}, wrap(err, "read %s version %d", kind, p.Base)
	}
	if err := checkPublication(p, latest, n == 1); err != nil {
		return Publication{}, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO publications (kind, version, delta, base, content, snapshot, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.Kind, p.Version, p.Delta, p.Base, p.Content, p.Snapshot, p.SHA256, p.CreatedAt); err != nil {
		return Publication{}, wrap(err, "store %s version %d", kind, p.Version)
	}
	return p, wrap(tx.Commit(ctx), "commit publish")
}

// Next implements Store.
func (s *Postgres) Next(ctx context.Context, kind string, have int64) (Publication, error) {
	ps, err := s.pubs(ctx, `SELECT kind, version, delta, base, content, snapshot, sha256, created_at FROM publications
		WHERE kind = $1 AND version > $2 ORDER BY version DESC LIMIT 1`, kind, have)
	if err != nil {
		return Publication{}, err
	}
	if len(ps) == 0 {
		return Publication{}, app.Errorf(app.ENOTFOUND, "no %s version newer than %d", kind, have)
	}
	return whole(ps[0], have), nil
}

// Publications implements Store.
func (s *Postgres) Publications(ctx context.Context, kind string, after int64) ([]Publication, error) {
	return s.pubs(ctx, `SELECT kind, version, delta, base, content, snapshot, sha256, created_at FROM publications WHERE kind = $1 AND version > $2 ORDER BY version`, kind, after)
}

func (s *Postgres) pubs(ctx context.Context, q string, args ...any) ([]Publication, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "read publications")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Publication, error) {
		var p Publication
		err := r.Scan(&p.Kind, &p.Version, &p.Delta, &p.Base, &p.Content, &p.Snapshot, &p.SHA256, &p.CreatedAt)
		p.CreatedAt = p.CreatedAt.UTC()
		return p, err
	})
	return out, wrap(err, "read publications")
}

// Latest implements Store.
func (s *Postgres) Latest(ctx context.Context, kind string) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = $1`, kind).Scan(&v)
	return v, wrap(err, "read latest %s", kind)
}

// Report implements Store.
func (s *Postgres) Report(ctx context.Context) (Report, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+boothCols+` FROM booths ORDER BY id`)
	if err != nil {
		return Report{}, wrap(err, "read booths")
	}
	defer rows.Close()
	rep := Report{Booths: []Booth{}}
	for rows.Next() {
		b, err := scanBooth(rows)
		if err != nil {
			return Report{}, wrap(err, "read booth")
		}
		rep.Crossings += b.Crossings
		rep.Overrides += b.Overrides
		rep.SetAside += b.SetAside
		rep.Booths = append(rep.Booths, b)
	}
	return rep, wrap(rows.Err(), "read booths")
}

// pgTx gives screen the batch transaction.
type pgTx struct{ tx pgx.Tx }

func (t pgTx) recordAt(ctx context.Context, booth string, seq int64) (string, []byte, bool, error) {
	var id string
	var sha []byte
	err := t.tx.QueryRow(ctx, `SELECT id, sha256 FROM records WHERE booth = $1 AND seq = $2 LIMIT 1`, booth, seq).Scan(&id, &sha)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, false, nil
	}
	return id, sha, err == nil, err
}

func (t pgTx) anchorAt(ctx context.Context, booth string, seq int64) ([]byte, bool, error) {
	var hash []byte
	err := t.tx.QueryRow(ctx, `SELECT hash FROM audit_anchors WHERE booth = $1 AND seq = $2`, booth, seq).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	return hash, err == nil, err
}

func (t pgTx) latestAnchor(ctx context.Context, booth string) (int64, error) {
	var n int64
	err := t.tx.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM audit_anchors WHERE booth = $1`, booth).Scan(&n)
	return n, err
}

func (t pgTx) addAnchor(ctx context.Context, booth string, seq int64, hash []byte, mark int64, at time.Time) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO audit_anchors (booth, seq, hash, mark, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, booth, seq, hash, mark, at)
	return err
}

func (t pgTx) acknowledgedAfter(ctx context.Context, booth string, seq, from int64) (bool, error) {
	var n int
	err := t.tx.QueryRow(ctx, `SELECT count(*) FROM audit_anchors WHERE booth = $1 AND seq > $2 AND mark < $3`, booth, seq, from).Scan(&n)
	return n > 0, err
}

// execAll runs statements with ? placeholders in one round trip.
func execAll(ctx context.Context, tx pgx.Tx, sts []statement) error {
	if len(sts) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, st := range sts {
		b.Queue(dollar(st.sql), st.args...)
	}
	return tx.SendBatch(ctx, &b).Close()
}

// migrateStats (re)builds the summary tables when they are missing or of an
// older definition, counting every crossing already stored.
func (s *Postgres) migrateStats(ctx context.Context, tx pgx.Tx) error {
	var v int
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS stats_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	err := tx.QueryRow(ctx, `SELECT version FROM stats_version`).Scan(&v)
	if err == nil && v == statsVersion {
		return fillMonths(func(q string) error { _, err := tx.Exec(ctx, q); return err },
			func(q string) (int, error) { var n int; err := tx.QueryRow(ctx, q).Scan(&n); return n, err })
	} else if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	for _, q := range statsSchema {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	after := ""
	for {
		rows, err := tx.Query(ctx, `SELECT id, kind, payload FROM records WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3`, wire.KindCrossing, after, backfillPage)
		if err != nil {
			return err
		}
		sum := newSummary()
		n, err := sum.addRows(rows, &after)
		rows.Close()
		if err != nil {
			return err
		}
		if err := execAll(ctx, tx, sum.upserts()); err != nil {
			return err
		}
		if n < backfillPage {
			return nil
		}
	}
}

// CrossingStats implements Store.
func (s *Postgres) CrossingStats(ctx context.Context, q StatsQuery) ([]StatsRow, error) {
	return s.stats(ctx, false, q)
}

// HitStats implements Store.
func (s *Postgres) HitStats(ctx context.Context, q StatsQuery) ([]StatsRow, error) {
	return s.stats(ctx, true, q)
}

func (s *Postgres) stats(ctx context.Context, hits bool, q StatsQuery) ([]StatsRow, error) {
	table, keys := statsOf(hits)
	query, args, err := statsSQL(table, q, keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, dollar(query), args...)
	if err != nil {
		return nil, errStats(err)
	}
	defer rows.Close()
	out, err := scanStats(rows, q.By)
	return out, errStats(err)
}

// PostShifts implements Supervision.
func (s *Postgres) PostShifts(ctx context.Context, post string, limit int) ([]PostShift, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.pool.Query(ctx, dollar(selectPostShifts), post, limit)
	if err != nil {
		return nil, wrap(err, "read post shifts")
	}
	defer rows.Close()
	out, err := scanPostShifts(rows)
	return out, wrap(err, "read post shifts")
}

// ShiftRecords implements Supervision.
func (s *Postgres) ShiftRecords(ctx context.Context, post, shiftID string) ([]Record, error) {
	var p string
	err := s.pool.QueryRow(ctx, dollar(selectShiftPost), shiftID).Scan(&p)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && p != post {
		return nil, app.Errorf(app.ENOTFOUND, "post %s has no shift %s at HQ", post, shiftID)
	} else if err != nil {
		return nil, wrap(err, "read shift")
	}
	rows, err := s.pool.Query(ctx, dollar(selectShiftRecords), shiftID)
	if err != nil {
		return nil, wrap(err, "read shift records")
	}
	defer rows.Close()
	out, err := scanShiftRecords(rows)
	return out, wrap(err, "read shift records")
}

// SignOffs implements Supervision.
func (s *Postgres) SignOffs(ctx context.Context, post string, limit int) ([]app.SignOff, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.pool.Query(ctx, dollar(selectSignOffs), post, post, limit)
	if err != nil {
		return nil, wrap(err, "read sign-offs")
	}
	defer rows.Close()
	out, err := scanSignOffs(rows)
	return out, wrap(err, "read sign-offs")
}

// Referrals implements Supervision.
func (s *Postgres) Referrals(ctx context.Context, post string) ([]ReferralCount, error) {
	rows, err := s.pool.Query(ctx, dollar(selectReferrals), post, post)
	if err != nil {
		return nil, wrap(err, "read referrals")
	}
	defer rows.Close()
	out, err := scanReferrals(rows)
	return out, wrap(err, "read referrals")
}

// AuditPostLookup implements Supervision.
func (s *Postgres) AuditPostLookup(ctx context.Context, l PostLookup) (int64, error) {
	if err := checkPost(l.Post); err != nil {
		return 0, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, wrap(err, "audit post lookup")
	}
	defer tx.Rollback(ctx)
	// One writer at a time takes the next id (the table is small and rare).
	if _, err := tx.Exec(ctx, `LOCK TABLE post_lookups IN EXCLUSIVE MODE`); err != nil {
		return 0, wrap(err, "audit post lookup")
	}
	var id int64
	if err := tx.QueryRow(ctx, dollar(insertPostLookup), nanos(l.At), l.Booth, l.Post, l.OfficerID, l.What, l.ShiftID).Scan(&id); err != nil {
		return 0, wrap(err, "audit post lookup")
	}
	return id, wrap(tx.Commit(ctx), "audit post lookup")
}

// PostLookups implements Supervision.
func (s *Postgres) PostLookups(ctx context.Context, after int64) ([]PostLookup, error) {
	rows, err := s.pool.Query(ctx, dollar(selectPostLookups), after)
	if err != nil {
		return nil, wrap(err, "read post lookups")
	}
	defer rows.Close()
	out, err := scanPostLookups(rows)
	return out, wrap(err, "read post lookups")
}

// PendingReferrals implements Supervision.
func (s *Postgres) PendingReferrals(ctx context.Context, post string, since time.Time, limit int) ([]Record, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.pool.Query(ctx, dollar(selectPendingReferrals), post, nanos(since), limit)
	if err != nil {
		return nil, wrap(err, "read referrals")
	}
	defer rows.Close()
	out, err := scanShiftRecords(rows)
	return out, wrap(err, "read referrals")
}
