package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/ui"
)

// shot saves the window as docs/screenshots/name.png when CHEKARA_UI_CAPTURE
// names a folder.
func shot(t *testing.T, b *booth, name string) {
	t.Helper()
	if dir := os.Getenv("CHEKARA_UI_CAPTURE"); dir != "" {
		capture(t, b.w, filepath.Join(dir, name+".png"))
	}
}

// TestAdmitAgainstStopAsksTheGround: Alt+A on a STOP verdict no longer
// admits: it asks the ground, records nothing when dismissed or left empty,
// and records an override with the ground when given.
func TestAdmitAgainstStopAsksTheGround(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, invalidLines(t))
	if got, want := b.ui.Verdict(), "STOP: INVALID DOCUMENT"; got != want {
		t.Fatalf("verdict %q, want %q", got, want)
	}
	b.key(ui.KeyAdmit)
	if got, want := b.ui.Prompt(), ui.PromptOverride; got != want {
		t.Fatalf("Alt+A on STOP: prompt %q, want %q", got, want)
	}
	if len(b.crossings(t)) != 0 {
		t.Fatal("one key admitted against STOP")
	}
	if !strings.Contains(test.RenderToMarkup(b.w.Canvas()), "Admitting is an override") {
		t.Error("the prompt does not say it is an override")
	}
	shot(t, b, "safety-override")
	b.ui.DismissPrompt()
	b.key(ui.KeyAdmit)
	b.ui.AnswerPrompt("  ")
	b.settle()
	if got := b.ui.Message(); !strings.Contains(got, "override") || len(b.crossings(t)) != 0 {
		t.Fatalf("an empty ground: message %q, %d crossings", got, len(b.crossings(t)))
	}
	b.key(ui.KeyAdmit)
	b.ui.AnswerPrompt("check digit misprinted by the issuer; confirmed with the consulate")
	b.settle()
	cs := b.crossings(t)
	if len(cs) != 1 || cs[0].Decision != app.Admit || cs[0].Override == nil || cs[0].Override.Verdict != app.VerdictInvalid ||
		cs[0].Override.Ground != "check digit misprinted by the issuer; confirmed with the consulate" {
		t.Fatalf("crossings %+v, want one admission recorded as an override", cs)
	}
	b.mrzFocused(t)
}

// TestNewReadAsksFirst: a new read while one is undecided does not replace
// it: the booth asks; set aside with a note, the old read is recorded (to go
// to HQ) and the new one comes on screen with an empty decision bar.
func TestNewReadAsksFirst(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, hitLines(t))
	first := b.ui.Inspection()
	if !b.ui.SetRefusalReason("H") {
		t.Fatal("reason H not offered")
	}
	b.ui.SetNote("listed: entry ban")
	b.read(t, cleanLines(t))
	if got, want := b.ui.Prompt(), ui.PromptSetAside; got != want {
		t.Fatalf("a new read over an undecided one: prompt %q, want %q", got, want)
	}
	if v := b.ui.Inspection(); v == nil || v.Inspection.ID != first.Inspection.ID {
		t.Fatal("the undecided read left the screen before the officer answered")
	}
	shot(t, b, "safety-set-aside")
	b.ui.AnswerPrompt("traveller went back to the queue for his visa")
	b.settle()
	v := b.ui.Inspection()
	if v == nil || v.Document.Number != "AC1234567" {
		t.Fatalf("the new read is not on screen: %+v (%s)", v, b.ui.Message())
	}
	if reason, note := b.ui.DecisionBar(); reason != "" || note != "" {
		t.Errorf("the decision bar keeps the last traveller's reason %q and note %q", reason, note)
	}
	recs, err := b.store.Outbox(context.Background(), 0, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != wire.KindSetAside {
		t.Fatalf("outbox %+v, want the set-aside read", recs)
	}
	a, err := wire.DecodeSetAside(recs[0].Payload)
	if err != nil || a.InspectionID != first.Inspection.ID || a.Verdict != app.VerdictHitOpen || len(a.OpenHits) != 1 {
		t.Errorf("set-aside record %+v, %v", a, err)
	}
}

