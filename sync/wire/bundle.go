package wire

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"time"

	"github.com/chekara/chekara/app"
)

// BundleFormat names the enrolment bundle's format, first field of the file.
const BundleFormat = "chekara-enrolment/1"

// Bundle is what `hq booth enrol` writes and the booth imports: everything a booth
// needs to talk to HQ. It holds the booth's private key: keep it on the booth's
// disk readable by the booth's user only (the booth stores it with mode 0600).
//
// The booth certificate names the booth in its Subject Common Name
// (BoothIDFromCert); HQ ties that name to the booth id of every batch.
type Bundle struct {
	BoothID   string            // e.g. "DOSTUK-07"
	Post      string            // e.g. "DOSTUK"
	HQAddress string            // base URL, "https://host:port"
	CertPEM   []byte            // the booth's client certificate, PEM
	KeyPEM    []byte            // its private key, PEM (PKCS #8, or EC / PKCS #1)
	CAPEM     []byte            // HQ's CA certificate, PEM: verifies HQ's server certificate
	ListKey   ed25519.PublicKey // verifies list and rule envelopes
	Issued    time.Time
}

type bundleJSON struct {
	Format    string    `json:"format"`
	BoothID   string    `json:"booth"`
	Post      string    `json:"post"`
	HQAddress string    `json:"hq"`
	CertPEM   string    `json:"booth_cert"`
	KeyPEM    string    `json:"booth_key"`
	CAPEM     string    `json:"hq_ca"`
	ListKey   []byte    `json:"list_key"` // base64
	Issued    time.Time `json:"issued"`
}

// Marshal encodes the bundle as indented JSON after checking it with Check.
func (b Bundle) Marshal() ([]byte, error) {
	if err := b.Check(); err != nil {
		return nil, err
	}
	return json.MarshalIndent(bundleJSON{
		Format: BundleFormat, BoothID: b.BoothID, Post: b.Post, HQAddress: b.HQAddress,
		CertPEM: string(b.CertPEM), KeyPEM: string(b.KeyPEM), CAPEM: string(b.CAPEM),
		ListKey: b.ListKey, Issued: b.Issued.UTC(),
	}, "", "  ")
}

// maxBundle bounds a bundle file: a few certificates and keys.
const maxBundle = 64 << 10

// ParseBundle decodes and checks a bundle file. Returns EINVALID naming the fault.
func ParseBundle(data []byte) (Bundle, error) {
	if len(data) > maxBundle {
		return Bundle{}, app.Errorf(app.EINVALID, "enrolment bundle is larger than %d bytes", maxBundle)
	}
	var j bundleJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return Bundle{}, app.Errorf(app.EINVALID, "enrolment bundle is not valid JSON: %v", err)
	}
	if j.Format != BundleFormat {
		return Bundle{}, app.Errorf(app.EINVALID, "enrolment bundle format %q, want %q", j.Format, BundleFormat)
	}
	b := Bundle{BoothID: j.BoothID, Post: j.Post, HQAddress: j.HQAddress, CertPEM: []byte(j.CertPEM),
		KeyPEM: []byte(j.KeyPEM), CAPEM: []byte(j.CAPEM), ListKey: ed25519.PublicKey(j.ListKey), Issued: j.Issued}
	if err := b.Check(); err != nil {
		return Bundle{}, err
	}
	return b, nil
}

// Check verifies that the bundle is usable: a valid booth id and post, an https
// HQ address, a certificate naming the booth, a private key matching it, a CA
// that issued it, and a list key of the right size. Returns EINVALID.
func (b Bundle) Check() error {
	if err := ValidBoothID(b.BoothID); err != nil {
		return err
	}
	if err := checkName("post", b.Post, 64); err != nil {
		return err
	}
	if _, err := HQURL(b.HQAddress); err != nil {
		return err
	}
	cert, err := parseCertPEM(b.CertPEM, "booth certificate")
	if err != nil {
		return err
	}
	if got := BoothIDFromCert(cert); got != b.BoothID {
		return app.Errorf(app.EINVALID, "booth certificate names booth %q, bundle says %q", got, b.BoothID)
	}
	if _, err := tls.X509KeyPair(b.CertPEM, b.KeyPEM); err != nil {
		return app.Errorf(app.EINVALID, "booth key does not match its certificate: %v", err)
	}
	ca, err := parseCertPEM(b.CAPEM, "HQ CA certificate")
	if err != nil {
		return err
	}
	if err := cert.CheckSignatureFrom(ca); err != nil {
		return app.Errorf(app.EINVALID, "booth certificate is not issued by the bundle's HQ CA: %v", err)
	}
	if len(b.ListKey) != ed25519.PublicKeySize {
		return app.Errorf(app.EINVALID, "list-signing key has %d bytes, not %d", len(b.ListKey), ed25519.PublicKeySize)
	}
	return nil
}

// Cert returns the booth's parsed certificate.
func (b Bundle) Cert() (*x509.Certificate, error) {
	return parseCertPEM(b.CertPEM, "booth certificate")
}

// Signer returns the booth's private key, for signing export files.
func (b Bundle) Signer() (crypto.Signer, error) {
	pair, err := tls.X509KeyPair(b.CertPEM, b.KeyPEM)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "booth key: %v", err)
	}
	s, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "booth key cannot sign")
	}
	return s, nil
}

// ClientTLS returns the booth's TLS configuration: TLS 1.3 only, the booth's
// certificate, and HQ's CA as the only root. ServerName is the bundle's HQ host,
// so the booth still checks HQ's certificate when it connects through another
// address (bmis sync --hq, a proxy, a tunnel).
func (b Bundle) ClientTLS() (*tls.Config, error) {
	pair, err := tls.X509KeyPair(b.CertPEM, b.KeyPEM)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "booth key: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b.CAPEM) {
		return nil, app.Errorf(app.EINVALID, "HQ CA certificate is not PEM")
	}
	u, err := HQURL(b.HQAddress)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{pair},
		RootCAs:      pool,
		ServerName:   u.Hostname(),
	}, nil
}

// BoothIDFromCert is the booth id a client certificate names: its Subject Common
// Name. HQ issues booth certificates this way and checks batches against it.
func BoothIDFromCert(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return c.Subject.CommonName
}

// HQURL checks an HQ address is an https://host:port URL. Errors: EINVALID.
func HQURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, app.Errorf(app.EINVALID, "HQ address %q is not an https://host:port URL", s)
	}
	return u, nil
}

func parseCertPEM(data []byte, what string) (*x509.Certificate, error) {
	blk, _ := pem.Decode(bytes.TrimSpace(data))
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, app.Errorf(app.EINVALID, "%s is not a PEM certificate", what)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%s: %v", what, err)
	}
	return c, nil
}

// signDigest signs the SHA-256 digest of msg with any of the key types a booth
// certificate may carry; verifyDigest is its counterpart.
func signDigest(s crypto.Signer, digest []byte, msg []byte) ([]byte, error) {
	switch s.Public().(type) {
	case ed25519.PublicKey:
		return s.Sign(nil, msg, crypto.Hash(0))
	case *ecdsa.PublicKey, *rsa.PublicKey:
		return s.Sign(nil, digest, crypto.SHA256)
	}
	return nil, app.Errorf(app.EINVALID, "booth key type %T cannot sign export files", s.Public())
}

func verifyDigest(pub crypto.PublicKey, digest, msg, sig []byte) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, msg, sig)
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig) == nil
	}
	return false
}
