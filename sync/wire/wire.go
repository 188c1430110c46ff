package wire

// The wire contract between booth and HQ. docs/sync.md describes it for people;
// this file is the one source both sides compile against.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/chekara/chekara/app"
)

// Endpoints HQ serves over HTTPS with mutual TLS (TLS 1.3). Every answer carries
// HeaderTime, HQ's clock, so a booth can tell how far its own clock is off.
const (
	// PathBatches: POST an encoded Batch (body: EncodeBatch's bytes, Content-Type
	// ContentTypeBatch). 200 with an Ack as JSON; an ErrorBody otherwise.
	PathBatches = "/v1/batches"
	// PathLists: GET ?have=N (N = the booth's list version, 0 for none). 200 with an
	// Envelope as JSON when HQ has something newer, 204 when N is current.
	PathLists = "/v1/lists"
	// PathRules: as PathLists, for stay rules.
	PathRules = "/v1/rules"
	// PathDirectory: as PathLists, for the officer directory of the asking
	// booth's post (an envelope of KindDirectory, always a snapshot).
	PathDirectory = "/v1/directory"
	// PathMasterList serves the latest CSCA master list (KindMasterList).
	PathMasterList = "/v1/masterlist"
	// PathHealth: GET; 200 with a Health as JSON.
	PathHealth = "/v1/health"

	// QueryHave is the query parameter naming the version the booth holds.
	QueryHave = "have"
	// HeaderTime carries HQ's clock (RFC 3339 with nanoseconds, UTC) on every answer.
	HeaderTime = "Chekara-Time"

	ContentTypeBatch = "application/vnd.chekara.batch+gzip"
	ContentTypeJSON  = "application/json"
)

// Limits bound what a decoder accepts, so a hostile or broken peer cannot make the
// other side allocate without end.
type Limits struct {
	MaxRecords int   // records in one batch
	MaxBytes   int   // sum of the records' payload bytes in one batch, uncompressed
	MaxEncoded int64 // bytes of one encoded (compressed) batch or export file
}

// DefaultLimits are what booth and HQ use unless configured otherwise. A batch of
// 1,000 crossings is about 150 KB compressed: a few seconds on a 256 kbit/s link.
var DefaultLimits = Limits{MaxRecords: 1000, MaxBytes: 4 << 20, MaxEncoded: 4 << 20}

// Record is one outbox row as it travels: the booth's sequence number, the
// record's globally unique id (UUIDv7), its kind ("crossing", "training_crossing", …) and
// its content. SHA256 is the hash of Payload; it is not sent (HQ recomputes it, and
// the batch hash covers it) but DecodeBatch fills it so HQ can compare a record
// with the copy it already has.
type Record struct {
	Seq     int64
	ID      string
	Kind    string
	Payload []byte
	SHA256  [32]byte
}

// Batch is a run of one booth's outbox. It claims to hold every record the booth
// has with First <= Seq <= Last: First is the booth's sent mark + 1 when it built
// the batch, so sequence gaps in the booth's store are allowed, and HQ can refuse
// a batch that starts past its high-water mark + 1 (something would be missing).
// Hash covers the booth id, the range and every record (see BatchHash).
type Batch struct {
	BoothID string
	First   int64
	Last    int64
	Records []Record
	// Format is the batch format: BatchFormat for what NewBatch builds; 1 for a
	// batch from a booth older than the audit anchor (no Head, no Proof).
	Format int
	// Head is the booth's audit chain's last entry when the batch was built, so
	// HQ anchors the chain: a later batch whose head is behind it, or whose Proof
	// disagrees with it, means the booth's audit log was cut or rewritten.
	Head ChainPoint
	// Proof is the booth's audit entry at the sequence HQ last anchored (Ack's
	// AuditSeq), with its hash as the booth holds it now; Seq 0 before any anchor.
	Proof ChainPoint
	// State, format 3 only and optional, is how the booth stood when it built
	// the batch (backlog, versions held, its clock): HQ's booth health page.
	State *BoothState
	Hash  [32]byte
}

// ChainPoint names one entry of a booth's audit chain: its sequence number and
// its hash (store/audit.go). The zero value is "no entry".
type ChainPoint struct {
	Seq  int64
	Hash [32]byte
}

// BatchFormat is the batch format NewBatch and EncodeBatch write. Format 1
// (before 2026-12-04's hardening) had no audit anchor; DecodeBatch still reads
// it, and HQ stores its records without anchoring (docs/sync.md). Format 2 has
// the anchor; format 3 adds the optional booth state block (boothstate.go).
// DecodeBatch reads all three.
const BatchFormat = 3

