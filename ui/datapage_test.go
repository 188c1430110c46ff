package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/ui"
)

// outboxOf returns the records of kind waiting for HQ, decoded as crossings
// (kind wire.KindCrossing) or counted (any other kind).
func outboxOf(t *testing.T, b *booth) (crossings []app.Crossing, setAside int) {
	t.Helper()
	recs, err := b.store.Outbox(context.Background(), 0, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		switch r.Kind {
		case wire.KindCrossing:
			c, err := wire.DecodeCrossing(r.Payload)
			if err != nil {
				t.Fatal(err)
			}
			crossings = append(crossings, c)
		case wire.KindSetAside:
			setAside++
		}
	}
	return crossings, setAside
}

// TestDataPageTyped: Alt+T opens the data page form with the cursor in its
// first field; Tab goes through the fields in the page's order; Enter
// presents; a mistake is said under its field and keeps the form open. The
// typed document is screened (the listed PETROV is a hit), decided and
// recorded as typed from the data page.
func TestDataPageTyped(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.key(ui.KeyDataPage)
	if got, want := b.ui.Prompt(), ui.PromptDataPage; got != want {
		t.Fatalf("Alt+T: prompt %q, want %q", got, want)
	}
	// The officer types each field and presses Tab, as on the page.
	for i, v := range []string{"P", "RUS", "751234567", "Petrov", "Ivan", "31.02.1970", "RUS", "M", "30.06.2030"} {
		e, ok := b.focused(t).(*widget.Entry)
		if !ok {
			t.Fatalf("field %d: focus on %T, not an entry", i, b.focused(t))
		}
		test.Type(e, v)
		if i < 8 {
			b.w.Canvas().FocusNext()
		} else {
			e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}
	}
	b.settle()
	if got, want := b.ui.Prompt(), ui.PromptDataPage; got != want {
		t.Fatalf("a page with 31 February was presented: prompt %q", got)
	}
	probs := b.ui.DataPageProblems()
	if len(probs) != 1 || !strings.Contains(probs[app.FieldBirthDate], "DD.MM.YYYY") {
		t.Fatalf("problems %v, want the birth date's", probs)
	}
	if e, ok := b.focused(t).(*widget.Entry); !ok || e.Text != "31.02.1970" {
		t.Errorf("the cursor is not in the birth date field: %T", b.focused(t))
	}
	shot(t, b, "safety-data-page")
	if len(b.crossings(t)) != 0 || b.ui.Inspection() != nil {
		t.Fatal("a page with a mistake reached the screen")
	}
	b.ui.TypeDataPage(app.DataPage{DocumentCode: "P", IssuingState: "RUS", Number: "751234567", Surname: "Petrov", GivenNames: "Ivan",
		BirthDate: "01.01.1970", Nationality: "RUS", Sex: "M", Expiry: "30.06.2030"})
	b.settle()
	v := b.ui.Inspection()
	if v == nil || v.Inspection.Source != app.FromDataPage || v.Document.Surname != "PETROV" {
		t.Fatalf("typed page on screen: %+v (%s)", v, b.ui.Message())
	}
	if got, want := b.ui.Verdict(), "STOP: LIST HIT — RESOLVE BEFORE ADMITTING"; got != want {
		t.Errorf("verdict %q, want %q: the typed page is screened", got, want)
	}
	if m := test.RenderToMarkup(b.w.Canvas()); !strings.Contains(m, "typed from the data page") || !strings.Contains(m, "compare every field with the page") {
		t.Error("the screen does not say the document was typed from its data page")
	}
	shot(t, b, "safety-data-page-screened")
	b.mrzFocused(t)
	b.key(ui.KeyConfirm)
	b.ui.SetRefusalReason("H")
	b.ui.SetNote("listed: entry ban")
	b.key(ui.KeyRefuse)
	cs, _ := outboxOf(t, b)
	if len(cs) != 1 || cs[0].Decision != app.Refuse || cs[0].Source != app.FromDataPage || cs[0].Document.Number != "751234567" {
		t.Fatalf("crossings %+v, want the refusal typed from the data page", cs)
	}
}

