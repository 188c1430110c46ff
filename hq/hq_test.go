package hq_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/google/uuid"
)

// backends runs f once per store implementation against a real in-process HQ.
func backends(t *testing.T, f func(t *testing.T, h *hqtest.HQ)) {
	t.Run("sqlite", func(t *testing.T) { f(t, hqtest.Start(t, hq.Config{})) })
	t.Run("postgres", func(t *testing.T) { f(t, hqtest.Start(t, hq.Config{Postgres: hqtest.PostgresURL(t)})) })
}

// crossings makes n crossing records from seq first on, with payloads shaped
// like the booth's (JSON of app.Crossing).
func crossings(booth string, first int64, n int) []wire.Record {
	recs := make([]wire.Record, n)
	for i := range recs {
		c := app.Crossing{
			ID: uuid.Must(uuid.NewV7()).String(), InspectionID: uuid.Must(uuid.NewV7()).String(),
			ShiftID: "shift-1", OfficerID: "K1234", Post: "DOSTUK", Booth: booth, Direction: app.Entry, Decision: app.Admit,
			Document:  app.DocumentKey{IssuingState: "KGZ", Number: fmt.Sprintf("AC%07d", first+int64(i))},
			Traveller: app.TravellerKey{Surname: "ASANOV", GivenNames: "BAKYT", BirthDate: "1990-01-01", Nationality: "KGZ"},
			Sex:       "M", Expiry: "2031-05-05", DocumentCode: "P",
			BoothTime: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		}
		payload := wire.EncodeCrossing(c)
		recs[i] = wire.Record{Seq: first + int64(i), ID: c.ID, Kind: "crossing", Payload: payload}
	}
	return recs
}

