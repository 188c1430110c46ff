package wire

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/chekara/chekara/app"
)

// Export files carry batches on removable media from a booth with no link at all
// (`bmis export`) to HQ (`hq import DIR`), which applies them through the same
// exactly-once path as a batch that came over the network.
//
// One file holds one batch, signed with the booth's own private key (the one in
// its enrolment bundle) and carrying the booth's certificate, so HQ can check the
// file the way it checks a TLS client: certificate issued by HQ's CA, not revoked,
// naming the batch's booth. The layout:
//
//	"CHEKARA-EXPORT/1\n"
//	uvarint len, booth certificate (DER)
//	uvarint len, signature over SHA-256("chekara-export-v1" || batch bytes)
//	uvarint len, the batch exactly as EncodeBatch writes it
//	(nothing after)

// ExportExt is the file name extension of export files.
const ExportExt = ".chkb"

var exportMagic = []byte("CHEKARA-EXPORT/1\n")

// ExportFileName is the file name `bmis export` gives a batch: booth id and
// sequence range, zero-padded so a plain sort of the names is the order HQ must
// import them in.
func ExportFileName(b Batch) string {
	return fmt.Sprintf("%s-%012d-%012d%s", b.BoothID, b.First, b.Last, ExportExt)
}

func exportDigest(batch []byte) (digest, msg []byte) {
	msg = append([]byte("chekara-export-v1"), batch...)
	sum := sha256.Sum256(msg)
	return sum[:], msg
}

// WriteExport writes b as a signed export file. certDER is the booth's
// certificate and key its private key (Bundle.Cert, Bundle.Signer).
func WriteExport(w io.Writer, b Batch, certDER []byte, key crypto.Signer) error {
	batch, err := MarshalBatch(b)
	if err != nil {
		return err
	}
	digest, msg := exportDigest(batch)
	sig, err := signDigest(key, digest, msg)
	if err != nil {
		return fmt.Errorf("sign export: %w", err)
	}
	var head []byte
	head = append(head, exportMagic...)
	head = binary.AppendUvarint(head, uint64(len(certDER)))
	head = append(head, certDER...)
	head = binary.AppendUvarint(head, uint64(len(sig)))
	head = append(head, sig...)
	head = binary.AppendUvarint(head, uint64(len(batch)))
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err = w.Write(batch)
	return err
}

// Export is a read export file whose signature verified against the certificate
// it carries. The caller (HQ) must still check Cert: issued by its CA, within its
// validity, not revoked.
type Export struct {
	Cert  *x509.Certificate
	Batch Batch
}

// ReadExport reads and checks one export file: its format and bounds, the
// signature against the certificate it carries, the certificate's booth against
// the batch's, and the batch itself as DecodeBatch does. Returns EINVALID for a
// malformed file, EUNAUTHORIZED for a bad signature or a booth mismatch.
func ReadExport(r io.Reader, l Limits) (Export, error) {
	if l.MaxRecords <= 0 || l.MaxBytes <= 0 || l.MaxEncoded <= 0 {
		l = DefaultLimits
	}
	br := bufio.NewReader(&io.LimitedReader{R: r, N: l.MaxEncoded + 64<<10})
	magic := make([]byte, len(exportMagic))
	if _, err := io.ReadFull(br, magic); err != nil || !bytes.Equal(magic, exportMagic) {
		return Export{}, app.Errorf(app.EINVALID, "not a Chekara export file")
	}
	d := decoder{r: br}
	certDER := d.bytes(16 << 10)
	sig := d.bytes(1 << 10)
	batch := d.bytes(int(l.MaxEncoded))
	if d.err != nil {
		return Export{}, app.Errorf(app.EINVALID, "export file: %v", d.err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return Export{}, app.Errorf(app.EINVALID, "export file has trailing data")
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return Export{}, app.Errorf(app.EINVALID, "export file certificate: %v", err)
	}
	digest, msg := exportDigest(batch)
	if !verifyDigest(cert.PublicKey, digest, msg, sig) {
		return Export{}, app.Errorf(app.EUNAUTHORIZED, "export file signature does not verify against booth %q's certificate", BoothIDFromCert(cert))
	}
	b, err := DecodeBatch(bytes.NewReader(batch), l)
	if err != nil {
		return Export{}, err
	}
	if id := BoothIDFromCert(cert); id != b.BoothID {
		return Export{}, app.Errorf(app.EUNAUTHORIZED, "export file signed by booth %q holds booth %q's batch", id, b.BoothID)
	}
	return Export{Cert: cert, Batch: b}, nil
}

func (d *decoder) bytes(max int) []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(max) {
		d.err = fmt.Errorf("field of %d bytes, more than %d", n, max)
		return nil
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(d.r, buf); err != nil {
		d.err = err
		return nil
	}
	return buf
}
