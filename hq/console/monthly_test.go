package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os/exec"
	"strings"
	"testing"

	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/internal/testenv"
)

// TestMonthlyReport: the monthly report counts December's real crossings by
// post, nationality and direction, refusals by ground and nationality, and
// detections (confirmed hits, stolen documents); November's crossings and
// training ones are left out; overstays print as not available. The CSV and
// the PDF (read back with pdftotext) carry the same figures, and the console
// serves both.
func TestMonthlyReport(t *testing.T) {
	r := newRig(t)
	r.seed()
	ctx := context.Background()
	r.overstay("UZB", "DOSTUK", "2026-11-20")
	rep, err := console.MakeMonthly(ctx, r.store, "2026-12", "2026-12-04")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != 4 {
		t.Errorf("December's real crossings: %d, want 4", rep.Total)
	}
	var buf bytes.Buffer
	if err := console.WriteMonthlyCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, l := range lines {
		got[strings.Join(l, ",")] = true
	}
	for _, want := range []string{
		"2026-12,crossings_by_post,DOSTUK,entry,,2,1,1,0",
		"2026-12,crossings_by_post,DOSTUK,exit,,1,1,0,0",
		"2026-12,crossings_by_post,TORUGART,entry,,1,1,0,0",
		"2026-12,crossings_by_nationality,UZB,entry,,1,0,1,0",
		"2026-12,refusals_by_ground,C,,,1,,,",
		"2026-12,refusals_by_nationality,UZB,C,,1,,,",
		"2026-12,overstays,UZB,DOSTUK,,1,,,",
		"2026-12,detections_summary,Hits confirmed,,,1,,,",
		"2026-12,detections_summary,Stolen or lost documents detected (confirmed),,,1,,,",
		"2026-12,detections,deny_entry,false_match,DOSTUK,1,,,",
	} {
		if !got[want] {
			t.Errorf("CSV lacks %s:\n%s", want, buf.String())
		}
	}
	if _, err := console.MakeMonthly(ctx, r.store, "2026-13", "2026-12-04"); err == nil {
		t.Error("month 13 accepted")
	}

	b := r.browser()
	b.signIn("aida", "correct horse")
	if code, page := b.get("/reports?month=2026-12"); code != 200 || !strings.Contains(page, "4 real crossings in 2026-12") {
		t.Errorf("reports page: %d", code)
	}
	code, body := b.get("/reports/monthly.csv?month=2026-12")
	if code != 200 || body != buf.String() {
		t.Errorf("the console's CSV differs from the report's: %d", code)
	}
	code, pdf := b.get("/reports/monthly.pdf?month=2026-12")
	if code != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("PDF: %d", code)
	}
	tool, err := exec.LookPath("pdftotext")
	testenv.Require(t, "pdftotext (Debian poppler-utils)", err)
	cmd := exec.Command(tool, "-layout", "-", "-")
	cmd.Stdin = strings.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"monthly border statistics 2026-12", "Real crossings 4", "DOSTUK entry 2 1 1 0", "TORUGART entry 1 1 0 0",
		"Refusals of entry and exit by ground", "UZB C 1", "Overstays by nationality and entry post", "past their limit on 2026-12-04", "UZB DOSTUK 1", "Hits confirmed 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}
