package booth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	gosync "sync"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// The persisted screening index beside lists.jsonl, and its seal.
const (
	IndexFile     = "lists.idx"
	IndexSealFile = "lists.idx.seal"
)

// IndexSeal binds a persisted screening index to the list version HQ signed:
// the list file's seal (HQ's signature over its digest) and the SHA-256 of the
// index file built from exactly that file.
type IndexSeal struct {
	List        wire.Seal `json:"list"`
	IndexSHA256 []byte    `json:"index_sha256"`
}

// ListIndex loads the booth's lists from their persisted index when it is
// sealed to the list file in force, so a booth with a million listed persons
// screens a quarter second after start instead of after a six-second build,
// and verifies that index at rest like the lists: the seal must name the list
// version HQ signed and match the file, and in the background the index is
// built again from the list (itself verified against HQ's signature) and
// must be byte for byte the index loaded. A persisted index that fails either
// check is replaced by the one built from the list, rewritten, and reported
// (Problem). Indexes are written after a new list version is swapped in,
// never while a query waits.
type ListIndex struct {
	Dir       string            // the booth's data folder
	Key       ed25519.PublicKey // HQ's list-signing key
	Watchlist *screening.Watchlist
	Log       *slog.Logger

	wg      gosync.WaitGroup
	mu      gosync.Mutex // one index written at a time
	pmu     gosync.Mutex
	problem error
	fromIdx int // lists loaded from the persisted index, for tests and logs
}

// Load is the booth link's LoadLists: data is the list file, already verified
// at rest against v.Seal by the puller.
func (li *ListIndex) Load(data []byte, v sync.DataVersion) error {
	if v.Seal != nil {
		idx, seal, err := li.open(data, v)
		if err == nil {
			if err := li.Watchlist.ReplaceIndex(idx); err != nil {
				return err
			}
			li.pmu.Lock()
			li.fromIdx++
			li.pmu.Unlock()
			li.background(func() { li.verify(data, v, seal) })
			return nil
		}
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, errOtherVersion) {
			li.report(fmt.Errorf("persisted screening index not used: %w", err))
		}
	}
	idx, err := buildList(data)
	if err != nil {
		return err
	}
	if err := li.Watchlist.ReplaceIndex(idx); err != nil {
		return err
	}
	if v.Seal != nil {
		li.background(func() { li.write(idx, *v.Seal) })
	}
	return nil
}

// Wait waits for the index verification and writing under way.
func (li *ListIndex) Wait() { li.wg.Wait() }

// Problem is the last failure of a persisted index to verify (EINVALID), nil
// when none.
func (li *ListIndex) Problem() error {
	li.pmu.Lock()
	defer li.pmu.Unlock()
	return li.problem
}

// FromIndex is how many list loads used the persisted index.
func (li *ListIndex) FromIndex() int {
	li.pmu.Lock()
	defer li.pmu.Unlock()
	return li.fromIdx
}

func (li *ListIndex) report(err error) {
	li.pmu.Lock()
	li.problem = app.Errorf(app.EINVALID, "The screening index on this booth was not what its lists build: %v. It was built again from the lists HQ signed.", err)
	li.pmu.Unlock()
	if li.Log != nil {
		li.Log.Error("screening index failed verification at rest", "err", err)
	}
}

func (li *ListIndex) background(f func()) {
	li.wg.Add(1)
	go func() {
		defer li.wg.Done()
		f()
	}()
}

// open reads the persisted index if its seal binds it to list file data of
// version v: the seal's list part is HQ's signed seal of data, and the index
// file's SHA-256 is the seal's. os.ErrNotExist when there is none.
func (li *ListIndex) open(data []byte, v sync.DataVersion) (*screening.Index, IndexSeal, error) {
	var seal IndexSeal
	raw, err := os.ReadFile(filepath.Join(li.Dir, IndexSealFile))
	if err != nil {
		return nil, seal, err
	}
	if err := json.Unmarshal(raw, &seal); err != nil {
		return nil, seal, fmt.Errorf("seal: %w", err)
	}
	if seal.List.Version != v.Version || !bytes.Equal(seal.List.Digest, v.Seal.Digest) {
		return nil, seal, fmt.Errorf("%w: sealed to list version %d, the booth holds %d", errOtherVersion, seal.List.Version, v.Version)
	}
	if err := seal.List.VerifyAtRest(li.Key, wire.KindLists, data); err != nil {
		return nil, seal, fmt.Errorf("seal: %w", err)
	}
	f, err := os.Open(filepath.Join(li.Dir, IndexFile))
	if err != nil {
		return nil, seal, err
	}
	defer f.Close()
	h := sha256.New()
	idx, err := screening.ReadIndex(io.TeeReader(f, h))
	if err != nil {
		return nil, seal, err
	}
	if _, err := io.Copy(h, f); err != nil { // anything after the trailer counts too
		return nil, seal, err
	}
	if !bytes.Equal(h.Sum(nil), seal.IndexSHA256) {
		return nil, seal, errors.New("the index file is not the one sealed (SHA-256 differs)")
	}
	if idx.Version() != v.Version {
		return nil, seal, fmt.Errorf("the index holds list version %d, the booth %d", idx.Version(), v.Version)
	}
	return idx, seal, nil
}

// verify builds the index again from the verified list and compares it with
// the one loaded; on a difference the built one replaces it (when the list
// has not moved on meanwhile), is written, and the failure reported.
func (li *ListIndex) verify(data []byte, v sync.DataVersion, seal IndexSeal) {
	idx, err := buildList(data)
	if err != nil {
		li.report(err)
		return
	}
	h := sha256.New()
	if _, err := idx.WriteTo(h); err != nil {
		li.report(err)
		return
	}
	if bytes.Equal(h.Sum(nil), seal.IndexSHA256) {
		return
	}
	li.report(fmt.Errorf("version %d's index differs from the one built from its list", v.Version))
	if li.Watchlist.Version() == v.Version {
		li.Watchlist.ReplaceIndex(idx)
	}
	li.write(idx, *v.Seal)
}

// write persists idx and its seal: the index first (temporary file, fsync,
// rename), then the seal, so a crash between leaves a seal that does not
// match and the next start builds from the list.
func (li *ListIndex) write(idx *screening.Index, list wire.Seal) {
	li.mu.Lock()
	defer li.mu.Unlock()
	path := filepath.Join(li.Dir, IndexFile)
	f, err := os.CreateTemp(li.Dir, "."+IndexFile+".*.tmp") // mode 0600
	if err != nil {
		li.logWrite(err)
		return
	}
	h := sha256.New()
	_, err = idx.WriteTo(io.MultiWriter(f, h))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		li.logWrite(err)
		return
	}
	seal, _ := json.Marshal(IndexSeal{List: list, IndexSHA256: h.Sum(nil)})
	if err := sync.WriteFileAtomic(filepath.Join(li.Dir, IndexSealFile), seal); err != nil {
		li.logWrite(err)
	}
}

func (li *ListIndex) logWrite(err error) {
	if li.Log != nil {
		li.Log.Warn("screening index not persisted; the next start builds it from the lists", "err", err)
	}
}

// errOtherVersion: the persisted index is of another list version (the list
// moved on since it was written): not a failure, it is built anew.
var errOtherVersion = errors.New("index of another list version")

func buildList(data []byte) (*screening.Index, error) {
	l, err := screening.ReadList(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return screening.Build(l)
}
