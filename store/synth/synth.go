// Package synth makes a synthetic but realistic stream of crossings at one
// Kyrgyz road crossing: a population with the nationality mix of such a post,
// travellers who enter and leave again (most within their stay, a few
// overstaying), some refusals and referrals, and passports renewed mid-history so
// the person key matters. It is deterministic for a given seed, and yields the
// crossings in booth-time order, as a booth would have recorded them.
//
// It feeds `bmis seed`, the store's benchmarks and the demo. It does no I/O.
package synth

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/chekara/chekara/app"
)

// Config shapes the stream. Zero fields take the defaults shown.
type Config struct {
	Seed      uint64    // same seed, same stream
	Crossings int       // how many crossings Next will yield in total (used to size the population)
	End       time.Time // the stream ends around here; default 2026-11-01 00:00 +06:00
	Years     int       // the stream spans this many years before End; default 3
	Post      string    // default "DOSTUK"
	Booth     string    // default "DOSTUK-07"
}

// nationality is one share of the population.
type nationality struct {
	code     string
	weight   int
	stayDays int // a typical stay's mean length
	surnames []string
	given    []string
	docPrefx string
}

// The mix at a southern road crossing (Dostuk, to Uzbekistan) and its
// neighbours, by rough weight. Illustrative, not statistics.
var mix = []nationality{
	{"KGZ", 40, 12, []string{"ASANOV", "TOKTOGULOV", "JUMABAEV", "SADYKOV", "ABDYLDAEV", "MAMATOV", "OSMONOV", "ISMAILOVA", "KADYROVA", "SATYBALDIEV"}, []string{"AIBEK", "NURLAN", "AZAMAT", "BAKYT", "AIGUL", "CHOLPON", "ERMEK", "GULNARA", "TALANT", "ZHYLDYZ"}, "AC"},
	{"UZB", 25, 8, []string{"KARIMOV", "YUSUPOV", "RAKHIMOV", "TURSUNOV", "NAZAROV", "ERGASHEVA", "ABDULLAEV", "MIRZAEV", "KHOLMATOV", "SOBIROVA"}, []string{"JAVOHIR", "SHERZOD", "DILNOZA", "ULUGBEK", "NODIRA", "BEKZOD", "MALIKA", "SARDOR", "FERUZA", "OTABEK"}, "FA"},
	{"KAZ", 10, 10, []string{"NURPEISOV", "AKHMETOV", "SEITKALI", "BEKOVA", "ZHAKUPOV", "ORAZBAEV", "TOKAEVA", "SULEIMENOV"}, []string{"DAULET", "ASEL", "YERLAN", "MADINA", "ARMAN", "DANA", "NURSULTAN", "AIDANA"}, "N"},
	{"RUS", 8, 20, []string{"IVANOV", "SMIRNOVA", "KUZNETSOV", "POPOVA", "VASILEV", "PETROVA", "SOKOLOV", "MIKHAILOVA"}, []string{"ALEXANDER", "ELENA", "DMITRY", "OLGA", "SERGEY", "TATIANA", "ANDREY", "NATALIA"}, "75"},
	{"TJK", 7, 9, []string{"RAHIMOV", "SAIDOV", "NAZAROVA", "KURBONOV", "SHARIPOV", "DAVLATOVA"}, []string{"FIRDAVS", "MANIZHA", "RUSTAM", "ZARINA", "DILSHOD", "PARVINA"}, "4"},
	{"CHN", 4, 25, []string{"WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "ZHAO", "HUANG"}, []string{"WEI", "FANG", "JING", "LEI", "MIN", "JUN", "XIU YING", "HAO"}, "E"},
	{"TUR", 3, 20, []string{"YILMAZ", "KAYA", "DEMIR", "CELIK", "SAHIN", "YILDIZ"}, []string{"MEHMET", "AYSE", "MUSTAFA", "FATMA", "AHMET", "EMINE"}, "U"},
	{"D", 1, 14, []string{"MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER"}, []string{"LUKAS", "ANNA", "JONAS", "LEA", "FELIX", "MARIE"}, "C"},
	{"USA", 1, 14, []string{"SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER"}, []string{"JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER"}, "A"},
	{"IND", 1, 30, []string{"SHARMA", "PATEL", "SINGH", "KUMAR", "GUPTA", "REDDY"}, []string{"RAHUL", "PRIYA", "ARJUN", "ANANYA", "VIKRAM", "DIVYA"}, "Z"},
}

// person is one synthetic traveller and where their travels stand.
type person struct {
	idx      int
	nat      *nationality
	key      app.TravellerKey
	sex      string
	docs     int // passports issued so far; the number changes with each
	inside   bool
	next     time.Time // booth time of this person's next crossing
	overstay bool      // this stay will run long
	heapIdx  int
}

type queue []*person

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].next.Before(q[j].next) }
func (q queue) Swap(i, j int)      { q[i], q[j] = q[j], q[i]; q[i].heapIdx = i; q[j].heapIdx = j }
func (q *queue) Push(x any)        { p := x.(*person); p.heapIdx = len(*q); *q = append(*q, p) }
func (q *queue) Pop() any          { old := *q; p := old[len(old)-1]; *q = old[:len(old)-1]; return p }

