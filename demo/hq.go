package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
)

// DemoHQ is an HQ on a loopback port for the demo, with the booth enrolled and
// the demo lists and default rules published.
type DemoHQ struct {
	Server *hq.Server
	URL    string
	Bundle string // the booth's enrolment bundle file
	// Warnings says what could not be published; the booth then keeps its
	// shipped copy.
	Warnings []string
}

// StartDemoHQ opens HQ in dir, serves it on 127.0.0.1, enrols booth at post,
// writes the bundle to dir/booth-bundle.json and publishes the shipped demo
// lists and stay rules. A dir used before is reused: what HQ already publishes
// is left as it is.
func StartDemoHQ(ctx context.Context, dir, booth, post string) (*DemoHQ, error) {
	s, err := hq.Open(ctx, hq.Config{DataDir: dir, Listen: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, fmt.Errorf("demo HQ: %w", err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("demo HQ: %w", err)
	}
	d := &DemoHQ{Server: s, URL: url, Bundle: filepath.Join(dir, "booth-bundle.json")}
	fail := func(err error) (*DemoHQ, error) {
		s.Close()
		return nil, fmt.Errorf("demo HQ: %w", err)
	}
	bundle, err := s.Enrol(ctx, booth, post, url)
	if err != nil {
		return fail(err)
	}
	data, err := bundle.Marshal()
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(d.Bundle, data, 0o600); err != nil {
		return fail(err)
	}
	lists, err := Lists(time.Now())
	if err != nil {
		return fail(err)
	}
	// A reused data folder (--demo --data DIR a second time) already holds
	// this version: HQ refuses it as not newer (ECONFLICT), which is fine.
	if _, err := s.ImportLists(ctx, lists); err != nil && app.ErrorCode(err) != app.ECONFLICT {
		return fail(err)
	}
	rs, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		return fail(err)
	}
	// HQ numbers rule versions itself (its latest + 1, the file checked with
	// rules.Parse) and refuses the very file that is already its latest
	// (ECONFLICT): a reused data folder, fine. Any other failure leaves the
	// booth on its shipped rules, and says so.
	if _, err := s.ImportRules(ctx, rs); err != nil && app.ErrorCode(err) != app.ECONFLICT {
		d.Warnings = append(d.Warnings, "stay rules not published at HQ: "+err.Error())
	}
	return d, nil
}

// Close stops HQ.
func (d *DemoHQ) Close() error { return d.Server.Close() }

var published = regexp.MustCompile(`"published":"[^"]*"`)

// Lists returns the shipped demo lists as published at now: the demo
// publishes them when it starts, so its first screen does not say that the
// lists are two weeks old.
func Lists(now time.Time) ([]byte, error) {
	data, err := assets.FS.ReadFile("lists/demo.jsonl")
	if err != nil {
		return nil, err
	}
	head, rest, _ := bytes.Cut(data, []byte("\n"))
	if !published.Match(head) {
		return nil, fmt.Errorf("demo lists: no \"published\" in the header %q", head)
	}
	head = published.ReplaceAll(head, []byte(`"published":"`+now.UTC().Format(time.RFC3339)+`"`))
	return append(append(head, '\n'), rest...), nil
}
