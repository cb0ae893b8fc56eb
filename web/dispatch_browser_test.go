package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserExpediering: the confirm page of an expediering, the minutes
// page after it and the paragraph page with Bräcke's acknowledgement form
// pass axe and fit a laptop and a phone; sending and acknowledging work
// through the browser.
func TestBrowserExpediering(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	ctx := context.Background()
	gns, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := db.Conn().Meetings(ctx, gns.ID, 2019)
	var mid int64
	for _, m := range list {
		if m.Date == domain.MustDate("2019-12-06") {
			mid = m.ID
		}
	}
	paras, _ := db.Conn().MeetingParagraphs(ctx, mid)
	confirm := "/sammantraden/" + strconv.FormatInt(mid, 10) + "/expediera"
	paragraph := "/paragrafer/" + strconv.FormatInt(paras[0].ID, 10)
	for _, vp := range []browsertest.Viewport{browsertest.Laptop, browsertest.Phone} {
		sec := browsertest.New(t, srv.URL, vp)
		logIn(sec, "sekretariat@demo.gns.example", demo.Password)
		sec.Open(confirm)
		wantHeading(t, sec, "Expediera protokollet från")
		sec.CheckPage("expediera-" + vp.Name)
		if vp == browsertest.Laptop {
			sec.ClickAndWait("form[action$='/expediera'] button[type=submit]")
			if !strings.Contains(sec.Text("main"), "9 protokollsutdrag expedierades") {
				t.Errorf("after expediering: %s", sec.Text("main"))
			}
			sec.CheckPage("expedierat-" + vp.Name)
		}
		sec.Open(paragraph)
		sec.CheckPage("paragraf-expediering-" + vp.Name)

		br := browsertest.New(t, srv.URL, vp)
		logIn(br, "bracke@demo.gns.example", demo.Password)
		br.Open(paragraph)
		br.CheckPage("paragraf-mottagande-" + vp.Name)
		if vp == browsertest.Laptop {
			br.Fill("#f-registry_number", "KS 2019/1234")
			br.ClickAndWait("form[action$='/mottagande'] button[type=submit]")
			if !strings.Contains(br.Text("main"), "diarienummer KS 2019/1234") {
				t.Errorf("after acknowledging: %s", br.Text("main"))
			}
		}
	}
}