// TestReadsDuringTheSetAsideQuestionWait: reads that come while the booth
// asks whether to set a read aside wait in line — none replaces another —
// and each comes on screen in turn.
func TestReadsDuringTheSetAsideQuestionWait(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	b.read(t, hitLines(t))
	b.read(t, cleanLines(t))
	if got, want := b.ui.Prompt(), ui.PromptSetAside; got != want {
		t.Fatalf("prompt %q, want %q", got, want)
	}
	third := compose(t, mrz.Fields{IssuingState: "KGZ", Surname: "SADYKOV", GivenNames: "NURLAN", DocumentNumber: "AC7000001",
		Nationality: "KGZ", BirthDateISO: "1984-06-01", Sex: "M", ExpiryDateISO: "2031-06-01"})
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: third, Source: app.FromReader})
	b.settle()
	if got, want := b.ui.Prompt(), ui.PromptSetAside; got != want {
		t.Fatalf("a third read during the question: prompt %q", got)
	}
	if got, want := b.ui.Waiting(), 2; got != want {
		t.Fatalf("%d reads waiting, want %d", got, want)
	}
	if m := test.RenderToMarkup(b.w.Canvas()); !strings.Contains(m, "reads wait their turn") {
		t.Errorf("the question does not say two reads wait:\n%s", m)
	}
	b.ui.AnswerPrompt("traveller sent back for his visa")
	b.settle()
	if v := b.ui.Inspection(); v == nil || v.Document.Number != "AC1234567" || b.ui.Waiting() != 1 {
		t.Fatalf("after setting aside: %+v on screen, %d waiting", v, b.ui.Waiting())
	}
	b.key(ui.KeyAdmit)
	b.settle()
	if v := b.ui.Inspection(); v == nil || v.Document.Number != "AC7000001" || b.ui.Waiting() != 0 {
		t.Fatalf("after the decision the waiting read is not on screen: %+v, %d waiting", v, b.ui.Waiting())
	}
	b.key(ui.KeyAdmit)
	cs, setAside := outboxOf(t, b)
	if len(cs) != 2 || setAside != 1 {
		t.Fatalf("%d crossings and %d set-aside reads, want 2 and 1: a read was dropped", len(cs), setAside)
	}

	// Back keeps the read on screen and the new one waiting: it comes
	// after this one is decided.
	b.read(t, hitLines(t))
	b.read(t, cleanLines(t))
	b.ui.DismissPrompt()
	if b.ui.Waiting() != 1 {
		t.Fatalf("Back dropped the waiting read")
	}
	b.key(ui.KeyConfirm)
	b.ui.SetRefusalReason("H")
	b.key(ui.KeyRefuse)
	if v := b.ui.Inspection(); v == nil || v.Document.Number != "AC1234567" {
		t.Fatalf("the read kept waiting by Back did not come: %+v (%s)", v, b.ui.Message())
	}
}

// TestDataPageFormFits: the form with a mistake under every field still fits
// 1366×768 in every language.
func TestDataPageFormFits(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	for _, lang := range []string{"en", "ru", "ky"} {
		b.ui.SetLanguage(lang)
		b.settle()
		b.key(ui.KeyDataPage)
		b.ui.TypeDataPage(app.DataPage{Sex: "Q"})
		b.settle()
		if got := len(b.ui.DataPageProblems()); got != 8 { // given names may be empty
			t.Fatalf("%s: %d problems shown, want 8", lang, got)
		}
		over := b.w.Canvas().Overlays().Top()
		if over == nil {
			t.Fatalf("%s: the form is not open", lang)
		}
		// Its last field and its buttons are inside the window.
		var bottom float32
		walk(over, func(o fyne.CanvasObject) {
			if _, ok := o.(*widget.Button); ok && o.Visible() {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				bottom = max(bottom, pos.Y+o.Size().Height)
			}
		})
		if bottom == 0 || bottom > 768 {
			t.Errorf("%s: the form's buttons end at %.0f px, outside 768", lang, bottom)
		}
		if min := over.MinSize(); min.Height > 768 || min.Width > 1366 {
			t.Errorf("%s: the form with every mistake needs %v, more than 1366×768", lang, min)
		}
		if lang == "ky" {
			shot(t, b, "safety-data-page-ky")
		}
		b.ui.DismissPrompt()
	}
}
