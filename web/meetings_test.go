package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/web/kit"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// meetingCounts is the number of rows in the meeting tables, to show that
// refused input wrote nothing.
func (cs *caseSetup) meetingCounts(t *testing.T) string {
	t.Helper()
	var out []string
	for _, table := range []string{"meetings", "agenda_items", "meeting_attendance", "case_events"} {
		var n int
		if err := cs.db.SQL().QueryRowContext(cs.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, table+"="+itoa(int64(n)))
	}
	return strings.Join(out, " ")
}

// meetingForm2027 is the form of a meeting on Monday 8 February 2027.
func meetingForm2027() url.Values {
	return url.Values{"date": {"2027-02-08"}, "start_time": {"09:00"}, "end_time": {"12:00"}, "place": {"Lillsjöhögen"},
		"link": {"https://teams.example/meet/2027"}, "purpose": {"arsbokslut"}, "municipalities": {"1"}}
}

var meetingPath = regexp.MustCompile(`^/sammantraden/(\d+)$`)

// planMeeting plans a meeting through the form and returns its page's path.
func planMeeting(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	b.get("/namnder/GNS/sammantraden/nytt")
	w := b.post("/namnder/GNS/sammantraden", form)
	if w.Code != http.StatusSeeOther || !meetingPath.MatchString(location(w)) {
		t.Fatalf("plan meeting = %d → %q: %s", w.Code, location(w), w.Body)
	}
	return location(w)
}

var tags = regexp.MustCompile(`<[^>]*>`)

// text is a page as a reader sees it: tags dropped, entities decoded,
// no-break spaces as spaces.
func text(body string) string { return plain(html.UnescapeString(tags.ReplaceAllString(body, ""))) }

