package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserSearch is a search from the header box as the secretariat and
// as a party representative, on a laptop and on a phone: the results page
// groups what it finds by kind with the words marked, the kind filter
// narrows it, the page passes the accessibility checks and fits the
// window; the party finds its own invoices and no other party's.
func TestBrowserSearch(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	for _, vp := range []browsertest.Viewport{laptop, phone} {
		b := browsertest.New(t, srv.URL, vp)
		if got := logIn(b, "sekretariat@demo.gns.example", demo.Password); got == "/logga-in" {
			t.Fatalf("%s: the secretariat could not log in", vp.Name)
		}
		b.Fill("#site-q", "Zakrisson")
		b.ClickAndWait(".site-search button[type=submit]")
		if got := b.Path(); !strings.HasPrefix(got, "/sok?") {
			t.Fatalf("%s: the search box led to %s, want /sok?q=…", vp.Name, got)
		}
		wantHeading(t, b, "Sök")
		page := b.Text("main")
		for _, want := range []string{"Ärenden", "Handlingar", "Delårsrapport per augusti 2020"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the results lack %q:\n%s", vp.Name, want, page)
			}
		}
		if got := b.Text(".search-snippet mark"); !strings.EqualFold(got, "Zakrisson") {
			t.Errorf("%s: the first marked word is %q", vp.Name, got)
		}
		b.CheckPage("sok-" + vp.Name)

		b.Open("/sok?q=Zakrisson&kind=document")
		if b.Has("#g-case") || !b.Has("#g-document") {
			t.Errorf("%s: the kind filter shows other kinds: %s", vp.Name, b.Text("main"))
		}
		b.CheckPage("sok-handlingar-" + vp.Name)

		b = browsertest.New(t, srv.URL, vp)
		if got := logIn(b, "bracke@demo.gns.example", demo.Password); got == "/logga-in" {
			t.Fatalf("%s: the party could not log in", vp.Name)
		}
		b.Open("/sok?q=GNS-2021&kind=invoice")
		titles := b.FindAll(".search-title")
		if len(titles) == 0 {
			t.Errorf("%s: the party finds none of its invoices", vp.Name)
		}
		for _, el := range titles {
			if title := el.Text(); !strings.Contains(title, "Bräcke") {
				t.Errorf("%s: the Bräcke representative finds %q", vp.Name, title)
			}
		}
		b.CheckPage("sok-part-" + vp.Name)
	}
}
