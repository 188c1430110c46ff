package hq

// Backup and restore of a whole HQ: the data folder (CA, server certificate,
// list-signing key, settings) and the store. Losing the keys is as bad as losing
// the records — booths trust only this CA and this list key — so one archive holds
// both.

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// Names inside a backup archive besides the data folder's own files.
const (
	backupSQLite   = "hq.db"         // SQLite: a consistent copy made while HQ runs
	backupPostgres = "postgres.dump" // PostgreSQL: pg_dump's custom format
)

// sqliteFiles are the live SQLite files of a data folder, never copied as they
// are (a copy of a database in use may be torn).
var sqliteFiles = map[string]bool{"hq.db": true, "hq.db-wal": true, "hq.db-shm": true, "hq.db-journal": true}

// Backup writes HQ's data folder and its store to w as a gzip'd tar. With
// postgres "" the store is DataDir/hq.db, copied with VACUUM INTO while HQ may be
// running; otherwise pg_dump (PostgreSQL's client tools) writes the database.
// Errors name what could not be read.
func Backup(ctx context.Context, dataDir, postgres string, w io.Writer) error {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		if !e.Type().IsRegular() || sqliteFiles[e.Name()] {
			continue
		}
		if err := addFile(tw, filepath.Join(dataDir, e.Name()), e.Name()); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "hq-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if postgres == "" {
		copyPath := filepath.Join(tmp, backupSQLite)
		if err := store.CopySQLite(ctx, filepath.Join(dataDir, "hq.db"), copyPath); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		err = addFile(tw, copyPath, backupSQLite)
	} else {
		dump := filepath.Join(tmp, backupPostgres)
		if err := pgTool(ctx, "pg_dump", postgres, "--format=custom", "--no-owner", "--file="+dump); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		err = addFile(tw, dump, backupPostgres)
	}
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// Restore unpacks a Backup into dataDir, which must hold no HQ yet (ECONFLICT
// otherwise: a restore never overwrites keys or records). A PostgreSQL dump is
// restored into postgres (the URL HQ will use; "" takes the one in the backup's
// settings). The restored HQ is opened once to check it. Errors: EINVALID for an
// archive that is not an HQ backup.
func Restore(ctx context.Context, dataDir, postgres string, r io.Reader) error {
	for _, f := range []string{"ca.pem", "hq.db", settingsFile} {
		if _, err := os.Stat(filepath.Join(dataDir, f)); err == nil {
			return app.Errorf(app.ECONFLICT, "%s already holds an HQ (%s); restore into an empty folder.", dataDir, f)
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	gz, err := gzip.NewReader(r)
	if err != nil {
		return app.Errorf(app.EINVALID, "Not an HQ backup: %v.", err)
	}
	tr := tar.NewReader(gz)
	var dump string
	seen := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return app.Errorf(app.EINVALID, "Not an HQ backup: %v.", err)
		}
		name := h.Name
		if h.Typeflag != tar.TypeReg || name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			return app.Errorf(app.EINVALID, "Not an HQ backup: unexpected entry %q.", name)
		}
		to := filepath.Join(dataDir, name)
		if name == backupPostgres {
			tmp, err := os.MkdirTemp("", "hq-restore-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			to = filepath.Join(tmp, name)
			dump = to
		}
		f, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("restore %s: %w", name, err)
		}
		seen++
	}
	if _, err := os.Stat(filepath.Join(dataDir, "ca.pem")); err != nil || seen == 0 {
		return app.Errorf(app.EINVALID, "Not an HQ backup: it holds no CA certificate.")
	}
	st, err := LoadSettings(dataDir)
	if err != nil {
		return err
	}
	if dump != "" {
		if postgres == "" {
			postgres = st.Postgres
		}
		if postgres == "" {
			return app.Errorf(app.EINVALID, "The backup holds a PostgreSQL dump: give --postgres URL to restore it into.")
		}
		if err := pgTool(ctx, "pg_restore", postgres, "--no-owner", "--exit-on-error", dump); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if postgres != st.Postgres {
			st.Postgres = postgres
			if err := SaveSettings(dataDir, st); err != nil {
				return err
			}
		}
	} else if st.Postgres != "" && postgres == "" {
		return app.Errorf(app.EINVALID, "The backup's settings name PostgreSQL but it holds no dump.")
	}
	s, err := Open(ctx, Config{DataDir: dataDir, Listen: "127.0.0.1:0", Postgres: st.Postgres})
	if err != nil {
		return fmt.Errorf("restored HQ does not open: %w", err)
	}
	return s.Close()
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: fi.Size(), ModTime: fi.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// pgTool runs pg_dump or pg_restore against a PostgreSQL URL as HQ uses it.
// HQ's URLs may carry search_path (pgx's runtime parameter, which libpq's tools
// do not accept): it becomes --schema, so a dump holds exactly HQ's schema.
func pgTool(ctx context.Context, tool, pgURL string, args ...string) error {
	u, err := url.Parse(pgURL)
	if err != nil {
		return app.Errorf(app.EINVALID, "PostgreSQL URL: %v", err)
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		q.Del("search_path")
		u.RawQuery = q.Encode()
		if tool == "pg_dump" {
			args = append(args, "--schema="+sp)
		}
	}
	out, err := exec.CommandContext(ctx, tool, append([]string{"--dbname=" + u.String()}, args...)...).CombinedOutput()
	if errors.Is(err, exec.ErrNotFound) {
		return app.Errorf(app.EUNAVAILABLE, "%s is not installed (Debian: postgresql-client-15).", tool)
	} else if err != nil {
		return fmt.Errorf("%s: %v: %s", tool, err, strings.TrimSpace(string(out)))
	}
	return nil
}
