package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium; the test skips without it (fails in CI).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHEKARA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	_, err := exec.LookPath("chromium")
	if err == nil {
		err = errors.New("chromium is on PATH but not at /usr/bin/chromium")
	}
	testenv.Require(t, "chromium", err)
	return ""
}

// shots is where the console's screenshots go: docs/screenshots when
// CHEKARA_SCREENSHOTS=1 (regenerated on purpose), else a temporary folder.
func shots(t *testing.T) string {
	if os.Getenv("CHEKARA_SCREENSHOTS") == "1" {
		return filepath.Join("..", "..", "docs", "screenshots")
	}
	if d := os.Getenv("CHEKARA_SCREENSHOTS_DIR"); d != "" {
		return d
	}
	return t.TempDir()
}

// TestInBrowser drives a real Chromium through the console: sign in, the
// overview's figures and their live update after an upload, flows with the
// chart, the CSV export from the browser's session, a refused page for the
// role, a forged sign-out refused, and the sign-out.
func TestInBrowser(t *testing.T) {
	bin := chromium(t)
	r := newRig(t)
	r.seed()
	// Chromium trusts exactly the console's certificate key, as a post would
	// after installing HQ's CA: no blanket ignoring of certificate errors.
	spki := sha256.Sum256(r.srv.Certificate().RawSubjectPublicKeyInfo)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(spki[:])),
		chromedp.WindowSize(1366, 768),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first action starts the browser and must not carry a deadline;
	// every later step gets one, so a missing element fails instead of hanging.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	step := func() context.Context {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		t.Cleanup(cancel)
		return c
	}
	dir := shots(t)
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, "console-"+name+".png"), buf, 0o644)
		})
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(step(), steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(step(), chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(step(), chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := r.srv.URL
	do(chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("account")),
		shot("sign-in"),
		chromedp.SendKeys(chromedp.ID("account"), "aida"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse"),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("live")))
	today := text("live")
	// The figures `hq report`/the API give: today DOSTUK entry 2 (1 admitted,
	// 1 refused), exit 1; TORUGART entry 1; this week 5 in all.
	for _, want := range []string{"DOSTUK\tentry\t2\t1\t1\t0", "DOSTUK\texit\t1\t1\t0\t0", "TORUGART\tentry\t1\t1\t0\t0", "Total\t\t5\t"} {
		if !strings.Contains(today, want) {
			t.Errorf("overview lacks %q:\n%s", want, today)
		}
	}

	// An upload shows within 10 s without reloading the page.
	start := time.Now()
	r.upload("TORUGART-01", "TORUGART", cross(app.Exit, app.Admit, "", "KAZ", "P", now))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("live").innerText.includes("TORUGART\texit")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the upload did not show within 10 s: %v", err)
	}
	t.Logf("upload shown after %v", time.Since(start).Round(100*time.Millisecond))
	do(shot("overview"))

	do(chromedp.Navigate(base+"/flows?period=day&by=post&from=2026-11-01&to=2026-12-04"),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")),
		shot("flows"))
	if bars := eval(`String(document.querySelectorAll("svg.chart rect").length)`); bars == "0" {
		t.Error("the flows chart has no bars")
	}
	// The export, with the browser's own session.
	if got, want := eval(`fetch("/flows.csv?by=post&decision=refuse").then(r => r.text())`), "post,crossings,admitted,refused,referred\nDOSTUK,2,0,2,0\n"; got != want {
		t.Errorf("CSV export: got %q, want %q", got, want)
	}
	do(chromedp.Navigate(base+"/refusals?from=2026-11-01&to=2026-12-04"),
		chromedp.WaitVisible(chromedp.CSS("table")),
		shot("refusals"),
		chromedp.Navigate(base+"/hits"),
		chromedp.WaitVisible(chromedp.CSS("table")),
		shot("hits"),
		chromedp.Navigate(base+"/booths"),
		chromedp.WaitVisible(chromedp.CSS("table")),
		shot("booths"),
		// An analyst may not open the audit.
		chromedp.Navigate(base+"/audit"),
		chromedp.WaitVisible(chromedp.ID("error")))
	if refused := text("error"); !strings.Contains(refused, "may not open") {
		t.Errorf("audit page for an analyst: %q", refused)
	}
	// A sign-out posted without the page's token is refused.
	if forged := eval(`fetch("/signout", {method: "POST", body: new URLSearchParams({csrf: "forged"})}).then(r => String(r.status))`); forged != "403" {
		t.Errorf("forged sign-out: %s, want 403", forged)
	}
	do(chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("signout")),
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("account")))
	if after := eval(`fetch("/api/v1/statistics?by=post,day").then(r => String(r.status))`); after != "401" {
		t.Errorf("API after sign-out: %s, want 401", after)
	}
}
