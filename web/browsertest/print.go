package browsertest

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
)

// A4 in centimetres, the paper Print prints on.
const a4Width, a4Height = 21.0, 29.7

// Print prints the page shown to a PDF through the WebDriver "Print Page"
// command, as a person choosing Print and "Save as PDF" would: A4 upright,
// without background colours and images (the print dialog's default), so
// what the PDF shows is what the page's print style sheet makes of it.
// The paper's margins are left at zero here, so that the style sheet's
// @page rule decides them (and the page number boxes in them show).
func (b *Browser) Print() []byte {
	b.t.Helper()
	var data string
	b.do("POST", "/print", map[string]any{
		"orientation": "portrait",
		"background":  false,
		"shrinkToFit": true,
		"page":        map[string]float64{"width": a4Width, "height": a4Height},
		"margin":      map[string]float64{"top": 0, "bottom": 0, "left": 0, "right": 0},
	}, &data)
	pdf, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		b.t.Fatalf("print: the driver's answer is not base64: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		b.t.Fatalf("print: the driver's answer is not a PDF (starts %q)", truncate(string(pdf), 16))
	}
	return pdf
}

// SavePrint prints the page shown as Print does, writes the PDF to
// OutputDir, named after name and the viewport, and returns the PDF and the
// file's path.
func (b *Browser) SavePrint(name string) (pdf []byte, file string) {
	b.t.Helper()
	pdf = b.Print()
	file = filepath.Join(OutputDir(b.t), safeName("print-"+name)+".pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		b.t.Fatalf("print: %v", err)
	}
	return pdf, file
}

// EmulateMedia makes the page's style sheets apply as for media ("print"
// or "screen"; "" ends the emulation), so that a test can look at the
// print layout in the live page: what is hidden, how tables break.
func (b *Browser) EmulateMedia(media string) {
	b.t.Helper()
	b.cdp("Emulation.setEmulatedMedia", map[string]any{"media": media}, nil)
}
