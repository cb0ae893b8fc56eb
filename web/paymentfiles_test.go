package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// TestPaymentFileThroughTheRouter: the economist downloads the demo's
// example BgMax file, uploads it, sees every open invoice matched by OCR,
// reads it in and sees them paid; the same file again is refused, a damaged
// file is refused with its line and field, and the secretariat reads but
// cannot read a file in.
func TestPaymentFileThroughTheRouter(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		b.login("ekonom@demo.gns.example", demo.Password)
		ctx := t.Context()
		cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
		if err != nil {
			t.Fatal(err)
		}
		open := func() int {
			docs, err := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range docs {
				if d.Kind == finance.InvoiceKindInvoice && d.Open().IsPositive() {
					n++
				}
			}
			return n
		}
		before := open()
		if before == 0 {
			t.Fatal("the demo has no open invoices")
		}

		if w := b.get("/namnder/GNS/fakturor"); !strings.Contains(w.Body.String(), `href="/namnder/GNS/betalfiler"`) {
			t.Fatal("the invoice list does not lead to the payment files")
		}
		w := b.get("/namnder/GNS/betalfiler")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Exempelfil för demon") {
			t.Fatalf("payment files page: %d %s", w.Code, w.Body)
		}
		w = b.get("/namnder/GNS/betalfil-exempel")
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "01BGMAX") {
			t.Fatalf("example file: %d %.200s", w.Code, w.Body)
		}
		example := w.Body.Bytes()

		b.get("/namnder/GNS/betalfiler")
		w = b.postFile("/namnder/GNS/betalfiler", url.Values{"format": {"auto"}}, "exempel.txt", example)
		if w.Code != http.StatusSeeOther || !regexp.MustCompile(`^/namnder/GNS/betalfiler/\d+$`).MatchString(location(w)) {
			t.Fatalf("upload: %d %s %s", w.Code, location(w), w.Body)
		}
		page := location(w)
		w = b.get(page)
		body := w.Body.String()
		if w.Code != http.StatusOK || strings.Count(body, `<span class="tag">betald</span>`) != before || !strings.Contains(body, "Läs in och registrera") ||
			!strings.Contains(body, "testfil") {
			t.Fatalf("preview: %d %s", w.Code, body)
		}
		if open() != before {
			t.Fatal("the preview registered payments")
		}
		w = b.post(page+"/las-in", nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("commit: %d %s", w.Code, w.Body)
		}
		if w = b.get(page); !strings.Contains(w.Body.String(), "Betalfilen är inläst") || !strings.Contains(w.Body.String(), "Vad inläsningen gjorde") {
			t.Fatalf("after commit: %s", w.Body)
		}
		if n := open(); n != 0 {
			t.Errorf("%d invoices still open after the example file", n)
		}

		// The same file again is refused with a clear message.
		b.get("/namnder/GNS/betalfiler")
		w = b.postFile("/namnder/GNS/betalfiler", nil, "igen.txt", example)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "är redan inläst: betalfil") {
			t.Errorf("same file again: %d %s", w.Code, w.Body)
		}
		// A damaged file names its line and field.
		w = b.postFile("/namnder/GNS/betalfiler", nil, "trasig.txt", []byte(strings.Replace(string(example), "\r\n70", "\r\n71", 1)))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "saknar slutpost (70)") {
			t.Errorf("damaged file: %d %s", w.Code, w.Body)
		}

		sec := newBrowser(t, s.Handler())
		sec.login("sekretariat@demo.gns.example", demo.Password)
		if w := sec.get(page); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "Läs in och registrera") {
			t.Errorf("secretariat reads the file: %d", w.Code)
		}
		if w := sec.postFile("/namnder/GNS/betalfiler", nil, "x.txt", example); w.Code != http.StatusForbidden {
			t.Errorf("secretariat uploads: %d", w.Code)
		}
	})
}