// Stream yields synthetic crossings in booth-time order.
type Stream struct {
	cfg     Config
	rng     *rand.Rand
	q       queue
	cycle   float64 // mean days between one person's trips
	total   int
	emitted int
	zone    *time.Location
	weights int
}

// New returns a stream for cfg.
func New(cfg Config) *Stream {
	zone := time.FixedZone("KGT", 6*3600)
	if cfg.End.IsZero() {
		cfg.End = time.Date(2026, 11, 1, 0, 0, 0, 0, zone)
	}
	if cfg.Years <= 0 {
		cfg.Years = 3
	}
	if cfg.Post == "" {
		cfg.Post = "DOSTUK"
	}
	if cfg.Booth == "" {
		cfg.Booth = "DOSTUK-07"
	}
	if cfg.Crossings <= 0 {
		cfg.Crossings = 1000
	}
	s := &Stream{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), total: cfg.Crossings, zone: zone}
	for _, n := range mix {
		s.weights += n.weight
	}
	// About 16 crossings a person over the span: frequent traders and one-off
	// visitors average out to that at a land border.
	persons := max(10, cfg.Crossings/16)
	spanDays := float64(cfg.Years * 365)
	s.cycle = spanDays * 2 * float64(persons) / float64(cfg.Crossings)
	start := cfg.End.AddDate(-cfg.Years, 0, 0)
	s.q = make(queue, 0, persons)
	for i := range persons {
		p := s.newPerson(i)
		// Everyone's first crossing falls somewhere in the first cycle.
		p.next = s.atDaytime(start.Add(time.Duration(s.rng.Float64() * s.cycle * float64(24*time.Hour))))
		// Some were already in the country when the booth's records begin: their
		// first crossing is an exit without an entry.
		p.inside = s.rng.IntN(10) < 3
		heap.Push(&s.q, p)
	}
	return s
}

func (s *Stream) newPerson(i int) *person {
	w := s.rng.IntN(s.weights)
	var nat *nationality
	for k := range mix {
		if w < mix[k].weight {
			nat = &mix[k]
			break
		}
		w -= mix[k].weight
	}
	birth := time.Date(1950+s.rng.IntN(55), time.Month(1+s.rng.IntN(12)), 1+s.rng.IntN(28), 0, 0, 0, 0, time.UTC)
	sex := "M"
	given := nat.given[s.rng.IntN(len(nat.given))]
	if s.rng.IntN(2) == 0 {
		sex = "F"
	}
	return &person{
		idx: i,
		nat: nat,
		sex: sex,
		key: app.TravellerKey{
			Surname:     nat.surnames[s.rng.IntN(len(nat.surnames))],
			GivenNames:  given,
			BirthDate:   birth.Format("2006-01-02"),
			Nationality: nat.code,
		},
		docs: 1,
	}
}