func mustBatch(t testing.TB, booth string, first int64, recs []wire.Record) wire.Batch {
	t.Helper()
	b, err := wire.NewBatch(booth, first, recs, wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encode(t testing.TB, b wire.Batch) []byte {
	t.Helper()
	data, err := wire.MarshalBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type answer struct {
	status int
	header http.Header
	ack    wire.Ack
	err    wire.ErrorBody
	body   []byte
}

func send(t testing.TB, c *http.Client, method, url string, body []byte) answer {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", wire.ContentTypeBatch)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	a.body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && strings.HasSuffix(url, wire.PathBatches) {
		if err := json.Unmarshal(a.body, &a.ack); err != nil {
			t.Fatalf("ack %s: %v", a.body, err)
		}
	} else if resp.StatusCode >= 300 {
		if err := json.Unmarshal(a.body, &a.err); err != nil {
			t.Fatalf("error body %q: %v", a.body, err)
		}
	}
	return a
}

func stored(t testing.TB, h *hqtest.HQ, booth string) []store.Record {
	t.Helper()
	recs, err := h.Store().Records(context.Background(), booth)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestBatchesExactlyOnce(t *testing.T) {
	backends(t, func(t *testing.T, h *hqtest.HQ) {
		c := hqtest.Client(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"))
		url := h.URL + wire.PathBatches
		recs := crossings("DOSTUK-07", 1, 300)

		first := send(t, c, "POST", url, encode(t, mustBatch(t, "DOSTUK-07", 1, recs[:200])))
		if first.status != 200 || first.ack.HighWater != 200 || first.ack.Stored != 200 || first.ack.BoothID != "DOSTUK-07" {
			t.Fatalf("first batch: %d %s", first.status, first.body)
		}
		hqTime, err := time.Parse(time.RFC3339Nano, first.header.Get(wire.HeaderTime))
		if err != nil || time.Since(hqTime) > time.Minute || first.ack.HQTime.IsZero() {
			t.Fatalf("HQ time header %q, ack time %v", first.header.Get(wire.HeaderTime), first.ack.HQTime)
		}

		// The acknowledgement was lost: the booth sends the same batch again.
		again := send(t, c, "POST", url, encode(t, mustBatch(t, "DOSTUK-07", 1, recs[:200])))
		if again.status != 200 || again.ack.HighWater != 200 || again.ack.Stored != 0 || again.ack.Duplicates != 200 {
			t.Fatalf("replay: %d %s", again.status, again.body)
		}

		// A gap: HQ refuses and says where to resume.
		gap := send(t, c, "POST", url, encode(t, mustBatch(t, "DOSTUK-07", 251, recs[250:])))
		if gap.status != http.StatusConflict || gap.err.Code != app.ECONFLICT || gap.err.HighWater == nil || *gap.err.HighWater != 200 || gap.err.HQTime.IsZero() {
			t.Fatalf("gap: %d %s", gap.status, gap.body)
		}
		if gap.header.Get(wire.HeaderTime) == "" {
			t.Fatal("error answer without HQ time header")
		}

		// Overlapping the mark: only the new records are stored.
		over := send(t, c, "POST", url, encode(t, mustBatch(t, "DOSTUK-07", 151, recs[150:])))
		if over.status != 200 || over.ack.HighWater != 300 || over.ack.Stored != 100 || over.ack.Duplicates != 50 {
			t.Fatalf("overlap: %d %s", over.status, over.body)
		}

		got := stored(t, h, "DOSTUK-07")
		if len(got) != 300 {
			t.Fatalf("HQ holds %d records, want 300", len(got))
		}
		for i, r := range got {
			if r.ID != recs[i].ID || !bytes.Equal(r.Payload, recs[i].Payload) || r.Seq != recs[i].Seq {
				t.Fatalf("record %d differs from what the booth sent", i)
			}
		}
	})
}

func TestBatchAlert(t *testing.T) {
	backends(t, func(t *testing.T, h *hqtest.HQ) {
		c := hqtest.Client(t, h.Enrol(t, "B1", "DOSTUK"))
		url := h.URL + wire.PathBatches
		recs := crossings("B1", 1, 10)
		if a := send(t, c, "POST", url, encode(t, mustBatch(t, "B1", 1, recs))); a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		changed := append([]wire.Record(nil), recs...)
		changed[4].Payload = bytes.Replace(changed[4].Payload, []byte(`"admit"`), []byte(`"refuse"`), 1)
		a := send(t, c, "POST", url, encode(t, mustBatch(t, "B1", 1, changed)))
		if a.status != 200 || a.ack.Alerts != 1 || a.ack.Duplicates != 9 || a.ack.Stored != 0 {
			t.Fatalf("changed record: %d %s", a.status, a.body)
		}
		alerts, err := h.Store().Alerts(context.Background())
		if err != nil || len(alerts) != 1 || alerts[0].RecordID != recs[4].ID || alerts[0].Source != "link" {
			t.Fatalf("alerts %+v %v", alerts, err)
		}
		if got := stored(t, h, "B1")[4].Payload; !bytes.Equal(got, recs[4].Payload) {
			t.Fatal("the stored record was overwritten")
		}
	})
}

// otherCA issues a client certificate for booth from a CA HQ never saw.
func otherCA(t *testing.T, booth string) tls.Certificate {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rogue"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: booth}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, _ := x509.CreateCertificate(rand.Reader, leaf, caCert, key.Public(), caKey)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestRefused(t *testing.T) {
	backends(t, func(t *testing.T, h *hqtest.HQ) {
		ctx := context.Background()
		b1 := h.Enrol(t, "B1", "DOSTUK")
		c1 := hqtest.Client(t, b1)
		url := h.URL + wire.PathBatches
		good := mustBatch(t, "B1", 1, crossings("B1", 1, 5))

		t.Run("certificate from another CA", func(t *testing.T) {
			tc, _ := b1.ClientTLS()
			tc.Certificates = []tls.Certificate{otherCA(t, "B1")}
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: tc}}
			resp, err := c.Post(url, wire.ContentTypeBatch, bytes.NewReader(encode(t, good)))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("a rogue certificate got %d", resp.StatusCode)
			}
		})
		t.Run("no certificate", func(t *testing.T) {
			tc, _ := b1.ClientTLS()
			tc.Certificates = nil
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: tc}}
			if resp, err := c.Get(h.URL + wire.PathHealth); err == nil {
				resp.Body.Close()
				t.Fatalf("no certificate got %d", resp.StatusCode)
			}
		})
		t.Run("HQ's CA but unknown serial", func(t *testing.T) {
			// A bundle made by another HQ process sharing the CA files but not the
			// store (e.g. a restored backup of the data directory without its database).
			dir := t.TempDir()
			for _, f := range []string{pki.CAFile, pki.CAKeyFile, pki.SigningKeyFile} {
				data, err := os.ReadFile(filepath.Join(h.Cfg.DataDir, f))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(dir+"/"+f, data)
			}
			other, err := hq.Open(ctx, hq.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := other.Enrol(ctx, "GHOST", "DOSTUK", h.URL)
			other.Close()
			if err != nil {
				t.Fatal(err)
			}
			a := send(t, hqtest.Client(t, b), "POST", url, encode(t, mustBatch(t, "GHOST", 1, crossings("GHOST", 1, 2))))
			if a.status != http.StatusForbidden || a.err.Code != app.EUNAUTHORIZED || !strings.Contains(a.err.Message, "unknown") {
				t.Fatalf("got %d %s", a.status, a.body)
			}
		})

		cases := []struct {
			name   string
			body   func() []byte
			status int
			want   string // in the message
		}{
			{"booth mismatch", func() []byte { return encode(t, mustBatch(t, "B2", 1, crossings("B2", 1, 3))) }, 403, `names booth "B2"`},
			{"malformed", func() []byte { return []byte("not a batch at all") }, 400, "gzip"},
			{"empty body", func() []byte { return nil }, 400, "gzip"},
			{"claims an oversized payload", func() []byte { return rawBatch("B1", 5<<20, nil) }, 400, "exceeds"},
			{"oversized on the wire", func() []byte {
				// Stored (uncompressed) gzip blocks: 4 MiB of payload is more than 4 MiB on the wire.
				return rawBatch("B1", wire.DefaultLimits.MaxBytes, make([]byte, wire.DefaultLimits.MaxBytes))
			}, 400, "larger"},
			{"too many records", func() []byte {
				recs := crossings("B1", 1, wire.DefaultLimits.MaxRecords+1)
				b := wire.Batch{BoothID: "B1", First: 1, Last: recs[len(recs)-1].Seq, Records: recs}
				for i := range b.Records {
					b.Records[i].SHA256 = wire.RecordHash(b.Records[i].Payload)
				}
				b.Hash = wire.BatchHash(b)
				return encode(t, b)
			}, 400, "record count"},
			{"bad hash", func() []byte {
				b := mustBatch(t, "B1", 1, crossings("B1", 1, 5))
				b.Records[2].Payload = bytes.Replace(b.Records[2].Payload, []byte("admit"), []byte("refus"), 1)
				return encode(t, b)
			}, 400, "hash"},
			{"truncated", func() []byte { d := encode(t, good); return d[:len(d)/2] }, 400, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				a := send(t, c1, "POST", url, tc.body())
				found := false
				for _, w := range strings.Split(tc.want, "|") {
					found = found || strings.Contains(a.err.Message, w)
				}
				if a.status != tc.status || a.err.Code != wire.CodeFromStatus(tc.status) || !found {
					t.Fatalf("got %d %s, want %d with %q", a.status, a.body, tc.status, tc.want)
				}
			})
		}
		if n := len(stored(t, h, "B1")) + len(stored(t, h, "B2")); n != 0 {
			t.Fatalf("refused batches stored %d records", n)
		}

		t.Run("revoked while connected", func(t *testing.T) {
			if a := send(t, c1, "POST", url, encode(t, good)); a.status != 200 {
				t.Fatalf("before revocation: %d %s", a.status, a.body)
			}
			if err := h.Revoke(ctx, "B1"); err != nil {
				t.Fatal(err)
			}
			// Same client, same kept-alive connection: refused from the next request.
			next := mustBatch(t, "B1", 6, crossings("B1", 6, 5))
			a := send(t, c1, "POST", url, encode(t, next))
			if a.status != http.StatusForbidden || !strings.Contains(a.err.Message, "revoked") {
				t.Fatalf("after revocation: %d %s", a.status, a.body)
			}
			if h := send(t, c1, "GET", h.URL+wire.PathHealth, nil); h.status != http.StatusForbidden {
				t.Fatalf("health after revocation: %d", h.status)
			}
			if n := len(stored(t, h, "B1")); n != 5 {
				t.Fatalf("HQ holds %d records of the revoked booth, want the 5 sent before", n)
			}
		})
	})
}

