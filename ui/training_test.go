package ui_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/assets"
	boothpkg "github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/ui"
	"github.com/chekara/chekara/ui/uitest"
)

// centreWindow is the training window over a real centre: its own SQLite
// database, the shipped packs, a session database per session.
type centreWindow struct {
	ui     *ui.TrainingUI
	w      fyne.Window
	centre *boothpkg.Centre
	queue  *uitest.Queue
	dir    string
}

func (c *centreWindow) settle() {
	for c.ui.Busy() {
		c.queue.Next()()
	}
}

func newCentreWindow(t *testing.T) *centreWindow {
	t.Helper()
	return newCentreWindowEvery(t, -1)
}

func newCentreWindowEvery(t *testing.T, every time.Duration) *centreWindow {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	c, err := boothpkg.OpenCentre(ctx, boothpkg.CentreConfig{DataDir: dir, Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	for _, o := range []app.Officer{{ID: "T1", Name: "Aida Trainee", Role: app.RoleTrainee, Language: "en"},
		{ID: "TR1", Name: "Bolot Trainer", Role: app.RoleTrainer, Language: "en"}} {
		if err := c.Store.SaveOfficer(ctx, o, "pass-"+o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.ImportShipped(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 768))
	q := uitest.NewQueue()
	cfg := ui.TrainingConfig{Config: ui.Config{StatusEvery: every, Do: q.Do},
		Start: func(ctx context.Context, pack, officer, password string) (ui.Simulation, error) {
			sw, err := c.StartWindow(ctx, pack, officer, password)
			if err != nil {
				return nil, err
			}
			return sw, nil
		}}
	cw := &centreWindow{ui: ui.NewTraining(w, c, cat, cfg), w: w, centre: c, queue: q, dir: dir}
	cw.settle()
	return cw
}

func (c *centreWindow) typeLine(t *testing.T, s string) {
	t.Helper()
	c.settle()
	f := c.w.Canvas().Focused()
	if f == nil {
		t.Fatalf("nothing has focus on %s", c.ui.Screen())
	}
	test.Type(f, s)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	c.settle()
}

// find returns the first widget of the window (popups included) that ok accepts.
func find[W fyne.CanvasObject](c *centreWindow, ok func(W) bool) W {
	var found W
	var done bool
	objs := []fyne.CanvasObject{c.w.Content()}
	for _, o := range c.w.Canvas().Overlays().List() {
		objs = append([]fyne.CanvasObject{o}, objs...)
	}
	for _, root := range objs {
		walk(root, func(o fyne.CanvasObject) {
			if w, is := o.(W); is && !done && ok(w) {
				found, done = w, true
			}
		})
	}
	return found
}

func (c *centreWindow) tapButton(t *testing.T, text string) {
	t.Helper()
	b := find(c, func(b *widget.Button) bool { return b.Text == text })
	if b == nil {
		t.Fatalf("no button %q on %s", text, c.ui.Screen())
	}
	test.Tap(b)
	c.settle()
}

// shows reports whether a label of the window (popups included) contains s.
func (c *centreWindow) shows(s string) bool {
	return find(c, func(l *widget.Label) bool { return strings.Contains(l.Text, s) }) != nil
}

func (c *centreWindow) shot(t *testing.T, name string) {
	t.Helper()
	if dir := os.Getenv("CHEKARA_UI_CAPTURE"); dir != "" {
		capture(t, c.w, filepath.Join(dir, name+".png"))
	}
}

// TestTrainingWalk walks a trainee's session at the simulation booth — an
// impostor admitted, a clean traveller admitted, a data page that disagrees
// with its MRZ refused with the finding named — the debrief after each
// traveller, the end of the session and its debrief; then the trainer's
// review of the progress and the export to CSV and PDF.
func TestTrainingWalk(t *testing.T) {
	c := newCentreWindow(t)
	ctx := context.Background()
	if err := c.centre.Assign(ctx, training.Assignment{Trainee: "T1", Pack: "fraud", Debrief: training.DebriefEach, By: "TR1"}); err != nil {
		t.Fatal(err)
	}
	if got := c.ui.Screen(); got != ui.TrainingSignIn {
		t.Fatalf("screen %s", got)
	}
	c.typeLine(t, "T1")
	c.typeLine(t, "pass-T1")
	if got := c.ui.Screen(); got != ui.TrainingHome {
		t.Fatalf("after sign-in: screen %s (%s)", got, c.ui.Message())
	}
	if !c.shows("Document fraud and impostors (fraud)") {
		t.Error("the assigned pack is not listed")
	}
	c.shot(t, "training-01-home")
	c.tapButton(t, "Start")
	if got := c.ui.Screen(); got != ui.TrainingSession || c.ui.Booth() == nil {
		t.Fatalf("after start: screen %s (%s)", got, c.ui.Message())
	}
	b := c.ui.Booth()
	if got := b.Screen(); got != ui.ScreenInspect {
		t.Fatalf("booth screen %s (%s)", got, b.Message())
	}
	if !c.shows("TRAINING · Document fraud and impostors · traveller 1 of 11") {
		t.Error("the strip does not say where the trainee is in the queue")
	}
	if !c.shows("ORUNBAEV") {
		t.Error("the first traveller is not on screen")
	}
	c.shot(t, "training-02-booth-impostor")
	c.tapButton(t, "Compare the face with the page")
	c.shot(t, "training-06-compare-faces")
	if !c.ui.Continue() {
		t.Fatal("no comparison shown")
	}

	// f01, an impostor, admitted: the debrief says what was missed and why.
	b.Shortcut(ui.KeyAdmit)
	c.settle()
	if !c.shows("Missed: impostor") || !c.shows("the face is not the photo's") || !c.shows("0 of 100 points") {
		t.Error("the debrief after the impostor does not say what was missed and why")
	}
	c.shot(t, "training-03-debrief-traveller")
	if !c.ui.Continue() {
		t.Fatal("no debrief to continue from")
	}
	c.settle()
	if !c.shows("SYDYKOVA") || !c.shows("traveller 2 of 11") {
		t.Fatal("the next traveller did not step up")
	}

	// f02, clean, admitted: full marks.
	b.Shortcut(ui.KeyAdmit)
	c.settle()
	if !c.shows("100 of 100 points") {
		t.Error("a clean traveller admitted is not full marks")
	}
	c.ui.Continue()
	c.settle()

	// f03, the page says 1985, the MRZ 1989: named and refused with reason B.
	if !c.shows("PETROV") {
		t.Fatal("f03 is not on screen")
	}
	found := find(c, func(g *widget.CheckGroup) bool { return len(g.Options) == len(training.Findings) })
	if found == nil {
		t.Fatal("no findings to tick")
	}
	found.SetSelected([]string{"page ≠ MRZ"})
	reason := find(c, func(s *widget.Select) bool { return len(s.Options) > 5 })
	for i, o := range reason.Options {
		if strings.HasPrefix(o, "B") {
			reason.SetSelectedIndex(i)
		}
	}
	b.Shortcut(ui.KeyRefuse)
	c.settle()
	if !c.shows("Found: page ≠ MRZ") || !c.shows("100 of 100 points") {
		t.Errorf("refusing f03 for the mismatch it named: %s", b.Message())
	}
	c.ui.Continue()
	c.settle()

	// The trainee ends the session: the rest are undecided, the debrief shows.
	c.tapButton(t, "End session")
	if got := c.ui.Screen(); got != ui.TrainingDebrief {
		t.Fatalf("after ending: screen %s (%s)", got, c.ui.Message())
	}
	s := c.ui.Last()
	if s.Score.Correct != 2 || s.Score.Undecided != 8 || s.Finished.IsZero() {
		t.Errorf("session: correct %d, undecided %d, finished %v", s.Score.Correct, s.Score.Undecided, s.Finished)
	}
	if !c.shows("Traveller f01") || !c.shows("Missed: impostor") {
		t.Error("the end debrief does not name the missed impostor")
	}
	c.shot(t, "training-04-debrief-session")
	c.tapButton(t, "Back to my packs")
	if !c.shows("My progress: 1 sessions") {
		t.Error("the trainee's progress is not shown")
	}

	// The trainer reviews: progress by skill, the session, the export.
	c.ui.SignOut()
	c.settle()
	c.typeLine(t, "TR1")
	c.typeLine(t, "pass-TR1")
	if got := c.ui.Screen(); got != ui.TrainerConsole {
		t.Fatalf("trainer: screen %s (%s)", got, c.ui.Message())
	}
	if !c.shows("Aida Trainee (T1)") || !c.shows("finished") {
		t.Error("the console does not show the trainee's progress and session")
	}
	c.shot(t, "training-05-trainer-console")

	// The trainer edits a pack: a broken key is refused with its place named,
	// nothing saved; the fixed one replaces the pack.
	edit := find(c, func(b *widget.Button) bool { return b.Text == "Edit" })
	test.Tap(edit)
	c.settle()
	if got := c.ui.Screen(); got != ui.TrainerEditor {
		t.Fatalf("edit: screen %s", got)
	}
	ed := find(c, func(e *widget.Entry) bool { return e.MultiLine })
	good := ed.Text
	ed.SetText(strings.Replace(good, `"decision": "admit"`, `"decision": "admti"`, 1))
	c.tapButton(t, "Save")
	if c.ui.Screen() != ui.TrainerEditor || !c.shows(`key: decision "admti" is not admit, refuse or refer`) {
		t.Errorf("a broken edit: screen %s", c.ui.Screen())
	}
	c.shot(t, "training-08-pack-editor")
	ed = find(c, func(e *widget.Entry) bool { return e.MultiLine })
	ed.SetText(strings.Replace(good, "Basics: reading a passport", "Basics: reading a passport (Osh)", 1))
	c.tapButton(t, "Save")
	if c.ui.Screen() != ui.TrainerConsole || !c.shows("Pack basics saved: 12 travellers") || !c.shows("Basics: reading a passport (Osh)") {
		t.Errorf("the fixed edit: screen %s", c.ui.Screen())
	}
	for _, name := range []string{"results.csv", "results.pdf"} {
		path := filepath.Join(c.dir, name)
		entry := find(c, func(e *widget.Entry) bool { return strings.Contains(e.PlaceHolder, "results.csv") })
		entry.SetText(path)
		c.tapButton(t, "Export")
		if !c.shows("Results written to") {
			t.Fatalf("export %s: %s", name, c.ui.Message())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == "results.csv" {
			if !strings.Contains(string(data), "T1,fraud,") || !strings.Contains(string(data), ",f01,impostors,refer,admit,") {
				t.Errorf("csv:\n%s", data)
			}
			continue
		}
		tool, err := exec.LookPath("pdftotext")
		testenv.Require(t, "pdftotext (Debian poppler-utils)", err)
		out, err := exec.Command(tool, "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Training results", "Trainee T1", "Impostors", "fraud"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("pdf lacks %q:\n%s", want, out)
			}
		}
	}
}

// TestTrainingInEveryLanguage: a trainee reads the training strip, the
// debrief and the pack's teaching notes in their own language.
func TestTrainingInEveryLanguage(t *testing.T) {
	tests := []struct {
		lang, strip, end, missed, note string
	}{
		{"ky", "ОКУТУУ · Негиздер: паспортту текшерүү · жүргүнчү 1 / 12", "Сабакты бүтүрүү", "Байкалбады: мөөнөтү өткөн", "Паспорттун мөөнөтү 2026-жылдын 31-октябрында бүткөн"},
		{"ru", "ОБУЧЕНИЕ · Основы: проверка паспорта · путешественник 1 из 12", "Завершить занятие", "Пропущено: просрочен", "Паспорт истёк 31 октября 2026 года"},
		{"en", "TRAINING · Basics: reading a passport · traveller 1 of 12", "End session", "Missed: expired", "The passport expired on 31 October 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := newCentreWindow(t)
			ctx := context.Background()
			if err := c.centre.Store.SaveOfficer(ctx, app.Officer{ID: "T1", Name: "Aida Trainee", Role: app.RoleTrainee, Language: tt.lang}, ""); err != nil {
				t.Fatal(err)
			}
			if err := c.centre.Assign(ctx, training.Assignment{Trainee: "T1", Pack: "basics", Debrief: training.DebriefEnd}); err != nil {
				t.Fatal(err)
			}
			c.typeLine(t, "T1")
			c.typeLine(t, "pass-T1")
			start := find(c, func(b *widget.Button) bool { return b.OnTapped != nil && b.Importance == widget.HighImportance })
			if start == nil {
				t.Fatalf("no start button: %s", c.ui.Message())
			}
			test.Tap(start)
			c.settle()
			if !c.shows(tt.strip) {
				t.Errorf("the strip is not in %s", tt.lang)
			}
			c.tapButton(t, tt.end)
			if c.ui.Screen() != ui.TrainingDebrief || !c.shows(tt.missed) || !c.shows(tt.note) {
				t.Errorf("the debrief is not in %s", tt.lang)
			}
			if tt.lang == "ky" {
				c.shot(t, "training-07-debrief-ky")
			}
		})
	}
}

// TestTrainerWatchesLive: the console follows a session as the trainee
// decides, without the trainer touching it.
func TestTrainerWatchesLive(t *testing.T) {
	c := newCentreWindowEvery(t, 20*time.Millisecond)
	ctx := context.Background()
	c.typeLine(t, "TR1")
	c.typeLine(t, "pass-TR1")
	if got := c.ui.Screen(); got != ui.TrainerConsole {
		t.Fatalf("screen %s", got)
	}
	// The trainee plays at another window on the same centre.
	sim, err := c.centre.Start(ctx, boothpkg.SimConfig{PackID: "stays", OfficerID: "T1", Password: "pass-T1", Scripted: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	for range 3 {
		if _, err := sim.Next(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.Decide(ctx, app.DecisionRequest{Decision: app.Refer, Note: "watch"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(10 * time.Second)
	for !c.shows("live: 3 of 11 travellers") {
		select {
		case <-deadline:
			t.Fatal("the console did not follow the running session")
		default:
		}
		c.queue.Next()() // the watch's redraw, as the UI goroutine runs it
	}
}
