package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
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

// TestTypedWorkSurvivesSessionEnd: through the real router, a form sent after
// the session has ended is not lost. The user is sent to log in; the form is
// kept sealed for that user (its text is not readable in the database, its
// form token and any password are not kept), and after logging in again the
// form's page carries it, once. Nothing is saved until it is sent again.
// Another user does not get it, and a form without the ended session's
// token is refused as before.
func TestTypedWorkSurvivesSessionEnd(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		list, _ := db.Conn().Meetings(w.ctx, w.gns.ID, 2021)
		m := list[0]
		formPath := "/sammantraden/" + itoa(m.ID) + "/andra"
		sec.get(formPath)
		long := "Sammanträdet inleds med en genomgång av årsbokslutet.\n\nDärefter <b>informerar</b> regiondirektören om läget & framtiden."
		form := url.Values{"date": {m.Date.String()}, "start_time": {"13:00"}, "end_time": {"15:00"}, "place": {"Rådhuset"},
			"purpose": {string(m.Purpose)}, "municipalities": {"1"}, "notes": {long}, "password": {"hemligt"}}
		// The session ends: the clock moves past its idle time.
		later := time.Duration(0)
		expire := func() {
			later += kit.SessionIdle + time.Minute
			offset := later
			db.SetClock(func() time.Time { return time.Now().Add(offset) })
		}
		expire()
		req := httptest.NewRequest(http.MethodPost, formPath, strings.NewReader(withToken(form, sec.csrf).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Referer", "http://example.com"+formPath)
		r := sec.do(req)
		if r.Code != http.StatusSeeOther || location(r) != "/logga-in?till="+url.QueryEscape(formPath) {
			t.Fatalf("a form after the session ended = %d → %q, want the login page", r.Code, location(r))
		}
		if got, _ := db.Conn().MeetingByID(w.ctx, m.ID); got.Notes != m.Notes || got.StartTime != m.StartTime {
			t.Error("the form sent after the session ended was saved")
		}
		var n int
		var sealed string
		db.SQL().QueryRowContext(w.ctx, "SELECT COUNT(*), MAX(sealed) FROM form_drafts").Scan(&n, &sealed)
		if n != 1 || strings.Contains(sealed, "årsbokslutet") || strings.Contains(sealed, "hemligt") {
			t.Fatalf("drafts = %d, sealed %q", n, sealed)
		}

		// Another user logging in on the same browser does not get it.
		other := newBrowser(t, w.s.Handler())
		other.cookies[kit.DraftCookie] = sec.cookies[kit.DraftCookie]
		if r := other.login("ekonom@demo.gns.example", demo.Password); r.Code != http.StatusSeeOther {
			t.Fatalf("the economist's login = %d", r.Code)
		}
		if strings.Contains(other.get(formPath).Body.String(), "årsbokslutet") {
			t.Error("another user got the draft")
		}

		// Logging in again leads back to the form, with what was typed.
		page := sec.get("/logga-in?till=" + url.QueryEscape(formPath))
		if !strings.Contains(text(page.Body.String()), "Sessionen hade gått ut när formuläret skickades") {
			t.Errorf("the login page does not say why:\n%s", text(page.Body.String()))
		}
		r = sec.post("/logga-in", url.Values{"email": {"sekretariat@demo.gns.example"}, "password": {demo.Password}, "next": {formPath}})
		if r.Code != http.StatusSeeOther || location(r) != formPath {
			t.Fatalf("login = %d → %q", r.Code, location(r))
		}
		body := sec.get(formPath).Body.String()
		if !strings.Contains(text(body), "Det du skrev innan sessionen gick ut är ifyllt igen.") {
			t.Error("the form page does not say the draft is back")
		}
		draft := regexp.MustCompile(`(?s)<script type="application/json" id="gns-draft">(.*?)</script>`).FindStringSubmatch(body)
		if draft == nil {
			t.Fatalf("no draft on the page:\n%s", body)
		}
		var d kit.FormDraft
		if err := json.Unmarshal([]byte(draft[1]), &d); err != nil {
			t.Fatalf("draft %q: %v", draft[1], err)
		}
		if d.Action != formPath || len(d.Values["notes"]) != 1 || d.Values["notes"][0] != long || d.Values["start_time"][0] != "13:00" {
			t.Errorf("draft = %+v", d)
		}
		for _, secret := range []string{kit.CSRFField, "password"} {
			if _, ok := d.Values[secret]; ok {
				t.Errorf("the draft kept %s", secret)
			}
		}
		if strings.Contains(draft[1], "<b>") {
			t.Error("the draft's markup is not escaped in the page")
		}
		if strings.Contains(sec.get(formPath).Body.String(), "gns-draft") {
			t.Error("the draft came back twice")
		}
		if got, _ := db.Conn().MeetingByID(w.ctx, m.ID); got.Notes != m.Notes {
			t.Error("restoring the draft saved it")
		}

		// A form with no token of the ended session is refused as before.
		expire()
		forged := sec.post(formPath, withToken(form, "fel"))
		if forged.Code != http.StatusForbidden || !strings.Contains(text(sec.last), "Formuläret har gått ut") {
			t.Errorf("a form without the session's token = %d", forged.Code)
		}
	})
}

