package sync_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strconv"
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

func (p *pki) serverTLS(tb testing.TB) *tls.Config {
	tb.Helper()
	cert, key := p.issue(tb, "127.0.0.1", true)
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{pair},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
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

// testHQ is a minimal HQ standing in for the hq package's server: mutual TLS,
// batches applied exactly once (per record id, with the high-water mark), list
// envelopes served by version. Its state survives Restart, as HQ's store does.
type testHQ struct {
	pki  *pki
	addr string
	tls  *tls.Config

	mu      gosync.Mutex
	srv     *http.Server
	ln      net.Listener
	records map[string]sync.Record // by id
	booth   map[string]string      // id -> booth
	mark    map[string]int64
	alerts  int
	posts   int
	pubs    map[sync.EnvelopeKind][]sync.Envelope
	// crash, when set, runs after a batch is committed and before the answer;
	// returning true drops the connection: "HQ committed, acknowledgement lost".
	crash func() bool
}

func startHQ(tb testing.TB, p *pki) *testHQ {
	tb.Helper()
	h := &testHQ{pki: p, tls: p.serverTLS(tb), records: map[string]sync.Record{}, booth: map[string]string{},
		mark: map[string]int64{}, pubs: map[sync.EnvelopeKind][]sync.Envelope{}}
	h.start(tb, "127.0.0.1:0")
	tb.Cleanup(h.stop)
	return h
}

func (h *testHQ) start(tb testing.TB, addr string) {
	tb.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old socket may linger a moment after a restart
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+sync.PathBatches, h.batches)
	mux.HandleFunc("GET "+sync.PathLists, func(w http.ResponseWriter, r *http.Request) { h.envelope(w, r, sync.KindLists) })
	mux.HandleFunc("GET "+sync.PathRules, func(w http.ResponseWriter, r *http.Request) { h.envelope(w, r, sync.KindRules) })
	srv := &http.Server{Handler: mux, ErrorLog: log.New(io.Discard, "", 0)} // handshake errors are the faults under test
	h.mu.Lock()
	h.srv, h.ln, h.addr = srv, ln, ln.Addr().String()
	h.mu.Unlock()
	go srv.Serve(tls.NewListener(ln, h.tls))
}

func (h *testHQ) stop() {
	h.mu.Lock()
	srv := h.srv
	h.mu.Unlock()
	srv.Close()
}

// restart kills every connection (a batch in flight is lost mid-way) and
// listens again on the same address with the same state.
func (h *testHQ) restart(tb testing.TB) {
	h.stop()
	h.start(tb, h.addr)
}

func writeErr(w http.ResponseWriter, code, msg string, hw *int64) {
	w.Header().Set("Content-Type", sync.ContentTypeJSON)
	w.WriteHeader(sync.HTTPStatus(code))
	json.NewEncoder(w).Encode(sync.ErrorBody{Code: code, Message: msg, HighWater: hw, HQTime: time.Now().UTC()})
}

func (h *testHQ) batches(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(sync.HeaderTime, time.Now().UTC().Format(time.RFC3339Nano))
	b, err := sync.DecodeBatch(http.MaxBytesReader(w, r.Body, sync.DefaultLimits.MaxEncoded), sync.DefaultLimits)
	if err != nil {
		writeErr(w, app.ErrorCode(err), app.ErrorMessage(err), nil)
		return
	}
	if got := sync.BoothIDFromCert(r.TLS.PeerCertificates[0]); got != b.BoothID {
		writeErr(w, app.EUNAUTHORIZED, "certificate is for booth "+got, nil)
		return
	}
	h.mu.Lock()
	h.posts++
	mark := h.mark[b.BoothID]
	if b.First > mark+1 {
		h.mu.Unlock()
		writeErr(w, app.ECONFLICT, "gap", &mark)
		return
	}
	ack := sync.Ack{BoothID: b.BoothID}
	for _, rec := range b.Records {
		old, ok := h.records[rec.ID]
		switch {
		case !ok:
			h.records[rec.ID] = rec
			h.booth[rec.ID] = b.BoothID
			ack.Stored++
		case old.SHA256 == rec.SHA256:
			ack.Duplicates++
		default:
			ack.Alerts++
			h.alerts++
		}
	}
	h.mark[b.BoothID] = max(mark, b.Last)
	ack.HighWater = h.mark[b.BoothID]
	crash := h.crash
	h.mu.Unlock()
	if crash != nil && crash() {
		// Committed, but the booth never hears it.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	ack.HQTime = time.Now().UTC()
	w.Header().Set("Content-Type", sync.ContentTypeJSON)
	json.NewEncoder(w).Encode(ack)
}

func (h *testHQ) publish(tb testing.TB, e sync.Envelope) sync.Envelope {
	tb.Helper()
	e, err := sync.SignEnvelope(h.pki.listKey, e)
	if err != nil {
		tb.Fatal(err)
	}
	h.mu.Lock()
	h.pubs[e.Kind] = append(h.pubs[e.Kind], e)
	h.mu.Unlock()
	return e
}

// envelope answers with the delta from have if published, else the newest
// snapshot above have, else 204.
func (h *testHQ) envelope(w http.ResponseWriter, r *http.Request, kind sync.EnvelopeKind) {
	w.Header().Set(sync.HeaderTime, time.Now().UTC().Format(time.RFC3339Nano))
	have, _ := strconv.ParseInt(r.URL.Query().Get(sync.QueryHave), 10, 64)
	h.mu.Lock()
	var pick *sync.Envelope
	for i, e := range h.pubs[kind] {
		if e.Mode == sync.Delta && e.BaseVersion == have {
			pick = &h.pubs[kind][i]
		}
	}
	if pick == nil {
		for i, e := range h.pubs[kind] {
			if e.Mode == sync.Snapshot && e.Version > have {
				pick = &h.pubs[kind][i]
			}
		}
	}
	h.mu.Unlock()
	if pick == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	data, _ := sync.MarshalEnvelope(*pick)
	w.Header().Set("Content-Type", sync.ContentTypeJSON)
	w.Write(data)
}

// check fails the test unless HQ holds every one of the outbox's records exactly
// once, with the same content.
func (h *testHQ) check(tb testing.TB, ob *memOutbox, booth string) {
	tb.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	ob.mu.Lock()
	defer ob.mu.Unlock()
	if len(h.records) != len(ob.recs) {
		tb.Fatalf("HQ holds %d records, the booth committed %d", len(h.records), len(ob.recs))
	}
	for _, r := range ob.recs {
		got, ok := h.records[r.ID]
		if !ok {
			tb.Fatalf("record %d (%s) missing at HQ", r.Seq, r.ID)
		}
		if got.SHA256 != sync.RecordHash(r.Payload) || string(got.Payload) != string(r.Payload) || h.booth[r.ID] != booth {
			tb.Fatalf("record %d differs at HQ", r.Seq)
		}
	}
	if h.alerts != 0 {
		tb.Fatalf("HQ raised %d alerts", h.alerts)
	}
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
