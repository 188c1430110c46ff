package pa

import (
	"bytes"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
)

// Trust is the set of CSCA certificates a booth accepts as issuers of document
// signers: from a CMS master list (the format the German BSI and the Dutch PKD
// publish), PEM files, or single DER certificates.
type Trust struct {
	CSCAs []*Certificate
	// MasterListSigned says whether a loaded master list's own CMS signature
	// verified with the signer certificate it carries. The list's authority comes
	// from how it reached the booth (signed by HQ), not from this.
	MasterListSigned bool
}

// ErrTrust is wrapped when a trust file holds no usable certificate.
var ErrTrust = errors.New("pa: no CSCA certificate in the file")

// ParseTrust reads CSCA certificates from a CMS master list, PEM certificates or a
// single DER certificate, whichever b is.
func ParseTrust(b []byte) (*Trust, error) {
	t := &Trust{}
	if err := t.Add(b); err != nil {
		return nil, err
	}
	return t, nil
}

// Add reads more certificates into the trust set (see ParseTrust).
func (t *Trust) Add(b []byte) error {
	trimmed := bytes.TrimSpace(b)
	if bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		n := 0
		for {
			var blk *pem.Block
			blk, trimmed = pem.Decode(trimmed)
			if blk == nil {
				break
			}
			if blk.Type != "CERTIFICATE" {
				continue
			}
			c, err := ParseCertificate(blk.Bytes)
			if err != nil {
				return err
			}
			t.CSCAs = append(t.CSCAs, c)
			n++
		}
		if n == 0 {
			return ErrTrust
		}
		return nil
	}
	if c, err := ParseCertificate(b); err == nil {
		t.CSCAs = append(t.CSCAs, c)
		return nil
	}
	return t.addMasterList(b)
}

type cscaMasterList struct {
	Version int
	Certs   []asn1.RawValue `asn1:"set"`
}

func (t *Trust) addMasterList(b []byte) error {
	s, err := parseSigned(b)
	if err != nil {
		return fmt.Errorf("%w (neither PEM, a DER certificate nor a CMS master list)", err)
	}
	if !s.ContentType.Equal(oidCSCAMasterLst) {
		return fmt.Errorf("%w: content %v is not a CSCA master list", ErrCMS, s.ContentType)
	}
	var ml cscaMasterList
	if _, err := asn1.Unmarshal(s.Content, &ml); err != nil {
		return fmt.Errorf("%w: master list: %v", ErrCMS, err)
	}
	n := 0
	for _, raw := range ml.Certs {
		c, err := ParseCertificate(raw.FullBytes)
		if err != nil {
			continue // one CSCA on an unsupported curve must not hide the others
		}
		t.CSCAs = append(t.CSCAs, c)
		n++
	}
	if n == 0 {
		return ErrTrust
	}
	if signer, err := s.signerCert(); err == nil && s.checkSignature(signer) == nil {
		t.MasterListSigned = true
	}
	return nil
}
