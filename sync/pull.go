package sync

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/sync/wire"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
)

// Dataset is one kind of data HQ publishes for the booth (lists, rules): where
// the booth keeps it and how a new version is built and handed over.
type Dataset struct {
	Kind wire.EnvelopeKind
	// File is the data file in the booth's data dir, e.g. DIR/lists.jsonl. Its
	// version is kept beside it in File+".version" (JSON).
	File string
	// Build makes the next file from the current one (nil when the booth has
	// none) and a verified envelope. ListsBuild handles list snapshots and
	// deltas; SnapshotBuild takes snapshots only.
	Build func(current []byte, e wire.Envelope) ([]byte, error)
	// Load hands the new file to its user (the screening Watchlist, the stay rules
	// loader) after it is safely on disk. nil: nobody to tell.
	Load func(data []byte, v DataVersion) error
	// MaxBytes bounds one envelope; 0 means 256 MiB.
	MaxBytes int
}

// DataVersion is the version of a data set the booth holds.
type DataVersion struct {
	Version   int64     `json:"version"`   // 0: none
	Published time.Time `json:"published"` // when HQ published it
	Applied   time.Time `json:"applied"`   // when the booth swapped it in
	// Seal is the signed envelope the file was built from, without its
	// payload: with it the file is verified at rest against HQ's signature
	// (wire.Seal.VerifyAtRest). nil in version files written before it.
	Seal *wire.Seal `json:"seal,omitempty"`
	// Until is how long HQ's signed word that this is its latest version
	// holds: the envelope's expiry, then each confirmation's on a 204
	// (wire.Confirmation). Zero in version files written before it (then
	// the seal's expiry counts: ConfirmedUntil).
	Until time.Time `json:"until,omitzero"`
}

// ConfirmedUntil is when HQ's signed word that v is its latest runs out;
// zero when there is none (no version, or one from before seals).
func (v DataVersion) ConfirmedUntil() time.Time {
	if v.Version == 0 {
		return time.Time{}
	}
	if v.Until.IsZero() && v.Seal != nil {
		return v.Seal.Expires
	}
	return v.Until
}

// Puller keeps the booth's lists and rules current: it asks HQ with the version
// it holds, verifies the signature with HQ's list key, builds the new version,
// writes it atomically (temporary file, fsync, rename, fsync of the directory)
// and hands it to the Dataset's Load.
type Puller struct {
	key      ed25519.PublicKey
	sets     []Dataset
	clock    app.Clock
	mu       gosync.Mutex
	versions map[wire.EnvelopeKind]DataVersion
	pulling  gosync.Mutex // one Pull at a time (the round and the list watch)
}

// NewPuller returns a puller for the datasets, reading the versions already on
// disk. Returns EINVALID for a bad key or a version file it cannot read.
func NewPuller(listKey ed25519.PublicKey, clock app.Clock, sets ...Dataset) (*Puller, error) {
	if len(listKey) != ed25519.PublicKeySize {
		return nil, app.Errorf(app.EINVALID, "list-signing key has %d bytes, not %d", len(listKey), ed25519.PublicKeySize)
	}
	if clock == nil {
		clock = app.SystemClock{}
	}
	p := &Puller{key: listKey, sets: sets, clock: clock, versions: map[wire.EnvelopeKind]DataVersion{}}
	for _, ds := range sets {
		v, err := readVersion(ds.File)
		if err != nil {
			return nil, err
		}
		p.versions[ds.Kind] = v
	}
	return p, nil
}

// Version returns the version held of kind.
func (p *Puller) Version(kind wire.EnvelopeKind) DataVersion {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.versions[kind]
}

