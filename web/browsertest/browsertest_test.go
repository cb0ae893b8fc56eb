package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/region-jh/gns/reports/pdf/pdftest"
)

// The pages the harness is tested on: one that passes every check, one that
// breaks them in known ways.
const (
	goodPage = `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Bra sida</title>
<style>a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #1b1f24; outline-offset: 2px; }</style></head>
<body><a href="#main">Hoppa till innehållet</a><main id="main"><h1>Bra sida</h1>
<form method="get" action="/sent"><label for="q">Namn</label> <input id="q" name="q"> <button type="submit">Skicka</button></form>
</main></body></html>`
	badPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dålig sida</title><link rel="stylesheet" href="/missing.css">
<style>a:focus { outline: none; } .pale { color: #bbbbbb; }</style></head>
<body><main><h1>Dålig sida</h1><p class="pale">Blek text</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input name="x"><a href="/good">En länk</a><a id="file" href="/file.pdf">Fil</a><div style="width: 3000px">Bred</div></main><script>console.error("trasigt");</script></body></html>`
)

// pdfBytes stands in for a PDF: every byte value, to show nothing is lost.
var pdfBytes = func() []byte {
	b := []byte("%PDF-1.7\n")
	for i := range 256 {
		b = append(b, byte(i))
	}
	return b
}()

func testServer() *httptest.Server {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/good", page(goodPage))
	mux.HandleFunc("/bad", page(badPage))
	mux.HandleFunc("/sent", page(`<!DOCTYPE html><html lang="sv"><head><title>Skickat</title></head><body><main><h1>Skickat</h1></main></body></html>`))
	mux.HandleFunc("/file.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="faktura.pdf"`)
		w.Write(pdfBytes)
	})
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return httptest.NewServer(mux)
}

func TestMain(m *testing.M) { Main(m) }

func TestHarnessFindsProblems(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	b := New(t, srv.URL, Desktop)

	b.Open("/bad")
	vs, err := b.Axe()
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, v := range vs {
		rules = append(rules, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label", "color-contrast"} {
		if !slices.Contains(rules, want) {
			t.Errorf("axe found %v on the bad page, want %s among them", rules, want)
		}
	}
	if report := FormatViolations(vs); !strings.Contains(report, "image-alt (critical)") || !strings.Contains(report, "<img") {
		t.Errorf("the report does not name the rule and the element:\n%s", report)
	}
	var messages []string
	for _, e := range b.ConsoleErrors() {
		messages = append(messages, e.Source+": "+e.Message)
	}
	got := strings.Join(messages, "\n")
	if !strings.Contains(got, `"trasigt"`) || !strings.Contains(got, "missing.css") {
		t.Errorf("console errors on the bad page:\n%s\nwant the console.error and the missing style sheet", got)
	}
	if errs := b.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("console errors were not cleared after reading: %v", errs)
	}
	stops := b.TabThrough(10)
	if len(stops) != 3 || stops[1].OutlineWidth != 0 {
		t.Errorf("Tab on the bad page reached %+v, want the input and then the links without outline", stops)
	}

	var fits bool
	b.Exec(&fits, "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
	if fits {
		t.Error("the bad page's 3000 px wide block does not make it wider than the window")
	}

	d := b.Download("#file")
	if d.Status != 200 || d.ContentType != "application/pdf" || !strings.Contains(d.Disposition, "faktura.pdf") || !bytes.Equal(d.Body, pdfBytes) {
		t.Errorf("download: status %d, type %q, disposition %q, %d bytes; want the PDF as served", d.Status, d.ContentType, d.Disposition, len(d.Body))
	}
}

func TestHarnessPassesAGoodPage(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	b := New(t, srv.URL, Desktop)

	b.Open("/good")
	b.CheckPage("harness-good")
	if got := b.Title(); got != "Bra sida" {
		t.Errorf("title %q, want Bra sida", got)
	}
	stops := b.TabThrough(10)
	if len(stops) != 3 {
		t.Fatalf("Tab reached %+v, want the link, the field and the button", stops)
	}
	for _, f := range stops {
		if f.OutlineWidth != 3 || f.Contrast < 3 {
			t.Errorf("focus %+v, want a 3px outline with contrast at least 3:1", f)
		}
	}
	if stops[0].InMain || !stops[1].InMain {
		t.Errorf("InMain: %+v", stops)
	}

	b.Fill("#q", "Åsa <b>")
	b.ClickAndWait("button[type=submit]")
	if got, want := b.Path(), "/sent?q=%C3%85sa+%3Cb%3E"; got != want {
		t.Errorf("after submitting the form the browser is at %s, want %s", got, want)
	}
	if got := b.Text("h1"); got != "Skickat" {
		t.Errorf("h1 %q, want Skickat", got)
	}

	b.Resize(Tablet)
	var width int
	b.Exec(&width, "return window.innerWidth")
	if width != Tablet.Width {
		t.Errorf("inner width after resizing to tablet = %d, want %d", width, Tablet.Width)
	}
	// A phone is narrower than the narrowest window Chromium keeps.
	b.Resize(Phone)
	var size struct{ W, H int }
	b.Exec(&size, "return {W: window.innerWidth, H: window.innerHeight}")
	if size.W != Phone.Width || size.H != Phone.Height {
		t.Errorf("inner size after resizing to phone = %d×%d, want %d×%d", size.W, size.H, Phone.Width, Phone.Height)
	}
	file := b.Screenshot("harness-sent")
	png, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n")) {
		t.Errorf("%s is not a PNG", file)
	}
}

