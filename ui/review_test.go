package ui_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	boothpkg "github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/ui"
)

// supervisedWindow is a real booth (package booth) with the demo lists, an
// officer (K1001), an officer on secondary (K1002) and a supervisor (S3001),
// and a closed shift of K1001's: an admission after a barring hit resolved
// as a false match, a referral, a refusal, a read set aside and a plain
// admission, each read with a face photo.
func supervisedWindow(t *testing.T) (*booth, *boothpkg.Booth, app.Shift) {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	clk := &clock{today}
	bb, err := boothpkg.Open(ctx, boothpkg.Config{DataDir: t.TempDir(), Post: "DOSTUK", Booth: "DOSTUK-07", Clock: clk,
		ListsFile: filepath.Join("..", "assets", "lists", "demo.jsonl"),
		Store:     store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bb.Close() })
	for _, o := range []app.Officer{
		{ID: "K1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Language: "en"},
		{ID: "K1002", Name: "Gulnara Sadykova", Role: app.RoleOfficer, Language: "en"},
		{ID: "S3001", Name: "Cholpon Supervisor", Role: app.RoleSupervisor, Language: "en"},
	} {
		if err := bb.Store.SaveOfficer(ctx, o, "pass-"+o.ID); err != nil {
			t.Fatal(err)
		}
	}
	a := bb.App
	if _, err := a.SignIn(ctx, "K1001", "pass-K1001"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	seed := uint64(0)
	// withPage: the document was read from the desk camera's picture of
	// its page, which is recorded with the read.
	present := func(f mrz.Fields, withPage ...bool) *app.InspectionView {
		t.Helper()
		lines, err := mrz.Compose(mrz.TD3, f)
		if err != nil {
			t.Fatal(err)
		}
		seed++
		var jpg bytes.Buffer
		jpeg.Encode(&jpg, synth.Face(seed, 210, 270), &jpeg.Options{Quality: 80})
		clk.t = clk.t.Add(2 * 60e9)
		ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Photo: jpg.Bytes(), PhotoAt: clk.t}
		if len(withPage) > 0 {
			ev.Source = app.FromCamera
			ev.Image, err = synth.Render(rand.New(rand.NewPCG(seed, 1)), synth.TD3, lines, synth.Options{DPI: 200,
				Printed: &synth.Printed{Title: "KAZAKHSTAN   PASSPORT", Number: f.DocumentNumber, Surname: f.Surname,
					GivenNames: f.GivenNames, Nationality: "KAZAKHSTAN", BirthDate: "01 JAN 1980", Sex: "M", Expiry: "01 JAN 2031", Photo: seed}})
			if err != nil {
				t.Fatal(err)
			}
		}
		v, err := a.Present(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(75e9)
		return v
	}
	decide := func(r app.DecisionRequest) {
		t.Helper()
		if _, err := a.Decide(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	kaz := func(doc, surname string) mrz.Fields {
		return mrz.Fields{IssuingState: "KAZ", Surname: surname, GivenNames: "ALI", DocumentNumber: doc,
			Nationality: "KAZ", BirthDateISO: "1980-01-01", Sex: "M", ExpiryDateISO: "2031-01-01"}
	}
	present(kaz("N10000001", "BEKOV"))
	decide(app.DecisionRequest{Decision: app.Admit})
	v := present(mrz.Fields{IssuingState: "RUS", Surname: "IVANOV", GivenNames: "IURII", DocumentNumber: "754000111",
		Nationality: "RUS", BirthDateISO: "1975-03-14", Sex: "M", ExpiryDateISO: "2030-01-01"})
	for _, h := range v.Hits {
		if _, err := a.Resolve(ctx, h.ListID, false, "different birthplace and father's name"); err != nil {
			t.Fatal(err)
		}
	}
	decide(app.DecisionRequest{Decision: app.Admit})
	present(kaz("N10000002", "SULTANOV"))
	decide(app.DecisionRequest{Decision: app.Refer, Note: "purpose of journey unclear"})
	present(kaz("N10000003", "ORAZOV"), true)
	decide(app.DecisionRequest{Decision: app.Refuse, Reason: "C"})
	present(kaz("N10000004", "TOKTOMUSHEV"))
	if _, err := a.SetAside(ctx, "traveller walked back to the queue"); err != nil {
		t.Fatal(err)
	}
	shift := a.Session().Shift
	if _, err := a.CloseShift(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if err := a.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	return windowFor(t, bb), bb, shift
}

func screenText(b *booth) string { return test.RenderToMarkup(b.w.Canvas()) }

// TestSupervisorWalksReviewSecondaryAndSignOff is issue 17 at the window: an
// officer cannot open the review; the officer on secondary records the
// referral's outcome from the queue (Alt+Q); the supervisor opens the review
// (Alt+O) — what needs attention first, the photo, the outcome — and signs
// the shift off with a comment; each screen fits 1366×768.
func TestSupervisorWalksReviewSecondaryAndSignOff(t *testing.T) {
	b, bb, shift := supervisedWindow(t)
	ctx := context.Background()

	b.signIn(t, "K1002")
	b.key(ui.KeyReview)
	if got := b.ui.Screen(); got == ui.ScreenReview {
		t.Fatal("an officer opened the shift review")
	}
	b.key(ui.KeySecondary)
	if got, want := b.ui.Screen(), ui.ScreenSecondary; got != want {
		t.Fatalf("Alt+Q: screen %q, want %q", got, want)
	}
	if s := screenText(b); !strings.Contains(s, "SULTANOV") || !strings.Contains(s, "purpose of journey unclear") {
		t.Fatalf("the queue does not show the referral:\n%s", s)
	}
	fits(t, b)
	shot(t, b, "supervision-secondary")
	b.tap(t, "Record the outcome") // nothing chosen: refused, nothing recorded
	if s := screenText(b); !strings.Contains(s, "An outcome is admitted or refused") {
		t.Errorf("an empty outcome was not refused:\n%s", s)
	}
	radio := findRadio(t, b)
	radio.SetSelected("refused")
	sel := findSelect(t, b)
	sel.SetSelectedIndex(4) // E
	note := b.focused(t).(*widget.Entry)
	test.Type(note, "no hotel booking, no money for the stay")
	b.tap(t, "Record the outcome")
	if s := screenText(b); !strings.Contains(s, "Outcome recorded: refused") || !strings.Contains(s, "Nobody is waiting") {
		t.Errorf("after recording:\n%s", s)
	}
	q, _ := bb.App.SecondaryQueue(ctx)
	if len(q) != 0 {
		t.Errorf("queue %+v after the outcome", q)
	}
	b.key(ui.KeySecondary) // back to the shift form
	if got := b.ui.Screen(); got == ui.ScreenSecondary {
		t.Errorf("Alt+Q did not close the queue")
	}

	menu(t, b, "Switch officer")
	b.signIn(t, "S3001")
	b.key(ui.KeyReview)
	if got, want := b.ui.Screen(), ui.ScreenReview; got != want {
		t.Fatalf("Alt+O: screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	s := screenText(b)
	for _, want := range []string{"Needs attention (3)", "barring hit resolved as a false match", "different birthplace",
		"refusal", "read set aside", "traveller walked back", "The rest, in order", "Secondary inspection: refused · E — ",
		"1m15s at the booth", "Aibek Asanov (K1001)"} {
		if !strings.Contains(s, want) {
			t.Errorf("the review lacks %q", want)
		}
	}
	if strings.Index(s, "IVANOV") > strings.Index(s, "BEKOV") {
		t.Error("the false match is not before the plain admission")
	}
	if n := strings.Count(s, "<image"); n < 5 {
		t.Errorf("%d images on the review, want the 5 photos", n)
	}
	fits(t, b)
	shot(t, b, "supervision-review")
	// The refused traveller was read from the camera: the page as recorded
	// opens on demand, and closes again.
	images := strings.Count(s, "<image")
	b.tap(t, "Document page")
	if s := screenText(b); strings.Count(s, "<image") != images+1 || !strings.Contains(s, "Hide page") {
		t.Errorf("the recorded page did not open (%d images, want %d)", strings.Count(s, "<image"), images+1)
	}
	shot(t, b, "supervision-page")
	b.tap(t, "Hide page")
	if s := screenText(b); strings.Count(s, "<image") != images {
		t.Errorf("the page did not close")
	}
	b.tap(t, "Sign off the shift") // no comment: refused
	if s := screenText(b); !strings.Contains(s, "Write a comment for the sign-off.") {
		t.Errorf("a sign-off without a comment was not refused")
	}
	test.Type(b.focused(t), "false match on IVANOV checked against the list entry")
	b.tap(t, "Sign off the shift")
	s = screenText(b)
	if !strings.Contains(s, "The shift is signed off") || !strings.Contains(s, "Signed off by S3001") {
		t.Errorf("after the sign-off:\n%s", s)
	}
	shot(t, b, "supervision-signed-off")
	r, err := bb.App.ReviewShift(ctx, shift.ID)
	if err != nil || r.SignOff == nil || r.SignOff.Comment != "false match on IVANOV checked against the list entry" {
		t.Errorf("sign-off on record %+v %v", r.SignOff, err)
	}
	b.key(ui.KeyReview)
	if got := b.ui.Screen(); got == ui.ScreenReview {
		t.Errorf("Alt+O did not close the review")
	}
}

// TestReviewFitsInEveryLanguage: the review is drawn in ru and ky too and
// still fits the booth's screen.
func TestReviewFitsInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"ru", "ky"} {
		t.Run(lang, func(t *testing.T) {
			b, _, _ := supervisedWindow(t)
			b.signIn(t, "S3001")
			b.key(ui.KeyReview)
			b.ui.SetLanguage(lang)
			b.settle()
			if got, want := b.ui.Screen(), ui.ScreenReview; got != want {
				t.Fatalf("screen %q, want %q", got, want)
			}
			fits(t, b)
			if lang == "ru" {
				shot(t, b, "supervision-review-ru")
			}
		})
	}
}

func fits(t *testing.T, b *booth) {
	t.Helper()
	if min := b.w.Content().MinSize(); min.Height > 768 || min.Width > 1366 {
		t.Errorf("%s needs %v, more than 1366×768", b.ui.Screen(), min)
	}
}

func findRadio(t *testing.T, b *booth) *widget.RadioGroup {
	t.Helper()
	var found *widget.RadioGroup
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok && found == nil {
			found = r
		}
	})
	if found == nil {
		t.Fatal("no radio group")
	}
	return found
}

func findSelect(t *testing.T, b *booth) *widget.Select {
	t.Helper()
	var found *widget.Select
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && found == nil {
			found = s
		}
	})
	if found == nil {
		t.Fatal("no select")
	}
	return found
}

// menu runs the main menu's item labelled label, as a click on it does.
func menu(t *testing.T, b *booth, label string) {
	t.Helper()
	for _, m := range b.w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label && it.Action != nil {
				it.Action()
				b.settle()
				return
			}
		}
	}
	t.Fatalf("no menu item %q", label)
}

