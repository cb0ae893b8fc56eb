package money

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/sv"
)

// Charts are drawn on the server as SVG, so they work without JavaScript and
// print; each has a table beside it with the same figures for screen readers
// (the SVG itself is aria-hidden). Geometry may use float64: it positions
// shapes and never touches an amount shown as text.

// barSegment is one part of a stacked bar.
type barSegment struct {
	Label string
	Value decimal.Decimal
	Class string // CSS class of the segment's colour
}

// stackedBar is one labelled bar.
type stackedBar struct {
	Label    string
	Segments []barSegment
}

// stackedBarsSVG draws vertical stacked bars; positive segments stack up from
// the zero line, negative ones down.
func stackedBarsSVG(bars []stackedBar, title string) template.HTML {
	const w, h, left, bottom, top = 640.0, 260.0, 70.0, 30.0, 10.0
	maxUp, maxDown := 0.0, 0.0
	for _, b := range bars {
		up, down := 0.0, 0.0
		for _, s := range b.Segments {
			v, _ := s.Value.Float64()
			if v >= 0 {
				up += v
			} else {
				down -= v
			}
		}
		maxUp, maxDown = max(maxUp, up), max(maxDown, down)
	}
	if maxUp+maxDown == 0 {
		maxUp = 1
	}
	scale := (h - bottom - top) / (maxUp + maxDown)
	zero := top + maxUp*scale
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" aria-hidden="true" focusable="false"><title>%s</title>`, w, h, html.EscapeString(title))
	fmt.Fprintf(&sb, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" class="axis"/>`, left, zero, w, zero)
	fmt.Fprintf(&sb, `<text x="%.0f" y="%.1f" class="tick" text-anchor="end">0</text>`, left-6, zero+4)
	fmt.Fprintf(&sb, `<text x="%.0f" y="%.1f" class="tick" text-anchor="end">%s</text>`, left-6, top+10, html.EscapeString(sv.Tkr(decimal.NewFromFloat(maxUp))+" tkr"))
	slot := (w - left) / float64(max(len(bars), 1))
	bw := min(slot*0.6, 60)
	for i, b := range bars {
		x := left + slot*float64(i) + (slot-bw)/2
		up, down := zero, zero
		for _, s := range b.Segments {
			v, _ := s.Value.Float64()
			hgt := abs(v) * scale
			y := up - hgt
			if v < 0 {
				y = down
				down += hgt
			} else {
				up -= hgt
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="%s"><title>%s: %s</title></rect>`,
				x, y, bw, hgt, s.Class, html.EscapeString(b.Label+" "+s.Label), html.EscapeString(sv.Kronor(s.Value)))
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.0f" class="tick" text-anchor="middle">%s</text>`, x+bw/2, h-8, html.EscapeString(b.Label))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// hbar is one horizontal bar.
type hbar struct {
	Label     string
	Value     decimal.Decimal
	Highlight bool
}

// horizontalBarsSVG draws one horizontal bar per item, the highlighted one
// in the accent colour.
func horizontalBarsSVG(bars []hbar, title string) template.HTML {
	const w, left, row, right = 640.0, 210.0, 26.0, 120.0
	h := row*float64(len(bars)) + 10
	maxV := 0.0
	for _, b := range bars {
		v, _ := b.Value.Abs().Float64()
		maxV = max(maxV, v)
	}
	if maxV == 0 {
		maxV = 1
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" aria-hidden="true" focusable="false"><title>%s</title>`, w, h, html.EscapeString(title))
	for i, b := range bars {
		y := 5 + row*float64(i)
		v, _ := b.Value.Abs().Float64()
		class := "bar"
		if b.Highlight {
			class = "bar own"
		}
		fmt.Fprintf(&sb, `<text x="%.0f" y="%.1f" class="tick" text-anchor="end">%s</text>`, left-8, y+row*0.65, html.EscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.1f" class="%s"/>`, left, y+3, v/maxV*(w-left-right), row-8, class)
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="tick">%s</text>`, left+v/maxV*(w-left-right)+6, y+row*0.65, html.EscapeString(sv.Kronor(b.Value)))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