func TestHealth(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	c := hqtest.Client(t, h.Enrol(t, "B1", "P"))
	a := send(t, c, "GET", h.URL+wire.PathHealth, nil)
	var got wire.Health
	if err := json.Unmarshal(a.body, &got); err != nil || a.status != 200 || got.Status != "ok" || got.BoothID != "B1" || got.HQTime.IsZero() {
		t.Fatalf("health: %d %s", a.status, a.body)
	}
	if a := send(t, c, "GET", h.URL+"/v1/nothing", nil); a.status != 404 || a.err.Code != app.ENOTFOUND {
		t.Fatalf("unknown path: %d %s", a.status, a.body)
	}
}

const listSnapshot = `{"chekara_list":1,"version":%d,"type":"snapshot","published":"2026-11-20T10:00:00Z","entries":1}
{"kind":"document","id":"D-1","issuing_state":"KGZ","document_number":"AC1234567","status":"stolen"}
`

const listDelta = `{"chekara_list":1,"version":%d,"type":"delta","base":%d,"published":"2026-11-21T10:00:00Z","entries":1}
{"op":"add","kind":"document","id":"D-%d","issuing_state":"KGZ","document_number":"AC765432%d","status":"lost"}
`

func TestListsDown(t *testing.T) {
	backends(t, func(t *testing.T, h *hqtest.HQ) {
		ctx := context.Background()
		bundle := h.Enrol(t, "B1", "DOSTUK")
		c := hqtest.Client(t, bundle)
		get := func(have int64) answer {
			return send(t, c, "GET", fmt.Sprintf("%s%s?have=%d", h.URL, wire.PathLists, have), nil)
		}

		if a := get(0); a.status != http.StatusNoContent {
			t.Fatalf("nothing published: %d %s", a.status, a.body)
		}
		for _, f := range []string{fmt.Sprintf(listSnapshot, 1), fmt.Sprintf(listDelta, 2, 1, 2, 2), fmt.Sprintf(listDelta, 3, 2, 3, 3)} {
			if _, err := h.ImportLists(ctx, []byte(f)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.ImportLists(ctx, []byte(fmt.Sprintf(listDelta, 3, 2, 3, 3))); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("same version again: %v", err)
		}
		if _, err := h.ImportLists(ctx, []byte(fmt.Sprintf(listDelta, 4, 2, 4, 4))); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("delta from an older version: %v", err)
		}
		if _, err := h.ImportLists(ctx, []byte("{}\n")); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("not a list file: %v", err)
		}

		// One answer brings a booth to the latest version: the delta when it holds
		// the delta's base, else the whole list (the deltas applied at HQ).
		steps := []struct {
			have    int64
			status  int
			version int64
			mode    wire.Mode
		}{
			{0, 200, 3, wire.Snapshot},
			{1, 200, 3, wire.Snapshot},
			{2, 200, 3, wire.Delta},
			{3, 204, 0, ""},
			{9, 409, 0, ""},
		}
		for _, st := range steps {
			a := get(st.have)
			if a.status != st.status {
				t.Fatalf("have %d: %d %s", st.have, a.status, a.body)
			}
			if a.header.Get(wire.HeaderTime) == "" {
				t.Fatalf("have %d: no HQ time", st.have)
			}
			if st.status != 200 {
				continue
			}
			e, err := wire.ParseEnvelope(a.body, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := wire.VerifyEnvelope(bundle.ListKey, e); err != nil {
				t.Fatalf("have %d: %v", st.have, err)
			}
			if e.Version != st.version || e.Mode != st.mode || e.Kind != wire.KindLists {
				t.Fatalf("have %d: got %s", st.have, e)
			}
			if e.Mode == wire.Snapshot {
				l, err := screening.ReadList(bytes.NewReader(e.Payload))
				if err != nil || l.Version != 3 || len(l.Documents) != 3 {
					t.Fatalf("have %d: whole list %+v %v", st.have, l, err)
				}
			}
			// Forged: the same envelope re-signed by another key, or altered after signing.
			_, rogue, _ := ed25519.GenerateKey(rand.Reader)
			forged, _ := wire.SignEnvelope(rogue, e)
			if err := wire.VerifyEnvelope(bundle.ListKey, forged); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("forged signature accepted: %v", err)
			}
			e.Payload = append(e.Payload, '\n')
			if err := wire.VerifyEnvelope(bundle.ListKey, e); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("altered payload accepted: %v", err)
			}
		}
		if a := send(t, c, "GET", h.URL+wire.PathLists+"?have=x", nil); a.status != 400 {
			t.Fatalf("have=x: %d", a.status)
		}

		// Rules: whole files, checked by app/rules, numbered by HQ.
		kgz, err := fs.ReadFile(assets.FS, "rules/kgz.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.ImportRules(ctx, []byte(`{"rules":[]}`)); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("rules app/rules refuses: %v", err)
		}
		if _, err := h.ImportRules(ctx, kgz); err != nil {
			t.Fatal(err)
		}
		if _, err := h.ImportRules(ctx, kgz); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("the same rules twice: %v", err)
		}
		a := send(t, c, "GET", h.URL+wire.PathRules+"?have=0", nil)
		e, err := wire.ParseEnvelope(a.body, 0)
		if err != nil || wire.VerifyEnvelope(bundle.ListKey, e) != nil || e.Version != 1 || e.Kind != wire.KindRules || !bytes.Equal(e.Payload, kgz) {
			t.Fatalf("rules: %d %.200s %v", a.status, a.body, err)
		}
	})
}

