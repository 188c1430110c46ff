package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
)

func init() {
	register(command{name: "inspect", summary: "inspect one document (MRZ on stdin) through the booth's own path; optionally decide", run: runInspect})
}

// inspectReport is what `bmis inspect` prints: one JSON object, the contract
// of issue 15 point 6.
type inspectReport struct {
	Document   json.RawMessage  `json:"document"` // the "fields" of bmis mrz
	Valid      bool             `json:"valid"`
	Hits       []screenHit      `json:"hits"` // as bmis screen
	History    []inspectHistory `json:"history"`
	Stay       *inspectStay     `json:"stay"`               // null when no stay could be computed
	CrossingID *string          `json:"crossing_id"`        // null without --decide
	National   string           `json:"national,omitempty"` // asking HQ: answered or unavailable
	Error      string           `json:"error,omitempty"`    // why the decision was not recorded
}

type inspectHistory struct {
	At        time.Time `json:"at"`
	Post      string    `json:"post"`
	Booth     string    `json:"booth"`
	Direction string    `json:"direction"`
	Decision  string    `json:"decision"`
	Source    string    `json:"source"` // local, hq or feed
}

type inspectStay struct {
	Rule         string `json:"rule"`
	LimitDays    int    `json:"limit_days"`
	WindowDays   int    `json:"window_days"`
	DaysUsed     int    `json:"days_used"`
	DaysLeft     int    `json:"days_left"`
	OverstayDays int    `json:"overstay_days"`
}

// fixedClock is the booth's clock for --at.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func runInspect(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "the booth's database `FILE` (its folder holds the enrolment, lists, rules and open stays)")
	officer := fs.String("officer", "", "the officer `ID` inspecting: active in the booth's directory")
	direction := fs.String("direction", "", "entry or exit")
	at := fs.String("at", "", "the booth's time of the inspection, `RFC3339` (default: now)")
	enrolment := fs.String("enrolment", "", "an enrolment `BUNDLE` to import first (once per booth)")
	hqURL := fs.String("hq", "", "HQ's `URL`, overriding the enrolment's")
	offline := fs.Bool("offline", false, "do not ask HQ for national history (the open stays pulled before still count)")
	decide := fs.String("decide", "", "record a decision: admit, refuse or refer")
	reason := fs.String("reason", "", "refusal reason `CODE` (with --decide refuse)")
	note := fs.String("note", "", "the refusal's or referral's note, or the ground of an admission against a STOP verdict")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis inspect --db FILE --officer ID --direction entry|exit [--at RFC3339] [--enrolment BUNDLE]")
		fmt.Fprintln(stderr, "                    [--hq URL] [--offline] [--decide admit|refuse|refer] [--reason CODE] [--note TEXT] < mrz")
		fmt.Fprintln(stderr, `Reads one document's MRZ lines on stdin and prints {"document","valid","hits","history","stay","crossing_id"}.`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	d := app.Direction(*direction)
	dec := app.Decision(*decide)
	switch {
	case fs.NArg() > 0, *db == "", *officer == "":
		fs.Usage()
		return 2
	case d != app.Entry && d != app.Exit:
		fmt.Fprintln(stderr, "bmis inspect: --direction must be entry or exit")
		return 2
	case dec != "" && dec != app.Admit && dec != app.Refuse && dec != app.Refer:
		fmt.Fprintln(stderr, "bmis inspect: --decide must be admit, refuse or refer")
		return 2
	}
	var clock app.Clock = app.SystemClock{}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintf(stderr, "bmis inspect: --at %q is not RFC 3339\n", *at)
			return 2
		}
		clock = fixedClock{t}
	}
	lines, err := readDocument(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "bmis inspect: reading stdin: %v\n", err)
		return 1
	}
	if len(lines) == 0 {
		fmt.Fprintln(stderr, "bmis inspect: no MRZ lines on stdin")
		return 2
	}
	b, err := booth.Open(ctx, booth.Config{DataDir: filepath.Dir(*db), StoreFile: *db, Enrolment: *enrolment,
		HQAddress: *hqURL, Offline: *offline, Clock: clock})
	if err != nil {
		fmt.Fprintf(stderr, "bmis inspect: %s\n", app.ErrorMessage(err))
		return 1
	}
	defer b.Close()
	rep, err := inspect(ctx, b, *officer, d, lines, dec, *reason, *note)
	if err != nil {
		fmt.Fprintf(stderr, "bmis inspect: %s\n", app.ErrorMessage(err))
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "bmis inspect: writing: %v\n", err)
		return 1
	}
	if rep.Error != "" {
		fmt.Fprintf(stderr, "bmis inspect: not decided: %s\n", rep.Error)
		return 1
	}
	return 0
}