// TestSecretariatPlansAYear plans 2027 through the pages as the secretariat
// does, with the weekday rule, edits and cancellation, and checks that bad
// input is refused in Swedish and changes nothing.
func TestSecretariatPlansAYear(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		b := cs.as(t, "sekretariat@demo.gns.example")
		if w := b.get("/sammantraden"); w.Code != http.StatusFound || !strings.HasPrefix(location(w), "/namnder/GNS/sammantraden?ar=") {
			t.Fatalf("GET /sammantraden = %d → %q", w.Code, location(w))
		}
		if body := b.get("/namnder/GNS/sammantraden?ar=2027").Body.String(); !strings.Contains(body, "Inga sammanträden är planerade 2027") ||
			!strings.Contains(body, "Planera sammanträde") {
			t.Fatal("the empty 2027 plan does not say so or offer to plan")
		}
		feb := planMeeting(t, b, meetingForm2027())
		page := text(b.get(feb).Body.String())
		for _, want := range []string{"Sammanträdet måndag 8 februari 2027 är planerat.", "kl. 09.00–12.00", "Lillsjöhögen", "Årsbokslut",
			"1. Fastställande av föredragningslista", "2. Val av justerare och tid för justering", "Kallelsen är ett utkast", "Planerat"} {
			if !strings.Contains(page, want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}

		// Bad input: clear Swedish errors, nothing written.
		before := cs.meetingCounts(t)
		with := func(k, v string) url.Values {
			f := meetingForm2027()
			f.Set(k, v)
			return f
		}
		b.get("/namnder/GNS/sammantraden/nytt")
		for _, tt := range []struct {
			name string
			form url.Values
			want string
		}{
			{"a Wednesday", with("date", "2027-02-10"), "2027-02-10 är en onsdag. Sammanträden där kommunerna deltar hålls på måndag eller fredag."},
			{"a date in the wrong format", with("date", "8/2 2027"), `Datumet "8/2 2027" är inget giltigt datum`},
			{"an impossible date", with("date", "2027-02-30"), "inget giltigt datum"},
			{"an end before the start", with("end_time", "08:30"), "kan inte sluta (kl. 08.30) innan det börjar (kl. 09.00)"},
			{"a time that is not one", with("start_time", "nio"), "ingen tid"},
			{"a link that is not a web address", with("link", "javascript:alert(1)"), "https://"},
		} {
			w := b.post("/namnder/GNS/sammantraden", tt.form)
			if w.Code != http.StatusBadRequest || !strings.Contains(text(w.Body.String()), tt.want) {
				t.Errorf("%s: %d, want 400 with %q", tt.name, w.Code, tt.want)
			}
		}
		w := b.post("/namnder/GNS/sammantraden", with("date", "2027-02-10"))
		if !strings.Contains(w.Body.String(), `name="confirm_weekday"`) {
			t.Error("the Wednesday form offers no checkbox to confirm the exception")
		}
		if got := cs.meetingCounts(t); got != before {
			t.Errorf("refused forms wrote: %s, was %s", got, before)
		}
		// The exception, confirmed.
		wed := with("date", "2027-02-10")
		wed.Set("confirm_weekday", "1")
		wedPath := planMeeting(t, b, wed)
		if page := text(b.get(wedPath).Body.String()); !strings.Contains(page, "hålls en onsdag fast kommunerna deltar") {
			t.Error("the confirmed exception is not shown")
		}

		// Editing raises the sequence, keeps the UID.
		id := meetingPath.FindStringSubmatch(feb)[1]
		m0 := meetingByPath(t, cs, feb)
		b.get(feb + "/andra")
		edit := meetingForm2027()
		edit.Set("place", "Rådhuset, sal 2")
		if w := b.post(feb+"/andra", edit); w.Code != http.StatusSeeOther {
			t.Fatalf("edit = %d: %s", w.Code, w.Body)
		}
		m1 := meetingByPath(t, cs, feb)
		if m1.Sequence != m0.Sequence+1 || m1.UID != m0.UID || m1.Place != "Rådhuset, sal 2" {
			t.Errorf("after edit: %+v (was %+v)", m1, m0)
		}
		plan := text(b.get("/namnder/GNS/sammantraden?ar=2027").Body.String())
		for _, want := range []string{"Måndag 8 februari 2027", "Onsdag 10 februari 2027", "onsdag: undantag bekräftat", "Rådhuset, sal 2"} {
			if !strings.Contains(plan, want) {
				t.Errorf("year plan lacks %q", want)
			}
		}

		// Cancelling, after a confirm step; a cancelled meeting is not edited.
		if w := b.get(wedPath + "/installa"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Ställ in sammanträdet") {
			t.Fatalf("cancel confirm = %d", w.Code)
		}
		if w := b.post(wedPath+"/installa", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("cancel = %d: %s", w.Code, w.Body)
		}
		before = cs.meetingCounts(t)
		if w := b.post(wedPath+"/andra", meetingForm2027()); w.Code != http.StatusConflict || !strings.Contains(text(w.Body.String()), "är inställt och kan inte ändras") {
			t.Errorf("editing a cancelled meeting = %d", w.Code)
		}
		if w := b.get(wedPath + "/andra"); w.Code != http.StatusConflict {
			t.Errorf("the edit form of a cancelled meeting = %d", w.Code)
		}
		if got := cs.meetingCounts(t); got != before {
			t.Errorf("editing a cancelled meeting wrote: %s", got)
		}
		if m := meetingByPath(t, cs, wedPath); !m.Cancelled() || m.StartTime != "09:00" {
			t.Errorf("cancelled meeting = %+v", m)
		}

		// Another committee's secretary sees none of it; a ledamot may not plan.
		uph := cs.as(t, "uph@example.se")
		if w := uph.get(feb); w.Code != http.StatusNotFound {
			t.Errorf("UPH's secretary reads a GNS meeting: %d", w.Code)
		}
		if w := uph.get("/namnder/GNS/sammantraden"); w.Code != http.StatusNotFound {
			t.Errorf("UPH's secretary reads the GNS year plan: %d", w.Code)
		}
		if w := uph.post("/namnder/GNS/sammantraden", meetingForm2027()); w.Code != http.StatusNotFound {
			t.Errorf("UPH's secretary plans in GNS: %d", w.Code)
		}
		ledamot := cs.as(t, "ledamot@demo.gns.example")
		ledamot.get("/namnder/GNS/sammantraden")
		if w := ledamot.post("/namnder/GNS/sammantraden", meetingForm2027()); w.Code != http.StatusForbidden {
			t.Errorf("a ledamot plans a meeting: %d", w.Code)
		}
		if w := ledamot.post("/sammantraden/"+id+"/andra", meetingForm2027()); w.Code != http.StatusForbidden {
			t.Errorf("a ledamot edits a meeting: %d", w.Code)
		}
	})
}

