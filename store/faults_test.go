package store_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
)

// crashChildEnv names the database a re-executed test binary writes to.
const crashChildEnv = "CHEKARA_STORE_CRASH_CHILD"

// TestCrashChild is the child of TestSIGKILLLosesNoCommittedCrossing: it records
// crossings until killed, printing each id once Decide has returned.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as the child of TestSIGKILLLosesNoCommittedCrossing")
	}
	s, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	stream := synth.New(synth.Config{Seed: uint64(os.Getpid()), Crossings: 100_000})
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		c, _ := stream.Next()
		c.ID = s.NewID()
		if i%5 == 4 { // some batches too, the seeding path
			batch := []app.Crossing{c}
			for range 20 {
				more, _ := stream.Next()
				more.ID = s.NewID()
				batch = append(batch, more)
			}
			if _, err := s.DecideMany(context.Background(), batch); err != nil {
				fmt.Println("decide:", err)
				os.Exit(3)
			}
			for _, c := range batch {
				fmt.Fprintln(out, "committed", c.ID)
			}
		} else {
			if err := s.Decide(context.Background(), c); err != nil {
				fmt.Println("decide:", err)
				os.Exit(3)
			}
			fmt.Fprintln(out, "committed", c.ID)
		}
		out.Flush()
	}
}

func TestSIGKILLLosesNoCommittedCrossing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; -short skips it")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "booth.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var committed []string
	for round := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.count", "1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// The clock for the kill starts at the first commit, so a slow start
		// (race detector, a busy machine) still leaves commits to check.
		var kill <-chan time.Time
		deadline := time.After(2 * time.Minute)
		var got int
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				if id, ok := strings.CutPrefix(l, "committed "); ok {
					committed = append(committed, id)
					got++
					if got == 1 {
						kill = time.After(time.Duration(20+rng.IntN(500)) * time.Millisecond)
					}
				} else if l != "" && !strings.HasPrefix(l, "=== RUN") {
					t.Logf("child: %s", l)
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			case <-deadline:
				cmd.Process.Signal(syscall.SIGKILL)
				t.Fatal("the child committed nothing in two minutes")
			}
		}
		cmd.Wait()
		t.Logf("round %d: child reported %d commits before SIGKILL", round, got)
	}
	if len(committed) == 0 {
		t.Fatal("the child committed nothing")
	}

	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var check string
	if err := rawDB(t, path).QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for _, id := range committed {
		if _, err := s.Crossing(ctx, id); err != nil {
			t.Fatalf("crossing %s was reported committed but is missing: %v", id, err)
		}
	}
	if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
		t.Fatalf("audit chain after crashes: broken at %d, %v", n, err)
	}
	last, _ := s.LastSeq(ctx)
	recs, _ := s.Outbox(ctx, 0, int(last)+10, 0)
	if int64(len(recs)) != last || int64(len(recs)) < int64(len(committed)) {
		t.Fatalf("outbox has %d rows, last seq %d, %d reported: seq must have no gaps", len(recs), last, len(committed))
	}
	t.Logf("%d reported crossings all present; %d in the outbox", len(committed), len(recs))
}

func TestAuditVerifyFindsATamperedEntry(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper string // SQL run on a raw connection after dropping the triggers
		want   int64  // first broken entry
	}{
		{"changed detail", `UPDATE audit SET detail = '{"decision":"admit"}' WHERE seq = 3`, 3},
		{"changed officer", `UPDATE audit SET officer_id = '9999' WHERE seq = 2`, 2},
		{"removed entry", `DELETE FROM audit WHERE seq = 2`, 3},
		{"rehashed entry", `UPDATE audit SET hash = zeroblob(32) WHERE seq = 4`, 4},
		// Payloads are stored deflated (compact.go): an edit written back as
		// plain JSON, as older rows are, or a byte changed in the packed form.
		{"changed crossing record", `UPDATE crossings SET payload = CAST('{"format":3,"decision":"refuse"}' AS BLOB) WHERE seq = 2`, 3},
		{"changed packed crossing record", `UPDATE crossings SET payload = substr(payload, 1, 20) || x'00' || substr(payload, 22) WHERE seq = 2`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openStore(t, store.Options{})
			if err := s.SetBooth(ctx, "DOSTUK-07", "DOSTUK"); err != nil { // entry 1
				t.Fatal(err)
			}
			for i := range 4 { // entries 2–5
				if err := s.Decide(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now())); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			db := rawDB(t, path)
			if _, err := db.Exec("UPDATE audit SET detail = 'x' WHERE seq = 1"); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("UPDATE through SQL was not refused by the trigger: %v", err)
			}
			if _, err := db.Exec("DELETE FROM audit WHERE seq = 1"); err == nil {
				t.Fatal("DELETE through SQL was not refused by the trigger")
			}
			for _, q := range []string{"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete", tt.tamper} {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			check, err := s.CheckAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if check.FirstBroken != tt.want {
				t.Fatalf("first broken entry %d (%s), want %d", check.FirstBroken, check.Reason, tt.want)
			}
			if check.Reason == "" {
				t.Fatal("no reason given")
			}
		})
	}
}

