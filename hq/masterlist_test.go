package hq_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hq masterlist import publishes CSCA certificates (PEM here; CMS master lists
// in booth/masterlist_test.go) and refuses what is neither.
func TestMasterListImport(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CSCA KGZ (test)"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "csca.pem")
	os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	if code, out, errs := run(t, "masterlist", "import", "--data", dir, file); code != 0 || !strings.Contains(out, "masterlist version 1") {
		t.Fatalf("masterlist import: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "masterlist", "import", "--data", dir, file); code == 0 || !strings.Contains(errs, "already published") {
		t.Fatalf("the same list twice: %d %s", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("hello"), 0o600)
	if code, _, errs := run(t, "masterlist", "import", "--data", dir, bad); code == 0 || !strings.Contains(errs, "master list") {
		t.Fatalf("garbage: %d %s", code, errs)
	}
}
