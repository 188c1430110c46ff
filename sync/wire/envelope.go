package wire

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chekara/chekara/app"
)

// EnvelopeKind is what an envelope carries down to the booth.
type EnvelopeKind string

const (
	KindLists EnvelopeKind = "lists" // watchlists, in app/screening's list file format (docs/lists.md)
	KindRules EnvelopeKind = "rules" // stay rules, in app/rules' file format
	// KindDirectory carries one post's officers (Directory, directory.go), a
	// snapshot per version; HQ signs it for the asking booth's post.
	KindDirectory EnvelopeKind = "directory"
	// KindMasterList carries the CSCA certificates booths check ePassport
	// chips against: a CMS master list or PEM certificates (docs/chip.md),
	// always a snapshot.
	KindMasterList EnvelopeKind = "masterlist"
)

// Mode says whether an envelope replaces the booth's copy or patches it.
type Mode string

const (
	Snapshot Mode = "snapshot" // Payload is the whole version; BaseVersion is 0
	Delta    Mode = "delta"    // Payload turns version BaseVersion into Version
)

// Envelope is a list or rules version as HQ publishes it, signed with HQ's
// ed25519 list-signing key (the public half travels in the enrolment Bundle).
// The signature covers every field but itself (see envelopeMessage), so neither
// the version nor the publication time can be changed on the way.
type Envelope struct {
	// Format is EnvelopeFormat for envelopes with Expires and Digest; 0 for the
	// envelopes HQ signed before them (read, never applied by a booth).
	Format      int          `json:"format,omitempty"`
	Kind        EnvelopeKind `json:"kind"`
	Version     int64        `json:"version"`
	BaseVersion int64        `json:"base_version"`
	Mode        Mode         `json:"mode"`
	Published   time.Time    `json:"published"`
	// Expires is when this answer goes stale: HQ signs it when it answers, so
	// an answer replayed or frozen in time is noticed by the booth's clock.
	Expires time.Time `json:"expires,omitzero"`
	// Digest is the SHA-256 of the whole file the envelope produces at the
	// booth (for a delta: the list after applying it), so the booth can verify
	// what it holds at rest against HQ's signature (see Seal).
	Digest    []byte `json:"digest,omitempty"`
	Payload   []byte `json:"payload"`   // base64 in JSON
	Signature []byte `json:"signature"` // ed25519, 64 bytes, base64 in JSON

	// Confirmation is not part of the envelope: the client sets it on the
	// empty Envelope it returns for a 204 that carried HQ's signed word that
	// the booth's version is current (HeaderConfirmation).
	Confirmation *Confirmation `json:"-"`
}

// EnvelopeFormat is the envelope format HQ signs: format 2 adds Expires and
// Digest to the signed fields.
const EnvelopeFormat = 2

// envelopeMessage is the byte string an envelope's signature covers: a domain
// tag, then kind, version, base version, mode, publication time in Unix
// nanoseconds, and the payload's SHA-256, each length-prefixed or fixed-width;
// format 2 ("chekara-envelope-v2") then the expiry and the digest.
func envelopeMessage(e Envelope, payloadSum [32]byte) []byte {
	var buf []byte
	if e.Format >= 2 {
		buf = append(buf, "chekara-envelope-v2"...)
	} else {
		buf = append(buf, "chekara-envelope-v1"...)
	}
	buf = appendString(buf, string(e.Kind))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.Version))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.BaseVersion))
	buf = appendString(buf, string(e.Mode))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.Published.UnixNano()))
	buf = append(buf, payloadSum[:]...)
	if e.Format >= 2 {
		buf = binary.BigEndian.AppendUint64(buf, uint64(e.Expires.UnixNano()))
		buf = appendString(buf, string(e.Digest))
	}
	return buf
}

// check validates an envelope's fields, not its signature.
func (e Envelope) check() error {
	switch e.Format {
	case 0:
	case EnvelopeFormat:
		if e.Expires.IsZero() || !e.Expires.After(e.Published) {
			return app.Errorf(app.EINVALID, "envelope expiry %s is not after its publication", e.Expires.Format(time.RFC3339))
		}
		if len(e.Digest) != sha256.Size {
			return app.Errorf(app.EINVALID, "envelope digest has %d bytes, not %d", len(e.Digest), sha256.Size)
		}
	default:
		return app.Errorf(app.EINVALID, "envelope format %d is not one this side reads (0 or %d)", e.Format, EnvelopeFormat)
	}
	if e.Kind != KindLists && e.Kind != KindRules && e.Kind != KindDirectory && e.Kind != KindOpenStays && e.Kind != KindMasterList {
		return app.Errorf(app.EINVALID, "envelope kind %q is not lists, rules, directory, open_stays or masterlist", e.Kind)
	}
	if e.Version < 1 {
		return app.Errorf(app.EINVALID, "envelope version %d is not positive", e.Version)
	}
	switch e.Mode {
	case Snapshot:
		if e.BaseVersion != 0 {
			return app.Errorf(app.EINVALID, "snapshot envelope has base version %d", e.BaseVersion)
		}
	case Delta:
		if e.BaseVersion < 1 || e.BaseVersion >= e.Version {
			return app.Errorf(app.EINVALID, "delta envelope base version %d does not precede version %d", e.BaseVersion, e.Version)
		}
	default:
		return app.Errorf(app.EINVALID, "envelope mode %q is neither snapshot nor delta", e.Mode)
	}
	if e.Published.IsZero() {
		return app.Errorf(app.EINVALID, "envelope has no publication time")
	}
	return nil
}