// withToken is a copy of form with the form token token.
func withToken(form url.Values, token string) url.Values {
	out := cloneValues(form)
	out.Set(kit.CSRFField, token)
	return out
}

// TestAuditTrailInSwedish: the trail reads in Swedish words with the changed
// fields written out, every kind of thing recorded can be filtered on, text
// search narrows it, the page count shows, and the filtered entries export
// as CSV.
func TestAuditTrailInSwedish(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		list, _ := db.Conn().Meetings(w.ctx, w.gns.ID, 2021)
		m := list[0]
		form := "/sammantraden/" + itoa(m.ID) + "/andra"
		sec.get(form)
		if r := sec.post(form, url.Values{"date": {m.Date.String()}, "start_time": {m.StartTime}, "end_time": {m.EndTime},
			"place": {"Rådhuset, sal 3"}, "purpose": {string(m.Purpose)}, "municipalities": {"1"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("change the meeting = %d", r.Code)
		}
		aud := w.as(t, "revisor@demo.gns.example")
		body := aud.get("/granskning?entitet=meeting&q=R%C3%A5dhuset").Body.String()
		page := text(body)
		for _, want := range []string{"ändrad", "sammanträde " + itoa(m.ID), "plats: " + m.Place + " → Rådhuset, sal 3", "version: 0 → 1",
			"Sofia", "sida 1 av 1", "Exportera som CSV"} {
			if !strings.Contains(page, want) {
				t.Errorf("the trail lacks %q:\n%s", want, page)
			}
		}
		for _, code := range []string{">update<", ">meeting ", "approve_minutes"} {
			if strings.Contains(body, code) {
				t.Errorf("the trail shows the code %q", code)
			}
		}
		for _, entity := range []string{`<option value="meeting"`, `<option value="case"`, `<option value="agenda_item"`} {
			if !strings.Contains(body, entity) {
				t.Errorf("the filter lacks %s", entity)
			}
		}
		if page := text(aud.get("/granskning?entitet=meeting&q=finnsinte").Body.String()); !strings.Contains(page, "Inga händelser matchar filtret.") {
			t.Error("a search for nothing found something")
		}
		r := aud.get("/granskning.csv?entitet=meeting&q=R%C3%A5dhuset")
		csvText := r.Body.String()
		if r.Code != http.StatusOK || !strings.HasPrefix(csvText, "\ufeffTid;Vem;Händelse;Vad;Id;Ändringar") ||
			!strings.Contains(csvText, "plats: "+m.Place+" → Rådhuset, sal 3") || !strings.Contains(csvText, ";update;meeting") ||
			!strings.Contains(r.Header().Get("Content-Disposition"), "granskningslogg.csv") {
			t.Errorf("CSV = %d:\n%s", r.Code, csvText)
		}
		if r := sec.get("/granskning.csv"); r.Code != http.StatusForbidden {
			t.Errorf("the secretariat's CSV export = %d, want 403", r.Code)
		}
	})
}

// TestRoleSelectHasNoDefault: the new user's role is chosen, not defaulted
// to Systemadministratör; a form without one is refused on the field.
func TestRoleSelectHasNoDefault(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		admin := w.as(t, "admin@demo.gns.example")
		body := admin.get("/admin/anvandare/ny").Body.String()
		if !strings.Contains(body, `<option value="">Välj roll</option>`) || regexp.MustCompile(`<option value="admin"[^>]*selected`).MatchString(body) {
			t.Error("the role select does not start at Välj roll")
		}
		r := admin.post("/admin/anvandare", url.Values{"email": {"ny@example.se"}, "name": {"Ny Användare"}})
		if r.Code != http.StatusBadRequest || !strings.Contains(admin.last, "Välj användarens roll.") {
			t.Errorf("a user without a role = %d:\n%s", r.Code, text(admin.last))
		}
	})
}

// TestAttendanceAfterJustering: the attendance of justerade minutes is shown
// read-only (not a 409), and a change is still refused.
func TestAttendanceAfterJustering(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		var locked string
		for _, year := range []int{2019, 2020} {
			list, _ := db.Conn().Meetings(w.ctx, w.gns.ID, year)
			for _, m := range list {
				if att, _ := db.Conn().Attendance(w.ctx, m.ID); m.Locked() && len(att) > 0 && locked == "" {
					locked = itoa(m.ID)
				}
			}
		}
		if locked == "" {
			t.Fatal("no justerade demo minutes with attendance")
		}
		sec := w.as(t, "sekretariat@demo.gns.example")
		r := sec.get("/sammantraden/" + locked + "/narvaro")
		page := text(r.Body.String())
		if r.Code != http.StatusOK || !strings.Contains(page, "närvaron står i det och kan inte ändras") || strings.Contains(r.Body.String(), `action="/sammantraden/`+locked+`/narvaro"`) {
			t.Errorf("the attendance of justerade minutes = %d:\n%s", r.Code, page)
		}
		if r := sec.post("/sammantraden/"+locked+"/narvaro", url.Values{}); r.Code != http.StatusConflict {
			t.Errorf("changing it = %d, want 409", r.Code)
		}
	})
}
