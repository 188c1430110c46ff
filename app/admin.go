package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The booth's administration (issue 13, point 5): the post-admin sets the
// document reader and the desk camera, watches the HQ link in detail, syncs
// now, backs the store up to a folder and verifies the audit chain. Every
// call here checks Administer first — the role holds in the core, whatever
// the window shows — and every action that changes or copies something is
// audited. The work itself is the booth assembly's (Administration).

// Audit actions of the booth's administration.
const (
	AuditDevicesSaved AuditAction = "admin_devices"      // reader or camera settings changed
	AuditSyncNow      AuditAction = "admin_sync_now"     // a round with HQ asked for by hand
	AuditBackup       AuditAction = "admin_backup"       // the store copied to a folder
	AuditVerified     AuditAction = "admin_audit_verify" // the audit chain walked
	AuditReaderTest   AuditAction = "admin_reader_test"  // a read in the reader test, not recorded
)

// DeviceSettings are the booth's document reader and desk camera as its
// post-admin sets them; the booth keeps them in its configuration and uses
// them at every start (the command line's flags, when given, win).
type DeviceSettings struct {
	ReaderPort     string `json:"reader_port"`     // serial device, e.g. /dev/serial/by-id/usb-…; "" no reader
	ReaderProtocol string `json:"reader_protocol"` // lines, 3m, desko, elyctis
	ReaderBaud     int    `json:"reader_baud"`     // 0: 9600
	Camera         string `json:"camera"`          // V4L2 device or picture folder; "" none
}

// Backup is a copy of the booth's store made while it works, and its check.
type Backup struct {
	File  string // the copy, in the folder given
	Bytes int64
	// AuditEntries is the copy's audit chain, walked whole; Crossings its records.
	AuditEntries int64
	Crossings    int64
}

// AuditReport is a walk of the booth's audit chain.
type AuditReport struct {
	Entries     int64
	FirstBroken int64  // 0 when the chain is whole
	Reason      string // what broke, in English (the administrator's log); "" when whole
	Missing     int    // decided crossings gone without a recorded purge
}

// Intact reports whether the walk found nothing wrong.
func (r AuditReport) Intact() bool { return r.FirstBroken == 0 && r.Missing == 0 && r.Reason == "" }

// LinkDetail is the HQ link as the administration screen shows it: the status
// bar's SyncState, with the oldest record still waiting.
type LinkDetail struct {
	SyncState
	Now           time.Time
	OldestPending time.Time // booth time of the oldest record HQ has not acknowledged; zero when none
}

// OldestAge is how long the oldest pending record has waited, 0 when none.
func (d LinkDetail) OldestAge() time.Duration {
	if d.OldestPending.IsZero() {
		return 0
	}
	return max(d.Now.Sub(d.OldestPending), 0)
}

// ReaderCheck is what the booth made of one event in the reader test: shown
// to the post-admin, never recorded as an inspection.
type ReaderCheck struct {
	At      time.Time
	Kind    ReaderEventKind
	Source  DocumentSourceKind
	Lines   []string
	Message string // the device's own words (errors, disconnects)
	// For a document: what the MRZ engine found.
	DocumentCode string
	Valid        bool
	Problems     []string // problem codes, e.g. "check_digit"
}

// Administration is the booth's side of its administration, implemented by
// the booth assembly (package booth) over its configuration file, store and
// HQ link.
type Administration interface {
	// Devices returns the saved device settings (zero when none were saved).
	Devices(ctx context.Context) (DeviceSettings, error)
	// SaveDevices checks and saves d and applies it. EINVALID names the setting
	// that cannot work.
	SaveDevices(ctx context.Context, d DeviceSettings) error
	// SyncNow runs one round with HQ now. EINVALID when the booth is not
	// enrolled; the link's error otherwise.
	SyncNow(ctx context.Context) error
	// Backup copies the store into folder while the booth works and verifies
	// the copy. EINVALID for a folder that is not one; ECONFLICT when the
	// copy's name is taken.
	Backup(ctx context.Context, folder string) (Backup, error)
	// VerifyAudit walks the audit chain.
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// OldestPending is when the oldest record HQ has not acknowledged was
	// written; zero when none waits.
	OldestPending(ctx context.Context) (time.Time, error)
}

// admin returns the signed-in post-admin and the booth's Administration.
func (b *Booth) admin() (Officer, Administration, error) {
	if err := b.Administer(); err != nil {
		return Officer{}, nil, err
	}
	if b.Admin == nil {
		return Officer{}, nil, Errork(EUNAVAILABLE, "err.admin_unavailable", "This booth has no administration here.")
	}
	return b.Session().Officer, b.Admin, nil
}

func jsonDetail(v any) string {
	d, _ := json.Marshal(v)
	return string(d)
}

// Devices returns the booth's device settings. Errors: Administer's, and
// reading the configuration.
func (b *Booth) Devices(ctx context.Context) (DeviceSettings, error) {
	_, a, err := b.admin()
	if err != nil {
		return DeviceSettings{}, err
	}
	return a.Devices(ctx)
}

