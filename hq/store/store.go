// Package store is HQ's central store: every booth's records (each kept exactly
// once, forever), the booths and their certificates, the alerts raised when a
// booth sends different content under an id HQ already holds, and the published
// versions of lists and rules.
//
// Two implementations share one contract (tested by one suite): SQLite, embedded,
// the default; PostgreSQL (pgx) for production. The store knows nothing of TLS,
// HTTP or signing: the hq package hands it verified batches and signed blobs.
package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// Record is one booth record as it arrives in a batch. ID is globally unique
// (UUIDv7) and is the key HQ de-duplicates on; SHA256 is the hash of the record's
// content as the booth computed it (verified by the wire decoder before it gets here).
type Record struct {
	Booth   string
	Seq     int64
	ID      string
	Kind    string
	Payload []byte
	SHA256  []byte
	// Invalid, when set, says why HQ's checks refused the record (it is not its
	// kind's wire format, or breaks its bounds): Apply keeps it as an alert,
	// never as a record.
	Invalid string
	// Crossing is the payload decoded, for a crossing HQ's checks decoded
	// already (nil: the store decodes it when it needs it).
	Crossing *app.Crossing
}

// crossing returns the record's crossing, decoded once.
func (r Record) crossing() (app.Crossing, error) {
	if r.Crossing != nil {
		return *r.Crossing, nil
	}
	return wire.DecodeCrossing(r.Payload)
}

// Batch is a run of one booth's outbox, From..To inclusive, as applied in one
// transaction.
type Batch struct {
	Booth   string
	From    int64
	To      int64
	Records []Record
	Source  string // "link" (HTTPS) or "media" (removable-media import); kept on alerts
	// Anchor is the booth's audit anchor; nil for a batch from a booth older
	// than the anchor (stored without anchoring).
	Anchor *Anchor
	// State is the booth's state as it built the batch (batch format 3); nil
	// when it sent none. Apply keeps it as the booth's latest (health.go).
	State *BoothState
}

// Result is what applying a batch did.
type Result struct {
	Mark       int64 // the booth's high-water mark after the batch: every seq ≤ Mark is at HQ
	Stored     int   // records new to HQ
	Duplicates int   // records HQ already had with the same content
	Alerts     []Alert
	Replay     bool  // the whole batch was already at HQ (To ≤ the mark before, nothing new)
	AuditSeq   int64 // the booth's latest anchored audit entry after the batch, 0 for none
}

// Alert records a record that came again under a known id with different content
// (Reason AlertChanged), or another fault HQ found in a booth's batch (see the
// Alert… reasons; batch-level alerts have no RecordID and a JSON detail as
// Payload). The stored copy is never overwritten; the newcomer is kept here
// for inspection.
type Alert struct {
	ID           int64
	Reason       string
	RecordID     string
	Booth        string
	Seq          int64
	Kind         string
	Payload      []byte
	SHA256       []byte // the newcomer's hash
	StoredSHA256 []byte // the hash of the copy HQ keeps
	StoredBooth  string // the booth that sent the kept copy
	Source       string
	At           time.Time
}

// Booth is an enrolled inspection booth.
type Booth struct {
	ID         string
	Post       string
	EnrolledAt time.Time
	RevokedAt  time.Time // zero while the booth may talk to HQ
	Mark       int64
	LastSync   time.Time // zero before the first batch
	Crossings  int64
	Overrides  int64 // crossings admitted against a STOP verdict (app.Crossing.Override)
	SetAside   int64 // reads that ended without a decision (wire.KindSetAside)
}

// Certificate is a client certificate HQ issued to a booth, by serial number.
type Certificate struct {
	Serial    string // lower-case hex, no leading zeros (big.Int.Text(16))
	Booth     string
	IssuedAt  time.Time
	NotAfter  time.Time
	RevokedAt time.Time // zero while valid
}

// Publication is one published version of the lists or the rules.
type Publication struct {
	Kind    string // "lists" or "rules"
	Version int64  // increasing per kind (the list file names its own version)
	Delta   bool   // the content turns version Base into Version; false: a full snapshot
	Base    int64  // delta only: a version published before
	Content []byte // the signed envelope, as sent to booths
	// Snapshot, for a delta, is the whole version it produces, as a signed
	// snapshot envelope: what a booth further behind than the delta's base
	// gets, so that one answer always brings a booth to the latest version.
	Snapshot  []byte
	SHA256    []byte // hash of the imported file, to refuse importing the same file twice in a row
	CreatedAt time.Time
}

