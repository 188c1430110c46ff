package booth_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/app"
)

// TestDataPageRecorded: a passport whose MRZ cannot be read, typed from its
// data page, is screened against the shipped lists, recorded in the real
// store and comes back in the traveller's history marked as typed from the
// data page (crossing format 4, through the store's own encoding).
func TestDataPageRecorded(t *testing.T) {
	b, clk := openDemo(t)
	ctx := context.Background()
	page := app.DataPage{DocumentCode: "P", IssuingState: "RUS", Number: "754000111", Surname: "Ivanov", GivenNames: "Iurii",
		BirthDate: "14.03.1975", Nationality: "RUS", Sex: "M", Expiry: "01.01.2030"}
	v, err := b.App.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Page: &page})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Hits) == 0 || v.Hits[0].Category != "deny_entry" {
		t.Fatalf("typed IVANOV IURII: hits %+v, want the listed deny_entry", v.Hits)
	}
	for _, h := range v.Hits {
		if _, err := b.App.Resolve(ctx, h.ListID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "I", Note: "listed"})
	if err != nil {
		t.Fatal(err)
	}
	// The refusal form is printed to the booth's forms folder, private.
	path, err := b.PrintRefusal(c, b.App.Session().Officer, "ru")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("refusal form %s: %v %.8q", path, err, pdf)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || filepath.Dir(path) != b.FormsDir {
		t.Errorf("refusal form %s: %v %v", path, fi.Mode(), err)
	}
	if again, err := b.PrintRefusal(c, b.App.Session().Officer, "ru"); err != nil || again != path {
		t.Errorf("printed again: %s %v", again, err)
	}
	clk.add(3600e9)
	hist, err := b.Store.History(ctx, c.Document, app.TravellerKey{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].ID != c.ID || hist[0].Source != app.FromDataPage {
		t.Fatalf("history %+v, want the refusal typed from the data page", hist)
	}
	undecided, err := b.Store.Undecided(ctx, c.ShiftID)
	if err != nil || len(undecided) != 0 {
		t.Errorf("undecided %+v, %v: the typed read is decided", undecided, err)
	}
}
