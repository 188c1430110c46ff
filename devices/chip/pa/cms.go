package pa

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// ErrCMS is wrapped when an EF.SOD or a master list is not the CMS SignedData the
// standards describe (a truncated SOD ends here).
var ErrCMS = errors.New("pa: malformed CMS")

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidLDSSecurity   = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	oidCSCAMasterLst = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
)

type contentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue // [0] EXPLICIT, unwrapped by hand
}

type signedData struct {
	Version     int
	DigestAlgs  asn1.RawValue
	Encap       encapContent
	Certs       asn1.RawValue `asn1:"optional,tag:0"`
	CRLs        asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos []signerInfo  `asn1:"set"`
}

type encapContent struct {
	Type    asn1.ObjectIdentifier
	Content []byte `asn1:"explicit,optional,tag:0"`
}

type signerInfo struct {
	Version     int
	SID         asn1.RawValue
	DigestAlg   pkix.AlgorithmIdentifier
	SignedAttrs asn1.RawValue `asn1:"optional,tag:0"`
	SigAlg      pkix.AlgorithmIdentifier
	Signature   []byte
	Unsigned    asn1.RawValue `asn1:"optional,tag:1"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// Signed is a decoded CMS SignedData with one signer: the content, the
// certificates it carries and what is needed to check the signature.
type Signed struct {
	ContentType asn1.ObjectIdentifier
	Content     []byte
	Certs       []*Certificate
	signer      signerInfo
}

// parseSigned decodes a ContentInfo holding SignedData.
func parseSigned(b []byte) (*Signed, error) {
	var ci contentInfo
	rest, err := asn1.Unmarshal(b, &ci)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCMS, err)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after the content", ErrCMS, len(rest))
	}
	if !ci.Type.Equal(oidSignedData) {
		return nil, fmt.Errorf("%w: content type %v is not signedData", ErrCMS, ci.Type)
	}
	if ci.Content.Class != asn1.ClassContextSpecific || ci.Content.Tag != 0 {
		return nil, fmt.Errorf("%w: content is not tagged [0]", ErrCMS)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("%w: SignedData: %v", ErrCMS, err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%w: %d signers (one expected)", ErrCMS, len(sd.SignerInfos))
	}
	s := &Signed{ContentType: sd.Encap.Type, Content: sd.Encap.Content, signer: sd.SignerInfos[0]}
	certs := sd.Certs.Bytes
	for len(certs) > 0 {
		var raw asn1.RawValue
		r, err := asn1.Unmarshal(certs, &raw)
		if err != nil {
			return nil, fmt.Errorf("%w: certificates: %v", ErrCMS, err)
		}
		c, err := ParseCertificate(raw.FullBytes)
		if err != nil {
			return nil, err
		}
		s.Certs = append(s.Certs, c)
		certs = r
	}
	return s, nil
}

// signerCert finds the certificate the SignerInfo names among certs.
func (s *Signed) signerCert() (*Certificate, error) {
	sid := s.signer.SID
	for _, c := range s.Certs {
		switch {
		case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0:
			if bytes.Equal(sid.Bytes, c.SubjectKeyID) {
				return c, nil
			}
		case sid.Tag == asn1.TagSequence:
			var ias struct {
				Issuer asn1.RawValue
				Serial *big.Int
			}
			if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err == nil &&
				bytes.Equal(ias.Issuer.FullBytes, c.RawIssuer) && ias.Serial.Cmp(c.Serial) == 0 {
				return c, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: the signer's certificate is not in the CMS", ErrCMS)
}

// checkSignature verifies the signer's signature with cert: the signed attributes'
// message digest against the content, and the signature over the attributes.
func (s *Signed) checkSignature(cert *Certificate) error {
	si := s.signer
	h, err := hashOf(si.DigestAlg.Algorithm)
	if err != nil {
		return err
	}
	if len(si.SignedAttrs.FullBytes) == 0 {
		// Without signed attributes the signature is over the content itself.
		return verify(cert.PublicKey, si.SigAlg, &si.DigestAlg, s.Content, si.Signature)
	}
	attrs := si.SignedAttrs.Bytes
	var digest []byte
	var ctype asn1.ObjectIdentifier
	for len(attrs) > 0 {
		var a attribute
		r, err := asn1.Unmarshal(attrs, &a)
		if err != nil {
			return fmt.Errorf("%w: signed attributes: %v", ErrCMS, err)
		}
		switch {
		case a.Type.Equal(oidMessageDigest):
			if _, err := asn1.Unmarshal(a.Values.Bytes, &digest); err != nil {
				return fmt.Errorf("%w: message digest: %v", ErrCMS, err)
			}
		case a.Type.Equal(oidContentType):
			if _, err := asn1.Unmarshal(a.Values.Bytes, &ctype); err != nil {
				return fmt.Errorf("%w: content type: %v", ErrCMS, err)
			}
		}
		attrs = r
	}
	hh := h.New()
	hh.Write(s.Content)
	if digest == nil || !bytes.Equal(hh.Sum(nil), digest) {
		return fmt.Errorf("%w: the signed digest is not the content's", ErrSignature)
	}
	if ctype != nil && !ctype.Equal(s.ContentType) {
		return fmt.Errorf("%w: the signed content type is not the content's", ErrSignature)
	}
	// The signature covers the attributes DER-encoded as a SET, not [0].
	signed := append([]byte{0x31}, si.SignedAttrs.FullBytes[1:]...)
	return verify(cert.PublicKey, si.SigAlg, &si.DigestAlg, signed, si.Signature)
}

// SOD is a decoded EF.SOD: the data-group hashes and the signature over them.
type SOD struct {
	Hash   pkix.AlgorithmIdentifier
	Hashes map[int][]byte
	signed *Signed
}

type ldsSecurityObject struct {
	Version int
	Hash    pkix.AlgorithmIdentifier
	Groups  []struct {
		Number int
		Hash   []byte
	}
	VersionInfo asn1.RawValue `asn1:"optional"`
}

// ParseSOD decodes EF.SOD (tag 77 around a CMS SignedData of an LDS security
// object). Errors wrap ErrCMS.
func ParseSOD(b []byte) (*SOD, error) {
	if len(b) < 2 || b[0] != 0x77 {
		return nil, fmt.Errorf("%w: EF.SOD does not start with tag 77", ErrCMS)
	}
	var wrap asn1.RawValue
	rest, err := asn1.Unmarshal(b, &wrap)
	if err != nil {
		return nil, fmt.Errorf("%w: EF.SOD: %v", ErrCMS, err)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after EF.SOD", ErrCMS, len(rest))
	}
	s, err := parseSigned(wrap.Bytes)
	if err != nil {
		return nil, err
	}
	if !s.ContentType.Equal(oidLDSSecurity) {
		return nil, fmt.Errorf("%w: content %v is not an LDS security object", ErrCMS, s.ContentType)
	}
	var lso ldsSecurityObject
	if _, err := asn1.Unmarshal(s.Content, &lso); err != nil {
		return nil, fmt.Errorf("%w: LDS security object: %v", ErrCMS, err)
	}
	if _, err := hashOf(lso.Hash.Algorithm); err != nil {
		return nil, err
	}
	sod := &SOD{Hash: lso.Hash, Hashes: map[int][]byte{}, signed: s}
	for _, g := range lso.Groups {
		if g.Number < 1 || g.Number > 16 {
			return nil, fmt.Errorf("%w: data group %d", ErrCMS, g.Number)
		}
		sod.Hashes[g.Number] = g.Hash
	}
	return sod, nil
}
