package console_test

import (
	"context"
	"crypto/sha256"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestBoothHealth: the booths page shows what each booth reported with its
// last batch — backlog, the oldest pending record's age, versions held
// against the published ones, the clock offset (flagged beyond two minutes)
// — and the clock jump HQ raised; a booth that reported nothing shows "?".
func TestBoothHealth(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	send := func(seq int64, boothClock time.Time, backlog int64) {
		t.Helper()
		p := []byte(`{"format":2}`)
		sum := sha256.Sum256(p)
		b := store.Batch{Booth: "DOSTUK-01", From: seq, To: seq, Source: "link",
			Records: []store.Record{{Booth: "DOSTUK-01", Seq: seq, ID: "rec-" + strconv.FormatInt(seq, 10), Kind: wire.KindSetAside, Payload: p, SHA256: sum[:]}},
			State:   &store.BoothState{BoothClock: boothClock, Backlog: backlog, OldestPending: boothClock.Add(-90 * time.Minute), Lists: 3, Rules: 1, Directory: 0}}
		if _, err := r.store.Apply(ctx, b, r.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	send(1, r.clock.Now().Add(5*time.Second), 40)
	r.clock.Add(time.Minute)
	send(2, r.clock.Now().Add(-7*time.Minute), 12) // the booth's clock jumped 7 min back
	b := r.browser()
	b.signIn("aida", "correct horse")
	code, page := b.get("/booths")
	if code != 200 {
		t.Fatalf("booths page: %d", code)
	}
	row := rowOf(t, page, "DOSTUK-01")
	for _, want := range []string{">linked<", ">12<", ">1 h<", ">3<", ">1<", "−7 min ⚠"} {
		if !strings.Contains(row, want) {
			t.Errorf("DOSTUK-01's row lacks %q:\n%s", want, row)
		}
	}
	if row := rowOf(t, page, "TORUGART-01"); strings.Count(row, ">?<") != 5 {
		t.Errorf("a booth that reported nothing shows ? five times:\n%s", row)
	}
	if !strings.Contains(page, "clock jump") {
		t.Error("the clock jump alert is not on the page")
	}
}

// rowOf returns the table row of the page that starts with cell.
func rowOf(t *testing.T, page, cell string) string {
	t.Helper()
	i := strings.Index(page, "<td>"+cell+"</td>")
	if i < 0 {
		t.Fatalf("no row for %s", cell)
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}
