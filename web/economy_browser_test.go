package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserEconomyPages walks the economy as the economist and as the
// auditor, at desktop and tablet size, checking each page for console
// errors, WCAG 2.1 AA (axe-core) and width; the economist starts the
// delårsrapport from the form and opens its PDF, and a budget with a word
// for an amount ties the error to its field.
func TestBrowserEconomyPages(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	if _, err := demo.LoadEconomy(t.Context(), db); err != nil { // nothing when demo.Load has done it
		t.Fatal(err)
	}
	imports, err := db.Conn().Imports(t.Context(), 1)
	if err != nil || len(imports) == 0 {
		t.Fatalf("the demo has no import: %v", err)
	}
	common := []page{
		{"/namnder/GNS/ekonomi", "Ekonomi – GNS"},
		{"/namnder/GNS/ekonomi/kontoplan", "Kontoplan – GNS"},
		{"/namnder/GNS/ekonomi/import", "Importera utfall – GNS"},
		{"/namnder/GNS/ekonomi/import/" + itoa(imports[0].ID) + "?manad=2020-08", "Import " + itoa(imports[0].ID) + ": " + demo.August2020FileName},
		{"/namnder/GNS/ekonomi/budget/2020", "Budget 2020 – GNS"},
		{"/namnder/GNS/ekonomi/budget/2021", "Budget 2021 – GNS"},
		{"/namnder/GNS/ekonomi/overforingar", "Över- och underskott – GNS"},
		{"/namnder/GNS/ekonomi/rapporter", "Rapporter – GNS"},
	}
	for _, email := range []string{"ekonom@demo.gns.example", "revisor@demo.gns.example"} {
		who := email[:strings.IndexByte(email, '@')]
		t.Run(who, func(t *testing.T) {
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			logIn(b, email, demo.Password)
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, p := range common {
					b.Open(p.path)
					wantHeading(t, b, p.heading)
					b.CheckPage("economy-" + who + "-" + pageName(p.path))
				}
			}
		})
	}

	t.Run("report", func(t *testing.T) {
		b := browsertest.New(t, srv.URL, browsertest.Desktop)
		logIn(b, "ekonom@demo.gns.example", demo.Password)
		b.Open("/namnder/GNS/ekonomi/rapporter")
		b.Fill("#f-period", "2020-08")
		b.ClickAndWait("main form[action$='/rapporter'] button[type=submit]")
		wantHeading(t, b, "Delårsrapport augusti 2020")
		for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
			b.Resize(vp)
			b.CheckPage("economy-report-" + vp.Name)
		}
		path := b.Path()
		pdf := b.Download("a[href='" + path + "/pdf']")
		if pdf.Status != 200 || pdf.ContentType != "application/pdf" || !strings.Contains(pdftest.Text(t, pdf.Body, true), "Summa verksamhetens nettokostnader −19 −52 32 −493 474") {
			t.Errorf("the report PDF = %d %s", pdf.Status, pdf.ContentType)
		}
		b.Open(path + "/faststall")
		wantHeading(t, b, "Fastställ Delårsrapport augusti 2020, version 1")
		b.CheckPage("economy-report-confirm")
	})

	t.Run("budget error", func(t *testing.T) {
		b := browsertest.New(t, srv.URL, browsertest.Desktop)
		logIn(b, "ekonom@demo.gns.example", demo.Password)
		b.Open("/namnder/GNS/ekonomi/budget/2022")
		b.Fill("#f-base_funding", "niohundra")
		b.ClickAndWait("main form[action$='/budget/2022'] button[type=submit]")
		if !b.Has(".error-summary a[href='#f-base_funding']") || !b.Has("#f-base_funding[aria-invalid=true]") {
			t.Fatal("the refused budget does not tie its error to the base funding")
		}
		b.CheckPage("economy-budget-error", 400)
	})
}
