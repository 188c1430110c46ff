package hq

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/pem"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// ImportMasterList publishes the CSCA certificates booths check ePassport chips
// against — a CMS master list (the BSI and Dutch PKD format) or PEM certificates
// — as a snapshot, version latest + 1, signed like the watchlists. HQ checks the
// file's shape (a signed master list, or certificates); each booth decodes every
// certificate before it takes the list (devices/chip/pa), which HQ does not link.
// Returns EINVALID for anything else, ECONFLICT for the very file already latest.
func (s *Server) ImportMasterList(ctx context.Context, data []byte) (store.Publication, error) {
	if len(data) > MaxPublication {
		return store.Publication{}, app.Errorf(app.EINVALID, "master list of %d bytes exceeds %d", len(data), MaxPublication)
	}
	if err := masterListShape(data); err != nil {
		return store.Publication{}, err
	}
	sum := sha256.Sum256(data)
	e := wire.Envelope{Kind: wire.KindMasterList, Mode: wire.Snapshot, Payload: data}
	return s.publish(ctx, store.MasterList, e, func(latest int64) int64 { return latest + 1 }, func(latest store.Publication) error {
		if bytes.Equal(latest.SHA256, sum[:]) {
			return app.Errorf(app.ECONFLICT, "this master list is already published as version %d", latest.Version)
		}
		return nil
	}, nil)
}

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidCSCAMasterLst = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
)

// masterListShape accepts PEM certificates, or a CMS SignedData whose content is
// a CSCA master list.
func masterListShape(data []byte) error {
	if t := bytes.TrimSpace(data); bytes.HasPrefix(t, []byte("-----BEGIN")) {
		n := 0
		for {
			var b *pem.Block
			if b, t = pem.Decode(t); b == nil {
				break
			}
			var cert struct{ TBS, Alg, Sig asn1.RawValue }
			if b.Type == "CERTIFICATE" {
				if _, err := asn1.Unmarshal(b.Bytes, &cert); err != nil {
					return app.Errorf(app.EINVALID, "a PEM certificate is not DER: %v", err)
				}
				n++
			}
		}
		if n == 0 {
			return app.Errorf(app.EINVALID, "the PEM file holds no certificate")
		}
		return nil
	}
	var ci struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}
	if _, err := asn1.Unmarshal(data, &ci); err != nil || !ci.Type.Equal(oidSignedData) {
		return app.Errorf(app.EINVALID, "neither PEM certificates nor a CMS master list (%v)", err)
	}
	var sd struct {
		Version    int
		DigestAlgs asn1.RawValue
		Encap      struct {
			Type    asn1.ObjectIdentifier
			Content asn1.RawValue `asn1:"optional,explicit,tag:0"`
		}
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return app.Errorf(app.EINVALID, "the CMS content is not SignedData: %v", err)
	}
	if !sd.Encap.Type.Equal(oidCSCAMasterLst) {
		return app.Errorf(app.EINVALID, "the CMS content %v is not a CSCA master list", sd.Encap.Type)
	}
	return nil
}
