// Package pdftest reads PDFs back for the tests of the document builders:
// the text with poppler's pdftotext and the fonts with pdffonts. Without
// poppler-utils a test is skipped with a message, except in CI (CI set),
// where it fails: the PDF tests must never skip there silently.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Tool finds a poppler-utils program, or skips (fails in CI) the test.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found (CI is set): install poppler-utils", name)
	}
	t.Skipf("%s not found: apt-get install poppler-utils to run this test", name)
	return ""
}

// write puts a PDF into a file of the test's own.
func write(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Text returns a PDF's text as pdftotext reads it, with every run of white
// space (no-break spaces included) as one space. With layout, pdftotext
// keeps the page's layout, so a label and its value, or a table's row, read
// as one line.
func Text(t testing.TB, pdf []byte, layout bool) string {
	t.Helper()
	args := []string{"-enc", "UTF-8", write(t, pdf), "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	out, err := exec.Command(Tool(t, "pdftotext"), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
}

// Fonts returns the lines pdffonts lists for a PDF's fonts, one per font,
// without the heading.
func Fonts(t testing.TB, pdf []byte) []string {
	t.Helper()
	out, err := exec.Command(Tool(t, "pdffonts"), write(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		return nil
	}
	return lines[2:]
}

// Info returns what pdfinfo says of a PDF: its Info dictionary (Title,
// Author, Subject, Pages …) as a map, and its XMP metadata as text.
func Info(t testing.TB, pdf []byte) (map[string]string, string) {
	t.Helper()
	path := write(t, pdf)
	out, err := exec.Command(Tool(t, "pdfinfo"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	meta, err := exec.Command(Tool(t, "pdfinfo"), "-meta", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -meta: %v\n%s", err, meta)
	}
	return info, string(meta)
}
