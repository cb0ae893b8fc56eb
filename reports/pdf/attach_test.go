package pdf

import (
	"regexp"
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
