package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain/finance"
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

// TestImportFallsAndDiscard: through the real router, an import that would
// replace a month's outcome with zero or less than half says so and which
// months the file really holds; reading it in needs its own confirmation
// (refused without, nothing changed); an abandoned preview is discarded
// after a confirm step.
func TestImportFallsAndDiscard(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b, sam := economyCommitteeSetup(t, db)
		base := "/namnder/SAM/ekonomi"
		mapDemoAccounts(t, b, base)
		upload := func(name, data string) string {
			t.Helper()
			b.get(base + "/import")
			w := b.postFile(base+"/import", url.Values{"format": {"csv"}, "year": {"2020"}}, name, []byte(data))
			m := importLink.FindStringSubmatch(location(w))
			if m == nil {
				t.Fatalf("upload %s = %d: %s", name, w.Code, b.last)
			}
			return m[1]
		}
		first := upload("sommar.csv", "3611;2020-07;-5000\n5110;2020-07;3000\n3611;2020-08;-6000\n")
		b.get(base + "/import/" + first)
		if w := b.post(base+"/import/"+first+"/las-in", nil); !strings.Contains(follow(t, b, w, w.Code), "Importen är inläst: 2 perioder fick nytt utfall.") {
			t.Errorf("the first import's message:\n%s", b.last)
		}
		one := upload("september.csv", "3611;2020-09;-100\n")
		b.get(base + "/import/" + one)
		if w := b.post(base+"/import/"+one+"/las-in", nil); !strings.Contains(follow(t, b, w, w.Code), "Importen är inläst: 1 period fick nytt utfall.") {
			t.Errorf("a one-period import's message:\n%s", b.last)
		}

		// July to zero (the file has a 0 for it), August to less than half.
		falls := upload("fel.csv", "3611;2020-07;0\n3611;2020-08;-100\n")
		page := text(b.get(base + "/import/" + falls).Body.String())
		if !strings.Contains(b.last, "<dt>Filen har belopp för</dt><dd>augusti 2020</dd>") {
			t.Error("the preview's facts do not say which months the file holds")
		}
		for _, want := range []string{"Filen anger perioderna 2020-07 – 2020-08 men har belopp bara för augusti 2020",
			"Utfallet minskar kraftigt", "2020-07: utfallet (8 000,00 kr) ersätts med noll", "2020-08: utfallet faller med mer än hälften, från 6 000,00 kr till 100,00 kr",
			"blir noll", "minskar mer än hälften", "Jag har sett att utfallet för 2 månader"} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview lacks %q:\n%s", want, page)
			}
		}
		covered := func() string {
			got, _ := db.Conn().OutcomeByAccount(t.Context(), sam.ID, finance.Period{Year: 2020, Month: 7}, finance.Period{Year: 2020, Month: 8})
			return fmt.Sprint(got)
		}
		before := covered()
		w := b.post(base+"/import/"+falls+"/las-in", nil)
		if page := text(b.last); w.Code != http.StatusBadRequest || !strings.Contains(page, "Importen minskar utfallet kraftigt") || !strings.Contains(b.last, `aria-invalid="true" aria-describedby="f-confirm_falls-error"`) {
			t.Errorf("commit without confirming = %d:\n%s", w.Code, page)
		}
		if after := covered(); after != before {
			t.Errorf("the refused commit changed the outcome: %s → %s", before, after)
		}
		if w := b.post(base+"/import/"+falls+"/las-in", url.Values{"confirm_falls": {"on"}}); !strings.Contains(follow(t, b, w, w.Code), "2 perioder fick nytt utfall") {
			t.Errorf("the confirmed commit:\n%s", b.last)
		}

		// An abandoned preview: discarded after a confirm step.
		left := upload("oktober.csv", "3611;2020-10;-100\n")
		if page := text(b.get(base + "/import/" + left).Body.String()); !strings.Contains(page, "Kassera förhandsvisningen") {
			t.Error("the preview does not offer to discard it")
		}
		if r := b.get(base + "/import/" + left + "/kassera"); r.Code != http.StatusOK || !strings.Contains(text(b.last), "Kassera förhandsvisningen av oktober.csv?") {
			t.Errorf("the discard confirm page = %d", r.Code)
		}
		w = b.post(base+"/import/"+left+"/kassera", nil)
		if page := follow(t, b, w, w.Code); !strings.Contains(page, "Förhandsvisningen av oktober.csv är kasserad.") || !strings.Contains(page, "kasserad 20") {
			t.Errorf("after the discard:\n%s", page)
		}
		if w := b.post(base+"/import/"+left+"/las-in", nil); w.Code != http.StatusConflict {
			t.Errorf("committing a discarded preview = %d", w.Code)
		}
		if w := b.post(base+"/import/"+left+"/kassera", nil); w.Code != http.StatusConflict {
			t.Errorf("discarding twice = %d", w.Code)
		}
	})
}
