package app

import (
	"context"
	"encoding/json"
	"image"
	"strings"
	"time"
)

// ChipState is what the booth made of a document's ePassport chip.
type ChipState string

const (
	// ChipAbsent: no chip answered — an older passport, or a document without
	// one. Normal, and shown as such.
	ChipAbsent ChipState = "absent"
	// ChipGenuine: the chip opened with the printed MRZ's key, its data is
	// signed by a trusted issuing state, unchanged, and DG1 is the printed MRZ.
	ChipGenuine ChipState = "genuine"
	// ChipFailed: passive authentication failed (signature, chain, validity or
	// a data group's hash). A STOP.
	ChipFailed ChipState = "failed"
	// ChipMismatch: the chip's DG1 differs from the printed MRZ. A STOP.
	ChipMismatch ChipState = "mismatch"
	// ChipRefused: the chip did not accept the key from the printed MRZ. Look
	// closer: a misread MRZ, or a page that is not the chip's.
	ChipRefused ChipState = "refused"
	// ChipUnreadable: the chip answered, but the read failed.
	ChipUnreadable ChipState = "unreadable"
)

// ChipResult is an ePassport chip read and checked for one document.
type ChipResult struct {
	State  ChipState
	Access string   // "bac" or "pace"
	DG1    []string // the MRZ the chip holds
	// Face is the chip's photo (JPEG or JPEG 2000 as stored), FaceFormat
	// "jpeg" or "jpeg2000"; nil when the chip has none or it does not decode.
	Face                  []byte
	FaceImage             image.Image // Face decoded for the screen; nil when it does not decode
	FaceFormat            string
	FaceWidth, FaceHeight int
	// Passive authentication, part by part ("valid", "invalid",
	// "unknown_csca", "expired"; hashes "match", "mismatch", "not_in_sod").
	SODSignature string
	DSChain      string
	DGHashes     map[string]string
	Signer, CSCA string
	// ActiveAuth is active authentication's outcome (clone detection):
	// "valid", "failed" or "not_offered".
	ActiveAuth string
	// Message says in English what was wrong, for the log and the detail line.
	Message string
	Took    time.Duration
}

// ChipReader reads the chip of the document whose MRZ lines were just read,
// with the key those lines give. It never fails: a chip that cannot be read is
// a ChipResult saying so.
type ChipReader interface {
	ReadChip(ctx context.Context, lines []string, now time.Time) ChipResult
}

// Stop reports whether the chip bars admitting as things stand.
func (r ChipResult) Stop() bool { return r.State == ChipFailed || r.State == ChipMismatch }

// Key is the message key of the chip's result in words.
func (r ChipResult) Key() string {
	switch r.State {
	case ChipGenuine:
		return "chip.genuine"
	case ChipMismatch:
		return "chip.mismatch"
	case ChipRefused:
		return "chip.refused"
	case ChipUnreadable:
		return "chip.unreadable"
	case ChipFailed:
		switch {
		case r.SODSignature != "valid":
			return "chip.failed_signature"
		case r.DSChain == "unknown_csca":
			return "chip.failed_unknown_csca"
		case r.DSChain == "expired":
			return "chip.failed_expired"
		case r.DSChain != "valid":
			return "chip.failed_chain"
		case r.ActiveAuth == "failed":
			return "chip.failed_clone"
		}
		return "chip.failed_hash"
	}
	return "chip.absent"
}

// ChipRecord is what a crossing keeps of the chip: the outcome, not the data.
type ChipRecord struct {
	State        ChipState
	Access       string
	SODSignature string
	DSChain      string
	DGHashes     map[string]string
	ActiveAuth   string
}

// Record is the part of the result the crossing keeps.
func (r ChipResult) Record() *ChipRecord {
	return &ChipRecord{State: r.State, Access: r.Access, SODSignature: r.SODSignature, DSChain: r.DSChain,
		DGHashes: r.DGHashes, ActiveAuth: r.ActiveAuth}
}

// AuditChipRead is the audit entry of a chip read, with its outcome as detail.
const AuditChipRead AuditAction = "chip_read"

// Verdict keys of the chip.
const (
	VerdictChipFailed   = "verdict.chip_failed"   // passive authentication failed
	VerdictChipMismatch = "verdict.chip_mismatch" // DG1 is not the printed MRZ
	VerdictChipCheck    = "verdict.chip_check"    // the chip refused the key or could not be read
)

// chipVerdict is the chip's say in the verdict: a STOP, a caution, or nothing.
func chipVerdict(v *InspectionView) (Verdict, bool) {
	if v.Chip == nil {
		return Verdict{}, false
	}
	switch v.Chip.State {
	case ChipMismatch:
		return Verdict{LevelStop, VerdictChipMismatch}, true
	case ChipFailed:
		return Verdict{LevelStop, VerdictChipFailed}, true
	}
	return Verdict{}, false
}

// chipCaution reports whether the chip asks the officer to look closer.
func chipCaution(v *InspectionView) bool {
	return v.Chip != nil && (v.Chip.State == ChipRefused || v.Chip.State == ChipUnreadable)
}

// readChip reads the document's chip and returns the audit entry of the read.
func (b *Booth) readChip(ctx context.Context, o Officer, v *InspectionView, now time.Time) *AuditEntry {
	r := b.Chip.ReadChip(ctx, v.Inspection.Lines, now)
	v.Chip = &r
	detail, _ := json.Marshal(struct {
		State        ChipState         `json:"state"`
		Access       string            `json:"access,omitempty"`
		SODSignature string            `json:"sod_signature,omitempty"`
		DSChain      string            `json:"ds_chain,omitempty"`
		DGHashes     map[string]string `json:"dg_hashes,omitempty"`
		ActiveAuth   string            `json:"active_auth,omitempty"`
		Signer       string            `json:"signer,omitempty"`
		CSCA         string            `json:"csca,omitempty"`
		Message      string            `json:"message,omitempty"`
		MS           int64             `json:"ms"`
	}{r.State, r.Access, r.SODSignature, r.DSChain, r.DGHashes, r.ActiveAuth, r.Signer, r.CSCA, r.Message, r.Took.Milliseconds()})
	return &AuditEntry{At: now, OfficerID: o.ID, Action: AuditChipRead, Subject: v.Inspection.ID, Detail: string(detail)}
}

// DG1Name is the holder's name as the chip's MRZ writes it ("TOKTOGULOV,
// ERMEK"), for the officer to compare when the chip differs from the page; ""
// when DG1 was not read.
func (r ChipResult) DG1Name() string {
	var field string
	switch {
	case len(r.DG1) == 2 && len(r.DG1[0]) > 5:
		field = r.DG1[0][5:]
	case len(r.DG1) == 3:
		field = r.DG1[2]
	default:
		return ""
	}
	field = strings.TrimRight(field, "<")
	surname, given, _ := strings.Cut(field, "<<")
	name := strings.ReplaceAll(surname, "<", " ")
	if given != "" {
		name += ", " + strings.ReplaceAll(given, "<", " ")
	}
	return name
}
