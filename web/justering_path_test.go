package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// TestJusteringPath follows the justering as the justerare meet it, through
// the real router: "Justera" is offered only when it can be done, and the
// page says why not before that (the meeting not held yet); a justerare
// without two-factor login is guided to turn it on and come back instead of
// a dead-end 403; an agenda item without a paragraph is warned about; and a
// code already used is refused with the reason.
func TestJusteringPath(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		anna := newUser(t, db, "anna@example.se", domain.RoleGrant{Role: domain.RoleMember, CommitteeID: w.gns.ID}, false)
		bjorn := w.members["Björn Hammarberg"]
		bjorn.UserID = anna.ID
		if err := db.InTx(w.ctx, func(c *store.Conn) error { _, err := c.UpdateMember(w.ctx, bjorn); return err }); err != nil {
			t.Fatal(err)
		}
		plan := func(day domain.Date) string {
			t.Helper()
			sec.get("/namnder/GNS/sammantraden/nytt")
			r := sec.post("/namnder/GNS/sammantraden", url.Values{"date": {day.String()}, "start_time": {"09:00"}, "end_time": {"12:00"},
				"purpose": {"ovrigt"}, "municipalities": {"1"}})
			if r.Code != http.StatusSeeOther {
				t.Fatalf("plan meeting = %d: %s", r.Code, sec.last)
			}
			mid := strconv.FormatInt(created(t, r), 10)
			attendance := url.Values{}
			for _, name := range ledamoter {
				attendance.Set("present_"+itoa(w.members[name].ID), "1")
			}
			sec.get("/sammantraden/" + mid + "/narvaro")
			if r := sec.post("/sammantraden/"+mid+"/narvaro", attendance); r.Code != http.StatusSeeOther {
				t.Fatalf("attendance = %d: %s", r.Code, sec.last)
			}
			sec.get("/sammantraden/" + mid + "/protokoll")
			if r := sec.post("/sammantraden/"+mid+"/justerare", url.Values{"justerare_1": {itoa(w.members["Robert Hamberg"].ID)},
				"justerare_2": {itoa(bjorn.ID)}, "justering_due": {day.AddDays(3).String()}}); r.Code != http.StatusSeeOther {
				t.Fatalf("justerare = %d: %s", r.Code, sec.last)
			}
			return mid
		}

		// A meeting still to come: no "Justera", and the page says why.
		coming := plan(today().AddDays(14 - int(today().Weekday()) + 1)) // a Monday ahead
		robert := w.robertLogsIn(t)
		page := text(robert.get("/sammantraden/" + coming + "/protokoll").Body.String())
		if strings.Contains(page, "Justera protokollet") || !strings.Contains(page, "Du kan inte justera protokollet ännu.") || !strings.Contains(page, "har inte hållits ännu") {
			t.Errorf("the minutes of a coming meeting, to a justerare:\n%s", page)
		}
		if r := robert.get("/sammantraden/" + coming + "/justera"); r.Code != http.StatusConflict || !strings.Contains(text(robert.last), "har inte hållits ännu") {
			t.Errorf("the justera form of a coming meeting = %d", r.Code)
		}

		// A held meeting with an item but no paragraph for it.
		day := recentMonday()
		held := plan(day)
		sec.get("/sammantraden/" + held)
		if r := sec.post("/sammantraden/"+held+"/punkter", url.Values{"case": {itoa(w.revision.ID)}}); r.Code != http.StatusSeeOther {
			t.Fatalf("add item = %d: %s", r.Code, sec.last)
		}
		sec.get("/sammantraden/" + held + "/paragrafer/ny")
		if r := sec.post("/sammantraden/"+held+"/paragrafer", url.Values{"title": {"Fastställande av föredragningslista"}, "decision": {"Föredragningslistan fastställs."}}); r.Code != http.StatusSeeOther {
			t.Fatalf("paragraph = %d: %s", r.Code, sec.last)
		}
		page = text(robert.get("/sammantraden/" + held + "/protokoll").Body.String())
		if !strings.Contains(page, "Justera protokollet") || !strings.Contains(page, "punkter på föredragningslistan saknar paragraf") ||
			!strings.Contains(page, "Revisionsrapport") {
			t.Errorf("the minutes of a held meeting with an unrecorded item:\n%s", page)
		}
		if !strings.Contains(text(robert.get("/sammantraden/"+held+"/justera").Body.String()), "saknar paragraf") {
			t.Error("the justera form does not warn of the item without a paragraph")
		}

		// The code Robert just logged in with is refused, with the reason.
		// (The very code, not the one of 30 s ago now: a slow run may have
		// passed into the next 30-second step since.)
		used := w.usedCode
		sha := shaField.FindStringSubmatch(robert.last)
		if sha == nil {
			t.Fatal("no sha on the justera form")
		}
		if r := robert.post("/sammantraden/"+held+"/justera", url.Values{"sha": {sha[1]}, "code": {used}}); r.Code != http.StatusUnauthorized ||
			!strings.Contains(text(robert.last), "Koden har redan använts") {
			t.Errorf("a used code = %d:\n%s", r.Code, text(robert.last))
		}

		// Anna, without two-factor login: guided, not stopped.
		annaB := newBrowser(t, w.s.Handler())
		if r := annaB.login(anna.Email, testPassword); r.Code != http.StatusSeeOther {
			t.Fatalf("Anna's login = %d", r.Code)
		}
		page = text(annaB.get("/sammantraden/" + held + "/protokoll").Body.String())
		enrol := "/konto/tvafaktor?till=" + url.QueryEscape("/sammantraden/"+held+"/justera")
		if strings.Contains(page, "Justera protokollet") || !strings.Contains(page, "Justering kräver tvåstegsverifiering") ||
			!strings.Contains(annaB.last, `href="`+strings.ReplaceAll(enrol, "&", "&amp;")+`"`) {
			t.Errorf("the minutes page to a justerare without two factors:\n%s", page)
		}
		if strings.Contains(page, "Du är inloggad som demoanvändare") {
			t.Error("a user who is no demo user is told she is one")
		}
		r := annaB.get("/sammantraden/" + held + "/justera")
		if r.Code != http.StatusForbidden || !strings.Contains(annaB.last, "Aktivera tvåstegsverifiering") || !strings.Contains(text(annaB.last), "du behöver inte logga in igen") {
			t.Errorf("the justera page without two factors = %d:\n%s", r.Code, text(annaB.last))
		}
		if r := annaB.get(enrol); r.Code != http.StatusOK || !strings.Contains(annaB.last, `name="next" value="/sammantraden/`+held+`/justera"`) {
			t.Errorf("the enrolment from the justera page = %d, without the way back", r.Code)
		}
	})
}

var shaField = regexp.MustCompile(`name="sha" value="([0-9a-f]{64})"`)
