package synth_test

import (
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store/synth"
)

func TestStreamIsDeterministicOrderedAndRealistic(t *testing.T) {
	const n = 20000
	a := synth.New(synth.Config{Seed: 9, Crossings: n})
	b := synth.New(synth.Config{Seed: 9, Crossings: n})
	var prev app.Crossing
	nats := map[string]int{}
	docsOf := map[app.TravellerKey]map[string]bool{}
	var refused, entries, exits, count int
	for {
		c, ok := a.Next()
		d, _ := b.Next()
		if !ok {
			break
		}
		count++
		if !c.BoothTime.Equal(d.BoothTime) || c.Document != d.Document || c.Decision != d.Decision {
			t.Fatalf("crossing %d differs between two streams with the same seed", count)
		}
		if count > 1 && c.BoothTime.Before(prev.BoothTime) {
			t.Fatalf("crossing %d at %v is before %v", count, c.BoothTime, prev.BoothTime)
		}
		if c.Decision == app.Refuse && c.RefusalReason == "" {
			t.Fatalf("refusal without a reason: %+v", c)
		}
		if h := c.BoothTime.Hour(); h < 6 || h >= 22 {
			t.Fatalf("crossing at %v, outside booth hours", c.BoothTime)
		}
		nats[c.Traveller.Nationality]++
		if docsOf[c.Traveller] == nil {
			docsOf[c.Traveller] = map[string]bool{}
		}
		docsOf[c.Traveller][c.Document.Number] = true
		switch {
		case c.Decision == app.Refuse:
			refused++
		case c.Direction == app.Entry:
			entries++
		default:
			exits++
		}
		prev = c
	}
	if count != n {
		t.Fatalf("%d crossings, want %d", count, n)
	}
	renewed := 0
	for _, docs := range docsOf {
		if len(docs) > 1 {
			renewed++
		}
	}
	if len(nats) < 8 || nats["KGZ"] < nats["USA"] || refused == 0 || renewed == 0 || entries < exits/2 || exits < entries/2 {
		t.Fatalf("nationalities %v, refused %d, renewed passports %d, entries %d, exits %d", nats, refused, renewed, entries, exits)
	}
}
