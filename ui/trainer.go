package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
)

// consoleData is what the trainer console shows, read in one go off the UI
// goroutine.
type consoleData struct {
	packs    []training.PackInfo
	trainees []app.Officer
	assigned []training.Assignment
	sessions []training.Session
	progress map[string]training.Progress
}

func (t *TrainingUI) readConsole() (consoleData, error) {
	var d consoleData
	var err error
	if d.packs, err = t.centre.Packs(t.ctx()); err != nil {
		return d, err
	}
	if d.trainees, err = t.centre.Trainees(t.ctx()); err != nil {
		return d, err
	}
	if d.assigned, err = t.centre.Assignments(t.ctx(), ""); err != nil {
		return d, err
	}
	if d.sessions, err = t.centre.Sessions(t.ctx(), ""); err != nil {
		return d, err
	}
	d.progress = map[string]training.Progress{}
	for _, o := range d.trainees {
		if d.progress[o.ID], err = t.centre.Progress(t.ctx(), o.ID); err != nil {
			return d, err
		}
	}
	return d, nil
}

// showConsole is the trainer's console: packs and their import, assignments,
// each trainee's progress by skill, the sessions (running ones live), export.
func (t *TrainingUI) showConsole(msg string) {
	t.screen, t.message = TrainerConsole, msg
	t.menu()
	t.win.SetContent(t.centred(t.tr("training.console_title"), widget.NewLabel(t.tr("training.loading"))))
	t.background(func() func() {
		d, err := t.readConsole()
		return func() {
			if t.screen != TrainerConsole {
				return
			}
			if err != nil {
				t.win.SetContent(t.centred(t.tr("training.console_title"), errorLabel(t.errText(err))))
				return
			}
			t.drawConsole(d, msg)
		}
	})
}