// inspect runs one document through b's workflow — headless sign-in, the
// officer's shift in direction d, Present, HQ's answer or its budget, and
// Decide when dec is set — and reports it. A shift it opens it closes.
func inspect(ctx context.Context, b *booth.Booth, officer string, d app.Direction, lines []string, dec app.Decision, reason, note string) (inspectReport, error) {
	a := b.App
	sess, err := a.SignInHeadless(ctx, officer)
	if err != nil {
		return inspectReport{}, err
	}
	opened := false
	switch {
	case !sess.HasShift:
		if _, err := a.OpenShift(ctx, a.Post, a.BoothID, d); err != nil {
			return inspectReport{}, err
		}
		opened = true
	case sess.Shift.Direction != d:
		if err := a.SetDirection(ctx, d); err != nil {
			return inspectReport{}, err
		}
	}
	ups := make(chan *app.InspectionView, 4)
	a.OnUpdate(func(v *app.InspectionView) { ups <- v })
	v, err := a.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Source: app.FromHeadless})
	if err != nil {
		return inspectReport{}, err
	}
	budget := time.NewTimer(a.NationalWait + app.DefaultNationalWait + time.Second)
	defer budget.Stop()
	for v.National == app.NationalAsking {
		select {
		case v = <-ups:
		case <-budget.C:
			v.National = app.NationalUnavailable
		case <-ctx.Done():
			return inspectReport{}, ctx.Err()
		}
	}
	rep := report(v, lines, a.Clock.Now())
	if dec != "" {
		r := app.DecisionRequest{Decision: dec, Reason: reason, Note: note}
		if dec == app.Admit {
			r.Note, r.Ground = "", note
		}
		c, err := a.Decide(ctx, r)
		if err != nil {
			rep.Error = app.ErrorMessage(err)
		} else {
			rep.CrossingID = &c.ID
			if b.Link != nil {
				// As the window's link does: up to HQ at once, so the other
				// posts see it. Kept in the outbox for bmis sync otherwise.
				uctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				b.Link.Upload(uctx)
				cancel()
			}
		}
	}
	if opened {
		if _, err := a.CloseShift(ctx, "headless inspection (bmis inspect)"); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func report(v *app.InspectionView, lines []string, now time.Time) inspectReport {
	rep := inspectReport{Valid: v.Inspection.Valid, Hits: []screenHit{}, History: []inspectHistory{}, National: string(v.National)}
	var parsed struct {
		Fields json.RawMessage `json:"fields"`
	}
	json.Unmarshal(mrz.Parse(lines, now).AppendJSON(nil), &parsed)
	rep.Document = parsed.Fields
	for _, h := range v.Hits {
		rep.Hits = append(rep.Hits, screenHit{ID: h.ListID, Kind: h.Kind, Category: h.Category, Score: h.Score, Reasons: h.Reasons})
	}
	for _, c := range v.History {
		rep.History = append(rep.History, inspectHistory{At: c.BoothTime.UTC(), Post: c.Post, Booth: c.Booth,
			Direction: string(c.Direction), Decision: string(c.Decision), Source: v.SourceOf(c)})
	}
	if v.StayKnown {
		s := v.Stay
		rep.Stay = &inspectStay{Rule: s.Rule, LimitDays: s.LimitDays, WindowDays: s.WindowDays, DaysUsed: s.DaysUsed,
			DaysLeft: s.DaysLeft, OverstayDays: s.OverstayDays}
	}
	return rep
}

// readDocument reads one document's MRZ lines: non-blank lines up to the
// first blank line after some, at most mrzMaxLines of mrzMaxLineBytes.
func readDocument(r io.Reader) ([]string, error) {
	in := bufio.NewReaderSize(r, 4096)
	var lines []string
	for len(lines) < mrzMaxLines {
		line, _, err := readLine(in, mrzMaxLineBytes)
		if s := strings.TrimSpace(string(line)); s != "" {
			lines = append(lines, s)
		} else if len(lines) > 0 && err == nil {
			break
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
	}
	return lines, nil
}
