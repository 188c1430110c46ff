package pa

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/osanderson/brainpool"
)

// Certificate is an X.509 certificate as passive authentication needs it. It is
// decoded here rather than by crypto/x509 because CSCA and document signer keys
// are often on Brainpool curves, or carry explicit curve parameters, which
// crypto/x509 refuses.
type Certificate struct {
	Raw                 []byte
	RawTBS              []byte
	Serial              *big.Int
	RawIssuer           []byte
	RawSubject          []byte
	NotBefore, NotAfter time.Time
	SubjectKeyID        []byte
	AuthorityKeyID      []byte
	SigAlg              pkix.AlgorithmIdentifier
	Signature           []byte
	PublicKey           crypto.PublicKey // *rsa.PublicKey or *ecdsa.PublicKey
	Subject             string           // the subject in words, for the officer and the log
}

type certificate struct {
	TBS    asn1.RawValue
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

type tbsCertificate struct {
	Version    int `asn1:"optional,explicit,default:0,tag:0"`
	Serial     *big.Int
	SigAlg     pkix.AlgorithmIdentifier
	Issuer     asn1.RawValue
	Validity   validity
	Subject    asn1.RawValue
	SPKI       spki
	IssuerUID  asn1.BitString   `asn1:"optional,tag:1"`
	SubjectUID asn1.BitString   `asn1:"optional,tag:2"`
	Extensions []pkix.Extension `asn1:"optional,explicit,tag:3"`
}

type validity struct{ NotBefore, NotAfter time.Time }

type spki struct {
	Alg pkix.AlgorithmIdentifier
	Key asn1.BitString
}

// ErrCertificate is wrapped when a certificate cannot be decoded or its key is of
// a kind this package does not verify.
var ErrCertificate = errors.New("pa: certificate not usable")

var (
	oidRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidECKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSKI       = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidAKI       = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidPrimeFied = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
)

// ParseCertificate decodes one DER certificate.
func ParseCertificate(der []byte) (*Certificate, error) {
	var c certificate
	rest, err := asn1.Unmarshal(der, &c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after it", ErrCertificate, len(rest))
	}
	var t tbsCertificate
	if _, err := asn1.Unmarshal(c.TBS.FullBytes, &t); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	out := &Certificate{
		Raw: der[:len(der)-len(rest)], RawTBS: c.TBS.FullBytes, Serial: t.Serial,
		RawIssuer: t.Issuer.FullBytes, RawSubject: t.Subject.FullBytes,
		NotBefore: t.Validity.NotBefore, NotAfter: t.Validity.NotAfter,
		SigAlg: c.SigAlg, Signature: c.Sig.RightAlign(),
	}
	var name pkix.RDNSequence
	if _, err := asn1.Unmarshal(t.Subject.FullBytes, &name); err == nil {
		var n pkix.Name
		n.FillFromRDNSequence(&name)
		out.Subject = n.String()
	}
	for _, e := range t.Extensions {
		switch {
		case e.Id.Equal(oidSKI):
			var ski []byte
			if _, err := asn1.Unmarshal(e.Value, &ski); err == nil {
				out.SubjectKeyID = ski
			}
		case e.Id.Equal(oidAKI):
			var aki struct {
				ID []byte `asn1:"optional,tag:0"`
			}
			if _, err := asn1.Unmarshal(e.Value, &aki); err == nil {
				out.AuthorityKeyID = aki.ID
			}
		}
	}
	if out.PublicKey, err = parsePublicKey(t.SPKI); err != nil {
		return nil, err
	}
	return out, nil
}

func parsePublicKey(k spki) (crypto.PublicKey, error) {
	key := k.Key.RightAlign()
	switch {
	case k.Alg.Algorithm.Equal(oidRSA), k.Alg.Algorithm.Equal(oidRSAPSS):
		pub, err := x509.ParsePKCS1PublicKey(key)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
		}
		return pub, nil
	case k.Alg.Algorithm.Equal(oidECKey):
		c, err := curveOf(k.Alg.Parameters.FullBytes)
		if err != nil {
			return nil, err
		}
		n := (c.Params().BitSize + 7) / 8
		if len(key) != 1+2*n || key[0] != 4 {
			return nil, fmt.Errorf("%w: EC point of %d bytes (only uncompressed points are read)", ErrCertificate, len(key))
		}
		x, y := new(big.Int).SetBytes(key[1:1+n]), new(big.Int).SetBytes(key[1+n:])
		if !c.IsOnCurve(x, y) {
			return nil, fmt.Errorf("%w: public key not on its curve", ErrCertificate)
		}
		return &ecdsa.PublicKey{Curve: c, X: x, Y: y}, nil
	}
	return nil, fmt.Errorf("%w: key algorithm %v", ErrCertificate, k.Alg.Algorithm)
}

