package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time             { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration)        { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }
func (c *clock) Set(t time.Time)            { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func newClock(t time.Time) *clock           { return &clock{now: t} }
func (a *accounts) add(acc console.Account) { a.mu.Lock(); a.m[acc.ID] = acc; a.mu.Unlock() }

// accounts is a fake register of HQ accounts (the administration issue builds
// the real one); passwords are stored as "plain:" + password.
type accounts struct {
	mu sync.Mutex
	m  map[string]console.Account
}

func (a *accounts) Account(_ context.Context, id string) (console.Account, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	acc, ok := a.m[id]
	if !ok {
		return console.Account{}, app.Errorf(app.ENOTFOUND, "no account %s", id)
	}
	return acc, nil
}

func (a *accounts) SetLockout(_ context.Context, id string, failed int, until time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	acc, ok := a.m[id]
	if !ok {
		return app.Errorf(app.ENOTFOUND, "no account %s", id)
	}
	acc.Failed, acc.LockedUntil = failed, until
	a.m[id] = acc
	return nil
}

func checkPlain(password, hash string) bool { return hash == "plain:"+password }

// bishkek is the posts' and HQ's zone (UTC+6).
var bishkek = time.FixedZone("KGT", 6*3600)

// now is a Friday; the week began on Monday 30 November.
var now = time.Date(2026, 12, 4, 15, 0, 0, 0, bishkek)

// rig is a console over a real SQLite store, served over real TLS.
type rig struct {
	t     testing.TB
	store *store.SQLite
	clock *clock
	acc   *accounts
	audit *console.FileAudit
	srv   *httptest.Server
	seq   map[string]int64
}

func newRig(t testing.TB, opts ...func(*console.Config)) *rig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	audit, err := console.OpenFileAudit(filepath.Join(dir, "console-audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { audit.Close() })
	r := &rig{t: t, store: st, clock: newClock(now), audit: audit, seq: map[string]int64{},
		acc: &accounts{m: map[string]console.Account{}}}
	r.acc.add(console.Account{ID: "aida", Name: "Aida Bekova", Role: console.RoleAnalyst, Password: "plain:correct horse"})
	r.acc.add(console.Account{ID: "timur", Name: "Timur Osmonov", Role: console.RoleAuditor, Password: "plain:battery staple"})
	r.acc.add(console.Account{ID: "ex", Name: "Former", Role: console.RoleAnalyst, Password: "plain:x", Disabled: true})
	cfg := console.Config{Stats: st, Accounts: r.acc, Audit: audit, CheckPassword: checkPlain,
		Clock: r.clock, Location: bishkek}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := console.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewTLSServer(c)
	t.Cleanup(r.srv.Close)
	for _, b := range [][2]string{{"DOSTUK-01", "DOSTUK"}, {"TORUGART-01", "TORUGART"}} {
		err := st.Enrol(ctx, store.Booth{ID: b[0], Post: b[1], EnrolledAt: now.AddDate(0, -1, 0)},
			store.Certificate{Serial: fmt.Sprintf("%x", sha256.Sum256([]byte(b[0])))[:16], IssuedAt: now, NotAfter: now.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// upload applies one batch of crossings from booth at post, as HQ's ingest does.
func (r *rig) upload(booth, post string, cs ...app.Crossing) {
	r.t.Helper()
	b := store.Batch{Booth: booth, From: r.seq[booth] + 1, Source: "link"}
	for _, c := range cs {
		r.seq[booth]++
		c.ID, c.Booth, c.Post, c.OfficerID = fmt.Sprintf("%s-%06d", booth, r.seq[booth]), booth, post, "OFF-1"
		c.Traveller.Surname, c.Traveller.BirthDate = "ASANOV", "1990-01-01"
		payload := wire.EncodeCrossing(c)
		sum := sha256.Sum256(payload)
		b.Records = append(b.Records, store.Record{Booth: booth, Seq: r.seq[booth], ID: c.ID, Kind: wire.KindOf(c), Payload: payload, SHA256: sum[:]})
	}
	b.To = r.seq[booth]
	if _, err := r.store.Apply(context.Background(), b, r.clock.Now()); err != nil {
		r.t.Fatal(err)
	}
}

func cross(dir app.Direction, dec app.Decision, reason, nat, doc string, at time.Time) app.Crossing {
	return app.Crossing{Direction: dir, Decision: dec, RefusalReason: reason, DocumentCode: doc,
		Traveller: app.TravellerKey{Nationality: nat}, BoothTime: at}
}

// seed uploads a small, known population: today, earlier this week, last month.
func (r *rig) seed() {
	today := now.Add(-2 * time.Hour)
	monday := time.Date(2026, 11, 30, 10, 0, 0, 0, bishkek)
	stolen := cross(app.Entry, app.Refuse, "C", "UZB", "P", today)
	stolen.Hits = []app.HitResolution{{ListID: "SLTD-1", Kind: "document", Category: "stolen", Confirmed: true}}
	lookalike := cross(app.Entry, app.Admit, "", "KGZ", "P", today)
	lookalike.Hits = []app.HitResolution{{ListID: "P-7", Kind: "person", Category: "deny_entry", Note: "other birth date"}}
	r.upload("DOSTUK-01", "DOSTUK",
		lookalike,
		stolen,
		cross(app.Exit, app.Admit, "", "KGZ", "ID", today),
		cross(app.Entry, app.Refer, "", "CHN", "P", monday),
		cross(app.Entry, app.Refuse, "E", "UZB", "P", time.Date(2026, 11, 2, 9, 0, 0, 0, bishkek)),
	)
	tr := cross(app.Entry, app.Admit, "", "KGZ", "P", today)
	tr.Training = true
	r.upload("TORUGART-01", "TORUGART", cross(app.Entry, app.Admit, "", "CHN", "P", today), tr)
}

// browser is one person's HTTP client: a cookie jar over the rig's TLS.
type browser struct {
	t testing.TB
	c *http.Client
	r *rig
}

func (r *rig) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := *r.srv.Client() // one jar per person
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: r.t, c: &c, r: r}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.c.Get(b.r.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values, origin string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.r.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

// signIn signs in and returns the status of the answer to the form.
func (b *browser) signIn(account, password string) (int, string) {
	b.t.Helper()
	_, page := b.get("/signin")
	return b.post("/signin", url.Values{"csrf": {csrfOf(b.t, page)}, "account": {account}, "password": {password}}, b.r.srv.URL)
}

func TestAPIWithoutSession(t *testing.T) {
	r := newRig(t)
	r.seed()
	b := r.browser()
	status, body := b.get("/api/v1/statistics?by=post,day")
	if got, want := status, http.StatusUnauthorized; got != want {
		t.Errorf("API without a session: %d, want %d (%s)", got, want, body)
	}
	if strings.Contains(body, "DOSTUK") {
		t.Errorf("API without a session leaked figures: %s", body)
	}
	for _, page := range []string{"/", "/flows", "/flows.csv", "/refusals", "/hits", "/booths", "/audit", "/live"} {
		if status, _ := b.get(page); status != http.StatusSeeOther {
			t.Errorf("GET %s without a session: %d, want a redirect to sign-in", page, status)
		}
	}
}

func TestStatisticsAPI(t *testing.T) {
	r := newRig(t)
	r.seed()
	b := r.browser()
	if status, body := b.signIn("aida", "correct horse"); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", status, body)
	}
	tests := []struct {
		query string
		want  string
	}{
		{"by=post,day", `{"crossings":6,"rows":[` +
			`{"admitted":0,"crossings":1,"day":"2026-11-02","post":"DOSTUK","referred":0,"refused":1},` +
			`{"admitted":0,"crossings":1,"day":"2026-11-30","post":"DOSTUK","referred":1,"refused":0},` +
			`{"admitted":2,"crossings":3,"day":"2026-12-04","post":"DOSTUK","referred":0,"refused":1},` +
			`{"admitted":1,"crossings":1,"day":"2026-12-04","post":"TORUGART","referred":0,"refused":0}]}`},
		{"by=refusal_reason,nationality&decision=refuse&from=2026-11-01&to=2026-11-30", `{"crossings":1,"rows":[` +
			`{"admitted":0,"crossings":1,"nationality":"UZB","referred":0,"refusal_reason":"E","refused":1}]}`},
		{"by=month", `{"crossings":6,"rows":[{"admitted":0,"crossings":2,"month":"2026-11","referred":1,"refused":1},` +
			`{"admitted":3,"crossings":4,"month":"2026-12","referred":0,"refused":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := b.get("/api/v1/statistics?" + tt.query)
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			if got, want := strings.TrimSpace(body), tt.want; got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
	if status, body := b.get("/api/v1/statistics?by=payload"); status != http.StatusBadRequest {
		t.Errorf("by=payload: %d %s, want 400", status, body)
	}
}

func TestSignIn(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		name, account, password string
		want                    int
	}{
		{"right password", "aida", "correct horse", http.StatusSeeOther},
		{"wrong password", "aida", "Correct horse", http.StatusUnauthorized},
		{"unknown account", "nobody", "correct horse", http.StatusUnauthorized},
		{"disabled account", "ex", "x", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := r.browser()
			status, _ := b.signIn(tt.account, tt.password)
			if got, want := status, tt.want; got != want {
				t.Errorf("got %d, want %d", got, want)
			}
			status, _ = b.get("/api/v1/statistics")
			if got, want := status == http.StatusOK, tt.want == http.StatusSeeOther; got != want {
				t.Errorf("API answers %d after the sign-in", status)
			}
		})
	}
}

// TestUnknownAccountTakesAsLong: a name that does not exist still costs one
// password check, so timing does not tell which accounts exist.
func TestUnknownAccountTakesAsLong(t *testing.T) {
	var mu sync.Mutex
	var checked []string
	r := newRig(t, func(c *console.Config) {
		c.DummyHash = "plain:dummy"
		c.CheckPassword = func(p, h string) bool {
			mu.Lock()
			checked = append(checked, h)
			mu.Unlock()
			return checkPlain(p, h)
		}
	})
	r.browser().signIn("nobody", "dummy")
	if got, want := checked, []string{"plain:dummy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hashes checked %q, want %q", got, want)
	}
	if status, _ := r.browser().signIn("nobody", "dummy"); status != http.StatusUnauthorized {
		t.Errorf("unknown account with the dummy's password: %d, want 401", status)
	}
}

func TestSessionCookie(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	_, page := b.get("/signin")
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/signin", strings.NewReader(url.Values{"csrf": {csrfOf(t, page)}, "account": {"aida"}, "password": {"correct horse"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var sess *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "__Host-chekara-session" && c.Value != "" {
			sess = c
		}
	}
	if sess == nil {
		t.Fatal("no session cookie after sign-in")
	}
	if !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/" || sess.Domain != "" {
		t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Strict, Path=/, no Domain", sess)
	}
}

func TestCSRF(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	if status, _ := b.signIn("aida", "correct horse"); status != http.StatusSeeOther {
		t.Fatal("sign-in failed")
	}
	_, page := b.get("/")
	token := csrfOf(t, page)
	tests := []struct {
		name   string
		form   url.Values
		origin string
	}{
		{"no token", url.Values{}, r.srv.URL},
		{"another token", url.Values{"csrf": {"AAAA" + token[4:]}}, r.srv.URL},
		{"another site", url.Values{"csrf": {token}}, "https://evil.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _ := b.post("/signout", tt.form, tt.origin); status != http.StatusForbidden {
				t.Errorf("sign-out: %d, want 403", status)
			}
			if status, _ := b.get("/api/v1/statistics"); status != http.StatusOK {
				t.Errorf("the forged sign-out ended the session (%d)", status)
			}
		})
	}
	// A sign-in form posted without the token its page set (login CSRF).
	other := r.browser()
	if status, _ := other.post("/signin", url.Values{"csrf": {"forged"}, "account": {"aida"}, "password": {"correct horse"}}, ""); status != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: %d, want 403", status)
	}
	if status, _ := b.post("/signout", url.Values{"csrf": {token}}, r.srv.URL); status != http.StatusSeeOther {
		t.Errorf("sign-out with the token: %d", status)
	}
	if status, _ := b.get("/api/v1/statistics"); status != http.StatusUnauthorized {
		t.Errorf("API after sign-out: %d, want 401", status)
	}
}

func TestLockout(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	for i := 0; i < 5; i++ {
		b.signIn("aida", "guess")
	}
	status, page := b.signIn("aida", "correct horse")
	if status != http.StatusUnauthorized || !strings.Contains(page, "locked") {
		t.Fatalf("right password while locked: %d, want 401 and a lockout message:\n%s", status, page)
	}
	// A restart does not unlock: the count is in the account register.
	if acc, _ := r.acc.Account(context.Background(), "aida"); acc.LockedUntil.IsZero() {
		t.Error("the lockout is not recorded in the accounts")
	}
	r.clock.Add(16 * time.Minute)
	if status, _ := b.signIn("aida", "correct horse"); status != http.StatusSeeOther {
		t.Errorf("after the lockout: %d, want a session", status)
	}
	if acc, _ := r.acc.Account(context.Background(), "aida"); acc.Failed != 0 {
		t.Errorf("failed count %d after a good sign-in, want 0", acc.Failed)
	}
}

func TestIdleTimeout(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("aida", "correct horse")
	r.clock.Add(14 * time.Minute)
	if status, _ := b.get("/api/v1/statistics"); status != http.StatusOK {
		t.Fatalf("after 14 idle minutes: %d", status)
	}
	// The overview's own refreshes are not activity.
	r.clock.Add(10 * time.Minute)
	b.get("/live")
	r.clock.Add(6 * time.Minute)
	if status, _ := b.get("/api/v1/statistics"); status != http.StatusUnauthorized {
		t.Errorf("after 16 idle minutes: %d, want 401", status)
	}
}

func TestRoles(t *testing.T) {
	r := newRig(t)
	analyst, auditor := r.browser(), r.browser()
	analyst.signIn("aida", "correct horse")
	auditor.signIn("timur", "battery staple")
	if status, _ := analyst.get("/audit"); status != http.StatusForbidden {
		t.Errorf("analyst opens the audit: %d, want 403", status)
	}
	status, page := auditor.get("/audit")
	if status != http.StatusOK {
		t.Fatalf("auditor opens the audit: %d", status)
	}
	for _, want := range []string{"aida", "refused", "/audit", "sign_in"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

// TestAudited: every page view and every export leaves an entry naming the
// account, the page and the query.
func TestAudited(t *testing.T) {
	r := newRig(t)
	r.seed()
	b := r.browser()
	b.signIn("aida", "correct horse")
	pages := []string{"/", "/flows?by=post&period=day", "/refusals", "/hits", "/booths", "/flows.csv?by=nationality", "/api/v1/statistics?by=post"}
	for _, p := range pages {
		if status, body := b.get(p); status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", p, status, body)
		}
	}
	es, err := r.audit.Entries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		if e.Account == "aida" {
			got = append(got, e.Action+" "+e.Path+"?"+e.Query)
		}
	}
	want := []string{"sign_in /signin?", "view /?", "view /flows?by=post&period=day", "view /refusals?", "view /hits?", "view /booths?",
		"export /flows.csv?by=nationality", "api /api/v1/statistics?by=post"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit:\n got %q\nwant %q", got, want)
	}
}

func TestPagesShowTheFigures(t *testing.T) {
	r := newRig(t)
	r.seed()
	b := r.browser()
	b.signIn("aida", "correct horse")
	tests := []struct {
		page string
		want []string
	}{
		// Today (4 Dec): DOSTUK entry 2 (1 admitted, 1 refused), exit 1; TORUGART entry 1; training not counted.
		{"/", []string{"Today, 2026-12-04", "<td>DOSTUK</td><td>entry</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td>",
			"<td>TORUGART</td><td>entry</td><td class=\"num\">1</td>", "This week, from 2026-11-30", "<td>Total</td><td></td><td class=\"num\">5</td>"}},
		{"/flows?period=month&by=post", []string{"<td>2026-11</td><td>DOSTUK</td><td class=\"num\">2</td>", "<svg", "<rect"}},
		{"/refusals?from=2026-11-01&to=2026-12-31", []string{"Refusals by ground", "<td>C</td><td class=\"num\">1</td>", "<td>E</td><td class=\"num\">1</td>", "<td>UZB</td><td class=\"num\">2</td>"}},
		{"/booths", []string{"DOSTUK-01", "TORUGART-01", "linked", "lists version 0"}},
		{"/hits", []string{"<td>deny_entry</td><td>false_match</td><td class=\"num\">1</td>", "<td>DOSTUK</td><td>stolen</td><td>confirmed</td><td class=\"num\">1</td>"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			status, page := b.get(tt.page)
			if status != http.StatusOK {
				t.Fatalf("%d", status)
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

// TestLive: an upload shows on the overview's live part at the next refresh.
func TestLive(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("aida", "correct horse")
	_, before := b.get("/live")
	if strings.Contains(before, "TORUGART") {
		t.Fatal("figures before any upload")
	}
	r.upload("TORUGART-01", "TORUGART", cross(app.Exit, app.Admit, "", "KAZ", "P", now))
	_, after := b.get("/live")
	if !strings.Contains(after, "<td>TORUGART</td><td>exit</td><td class=\"num\">1</td>") {
		t.Errorf("the upload does not show:\n%s", after)
	}
}

func TestCSVExport(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.upload("DOSTUK-01", "DOSTUK", cross(app.Entry, app.Refuse, "=HYPERLINK(1)", "UZB", "P", now))
	b := r.browser()
	b.signIn("aida", "correct horse")
	status, body := b.get("/flows.csv?by=refusal_reason&decision=refuse")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"refusal_reason", "crossings", "admitted", "refused", "referred"},
		{"'=HYPERLINK(1)", "1", "0", "1", "0"}, {"C", "1", "0", "1", "0"}, {"E", "1", "0", "1", "0"}}
	if got := recs; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestNothingFromOutside: every page refers only to the console's own
// scripts, styles and fonts.
func TestNothingFromOutside(t *testing.T) {
	r := newRig(t)
	r.seed()
	b := r.browser()
	b.signIn("aida", "correct horse")
	ref := regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	au := r.browser()
	au.signIn("timur", "battery staple")
	for _, p := range []string{"/", "/flows", "/refusals", "/hits", "/booths", "/overstayers", "/reports", "/audit", "/signin"} {
		_, page := b.get(p)
		if p == "/audit" {
			_, page = au.get(p)
		}
		for _, m := range ref.FindAllStringSubmatch(page, -1) {
			if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
				t.Errorf("%s refers to %s", p, m[1])
			}
		}
	}
	for _, s := range []string{"/static/console.css", "/static/console.js"} {
		if status, _ := b.get(s); status != http.StatusOK {
			t.Errorf("%s: %d", s, status)
		}
	}
	res, err := b.c.Get(r.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

// FuzzStatisticsQuery: whatever query a browser sends, the API answers 200 or
// 400, never a crash or an internal error.
func FuzzStatisticsQuery(f *testing.F) {
	for _, s := range []string{"by=post,day", "by=payload", "from=2026-13-01", "nationality=' OR 1=1 --", "by=post&by=post", "by=,,", "%zz"} {
		f.Add(s)
	}
	r := newRig(f)
	r.seed()
	b := r.browser()
	if status, _ := b.signIn("aida", "correct horse"); status != http.StatusSeeOther {
		f.Fatal("sign-in failed")
	}
	f.Fuzz(func(t *testing.T, q string) {
		res, err := b.c.Get(r.srv.URL + "/api/v1/statistics?" + q)
		if err != nil {
			return // not a URL Go sends
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		status, body := res.StatusCode, string(raw)
		if status != http.StatusOK && status != http.StatusBadRequest {
			t.Fatalf("query %q: %d %s", q, status, body)
		}
		if status == http.StatusOK {
			var out console.StatsJSON
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("query %q: %v", q, err)
			}
		}
	})
}