// SignEnvelope checks e's fields and returns it signed with key. Returns EINVALID
// for a malformed envelope or a key of the wrong size.
func SignEnvelope(key ed25519.PrivateKey, e Envelope) (Envelope, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Envelope{}, app.Errorf(app.EINVALID, "list-signing key has %d bytes, not %d", len(key), ed25519.PrivateKeySize)
	}
	e.Published = e.Published.UTC()
	e.Expires = e.Expires.UTC()
	if err := e.check(); err != nil {
		return Envelope{}, err
	}
	e.Signature = ed25519.Sign(key, envelopeMessage(e, sha256.Sum256(e.Payload)))
	return e, nil
}

// VerifyEnvelope checks e's fields and its signature against HQ's list-signing
// public key. Returns EINVALID for a malformed envelope, EUNAUTHORIZED for a
// signature that does not verify (forged, altered, or signed by another HQ).
func VerifyEnvelope(pub ed25519.PublicKey, e Envelope) error {
	if err := e.check(); err != nil {
		return err
	}
	if len(pub) != ed25519.PublicKeySize {
		return app.Errorf(app.EINVALID, "list-signing public key has %d bytes, not %d", len(pub), ed25519.PublicKeySize)
	}
	if len(e.Signature) != ed25519.SignatureSize || !ed25519.Verify(pub, envelopeMessage(e, sha256.Sum256(e.Payload)), e.Signature) {
		return app.Errorf(app.EUNAUTHORIZED, "%s version %d: signature does not verify against HQ's key", e.Kind, e.Version)
	}
	return nil
}

// Seal is a signed envelope without its payload (the payload's hash stands in
// for it): what the booth keeps beside the file an envelope produced, so the
// file can be verified at rest, at any later time, against HQ's signature and
// the envelope's Digest.
type Seal struct {
	Envelope
	PayloadSHA256 []byte `json:"payload_sha256"`
}

// Seal returns e's seal.
func (e Envelope) Seal() Seal {
	sum := sha256.Sum256(e.Payload)
	e.Payload = nil
	return Seal{Envelope: e, PayloadSHA256: sum[:]}
}

// VerifyAtRest checks that file is what the sealed envelope produced: the
// seal is a format-2 envelope of kind, its signature verifies against HQ's
// key, and file's SHA-256 is its Digest. Returns EUNAUTHORIZED for a seal
// that does not verify, EINVALID for a file that is not the one HQ signed (an
// edit at rest, a torn write).
func (s Seal) VerifyAtRest(pub ed25519.PublicKey, kind EnvelopeKind, file []byte) error {
	e := s.Envelope
	if e.Format != EnvelopeFormat || e.Kind != kind || len(s.PayloadSHA256) != sha256.Size {
		return app.Errorf(app.EUNAUTHORIZED, "the seal of the %s file is not a signed %s envelope", kind, kind)
	}
	if err := e.check(); err != nil {
		return err
	}
	var sum [32]byte
	copy(sum[:], s.PayloadSHA256)
	if len(pub) != ed25519.PublicKeySize || len(e.Signature) != ed25519.SignatureSize || !ed25519.Verify(pub, envelopeMessage(e, sum), e.Signature) {
		return app.Errorf(app.EUNAUTHORIZED, "the seal of the %s file does not verify against HQ's key", kind)
	}
	got := sha256.Sum256(file)
	if string(got[:]) != string(e.Digest) {
		return app.Errorf(app.EINVALID, "the %s file is not version %d as HQ signed it: it was changed after it was written", kind, e.Version)
	}
	return nil
}

// MarshalEnvelope encodes e as the JSON body of PathLists and PathRules.
func MarshalEnvelope(e Envelope) ([]byte, error) { return json.Marshal(e) }

// ParseEnvelope decodes an envelope from JSON of at most maxBytes bytes and checks
// its fields (not its signature: call VerifyEnvelope). Returns EINVALID.
func ParseEnvelope(data []byte, maxBytes int) (Envelope, error) {
	if maxBytes > 0 && len(data) > maxBytes {
		return Envelope{}, app.Errorf(app.EINVALID, "envelope of %d bytes exceeds %d", len(data), maxBytes)
	}
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return Envelope{}, app.Errorf(app.EINVALID, "envelope is not valid JSON: %v", err)
	}
	if err := e.check(); err != nil {
		return Envelope{}, err
	}
	if len(e.Signature) != ed25519.SignatureSize {
		return Envelope{}, app.Errorf(app.EINVALID, "envelope signature has %d bytes, not %d", len(e.Signature), ed25519.SignatureSize)
	}
	return e, nil
}

// String names an envelope for logs.
func (e Envelope) String() string {
	return fmt.Sprintf("%s v%d (%s from v%d, published %s)", e.Kind, e.Version, e.Mode, e.BaseVersion, e.Published.Format(time.RFC3339))
}
