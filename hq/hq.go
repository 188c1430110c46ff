// Package hq is Chekara's HQ server: it takes every enrolled booth's batches over
// mutual TLS and stores each record exactly once (hq/store, SQLite or
// PostgreSQL), publishes signed lists and stay rules back down, enrols and
// revokes booths (hq/pki), imports batches carried on removable media and
// reports what it holds. The wire contract is package sync's; hq imports sync,
// never the other way round. It links no GUI library.
//
// In-process use (tests, the booth's demo):
//
//	srv, _ := hq.Open(ctx, hq.Config{DataDir: dir, Listen: "127.0.0.1:0"})
//	url, _ := srv.Start("127.0.0.1:0")                   // serves in the background
//	bundle, _ := srv.Enrol(ctx, "DOSTUK-07", "DOSTUK", url) // a wire.Bundle
//	defer srv.Close()
package hq

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/sync/wire"
)

// Config says where HQ keeps its data and how it is reached.
type Config struct {
	// DataDir holds the CA, the server certificate, the list-signing key,
	// settings.json and (without Postgres) the SQLite store hq.db. Created on
	// first start.
	DataDir string
	// Listen is the address HQ serves on ("host:port"); the server certificate
	// covers its host (every local address when the host is empty or 0.0.0.0),
	// localhost, 127.0.0.1 and ::1.
	Listen string
	// Hosts are more names or addresses the server certificate must cover (the
	// name booths use when HQ sits behind NAT).
	Hosts []string
	// Postgres, when set, is the PostgreSQL URL of the central store; otherwise
	// the SQLite file DataDir/hq.db is used.
	Postgres string
	// Limits bound what a batch may hold; zero means wire.DefaultLimits.
	Limits wire.Limits
	// BoothValidity is how long a booth certificate lasts; zero means 10 years.
	BoothValidity time.Duration
	// Clock tells HQ the time; nil means the system clock.
	Clock app.Clock
	// Logger receives structured logs; nil means JSON on stderr.
	Logger *slog.Logger
	// HealthIdleTimeout closes an idle keep-alive connection to the health
	// address after this long; 0 means 30 s.
	HealthIdleTimeout time.Duration
	// RequireStandby refuses to start unless the PostgreSQL store commits every
	// transaction on a synchronous standby too, so that a batch HQ acknowledges
	// survives the loss of HQ's machine; health then reports the standby.
	RequireStandby bool
	// Argon2 is the cost of the password hashes HQ makes for officers; zero
	// fields take wire.DefaultArgon2's. Booths check them at the cost each
	// hash names.
	Argon2 wire.Argon2Params
}

// Server is an opened HQ: its CA and keys, its store, and the HTTPS servers it runs.
type Server struct {
	cfg     Config
	store   store.Store
	ca      *pki.Authority
	signKey ed25519.PrivateKey
	log     *slog.Logger
	clock   app.Clock

	dummyOnce sync.Once // a hash for unknown accounts, made once
	dummy     string

	staysMu sync.Mutex // one open-stays publication at a time (openstays.go)
	snapMu  sync.Mutex
	snap    wire.Envelope // the latest open-stays snapshot built, unsigned
	news    listsNews     // wakes the booths' long polls when lists are published

	mu      sync.Mutex
	servers []*http.Server
	tlsCfg  *tls.Config
}

// Open opens HQ's data directory, creating the CA and list-signing key on first
// start, and its store (SQLite in DataDir, or PostgreSQL). The server
// certificate for cfg.Listen is issued (or reused) here too. Returns EINVALID
// for an unusable configuration.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, app.Errorf(app.EINVALID, "HQ needs a data directory (--data)")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if cfg.Limits.MaxRecords <= 0 || cfg.Limits.MaxBytes <= 0 || cfg.Limits.MaxEncoded <= 0 {
		cfg.Limits = wire.DefaultLimits
	}
	// The folder holds the CA key and the list-signing key: its owner's only,
	// even when an administrator created it beforehand with 0755.
	if err := safefile.PrivateDir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("HQ data directory: %w", err)
	}
	now := cfg.Clock.Now()
	ca, err := pki.LoadOrCreate(cfg.DataDir, now)
	if err != nil {
		return nil, err
	}
	key, err := pki.LoadOrCreateSigningKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	var st store.Store
	if cfg.Postgres != "" {
		st, err = store.OpenPostgres(ctx, cfg.Postgres)
	} else {
		db := filepath.Join(cfg.DataDir, "hq.db")
		if err = safefile.PrivateDB(db); err == nil {
			st, err = store.OpenSQLite(ctx, db)
		}
	}
	if err != nil {
		return nil, err
	}
	if cfg.RequireStandby {
		if err := requireStandby(ctx, st); err != nil {
			st.Close()
			return nil, err
		}
	}
	s := &Server{cfg: cfg, store: st, ca: ca, signKey: key, log: cfg.Logger, clock: cfg.Clock}
	return s, nil
}

// Store is HQ's central store, for reports and tests.
func (s *Server) Store() store.Store { return s.store }

// CACertPEM is HQ's CA certificate.
func (s *Server) CACertPEM() []byte { return s.ca.CertPEM }

// ListKey is the public half of the list-signing key.
func (s *Server) ListKey() ed25519.PublicKey { return s.signKey.Public().(ed25519.PublicKey) }

