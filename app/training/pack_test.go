package training_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
)

func shipped(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "assets", "training", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestShippedPacksValidate(t *testing.T) {
	for _, name := range []string{"basics", "watchlists", "stays", "fraud"} {
		t.Run(name, func(t *testing.T) {
			p, err := training.Parse(shipped(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Travellers) < 10 {
				t.Errorf("%d travellers, want at least 10", len(p.Travellers))
			}
		})
	}
}

// TestParseErrors: each broken pack is refused with a message that says
// where and what.
func TestParseErrors(t *testing.T) {
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(shipped(t, "basics"), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	first := func(m map[string]any) map[string]any { return m["travellers"].([]any)[0].(map[string]any) }
	key := func(m map[string]any, i int) map[string]any {
		return m["travellers"].([]any)[i].(map[string]any)["key"].(map[string]any)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not json", []byte("{"), "not valid JSON"},
		{"unknown field", edit(func(m map[string]any) { m["colour"] = "red" }), `unknown field "colour"`},
		{"format", edit(func(m map[string]any) { m["chekara_training"] = 2 }), `"chekara_training" is 2`},
		{"today", edit(func(m map[string]any) { m["today"] = "7 Dec" }), `today "7 Dec" is not a date`},
		{"no ky title", edit(func(m map[string]any) { m["title"].(map[string]any)["ky"] = "" }), "title: missing in ky"},
		{"empty queue", edit(func(m map[string]any) { m["travellers"] = []any{} }), "the queue is empty"},
		{"bad decision", edit(func(m map[string]any) { key(m, 0)["decision"] = "admti" }), `traveller 1 (b01): key: decision "admti"`},
		{"bad finding", edit(func(m map[string]any) { key(m, 2)["findings"] = []any{"expird"} }), `finding "expird" is not one of`},
		{"refuse without reasons", edit(func(m map[string]any) { delete(key(m, 2), "reasons") }), "a refusal needs the accepted reason codes"},
		{"admit with findings", edit(func(m map[string]any) { key(m, 0)["findings"] = []any{"expired"} }), "admitting a traveller with findings"},
		{"expired but valid", edit(func(m map[string]any) {
			key(m, 0)["decision"], key(m, 0)["reasons"], key(m, 0)["findings"] = "refuse", []any{"A"}, []any{"expired"}
		}), "finding expired, but the document expires 2031-02-28"},
		{"check digit that passes", edit(func(m map[string]any) {
			key(m, 0)["decision"], key(m, 0)["reasons"], key(m, 0)["findings"] = "refuse", []any{"B"}, []any{"check_digit"}
		}), "finding check_digit, but the lines pass every check"},
		{"impostor without another face", edit(func(m map[string]any) {
			key(m, 0)["decision"], key(m, 0)["findings"] = "refer", []any{"impostor"}
		}), "finding impostor needs page.face to differ"},
		{"another face without impostor", edit(func(m map[string]any) { first(m)["face"] = 999 }), "finding impostor needs page.face to differ"},
		{"page differs unsaid", edit(func(m map[string]any) { first(m)["page"].(map[string]any)["surname"] = "ASANOVA" }), "page differs from the MRZ"},
		{"line length", edit(func(m map[string]any) { first(m)["lines"] = []any{"P<KGZ", "AC2045871"} }), "line 1 has 5 characters"},
		{"lowercase line", edit(func(m map[string]any) {
			l := first(m)["lines"].([]any)
			l[0] = strings.ToLower(l[0].(string))
		}), "is not an MRZ character"},
		{"earlier after today", edit(func(m map[string]any) {
			first(m)["earlier"] = []any{map[string]any{"date": "2027-01-01", "direction": "entry", "post": "MANAS"}}
		}), "is not before the scenario's day"},
		{"duplicate id", edit(func(m map[string]any) { m["travellers"].([]any)[1].(map[string]any)["id"] = "b01" }), "id is used twice"},
		{"bad list", edit(func(m map[string]any) { m["lists"] = []any{map[string]any{"kind": "ghost"}} }), "lists:"},
		{"bad rules", edit(func(m map[string]any) { m["rules"] = map[string]any{"rules": "none"} }), "rules:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := training.Parse(tt.data)
			if err == nil {
				t.Fatal("accepted")
			}
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"basics", "fraud"} {
		f.Add(shipped(f, n))
	}
	f.Add([]byte(`{"chekara_training":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := training.Parse(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %s: %v", app.ErrorCode(err), err)
			}
			return
		}
		// A pack that parses scores without panicking, for any play.
		d := training.PerfectPlay(p)
		var os []training.Outcome
		for _, s := range d.Decisions {
			os = append(os, training.Outcome{Traveller: s.Traveller, Decision: s.Decision, Reason: s.Reason, Marked: s.Found})
		}
		if s := training.ScoreSession(p, os); s.Max != len(p.Travellers)*training.PointsMax {
			t.Fatalf("max %d for %d travellers", s.Max, len(p.Travellers))
		}
	})
}

func FuzzParseDecisions(f *testing.F) {
	p, err := training.Parse(shipped(f, "basics"))
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(training.PerfectPlay(p))
	f.Add(b)
	f.Add([]byte(`{"chekara_decisions":1,"pack":"basics","decisions":[{"traveller":"zz"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := training.ParseDecisions(data, p); err != nil && app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("error code %s: %v", app.ErrorCode(err), err)
		}
	})
}