// LoadCurrent hands every dataset's file already on disk to its Load (at booth
// start, before any link to HQ). A missing file is skipped. A file that does
// not verify at rest against its seal (edited, torn) is not loaded: the
// error is an *AtRestError naming it, the other datasets still load, and the
// next Pull fetches the whole version again. A file from before seals (no
// seal in its version file) is loaded and replaced whole by the next Pull.
func (p *Puller) LoadCurrent() error {
	var bad *AtRestError
	for _, ds := range p.sets {
		data, err := os.ReadFile(ds.File)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("read %s: %w", ds.Kind, err)
		}
		if v := p.Version(ds.Kind); v.Seal != nil {
			if err := v.Seal.VerifyAtRest(p.key, ds.Kind, data); err != nil {
				if bad == nil {
					bad = &AtRestError{}
				}
				bad.Kinds = append(bad.Kinds, ds.Kind)
				bad.Errs = append(bad.Errs, err)
				continue
			}
		}
		if ds.Load != nil {
			if err := ds.Load(data, p.Version(ds.Kind)); err != nil {
				return fmt.Errorf("load %s: %w", ds.Kind, err)
			}
		}
	}
	if bad != nil {
		return bad
	}
	return nil
}

// AtRestError names the datasets whose files on disk are not what HQ signed.
// Its code is EINVALID.
type AtRestError struct {
	Kinds []wire.EnvelopeKind
	Errs  []error
}

func (e *AtRestError) Error() string {
	return fmt.Sprintf("%v on disk failed verification against HQ's signature and were not loaded: %v", e.Kinds, errors.Join(e.Errs...))
}

// Unwrap gives app.ErrorCode the EINVALID of the first failure.
func (e *AtRestError) Unwrap() error {
	return app.Errorf(app.EINVALID, "The %s files on this booth were changed after HQ sent them; they are fetched again at the next sync.", e.Kinds[0])
}

// Fetcher is how the puller asks HQ (*Client implements it).
type Fetcher interface {
	Fetch(ctx context.Context, kind wire.EnvelopeKind, have int64, maxBytes int) (wire.Envelope, bool, error)
}

// Pull brings every dataset up to HQ's version. It returns the kinds it
// changed. Errors: EUNAVAILABLE, EUNAUTHORIZED for a signature that does not
// verify (nothing is applied), EINVALID for a payload that does not build.
func (p *Puller) Pull(ctx context.Context, hq Fetcher) ([]wire.EnvelopeKind, error) {
	p.pulling.Lock()
	defer p.pulling.Unlock()
	var changed []wire.EnvelopeKind
	for _, ds := range p.sets {
		ok, err := p.pullOne(ctx, hq, ds)
		if err != nil {
			return changed, fmt.Errorf("%s: %w", ds.Kind, err)
		}
		if ok {
			changed = append(changed, ds.Kind)
		}
	}
	return changed, nil
}

