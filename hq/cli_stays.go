package hq

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chekara/chekara/hq/store"
)

// overstayLine is one line of `hq stays overstayers`.
type overstayLine struct {
	Nationality string `json:"nationality"`
	EntryPost   string `json:"entry_post"`
	Count       int64  `json:"count"`
	Since       string `json:"since"` // the earliest last permitted day of the group
}

// stays runs `hq stays publish` and `hq stays overstayers`.
func (m *Main) stays(ctx context.Context, sub string, args []string) error {
	var c common
	var today, nat, post string
	fs := m.flags("stays "+sub, &c)
	if sub == "overstayers" {
		fs.StringVar(&today, "today", "", "the day, YYYY-MM-DD (default: today by HQ's clock, UTC)")
		fs.StringVar(&nat, "nationality", "", "only this nationality (ICAO code)")
		fs.StringVar(&post, "post", "", "only travellers who last entered at this post")
	}
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	enc := json.NewEncoder(m.Stdout)
	if sub == "publish" {
		p, changed, err := s.PublishOpenStays(ctx)
		if err != nil {
			return err
		}
		return enc.Encode(map[string]any{"published": changed, "version": p.Version, "delta": p.Delta})
	}
	if today == "" {
		today = s.clock.Now().UTC().Format(time.DateOnly)
	}
	groups, err := s.Store().Overstayers(ctx, store.OverstayQuery{Today: today, Nationality: nat, EntryPost: post})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := enc.Encode(overstayLine{Nationality: g.Nationality, EntryPost: g.EntryPost, Count: g.Count, Since: g.Since}); err != nil {
			return err
		}
	}
	return nil
}
