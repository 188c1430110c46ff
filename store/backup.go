package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chekara/chekara/app"
)

// DefaultPath is where a booth keeps its database unless told otherwise:
// $CHEKARA_DB when set, else $XDG_DATA_HOME/chekara/booth.db, else
// ~/.local/share/chekara/booth.db. The folder is created (0700: the file holds
// personal data). Errors: EUNAVAILABLE when no home folder is known or the
// folder cannot be made.
func DefaultPath() (string, error) {
	if p := os.Getenv("CHEKARA_DB"); p != "" {
		return p, nil
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", app.Errorf(app.EUNAVAILABLE, "No home folder to keep the booth database in; set CHEKARA_DB.")
		}
		base = filepath.Join(home, ".local", "share")
	}
	dir := filepath.Join(base, "chekara")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", app.Errorf(app.EUNAVAILABLE, "Cannot create the folder %s for the booth database: %v.", dir, err)
	}
	return filepath.Join(dir, "booth.db"), nil
}

// Backup writes a consistent copy of the whole database to dest (which must not
// exist) while the booth keeps working: SQLite's VACUUM INTO reads one snapshot
// through a read-only connection, so decisions go on being recorded meanwhile.
// The copy is a complete, compacted database file with no -wal beside it.
// Errors: ECONFLICT when dest exists; EUNAVAILABLE when it cannot be written.
func (s *Store) Backup(ctx context.Context, dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return app.Errorf(app.EINVALID, "The backup path %q is not usable: %v.", dest, err)
	}
	if _, err := os.Stat(abs); err == nil {
		return app.Errorf(app.ECONFLICT, "%s already exists; a backup never overwrites a file.", abs)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return app.Errorf(app.EUNAVAILABLE, "Cannot check the backup path %s: %v.", abs, err)
	}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return s.fail(err, "backup")
	}
	defer conn.Close()
	// query_only would refuse VACUUM INTO; lift it on this connection for the
	// one statement. The connection is still opened read-only (mode=ro), so
	// the booth's own file cannot be changed through it.
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		return s.fail(err, "backup")
	}
	defer conn.ExecContext(context.Background(), "PRAGMA query_only = 1")
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		os.Remove(abs)
		return s.fail(err, "backup")
	}
	return nil
}
