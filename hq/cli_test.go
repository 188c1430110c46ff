package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestMain lets the test binary stand in for the hq command: the restart test
// runs `hq serve` as a child process it can kill.
func TestMain(m *testing.M) {
	if os.Getenv("HQ_TEST_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		main := &hq.Main{Stdout: os.Stdout, Stderr: io.Discard}
		code := main.Run(ctx, strings.Split(os.Getenv("HQ_TEST_ARGS"), "\x1f"))
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &hq.Main{Stdout: &out, Stderr: &errb, Logger: slog.New(slog.DiscardHandler)}
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(t.TempDir(), "booth.json")

	// Before `hq serve` ran, enrolment needs HQ's address.
	if code, _, errs := run(t, "booth", "enrol", "--data", dir, "--booth", "B1", "--post", "DOSTUK", "--out", bundle); code != 2 || !strings.Contains(errs, "--hq") {
		t.Fatalf("enrol without address: %d %s", code, errs)
	}
	if err := hq.SaveSettings(dir, hq.Settings{Address: "https://hq.example:8443"}); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, "booth", "enrol", "--data", dir, "--booth", "DOSTUK-07", "--post", "DOSTUK", "--out", bundle); code != 0 {
		t.Fatalf("enrol: %d %s %s", code, out, errs)
	}
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wire.ParseBundle(data)
	if err != nil || b.HQAddress != "https://hq.example:8443" || b.BoothID != "DOSTUK-07" {
		t.Fatalf("bundle %+v %v", b, err)
	}
	if fi, _ := os.Stat(bundle); fi.Mode().Perm() != 0o600 {
		t.Fatalf("bundle mode %v: it holds the booth's key", fi.Mode())
	}
	run(t, "booth", "enrol", "--data", dir, "--booth", "OSH-01", "--post", "OSH", "--out", filepath.Join(t.TempDir(), "b.json"))

	// Media from DOSTUK-07.
	media := t.TempDir()
	writeExport(t, media, b, mustBatch(t, "DOSTUK-07", 1, crossings("DOSTUK-07", 1, 12)))
	if code, out, errs := run(t, "import", "--data", dir, media); code != 0 || !strings.Contains(out, `"high_water":12`) {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}

	// The same media with one record changed: an alert, not an overwrite.
	media2 := t.TempDir()
	recs := readExportRecords(t, media)
	recs[3].Payload = []byte(`{"changed":true}`)
	writeExport(t, media2, b, mustBatch(t, "DOSTUK-07", 1, recs))
	if code, out, errs := run(t, "import", "--data", dir, media2); code != 0 || !strings.Contains(out, `"alerts":1`) {
		t.Fatalf("import changed: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, "alerts", "--data", dir); code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"payload":"{\"changed\":true}"`) || !strings.Contains(out, `"source":"media"`) {
		t.Fatalf("alerts: %d %s", code, out)
	}

	code, out, _ := run(t, "report", "--data", dir, "--format", "json")
	want := regexp.MustCompile(`^\{"crossings":12,"overrides":0,"set_aside":0,"booths":\[\{"id":"DOSTUK-07","post":"DOSTUK","crossings":12,"overrides":0,"set_aside":0,"last_sync":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\},\{"id":"OSH-01","post":"OSH","crossings":0,"overrides":0,"set_aside":0,"last_sync":""\}\]\}\n$`)
	if code != 0 || !want.MatchString(out) {
		t.Fatalf("report: %d %q", code, out)
	}

	lists := filepath.Join(t.TempDir(), "lists.jsonl")
	os.WriteFile(lists, []byte(fmt.Sprintf(listSnapshot, 4)), 0o600)
	if code, out, errs := run(t, "lists", "import", "--data", dir, lists); code != 0 || !strings.Contains(out, "version 4") {
		t.Fatalf("lists import: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "lists", "import", "--data", dir, lists); code != 1 || !strings.Contains(errs, "not newer") {
		t.Fatalf("lists import twice: %d %s", code, errs)
	}
	rules := filepath.Join(t.TempDir(), "rules.json")
	kgz, _ := fs.ReadFile(assets.FS, "rules/kgz.json")
	os.WriteFile(rules, kgz, 0o600)
	if code, out, errs := run(t, "rules", "import", "--data", dir, rules); code != 0 || !strings.Contains(out, "rules version 1") {
		t.Fatalf("rules import: %d %s %s", code, out, errs)
	}

	if code, out, errs := run(t, "booth", "revoke", "--data", dir, "--booth", "DOSTUK-07"); code != 0 {
		t.Fatalf("revoke: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "booth", "revoke", "--data", dir, "--booth", "NOBODY"); code != 1 || !strings.Contains(errs, "not enrolled") {
		t.Fatalf("revoke unknown: %d %s", code, errs)
	}

	usage := [][]string{
		{}, {"frobnicate"}, {"report"}, {"report", "--data", dir, "--format", "xml"}, {"lists", "import", "--data", dir},
		{"booth", "enrol", "--data", dir, "--booth", "X"}, {"serve", "--bogus"},
	}
	for _, args := range usage {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("hq %q: exit %d, want 2", args, code)
		}
	}
}

// TestRestartMidBatch kills HQ (SIGKILL, no chance to clean up) while a booth
// streams batches, several times, and checks after each kill that every batch
// is at HQ whole or not at all, and that after the restarts every record is
// there exactly once.
func TestRestartMidBatch(t *testing.T) {
	backends := map[string]func(t *testing.T) []string{
		"sqlite":   func(t *testing.T) []string { return nil },
		"postgres": func(t *testing.T) []string { return []string{"--postgres", hqtest.PostgresURL(t)} },
	}
	for name, extra := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			pg := extra(t)
			addr := freeAddr(t)
			cfg := hq.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)}
			if len(pg) > 0 {
				cfg.Postgres = pg[1]
			}
			s, err := hq.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			bundle, err := s.Enrol(ctx, "B1", "DOSTUK", "https://"+addr)
			s.Close()
			if err != nil {
				t.Fatal(err)
			}
			client := hqtest.Client(t, bundle)
			args := append([]string{"serve", "--data", dir, "--listen", addr}, pg...)

			const batches, size = 8, 500
			recs := crossings("B1", 1, batches*size)
			var sent int64 // mark acknowledged so far
			rng := rand.New(rand.NewPCG(8, 8))
			for round := 0; sent < batches*size; round++ {
				if round > 20 {
					t.Fatal("no progress after 20 restarts")
				}
				child := startChild(t, args)
				waitHealthy(t, client, addr)
				killAt := time.Now().Add(time.Duration(20+rng.IntN(150)) * time.Millisecond)
				killed := false
				for sent < batches*size {
					if !killed && time.Now().After(killAt) {
						go func() { child.Process.Kill() }()
						killed = true
					}
					b := mustBatch(t, "B1", sent+1, recs[sent:min(sent+size, batches*size)])
					ack, err := post(client, addr, b)
					if err != nil {
						break // HQ died under us
					}
					sent = ack.HighWater
				}
				child.Process.Kill()
				child.Wait()
				checkWholeBatches(t, cfg, recs, size)
			}
			st := openStore(t, cfg)
			got, err := st.Records(ctx, "B1")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != batches*size {
				t.Fatalf("HQ holds %d records, want %d", len(got), batches*size)
			}
			for i, r := range got {
				if r.ID != recs[i].ID || !bytes.Equal(r.Payload, recs[i].Payload) {
					t.Fatalf("record %d differs", i)
				}
			}
		})
	}
}

func openStore(t *testing.T, cfg hq.Config) store.Store {
	t.Helper()
	s, err := hq.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Store()
}

// checkWholeBatches: the records at HQ are exactly seq 1..mark, and the mark
// falls on a batch boundary (a batch is never half stored).
func checkWholeBatches(t *testing.T, cfg hq.Config, recs []wire.Record, size int) {
	t.Helper()
	s, err := hq.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Store().Records(context.Background(), "B1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Store().Booth(context.Background(), "B1")
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != b.Mark || len(got)%size != 0 && len(got) != len(recs) {
		t.Fatalf("after the kill HQ holds %d records with mark %d: a batch was half stored", len(got), b.Mark)
	}
	for i, r := range got {
		if r.Seq != int64(i+1) || r.ID != recs[i].ID {
			t.Fatalf("record %d is seq %d", i, r.Seq)
		}
	}
	t.Logf("after kill: %d records", len(got))
}

func post(c *http.Client, addr string, b wire.Batch) (wire.Ack, error) {
	body, err := wire.MarshalBatch(b)
	if err != nil {
		return wire.Ack{}, err
	}
	resp, err := c.Post("https://"+addr+wire.PathBatches, wire.ContentTypeBatch, bytes.NewReader(body))
	if err != nil {
		return wire.Ack{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		msg, _ := io.ReadAll(resp.Body)
		return wire.Ack{}, fmt.Errorf("%d %s", resp.StatusCode, msg)
	}
	var ack wire.Ack
	return ack, json.NewDecoder(resp.Body).Decode(&ack)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startChild(t *testing.T, args []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HQ_TEST_MAIN=1", "HQ_TEST_ARGS="+strings.Join(args, "\x1f"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func waitHealthy(t *testing.T, c *http.Client, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := c.Get("https://" + addr + wire.PathHealth)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("HQ did not come up")
}

// readExportRecords returns the records of the one export file in dir.
func readExportRecords(t *testing.T, dir string) []wire.Record {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"+wire.ExportExt))
	if len(files) != 1 {
		t.Fatalf("%d export files in %s", len(files), dir)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := wire.ReadExport(f, wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return ex.Batch.Records
}

// `hq serve` as its own process: a booth enrolled and then revoked by the
// commands while it runs is refused at once; it stops cleanly on SIGTERM
// (exit 0) and keeps its CA, keys and settings for the next start.
func TestServeStops(t *testing.T) {
	dir := t.TempDir()
	addr, healthAddr := freeAddr(t), freeAddr(t)
	child := startChild(t, []string{"serve", "--data", dir, "--listen", addr, "--health", healthAddr})
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, _ := hq.LoadSettings(dir)
		if st.Address == "https://"+addr {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("hq serve did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Enrol against the running server's data, then reach it.
	code, _, errs := run(t, "booth", "enrol", "--data", dir, "--booth", "B1", "--post", "P", "--out", filepath.Join(dir, "b1.json"))
	if code != 0 {
		t.Fatalf("enrol while serving: %s", errs)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "b1.json"))
	b, err := wire.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	client := hqtest.Client(t, b)
	waitHealthy(t, client, addr)
	// The monitoring address answers health without a certificate, and nothing else.
	hr, err := http.Get("http://" + healthAddr + wire.PathHealth)
	if err != nil {
		t.Fatalf("plain health endpoint: %v", err)
	}
	var h wire.Health
	json.NewDecoder(hr.Body).Decode(&h)
	hr.Body.Close()
	if hr.StatusCode != http.StatusOK || h.Status != "ok" || h.HQTime.IsZero() {
		t.Fatalf("plain health: status %d, body %+v", hr.StatusCode, h)
	}
	if pr, err := http.Post("http://"+healthAddr+wire.PathBatches, "application/octet-stream", nil); err != nil || pr.StatusCode == http.StatusOK {
		t.Fatalf("the health address must serve nothing but health: %v %v", err, pr)
	} else {
		pr.Body.Close()
	}
	// Revoked by another process: the running server refuses the booth at once,
	// on the connection it already has open.
	if code, _, errs := run(t, "booth", "revoke", "--data", dir, "--booth", "B1"); code != 0 {
		t.Fatalf("revoke while serving: %s", errs)
	}
	resp, err := client.Get("https://" + addr + wire.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("revoked booth got %d from the running server", resp.StatusCode)
	}
	child.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("hq serve exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("hq serve did not stop on SIGTERM")
	}
	for _, f := range []string{"ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "list-signing-key.pem", "hq.db", "settings.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
