package pki_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/pki"
)

var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func TestAuthority(t *testing.T) {
	dir := t.TempDir()
	ca, err := pki.LoadOrCreate(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := pki.LoadOrCreate(dir, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if pki.Serial(ca.Cert) != pki.Serial(again.Cert) {
		t.Fatal("a second start made a new CA")
	}
	for _, f := range []string{pki.CAKeyFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi.Mode(), err)
		}
	}

	certPEM, keyPEM, cert, err := ca.IssueBooth("DOSTUK-07", "DOSTUK", now, 0)
	if err != nil || len(certPEM) == 0 || len(keyPEM) == 0 {
		t.Fatal(err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), CurrentTime: now.AddDate(9, 0, 0), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Fatalf("booth certificate nine years on: %v", err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err == nil {
		t.Fatal("a booth certificate must not serve as HQ's")
	}
	if cert.Subject.CommonName != "DOSTUK-07" || !slices.Equal(cert.Subject.OrganizationalUnit, []string{"DOSTUK"}) {
		t.Fatalf("subject %v", cert.Subject)
	}
	_, _, other, _ := ca.IssueBooth("DOSTUK-07", "DOSTUK", now, 0)
	if pki.Serial(other) == pki.Serial(cert) {
		t.Fatal("two certificates with one serial")
	}

	hosts := []string{"localhost", "127.0.0.1", "::1", "hq.border.example"}
	srv, err := ca.ServerCertificate(hosts, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hosts {
		if err := srv.Leaf.VerifyHostname(h); err != nil {
			t.Errorf("server certificate: %v", err)
		}
	}
	if _, err := srv.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), CurrentTime: now, DNSName: "hq.border.example"}); err != nil {
		t.Fatal(err)
	}
	same, _ := ca.ServerCertificate(hosts[:2], now.AddDate(1, 0, 0))
	if pki.Serial(same.Leaf) != pki.Serial(srv.Leaf) {
		t.Error("the server certificate was reissued though it covers the hosts")
	}
	more, _ := ca.ServerCertificate(append(hosts, "10.9.8.7"), now)
	if pki.Serial(more.Leaf) == pki.Serial(srv.Leaf) || more.Leaf.VerifyHostname("10.9.8.7") != nil {
		t.Error("a new address did not reissue the server certificate")
	}
	late, _ := ca.ServerCertificate(append(hosts, "10.9.8.7"), more.Leaf.NotAfter.Add(-10*24*time.Hour))
	if pki.Serial(late.Leaf) == pki.Serial(more.Leaf) {
		t.Error("a server certificate about to expire was kept")
	}
}

func TestSigningKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := pki.LoadOrCreateSigningKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := pki.LoadOrCreateSigningKey(dir)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("the signing key changed between starts: %v", err)
	}
	os.WriteFile(filepath.Join(dir, pki.SigningKeyFile), []byte("garbage"), 0o600)
	if _, err := pki.LoadOrCreateSigningKey(dir); err == nil {
		t.Fatal("a damaged key file was accepted")
	}
}

func TestServerHosts(t *testing.T) {
	tests := []struct {
		listen string
		want   []string
	}{
		{"10.1.2.3:8443", []string{"10.1.2.3", "127.0.0.1", "::1", "localhost"}},
		{"hq.example:8443", []string{"hq.example", "localhost"}},
		{"[fd00::1]:8443", []string{"fd00::1", "::1"}},
		{":8443", []string{"127.0.0.1", "localhost"}},
		{"0.0.0.0:8443", []string{"127.0.0.1", "localhost"}},
	}
	for _, tt := range tests {
		t.Run(tt.listen, func(t *testing.T) {
			got := pki.ServerHosts(tt.listen, "extra.example")
			for _, w := range append(tt.want, "extra.example") {
				if !slices.Contains(got, w) {
					t.Errorf("%v lacks %s", got, w)
				}
			}
		})
	}
	if name, err := os.Hostname(); err == nil && !slices.Contains(pki.ServerHosts(":8443"), name) {
		t.Errorf("listening on every address should cover the machine's name %s", name)
	}
}
