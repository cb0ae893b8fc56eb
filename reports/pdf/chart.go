package pdf

import "math"

// Bar is one category of a horizontal bar chart, e.g. a row of the
// delårsrapport with its outcome and budget.
type Bar struct {
	// Label names the category at the left of its bars.
	Label string
	// Values gives one bar length per series, in any unit. They are used
	// for drawing only (never for money arithmetic); negative values, such as
	// costs, extend to the left of the zero line.
	Values []float64
	// Texts, when not nil, has one printed value per series shown at the end
	// of each bar, formatted by the caller (e.g. "−1 474").
	Texts []string
}

// Chart layout in millimetres and points.
const (
	chartLabelWidth = 50.0
	chartBarHeight  = 4.0
	chartGroupGap   = 3.0
	chartTextSize   = 8.0
	chartTextGap    = 1.2
)

// seriesColours are the bar colours, one per series in turn: dark blue for
// the first (the outcome), light blue for the second (the budget).
var seriesColours = []rgb{
	{31, 78, 121},
	{157, 188, 220},
	{120, 120, 120},
	{214, 120, 40},
}

// BarChart adds a horizontal bar chart with a title, a legend naming the
// series, and per category one bar per series on a common scale with a zero
// line, such as budget against outcome per row of an interim report. Every
// Bar needs one value (and, if given, one text) per series.
func (d *Document) BarChart(title string, series []string, bars []Bar) {
	if len(series) == 0 {
		d.fail("bar chart %q without series", title)
		return
	}
	title = d.clean(title, true)
	names := d.cleanCells(series)
	cp := make([]Bar, len(bars))
	for i, b := range bars {
		if len(b.Values) != len(series) {
			d.fail("bar chart %q, bar %d: %d values for %d series", title, i+1, len(b.Values), len(series))
			return
		}
		if b.Texts != nil && len(b.Texts) != len(series) {
			d.fail("bar chart %q, bar %d: %d texts for %d series", title, i+1, len(b.Texts), len(series))
			return
		}
		cp[i] = Bar{Label: d.clean(b.Label, false), Values: make([]float64, len(b.Values))}
		for j, v := range b.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				d.fail("bar chart %q, bar %d: value %v", title, i+1, v)
				return
			}
			cp[i].Values[j] = v
		}
		if b.Texts != nil {
			cp[i].Texts = d.cleanCells(b.Texts)
		}
	}
	d.add(func(r *renderer) { r.barChart(title, names, cp) })
}

func (r *renderer) barChart(title string, series []string, bars []Bar) {
	// Scale: the plot spans min(0, values) .. max(0, values), leaving room
	// for the printed values beyond the longest bars on either side.
	lo, hi := 0.0, 0.0
	valueWidth := 0.0
	r.font(regular, chartTextSize, colText)
	for _, b := range bars {
		for j, v := range b.Values {
			lo, hi = min(lo, v), max(hi, v)
			if b.Texts != nil {
				valueWidth = max(valueWidth, r.f.GetStringWidth(b.Texts[j]))
			}
		}
	}
	if valueWidth > 0 {
		valueWidth += chartTextGap
	}
	plotLeft, plotRight := marginLeft+chartLabelWidth, pageWidth-marginRight
	if lo < 0 {
		plotLeft += valueWidth
	}
	if hi > 0 {
		plotRight -= valueWidth
	}
	scale, zero := 0.0, plotLeft
	if hi > lo {
		scale = (plotRight - plotLeft) / (hi - lo)
		zero = plotLeft - lo*scale
	}

	// Title and legend stay with the first category.
	r.font(regular, bodySize, colText)
	first := 0.0
	if len(bars) > 0 {
		first = r.barGroupHeight(bars[0])
	}
	r.ensure(2*bodyLeadMM + 2 + first)
	r.font(bold, bodySize+0.5, colText)
	r.lines(marginLeft, textWidth, bodyLeadMM+0.5, title)
	r.legend(series)

	for _, b := range bars {
		h := r.barGroupHeight(b)
		r.ensure(h)
		top := r.f.GetY()
		r.font(regular, bodySize-1, colText)
		r.f.SetY(top + chartGroupGap/2)
		r.lines(marginLeft, chartLabelWidth-3, bodyLeadMM-0.5, b.Label)
		for j, v := range b.Values {
			y := top + chartGroupGap/2 + float64(j)*chartBarHeight
			x0, x1 := zero, zero+v*scale
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			c := seriesColours[j%len(seriesColours)]
			r.fillColor(c)
			r.f.Rect(x0, y+0.4, x1-x0, chartBarHeight-0.8, "F")
			if b.Texts != nil {
				r.font(regular, chartTextSize, colText)
				if v < 0 {
					r.f.SetXY(x0-chartTextGap-valueWidth, y)
					r.f.CellFormat(valueWidth, chartBarHeight, b.Texts[j], "", 0, "R", false, 0, "")
				} else {
					r.f.SetXY(x1+chartTextGap, y)
					r.f.CellFormat(valueWidth, chartBarHeight, b.Texts[j], "", 0, "L", false, 0, "")
				}
			}
		}
		r.drawColor(colMuted)
		r.f.SetLineWidth(0.2)
		r.f.Line(zero, top, zero, top+h)
		r.f.SetXY(marginLeft, top+h)
	}
	r.space(paraGapMM + 1)
}

// barGroupHeight is the height of one category: its bars or its wrapped
// label, whichever is taller, plus the gap between categories.
func (r *renderer) barGroupHeight(b Bar) float64 {
	r.font(regular, bodySize-1, colText)
	label := float64(len(r.wrap(b.Label, chartLabelWidth-3))) * (bodyLeadMM - 0.5)
	return max(label, float64(len(b.Values))*chartBarHeight) + chartGroupGap
}

// legend prints a colour key for the series on one line.
func (r *renderer) legend(series []string) {
	r.font(regular, chartTextSize, colText)
	y := r.f.GetY() + 0.5
	x := marginLeft
	for i, name := range series {
		c := seriesColours[i%len(seriesColours)]
		r.fillColor(c)
		r.f.Rect(x, y+0.8, 3, 3, "F")
		w := r.f.GetStringWidth(name)
		r.f.SetXY(x+4.5, y)
		r.f.CellFormat(w, 4.6, name, "", 0, "L", false, 0, "")
		x += 4.5 + w + 6
	}
	r.f.SetXY(marginLeft, y+4.6+1.5)
}
