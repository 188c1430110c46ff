package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/ui"
	"github.com/chekara/chekara/ui/uitest"
)

// demoBooth is the real booth of `chekara --demo` (seeded store, HQ on
// loopback, simulated reader on a pty pair, desk camera with OCR), built by
// Main in this process on Fyne's test app, so it runs without a display.
type demoBooth struct {
	t         *testing.T
	m         *Main
	queue     *uitest.Queue
	cat       *i18n.Catalog
	presented chan app.ReaderEvent
	shots     string // CHEKARA_SCREENSHOTS: where to save each main screen; "" none
	shot      int
}

func openDemo(t *testing.T) *demoBooth {
	t.Helper()
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	d := &demoBooth{t: t, cat: cat, presented: make(chan app.ReaderEvent, 16), shots: os.Getenv("CHEKARA_SCREENSHOTS")}
	m := NewMain(Config{Demo: true, DemoPopulation: 500, DataDir: t.TempDir(), Post: "DOSTUK", Booth: "DOSTUK-07", Language: "en"})
	m.fapp = test.NewTempApp(t)
	m.presented = func(ev app.ReaderEvent) { d.presented <- ev }
	d.queue = uitest.NewQueue()
	m.uiDo = d.queue.Do
	if err := m.Open(); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	// Fyne's test driver runs fyne.Do on the caller's goroutine, so HQ's late
	// answer (national history, on its own goroutine) would touch the window
	// beside this test: the demo here works from the booth's own history.
	// National history is tested in booth/national_test.go and ui/national_test.go.
	m.booth.App.National = nil
	m.win.Resize(fyne.NewSize(1366, 768))
	m.start()
	d.m = m
	d.settle()
	return d
}

// settle runs what the booth handed the window until every result of the
// officer's actions is on screen.
func (d *demoBooth) settle() {
	for d.m.ui.Busy() {
		d.queue.Next()()
	}
}

// typeLine types s into the focused widget and presses Enter, as the officer does.
func (d *demoBooth) typeLine(s string) {
	d.t.Helper()
	d.settle()
	f := d.m.win.Canvas().Focused()
	if f == nil {
		d.t.Fatalf("nothing has focus on %s", d.m.ui.Screen())
	}
	for _, r := range s {
		f.TypedRune(r)
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	d.settle()
}

func (d *demoBooth) shortcut(s fyne.Shortcut) {
	d.t.Helper()
	if !d.m.ui.Shortcut(s) {
		d.t.Fatalf("shortcut %s is not bound", s.ShortcutName())
	}
	d.settle()
}

func (d *demoBooth) wantScreen(want string) {
	d.t.Helper()
	if got := d.m.ui.Screen(); got != want {
		d.t.Fatalf("screen %q, want %q (%s)", got, want, d.m.ui.Message())
	}
}

// next presents the queue's next traveller and waits until the window has
// taken the document (an event from the presenting worker, not a sleep).
func (d *demoBooth) next(tr demo.DemoTraveller) *app.InspectionView {
	d.t.Helper()
	if s := d.m.booth.App.Session(); s.HasShift && s.Shift.Direction != tr.Direction {
		// The booth never turns by itself (the demo says so): the officer
		// presses Alt+D, as for the overstayer who leaves.
		d.shortcut(ui.KeyDir)
		if got := d.m.booth.App.Session().Shift.Direction; got != tr.Direction {
			d.t.Fatalf("%s: direction %s after Alt+D, want %s", tr.Name, got, tr.Direction)
		}
	}
	d.m.nextTraveller()
	timeout := time.After(time.Minute) // OCR of a camera page on a busy 2-core machine
	for {
		select {
		case ev := <-d.presented:
			d.settle()
			if ev.Kind != app.ReaderDocument {
				continue // the reader's own connect events
			}
			v := d.m.ui.Inspection()
			if v == nil || !slices.Equal(v.Inspection.Lines, tr.Lines) {
				d.t.Fatalf("%s: the screen shows %v, want %q (%s)", tr.Name, v, tr.Lines, d.m.ui.Message())
			}
			return v
		case <-timeout:
			d.t.Fatalf("%s: the document never reached the screen", tr.Name)
		}
	}
}

// capture saves the window as NN-name.png when CHEKARA_SCREENSHOTS is set; the
// screen must fit 1366×768 either way.
func (d *demoBooth) capture(name string) {
	d.t.Helper()
	c := d.m.win.Canvas()
	if min := d.m.win.Content().MinSize(); min.Width > 1366 || min.Height > 768 {
		d.t.Errorf("%s: the screen needs %v, more than 1366×768", name, min)
	}
	d.shot++
	if d.shots == "" {
		return
	}
	img := c.Capture()
	if b := img.Bounds(); b.Dx() < 1366 || b.Dy() < 768 {
		d.t.Errorf("%s: screenshot %v", name, b)
	}
	if err := os.MkdirAll(d.shots, 0o755); err != nil {
		d.t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(d.shots, fmt.Sprintf("%02d-%s.png", d.shot, name)))
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		d.t.Fatal(err)
	}
}

