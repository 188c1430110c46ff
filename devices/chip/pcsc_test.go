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
)

var td3 = []string{
	"P<KGZABDYLDAEV<<ASKAR<<<<<<<<<<<<<<<<<<<<<<<",
	"AC12345674KGZ8506151M3106305<<<<<<<<<<<<<<00",
}

// The simulated chip in vpcd's reader, read through the real pcscd.
func TestReadThroughPCSCD(t *testing.T) {
	addr := chiptest.PCSCD(t)
	p := &chip.PCSC{Reader: "auto"}
	defer p.Close()
	key := chip.Key{Document: "AC1234567", Birth: "850615", Expiry: "310630"}

	// No card in the reader: an older passport.
	if chiptest.Inserted() {
		t.Log("a card holder is already in the reader: the empty reader is not tested again")
	} else if _, err := p.ReadPassport(context.Background(), key, chip.Options{}); !errors.Is(err, chip.ErrNoChip) {
		t.Fatalf("empty reader: %v, want ErrNoChip", err)
	}
	holder := chiptest.Insert(t, addr)
	for _, v := range []string{chipsim.Valid, chipsim.BACOnly, chipsim.PACEOnly} {
		t.Run(v, func(t *testing.T) {
			sim, err := chipsim.New(slices.Clone(td3), v, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			holder.Set(sim)
			d, err := waitRead(t, p, key, 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			lines, err := chip.ParseDG1(d.DG[1])
			if err != nil || !slices.Equal(lines, td3) {
				t.Fatalf("DG1 %q (%v)", lines, err)
			}
			t.Logf("%s: %s, %d bytes in %d commands, %v (%v on air at 424 kbit/s)", v, d.Access, d.Bytes, d.Commands, d.Took, d.AirTime(424000))
		})
	}
}

// waitRead retries while the chip is not yet seen, up to the budget.
func waitRead(t *testing.T, p *chip.PCSC, k chip.Key, budget time.Duration) (*chip.Dump, error) {
	t.Helper()
	deadline := time.Now().Add(budget)
	for {
		d, err := p.ReadPassport(context.Background(), k, chip.Options{})
		if err == nil || time.Now().After(deadline) {
			return d, err
		}
		if !errors.Is(err, chip.ErrNoChip) {
			t.Logf("waiting for the chip: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pcscd restarted between two passports (a reader unplugged and plugged back,
// the service restarted): the same PCSC finds the reader and the chip again.
func TestPCSCSurvivesRestart(t *testing.T) {
	chiptest.PCSCD(t)
	p := &chip.PCSC{Reader: "Virtual PCD"}
	defer p.Close()
	key := chip.Key{Document: "AC1234567", Birth: "850615", Expiry: "310630"}
	for round := range 2 {
		if round == 1 {
			chiptest.Restart(t)
		}
		holder := chiptest.Insert(t, chipsim.DefaultVPCD)
		sim, err := chipsim.New(slices.Clone(td3), chipsim.Valid, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		holder.Set(sim)
		if _, err := waitRead(t, p, key, 20*time.Second); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}
