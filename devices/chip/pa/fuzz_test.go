package pa_test

import (
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
)

func FuzzCheck(f *testing.F) {
	c := sim(f, chipsim.Valid)
	sod, groups := c.Groups()
	trust, _ := pa.ParseTrust(c.Authority.CSCAPEM())
	f.Add(sod, groups[1])
	f.Add(sod[:100], groups[1])
	now := time.Now()
	f.Fuzz(func(t *testing.T, sod, dg1 []byte) {
		r := pa.Check(sod, map[int][]byte{1: dg1}, trust, now)
		if r.OK() && r.DGHashes["DG1"] != pa.Match {
			t.Fatal("OK without a matching DG1")
		}
	})
}

func FuzzParseTrust(f *testing.F) {
	c := sim(f, chipsim.Valid)
	ml, _ := c.Authority.MasterList(c.Authority.CSCA)
	f.Add(ml)
	f.Add(c.Authority.CSCAPEM())
	f.Add(c.Authority.CSCA.Raw)
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := pa.ParseTrust(b)
		if err == nil && len(tr.CSCAs) == 0 {
			t.Fatal("a trust set without CSCAs")
		}
	})
}

// DG14, DG15 and the chip's answer come from the chip: never a panic, and
// garbage never passes.
func FuzzActiveAuth(f *testing.F) {
	c := sim(f, chipsim.Valid)
	_, groups := c.Groups()
	f.Add(groups[14], groups[15], []byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 64))
	f.Fuzz(func(t *testing.T, dg14, dg15, challenge, answer []byte) {
		if got, _ := pa.ActiveAuth(dg14, dg15, challenge, answer); got == pa.AAValid && len(answer) == 64 && allZero(answer) {
			t.Fatal("a zero signature passed")
		}
	})
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
