package web

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// TestBrowserMeetingPages walks the year plan, the meeting pages, their forms
// and the calendar page as the secretariat and as a ledamot, at desktop and
// tablet size, checking each for console errors, WCAG 2.1 AA (axe-core) and
// width; and shows a refused Wednesday with its error tied to the checkbox.
func TestBrowserMeetingPages(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	ctx := t.Context()
	cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := db.Conn().Meetings(ctx, cm.ID, 2020)
	if len(dec) > 0 {
		dec = dec[len(dec)-1:] // December; 2020 also holds the demo's historical minutes
	}
	plan, _ := db.Conn().Meetings(ctx, cm.ID, 2021)
	if len(dec) != 1 || len(plan) != 4 {
		t.Fatalf("demo meetings: %d in 2020, %d in 2021", len(dec), len(plan))
	}
	// December 2020's minutes (constructed by the demo) are locked: its
	// items are no longer changed, so the pages that change an item are
	// not offered there.
	d, f := kit.MeetingURL(dec[0].ID), kit.MeetingURL(plan[0].ID)
	pages := map[string][]page{
		"sekretariat@demo.gns.example": {
			{"/namnder/GNS/sammantraden?ar=2021", "Sammanträden 2021 – GNS"},
			{"/namnder/GNS/sammantraden/nytt", "Planera sammanträde i GNS"},
			{d, "Sammanträde måndag 14 december 2020"},
			{d + "/protokoll", "Protokoll – sammanträde måndag 14 december 2020"},
			{f, "Sammanträde måndag 8 februari 2021"},
			{f + "/andra", "Ändra sammanträdet 2021-02-08"},
			{f + "/narvaro", "Närvaro måndag 8 februari 2021"},
			{f + "/publicera", "Publicera kallelsen till sammanträdet måndag 8 februari 2021?"},
			{"/kalender", "Min kalender"},
		},
		"ledamot@demo.gns.example": {
			{"/namnder/GNS/sammantraden?ar=2020", "Sammanträden 2020 – GNS"},
			{d, "Sammanträde måndag 14 december 2020"},
			{f, "Sammanträde måndag 8 februari 2021"},
			{"/kalender", "Min kalender"},
		},
	}
	for email, list := range pages {
		who := email[:strings.IndexByte(email, '@')]
		t.Run(who, func(t *testing.T) {
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			logIn(b, email, "Storsjon-2026-demo")
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, p := range list {
					b.Open(p.path)
					wantHeading(t, b, p.heading)
					b.CheckPage("meetings-" + who + "-" + pageName(p.path))
				}
			}
		})
	}

	t.Run("weekday error", func(t *testing.T) {
		b := browsertest.New(t, srv.URL, browsertest.Desktop)
		logIn(b, "sekretariat@demo.gns.example", "Storsjon-2026-demo")
		b.Open("/namnder/GNS/sammantraden/nytt")
		b.Exec(nil, `document.querySelector("#f-date").value = arguments[0]`, "2027-02-10")
		b.ClickAndWait("main form button[type=submit]")
		if !b.Has(".error-summary a[href='#f-confirm_weekday']") || !b.Has("#f-confirm_weekday[aria-invalid=true]") {
			t.Fatal("the refused Wednesday does not tie its error to the confirmation checkbox")
		}
		b.CheckPage("meetings-weekday-error", 400)
	})
}