// TLSConfig is HQ's server side of mutual TLS: TLS 1.3 only, its certificate,
// and a client certificate chaining to its CA required on every connection.
// Revocation is not Go's business here: every request checks the certificate's
// serial against the store (see authenticate).
func (s *Server) TLSConfig() (*tls.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tlsCfg != nil {
		return s.tlsCfg, nil
	}
	pair, err := s.ca.ServerCertificate(pki.ServerHosts(s.cfg.Listen, s.cfg.Hosts...), s.clock.Now())
	if err != nil {
		return nil, err
	}
	s.tlsCfg = &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{pair},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    s.ca.Pool(),
		// The booth clock may be wrong by days after an outage; chain validity is
		// judged by HQ's clock, which Go uses by default.
	}
	return s.tlsCfg, nil
}

// Serve answers HTTPS on l until Close. It returns http.ErrServerClosed after Close.
func (s *Server) Serve(l net.Listener) error {
	tc, err := s.TLSConfig()
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		TLSConfig:         tc,
		ReadHeaderTimeout: 20 * time.Second,
		// A 4 MiB batch over a 256 kbit/s link takes over two minutes.
		ReadTimeout:  10 * time.Minute,
		WriteTimeout: 10 * time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s.serveTLS(l, hs, "hq serving")
}

// serveTLS serves hs on l, registered so that Close stops it too.
func (s *Server) serveTLS(l net.Listener, hs *http.Server, what string) error {
	s.mu.Lock()
	s.servers = append(s.servers, hs)
	s.mu.Unlock()
	s.log.Info(what, "addr", l.Addr().String())
	return hs.ServeTLS(l, "", "")
}

// ServeConsole answers the web console's HTTPS on l until Close: HQ's own
// server certificate, no client certificate (people sign in with an account).
func (s *Server) ServeConsole(l net.Listener, h http.Handler) error {
	tc, err := s.TLSConfig()
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           h,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, Certificates: tc.Certificates},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s.serveTLS(l, hs, "hq console serving")
}

// Start listens on addr and serves in the background; it returns HQ's base URL
// ("https://127.0.0.1:PORT"), the address to put in bundles for loopback use.
func (s *Server) Start(addr string) (string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	if _, err := s.TLSConfig(); err != nil {
		l.Close()
		return "", err
	}
	go func() {
		if err := s.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("hq server stopped", "err", err)
		}
	}()
	return "https://" + l.Addr().String(), nil
}

// Shutdown stops the HTTPS servers gracefully (in-flight batches finish).
func (s *Server) Shutdown(ctx context.Context) error {
	s.news.stop() // long polls answer at once instead of holding the shutdown
	s.mu.Lock()
	servers := s.servers
	s.servers = nil
	s.mu.Unlock()
	var errs []error
	for _, hs := range servers {
		errs = append(errs, hs.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// Close stops serving at once and closes the store.
func (s *Server) Close() error {
	s.news.stop()
	s.mu.Lock()
	servers := s.servers
	s.servers = nil
	s.mu.Unlock()
	var errs []error
	for _, hs := range servers {
		errs = append(errs, hs.Close())
	}
	errs = append(errs, s.store.Close())
	return errors.Join(errs...)
}

// Settings are what `hq serve` remembers in the data directory so the other
// commands (`hq booth enrol`, `hq report`, …) find the same store and put the
// right address in bundles without repeating flags.
type Settings struct {
	Address  string `json:"address,omitempty"`  // HQ's base URL for bundles, "https://host:port"
	Postgres string `json:"postgres,omitempty"` // the PostgreSQL URL, when used
	// RequireStandby: hq serve --require-standby was given (kept for restarts).
	RequireStandby bool `json:"require_standby,omitempty"`
}

const settingsFile = "settings.json"

// LoadSettings reads DataDir/settings.json; a missing file is empty settings.
func LoadSettings(dir string) (Settings, error) {
	var st Settings
	data, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, app.Errorf(app.EINVALID, "%s: %v", filepath.Join(dir, settingsFile), err)
	}
	return st, nil
}

// SaveSettings writes DataDir/settings.json, mode 0600 (it may hold a password
// in the PostgreSQL URL).
func SaveSettings(dir string, st Settings) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	data, _ := json.MarshalIndent(st, "", "  ")
	return os.WriteFile(filepath.Join(dir, settingsFile), append(data, '\n'), 0o600)
}

// AdvertisedAddress is the base URL booths use for an HQ listening on listen:
// its host, or the machine's name when the host is empty or unspecified.
func AdvertisedAddress(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "listen address %q is not host:port", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if host, err = os.Hostname(); err != nil {
			host = "localhost"
		}
	}
	return "https://" + net.JoinHostPort(host, port), nil
}

var _ io.Closer = (*Server)(nil)

// requireStandby refuses a store whose commits are not safe on a synchronous standby.
func requireStandby(ctx context.Context, st store.Store) error {
	pg, ok := st.(*store.Postgres)
	if !ok {
		return app.Errorf(app.EINVALID, "--require-standby needs the PostgreSQL store (--postgres URL); SQLite has no standby")
	}
	r, err := pg.Replication(ctx)
	if err != nil {
		return err
	}
	if err := r.Configured(); err != nil {
		return app.Errorf(app.EINVALID, "--require-standby: %v. Set synchronous_standby_names and synchronous_commit = on (docs/install-hq.md)", err)
	}
	return nil
}
