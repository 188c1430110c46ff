package hq_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// web is one person's browser on a running console.
type web struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// serveWithConsole runs `hq serve --console` on dir until the test ends and
// returns the console's URL and an HTTP client trusting HQ's CA.
func serveWithConsole(t *testing.T, dir string) (string, func() *http.Client) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	m := &hq.Main{Stdout: io.Discard, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler), ConsoleReady: func(url string) { ready <- url }}
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--data", dir, "--listen", "127.0.0.1:0", "--console", "127.0.0.1:0"})
	}()
	t.Cleanup(func() { cancel(); <-done })
	var base string
	select {
	case base = <-ready:
	case code := <-done:
		t.Fatalf("hq serve ended with %d", code)
	case <-time.After(60 * time.Second):
		t.Fatal("the console did not start")
	}
	ca, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return base, func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
}

func (w *web) do(req *http.Request) (int, string) {
	w.t.Helper()
	req.Header.Set("Origin", w.base)
	res, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRe.FindSubmatch(body); m != nil {
		w.csrf = string(m[1])
	}
	return res.StatusCode, string(body)
}

func (w *web) get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	return w.do(req)
}

func (w *web) post(path string, form url.Values) (int, string) {
	if form.Get("csrf") == "" {
		form.Set("csrf", w.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, w.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return w.do(req)
}

func (w *web) upload(path, name string, data []byte) (int, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", w.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return w.do(req)
}

func (w *web) signIn(id, password string) {
	w.t.Helper()
	w.get("/signin")
	if code, _ := w.post("/signin", url.Values{"account": {id}, "password": {password}}); code != http.StatusSeeOther {
		w.t.Fatalf("sign-in of %s: %d", id, code)
	}
	w.get("/")
}

// TestConsoleAdministration: an hq-admin administers officers, booths, lists
// and rules in the console through the same operations as the CLI — the
// changes land in HQ's administrative chain under the admin's name, a bundle
// downloads once and is a working bundle, a refusal shows the CLI's sentence,
// a form without the CSRF token and an analyst are refused.
func TestConsoleAdministration(t *testing.T) {
	dir := seededHQ(t)
	const pw = "Border-Account-2026"
	for _, a := range [][]string{{"--id", "ADM1", "--name", "Asel Admin", "--role", "hq-admin"}, {"--id", "AN1", "--name", "Aida Analyst", "--role", "analyst"}} {
		if code, _, errs := runIn(t, pw+"\n", append([]string{"officer", "add", "--data", dir, "--password-stdin"}, a...)...); code != 0 {
			t.Fatalf("officer add %v: %d %s", a, code, errs)
		}
	}
	base, client := serveWithConsole(t, dir)
	w := &web{t: t, base: base, c: client()}
	w.signIn("ADM1", pw)

	if code, page := w.get("/admin/officers"); code != 200 || !strings.Contains(page, "Aida Analyst") {
		t.Fatalf("officers page: %d", code)
	}
	add := url.Values{"id": {"K200"}, "name": {"Kubat Osmonov"}, "role": {"officer"}, "posts": {"dostuk"}, "language": {"ky"}, "password": {"Tash-Kumyr-7781"}}
	if code, page := w.post("/admin/officers", add); code != 200 || !strings.Contains(page, "Done: officer add K200") {
		t.Fatalf("add officer: %d\n%s", code, page)
	}
	if code, page := w.post("/admin/officers", add); code != 409 || !strings.Contains(page, "already exists") {
		t.Errorf("the same officer again: %d, want 409 with the CLI's sentence", code)
	}
	weak := url.Values{"id": {"K201"}, "name": {"Weak"}, "role": {"officer"}, "posts": {"DOSTUK"}, "language": {"ky"}, "password": {"short"}}
	if code, page := w.post("/admin/officers", weak); code != 400 || !strings.Contains(page, "12 to 128 characters") {
		t.Errorf("a weak password: %d", code)
	}
	if code, _ := w.post("/admin/officers/K200", url.Values{"do": {"update"}, "name": {"Kubat Osmonov"}, "role": {"supervisor"}, "posts": {"DOSTUK"}, "language": {"ru"}}); code != 200 {
		t.Errorf("update: %d", code)
	}
	if code, _ := w.post("/admin/officers/K200", url.Values{"do": {"disable"}}); code != 200 {
		t.Errorf("disable: %d", code)
	}
	if code, _ := w.post("/admin/officers/K200", url.Values{"do": {"enable"}}); code != 200 {
		t.Errorf("enable: %d", code)
	}
	if code, page := w.post("/admin/officers/K200", url.Values{"do": {"password"}, "password": {"Naryn-River-2027"}, "again": {"Naryn-River-2027"}}); code != 200 {
		t.Errorf("reset password: %d\n%s", code, page)
	}
	if code, _ := w.post("/admin/officers/K200", url.Values{"do": {"disable"}, "csrf": {"forged"}}); code != 403 {
		t.Errorf("a forged CSRF token: %d, want 403", code)
	}

	// Enrol: the bundle downloads once and is HQ's.
	code, page := w.post("/admin/booths", url.Values{"booth": {"NARYN-01"}, "post": {"naryn"}, "address": {"https://hq.example:8443"}})
	link := regexp.MustCompile(`href="(/admin/bundle/[^"]+)"`).FindStringSubmatch(page)
	if code != 200 || link == nil {
		t.Fatalf("enrol: %d\n%s", code, page)
	}
	code, body := w.get(link[1])
	b, err := wire.ParseBundle([]byte(body))
	if code != 200 || err != nil || b.BoothID != "NARYN-01" || b.Post != "NARYN" || b.HQAddress != "https://hq.example:8443" {
		t.Fatalf("bundle: %d %v %+v", code, err, b)
	}
	if code, _ := w.get(link[1]); code != 404 {
		t.Errorf("the bundle a second time: %d, want 404", code)
	}
	if code, page := w.post("/admin/booths/NARYN-01/revoke", url.Values{"confirm": {"wrong"}}); code != 400 || !strings.Contains(page, "to confirm") {
		t.Errorf("revoke unconfirmed: %d", code)
	}
	if code, _ := w.post("/admin/booths/NARYN-01/revoke", url.Values{"confirm": {"NARYN-01"}}); code != 200 {
		t.Errorf("revoke: %d", code)
	}

	// Publication: the same checks as hq lists|rules import.
	if code, page := w.upload("/admin/publish/lists", "lists.jsonl", []byte(fmt.Sprintf(listSnapshot, 4))); code != 200 || !strings.Contains(page, "lists version 4") {
		t.Errorf("publish lists: %d\n%s", code, page)
	}
	if code, page := w.upload("/admin/publish/lists", "lists.jsonl", []byte(fmt.Sprintf(listSnapshot, 4))); code != 409 || !strings.Contains(page, "not newer") {
		t.Errorf("the same lists again: %d", code)
	}
	kgz, _ := fs.ReadFile(assets.FS, "rules/kgz.json")
	if code, page := w.upload("/admin/publish/rules", "kgz.json", kgz); code != 200 || !strings.Contains(page, "rules version 1") {
		t.Errorf("publish rules: %d\n%s", code, page)
	}

	an := &web{t: t, base: base, c: client()}
	an.signIn("AN1", pw)
	if code, _ := an.get("/admin/officers"); code != 403 {
		t.Errorf("an analyst on the administration page: %d", code)
	}

	// What the console did is in HQ's chain under the admin's name, and in the store.
	s, err := hq.Open(context.Background(), hq.Config{DataDir: dir, Listen: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	log, _ := s.Store().AdminLog(context.Background(), 0)
	var actions []string
	for _, e := range log {
		if e.Actor == "ADM1" {
			actions = append(actions, e.Action)
		}
	}
	if got, want := strings.Join(actions, ","), "officer_add,officer_update,officer_disable,officer_enable,officer_reset_password"; got != want {
		t.Errorf("chain entries by ADM1: %s, want %s", got, want)
	}
	if bo, err := s.Store().Booth(context.Background(), "NARYN-01"); err != nil || bo.RevokedAt.IsZero() {
		t.Errorf("NARYN-01: %+v %v, want revoked", bo, err)
	}
	if v, _ := s.Store().Latest(context.Background(), store.Rules); v != 1 {
		t.Errorf("rules version %d", v)
	}
}

// TestReportMonthly: `hq report --monthly` prints the console's monthly
// report as CSV and PDF; a bad month or format is a usage error.
func TestReportMonthly(t *testing.T) {
	dir := seededHQ(t)
	code, out, errs := run(t, "report", "--data", dir, "--monthly", "2026-12", "--format", "csv")
	// seededHQ: three real crossings at DOSTUK (one on 3 December, local), one refused on ground C.
	if code != 0 || !strings.Contains(out, "2026-12,crossings_by_post,DOSTUK,entry,,2,1,1,0\n") ||
		!strings.Contains(out, "2026-12,refusals_by_ground,C,,,1,,,\n") {
		t.Errorf("csv: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, "report", "--data", dir, "--monthly", "2026-12", "--format", "pdf"); code != 0 || !strings.HasPrefix(out, "%PDF-") {
		t.Errorf("pdf: %d", code)
	}
	if code, _, errs := run(t, "report", "--data", dir, "--monthly", "December", "--format", "pdf"); code != 2 || !strings.Contains(errs, "not a month") {
		t.Errorf("bad month: %d %s", code, errs)
	}
	if code, _, _ := run(t, "report", "--data", dir, "--monthly", "2026-12", "--format", "json"); code != 2 {
		t.Errorf("json monthly: %d, want a usage error", code)
	}
}
