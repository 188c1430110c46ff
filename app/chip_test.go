package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// chipFunc is an app.ChipReader from a function.
type chipFunc func(lines []string) app.ChipResult

func (f chipFunc) ReadChip(_ context.Context, lines []string, _ time.Time) app.ChipResult {
	return f(lines)
}

// The chip's outcome decides the verdict: a failed or foreign chip is a STOP, a
// chip that will not open is a caution, no chip is normal.
func TestChipVerdicts(t *testing.T) {
	for _, c := range []struct {
		state app.ChipState
		want  app.Verdict
		stop  bool
	}{
		{app.ChipGenuine, app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}, false},
		{app.ChipAbsent, app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}, false},
		{app.ChipFailed, app.Verdict{Level: app.LevelStop, Key: app.VerdictChipFailed}, true},
		{app.ChipMismatch, app.Verdict{Level: app.LevelStop, Key: app.VerdictChipMismatch}, true},
		{app.ChipRefused, app.Verdict{Level: app.LevelCaution, Key: app.VerdictChipCheck}, false},
		{app.ChipUnreadable, app.Verdict{Level: app.LevelCaution, Key: app.VerdictChipCheck}, false},
	} {
		t.Run(string(c.state), func(t *testing.T) {
			f := newFixture(t)
			var asked []string
			f.booth.Chip = chipFunc(func(lines []string) app.ChipResult {
				asked = lines
				return app.ChipResult{State: c.state, Access: "pace", SODSignature: "valid", DSChain: "valid",
					DGHashes: map[string]string{"DG1": "match"}}
			})
			f.ready(t, "K1")
			v := f.present(t, clean)
			if got := v.Verdict; got != c.want {
				t.Errorf("verdict %+v, want %+v", got, c.want)
			}
			if len(asked) != 1 || asked[0] != clean {
				t.Errorf("chip read with %q", asked)
			}
			if v.Chip == nil || v.Chip.State != c.state || v.Chip.Stop() != c.stop {
				t.Errorf("view's chip %+v", v.Chip)
			}
			var audited string
			for _, a := range f.records.audits {
				if a.Action == app.AuditChipRead && a.Subject == v.Inspection.ID {
					audited = a.Detail
				}
			}
			if !strings.Contains(audited, `"state":"`+string(c.state)+`"`) {
				t.Errorf("chip read audited as %q", audited)
			}
			// Admitting against the chip's STOP is an override with a ground.
			req := app.DecisionRequest{Decision: app.Admit}
			if c.stop {
				if _, err := f.booth.Decide(context.Background(), req); err == nil {
					t.Fatal("admitted against a failed chip without a ground")
				}
				req.Ground = "supervisor compared the photo"
			}
			cr, err := f.booth.Decide(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if cr.Chip == nil || cr.Chip.State != c.state || cr.Chip.DGHashes["DG1"] != "match" {
				t.Errorf("crossing's chip %+v", cr.Chip)
			}
			if c.stop && (cr.Override == nil || cr.Override.Verdict != c.want.Key) {
				t.Errorf("override %+v", cr.Override)
			}
		})
	}
}

func TestChipDG1Name(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"P<KGZTOKTOGULOV<<ERMEK<BEK<<<<<<<<<<<<<<<<<<<", "AC12345674KGZ8506151M3106305<<<<<<<<<<<<<<00"}, "TOKTOGULOV, ERMEK BEK"},
		{[]string{"I<KGZAC12345674<<<<<<<<<<<<<<<", "8506151M3106305KGZ<<<<<<<<<<<0", "ASANOV<<BAKYT<<<<<<<<<<<<<<<<<"}, "ASANOV, BAKYT"},
		{nil, ""},
	} {
		if got := (app.ChipResult{DG1: c.lines}).DG1Name(); got != c.want {
			t.Errorf("DG1Name(%q) = %q, want %q", c.lines, got, c.want)
		}
	}
}

// An invalid MRZ still outranks the chip; without a chip reader the view has no chip.
func TestChipPrecedence(t *testing.T) {
	f := newFixture(t)
	f.booth.Chip = chipFunc(func([]string) app.ChipResult { return app.ChipResult{State: app.ChipFailed} })
	f.ready(t, "K1")
	if v := f.present(t, clean, "BAD"); v.Verdict.Key != app.VerdictInvalid {
		t.Errorf("verdict %+v", v.Verdict)
	}
	g := newFixture(t)
	g.ready(t, "K1")
	if v := g.present(t, clean); v.Chip != nil {
		t.Errorf("chip %+v without a chip reader", v.Chip)
	}
}
