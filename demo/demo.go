// Package demo is the demo's data and parts: the scripted queue of
// travellers, the demo officers, a seeded store, a simulated reader on a pty
// pair and an HQ on loopback. The booth binary uses it with --demo; the tests
// use it to work the queue in-process. It holds no Fyne and no automation.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/booth"
	docsynth "github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/store/synth"
)

// DemoTraveller is one traveller of the demo's scripted queue (assets/demo/queue.json).
type DemoTraveller struct {
	Name      string         `json:"name"`
	Explain   string         `json:"explain"`
	Direction app.Direction  `json:"direction"`
	Lines     []string       `json:"lines"`
	History   []DemoCrossing `json:"history,omitempty"`
	Verdict   string         `json:"verdict"`           // the verdict key shown on arrival (app.VerdictClear, …), checked by the demo test
	Resolve   string         `json:"resolve,omitempty"` // "confirm" or "false": what the demo test does with the hits
	Note      string         `json:"note,omitempty"`
	Decision  app.Decision   `json:"decision"`
	Reason    string         `json:"reason,omitempty"`
	// Via "camera": the document is shown to the desk camera instead of the
	// reader — a rendered page, read by OCR.
	Via string `json:"via,omitempty"`
}

// DemoCrossing is an earlier crossing the demo seeds for a scripted traveller.
type DemoCrossing struct {
	DaysAgo   int           `json:"days_ago"`
	Direction app.Direction `json:"direction"`
}

// DemoQueue reads the shipped scripted queue.
func DemoQueue() ([]DemoTraveller, error) {
	data, err := assets.FS.ReadFile("demo/queue.json")
	if err != nil {
		return nil, err
	}
	var q struct {
		Travellers []DemoTraveller `json:"travellers"`
	}
	if err := json.Unmarshal(data, &q); err != nil {
		return nil, fmt.Errorf("demo queue: %w", err)
	}
	return q.Travellers, nil
}

// DemoOfficer is a sign-in the demo creates and prints.
type DemoOfficer struct {
	app.Officer
	Password string
}