// Publication kinds.
const (
	Lists      = "lists"
	Rules      = "rules"
	MasterList = "masterlist" // CSCA certificates for ePassport chips

)

// Report is the operators' summary of what HQ holds.
type Report struct {
	Crossings int64
	Overrides int64
	SetAside  int64
	Booths    []Booth // by id
}

// Store is HQ's central store. Every method is safe for concurrent use; several
// processes may use the same store (the server and the `hq booth` commands).
type Store interface {
	Supervision // supervision.go
	// Apply applies one batch in one transaction: each record new to HQ is
	// stored; a record whose id HQ has with the same hash is a duplicate; with a
	// different hash it is an alert (kept in the alerts, never an overwrite). An
	// Invalid record, a new id at a (booth, seq) HQ holds, sequence numbers
	// missing inside the batch, and an audit anchor that is behind or disagrees
	// with what HQ anchored are alerts too (see screen). The booth's mark
	// advances to To. Returns ENOTFOUND for an unknown booth,
	// EUNAUTHORIZED for a revoked one, EINVALID for a batch that contradicts
	// itself (see Check) and ECONFLICT when From is past mark+1 (a gap: records
	// HQ never saw would be skipped); the error then leaves the store untouched.
	Apply(ctx context.Context, b Batch, at time.Time) (Result, error)
	// Booth returns one booth; ENOTFOUND if never enrolled.
	Booth(ctx context.Context, id string) (Booth, error)
	// Enrol records a booth (creating it, or adding a certificate to an active
	// one). The booth's other certificates are retired (revoked at c.IssuedAt):
	// re-enrolling a booth cuts off the bundle it replaces. ECONFLICT if the
	// booth was revoked or the post differs.
	Enrol(ctx context.Context, b Booth, c Certificate) error
	// RevokeCertificate revokes one certificate (a lost bundle) and leaves the
	// booth enrolled. ENOTFOUND if HQ never issued it.
	RevokeCertificate(ctx context.Context, serial string, at time.Time) error
	// Revoke revokes the booth and every certificate it holds at once.
	// ENOTFOUND if never enrolled.
	Revoke(ctx context.Context, booth string, at time.Time) error
	// Certificate returns a certificate by serial; ENOTFOUND if HQ never issued it.
	Certificate(ctx context.Context, serial string) (Certificate, error)
	// Alerts returns the alerts, oldest first.
	Alerts(ctx context.Context) ([]Alert, error)
	// Records returns a booth's records ordered by seq (for audits and tests).
	Records(ctx context.Context, booth string) ([]Record, error)
	// Publish stores a new version of kind in one transaction: make receives the
	// latest published version (0 for none) and returns the publication to store,
	// signed. ECONFLICT if its Version is not above the latest, or if a delta's
	// Base is not the latest version.
	Publish(ctx context.Context, kind string, make func(latest int64) (Publication, error)) (Publication, error)
	// Publications returns kind's versions after the given one, oldest first.
	Publications(ctx context.Context, kind string, after int64) ([]Publication, error)
	// Next returns what brings a booth holding version have to the latest: the
	// latest version's delta when its base is have, else the latest version
	// whole (Delta false, Content its snapshot envelope). ENOTFOUND when have is
	// not below the latest.
	Next(ctx context.Context, kind string, have int64) (Publication, error)
	// Latest returns kind's newest version number, 0 if nothing is published.
	Latest(ctx context.Context, kind string) (int64, error)
	// Report sums crossings, overrides and set-aside reads per booth (real
	// ones only: training records are kept but never counted).
	Report(ctx context.Context) (Report, error)
	// CrossingStats counts real crossings (wire.KindCrossing, never training)
	// grouped by q.By (CrossingKeys), from the summary kept at ingest.
	// EINVALID for an unknown key or a malformed day.
	CrossingStats(ctx context.Context, q StatsQuery) ([]StatsRow, error)
	// HitStats counts the watchlist hits of real crossings grouped by q.By
	// (HitKeys). EINVALID as CrossingStats.
	HitStats(ctx context.Context, q StatsQuery) ([]StatsRow, error)
	// Ping checks the store answers (for the health endpoint).
	Ping(ctx context.Context) error
	// NationalHistory answers and audits booths' history queries (history.go).
	NationalHistory
	// OpenStays keeps the open stays HQ publishes (openstays.go).
	OpenStays
	// Close releases the store.
	Close() error
	// Accounts: officers and HQ accounts, and the chain of administrative changes.
	Accounts
	// BoothHealth: the booths' latest reported states (health.go).
	BoothHealth
}

