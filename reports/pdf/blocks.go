package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// TOCDepth is the deepest heading level listed in the table of contents.
const TOCDepth = 2

// headingStyle is the look of one heading level.
type headingStyle struct {
	size, before, after, lead float64
}

var headingStyles = [...]headingStyle{
	1: {size: 15, before: 7, after: 3, lead: 7.5},
	2: {size: 12, before: 5, after: 2, lead: 6},
	3: {size: 10.5, before: 3.5, after: 1.5, lead: 5.5},
}

// Title adds the document's title, e.g. "Kallelse" or "Protokoll", larger
// than any heading and not listed in the table of contents.
func (d *Document) Title(text string) {
	text = d.clean(text, true)
	d.add(func(r *renderer) {
		r.font(bold, 18, colAccent)
		r.ensure(8 + 3*bodyLeadMM)
		r.lines(marginLeft, textWidth, 8.5, text)
		r.space(4)
	})
}

// Heading adds a heading of level 1 (largest) to 3. Headings of level 1 and 2
// are listed in the table of contents and in the PDF's outline (bookmarks),
// and a heading is never left alone at the bottom of a page.
func (d *Document) Heading(level int, text string) {
	if level < 1 || level > 3 {
		d.fail("heading level %d outside 1..3", level)
		return
	}
	text = d.clean(text, true)
	toc := -1
	if level <= TOCDepth {
		toc = len(d.toc)
		d.toc = append(d.toc, tocEntry{level: level, text: text})
	}
	d.add(func(r *renderer) { r.heading(level, text, toc) })
}

func (r *renderer) heading(level int, text string, toc int) {
	st := headingStyles[level]
	r.font(bold, st.size, colAccent)
	lines := r.wrap(text, textWidth)
	// Keep the heading with at least three lines of what follows, and a
	// heading of level 1 or 2 also with the subheading that usually
	// follows it, so no heading is left alone at the foot of a page.
	r.space(st.before)
	need := float64(len(lines))*st.lead + st.after + 3*bodyLeadMM
	if level < 3 && !r.d.opts.Frozen {
		sub := headingStyles[3]
		need += sub.before + sub.lead + sub.after
	}
	r.ensure(need)
	r.bookmark(text, level-1)
	if toc >= 0 {
		r.tocPages[toc] = r.f.PageNo()
		if r.links != nil {
			r.f.SetLink(r.links[toc], -1, -1)
		}
	}
	r.font(bold, st.size, colAccent)
	r.lines(marginLeft, textWidth, st.lead, text)
	r.space(st.after)
}

// bookmark adds an outline entry, never more than one level below the
// previous entry (gofpdf writes a broken outline otherwise).
func (r *renderer) bookmark(text string, level int) {
	level = min(level, r.lastBookmark+1)
	r.lastBookmark = level
	r.f.Bookmark(text, level, -1)
}

// Paragraph adds body text, wrapped and set flush left. A newline in text
// starts a new line; no-break spaces (U+00A0) hold amounts such as
// "1 234 567,50 kr" together.
func (d *Document) Paragraph(text string) {
	d.textBlock(bodyText, text)
}

// Note adds a small italic remark, such as a source or an explanation under
// a chart.
func (d *Document) Note(text string) {
	d.textBlock(noteText, text)
}

// textLook is the look of a run of wrapped text.
type textLook struct {
	style  fontStyle
	size   float64
	colour rgb
	lead   float64
}

var (
	bodyText = textLook{regular, bodySize, colText, bodyLeadMM}
	noteText = textLook{italic, smallSize, colMuted, smallLead}
)

func (d *Document) textBlock(look textLook, text string) {
	text = d.clean(text, false)
	d.add(func(r *renderer) {
		r.text(look, text)
		r.space(paraGapMM)
	})
}

// text prints wrapped text across the text width in the given look.
func (r *renderer) text(look textLook, text string) {
	r.font(look.style, look.size, look.colour)
	r.lines(marginLeft, textWidth, look.lead, text)
}