func TestImportMedia(t *testing.T) {
	backends(t, func(t *testing.T, h *hqtest.HQ) {
		ctx := context.Background()
		dir := t.TempDir()
		bundle := h.Enrol(t, "B1", "DOSTUK")
		recs := crossings("B1", 1, 30)
		writeExport(t, dir, bundle, mustBatch(t, "B1", 1, recs[:10]))
		writeExport(t, dir, bundle, mustBatch(t, "B1", 11, recs[10:20]))
		writeExport(t, dir, bundle, mustBatch(t, "B1", 21, recs[20:]))

		res, err := h.ImportDir(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 3 || res[2].Ack.HighWater != 30 || res[0].Ack.Stored != 10 {
			t.Fatalf("import: %+v", res)
		}
		// The same media again: nothing new, no error.
		res, err = h.ImportDir(ctx, dir)
		if err != nil || res[1].Ack.Duplicates != 10 || res[1].Ack.Stored != 0 {
			t.Fatalf("reimport: %+v %v", res, err)
		}
		if n := len(stored(t, h, "B1")); n != 30 {
			t.Fatalf("HQ holds %d, want 30", n)
		}

		// A revoked booth's media is refused.
		dir2 := t.TempDir()
		b2 := h.Enrol(t, "B2", "DOSTUK")
		writeExport(t, dir2, b2, mustBatch(t, "B2", 1, crossings("B2", 1, 3)))
		if err := h.Revoke(ctx, "B2"); err != nil {
			t.Fatal(err)
		}
		if _, err := h.ImportDir(ctx, dir2); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("revoked booth's media: %v", err)
		}
		if n := len(stored(t, h, "B2")); n != 0 {
			t.Fatalf("revoked booth's media stored %d", n)
		}
	})
}

