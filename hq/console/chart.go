package console

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// maxBars bounds the chart; the table below it holds every row.
const maxBars = 62

// barChart draws rows as stacked bars (admitted, refused, referred) in SVG,
// on the server: no script and no chart library reach the browser. Labels are
// the rows' key values, escaped here because the SVG is inserted as markup.
func barChart(rows []store.StatsRow, by []string) template.HTML {
	if len(rows) == 0 {
		return template.HTML(`<p class="empty">No crossings match.</p>`)
	}
	shown := rows
	if len(shown) > maxBars {
		shown = shown[:maxBars]
	}
	var top int64 = 1
	for _, r := range shown {
		top = max(top, r.Count)
	}
	step := niceStep((top + 3) / 4)
	top = 4 * step
	const w, h, left, bottom, topPad = 960, 320, 56, 110, 12
	bw := min(float64(w-left-8)/float64(len(shown)), 64)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="crossings chart" xmlns="http://www.w3.org/2000/svg">`, w, h)
	plot := float64(h - bottom - topPad)
	for i := 0; i <= 4; i++ {
		y := float64(topPad) + plot*float64(i)/4
		v := top - step*int64(i)
		fmt.Fprintf(&sb, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/><text x="%d" y="%.1f" class="axis" text-anchor="end">%d</text>`,
			left, y, w-8, y, left-6, y+4, v)
	}
	for i, r := range shown {
		x := float64(left) + bw*float64(i) + 1
		y := float64(h - bottom)
		for _, part := range []struct {
			n     int64
			class string
		}{{r.Admitted, "admit"}, {r.Refused, "refuse"}, {r.Referred, "refer"}, {r.Count - r.Admitted - r.Refused - r.Referred, "other"}} {
			if part.n <= 0 {
				continue
			}
			ph := plot * float64(part.n) / float64(top)
			y -= ph
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="%s"><title>%s: %d %s</title></rect>`,
				x, y, max(bw-2, 1), ph, part.class, html.EscapeString(rowLabel(r, by)), part.n, part.class)
		}
		if len(shown) <= 31 || i%((len(shown)+30)/31) == 0 {
			lx, ly := x+bw/2, float64(h-bottom+12)
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="label" transform="rotate(40 %.1f %.1f)">%s</text>`, lx, ly, lx, ly, html.EscapeString(rowLabel(r, by)))
		}
	}
	sb.WriteString(`</svg>`)
	if len(rows) > maxBars {
		fmt.Fprintf(&sb, `<p class="note">The chart shows the first %d of %d rows; the table has them all.</p>`, maxBars, len(rows))
	}
	sb.WriteString(`<p class="legend"><span class="admit">admitted</span> <span class="refuse">refused</span> <span class="refer">referred</span></p>`)
	return template.HTML(sb.String())
}

// niceStep rounds n up to 1, 2 or 5 times a power of ten, so the axis reads
// in round numbers.
func niceStep(n int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
}

func rowLabel(r store.StatsRow, by []string) string {
	if len(by) == 0 {
		return "all"
	}
	parts := make([]string, len(by))
	for i, k := range by {
		parts[i] = r.Keys[k]
	}
	return strings.Join(parts, " · ")
}

// apiError maps an app error to an HTTP status and its sentence for people.
func apiError(err error) (int, string) {
	switch app.ErrorCode(err) {
	case app.EINVALID:
		return http.StatusBadRequest, app.ErrorMessage(err)
	case app.ENOTFOUND:
		return http.StatusNotFound, app.ErrorMessage(err)
	case app.EUNAUTHORIZED:
		return http.StatusUnauthorized, app.ErrorMessage(err)
	}
	return http.StatusInternalServerError, "internal error"
}
