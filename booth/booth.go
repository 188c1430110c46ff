// Package booth assembles a working booth from the real parts — the SQLite
// store, the MRZ engine, the watchlist, the stay rules, the HQ link and the
// desk camera — in exactly one place, used by the desktop booth (main.go),
// bmis and the tests, so what is tested and measured is what ships.
//
// It imports an enrolment bundle once into the booth's data folder and claims
// the store for the bundle's booth; a store that belongs to another booth, or
// a --booth that is not the certificate's, is refused with a clear message.
// It holds no Fyne.
package booth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	gosync "sync"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// Config says where a booth keeps its data, who it is and what it screens against.
type Config struct {
	// DataDir holds the booth's store (booth.db), its imported enrolment and
	// the lists and rules pulled from HQ. Required.
	DataDir string
	// StoreFile overrides DataDir/booth.db (bmis --db, benchmarks reusing a
	// cached store).
	StoreFile string
	// Enrolment is a bundle file from `hq booth enrol` to import: checked,
	// the store claimed for its booth, and copied into DataDir, so later
	// starts need it no more. "" uses the bundle imported before; with none
	// the booth works alone.
	Enrolment string
	// HQAddress overrides the bundle's HQ address (e.g. through a proxy).
	HQAddress string
	// ListsFile is a snapshot list file or a persisted screening index; ""
	// starts without lists (until HQ sends some, the screen says the traveller
	// was not screened).
	ListsFile string
	// RulesFile is a stay rule set; "" uses the shipped default (assets/rules/kgz.json).
	RulesFile string
	// ReasonsFile is the refusal reason list; "" uses assets/reasons/refusal.json.
	ReasonsFile string
	// Post and Booth name a booth that works alone. An enrolled booth takes
	// both from its certificate: a different value given here is refused.
	Post, Booth string
	Clock       app.Clock
	Store       store.Options
	Log         *slog.Logger

	// ChipReader is the PC/SC reader of ePassport chips (a name, part of
	// one, or "auto"); "" reads no chips. MasterList is the CSCA certificates
	// chips are checked against (a CMS master list or PEM certificates).
	// Chip, when set, is used instead (tests, the demo's simulated chips).
	ChipReader, MasterList string
	Chip                   app.ChipReader

	// Offline keeps an enrolled booth from asking HQ for national history at
	// the swipe (bmis inspect --offline); uploads and pulls are unaffected.
	Offline bool
}

// Booth is an opened booth: the workflow and the parts under it.
type Booth struct {
	App       *app.Booth
	Store     *store.Store
	Watchlist *screening.Watchlist
	Rules     *rules.Live
	// Bundle is the booth's enrolment and Link its link to HQ (not started:
	// call Link.Start, or Sync step by step); zero and nil when it works alone.
	Bundle wire.Bundle
	Link   *sync.Link
	// FormsDir is where printed forms are saved (DataDir/forms).
	FormsDir string
	// Admin is the booth's administration (reader, camera, link, backup,
	// audit), for a post-admin through App (app/admin.go).
	Admin *Admin
	// OpenStays is the open stays HQ published (empty until the first pull);
	// the swipe merges them as history of source "feed".
	OpenStays *sync.OpenStaysIndex
	// Index persists the lists' screening index, sealed to them; nil when
	// the booth works alone.
	Index *ListIndex

	chipMu   gosync.Mutex
	chip     *chip.BoothReader // the PC/SC chip reader, when ChipReader is set
	local    []byte            // the configured master list file's bytes
	hqMaster []byte            // HQ's latest master list, when pulled
}

