package hq_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// seededHQ makes an HQ data folder holding crossings of two days at DOSTUK,
// one of them a training crossing (never counted).
func seededHQ(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := hq.Open(ctx, hq.Config{DataDir: dir, Listen: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Enrol(ctx, "DOSTUK-07", "DOSTUK", "https://127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	kgt := time.FixedZone("KGT", 6*3600)
	b := store.Batch{Booth: "DOSTUK-07", From: 1, Source: "link"}
	for i, c := range []app.Crossing{
		{Direction: app.Entry, Decision: app.Admit, BoothTime: time.Date(2026, 12, 3, 23, 50, 0, 0, kgt)},
		{Direction: app.Entry, Decision: app.Refuse, RefusalReason: "C", BoothTime: time.Date(2026, 12, 4, 0, 10, 0, 0, kgt)},
		{Direction: app.Exit, Decision: app.Admit, BoothTime: time.Date(2026, 12, 4, 9, 0, 0, 0, kgt)},
		{Direction: app.Exit, Decision: app.Admit, BoothTime: time.Date(2026, 12, 4, 9, 5, 0, 0, kgt), Training: true},
	} {
		c.ID, c.Post, c.Booth, c.DocumentCode = fmt.Sprintf("rec-%d", i+1), "DOSTUK", "DOSTUK-07", "P"
		c.Traveller = app.TravellerKey{Surname: "ASANOV", BirthDate: "1990-01-01", Nationality: "KGZ"}
		payload := wire.EncodeCrossing(c)
		sum := sha256.Sum256(payload)
		b.Records = append(b.Records, store.Record{Booth: c.Booth, Seq: int64(i + 1), ID: c.ID, Kind: wire.KindOf(c), Payload: payload, SHA256: sum[:]})
	}
	b.To = int64(len(b.Records))
	if _, err := s.Store().Apply(ctx, b, time.Now()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReportBy(t *testing.T) {
	dir := seededHQ(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"json by post and local day", []string{"--by", "post,day"}, 0,
			`{"crossings":3,"overrides":0,"set_aside":0,"rows":[{"admitted":1,"crossings":1,"day":"2026-12-03","post":"DOSTUK","referred":0,"refused":0},` +
				`{"admitted":1,"crossings":2,"day":"2026-12-04","post":"DOSTUK","referred":0,"refused":1}],"booths":[{"id":"DOSTUK-07","post":"DOSTUK","crossings":3,"overrides":0,"set_aside":0,"last_sync":`},
		{"csv by direction, one day", []string{"--by", "direction", "--from", "2026-12-04", "--to", "2026-12-04", "--format", "csv"}, 0,
			"direction,crossings,admitted,refused,referred\nentry,1,0,1,0\nexit,1,1,0,0\n"},
		{"text by decision", []string{"--by", "decision", "--format", "text"}, 0,
			"decision  crossings  admitted  refused  referred\nadmit     2          2         0        0\nrefuse    1          0         1        0\n"},
		{"unknown key", []string{"--by", "officer"}, 1, ""},
		{"range without --by", []string{"--from", "2026-12-04"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"report", "--data", dir}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (%s)", code, tt.code, errs)
			}
			if !strings.HasPrefix(out, tt.want) {
				t.Errorf("got  %s\nwant %s…", out, tt.want)
			}
		})
	}
}

// consoleAccounts is a fake of the HQ accounts (issue 13 builds the real ones).
type consoleAccounts map[string]console.Account

func (a consoleAccounts) Account(_ context.Context, id string) (console.Account, error) {
	if acc, ok := a[id]; ok {
		return acc, nil
	}
	return console.Account{}, app.Errorf(app.ENOTFOUND, "no account %s", id)
}

func (a consoleAccounts) SetLockout(context.Context, string, int, time.Time) error { return nil }

// TestServeConsole: `hq serve --console` answers over HTTPS with HQ's own
// certificate (it verifies against HQ's CA), 401 without a session, and the
// figures after a sign-in.
func TestServeConsole(t *testing.T) {
	dir := seededHQ(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	m := &hq.Main{Stdout: os.Stdout, Stderr: os.Stderr, Logger: slog.New(slog.DiscardHandler),
		ConsoleAccounts: consoleAccounts{"aida": {ID: "aida", Role: console.RoleAnalyst, Password: "x"}},
		CheckPassword:   func(p, h string) bool { return p == h },
		ConsoleReady:    func(url string) { ready <- url }}
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--data", dir, "--listen", "127.0.0.1:0", "--console", "127.0.0.1:0"})
	}()
	var url string
	select {
	case url = <-ready:
	case code := <-done:
		t.Fatalf("hq serve ended with %d", code)
	case <-time.After(30 * time.Second):
		t.Fatal("the console did not start")
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := c.Get(url + "/api/v1/statistics?by=post,day")
	if err != nil {
		t.Fatal(err) // includes a certificate HQ's CA did not issue
	}
	res.Body.Close()
	if got, want := res.StatusCode, http.StatusUnauthorized; got != want {
		t.Errorf("API without a session: %d, want %d", got, want)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("hq serve ended with %d", code)
	}
}

// TestServeConsoleWithHQAccounts: `hq serve --console` signs in the HQ accounts
// `hq officer add` made, and never a booth officer.
func TestServeConsoleWithHQAccounts(t *testing.T) {
	dir := seededHQ(t)
	const pw = "Border-Account-2026"
	for _, a := range [][]string{
		{"--id", "AN1", "--name", "Aida Analyst", "--role", "analyst"},
		{"--id", "K100", "--name", "Kubat Osmonov", "--role", "officer", "--posts", "DOSTUK"},
	} {
		if code, _, errs := runIn(t, pw+"\n", append([]string{"officer", "add", "--data", dir, "--password-stdin"}, a...)...); code != 0 {
			t.Fatalf("officer add %v: %d %s", a, code, errs)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	m := &hq.Main{Stdout: os.Stdout, Stderr: os.Stderr, Logger: slog.New(slog.DiscardHandler),
		ConsoleReady: func(url string) { ready <- url }}
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--data", dir, "--listen", "127.0.0.1:0", "--console", "127.0.0.1:0"})
	}()
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
	signIn := func(id string) int {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		res, err := c.Get(base + "/signin")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the sign-in page")
		}
		req, _ := http.NewRequest(http.MethodPost, base+"/signin", strings.NewReader(url.Values{"account": {id}, "password": {pw}, "csrf": {string(m[1])}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		if res, err = c.Do(req); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		res, err = c.Get(base + "/api/v1/statistics?by=post")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := signIn("AN1"); got != http.StatusOK {
		t.Errorf("an analyst made with hq officer add: API %d after sign-in, want 200", got)
	}
	if got := signIn("K100"); got != http.StatusUnauthorized {
		t.Errorf("a booth officer: API %d after sign-in, want 401 (the console is for HQ's roles)", got)
	}
	cancel()
	<-done
}
