package app_test

import (
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/assets"
)

func TestShippedRefusalReasons(t *testing.T) {
	b, err := assets.FS.ReadFile("reasons/refusal.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.ParseRefusalReasons(b)
	if err != nil {
		t.Fatal(err)
	}
	var codes string
	for _, reason := range r.Reasons {
		codes += reason.Code
		for _, lang := range []string{"ru", "ky"} {
			if reason.TextIn(lang) == reason.Text["en"] {
				t.Errorf("reason %s has no %s text", reason.Code, lang)
			}
		}
	}
	if got, want := codes, "ABCDEFGHIJ"; got != want {
		t.Fatalf("codes %s, want %s (Schengen Borders Code style, A–J)", got, want)
	}
	j, ok := r.Lookup("J")
	if !ok || !j.NoteRequired {
		t.Fatal("J (another ground under national law) must ask for the officer's note")
	}
	if got := j.TextIn("de"); got != j.Text["en"] {
		t.Fatalf("missing language falls back to English, got %q", got)
	}
	if err := r.Check("F"); err != nil {
		t.Fatal(err)
	}
	if err := r.Check("Z"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("Check(Z) = %v, want EINVALID", err)
	}
}

func TestParseRefusalReasonsRejectsBadLists(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not json", `[`},
		{"no version", `{"reasons":[{"code":"A","text":{"en":"x"}}]}`},
		{"empty", `{"version":"1","reasons":[]}`},
		{"unknown field", `{"version":"1","reasons":[{"code":"A","text":{"en":"x"},"severity":3}]}`},
		{"lower-case code", `{"version":"1","reasons":[{"code":"a","text":{"en":"x"}}]}`},
		{"repeated code", `{"version":"1","reasons":[{"code":"A","text":{"en":"x"}},{"code":"A","text":{"en":"y"}}]}`},
		{"no English", `{"version":"1","reasons":[{"code":"A","text":{"ru":"x"}}]}`},
		{"odd language", `{"version":"1","reasons":[{"code":"A","text":{"en":"x","Russian":"y"}}]}`},
		{"trailing data", `{"version":"1","reasons":[{"code":"A","text":{"en":"x"}}]} {}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := app.ParseRefusalReasons([]byte(tt.in)); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
}

func FuzzParseRefusalReasons(f *testing.F) {
	if b, err := assets.FS.ReadFile("reasons/refusal.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version":"1","reasons":[{"code":"A","text":{"en":"x"}}]}`))
	f.Add([]byte(`{"version":"1","reasons":[{"code":"J","note_required":true,"text":{"en":"x","ru":"у","ky":"ж"}}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := app.ParseRefusalReasons(b)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		for _, reason := range r.Reasons {
			if reason.TextIn("xx") == "" {
				t.Fatalf("reason %s has no fallback text", reason.Code)
			}
			if got, ok := r.Lookup(reason.Code); !ok || got.Code != reason.Code {
				t.Fatalf("Lookup(%s) failed", reason.Code)
			}
		}
	})
}
