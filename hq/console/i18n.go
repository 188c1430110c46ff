package console

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// The console speaks Kyrgyz, Russian and English. The catalogues
// (i18n/ru.json, i18n/ky.json) map the English text — or an English
// pattern with %s/%d for text with figures in it, "Today, %s" — to the
// translation. A page is written in English and translated as it is
// rendered: its title, table titles, heads and cells that are catalogue
// entries, notes, errors and filter labels; templates use {{t "…"}}.
// Anything not in the catalogue (data, HQ's error sentences that are not
// yet translated) shows in English. CSV and the monthly report stay English:
// they are for machines and for filing abroad.
//
// The language is the account's (hq officer add --language), then whatever
// the person chose with the switch in the header (a cookie, so the sign-in
// page follows it too).

// Languages are the console's languages, in the switch's order.
var Languages = []string{"ky", "ru", "en"}

const langCookie = "__Host-chekara-lang"

type catalogue struct {
	exact    map[string]string
	patterns []pattern
}

type pattern struct {
	re  *regexp.Regexp
	out string // the translation with %s/%d verbs in the same order
}

var catalogues = map[string]*catalogue{}

func loadCatalogues() error {
	for _, lang := range Languages {
		if lang == "en" {
			continue
		}
		data, err := files.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("console catalogue %s: %w", lang, err)
		}
		c := &catalogue{exact: m}
		for k, v := range m {
			if strings.Contains(k, "%s") || strings.Contains(k, "%d") || strings.Contains(k, "%q") {
				re := "^" + regexp.QuoteMeta(k) + "$"
				re = strings.NewReplacer("%s", "(.+?)", "%q", "(.+?)", "%d", "(-?[0-9]+)").Replace(re)
				c.patterns = append(c.patterns, pattern{re: regexp.MustCompile(re), out: v})
			}
		}
		catalogues[lang] = c
	}
	return nil
}

// tr translates s into lang: an exact entry, else the first pattern that
// matches, else s.
func tr(lang, s string) string {
	c := catalogues[lang]
	if c == nil || s == "" {
		return s
	}
	if t, ok := c.exact[s]; ok {
		return t
	}
	for _, p := range c.patterns {
		if m := p.re.FindStringSubmatch(s); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = tr(lang, a) // "revoked %s" → the date; "Refusals by %s" → a translated label
			}
			return fmt.Sprintf(strings.ReplaceAll(p.out, "%d", "%s"), args...)
		}
	}
	return s
}

// trExact translates s only when it is a catalogue entry (table cells: data
// must never be bent by a pattern).
func trExact(lang, s string) string {
	if c := catalogues[lang]; c != nil {
		if t, ok := c.exact[s]; ok {
			return t
		}
	}
	return s
}

func translateTable(lang string, t table) table {
	out := t
	out.Title, out.Empty, out.Caption = tr(lang, t.Title), tr(lang, t.Empty), tr(lang, t.Caption)
	out.Head = make([]string, len(t.Head))
	for i, h := range t.Head {
		out.Head[i] = tr(lang, h)
	}
	out.Rows = make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		r := make([]string, len(row))
		for j, c := range row {
			r[j] = trExact(lang, c)
		}
		out.Rows[i] = r
	}
	return out
}

// translate turns a page's view into lang before it is rendered.
func translate(v view) view {
	lang := v.Lang
	if lang == "en" || catalogues[lang] == nil {
		return v
	}
	v.Title, v.Note, v.Error = tr(lang, v.Title), tr(lang, v.Note), tr(lang, v.Error)
	v.Today, v.Week = translateTable(lang, v.Today), translateTable(lang, v.Week)
	tables := make([]table, len(v.Tables))
	for i, t := range v.Tables {
		tables[i] = translateTable(lang, t)
	}
	v.Tables = tables
	filters := make([]filter, len(v.Filters))
	for i, f := range v.Filters {
		f.Label = tr(lang, f.Label)
		filters[i] = f
	}
	v.Filters = filters
	return v
}

// templatesByLang clones the parsed templates once per language with "t"
// bound to it.
func templatesByLang(base *template.Template) (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, lang := range Languages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		l := lang
		t.Funcs(template.FuncMap{"t": func(s string) string { return tr(l, s) }})
		out[lang] = t
	}
	return out, nil
}

func validLang(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// langOf is the request's language: the session's, else the switch's cookie,
// else English.
func (c *Console) langOf(r *http.Request, s *session) string {
	if s != nil {
		c.mu.Lock()
		l := s.lang
		c.mu.Unlock()
		if l != "" {
			return l
		}
	}
	if r == nil {
		return "en"
	}
	if ck, err := r.Cookie(langCookie); err == nil && validLang(ck.Value) {
		return ck.Value
	}
	return "en"
}

// setLang is the switch: /lang?to=ru&back=/flows. It changes a preference,
// nothing else, so a GET is enough; back must be a path of this console.
func (c *Console) setLang(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	back := r.URL.Query().Get("back")
	if back == "" {
		// The page the switch was on (Referrer-Policy same-origin sends it).
		if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host {
			back = u.RequestURI()
		}
	}
	if u, err := url.Parse(back); err != nil || back == "" || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || u.Host != "" {
		back = "/"
	}
	if !validLang(to) {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	setCookie(w, langCookie, to, 365*24*3600)
	if s, _ := c.current(r); s != nil {
		c.mu.Lock()
		s.lang = to
		c.mu.Unlock()
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
