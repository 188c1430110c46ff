package wire_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// FuzzVerifyAtRest: a seal as the booth keeps it in a .version file, and the
// file beside it, both from disk: whatever they hold, verification answers
// with a code and never accepts a file that is not the signed digest.
func FuzzVerifyAtRest(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	file := []byte(`{"country":"KGZ"}`)
	sum := sha256.Sum256(file)
	e, err := wire.SignEnvelope(priv, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindRules, Version: 3, Mode: wire.Snapshot,
		Published: time.Unix(1.7e9, 0), Expires: time.Unix(1.8e9, 0), Digest: sum[:], Payload: file})
	if err != nil {
		f.Fatal(err)
	}
	seal, _ := json.Marshal(e.Seal())
	f.Add(seal, file)
	f.Add(seal, []byte(`{"country":"KAZ"}`))
	f.Add([]byte(`{"format":2,"kind":"rules"}`), file)
	f.Fuzz(func(t *testing.T, sealJSON, data []byte) {
		var s wire.Seal
		if json.Unmarshal(sealJSON, &s) != nil {
			return
		}
		err := s.VerifyAtRest(pub, wire.KindRules, data)
		if err == nil {
			got := sha256.Sum256(data)
			if string(got[:]) != string(s.Digest) {
				t.Fatal("accepted a file that is not the sealed digest")
			}
			return
		}
		if c := app.ErrorCode(err); c != app.EINVALID && c != app.EUNAUTHORIZED {
			t.Fatalf("code %q: %v", c, err)
		}
	})
}

// FuzzValidateRecord: HQ's check of an uploaded record's payload, the bytes a
// booth (or whoever holds its certificate) chose.
func FuzzValidateRecord(f *testing.F) {
	p2, _ := os.ReadFile(filepath.Join("testdata", "crossing-2.json"))
	p1, _ := os.ReadFile(filepath.Join("testdata", "crossing-1.json"))
	f.Add("crossing", "01a2407f-1500-773f-878d-0d2c06f6df2f", p2)
	f.Add("training_crossing", "01a2407f-1500-773f-878d-0d2c06f6df2f", p1)
	if sa, err := os.ReadFile(filepath.Join("testdata", "set_aside-1.json")); err == nil {
		f.Add("set_aside", "01a2407f-1500-773f-878d-0d2c06f6df31", sa)
	}
	f.Add("crossing", "x", []byte(`{"forged":true}`))
	f.Add("crossing", "x", []byte(`{}`))
	f.Fuzz(func(t *testing.T, kind, id string, payload []byte) {
		err := wire.ValidateRecord("DOSTUK-07", wire.Record{Seq: 1, ID: id, Kind: kind, Payload: payload})
		if err == nil {
			if kind == wire.KindSetAside || kind == wire.KindTrainingSetAside {
				a, derr := wire.DecodeSetAside(payload)
				if derr != nil || a.ID != id || a.Booth != "DOSTUK-07" {
					t.Fatalf("accepted a record that is not this booth's set-aside read %q: %v", id, derr)
				}
				return
			}
			c, derr := wire.DecodeCrossing(payload)
			if derr != nil || c.ID != id || c.Booth != "DOSTUK-07" {
				t.Fatalf("accepted a record that is not this booth's crossing %q: %v", id, derr)
			}
			return
		}
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("code %q: %v", app.ErrorCode(err), err)
		}
	})
}
