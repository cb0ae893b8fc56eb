package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserRegistryPages walks the committee, party, member and population
// pages as the admin and as a party representative, at desktop and tablet
// size, checking each for console errors, WCAG 2.1 AA (axe-core) and width.
func TestBrowserRegistryPages(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	rs := &registrySetup{db: db}
	rs.ctx = t.Context()
	bracke := rs.party(t, "bracke")
	pages := map[string][]page{
		"admin@demo.gns.example": {
			{"/namnder/GNS", "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner"},
			{"/namnder/GNS/redigera", "Ändra nämnden GNS"}, {"/admin/namnder/ny", "Ny nämnd"},
			{"/namnder/GNS/parter/" + itoa(bracke.ID) + "/avsluta", "Avsluta medlemskapet för Bräcke kommun?"},
			{"/parter", "Parter"}, {"/parter/" + itoa(bracke.ID), "Bräcke kommun"}, {"/parter/" + itoa(bracke.ID) + "/redigera", "Ändra Bräcke kommun"},
			{"/admin/parter/ny", "Registrera part"},
			{"/namnder/GNS/ledamoter", "Ledamöter och ersättare – GNS"}, {"/namnder/GNS/ledamoter/ny", "Ny ledamot eller ersättare"},
			{"/namnder/GNS/invanare?datum=2020-12-31", "Invånarantal – GNS"}, {"/namnder/GNS/invanare/importera", "Läs in invånarantal från fil"},
		},
		"bracke@demo.gns.example": {
			{"/namnder/GNS", "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner"},
			{"/parter", "Parter"}, {"/parter/" + itoa(bracke.ID), "Bräcke kommun"},
			{"/namnder/GNS/invanare", "Invånarantal – GNS"}, {"/namnder/GNS/ledamoter", "Ledamöter och ersättare – GNS"},
		},
	}
	for email, list := range pages {
		who := email[:strings.IndexByte(email, '@')]
		t.Run(email, func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			logIn(b, email, "Storsjon-2026-demo")
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, p := range list {
					b.Open(p.path)
					wantHeading(t, b, p.heading)
					b.CheckPage("registry-" + who + "-" + pageName(p.path))
				}
			}
		})
	}
}
