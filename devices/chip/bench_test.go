package chip_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/chiptest"
	"github.com/chekara/chekara/devices/chip/pa"
)

// BenchmarkReadAndCheck is the booth's whole chip step — access, EF.COM, EF.SOD,
// DG1, DG2, passive authentication, DG1 against the page — with the simulated
// chip in process (crypto and parsing only) and through the real pcscd and vpcd.
// It reports the bytes on the air and their time at 424 kbit/s, the contactless
// rate the 3 s budget is set at.
func BenchmarkReadAndCheck(b *testing.B) {
	variants := []string{chipsim.Valid, chipsim.PACEOnly, chipsim.BACOnly}
	for _, v := range variants {
		b.Run("inprocess/"+v, func(b *testing.B) {
			sim, err := chipsim.New(slices.Clone(td3), v, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			benchRead(b, chip.CardReader{Card: sim}, sim)
		})
	}
	for _, v := range variants {
		b.Run("pcscd/"+v, func(b *testing.B) {
			addr := chiptest.PCSCD(b)
			holder := chiptest.Insert(b, addr)
			sim, err := chipsim.New(slices.Clone(td3), v, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			holder.Set(sim)
			p := &chip.PCSC{Reader: "auto"}
			defer p.Close()
			deadline := time.Now().Add(20 * time.Second)
			for { // until pcscd has seen the card
				_, err := p.ReadPassport(context.Background(), key(), chip.Options{})
				if err == nil {
					break
				}
				if !errors.Is(err, chip.ErrNoChip) || time.Now().After(deadline) {
					b.Fatal(err)
				}
				time.Sleep(100 * time.Millisecond)
			}
			benchRead(b, p, sim)
		})
	}
}

func key() chip.Key { return chip.Key{Document: "AC1234567", Birth: "850615", Expiry: "310630"} }

func benchRead(b *testing.B, r chip.Reader, sim *chipsim.Chip) {
	trust, err := pa.ParseTrust(sim.Authority.CSCAPEM())
	if err != nil {
		b.Fatal(err)
	}
	var in *chip.Inspection
	b.ResetTimer()
	for b.Loop() {
		in, err = chip.Inspect(context.Background(), r, td3, trust, time.Now(), chip.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !in.PA.OK() || !in.MatchesMRZ {
			b.Fatalf("%+v", in.PA)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/read")
	b.ReportMetric(float64(in.Dump.Bytes), "bytes/read")
	b.ReportMetric(float64(in.Dump.Commands), "apdus/read")
	b.ReportMetric(float64(in.Dump.AirTime(424000).Milliseconds()), "ms-air@424k")
}
