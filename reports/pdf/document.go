// Package pdf is the shared toolkit every GNS document builder (kallelse,
// protokoll, protokollsutdrag, delårsrapport, budget, faktura) writes its PDF
// with. It keeps github.com/jung-kurt/gofpdf behind one small API and works
// around that archived library's known traps: text is always set in embedded
// UTF-8 TrueType fonts (Liberation Sans, never a core font, whose SplitText
// panics on runes ≥ 256), font bytes are copied per document (gofpdf writes
// into the slice it is given), panics are turned into errors, and output is
// byte-for-byte deterministic for the same input and creation time.
//
// A Document records its content first and lays it out when Bytes or WriteTo
// is called. Layout runs until the page count and the page of every heading
// are stable, so the footer can say "Sida 1 av 3" with the right total and the
// table of contents can print true page numbers, in whatever place the caller
// put it.
//
// Measurements are in millimetres on A4 portrait. A Document is not safe for
// concurrent use; separate Documents may be built in parallel.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// Options describes a document as a whole: its metadata and the running
// header and footer printed on every page.
type Options struct {
	// Title is the document's title in the PDF metadata; it is also printed
	// at the right of the running header.
	Title string
	// Subject is the PDF metadata subject.
	Subject string
	// Author is the PDF metadata author, e.g. the committee or the region.
	Author string
	// Creator is the PDF metadata creator, e.g. "GNS".
	Creator string
	// Created is the creation and modification date written into the PDF,
	// in UTC to the second. Fix it (e.g. to the meeting or issue date) to get
	// identical bytes for identical input; when zero, New uses the current
	// time.
	Created time.Time
	// Header is the text at the left of the running header, usually the
	// committee's name.
	Header string
	// Footer is the text at the left of the running footer, e.g. the case
	// number or the organisation; the page number is printed at the right.
	Footer string
	// Frozen keeps the layout that documents approved by their hash were
	// built with before XMP metadata, the catalog's /Lang, the replacement
	// of characters the font lacks and the stronger keep-with-next rule
	// for headings came: the justeringsexemplar sets it, so that minutes
	// approved earlier still give the hash their justerare approved.
	Frozen bool
	// Language is the document's language in the PDF's XMP metadata
	// (dc:language), "sv-SE" when empty: every GNS document is Swedish.
	Language string
}

// Document is a PDF under construction. Add content with its methods in
// reading order, then call Bytes or WriteTo. Methods that get invalid input
// record the first error, which Bytes and WriteTo return; later calls are
// still accepted so a builder need not check every call.
type Document struct {
	opts Options
	ops  []op
	// toc holds every heading that belongs in the table of contents, in
	// order; it is known before layout, so the contents can be set before
	// the headings they list.
	toc    []tocEntry
	hasTOC bool
	images int
	err    error
}

// op draws one recorded block during a layout pass.
type op func(r *renderer)

// tocEntry is a heading listed in the table of contents.
type tocEntry struct {
	level int
	text  string
}

// New starts an empty A4 portrait document.
func New(opts Options) *Document {
	if opts.Created.IsZero() {
		opts.Created = time.Now()
	}
	opts.Created = opts.Created.UTC().Truncate(time.Second)
	return &Document{opts: opts}
}

// maxPasses bounds the layout passes; two suffice unless a page number's
// width changes a line break, which the fixed page-number column prevents.
const maxPasses = 4

// Bytes lays the document out and returns the finished PDF. It returns the
// first input error recorded by the building methods, any error gofpdf
// reports, or a panic inside gofpdf as an error.
func (d *Document) Bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	var known layout
	for pass := 0; pass < maxPasses; pass++ {
		r, err := d.layout(known)
		if err != nil {
			return nil, err
		}
		got := r.result()
		if got.equal(known) {
			return r.output()
		}
		known = got
	}
	return nil, errors.New("pdf: page numbers did not settle")
}

// WriteTo writes the finished PDF to w; it implements io.WriterTo. Nothing
// is written when the document cannot be built.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	b, err := d.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// add records a block to draw.
func (d *Document) add(o op) {
	d.ops = append(d.ops, o)
}

// fail records the first input error.
func (d *Document) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("pdf: "+format, args...)
	}
}

// layout runs one layout pass using what the previous pass learned.
func (d *Document) layout(known layout) (r *renderer, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("pdf: gofpdf panicked: %v", p)
		}
	}()
	r = newRenderer(d, known)
	for _, o := range d.ops {
		o(r)
		if r.f.Err() {
			break
		}
	}
	if err := r.f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return r, nil
}

// output serialises a laid-out pass.
func (r *renderer) output() (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("pdf: gofpdf panicked: %v", p)
		}
	}()
	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if r.d.opts.Frozen {
		return buf.Bytes(), nil
	}
	return withCatalogEntries(buf.Bytes(), r.d.opts.Language), nil
}

// layout is what one pass learns and the next one prints: the page count and
// the page of every table-of-contents heading.
type layout struct {
	pages    int
	tocPages []int
}

func (l layout) equal(o layout) bool {
	if l.pages != o.pages || len(l.tocPages) != len(o.tocPages) {
		return false
	}
	for i := range l.tocPages {
		if l.tocPages[i] != o.tocPages[i] {
			return false
		}
	}
	return true
}
