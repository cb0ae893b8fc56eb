package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
)

// TestMeetingYearMoveAndChangedKallelse: through the real router, the
// secretariat cannot move a meeting that has a paragraph into another year
// (the form says which paragraph, and nothing changes); a change after
// publishing marks the kallelse "ändrad" on the meeting page and in its PDF,
// saying what changed.
func TestMeetingYearMoveAndChangedKallelse(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		day := recentMonday()
		form := url.Values{"date": {day.String()}, "start_time": {"09:00"}, "end_time": {"12:00"},
			"place": {"Lillsjöhögen"}, "purpose": {"ovrigt"}, "municipalities": {"1"}}
		sec.get("/namnder/GNS/sammantraden/nytt")
		r := sec.post("/namnder/GNS/sammantraden", form)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("plan meeting = %d: %s", r.Code, sec.last)
		}
		meetingID := created(t, r)
		mid := strconv.FormatInt(meetingID, 10)
		sec.get("/sammantraden/" + mid + "/paragrafer/ny")
		if r := sec.post("/sammantraden/"+mid+"/paragrafer", url.Values{"title": {"Fastställande av föredragningslista"},
			"decision": {"Föredragningslistan fastställs."}}); r.Code != http.StatusSeeOther {
			t.Fatalf("create paragraph = %d: %s", r.Code, sec.last)
		}
		paras, _ := db.Conn().MeetingParagraphs(w.ctx, meetingID)
		if len(paras) != 1 {
			t.Fatalf("paragraphs = %+v", paras)
		}
		ref := "paragrafen § " + strconv.Itoa(paras[0].Number) + "/" + strconv.Itoa(day.Year)

		// Into the next year: refused on the date field, nothing changed.
		next := day.AddDays(7 * 6)
		for next.Year == day.Year {
			next = next.AddDays(7)
		}
		moved := cloneValues(form)
		moved.Set("date", next.String())
		before := w.rows(t)
		sec.get("/sammantraden/" + mid + "/andra")
		r = sec.post("/sammantraden/"+mid+"/andra", moved)
		page := text(r.Body.String())
		if r.Code != http.StatusConflict || !strings.Contains(page, "Sammanträdet har "+ref) || !strings.Contains(page, "Välj ett datum under "+strconv.Itoa(day.Year)) {
			t.Errorf("a move to %s = %d, want 409 naming %s:\n%s", next, r.Code, ref, page)
		}
		if after := w.rows(t); after != before {
			t.Errorf("the refused move changed the data:\n%s\n%s", before, after)
		}

		// Published, then changed: "ändrad", with what changed.
		sec.get("/sammantraden/" + mid + "/publicera")
		if r := sec.post("/sammantraden/"+mid+"/publicera", nil); r.Code != http.StatusSeeOther {
			t.Fatalf("publish = %d: %s", r.Code, sec.last)
		}
		if page := text(sec.get("/sammantraden/" + mid).Body.String()); strings.Contains(page, "Kallelsen är ändrad") {
			t.Error("a kallelse just published says it is changed")
		}
		changed := cloneValues(form)
		changed.Set("place", "Rådhuset, sal 3")
		sec.get("/sammantraden/" + mid + "/andra")
		if r := sec.post("/sammantraden/"+mid+"/andra", changed); r.Code != http.StatusSeeOther {
			t.Fatalf("change the place = %d: %s", r.Code, sec.last)
		}
		for _, b := range []*browser{sec, w.as(t, "ledamot@demo.gns.example")} {
			page := text(b.get("/sammantraden/" + mid).Body.String())
			for _, want := range []string{"Kallelsen är ändrad", "Ändrad en gång efter publiceringen", `Platsen ändrades från "Lillsjöhögen" till "Rådhuset, sal 3".`} {
				if !strings.Contains(page, want) {
					t.Errorf("the meeting page lacks %q", want)
				}
			}
			r := b.get("/sammantraden/" + mid + "/kallelse.pdf")
			if r.Code != http.StatusOK {
				t.Fatalf("kallelse.pdf = %d", r.Code)
			}
			pdfText := strings.Join(strings.Fields(pdftest.Text(t, r.Body.Bytes(), false)), " ")
			for _, want := range []string{"Ändrad en gång efter publiceringen", "Ändringar efter publiceringen", `Platsen ändrades från "Lillsjöhögen" till "Rådhuset, sal 3".`} {
				if !strings.Contains(pdfText, want) {
					t.Errorf("the kallelse PDF lacks %q:\n%s", want, pdfText)
				}
			}
		}
	})
}