// fileSum is the SHA-256 of a file, to show it was left untouched.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestOpenRefusesFilesItCannotReadAndLeavesThemAlone(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Another program's SQLite database.
	foreign := filepath.Join(dir, "foreign.db")
	fdb := rawDB(t, foreign)
	if _, err := fdb.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')"); err != nil {
		t.Fatal(err)
	}
	fdb.Close()
	// A booth store from a newer Chekara.
	newer := filepath.Join(dir, "newer.db")
	s, err := store.Open(newer, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ndb := rawDB(t, newer)
	if _, err := ndb.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	ndb.Close()
	// A store whose pages are damaged after its header.
	damaged := filepath.Join(dir, "damaged.db")
	s, err = store.Open(damaged, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if err := s.Decide(context.Background(), crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	b, _ := os.ReadFile(damaged)
	for i := 4096 * 2; i < len(b); i += 7 {
		b[i] ^= 0x5a
	}
	os.WriteFile(damaged, b, 0o644)

	tests := []struct {
		name string
		path string
		want string
	}{
		{"text file", write("notes.txt", []byte("these are not the crossings you are looking for\n")), app.EINVALID},
		{"random bytes", write("random.db", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 4096)), app.EINVALID},
		{"truncated header", write("short.db", []byte("SQLite for")), app.EINVALID},
		{"another program's database", foreign, app.EINVALID},
		{"newer schema", newer, app.EINVALID},
		{"damaged pages", damaged, app.EINVALID},
		{"a folder", dir, app.EINVALID},
		{"missing folder", filepath.Join(dir, "nope", "booth.db"), app.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before [32]byte
			st, statErr := os.Stat(tt.path)
			isFile := statErr == nil && !st.IsDir()
			if isFile {
				before = fileSum(t, tt.path)
			}
			s, err := store.Open(tt.path, store.Options{})
			if err == nil {
				// A damaged file may open; it must then fail on use, not repair itself.
				_, err = s.History(context.Background(), app.DocumentKey{IssuingState: "UZB", Number: "FA1"}, app.TravellerKey{}, 10)
				if err == nil {
					_, err = s.VerifyAudit(context.Background())
				}
				s.Close()
			}
			if got := app.ErrorCode(err); got != tt.want {
				t.Fatalf("error %v (code %q), want code %q", err, got, tt.want)
			}
			if msg := app.ErrorMessage(err); len(msg) < 20 || msg == "Internal error." {
				t.Fatalf("message %q is not one an administrator can act on", msg)
			}
			if isFile && fileSum(t, tt.path) != before {
				t.Fatal("the file was changed")
			}
			for _, suffix := range []string{"-wal", "-journal"} {
				if st, err := os.Stat(tt.path + suffix); err == nil && st.Size() > 0 && tt.name != "damaged pages" {
					t.Fatalf("left a %s file beside it", suffix)
				}
			}
		})
	}
}

