package chipsim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// Authority is an issuing state made at run time: its CSCA and one document
// signer, with their keys. Nothing here is ever written to the repository.
type Authority struct {
	CSCA    *x509.Certificate
	cscaKey *ecdsa.PrivateKey
	DS      *x509.Certificate
	dsKey   *ecdsa.PrivateKey
}

// NewAuthority makes a CSCA and a document signer for country (three letters).
// The signer's validity ends in the past when expiredDS is set.
func NewAuthority(country string, now time.Time, expiredDS bool) (*Authority, error) {
	a := &Authority{}
	var err error
	if a.cscaKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if a.dsKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	cscaTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{Country: []string{country[:min(2, len(country))]}, CommonName: "CSCA " + country + " (simulated)"},
		NotBefore:             now.AddDate(-5, 0, 0),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, cscaTmpl, cscaTmpl, &a.cscaKey.PublicKey, a.cscaKey)
	if err != nil {
		return nil, err
	}
	if a.CSCA, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	dsTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano() + 1),
		Subject:      pkix.Name{Country: cscaTmpl.Subject.Country, CommonName: "Document Signer " + country + " (simulated)"},
		NotBefore:    now.AddDate(-1, 0, 0),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if expiredDS {
		dsTmpl.NotBefore, dsTmpl.NotAfter = now.AddDate(-12, 0, 0), now.AddDate(0, 0, -30)
	}
	der, err = x509.CreateCertificate(rand.Reader, dsTmpl, a.CSCA, &a.dsKey.PublicKey, a.cscaKey)
	if err != nil {
		return nil, err
	}
	if a.DS, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	return a, nil
}

// CSCAPEM is the CSCA certificate as PEM, what --csca-out writes.
func (a *Authority) CSCAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.CSCA.Raw})
}

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidLDSSecurity   = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	oidCSCAMasterLst = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSASHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

type dgHash struct {
	Number int
	Hash   []byte
}

type ldsSecurityObject struct {
	Version int
	Hash    pkix.AlgorithmIdentifier
	Groups  []dgHash
}

// SOD signs the hashes of the data groups into EF.SOD. signWith, when not nil,
// signs in place of the document signer's key (the wrong-signer variant).
func (a *Authority) SOD(groups map[int][]byte, signWith crypto.Signer, extra ...*x509.Certificate) ([]byte, error) {
	lso := ldsSecurityObject{Hash: pkix.AlgorithmIdentifier{Algorithm: oidSHA256}}
	for n := 1; n <= 16; n++ {
		if b, ok := groups[n]; ok {
			h := sha256.Sum256(b)
			lso.Groups = append(lso.Groups, dgHash{n, h[:]})
		}
	}
	content, err := asn1.Marshal(lso)
	if err != nil {
		return nil, err
	}
	if signWith == nil {
		signWith = a.dsKey
	}
	ci, err := signedData(oidLDSSecurity, content, a.DS, signWith, extra...)
	if err != nil {
		return nil, err
	}
	return appendTLV77(ci), nil
}

// MasterList is a CMS master list holding the CSCAs, signed with this authority's
// CSCA key (a real list is signed by a master-list signer the CSCA issued).
func (a *Authority) MasterList(cscas ...*x509.Certificate) ([]byte, error) {
	var list struct {
		Version int
		Certs   []asn1.RawValue `asn1:"set"`
	}
	for _, c := range cscas {
		list.Certs = append(list.Certs, asn1.RawValue{FullBytes: c.Raw})
	}
	content, err := asn1.Marshal(list)
	if err != nil {
		return nil, err
	}
	return signedData(oidCSCAMasterLst, content, a.CSCA, a.cscaKey)
}

func signedData(ctype asn1.ObjectIdentifier, content []byte, cert *x509.Certificate, key crypto.Signer, extra ...*x509.Certificate) ([]byte, error) {
	digest := sha256.Sum256(content)
	attr := func(t asn1.ObjectIdentifier, v any) []byte {
		val, _ := asn1.Marshal(v)
		b, _ := asn1.Marshal(struct {
			Type   asn1.ObjectIdentifier
			Values asn1.RawValue
		}{t, asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: val}})
		return b
	}
	attrs := append(attr(oidContentType, ctype), attr(oidMessageDigest, digest[:])...)
	toSign, _ := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: attrs})
	h := sha256.Sum256(toSign)
	sig, err := key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	sid, _ := asn1.Marshal(struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}{asn1.RawValue{FullBytes: cert.RawIssuer}, cert.SerialNumber})
	sha := pkix.AlgorithmIdentifier{Algorithm: oidSHA256}
	type signerInfo struct {
		Version     int
		SID         asn1.RawValue
		DigestAlg   pkix.AlgorithmIdentifier
		SignedAttrs asn1.RawValue
		SigAlg      pkix.AlgorithmIdentifier
		Signature   []byte
	}
	digestAlgs, _ := asn1.Marshal(sha)
	sd := struct {
		Version    int
		DigestAlgs asn1.RawValue
		Encap      struct {
			Type    asn1.ObjectIdentifier
			Content []byte `asn1:"explicit,tag:0"`
		}
		Certs       asn1.RawValue
		SignerInfos []signerInfo `asn1:"set"`
	}{Version: 3}
	sd.DigestAlgs = asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: digestAlgs}
	sd.Encap.Type, sd.Encap.Content = ctype, content
	certs := append([]byte(nil), cert.Raw...)
	for _, c := range extra {
		certs = append(certs, c.Raw...)
	}
	sd.Certs = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs}
	sd.SignerInfos = []signerInfo{{
		Version: 1, SID: asn1.RawValue{FullBytes: sid}, DigestAlg: sha,
		SignedAttrs: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: attrs},
		SigAlg:      pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, Signature: sig,
	}}
	sdb, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("chipsim: SignedData: %w", err)
	}
	return asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdb}})
}

func appendTLV77(b []byte) []byte {
	out := []byte{0x77}
	switch l := len(b); {
	case l < 0x80:
		out = append(out, byte(l))
	case l <= 0xFF:
		out = append(out, 0x81, byte(l))
	default:
		out = append(out, 0x82, byte(l>>8), byte(l))
	}
	return append(out, b...)
}

// NewSigner issues a document signer certificate under parent (signed with
// parentKey) and returns an authority whose SODs it signs; for chain tests.
func NewSigner(parent *x509.Certificate, parentKey crypto.Signer, now time.Time) (*Authority, *ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano() + 7),
		Subject:      pkix.Name{CommonName: "Document Signer (chain test)"},
		NotBefore:    now.AddDate(-1, 0, 0),
		NotAfter:     now.AddDate(1, 0, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, parentKey)
	if err != nil {
		return nil, nil, err
	}
	ds, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return &Authority{DS: ds, dsKey: k}, k, nil
}
