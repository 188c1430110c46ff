package store

import (
	"context"

	"github.com/chekara/chekara/app"
)

// sqliteOpenStays is the migration that keeps the published open stays.
const sqliteOpenStays = `CREATE TABLE open_stays (
		key         TEXT PRIMARY KEY,
		nationality TEXT NOT NULL,
		entry_post  TEXT NOT NULL,
		entry_at    INTEGER NOT NULL, -- Unix seconds
		last_day    TEXT NOT NULL,
		line        TEXT NOT NULL
	) STRICT, WITHOUT ROWID;
	CREATE INDEX open_stays_overstay ON open_stays(last_day, nationality, entry_post);`

// ScanTravel implements OpenStays: one pass over the person index, which
// holds the stay entries (a covering index: the table is not read).
func (s *SQLite) ScanTravel(ctx context.Context, fn func(app.TravellerKey, []string) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT surname, given_names, birth_date, nationality, stay FROM travel INDEXED BY travel_person
		WHERE stay <> '' ORDER BY surname, birth_date, given_names, nationality, booth_time`)
	if err != nil {
		return wrap(err, "scan travel")
	}
	defer rows.Close()
	return scanTravelRows(rows, fn)
}

// OpenStays implements OpenStays.
func (s *SQLite) OpenStays(ctx context.Context, fn func(OpenStay) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT key, nationality, entry_post, entry_at, last_day, line FROM open_stays`)
	if err != nil {
		return wrap(err, "read open stays")
	}
	defer rows.Close()
	return scanOpenStayRows(rows, fn)
}

// PublishOpenStays implements OpenStays.
func (s *SQLite) PublishOpenStays(ctx context.Context, ch OpenStayChanges, make func(int64) (Publication, error)) (Publication, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Publication{}, wrap(err, "begin open stays")
	}
	defer tx.Rollback()
	var latest int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM publications WHERE kind = ?`, OpenStaysKind).Scan(&latest); err != nil {
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
	for _, k := range ch.Removals {
		if _, err := tx.ExecContext(ctx, `DELETE FROM open_stays WHERE key = ?`, k); err != nil {
			return Publication{}, wrap(err, "close open stay")
		}
	}
	for _, o := range ch.Upserts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO open_stays (key, nationality, entry_post, entry_at, last_day, line) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET nationality = excluded.nationality, entry_post = excluded.entry_post, entry_at = excluded.entry_at,
			last_day = excluded.last_day, line = excluded.line`, o.Key, o.Nationality, o.EntryPost, o.EntryAt.Unix(), o.LastDay, o.Line); err != nil {
			return Publication{}, wrap(err, "store open stay")
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO publications (kind, version, delta, base, content, snapshot, sha256, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
		p.Kind, p.Version, p.Delta, p.Base, p.Content, p.SHA256, ts(p.CreatedAt)); err != nil {
		return Publication{}, wrap(err, "store open stays version %d", p.Version)
	}
	return p, wrap(tx.Commit(), "commit open stays")
}

// Overstayers implements OpenStays.
func (s *SQLite) Overstayers(ctx context.Context, q OverstayQuery) ([]OverstayGroup, error) {
	if err := checkOverstayQuery(q); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT nationality, entry_post, COUNT(*), MIN(last_day) FROM open_stays
		WHERE last_day != '' AND last_day < ? AND (? = '' OR nationality = ?) AND (? = '' OR entry_post = ?)
		GROUP BY nationality, entry_post ORDER BY COUNT(*) DESC, nationality, entry_post`,
		q.Today, q.Nationality, q.Nationality, q.EntryPost, q.EntryPost)
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
