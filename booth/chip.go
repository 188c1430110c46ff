package booth

import (
	"fmt"
	"os"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/pa"
)

// OpenChip prepares the booth's chip reader: PC/SC reader (a name, part of one,
// or "auto") and the CSCA certificates in masterList (a CMS master list or PEM
// certificates; "" trusts none, so no chip can pass passive authentication).
// Errors name the file at fault.
func OpenChip(reader, masterList string) (*chip.BoothReader, error) {
	var trust *pa.Trust
	if masterList != "" {
		b, err := os.ReadFile(masterList)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "The master list %s cannot be read: %v.", masterList, err)
		}
		if trust, err = pa.ParseTrust(b); err != nil {
			return nil, app.Errorf(app.EINVALID, "The master list %s holds no usable CSCA certificate: %v.", masterList, err)
		}
	}
	return chip.NewBoothReader(&chip.PCSC{Reader: reader}, trust), nil
}

// chipReader opens cfg's chip reader, if any.
func chipReader(cfg Config) (app.ChipReader, error) {
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
	return r, nil
}
