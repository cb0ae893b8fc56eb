package pdf

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/reports/pdf/pdftest"
)

// twoPages is a PDF of two pages whose text the test looks for.
func twoPages(t *testing.T, first, second string) []byte {
	t.Helper()
	d := New(Options{Title: "Tjänsteskrivelse", Created: time.Date(2020, 11, 30, 0, 0, 0, 0, time.UTC)})
	d.Paragraph(first)
	d.PageBreak()
	d.Paragraph(second)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAttachPDF: a document with two attached PDFs carries their pages, in
// order, after its own, listed with page numbers in the table of contents;
// a file that is not a PDF is refused and nothing is added.
func TestAttachPDF(t *testing.T) {
	t.Parallel()
	d := New(Options{Title: "Kallelse 2020-12-14", Header: "Gemensam nämnd", Created: time.Date(2020, 12, 1, 0, 0, 0, 0, time.UTC)})
	d.Title("Kallelse")
	d.TableOfContents()
	d.Heading(1, "Föredragningslista")
	d.Paragraph("3. Sammanträdestider 2021")
	d.Heading(1, "Bilagor")
	if err := d.AttachPDF(2, "Bilaga 1: Tjänsteskrivelse sammanträdestider", twoPages(t, "Förslag till sammanträdestider", "Måndag 8 februari 2021")); err != nil {
		t.Fatal(err)
	}
	if err := d.AttachPDF(2, "Bilaga 2: Protokollsutdrag § 8", twoPages(t, "Återstående medel från 2018", "Rätt utdraget betygar")); err != nil {
		t.Fatal(err)
	}
	if err := d.AttachPDF(2, "Trasig", []byte("%PDF-1.4\nnot really")); err == nil {
		t.Error("a broken PDF was attached")
	}
	if err := d.AttachPDF(2, "Word", []byte("PK\x03\x04 a docx")); err == nil {
		t.Error("a Word file was attached as PDF")
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	info, _ := pdftest.Info(t, b)
	if info["Pages"] != "5" {
		t.Errorf("pages = %s, want 5 (1 + 2 + 2)", info["Pages"])
	}
	text := pdftest.Text(t, b, true)
	for _, want := range []string{`Bilaga 1: Tjänsteskrivelse sammanträdestider[ .]+ 2 `, `Bilaga 2: Protokollsutdrag § 8[ .]+ 4 `} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("the contents lack %s:\n%s", want, text)
		}
	}
	order := []string{"Innehållsförteckning",
		"3. Sammanträdestider 2021", "Förslag till sammanträdestider", "Måndag 8 februari 2021", "Återstående medel från 2018", "Rätt utdraget betygar"}
	at := 0
	for _, want := range order {
		i := strings.Index(text[at:], want)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", want, text)
		}
		at += i + len(want)
	}
	if strings.Contains(text, "Trasig") {
		t.Error("the refused attachment is listed")
	}
}

// pageOf returns the page (1-based) whose text holds want, splitting the
// text at the running footer's "Sida n av N".
func pageOf(t *testing.T, b []byte, want string) int {
	t.Helper()
	for i, page := range regexp.MustCompile(`Sida \d+ av \d+`).Split(pdftest.Text(t, b, false), -1) {
		if strings.Contains(page, want) {
			return i + 1
		}
	}
	t.Fatalf("%q not in the document", want)
	return 0
}

// TestKeepingBlocksTogether: a block kept together moves whole to the next
// page when it does not fit, and a heading of level 1 or 2 is never left at
// the foot of a page without the subheading and text that follow it; a
// Frozen document keeps the old rule (its hash was approved).
func TestKeepingBlocksTogether(t *testing.T) {
	t.Parallel()
	// n paragraphs of one line (7.5 mm each) fill the first page to
	// 245 − 7.5n mm above its foot.
	build := func(frozen bool, n int, tail func(d *Document)) []byte {
		d := New(Options{Title: "T", Created: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Frozen: frozen})
		for i := 0; i < n; i++ {
			d.Paragraph("Rad " + strconv.Itoa(i))
		}
		tail(d)
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	kept := build(false, 27, func(d *Document) { // 42.5 mm left
		d.KeepTogether(60)
		d.Heading(1, "Justering")
		d.Paragraph("Justerat")
		d.Heading(2, "Bevis om anslag")
		d.Paragraph("Anslaget")
	})
	if pageOf(t, kept, "Rad 26") != 1 || pageOf(t, kept, "Justering") != 2 || pageOf(t, kept, "Bevis om anslag") != 2 {
		t.Error("the kept block was split or not moved")
	}
	heading := func(d *Document) {
		d.Heading(2, "§ 14 Revisionsrapport")
		d.Heading(3, "Sammanfattning")
		d.Paragraph("Text ett\nText två\nText tre")
	}
	// 35 mm left: room for the § heading and three lines, not for its
	// subheading too.
	if b := build(false, 28, heading); pageOf(t, b, "§ 14 Revisionsrapport") != pageOf(t, b, "Sammanfattning") {
		t.Error("the § heading was left at the foot of the page without its subheading")
	}
	if b := build(true, 28, heading); pageOf(t, b, "§ 14 Revisionsrapport") != 1 || pageOf(t, b, "Sammanfattning") != 2 {
		t.Error("a Frozen document's layout changed")
	}
}