// RecordHash is the SHA-256 of a record's payload.
func RecordHash(payload []byte) [32]byte { return sha256.Sum256(payload) }

// BatchHash is the hash a batch carries: SHA-256 over a domain tag, the booth id,
// the range, and each record's sequence number, id, kind and payload hash, every
// field length-prefixed. It uses each record's SHA256 field as it stands.
//
// Format 2 uses the tag "chekara-batch-v2" and adds, after the records, the
// audit head and proof (sequence number and hash each).
func BatchHash(b Batch) [32]byte {
	h := sha256.New()
	var buf []byte
	switch {
	case b.Format >= 3:
		buf = append(buf, "chekara-batch-v3"...)
	case b.Format == 2:
		buf = append(buf, "chekara-batch-v2"...)
	default:
		buf = append(buf, "chekara-batch-v1"...)
	}
	buf = appendString(buf, b.BoothID)
	buf = binary.AppendUvarint(buf, uint64(b.First))
	buf = binary.AppendUvarint(buf, uint64(b.Last))
	buf = binary.AppendUvarint(buf, uint64(len(b.Records)))
	h.Write(buf)
	for _, r := range b.Records {
		buf = buf[:0]
		buf = binary.AppendUvarint(buf, uint64(r.Seq))
		buf = appendString(buf, r.ID)
		buf = appendString(buf, r.Kind)
		buf = append(buf, r.SHA256[:]...)
		h.Write(buf)
	}
	if b.Format >= 2 {
		buf = appendChainPoint(buf[:0], b.Head)
		buf = appendChainPoint(buf, b.Proof)
		if b.Format >= 3 {
			buf = appendState(buf, b.State)
		}
		h.Write(buf)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// NewBatch builds a batch from records in increasing Seq order, filling every
// record's SHA256 and the batch hash. first is the booth's sent mark + 1; last is
// the last record's Seq. Returns EINVALID when the batch breaks the rules of
// Validate under limits l.
func NewBatch(boothID string, first int64, recs []Record, l Limits) (Batch, error) {
	b := Batch{BoothID: boothID, First: first, Format: BatchFormat, Records: make([]Record, len(recs))}
	copy(b.Records, recs)
	for i := range b.Records {
		b.Records[i].SHA256 = RecordHash(b.Records[i].Payload)
	}
	if len(recs) > 0 {
		b.Last = recs[len(recs)-1].Seq
	}
	b.Hash = BatchHash(b)
	if err := b.Validate(l); err != nil {
		return Batch{}, err
	}
	return b, nil
}

// Anchored returns b carrying the booth's audit head and proof, its hash
// recomputed. Returns EINVALID when the points are out of bounds.
func (b Batch) Anchored(head, proof ChainPoint) (Batch, error) {
	b.Format, b.Head, b.Proof = max(b.Format, 2), head, proof
	if err := checkChain(b); err != nil {
		return Batch{}, err
	}
	b.Hash = BatchHash(b)
	return b, nil
}

// checkChain bounds a batch's audit points to 0..2^62. A proof beyond the
// head is allowed: it is what a booth whose log was cut short sends, and HQ
// is the one to raise the alert.
func checkChain(b Batch) error {
	if b.Format < 2 {
		return nil
	}
	if b.Head.Seq < 0 || b.Head.Seq > 1<<62 || b.Proof.Seq < 0 || b.Proof.Seq > 1<<62 {
		return app.Errorf(app.EINVALID, "batch audit points %d (proof) and %d (head) are out of bounds", b.Proof.Seq, b.Head.Seq)
	}
	return nil
}

// Validate checks a batch's structure, bounds and hashes: a valid booth id; at
// least one record; 1 <= First <= every Seq <= Last, sequence numbers strictly
// increasing, Last equal to the last Seq; record ids unique, kinds and ids well
// formed; each SHA256 matching its payload; Hash matching BatchHash. Returns
// EINVALID naming the first fault.
func (b Batch) Validate(l Limits) error {
	if err := checkName("booth id", b.BoothID, 64); err != nil {
		return err
	}
	if len(b.Records) == 0 {
		return app.Errorf(app.EINVALID, "batch has no records")
	}
	if l.MaxRecords > 0 && len(b.Records) > l.MaxRecords {
		return app.Errorf(app.EINVALID, "batch has %d records, more than %d", len(b.Records), l.MaxRecords)
	}
	if b.First < 1 {
		return app.Errorf(app.EINVALID, "batch first sequence %d is not positive", b.First)
	}
	prev := b.First - 1
	total := 0
	ids := make(map[string]struct{}, len(b.Records))
	for i, r := range b.Records {
		if r.Seq <= prev {
			return app.Errorf(app.EINVALID, "record %d: sequence %d does not follow %d", i, r.Seq, prev)
		}
		prev = r.Seq
		if err := checkName("record id", r.ID, 64); err != nil {
			return app.Errorf(app.EINVALID, "record %d: %s", i, app.ErrorMessage(err))
		}
		if _, dup := ids[r.ID]; dup {
			return app.Errorf(app.EINVALID, "record %d: id %s appears twice in the batch", i, r.ID)
		}
		ids[r.ID] = struct{}{}
		if err := checkName("record kind", r.Kind, 32); err != nil {
			return app.Errorf(app.EINVALID, "record %d: %s", i, app.ErrorMessage(err))
		}
		total += len(r.Payload)
		if l.MaxBytes > 0 && total > l.MaxBytes {
			return app.Errorf(app.EINVALID, "batch payload exceeds %d bytes", l.MaxBytes)
		}
		if RecordHash(r.Payload) != r.SHA256 {
			return app.Errorf(app.EINVALID, "record %d (%s): content hash mismatch", i, r.ID)
		}
	}
	if b.Last != prev {
		return app.Errorf(app.EINVALID, "batch last sequence %d is not its last record's %d", b.Last, prev)
	}
	if b.Format < 1 || b.Format > BatchFormat {
		return app.Errorf(app.EINVALID, "batch format %d is not one this side reads (1 to %d)", b.Format, BatchFormat)
	}
	if err := checkChain(b); err != nil {
		return err
	}
	if b.State != nil && b.Format < 3 {
		return app.Errorf(app.EINVALID, "batch format %d carries no booth state", b.Format)
	}
	if err := b.State.check(); err != nil {
		return err
	}
	if BatchHash(b) != b.Hash {
		return app.Errorf(app.EINVALID, "batch hash mismatch")
	}
	return nil
}

// batchMagic starts every decompressed batch; a byte with the format follows.
var batchMagic = []byte("CHKBATCH")

// EncodeBatch writes b as a gzip stream of a compact binary form (see
// docs/sync.md): magic, booth id, first, last, record count, then per record the
// sequence delta, id, kind and payload, each length-prefixed, then the 32-byte
// batch hash; format 2 puts the audit head and proof (each a sequence number and
// 32 bytes) before the hash. It does not validate b; callers build batches with NewBatch.
func EncodeBatch(w io.Writer, b Batch) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(zw, 64<<10)
	format := b.Format
	if format == 0 {
		format = BatchFormat
	}
	var buf []byte
	buf = append(buf, batchMagic...)
	buf = append(buf, byte(format))
	buf = appendString(buf, b.BoothID)
	buf = binary.AppendUvarint(buf, uint64(b.First))
	buf = binary.AppendUvarint(buf, uint64(b.Last))
	buf = binary.AppendUvarint(buf, uint64(len(b.Records)))
	bw.Write(buf)
	prev := b.First - 1
	for _, r := range b.Records {
		buf = buf[:0]
		buf = binary.AppendUvarint(buf, uint64(r.Seq-prev))
		prev = r.Seq
		buf = appendString(buf, r.ID)
		buf = appendString(buf, r.Kind)
		buf = binary.AppendUvarint(buf, uint64(len(r.Payload)))
		bw.Write(buf)
		bw.Write(r.Payload)
	}
	if format >= 2 {
		bw.Write(appendChainPoint(buf[:0], b.Head))
		bw.Write(appendChainPoint(nil, b.Proof))
	}
	if format >= 3 {
		bw.Write(appendState(nil, b.State))
	}
	bw.Write(b.Hash[:])
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	return nil
}

// MarshalBatch is EncodeBatch into a byte slice.
func MarshalBatch(b Batch) ([]byte, error) {
	var buf bytes.Buffer
	if err := EncodeBatch(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeBatch reads one encoded batch from r, refusing more than l.MaxEncoded
// compressed bytes, more than l.MaxRecords records or l.MaxBytes payload bytes,
// and any trailing data; it recomputes every record's SHA256 and checks the whole
// batch with Validate. Every fault is EINVALID; bad input never panics.
func DecodeBatch(r io.Reader, l Limits) (Batch, error) {
	if l.MaxRecords <= 0 || l.MaxBytes <= 0 || l.MaxEncoded <= 0 {
		l = DefaultLimits
	}
	lr := &io.LimitedReader{R: r, N: l.MaxEncoded + 1}
	// Our own buffered reader under gzip (it is an io.ByteReader, so gzip reads
	// no further than its stream's end) lets us see bytes after the stream.
	cbr := bufio.NewReader(lr)
	zr, err := gzip.NewReader(cbr)
	if err != nil {
		return Batch{}, invalid(lr, "batch is not gzip: %v", err)
	}
	zr.Multistream(false)
	// Decompressed size is bounded too: payloads plus generous per-record framing.
	maxPlain := int64(l.MaxBytes) + int64(l.MaxRecords)*200 + 1024
	plain := &io.LimitedReader{R: zr, N: maxPlain + 1}
	br := bufio.NewReaderSize(plain, 32<<10)
	d := decoder{r: br}

	magic := make([]byte, len(batchMagic)+1)
	if _, err := io.ReadFull(br, magic); err != nil || !bytes.Equal(magic[:len(batchMagic)], batchMagic) {
		return Batch{}, invalid(lr, "batch has an unknown format")
	}
	var b Batch
	b.Format = int(magic[len(batchMagic)])
	if b.Format < 1 || b.Format > BatchFormat {
		return Batch{}, app.Errorf(app.EINVALID, "batch format %d is newer than this HQ reads (1 to %d): update HQ", b.Format, BatchFormat)
	}
	b.BoothID = d.string(64)
	first, last, n := d.uvarint(), d.uvarint(), d.uvarint()
	if d.err != nil {
		return Batch{}, invalid(lr, "batch header: %v", d.err)
	}
	if first < 1 || first > 1<<62 || last > 1<<62 {
		return Batch{}, app.Errorf(app.EINVALID, "batch sequence range out of bounds")
	}
	if n == 0 || n > uint64(l.MaxRecords) {
		return Batch{}, app.Errorf(app.EINVALID, "batch record count %d not in 1..%d", n, l.MaxRecords)
	}
	b.First, b.Last = int64(first), int64(last)
	b.Records = make([]Record, 0, min(n, 1024))
	prev := b.First - 1
	budget := l.MaxBytes
	for i := uint64(0); i < n; i++ {
		delta := d.uvarint()
		id := d.string(64)
		kind := d.string(32)
		size := d.uvarint()
		if d.err != nil {
			return Batch{}, invalid(lr, "record %d: %v", i, d.err)
		}
		if delta == 0 || delta > 1<<62 || uint64(prev)+delta > 1<<62 {
			return Batch{}, app.Errorf(app.EINVALID, "record %d: bad sequence step", i)
		}
		if size > uint64(budget) {
			return Batch{}, app.Errorf(app.EINVALID, "batch payload exceeds %d bytes", l.MaxBytes)
		}
		budget -= int(size)
		payload := make([]byte, size)
		if _, err := io.ReadFull(br, payload); err != nil {
			return Batch{}, invalid(lr, "record %d payload: %v", i, err)
		}
		prev += int64(delta)
		b.Records = append(b.Records, Record{Seq: prev, ID: id, Kind: kind, Payload: payload, SHA256: RecordHash(payload)})
	}
	if b.Format >= 2 {
		b.Head.Seq = int64(d.point(&b.Head.Hash))
		b.Proof.Seq = int64(d.point(&b.Proof.Hash))
		if d.err != nil {
			return Batch{}, invalid(lr, "batch audit points: %v", d.err)
		}
	}
	if b.Format >= 3 {
		b.State = d.state()
		if d.err != nil {
			return Batch{}, invalid(lr, "batch booth state: %v", d.err)
		}
	}
	if _, err := io.ReadFull(br, b.Hash[:]); err != nil {
		return Batch{}, invalid(lr, "batch hash: %v", err)
	}
	// Nothing may follow the hash, and the gzip stream must end cleanly (its
	// checksum is verified at EOF).
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return Batch{}, app.Errorf(app.EINVALID, "batch has trailing data")
		}
		return Batch{}, invalid(lr, "batch end: %v", err)
	}
	if plain.N <= 0 {
		return Batch{}, app.Errorf(app.EINVALID, "batch decompresses beyond its limit")
	}
	if _, err := cbr.ReadByte(); err != io.EOF {
		return Batch{}, invalid(lr, "batch has data after its gzip stream")
	}
	if err := b.Validate(l); err != nil {
		return Batch{}, err
	}
	return b, nil
}

// invalid builds an EINVALID error, naming the size limit when the compressed
// reader ran past it (that is the real cause of an unexpected EOF then).
func invalid(lr *io.LimitedReader, format string, args ...any) error {
	if lr.N <= 0 {
		return app.Errorf(app.EINVALID, "batch is larger than the limit")
	}
	return app.Errorf(app.EINVALID, format, args...)
}

// decoder reads length-prefixed fields and keeps the first error.
type decoder struct {
	r   *bufio.Reader
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.err = err
	}
	return v
}