// Limits a batch must respect before it reaches a store; the wire decoder
// enforces the same bounds, this is the store's own line of defence.
const (
	MaxRecords     = 10000
	MaxIDLength    = 64
	MaxKindLength  = 32
	MaxPayloadSize = 1 << 20
	// MaxGap is the most sequence numbers a batch may lack inside its range.
	MaxGap = 1000
)

// Check verifies that a batch is consistent with itself: a booth, a range
// From ≤ To with From ≥ 1, records in strictly increasing seq inside the range,
// each record of this booth with an id, a kind, a 32-byte hash and no id twice.
// Returns EINVALID naming the first fault.
func Check(b Batch) error {
	switch {
	case b.Booth == "":
		return app.Errorf(app.EINVALID, "batch names no booth")
	case b.From < 1 || b.To < b.From:
		return app.Errorf(app.EINVALID, "batch range %d..%d is not a range of sequence numbers", b.From, b.To)
	case len(b.Records) == 0:
		return app.Errorf(app.EINVALID, "batch %d..%d holds no records", b.From, b.To)
	case len(b.Records) > MaxRecords:
		return app.Errorf(app.EINVALID, "batch holds %d records, more than %d", len(b.Records), MaxRecords)
	case int64(len(b.Records)) > b.To-b.From+1:
		return app.Errorf(app.EINVALID, "batch %d..%d holds %d records", b.From, b.To, len(b.Records))
	case b.To-b.From+1 > int64(len(b.Records))+MaxGap:
		// A booth's sequence has no gaps; a few deleted records are alerted, a
		// jump that would move the booth's mark far ahead is refused.
		return app.Errorf(app.EINVALID, "batch %d..%d holds only %d records: a gap of more than %d", b.From, b.To, len(b.Records), MaxGap)
	}
	seen := make(map[string]struct{}, len(b.Records))
	prev := b.From - 1
	for i, r := range b.Records {
		switch {
		case r.Booth != b.Booth:
			return app.Errorf(app.EINVALID, "record %d belongs to booth %q, not %q", i, r.Booth, b.Booth)
		case r.Seq <= prev || r.Seq > b.To:
			return app.Errorf(app.EINVALID, "record %d has seq %d, out of order or outside %d..%d", i, r.Seq, b.From, b.To)
		case r.ID == "" || len(r.ID) > MaxIDLength:
			return app.Errorf(app.EINVALID, "record %d (seq %d) has no usable id", i, r.Seq)
		case r.Kind == "" || len(r.Kind) > MaxKindLength:
			return app.Errorf(app.EINVALID, "record %d (seq %d) has no usable kind", i, r.Seq)
		case len(r.SHA256) != 32:
			return app.Errorf(app.EINVALID, "record %d (seq %d) has a %d-byte hash, want 32", i, r.Seq, len(r.SHA256))
		case len(r.Payload) > MaxPayloadSize:
			return app.Errorf(app.EINVALID, "record %d (seq %d) is %d bytes, more than %d", i, r.Seq, len(r.Payload), MaxPayloadSize)
		}
		if _, dup := seen[r.ID]; dup {
			return app.Errorf(app.EINVALID, "record id %s appears twice in the batch", r.ID)
		}
		seen[r.ID] = struct{}{}
		prev = r.Seq
	}
	return nil
}

// checkMark refuses a batch that would skip records: From must not be past the
// booth's mark + 1. A batch at or below the mark is allowed (a redelivery after a
// lost acknowledgement) and de-duplicated record by record.
func checkMark(b Batch, mark int64) error {
	if b.From > mark+1 {
		return app.Errorf(app.ECONFLICT, "gap: batch starts at seq %d but HQ holds booth %s only up to %d; send from %d", b.From, b.Booth, mark, mark+1)
	}
	return nil
}

// classify compares the records already stored (id → hash and booth) with the
// batch and returns the alerts for ids whose hash differs.
func classify(b Batch, existing map[string]stored, at time.Time) (alerts []Alert, dups int) {
	for _, r := range b.Records {
		old, ok := existing[r.ID]
		if !ok {
			continue
		}
		if bytes.Equal(old.sha, r.SHA256) && old.booth == r.Booth {
			dups++
			continue
		}
		alerts = append(alerts, Alert{
			Reason: AlertChanged, RecordID: r.ID, Booth: r.Booth, Seq: r.Seq, Kind: r.Kind, Payload: r.Payload,
			SHA256: r.SHA256, StoredSHA256: old.sha, StoredBooth: old.booth, Source: b.Source, At: at,
		})
	}
	return alerts, dups
}

