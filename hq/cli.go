package hq

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/sync/wire"
)

// Main is the `hq` command line: cmd/hq parses nothing itself, it hands the
// arguments here, so tests run the very same commands in-process.
type Main struct {
	Stdin          io.Reader // --password-stdin reads here; nil means os.Stdin
	Stdout, Stderr io.Writer
	// Clock and Logger are optional, as in Config.
	Clock  app.Clock
	Logger *slog.Logger
	// Ready, when set, is called by `hq serve` with HQ's base URL once it listens.
	Ready func(url string)
	// ConsoleReady, when set, is called with the console's URL once it listens.
	ConsoleReady func(url string)
	// ConsoleAccounts and CheckPassword are the HQ accounts people sign in to
	// the console with, and how their passwords are checked.
	ConsoleAccounts console.Accounts
	CheckPassword   func(password, hash string) bool
}

const usage = `usage: hq COMMAND [flags]   (hq COMMAND -h for a command's flags)

commands:
  serve          run HQ: --data DIR --listen ADDR [--postgres URL [--require-standby]] [--console ADDR]
  booth enrol    enrol a booth: --data DIR --booth ID --post NAME --out FILE
  booth revoke   cut a booth off at once: --data DIR --booth ID; or one
                 certificate (a lost bundle): --data DIR --serial HEX
  lists import   publish a list file (snapshot or delta): --data DIR FILE
  rules import   publish a stay rules file: --data DIR FILE
  masterlist import  publish CSCA certificates for ePassport chips (CMS master list or PEM): --data DIR FILE
  import         import export files from removable media: --data DIR MEDIA_DIR
  report         what HQ holds: --data DIR --format json|csv|text [--by LIST --from DAY --to DAY]
                 or the monthly statistics: --monthly YYYY-MM --format pdf|csv
  alerts         records a booth sent again with different content: --data DIR
  supervision    supervisors' sign-offs of shifts as JSON lines: --data DIR [--post POST];
                 --referrals: referrals and their outcomes per post; --lookups: booths'
                 audited questions about their post
  stays publish  recompute the open stays and publish what changed: --data DIR
  stays overstayers  travellers past their limit now, by nationality and entry post, as
                 JSON lines: --data DIR [--today DAY] [--nationality NAT] [--post POST]
  backup         HQ's keys, settings and store into one file, while HQ runs: --data DIR --out FILE
  restore        an HQ from a backup into an empty folder: --data DIR --from FILE [--postgres URL]
  officer add    add an officer or HQ account: --data DIR --id ID --name NAME --role ROLE
                 [--posts P1,P2] [--language ky|ru|en] --password-stdin
  officer update change name, role, posts or language: --data DIR --id ID [--name …] [--role …] [--posts …] [--language …]
  officer disable|enable  --data DIR --id ID
  officer remove take an officer off every post and disable them (kept for the record): --data DIR --id ID
  officer reset-password  --data DIR --id ID --password-stdin
  officer list   every officer and HQ account as JSON lines: --data DIR
  officer verify check the chain of administrative changes: --data DIR

roles: officer, trainee, supervisor, trainer, post-admin (at the booths of their
posts); analyst, auditor, hq-admin (at HQ only, no --posts)
`

