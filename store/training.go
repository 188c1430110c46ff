package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// PackInfo is one imported scenario pack.
type PackInfo = training.PackInfo

// SavePack stores a validated pack file under its id, replacing an earlier
// import of the same id (a trainer's edit). Errors: EINVALID for a pack that
// does not validate.
func (s *Store) SavePack(ctx context.Context, data []byte) (*training.Pack, error) {
	p, err := training.Parse(data)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, "save pack", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO training_packs (id, title, pack, imported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET title = excluded.title, pack = excluded.pack, imported_at = excluded.imported_at`,
			p.ID, p.Title.En, data, nanos(s.clock.Now()))
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Pack returns an imported pack. Errors: ENOTFOUND.
func (s *Store) Pack(ctx context.Context, id string) (*training.Pack, error) {
	data, err := s.PackFile(ctx, id)
	if err != nil {
		return nil, err
	}
	return training.Parse(data)
}

// PackFile returns an imported pack's file as it was imported, for a
// trainer to edit. Errors: ENOTFOUND.
func (s *Store) PackFile(ctx context.Context, id string) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, "SELECT pack FROM training_packs WHERE id = ?", id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no training pack %s.", id)
	} else if err != nil {
		return nil, s.fail(err, "read pack")
	}
	return data, nil
}

// Packs lists the imported packs by id.
func (s *Store) Packs(ctx context.Context) ([]PackInfo, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, title, imported_at FROM training_packs ORDER BY id")
	if err != nil {
		return nil, s.fail(err, "list packs")
	}
	defer rows.Close()
	var out []PackInfo
	for rows.Next() {
		var p PackInfo
		var at int64
		if err := rows.Scan(&p.ID, &p.Title, &at); err != nil {
			return nil, s.fail(err, "list packs")
		}
		p.ImportedAt = time.Unix(0, at).UTC()
		out = append(out, p)
	}
	return out, s.fail(rows.Err(), "list packs")
}

// Assignment is a pack a trainer gave a trainee.
type Assignment = training.Assignment

// Assign gives a trainee a pack (again: the debrief mode is replaced).
// Errors: EINVALID for an unknown trainee or pack, or another debrief mode.
func (s *Store) Assign(ctx context.Context, a Assignment) error {
	if a.Debrief != training.DebriefEach && a.Debrief != training.DebriefEnd {
		return app.Errorf(app.EINVALID, "The debrief comes after each traveller or at the end, not %q.", a.Debrief)
	}
	if a.At.IsZero() {
		a.At = s.clock.Now()
	}
	return s.write(ctx, "assign pack", func(tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, "SELECT role FROM officers WHERE id = ?", a.Trainee).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) || err == nil && role != string(app.RoleTrainee) {
			return app.Errorf(app.EINVALID, "%s is not a trainee of this centre.", a.Trainee)
		} else if err != nil {
			return err
		}
		var known bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM training_packs WHERE id = ?)", a.Pack).Scan(&known); err != nil {
			return err
		}
		if !known {
			return app.Errorf(app.EINVALID, "There is no training pack %s.", a.Pack)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO training_assignments (trainee, pack, debrief, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (trainee, pack) DO UPDATE SET debrief = excluded.debrief, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
			a.Trainee, a.Pack, string(a.Debrief), a.By, nanos(a.At))
		return err
	})
}

// Assignments lists a trainee's assignments ("" for every trainee's), oldest first.
func (s *Store) Assignments(ctx context.Context, trainee string) ([]Assignment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT trainee, pack, debrief, assigned_by, assigned_at FROM training_assignments
		WHERE ? = '' OR trainee = ? ORDER BY assigned_at, trainee, pack`, trainee, trainee)
	if err != nil {
		return nil, s.fail(err, "list assignments")
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		var at int64
		if err := rows.Scan(&a.Trainee, &a.Pack, &a.Debrief, &a.By, &at); err != nil {
			return nil, s.fail(err, "list assignments")
		}
		a.At = time.Unix(0, at).UTC()
		out = append(out, a)
	}
	return out, s.fail(rows.Err(), "list assignments")
}

// SaveSession stores (or updates, as it goes on) a trainee's session.
// Errors: EINVALID without an id or for an unknown trainee.
func (s *Store) SaveSession(ctx context.Context, ts training.Session) error {
	if ts.ID == "" {
		return app.Errorf(app.EINVALID, "A training session needs an id.")
	}
	data, err := json.Marshal(ts)
	if err != nil {
		return err
	}
	return s.write(ctx, "save training session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO training_sessions (id, trainee, pack, started, finished, session) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET finished = excluded.finished, session = excluded.session`,
			ts.ID, ts.Trainee, ts.Pack, nanos(ts.Started), nanos(ts.Finished), data)
		if isForeignKey(err) {
			return app.Errorf(app.EINVALID, "%s is not an officer of this centre.", ts.Trainee)
		}
		return err
	})
}

// Sessions lists a trainee's sessions ("" for everyone's), oldest first.
func (s *Store) Sessions(ctx context.Context, trainee string) ([]training.Session, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT session FROM training_sessions WHERE ? = '' OR trainee = ? ORDER BY started, id`, trainee, trainee)
	if err != nil {
		return nil, s.fail(err, "list training sessions")
	}
	defer rows.Close()
	var out []training.Session
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, s.fail(err, "list training sessions")
		}
		var ts training.Session
		if err := json.Unmarshal(data, &ts); err != nil {
			return nil, app.Errorf(app.EINTERNAL, "A stored training session does not decode: %v.", err)
		}
		out = append(out, ts)
	}
	return out, s.fail(rows.Err(), "list training sessions")
}

func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
