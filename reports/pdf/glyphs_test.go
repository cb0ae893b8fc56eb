package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/reports/pdf/pdftest"
)

// TestPrintable: what the embedded font has is kept; what it lacks is
// replaced by a look-alike or the base letter, never left to print as an
// empty box.
func TestPrintable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   rune
		want string
	}{
		{'å', "å"}, {'Ö', "Ö"}, {'–', "–"}, {'§', "§"}, {'\u00a0', "\u00a0"}, {'€', "€"},
		{'\u2011', "-"}, {'✓', "√"}, {'✔', "√"}, {'☐', "[ ]"},
		{'①', "1"}, {'㎏', "kg"}, // decomposed
		{'\u4E2D', "?"}, // a Chinese character the font lacks
	} {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%U) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !hasGlyph('a') || hasGlyph('\u2713') {
		t.Error("the font's character map was not read")
	}
}

// TestMetadataAndMissingGlyphs: a document carries its title, author,
// subject and language, read back with pdfinfo, and a check mark and a
// non-breaking hyphen come out as characters the font has.
func TestMetadataAndMissingGlyphs(t *testing.T) {
	t.Parallel()
	d := New(Options{Title: "Kallelse 2027-02-08", Subject: "Kallelse till sammanträde", Author: "Gemensam nämnd för samverkan",
		Creator: "GNS", Created: time.Date(2027, 1, 25, 9, 0, 0, 0, time.UTC)})
	d.Paragraph("Klart ✓ – ärende GNS\u201110\u20112020")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	info, meta := pdftest.Info(t, b)
	for k, want := range map[string]string{"Title": "Kallelse 2027-02-08", "Author": "Gemensam nämnd för samverkan", "Subject": "Kallelse till sammanträde"} {
		if info[k] != want {
			t.Errorf("pdfinfo %s = %q, want %q", k, info[k], want)
		}
	}
	if !strings.Contains(meta, "<dc:language><rdf:Bag><rdf:li>sv-SE</rdf:li>") || !strings.Contains(meta, "Gemensam nämnd för samverkan") {
		t.Errorf("XMP metadata:\n%s", meta)
	}
	if got := pdftest.Text(t, b, false); !strings.Contains(got, "Klart √ – ärende GNS-10-2020") {
		t.Errorf("text = %q", got)
	}
	if !bytes.Contains(b, []byte("/Type /Catalog /Lang (sv-SE) /Metadata ")) {
		t.Error("the catalog has no /Lang and /Metadata")
	}
	for k, v := range info {
		if strings.Contains(k+v, "Error") {
			t.Errorf("pdfinfo reports %s: %s (the cross-reference table is off?)", k, v)
		}
	}
}
