package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// sqliteTravel is migration 3: the history index and the audit of history
// queries. Booth times are Unix nanoseconds so the indexes order them.
const sqliteTravel = `CREATE TABLE travel (
		record_id   TEXT PRIMARY KEY,
		doc_state   TEXT NOT NULL,
		doc_number  TEXT NOT NULL,
		surname     TEXT NOT NULL,
		given_names TEXT NOT NULL,
		birth_date  TEXT NOT NULL,
		nationality TEXT NOT NULL,
		booth_time  INTEGER NOT NULL
	) STRICT, WITHOUT ROWID;
	CREATE INDEX travel_document ON travel(doc_number, doc_state, booth_time);
	CREATE INDEX travel_person ON travel(surname, birth_date, given_names, nationality, booth_time);
	CREATE TABLE lookups (
		id          INTEGER PRIMARY KEY AUTOINCREMENT,
		at          TEXT NOT NULL,
		booth       TEXT NOT NULL,
		officer     TEXT NOT NULL,
		inspection  TEXT NOT NULL,
		doc_state   TEXT NOT NULL,
		doc_number  TEXT NOT NULL,
		surname     TEXT NOT NULL,
		given_names TEXT NOT NULL,
		birth_date  TEXT NOT NULL,
		nationality TEXT NOT NULL
	) STRICT;`

// indexTravel adds the batch's fresh crossings to the history index, in the
// batch's transaction.
func indexTravel(ctx context.Context, tx *sql.Tx, b Batch, fresh map[string]bool) error {
	return insertTravel(ctx, tx, travelOf(b, fresh), true)
}

// insertTravel writes rows into the index; withStay false for a store not yet
// at stayVersion (the backfill of migration 4).
func insertTravel(ctx context.Context, tx *sql.Tx, rows []travel, withStay bool) error {
	for start := 0; start < len(rows); start += insertChunk {
		chunk := rows[start:min(start+insertChunk, len(rows))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO travel (record_id, doc_state, doc_number, surname, given_names, birth_date, nationality, booth_time`)
		if withStay {
			sb.WriteString(`, stay`)
		}
		sb.WriteString(`) VALUES `)
		args := make([]any, 0, 9*len(chunk))
		for i, t := range chunk {
			if i > 0 {
				sb.WriteByte(',')
			}
			args = append(args, t.id, t.doc.IssuingState, t.doc.Number, t.person.Surname, t.person.GivenNames,
				t.person.BirthDate, t.person.Nationality, t.boothTime.UnixNano())
			if withStay {
				sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?)`)
				args = append(args, t.stay)
			} else {
				sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?)`)
			}
		}
		sb.WriteString(` ON CONFLICT DO NOTHING`)
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return wrap(err, "index crossings")
		}
	}
	return nil
}

// backfillTravel indexes the crossings stored before the index existed.
func backfillTravel(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, payload FROM records WHERE kind = 'crossing'`)
	if err != nil {
		return err
	}
	b := Batch{}
	fresh := map[string]bool{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Payload); err != nil {
			rows.Close()
			return err
		}
		r.Kind = "crossing"
		b.Records = append(b.Records, r)
		fresh[r.ID] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return insertTravel(ctx, tx, travelOf(b, fresh), false)
}

// sqliteTravelStay is the migration that keeps each admitted crossing's stay
// entry in the person index, so the open stays are computed from the index
// alone (ScanTravel), without decoding a payload.
const sqliteTravelStay = `ALTER TABLE travel ADD COLUMN stay TEXT NOT NULL DEFAULT '';
	DROP INDEX travel_person;
	CREATE INDEX travel_person ON travel(surname, birth_date, given_names, nationality, booth_time, stay);`

// backfillStay fills the stay entries of the crossings indexed before
// stayVersion.
func backfillStay(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.payload FROM travel t JOIN records r ON r.id = t.record_id`)
	if err != nil {
		return err
	}
	type upd struct{ id, stay string }
	var todo []upd
	for rows.Next() {
		var id string
		var payload []byte
		if err := rows.Scan(&id, &payload); err != nil {
			rows.Close()
			return err
		}
		if c, err := wire.DecodeCrossing(payload); err == nil {
			if st := stayOf(c); st != "" {
				todo = append(todo, upd{id, st})
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE travel SET stay = ? WHERE record_id = ?`, u.stay, u.id); err != nil {
			return err
		}
	}
	return nil
}

// History implements NationalHistory.
func (s *SQLite) History(ctx context.Context, doc app.DocumentKey, person app.TravellerKey, limit int) ([]Record, error) {
	doc, person, limit, err := historyKeys(doc, person, limit)
	if err != nil {
		return nil, err
	}
	const cols = `SELECT r.booth, r.seq, r.id, r.kind, r.payload, r.sha256, t.booth_time FROM travel t JOIN records r ON r.id = t.record_id `
	var sets [][]historyRow
	read := func(q string, args ...any) error {
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		set, err := collect(rows, func(r rowScanner) (historyRow, error) {
			var h historyRow
			err := r.Scan(&h.Booth, &h.Seq, &h.ID, &h.Kind, &h.Payload, &h.SHA256, &h.at)
			return h, err
		})
		sets = append(sets, set)
		return err
	}
	if doc.Number != "" {
		if err := read(cols+`WHERE t.doc_number = ? AND t.doc_state = ? ORDER BY t.booth_time DESC LIMIT ?`,
			doc.Number, doc.IssuingState, limit); err != nil {
			return nil, wrap(err, "read history by document")
		}
	}
	if person.Surname != "" {
		if err := read(cols+`WHERE t.surname = ? AND t.birth_date = ? AND t.given_names = ? AND t.nationality = ? ORDER BY t.booth_time DESC LIMIT ?`,
			person.Surname, person.BirthDate, person.GivenNames, person.Nationality, limit); err != nil {
			return nil, wrap(err, "read history by person")
		}
	}
	return mergeRows(limit, sets...), nil
}

// AuditLookup implements NationalHistory.
func (s *SQLite) AuditLookup(ctx context.Context, l Lookup) (int64, error) {
	r, err := s.w.ExecContext(ctx, `INSERT INTO lookups (at, booth, officer, inspection, doc_state, doc_number, surname, given_names, birth_date, nationality)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ts(l.At), l.Booth, l.OfficerID, l.InspectionID, l.Document.IssuingState, l.Document.Number,
		l.Person.Surname, l.Person.GivenNames, l.Person.BirthDate, l.Person.Nationality)
	if err != nil {
		return 0, wrap(err, "audit history query")
	}
	return r.LastInsertId()
}

// Lookups implements NationalHistory.
func (s *SQLite) Lookups(ctx context.Context, after int64) ([]Lookup, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, booth, officer, inspection, doc_state, doc_number, surname, given_names, birth_date, nationality
		FROM lookups WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, wrap(err, "read history queries")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Lookup, error) {
		var l Lookup
		var at string
		err := r.Scan(&l.ID, &at, &l.Booth, &l.OfficerID, &l.InspectionID, &l.Document.IssuingState, &l.Document.Number,
			&l.Person.Surname, &l.Person.GivenNames, &l.Person.BirthDate, &l.Person.Nationality)
		l.At = parseTS(at)
		return l, err
	})
	return out, wrap(err, "read history queries")
}
