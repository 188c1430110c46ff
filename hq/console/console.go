// Package console is HQ's web console: statistics and analysis of what the
// booths uploaded, in the browser, for HQ's analysts, auditors and
// administrators. It serves HTML rendered on the server (charts are SVG drawn
// here), one stylesheet and one small script, all embedded in the binary: posts
// and HQ networks may have no internet, so nothing comes from a CDN.
//
// The console owns sign-in, sessions, CSRF protection, the idle timeout, the
// lockout after failed sign-ins and the audit of every page view and export.
// It reads statistics through the small interfaces it declares (Statistics,
// Accounts, Audit) and never writes a booth record. It imports hq/store for
// its types only, never package hq (hq serves the console).
package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// Roles of HQ accounts (from the administration issue). Every role reads the
// statistics; the audit page is the auditors'.
const (
	RoleAnalyst = "analyst"
	RoleAuditor = "auditor"
	RoleHQAdmin = "hq-admin"
)

// Account is an HQ account as the console needs it.
type Account struct {
	ID          string
	Name        string
	Role        string
	Language    string // ky, ru or en: the console's language for this account ("" : en)
	Disabled    bool
	Password    string    // the stored password hash, checked by Config.CheckPassword
	Failed      int       // failed sign-ins since the last success
	LockedUntil time.Time // zero unless locked
}

// Accounts is the register of HQ accounts. The console counts failed sign-ins
// and locks accounts itself, and keeps the count in the register so a restart
// does not unlock anyone.
type Accounts interface {
	// Account returns the account id; ENOTFOUND if there is none.
	Account(ctx context.Context, id string) (Account, error)
	// SetLockout records failed sign-ins and the lockout; ENOTFOUND if unknown.
	SetLockout(ctx context.Context, id string, failed int, lockedUntil time.Time) error
}

// Statistics is what the console reads of HQ's central store.
type Statistics interface {
	CrossingStats(ctx context.Context, q store.StatsQuery) ([]store.StatsRow, error)
	HitStats(ctx context.Context, q store.StatsQuery) ([]store.StatsRow, error)
	Report(ctx context.Context) (store.Report, error)
	Alerts(ctx context.Context) ([]store.Alert, error)
	Latest(ctx context.Context, kind string) (int64, error)
	// BoothStates are the booths' latest reported states (health page).
	BoothStates(ctx context.Context) ([]store.BoothState, error)
	// AdminHead is the administrative chain's head: its Seq is the officer
	// directory's version.
	AdminHead(ctx context.Context) (store.AdminEntry, error)
	// AdminLog is the chain of administrative changes after seq (audit page).
	AdminLog(ctx context.Context, after int64) ([]store.AdminEntry, error)
	// Lookups are the booths' audited history queries after id (audit page).
	Lookups(ctx context.Context, after int64) ([]store.Lookup, error)
	// Overstayers counts the travellers past their limit on a day, from the
	// open stays HQ publishes (the national history): overstayers page and
	// the monthly report.
	Overstayers(ctx context.Context, q store.OverstayQuery) ([]store.OverstayGroup, error)
	// SignOffs and Referrals are the supervisors' sign-offs of shifts and the
	// referrals with their outcomes (supervision page).
	SignOffs(ctx context.Context, post string, limit int) ([]app.SignOff, error)
	Referrals(ctx context.Context, post string) ([]store.ReferralCount, error)
}

// Config assembles a console.
type Config struct {
	Stats    Statistics
	Accounts Accounts
	Audit    Audit
	// Admin, when set, serves the administration pages (hq-admin).
	Admin Admin
	// CheckPassword reports whether password matches the stored hash.
	CheckPassword func(password, hash string) bool
	// DummyHash, when set, is checked against the password of an unknown
	// account, so that a slow hash (argon2id) takes as long for a name that
	// does not exist as for one that does: no account enumeration by timing.
	DummyHash    string
	Clock        app.Clock      // nil: the system clock
	Location     *time.Location // HQ's zone for "today" and "this week"; nil: time.Local
	IdleTimeout  time.Duration  // a session unused this long ends; zero: 15 minutes
	MaxFailures  int            // failed sign-ins before the lockout; zero: 5
	LockFor      time.Duration  // how long a lockout lasts; zero: 15 minutes
	LinkedWithin time.Duration  // a booth that uploaded this recently counts as linked; zero: 10 minutes
	// MaxPerIP failed sign-ins from one address within ThrottleFor stop that
	// address signing in until the window ends (zero: 20 and 15 minutes): the
	// per-account lockout alone lets one machine try a password on every
	// account in turn.
	MaxPerIP    int
	ThrottleFor time.Duration
	Logger      *slog.Logger
}

