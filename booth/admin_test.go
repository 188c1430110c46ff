package booth_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
)

var citizen = mrz.Fields{IssuingState: "KGZ", Surname: "SADYKOV", GivenNames: "NURLAN", DocumentNumber: "AC7000001",
	Nationality: "KGZ", BirthDateISO: "1984-06-01", Sex: "M", ExpiryDateISO: "2031-06-01"}

// adminBooth opens a booth working alone with a post-admin (PA1) and an
// officer (K1); PA1 is signed in.
func adminBooth(t *testing.T) (*booth.Booth, *clock, string) {
	t.Helper()
	ctx := context.Background()
	clk := &clock{today}
	dir := t.TempDir()
	b, err := booth.Open(ctx, booth.Config{DataDir: dir, Post: "DOSTUK", Booth: "DOSTUK-07", Clock: clk, Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for _, o := range []app.Officer{
		{ID: "PA1", Name: "Post Admin", Role: app.RolePostAdmin, Language: "en"},
		{ID: "K1", Name: "K One", Role: app.RoleOfficer, Language: "en"},
	} {
		if err := b.Store.SaveOfficer(ctx, o, "pw-"+o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.App.SignIn(ctx, "PA1", "pw-PA1"); err != nil {
		t.Fatal(err)
	}
	return b, clk, dir
}

// lastAudit returns the booth's newest audit entry.
func lastAudit(t *testing.T, b *booth.Booth) app.AuditEntry {
	t.Helper()
	es, err := b.Store.AuditEntries(context.Background(), 0, 100000)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit: %d entries, %v", len(es), err)
	}
	return es[len(es)-1]
}

// TestAdministrationRole: only a signed-in, unlocked post-admin reaches any
// administrative action — the core refuses everyone else, whatever a window
// shows.
func TestAdministrationRole(t *testing.T) {
	ctx := context.Background()
	b, _, dir := adminBooth(t)
	actions := map[string]func() error{
		"devices":      func() error { _, err := b.App.Devices(ctx); return err },
		"save devices": func() error { return b.App.SaveDevices(ctx, app.DeviceSettings{}) },
		"link":         func() error { _, err := b.App.LinkDetail(ctx); return err },
		"sync now":     func() error { return b.App.SyncNow(ctx) },
		"back up":      func() error { _, err := b.App.BackUp(ctx, dir); return err },
		"verify audit": func() error { _, err := b.App.VerifyAudit(ctx); return err },
		"reader test":  func() error { _, err := b.App.CheckRead(ctx, td3(t, citizen)); return err },
	}
	refused := func(who string) {
		t.Helper()
		for name, f := range actions {
			if err := f(); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Errorf("%s, %s: %v, want EUNAUTHORIZED", who, name, err)
			}
		}
	}
	if _, err := b.App.SignIn(ctx, "K1", "pw-K1"); err != nil {
		t.Fatal(err)
	}
	refused("an officer")
	if _, err := b.App.SignIn(ctx, "PA1", "pw-PA1"); err != nil {
		t.Fatal(err)
	}
	if err := b.App.Lock(ctx, "on_demand"); err != nil {
		t.Fatal(err)
	}
	refused("a locked post-admin")
	if err := b.App.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	refused("nobody")
	if _, err := os.Stat(filepath.Join(dir, booth.DevicesFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused saves wrote %s: %v", booth.DevicesFile, err)
	}
}

// TestAdminDevices: the reader and camera settings are checked, saved to the
// booth's configuration, handed on to be applied and audited; settings that
// cannot work are refused with a sentence and nothing is saved.
func TestAdminDevices(t *testing.T) {
	ctx := context.Background()
	b, _, dir := adminBooth(t)
	if d, err := b.App.Devices(ctx); err != nil || d != (app.DeviceSettings{}) {
		t.Fatalf("devices of a new booth: %+v, %v; want none", d, err)
	}
	// Until settings are saved, the screen shows what the booth started with.
	flags := app.DeviceSettings{ReaderPort: "/dev/ttyS0", ReaderProtocol: "lines", ReaderBaud: 9600}
	b.Admin.SetStarted(flags)
	if d, err := b.App.Devices(ctx); err != nil || d != flags {
		t.Fatalf("devices started from the command line: %+v, %v; want %+v", d, err, flags)
	}
	var applied []app.DeviceSettings
	b.Admin.OnDevices(func(d app.DeviceSettings) { applied = append(applied, d) })
	for _, tt := range []struct {
		name string
		d    app.DeviceSettings
		want string
	}{
		{"an unknown protocol", app.DeviceSettings{ReaderPort: "/dev/ttyUSB0", ReaderProtocol: "telex"}, "protocol"},
		{"a negative baud rate", app.DeviceSettings{ReaderPort: "/dev/ttyUSB0", ReaderProtocol: "3m", ReaderBaud: -9600}, "baud"},
		{"a protocol without a port", app.DeviceSettings{ReaderProtocol: "3m"}, "serial port"},
		{"a camera that is not there", app.DeviceSettings{Camera: filepath.Join(dir, "no-such-camera")}, "no camera"},
	} {
		err := b.App.SaveDevices(ctx, tt.d)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tt.want) {
			t.Errorf("%s: %v, want EINVALID naming %q", tt.name, err, tt.want)
		}
	}
	if len(applied) != 0 {
		t.Fatalf("refused settings were applied: %+v", applied)
	}
	if _, err := os.Stat(filepath.Join(dir, booth.DevicesFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("refused settings were saved: %v", err)
	}

	pictures := t.TempDir()
	want := app.DeviceSettings{ReaderPort: "/dev/serial/by-id/usb-3M_reader", ReaderProtocol: "3m", ReaderBaud: 115200, Camera: pictures}
	if err := b.App.SaveDevices(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := booth.LoadDevices(dir); err != nil || got != want {
		t.Errorf("saved settings read back as %+v (%v), want %+v", got, err, want)
	}
	if got, err := b.App.Devices(ctx); err != nil || got != want {
		t.Errorf("devices after saving: %+v (%v), want the saved %+v", got, err, want)
	}
	if len(applied) != 1 || applied[0] != want {
		t.Errorf("applied %+v, want %+v once", applied, want)
	}
	st, err := os.Stat(filepath.Join(dir, booth.DevicesFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v %v, want mode 0600", booth.DevicesFile, st.Mode(), err)
	}
	e := lastAudit(t, b)
	var d app.DeviceSettings
	if e.Action != app.AuditDevicesSaved || e.OfficerID != "PA1" || json.Unmarshal([]byte(e.Detail), &d) != nil || d != want {
		t.Errorf("audit %s by %s: %s; want the settings saved by PA1", e.Action, e.OfficerID, e.Detail)
	}
	// A booth without a reader: everything cleared.
	if err := b.App.SaveDevices(ctx, app.DeviceSettings{}); err != nil {
		t.Errorf("clearing the devices: %v", err)
	}
}

// TestAdminReaderTest: the reader test checks what the reader sends and shows
// it, records no inspection and keeps the status bar's reader state.
func TestAdminReaderTest(t *testing.T) {
	ctx := context.Background()
	b, _, _ := adminBooth(t)
	c, err := b.App.CheckRead(ctx, app.ReaderEvent{Kind: app.ReaderDisconnected, Message: "Document reader not found — reconnecting"})
	if err != nil || c.Kind != app.ReaderDisconnected {
		t.Fatalf("disconnect: %+v %v", c, err)
	}
	if got := b.App.Status(ctx).Reader.State; got != "disconnected" {
		t.Errorf("reader state %q after a disconnect in the test, want disconnected", got)
	}
	ev := td3(t, citizen)
	c, err = b.App.CheckRead(ctx, ev)
	if err != nil || !c.Valid || c.DocumentCode != "P" || len(c.Lines) != 2 {
		t.Fatalf("a valid passport: %+v %v", c, err)
	}
	if got := b.App.Status(ctx).Reader.State; got != "connected" {
		t.Errorf("reader state %q after a read, want connected", got)
	}
	bad := ev
	bad.Lines = []string{ev.Lines[0], ev.Lines[1][:9] + "0" + ev.Lines[1][10:]} // the number's check digit
	if ev.Lines[1][9] == '0' {
		bad.Lines[1] = ev.Lines[1][:9] + "1" + ev.Lines[1][10:]
	}
	c, err = b.App.CheckRead(ctx, bad)
	if err != nil || c.Valid || len(c.Problems) == 0 {
		t.Fatalf("a bad check digit: %+v %v", c, err)
	}
	if e := lastAudit(t, b); e.Action != app.AuditReaderTest || strings.Contains(e.Detail, "SADYKOV") {
		t.Errorf("audit %s %s, want a reader test without the traveller's data", e.Action, e.Detail)
	}
	if n, err := b.Store.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending %d (%v) after reader tests, want 0: nothing recorded", n, err)
	}
	if b.App.Current() != nil {
		t.Error("a reader test put a document on the inspection screen")
	}
}

// TestAdminBackup: a backup to a folder is a copy made while the booth works,
// verified (it opens, its chain is whole and reaches the booth's head), and
// audited; a folder that is not there is refused.
func TestAdminBackup(t *testing.T) {
	ctx := context.Background()
	b, _, _ := adminBooth(t)
	if _, err := b.App.SignIn(ctx, "K1", "pw-K1"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Present(ctx, td3(t, citizen)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.SignIn(ctx, "PA1", "pw-PA1"); err != nil {
		t.Fatal(err)
	}
	usb := t.TempDir()
	if _, err := b.App.BackUp(ctx, filepath.Join(usb, "not-plugged")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a folder that is not there: %v, want EINVALID", err)
	}
	if _, err := b.App.BackUp(ctx, ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no folder: %v, want EINVALID", err)
	}
	bk, err := b.App.BackUp(ctx, usb)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(bk.File), "chekara-DOSTUK-07-20261125-090000.db"; got != want {
		t.Errorf("backup named %s, want %s", got, want)
	}
	if bk.Crossings != 1 || bk.AuditEntries < 5 || bk.Bytes == 0 {
		t.Errorf("backup %+v, want the crossing and the audit chain", bk)
	}
	// The copy is a booth store of its own: it opens and holds the crossing.
	cp, err := store.Open(bk.File, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	n, err := cp.Pending(ctx)
	cp.Close()
	if err != nil || n != 1 {
		t.Errorf("the copy holds %d pending records (%v), want 1", n, err)
	}
	if e := lastAudit(t, b); e.Action != app.AuditBackup || e.Subject != bk.File || e.OfficerID != "PA1" {
		t.Errorf("audit %s %s by %s, want the backup by PA1", e.Action, e.Subject, e.OfficerID)
	}
	if _, err := b.App.BackUp(ctx, usb); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second backup in the same second: %v, want ECONFLICT (never overwritten)", err)
	}

	r, err := b.App.VerifyAudit(ctx)
	if err != nil || !r.Intact() || r.Entries < 5 {
		t.Errorf("audit verify: %+v %v, want a whole chain", r, err)
	}
	if e := lastAudit(t, b); e.Action != app.AuditVerified {
		t.Errorf("audit %s, want the verification on record", e.Action)
	}
}

// TestAdminLink: the HQ link in detail and "sync now" against a real HQ over
// mutual TLS: records waiting and the oldest one's age before, nothing
// waiting and the directory's version after; with HQ gone, the last attempt
// moves, the last success does not, and the error is in words.
func TestAdminLink(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	bundle := h.bundle(t, "DOSTUK-07", "DOSTUK")
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "PA1", Name: "Aida Bekova", Role: app.RolePostAdmin, Posts: []string{"DOSTUK"}, Password: pw},
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw},
	} {
		if _, err := h.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{today}
	b := enrolledBooth(t, bundle, clk)
	if _, err := b.App.SignIn(ctx, "K100", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Present(ctx, td3(t, citizen)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}
	decided := clk.Now()
	clk.add(90 * time.Minute)
	if _, err := b.App.SignIn(ctx, "PA1", pw); err != nil {
		t.Fatal(err)
	}
	d, err := b.App.LinkDetail(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pending != 1 || !d.OldestPending.Equal(decided) || d.OldestAge() != 90*time.Minute {
		t.Errorf("before sync: pending %d, oldest %v (%v old); want 1 from %v, 90m old", d.Pending, d.OldestPending, d.OldestAge(), decided)
	}
	if d.Officers.Name != "v2" || d.Rules.Name == "" {
		t.Errorf("versions: officers %q rules %q; want the directory v2 and HQ's rules", d.Officers.Name, d.Rules.Name)
	}

	if err := b.App.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	d, err = b.App.LinkDetail(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pending != 0 || !d.OldestPending.IsZero() || d.OldestAge() != 0 {
		t.Errorf("after sync now: pending %d, oldest %v; want none", d.Pending, d.OldestPending)
	}
	if !d.LastAttempt.Equal(clk.Now()) || !d.LastSync.Equal(clk.Now()) || d.Problem != nil {
		t.Errorf("after sync now: attempt %v, success %v, problem %v; want both now, none", d.LastAttempt, d.LastSync, d.Problem)
	}
	if e := lastAudit(t, b); e.Action != app.AuditSyncNow || !strings.Contains(e.Detail, `"ok":true`) {
		t.Errorf("audit %s %s, want the sync on record", e.Action, e.Detail)
	}

	h.Server.Close() // HQ gone
	synced := clk.Now()
	clk.add(time.Minute)
	if err := b.App.SyncNow(ctx); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Errorf("sync now without HQ: %v, want EUNAVAILABLE", err)
	}
	d, _ = b.App.LinkDetail(ctx)
	if !d.LastAttempt.Equal(clk.Now()) || !d.LastSync.Equal(synced) || d.Problem == nil || d.Problem.Key != "sync.no_link" {
		t.Errorf("without HQ: attempt %v, success %v, problem %+v; want the attempt now, the success before, sync.no_link",
			d.LastAttempt, d.LastSync, d.Problem)
	}
	if e := lastAudit(t, b); e.Action != app.AuditSyncNow || !strings.Contains(e.Detail, `"ok":false`) {
		t.Errorf("audit %s %s, want the failed sync on record", e.Action, e.Detail)
	}
}

// TestAdminNotEnrolled: a booth working alone says there is nothing to sync.
func TestAdminNotEnrolled(t *testing.T) {
	b, _, _ := adminBooth(t)
	err := b.App.SyncNow(context.Background())
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "not enrolled") {
		t.Errorf("sync now alone: %v, want EINVALID not enrolled", err)
	}
}