func TestFullDatabaseRefusesTheWriteAndKeepsTheRest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pages int64
	rawDB(t, path).QueryRow("PRAGMA page_count").Scan(&pages)
	s.Close()

	// The writer may not grow the file past a few more pages: a full disk.
	s, err = store.Open(path, store.Options{MaxPageCount: pages + 6})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ok []string
	for i := range 2000 {
		c, err := s.RecordCrossing(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now()))
		if err != nil {
			if got := app.ErrorCode(err); got != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "disk is full") {
				t.Fatalf("full disk: %v (code %q)", err, got)
			}
			break
		}
		ok = append(ok, c.ID)
	}
	if len(ok) == 0 || len(ok) == 2000 {
		t.Fatalf("%d crossings fit; want the cap to bite after some", len(ok))
	}
	last, _ := s.LastSeq(ctx)
	if last != int64(len(ok)) {
		t.Fatalf("LastSeq %d after %d successful decisions: the failed one left a trace", last, len(ok))
	}
	if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
		t.Fatalf("audit after a full disk: %d %v", n, err)
	}
	s.Close()
	s, err = store.Open(path, store.Options{}) // space freed
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Decide(ctx, crossing("FA-after", "KARIMOV", time.Now())); err != nil {
		t.Fatalf("after space was freed: %v", err)
	}
	for _, id := range ok {
		if _, err := s.Crossing(ctx, id); err != nil {
			t.Fatalf("crossing %s lost: %v", id, err)
		}
	}
}

// mountTmpfs mounts a small tmpfs (root with CAP_SYS_ADMIN only) and unmounts it
// at the end of the test.
func mountTmpfs(t *testing.T, opts string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		return "", err
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir, nil
}

func TestRealFullDisk(t *testing.T) {
	ctx := context.Background()
	dir, err := mountTmpfs(t, "size=400k")
	if err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v); TestFullDatabaseRefusesTheWriteAndKeepsTheRest covers the store's side", err)
	}
	s, err := store.Open(filepath.Join(dir, "booth.db"), store.Options{})
	if err != nil {
		t.Fatalf("opening on a fresh small disk: %v", err)
	}
	defer s.Close()
	var n int
	for i := range 20000 {
		err = s.Decide(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now()))
		if err != nil {
			break
		}
		n++
	}
	if err == nil {
		t.Fatal("a 400 KiB disk never filled")
	}
	if got := app.ErrorCode(err); got != app.EUNAVAILABLE {
		t.Fatalf("full disk after %d crossings: %v (code %q)", n, err, got)
	}
	if last, _ := s.LastSeq(ctx); last != int64(n) {
		t.Fatalf("LastSeq %d after %d decisions", last, n)
	}
	t.Logf("disk full after %d crossings: %s", n, app.ErrorMessage(err))
}

func TestReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "booth.db")
	s, err := store.Open(existing, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Decide(context.Background(), crossing("FA1", "KARIMOV", time.Now()))
	s.Close()
	ro := dir
	if os.Geteuid() == 0 {
		// Root ignores permission bits: use a real read-only file system.
		mnt, err := mountTmpfs(t, "size=1m")
		if err != nil {
			t.Skipf("running as root and cannot mount a read-only file system: %v", err)
		}
		b, _ := os.ReadFile(existing)
		os.WriteFile(filepath.Join(mnt, "booth.db"), b, 0o644)
		if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
			t.Skipf("cannot remount read-only: %v", err)
		}
		ro = mnt
	} else {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	for _, name := range []string{"booth.db", "new.db"} {
		t.Run(name, func(t *testing.T) {
			s, err := store.Open(filepath.Join(ro, name), store.Options{})
			if err == nil {
				err = s.Decide(context.Background(), crossing("FA2", "KARIMOV", time.Now()))
				s.Close()
			}
			if got := app.ErrorCode(err); got != app.EUNAVAILABLE {
				t.Fatalf("read-only folder: %v (code %q), want EUNAVAILABLE", err, got)
			}
		})
	}
}

func TestLockedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(path, store.Options{BusyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another program takes the write lock and holds it.
	other := rawDB(t, path)
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Decide(ctx, crossing("FA1", "KARIMOV", time.Now()))
	if got := app.ErrorCode(err); got != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "locked") {
		t.Fatalf("locked database: %v (code %q)", err, got)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("waited %s, want about the busy timeout", waited)
	}
	// Opening a second store while it is locked fails clearly too.
	if _, err := store.Open(path, store.Options{BusyTimeout: 100 * time.Millisecond}); err != nil && app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("open while locked: %v", err)
	}
	conn.ExecContext(ctx, "ROLLBACK")
	conn.Close()
	if err := s.Decide(ctx, crossing("FA1", "KARIMOV", time.Now())); err != nil {
		t.Fatalf("after the lock is released: %v", err)
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Fatal("unreachable")
	}
}
