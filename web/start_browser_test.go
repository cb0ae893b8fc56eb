package web

import (
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
)

// startTablet is a 768×1024 tablet held upright, the narrowest screen the
// start page's tables must fit.

// TestBrowserStartPages opens the start page of the secretariat, the
// economist and a member in a real browser, at a desktop and a tablet
// width: the role's own section is there, the console is clean, axe finds
// nothing, nothing scrolls sideways, and a screenshot is kept.
func TestBrowserStartPages(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	for _, tc := range []struct {
		email, section string
	}{
		{"sekretariat@demo.gns.example", "#sekretariat-GNS"},
		{"ekonom@demo.gns.example", "#ekonom-GNS"},
		{"ledamot@demo.gns.example", "#ledamot"},
	} {
		t.Run(tc.email, func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			if got := logIn(b, tc.email, demo.Password); got != "/" {
				t.Fatalf("after logging in %s is at %s, want /", tc.email, got)
			}
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				b.Open("/")
				wantHeading(t, b, "Start")
				if !b.Has(tc.section) {
					t.Errorf("%s at %s: no section %s", tc.email, vp.Name, tc.section)
				}
				if !b.Has(".site-nav a[href='/'] ") || !b.Has(".site-nav a[href='/namnder']") {
					t.Errorf("%s at %s: the menu lacks Start or Nämnder", tc.email, vp.Name)
				}
				b.CheckPage("start-" + tc.section[1:])
			}
		})
	}
}