var namedCurves = []struct {
	oid   asn1.ObjectIdentifier
	curve func() elliptic.Curve
}{
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, elliptic.P256},
	{asn1.ObjectIdentifier{1, 3, 132, 0, 33}, elliptic.P224},
	{asn1.ObjectIdentifier{1, 3, 132, 0, 34}, elliptic.P384},
	{asn1.ObjectIdentifier{1, 3, 132, 0, 35}, elliptic.P521},
	{asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 5}, brainpool.P224r1},
	{asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}, brainpool.P256r1},
	{asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 9}, brainpool.P320r1},
	{asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}, brainpool.P384r1},
	{asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 13}, brainpool.P512r1},
}

// curveOf reads EC parameters: a named curve, or explicit parameters matched to a
// known curve by prime, generator and order.
func curveOf(params []byte) (elliptic.Curve, error) {
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(params, &oid); err == nil {
		for _, nc := range namedCurves {
			if nc.oid.Equal(oid) {
				return nc.curve(), nil
			}
		}
		return nil, fmt.Errorf("%w: curve %v", ErrCertificate, oid)
	}
	var ex struct {
		Version int
		Field   struct {
			Type  asn1.ObjectIdentifier
			Prime *big.Int
		}
		Curve struct {
			A, B []byte
			Seed asn1.BitString `asn1:"optional"`
		}
		Base     []byte
		Order    *big.Int
		Cofactor *big.Int `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(params, &ex); err != nil {
		return nil, fmt.Errorf("%w: EC parameters: %v", ErrCertificate, err)
	}
	if !ex.Field.Type.Equal(oidPrimeFied) || ex.Field.Prime == nil || ex.Order == nil {
		return nil, fmt.Errorf("%w: EC parameters not over a prime field", ErrCertificate)
	}
	for _, nc := range namedCurves {
		c := nc.curve()
		p := c.Params()
		if p.P.Cmp(ex.Field.Prime) == 0 && p.N.Cmp(ex.Order) == 0 {
			n := (p.BitSize + 7) / 8
			if len(ex.Base) == 1+2*n && ex.Base[0] == 4 &&
				new(big.Int).SetBytes(ex.Base[1:1+n]).Cmp(p.Gx) == 0 &&
				new(big.Int).SetBytes(ex.Base[1+n:]).Cmp(p.Gy) == 0 {
				return c, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: explicit EC parameters of no known curve", ErrCertificate)
}

// CheckSignatureFrom verifies that parent signed c.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	return verify(parent.PublicKey, c.SigAlg, nil, c.RawTBS, c.Signature)
}

// issuedBy reports whether parent's subject (and key identifier, when both have
// one) names c's issuer.
func (c *Certificate) issuedBy(parent *Certificate) bool {
	if len(c.AuthorityKeyID) > 0 && len(parent.SubjectKeyID) > 0 {
		return bytes.Equal(c.AuthorityKeyID, parent.SubjectKeyID)
	}
	return bytes.Equal(c.RawIssuer, parent.RawSubject)
}

// validAt reports whether t is within the certificate's validity.
func (c *Certificate) validAt(t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}