// TestReviewConfirmsRefusals: at a post whose refusals need a supervisor's
// confirmation, the review offers to confirm each, and the shift is signed
// off only once they are.
func TestReviewConfirmsRefusals(t *testing.T) {
	b, bb, _ := supervisedWindow(t)
	ctx := context.Background()
	b.signIn(t, "S3001")
	if err := bb.App.SetPostSettings(ctx, app.PostSettings{ConfirmRefusals: true}); err != nil {
		t.Fatal(err)
	}
	b.key(ui.KeyReview)
	s := screenText(b)
	for _, want := range []string{"refusal not yet confirmed", "Refusals of this shift waiting for a supervisor's confirmation: 1."} {
		if !strings.Contains(s, want) {
			t.Errorf("the review lacks %q", want)
		}
	}
	b.tap(t, "Do not confirm") // without a note: refused
	if !strings.Contains(screenText(b), "Write why the refusal is not confirmed.") {
		t.Error("not confirming without a note was not refused")
	}
	b.tap(t, "Confirm refusal")
	s = screenText(b)
	if !strings.Contains(s, "Refusal confirmed by S3001.") || !strings.Contains(s, "Sign off the shift") {
		t.Errorf("after the confirmation:\n%s", s)
	}
	shot(t, b, "supervision-refusal-confirmed")
}
