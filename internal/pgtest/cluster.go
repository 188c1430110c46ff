// Package pgtest runs throwaway PostgreSQL servers for tests that must do to a server
// what the shared test cluster (scripts/postgres.sh) must never suffer: kill it, promote
// a standby, replicate synchronously. Each Cluster is initdb'd into a folder of its own,
// listens on a free loopback port, trusts local connections, and is stopped when the
// test ends. It uses the Debian server binaries (/usr/lib/postgresql/N/bin); as root it
// runs them as the postgres user, since PostgreSQL refuses to run as root.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// Cluster is one running PostgreSQL server.
type Cluster struct {
	Dir  string // its data folder
	Port int
	bin  string
	as   *user.User // the user it runs as when the test runs as root; nil otherwise
	tb   testing.TB
}

// User is the superuser every Cluster has, trusted without a password on loopback.
const User = "chekara"

// Primary initialises and starts a server that can stream its WAL to standbys.
// Commits wait for no standby until RequireSync names one: a primary that waited
// from the start could not even create the database its standby is copied with.
func Primary(tb testing.TB) *Cluster {
	tb.Helper()
	c := newCluster(tb, "primary")
	c.run(tb, "initdb", "-D", c.Dir, "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	conf := []string{
		"listen_addresses = '127.0.0.1'",
		fmt.Sprintf("port = %d", c.Port),
		fmt.Sprintf("unix_socket_directories = '%s'", c.Dir),
		"wal_level = replica",
		"max_wal_senders = 4",
		"wal_keep_size = '64MB'",
		"synchronous_commit = on",
		"shared_buffers = '32MB'",
		"max_connections = 40",
	}
	c.appendConf(tb, "postgresql.conf", conf...)
	c.appendConf(tb, "pg_hba.conf", "host replication all 127.0.0.1/32 trust")
	c.start(tb)
	return c
}

// Standby copies c with pg_basebackup and starts the copy as a hot standby that
// streams from c under the application_name name.
func (c *Cluster) Standby(tb testing.TB, name string) *Cluster {
	tb.Helper()
	s := newCluster(tb, name)
	if err := os.Remove(s.Dir); err != nil { // pg_basebackup makes the folder itself
		tb.Fatal(err)
	}
	c.run(tb, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", User, "-D", s.Dir,
		"-X", "stream", "--no-sync", "-c", "fast",
		"-d", fmt.Sprintf("host=127.0.0.1 port=%d user=%s application_name=%s", c.Port, User, name), "-R")
	s.appendConf(tb, "postgresql.conf",
		fmt.Sprintf("port = %d", s.Port),
		fmt.Sprintf("unix_socket_directories = '%s'", s.Dir),
		"hot_standby = on")
	s.start(tb)
	return s
}

// URL is the libpq URL of database db on this server.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", User, c.Port, db)
}

// Exec runs SQL on database db, for setting up and checking.
func (c *Cluster) Exec(tb testing.TB, db, sql string, args ...any) {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), c.URL(db))
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// RequireSync makes every commit on c wait until the standby name has it
// (synchronous_standby_names; synchronous_commit is on), and waits until that
// standby is attached as synchronous: what HQ runs on when it must survive losing
// its machine.
func (c *Cluster) RequireSync(tb testing.TB, name string) {
	tb.Helper()
	c.Exec(tb, "postgres", fmt.Sprintf("ALTER SYSTEM SET synchronous_standby_names = '%s'", name))
	c.Exec(tb, "postgres", "SELECT pg_reload_conf()")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := pgx.Connect(context.Background(), c.URL("postgres"))
		if err == nil {
			var state string
			err = conn.QueryRow(context.Background(),
				`SELECT sync_state FROM pg_stat_replication WHERE application_name = $1`, name).Scan(&state)
			conn.Close(context.Background())
			if err == nil && state == "sync" {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("standby %s did not become synchronous within 30 s", name)
}

// Kill sends SIGKILL to the postmaster, as a machine lost at once would: no
// shutdown checkpoint, no goodbye to clients or standbys. Its children go with it.
func (c *Cluster) Kill(tb testing.TB) {
	tb.Helper()
	pid := c.pid(tb)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tb.Fatal(err)
	}
	// The backends notice their postmaster is gone and exit; wait for the port to close.
	for i := 0; i < 100; i++ {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port), 100*time.Millisecond)
		if err != nil {
			return
		}
		conn.Close()
		time.Sleep(50 * time.Millisecond)
	}
}

// Promote makes a standby the primary and waits until it takes writes.
func (c *Cluster) Promote(tb testing.TB) {
	tb.Helper()
	c.run(tb, "pg_ctl", "-D", c.Dir, "-w", "-t", "60", "promote")
}

func (c *Cluster) pid(tb testing.TB) int {
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		tb.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		tb.Fatal(err)
	}
	return pid
}

func newCluster(tb testing.TB, name string) *Cluster {
	tb.Helper()
	bin, err := binDir()
	testenv.Require(tb, "PostgreSQL server binaries (Debian postgresql)", err)
	c := &Cluster{bin: bin, tb: tb}
	if os.Geteuid() == 0 {
		if c.as, err = user.Lookup("postgres"); err != nil {
			testenv.Require(tb, "the postgres user (Debian postgresql)", err)
		}
	}
	// Not t.TempDir(): its folders are 0700 root's, which the postgres user cannot enter.
	root, err := os.MkdirTemp("", "chekara-pgtest-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(root) })
	os.Chmod(root, 0o755)
	c.Dir = filepath.Join(root, name)
	if err := os.Mkdir(c.Dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	c.chown(tb, root)
	c.chown(tb, c.Dir)
	c.Port = freePort(tb)
	return c
}

func (c *Cluster) start(tb testing.TB) {
	tb.Helper()
	c.run(tb, "pg_ctl", "-D", c.Dir, "-l", filepath.Join(filepath.Dir(c.Dir), filepath.Base(c.Dir)+".log"), "-w", "-t", "60", "start")
	tb.Cleanup(func() {
		// Immediate: a test's server holds nothing worth a checkpoint. A killed one
		// has nothing left to stop, and says so.
		c.cmd("pg_ctl", "-D", c.Dir, "-m", "immediate", "stop").Run()
	})
}

func (c *Cluster) appendConf(tb testing.TB, file string, lines ...string) {
	tb.Helper()
	f, err := os.OpenFile(filepath.Join(c.Dir, file), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n" + strings.Join(lines, "\n") + "\n"); err != nil {
		tb.Fatal(err)
	}
}

func (c *Cluster) chown(tb testing.TB, path string) {
	if c.as == nil {
		return
	}
	uid, _ := strconv.Atoi(c.as.Uid)
	gid, _ := strconv.Atoi(c.as.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		tb.Fatal(err)
	}
}

func (c *Cluster) cmd(tool string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, tool)
	if c.as != nil {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (c *Cluster) run(tb testing.TB, tool string, args ...string) {
	tb.Helper()
	var out bytes.Buffer
	cmd := c.cmd(tool, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(filepath.Dir(c.Dir), filepath.Base(c.Dir)+".log"))
		tb.Fatalf("%s %s: %v\n%s\n%s", tool, strings.Join(args, " "), err, out.String(), log)
	}
}

// binDir finds the newest Debian PostgreSQL server's binaries.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no /usr/lib/postgresql/*/bin/initdb")
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
