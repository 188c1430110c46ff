package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/training"
)

func bmisTraining(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"training"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestTrainingPlay: the headless player scores perfect play 100 %, and
// admitting everyone misses every finding, through the real booth.
func TestTrainingPlay(t *testing.T) {
	dir := t.TempDir()
	for _, pack := range []string{"basics", "fraud"} {
		file := filepath.Join("..", "..", "assets", "training", pack+".json")
		for _, mode := range []string{"--perfect", "--admit-all"} {
			t.Run(pack+mode, func(t *testing.T) {
				code, dec, errs := bmisTraining(t, "decisions", "--pack", file, mode)
				if code != 0 {
					t.Fatalf("decisions: %d %s", code, errs)
				}
				decFile := filepath.Join(dir, pack+mode+".json")
				if err := os.WriteFile(decFile, []byte(dec), 0o600); err != nil {
					t.Fatal(err)
				}
				code, out, errs := bmisTraining(t, "play", "--pack", file, "--decisions", decFile)
				if code != 0 {
					t.Fatalf("play: %d %s", code, errs)
				}
				var s training.SessionScore
				if err := json.Unmarshal([]byte(out), &s); err != nil {
					t.Fatalf("%v: %s", err, out)
				}
				switch mode {
				case "--perfect":
					if s.Percent != 100 || s.Missed != 0 || s.Correct != len(s.Travellers) {
						t.Errorf("perfect play: %s", out)
					}
				case "--admit-all":
					if s.Findings == 0 || s.Missed != s.Findings || s.Percent >= 60 {
						t.Errorf("admit all: missed %d of %d, %v %%", s.Missed, s.Findings, s.Percent)
					}
				}
			})
		}
	}
}

func TestTrainingCheckAndErrors(t *testing.T) {
	code, out, _ := bmisTraining(t, "check", filepath.Join("..", "..", "assets", "training", "stays.json"))
	if code != 0 || !strings.Contains(out, "pack stays, 11 travellers: ok") {
		t.Errorf("check: %d %q", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"chekara_training":1,"id":"x"}`), 0o600)
	code, _, errs := bmisTraining(t, "check", bad)
	if code != 1 || !strings.Contains(errs, "the queue is empty") {
		t.Errorf("check bad: %d %q", code, errs)
	}
	dec := filepath.Join(t.TempDir(), "dec.json")
	os.WriteFile(dec, []byte(`{"chekara_decisions":1,"pack":"basics","decisions":[{"traveller":"nobody","decision":"admit"}]}`), 0o600)
	code, _, errs = bmisTraining(t, "play", "--pack", filepath.Join("..", "..", "assets", "training", "basics.json"), "--decisions", dec)
	if code != 1 || !strings.Contains(errs, "decision 1 (nobody): the pack has no such traveller") {
		t.Errorf("play bad decisions: %d %q", code, errs)
	}
	if code, _, _ := bmisTraining(t, "play", "--pack", "x"); code != 2 {
		t.Errorf("usage: %d", code)
	}
}

// TestTrainingCentreCommands: accounts, packs, an assignment, a played
// session and its results, all in one centre's folder.
func TestTrainingCentreCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BMIS_PASSWORD", "pw-T7")
	pack := filepath.Join("..", "..", "assets", "training", "stays.json")
	steps := [][]string{
		{"account", "--data", dir, "--id", "T7", "--name", "Aigerim Trainee"},
		{"import", "--data", dir, pack},
		{"assign", "--data", dir, "--trainee", "T7", "--pack", "stays", "--debrief", "each"},
	}
	for _, s := range steps {
		if code, _, errs := bmisTraining(t, s...); code != 0 {
			t.Fatalf("%v: %d %s", s, code, errs)
		}
	}
	if code, _, errs := bmisTraining(t, "assign", "--data", dir, "--trainee", "T8", "--pack", "stays"); code != 1 || !strings.Contains(errs, "T8 is not a trainee") {
		t.Errorf("assign to nobody: %d %s", code, errs)
	}
	_, dec, _ := bmisTraining(t, "decisions", "--pack", pack, "--perfect")
	decFile := filepath.Join(dir, "dec.json")
	os.WriteFile(decFile, []byte(dec), 0o600)
	if code, _, errs := bmisTraining(t, "play", "--pack", pack, "--decisions", decFile, "--data", dir, "--officer", "T7"); code != 0 {
		t.Fatalf("play: %d %s", code, errs)
	}
	code, out, errs := bmisTraining(t, "results", "--data", dir)
	if code != 0 || !strings.Contains(out, "T7,stays,") || strings.Count(out, "\n") != 12 {
		t.Errorf("results: %d %s\n%s", code, errs, out)
	}
}