// TestCloseShiftListsUndecidedReads: closing a shift over an undecided read
// lists it and needs a note; the read is then recorded as set aside and the
// closed shift counts it.
func TestCloseShiftListsUndecidedReads(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, hitLines(t))
	closeShift := func() {
		for _, it := range b.w.MainMenu().Items[0].Items {
			if it.Label == "Close shift" {
				it.Action()
				b.settle()
			}
		}
	}
	closeShift()
	if got, want := b.ui.Prompt(), ui.PromptCloseShift; got != want {
		t.Fatalf("prompt %q, want %q", got, want)
	}
	if m := test.RenderToMarkup(b.w.Canvas()); !strings.Contains(m, "PETROV IVAN") || !strings.Contains(m, "Reads without a decision") {
		t.Error("the summary does not list the undecided read")
	}
	shot(t, b, "safety-close-shift")
	b.ui.AnswerPrompt("")
	b.settle()
	if got, want := b.ui.Screen(), ui.ScreenInspect; got != want {
		t.Fatalf("closed over an undecided read without a note: screen %q", got)
	}
	closeShift()
	b.ui.AnswerPrompt("traveller with the supervisor at shift change")
	b.settle()
	if got, want := b.ui.Screen(), ui.ScreenShiftClosed; got != want {
		t.Fatalf("screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	recs, err := b.store.Outbox(context.Background(), 0, 10, 0)
	if err != nil || len(recs) != 1 || recs[0].Kind != wire.KindSetAside {
		t.Fatalf("outbox %+v (%v), want the set-aside read", recs, err)
	}
}

// TestNotScreenedIsNotNoHits: a read with neither a name nor a number is not
// screened, and the lists panel says so instead of "No hits" in green.
func TestNotScreenedIsNotNoHits(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	blank := strings.Repeat("<", 44)
	b.read(t, []string{blank, blank})
	v := b.ui.Inspection()
	if v == nil || v.Screened {
		t.Fatalf("not the unscreened case: %+v (%s)", v, b.ui.Message())
	}
	m := test.RenderToMarkup(b.w.Canvas())
	if strings.Contains(m, "No hits") || !strings.Contains(m, "NOT SCREENED") {
		t.Error("an unscreened read is shown as having no hits")
	}
}

// noted is lists that answer one hit with an instruction and six reasons.
type noted struct{}

func (noted) Screen(context.Context, app.ScreeningQuery) (app.Screening, error) {
	return app.Screening{ListVersion: "42", Hits: []app.Hit{{ListID: "P-9", Kind: "person", Category: "deny_entry", Score: 0.97,
		Reasons: []string{"name score 1.00", "surname matches", "given name matches", "patronymic not on the document",
			"birth date 1985-03-14 equal to the day", "nationality KGZ equal"},
		Listed: "АСАНОВ Бакыт", Note: "Entry ban until 2029"}}}, nil
}

// TestHitEvidenceShown: a hit alone shows every reason, the decisive last
// ones too, and the list entry's instruction.
func TestHitEvidenceShown(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.booth.Lists = noted{}
	b.ready(t)
	b.read(t, cleanLines(t))
	var m string
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			m += l.Text + "\n"
		}
	})
	for _, want := range []string{"Entry ban until 2029", "birth date 1985-03-14 equal to the day", "nationality KGZ equal"} {
		if !strings.Contains(m, want) {
			t.Errorf("the lists panel hides %q", want)
		}
	}
	if min := b.w.Content().MinSize(); min.Width > 1366 || min.Height > 768-30 {
		t.Errorf("the screen needs %v, more than 1366×768", min)
	}
	shot(t, b, "safety-hit-evidence")
}

// TestRelyOnEarlierResolution: the hit shows how the same entry was resolved
// for this traveller before, and Alt+E relies on it.
func TestRelyOnEarlierResolution(t *testing.T) {
	b := newBooth(t, ui.Config{})
	earlier := app.Crossing{OfficerID: "K1002", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Exit, Decision: app.Admit,
		Document: app.DocumentKey{IssuingState: "RUS", Number: "751234567"}, DocumentCode: "P",
		Traveller: app.TravellerKey{Surname: "PETROV", GivenNames: "IVAN", BirthDate: "1970-01-01", Nationality: "RUS"},
		BoothTime: today.AddDate(0, 0, -10),
		Hits:      []app.HitResolution{{ListID: "P-7", Kind: "person", Category: "deny_entry", Score: 0.94, Note: "listed one has another father's name"}}}
	if _, err := b.store.DecideMany(context.Background(), []app.Crossing{earlier}); err != nil {
		t.Fatal(err)
	}
	b.ready(t)
	b.read(t, hitLines(t))
	var labels string
	walk(b.w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			labels += l.Text + "\n"
		}
	})
	if !strings.Contains(labels, "Earlier: false match on 2026-11-15 by K1002 at DOSTUK — listed one has another father's name") {
		t.Fatalf("the earlier resolution is not shown:\n%s", labels)
	}
	shot(t, b, "safety-earlier-resolution")
	b.key(ui.KeyRelyEarlier)
	if got, want := b.ui.Verdict(), "CAUTION: Hits resolved — check"; got != want {
		t.Fatalf("verdict %q, want %q (%s)", got, want, b.ui.Message())
	}
	b.key(ui.KeyAdmit)
	cs := b.crossings(t)
	if len(cs) != 2 || cs[1].Hits[0].Confirmed || !strings.Contains(cs[1].Hits[0].Note, "K1002") {
		t.Fatalf("crossings %+v", cs)
	}
}