// pullOne brings one dataset up to HQ's version. The rules it holds on every
// path, the fall-back to a whole snapshot included: the envelope is signed by
// HQ, is of the dataset's kind, has not expired by the booth's clock, is newer
// than the version held (or, when the file held failed verification at rest,
// at least that version), and builds a file whose SHA-256 is the envelope's
// signed Digest. Anything else leaves the file as it is.
func (p *Puller) pullOne(ctx context.Context, hq Fetcher, ds Dataset) (bool, error) {
	max := ds.MaxBytes
	if max <= 0 {
		max = 256 << 20
	}
	held := p.Version(ds.Kind)
	current, err := os.ReadFile(ds.File)
	if errors.Is(err, os.ErrNotExist) {
		current = nil
	} else if err != nil {
		return false, fmt.Errorf("read current: %w", err)
	}
	have, repair := held.Version, false
	if have > 0 && (current == nil || held.Seal == nil || held.Seal.VerifyAtRest(p.key, ds.Kind, current) != nil) {
		// The file is missing, from before seals, or not what HQ signed: ask for
		// the whole latest version, which may be the very version held (a
		// repair) but never an older one.
		have, repair, current = 0, true, nil
	}
	e, ok, err := hq.Fetch(ctx, ds.Kind, have, max)
	if err != nil || !ok {
		if err == nil && repair && held.Version > 0 {
			return false, app.Errorf(app.ECONFLICT, "the booth's %s version %d does not verify and HQ offered no replacement", ds.Kind, held.Version)
		}
		if err == nil {
			err = p.confirm(ds, held, e.Confirmation)
		}
		return false, err
	}
	next, err := p.accept(ds, e, held.Version, repair, current)
	if app.ErrorCode(err) == app.ECONFLICT && e.Mode == wire.Delta && !repair {
		// The delta does not fit what the booth holds (HQ answered for another
		// version): ask for a whole snapshot instead, under the same rules.
		if e, ok, err = hq.Fetch(ctx, ds.Kind, 0, max); err != nil || !ok {
			return false, err
		}
		next, err = p.accept(ds, e, held.Version, false, nil)
	}
	if err != nil {
		return false, err
	}
	seal := e.Seal()
	v := DataVersion{Version: e.Version, Published: e.Published, Applied: p.clock.Now().UTC(), Seal: &seal, Until: e.Expires}
	// Data first, then its version: a crash between leaves a file that does not
	// verify against the older seal, which the next pull replaces whole.
	if err := WriteFileAtomic(ds.File, next); err != nil {
		return false, err
	}
	vdata, _ := json.Marshal(v)
	if err := WriteFileAtomic(ds.File+".version", vdata); err != nil {
		return false, err
	}
	p.mu.Lock()
	p.versions[ds.Kind] = v
	p.mu.Unlock()
	if ds.Load != nil {
		if err := ds.Load(next, v); err != nil {
			return true, fmt.Errorf("load version %d: %w", e.Version, err)
		}
	}
	return true, nil
}

// confirm records HQ's signed word, on a 204, that the version held is still
// its latest (its expiry becomes the version's Until). A confirmation of
// another kind or version, or one that adds nothing, is ignored; one whose
// signature does not verify is a *ForgedError, as a forged envelope is.
func (p *Puller) confirm(ds Dataset, held DataVersion, c *wire.Confirmation) error {
	if c == nil || held.Version == 0 || c.Kind != ds.Kind || c.Version != held.Version || !c.Expires.After(held.ConfirmedUntil()) {
		return nil
	}
	if err := wire.VerifyConfirmation(p.key, *c); err != nil {
		return &ForgedError{Kind: ds.Kind, Version: c.Version, Err: err}
	}
	held.Until = c.Expires.UTC()
	vdata, _ := json.Marshal(held)
	if err := WriteFileAtomic(ds.File+".version", vdata); err != nil {
		return err
	}
	p.mu.Lock()
	if p.versions[ds.Kind].Version == held.Version {
		p.versions[ds.Kind] = held
	}
	p.mu.Unlock()
	return nil
}

// MaxClockSkew is how far past an envelope's expiry the booth's clock may be
// before the envelope counts as stale (booth clocks drift; HQ's answers
// expire a day after they are given).
const MaxClockSkew = 10 * time.Minute

// accept checks e against the rules of pullOne and builds the next file from
// current. Errors: *ForgedError for a signature that does not verify;
// EINVALID for the wrong kind, an old format, a stale answer, a downgrade or a
// file that does not match the digest; ECONFLICT from Build for a delta that
// does not apply.
func (p *Puller) accept(ds Dataset, e wire.Envelope, held int64, repair bool, current []byte) ([]byte, error) {
	if err := wire.VerifyEnvelope(p.key, e); err != nil {
		return nil, &ForgedError{Kind: ds.Kind, Version: e.Version, Err: err}
	}
	switch now := p.clock.Now(); {
	case e.Kind != ds.Kind:
		return nil, app.Errorf(app.EINVALID, "asked HQ for %s and got a signed %s envelope: not applied", ds.Kind, e.Kind)
	case e.Format != wire.EnvelopeFormat:
		return nil, app.Errorf(app.EINVALID, "HQ sent %s in envelope format %d, without expiry and digest: update HQ", ds.Kind, e.Format)
	case now.After(e.Expires.Add(MaxClockSkew)):
		return nil, app.Errorf(app.EINVALID, "HQ's %s answer expired at %s: a stale or replayed answer, not applied", ds.Kind, e.Expires.Format(time.RFC3339))
	case repair && e.Version < held, !repair && e.Version <= held:
		return nil, app.Errorf(app.EINVALID, "HQ offered %s version %d, the booth holds %d: an older version is never applied", ds.Kind, e.Version, held)
	case e.Mode == wire.Delta && (current == nil || e.BaseVersion != held):
		return nil, app.Errorf(app.ECONFLICT, "delta from %d does not apply to version %d", e.BaseVersion, held)
	}
	next, err := ds.Build(current, e)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(next); !bytes.Equal(sum[:], e.Digest) {
		return nil, app.Errorf(app.EINVALID, "%s version %d built here is not the file HQ signed (digest mismatch): not applied", ds.Kind, e.Version)
	}
	return next, nil
}

