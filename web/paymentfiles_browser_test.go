package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserPaymentFilePreview: the economist, on a laptop (1366×768),
// downloads "Exempelfil för demon", uploads it, sees every open invoice
// matched by OCR and reads it in; on a phone (390×844) a file whose payments
// match nothing any more shows each with its reason. Every page passes the
// console, axe and width checks.
func TestBrowserPaymentFilePreview(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	dir := t.TempDir()

	b := browsertest.New(t, srv.URL, laptop)
	if got := logIn(b, "ekonom@demo.gns.example", demo.Password); got != "/" {
		t.Fatalf("after logging in the economist is at %s", got)
	}
	b.Open("/namnder/GNS/fakturor")
	b.ClickAndWait("a[href='/namnder/GNS/betalfiler']")
	wantHeading(t, b, "Betalningar från banken – GNS")
	b.CheckPage("betalfiler-laptop")
	example := b.Download("a[href='/namnder/GNS/betalfil-exempel']")
	if example.Status != 200 || !strings.HasPrefix(string(example.Body), "01BGMAX") {
		t.Fatalf("example file: %d %.80q", example.Status, example.Body)
	}
	path := filepath.Join(dir, "bgmax-exempel.txt")
	if err := os.WriteFile(path, example.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	b.Find("#f-file").Type(path)
	b.ClickAndWait("main form button[type=submit]")
	if h := b.Text("main h1"); !strings.HasPrefix(h, "Betalfil ") {
		t.Fatalf("after the upload the page is %q", h)
	}
	paid := len(b.FindAll("td .tag:not(.warn)"))
	if paid == 0 || len(b.FindAll("td .tag.warn")) != 0 {
		t.Fatalf("preview: %d paid, page %s", paid, b.Text("main"))
	}
	b.CheckPage("betalfil-forhandsvisning-laptop")
	b.ClickAndWait("form[action$='/las-in'] button")
	if got := b.Text(".flash"); !strings.Contains(got, "Betalfilen är inläst") {
		t.Fatalf("after reading in: %q", got)
	}
	b.CheckPage("betalfil-inlast-laptop")

	p := browsertest.New(t, srv.URL, phone)
	if got := logIn(p, "ekonom@demo.gns.example", demo.Password); got != "/" {
		t.Fatalf("after logging in the economist is at %s", got)
	}
	p.Open("/namnder/GNS/betalfiler")
	p.CheckPage("betalfiler-phone")
	p.Find("#f-file").Type(filepath.Join(mustAbs(t, "../reports/bankfile/testdata"), "several.bgmax"))
	p.ClickAndWait("main form button[type=submit]")
	if n := len(p.FindAll("td .tag.warn")); n < 3 {
		t.Errorf("the phone's preview shows %d payments to handle by hand: %s", n, p.Text("main"))
	}
	if !strings.Contains(p.Text("main"), "Avdrag på") {
		t.Errorf("the deduction is not explained: %s", p.Text("main"))
	}
	p.CheckPage("betalfil-forhandsvisning-phone")
}

func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