// TestDemo works the demo as an officer would, in this process: sign in and
// open the shift by typing into the focused field, present every scripted
// traveller through the simulated reader over its pty (or the desk camera
// with OCR), check the verdict, resolve the hits and decide with the hotkeys,
// lock and unlock, send everything to the demo HQ, close the shift and check
// its counts. With CHEKARA_SCREENSHOTS=DIR it saves each main screen there
// (`make screenshots` writes docs/screenshots/).
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a store and starts an HQ")
	}
	d := openDemo(t)
	ctx := context.Background()
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	officer := demo.DemoOfficers[0]

	d.wantScreen(ui.ScreenSignIn)
	d.capture("sign-in")
	d.typeLine(officer.ID)
	d.typeLine(officer.Password)
	d.wantScreen(ui.ScreenShift)
	d.capture("open-shift")
	d.typeLine("") // the post and booth are prefilled: Enter opens the shift
	d.wantScreen(ui.ScreenInspect)
	d.capture("waiting")
	// The demo's first screen is right from the first second: its lists and
	// rules were published as it started (issue 12, point 11).
	if st := d.m.booth.App.Status(ctx); st.ListsStale || st.RulesStale {
		t.Errorf("first screen: stale lists %v (%+v), stale rules %v (%+v)", st.ListsStale, st.Sync.Lists, st.RulesStale, st.Sync.Rules)
	}
	if d.shots != "" {
		f, err := os.Create(filepath.Join(d.shots, "safety-demo-first-screen.png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, d.m.win.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}

	var want app.ShiftCounts
	for _, tr := range queue {
		v := d.next(tr)
		if got := v.Verdict.Key; got != tr.Verdict {
			t.Errorf("%s: verdict %s, want %s", tr.Name, got, tr.Verdict)
		}
		d.capture(tr.Name)
		if tr.Name == "list-hit" { // the same screen in the officers' other languages
			for _, lang := range []string{"ky", "ru", "en"} {
				d.m.ui.SetLanguage(lang)
				d.settle()
				if lang != "en" {
					d.capture(tr.Name + "-" + lang)
				}
			}
		}
		for range v.Hits {
			switch tr.Resolve {
			case "confirm":
				d.shortcut(ui.KeyConfirm)
			case "false":
				d.m.ui.SetNote(tr.Note)
				d.shortcut(ui.KeyFalse)
			default:
				t.Fatalf("%s: a hit the script does not expect", tr.Name)
			}
			if msg := d.m.ui.Message(); msg != "" {
				t.Fatalf("%s: resolving: %s", tr.Name, msg)
			}
		}
		if len(v.Hits) > 0 {
			wantKey := map[string]string{"confirm": app.VerdictHitBarred, "false": app.VerdictHitCleared}[tr.Resolve]
			if got := d.m.ui.Inspection().Verdict.Key; got != wantKey {
				t.Errorf("%s: verdict after %s: %s, want %s", tr.Name, tr.Resolve, got, wantKey)
			}
			d.capture(tr.Name + "-resolved")
		}
		switch tr.Decision {
		case app.Admit:
			d.shortcut(ui.KeyAdmit)
			want.Admitted++
		case app.Refuse:
			if !d.m.ui.SetRefusalReason(tr.Reason) {
				t.Fatalf("%s: refusal reason %s not offered", tr.Name, tr.Reason)
			}
			d.shortcut(ui.KeyRefuse)
			want.Refused++
			// The refusal form is printed into the booth's forms folder.
			d.shortcut(ui.KeyPrintForm)
			if pdf, err := os.ReadFile(d.m.ui.FormPath()); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("%s: refusal form %q: %v", tr.Name, d.m.ui.FormPath(), err)
			}
		case app.Refer:
			d.m.ui.SetNote(tr.Note)
			d.shortcut(ui.KeyRefer)
			want.Referred++
		}
		if d.m.ui.Inspection() != nil {
			t.Fatalf("%s: %s was not recorded: %s", tr.Name, tr.Decision, d.m.ui.Message())
		}
		want.Inspections++
		want.Hits += len(v.Hits)
		// No demo decision is a clock jump: the seeded population lies in
		// the past of the demo's clock (issue 12, point 11).
		hist, err := d.m.booth.Store.History(ctx, v.Inspection.Document, app.TravellerKey{}, 1)
		if err != nil || len(hist) == 0 || hist[0].ClockJump {
			t.Errorf("%s: the decision is recorded as %+v (%v): a clock jump?", tr.Name, hist, err)
		}
	}

	d.shortcut(ui.KeyLock)
	d.wantScreen(ui.ScreenLock)
	d.capture("locked")
	d.typeLine(officer.Password)
	d.wantScreen(ui.ScreenInspect)

	// One round of the link, step by step (the loop may run one beside it:
	// HQ takes a batch exactly once).
	if err := d.m.booth.Link.Sync(ctx); err != nil {
		t.Fatalf("sync with the demo HQ: %v", err)
	}
	if p := d.m.booth.Link.SyncState().Pending; p != 0 {
		t.Fatalf("%d records wait for HQ after a good round", p)
	}
	d.m.ui.RefreshStatus()
	d.settle()
	d.capture("status-after-sync")

	closeShift := d.cat.T(d.m.ui.Language(), "menu.close_shift")
	for _, it := range d.m.win.MainMenu().Items[0].Items {
		if it.Label == closeShift {
			it.Action()
			d.settle()
		}
	}
	// The shift's summary asks before it closes; nothing is undecided, so no note.
	if got := d.m.ui.Prompt(); got != ui.PromptCloseShift {
		t.Fatalf("closing the shift: prompt %q, want the summary", got)
	}
	d.capture("shift-summary")
	if !d.m.ui.AnswerPrompt("") {
		t.Fatal("the shift summary took no answer")
	}
	d.settle()
	d.wantScreen(ui.ScreenShiftClosed)
	got := shownCounts(t, d.m.win.Content())
	if got != want {
		t.Errorf("shift counts on screen %+v, want %+v", got, want)
	}
	d.capture("shift-closed")

	checkRecords(t, d.m, queue, officer.ID)
	supervise(t, d, want)
}

// supervise is the demo's supervisor (issue 17): S3001 signs in, sees the
// shift's two referrals in the secondary queue (Alt+Q) and records their
// outcomes, reviews the shift (Alt+O), signs it off and prints its report.
func supervise(t *testing.T, d *demoBooth, want app.ShiftCounts) {
	ctx := context.Background()
	sw := d.cat.T(d.m.ui.Language(), "menu.switch")
	for _, it := range d.m.win.MainMenu().Items[0].Items {
		if it.Label == sw {
			it.Action()
			d.settle()
		}
	}
	d.wantScreen(ui.ScreenSignIn)
	var sup demo.DemoOfficer
	for _, o := range demo.DemoOfficers {
		if o.Role == app.RoleSupervisor {
			sup = o
		}
	}
	d.typeLine(sup.ID)
	d.typeLine(sup.Password)
	d.shortcut(ui.KeySecondary)
	d.wantScreen(ui.ScreenSecondary)
	d.capture("secondary-queue")
	q, err := d.m.booth.App.SecondaryQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shift := ""
	if s, err := d.m.booth.Store.PostShifts(ctx, d.m.booth.App.Post, 1); err == nil && len(s) == 1 {
		shift = s[0].ID
	}
	outcomes := 0
	for _, c := range q { // the seeded store's referrals are older than the queue's window
		if c.ShiftID != shift {
			t.Errorf("a referral of another shift in the queue: %+v", c)
			continue
		}
		outcomes++
		if _, err := d.m.booth.App.RecordOutcome(ctx, app.OutcomeRequest{CrossingID: c.ID, Outcome: app.ReferralAdmitted, Note: "documents checked in the secondary room"}); err != nil {
			t.Fatal(err)
		}
	}
	if outcomes != want.Referred {
		t.Fatalf("the shift's referrals in the secondary queue: %d, want %d", outcomes, want.Referred)
	}
	d.shortcut(ui.KeySecondary) // back
	d.shortcut(ui.KeyReview)
	d.wantScreen(ui.ScreenReview)
	list, err := d.m.booth.App.ReviewShifts(ctx)
	if err != nil || len(list.Shifts) == 0 || list.HQ != nil {
		t.Fatalf("shifts for review %+v (HQ %v): %v", list.Shifts, list.HQ, err)
	}
	r, err := d.m.booth.App.ReviewShift(ctx, list.Shifts[0].ID)
	if err != nil || r.CanSignOff != nil || r.Attention == 0 {
		t.Fatalf("review: attention %d, can sign off %v: %v", r.Attention, r.CanSignOff, err)
	}
	d.capture("shift-review")
	if _, err := d.m.booth.App.SignOffShift(ctx, r.Info.ID, "Проверено: ложные совпадения и отказы обоснованы."); err != nil {
		t.Fatal(err)
	}
	if r, err = d.m.booth.App.ReviewShift(ctx, r.Info.ID); err != nil || r.SignOff == nil {
		t.Fatalf("after the sign-off: %+v %v", r.SignOff, err)
	}
	path, err := d.m.booth.PrintShiftReport(r, "ru")
	if pdf, rerr := os.ReadFile(path); err != nil || rerr != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("shift report %q: %v %v", path, err, rerr)
	}
	if err := d.m.booth.Link.Sync(ctx); err != nil {
		t.Fatalf("sync with the demo HQ: %v", err)
	}
}

