package domain

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCaseStatus(t *testing.T) {
	t.Parallel()
	for _, s := range CaseStatuses {
		got, err := ParseCaseStatus(" " + string(s) + " ")
		if err != nil || got != s {
			t.Errorf("ParseCaseStatus(%q) = %q, %v", s, got, err)
		}
		if s.Label() == string(s) {
			t.Errorf("%s has no Swedish label", s)
		}
	}
	if CaseOnAgenda.Label() != "på föredragningslista" || CaseClosed.Label() != "avslutat" {
		t.Errorf("labels = %q, %q", CaseOnAgenda.Label(), CaseClosed.Label())
	}
	for _, in := range []string{"", "Closed", "avslutat", "<b>"} {
		if _, err := ParseCaseStatus(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseCaseStatus(%q) error = %v, want invalid", in, err)
		}
	}
}

func TestCheckCaseText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title, description     string
		wantTitle, wantDesc    string
		wantField, wantMessage string
	}{
		{title: " Budget 2021 ", description: "\nBasfinansiering.\n", wantTitle: "Budget 2021", wantDesc: "Basfinansiering."},
		{title: `<b>Fet</b> & "citat"`, wantTitle: `<b>Fet</b> & "citat"`},
		{title: strings.Repeat("å", MaxCaseTitle), wantTitle: strings.Repeat("å", MaxCaseTitle)},
		{title: "", wantField: "title", wantMessage: "Ange en titel"},
		{title: " \t ", wantField: "title", wantMessage: "Ange en titel"},
		{title: strings.Repeat("x", 10_000), wantField: "title", wantMessage: "Titeln får vara högst 300 tecken."},
		{title: "Rad ett\r\nRad två", wantField: "title", wantMessage: "en enda rad"},
		{title: "Nolltecken\x00", wantField: "title", wantMessage: "styrtecken"},
		{title: "Budget", description: strings.Repeat("ö", MaxCaseDescription+1), wantField: "description", wantMessage: "Beskrivningen får vara högst 10\u00a0000 tecken."},
		{title: "Budget", description: "\xc3\x28", wantField: "description", wantMessage: "ogiltiga tecken"},
	}
	for _, tt := range tests {
		title, desc, err := CheckCaseText(tt.title, tt.description)
		if tt.wantField != "" {
			e, ok := err.(*Error)
			if !ok || e.Field != tt.wantField || !strings.Contains(e.Message, tt.wantMessage) {
				t.Errorf("CheckCaseText(%.20q, %.20q) error = %v, want %s: %q", tt.title, tt.description, err, tt.wantField, tt.wantMessage)
			}
			continue
		}
		if err != nil || title != tt.wantTitle || desc != tt.wantDesc {
			t.Errorf("CheckCaseText(%.20q, %.20q) = %.20q, %.20q, %v", tt.title, tt.description, title, desc, err)
		}
	}
}

func TestCaseFolded(t *testing.T) {
	t.Parallel()
	if got := CaseFolded("Gemensam IT-serverdrift", "Fakturerat ÅRE  KOMMUN"); got != "gemensam it-serverdrift fakturerat åre kommun" {
		t.Errorf("CaseFolded = %q", got)
	}
}

func TestCaseCursor(t *testing.T) {
	t.Parallel()
	c := CaseCursor{Year: 2020, Seq: 10}
	got, err := ParseCaseCursor("efter", c.String())
	if err != nil || got != c || c.String() != "2020-10" {
		t.Errorf("round trip of %v: %q → %v, %v", c, c.String(), got, err)
	}
	if got, err := ParseCaseCursor("efter", ""); err != nil || !got.IsZero() {
		t.Errorf(`ParseCaseCursor("") = %v, %v`, got, err)
	}
	for _, in := range []string{"2020", "2020-", "-10", "2020-0", "0-1", "10000-1", "2020-1000000", "x-y", "2020-10-1"} {
		if _, err := ParseCaseCursor("efter", in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseCaseCursor(%q) error = %v, want invalid", in, err)
		}
	}
}

