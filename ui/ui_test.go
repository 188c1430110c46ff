package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/clocktest"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/ui"
	"github.com/chekara/chekara/ui/uitest"
)

// The booth under test is real down to the SQLite file and the MRZ engine; the
// lists and stay rules are small func-field fakes so each screen state is
// chosen by the traveller presented.

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

var today = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

type lists struct{}

func (lists) Screen(_ context.Context, q app.ScreeningQuery) (app.Screening, error) {
	if q.Surname == "PETROV" {
		return app.Screening{ListVersion: "42", Hits: []app.Hit{{ListID: "P-7", Kind: "person", Category: "deny_entry", Score: 0.94,
			Reasons: []string{"name ПЕТРОВ ИВАН ~ PETROV IVAN", "birth date 1970-01-01 equal"}, Listed: "ПЕТРОВ Иван Сергеевич"}}}, nil
	}
	if q.Surname == "CROWDED" { // the most a screen must hold: several hits, many reasons
		var hits []app.Hit
		for i := range 4 {
			hits = append(hits, app.Hit{ListID: fmt.Sprintf("C-%d", i), Kind: "person", Category: "watch", Score: 0.9 - float64(i)/10,
				Reasons: []string{"name score 1.00 against listed name \"КРАУДЕД Иван Петрович\"", "surname matches: ICAO 9303 spelling",
					"given name matches: variant spelling", "listed patronymic is not on the document (optional)",
					"birth date agrees to the year", "nationality is not the listed one (−0.20)"}, Listed: "КРАУДЕД Иван Петрович"})
		}
		return app.Screening{ListVersion: "42", Hits: hits}, nil
	}
	return app.Screening{ListVersion: "42"}, nil
}

type rules struct{}

func (rules) Stay(_ app.TravellerKey, cs []app.Crossing, _ app.Direction, at time.Time) (app.Stay, error) {
	return app.Stay{Rule: "KGZ-60/120", WindowDays: 120, LimitDays: 60, DaysUsed: 1 + len(cs), DaysLeft: 59 - len(cs),
		LastDay: at.AddDate(0, 0, 58-len(cs)), Basis: app.StayNamed}, nil
}

