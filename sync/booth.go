package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/store"
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

// InstallBundle imports an enrolment bundle into the booth: it checks the bundle,
// ties the booth's store to its booth id and post (a store that already belongs
// to another booth is ECONFLICT), and keeps a copy as DIR/enrolment.json, readable
// by the booth's user only. Errors: EINVALID for a bad bundle, ECONFLICT.
func InstallBundle(ctx context.Context, dataDir string, data []byte, s *store.Store) (Bundle, error) {
	b, err := ParseBundle(data)
	if err != nil {
		return Bundle{}, err
	}
	if err := claimStore(ctx, s, b); err != nil {
		return Bundle{}, err
	}
	if err := WriteFileAtomic(filepath.Join(dataDir, BundleFile), data); err != nil {
		return Bundle{}, err
	}
	return b, nil
}

// LoadBundle reads the bundle the booth imported. Errors: ENOTFOUND when the
// booth is not enrolled, EINVALID for a damaged file.
func LoadBundle(dataDir string) (Bundle, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, BundleFile))
	if errors.Is(err, os.ErrNotExist) {
		return Bundle{}, app.Errorf(app.ENOTFOUND, "This booth is not enrolled with HQ.")
	} else if err != nil {
		return Bundle{}, fmt.Errorf("read enrolment: %w", err)
	}
	return ParseBundle(data)
}

// claimStore sets the store's booth identity from the bundle, or checks that it
// is already the same.
func claimStore(ctx context.Context, s *store.Store, b Bundle) error {
	id, err := s.BoothID(ctx)
	if err != nil {
		return err
	}
	if id == "" {
		return s.SetBooth(ctx, b.BoothID, b.Post)
	}
	if id != b.BoothID {
		return app.Errorf(app.ECONFLICT, "This database belongs to booth %s; the enrolment is for booth %s.", id, b.BoothID)
	}
	return nil
}

// BoothConfig is what a booth (the GUI's main, bmis sync) needs to build its link.
type BoothConfig struct {
	DataDir string       // where lists.jsonl, rules.json and their versions live
	Bundle  Bundle       // from LoadBundle or ParseBundle
	Store   *store.Store // the booth's store
	Address string       // overrides the bundle's HQ address; "" for none
	Clock   app.Clock
	Log     *slog.Logger
	// LoadLists and LoadRules receive each new version once it is on disk (and,
	// through Puller.LoadCurrent, the version already there at start). nil:
	// only the files are kept.
	LoadLists func(data []byte, v DataVersion) error
	LoadRules func(data []byte, v DataVersion) error
}

// NewBoothLink builds the booth's link to HQ, loop not started. It checks the
// store belongs to the bundle's booth (setting it on a fresh store). The caller
// starts it with Start and stops it with Stop; Close releases the client.
// Errors: EINVALID for an unusable bundle, ECONFLICT for another booth's store.
func NewBoothLink(ctx context.Context, cfg BoothConfig) (*Link, error) {
	if err := cfg.Bundle.Check(); err != nil {
		return nil, err
	}
	if err := claimStore(ctx, cfg.Store, cfg.Bundle); err != nil {
		return nil, err
	}
	c, err := NewClient(cfg.Bundle, ClientOptions{Address: cfg.Address, Clock: cfg.Clock})
	if err != nil {
		return nil, err
	}
	p, err := NewPuller(cfg.Bundle.ListKey, cfg.Clock,
		Dataset{Kind: KindLists, File: filepath.Join(cfg.DataDir, ListsFile), Build: ListsBuild, Load: cfg.LoadLists},
		Dataset{Kind: KindRules, File: filepath.Join(cfg.DataDir, RulesFile), Build: RulesBuild, Load: cfg.LoadRules, MaxBytes: 16 << 20},
	)
	if err != nil {
		return nil, err
	}
	return &Link{Outbox: StoreOutbox{Store: cfg.Store}, HQ: c, Puller: p, BoothID: cfg.Bundle.BoothID,
		Clock: cfg.Clock, Log: cfg.Log, Records: cfg.Store.WaitForRecord()}, nil
}

// Close releases the link's connections (after Stop).
func (l *Link) Close() {
	if l.HQ != nil {
		l.HQ.Close()
	}
}
