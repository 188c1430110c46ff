package store

import (
	"context"

	"github.com/chekara/chekara/app"
)

// postgresOpenStays is the migration that keeps the published open stays.
const postgresOpenStays = `CREATE TABLE open_stays (
		key         text PRIMARY KEY,
		nationality text NOT NULL,
		entry_post  text NOT NULL,
		entry_at    bigint NOT NULL, -- Unix seconds
		last_day    text NOT NULL,
		line        text NOT NULL
	);
	CREATE INDEX open_stays_overstay ON open_stays(last_day, nationality, entry_post);`

// ScanTravel implements OpenStays: one pass over the person index, which
// holds the stay entries (a covering index: the table is not read).
func (s *Postgres) ScanTravel(ctx context.Context, fn func(app.TravellerKey, []string) error) error {
	rows, err := s.pool.Query(ctx, `SELECT surname, given_names, birth_date, nationality, stay FROM travel
		WHERE stay <> '' ORDER BY surname, birth_date, given_names, nationality, booth_time`)
	if err != nil {
		return wrap(err, "scan travel")
	}
	defer rows.Close()
	return scanTravelRows(rows, fn)
}

// OpenStays implements OpenStays.
func (s *Postgres) OpenStays(ctx context.Context, fn func(OpenStay) error) error {
	rows, err := s.pool.Query(ctx, `SELECT key, nationality, entry_post, entry_at, last_day, line FROM open_stays`)
	if err != nil {
		return wrap(err, "read open stays")
	}
	defer rows.Close()
	return scanOpenStayRows(rows, fn)
}

// PublishOpenStays implements OpenStays.
func (s *Postgres) PublishOpenStays(ctx context.Context, ch OpenStayChanges, make func(int64) (Publication, error)) (Publication, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Publication{}, wrap(err, "begin open stays")
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(8009, hashtext($1))`, OpenStaysKind); err != nil {
		return Publication{}, wrap(err, "lock open stays")
	}
	var latest int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = $1`, OpenStaysKind).Scan(&latest); err != nil {
		return Publication{}, wrap(err, "read latest open stays")
	}
	p, err := make(latest)
	if err != nil {
		return Publication{}, err
	}
	p.Kind = OpenStaysKind
	if err := checkOpenStaysPublication(p, latest); err != nil {
		return Publication{}, err
	}
	if len(ch.Removals) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM open_stays WHERE key = ANY($1)`, ch.Removals); err != nil {
			return Publication{}, wrap(err, "close open stays")
		}
	}
	for _, o := range ch.Upserts {
		if _, err := tx.Exec(ctx, `INSERT INTO open_stays (key, nationality, entry_post, entry_at, last_day, line) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (key) DO UPDATE SET nationality = excluded.nationality, entry_post = excluded.entry_post, entry_at = excluded.entry_at,
			last_day = excluded.last_day, line = excluded.line`, o.Key, o.Nationality, o.EntryPost, o.EntryAt.Unix(), o.LastDay, o.Line); err != nil {
			return Publication{}, wrap(err, "store open stay")
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO publications (kind, version, delta, base, content, snapshot, sha256, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)`,
		p.Kind, p.Version, p.Delta, p.Base, p.Content, p.SHA256, p.CreatedAt); err != nil {
		return Publication{}, wrap(err, "store open stays version %d", p.Version)
	}
	return p, wrap(tx.Commit(ctx), "commit open stays")
}

// Overstayers implements OpenStays.
func (s *Postgres) Overstayers(ctx context.Context, q OverstayQuery) ([]OverstayGroup, error) {
	if err := checkOverstayQuery(q); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT nationality, entry_post, COUNT(*), MIN(last_day) FROM open_stays
		WHERE last_day <> '' AND last_day < $1 AND ($2 = '' OR nationality = $2) AND ($3 = '' OR entry_post = $3)
		GROUP BY nationality, entry_post ORDER BY COUNT(*) DESC, nationality, entry_post`,
		q.Today, q.Nationality, q.EntryPost)
	if err != nil {
		return nil, wrap(err, "count overstayers")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (OverstayGroup, error) {
		var g OverstayGroup
		err := r.Scan(&g.Nationality, &g.EntryPost, &g.Count, &g.Since)
		return g, err
	})
	return out, wrap(err, "count overstayers")
}
