package console

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// AuditEntry is one thing a person did in the console: signed in or failed
// to, viewed a page, exported, was refused, administered. Prev and Hash make
// the file a hash chain: Hash is SHA-256 over the domain tag, Prev and the
// entry's JSON without Hash, so changing, removing or reordering a line
// breaks the chain from there on (VerifyAudit).
type AuditEntry struct {
	At      time.Time `json:"at"`
	Account string    `json:"account"`
	Role    string    `json:"role,omitempty"`
	Action  string    `json:"action"` // sign_in, sign_in_failed, sign_out, view, export, api, refused, csrf_refused, throttled, admin_*
	Path    string    `json:"path"`
	Query   string    `json:"query,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Remote  string    `json:"remote,omitempty"`
	Prev    string    `json:"prev,omitempty"` // hex; the previous entry's Hash ("" for the first)
	Hash    string    `json:"hash,omitempty"` // hex
}

// Audit is where the console's audit entries go.
type Audit interface {
	Append(ctx context.Context, e AuditEntry) error
	// Entries returns the entries, oldest first.
	Entries(ctx context.Context) ([]AuditEntry, error)
}

const auditDomain = "chekara-console-audit-v1"

// auditHash is an entry's hash: over the domain, Prev and the entry as JSON
// with Hash empty.
func auditHash(e AuditEntry) string {
	e.Hash = ""
	body, _ := json.Marshal(e)
	h := sha256.New()
	h.Write([]byte(auditDomain))
	h.Write([]byte(e.Prev))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	Entries  int // entries read
	Unhashed int // entries before the chain began (a file from before 2026-12-04's chain)
	Broken   int // 1-based index of the first entry that breaks the chain; 0 when whole
	Why      string
}

// VerifyAudit checks the chain over entries (oldest first). Entries written
// before the chain existed (no Hash) may only come first.
func VerifyAudit(es []AuditEntry) AuditCheck {
	c := AuditCheck{Entries: len(es)}
	prev := ""
	for i, e := range es {
		switch {
		case e.Hash == "" && prev == "" && i == c.Unhashed:
			c.Unhashed++
			continue
		case e.Hash == "":
			c.Broken, c.Why = i+1, "an entry without a hash inside the chain"
		case e.Prev != prev:
			c.Broken, c.Why = i+1, "does not follow the entry before it (one was removed, inserted or reordered)"
		case auditHash(e) != e.Hash:
			c.Broken, c.Why = i+1, "was altered"
		}
		if c.Broken != 0 {
			return c
		}
		prev = e.Hash
	}
	return c
}

// FileAudit appends entries as JSON lines to a file, chained (AuditEntry),
// each synced to disk before the page is served.
type FileAudit struct {
	mu   sync.Mutex
	path string
	f    *os.File
	last string // the last entry's hash
}

var _ Audit = (*FileAudit)(nil)

// OpenFileAudit opens (creating, mode 0600) the audit file at path and reads
// its last hash to chain on from.
func OpenFileAudit(path string) (*FileAudit, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open console audit: %w", err)
	}
	a := &FileAudit{path: path, f: f}
	if data, err := os.ReadFile(path); err == nil && len(data) > 0 && data[len(data)-1] != '\n' {
		// A crash tore the last line. Its Append never returned (it syncs
		// first), so no page was served on it: cut it, and chain on from the
		// last whole line.
		if err := os.Truncate(path, int64(bytes.LastIndexByte(data, '\n')+1)); err != nil {
			f.Close()
			return nil, fmt.Errorf("repair console audit: %w", err)
		}
	}
	es, err := a.Entries(context.Background())
	if err != nil {
		f.Close()
		return nil, err
	}
	if len(es) > 0 {
		a.last = es[len(es)-1].Hash
	}
	return a, nil
}

// Append implements Audit, chaining e onto the last entry.
func (a *FileAudit) Append(_ context.Context, e AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	e.Prev = a.last
	e.Hash = auditHash(e)
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := a.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write console audit: %w", err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("sync console audit: %w", err)
	}
	a.last = e.Hash
	return nil
}

// Entries implements Audit. A torn last line (a crash mid-write) is skipped;
// a line that does not parse elsewhere is returned as an entry with Action
// "unreadable", so the chain check reports it instead of hiding it.
func (a *FileAudit) Entries(_ context.Context) ([]AuditEntry, error) {
	data, err := os.ReadFile(a.path)
	if err != nil {
		return nil, fmt.Errorf("read console audit: %w", err)
	}
	var out []AuditEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	torn := len(data) > 0 && data[len(data)-1] != '\n'
	var lines [][]byte
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			lines = append(lines, append([]byte(nil), sc.Bytes()...))
		}
	}
	for i, l := range lines {
		var e AuditEntry
		if err := json.Unmarshal(l, &e); err != nil {
			if torn && i == len(lines)-1 {
				break
			}
			e = AuditEntry{Action: "unreadable", Detail: fmt.Sprintf("line %d does not read", i+1), Hash: "x"}
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Close closes the file.
func (a *FileAudit) Close() error { return a.f.Close() }
