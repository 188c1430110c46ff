package wire_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// A confirmation survives its header and verifies only unaltered, with HQ's key.
func TestConfirmationRoundTrip(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	c, err := wire.SignConfirmation(priv, wire.Confirmation{Kind: wire.KindLists, Version: 7, At: at, Expires: at.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.ParseConfirmation(c.Header())
	if err != nil {
		t.Fatal(err)
	}
	if err := wire.VerifyConfirmation(pub, got); err != nil {
		t.Fatalf("genuine confirmation: %v", err)
	}
	for name, change := range map[string]func(*wire.Confirmation){
		"version": func(c *wire.Confirmation) { c.Version = 8 },
		"kind":    func(c *wire.Confirmation) { c.Kind = wire.KindRules },
		"expiry":  func(c *wire.Confirmation) { c.Expires = c.Expires.Add(time.Hour) },
		"said at": func(c *wire.Confirmation) { c.At = c.At.Add(time.Hour) },
		"no sig":  func(c *wire.Confirmation) { c.Signature = nil },
		"other key": func(c *wire.Confirmation) {
			_, k, _ := ed25519.GenerateKey(rand.Reader)
			*c, _ = wire.SignConfirmation(k, *c)
		},
	} {
		t.Run(name, func(t *testing.T) {
			bad := got
			change(&bad)
			if err := wire.VerifyConfirmation(pub, bad); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Errorf("altered confirmation: %v, want EUNAUTHORIZED", err)
			}
		})
	}
	if _, err := wire.SignConfirmation(priv, wire.Confirmation{Kind: wire.KindLists, Version: 1, At: at, Expires: at}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("expiry not after its time: %v, want EINVALID", err)
	}
}

// FuzzParseConfirmation: whatever the header, parsing never panics, and what
// parses has a known kind, a version ≥ 0 and an expiry after its time.
func FuzzParseConfirmation(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	at := time.Unix(1.8e9, 0)
	c, _ := wire.SignConfirmation(priv, wire.Confirmation{Kind: wire.KindRules, Version: 3, At: at, Expires: at.Add(time.Hour)})
	f.Add(c.Header())
	f.Add("")
	f.Add("e30")
	f.Add("eyJraW5kIjoibGlzdHMifQ")
	f.Fuzz(func(t *testing.T, h string) {
		c, err := wire.ParseConfirmation(h)
		if err != nil {
			return
		}
		if c.Kind == "" || c.Version < 0 || !c.Expires.After(c.At) || len(c.Signature) != ed25519.SignatureSize {
			t.Fatalf("parsed a bad confirmation: %+v", c)
		}
	})
}
