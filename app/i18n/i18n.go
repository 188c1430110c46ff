// Package i18n looks up the booth's words in the officer's language (Kyrgyz,
// Russian, English). It is a pure lookup over catalogues read from a file
// system (assets.FS in the booth); it holds no state besides them and touches
// no device.
package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/chekara/chekara/app"
)

// Fallback is the language used when a key is missing in the officer's.
const Fallback = "en"

// Catalog holds every language's words by key.
type Catalog struct {
	langs map[string]map[string]string
}

// Load reads dir/<lang>.json from fsys for every JSON file in dir. Each file is a
// flat object of key → text; text may hold fmt verbs (%s, %d) filled by T.
// Returns an error when a file is not such an object or English is missing.
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read translations: %w", err)
	}
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if err := c.Add(strings.TrimSuffix(name, ".json"), data); err != nil {
			return nil, err
		}
	}
	if c.langs[Fallback] == nil {
		return nil, fmt.Errorf("translations: no %s.json in %s", Fallback, dir)
	}
	return c, nil
}

// Add parses one language's JSON catalogue and adds it, replacing keys it already had.
func (c *Catalog) Add(lang string, data []byte) error {
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("translations %s: %w", lang, err)
	}
	if c.langs == nil {
		c.langs = map[string]map[string]string{}
	}
	if c.langs[lang] == nil {
		c.langs[lang] = map[string]string{}
	}
	for k, v := range m {
		c.langs[lang][k] = v
	}
	return nil
}

// Languages returns the loaded languages, sorted.
func (c *Catalog) Languages() []string {
	var out []string
	for l := range c.langs {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Has reports whether lang has its own text for key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.langs[lang][key]
	return ok
}

// Keys returns lang's keys, sorted.
func (c *Catalog) Keys(lang string) []string {
	var out []string
	for k := range c.langs[lang] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// T returns key's text in lang, falling back to English and then to the key
// itself, so a missing word shows as its key instead of a blank. Arguments fill
// the text's fmt verbs.
func (c *Catalog) T(lang, key string, args ...any) string {
	s, ok := c.langs[lang][key]
	if !ok {
		if s, ok = c.langs[Fallback][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Error returns the sentence the officer reads for err in lang: the text of
// its key when it carries one (app.Errork), otherwise the general sentence of
// its code. An English screen shows a key-less error's own English message,
// which says more than the general sentence.
func (c *Catalog) Error(lang string, err error) string {
	var e *app.Error
	switch {
	case err == nil:
		return ""
	case !errors.As(err, &e):
		return c.T(lang, "error."+app.EINTERNAL)
	case e.Key != "" && c.Has(Fallback, e.Key):
		return c.T(lang, e.Key, e.Args...)
	case lang == Fallback:
		return e.Message
	case c.Has(Fallback, "error."+e.Code):
		return c.T(lang, "error."+e.Code)
	}
	return c.T(lang, "error."+app.EINTERNAL)
}
