package sync

import (
	"log/slog"
	"path/filepath"
	"time"

	"github.com/chekara/chekara/sync/wire"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/devices/chip/pa"
)

// Files sync keeps in the booth's data dir (the folder of its database).
const (
	BundleFile = "enrolment.json" // the imported enrolment bundle, mode 0600
	ListsFile  = "lists.jsonl"    // the current watchlists (app/screening's format)
	RulesFile  = "rules.json"     // the current stay rules (app/rules' format)
	// DirectoryFile is the officer directory of the booth's post (wire.Directory).
	DirectoryFile = "directory.json"
)

// DirectoryBuild takes directory snapshots for post: the payload must read as
// a wire.Directory of this post at the envelope's version. A directory signed
// for another post is refused (EUNAUTHORIZED): the booth only ever holds its
// own post's officers. A delta is ECONFLICT (the puller then asks for a snapshot).
func DirectoryBuild(post string) func([]byte, wire.Envelope) ([]byte, error) {
	return func(_ []byte, e wire.Envelope) ([]byte, error) {
		if e.Mode != wire.Snapshot {
			return nil, app.Errorf(app.ECONFLICT, "the officer directory arrived as a delta; only snapshots are taken")
		}
		d, err := wire.ParseDirectory(e.Payload)
		if err != nil {
			return nil, err
		}
		if d.Post != post {
			return nil, app.Errorf(app.EUNAUTHORIZED, "HQ sent the officers of post %s to a booth of post %s; not applied", d.Post, post)
		}
		if d.Version != e.Version {
			return nil, app.Errorf(app.EINVALID, "officer directory says version %d, its envelope %d", d.Version, e.Version)
		}
		return e.Payload, nil
	}
}

// DirectoryPullEvery is how often a booth's link asks HQ for a newer officer
// directory (and lists and rules with it); each answer is a 204 when nothing
// changed.
const DirectoryPullEvery = 25 * time.Second

// RulesBuild takes rule snapshots, each checked whole with app/rules' Parse.
var RulesBuild = SnapshotBuild(func(data []byte) error {
	_, err := rules.Parse(data)
	return err
})

// MasterListFile is where the booth keeps HQ's CSCA master list.
const MasterListFile = "masterlist.bin"

// MasterListBuild takes master-list snapshots that hold at least one usable
// CSCA certificate (devices/chip/pa reads them as the chip check will).
var MasterListBuild = SnapshotBuild(func(data []byte) error {
	_, err := pa.ParseTrust(data)
	return err
})

// BoothConfig is what package booth needs to build a booth's link.
type BoothConfig struct {
	DataDir string      // where lists.jsonl, rules.json and their versions live
	Bundle  wire.Bundle // the booth's imported enrolment
	// Outbox is the booth's record of what waits for HQ (*store.Store), and
	// Records wakes the uploader when a record commits (Store.WaitForRecord).
	Outbox  Outbox
	Records <-chan struct{}
	Address string // overrides the bundle's HQ address; "" for none
	Clock   app.Clock
	Log     *slog.Logger
	// LoadLists and LoadRules receive each new version once it is on disk (and,
	// through Puller.LoadCurrent, the version already there at start). nil:
	// only the files are kept.
	LoadLists func(data []byte, v DataVersion) error
	LoadRules func(data []byte, v DataVersion) error
	// LoadDirectory receives each officer directory of the booth's post, as
	// LoadLists does lists (the store's ApplyDirectory). nil: no directory
	// is pulled.
	LoadDirectory func(d wire.Directory, v DataVersion) error
	// OpenStays, when set, receives the open stays HQ publishes (pulled
	// after lists and rules: the largest dataset comes last).
	OpenStays *OpenStaysIndex
	// LoadMasterList receives each CSCA master list HQ publishes (a booth
	// that reads chips); nil: none is pulled.
	LoadMasterList func(data []byte, v DataVersion) error
}

// NewBoothLink builds the booth's link to HQ, loop not started. The caller
// (package booth, which has already claimed the store for the bundle's booth)
// starts it with Start and stops it with Stop; Close releases the client.
// Errors: EINVALID for an unusable bundle.
func NewBoothLink(cfg BoothConfig) (*Link, error) {
	if err := cfg.Bundle.Check(); err != nil {
		return nil, err
	}
	c, err := NewClient(cfg.Bundle, ClientOptions{Address: cfg.Address, Clock: cfg.Clock})
	if err != nil {
		return nil, err
	}
	sets := []Dataset{
		{Kind: wire.KindLists, File: filepath.Join(cfg.DataDir, ListsFile), Build: ListsBuild, Load: cfg.LoadLists},
		{Kind: wire.KindRules, File: filepath.Join(cfg.DataDir, RulesFile), Build: RulesBuild, Load: cfg.LoadRules, MaxBytes: 16 << 20},
	}
	if cfg.LoadDirectory != nil {
		load := cfg.LoadDirectory
		// First: a disabled officer must be refused even when a list fails to pull.
		sets = append([]Dataset{{Kind: wire.KindDirectory, File: filepath.Join(cfg.DataDir, DirectoryFile),
			Build: DirectoryBuild(cfg.Bundle.Post), MaxBytes: wire.MaxDirectory,
			Load: func(data []byte, v DataVersion) error {
				d, err := wire.ParseDirectory(data)
				if err != nil {
					return err
				}
				return load(d, v)
			}}}, sets...)
	}
	if cfg.LoadMasterList != nil {
		sets = append(sets, Dataset{Kind: wire.KindMasterList, File: filepath.Join(cfg.DataDir, MasterListFile),
			Build: MasterListBuild, Load: cfg.LoadMasterList, MaxBytes: 32 << 20})
	}
	if cfg.OpenStays != nil {
		sets = append(sets, OpenStaysDataset(cfg.DataDir, cfg.OpenStays))
	}
	p, err := NewPuller(cfg.Bundle.ListKey, cfg.Clock, sets...)
	if err != nil {
		return nil, err
	}
	// DirectoryPullEvery is below the 30 s round, so every round pulls: an
	// officer disabled at HQ is refused by a linked booth within one round
	// (30 s) plus the round's own time — inside the 60 s issue 13 asks.
	return &Link{Outbox: cfg.Outbox, HQ: c, Puller: p, BoothID: cfg.Bundle.BoothID,
		Clock: cfg.Clock, Log: cfg.Log, Records: cfg.Records,
		Interval: 30 * time.Second, PullEvery: DirectoryPullEvery}, nil
}

// Close releases the link's connections (after Stop).
func (l *Link) Close() {
	if l.HQ != nil {
		l.HQ.Close()
	}
}