// SaveDevices saves and applies the reader and camera settings, audited with
// the settings. Errors: Administer's; EINVALID for settings that cannot work
// (nothing is saved).
func (b *Booth) SaveDevices(ctx context.Context, d DeviceSettings) error {
	o, a, err := b.admin()
	if err != nil {
		return err
	}
	d.ReaderPort, d.ReaderProtocol, d.Camera = strings.TrimSpace(d.ReaderPort), strings.TrimSpace(d.ReaderProtocol), strings.TrimSpace(d.Camera)
	if d.ReaderBaud < 0 {
		return Errork(EINVALID, "err.admin_baud", "The baud rate must be a positive number, like 9600.")
	}
	if err := a.SaveDevices(ctx, d); err != nil {
		return err
	}
	return b.audit(ctx, o.ID, AuditDevicesSaved, b.BoothID, jsonDetail(d))
}

// LinkDetail returns the HQ link in detail: last attempt and success, the
// last error, records waiting and the oldest one's age, and the versions of
// the lists, rules and officer directory. Errors: Administer's, and reading
// the store.
func (b *Booth) LinkDetail(ctx context.Context) (LinkDetail, error) {
	_, a, err := b.admin()
	if err != nil {
		return LinkDetail{}, err
	}
	d := LinkDetail{SyncState: b.Status(ctx).Sync, Now: b.now()}
	if n, err := b.Records.Pending(ctx); err == nil {
		d.Pending = n // the store's count is current; the link's is its last round's
	}
	if d.OldestPending, err = a.OldestPending(ctx); err != nil {
		return d, fmt.Errorf("oldest pending record: %w", err)
	}
	return d, nil
}

// SyncNow runs a round with HQ at once, audited with its outcome. Errors:
// Administer's; the round's (the link's sentence is also on LinkDetail).
func (b *Booth) SyncNow(ctx context.Context) error {
	o, a, err := b.admin()
	if err != nil {
		return err
	}
	serr := a.SyncNow(ctx)
	outcome := map[string]any{"ok": serr == nil}
	if serr != nil {
		outcome["error"] = ErrorMessage(serr)
	}
	if err := b.audit(ctx, o.ID, AuditSyncNow, b.BoothID, jsonDetail(outcome)); err != nil {
		return err
	}
	return serr
}

// BackUp copies the booth's store into folder while the booth keeps working,
// verifies the copy (it opens, its audit chain is whole) and audits where it
// went. Errors: Administer's; EINVALID without a folder; the copy's errors.
func (b *Booth) BackUp(ctx context.Context, folder string) (Backup, error) {
	o, a, err := b.admin()
	if err != nil {
		return Backup{}, err
	}
	folder = strings.TrimSpace(folder)
	if folder == "" {
		return Backup{}, Errork(EINVALID, "err.admin_backup_folder", "Give the folder to back up to, e.g. a USB drive's.")
	}
	bk, err := a.Backup(ctx, folder)
	if err != nil {
		return Backup{}, err
	}
	return bk, b.audit(ctx, o.ID, AuditBackup, bk.File, jsonDetail(map[string]any{"bytes": bk.Bytes, "audit_entries": bk.AuditEntries, "crossings": bk.Crossings}))
}

// VerifyAudit walks the booth's audit chain and audits the walk and its
// result (after it: the walk covers the chain as it was). Errors:
// Administer's; read failures (a broken chain is a result, not an error).
func (b *Booth) VerifyAudit(ctx context.Context) (AuditReport, error) {
	o, a, err := b.admin()
	if err != nil {
		return AuditReport{}, err
	}
	r, err := a.VerifyAudit(ctx)
	if err != nil {
		return AuditReport{}, err
	}
	return r, b.audit(ctx, o.ID, AuditVerified, b.BoothID, jsonDetail(map[string]any{"entries": r.Entries, "first_broken": r.FirstBroken, "missing": r.Missing}))
}

// CheckRead is the reader test: what the booth makes of one event from the
// reader (or camera), without recording an inspection or taking a photo. A
// document is parsed and checked as Present would; the read is audited
// (document code and validity, never the lines). Errors: Administer's.
func (b *Booth) CheckRead(ctx context.Context, ev ReaderEvent) (ReaderCheck, error) {
	o, _, err := b.admin()
	if err != nil {
		return ReaderCheck{}, err
	}
	c := ReaderCheck{At: ev.At, Kind: ev.Kind, Source: ev.Source, Lines: ev.Lines, Message: ev.Message}
	if c.At.IsZero() {
		c.At = b.now()
	}
	if ev.Kind != ReaderDocument { // the status bar follows the device as ever
		b.readerEvent(ev)
		return c, nil
	}
	switch ev.Source {
	case "", FromReader, FromCamera:
		b.readerEvent(ReaderEvent{Kind: ReaderConnected, At: ev.At, Source: ev.Source})
	}
	c.Lines = cleanLines(ev.Lines)
	d := b.MRZ.ParseMRZ(c.Lines, b.now())
	c.DocumentCode, c.Valid = d.DocumentCode, d.Valid
	for _, p := range d.Errors {
		c.Problems = append(c.Problems, p.Code)
	}
	for _, p := range d.Warnings {
		c.Problems = append(c.Problems, p.Code)
	}
	return c, b.audit(ctx, o.ID, AuditReaderTest, b.BoothID, jsonDetail(map[string]any{"lines": len(ev.Lines), "document_code": c.DocumentCode, "valid": c.Valid}))
}
