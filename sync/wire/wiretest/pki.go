// Package wiretest makes what a test of the booth–HQ wire needs without an HQ: a
// certificate authority, booth and server certificates, a list-signing key and
// enrolment bundles. Tests only.
package wiretest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/chekara/chekara/sync/wire"
)

// PKI is a test HQ's certificate authority and list-signing key.
type PKI struct {
	CA      *x509.Certificate
	CAKey   *ecdsa.PrivateKey
	CAPEM   []byte
	ListPub ed25519.PublicKey
	ListKey ed25519.PrivateKey
	serial  int64
}

func NewPKI(tb testing.TB) *PKI {
	tb.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Chekara test HQ CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	return &PKI{CA: ca, CAKey: key, CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		ListPub: pub, ListKey: priv, serial: 1}
}

// Issue returns a certificate and key PEM signed by the CA.
func (p *PKI) Issue(tb testing.TB, cn string, server bool) (certPEM, keyPEM []byte) {
	tb.Helper()
	p.serial++
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(p.serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.DNSNames = []string{"localhost"}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.CA, &key.PublicKey, p.CAKey)
	if err != nil {
		tb.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

// Bundle enrols booth at a test HQ on addr.
func (p *PKI) Bundle(tb testing.TB, booth, addr string) wire.Bundle {
	tb.Helper()
	cert, key := p.Issue(tb, booth, false)
	return wire.Bundle{BoothID: booth, Post: "DOSTUK", HQAddress: "https://" + addr, CertPEM: cert, KeyPEM: key,
		CAPEM: p.CAPEM, ListKey: p.ListPub, Issued: time.Now()}
}
