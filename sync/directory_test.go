package sync_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// signedDirectory is a directory envelope as HQ would sign it with key.
func signedDirectory(t *testing.T, key ed25519.PrivateKey, post string, version, envVersion int64) wire.Envelope {
	t.Helper()
	payload, err := wire.MarshalDirectory(wire.Directory{Post: post, Version: version, Officers: []wire.DirectoryOfficer{
		{ID: "K100", Name: "Kubat Osmonov", Role: "officer", Posts: []string{post}, Language: "ky",
			Password: wire.HashPassword("Zhibek-zholu-2026", wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1})},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(payload)
	published := time.Now().Add(-time.Minute)
	e, err := wire.SignEnvelope(key, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindDirectory, Version: envVersion, Mode: wire.Snapshot,
		Published: published, Expires: published.Add(24 * time.Hour), Digest: sum[:], Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A booth takes only a directory HQ signed, for its own post, newer than the
// one it holds; anything else is refused whole and the booth keeps what it had.
func TestDirectoryRefused(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name string
		have int64 // the version the booth holds before (0: none)
		env  func(t *testing.T) wire.Envelope
		code string
	}{
		{"another post's directory", 0, func(t *testing.T) wire.Envelope { return signedDirectory(t, key, "OSH", 3, 3) }, app.EUNAUTHORIZED},
		{"signed by another HQ", 0, func(t *testing.T) wire.Envelope { return signedDirectory(t, otherKey, "DOSTUK", 3, 3) }, app.EUNAUTHORIZED},
		{"older than the booth's", 5, func(t *testing.T) wire.Envelope { return signedDirectory(t, key, "DOSTUK", 4, 4) }, app.EINVALID},
		{"the booth's own version again", 5, func(t *testing.T) wire.Envelope { return signedDirectory(t, key, "DOSTUK", 5, 5) }, app.EINVALID},
		{"payload version not the envelope's", 0, func(t *testing.T) wire.Envelope { return signedDirectory(t, key, "DOSTUK", 2, 7) }, app.EINVALID},
		{"altered after signing", 0, func(t *testing.T) wire.Envelope {
			e := signedDirectory(t, key, "DOSTUK", 3, 3)
			e.Version = 9
			return e
		}, app.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), sync.DirectoryFile)
			var loaded []int64
			ds := sync.Dataset{Kind: wire.KindDirectory, File: file, Build: sync.DirectoryBuild("DOSTUK"),
				Load: func(_ []byte, v sync.DataVersion) error { loaded = append(loaded, v.Version); return nil }}
			if tt.have > 0 {
				held := signedDirectory(t, key, "DOSTUK", tt.have, tt.have)
				p, err := sync.NewPuller(pub, nil, ds)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := p.Pull(context.Background(), fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return held, true, nil }}); err != nil {
					t.Fatal(err)
				}
				loaded = nil
			}
			before, _ := os.ReadFile(file)
			p, err := sync.NewPuller(pub, nil, ds)
			if err != nil {
				t.Fatal(err)
			}
			e := tt.env(t)
			_, err = p.Pull(context.Background(), fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return e, true, nil }})
			if got := app.ErrorCode(err); got != tt.code {
				t.Fatalf("Pull = %v (%s), want %s", err, got, tt.code)
			}
			after, _ := os.ReadFile(file)
			if string(after) != string(before) || len(loaded) != 0 {
				t.Errorf("refused directory changed the booth's (loaded %v)", loaded)
			}
			if got, want := p.Version(wire.KindDirectory).Version, tt.have; got != want {
				t.Errorf("version after refusal = %d, want %d", got, want)
			}
		})
	}
}
