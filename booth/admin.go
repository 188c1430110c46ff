package booth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync"
)

// DevicesFile is the booth's device configuration in its data folder: the
// reader and camera its post-admin set on the administration screen.
const DevicesFile = "devices.json"

// Admin is the booth's administration (app.Administration) over its data
// folder, store and HQ link. The core checks the role and audits; Admin does
// the work.
type Admin struct {
	b       *Booth
	dataDir string

	mu      gosync.Mutex
	apply   func(app.DeviceSettings)
	started app.DeviceSettings // what the booth started with, until settings are saved
}

// SetStarted tells the administration which devices the booth started with
// (its command line), which the screen shows until the post-admin saves
// settings of their own.
func (a *Admin) SetStarted(d app.DeviceSettings) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.started = d
}

// DevicesSaved reports whether the post-admin has saved device settings in
// dataDir: from then on they are the booth's, whatever its command line says.
func DevicesSaved(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, DevicesFile))
	return err == nil
}

var _ app.Administration = (*Admin)(nil)

// OnDevices sets f to be called with the settings each time they are saved,
// so the window's owner applies them (the GUI restarts its reader).
func (a *Admin) OnDevices(f func(app.DeviceSettings)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.apply = f
}

// LoadDevices reads the device settings saved in dataDir; zero settings when
// none were saved. Errors: EINVALID for a damaged file.
func LoadDevices(dataDir string) (app.DeviceSettings, error) {
	var d app.DeviceSettings
	data, err := os.ReadFile(filepath.Join(dataDir, DevicesFile))
	if errors.Is(err, os.ErrNotExist) {
		return d, nil
	} else if err != nil {
		return d, fmt.Errorf("read device settings: %w", err)
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return d, app.Errorf(app.EINVALID, "The device settings %s are damaged (%v); save them again on the administration screen.", filepath.Join(dataDir, DevicesFile), err)
	}
	return d, nil
}

// Devices implements app.Administration: the saved settings, or the devices
// the booth started with when none were saved.
func (a *Admin) Devices(context.Context) (app.DeviceSettings, error) {
	if !DevicesSaved(a.dataDir) {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.started, nil
	}
	return LoadDevices(a.dataDir)
}

// CheckDevices says whether d can work: the reader's protocol and serial
// settings (the port may be unplugged now: the reader test shows it), and a
// camera that exists. Errors: EINVALID with the setting named.
func CheckDevices(d app.DeviceSettings) error {
	if d.ReaderPort != "" {
		s := reader.Settings{Protocol: d.ReaderProtocol, Port: d.ReaderPort, Baud: d.ReaderBaud}
		if _, err := s.Config(); err != nil {
			return app.Errork(app.EINVALID, "err.admin_reader_settings", "These reader settings cannot work: %s.",
				strings.TrimPrefix(app.ErrorMessage(err), "reader: "))
		}
	} else if d.ReaderProtocol != "" || d.ReaderBaud != 0 {
		return app.Errork(app.EINVALID, "err.admin_reader_port", "Give the reader's serial port, or clear the protocol and baud for a booth without a reader.")
	}
	if d.Camera != "" {
		if _, err := os.Stat(d.Camera); err != nil {
			return app.Errork(app.EINVALID, "err.admin_camera", "There is no camera or picture folder %s.", d.Camera)
		}
	}
	return nil
}

// SaveDevices implements app.Administration: checks d, writes it (atomically,
// 0600) and hands it to OnDevices' function.
func (a *Admin) SaveDevices(_ context.Context, d app.DeviceSettings) error {
	if err := CheckDevices(d); err != nil {
		return err
	}
	data, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return err
	}
	if err := sync.WriteFileAtomic(filepath.Join(a.dataDir, DevicesFile), append(data, '\n')); err != nil {
		return fmt.Errorf("save device settings: %w", err)
	}
	a.mu.Lock()
	f := a.apply
	a.mu.Unlock()
	if f != nil {
		f(d)
	}
	return nil
}