func (d *decoder) string(max int) string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(max) {
		d.err = fmt.Errorf("field of %d bytes, more than %d", n, max)
		return ""
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(d.r, buf); err != nil {
		d.err = err
		return ""
	}
	return string(buf)
}

// point reads a chain point (a sequence number up to 2^62, then 32 bytes of
// hash into h) and returns its sequence number.
func (d *decoder) point(h *[32]byte) uint64 {
	seq := d.uvarint()
	if d.err == nil && seq > 1<<62 {
		d.err = fmt.Errorf("audit sequence %d out of bounds", seq)
	}
	if d.err != nil {
		return 0
	}
	if _, err := io.ReadFull(d.r, h[:]); err != nil {
		d.err = err
	}
	return seq
}

func appendChainPoint(buf []byte, p ChainPoint) []byte {
	buf = binary.AppendUvarint(buf, uint64(p.Seq))
	return append(buf, p.Hash[:]...)
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// checkName accepts 1..max bytes of ASCII letters, digits and . _ - : (booth
// ids, record ids, kinds): nothing that could confuse a log line or a file name.
func checkName(what, s string, max int) error {
	if s == "" || len(s) > max {
		return app.Errorf(app.EINVALID, "%s must be 1 to %d characters", what, max)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-' || c == ':'
		if !ok {
			return app.Errorf(app.EINVALID, "%s %q has a character other than letters, digits, '.', '_', '-', ':'", what, s)
		}
	}
	return nil
}

// ValidBoothID returns EINVALID unless id is a well-formed booth id (1 to 64
// ASCII letters, digits, '.', '_', '-', ':').
func ValidBoothID(id string) error { return checkName("booth id", id, 64) }

// Ack is HQ's answer to an accepted batch. HighWater is the booth's high-water
// mark at HQ after the batch: every record with Seq <= HighWater is stored at
// HQ, and the booth marks its outbox sent up to it. A replayed batch gets the
// same kind of answer (Stored 0, Duplicates = its records).
type Ack struct {
	BoothID    string    `json:"booth"`
	HighWater  int64     `json:"high_water"`
	HQTime     time.Time `json:"hq_time"`
	Stored     int       `json:"stored"`     // records new to HQ
	Duplicates int       `json:"duplicates"` // records HQ already had with the same content
	Alerts     int       `json:"alerts"`     // records HQ already had with different content (kept, not overwritten)
	// AuditSeq is the booth's audit entry HQ last anchored (the head of a batch):
	// the booth proves it in its next batch's Proof. 0: none yet.
	AuditSeq int64 `json:"audit_seq,omitempty"`
}

// ErrorBody is the JSON body of every non-2xx answer. Code is one of app's error
// codes (app.EINVALID, app.EUNAUTHORIZED, app.ECONFLICT, …); Message is a sentence
// for an operator. HighWater is set on ECONFLICT for a batch that starts past HQ's
// high-water mark + 1, so the booth can tell which records HQ lacks.
type ErrorBody struct {
	Code      string    `json:"code"`
	Message   string    `json:"message"`
	HighWater *int64    `json:"high_water,omitempty"`
	HQTime    time.Time `json:"hq_time"`
}

// Health is the body of PathHealth.
type Health struct {
	Status  string    `json:"status"` // "ok"
	HQTime  time.Time `json:"hq_time"`
	BoothID string    `json:"booth,omitempty"` // the booth the client certificate names
	// Standby is HQ's synchronous standby in words, when HQ requires one.
	Standby string `json:"standby,omitempty"`
}

// HTTPStatus maps an app error code to the HTTP status HQ answers with; the one
// table both sides use.
func HTTPStatus(code string) int {
	switch code {
	case app.EINVALID:
		return http.StatusBadRequest
	case app.EUNAUTHORIZED, app.ELOCKED:
		return http.StatusForbidden
	case app.ENOTFOUND:
		return http.StatusNotFound
	case app.ECONFLICT:
		return http.StatusConflict
	case app.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// CodeFromStatus is the reverse of HTTPStatus, for an answer without a readable
// ErrorBody (a proxy's error page, a cut connection mid-body).
func CodeFromStatus(status int) string {
	switch {
	case status == http.StatusBadRequest, status == http.StatusRequestEntityTooLarge:
		return app.EINVALID
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return app.EUNAUTHORIZED
	case status == http.StatusNotFound:
		return app.ENOTFOUND
	case status == http.StatusConflict:
		return app.ECONFLICT
	case status == http.StatusServiceUnavailable, status == http.StatusBadGateway, status == http.StatusGatewayTimeout:
		return app.EUNAVAILABLE
	default:
		return app.EINTERNAL
	}
}
