package pdf

import (
	"bytes"
	"fmt"
	"io"

	"github.com/jung-kurt/gofpdf"
	"github.com/jung-kurt/gofpdf/contrib/gofpdi"
)

// Attached documents: the pages of another PDF (a tjänsteskrivelse, an
// earlier protokollsutdrag) appended to a document, as the committee's own
// kallelse carries its beslutsunderlag. The pages are imported with
// github.com/phpdave11/gofpdi (through gofpdf's contrib wrapper) and drawn
// scaled into the space between the running header and footer, so each page
// still says which document and page it is. The first page has an outline
// entry (bookmark) and a line in the table of contents.

// attachTop and attachBottom bound an attached page: below the running
// header's rule, above the footer's.
const (
	attachTop    = headerRule + 2
	attachBottom = footerRule - 2
	attachMargin = 10.0
)

// AttachPDF appends the pages of the PDF content, under the outline and
// contents entry title at heading level (1 or 2). A PDF that cannot be read
// or imported is refused with an error and nothing is added, so the caller
// can list the document instead.
func (d *Document) AttachPDF(level int, title string, content []byte) error {
	if level < 1 || level > TOCDepth {
		return fmt.Errorf("pdf: attachment level %d outside 1..%d", level, TOCDepth)
	}
	pages, sizes, err := pdfPages(content)
	if err != nil {
		return err
	}
	title = d.clean(title, true)
	content = bytes.Clone(content)
	toc := len(d.toc)
	d.toc = append(d.toc, tocEntry{level: level, text: title})
	d.add(func(r *renderer) {
		if r.importer == nil {
			r.importer = gofpdi.NewImporter()
		}
		var rs io.ReadSeeker = bytes.NewReader(content)
		for p := 1; p <= pages; p++ {
			r.f.AddPage()
			if p == 1 {
				r.bookmark(title, level-1)
				r.tocPages[toc] = r.f.PageNo()
				if r.links != nil {
					r.f.SetLink(r.links[toc], -1, -1)
				}
			}
			tpl := r.importer.ImportPageFromStream(r.f, &rs, p, "/MediaBox")
			w, h := sizes[p][0], sizes[p][1]
			x, y, dw, dh := fitPage(w, h)
			r.importer.UseImportedTemplate(r.f, tpl, x, y, dw, dh)
			r.f.SetXY(marginLeft, pageBottom)
		}
	})
	return nil
}

// CanAttach reports why content cannot be attached with AttachPDF (it is
// not a PDF, or gofpdi cannot read it), or nil when it can.
func CanAttach(content []byte) error {
	_, _, err := pdfPages(content)
	return err
}

// fitPage places a page of w×h (any unit) in the space for attached pages,
// as large as fits, centred: its position and size in millimetres.
func fitPage(w, h float64) (x, y, dw, dh float64) {
	boxW, boxH := pageWidth-2*attachMargin, attachBottom-attachTop
	scale := min(boxW/w, boxH/h)
	dw, dh = w*scale, h*scale
	return (pageWidth - dw) / 2, attachTop + (boxH-dh)/2, dw, dh
}

// pdfPages reads a PDF's page count and each page's size (width, height in
// points, by page number), trying the import once on a scratch document so
// a file gofpdi cannot read is refused here rather than in the layout.
func pdfPages(content []byte) (n int, sizes map[int][2]float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			n, sizes, err = 0, nil, fmt.Errorf("pdf: the attached file cannot be read as PDF: %v", p)
		}
	}()
	if !bytes.HasPrefix(bytes.TrimLeft(content, "\x00\t\r\n "), []byte("%PDF-")) {
		return 0, nil, fmt.Errorf("pdf: the attached file is not a PDF")
	}
	scratch := gofpdf.New("P", "mm", "A4", "")
	scratch.AddPage()
	imp := gofpdi.NewImporter()
	var rs io.ReadSeeker = bytes.NewReader(content)
	imp.ImportPageFromStream(scratch, &rs, 1, "/MediaBox")
	sizes = map[int][2]float64{}
	for p, boxes := range imp.GetPageSizes() {
		box := boxes["/MediaBox"]
		if box["w"] <= 0 || box["h"] <= 0 {
			return 0, nil, fmt.Errorf("pdf: page %d of the attached file has no size", p)
		}
		sizes[p] = [2]float64{box["w"], box["h"]}
	}
	for p := 2; p <= len(sizes); p++ {
		imp.ImportPageFromStream(scratch, &rs, p, "/MediaBox")
	}
	if err := scratch.Error(); err != nil {
		return 0, nil, fmt.Errorf("pdf: the attached file cannot be imported: %w", err)
	}
	if len(sizes) == 0 {
		return 0, nil, fmt.Errorf("pdf: the attached file has no pages")
	}
	return len(sizes), sizes, nil
}