// Open opens (creating when new) the booth's store in cfg.DataDir, imports or
// loads its enrolment, and loads its lists, stay rules and refusal reasons —
// those pulled from HQ before, when there are. Errors name the file at fault;
// ECONFLICT for a store or a --booth that is not the enrolment's booth.
func Open(ctx context.Context, cfg Config) (*Booth, error) {
	if cfg.DataDir == "" {
		return nil, app.Errorf(app.EINVALID, "No data folder given.")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := safefile.PrivateDir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	reasons, err := loadReasons(cfg.ReasonsFile)
	if err != nil {
		return nil, err
	}
	rs, err := loadRules(cfg.RulesFile)
	if err != nil {
		return nil, err
	}
	idx, err := LoadIndex(cfg.ListsFile)
	if err != nil {
		return nil, err
	}
	if cfg.Store.Clock == nil {
		cfg.Store.Clock = cfg.Clock
	}
	if cfg.StoreFile == "" {
		cfg.StoreFile = filepath.Join(cfg.DataDir, "booth.db")
	}
	s, err := store.Open(cfg.StoreFile, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("booth store: %w", err)
	}
	b := &Booth{Store: s, Watchlist: screening.NewWatchlist(idx, screening.DefaultConfig()), Rules: rules.NewLive(rs),
		FormsDir: filepath.Join(cfg.DataDir, "forms"), OpenStays: &sync.OpenStaysIndex{}}
	if err := b.enrol(ctx, &cfg); err != nil {
		s.Close()
		return nil, err
	}
	b.App = &app.Booth{
		Clock: cfg.Clock, Records: s, Officers: s, Shifts: s, MRZ: mrz.Parser{}, Lists: b.Watchlist, Rules: b.Rules,
		Reasons: reasons, Post: cfg.Post, BoothID: cfg.Booth, NewID: s.NewID, Supervision: s,
		ListsVersion: b.Watchlist.Published(), RulesVersion: b.Rules.Version(),
	}
	b.Admin = &Admin{b: b, dataDir: cfg.DataDir}
	b.App.Admin = b.Admin
	if b.App.Chip, err = b.chipReader(cfg); err != nil {
		s.Close()
		return nil, err
	}
	if b.Link != nil {
		b.App.Sync = b.Link
		// Local data: merged at every swipe, link or no link.
		b.App.OpenStays = b.OpenStays
		if !cfg.Offline {
			// Asked at every swipe, in parallel with the local look-up; the
			// screen never waits for it (app/national.go).
			b.App.National = b.Link.HQ
			// The post's other booths' shifts, for a supervisor's review
			// (app/review.go), asked on behalf of whoever is signed in.
			b.App.PostHQ = sync.PostRecords{Client: b.Link.HQ, Officer: func() string { return b.App.Session().Officer.ID }}
		}
	}
	return b, nil
}

// enrol imports cfg.Enrolment (or loads the bundle imported before), claims
// the store for its booth and builds the link, loading the lists and rules
// already pulled. Without a bundle the booth works alone.
func (b *Booth) enrol(ctx context.Context, cfg *Config) error {
	var err error
	var imported []byte
	if cfg.Enrolment != "" {
		b.Bundle, imported, err = importBundle(cfg.Enrolment)
	} else {
		b.Bundle, err = LoadBundle(cfg.DataDir)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil
		}
	}
	if err != nil {
		return err
	}
	if err := b.claim(ctx, cfg); err != nil {
		return err
	}
	if imported != nil {
		if err := sync.WriteFileAtomic(filepath.Join(cfg.DataDir, sync.BundleFile), imported); err != nil {
			return err
		}
	}
	b.Index = &ListIndex{Dir: cfg.DataDir, Key: b.Bundle.ListKey, Watchlist: b.Watchlist, Log: cfg.Log}
	b.Link, err = sync.NewBoothLink(sync.BoothConfig{
		DataDir: cfg.DataDir, Bundle: b.Bundle, Outbox: b.Store, Records: b.Store.WaitForRecord(),
		Address: cfg.HQAddress, Clock: cfg.Clock, Log: cfg.Log,
		// From the persisted index when it is sealed to the list in force,
		// verified at rest in the background (listindex.go).
		LoadLists: b.Index.Load,
		LoadRules: func(data []byte, _ sync.DataVersion) error {
			rs, err := rules.Parse(data)
			if err != nil {
				return err
			}
			b.Rules.Set(rs)
			return nil
		},
		// HQ's CSCA master list, with the certificates configured here
		// (the home country's CSCA), is what chips are checked against.
		LoadMasterList: func(data []byte, _ sync.DataVersion) error {
			return b.setHQMasterList(data)
		},
		// HQ's officer directory for this post becomes the booth's officers;
		// passwords are checked offline against HQ's hashes, lockout stays here.
		// An officer signed in whom the new directory refuses (disabled, off
		// this post) is signed out at once (app.Booth.OfficersChanged).
		LoadDirectory: func(d wire.Directory, _ sync.DataVersion) error {
			ctx := context.WithoutCancel(ctx)
			if _, err := b.Store.ApplyDirectory(ctx, d); err != nil {
				return err
			}
			if b.App != nil { // nil while Open loads the directory pulled before
				if err := b.App.OfficersChanged(ctx); err != nil {
					cfg.Log.Error("recheck the signed-in officer after a directory", "err", err)
				}
			}
			return nil
		},
		OpenStays: b.OpenStays,
	})
	if err != nil {
		return err
	}
	// A list or rules file that was changed on disk is not loaded; the booth
	// starts without it and the next sync fetches it whole (sync.AtRestError).
	var atRest *sync.AtRestError
	if err := b.Link.Puller.LoadCurrent(); errors.As(err, &atRest) {
		cfg.Log.Error("data from HQ failed verification at rest and was not loaded", "err", err)
	} else if err != nil {
		return err
	}
	return nil
}