// outcome records how a test helper ended a test, standing in for the test.
type outcome struct {
	testing.TB
	skipped, failed string
}

func (o *outcome) Helper() {}

func (o *outcome) Skipf(format string, args ...any) {
	o.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (o *outcome) Fatalf(format string, args ...any) {
	o.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// requireWithout runs Require as if chromedriver were not installed.
func requireWithout(t *testing.T, ci string) *outcome {
	saved := driverPaths
	driverPaths = []string{"no-such-chromedriver", "/no/such/chromedriver"}
	defer func() { driverPaths = saved }()
	t.Setenv("CI", ci)
	o := &outcome{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); Require(o) }()
	<-done
	return o
}

func TestRequireSkipsOutsideCIAndFailsInCI(t *testing.T) {
	o := requireWithout(t, "")
	if o.failed != "" || !strings.Contains(o.skipped, "apt-get install chromium chromium-driver") {
		t.Errorf("outside CI without chromedriver: skipped %q, failed %q; want a skip saying what to install", o.skipped, o.failed)
	}
	o = requireWithout(t, "true")
	if o.skipped != "" || !strings.Contains(o.failed, "chromedriver not found") {
		t.Errorf("in CI without chromedriver: skipped %q, failed %q; want a failure", o.skipped, o.failed)
	}
}

func TestHarnessPrints(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	b := New(t, srv.URL, Desktop)
	b.Open("/good")
	pdf, file := b.SavePrint("harness-good")
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, pdf) {
		t.Errorf("%s holds %d bytes, not the %d bytes printed", file, len(saved), len(pdf))
	}
	if text := pdftest.Text(t, pdf, false); !strings.Contains(text, "Bra sida") || !strings.Contains(text, "Namn") {
		t.Errorf("the printed page reads %q, want its heading and label", text)
	}

	// Print emulation shows the page as the printer gets it, and ends.
	b.Exec(nil, "var s = document.createElement('style'); s.textContent = '@media print { h1 { display: none; } }'; document.head.appendChild(s);")
	shown := func() bool {
		var visible bool
		b.Exec(&visible, "return document.querySelector('h1').getClientRects().length > 0")
		return visible
	}
	b.EmulateMedia("print")
	if shown() {
		t.Error("with print emulated, a heading hidden in print still shows")
	}
	b.EmulateMedia("")
	if !shown() {
		t.Error("after the print emulation ends, the heading is still hidden")
	}
}
