package mrz_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

// TestRepairQuality measures the repair search on documents with one or two
// OCR confusions (policy 12's pairs) at random places: how often it offers the
// original document, offers nothing, or offers something else that changes a
// character away from the original (harmful). A confusion the check digits
// cannot see (G/6 in a document number, 1/I in visa optional data) may remain in
// a suggestion; that is not counted as harmful, since no repair touched it.
func TestRepairQuality(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	swap := map[byte]byte{'O': '0', '0': 'O', 'I': '1', '1': 'I', 'B': '8', '8': 'B', 'S': '5', '5': 'S',
		'Z': '2', '2': 'Z', 'G': '6', '6': 'G'}
	formats := []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3, mrz.MRVA, mrz.MRVB, mrz.FrenchID}
	n := 3000
	if testing.Short() {
		n = 600
	}
	var invalid, right, none, harmful int
	for i := range n {
		format := formats[i%len(formats)]
		lines := compose(t, format, randomFields(rng, format))
		bad := slices.Clone(lines)
		for want, done, tries := 1+rng.IntN(2), 0, 0; done < want && tries < 100; tries++ {
			l := rng.IntN(len(bad))
			c := rng.IntN(len(bad[l]))
			if to, ok := swap[bad[l][c]]; ok {
				bad[l] = bad[l][:c] + string(to) + bad[l][c+1:]
				done++
			}
		}
		r := mrz.Parse(bad, today)
		if r.Valid {
			continue
		}
		invalid++
		if len(r.Suggestions) == 0 {
			none++
			continue
		}
		s := r.Suggestions[0]
		if slices.Equal(s.Lines, lines) {
			right++
			continue
		}
		for _, c := range s.Changes {
			if lines[c.Line-1][c.Column-1:c.Column] != c.To {
				harmful++
				t.Logf("harmful: %q → %q (original %q)", bad, s.Lines, lines)
				break
			}
		}
	}
	t.Logf("%d invalid readings: %d repaired to the original, %d without suggestion, %d harmful", invalid, right, none, harmful)
	if harmful*1000 > invalid*2 {
		t.Errorf("%d harmful suggestions in %d, want at most 0.2%%", harmful, invalid)
	}
	if right*100 < invalid*75 {
		t.Errorf("%d of %d repaired, want at least 75%%", right, invalid)
	}
}
