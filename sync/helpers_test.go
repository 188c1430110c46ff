package sync_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	gosync "sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync"
)

// pki is a test HQ's certificate authority and list-signing key.
type pki struct {
	ca      *x509.Certificate
	caKey   *ecdsa.PrivateKey
	caPEM   []byte
	listPub ed25519.PublicKey
	listKey ed25519.PrivateKey
	serial  int64
}

func newPKI(tb testing.TB) *pki {
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
	return &pki{ca: ca, caKey: key, caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		listPub: pub, listKey: priv, serial: 1}
}

// issue returns a certificate and key PEM signed by the CA.
func (p *pki) issue(tb testing.TB, cn string, server bool) (certPEM, keyPEM []byte) {
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		tb.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

func (p *pki) bundle(tb testing.TB, booth, addr string) sync.Bundle {
	tb.Helper()
	cert, key := p.issue(tb, booth, false)
	return sync.Bundle{BoothID: booth, Post: "DOSTUK", HQAddress: "https://" + addr, CertPEM: cert, KeyPEM: key,
		CAPEM: p.caPEM, ListKey: p.listPub, Issued: time.Now()}
}

// memOutbox is a booth outbox in memory: it survives "booth died" because the
// test keeps it while throwing the Link away, as SQLite keeps committed rows.
type memOutbox struct {
	mu   gosync.Mutex
	recs []sync.Record
	sent int64
}

func (m *memOutbox) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := 0; i < n; i++ {
		seq := int64(len(m.recs) + 1)
		m.recs = append(m.recs, sync.Record{Seq: seq, ID: fmt.Sprintf("0193a1b2-%04x-7000-8000-%012d", seq%65536, seq),
			Kind: "crossing", Payload: crossingPayload(seq)})
	}
}

// crossingPayload is a crossing record as the store writes it (canonical JSON of
// app.Crossing), with varied but deterministic content.
func crossingPayload(seq int64) []byte {
	r := uint64(seq)*2654435761 + 12345
	names := []string{"ASANOV", "TOKTOGULOVA", "IVANOV", "SMITH", "MULLER", "OSMONOV", "KIM", "PETROVA"}
	given := []string{"BAKYT", "AIGUL", "SERGEI", "ANNA", "JOHN", "NURLAN", "MEERIM", "OLGA"}
	nat := []string{"KGZ", "KAZ", "RUS", "UZB", "DEU", "CHN", "TJK", "GBR"}
	c := app.Crossing{
		ID: fmt.Sprintf("0193a1b2-%04x-7000-8000-%012d", seq%65536, seq), InspectionID: fmt.Sprintf("0193a1b2-%04x-7000-9000-%012d", seq%65536, seq),
		ShiftID: "0193a1b2-0000-7000-8000-shift0000001", OfficerID: "OF1234", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Admit,
		Document: app.DocumentKey{IssuingState: nat[r%8], Number: fmt.Sprintf("AC%07d", r%10000000)}, DocumentCode: "P",
		Traveller: app.TravellerKey{Surname: names[(r>>3)%8], GivenNames: given[(r>>6)%8], BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 50+r%50, 1+r%12, 1+r%28), Nationality: nat[r%8]},
		Sex:       "M", Expiry: fmt.Sprintf("20%02d-%02d-%02d", 27+r%10, 1+r%12, 1+r%28),
		BoothTime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * 37 * time.Second),
	}
	if r%20 == 0 {
		c.Decision, c.RefusalReason = app.Refuse, "E"
	}
	data, _ := json.Marshal(c)
	return data
}

func (m *memOutbox) Outbox(_ context.Context, after int64, maxRecords, maxBytes int) ([]sync.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []sync.Record
	size := 0
	for _, r := range m.recs {
		if r.Seq <= after {
			continue
		}
		if len(out) == maxRecords || (len(out) > 0 && size+len(r.Payload) > maxBytes) {
			break
		}
		size += len(r.Payload)
		out = append(out, r)
	}
	return out, nil
}

func (m *memOutbox) MarkSent(_ context.Context, upTo int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = max(m.sent, upTo)
	return nil
}

func (m *memOutbox) SentMark(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent, nil
}

func (m *memOutbox) LastSeq(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.recs)), nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