func TestCheckCaseSearch(t *testing.T) {
	t.Parallel()
	words, err := CheckCaseSearch("  ÅRE   Kommun ")
	if err != nil || strings.Join(words, "|") != "åre|kommun" {
		t.Errorf("CheckCaseSearch = %q, %v", words, err)
	}
	for _, in := range []string{strings.Repeat("ord ", MaxCaseSearchWords+1), strings.Repeat("x", 201), "a\x00b"} {
		if _, err := CheckCaseSearch(in); ErrorCode(err) != EINVALID {
			t.Errorf("CheckCaseSearch(%.20q) error = %v, want invalid", in, err)
		}
	}
}

// zipWith returns a ZIP archive holding the named entries, each with the
// given content ("" for a stub).
func zipWith(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckDocument(t *testing.T) {
	t.Parallel()
	docx := zipWith(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w/>"})
	xlsx := zipWith(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<x/>"})
	odt := zipWith(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}, [2]string{"content.xml", "<o/>"})
	ods := zipWith(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, [2]string{"content.xml", "<o/>"})
	plainZip := zipWith(t, [2]string{"a.txt", "hej"})
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	tests := []struct {
		name    string
		data    []byte
		want    string
		wantErr string
	}{
		{"Tjänsteskrivelse.pdf", pdf, "application/pdf", ""},
		{"BUDGET.PDF", pdf, "application/pdf", ""},
		{"brev.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"utfall.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"yttrande.odt", odt, "application/vnd.oasis.opendocument.text", ""},
		{"anteckning.txt", []byte("Återstående medel 468 091 kr.\r\n\tRad två\n"), "text/plain; charset=utf-8", ""},
		{"bom.txt", []byte("\xef\xbb\xbfMed BOM"), "text/plain; charset=utf-8", ""},
		{"karta.png", png, "image/png", ""},
		{"foto.jpg", jpeg, "image/jpeg", ""},
		{"foto.jpeg", jpeg, "image/jpeg", ""},

		{"tom.pdf", nil, "", "är tom"},
		{"stor.pdf", append(append([]byte{}, pdf...), make([]byte, MaxCaseDocumentSize)...), "", "högst 20 MB"},
		{"program.exe", []byte("MZ\x90\x00"), "", "filtyp som inte tas emot"},
		{"utan-andelse", pdf, "", "filtyp som inte tas emot"},
		{"sida.html", []byte("<html></html>"), "", "filtyp som inte tas emot"},
		{"kalkyl.ods", ods, "", "filtyp som inte tas emot"},
		{"faktura.pdf", []byte("MZ\x90\x00"), "", "innehållet är inte PDF"},
		{"faktura.pdf", []byte("<html><script>"), "", "innehållet är inte PDF"},
		{"bild.png", jpeg, "", "innehållet är inte PNG"},
		{"brev.docx", xlsx, "", "innehållet är inte Word"},
		{"brev.docx", plainZip, "", "innehållet är inte Word"},
		{"kalkyl.odt", ods, "", "innehållet är inte OpenDocument"},
		{"trasig.docx", []byte("PK\x03\x04trasigt"), "", "innehållet är inte Word"},
		{"latin1.txt", []byte("R\xe4ksm\xf6rg\xe5s"), "", "innehållet är inte text"},
		{"binär.txt", []byte("text\x00med nolla"), "", "innehållet är inte text"},
		{"escape.txt", []byte("text\x1b[31m"), "", "innehållet är inte text"},
	}
	for _, tt := range tests {
		got, err := CheckDocument(tt.name, tt.data)
		if tt.wantErr != "" {
			e, ok := err.(*Error)
			if !ok || e.Field != "file" || !strings.Contains(e.Message, tt.wantErr) {
				t.Errorf("CheckDocument(%q) error = %v, want file: %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CheckDocument(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestCheckCaseDocumentTitle(t *testing.T) {
	t.Parallel()
	tests := []struct{ title, file, want, wantErr string }{
		{"", "Tjänsteskrivelse Budget 2021.pdf", "Tjänsteskrivelse Budget 2021", ""},
		{" Beslutsunderlag ", "x.pdf", "Beslutsunderlag", ""},
		{"", "", "", "Ange en titel"},
		{"", ".pdf", ".pdf", ""},
		{"Två\nrader", "x.pdf", "", "en enda rad"},
		{strings.Repeat("x", MaxCaseDocumentTitle+1), "x.pdf", "", "högst"},
	}
	for _, tt := range tests {
		got, err := CheckCaseDocumentTitle(tt.title, tt.file)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(ErrorMessage(err), tt.wantErr) {
				t.Errorf("CheckCaseDocumentTitle(%.20q, %q) error = %v, want %q", tt.title, tt.file, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CheckCaseDocumentTitle(%q, %q) = %q, %v", tt.title, tt.file, got, err)
		}
	}
	for _, k := range CaseDocumentKinds {
		if got, err := ParseCaseDocumentKind(string(k)); err != nil || got != k || k.Label() == string(k) {
			t.Errorf("kind %s: parse %v, %v; label %q", k, got, err, k.Label())
		}
	}
	if _, err := ParseCaseDocumentKind("protokoll"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseCaseDocumentKind(protokoll) error = %v", err)
	}
}

func TestSanitizeFileName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Tjänsteskrivelse Budget 2021.pdf", "Tjänsteskrivelse Budget 2021.pdf"},
		{`C:\Users\sofia\Dokument\Underlag.docx`, "Underlag.docx"},
		{"../../etc/passwd", "passwd"},
		{`"citat" och <taggar>.txt`, "_citat_ och _taggar_.txt"},
		{"rad\r\nbrytning.pdf", "rad brytning.pdf"},
		{"  många   mellanrum\t.pdf  ", "många mellanrum .pdf"},
		{"slut med punkt.pdf.", "slut med punkt.pdf"},
		{"", "handling"},
		{"...", "handling"},
		{"/", "handling"},
		{"trasig\xff.pdf", "trasig.pdf"},
		{strings.Repeat("å", 200) + ".pdf", strings.Repeat("å", MaxFileName-4) + ".pdf"},
	}
	for _, tt := range tests {
		if got := SanitizeFileName(tt.in); got != tt.want {
			t.Errorf("SanitizeFileName(%.30q) = %.30q, want %.30q", tt.in, got, tt.want)
		}
	}
}

func FuzzSanitizeFileName(f *testing.F) {
	for _, s := range []string{"Budget.pdf", `C:\a\b.docx`, "../x", strings.Repeat("a.", 100) + "pdf", " . ", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SanitizeFileName(in)
		if got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > MaxFileName+len("handling") {
			t.Fatalf("SanitizeFileName(%q) = %q", in, got)
		}
		if strings.ContainsAny(got, "/\\\"\r\n\x00") || strings.HasPrefix(got, ".") {
			t.Fatalf("SanitizeFileName(%q) = %q keeps an unsafe character", in, got)
		}
		if again := SanitizeFileName(got); again != got {
			t.Fatalf("SanitizeFileName is not stable: %q → %q → %q", in, got, again)
		}
	})
}

func FuzzCheckDocument(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.7"))
	f.Add("a.docx", zipWith(f, [2]string{"[Content_Types].xml", ""}, [2]string{"word/document.xml", ""}))
	f.Add("a.odt", zipWith(f, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}))
	f.Add("a.txt", []byte("hej"))
	f.Add("a.docx", []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		got, err := CheckDocument(name, data)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Field != "file" {
				t.Fatalf("CheckDocument(%q) error = %v, want a field error", name, err)
			}
			return
		}
		known := false
		for _, dt := range documentTypes {
			known = known || dt.contentType == got
		}
		if !known {
			t.Fatalf("CheckDocument(%q) = %q, not an allowed type", name, got)
		}
	})
}
