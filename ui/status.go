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

// Thresholds at which the status bar asks the officer to look.
const (
	clockTolerance = 2 * time.Minute
	staleData      = 7 * 24 * time.Hour
	staleLink      = 24 * time.Hour
)

// statusBar is the line along the bottom of every screen: reader, camera, HQ
// link and last sync, records waiting, list and rule versions, clock.
type statusBar struct {
	u                                                  *UI
	reader, camera, link, pending, lists, rules, clock *widget.Label
	alert                                              *widget.Label // what is wrong, in full sentences; hidden when all is well
	box                                                *fyne.Container
	last                                               app.Status
}

func newStatusBar(u *UI) *statusBar {
	s := &statusBar{u: u}
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
	s.box = container.NewVBox(s.alert, container.NewGridWithColumns(7, s.reader, s.camera, s.link, s.pending, s.lists, s.rules, s.clock))
	s.update(u.booth.Status(u.ctx()))
	return s
}

func (s *statusBar) set(l *widget.Label, text string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(text)
}

// age says how long ago t was, in the largest whole unit.
func (s *statusBar) age(now, t time.Time) string {
	u := s.u
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

func (s *statusBar) update(st app.Status) {
	u := s.u
	s.last = st
	var problems []string // shown in full above the line
	dev := func(l *widget.Label, key string, d app.DeviceState) {
		imp := widget.MediumImportance
		switch d.State {
		case "connected":
			imp = widget.SuccessImportance
		case "disconnected", "error":
			imp = widget.DangerImportance
		}
		s.set(l, u.t(key)+": "+u.t("device."+d.State), imp)
		if d.Key != "" {
			problems = append(problems, u.t(key)+": "+u.t(d.Key))
		}
	}
	dev(s.reader, "status.reader", st.Reader)
	dev(s.camera, "status.camera", st.Camera)

	sy := st.Sync
	switch {
	case !sy.Enrolled:
		s.set(s.link, u.t("status.hq")+": "+u.t("hq.alone"), widget.WarningImportance)
	case sy.LastSync.IsZero():
		s.set(s.link, u.t("status.hq")+": "+u.t("hq.never"), widget.WarningImportance)
	default:
		imp := widget.SuccessImportance
		state := u.t("hq.up")
		if !sy.Connected {
			state, imp = u.t("hq.down"), widget.WarningImportance
		}
		if st.Now.Sub(sy.LastSync) > staleLink {
			imp = widget.DangerImportance
			problems = append(problems, u.t("alert.no_sync", s.age(st.Now, sy.LastSync)))
		}
		text := fmt.Sprintf("%s: %s, %s %s (%s)", u.t("status.hq"), state, u.t("hq.last_sync"),
			sy.LastSync.Local().Format("15:04"), s.age(st.Now, sy.LastSync))
		if sy.LastError != "" && imp == widget.SuccessImportance {
			imp = widget.WarningImportance
		}
		s.set(s.link, text, imp)
	}
	if sy.Enrolled && sy.Problem != nil {
		problems = append(problems, u.t("status.hq")+": "+u.cat.Error(u.lang, sy.Problem))
	}
	switch {
	case sy.Pending < 0:
		s.set(s.pending, u.t("status.pending")+": ?", widget.WarningImportance)
	default:
		s.set(s.pending, u.t("status.pending")+": "+fmt.Sprint(sy.Pending), widget.MediumImportance)
	}
	ver := func(l *widget.Label, key string, v app.Version) {
		switch {
		case v.Name == "":
			s.set(l, u.t(key)+": "+u.t("version.none"), widget.WarningImportance)
		case v.At.IsZero():
			s.set(l, u.t(key)+": "+v.Name, widget.MediumImportance)
		default:
			imp := widget.MediumImportance
			if st.Now.Sub(v.At) > staleData {
				imp = widget.DangerImportance
				problems = append(problems, u.t("alert.stale", u.t(key), v.Name, s.age(st.Now, v.At)))
			}
			s.set(l, fmt.Sprintf("%s: %s (%s)", u.t(key), v.Name, s.age(st.Now, v.At)), imp)
		}
	}
	ver(s.lists, "status.lists", sy.Lists)
	ver(s.rules, "status.rules", sy.Rules)
	switch {
	case !sy.ClockKnown:
		s.set(s.clock, u.t("status.clock")+": "+u.t("clock.unknown"), widget.MediumImportance)
	case sy.ClockOffset > clockTolerance || sy.ClockOffset < -clockTolerance:
		s.set(s.clock, u.t("status.clock")+": "+u.t("mark.error")+" "+u.t("clock.off", sy.ClockOffset.Round(time.Second).String()), widget.DangerImportance)
		problems = append(problems, u.t("alert.clock", sy.ClockOffset.Round(time.Second).String()))
	default:
		s.set(s.clock, u.t("status.clock")+": "+u.t("clock.ok"), widget.SuccessImportance)
	}
	if len(problems) == 0 {
		s.alert.Hide()
		return
	}
	s.alert.SetText(u.t("mark.warning") + " " + strings.Join(problems, " · "))
	s.alert.Show()
}