func (t *TrainingUI) drawConsole(d consoleData, msg string) {
	status := widget.NewLabel(msg)
	status.Wrapping = fyne.TextWrapWord
	say := func(err error, ok string) {
		if err != nil {
			t.showConsole(t.errText(err))
			return
		}
		t.showConsole(ok)
	}

	// Packs: the imported ones, and a pack file to import (or re-import after editing it).
	var packRows []fyne.CanvasObject
	packIDs := make([]string, 0, len(d.packs))
	for _, p := range d.packs {
		id := p.ID
		packIDs = append(packIDs, p.ID)
		edit := widget.NewButtonWithIcon(t.tr("training.edit"), theme.DocumentCreateIcon(), func() { t.editPack(id) })
		packRows = append(packRows, container.NewBorder(nil, nil, nil, edit,
			widget.NewLabel(fmt.Sprintf("%s — %s (%s)", p.ID, p.Title, p.ImportedAt.Format("2006-01-02")))))
	}
	path := widget.NewEntry()
	path.SetPlaceHolder(t.tr("training.pack_path"))
	importBtn := widget.NewButtonWithIcon(t.tr("training.import"), theme.FolderOpenIcon(), func() {
		file := path.Text
		t.background(func() func() {
			p, err := t.centre.ImportPackFile(t.ctx(), file)
			return func() {
				if err != nil {
					say(err, "")
					return
				}
				say(nil, t.tr("training.imported", p.ID, len(p.Travellers)))
			}
		})
	})
	packs := container.NewVBox(append(packRows, container.NewBorder(nil, nil, nil, importBtn, path))...)

	// Assign: trainee, pack, when the debrief comes.
	var traineeIDs []string
	for _, o := range d.trainees {
		traineeIDs = append(traineeIDs, o.ID)
	}
	who := widget.NewSelect(traineeIDs, nil)
	which := widget.NewSelect(packIDs, nil)
	modes := []string{t.tr("training.debrief_each"), t.tr("training.debrief_end")}
	when := widget.NewRadioGroup(modes, nil)
	when.Horizontal = true
	when.SetSelected(modes[1])
	assign := widget.NewButton(t.tr("training.assign"), func() {
		a := training.Assignment{Trainee: who.Selected, Pack: which.Selected, Debrief: training.DebriefEnd, By: t.officer.ID}
		if when.Selected == modes[0] {
			a.Debrief = training.DebriefEach
		}
		t.background(func() func() {
			err := t.centre.Assign(t.ctx(), a)
			return func() { say(err, t.tr("training.assigned", a.Pack, a.Trainee)) }
		})
	})
	var assigned []string
	for _, a := range d.assigned {
		assigned = append(assigned, fmt.Sprintf("%s: %s (%s)", a.Trainee, a.Pack, t.tr("training.debrief_"+string(a.Debrief))))
	}
	assignBox := container.NewVBox(
		widget.NewForm(widget.NewFormItem(t.tr("training.trainee"), who), widget.NewFormItem(t.tr("training.pack"), which),
			widget.NewFormItem(t.tr("training.debrief"), when)),
		assign, widget.NewLabel(strings.Join(assigned, "\n")))

	// Progress by skill and the sessions, running ones live: filled now and
	// again every StatusEvery while the console shows (watch).
	grid := container.NewGridWithColumns(3 + len(training.Skills))
	sessions := container.NewVBox()
	t.fillLive(grid, sessions, d)
	t.watch(grid, sessions)
	refresh := widget.NewButtonWithIcon(t.tr("training.refresh"), theme.ViewRefreshIcon(), func() { t.showConsole("") })

	out := widget.NewEntry()
	out.SetPlaceHolder(t.tr("training.export_path"))
	export := widget.NewButtonWithIcon(t.tr("training.export"), theme.DocumentSaveIcon(), func() {
		file := out.Text
		t.background(func() func() {
			err := t.centre.Export(t.ctx(), file, t.tr)
			return func() { say(err, t.tr("training.exported", file)) }
		})
	})

	body := container.NewVBox(
		panel(t.tr("training.progress"), grid),
		panel(t.tr("training.sessions"), container.NewVBox(sessions, refresh)),
		container.NewGridWithColumns(2, panel(t.tr("training.packs"), packs), panel(t.tr("training.assignments"), assignBox)),
		panel(t.tr("training.export_title"), container.NewBorder(nil, nil, nil, export, out)),
	)
	title := widget.NewLabelWithStyle(t.tr("training.console_title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	if msg != "" {
		if strings.HasPrefix(msg, "✓") {
			status.Importance = widget.SuccessImportance
		} else {
			status.Importance = widget.DangerImportance
		}
	}
	t.win.SetContent(container.NewBorder(container.NewVBox(title, status), nil, nil, nil, container.NewVScroll(body)))
}

func pct(v float64, has bool) string {
	if !has {
		return "—"
	}
	return fmt.Sprintf("%.1f %%", v)
}

// editPack opens an imported pack's file for the trainer to change; saving
// validates it (every problem named, nothing saved) and replaces the pack.
func (t *TrainingUI) editPack(id string) {
	t.background(func() func() {
		data, err := t.centre.PackFile(t.ctx(), id)
		return func() {
			if err != nil {
				t.showConsole(t.errText(err))
				return
			}
			t.showEditor(id, string(data), "")
		}
	})
}

func (t *TrainingUI) showEditor(id, text, msg string) {
	t.screen = TrainerEditor
	t.gen.Add(1)
	ed := widget.NewMultiLineEntry()
	ed.SetText(text)
	ed.TextStyle.Monospace = true
	problems := errorLabel(msg)
	if msg == "" {
		problems.Hide()
	}
	var save *widget.Button
	save = widget.NewButtonWithIcon(t.tr("training.save"), theme.DocumentSaveIcon(), func() {
		save.Disable()
		data := ed.Text
		t.background(func() func() {
			p, err := t.centre.SavePackFile(t.ctx(), []byte(data))
			return func() {
				if err != nil {
					t.showEditor(id, data, t.errText(err))
					return
				}
				t.showConsole(t.tr("training.saved", p.ID, len(p.Travellers)))
			}
		})
	})
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(t.tr("training.cancel"), func() { t.showConsole("") })
	title := widget.NewLabelWithStyle(t.tr("training.edit_title", id), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	t.win.SetContent(container.NewBorder(container.NewVBox(title, problems),
		container.NewHBox(layout.NewSpacer(), cancel, save), nil, nil, ed))
	t.win.Canvas().Focus(ed)
}

// fillLive draws each trainee's progress by skill and the sessions, newest
// first; a running one says how far it is.
func (t *TrainingUI) fillLive(grid, sessions *fyne.Container, d consoleData) {
	header := []string{t.tr("training.trainee"), t.tr("training.report.sessions"), t.tr("training.report.overall")}
	for _, sk := range training.Skills {
		header = append(header, t.tr("training.skill."+string(sk)))
	}
	rows := [][]string{header}
	for _, o := range d.trainees {
		p := d.progress[o.ID]
		row := []string{o.Name + " (" + o.ID + ")", fmt.Sprint(p.Sessions), pct(p.Percent, p.Sessions > 0)}
		for _, sk := range training.Skills {
			v, has := 0.0, false
			for _, s := range p.Skills {
				if s.Skill == sk {
					v, has = s.Percent, true
				}
			}
			row = append(row, pct(v, has))
		}
		rows = append(rows, row)
	}
	var cells []fyne.CanvasObject
	for i, r := range rows {
		for _, c := range r {
			l := widget.NewLabel(c)
			l.Truncation = fyne.TextTruncateEllipsis
			l.TextStyle.Bold = i == 0
			cells = append(cells, l)
		}
	}
	grid.Objects = cells
	grid.Refresh()
	var sess []fyne.CanvasObject
	for i := len(d.sessions) - 1; i >= 0; i-- {
		s := d.sessions[i]
		state := t.tr("training.finished_at", s.Finished.Format("2006-01-02 15:04"))
		if s.Finished.IsZero() {
			state = t.tr("training.live", len(s.Outcomes), len(s.Score.Travellers))
		}
		sess = append(sess, widget.NewLabel(fmt.Sprintf("%s · %s · %s · %.1f %% · %s", s.Trainee, s.Pack,
			s.Started.Format("2006-01-02 15:04"), s.Score.Percent, state)))
	}
	if len(sess) == 0 {
		sess = append(sess, widget.NewLabel(t.tr("training.no_sessions")))
	}
	sessions.Objects = sess
	sessions.Refresh()
}

// watch re-reads the centre every StatusEvery while this console shows, so
// a trainer sees sessions fill as trainees decide (at any window on the
// centre's folder), without touching what they are typing.
func (t *TrainingUI) watch(grid, sessions *fyne.Container) {
	every := t.cfg.StatusEvery
	if every == 0 {
		every = 2 * time.Second
	}
	if every < 0 {
		return // tests refresh on demand (Refresh)
	}
	gen := t.gen.Load()
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for range tick.C {
			if t.gen.Load() != gen {
				return
			}
			d, err := t.readConsole()
			if err != nil {
				continue
			}
			t.cfg.Do(func() {
				if t.gen.Load() == gen && t.screen == TrainerConsole {
					t.fillLive(grid, sessions, d)
				}
			})
		}
	}()
}