func writeExport(t *testing.T, dir string, b wire.Bundle, batch wire.Batch) {
	t.Helper()
	cert, err := b.Cert()
	if err != nil {
		t.Fatal(err)
	}
	key, err := b.Signer()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := wire.WriteExport(&buf, batch, cert.Raw, key); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(dir+"/"+wire.ExportFileName(batch), buf.Bytes()); err != nil {
		t.Fatal(err)
	}
}

func TestEnrolBundle(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	b := h.Enrol(t, "DOSTUK-07", "DOSTUK")
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := got.Cert()
	if years := cert.NotAfter.Sub(time.Now()).Hours() / 24 / 365; years < 9.9 {
		t.Fatalf("booth certificate lasts %.1f years; it must outlive the longest outage", years)
	}
	if got.HQAddress != h.URL || !bytes.Equal(got.ListKey, h.ListKey()) || got.Post != "DOSTUK" {
		t.Fatalf("bundle: %+v", got)
	}
	blk, _ := pem.Decode(h.CACertPEM())
	if blk == nil || !bytes.Equal(bytes.TrimSpace(got.CAPEM), bytes.TrimSpace(h.CACertPEM())) {
		t.Fatal("bundle CA is not HQ's")
	}
	bad := []struct{ booth, post, addr string }{
		{"", "P", h.URL}, {"B 1", "P", h.URL}, {"B1", "", h.URL}, {"B1", "P", "http://x:1"},
	}
	for _, tc := range bad {
		if _, err := h.Server.Enrol(context.Background(), tc.booth, tc.post, tc.addr); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("enrol %q %q %q: %v", tc.booth, tc.post, tc.addr, err)
		}
	}
	if _, err := h.Server.Enrol(context.Background(), "DOSTUK-07", "OSH", h.URL); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("enrol at another post: %v", err)
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }

// rawBatch writes a one-record batch by hand, as a hostile booth could: the
// payload length it claims and the bytes it sends may differ, and the gzip
// stream is stored, not compressed.
func rawBatch(booth string, claimed int, payload []byte) []byte {
	var plain []byte
	plain = append(plain, "CHKBATCH\x01"...)
	plain = binary.AppendUvarint(plain, uint64(len(booth)))
	plain = append(plain, booth...)
	plain = binary.AppendUvarint(plain, 1) // first
	plain = binary.AppendUvarint(plain, 1) // last
	plain = binary.AppendUvarint(plain, 1) // records
	plain = binary.AppendUvarint(plain, 1) // seq step
	plain = binary.AppendUvarint(plain, 2)
	plain = append(plain, "r1"...)
	plain = binary.AppendUvarint(plain, 8)
	plain = append(plain, "crossing"...)
	plain = binary.AppendUvarint(plain, uint64(claimed))
	plain = append(plain, payload...)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	zw.Write(plain)
	zw.Close()
	return buf.Bytes()
}
