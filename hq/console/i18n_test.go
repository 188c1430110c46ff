package console_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chekara/chekara/hq/console"
)

func readCatalogue(t *testing.T, lang string) (map[string]string, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("i18n", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m, data
}

var verbs = regexp.MustCompile(`%[sdq]`)

// TestCatalogues: ru and ky hold the same entries, every {{t "…"}} of the
// templates among them, each translation with as many %s/%d as its English
// pattern; the files are sorted with a 1-space indent, as assets/i18n.
func TestCatalogues(t *testing.T) {
	ru, ruData := readCatalogue(t, "ru")
	ky, kyData := readCatalogue(t, "ky")
	for lang, c := range map[string]map[string]string{"ru": ru, "ky": ky} {
		other := ky
		if lang == "ky" {
			other = ru
		}
		for k, v := range c {
			if _, ok := other[k]; !ok {
				t.Errorf("%q is in %s only", k, lang)
			}
			if got, want := len(verbs.FindAllString(v, -1)), len(verbs.FindAllString(k, -1)); got != want || strings.TrimSpace(v) == "" {
				t.Errorf("%s %q: %d verbs in %q, want %d", lang, k, got, v, want)
			}
		}
	}
	for lang, data := range map[string][]byte{"ru": ruData, "ky": kyData} {
		var m map[string]string
		json.Unmarshal(data, &m)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		enc.Encode(m) // map keys marshal sorted
		if buf.String() != string(data) {
			t.Errorf("%s.json is not sorted with a 1-space indent", lang)
		}
	}
	tmpls, _ := filepath.Glob(filepath.Join("templates", "*.html"))
	used := map[string]bool{}
	for _, p := range tmpls {
		data, _ := os.ReadFile(p)
		for _, m := range regexp.MustCompile(`\{\{t "([^"]+)"\}\}`).FindAllSubmatch(data, -1) {
			used[string(m[1])] = true
		}
	}
	var missing []string
	for k := range used {
		if _, ok := ru[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("template texts without a translation: %q", missing)
	}
}

// TestLanguages: the account's language is the console's; the switch
// changes it for the session and the sign-in page; figures and data stay
// as they are.
func TestLanguages(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.acc.add(console.Account{ID: "bakyt", Name: "Бакыт Асанов", Role: console.RoleAnalyst, Language: "ky", Password: "plain:tuz jol 2026"})
	b := r.browser()
	b.signIn("bakyt", "tuz jol 2026")
	_, page := b.get("/")
	for _, want := range []string{`<html lang="ky">`, "Жалпы көрүнүш", "Кесип өтүүлөр", "Бүгүн, 2026-12-04", "Баш тартуулар", "DOSTUK", "кирүү"} {
		if !strings.Contains(page, want) {
			t.Errorf("the overview in Kyrgyz lacks %q", want)
		}
	}
	if strings.Contains(page, ">Overview<") {
		t.Error("English navigation on a Kyrgyz page")
	}
	req := b.r.srv.URL + "/lang?to=ru&back=/refusals"
	res, err := b.c.Get(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Location"); got != "/refusals" {
		t.Errorf("the switch goes back to %q", got)
	}
	_, page = b.get("/refusals")
	for _, want := range []string{"Отказы по основаниям", "Основание", "Итого"} {
		if !strings.Contains(page, want) {
			t.Errorf("refusals in Russian lack %q", want)
		}
	}
	// The switch never sends anyone off the console.
	if res, err := b.c.Get(b.r.srv.URL + "/lang?to=en&back=//evil.example/"); err == nil {
		if got := res.Header.Get("Location"); got != "/" {
			t.Errorf("back=//evil.example/ redirects to %q", got)
		}
		res.Body.Close()
	}
	// The sign-in page follows the last choice (its cookie).
	b.get("/lang?to=ru")
	b.post("/signout", map[string][]string{"csrf": {csrfOf(t, page)}}, b.r.srv.URL)
	b.get("/lang?to=ky")
	_, page = b.get("/signin")
	if !strings.Contains(page, "Кирүү") || !strings.Contains(page, "Сырсөз") {
		t.Errorf("the sign-in page after choosing ky:\n%s", page)
	}
}