// atDaytime moves t to a booth working hour (06:00–22:00 local) on its day.
func (s *Stream) atDaytime(t time.Time) time.Time {
	t = t.In(s.zone)
	d := time.Date(t.Year(), t.Month(), t.Day(), 6, 0, 0, 0, s.zone)
	return d.Add(time.Duration(s.rng.IntN(16*3600)) * time.Second)
}

// document returns the person's current document key: the number changes with
// each renewal, as a new passport's does.
func (p *person) document() app.DocumentKey {
	return app.DocumentKey{IssuingState: p.nat.code, Number: fmt.Sprintf("%s%07d", p.nat.docPrefx, (p.idx*7919+p.docs*104729)%10_000_000)}
}

// Traveller returns the keys of the i-th person of the population (as a test or
// benchmark wants to look someone up); ok is false past the population.
func (s *Stream) Traveller(i int) (app.DocumentKey, app.TravellerKey, bool) {
	for _, p := range s.q {
		if p.idx == i {
			return p.document(), p.key, true
		}
	}
	return app.DocumentKey{}, app.TravellerKey{}, false
}

// Next returns the next crossing, and false when the stream has yielded
// Config.Crossings. IDs are left empty: the store gives ordered UUIDv7s.
func (s *Stream) Next() (app.Crossing, bool) {
	if s.emitted >= s.total || len(s.q) == 0 {
		return app.Crossing{}, false
	}
	s.emitted++
	p := s.q[0]
	c := app.Crossing{
		OfficerID:    fmt.Sprintf("%04d", 1001+s.rng.IntN(33)),
		Post:         s.cfg.Post,
		Booth:        s.cfg.Booth,
		Decision:     app.Admit,
		DocumentCode: "P",
		Traveller:    p.key,
		Sex:          p.sex,
		BoothTime:    p.next,
	}
	if !p.inside {
		// Entering: now and then on a renewed passport; a few are refused or
		// referred.
		if s.rng.IntN(25) == 0 {
			p.docs++
		}
		c.Direction = app.Entry
		c.Document = p.document()
		switch r := s.rng.IntN(1000); {
		case r < 12:
			c.Decision = app.Refuse
			c.RefusalReason = []string{"A", "C", "E", "F", "H"}[s.rng.IntN(5)]
		case r < 20:
			c.Decision = app.Refer
			c.ReferralNote = "document check"
			c.ReferralOutcome = app.ReferralAdmitted
			if s.rng.IntN(4) == 0 {
				c.ReferralOutcome = app.ReferralRefused
			}
		}
		if s.rng.IntN(50) == 0 {
			c.Hits = []app.HitResolution{{ListID: fmt.Sprintf("L%06d", s.rng.IntN(1_000_000)), Kind: "person", Category: "deny_entry", Score: 0.72, Note: "different birth date"}}
		}
		admitted := c.Decision == app.Admit || c.ReferralOutcome == app.ReferralAdmitted
		if admitted {
			p.inside = true
			p.overstay = s.rng.IntN(40) == 0
			stay := 1 + s.rng.ExpFloat64()*float64(p.nat.stayDays)
			if p.overstay {
				stay = 65 + s.rng.Float64()*60
			}
			p.next = s.atDaytime(p.next.Add(time.Duration(stay * float64(24*time.Hour))))
		} else {
			p.next = s.atDaytime(p.next.Add(time.Duration((1 + s.rng.Float64()*10) * float64(24*time.Hour))))
		}
	} else {
		c.Direction = app.Exit
		c.Document = p.document()
		p.inside = false
		gap := s.cycle * (0.2 + 1.6*s.rng.Float64())
		p.next = s.atDaytime(p.next.Add(time.Duration(gap * float64(24*time.Hour))))
	}
	c.Expiry = c.BoothTime.AddDate(3+s.rng.IntN(6), 0, 0).Format("2006-01-02")
	heap.Fix(&s.q, 0)
	return c, true
}