// KeyValue is one labelled line of a KeyValues block, e.g. "Tid" and
// "kl. 09.00–12.00".
type KeyValue struct {
	Label string
	Value string
}

// KeyValues adds label–value rows with the labels in bold in one column, as
// at the top of a kallelse or protokoll (Tid, Plats, Ordförande). Values wrap
// within their column.
func (d *Document) KeyValues(rows ...KeyValue) {
	rows = append([]KeyValue(nil), rows...)
	for i := range rows {
		rows[i].Label = d.clean(rows[i].Label, true)
		rows[i].Value = d.clean(rows[i].Value, false)
	}
	d.add(func(r *renderer) {
		r.font(bold, bodySize, colText)
		labelWidth := 0.0
		for _, kv := range rows {
			labelWidth = max(labelWidth, r.f.GetStringWidth(kv.Label))
		}
		labelWidth = min(labelWidth+6, textWidth/3)
		valueWidth := textWidth - labelWidth
		for _, kv := range rows {
			r.font(regular, bodySize, colText)
			values := r.wrap(kv.Value, valueWidth)
			r.font(bold, bodySize, colText)
			labels := r.wrap(kv.Label, labelWidth-2)
			r.ensure(float64(max(len(values), len(labels))) * bodyLeadMM)
			y, page := r.f.GetY(), r.f.PageNo()
			r.lines(marginLeft, labelWidth-2, bodyLeadMM, kv.Label)
			yLabel := r.f.GetY()
			r.f.SetY(y)
			r.font(regular, bodySize, colText)
			r.lines(marginLeft+labelWidth, valueWidth, bodyLeadMM, kv.Value)
			if r.f.PageNo() == page && r.f.GetY() < yLabel {
				r.f.SetY(yLabel)
			}
		}
		r.space(paraGapMM)
	})
}

// BulletList adds a list with a bullet before each item.
func (d *Document) BulletList(items ...string) {
	d.list(func(int) string { return "•" }, items)
}

// NumberedList adds a list numbered 1., 2., 3. ..., as in a protokoll's
// decision with several points.
func (d *Document) NumberedList(items ...string) {
	d.list(func(i int) string { return strconv.Itoa(i+1) + "." }, items)
}

func (d *Document) list(marker func(int) string, items []string) {
	cleaned := make([]string, len(items))
	for i, it := range items {
		cleaned[i] = d.clean(it, false)
	}
	const indent, gap = 7.0, 1.0
	d.add(func(r *renderer) {
		r.font(regular, bodySize, colText)
		for i, it := range cleaned {
			r.ensure(bodyLeadMM)
			r.f.SetX(marginLeft)
			r.f.CellFormat(indent-2, bodyLeadMM, marker(i), "", 0, "R", false, 0, "")
			r.lines(marginLeft+indent, textWidth-indent, bodyLeadMM, it)
			if i < len(cleaned)-1 {
				r.space(gap)
			}
		}
		r.space(paraGapMM)
	})
}

// Spacer adds h millimetres of vertical space (dropped at the top of a page).
func (d *Document) Spacer(h float64) {
	if h < 0 {
		d.fail("negative spacer %v", h)
		return
	}
	d.add(func(r *renderer) { r.space(h) })
}

// KeepTogether starts a new page unless h millimetres fit below the
// current position, so a block of about that height that follows (a
// signature block, the justering with its anslag) is not split or left
// with a lone line on a page of its own.
func (d *Document) KeepTogether(h float64) {
	if h <= 0 || h > pageBottom-marginTop {
		d.fail("keep-together height %v mm outside (0, %v]", h, pageBottom-marginTop)
		return
	}
	d.add(func(r *renderer) { r.ensure(h) })
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.add(func(r *renderer) { r.f.AddPage() })
}

