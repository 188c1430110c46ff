package sync

import (
	"log/slog"
	"path/filepath"

	"github.com/chekara/chekara/sync/wire"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
)

// Files sync keeps in the booth's data dir (the folder of its database).
const (
	BundleFile = "enrolment.json" // the imported enrolment bundle, mode 0600
	ListsFile  = "lists.jsonl"    // the current watchlists (app/screening's format)
	RulesFile  = "rules.json"     // the current stay rules (app/rules' format)
)

// RulesBuild takes rule snapshots, each checked whole with app/rules' Parse.
var RulesBuild = SnapshotBuild(func(data []byte) error {
	_, err := rules.Parse(data)
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
	p, err := NewPuller(cfg.Bundle.ListKey, cfg.Clock,
		Dataset{Kind: wire.KindLists, File: filepath.Join(cfg.DataDir, ListsFile), Build: ListsBuild, Load: cfg.LoadLists},
		Dataset{Kind: wire.KindRules, File: filepath.Join(cfg.DataDir, RulesFile), Build: RulesBuild, Load: cfg.LoadRules, MaxBytes: 16 << 20},
	)
	if err != nil {
		return nil, err
	}
	return &Link{Outbox: cfg.Outbox, HQ: c, Puller: p, BoothID: cfg.Bundle.BoothID,
		Clock: cfg.Clock, Log: cfg.Log, Records: cfg.Records}, nil
}

// Close releases the link's connections (after Stop).
func (l *Link) Close() {
	if l.HQ != nil {
		l.HQ.Close()
	}
}
