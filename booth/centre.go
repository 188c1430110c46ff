package booth

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/paper"
	"github.com/chekara/chekara/sync"
)

// SignIn checks a trainee's or a trainer's own account at the centre.
// Errors: Authenticate's; EUNAUTHORIZED for another role.
func (c *Centre) SignIn(ctx context.Context, id, password string) (app.Officer, error) {
	o, err := c.Store.Authenticate(ctx, strings.TrimSpace(id), password)
	if err != nil {
		return app.Officer{}, err
	}
	if o.Disabled {
		return app.Officer{}, app.Errork(app.EUNAUTHORIZED, "err.officer_disabled", "This officer account is disabled.")
	}
	if o.Role != app.RoleTrainee && o.Role != app.RoleTrainer {
		return app.Officer{}, app.Errork(app.EUNAUTHORIZED, "err.training_role", "Only trainees and trainers work the simulation booth.")
	}
	return o, nil
}

// Trainees lists the centre's trainees.
func (c *Centre) Trainees(ctx context.Context) ([]app.Officer, error) {
	all, err := c.Store.Officers(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(o app.Officer) bool { return o.Role != app.RoleTrainee }), nil
}

// Packs lists the imported packs.
func (c *Centre) Packs(ctx context.Context) ([]training.PackInfo, error) { return c.Store.Packs(ctx) }

// Pack returns an imported pack.
func (c *Centre) Pack(ctx context.Context, id string) (*training.Pack, error) {
	return c.Store.Pack(ctx, id)
}

// ImportPackFile validates and imports (or replaces, after an edit) a pack
// file. Errors: EINVALID naming every problem of the file.
func (c *Centre) ImportPackFile(ctx context.Context, path string) (*training.Pack, error) {
	data, err := safefile.ReadRegular(strings.TrimSpace(path), training.MaxPackBytes+1)
	if err != nil {
		return nil, app.Errork(app.EINVALID, "err.training_pack_unreadable", "Cannot read the pack %s: %v.", path, err)
	}
	return c.Store.SavePack(ctx, data)
}

// PackFile is an imported pack's file, for the trainer to edit.
func (c *Centre) PackFile(ctx context.Context, id string) ([]byte, error) {
	return c.Store.PackFile(ctx, id)
}

// SavePackFile validates an edited pack and replaces the pack of its id.
// Errors: EINVALID naming every problem.
func (c *Centre) SavePackFile(ctx context.Context, data []byte) (*training.Pack, error) {
	return c.Store.SavePack(ctx, data)
}

// ImportShipped imports the packs the centre ships.
func (c *Centre) ImportShipped(ctx context.Context) error {
	packs, err := ShippedPacks()
	if err != nil {
		return err
	}
	for name, data := range packs {
		if _, err := c.Store.SavePack(ctx, data); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// Assign gives a trainee a pack.
func (c *Centre) Assign(ctx context.Context, a training.Assignment) error {
	return c.Store.Assign(ctx, a)
}

// Assignments lists a trainee's packs ("" for everyone's).
func (c *Centre) Assignments(ctx context.Context, trainee string) ([]training.Assignment, error) {
	return c.Store.Assignments(ctx, trainee)
}

// Sessions lists a trainee's sessions ("" for everyone's), running ones
// included: a trainer watches them fill as the trainee decides.
func (c *Centre) Sessions(ctx context.Context, trainee string) ([]training.Session, error) {
	return c.Store.Sessions(ctx, trainee)
}

// Export writes every trainee's results to path: CSV for a path ending in
// .csv, else a PDF printed with words (the trainer's language). Errors:
// EINVALID for a path that cannot be written.
func (c *Centre) Export(ctx context.Context, path string, words func(string, ...any) string) error {
	path = strings.TrimSpace(path)
	sessions, err := c.Store.Sessions(ctx, "")
	if err != nil {
		return err
	}
	var data []byte
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		data = training.ResultsCSV(sessions)
	} else {
		trainees, err := c.Trainees(ctx)
		if err != nil {
			return err
		}
		var progress []training.Progress
		for _, t := range trainees {
			p, err := c.Progress(ctx, t.ID)
			if err != nil {
				return err
			}
			if p.Sessions > 0 {
				progress = append(progress, p)
			}
		}
		if data, err = paper.TrainingResults(words, c.cfg.Clock.Now(), progress, sessions); err != nil {
			return err
		}
	}
	if path == "" || filepath.Base(path) == "." {
		return app.Errork(app.EINVALID, "err.training_export_path", "Give the file to write the results to.")
	}
	if err := sync.WriteFileAtomic(path, data); err != nil {
		return app.Errork(app.EINVALID, "err.training_export_failed", "Cannot write %s: %v.", path, err)
	}
	return nil
}

// StartWindow opens a session for the training window (Start, then Window).
func (c *Centre) StartWindow(ctx context.Context, packID, officerID, password string) (Window, error) {
	sim, err := c.Start(ctx, SimConfig{PackID: packID, OfficerID: officerID, Password: password})
	if err != nil {
		return Window{}, err
	}
	return sim.Window(), nil
}
