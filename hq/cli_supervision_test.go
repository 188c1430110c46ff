package hq_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/sync/wire"
)

// TestSupervisionCommand: `hq supervision` lists a booth's sign-off, and with
// --referrals counts the post's referral and its outcome, whether the
// outcome came in the same batch or not.
func TestSupervisionCommand(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(t.TempDir(), "booth.json")
	if err := hq.SaveSettings(dir, hq.Settings{Address: "https://hq.example:8443"}); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "booth", "enrol", "--data", dir, "--booth", "DOSTUK-07", "--post", "DOSTUK", "--out", bundle); code != 0 {
		t.Fatal(errs)
	}
	// HQ checks a sign-off's supervisor against its own accounts.
	for _, a := range [][]string{{"--id", "S3", "--name", "Cholpon S", "--role", "supervisor", "--posts", "DOSTUK"},
		{"--id", "K9", "--name", "Kubat K", "--role", "officer", "--posts", "DOSTUK"}} {
		if code, _, errs := runIn(t, "Zhibek-zholu-2026\n", append([]string{"officer", "add", "--data", dir, "--password-stdin"}, a...)...); code != 0 {
			t.Fatal(errs)
		}
	}
	data, _ := os.ReadFile(bundle)
	b, err := wire.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	ref := app.Crossing{ID: "01a2407f-1500-773f-878d-0d2c06f6d001", ShiftID: "shift-1", OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Refer, ReferralNote: "purpose unclear",
		Document: app.DocumentKey{IssuingState: "UZB", Number: "FA1"}, BoothTime: at}
	out := app.Outcome{ID: "01a2407f-1500-773f-878d-0d2c06f6d002", CrossingID: ref.ID, ShiftID: "shift-1", Post: "DOSTUK", Booth: "DOSTUK-07",
		OfficerID: "K2", Direction: app.Entry, Outcome: app.ReferralAdmitted, At: at.Add(20 * time.Minute)}
	so := app.SignOff{ID: "01a2407f-1500-773f-878d-0d2c06f6d003", ShiftID: "shift-1", Post: "DOSTUK", Booth: "DOSTUK-07", ShiftBooth: "DOSTUK-07",
		ShiftOfficer: "K1", SupervisorID: "S3", Direction: app.Entry, Comment: "in order", Counts: app.ShiftCounts{Inspections: 1, Referred: 1}, At: at.Add(time.Hour)}
	// An officer's "sign-off", a supervisor signing for another post, and
	// someone HQ does not know at a post whose officers it administers: HQ
	// refuses each as an alert.
	forged, other, unknown := so, so, so
	unknown.ID, unknown.ShiftID, unknown.SupervisorID = "01a2407f-1500-773f-878d-0d2c06f6d006", "shift-4", "S77"
	forged.ID, forged.ShiftID, forged.SupervisorID = "01a2407f-1500-773f-878d-0d2c06f6d004", "shift-2", "K9"
	other.ID, other.ShiftID, other.Post = "01a2407f-1500-773f-878d-0d2c06f6d005", "shift-3", "OSH"
	recs := []wire.Record{
		{Seq: 1, ID: ref.ID, Kind: wire.KindCrossing, Payload: wire.EncodeCrossing(ref)},
		{Seq: 2, ID: out.ID, Kind: wire.KindReferralOutcome, Payload: wire.EncodeOutcome(out)},
		{Seq: 3, ID: so.ID, Kind: wire.KindSignOff, Payload: wire.EncodeSignOff(so)},
		{Seq: 4, ID: forged.ID, Kind: wire.KindSignOff, Payload: wire.EncodeSignOff(forged)},
		{Seq: 5, ID: other.ID, Kind: wire.KindSignOff, Payload: wire.EncodeSignOff(other)},
		{Seq: 6, ID: unknown.ID, Kind: wire.KindSignOff, Payload: wire.EncodeSignOff(unknown)},
	}
	media := t.TempDir()
	writeExport(t, media, b, mustBatch(t, "DOSTUK-07", 1, recs))
	if code, out, errs := run(t, "import", "--data", dir, media); code != 0 || !strings.Contains(out, `"high_water":6`) || !strings.Contains(out, `"alerts":3`) {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, stdout, errs := run(t, "supervision", "--data", dir)
	if code != 0 || strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, `"supervisor":"S3"`) || !strings.Contains(stdout, `"comment":"in order"`) {
		t.Errorf("supervision: %d %s %s", code, stdout, errs)
	}
	code, stdout, errs = run(t, "supervision", "--data", dir, "--referrals")
	if want := `{"admitted":1,"outcomes":1,"pending":0,"post":"DOSTUK","referrals":1,"refused":0}`; code != 0 || strings.TrimSpace(stdout) != want {
		t.Errorf("supervision --referrals: %d %q %s, want %s", code, stdout, errs, want)
	}
	if code, _, _ := run(t, "supervision", "--data", dir, "--referrals", "--lookups"); code != 2 {
		t.Errorf("two reports at once: exit %d, want 2", code)
	}
}
