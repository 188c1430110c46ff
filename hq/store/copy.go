package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
)

// CopySQLite writes a consistent copy of the SQLite store at path to the new
// file to, while HQ may be writing it: VACUUM INTO reads one snapshot (WAL) and
// writes a compact database, so the copy is never torn.
func CopySQLite(ctx context.Context, path, to string) error {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(15000)")
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&"+q.Encode())
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(to, "'", "''")+"'"); err != nil {
		return fmt.Errorf("copy %s: %w", path, err)
	}
	return nil
}