// Run executes one command and returns the exit status: 0 success, 1 failure,
// 2 usage error.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Stdout == nil {
		m.Stdout = os.Stdout
	}
	if m.Stderr == nil {
		m.Stderr = os.Stderr
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(m.Stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := args[0]
	rest := args[1:]
	if (name == "booth" || name == "lists" || name == "rules" || name == "officer" || name == "stays" || name == "masterlist") && len(args) > 1 {
		name, rest = args[0]+" "+args[1], args[2:]
	}
	var err error
	switch name {
	case "serve":
		err = m.serve(ctx, rest)
	case "booth enrol":
		err = m.enrol(ctx, rest)
	case "booth revoke":
		err = m.revoke(ctx, rest)
	case "lists import", "rules import", "masterlist import":
		err = m.publish(ctx, name, rest)
	case "import":
		err = m.importMedia(ctx, rest)
	case "report":
		err = m.report(ctx, rest)
	case "alerts":
		err = m.alerts(ctx, rest)
	case "supervision":
		err = m.supervision(ctx, rest) // cli_supervision.go
	case "stays publish", "stays overstayers":
		err = m.stays(ctx, strings.TrimPrefix(name, "stays "), rest)
	case "backup":
		err = m.backup(ctx, rest)
	case "restore":
		err = m.restore(ctx, rest)
	case "officer add", "officer update", "officer disable", "officer enable", "officer remove", "officer reset-password", "officer list", "officer verify":
		err = m.officer(ctx, strings.TrimPrefix(name, "officer "), rest)
	default:
		fmt.Fprintf(m.Stderr, "hq: unknown command %q\n%s", name, usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "hq %s: %s\n", name, ue)
		return 2
	default:
		msg := app.ErrorMessage(err)
		if app.ErrorCode(err) == app.EINTERNAL {
			msg = err.Error()
		}
		fmt.Fprintf(m.Stderr, "hq %s: %s\n", name, msg)
		return 1
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

// common are the flags every command that opens HQ takes.
type common struct {
	data     string
	postgres string
}

func (m *Main) flags(name string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet("hq "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&c.data, "data", "", "HQ's data directory (CA, keys, settings, SQLite store)")
	fs.StringVar(&c.postgres, "postgres", "", "PostgreSQL URL of the central store (default: the one hq serve last used, else SQLite in --data)")
	return fs
}

func (m *Main) parse(fs *flag.FlagSet, args []string, c *common, positional int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError(err.Error())
	}
	if c.data == "" {
		return usageError("--data DIR is required")
	}
	if fs.NArg() != positional {
		return usageError(fmt.Sprintf("want %d argument(s) after the flags, got %d", positional, fs.NArg()))
	}
	return nil
}

func (m *Main) logger(level slog.Level) *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
}

// open opens HQ for an administration command, finding the store `hq serve` uses.
func (m *Main) open(ctx context.Context, c common, listen string) (*Server, Settings, error) {
	st, err := LoadSettings(c.data)
	if err != nil {
		return nil, st, err
	}
	if c.postgres == "" {
		c.postgres = st.Postgres
	}
	s, err := Open(ctx, Config{DataDir: c.data, Listen: listen, Postgres: c.postgres, Clock: m.Clock, Logger: m.logger(slog.LevelInfo)})
	return s, st, err
}

func (m *Main) serve(ctx context.Context, args []string) error {
	var c common
	var listen, address, health, consoleAddr string
	var names stringList
	var requireStandby bool
	var staysEvery time.Duration
	fs := m.flags("serve", &c)
	fs.DurationVar(&staysEvery, "open-stays-every", DefaultOpenStaysEvery, "recompute the open stays and publish what changed this often (0: never)")
	fs.StringVar(&health, "health", "", "also answer GET "+wire.PathHealth+" over plain HTTP on this host:port (e.g. 127.0.0.1:8080) for monitoring; nothing else is served there")
	fs.StringVar(&listen, "listen", ":8443", "address to serve HTTPS on, host:port")
	fs.StringVar(&address, "address", "", "HQ's URL as booths reach it, written into bundles (default: https://THIS-HOST:PORT)")
	fs.Var(&names, "name", "another host name or address for the server certificate (repeatable)")
	fs.BoolVar(&requireStandby, "require-standby", false, "refuse to start unless PostgreSQL commits every batch on a synchronous standby too (kept in settings.json)")
	fs.StringVar(&consoleAddr, "console", "", "also serve the web console over HTTPS on this host:port (HQ's certificate; people sign in with HQ accounts)")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if h, _, err := net.SplitHostPort(consoleAddr); err == nil && h != "" {
		names = append(names, h)
	}
	if address == "" {
		var err error
		if address, err = AdvertisedAddress(listen); err != nil {
			return err
		}
	}
	if u := strings.TrimPrefix(address, "https://"); u != address {
		if h, _, err := net.SplitHostPort(u); err == nil {
			names = append(names, strings.Trim(h, "[]"))
		}
	}
	st, err := LoadSettings(c.data)
	if err != nil {
		return err
	}
	if c.postgres == "" {
		c.postgres = st.Postgres
	}
	requireStandby = requireStandby || st.RequireStandby
	s, err := Open(ctx, Config{DataDir: c.data, Listen: listen, Hosts: names, Postgres: c.postgres, RequireStandby: requireStandby, Clock: m.Clock, Logger: m.logger(slog.LevelInfo)})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := SaveSettings(c.data, Settings{Address: address, Postgres: c.postgres, RequireStandby: requireStandby}); err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	if _, err := s.TLSConfig(); err != nil {
		l.Close()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	if health != "" {
		hl, err := net.Listen("tcp", health)
		if err != nil {
			s.Shutdown(context.Background())
			return fmt.Errorf("listen on %s for health: %w", health, err)
		}
		hs := s.HealthServer()
		go hs.Serve(hl)
		defer hs.Close()
		s.log.Info("health endpoint", "listen", hl.Addr().String(), "path", wire.PathHealth)
	}
	if consoleAddr != "" {
		stop, err := m.serveConsole(s, c.data, consoleAddr, done)
		if err != nil {
			s.Shutdown(context.Background())
			return err
		}
		defer stop()
	}
	if staysEvery > 0 {
		sctx, stop := context.WithCancel(ctx)
		defer stop()
		go s.RunOpenStays(sctx, staysEvery)
	}
	s.log.Info("hq ready", "listen", l.Addr().String(), "address", address, "store", storeName(c.postgres))
	if m.Ready != nil {
		m.Ready("https://" + l.Addr().String())
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("hq stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveConsole starts the web console on addr; its errors end `hq serve`
// through done. The returned func closes the console's audit file.
func (m *Main) serveConsole(s *Server, data, addr string, done chan error) (func(), error) {
	audit, err := console.OpenFileAudit(filepath.Join(data, "console-audit.jsonl"))
	if err != nil {
		return nil, err
	}
	// HQ's own accounts (hq officer add --role analyst|auditor|hq-admin) unless a
	// test gives others.
	accounts, check, dummy := m.ConsoleAccounts, m.CheckPassword, ""
	if accounts == nil {
		accounts = consoleAccounts{s.Store()}
	}
	if check == nil {
		check, dummy = wire.CheckPassword, dummyHash()
	}
	h, err := console.New(console.Config{Stats: s.Store(), Accounts: accounts, Audit: audit, Admin: consoleAdmin{s},
		CheckPassword: check, DummyHash: dummy, Clock: s.clock, Logger: s.log})
	if err != nil {
		audit.Close()
		return nil, err
	}
	cl, err := net.Listen("tcp", addr)
	if err != nil {
		audit.Close()
		return nil, fmt.Errorf("listen on %s for the console: %w", addr, err)
	}
	go func() {
		if err := s.ServeConsole(cl, h); err != nil && !errors.Is(err, http.ErrServerClosed) {
			done <- fmt.Errorf("console: %w", err)
		}
	}()
	if m.ConsoleReady != nil {
		m.ConsoleReady("https://" + cl.Addr().String())
	}
	return func() { audit.Close() }, nil
}

func storeName(pg string) string {
	if pg != "" {
		return "postgres"
	}
	return "sqlite"
}

func (m *Main) enrol(ctx context.Context, args []string) error {
	var c common
	var booth, post, out, address string
	fs := m.flags("booth enrol", &c)
	fs.StringVar(&booth, "booth", "", "booth id, e.g. DOSTUK-07")
	fs.StringVar(&post, "post", "", "crossing point, e.g. DOSTUK")
	fs.StringVar(&out, "out", "", "bundle file to write (holds the booth's private key: mode 0600)")
	fs.StringVar(&address, "hq", "", "HQ's URL for the booth (default: the address hq serve recorded)")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if booth == "" || post == "" || out == "" {
		return usageError("--booth, --post and --out are required")
	}
	s, st, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	if address == "" {
		address = st.Address
	}
	if address == "" {
		return usageError("HQ's address is unknown: run `hq serve` once or give --hq https://HOST:PORT")
	}
	b, err := s.Enrol(ctx, booth, post, address)
	if err != nil {
		return err
	}
	data, err := b.Marshal()
	if err != nil {
		return err
	}
	// The bundle holds the booth's private key: a new file, 0600, never over
	// an existing file or through a symbolic link.
	if err := safefile.WriteNew(out, data); errors.Is(err, os.ErrExist) {
		return app.Errorf(app.ECONFLICT, "%s already exists: give --out a new file name (the booth is enrolled; enrol it again for a new bundle)", out)
	} else if err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	serial := "?"
	if blk, _ := pem.Decode(b.CertPEM); blk != nil {
		if cert, err := x509.ParseCertificate(blk.Bytes); err == nil {
			serial = pki.Serial(cert)
		}
	}
	fmt.Fprintf(m.Stdout, "enrolled booth %s at post %s; bundle written to %s (HQ %s); certificate %s (earlier ones retired)\n", booth, post, out, address, serial)
	return nil
}

func (m *Main) revoke(ctx context.Context, args []string) error {
	var c common
	var booth string
	fs := m.flags("booth revoke", &c)
	var serial string
	fs.StringVar(&booth, "booth", "", "booth id to cut off")
	fs.StringVar(&serial, "serial", "", "only this certificate (hex serial, as `hq booth enrol` printed it)")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if (booth == "") == (serial == "") {
		return usageError("give --booth or --serial")
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	if serial != "" {
		if err := s.RevokeCertificate(ctx, serial); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "certificate %s revoked\n", serial)
		return nil
	}
	if err := s.Revoke(ctx, booth); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "booth %s revoked\n", booth)
	return nil
}

func (m *Main) publish(ctx context.Context, name string, args []string) error {
	var c common
	fs := m.flags(name, &c)
	if err := m.parse(fs, args, &c, 1); err != nil {
		return err
	}
	data, err := safefile.ReadRegular(fs.Arg(0), MaxPublication)
	if err != nil {
		return app.Errorf(app.EINVALID, "read %s: %v", fs.Arg(0), err)
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	publish := s.ImportLists
	switch name {
	case "rules import":
		publish = s.ImportRules
	case "masterlist import":
		publish = s.ImportMasterList
	}
	p, err := publish(ctx, data)
	if err != nil {
		return err
	}
	mode := "snapshot"
	if p.Delta {
		mode = fmt.Sprintf("delta from version %d", p.Base)
	}
	fmt.Fprintf(m.Stdout, "published %s version %d (%s)\n", p.Kind, p.Version, mode)
	return nil
}

func (m *Main) importMedia(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("import", &c)
	if err := m.parse(fs, args, &c, 1); err != nil {
		return err
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	results, err := s.ImportDir(ctx, fs.Arg(0))
	enc := json.NewEncoder(m.Stdout)
	for _, r := range results {
		enc.Encode(r)
	}
	if err == nil && len(results) == 0 {
		fmt.Fprintf(m.Stderr, "hq import: no %s files in %s\n", ".chkb", fs.Arg(0))
	}
	return err
}

func (m *Main) report(ctx context.Context, args []string) error {
	var c common
	var format, by, from, to, monthly string
	fs := m.flags("report", &c)
	fs.StringVar(&format, "format", "json", "json, csv or text; with --monthly, pdf or csv")
	fs.StringVar(&monthly, "monthly", "", "the monthly statistics report of YYYY-MM (EES Art. 63, FRAN): --format pdf|csv, to standard output")
	fs.StringVar(&by, "by", "", "group real crossings by any of "+strings.Join(store.CrossingKeys, ",")+" (day: the local date at the post, in the booth clock's own UTC offset)")
	fs.StringVar(&from, "from", "", "first day, YYYY-MM-DD (with --by)")
	fs.StringVar(&to, "to", "", "last day, YYYY-MM-DD, inclusive (with --by)")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if monthly != "" {
		return m.monthly(ctx, c, monthly, format)
	}
	if format != "json" && format != "text" && format != "csv" {
		return usageError("--format must be json, csv or text")
	}
	if by == "" && (from != "" || to != "" || format == "csv") {
		return usageError("--from, --to and --format csv need --by")
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.Report(ctx)
	if err != nil {
		return err
	}
	if by != "" {
		q := store.StatsQuery{By: strings.Split(by, ","), From: from, To: to}
		rows, err := s.Store().CrossingStats(ctx, q)
		if err != nil {
			return err
		}
		if format == "csv" {
			return console.WriteCSV(m.Stdout, q.By, rows)
		}
		st := console.MakeStatsJSON(q.By, rows)
		rep.Crossings, rep.Rows = st.Crossings, st.Rows
		if format == "text" {
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, strings.Join(append(append([]string{}, q.By...), "crossings", "admitted", "refused", "referred"), "\t"))
			for _, r := range rows {
				for _, k := range q.By {
					fmt.Fprintf(tw, "%s\t", r.Keys[k])
				}
				fmt.Fprintf(tw, "%d\t%d\t%d\t%d\n", r.Count, r.Admitted, r.Refused, r.Referred)
			}
			return tw.Flush()
		}
	}
	if format == "json" {
		return WriteReport(m.Stdout, rep)
	}
	fmt.Fprintf(m.Stdout, "%d crossings\n", rep.Crossings)
	for _, b := range rep.Booths {
		last := b.LastSync
		if last == "" {
			last = "never"
		}
		fmt.Fprintf(m.Stdout, "%-20s %-12s %10d  last sync %s\n", b.ID, b.Post, b.Crossings, last)
	}
	return nil
}

// alerts prints one JSON line per alert, oldest first: the record id, the booth
// and seq it came with, both hashes, where it came from and when, and the
// content HQ refused to overwrite with.
func (m *Main) alerts(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("alerts", &c)
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	alerts, err := s.Store().Alerts(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	for _, a := range alerts {
		enc.Encode(map[string]any{
			"id": a.ID, "record": a.RecordID, "booth": a.Booth, "seq": a.Seq, "kind": a.Kind,
			"sha256": hexs(a.SHA256), "stored_sha256": hexs(a.StoredSHA256), "stored_booth": a.StoredBooth,
			"source": a.Source, "at": a.At.UTC().Format(time.RFC3339), "payload": string(a.Payload),
		})
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// backup writes Backup's archive to --out (a new file, mode 0600: it holds
// HQ's private keys), through a temporary file so a failed backup leaves none.
func (m *Main) backup(ctx context.Context, args []string) error {
	var c common
	var out string
	fs := m.flags("backup", &c)
	fs.StringVar(&out, "out", "", "the backup `FILE` to write (must not exist)")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if out == "" {
		return usageError("--out FILE is required")
	}
	st, err := LoadSettings(c.data)
	if err != nil {
		return err
	}
	if c.postgres == "" {
		c.postgres = st.Postgres
	}
	if _, err := os.Stat(out); err == nil {
		return app.Errorf(app.ECONFLICT, "%s exists; a backup never overwrites a file.", out)
	}
	tmp := out + ".part"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	err = Backup(ctx, c.data, c.postgres, f)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(m.Stdout, "hq backup: %s\n", out)
	return nil
}

func (m *Main) restore(ctx context.Context, args []string) error {
	var c common
	var from string
	fs := m.flags("restore", &c)
	fs.StringVar(&from, "from", "", "the backup `FILE` written by hq backup")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if from == "" {
		return usageError("--from FILE is required")
	}
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := Restore(ctx, c.data, c.postgres, f); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "hq restore: HQ restored into %s\n", c.data)
	return nil
}

// monthly prints the monthly statistics report (console.MakeMonthly: the
// same figures the console's download has) as PDF or CSV.
func (m *Main) monthly(ctx context.Context, c common, month, format string) error {
	if format != "pdf" && format != "csv" {
		return usageError("--monthly needs --format pdf or csv")
	}
	if _, err := console.ParseMonth(month); err != nil {
		return usageError(app.ErrorMessage(err))
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := console.MakeMonthly(ctx, s.Store(), month, s.clock.Now().Format(time.DateOnly))
	if err != nil {
		return err
	}
	if format == "csv" {
		return console.WriteMonthlyCSV(m.Stdout, rep)
	}
	pdf, err := console.MonthlyPDF(rep, s.clock.Now())
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(pdf)
	return err
}