// Console is an http.Handler serving the console. Serve it over HTTPS only:
// its cookies are Secure.
type Console struct {
	cfg   Config
	tmpl  map[string]*template.Template // by language
	mux   *http.ServeMux
	mu    sync.Mutex
	sess  map[string]*session
	fails map[string]*ipFailures // by remote address
	held  bundles
	log   *slog.Logger
	clock app.Clock
}

type session struct {
	account Account
	lang    string
	csrf    string
	seen    time.Time
}

//go:embed static templates i18n
var files embed.FS

// New returns a console. EINVALID when a part is missing.
func New(cfg Config) (*Console, error) {
	if cfg.Stats == nil || cfg.Accounts == nil || cfg.Audit == nil || cfg.CheckPassword == nil {
		return nil, app.Errorf(app.EINVALID, "The console needs the store, the accounts, an audit log and a password check.")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 15 * time.Minute
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = 5
	}
	if cfg.LockFor <= 0 {
		cfg.LockFor = 15 * time.Minute
	}
	if cfg.MaxPerIP <= 0 {
		cfg.MaxPerIP = 20
	}
	if cfg.ThrottleFor <= 0 {
		cfg.ThrottleFor = 15 * time.Minute
	}
	if cfg.LinkedWithin <= 0 {
		cfg.LinkedWithin = 10 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if err := loadCatalogues(); err != nil {
		return nil, err
	}
	base, err := template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t, err := templatesByLang(base)
	if err != nil {
		return nil, err
	}
	c := &Console{cfg: cfg, tmpl: t, sess: map[string]*session{}, fails: map[string]*ipFailures{}, log: cfg.Logger, clock: cfg.Clock}
	c.held.m = map[string]heldBundle{}
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	static, _ := fs.Sub(files, "static")
	m := http.NewServeMux()
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /signin", c.signInPage)
	m.HandleFunc("GET /lang", c.setLang)
	m.HandleFunc("POST /signin", c.signIn)
	m.HandleFunc("POST /signout", c.page(anyRole, c.signOut))
	m.HandleFunc("GET /{$}", c.page(anyRole, c.overview))
	m.HandleFunc("GET /live", c.page(anyRole, c.live))
	m.HandleFunc("GET /flows", c.page(anyRole, c.flows))
	m.HandleFunc("GET /flows.csv", c.page(anyRole, c.flowsCSV))
	m.HandleFunc("GET /refusals", c.page(anyRole, c.refusals))
	m.HandleFunc("GET /hits", c.page(anyRole, c.hits))
	m.HandleFunc("GET /booths", c.page(anyRole, c.booths))
	m.HandleFunc("GET /audit", c.page([]string{RoleAuditor}, c.audit))
	m.HandleFunc("GET /overstayers", c.page(anyRole, c.overstayers))
	m.HandleFunc("GET /overstayers.csv", c.page(anyRole, c.overstayers))
	m.HandleFunc("GET /supervision", c.page(anyRole, c.supervision)) // supervision.go
	m.HandleFunc("GET /reports", c.page(anyRole, c.reports))
	m.HandleFunc("GET /reports/monthly.pdf", c.page(anyRole, c.monthlyFile("pdf")))
	m.HandleFunc("GET /reports/monthly.csv", c.page(anyRole, c.monthlyFile("csv")))
	m.HandleFunc("GET /api/v1/statistics", c.api(anyRole, c.apiStatistics))
	if c.cfg.Admin != nil {
		admin := c.adminOnly()
		m.HandleFunc("GET /admin/{$}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/admin/officers", http.StatusSeeOther)
		})
		m.HandleFunc("GET /admin/officers", c.page(admin, c.adminOfficers))
		m.HandleFunc("POST /admin/officers", c.page(admin, c.adminAddOfficer))
		m.HandleFunc("GET /admin/officers/{id}", c.page(admin, c.adminEditOfficer))
		m.HandleFunc("POST /admin/officers/{id}", c.page(admin, c.adminUpdateOfficer))
		m.HandleFunc("GET /admin/booths", c.page(admin, c.adminBooths))
		m.HandleFunc("POST /admin/booths", c.page(admin, c.adminEnrol))
		m.HandleFunc("POST /admin/booths/{id}/revoke", c.page(admin, c.adminRevoke))
		m.HandleFunc("GET /admin/bundle/{token}", c.page(admin, c.adminBundle))
		m.HandleFunc("GET /admin/publish", c.page(admin, c.adminPublish))
		m.HandleFunc("POST /admin/publish/{kind}", c.page(admin, c.adminPublishFile))
	}
	c.mux = m
}

var anyRole = []string{RoleAnalyst, RoleAuditor, RoleHQAdmin}

