package hq

import (
	"context"
	"encoding/json"
	"time"
)

// supervision prints what supervisors recorded, as JSON lines: the sign-offs
// of shifts (newest first), or with --referrals the referrals and their
// outcomes counted per post, or with --lookups the audited questions booths
// asked about their post.
func (m *Main) supervision(ctx context.Context, args []string) error {
	var c common
	var post string
	var referrals, lookups bool
	fs := m.flags("supervision", &c)
	fs.StringVar(&post, "post", "", "only this `POST` (default every post)")
	fs.BoolVar(&referrals, "referrals", false, "print referrals and their outcomes per post instead of sign-offs")
	fs.BoolVar(&lookups, "lookups", false, "print the audited questions of booths about their post instead")
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	if referrals && lookups {
		return usageError("--referrals and --lookups are two reports: choose one")
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	enc := json.NewEncoder(m.Stdout)
	switch {
	case referrals:
		counts, err := s.Store().Referrals(ctx, post)
		if err != nil {
			return err
		}
		for _, r := range counts {
			enc.Encode(map[string]any{"post": r.Post, "referrals": r.Referrals, "admitted": r.Admitted,
				"refused": r.Refused, "pending": r.Pending, "outcomes": r.Outcomes})
		}
	case lookups:
		ls, err := s.Store().PostLookups(ctx, 0)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if post != "" && l.Post != post {
				continue
			}
			enc.Encode(map[string]any{"id": l.ID, "at": l.At.UTC().Format(time.RFC3339), "booth": l.Booth,
				"post": l.Post, "officer": l.OfficerID, "what": l.What, "shift": l.ShiftID})
		}
	default:
		offs, err := s.Store().SignOffs(ctx, post, 0)
		if err != nil {
			return err
		}
		for _, o := range offs {
			enc.Encode(map[string]any{"id": o.ID, "shift": o.ShiftID, "post": o.Post, "booth": o.Booth,
				"shift_booth": o.ShiftBooth, "shift_officer": o.ShiftOfficer, "supervisor": o.SupervisorID,
				"comment": o.Comment, "at": o.At.Format(time.RFC3339), "inspections": o.Counts.Inspections,
				"admitted": o.Counts.Admitted, "refused": o.Counts.Refused, "referred": o.Counts.Referred,
				"overrides": o.Counts.Overrides, "set_aside": o.Counts.SetAside})
		}
	}
	return nil
}
