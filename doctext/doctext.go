// Package doctext reads the text of an uploaded document, for the search
// index: PDF (through github.com/ledongthuc/pdf, a kept fork of rsc.io/pdf
// that lays out a page's text runs as lines), DOCX and ODT (zip files of XML,
// read with the standard library) and plain text (UTF-8, or Windows-1252 as
// older Swedish files are). It is a leaf: it imports nothing of GNS.
//
// A file whose text cannot be read gives an error and the document is found
// by its name only; Text never panics, whatever the bytes.
package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// MaxText is the most text, in bytes, kept of one document: more than a
// long report holds, and a bound on what one file adds to the index.
const MaxText = 512 << 10

// maxUnzipped bounds what is read from one part of a DOCX or ODT file, so a
// zip bomb cannot exhaust memory.
const maxUnzipped = 64 << 20

// ErrUnsupported is returned for a kind of file whose text is not read
// (spreadsheets, images).
var ErrUnsupported = errors.New("no text is read from this kind of file")

// Text returns the text of a document of the given content type (as
// domain.CheckDocument names it: application/pdf, the DOCX and ODT types,
// text/plain), with control characters other than line breaks and tabs
// removed and at most MaxText bytes long.
func Text(contentType string, content []byte) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("read document text: %v", p)
		}
	}()
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(ct) {
	case "application/pdf":
		text, err = pdfText(content)
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		text, err = zipXMLText(content, "word/document.xml")
	case "application/vnd.oasis.opendocument.text":
		text, err = zipXMLText(content, "content.xml")
	case "text/plain":
		text = plainText(content)
	default:
		return "", ErrUnsupported
	}
	if err != nil {
		return "", err
	}
	return clean(text), nil
}

// pdfText reads the text of every page of a PDF.
func pdfText(content []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", fmt.Errorf("read PDF: %w", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage() && b.Len() < MaxText; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		t, err := p.GetPlainText(nil)
		if err != nil {
			return "", fmt.Errorf("read PDF page %d: %w", i, err)
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// zipXMLText reads the text of the XML part name of a zip file (a DOCX or an
// ODT): the character data, with a line break after each paragraph or
// heading and a space or tab where the format marks one.
func zipXMLText(content []byte, name string) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", fmt.Errorf("read zip: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", fmt.Errorf("open %s: %w", name, err)
		}
		defer rc.Close()
		return xmlText(io.LimitReader(rc, maxUnzipped))
	}
	return "", fmt.Errorf("the file has no %s", name)
}

// xmlText collects the character data of an XML document of WordprocessingML
// or OpenDocument text.
func xmlText(r io.Reader) (string, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	var b strings.Builder
	for b.Len() < MaxText {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			switch t.Name.Local {
			case "tab":
				b.WriteByte('\t')
			case "s", "br", "cr", "line-break":
				b.WriteByte(' ')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p", "h":
				b.WriteByte('\n')
			}
		}
	}
	return b.String(), nil
}

// plainText reads a text file as UTF-8, or as Windows-1252 when it is not
// valid UTF-8 (the encoding of older Swedish text files).
func plainText(content []byte) string {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	if utf8.Valid(content) {
		return string(content)
	}
	var b strings.Builder
	for _, c := range content {
		if r, ok := cp1252[c]; ok {
			b.WriteRune(r)
		} else {
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// cp1252 maps the bytes where Windows-1252 differs from Latin-1.
var cp1252 = map[byte]rune{
	0x80: '€', 0x82: '‚', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x89: '‰',
	0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“',
	0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x99: '™', 0x9a: 'š', 0x9b: '›',
	0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
}

// clean drops control characters other than line breaks and tabs and
// invalid UTF-8, and cuts the text at MaxText bytes (at a rune boundary).
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= MaxText {
			break
		}
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
