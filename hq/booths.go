package hq

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/sync/wire"
)

// Enrol issues a booth a client certificate (naming the booth, valid for
// Config.BoothValidity, 10 years by default, so it outlives any outage),
// records it, and returns the bundle the booth imports: certificate and key,
// HQ's CA, HQ's address and the list-signing public key. Enrolling an enrolled
// booth again issues an additional certificate (a lost bundle; revoke to cut
// the old one off). Returns EINVALID for a bad booth id, post or address,
// ECONFLICT for a revoked booth or a different post.
func (s *Server) Enrol(ctx context.Context, booth, post, address string) (wire.Bundle, error) {
	if err := wire.ValidBoothID(booth); err != nil {
		return wire.Bundle{}, err
	}
	if err := wire.ValidBoothID(post); err != nil {
		return wire.Bundle{}, app.Errorf(app.EINVALID, "post %q: use letters, digits, '.', '_', '-', ':'", post)
	}
	now := s.clock.Now().UTC()
	certPEM, keyPEM, cert, err := s.ca.IssueBooth(booth, post, now, s.cfg.BoothValidity)
	if err != nil {
		return wire.Bundle{}, err
	}
	b := wire.Bundle{BoothID: booth, Post: post, HQAddress: address, CertPEM: certPEM, KeyPEM: keyPEM,
		CAPEM: s.ca.CertPEM, ListKey: s.ListKey(), Issued: now}
	// Check before recording, so a bad address leaves no orphan certificate.
	if err := b.Check(); err != nil {
		return wire.Bundle{}, err
	}
	if err := s.store.Enrol(ctx, store.Booth{ID: booth, Post: post, EnrolledAt: now},
		store.Certificate{Serial: pki.Serial(cert), Booth: booth, IssuedAt: now, NotAfter: cert.NotAfter}); err != nil {
		return wire.Bundle{}, err
	}
	s.log.Info("booth enrolled; its earlier certificates are retired", "booth", booth, "post", post, "serial", pki.Serial(cert), "not_after", cert.NotAfter)
	return b, nil
}

// Revoke cuts a booth off: every certificate it holds is refused from the next
// request on, in every HQ process sharing the store. Its records stay.
// Returns ENOTFOUND for a booth never enrolled.
func (s *Server) Revoke(ctx context.Context, booth string) error {
	if err := s.store.Revoke(ctx, booth, s.clock.Now().UTC()); err != nil {
		return err
	}
	s.log.Warn("booth revoked", "booth", booth)
	return nil
}

// RevokeCertificate cuts off one certificate (a lost or stolen bundle) at once,
// leaving the booth enrolled: enrol it again for a new bundle. Serials are
// lower-case hex as `hq booth enrol` and the logs print them. Errors:
// ENOTFOUND for a serial HQ never issued.
func (s *Server) RevokeCertificate(ctx context.Context, serial string) error {
	serial = strings.TrimLeft(strings.ToLower(strings.ReplaceAll(serial, ":", "")), "0")
	if err := s.store.RevokeCertificate(ctx, serial, s.clock.Now().UTC()); err != nil {
		return err
	}
	s.log.Warn("certificate revoked", "serial", serial)
	return nil
}

// ImportResult is what importing one export file did.
type ImportResult struct {
	File string   `json:"file"`
	Ack  wire.Ack `json:"ack,omitzero"`
	Err  string   `json:"error,omitempty"`
}

// ImportFile applies one export file from removable media through the same
// exactly-once path as a batch over the link. The certificate it carries must
// chain to HQ's CA, be known to the store for the booth it names, and not be
// revoked. Returns EINVALID for a malformed file, EUNAUTHORIZED for a bad
// signature or certificate, ECONFLICT for a gap (import the earlier files first).
func (s *Server) ImportFile(ctx context.Context, r io.Reader) (wire.Ack, error) {
	ex, err := wire.ReadExport(r, s.cfg.Limits)
	if err != nil {
		return wire.Ack{}, err
	}
	_, err = ex.Cert.Verify(x509.VerifyOptions{
		Roots:       s.ca.Pool(),
		CurrentTime: s.clock.Now(),
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return wire.Ack{}, app.Errorf(app.EUNAUTHORIZED, "export file's certificate for booth %q is not one of this HQ's: %v", wire.BoothIDFromCert(ex.Cert), err)
	}
	if _, err := s.checkCert(ctx, ex.Cert); err != nil {
		return wire.Ack{}, err
	}
	return s.apply(ctx, ex.Batch, "media")
}

// ImportDir imports every export file (*.chkb) in dir in name order (which is
// each booth's sequence order). A file that fails does not stop the others; the
// error of the first failure is returned with all the results.
func (s *Server) ImportDir(ctx context.Context, dir string) ([]ImportResult, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "read %s: %v", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), wire.ExportExt) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var results []ImportResult
	var first error
	for _, name := range names {
		res := ImportResult{File: name}
		f, err := safefile.OpenRegular(filepath.Join(dir, name))
		if err == nil {
			res.Ack, err = s.ImportFile(ctx, f)
			f.Close()
		}
		if err != nil {
			res.Err = app.ErrorMessage(err)
			if app.ErrorCode(err) == app.EINTERNAL {
				res.Err = err.Error()
			}
			s.log.Warn("import refused", "file", name, "err", err.Error())
			if first == nil {
				first = err
			}
		}
		results = append(results, res)
	}
	return results, first
}

// Report is `hq report --format json`.
type Report struct {
	Crossings int64 `json:"crossings"`
	Overrides int64 `json:"overrides"` // admitted against a STOP verdict
	SetAside  int64 `json:"set_aside"` // reads ended without a decision
	// Rows, with --by, are the groups: the chosen keys and crossings,
	// admitted, refused, referred (console.MakeStatsJSON).
	Rows   []map[string]any `json:"rows,omitempty"`
	Booths []BoothReport    `json:"booths"`
}

// BoothReport is one booth's line of the report. LastSync is RFC 3339, "" for a
// booth that never synced.
type BoothReport struct {
	ID        string `json:"id"`
	Post      string `json:"post"`
	Crossings int64  `json:"crossings"`
	Overrides int64  `json:"overrides"`
	SetAside  int64  `json:"set_aside"`
	LastSync  string `json:"last_sync"`
}

// Report sums the crossings, overrides and set-aside reads HQ holds, per booth.
func (s *Server) Report(ctx context.Context) (Report, error) {
	rep, err := s.store.Report(ctx)
	if err != nil {
		return Report{}, err
	}
	out := Report{Crossings: rep.Crossings, Overrides: rep.Overrides, SetAside: rep.SetAside, Booths: []BoothReport{}}
	for _, b := range rep.Booths {
		br := BoothReport{ID: b.ID, Post: b.Post, Crossings: b.Crossings, Overrides: b.Overrides, SetAside: b.SetAside}
		if !b.LastSync.IsZero() {
			br.LastSync = b.LastSync.UTC().Format(time.RFC3339)
		}
		out.Booths = append(out.Booths, br)
	}
	return out, nil
}

// WriteReport writes the report as one line of JSON.
func WriteReport(w io.Writer, r Report) error {
	return json.NewEncoder(w).Encode(r)
}