func compose(t testing.TB, f mrz.Fields) []string {
	t.Helper()
	lines, err := mrz.Compose(mrz.TD3, f)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func cleanLines(t testing.TB) []string {
	return compose(t, mrz.Fields{IssuingState: "KGZ", Surname: "ASANOV", GivenNames: "BAKYT", DocumentNumber: "AC1234567",
		Nationality: "KGZ", BirthDateISO: "1985-03-14", Sex: "M", ExpiryDateISO: "2031-01-01"})
}

func hitLines(t testing.TB) []string {
	return compose(t, mrz.Fields{IssuingState: "RUS", Surname: "PETROV", GivenNames: "IVAN", DocumentNumber: "751234567",
		Nationality: "RUS", BirthDateISO: "1970-01-01", Sex: "M", ExpiryDateISO: "2030-06-30"})
}

// invalidLines breaks the document number's check digit.
func invalidLines(t testing.TB) []string {
	l := cleanLines(t)
	b := []byte(l[1])
	b[9] = '0' + (b[9]-'0'+1)%10
	return []string{l[0], string(b)}
}

type booth struct {
	ui    *ui.UI
	w     fyne.Window
	store *store.Store
	booth *app.Booth
	queue *uitest.Queue
}

// settle runs what the booth's calls hand to the window until every result
// is on screen: no sleeping, no polling.
func (b *booth) settle() {
	for b.ui.Busy() {
		b.queue.Next()()
	}
}

func newBooth(t testing.TB, cfg ui.Config) *booth {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	clk := &clock{today}
	s, err := store.Open(filepath.Join(t.TempDir(), "booth.db"), store.Options{Clock: clk, Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, o := range []app.Officer{
		{ID: "K1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Language: "en"},
		{ID: "K1002", Name: "Gulnara Sadykova", Role: app.RoleOfficer, Language: "ru"},
	} {
		if err := s.SaveOfficer(ctx, o, "pass-"+o.ID); err != nil {
			t.Fatal(err)
		}
	}
	data, err := assets.FS.ReadFile("reasons/refusal.json")
	if err != nil {
		t.Fatal(err)
	}
	reasons, err := app.ParseRefusalReasons(data)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	b := &app.Booth{Clock: clk, Records: s, Officers: s, Shifts: s, MRZ: mrz.Parser{}, Lists: lists{}, Rules: rules{},
		Reasons: reasons, ListsVersion: app.Version{Name: "42", At: today.Add(-26 * time.Hour)},
		RulesVersion: app.Version{Name: "kgz-2026", At: today.Add(-72 * time.Hour)}}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 768))
	if cfg.Post == "" {
		cfg.Post, cfg.Booth = "DOSTUK", "DOSTUK-07"
	}
	cfg.StatusEvery = -1
	q := uitest.NewQueue()
	cfg.Do = q.Do
	bo := &booth{ui: ui.New(w, b, cat, cfg), w: w, store: s, booth: b, queue: q}
	bo.settle()
	return bo
}

// key presses a booth hotkey and waits until its result is on screen.
func (b *booth) key(s fyne.Shortcut) bool {
	ok := b.ui.Shortcut(s)
	b.settle()
	return ok
}

func (b *booth) focused(t testing.TB) fyne.Focusable {
	t.Helper()
	f := b.w.Canvas().Focused()
	if f == nil {
		t.Fatalf("nothing has focus on %s", b.ui.Screen())
	}
	return f
}

// typeLine types s into the focused widget and presses Enter, as an officer or
// a keyboard-wedge reader does.
func (b *booth) typeLine(t testing.TB, s string) {
	t.Helper()
	b.settle() // what the last action started is on screen before the next key
	f := b.focused(t)
	test.Type(f, s)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	b.settle()
}

func (b *booth) signIn(t testing.TB, id string) {
	t.Helper()
	b.typeLine(t, id)
	b.typeLine(t, "pass-"+id)
}

// ready signs K1001 in and opens the shift with the prefilled post and booth.
func (b *booth) ready(t testing.TB) {
	t.Helper()
	b.signIn(t, "K1001")
	if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
		t.Fatalf("after sign-in: screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	b.typeLine(t, "") // Enter in the booth field opens the shift
	if got, want := b.ui.Screen(), ui.ScreenInspect; got != want {
		t.Fatalf("after opening the shift: screen %q, want %q (%s)", got, want, b.ui.Message())
	}
}

func (b *booth) read(t testing.TB, lines []string) {
	t.Helper()
	for _, l := range lines {
		b.typeLine(t, l)
	}
}

func (b *booth) crossings(t testing.TB) []app.Crossing {
	t.Helper()
	cs, err := b.store.History(context.Background(), app.DocumentKey{}, app.TravellerKey{}, 0)
	if err == nil && len(cs) > 0 {
		return cs
	}
	// History needs a key; walk the outbox instead.
	recs, err := b.store.Outbox(context.Background(), 0, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []app.Crossing
	for _, r := range recs {
		c, err := wire.DecodeCrossing(r.Payload)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func (b *booth) mrzFocused(t testing.TB) {
	t.Helper()
	e, ok := b.focused(t).(*widget.Entry)
	if !ok || !strings.Contains(e.PlaceHolder, "MRZ") {
		t.Fatalf("focus is on %T, not the MRZ field", b.focused(t))
	}
}

func TestSignIn(t *testing.T) {
	b := newBooth(t, ui.Config{DemoHint: "K1001 / pass-K1001"})
	if got, want := b.ui.Screen(), ui.ScreenSignIn; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	b.typeLine(t, "K1001")
	b.typeLine(t, "wrong")
	if got, want := b.ui.Message(), "Wrong officer id or password."; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := b.ui.Screen(), ui.ScreenSignIn; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	b.ready(t)
	b.mrzFocused(t)
}

func TestReadAndAdmit(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	lines := cleanLines(t)
	b.typeLine(t, lines[0])
	if v := b.ui.Inspection(); v != nil {
		t.Fatalf("presented after one line of two")
	}
	b.typeLine(t, lines[1])
	if got, want := b.ui.Verdict(), "OK: CLEAR — no objection found"; got != want {
		t.Fatalf("verdict %q, want %q (%s)", got, want, b.ui.Message())
	}
	if got, want := b.ui.Inspection().Inspection.Source, app.FromKeyboard; got != want {
		t.Errorf("source %q, want %q", got, want)
	}
	if !b.key(ui.KeyAdmit) {
		t.Fatal("Alt+A is not bound")
	}
	cs := b.crossings(t)
	if len(cs) != 1 || cs[0].Decision != app.Admit || cs[0].Document.Number != "AC1234567" {
		t.Fatalf("crossings %+v", cs)
	}
	if b.ui.Inspection() != nil {
		t.Errorf("the document stays on screen after the decision")
	}
	b.mrzFocused(t)
}

func TestResolveHit(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, hitLines(t))
	if got, want := b.ui.Verdict(), "STOP: LIST HIT — RESOLVE BEFORE ADMITTING"; got != want {
		t.Fatalf("verdict %q, want %q", got, want)
	}
	b.key(ui.KeyAdmit)
	if got, want := b.ui.Message(), "Resolve every watchlist hit before admitting."; got != want {
		t.Errorf("admit with an open hit: message %q, want %q", got, want)
	}
	b.key(ui.KeyFalse) // no note yet
	if !strings.Contains(b.ui.Message(), "false match") {
		t.Errorf("false match without a note: message %q", b.ui.Message())
	}
	b.ui.SetNote("different person: born in Osh, other father's name")
	b.key(ui.KeyFalse)
	if got, want := b.ui.Verdict(), "CAUTION: Hits resolved — check"; got != want {
		t.Fatalf("verdict %q, want %q (%s)", got, want, b.ui.Message())
	}
	b.key(ui.KeyAdmit)
	cs := b.crossings(t)
	if len(cs) != 1 || cs[0].Decision != app.Admit || len(cs[0].Hits) != 1 || cs[0].Hits[0].Confirmed {
		t.Fatalf("crossings %+v", cs)
	}
}

func TestDecisions(t *testing.T) {
	tests := []struct {
		name    string
		lines   func(testing.TB) []string
		confirm bool
		key     fyne.Shortcut
		reason  string
		note    string
		message string // shown when the decision is refused
		want    app.Crossing
	}{
		{name: "admit", lines: cleanLines, key: ui.KeyAdmit, want: app.Crossing{Decision: app.Admit}},
		{name: "refuse without a reason", lines: invalidLines, key: ui.KeyRefuse, message: "Choose a refusal reason."},
		{name: "refuse", lines: invalidLines, key: ui.KeyRefuse, reason: "A", want: app.Crossing{Decision: app.Refuse, RefusalReason: "A"}},
		{name: "confirmed hit refused", lines: hitLines, confirm: true, key: ui.KeyRefuse, reason: "H", want: app.Crossing{Decision: app.Refuse, RefusalReason: "H"}},
		{name: "refer without a note", lines: cleanLines, key: ui.KeyRefer, message: "Write a note for secondary inspection."},
		{name: "refer", lines: cleanLines, key: ui.KeyRefer, note: "photo does not match", want: app.Crossing{Decision: app.Refer, ReferralNote: "photo does not match"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			b.ready(t)
			b.read(t, tt.lines(t))
			if tt.confirm {
				b.key(ui.KeyConfirm)
			}
			if tt.reason != "" && !b.ui.SetRefusalReason(tt.reason) {
				t.Fatalf("reason %s not offered", tt.reason)
			}
			b.ui.SetNote(tt.note)
			b.key(tt.key)
			cs := b.crossings(t)
			if tt.message != "" {
				if got := b.ui.Message(); got != tt.message {
					t.Errorf("message %q, want %q", got, tt.message)
				}
				if len(cs) != 0 {
					t.Errorf("recorded %+v", cs)
				}
				return
			}
			if len(cs) != 1 {
				t.Fatalf("crossings %d, want 1 (%s)", len(cs), b.ui.Message())
			}
			c := cs[0]
			if c.Decision != tt.want.Decision || c.RefusalReason != tt.want.RefusalReason || c.ReferralNote != tt.want.ReferralNote {
				t.Errorf("crossing %+v, want %+v", c, tt.want)
			}
			b.mrzFocused(t)
		})
	}
}

func TestLock(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.key(ui.KeyLock)
	if got, want := b.ui.Screen(), ui.ScreenLock; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	b.key(ui.KeyAdmit) // decisions are unreachable while locked
	b.typeLine(t, "wrong")
	if got, want := b.ui.Screen(), ui.ScreenLock; got != want {
		t.Fatalf("wrong password unlocked: screen %q", got)
	}
	b.typeLine(t, "pass-K1001")
	if got, want := b.ui.Screen(), ui.ScreenInspect; got != want {
		t.Fatalf("screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	b.mrzFocused(t)
}

// The core locks an idle booth on its clock; the window follows with the lock
// screen. The clock is stepped, not waited for.
func TestIdleLock(t *testing.T) {
	b := newBooth(t, ui.Config{})
	clk := clocktest.New(today)
	b.booth.Clock, b.booth.IdleLock = clk, 5*time.Minute
	b.ready(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if d, ok := clk.Next(ctx); !ok || d != 5*time.Minute {
		t.Fatalf("idle deadline in %v (%v), want 5m", d, ok)
	}
	clk.Advance(5 * time.Minute)
	// The lock screen arrives through fyne.Do from the timer's goroutine.
	for b.ui.Screen() != ui.ScreenLock {
		select {
		case <-ctx.Done():
			t.Fatalf("screen %q after 5 idle minutes, want the lock screen", b.ui.Screen())
		case <-time.After(time.Millisecond):
			b.settle() // the lock reaches the window through its queue
		}
	}
	if !b.booth.Session().Locked {
		t.Fatal("lock screen shown, booth not locked")
	}
}

func TestSwitchOfficerAndLanguage(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.key(ui.KeyLock)
	// Another officer takes the booth from the lock screen: "Switch officer".
	test.Tap(findButton(t, b.w.Content(), "Switch officer"))
	if got, want := b.ui.Screen(), ui.ScreenSignIn; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	b.signIn(t, "K1002")
	if got, want := b.ui.Language(), "ru"; got != want {
		t.Errorf("K1002's language %q, want %q", got, want)
	}
	if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	b.typeLine(t, "")
	b.read(t, cleanLines(t))
	if got, want := b.ui.Verdict(), "НОРМА: ЧИСТО — препятствий нет"; got != want {
		t.Errorf("verdict %q, want %q", got, want)
	}
	b.ui.SetLanguage("ky")
	b.settle()
	if got, want := b.ui.Verdict(), "ЖАКШЫ: ТАЗА — тоскоолдук жок"; got != want {
		t.Errorf("verdict in Kyrgyz %q, want %q", got, want)
	}
	o, err := b.store.Officer(context.Background(), "K1002")
	if err != nil || o.Language != "ky" {
		t.Errorf("language not kept with the officer: %+v %v", o, err)
	}
}

func TestCloseShift(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, cleanLines(t))
	b.key(ui.KeyAdmit)
	menu := b.w.MainMenu().Items[0]
	for _, it := range menu.Items {
		if it.Label == "Close shift" {
			it.Action()
			b.settle()
		}
	}
	// The summary comes first; the shift closes when the officer confirms.
	if got, want := b.ui.Prompt(), ui.PromptCloseShift; got != want {
		t.Fatalf("prompt %q, want %q", got, want)
	}
	summary := test.RenderToMarkup(b.w.Canvas())
	for _, want := range []string{"Opened", "Admitted against STOP", "Set aside", "Undecided now"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not show %q", want)
		}
	}
	b.ui.AnswerPrompt("")
	b.settle()
	if got, want := b.ui.Screen(), ui.ScreenShiftClosed; got != want {
		t.Fatalf("screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	if !strings.Contains(test.RenderToMarkup(b.w.Canvas()), "Documents read") {
		t.Errorf("counts not shown")
	}
}

// TestInspectionScreen holds the inspection screen's three key states to
// markup goldens, and checks each fits 1366×768 without scrolling.
func TestInspectionScreen(t *testing.T) {
	tests := []struct {
		name  string
		lines func(testing.TB) []string
	}{
		{"clean", cleanLines},
		{"hit", hitLines},
		{"invalid", invalidLines},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			b.ready(t)
			b.read(t, tt.lines(t))
			b.ui.RefreshStatus()
			b.settle()
			min := b.w.Content().MinSize()
			if min.Width > 1366 || min.Height > 768-30 { // 30: the window's menu bar
				t.Errorf("inspection screen needs %v, more than 1366×768", min)
			}
			test.AssertRendersToMarkup(t, "inspection_"+tt.name+".xml", b.w.Canvas())
			if dir := os.Getenv("CHEKARA_UI_CAPTURE"); dir != "" {
				capture(t, b.w, filepath.Join(dir, "inspection_"+tt.name+".png"))
			}
		})
	}
}

func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
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

// capture saves what the window shows as PNG (CHEKARA_UI_CAPTURE=DIR), to look
// at a layout change by eye.
func capture(t *testing.T, w fyne.Window, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestCameraReadingToCheck: a camera read valid by its check digits but with
// characters they cannot vouch for is not shown as plain "valid": the verdict
// asks for a look, the document panel names each character and highlights it
// in the MRZ, and the screen still fits.
func TestCameraReadingToCheck(t *testing.T) {
	tests := []struct {
		name      string
		uncertain [][2]int
		verdict   string
		note      bool
	}{
		{"trusted", nil, "OK: CLEAR — no objection found", false},
		{"two names uncertain", [][2]int{{0, 10}, {0, 5}}, "CAUTION: READ BY CAMERA — CHECK THE CHARACTERS SHOWN", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			b.ready(t)
			lines := cleanLines(t)
			b.ui.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Source: app.FromCamera, Uncertain: tt.uncertain, At: today})
			b.settle()
			if got := b.ui.Verdict(); got != tt.verdict {
				t.Errorf("verdict %q, want %q", got, tt.verdict)
			}
			var texts, marked []string
			walk(b.w.Content(), func(o fyne.CanvasObject) {
				switch o := o.(type) {
				case *widget.Label:
					if o.Visible() {
						texts = append(texts, o.Text)
					}
				case *widget.RichText:
					for _, s := range o.Segments {
						if ts, ok := s.(*widget.TextSegment); ok && ts.Style.TextStyle.Bold && strings.HasPrefix(ts.Text, "[") {
							marked = append(marked, ts.Text)
						}
					}
				}
			})
			all := strings.Join(texts, "\n")
			wantNote := "Read by camera: check the highlighted characters against the document: line 1 position 6 “A”, line 1 position 11 “V”"
			if got := strings.Contains(all, wantNote); got != tt.note {
				t.Errorf("note %q shown = %v, want %v; labels:\n%s", wantNote, got, tt.note, all)
			}
			if got := strings.Contains(all, "all checks pass"); got == tt.note {
				t.Errorf("\"all checks pass\" shown = %v with uncertain %v", got, tt.uncertain)
			}
			var wantMarked []string
			if tt.note {
				wantMarked = []string{"[A]", "[V]"}
			}
			if got, want := strings.Join(marked, ","), strings.Join(wantMarked, ","); got != want {
				t.Errorf("highlighted %q, want %q", got, want)
			}
			min := b.w.Content().MinSize()
			if min.Width > 1366 || min.Height > 768-30 {
				t.Errorf("screen needs %v, more than 1366×768", min)
			}
			if dir := os.Getenv("CHEKARA_UI_CAPTURE"); dir != "" {
				capture(t, b.w, filepath.Join(dir, "inspection_camera_"+strings.ReplaceAll(tt.name, " ", "_")+".png"))
			}
		})
	}
}

// faceCamera gives the same picture for every traveller.
type faceCamera struct{ img image.Image }

func (f faceCamera) Face(context.Context) ([]byte, image.Image, time.Time, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, f.img, nil); err != nil {
		return nil, nil, time.Time{}, err
	}
	return buf.Bytes(), f.img, today, nil
}

// TestTravellerPhoto: the camera's photo of the traveller shows in the photo
// panel with the document and is gone once the traveller is decided, so the
// next traveller never appears with this one's face.
func TestTravellerPhoto(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	face := image.NewRGBA(image.Rect(0, 0, 35, 45))
	shown := func() (photo bool, none bool) {
		walk(b.w.Content(), func(o fyne.CanvasObject) {
			if i, ok := o.(*canvas.Image); ok && i.Image == image.Image(face) {
				photo = true
			}
			if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text == "No picture of the traveller" {
				none = true
			}
		})
		return photo, none
	}
	b.booth.Faces = faceCamera{face}
	b.read(t, cleanLines(t))
	if photo, none := shown(); !photo || none {
		t.Errorf("with the document: photo shown %v, \"no picture\" shown %v", photo, none)
	}
	if !b.key(ui.KeyAdmit) {
		t.Fatal("Alt+A is not bound")
	}
	if photo, none := shown(); photo || !none {
		t.Errorf("after the decision: photo shown %v, \"no picture\" shown %v", photo, none)
	}
}

// TestWorstCaseFits: many hits, a long history, several failed checks — the
// inspection screen still fits 1366×768 without scrolling.
func TestWorstCaseFits(t *testing.T) {
	b := newBooth(t, ui.Config{NextTraveller: func() {}}) // the demo's decision bar has one button more
	b.ready(t)
	lines := compose(t, mrz.Fields{IssuingState: "KAZ", Surname: "CROWDED", GivenNames: "IVAN PETROVICH ALEKSANDR", DocumentNumber: "N12345678",
		Nationality: "KAZ", BirthDateISO: "1960-01-01", Sex: "M", ExpiryDateISO: "2030-01-01"})
	var cs []app.Crossing
	for i := range 12 {
		cs = append(cs, app.Crossing{OfficerID: "K1001", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: []app.Direction{app.Entry, app.Exit}[i%2],
			Decision: app.Admit, Document: app.DocumentKey{IssuingState: "KAZ", Number: "N12345678"}, DocumentCode: "P",
			Traveller: app.TravellerKey{Surname: "CROWDED", GivenNames: "IVAN PETROVICH ALEKSANDR", BirthDate: "1960-01-01", Nationality: "KAZ"},
			BoothTime: today.AddDate(0, 0, -300+20*i)})
	}
	if _, err := b.store.DecideMany(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	l := []byte(lines[1])
	l[9], l[19], l[27] = '0'+(l[9]-'0'+1)%10, '0'+(l[19]-'0'+1)%10, '0'+(l[27]-'0'+1)%10 // three check digits wrong
	b.read(t, []string{lines[0], string(l)})
	v := b.ui.Inspection()
	if v == nil || len(v.Hits) != 4 || len(v.History) != 12 || len(v.Document.Errors) < 3 {
		t.Fatalf("not the crowded case: %+v", v)
	}
	min := b.w.Content().MinSize()
	if min.Width > 1366 || min.Height > 768-30 {
		t.Errorf("the crowded inspection screen needs %v, more than 1366×768 with the menu bar", min)
	}
	if dir := os.Getenv("CHEKARA_UI_CAPTURE"); dir != "" {
		capture(t, b.w, filepath.Join(dir, "inspection_crowded.png"))
	}
}

type syncState app.SyncState

func (s syncState) SyncState() app.SyncState { return app.SyncState(s) }

// TestStatusBar: the booth says plainly what is wrong with itself — HQ away for
// days, a stale list, a wrong clock, a reader unplugged — in words.
func TestStatusBar(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.booth.Sync = syncState{Enrolled: true, Connected: false, LastSync: today.Add(-50 * time.Hour),
		Problem: app.Errork(app.EUNAVAILABLE, "sync.no_link", "No link to HQ — records are kept and will be sent when it returns."), Pending: 12,
		ClockKnown: true, ClockOffset: 5 * time.Minute,
		Lists: app.Version{Name: "v7", At: today.Add(-9 * 24 * time.Hour)}, Rules: app.Version{Name: "v2", At: today.Add(-time.Hour)}}
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderDisconnected, Message: "Reader unplugged — reconnecting"})
	b.ui.RefreshStatus()
	b.settle()
	var texts []string
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	})
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"Reader: disconnected",
		"Reader: Document reader unplugged or not found — reconnecting.",
		"HQ: unreachable, last sync",
		"Last exchange with HQ 2 days ago",
		"HQ: No link to HQ — records are kept and will be sent when it returns.",
		"To upload: 12",
		"Lists v7 were published 9 days ago",
		"Rules: v2 (1 h ago)",
		"Clock: ✗ off by 5m0s — check",
		"This booth's clock is off by 5m0s from HQ's",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("status bar lacks %q", want)
		}
	}
	min := b.w.Content().MinSize()
	if min.Width > 1366 || min.Height > 768-30 {
		t.Errorf("with the alert line the screen needs %v", min)
	}

	// In Kyrgyz the same troubles read in Kyrgyz, with no English sentence left.
	b.ui.SetLanguage("ky")
	b.ui.RefreshStatus()
	b.settle()
	texts = nil
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	})
	all = strings.Join(texts, "\n")
	for _, want := range []string{
		"Борбор менен байланыш жок — жазуулар сакталат",
		"Документ окугуч ажыратылган же табылган жок — кайра туташууда.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("Kyrgyz status bar lacks %q", want)
		}
	}
	for _, english := range []string{"No link to HQ", "unplugged"} {
		if strings.Contains(all, english) {
			t.Errorf("Kyrgyz status bar shows English %q", english)
		}
	}
}