// ServeHTTP implements http.Handler, adding the headers every answer carries.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer Chromium sends
	// "Origin: null" on the console's own forms, and sameOrigin refuses them.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Strict-Transport-Security", "max-age=31536000")
	if r.Method == http.MethodPost && !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	c.mux.ServeHTTP(w, r)
}

// sameOrigin refuses a POST another site's page sent: the browser names the
// site in Sec-Fetch-Site (or at least Origin). CSRF tokens check it again.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "https://"+r.Host {
		return false
	}
	return true
}

const (
	sessionCookie = "__Host-chekara-session"
	signInCookie  = "__Host-chekara-signin" // the sign-in form's CSRF token (no session yet)
)

func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// current returns the request's live session, ending it when idle too long.
func (c *Console) current(r *http.Request) (*session, string) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, ""
	}
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sess[ck.Value]
	if s == nil {
		return nil, ""
	}
	if now.Sub(s.seen) > c.cfg.IdleTimeout {
		delete(c.sess, ck.Value)
		return nil, ""
	}
	if r.URL.Path != "/live" {
		// The overview's own refreshes are not the officer's activity: a
		// console left open still times out.
		s.seen = now
	}
	return s, ck.Value
}

func allowed(role string, roles []string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// page wraps a page handler: a session with one of roles, the CSRF token on
// every POST, and the view audited.
func (c *Console) page(roles []string, h func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, _ := c.current(r)
		if s == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if !allowed(s.account.Role, roles) {
			c.audit1(r, s.account, "refused", r.URL.Path)
			w.WriteHeader(http.StatusForbidden)
			c.render(w, "error.html", view{Session: s, Path: r.URL.Path, Title: "Not allowed", Error: fmt.Sprintf("Your role (%s) may not open this page.", s.account.Role)})
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.csrf)) != 1 {
				c.audit1(r, s.account, "csrf_refused", r.URL.Path)
				http.Error(w, "the form is stale or forged; reload the page", http.StatusForbidden)
				return
			}
		}
		h(w, r, s)
	}
}

// api wraps an API handler: 401 without a session, 403 for another role.
func (c *Console) api(roles []string, h func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, _ := c.current(r)
		if s == nil {
			writeJSONError(w, http.StatusUnauthorized, "sign in first")
			return
		}
		if !allowed(s.account.Role, roles) {
			writeJSONError(w, http.StatusForbidden, "your role may not read this")
			return
		}
		h(w, r, s)
	}
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	if s, _ := c.current(r); s != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.showSignIn(w, r, "", http.StatusOK)
}

func (c *Console) showSignIn(w http.ResponseWriter, r *http.Request, msg string, status int) {
	t := token()
	setCookie(w, signInCookie, t, 600)
	w.WriteHeader(status)
	c.render(w, "signin.html", view{Title: "Sign in", CSRF: t, Error: msg, Lang: c.langOf(r, nil), Path: "/signin"})
}

// signIn checks the account and password, counts failures, locks after
// MaxFailures, and starts a session under a fresh id (never one the browser
// brought: no session fixation).
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(signInCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(ck.Value)) != 1 {
		c.audit1(r, Account{}, "csrf_refused", "/signin")
		c.showSignIn(w, r, "The sign-in form had expired. Try again.", http.StatusForbidden)
		return
	}
	id, password := r.PostFormValue("account"), r.PostFormValue("password")
	ip := remoteIP(r)
	if c.throttled(ip) {
		c.audit1(r, Account{ID: id}, "throttled", ip)
		c.showSignIn(w, r, "Too many failed sign-ins from this computer. Wait a quarter of an hour and try again.", http.StatusTooManyRequests)
		return
	}
	acc, err := c.authenticate(r.Context(), id, password)
	if err != nil {
		c.failedFrom(ip)
		c.audit1(r, Account{ID: id}, "sign_in_failed", app.ErrorCode(err))
		msg := "Wrong account or password."
		if app.ErrorCode(err) == app.ELOCKED {
			msg = app.ErrorMessage(err)
		}
		c.showSignIn(w, r, msg, http.StatusUnauthorized)
		return
	}
	t := token()
	now := c.clock.Now()
	c.mu.Lock()
	for id, old := range c.sess {
		// Sessions nobody signed out of would otherwise stay in memory.
		if now.Sub(old.seen) > c.cfg.IdleTimeout {
			delete(c.sess, id)
		}
	}
	lang := acc.Language
	if !validLang(lang) {
		lang = c.langOf(r, nil)
	}
	c.sess[t] = &session{account: acc, lang: lang, csrf: token(), seen: now}
	c.mu.Unlock()
	setCookie(w, signInCookie, "", -1)
	setCookie(w, sessionCookie, t, 0)
	c.audit1(r, acc, "sign_in", "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type ipFailures struct {
	n     int
	since time.Time
}

