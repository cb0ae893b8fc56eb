package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserRemiss walks the remiss pages at laptop and phone size (axe,
// no sideways scrolling, no console errors): the secretariat reads the demo's
// GNS/3/2019 remiss from its case, sends GNS/10/2020 on remiss through the
// form and its confirm step; Bräcke's representative reads the demo remiss
// and sees the parties that never answered.
func TestBrowserRemiss(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	sec := browsertest.New(t, srv.URL, browsertest.Laptop)
	if got := logIn(sec, "sekretariat@demo.gns.example", demo.Password); got != "/" {
		t.Fatalf("after logging in the secretariat is at %s", got)
	}
	for i, vp := range []browsertest.Viewport{browsertest.Laptop, browsertest.Phone} {
		sec.Resize(vp)
		sec.Open("/arenden/GNS/3/2019")
		if !strings.Contains(sec.Text("main"), "ej svarat") {
			t.Errorf("%s: the case page shows no remiss table", vp.Name)
		}
		sec.ClickAndWait("main a[href^='/remisser/']")
		wantHeading(t, sec, "Gemensam IT-serverdrift")
		if !strings.Contains(sec.Text("main"), "Sex parter har inkommit med remissvar varav en part ej tar ställning.") {
			t.Errorf("%s: no drafted summary on the remiss page", vp.Name)
		}
		sec.CheckPage("remiss-" + vp.Name)
		sec.Open("/arenden/GNS/10/2020/remiss")
		wantHeading(t, sec, "Skicka GNS/10/2020 på remiss")
		sec.CheckPage("remiss-ny-" + vp.Name)
		sec.Fill("#f-question", "Godkänner parten sammanträdestiderna?")
		sec.ClickAndWait("main form button[type=submit]")
		wantHeading(t, sec, "Skicka remissen?")
		sec.CheckPage("remiss-bekrafta-" + vp.Name)
		if i == 0 {
			sec.ClickAndWait("main form button[type=submit]")
			if !strings.HasPrefix(sec.Path(), "/remisser/") || !strings.Contains(sec.Text("main"), "inväntar svar") {
				t.Errorf("after sending the browser is at %s", sec.Path())
			}
		}
	}

	bracke := browsertest.New(t, srv.URL, browsertest.Laptop)
	logIn(bracke, "bracke@demo.gns.example", demo.Password)
	for _, vp := range []browsertest.Viewport{browsertest.Laptop, browsertest.Phone} {
		bracke.Resize(vp)
		bracke.Open("/arenden/GNS/3/2019")
		bracke.ClickAndWait("main a[href^='/remisser/']")
		if text := bracke.Text("main"); !strings.Contains(text, "ej svarat") || strings.Contains(text, "Lämna svaret") {
			t.Errorf("%s: Bräcke's view of the closed remiss: %q", vp.Name, text)
		}
		bracke.CheckPage("remiss-part-" + vp.Name)
	}
}
