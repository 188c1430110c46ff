package i18n_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
)

func TestShippedCataloguesAreComplete(t *testing.T) {
	c, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.Languages(), ","), "en,ky,ru"; got != want {
		t.Fatalf("languages = %s, want %s", got, want)
	}
	for _, lang := range []string{"ky", "ru"} {
		for _, k := range c.Keys("en") {
			if !c.Has(lang, k) {
				t.Errorf("%s: missing %q", lang, k)
				continue
			}
			// The same fmt verbs in the same order, or T would print %!d(string=…).
			if got, want := verbs(c.T(lang, k)), verbs(c.T("en", k)); got != want {
				t.Errorf("%s %q: verbs %q, want %q", lang, k, got, want)
			}
		}
		for _, k := range c.Keys(lang) {
			if !c.Has("en", k) {
				t.Errorf("%s has %q, which English lacks", lang, k)
			}
		}
	}
}

func verbs(s string) string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return strings.Join(out, "")
}

func TestLookup(t *testing.T) {
	fsys := fstest.MapFS{
		"l/en.json": {Data: []byte(`{"a":"A","n":"%d days"}`)},
		"l/ky.json": {Data: []byte(`{"n":"%d күн"}`)},
	}
	c, err := i18n.Load(fsys, "l")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"own language", "ky", "n", []any{3}, "3 күн"},
		{"falls back to English", "ky", "a", nil, "A"},
		{"unknown language", "fr", "a", nil, "A"},
		{"missing key shows the key", "en", "zz", nil, "zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		fs   fstest.MapFS
	}{
		{"no English", fstest.MapFS{"l/ky.json": {Data: []byte(`{}`)}}},
		{"not an object", fstest.MapFS{"l/en.json": {Data: []byte(`[1]`)}}},
		{"no folder", fstest.MapFS{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := i18n.Load(tt.fs, "l"); err == nil {
				t.Errorf("Load succeeded")
			}
		})
	}
}