// SyncNow implements app.Administration: one whole round with HQ.
func (a *Admin) SyncNow(ctx context.Context) error {
	if a.b.Link == nil {
		return app.Errork(app.EINVALID, "err.admin_not_enrolled", "This booth is not enrolled with HQ: there is nothing to sync.")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return a.b.Link.SyncNow(ctx)
}

// OldestPending implements app.Administration.
func (a *Admin) OldestPending(ctx context.Context) (time.Time, error) {
	return a.b.Store.OldestPending(ctx)
}

// VerifyAudit implements app.Administration: the store's whole check.
func (a *Admin) VerifyAudit(ctx context.Context) (app.AuditReport, error) {
	return auditReport(a.b.Store.CheckAudit(ctx))
}

func auditReport(c store.AuditCheck, err error) (app.AuditReport, error) {
	r := app.AuditReport{Entries: c.Entries, FirstBroken: c.FirstBroken, Reason: c.Reason, Missing: len(c.Missing)}
	if len(c.MissingTriggers) > 0 {
		r.Reason = strings.TrimSpace(r.Reason + " append-only guards removed: " + strings.Join(c.MissingTriggers, ", "))
	}
	return r, err
}

// Backup implements app.Administration: the store copied into folder as
// chekara-BOOTH-YYYYMMDD-HHMMSS.db while the booth works (store.Backup), then
// verified — the copy opens read-only, its audit chain walks whole, and it
// holds the booth's chain as it stood when the copy began (same entry, same
// hash). A copy that fails the check is removed.
func (a *Admin) Backup(ctx context.Context, folder string) (app.Backup, error) {
	st, err := os.Stat(folder)
	if err != nil || !st.IsDir() {
		return app.Backup{}, app.Errork(app.EINVALID, "err.admin_backup_no_folder", "There is no folder %s: plug the drive in, or give another folder.", folder)
	}
	booth := a.b.Bundle.BoothID
	if booth == "" && a.b.App != nil {
		booth = a.b.App.BoothID
	}
	if booth == "" {
		booth = "booth"
	}
	now := time.Now()
	if a.b.App != nil && a.b.App.Clock != nil {
		now = a.b.App.Clock.Now()
	}
	file := filepath.Join(folder, fmt.Sprintf("chekara-%s-%s.db", booth, now.UTC().Format("20060102-150405")))
	head, _, err := a.b.Store.AuditHead(ctx)
	if err != nil {
		return app.Backup{}, err
	}
	if err := a.b.Store.Backup(ctx, file); err != nil {
		return app.Backup{}, err
	}
	bk, err := verifyBackup(ctx, file, head.Seq, head.Hash[:])
	if err != nil {
		os.Remove(file)
		return app.Backup{}, err
	}
	return bk, nil
}

// verifyBackup checks a copy: it opens read-only, every page reads
// (quick_check), its audit chain is whole and holds entry seq with hash.
func verifyBackup(ctx context.Context, file string, seq int64, hash []byte) (app.Backup, error) {
	bad := func(why string) error {
		return app.Errork(app.EUNAVAILABLE, "err.admin_backup_bad", "The backup %s failed its check (%s) and was removed; try again or use another drive.", file, why)
	}
	st, err := os.Stat(file)
	if err != nil {
		return app.Backup{}, bad(err.Error())
	}
	s, err := store.Open(file, store.Options{ReadOnly: true})
	if err != nil {
		return app.Backup{}, bad(err.Error())
	}
	defer s.Close()
	entries, last, err := s.CheckBackup(ctx)
	if err != nil {
		return app.Backup{}, bad(app.ErrorMessage(err))
	}
	if seq > 0 {
		if last.Seq < seq {
			return app.Backup{}, bad(fmt.Sprintf("the audit chain ends at entry %d, before the booth's %d", last.Seq, seq))
		}
		es, err := s.AuditEntries(ctx, seq-1, 1)
		if err != nil || len(es) != 1 || !bytes.Equal(es[0].Hash, hash) {
			return app.Backup{}, bad(fmt.Sprintf("the audit chain does not reach entry %d as the booth holds it", seq))
		}
	}
	n, err := s.LastSeq(ctx)
	if err != nil {
		return app.Backup{}, bad(err.Error())
	}
	return app.Backup{File: file, Bytes: st.Size(), AuditEntries: entries, Crossings: n}, nil
}
