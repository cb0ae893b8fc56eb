package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// TestBrowserInvoicePages walks the invoice pages as the economist and as
// Bräcke's representative, at desktop and tablet size, checking each for
// console errors, WCAG 2.1 AA (axe-core) and width, and opens the PDFs the
// pages link to.
func TestBrowserInvoicePages(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	inv, err := db.Conn().InvoiceByNumber(t.Context(), "GNS-2021-0005")
	if err != nil {
		t.Fatal(err)
	}
	run := kit.RunURL(inv.RunID)
	pages := map[string][]page{
		"ekonom@demo.gns.example": {
			{"/namnder/GNS/fakturor", "Fakturor – GNS"},
			{"/namnder/GNS/fakturor?part=bracke&forfallna=ja", "Fakturor – GNS"},
			{"/namnder/GNS/fakturainstallningar", "Faktureringsuppgifter – GNS"},
			{"/namnder/GNS/betalfiler", "Betalningar från banken – GNS"},
			{run, "Basfinansiering 2021"},
			{run + "/skicka", "Skicka med e-post: Basfinansiering 2021"},
			{"/fakturor/GNS-2021-0005", "Faktura GNS-2021-0005"},
			{"/fakturor/GNS-2021-0013", "Kreditfaktura GNS-2021-0013"},
			{"/fakturor/GNS-2021-0005/kreditera", "Kreditera faktura GNS-2021-0005"},
		},
		"bracke@demo.gns.example": {
			{"/namnder/GNS/fakturor", "Fakturor – GNS"},
			{"/fakturor/GNS-2021-0005", "Faktura GNS-2021-0005"},
		},
	}
	for email, list := range pages {
		who := email[:strings.IndexByte(email, '@')]
		t.Run(who, func(t *testing.T) {
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			logIn(b, email, demo.Password)
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, p := range list {
					b.Open(p.path)
					wantHeading(t, b, p.heading)
					b.CheckPage("invoices-" + who + "-" + pageName(p.path))
				}
			}
			b.Open("/fakturor/GNS-2021-0005")
			pdf := b.Download("a[href='/fakturor/GNS-2021-0005/pdf']")
			if pdf.Status != 200 || pdf.ContentType != "application/pdf" || !strings.Contains(pdftest.Text(t, pdf.Body, true), "Bräcke kommun") {
				t.Errorf("the invoice PDF = %d %s", pdf.Status, pdf.ContentType)
			}
		})
	}

	t.Run("payment error", func(t *testing.T) {
		b := browsertest.New(t, srv.URL, browsertest.Desktop)
		logIn(b, "ekonom@demo.gns.example", demo.Password)
		b.Open("/fakturor/GNS-2021-0005")
		b.Fill("#f-amount", "-100")
		b.ClickAndWait("main form[action$='/betalningar'] button[type=submit]")
		if !b.Has(".error-summary a[href='#f-amount']") || !b.Has("#f-amount[aria-invalid=true]") {
			t.Fatal("the refused payment does not tie its error to the amount")
		}
		b.CheckPage("invoices-payment-error", 400)
	})
}