// shownCounts reads the closed shift's counts from the form on screen, in the
// form's order (inspections, admitted, refused, referred, hits).
func shownCounts(t *testing.T, o fyne.CanvasObject) app.ShiftCounts {
	t.Helper()
	var form *widget.Form
	walk(o, func(o fyne.CanvasObject) {
		if f, ok := o.(*widget.Form); ok {
			form = f
		}
	})
	if form == nil || len(form.Items) != 7 {
		t.Fatalf("no counts form on the closed-shift screen")
	}
	n := make([]int, 7)
	for i, it := range form.Items {
		l, ok := it.Widget.(*widget.Label)
		if !ok {
			t.Fatalf("count %d is a %T", i, it.Widget)
		}
		n[i], _ = strconv.Atoi(l.Text)
	}
	return app.ShiftCounts{Inspections: n[0], Admitted: n[1], Refused: n[2], Referred: n[3], Overrides: n[4], SetAside: n[5], Hits: n[6]}
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, f)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, f)
		}
	}
}

// checkRecords reads the booth's store and the demo HQ: each traveller's
// crossing as scripted, the audit chain whole, HQ holding every record.
func checkRecords(t *testing.T, m *Main, queue []demo.DemoTraveller, officerID string) {
	t.Helper()
	ctx := context.Background()
	s := m.booth.Store
	for _, tr := range queue {
		doc := mrz.Parser{}.ParseMRZ(tr.Lines, time.Now())
		hist, err := s.History(ctx, app.DocumentKey{IssuingState: doc.IssuingState, Number: doc.Number}, app.TravellerKey{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) == 0 {
			t.Errorf("%s: no crossing recorded", tr.Name)
			continue
		}
		c := hist[0]
		if c.Decision != tr.Decision || c.RefusalReason != tr.Reason || c.Direction != tr.Direction || c.OfficerID != officerID {
			t.Errorf("%s: recorded %s %s %s by %s, want %s %s %s", tr.Name, c.Direction, c.Decision, c.RefusalReason, c.OfficerID, tr.Direction, tr.Decision, tr.Reason)
		}
		if tr.Resolve != "" && (len(c.Hits) == 0 || c.Hits[0].Confirmed != (tr.Resolve == "confirm")) {
			t.Errorf("%s: hit resolutions %+v", tr.Name, c.Hits)
		}
	}
	if n, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain broken at %d: %v", n, err)
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.hq.Server.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Crossings != last {
		t.Errorf("HQ holds %d crossings, the booth recorded %d", rep.Crossings, last)
	}
}
