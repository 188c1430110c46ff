package pa_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
)

var td3 = []string{
	"P<KGZABDYLDAEV<<ASKAR<<<<<<<<<<<<<<<<<<<<<<<",
	"AC12345674KGZ8506151M3106305<<<<<<<<<<<<<<00",
}

func sim(tb testing.TB, variant string) *chipsim.Chip {
	tb.Helper()
	c, err := chipsim.New(slices.Clone(td3), variant, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// A CMS master list holding several CSCAs is read, and its own signature checked.
func TestMasterList(t *testing.T) {
	a, b := sim(t, chipsim.Valid), sim(t, chipsim.Valid)
	ml, err := a.Authority.MasterList(b.Authority.CSCA, a.Authority.CSCA)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := pa.ParseTrust(ml)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(trust.CSCAs), 2; got != want {
		t.Fatalf("%d CSCAs, want %d", got, want)
	}
	if !trust.MasterListSigned {
		t.Error("the master list's signature did not verify")
	}
	for _, c := range []*chipsim.Chip{a, b} {
		sod, groups := c.Groups()
		if r := pa.Check(sod, groups, trust, time.Now()); !r.OK() {
			t.Errorf("%+v", r)
		}
	}
}

// PEM files with several certificates, and single DER certificates.
func TestTrustFormats(t *testing.T) {
	a, b := sim(t, chipsim.Valid), sim(t, chipsim.Valid)
	pem := append(a.Authority.CSCAPEM(), b.Authority.CSCAPEM()...)
	trust, err := pa.ParseTrust(pem)
	if err != nil || len(trust.CSCAs) != 2 {
		t.Fatalf("PEM: %v, %d CSCAs", err, len(trust.CSCAs))
	}
	trust, err = pa.ParseTrust(a.Authority.CSCA.Raw)
	if err != nil || len(trust.CSCAs) != 1 {
		t.Fatalf("DER: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("hello"), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")} {
		if _, err := pa.ParseTrust(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// Bad SODs are clear errors, never a crash: cut short, an absurd length, garbage.
func TestBadSOD(t *testing.T) {
	c := sim(t, chipsim.Valid)
	sod, groups := c.Groups()
	trust, _ := pa.ParseTrust(c.Authority.CSCAPEM())
	absurd := append([]byte{0x77, 0x84, 0x7F, 0xFF, 0xFF, 0xFF}, sod[4:]...)
	for name, b := range map[string][]byte{
		"truncated": sod[:len(sod)/2],
		"absurd":    absurd,
		"empty":     nil,
		"garbage":   []byte{0x77, 0x03, 0x01, 0x02, 0x03},
	} {
		t.Run(name, func(t *testing.T) {
			r := pa.Check(b, groups, trust, time.Now())
			if r.OK() || r.SODSignature != pa.Invalid || len(r.Problems) == 0 {
				t.Errorf("%+v", r)
			}
			if _, err := pa.ParseSOD(b); !errors.Is(err, pa.ErrCMS) {
				t.Errorf("ParseSOD: %v, want ErrCMS", err)
			}
		})
	}
}

// Certificates that issue one another in a circle end in a clear error.
func TestCertificateLoop(t *testing.T) {
	now := time.Now()
	ka, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	kb, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	mk := func(subject, issuer string, pub, signer *ecdsa.PrivateKey) *x509.Certificate {
		t.Helper()
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: subject},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign}
		parent := &x509.Certificate{Subject: pkix.Name{CommonName: issuer}, PublicKey: &signer.PublicKey}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &pub.PublicKey, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c
	}
	a := mk("A", "B", ka, kb) // A issued by B
	b := mk("B", "A", kb, ka) // B issued by A
	signer, _, err := chipsim.NewSigner(a, ka, now)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[int][]byte{1: chip.EncodeDG1(td3)}
	sod, err := signer.SOD(groups, nil, a, b)
	if err != nil {
		t.Fatal(err)
	}
	other := sim(t, chipsim.Valid)
	trust, _ := pa.ParseTrust(other.Authority.CSCAPEM())
	r := pa.Check(sod, groups, trust, now)
	if r.DSChain != pa.Invalid || !strings.Contains(strings.Join(r.Problems, ";"), "loop") {
		t.Errorf("%+v, want an invalid chain for a loop", r)
	}
	if r.SODSignature != pa.Valid || r.DGHashes["DG1"] != pa.Match {
		t.Errorf("%+v", r)
	}
}

// No CSCA configured: the chain is unknown, never valid.
func TestNoTrust(t *testing.T) {
	c := sim(t, chipsim.Valid)
	sod, groups := c.Groups()
	if r := pa.Check(sod, groups, nil, time.Now()); r.DSChain != pa.UnknownCSCA || r.OK() {
		t.Errorf("%+v", r)
	}
}

func BenchmarkPassiveAuthentication(b *testing.B) {
	c := sim(b, chipsim.Valid)
	sod, groups := c.Groups()
	trust, _ := pa.ParseTrust(c.Authority.CSCAPEM())
	now := time.Now()
	b.ResetTimer()
	for b.Loop() {
		if r := pa.Check(sod, groups, trust, now); !r.OK() {
			b.Fatal(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/check")
}
