package main

import (
	"context"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/ui"
)

// runTraining runs the training centre's window on the centre's folder
// (chekara --training DIR): trainees play their assigned packs at the
// simulation booth, trainers follow them. Accounts, packs and assignments
// are made with `bmis training` (docs/training.md). Nothing here touches a
// real booth's store.
func runTraining(dir, lang string) int {
	ctx := context.Background()
	c, err := booth.OpenCentre(ctx, booth.CentreConfig{DataDir: dir})
	if err != nil {
		fmt.Fprintf(os.Stderr, "chekara: %v\n", err)
		return 1
	}
	defer c.Close()
	if ps, err := c.Packs(ctx); err == nil && len(ps) == 0 {
		if err := c.ImportShipped(ctx); err != nil { // a new centre starts with the shipped packs
			fmt.Fprintf(os.Stderr, "chekara: %v\n", err)
			return 1
		}
	}
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		fmt.Fprintf(os.Stderr, "chekara: %v\n", err)
		return 1
	}
	a := fyneapp.NewWithID("org.chekara.training")
	w := a.NewWindow("Chekara — training")
	w.Resize(fyne.NewSize(1366, 768))
	ui.NewTraining(w, c, cat, ui.TrainingConfig{Config: ui.Config{Language: lang},
		Start: func(ctx context.Context, pack, officer, password string) (ui.Simulation, error) {
			sw, err := c.StartWindow(ctx, pack, officer, password)
			if err != nil {
				return nil, err
			}
			return sw, nil
		}})
	w.ShowAndRun()
	return 0
}

var _ ui.Simulation = booth.Window{}
var _ ui.Centre = (*booth.Centre)(nil)
