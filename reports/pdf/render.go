package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/jung-kurt/gofpdf"
	"github.com/jung-kurt/gofpdf/contrib/gofpdi"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 27.0
	marginBottom = 25.0
	textWidth    = pageWidth - marginLeft - marginRight
	pageBottom   = pageHeight - marginBottom

	headerRule = 17.0
	headerLead = 3.6
	footerRule = pageHeight - 17.0
)

// Body text.
const (
	bodySize   = 10.0 // points
	bodyLeadMM = 5.0  // line height in mm
	paraGapMM  = 2.5  // space after a paragraph
	smallSize  = 8.5
	smallLead  = 4.0
)

// fontStyle is one of the embedded faces.
type fontStyle string

const (
	regular fontStyle = ""
	bold    fontStyle = "B"
	italic  fontStyle = "I"
)

// family is the name the toolkit registers Liberation Sans under; it shows
// in the PDF's font names (utf8liberationsans, utf8liberationsansB, ...).
const family = "LiberationSans"

// faces maps each style to the font file it is embedded from.
var faces = map[fontStyle][]byte{
	regular: liberationsansregular.TTF,
	bold:    liberationsansbold.TTF,
	italic:  liberationsansitalic.TTF,
}

// Colours, as RGB.
type rgb struct{ r, g, b int }

var (
	colText    = rgb{20, 20, 20}
	colMuted   = rgb{90, 90, 90}
	colAccent  = rgb{31, 56, 100} // headings and strong rules
	colRule    = rgb{190, 190, 190}
	colHeadRow = rgb{228, 233, 240}
)

// renderer is one layout pass over a Document's recorded blocks.
type renderer struct {
	d     *Document
	f     *gofpdf.Fpdf
	known layout
	// loaded records the faces added to this pass's Fpdf; fonts are added on
	// first use so a document embeds only the faces it prints with.
	loaded map[fontStyle]bool
	// tocPages is the page of each table-of-contents heading in this pass
	// and links their internal link ids (nil without a table of contents).
	tocPages []int
	links    []int
	// lastBookmark is the outline level of the previous heading, to keep the
	// PDF outline well formed when a level is skipped.
	lastBookmark int
	// importer imports the pages of attached PDFs (AttachPDF) into this
	// pass's Fpdf; made on first use.
	importer *gofpdi.Importer
}

func newRenderer(d *Document, known layout) *renderer {
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(d.opts.Created)
	f.SetModificationDate(d.opts.Created)
	f.SetTitle(d.clean(d.opts.Title, true), true)
	f.SetSubject(d.clean(d.opts.Subject, true), true)
	f.SetAuthor(d.clean(d.opts.Author, true), true)
	f.SetCreator(d.clean(d.opts.Creator, true), true)
	if !d.opts.Frozen {
		f.SetXmpMetadata(xmp(d.opts))
	}
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(0)
	f.SetDisplayMode("fullwidth", "continuous")
	r := &renderer{
		d:            d,
		f:            f,
		known:        known,
		loaded:       map[fontStyle]bool{},
		tocPages:     make([]int, len(d.toc)),
		lastBookmark: -1,
	}
	if d.hasTOC {
		r.links = make([]int, len(d.toc))
		for i := range r.links {
			r.links[i] = f.AddLink()
		}
	}
	f.SetHeaderFunc(r.header)
	f.SetFooterFunc(r.footer)
	f.AddPage()
	return r
}

// result is what this pass learned about the layout.
func (r *renderer) result() layout {
	return layout{pages: r.f.PageNo(), tocPages: r.tocPages}
}

// font selects a face, size and colour, embedding the face on first use
// from a private copy of its bytes.
func (r *renderer) font(s fontStyle, size float64, c rgb) {
	if !r.loaded[s] {
		r.f.AddUTF8FontFromBytes(family, string(s), bytes.Clone(faces[s]))
		r.loaded[s] = true
	}
	r.f.SetFont(family, string(s), size)
	r.f.SetTextColor(c.r, c.g, c.b)
}

func (r *renderer) drawColor(c rgb) { r.f.SetDrawColor(c.r, c.g, c.b) }
func (r *renderer) fillColor(c rgb) { r.f.SetFillColor(c.r, c.g, c.b) }

// rule draws a horizontal line across the text width at y.
func (r *renderer) rule(y, width float64, c rgb) {
	r.drawColor(c)
	r.f.SetLineWidth(width)
	r.f.Line(marginLeft, y, pageWidth-marginRight, y)
}