type stored struct {
	sha   []byte
	booth string
}

func crossingsIn(b Batch, fresh map[string]bool) int64 {
	var n int64
	for _, r := range b.Records {
		// Only wire.KindCrossing is counted: training crossings and every other kind
		// are stored exactly once but never counted.
		if r.Kind == wire.KindCrossing && fresh[r.ID] {
			n++
		}
	}
	return n
}

// countsIn returns how many of the batch's records new to HQ are real
// overrides and real set-aside reads. A crossing is decoded only when its
// bytes mention an override, so ingest stays as fast as before.
func countsIn(b Batch, fresh map[string]bool) (overrides, setAside int64) {
	for _, r := range b.Records {
		if !fresh[r.ID] {
			continue
		}
		switch r.Kind {
		case wire.KindSetAside:
			setAside++
		case wire.KindCrossing:
			if !bytes.Contains(r.Payload, []byte(`"override"`)) {
				continue
			}
			if c, err := r.crossing(); err == nil && c.Override != nil {
				overrides++
			}
		}
	}
	return overrides, setAside
}

// checkPublication enforces Publish's rules for p against the latest version
// and whether p's base exists.
func checkPublication(p Publication, latest int64, baseExists bool) error {
	switch {
	case p.Version <= latest:
		return app.Errorf(app.ECONFLICT, "%s version %d is not newer than the published version %d", p.Kind, p.Version, latest)
	case p.Delta && len(p.Snapshot) == 0:
		return app.Errorf(app.EINVALID, "%s delta %d comes without the whole version it produces", p.Kind, p.Version)
	case p.Delta && !baseExists:
		return app.Errorf(app.ECONFLICT, "%s delta %d applies to version %d, which HQ never published", p.Kind, p.Version, p.Base)
	case p.Delta && p.Base != latest:
		// Deltas form one chain, so every booth can walk from any version it
		// holds to the latest, one delta at a time.
		return app.Errorf(app.ECONFLICT, "%s delta %d applies to version %d, but HQ's latest is %d: import the delta from %d, or a snapshot", p.Kind, p.Version, p.Base, latest, latest)
	case !p.Delta && p.Base != 0:
		return app.Errorf(app.EINVALID, "%s snapshot %d names a base version", p.Kind, p.Version)
	}
	return nil
}

// whole turns the latest publication into what a booth behind it needs: the
// delta itself when the booth holds its base, else the whole version.
func whole(p Publication, have int64) Publication {
	if p.Delta && p.Base != have {
		p.Delta, p.Base, p.Content = false, 0, p.Snapshot
	}
	return p
}

// checkOpenStaysPublication: open stays are published by PublishOpenStays
// only, each version a delta from the latest (or the first a snapshot), with
// the whole file's digest.
func checkOpenStaysPublication(p Publication, latest int64) error {
	switch {
	case p.Version != latest+1:
		return app.Errorf(app.ECONFLICT, "open stays version %d does not follow the published version %d", p.Version, latest)
	case latest > 0 && (!p.Delta || p.Base != latest):
		return app.Errorf(app.EINVALID, "open stays version %d is not a delta from %d", p.Version, latest)
	case latest == 0 && p.Delta:
		return app.Errorf(app.EINVALID, "the first open stays version is a delta")
	case len(p.SHA256) != 32:
		return app.Errorf(app.EINVALID, "open stays version %d without the digest of its file", p.Version)
	}
	return nil
}

func checkKind(kind string) error {
	if kind != Lists && kind != Rules && kind != OpenStaysKind && kind != MasterList {
		return app.Errorf(app.EINVALID, "unknown publication kind %q", kind)
	}
	return nil
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// rowScanner is what database/sql's *sql.Rows and pgx.Rows have in common, so
// the two back-ends read result sets through one loop.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// collect reads every row of rs with scan. The caller closes rs and wraps the
// error with what it was reading.
func collect[T any](rs rowScanner, scan func(rowScanner) (T, error)) ([]T, error) {
	var out []T
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

// scanRecord reads a row of `SELECT booth, seq, id, kind, payload, sha256`.
func scanRecord(r rowScanner) (Record, error) {
	var rec Record
	err := r.Scan(&rec.Booth, &rec.Seq, &rec.ID, &rec.Kind, &rec.Payload, &rec.SHA256)
	return rec, err
}
