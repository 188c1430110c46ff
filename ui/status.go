package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// statusBar is the line along the bottom of every screen: reader, camera, HQ
// link and last sync, records waiting, list and rule versions, clock. It
// draws an app.Status; what is stale or off is decided there.
type statusBar struct {
	w                                                  *words
	reader, camera, link, pending, lists, rules, clock *widget.Label
	alert                                              *widget.Label // what is wrong, in full sentences; hidden when all is well
	box, line                                          *fyne.Container
	last                                               app.Status
}

func newStatusBar(w *words) *statusBar {
	s := &statusBar{w: w}
	mk := func() *widget.Label {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	s.reader, s.camera, s.link, s.pending, s.lists, s.rules, s.clock = mk(), mk(), mk(), mk(), mk(), mk(), mk()
	s.alert = widget.NewLabel("")
	s.alert.Importance = widget.DangerImportance
	s.alert.Wrapping = fyne.TextWrapWord
	s.alert.Hide()
	row := []*widget.Label{s.reader, s.camera, s.link, s.pending, s.lists, s.rules, s.clock}
	s.line = container.New(fitRow{row}, s.reader, s.camera, s.link, s.pending, s.lists, s.rules, s.clock)
	s.box = container.NewVBox(s.alert, s.line)
	return s
}

func (s *statusBar) set(l *widget.Label, text string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(text)
}

// age says how long ago t was, in the largest whole unit.
func (s *statusBar) age(now, t time.Time) string {
	u := s.w
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return u.t("age.now")
	case d < time.Hour:
		return u.t("age.min", int(d.Minutes()))
	case d < 48*time.Hour:
		return u.t("age.hour", int(d.Hours()))
	}
	return u.t("age.day", int(d.Hours()/24))
}

// render draws st; what is wrong is also said in full above the line.
func (s *statusBar) render(st app.Status) {
	s.last = st
	sy := st.Sync
	var problems []string
	for _, p := range [][]string{
		s.device(s.reader, "status.reader", st.Reader),
		s.device(s.camera, "status.camera", st.Camera),
		s.hqLine(st),
		s.version(s.lists, "status.lists", sy.Lists, st.Now, st.ListsStale),
		s.version(s.rules, "status.rules", sy.Rules, st.Now, st.RulesStale),
		s.clockLine(st),
	} {
		problems = append(problems, p...)
	}
	if sy.Pending < 0 {
		s.set(s.pending, s.w.t("status.pending")+": ?", widget.WarningImportance)
	} else {
		s.set(s.pending, s.w.t("status.pending")+": "+fmt.Sprint(sy.Pending), widget.MediumImportance)
	}
	s.line.Refresh() // the parts' widths follow their words
	if len(problems) == 0 {
		s.alert.Hide()
		return
	}
	s.alert.SetText(s.w.t("mark.warning") + " " + strings.Join(problems, " · "))
	s.alert.Show()
}

// device draws a device's state and returns what is wrong with it.
func (s *statusBar) device(l *widget.Label, key string, d app.DeviceState) (problems []string) {
	w := s.w
	imp := widget.MediumImportance
	switch d.State {
	case "connected":
		imp = widget.SuccessImportance
	case "disconnected", "error":
		imp = widget.DangerImportance
	}
	if d.Key != "" {
		problems = append(problems, w.t(key)+": "+w.t(d.Key))
	}
	s.set(l, w.t(key)+": "+w.t("device."+d.State), imp)
	return problems
}

// hqLine draws the HQ link and returns what is wrong with it.
func (s *statusBar) hqLine(st app.Status) (problems []string) {
	w, sy := s.w, st.Sync
	switch {
	case !sy.Enrolled:
		s.set(s.link, w.t("status.hq")+": "+w.t("hq.alone"), widget.WarningImportance)
		return nil
	case sy.LastSync.IsZero():
		s.set(s.link, w.t("status.hq")+": "+w.t("hq.never"), widget.WarningImportance)
	default:
		imp, state := widget.SuccessImportance, w.t("hq.up")
		if !sy.Connected {
			state, imp = w.t("hq.down"), widget.WarningImportance
		}
		if st.LinkStale {
			imp = widget.DangerImportance
			problems = append(problems, w.t("alert.no_sync", s.age(st.Now, sy.LastSync)))
		}
		if sy.LastError != "" && imp == widget.SuccessImportance {
			imp = widget.WarningImportance
		}
		s.set(s.link, fmt.Sprintf("%s: %s, %s %s (%s)", w.t("status.hq"), state, w.t("hq.last_sync"),
			sy.LastSync.Local().Format("15:04"), s.age(st.Now, sy.LastSync)), imp)
	}
	if sy.Problem != nil {
		problems = append(problems, w.t("status.hq")+": "+w.problem(sy.Problem))
	}
	return problems
}

// version draws the version of the lists or the rules and says when it is stale.
func (s *statusBar) version(l *widget.Label, key string, v app.Version, now time.Time, stale bool) (problems []string) {
	w := s.w
	switch {
	case v.Name == "":
		s.set(l, w.t(key)+": "+w.t("version.none"), widget.WarningImportance)
	case v.At.IsZero():
		s.set(l, w.t(key)+": "+v.Name, widget.MediumImportance)
	default:
		imp := widget.MediumImportance
		if stale {
			imp = widget.DangerImportance
			problems = append(problems, w.t("alert.stale", w.t(key), v.Name, s.age(now, v.At)))
		}
		s.set(l, fmt.Sprintf("%s: %s (%s)", w.t(key), v.Name, s.age(now, v.At)), imp)
	}
	return problems
}

// clockLine draws whether the booth's clock agrees with HQ's.
func (s *statusBar) clockLine(st app.Status) (problems []string) {
	w, sy := s.w, st.Sync
	off := sy.ClockOffset.Round(time.Second).String()
	switch {
	case !sy.ClockKnown:
		s.set(s.clock, w.t("status.clock")+": "+w.t("clock.unknown"), widget.MediumImportance)
	case st.ClockOff:
		s.set(s.clock, w.t("status.clock")+": "+w.t("mark.error")+" "+w.t("clock.off", off), widget.DangerImportance)
		problems = append(problems, w.t("alert.clock", off))
	default:
		s.set(s.clock, w.t("status.clock")+": "+w.t("clock.ok"), widget.SuccessImportance)
	}
	return problems
}