func readVersion(file string) (DataVersion, error) {
	var v DataVersion
	data, err := os.ReadFile(file + ".version")
	if errors.Is(err, os.ErrNotExist) {
		return v, nil
	} else if err != nil {
		return v, fmt.Errorf("read version: %w", err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return DataVersion{}, app.Errorf(app.EINVALID, "%s.version is damaged: %v", filepath.Base(file), err)
	}
	return v, nil
}

// WriteFileAtomic replaces path with data so that a crash leaves either the old
// file or the new one, whole: write a temporary file in the same directory,
// fsync it, rename it over path, fsync the directory.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// SnapshotBuild takes snapshot envelopes only: the payload is the new file. A
// delta is ECONFLICT, which makes the puller ask for a snapshot.
func SnapshotBuild(check func([]byte) error) func([]byte, wire.Envelope) ([]byte, error) {
	return func(_ []byte, e wire.Envelope) ([]byte, error) {
		if e.Mode != wire.Snapshot {
			return nil, app.Errorf(app.ECONFLICT, "%s arrived as a delta; only snapshots are taken", e.Kind)
		}
		if check != nil {
			if err := check(e.Payload); err != nil {
				return nil, err
			}
		}
		return e.Payload, nil
	}
}

// ListsBuild builds a list file (app/screening's format, docs/lists.md): a
// snapshot is checked and kept as it is; a delta is applied to the current list
// with screening's List.Apply and the result written as a snapshot. The file's
// own version must be the envelope's.
func ListsBuild(current []byte, e wire.Envelope) ([]byte, error) {
	f, err := screening.ReadFile(bytes.NewReader(e.Payload))
	if err != nil {
		return nil, err
	}
	if f.Header.Version != e.Version {
		return nil, app.Errorf(app.EINVALID, "list file says version %d, its envelope %d", f.Header.Version, e.Version)
	}
	if e.Mode == wire.Snapshot {
		if f.List == nil {
			return nil, app.Errorf(app.EINVALID, "snapshot envelope holds a delta list file")
		}
		return e.Payload, nil
	}
	if f.Delta == nil || f.Delta.Base != e.BaseVersion {
		return nil, app.Errorf(app.EINVALID, "delta envelope does not hold a delta from version %d", e.BaseVersion)
	}
	if current == nil {
		return nil, app.Errorf(app.ECONFLICT, "a delta arrived but the booth has no list")
	}
	cur, err := screening.ReadList(bytes.NewReader(current))
	if err != nil {
		return nil, app.Errorf(app.ECONFLICT, "the booth's list file does not read: %v", err)
	}
	next, err := cur.Apply(f.Delta)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := screening.WriteList(&buf, next); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ForgedError is an envelope whose signature did not verify: nothing of it was
// applied. Its code is the verification's (EUNAUTHORIZED, or EINVALID for a
// malformed envelope).
type ForgedError struct {
	Kind    wire.EnvelopeKind
	Version int64
	Err     error
}

func (e *ForgedError) Error() string {
	return fmt.Sprintf("%s version %d from HQ not applied: %v", e.Kind, e.Version, e.Err)
}

func (e *ForgedError) Unwrap() error { return e.Err }
