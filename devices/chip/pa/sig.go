package pa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	_ "crypto/sha1" // SODs of older passports are hashed with SHA-1
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// ErrSignature is wrapped when a signature does not verify or uses an algorithm
// this package does not know.
var ErrSignature = errors.New("pa: signature does not verify")

var hashOIDs = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
}{
	{asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}, crypto.SHA1},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}, crypto.SHA224},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}, crypto.SHA256},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}, crypto.SHA384},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}, crypto.SHA512},
}

func hashOf(oid asn1.ObjectIdentifier) (crypto.Hash, error) {
	for _, h := range hashOIDs {
		if h.oid.Equal(oid) {
			return h.hash, nil
		}
	}
	return 0, fmt.Errorf("%w: hash algorithm %v", ErrSignature, oid)
}

// hashOID returns the OID of a hash (for the simulator's SOD).
func hashOID(h crypto.Hash) asn1.ObjectIdentifier {
	for _, x := range hashOIDs {
		if x.hash == h {
			return x.oid
		}
	}
	return nil
}

var sigOIDs = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
	ec   bool
}{
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}, crypto.SHA1, false},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}, crypto.SHA224, false},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}, crypto.SHA256, false},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}, crypto.SHA384, false},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}, crypto.SHA512, false},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}, crypto.SHA1, true},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}, crypto.SHA224, true},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}, crypto.SHA256, true},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}, crypto.SHA384, true},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}, crypto.SHA512, true},
}

type pssParams struct {
	Hash pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
	MGF  pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:1"`
	Salt int                      `asn1:"optional,explicit,default:20,tag:2"`
}

// verify checks sig over data with the key. digest is the SignerInfo's digest
// algorithm, used when the signature algorithm names only the key type.
func verify(pub crypto.PublicKey, alg pkix.AlgorithmIdentifier, digest *pkix.AlgorithmIdentifier, data, sig []byte) error {
	var h crypto.Hash
	pss := false
	switch {
	case alg.Algorithm.Equal(oidRSAPSS):
		pss = true
		h = crypto.SHA1
		var p pssParams
		if len(alg.Parameters.FullBytes) > 0 {
			if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
				return fmt.Errorf("%w: PSS parameters: %v", ErrSignature, err)
			}
			if len(p.Hash.Algorithm) > 0 {
				var err error
				if h, err = hashOf(p.Hash.Algorithm); err != nil {
					return err
				}
			}
		}
	case alg.Algorithm.Equal(oidRSA), alg.Algorithm.Equal(oidECKey):
		if digest == nil {
			return fmt.Errorf("%w: algorithm %v without a digest", ErrSignature, alg.Algorithm)
		}
		var err error
		if h, err = hashOf(digest.Algorithm); err != nil {
			return err
		}
	default:
		for _, s := range sigOIDs {
			if s.oid.Equal(alg.Algorithm) {
				h = s.hash
			}
		}
		if h == 0 {
			return fmt.Errorf("%w: signature algorithm %v", ErrSignature, alg.Algorithm)
		}
	}
	hh := h.New()
	hh.Write(data)
	sum := hh.Sum(nil)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		var err error
		if pss {
			err = rsa.VerifyPSS(k, h, sum, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		} else {
			err = rsa.VerifyPKCS1v15(k, h, sum, sig)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrSignature, err)
		}
		return nil
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, sum, sig) {
			return ErrSignature
		}
		return nil
	}
	return fmt.Errorf("%w: key of type %T", ErrSignature, pub)
}
