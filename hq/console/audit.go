package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// AuditEntry is one thing a person did in the console: signed in or failed
// to, viewed a page, exported, was refused.
type AuditEntry struct {
	At      time.Time `json:"at"`
	Account string    `json:"account"`
	Role    string    `json:"role,omitempty"`
	Action  string    `json:"action"` // sign_in, sign_in_failed, sign_out, view, export, api, refused, csrf_refused
	Path    string    `json:"path"`
	Query   string    `json:"query,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Remote  string    `json:"remote,omitempty"`
}

// Audit is where the console's audit entries go.
type Audit interface {
	Append(ctx context.Context, e AuditEntry) error
	// Entries returns the entries, oldest first.
	Entries(ctx context.Context) ([]AuditEntry, error)
}

// FileAudit appends entries as JSON lines to a file, each synced to disk
// before the page is served.
type FileAudit struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

var _ Audit = (*FileAudit)(nil)

// OpenFileAudit opens (creating, mode 0600) the audit file at path.
func OpenFileAudit(path string) (*FileAudit, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open console audit: %w", err)
	}
	return &FileAudit{path: path, f: f}, nil
}

// Append implements Audit.
func (a *FileAudit) Append(_ context.Context, e AuditEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write console audit: %w", err)
	}
	return a.f.Sync()
}

// Entries implements Audit. A line that does not parse (a torn last write)
// is skipped, not fatal.
func (a *FileAudit) Entries(_ context.Context) ([]AuditEntry, error) {
	f, err := os.Open(a.path)
	if err != nil {
		return nil, fmt.Errorf("read console audit: %w", err)
	}
	defer f.Close()
	var out []AuditEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var e AuditEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// Close closes the file.
func (a *FileAudit) Close() error { return a.f.Close() }