// claim ties the store to the bundle's booth (a new store) or checks it is
// already that booth's, and checks the command line names the same booth and
// post as the certificate.
func (b *Booth) claim(ctx context.Context, cfg *Config) error {
	id := b.Bundle.BoothID
	if cfg.Booth != "" && cfg.Booth != id {
		return app.Errorf(app.ECONFLICT, "This booth is enrolled as %s; it cannot start as %s.", id, cfg.Booth)
	}
	if cfg.Post != "" && cfg.Post != b.Bundle.Post {
		return app.Errorf(app.ECONFLICT, "This booth is enrolled at post %s; it cannot start at %s.", b.Bundle.Post, cfg.Post)
	}
	cfg.Booth, cfg.Post = id, b.Bundle.Post
	held, err := b.Store.BoothID(ctx)
	if err != nil {
		return err
	}
	if held == "" {
		return b.Store.SetBooth(ctx, id, b.Bundle.Post)
	}
	if held != id {
		return app.Errorf(app.ECONFLICT, "This database belongs to booth %s; the enrolment is for booth %s.", held, id)
	}
	return nil
}

// importBundle reads and checks a bundle file. Errors: EINVALID.
func importBundle(path string) (wire.Bundle, []byte, error) {
	data, err := safefile.ReadRegular(path, 1<<20)
	if err != nil {
		return wire.Bundle{}, nil, app.Errorf(app.EINVALID, "Cannot read the enrolment bundle %s: %v.", path, err)
	}
	b, err := wire.ParseBundle(data)
	return b, data, err
}

// LoadBundle reads the bundle the booth imported. Errors: ENOTFOUND when the
// booth is not enrolled, EINVALID for a damaged file.
func LoadBundle(dataDir string) (wire.Bundle, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, sync.BundleFile))
	if errors.Is(err, os.ErrNotExist) {
		return wire.Bundle{}, app.Errorf(app.ENOTFOUND, "This booth is not enrolled with HQ.")
	} else if err != nil {
		return wire.Bundle{}, fmt.Errorf("read enrolment: %w", err)
	}
	return wire.ParseBundle(data)
}

// Close stops the link and closes the store.
func (b *Booth) Close() error {
	if b.Link != nil {
		b.Link.Stop()
		b.Link.Close()
	}
	if b.Index != nil {
		b.Index.Wait()
	}
	return b.Store.Close()
}

// LoadIndex reads a snapshot list file or a persisted screening index (told
// apart by its first bytes); "" gives nil, an empty list.
func LoadIndex(path string) (*screening.Index, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(8)
	if string(head) == "CHKSCRN\x00" {
		idx, err := screening.ReadIndex(br)
		if err != nil {
			return nil, fmt.Errorf("lists index %s: %w", path, err)
		}
		return idx, nil
	}
	l, err := screening.ReadList(br)
	if err != nil {
		return nil, fmt.Errorf("lists %s: %w", path, err)
	}
	return screening.Build(l)
}

func readAsset(path, embedded string) ([]byte, error) {
	if path == "" {
		return assets.FS.ReadFile(embedded)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 16<<20))
}

func loadRules(path string) (*rules.RuleSet, error) {
	data, err := readAsset(path, "rules/kgz.json")
	if err != nil {
		return nil, fmt.Errorf("stay rules: %w", err)
	}
	rs, err := rules.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("stay rules %s: %w", orDefault(path, "rules/kgz.json"), err)
	}
	return rs, nil
}

func loadReasons(path string) (app.RefusalReasons, error) {
	data, err := readAsset(path, "reasons/refusal.json")
	if err != nil {
		return app.RefusalReasons{}, fmt.Errorf("refusal reasons: %w", err)
	}
	r, err := app.ParseRefusalReasons(data)
	if err != nil {
		return app.RefusalReasons{}, fmt.Errorf("refusal reasons %s: %w", orDefault(path, "reasons/refusal.json"), err)
	}
	return r, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
