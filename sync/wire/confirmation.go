package wire

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/chekara/chekara/app"
)

// HeaderConfirmation carries a Confirmation on HQ's 204 answers to PathLists,
// PathRules and PathDirectory (base64url of its JSON, unpadded). An HQ
// frozen in time, or anything answering 204 in its place, cannot make a fresh
// one, so a booth notices when its data is no longer confirmed as HQ's latest.
const HeaderConfirmation = "Chekara-Confirmation"

// Confirmation is HQ's signed word that Version is still its latest of Kind,
// said at At and good until Expires. It is signed with the list-signing key
// that signs envelopes, over a message of its own domain (never an envelope's).
type Confirmation struct {
	Kind      EnvelopeKind `json:"kind"`
	Version   int64        `json:"version"`
	At        time.Time    `json:"at"`
	Expires   time.Time    `json:"expires"`
	Signature []byte       `json:"signature"`
}

func confirmationMessage(c Confirmation) []byte {
	buf := []byte("chekara-confirmation-v1")
	buf = appendString(buf, string(c.Kind))
	buf = binary.BigEndian.AppendUint64(buf, uint64(c.Version))
	buf = binary.BigEndian.AppendUint64(buf, uint64(c.At.UnixNano()))
	buf = binary.BigEndian.AppendUint64(buf, uint64(c.Expires.UnixNano()))
	return buf
}

func (c Confirmation) check() error {
	switch {
	case c.Kind != KindLists && c.Kind != KindRules && c.Kind != KindDirectory:
		return app.Errorf(app.EINVALID, "confirmation kind %q is neither lists, rules nor directory", c.Kind)
	case c.Version < 0:
		return app.Errorf(app.EINVALID, "confirmation version %d is negative", c.Version)
	case c.At.IsZero() || !c.Expires.After(c.At):
		return app.Errorf(app.EINVALID, "confirmation expiry %s is not after its time %s", c.Expires.Format(time.RFC3339), c.At.Format(time.RFC3339))
	}
	return nil
}

// SignConfirmation returns c signed with key. EINVALID for a malformed
// confirmation or a key of the wrong size.
func SignConfirmation(key ed25519.PrivateKey, c Confirmation) (Confirmation, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Confirmation{}, app.Errorf(app.EINVALID, "list-signing key has %d bytes, not %d", len(key), ed25519.PrivateKeySize)
	}
	c.At, c.Expires = c.At.UTC(), c.Expires.UTC()
	if err := c.check(); err != nil {
		return Confirmation{}, err
	}
	c.Signature = ed25519.Sign(key, confirmationMessage(c))
	return c, nil
}

// VerifyConfirmation checks c's fields and signature against HQ's list-signing
// public key: EINVALID for a malformed one, EUNAUTHORIZED for a signature
// that does not verify.
func VerifyConfirmation(pub ed25519.PublicKey, c Confirmation) error {
	if err := c.check(); err != nil {
		return err
	}
	if len(pub) != ed25519.PublicKeySize || len(c.Signature) != ed25519.SignatureSize || !ed25519.Verify(pub, confirmationMessage(c), c.Signature) {
		return app.Errorf(app.EUNAUTHORIZED, "confirmation of %s version %d does not verify against HQ's key", c.Kind, c.Version)
	}
	return nil
}

// Header encodes c for HeaderConfirmation.
func (c Confirmation) Header() string {
	data, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(data)
}

// ParseConfirmation decodes a HeaderConfirmation value and checks its fields
// (not its signature). EINVALID.
func ParseConfirmation(h string) (Confirmation, error) {
	if len(h) > 1024 {
		return Confirmation{}, app.Errorf(app.EINVALID, "confirmation header of %d bytes", len(h))
	}
	data, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return Confirmation{}, app.Errorf(app.EINVALID, "confirmation header is not base64url: %v", err)
	}
	var c Confirmation
	if err := json.Unmarshal(data, &c); err != nil {
		return Confirmation{}, app.Errorf(app.EINVALID, "confirmation header is not valid JSON: %v", err)
	}
	if err := c.check(); err != nil {
		return Confirmation{}, err
	}
	if len(c.Signature) != ed25519.SignatureSize {
		return Confirmation{}, app.Errorf(app.EINVALID, "confirmation signature has %d bytes, not %d", len(c.Signature), ed25519.SignatureSize)
	}
	return c, nil
}