// DemoOfficers are the demo's officers: one per language, a trainee, a
// supervisor and the post's administrator (Alt+P: the booth's administration).
var DemoOfficers = []DemoOfficer{
	{app.Officer{ID: "K1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Language: "en"}, "demo-1001"},
	{app.Officer{ID: "K1002", Name: "Гульнара Садыкова", Role: app.RoleOfficer, Language: "ru"}, "demo-1002"},
	{app.Officer{ID: "K1003", Name: "Эрмек Токтогулов", Role: app.RoleOfficer, Language: "ky"}, "demo-1003"},
	{app.Officer{ID: "T2001", Name: "Trainee Talant", Role: app.RoleTrainee, Language: "en"}, "demo-2001"},
	{app.Officer{ID: "S3001", Name: "Supervisor Cholpon", Role: app.RoleSupervisor, Language: "ru"}, "demo-3001"},
	{app.Officer{ID: "P4001", Name: "Post-admin Nurlan", Role: app.RolePostAdmin, Language: "en"}, "demo-4001"},
}

// SeedDemo fills a new booth store for the demo: the officers, a synthetic
// population of earlier crossings through the store's own seeding path, and the
// scripted travellers' earlier crossings, dated back from now.
func SeedDemo(ctx context.Context, b *booth.Booth, queue []DemoTraveller, population int, now time.Time) error {
	for _, o := range DemoOfficers {
		if err := b.Store.SaveOfficer(ctx, o.Officer, o.Password); err != nil {
			return fmt.Errorf("demo officer %s: %w", o.ID, err)
		}
	}
	if population > 0 {
		stream := synth.New(synth.Config{Seed: 7, Crossings: population, End: now.AddDate(0, 0, -1), Post: b.App.Post, Booth: b.App.BoothID})
		// The stream ends only around End: cut it at now, so no seeded
		// crossing lies in the demo's future (every decision would be
		// flagged as a clock jump).
		next := func() (app.Crossing, bool) {
			c, ok := stream.Next()
			return c, ok && c.BoothTime.Before(now)
		}
		if _, err := b.Store.Seed(ctx, next, 5000, nil); err != nil {
			return fmt.Errorf("demo population: %w", err)
		}
	}
	var cs []app.Crossing
	for _, t := range queue {
		if len(t.History) == 0 {
			continue
		}
		d := mrz.Parser{}.ParseMRZ(t.Lines, now)
		for _, h := range t.History {
			cs = append(cs, app.Crossing{
				OfficerID: "K1001", Post: b.App.Post, Booth: b.App.BoothID, Direction: h.Direction, Decision: app.Admit,
				Document: app.DocumentKey{IssuingState: d.IssuingState, Number: d.Number}, DocumentCode: d.DocumentCode,
				Traveller: app.TravellerKey{Surname: d.Surname, GivenNames: d.GivenNames, BirthDate: d.BirthDate, Nationality: d.Nationality},
				Sex:       d.Sex, Expiry: d.Expiry, BoothTime: now.AddDate(0, 0, -h.DaysAgo),
			})
		}
	}
	if len(cs) > 0 {
		if _, err := b.Store.DecideMany(ctx, cs); err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
	}
	return nil
}

// SimReader is a simulated document reader on an in-process pty pair: the
// booth's real serial driver reads the tty end, and Present writes a document
// to the other end in the reader's protocol, as the reader engineer's encoder
// frames it. It is the demo's and the training room's reader.
type SimReader struct {
	Reader   *reader.Reader
	protocol reader.Protocol
	master   *os.File
	tty      *os.File
	mu       sync.Mutex
}

// NewSimReader opens a pty pair and a driver for protocol ("3m", "lines", …) on it.
func NewSimReader(protocol string, clock app.Clock) (*SimReader, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	p := reader.Protocol{Name: protocol}
	r, err := reader.New(reader.Config{Protocol: p, Serial: reader.Serial{Port: tty.Name()}, Clock: clock})
	if err != nil {
		master.Close()
		tty.Close()
		return nil, err
	}
	return &SimReader{Reader: r, protocol: p, master: master, tty: tty}, nil
}

// Port is the tty path the driver reads.
func (s *SimReader) Port() string { return s.tty.Name() }

// Present writes one document's frame.
func (s *SimReader) Present(lines []string) error {
	frame, err := s.protocol.Encode(lines)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.master.Write(frame)
	return err
}

// Close closes both ends.
func (s *SimReader) Close() error {
	s.master.Close()
	return s.tty.Close()
}

// Queue presents a scripted queue one traveller at a time.
type Queue struct {
	Travellers []DemoTraveller
	Reader     *SimReader
	// Camera receives the page of a traveller who comes "via" the camera; nil
	// sends every document through the reader.
	Camera func(page image.Image)
	Log    io.Writer
	mu     sync.Mutex
	next   int
}

// Peek returns the traveller Next would present; false when the queue is done.
func (q *Queue) Peek() (DemoTraveller, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.next >= len(q.Travellers) {
		return DemoTraveller{}, false, nil
	}
	return q.Travellers[q.next], true, nil
}

// Next presents the next traveller and returns it; false when the queue is done.
func (q *Queue) Next() (DemoTraveller, bool, error) {
	q.mu.Lock()
	if q.next >= len(q.Travellers) {
		q.mu.Unlock()
		return DemoTraveller{}, false, nil
	}
	t := q.Travellers[q.next]
	q.next++
	n := q.next
	q.mu.Unlock()
	if q.Log != nil {
		fmt.Fprintf(q.Log, "demo: traveller %d of %d: %s — %s\n", n, len(q.Travellers), t.Name, t.Explain)
	}
	if t.Via == "camera" && q.Camera != nil {
		page, err := DemoPage(t, n)
		if err != nil {
			return t, true, err
		}
		q.Camera(page)
		return t, true, nil
	}
	return t, true, q.Reader.Present(t.Lines)
}

// DemoPage renders traveller t's passport data page as a desk camera would see
// it: the OCR-B MRZ on a printed background, slightly turned, a little noise.
// Its printed zone shows the traveller's own data, from the same MRZ.
func DemoPage(t DemoTraveller, seed int) (image.Image, error) {
	return docsynth.Render(rand.New(rand.NewPCG(uint64(seed), 7)), docsynth.TD3, t.Lines,
		docsynth.Options{DPI: 200, RotateDeg: 1.5, Margin: 0.06, Noise: 3, Background: true, Printed: PrintedOf(t.Lines)})
}

// PrintedOf is what a data page prints for the MRZ lines: the same holder,
// the same document, dates as a page prints them ("14 MAR 1985").
func PrintedOf(lines []string) *docsynth.Printed {
	f := mrz.Parse(lines, time.Now()).Fields
	country := func(code string) string {
		if name := mrz.CountryName(code); name != "" {
			return strings.ToUpper(name)
		}
		return code
	}
	date := func(iso string) string {
		d, err := time.Parse(time.DateOnly, iso)
		if err != nil {
			return iso
		}
		return strings.ToUpper(d.Format("02 Jan 2006"))
	}
	sex := f.Sex
	if sex == "" {
		sex = "X"
	}
	return &docsynth.Printed{Title: country(f.IssuingState) + "   PASSPORT", Number: f.DocumentNumber,
		Surname: f.Surname, GivenNames: f.GivenNames, Nationality: country(f.Nationality),
		BirthDate: date(f.BirthDateISO), Sex: sex, Expiry: date(f.ExpiryDateISO)}
}