func remoteIP(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// throttled reports whether ip has failed MaxPerIP sign-ins in the current
// window, forgetting windows that ended.
func (c *Console) throttled(ip string) bool {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, f := range c.fails {
		if now.Sub(f.since) >= c.cfg.ThrottleFor {
			delete(c.fails, k)
		}
	}
	f := c.fails[ip]
	return f != nil && f.n >= c.cfg.MaxPerIP
}

func (c *Console) failedFrom(ip string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.fails[ip]; f != nil {
		f.n++
		return
	}
	c.fails[ip] = &ipFailures{n: 1, since: c.clock.Now()}
}

// authenticate returns the account when the password is right and the
// account is usable. EUNAUTHORIZED for anything wrong (the same answer for an
// unknown account and a wrong password), ELOCKED while locked.
func (c *Console) authenticate(ctx context.Context, id, password string) (Account, error) {
	wrong := app.Errorf(app.EUNAUTHORIZED, "Wrong account or password.")
	now := c.clock.Now()
	acc, err := c.cfg.Accounts.Account(ctx, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		if c.cfg.DummyHash != "" {
			c.cfg.CheckPassword(password, c.cfg.DummyHash)
		}
		return Account{}, wrong
	} else if err != nil {
		return Account{}, err
	}
	if now.Before(acc.LockedUntil) {
		return Account{}, app.Errorf(app.ELOCKED, "This account is locked after %d failed sign-ins until %s.", acc.Failed, acc.LockedUntil.In(c.cfg.Location).Format("15:04"))
	}
	if acc.Disabled || !allowed(acc.Role, anyRole) {
		return Account{}, wrong
	}
	if !c.cfg.CheckPassword(password, acc.Password) {
		failed, until := acc.Failed+1, time.Time{}
		if failed >= c.cfg.MaxFailures {
			until = now.Add(c.cfg.LockFor)
		}
		if err := c.cfg.Accounts.SetLockout(ctx, id, failed, until); err != nil {
			return Account{}, err
		}
		if !until.IsZero() {
			return Account{}, app.Errorf(app.ELOCKED, "This account is locked after %d failed sign-ins until %s.", failed, until.In(c.cfg.Location).Format("15:04"))
		}
		return Account{}, wrong
	}
	if acc.Failed != 0 || !acc.LockedUntil.IsZero() {
		if err := c.cfg.Accounts.SetLockout(ctx, id, 0, time.Time{}); err != nil {
			return Account{}, err
		}
	}
	return acc, nil
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	if _, t := c.current(r); t != "" {
		c.mu.Lock()
		delete(c.sess, t)
		c.mu.Unlock()
	}
	setCookie(w, sessionCookie, "", -1)
	c.audit1(r, s.account, "sign_out", "")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// audit1 appends one entry; a failing audit log is logged loudly (the page is
// still served: the audit file is local and failing means a full disk, which
// the health checks report).
func (c *Console) audit1(r *http.Request, a Account, action, detail string) {
	e := AuditEntry{At: c.clock.Now().UTC(), Account: a.ID, Role: a.Role, Action: action, Path: r.URL.Path,
		Query: r.URL.RawQuery, Detail: detail, Remote: r.RemoteAddr}
	if err := c.cfg.Audit.Append(r.Context(), e); err != nil {
		c.log.Error("console audit failed", "err", err, "account", a.ID, "action", action, "path", r.URL.Path)
	}
}

func (c *Console) render(w http.ResponseWriter, name string, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if v.Lang == "" {
		v.Lang = "en"
		if v.Session != nil {
			v.Lang = c.langOf(nil, v.Session)
		}
	}
	v.Langs = Languages
	v = translate(v)
	if err := c.tmpl[v.Lang].ExecuteTemplate(w, name, v); err != nil {
		c.log.Error("console template", "name", name, "err", err)
	}
}

// fail shows an error page: the sentence for people of an app error, or
// "internal error" (logged) for anything else.
func (c *Console) fail(w http.ResponseWriter, s *session, err error) {
	status, msg := http.StatusInternalServerError, "Internal error; the details are in HQ's log."
	switch app.ErrorCode(err) {
	case app.EINVALID:
		status, msg = http.StatusBadRequest, app.ErrorMessage(err)
	case app.ENOTFOUND:
		status, msg = http.StatusNotFound, app.ErrorMessage(err)
	default:
		c.log.Error("console", "err", err)
	}
	w.WriteHeader(status)
	c.render(w, "error.html", view{Session: s, Title: "Error", Error: msg})
}
