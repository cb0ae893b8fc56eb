package doctext_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/doctext"
	"github.com/region-jh/gns/reports/pdf"
)

// zipped is a zip file with one part.
func zipped(t testing.TB, name, content string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	odtType  = "application/vnd.oasis.opendocument.text"
)

// TestText reads the words of each kind of file, and refuses what it cannot
// read without panicking.
func TestText(t *testing.T) {
	t.Parallel()
	d := pdf.New(pdf.Options{Title: "Tjänsteskrivelse", Created: time.Date(2020, 11, 30, 0, 0, 0, 0, time.UTC)})
	d.Paragraph("E-strateg Li Zakrisson utför arbetsuppgifter för Bräcke kommun.")
	d.PageBreak()
	d.Paragraph("Gemensamt dataskyddsombud för parterna.")
	pdfBytes, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, contentType string
		content           []byte
		want              []string
	}{
		{"pdf", "application/pdf", pdfBytes, []string{"Zakrisson", "Bräcke", "dataskyddsombud"}},
		{"docx", docxType, zipped(t, "word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Protokoll</w:t></w:r><w:r><w:tab/><w:t>från Åre</w:t></w:r></w:p><w:p><w:r><w:t>Andra stycket</w:t></w:r></w:p></w:body></w:document>`),
			[]string{"Protokoll\tfrån Åre\n", "Andra stycket"}},
		{"odt", odtType, zipped(t, "content.xml", `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>Rubrik</text:h><text:p>Östersund<text:s/>kommun</text:p></office:text></office:body></office:document-content>`),
			[]string{"Rubrik\n", "Östersund kommun"}},
		{"txt", "text/plain; charset=utf-8", []byte("\xef\xbb\xbfSammanträde i Åre\x00\n"), []string{"Sammanträde i Åre\n"}},
		{"txt-1252", "text/plain", []byte("Sammantr\xe4de i \xc5re \x96 protokoll"), []string{"Sammanträde i Åre – protokoll"}},
	} {
		got, err := doctext.Text(tc.contentType, tc.content)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: text %q lacks %q", tc.name, got, w)
			}
		}
		if strings.ContainsRune(got, 0) {
			t.Errorf("%s: text %q keeps a control character", tc.name, got)
		}
	}
	for _, tc := range []struct{ contentType, content string }{
		{"application/pdf", "%PDF-1.4 not really"},
		{docxType, "PK not a zip"},
		{odtType, string(zipped(t, "other.xml", "<a/>"))},
	} {
		if got, err := doctext.Text(tc.contentType, []byte(tc.content)); err == nil {
			t.Errorf("Text(%s, %q) = %q, want an error", tc.contentType, tc.content, got)
		}
	}
	if _, err := doctext.Text("image/png", []byte("\x89PNG")); err != doctext.ErrUnsupported {
		t.Errorf("png: err = %v, want ErrUnsupported", err)
	}
}

// FuzzText: any bytes as any supported kind give text or an error, never a
// panic, and the text holds no control characters but line breaks and tabs.
func FuzzText(f *testing.F) {
	f.Add("application/pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>"))
	f.Add(docxType, zipped(f, "word/document.xml", "<w:p><w:t>x</w:t></w:p>"))
	f.Add(odtType, zipped(f, "content.xml", "<text:p>x</text:p>"))
	f.Add("text/plain", []byte("hej \xe5"))
	f.Fuzz(func(t *testing.T, contentType string, content []byte) {
		got, err := doctext.Text(contentType, content)
		if err != nil {
			return
		}
		for _, r := range got {
			if r < 0x20 && r != '\n' && r != '\t' {
				t.Fatalf("text %q holds control character %U", got, r)
			}
		}
		if len(got) > doctext.MaxText+4 {
			t.Fatalf("text of %d bytes, more than MaxText", len(got))
		}
	})
}
