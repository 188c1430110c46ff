package console_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/store"
)

// overstay publishes one more open stay whose last permitted day is lastDay,
// as HQ's open-stays feed does.
func (r *rig) overstay(nat, post, lastDay string) {
	r.t.Helper()
	r.seq["stays"]++
	key := fmt.Sprintf("K%d", r.seq["stays"])
	st := store.OpenStay{Key: key, Nationality: nat, EntryPost: post, EntryAt: now.AddDate(0, -3, 0), LastDay: lastDay, Line: `{"key":"` + key + `"}`}
	_, err := r.store.PublishOpenStays(context.Background(), store.OpenStayChanges{Upserts: []store.OpenStay{st}}, func(latest int64) (store.Publication, error) {
		sum := sha256.Sum256([]byte(key))
		return store.Publication{Version: latest + 1, Delta: latest > 0, Base: latest, Content: []byte("{}"), SHA256: sum[:], CreatedAt: time.Now()}, nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

// TestOverstayersPage: the travellers in the country past their limit today
// (HQ's zone), by nationality and entry post, largest groups first, with a
// total; filtered by nationality; exported as CSV; one whose limit is today
// or later is not an overstayer.
func TestOverstayersPage(t *testing.T) {
	r := newRig(t)
	r.overstay("UZB", "DOSTUK", "2026-11-20")
	r.overstay("UZB", "DOSTUK", "2026-12-01")
	r.overstay("TJK", "TORUGART", "2026-10-02")
	r.overstay("KAZ", "DOSTUK", "2026-12-04") // leaves today: not yet over
	b := r.browser()
	b.signIn("aida", "correct horse")
	code, page := b.get("/overstayers")
	if code != 200 {
		t.Fatalf("overstayers: %d\n%s", code, page)
	}
	for _, want := range []string{"past their limit on 2026-12-04", `<td>UZB</td><td>DOSTUK</td><td class="num">2</td><td>2026-11-20</td>`,
		`<td>TJK</td><td>TORUGART</td><td class="num">1</td>`, `<td>Total</td><td></td><td class="num">3</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("overstayers page lacks %q", want)
		}
	}
	if strings.Contains(page, "KAZ") {
		t.Error("a traveller whose last day is today counts as an overstayer")
	}
	if strings.Index(page, "UZB") > strings.Index(page, "TJK") {
		t.Error("the largest group is not first")
	}
	_, page = b.get("/overstayers?nationality=TJK")
	if strings.Contains(page, "<td>UZB</td>") || !strings.Contains(page, "<td>TJK</td>") {
		t.Error("the nationality filter")
	}
	code, csv := b.get("/overstayers.csv")
	if code != 200 || csv != "nationality,entry_post,overstayers,since\nUZB,DOSTUK,2,2026-11-20\nTJK,TORUGART,1,2026-10-02\n" {
		t.Errorf("CSV: %d %q", code, csv)
	}
}
