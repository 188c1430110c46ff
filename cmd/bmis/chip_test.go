package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/chiptest"
)

const chipMRZ = "P<KGZABDYLDAEV<<ASKAR<<<<<<<<<<<<<<<<<<<<<<<\nAC12345674KGZ8506151M3106305<<<<<<<<<<<<<<00\n"

type chipOutput struct {
	Access string `json:"access"`
	DG1    struct {
		Valid  bool `json:"valid"`
		Fields struct {
			Surname string `json:"surname"`
		} `json:"fields"`
	} `json:"dg1"`
	Face struct {
		Format        string
		Width, Height int
	} `json:"face"`
	PassiveAuth struct {
		SODSignature string            `json:"sod_signature"`
		DSChain      string            `json:"ds_chain"`
		DGHashes     map[string]string `json:"dg_hashes"`
	} `json:"passive_auth"`
	ChipMatchesMRZ bool   `json:"chip_matches_mrz"`
	ActiveAuth     string `json:"active_auth"`
	MS             *int64 `json:"ms"`
	Error          string `json:"error"`
}

// bmis chip-sim in vpcd's reader, read by bmis chip through the real pcscd, for
// each variant. Each variant gets a pcscd of its own: vpcd notices a new card
// after an old one left only unreliably.
func TestChipCommands(t *testing.T) {
	for _, c := range []struct {
		variant, access, sig, chain, dg1, aa string
	}{
		{chipsim.Valid, "pace", "valid", "valid", "match", "valid"},
		{chipsim.BACOnly, "bac", "valid", "valid", "match", "not_offered"},
		{chipsim.PACEOnly, "pace", "valid", "valid", "match", "valid"},
		{chipsim.TamperedDG1, "pace", "valid", "valid", "mismatch", "valid"},
		{chipsim.WrongSigner, "pace", "invalid", "valid", "match", "valid"},
		{chipsim.ExpiredDS, "pace", "valid", "expired", "match", "valid"},
		{chipsim.UnknownCSCA, "pace", "valid", "unknown_csca", "match", "valid"},
		{chipsim.Clone, "pace", "valid", "valid", "match", "failed"},
	} {
		t.Run(c.variant, func(t *testing.T) {
			addr := chiptest.PCSCD(t)
			csca := filepath.Join(t.TempDir(), "csca.pem")
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int)
			var simErr bytes.Buffer
			go func() {
				done <- run(ctx, []string{"chip-sim", "--vpcd", addr, "--variant", c.variant, "--csca-out", csca}, strings.NewReader(chipMRZ), &bytes.Buffer{}, &simErr)
			}()
			t.Cleanup(func() {
				cancel()
				if code := <-done; code != 0 {
					t.Errorf("chip-sim exited %d: %s", code, simErr.String())
				}
			})
			var out chipOutput
			deadline := time.Now().Add(20 * time.Second)
			for {
				var stdout, stderr bytes.Buffer
				if _, err := os.Stat(csca); err == nil {
					code := run(context.Background(), []string{"chip", "--reader", "auto", "--masterlist", csca}, strings.NewReader(chipMRZ), &stdout, &stderr)
					out = chipOutput{}
					if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
						t.Fatalf("output %q: %v (%s)", stdout.String(), err, stderr.String())
					}
					if code == 0 || !strings.Contains(out.Error, "no chip") || time.Now().After(deadline) {
						if code != 0 {
							t.Fatalf("bmis chip exited %d: %s", code, stdout.String())
						}
						break
					}
				}
				time.Sleep(100 * time.Millisecond)
			}
			if out.Access != c.access || out.PassiveAuth.SODSignature != c.sig || out.PassiveAuth.DSChain != c.chain ||
				out.PassiveAuth.DGHashes["DG1"] != c.dg1 || out.PassiveAuth.DGHashes["DG2"] != "match" || out.ActiveAuth != c.aa {
				t.Errorf("got %+v", out)
			}
			if !out.ChipMatchesMRZ || !out.DG1.Valid || out.DG1.Fields.Surname != "ABDYLDAEV" || out.MS == nil {
				t.Errorf("DG1 %+v, matches %v", out.DG1, out.ChipMatchesMRZ)
			}
			if out.Face.Format != "jpeg" || out.Face.Width != 240 || out.Face.Height != 320 {
				t.Errorf("face %+v", out.Face)
			}
		})
	}
}

// Bad input is a JSON error and status 1, never a crash.
func TestChipBadInput(t *testing.T) {
	pem := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(pem, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
	for name, c := range map[string]struct {
		args  []string
		stdin string
	}{
		"no MRZ":         {[]string{"chip"}, ""},
		"garbage MRZ":    {[]string{"chip"}, "hello\nworld\n"},
		"long line":      {[]string{"chip"}, strings.Repeat("A", 5000)},
		"no masterlist":  {[]string{"chip", "--masterlist", "/nonexistent"}, chipMRZ},
		"bad masterlist": {[]string{"chip", "--masterlist", pem}, chipMRZ},
		"no such reader": {[]string{"chip", "--reader", "no such reader here"}, chipMRZ},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			var out chipOutput
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || out.Error == "" || code != 1 {
				t.Errorf("exit %d, output %q (%v)", code, stdout.String(), err)
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"chip-sim", "--variant", "shiny"}, strings.NewReader(chipMRZ), &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("chip-sim with an unknown variant exited %d", code)
	}
}
