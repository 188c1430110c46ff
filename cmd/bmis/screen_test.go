package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
)

func runScreenCommand(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"screen"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// demoListFile writes the shipped demo list to a temporary file.
func demoListFile(t *testing.T) string {
	t.Helper()
	data, err := assets.FS.ReadFile("lists/demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type screenOut struct {
	Error *string `json:"error"`
	Hits  []struct {
		ID       string   `json:"id"`
		Kind     string   `json:"kind"`
		Category string   `json:"category"`
		Score    *float64 `json:"score"`
		Reasons  []string `json:"reasons"`
	} `json:"hits"`
}

func parseScreenOutput(t *testing.T, out string) []screenOut {
	t.Helper()
	var res []screenOut
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var o screenOut
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		if o.Hits == nil {
			t.Fatalf("output line %q has no hits array", sc.Text())
		}
		res = append(res, o)
	}
	return res
}

func TestScreenCommand(t *testing.T) {
	travellers, err := assets.FS.ReadFile("lists/demo-travellers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	in := string(travellers) +
		"{not json\n" +
		`{"surname":"IVANOV","given_names":"IURII","birth_date":"14.03.1975"}` + "\n" +
		`{"surname":"IVANOV","given_names":"IURII","birth_date":"1975-03"}` + "\n"
	code, out, errs := runScreenCommand(t, in, "--lists", demoListFile(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := parseScreenOutput(t, out)
	type want struct {
		ids      string // hit ids, best first
		errorHas string
	}
	wants := []want{
		{"DEMO-P-001", ""},
		{"DEMO-P-001", ""},
		{"DEMO-P-002", ""},
		{"DEMO-P-003", ""},
		{"DEMO-D-001", ""}, // look-alike number ACI234567
		{"DEMO-D-001", ""}, // exact number
		{"", "line 7: not a traveller JSON object"},
		{"DEMO-P-001", `line 8: birth date "14.03.1975"`}, // screened on names, the date reported
		{"DEMO-P-001", ""},
	}
	if len(got) != len(wants) {
		t.Fatalf("%d output lines, want %d:\n%s", len(got), len(wants), out)
	}
	for i, w := range wants {
		var ids []string
		for _, h := range got[i].Hits {
			ids = append(ids, h.ID)
			if h.Score == nil || h.Kind == "" || h.Category == "" || len(h.Reasons) == 0 {
				t.Errorf("line %d: incomplete hit %+v", i+1, h)
			}
		}
		if g := strings.Join(ids, ","); g != w.ids {
			t.Errorf("line %d: hits %s, want %s", i+1, g, w.ids)
		}
		switch {
		case w.errorHas == "" && got[i].Error != nil:
			t.Errorf("line %d: error %q", i+1, *got[i].Error)
		case w.errorHas != "" && (got[i].Error == nil || !strings.Contains(*got[i].Error, w.errorHas)):
			t.Errorf("line %d: error %v, want %q", i+1, got[i].Error, w.errorHas)
		}
	}
	// A strict threshold drops the look-alike document.
	_, out, _ = runScreenCommand(t, string(travellers), "--lists", demoListFile(t), "--threshold", "0.9")
	if got := parseScreenOutput(t, out); len(got[4].Hits) != 0 {
		t.Errorf("--threshold 0.9: look-alike still hits: %+v", got[4].Hits)
	}
}

// The command also loads a persisted index file, as the booth does.
func TestScreenCommandIndexFile(t *testing.T) {
	f, err := assets.FS.Open("lists/demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := screening.ReadList(f)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := screening.Build(l)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := idx.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.idx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runScreenCommand(t, `{"surname":"IVANOV","given_names":"YURIY","birth_date":"1975"}`+"\n", "--lists", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := parseScreenOutput(t, out); len(got) != 1 || len(got[0].Hits) != 1 || got[0].Hits[0].ID != "DEMO-P-001" {
		t.Errorf("output %s", out)
	}
	// A damaged index file is a clear failure.
	data := buf.Bytes()
	data[len(data)/2] ^= 1
	os.WriteFile(path, data, 0o600)
	code, _, errs = runScreenCommand(t, "", "--lists", path)
	if code != 1 || !strings.Contains(errs, "checksum mismatch") {
		t.Errorf("damaged index: exit %d, stderr %q", code, errs)
	}
}

func TestScreenCommandUsage(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"chekara_list":1,"version":1,"type":"snapshot","published":"2026-11-20T06:00:00Z","entries":1}`+"\n"+`{"kind":"person"}`+"\n"), 0o600)
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
	}{
		{"no lists", nil, 2, "usage: bmis screen"},
		{"help", []string{"-h"}, 0, "-threshold"},
		{"threshold above 1", []string{"--lists", "x", "--threshold", "1.5"}, 2, "between 0 and 1"},
		{"missing file", []string{"--lists", filepath.Join(t.TempDir(), "none.jsonl")}, 1, "no such file"},
		{"bad list", []string{"--lists", bad}, 1, "line 2: id missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runScreenCommand(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderrHas) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderrHas)
			}
		})
	}
}