// header draws the running header: the committee's name at the left (on
// up to two lines, as those names are long) and the title at the right.
func (r *renderer) header() {
	left, right := r.d.clean(r.d.opts.Header, true), r.d.clean(r.d.opts.Title, true)
	if left == "" && right == "" {
		return
	}
	r.font(regular, smallSize, colMuted)
	right = r.fit(right, textWidth/2)
	width := textWidth - r.f.GetStringWidth(right) - 8
	lines := r.wrap(left, width)
	if len(lines) > 2 {
		lines = []string{lines[0], r.fit(strings.Join(lines[1:], " "), width)}
	}
	y := headerRule - 0.8 - float64(len(lines))*headerLead
	for _, line := range lines {
		r.f.SetXY(marginLeft, y)
		r.f.CellFormat(width, headerLead, line, "", 0, "L", false, 0, "")
		y += headerLead
	}
	r.f.SetXY(marginLeft, y-headerLead)
	r.f.CellFormat(textWidth, headerLead, right, "", 0, "R", false, 0, "")
	r.rule(headerRule, 0.3, colAccent)
	r.f.SetXY(marginLeft, marginTop)
}

// footer draws the running footer with "Sida n av N" at the right. The total
// comes from the previous layout pass; the final pass always has it right.
func (r *renderer) footer() {
	r.rule(footerRule, 0.2, colRule)
	r.font(regular, smallSize, colMuted)
	total := max(r.known.pages, r.f.PageNo())
	page := fmt.Sprintf("Sida %d av %d", r.f.PageNo(), total)
	r.f.SetXY(marginLeft, footerRule+1.5)
	r.f.CellFormat(textWidth, headerLead, page, "", 0, "R", false, 0, "")
	r.f.SetXY(marginLeft, footerRule+1.5)
	footer := r.fit(r.d.clean(r.d.opts.Footer, true), textWidth-r.f.GetStringWidth(page)-8)
	r.f.CellFormat(textWidth, headerLead, footer, "", 0, "L", false, 0, "")
}

// fit shortens s with an ellipsis until it is at most width wide in the
// current font.
func (r *renderer) fit(s string, width float64) string {
	if r.f.GetStringWidth(s) <= width {
		return s
	}
	runes := []rune(s)
	for len(runes) > 0 {
		runes = runes[:len(runes)-1]
		t := strings.TrimRight(string(runes), " ") + "…"
		if r.f.GetStringWidth(t) <= width {
			return t
		}
	}
	return ""
}

// ensure starts a new page unless h millimetres fit below the current
// position. At the top of a page it never breaks, so an oversized block
// cannot loop.
func (r *renderer) ensure(h float64) bool {
	y := r.f.GetY()
	if y+h <= pageBottom || y <= marginTop+0.01 {
		return false
	}
	r.f.AddPage()
	return true
}

// space moves down h millimetres, or to the next page when that would cross
// the bottom margin; space at the top of a page is dropped.
func (r *renderer) space(h float64) {
	y := r.f.GetY()
	switch {
	case y <= marginTop+0.01:
	case y+h > pageBottom:
		r.f.AddPage()
	default:
		r.f.SetXY(marginLeft, y+h)
	}
}

// lines prints wrapped text at x, width wide, one line at a time so every
// line may start a new page.
func (r *renderer) lines(x, width, lead float64, text string) {
	for _, line := range r.wrap(text, width) {
		r.ensure(lead)
		r.f.SetX(x)
		r.f.CellFormat(width, lead, line, "", 2, "L", false, 0, "")
	}
	r.f.SetX(marginLeft)
}

// wrap breaks text into lines at most width wide in the current font. It
// breaks only at ordinary spaces and at explicit newlines, never at a
// no-break space (gofpdf's SplitText breaks at any Unicode space, which
// would split "1 234 567,50 kr"); a word wider than the line is cut.
func (r *renderer) wrap(text string, width float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Split(para, " ") {
			if word == "" {
				continue
			}
			candidate := word
			if line != "" {
				candidate = line + " " + word
			}
			if r.f.GetStringWidth(candidate) <= width {
				line = candidate
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line = word
			for r.f.GetStringWidth(line) > width {
				head := r.cut(line, width)
				out = append(out, head)
				line = line[len(head):]
			}
		}
		out = append(out, line)
	}
	return out
}

// cut returns the longest prefix of s (at least one rune) that is at most
// width wide.
func (r *renderer) cut(s string, width float64) string {
	end := 0
	for i, c := range s {
		next := i + utf8.RuneLen(c)
		if end > 0 && r.f.GetStringWidth(s[:next]) > width {
			break
		}
		end = next
	}
	return s[:end]
}

// clean makes caller text safe for gofpdf: invalid UTF-8 and runes outside
// the Basic Multilingual Plane (which gofpdf's width tables cannot index)
// become "?", tabs become spaces, carriage returns become newlines, other
// control characters are dropped. With oneLine, newlines become spaces.
// No-break spaces and all other printable runes are kept as they are.
func cleanText(s string, oneLine, replace bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case c == utf8.RuneError || c > 0xFFFF:
			b.WriteByte('?')
		case c == '\t':
			b.WriteByte(' ')
		case c == '\n' || c == '\r':
			if oneLine {
				b.WriteByte(' ')
			} else {
				b.WriteByte('\n')
			}
		case unicode.IsControl(c):
		case replace:
			b.WriteString(printable(c))
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// clean is cleanText for this document: characters the font lacks are
// replaced unless the document is Frozen.
func (d *Document) clean(s string, oneLine bool) string { return cleanText(s, oneLine, !d.opts.Frozen) }
