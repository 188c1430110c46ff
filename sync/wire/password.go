package wire

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params is the cost of argon2id password hashing. Each hash records its
// own parameters, so raising them later still verifies old passwords. HQ hashes
// the passwords of the directory; the booth checks them offline, so both sides
// share this one format.
type Argon2Params struct {
	MemoryKiB uint32
	Passes    uint32
	Lanes     uint8
}

// DefaultArgon2 is OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): tens of
// milliseconds on a booth PC.
var DefaultArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Passes: 2, Lanes: 1}

func (p Argon2Params) withDefaults() Argon2Params {
	if p.MemoryKiB == 0 {
		p.MemoryKiB = DefaultArgon2.MemoryKiB
	}
	if p.Passes == 0 {
		p.Passes = DefaultArgon2.Passes
	}
	if p.Lanes == 0 {
		p.Lanes = DefaultArgon2.Lanes
	}
	return p
}

// HashPassword returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
// Zero fields of p take DefaultArgon2's.
func HashPassword(password string, p Argon2Params) string {
	p = p.withDefaults()
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Passes, p.MemoryKiB, p.Lanes, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Passes, p.Lanes,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches the PHC string; false for any
// malformed string, or one whose cost is beyond what a booth can afford (a
// forged directory must not make sign-in take minutes).
func CheckPassword(password, phc string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Passes, &p.Lanes); err != nil ||
		p.MemoryKiB == 0 || p.MemoryKiB > 1<<22 || p.Passes == 0 || p.Passes > 64 || p.Lanes == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Passes, p.MemoryKiB, p.Lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
