package booth

import (
	"fmt"
	"os"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/pa"
)

// OpenChip prepares a chip reader: PC/SC reader (a name, part of one, or
// "auto") and the CSCA certificates in masterList (a CMS master list or PEM
// certificates; "" trusts none until HQ sends a master list, so no chip passes
// passive authentication). Errors name the file at fault.
func OpenChip(reader, masterList string) (*chip.BoothReader, error) {
	var trust *pa.Trust
	if masterList != "" {
		b, err := readMasterList(masterList)
		if err != nil {
			return nil, err
		}
		if trust, err = pa.ParseTrust(b); err != nil {
			return nil, app.Errorf(app.EINVALID, "The master list %s holds no usable CSCA certificate: %v.", masterList, err)
		}
	}
	return chip.NewBoothReader(&chip.PCSC{Reader: reader}, trust), nil
}

func readMasterList(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "The master list %s cannot be read: %v.", path, err)
	}
	return b, nil
}

// chipReader opens cfg's chip reader, if any, trusting the configured master
// list and HQ's latest one.
func (b *Booth) chipReader(cfg Config) (app.ChipReader, error) {
	if cfg.Chip != nil {
		return cfg.Chip, nil
	}
	if cfg.ChipReader == "" {
		return nil, nil
	}
	r, err := OpenChip(cfg.ChipReader, cfg.MasterList)
	if err != nil {
		return nil, fmt.Errorf("chip reader: %w", err)
	}
	b.chipMu.Lock()
	defer b.chipMu.Unlock()
	if cfg.MasterList != "" {
		if b.local, err = readMasterList(cfg.MasterList); err != nil {
			return nil, err
		}
	}
	b.chip = r
	if b.hqMaster != nil {
		b.chip.SetTrust(b.trustLocked())
	}
	return r, nil
}

// setHQMasterList takes HQ's master list: kept for a chip reader opened later,
// applied at once to the one open.
func (b *Booth) setHQMasterList(data []byte) error {
	if _, err := pa.ParseTrust(data); err != nil {
		return err
	}
	b.chipMu.Lock()
	defer b.chipMu.Unlock()
	b.hqMaster = data
	if b.chip != nil {
		b.chip.SetTrust(b.trustLocked())
	}
	return nil
}

// trustLocked is HQ's CSCAs and the configured ones together.
func (b *Booth) trustLocked() *pa.Trust {
	t := &pa.Trust{}
	for _, data := range [][]byte{b.hqMaster, b.local} {
		if data != nil {
			t.Add(data) // each was checked when it came
		}
	}
	return t
}

// ChipTrust returns how many CSCA certificates the chip reader trusts now, for
// the status line and the tests; 0 without a chip reader.
func (b *Booth) ChipTrust() int {
	b.chipMu.Lock()
	defer b.chipMu.Unlock()
	if b.chip == nil {
		return 0
	}
	return b.chip.TrustCount()
}