// TableOfContents adds an "Innehållsförteckning" listing every heading of
// level 1 and 2 in the document, before or after this point, with its page
// number and a link to it. A document has at most one.
func (d *Document) TableOfContents() {
	if d.hasTOC {
		d.fail("more than one table of contents")
		return
	}
	d.hasTOC = true
	d.add((*renderer).contents)
}

func (r *renderer) contents() {
	const numberWidth = 12.0
	st := headingStyles[1]
	r.space(st.before)
	r.ensure(st.lead + st.after + 3*bodyLeadMM)
	r.font(bold, st.size, colAccent)
	r.lines(marginLeft, textWidth, st.lead, "Innehållsförteckning")
	r.space(st.after + 1)
	for i, e := range r.d.toc {
		style, indent := regular, 0.0
		if e.level == 1 {
			style = bold
			if i > 0 {
				r.space(1.5)
			}
		} else {
			indent = 6
		}
		r.font(style, bodySize, colText)
		width := textWidth - indent - numberWidth
		lines := r.wrap(e.text, width)
		r.ensure(float64(len(lines)) * bodyLeadMM)
		top := r.f.GetY()
		r.lines(marginLeft+indent, width, bodyLeadMM, e.text)
		// Dot leader and page number on the last line.
		y := r.f.GetY() - bodyLeadMM
		end := marginLeft + indent + r.f.GetStringWidth(lines[len(lines)-1]) + 1.5
		page := ""
		if p := r.known.tocPages; i < len(p) && p[i] > 0 {
			page = strconv.Itoa(p[i])
		}
		r.font(regular, bodySize, colMuted)
		dot := r.f.GetStringWidth(" .")
		n := int((pageWidth - marginRight - numberWidth + 1 - end) / dot)
		r.f.SetXY(end, y)
		r.f.CellFormat(pageWidth-marginRight-numberWidth+1-end, bodyLeadMM, strings.Repeat(" .", max(n, 0)), "", 0, "R", false, 0, "")
		r.font(style, bodySize, colText)
		r.f.SetXY(pageWidth-marginRight-numberWidth, y)
		r.f.CellFormat(numberWidth, bodyLeadMM, page, "", 2, "R", false, 0, "")
		r.f.Link(marginLeft+indent, top, textWidth-indent, r.f.GetY()-top, r.links[i])
		r.f.SetX(marginLeft)
	}
	r.space(paraGapMM * 2)
}

// Image adds a PNG, JPEG or GIF image (e.g. a logo or a signature) width
// millimetres wide at the left margin, keeping its aspect ratio. Data the
// image decoder rejects makes Bytes return an error.
func (d *Document) Image(data []byte, width float64) {
	kind := imageType(data)
	if kind == "" {
		d.fail("image %d: not PNG, JPEG or GIF", d.images+1)
		return
	}
	if width <= 0 || width > textWidth {
		d.fail("image %d: width %v mm outside (0, %v]", d.images+1, width, textWidth)
		return
	}
	d.images++
	name := fmt.Sprintf("image%d", d.images)
	data = bytes.Clone(data)
	d.add(func(r *renderer) {
		opts := gofpdf.ImageOptions{ImageType: kind, ReadDpi: false}
		info := r.f.RegisterImageOptionsReader(name, opts, bytes.NewReader(data))
		if info == nil || r.f.Err() || info.Width() <= 0 {
			if !r.f.Err() {
				r.f.SetErrorf("image %s: cannot be decoded", name)
			}
			return
		}
		h := width * info.Height() / info.Width()
		r.ensure(h)
		r.f.ImageOptions(name, marginLeft, r.f.GetY(), width, h, false, opts, 0, "")
		r.f.SetXY(marginLeft, r.f.GetY()+h)
		r.space(paraGapMM)
	})
}

// imageType recognises the image formats gofpdf reads by their magic bytes.
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "JPG"
	case bytes.HasPrefix(b, []byte("GIF8")):
		return "GIF"
	}
	return ""
}
