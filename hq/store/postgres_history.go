package store

import (
	"context"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
)

// postgresTravel is migration 3: the history index and the audit of history
// queries (see sqliteTravel). Booth times are Unix nanoseconds, as in SQLite.
const postgresTravel = `CREATE TABLE travel (
		record_id   text PRIMARY KEY,
		doc_state   text NOT NULL,
		doc_number  text NOT NULL,
		surname     text NOT NULL,
		given_names text NOT NULL,
		birth_date  text NOT NULL,
		nationality text NOT NULL,
		booth_time  bigint NOT NULL
	);
	CREATE INDEX travel_document ON travel(doc_number, doc_state, booth_time) INCLUDE (record_id);
	CREATE INDEX travel_person ON travel(surname, birth_date, given_names, nationality, booth_time) INCLUDE (record_id);
	CREATE TABLE lookups (
		id          bigserial PRIMARY KEY,
		at          timestamptz NOT NULL,
		booth       text NOT NULL,
		officer     text NOT NULL,
		inspection  text NOT NULL,
		doc_state   text NOT NULL,
		doc_number  text NOT NULL,
		surname     text NOT NULL,
		given_names text NOT NULL,
		birth_date  text NOT NULL,
		nationality text NOT NULL
	);`

// postgresIndexTravel adds the batch's fresh crossings to the history index in
// one statement, in the batch's transaction.
func postgresIndexTravel(ctx context.Context, tx pgx.Tx, b Batch, fresh map[string]bool) error {
	return postgresInsertTravel(ctx, tx, travelOf(b, fresh), true)
}

// postgresInsertTravel writes rows into the index; withStay false for a store
// not yet at stayVersion (the backfill of migration 4).
func postgresInsertTravel(ctx context.Context, tx pgx.Tx, rows []travel, withStay bool) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	ids, states, numbers := make([]string, n), make([]string, n), make([]string, n)
	surnames, given, births, nats := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	times, stays := make([]int64, n), make([]string, n)
	for i, t := range rows {
		ids[i], states[i], numbers[i] = t.id, t.doc.IssuingState, t.doc.Number
		surnames[i], given[i], births[i], nats[i] = t.person.Surname, t.person.GivenNames, t.person.BirthDate, t.person.Nationality
		times[i], stays[i] = t.boothTime.UnixNano(), t.stay
	}
	if withStay {
		_, err := tx.Exec(ctx, `INSERT INTO travel (record_id, doc_state, doc_number, surname, given_names, birth_date, nationality, booth_time, stay)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[])
		ON CONFLICT DO NOTHING`, ids, states, numbers, surnames, given, births, nats, times, stays)
		return wrap(err, "index crossings")
	}
	_, err := tx.Exec(ctx, `INSERT INTO travel (record_id, doc_state, doc_number, surname, given_names, birth_date, nationality, booth_time)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
		ON CONFLICT DO NOTHING`, ids, states, numbers, surnames, given, births, nats, times)
	return wrap(err, "index crossings")
}

// postgresBackfillTravel indexes the crossings stored before the index existed.
func postgresBackfillTravel(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id, payload FROM records WHERE kind = 'crossing'`)
	if err != nil {
		return err
	}
	b := Batch{}
	fresh := map[string]bool{}
	for rows.Next() {
		r := Record{Kind: "crossing"}
		if err := rows.Scan(&r.ID, &r.Payload); err != nil {
			rows.Close()
			return err
		}
		b.Records = append(b.Records, r)
		fresh[r.ID] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return postgresInsertTravel(ctx, tx, travelOf(b, fresh), false)
}

// postgresTravelStay is the migration that keeps each admitted crossing's stay
// entry in the person index (see sqliteTravelStay).
const postgresTravelStay = `ALTER TABLE travel ADD COLUMN stay text NOT NULL DEFAULT '';
	DROP INDEX travel_person;
	CREATE INDEX travel_person ON travel(surname, birth_date, given_names, nationality, booth_time) INCLUDE (record_id, stay);`

// postgresBackfillStay fills the stay entries of the crossings indexed before
// stayVersion.
func postgresBackfillStay(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT r.id, r.payload FROM travel t JOIN records r ON r.id = t.record_id`)
	if err != nil {
		return err
	}
	var ids, stays []string
	for rows.Next() {
		var id string
		var payload []byte
		if err := rows.Scan(&id, &payload); err != nil {
			rows.Close()
			return err
		}
		if c, err := wire.DecodeCrossing(payload); err == nil {
			if st := stayOf(c); st != "" {
				ids, stays = append(ids, id), append(stays, st)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE travel t SET stay = u.stay FROM unnest($1::text[], $2::text[]) AS u(id, stay) WHERE t.record_id = u.id`, ids, stays)
	return err
}

// History implements NationalHistory.
func (s *Postgres) History(ctx context.Context, doc app.DocumentKey, person app.TravellerKey, limit int) ([]Record, error) {
	doc, person, limit, err := historyKeys(doc, person, limit)
	if err != nil {
		return nil, err
	}
	const cols = `SELECT r.booth, r.seq, r.id, r.kind, r.payload, r.sha256, t.booth_time FROM travel t JOIN records r ON r.id = t.record_id AND r.month = chekara_month(t.record_id) `
	var sets [][]historyRow
	read := func(q string, args ...any) error {
		rows, err := s.pool.Query(ctx, q, args...)
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
		if err := read(cols+`WHERE t.doc_number = $1 AND t.doc_state = $2 ORDER BY t.booth_time DESC LIMIT $3`,
			doc.Number, doc.IssuingState, limit); err != nil {
			return nil, wrap(err, "read history by document")
		}
	}
	if person.Surname != "" {
		if err := read(cols+`WHERE t.surname = $1 AND t.birth_date = $2 AND t.given_names = $3 AND t.nationality = $4 ORDER BY t.booth_time DESC LIMIT $5`,
			person.Surname, person.BirthDate, person.GivenNames, person.Nationality, limit); err != nil {
			return nil, wrap(err, "read history by person")
		}
	}
	return mergeRows(limit, sets...), nil
}

// AuditLookup implements NationalHistory.
func (s *Postgres) AuditLookup(ctx context.Context, l Lookup) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO lookups (at, booth, officer, inspection, doc_state, doc_number, surname, given_names, birth_date, nationality)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, l.At, l.Booth, l.OfficerID, l.InspectionID,
		l.Document.IssuingState, l.Document.Number, l.Person.Surname, l.Person.GivenNames, l.Person.BirthDate, l.Person.Nationality).Scan(&id)
	return id, wrap(err, "audit history query")
}

// Lookups implements NationalHistory.
func (s *Postgres) Lookups(ctx context.Context, after int64) ([]Lookup, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, booth, officer, inspection, doc_state, doc_number, surname, given_names, birth_date, nationality
		FROM lookups WHERE id > $1 ORDER BY id`, after)
	if err != nil {
		return nil, wrap(err, "read history queries")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (Lookup, error) {
		var l Lookup
		err := r.Scan(&l.ID, &l.At, &l.Booth, &l.OfficerID, &l.InspectionID, &l.Document.IssuingState, &l.Document.Number,
			&l.Person.Surname, &l.Person.GivenNames, &l.Person.BirthDate, &l.Person.Nationality)
		l.At = l.At.UTC()
		return l, err
	})
	return out, wrap(err, "read history queries")
}
