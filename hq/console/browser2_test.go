package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chromedp/chromedp"
)

// chrome is a headless Chromium on one console.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

func newChrome(t *testing.T, srv *httptest.Server) *chrome {
	t.Helper()
	bin := chromium(t)
	spki := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(spki[:])),
		chromedp.WindowSize(1366, 768))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return &chrome{t: t, ctx: ctx, base: srv.URL, dir: shots(t)}
}

func (c *chrome) step() context.Context {
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	c.t.Cleanup(cancel)
	return ctx
}

func (c *chrome) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.step(), steps...); err != nil {
		c.t.Fatal(err)
	}
}

func (c *chrome) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(c.dir, "console-"+name+".png"), buf, 0o644)
	})
}

func (c *chrome) text(sel string) string {
	c.t.Helper()
	s, err := chromedp.Run(c.step(), chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

func (c *chrome) signIn(account, password string) {
	c.t.Helper()
	c.do(chromedp.Navigate(c.base+"/signin"), chromedp.WaitVisible(chromedp.ID("account")),
		chromedp.SendKeys(chromedp.ID("account"), account), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("live")))
}

func (c *chrome) signOut() {
	c.t.Helper()
	c.do(chromedp.Navigate(c.base+"/"), chromedp.WaitVisible(chromedp.ID("signout")), chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("account")))
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// TestInBrowserHealthAuditReports: in Chromium, the booth health page with
// a booth's reported state and a clock jump, the auditor's audit page, the
// monthly report with its downloads, and the overview in Kyrgyz.
func TestInBrowserHealthAuditReports(t *testing.T) {
	r := newRig(t)
	r.seed()
	ctx := context.Background()
	p := []byte(`{"format":2}`)
	sum := sha256.Sum256(p)
	for i, clockOff := range []time.Duration{4 * time.Second, -9 * time.Minute} {
		seq := r.seq["TORUGART-01"] + 1
		b := store.Batch{Booth: "TORUGART-01", From: r.seq["TORUGART-01"] + 1, To: seq, Source: "link",
			Records: []store.Record{{Booth: "TORUGART-01", Seq: seq, ID: "sa-" + string(rune('a'+i)), Kind: wire.KindSetAside, Payload: p, SHA256: sum[:]}},
			State:   &store.BoothState{BoothClock: r.clock.Now().Add(clockOff), Backlog: 37, OldestPending: r.clock.Now().Add(-3 * time.Hour), Lists: 2, Rules: 1}}
		r.seq["TORUGART-01"] = seq
		if _, err := r.store.Apply(ctx, b, r.clock.Now()); err != nil {
			t.Fatal(err)
		}
		r.clock.Add(time.Minute)
	}
	for i, who := range []string{"ASANOV", "ASANOV", "BEKOV"} {
		r.store.AuditLookup(ctx, store.Lookup{At: now.Add(time.Duration(i-5) * time.Hour), Booth: "DOSTUK-01", OfficerID: "K100", InspectionID: "insp",
			Person: app.TravellerKey{Surname: who, BirthDate: "1990-01-01", Nationality: "KGZ"}})
	}
	r.store.ChangeAccount(ctx, "K100", now, "ADM1", func(store.Account, bool) (store.Account, store.AdminEntry, error) {
		return store.Account{ID: "K100", Name: "Kubat", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Language: "ky", Password: "x"},
			store.AdminEntry{Action: "officer_add", Detail: `{"role":"officer","posts":["DOSTUK"]}`}, nil
	})
	r.overstay("UZB", "DOSTUK", "2026-11-20")
	r.overstay("UZB", "DOSTUK", "2026-12-01")
	r.overstay("TJK", "TORUGART", "2026-10-02")
	r.acc.add(console.Account{ID: "bakyt", Name: "Бакыт Асанов", Role: console.RoleAnalyst, Language: "ky", Password: "plain:tuz jol 2026"})

	c := newChrome(t, r.srv)
	c.signIn("aida", "correct horse")
	c.do(chromedp.Navigate(c.base+"/booths"), chromedp.WaitVisible(chromedp.CSS("table")), c.shot("booth-health"))
	contains(t, "booth health", c.text("main"), "TORUGART-01", "37", "2 h", "−9 min ⚠", "clock jump")
	c.do(chromedp.Navigate(c.base+"/overstayers"), chromedp.WaitVisible(chromedp.CSS("table")), c.shot("overstayers"))
	contains(t, "overstayers", c.text("main"), "past their limit on 2026-12-04", "UZB\tDOSTUK\t2\t2026-11-20", "TJK\tTORUGART\t1\t2026-10-02", "Total\t\t3")
	c.do(chromedp.Navigate(c.base+"/reports?month=2026-12"), chromedp.WaitVisible(chromedp.ID("pdf")), c.shot("monthly-report"))
	contains(t, "monthly report", c.text("main"), "4 real crossings in 2026-12", "Overstays by nationality and entry post", "past their limit on 2026-12-04", "UZB")
	pdf, err := chromedp.Run(c.step(), chromedp.Evaluate[string](`fetch(document.getElementById("pdf").href).then(r => r.text()).then(s => s.slice(0, 5))`, chromedp.EvalAwaitPromise))
	if err != nil || pdf != "%PDF-" {
		t.Errorf("the PDF download: %q %v", pdf, err)
	}
	c.signOut()

	c.signIn("timur", "battery staple")
	c.do(chromedp.Navigate(c.base+"/audit"), chromedp.WaitVisible(chromedp.CSS("table")), c.shot("audit"))
	contains(t, "audit page", c.text("main"), "by officer (3)", "K100", "ASANOV 1990-01-01 KGZ", "officer_add", "Administrative chain: 1 changes, intact.", "chain intact")
	c.do(chromedp.Navigate(c.base+"/audit?traveller=BEKOV"), chromedp.WaitVisible(chromedp.CSS("table")))
	contains(t, "audit filtered by traveller", c.text("main"), "by officer (1)", "BEKOV")
	c.signOut()

	c.signIn("bakyt", "tuz jol 2026")
	c.do(c.shot("overview-ky"))
	contains(t, "overview in Kyrgyz", c.text("body"), "Жалпы көрүнүш", "Кесип өтүүлөр", "Бүгүн, 2026-12-04")
	c.do(chromedp.Click(chromedp.ID("lang-ru")), chromedp.WaitVisible(chromedp.ID("live")))
	contains(t, "overview in Russian", c.text("body"), "Обзор", "Пересечения")
}

// TestInBrowserAdministration: an hq-admin in Chromium adds an officer,
// enrols a booth and downloads its bundle once, through HQ's own
// operations; an analyst does not see the page.
func TestInBrowserAdministration(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	h.Enrol(t, "DOSTUK-01", "DOSTUK") // officers need a post with a booth
	r := newRig(t, func(c *console.Config) { c.Stats, c.Admin = h.Store(), hq.ConsoleAdmin(h.Server) })
	r.acc.add(console.Account{ID: "asel", Name: "Asel Admin", Role: console.RoleHQAdmin, Password: "plain:admin pass 1"})
	c := newChrome(t, r.srv)
	c.signIn("asel", "admin pass 1")
	c.do(chromedp.Navigate(c.base+"/admin/officers"), chromedp.WaitVisible(chromedp.ID("add-officer")),
		chromedp.SendKeys(chromedp.CSS(`#add-officer input[name=id]`), "K300"),
		chromedp.SendKeys(chromedp.CSS(`#add-officer input[name=name]`), "Нурлан Токтогулов"),
		chromedp.SendKeys(chromedp.CSS(`#add-officer input[name=posts]`), "DOSTUK"),
		chromedp.SendKeys(chromedp.CSS(`#add-officer input[name=password]`), "Chong-Kemin-5520"),
		chromedp.Click(chromedp.CSS(`#add-officer button`)),
		chromedp.WaitVisible(chromedp.ID("done")), c.shot("admin-officers"))
	contains(t, "officers page", c.text("main"), "Done: officer add K300", "Нурлан Токтогулов")
	if a, err := h.Store().Account(context.Background(), "K300"); err != nil || a.Posts[0] != "DOSTUK" || a.Role != app.RoleOfficer {
		t.Errorf("K300 at HQ: %+v %v", a, err)
	}
	c.do(chromedp.Navigate(c.base+"/admin/booths"), chromedp.WaitVisible(chromedp.ID("enrol")),
		chromedp.SendKeys(chromedp.CSS(`#enrol input[name=booth]`), "DOSTUK-02"),
		chromedp.SendKeys(chromedp.CSS(`#enrol input[name=post]`), "DOSTUK"),
		chromedp.SendKeys(chromedp.CSS(`#enrol input[name=address]`), "https://hq.example:8443"),
		chromedp.Click(chromedp.CSS(`#enrol button`)),
		chromedp.WaitVisible(chromedp.ID("bundle")), c.shot("admin-booths"))
	first, err := chromedp.Run(c.step(), chromedp.Evaluate[string](`fetch(document.getElementById("bundle").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if b, perr := wire.ParseBundle([]byte(first)); err != nil || perr != nil || b.BoothID != "DOSTUK-02" {
		t.Fatalf("bundle download: %v %v", err, perr)
	}
	again, _ := chromedp.Run(c.step(), chromedp.Evaluate[string](`fetch(document.getElementById("bundle").href).then(r => String(r.status))`, chromedp.EvalAwaitPromise))
	if again != "404" {
		t.Errorf("second download: %s, want 404", again)
	}
	c.do(chromedp.Navigate(c.base+"/admin/publish"), chromedp.WaitVisible(chromedp.ID("publish-lists")), c.shot("admin-publish"))
}