// meetingByPath reads the meeting of a page path.
func meetingByPath(t *testing.T, cs *caseSetup, path string) meeting.Meeting {
	t.Helper()
	id, _ := parseID(meetingPath.FindStringSubmatch(path)[1])
	m, err := cs.db.Conn().MeetingByID(cs.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func parseID(s string) (int64, error) {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// TestKallelse builds a kallelse from open cases, publishes it and reads it
// as a ledamot, on the page and as a PDF.
func TestKallelse(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		b := cs.as(t, "sekretariat@demo.gns.example")
		feb := planMeeting(t, b, meetingForm2027())
		may := planMeeting(t, b, url.Values{"date": {"2027-05-03"}, "start_time": {"09:00"}, "end_time": {"12:00"}, "purpose": {"tertialrapport"}, "municipalities": {"1"}})

		// Two new cases, and one of UPH.
		var plan, budget, foreign domain.Case
		if err := db.InTx(cs.ctx, func(c *store.Conn) error {
			var err error
			if plan, err = c.RegisterCase(cs.ctx, cs.gns, domain.Case{Title: "Sammanträdestider 2028", Description: "Enligt § 7 i reglementet.\n\nFörslag på måndagar.", RegisteredOn: today()}); err != nil {
				return err
			}
			if budget, err = c.RegisterCase(cs.ctx, cs.gns, domain.Case{Title: "Budget 2028", RegisteredOn: today()}); err != nil {
				return err
			}
			foreign, err = c.RegisterCase(cs.ctx, cs.uph, domain.Case{Title: "Upphandling av städ", RegisteredOn: today()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		page := b.get(feb).Body.String()
		if !strings.Contains(page, `<option value="`+itoa(plan.ID)+`">`+plan.Number.String()) || strings.Contains(page, foreign.Number.String()) {
			t.Fatal("the case list of the item form is not the committee's open cases")
		}
		w := b.post(feb+"/punkter", url.Values{"case": {itoa(plan.ID)}, "proposal": {"1. Sammanträdesdagarna fastställs.\n2. Sekretariatet bokar lokal."},
			"dispatch_to": {"Nämndens parter\nBräcke kommun\nEkonom"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("add item = %d: %s", w.Code, w.Body)
		}
		if w := b.post(feb+"/punkter", url.Values{"case": {itoa(budget.ID)}, "title": {"Budget 2028 <script>"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("add item = %d: %s", w.Code, w.Body)
		}
		if k, _ := db.Conn().CaseByID(cs.ctx, plan.ID); k.Status != domain.CaseOnAgenda {
			t.Errorf("case status = %s, want on the agenda", k.Status)
		}
		page = b.get(feb).Body.String()
		for _, want := range []string{"3. Sammanträdestider 2028 (" + plan.Number.String() + ")", "<p>Förslag på måndagar.</p>", "1. Sammanträdesdagarna fastställs.<br>2. Sekretariatet bokar lokal.",
			"<li>Nämndens parter</li>", "<li>Bräcke kommun</li>", "<li>Ekonom</li>", "Budget 2028 &lt;script&gt;"} {
			if !strings.Contains(page, want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}
		if strings.Contains(page, "<script>") {
			t.Error("HTML in an item's title is rendered as HTML")
		}

		// Bad input for an item.
		before := cs.meetingCounts(t)
		for _, tt := range []struct {
			name string
			form url.Values
			want string
		}{
			{"a case of another committee", url.Values{"case": {itoa(foreign.ID)}}, "finns inte bland nämndens ärenden"},
			{"a case already on the list", url.Values{"case": {itoa(plan.ID)}}, "står redan på föredragningslistan"},
			{"another item without a title", url.Values{"case": {""}}, "Ange punktens rubrik"},
			{"a case id that is not a number", url.Values{"case": {"GNS/1"}}, "Välj ärendet i listan"},
		} {
			b.get(feb)
			w := b.post(feb+"/punkter", tt.form)
			if w.Code != http.StatusBadRequest && w.Code != http.StatusConflict || !strings.Contains(text(w.Body.String()), tt.want) {
				t.Errorf("%s: %d, want an error with %q", tt.name, w.Code, tt.want)
			}
		}
		if got := cs.meetingCounts(t); got != before {
			t.Errorf("refused items wrote: %s, was %s", got, before)
		}

		// Reorder, move, withdraw.
		items, _ := db.Conn().AgendaItems(cs.ctx, meetingByPath(t, cs, feb).ID)
		itemURL := func(it meeting.AgendaItem) string { return feb + "/punkter/" + itoa(it.ID) }
		b.get(feb)
		if w := b.post(itemURL(items[3])+"/upp", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("move up = %d: %s", w.Code, w.Body)
		}
		if w := b.post(itemURL(items[0])+"/ned", nil); w.Code != http.StatusConflict {
			t.Errorf("moving a standing item = %d, want 409", w.Code)
		}
		items, _ = db.Conn().AgendaItems(cs.ctx, meetingByPath(t, cs, feb).ID)
		if items[2].CaseID != budget.ID {
			t.Errorf("after moving up, item 3 is %q", items[2].Title)
		}
		if w := b.get(itemURL(items[3]) + "/andra"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Enligt § 7 i reglementet.") ||
			!strings.Contains(w.Body.String(), "Nämndens parter\nBräcke kommun\nEkonom") {
			t.Fatalf("item form = %d", w.Code)
		}
		edit := url.Values{"case": {itoa(plan.ID)}, "title": {"Sammanträdestider 2028"}, "description": {"Enligt § 7 i reglementet.\n\nFörslag på måndagar."},
			"proposal": {"1. Sammanträdesdagarna fastställs.\n2. Sekretariatet bokar lokal."}, "dispatch_to": {"Nämndens parter\nBräcke kommun\nEkonom"}}
		bad := url.Values{"case": {itoa(plan.ID)}, "title": {""}, "dispatch_to": {"Ekonom"}}
		if w := b.post(itemURL(items[3])+"/andra", bad); w.Code != http.StatusBadRequest || !strings.Contains(text(w.Body.String()), "Ange punktens rubrik") {
			t.Errorf("an item without a title = %d", w.Code)
		}
		if w := b.post(itemURL(items[3])+"/andra", edit); w.Code != http.StatusSeeOther {
			t.Errorf("edit item = %d: %s", w.Code, w.Body)
		}
		b.get(itemURL(items[3]) + "/flytta")
		mayID := meetingPath.FindStringSubmatch(may)[1]
		if w := b.post(itemURL(items[3])+"/flytta", url.Values{"meeting": {mayID}}); w.Code != http.StatusSeeOther {
			t.Fatalf("move to May = %d: %s", w.Code, w.Body)
		}
		if page := text(b.get(may).Body.String()); !strings.Contains(page, "3. Sammanträdestider 2028") || !strings.Contains(page, "Sekretariatet bokar lokal.") {
			t.Error("the moved item is not on the May list with its texts")
		}
		if page := text(b.get(feb).Body.String()); !strings.Contains(page, "Sammanträdestider 2028 ("+plan.Number.String()+") – flyttad till sammanträdet 2027-05-03") {
			t.Error("the moved item is not marked on the February list")
		}
		if w := b.get(itemURL(items[2]) + "/aterta"); w.Code != http.StatusOK {
			t.Fatalf("withdraw confirm = %d", w.Code)
		}
		if w := b.post(itemURL(items[2])+"/aterta", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("withdraw = %d", w.Code)
		}
		page = b.get(feb).Body.String()
		if !strings.Contains(page, "<s>3. Budget 2028 &lt;script&gt; ("+budget.Number.String()+")</s> – utgår") {
			t.Error("the withdrawn item is not struck through")
		}
		if w := b.post(itemURL(items[2])+"/andra", url.Values{"title": {"Ny"}, "case": {itoa(budget.ID)}}); w.Code != http.StatusConflict {
			t.Errorf("editing a withdrawn item = %d, want 409", w.Code)
		}
		events, _ := db.Conn().CaseEvents(cs.ctx, plan.ID)
		if last := events[len(events)-1]; !strings.Contains(last.Note, "till sammanträdet den 2027-05-03") {
			t.Errorf("the case's timeline ends with %+v", last)
		}

		// A ledamot sees the draft's meeting but not its list until published.
		ledamot := cs.as(t, "ledamot@demo.gns.example")
		page = text(ledamot.get(may).Body.String())
		if !strings.Contains(page, "Kallelsen är inte publicerad ännu") || strings.Contains(page, "Sammanträdestider 2028") {
			t.Error("a ledamot reads a draft kallelse")
		}
		if w := ledamot.get(may + "/kallelse.pdf"); w.Code != http.StatusNotFound {
			t.Errorf("a ledamot downloads a draft kallelse: %d", w.Code)
		}
		if w := b.get(may + "/publicera"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Publicera kallelsen") {
			t.Fatalf("publish confirm = %d", w.Code)
		}
		if w := b.post(may+"/publicera", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("publish = %d", w.Code)
		}
		if w := b.post(may+"/publicera", nil); w.Code != http.StatusConflict {
			t.Errorf("publishing twice = %d, want 409", w.Code)
		}
		if page := text(ledamot.get(may).Body.String()); !strings.Contains(page, "3. Sammanträdestider 2028") {
			t.Error("a ledamot does not see the published kallelse")
		}
		w = ledamot.get(may + "/kallelse.pdf")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(w.Body.String(), "%PDF-") {
			t.Fatalf("kallelse PDF = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		pdf := pdfText(t, w.Body.Bytes())
		for _, want := range []string{"Kallelse", "Måndag 3 maj 2027", "kl. 09.00–12.00", "Robert Hamberg (M)", "Ersättare", "Ann-Marie Johansson (S)",
			"3. Sammanträdestider 2028 (" + plan.Number.String() + ")", "Förslag till beslut 1. Sammanträdesdagarna fastställs.",
			"Expedieras till Nämndens parter Bräcke kommun Ekonom"} {
			if !strings.Contains(pdf, want) {
				t.Errorf("the kallelse PDF lacks %q:\n%s", want, pdf)
			}
		}
	})
}

// pdfText reads a PDF back as text (pdftotext), whitespace collapsed and
// no-break spaces made plain, so tests can look for phrases.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	return strings.Join(strings.Fields(plain(pdftest.Text(t, b, false))), " ")
}

// TestDemoKallelse reads the seeds' December 2020 kallelse from the demo as
// a ledamot: eleven items, in the PDF with å, ä and ö intact.
func TestDemoKallelse(t *testing.T) {
	t.Parallel()
	cs := newCaseSetup(t, storetest.NewSQLite(t))
	ledamot := cs.as(t, "ledamot@demo.gns.example")
	plan := text(ledamot.get("/namnder/GNS/sammantraden?ar=2020").Body.String())
	if !strings.Contains(plan, "Måndag 14 december 2020") || !strings.Contains(plan, "Protokollet justerat") {
		t.Fatalf("the 2020 plan lacks the December meeting:\n%s", plan)
	}
	list, _ := cs.db.Conn().Meetings(cs.ctx, cs.gns.ID, 2020)
	path := kit.MeetingURL(list[len(list)-1].ID) // December; 2020 also holds the demo's historical minutes
	page := text(ledamot.get(path).Body.String())
	for _, want := range []string{"11. Delårsrapport per augusti 2020 (GNS/9/2020)", "Tjänsteskrivelse – Budget 2021", "Lillsjöhögen, via Teams"} {
		if !strings.Contains(page, want) {
			t.Errorf("the December 2020 page lacks %q", want)
		}
	}
	pdf := pdfText(t, ledamot.get(path+"/kallelse.pdf").Body.Bytes())
	for _, want := range []string{"Måndag 14 december 2020", "Lillsjöhögen, via Teams", "Björn Hammarberg (M)", "Therese Kärngård (S)",
		"Susanne Hansson (S)", "Mats Gärd (C)", "3. Sammanträdestider 2021 (GNS/10/2020)", "Måndag 13 september (delårsrapport augusti)",
		"4. Budget 2021 (GNS/8/2020)", "914 400 kr", "Expedieras till Nämndens parter", "6. Återstående medel från 2018 (GNS/2/2020)",
		"9. Gemensamt dataskyddsombud (GNS/11/2018)", "11. Delårsrapport per augusti 2020 (GNS/9/2020)", "Delårsbokslut per augusti 2020 godkänns."} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the December 2020 kallelse lacks %q", want)
		}
	}
}

// TestAttendancePage records who came, with an ersättare serving, and refuses
// a serving ersättare for a ledamot who is there.
func TestAttendancePage(t *testing.T) {
	t.Parallel()
	cs := newCaseSetup(t, storetest.NewSQLite(t))
	b := cs.as(t, "sekretariat@demo.gns.example")
	feb := planMeeting(t, b, meetingForm2027())
	m := meetingByPath(t, cs, feb)
	att, err := cs.db.Conn().Attendance(cs.ctx, m.ID)
	if err != nil || len(att) != 18 {
		t.Fatalf("called = %d, %v", len(att), err)
	}
	var chair, ledamot, ersattare meeting.Attendance
	for _, a := range att {
		switch a.Member.Name {
		case "Robert Hamberg":
			chair = a
		case "Björn Hammarberg":
			ledamot = a
		case "Ann-Marie Johansson":
			ersattare = a
		}
	}
	if w := b.get(feb + "/narvaro"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Tjänstgör för") {
		t.Fatalf("attendance form = %d", w.Code)
	}
	id := func(a meeting.Attendance) string { return itoa(a.MemberID) }
	form := url.Values{"present_" + id(chair): {"1"}, "present_" + id(ersattare): {"1"}, "serving_for_" + id(ersattare): {id(ledamot)},
		"present_" + id(ledamot): {"1"}}
	before := cs.meetingCounts(t)
	w := b.post(feb+"/narvaro", form)
	if w.Code != http.StatusBadRequest || !strings.Contains(text(w.Body.String()), "kan inte tjänstgöra för Björn Hammarberg (M) medan") {
		t.Errorf("an ersättare for a ledamot who is there: %d", w.Code)
	}
	form.Set("arrived_"+id(chair), "noll")
	if w := b.post(feb+"/narvaro", form); w.Code != http.StatusBadRequest || !strings.Contains(text(w.Body.String()), "Ange paragrafens nummer") {
		t.Errorf("a paragraph that is no number: %d", w.Code)
	}
	if got := cs.meetingCounts(t); got != before {
		t.Errorf("refused attendance wrote: %s", got)
	}
	form.Del("arrived_" + id(chair))
	form.Del("present_" + id(ledamot))
	if w := b.post(feb+"/narvaro", form); w.Code != http.StatusSeeOther {
		t.Fatalf("save attendance = %d: %s", w.Code, w.Body)
	}
	page := text(b.get(feb).Body.String())
	if !strings.Contains(page, "2 närvarande") || !strings.Contains(page, "tjänstgör för Björn Hammarberg (M)") {
		t.Error("the meeting page does not show the attendance")
	}
}

var calendarAddress = regexp.MustCompile(`https?://[^/<\s]+(/kalender/gns_cal_[A-Za-z0-9_-]+\.ics)`)

// TestCalendarFeeds subscribes to a committee's meetings and to a user's own
// secret address, without a session, and follows an edit and a cancellation.
func TestCalendarFeeds(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		h := cs.s.Handler()
		ledamot := cs.as(t, "ledamot@demo.gns.example")
		w := ledamot.get("/namnder/GNS/sammantraden.ics")
		feed := w.Body.String()
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("committee feed = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		for _, want := range []string{"BEGIN:VCALENDAR\r\n", "X-WR-CALNAME:Sammanträden GNS\r\n",
			"DTSTART:20210208T080000Z\r\nDTEND:20210208T110000Z\r\n", // 09.00–12.00 in winter (UTC+1)
			"DTSTART:20210503T070000Z\r\n",                           // 09.00 in summer (UTC+2)
			"SUMMARY:Sammanträde GNS – Årsbokslut\r\n", "LOCATION:Lillsjöhögen\\, via Teams\r\n", "STATUS:CONFIRMED\r\n"} {
			if !strings.Contains(feed, want) {
				t.Errorf("committee feed lacks %q", want)
			}
		}
		if strings.Contains(strings.ReplaceAll(feed, "\r\n", ""), "\n") {
			t.Error("a line of the feed does not end in CRLF")
		}
		if w := get(t, h, "/namnder/GNS/sammantraden.ics"); w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/logga-in") {
			t.Errorf("committee feed without a session = %d", w.Code)
		}
		if w := cs.as(t, "uph@example.se").get("/namnder/GNS/sammantraden.ics"); w.Code != http.StatusNotFound {
			t.Errorf("UPH's secretary reads the GNS feed: %d", w.Code)
		}

		// A secret address, read without a session.
		ledamot.get("/kalender")
		w = ledamot.post("/kalender", nil)
		m := calendarAddress.FindStringSubmatch(w.Body.String())
		if w.Code != http.StatusCreated || m == nil {
			t.Fatalf("new calendar address = %d, no address shown", w.Code)
		}
		address := m[1]
		w = get(t, h, address)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "X-WR-CALNAME:GNS sammanträden – Test ledamot\r\n") && !strings.Contains(w.Body.String(), "X-WR-CALNAME:GNS sammanträden") {
			t.Fatalf("own feed = %d:\n%s", w.Code, w.Body)
		}
		uid := regexp.MustCompile(`UID:(meeting-[0-9a-f]+@gns)\r\nDTSTAMP:\S+\r\nDTSTART:20210208T080000Z`).FindStringSubmatch(w.Body.String())
		if uid == nil {
			t.Fatalf("own feed lacks the February meeting:\n%s", w.Body)
		}
		if page := ledamot.get("/kalender").Body.String(); strings.Contains(page, "gns_cal_") || !strings.Contains(page, "Senast hämtad") {
			t.Error("the calendar page shows the address again, or not when it was used")
		}

		// The secretariat moves the February meeting an hour and cancels May.
		sek := cs.as(t, "sekretariat@demo.gns.example")
		list, _ := db.Conn().Meetings(cs.ctx, cs.gns.ID, 2021)
		feb, may := kit.MeetingURL(list[0].ID), kit.MeetingURL(list[1].ID)
		sek.get(feb + "/andra")
		edit := url.Values{"date": {"2021-02-08"}, "start_time": {"10:00"}, "end_time": {"12:00"}, "place": {"Lillsjöhögen, via Teams"}, "purpose": {"arsbokslut"}, "municipalities": {"1"}}
		if w := sek.post(feb+"/andra", edit); w.Code != http.StatusSeeOther {
			t.Fatalf("edit = %d", w.Code)
		}
		if w := sek.post(may+"/installa", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("cancel = %d: %s", w.Code, w.Body)
		}
		feed = get(t, h, address).Body.String()
		if !strings.Contains(feed, "UID:"+uid[1]+"\r\n") || !strings.Contains(feed, "DTSTART:20210208T090000Z\r\nDTEND:20210208T110000Z\r\nSEQUENCE:1\r\n") {
			t.Errorf("the edited meeting is not the same event with a higher sequence:\n%s", feed)
		}
		if !strings.Contains(feed, "SUMMARY:INSTÄLLT: Sammanträde GNS – Tertialrapport\r\n") || !strings.Contains(feed, "STATUS:CANCELLED\r\n") {
			t.Errorf("the cancelled meeting is not cancelled in the feed:\n%s", feed)
		}

		// A new address replaces the old; turning it off ends it.
		ledamot.get("/kalender")
		newAddress := calendarAddress.FindStringSubmatch(ledamot.post("/kalender", nil).Body.String())[1]
		if w := get(t, h, address); w.Code != http.StatusNotFound {
			t.Errorf("the replaced address = %d, want 404", w.Code)
		}
		if w := get(t, h, newAddress); w.Code != http.StatusOK {
			t.Errorf("the new address = %d", w.Code)
		}
		ledamot.get("/kalender")
		if w := ledamot.post("/kalender/stang-av", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("turn off = %d", w.Code)
		}
		for _, p := range []string{newAddress, "/kalender/gns_cal_nonsense.ics", strings.TrimSuffix(newAddress, ".ics"), "/kalender/x.ics"} {
			if w := get(t, h, p); w.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, w.Code)
			}
		}
	})
}

// TestMeetingAPI plans a meeting, adds a case and reads the meeting through
// the JSON API, and checks its errors.
func TestMeetingAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		h := cs.s.Handler()
		token := tokenFor(t, db, "sekretariat@demo.gns.example")
		w, body := caseAPI(t, h, token, "GET", "/api/v1/committees/GNS/meetings?year=2021", nil)
		if ms, _ := body["meetings"].([]any); w.Code != http.StatusOK || len(ms) != 4 {
			t.Fatalf("2021 meetings = %d %v", w.Code, body)
		}
		before := cs.meetingCounts(t)
		for _, tt := range []struct {
			name, field string
			body        any
		}{
			{"a Wednesday", "confirm_weekday", map[string]any{"date": "2027-02-10", "start_time": "09:00", "end_time": "12:00"}},
			{"a date in the wrong format", "date", map[string]any{"date": "10 februari 2027", "start_time": "09:00", "end_time": "12:00"}},
			{"an end before the start", "end_time", map[string]any{"date": "2027-02-08", "start_time": "13:00", "end_time": "12:00"}},
		} {
			w, body := caseAPI(t, h, token, "POST", "/api/v1/committees/GNS/meetings", tt.body)
			fields, _ := apiError(body)["fields"].(map[string]any)
			if w.Code != http.StatusBadRequest || fields[tt.field] == nil {
				t.Errorf("%s: %d %v, want 400 on %s", tt.name, w.Code, body, tt.field)
			}
		}
		if w, _ := caseAPI(t, h, token, "POST", "/api/v1/committees/GNS/meetings", `{"date": "2027-02-08", "colour": "red"}`); w.Code != http.StatusBadRequest {
			t.Errorf("an unknown field: %d", w.Code)
		}
		if got := cs.meetingCounts(t); got != before {
			t.Errorf("refused requests wrote: %s", got)
		}
		w, body = caseAPI(t, h, token, "POST", "/api/v1/committees/GNS/meetings",
			map[string]any{"date": "2027-02-10", "start_time": "9.00", "end_time": "12:00", "confirm_weekday": true, "purpose": "arsbokslut", "place": "Lillsjöhögen"})
		if w.Code != http.StatusCreated || body["start_time"] != "09:00" || body["weekday_confirmed"] != true || w.Header().Get("Location") == "" {
			t.Fatalf("create = %d %v", w.Code, body)
		}
		if items, _ := body["items"].([]any); len(items) != 2 {
			t.Errorf("a new meeting's items = %v", body["items"])
		}
		loc := w.Header().Get("Location")

		w, body = caseAPI(t, h, token, "POST", loc+"/items", map[string]any{"case": "GNS/10/2020", "proposal": "Fastställs.", "dispatch_to": []string{"parties", "role:Ekonom"}})
		if w.Code != http.StatusCreated || body["number"] != float64(3) || body["case"] != "GNS/10/2020" || body["title"] != "Sammanträdestider 2021" {
			t.Fatalf("add item = %d %v", w.Code, body)
		}
		if basis, _ := body["basis"].([]any); len(basis) != 1 {
			t.Errorf("basis = %v", body["basis"])
		}
		var foreign domain.Case
		db.InTx(cs.ctx, func(c *store.Conn) error {
			var err error
			foreign, err = c.RegisterCase(cs.ctx, cs.uph, domain.Case{Title: "Upphandling", RegisteredOn: today()})
			return err
		})
		for _, tt := range []struct {
			name, field string
			body        any
		}{
			{"a case of another committee", "case", map[string]any{"case": foreign.Number.String()}},
			{"a case that does not exist", "case", map[string]any{"case": "GNS/99/2020"}},
			{"no case number", "case", map[string]any{"case": "tio"}},
			{"an unknown recipient", "dispatch_to", map[string]any{"title": "Information", "dispatch_to": []string{"alla"}}},
			{"a party of no committee", "dispatch_to", map[string]any{"title": "Information", "dispatch_to": []string{"party:oslo"}}},
		} {
			w, body := caseAPI(t, h, token, "POST", loc+"/items", tt.body)
			fields, _ := apiError(body)["fields"].(map[string]any)
			if w.Code != http.StatusBadRequest || fields[tt.field] == nil {
				t.Errorf("%s: %d %v, want 400 on %s", tt.name, w.Code, body, tt.field)
			}
		}
		w, body = caseAPI(t, h, token, "GET", loc, nil)
		items, _ := body["items"].([]any)
		if w.Code != http.StatusOK || len(items) != 3 {
			t.Fatalf("meeting = %d %v", w.Code, body)
		}
		if members, _ := body["members"].([]any); len(members) != 18 {
			t.Errorf("members called = %d", len(members))
		}

		// A ledamot reads the draft's meeting without its list; may not add.
		ltoken := tokenFor(t, db, "ledamot@demo.gns.example")
		if w, body := caseAPI(t, h, ltoken, "GET", loc, nil); w.Code != http.StatusOK || body["items"] != nil {
			t.Errorf("a ledamot reads a draft's items: %d %v", w.Code, body["items"])
		}
		if w, _ := caseAPI(t, h, ltoken, "POST", loc+"/items", map[string]any{"title": "X"}); w.Code != http.StatusForbidden {
			t.Errorf("a ledamot adds an item: %d", w.Code)
		}
		// A cancelled meeting takes no items.
		m := meetingByPath(t, cs, strings.Replace(loc, "/api/v1/meetings/", "/sammantraden/", 1))
		db.InTx(cs.ctx, func(c *store.Conn) error {
			if _, err := c.WithdrawAgendaItem(cs.ctx, mustItem(t, c, m.ID, 3).ID); err != nil {
				return err
			}
			_, err := c.CancelMeeting(cs.ctx, m.ID)
			return err
		})
		if w, body := caseAPI(t, h, token, "POST", loc+"/items", map[string]any{"title": "Information"}); w.Code != http.StatusConflict {
			t.Errorf("an item on a cancelled meeting: %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, token, "GET", "/api/v1/meetings/999999", nil); w.Code != http.StatusNotFound {
			t.Errorf("an unknown meeting: %d", w.Code)
		}
	})
}

// mustItem returns the item at a position of a meeting's list.
func mustItem(t *testing.T, c *store.Conn, meetingID int64, position int) meeting.AgendaItem {
	t.Helper()
	items, err := c.AgendaItems(t.Context(), meetingID)
	if err != nil || len(items) < position {
		t.Fatalf("items = %+v, %v", items, err)
	}
	return items[position-1]
}
