package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
)

// remissSetup is a demo server with the ids the remiss tests need.
type remissSetup struct {
	*caseSetup
	party    map[string]int64 // slug → id
	demoID   int64            // the demo's GNS/3/2019 remiss
	remisser func() int       // how many remisser are stored
}

func newRemissSetup(t *testing.T, db *store.DB) *remissSetup {
	t.Helper()
	rs := &remissSetup{caseSetup: newCaseSetup(t, db), party: map[string]int64{}}
	parties, err := db.Conn().CommitteePartiesOn(rs.ctx, rs.gns.ID, today())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		rs.party[p.Slug] = p.ID
	}
	n, _ := domain.ParseCaseNumber(demo.RemissCase)
	k, err := db.Conn().CaseByNumber(rs.ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.Conn().CaseRemisser(rs.ctx, k.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("demo remiss: %d, %v", len(list), err)
	}
	rs.demoID = list[0].ID
	rs.remisser = func() int {
		var n int
		if err := db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM remisser`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return rs
}

func (rs *remissSetup) answers(t *testing.T) int {
	t.Helper()
	var n int
	if err := rs.db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM remiss_answers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRemissPages sends a case on remiss through the form (with its confirm
// step), answers it as Bräcke's representative (and changes the answer),
// and checks the forbidden paths: answering for another party, a member
// answering, a representative editing the summary, answering after the last
// day.
func TestRemissPages(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRemissSetup(t, db)
		sec := rs.as(t, "sekretariat@demo.gns.example")
		w := sec.get("/arenden/GNS/10/2020/remiss")
		if w.Code != http.StatusOK || strings.Count(sec.last, `name="party"`) != 9 || strings.Count(sec.last, " checked") < 10 {
			t.Fatalf("form = %d:\n%s", w.Code, sec.last)
		}
		before := rs.remisser()
		lastDay := today().AddDays(30).String()
		form := url.Values{"party": {fmt.Sprint(rs.party["bracke"]), fmt.Sprint(rs.party["are"])},
			"question": {"Godkänner parten sammanträdestiderna?"}, "subject": {"förslaget"}, "last_day": {lastDay}}
		// Bad input: no question, a last day passed. Nothing is sent.
		bad := url.Values{"party": form["party"], "last_day": {lastDay}}
		if w := sec.post("/arenden/GNS/10/2020/remiss", bad); w.Code != http.StatusBadRequest || !strings.Contains(sec.last, "Skriv frågan") {
			t.Errorf("no question = %d", w.Code)
		}
		bad = url.Values{"party": form["party"], "question": {"?"}, "last_day": {"2020-01-01"}}
		if w := sec.post("/arenden/GNS/10/2020/remiss", bad); w.Code != http.StatusBadRequest || !strings.Contains(sec.last, "Sista svarsdag måste vara efter i dag") {
			t.Errorf("last day passed = %d", w.Code)
		}
		// The confirm step shows what will be sent and sends nothing.
		if w := sec.post("/arenden/GNS/10/2020/remiss", form); w.Code != http.StatusOK || !strings.Contains(sec.last, "Skicka remissen?") ||
			!strings.Contains(sec.last, "Bräcke kommun") || !strings.Contains(sec.last, `name="confirm" value="ja"`) {
			t.Fatalf("confirm step = %d:\n%s", w.Code, sec.last)
		}
		if rs.remisser() != before {
			t.Fatal("the confirm step sent the remiss")
		}
		form.Set("confirm", "ja")
		w = sec.post("/arenden/GNS/10/2020/remiss", form)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/remisser/") {
			t.Fatalf("send = %d %s:\n%s", w.Code, location(w), sec.last)
		}
		page := location(w)
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/remisser/"), 10, 64)

		bracke := rs.as(t, "bracke@demo.gns.example")
		bracke.get(page)
		if !strings.Contains(bracke.last, "Svar från Bräcke kommun") || !strings.Contains(bracke.last, "inväntar svar") {
			t.Fatalf("Bräcke's page:\n%s", bracke.last)
		}
		// Bräcke answers for Åre: forbidden, nothing stored.
		n := rs.answers(t)
		if w := bracke.post(page+"/svar", url.Values{"party": {fmt.Sprint(rs.party["are"])}, "position": {"approves"}}); w.Code != http.StatusForbidden {
			t.Errorf("Bräcke answering for Åre = %d, want 403", w.Code)
		}
		if rs.answers(t) != n {
			t.Error("a forbidden answer was stored")
		}
		bracke.get(page)
		if w := bracke.post(page+"/svar", url.Values{"position": {"approves_with_comments"}}); w.Code != http.StatusBadRequest || !strings.Contains(bracke.last, "Skriv partens synpunkter") {
			t.Errorf("missing comments = %d", w.Code)
		}
		w = bracke.post(page+"/svar", url.Values{"party": {fmt.Sprint(rs.party["bracke"])}, "position": {"approves"},
			"decision_body": {"Kommunstyrelsen"}, "decision_paragraph": {"§ 7"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("answer = %d:\n%s", w.Code, bracke.last)
		}
		bracke.get(page)
		w = bracke.post(page+"/svar", url.Values{"position": {"rejects"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("changed answer = %d:\n%s", w.Code, bracke.last)
		}
		bracke.get(page)
		if !strings.Contains(bracke.last, "<strong>avstyrker</strong>") || !strings.Contains(bracke.last, "Tidigare svar (1)") {
			t.Errorf("answer table after the change:\n%s", bracke.last)
		}
		// Bräcke may not edit the summary; a member may not answer.
		if w := bracke.post(page+"/sammanfattning", url.Values{"summary": {"x"}}); w.Code != http.StatusForbidden {
			t.Errorf("Bräcke editing the summary = %d, want 403", w.Code)
		}
		member := rs.as(t, "ledamot@demo.gns.example")
		member.get(page)
		if w := member.post(page+"/svar", url.Values{"position": {"approves"}}); w.Code != http.StatusForbidden {
			t.Errorf("a member answering = %d, want 403", w.Code)
		}
		// The secretariat registers Åre's answer, which came by post.
		sec.get(page)
		if !strings.Contains(sec.last, "En part har inkommit med remissvar. Bräcke kommun avstyrker förslaget.") {
			t.Errorf("draft summary missing:\n%s", sec.last)
		}
		w = sec.postFile(page+"/svar", url.Values{"party": {fmt.Sprint(rs.party["are"])}, "position": {"abstains"},
			"received_on": {today().String()}}, "Åre KS 2020-12-01 § 5.txt", []byte("Kommunstyrelsen beslutar att inte ta ställning.\n"))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("secretariat registering Åre's answer = %d:\n%s", w.Code, sec.last)
		}
		sec.get(page)
		if !strings.Contains(sec.last, "Remissvar från Åre kommun") {
			t.Errorf("Åre's document is not shown:\n%s", sec.last)
		}
		sec.get(page)
		w = sec.post(page+"/sammanfattning", url.Values{"summary": {"Två parter har svarat."}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("summary = %d", w.Code)
		}
		sec.get("/arenden/GNS/10/2020")
		if !strings.Contains(sec.last, "Resultat remiss:</strong> Två parter har svarat.") || !strings.Contains(sec.last, "tar ej ställning") {
			t.Errorf("case page:\n%s", sec.last)
		}
		r, err := db.Conn().Remiss(rs.ctx, id)
		if err != nil || len(r.Parties) != 2 {
			t.Fatalf("remiss %+v, %v", r, err)
		}
		// After the last day (the demo remiss, 2020-11-20): refused.
		demoPage := "/remisser/" + fmt.Sprint(rs.demoID)
		bracke.get(demoPage)
		if !strings.Contains(bracke.last, "ej svarat") || strings.Contains(bracke.last, "Lämna svaret") {
			t.Errorf("demo remiss page after the last day:\n%s", bracke.last)
		}
		if w := bracke.post(demoPage+"/svar", url.Values{"position": {"approves"}}); w.Code != http.StatusConflict || !strings.Contains(bracke.last, "Sista svarsdag") {
			t.Errorf("answer after the last day = %d", w.Code)
		}
		// Another committee's secretary does not find the remiss.
		uph := rs.as(t, "uph@example.se")
		if w := uph.get(page); w.Code != http.StatusNotFound {
			t.Errorf("UPH secretary reading a GNS remiss = %d, want 404", w.Code)
		}
	})
}

// TestRemissAPI creates a remiss, reads it and answers it through the API,
// with the forbidden paths.
func TestRemissAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRemissSetup(t, db)
		h := rs.s.Handler()
		sec, bracke := tokenFor(t, db, "sekretariat@demo.gns.example"), tokenFor(t, db, "bracke@demo.gns.example")
		member := tokenFor(t, db, "ledamot@demo.gns.example")

		// The demo's GNS/3/2019 remiss, as the seed tells it.
		code, out := apiCall(t, h, member, "GET", fmt.Sprintf("/api/v1/remisser/%d", rs.demoID), "")
		if code != http.StatusOK {
			t.Fatalf("GET demo remiss = %d %v", code, out)
		}
		status := map[string]string{}
		for _, p := range out["parties"].([]any) {
			pm := p.(map[string]any)
			status[pm["party"].(string)] = pm["status"].(string)
		}
		if len(status) != 9 || status["are"] != "ej svarat" || status["bracke"] != "tar ej ställning" || status["ostersund"] != "godkänner" {
			t.Errorf("demo statuses %v", status)
		}
		if d := out["draft_summary"]; d != "Sex parter har inkommit med remissvar varav en part ej tar ställning. Östersunds kommun, Strömsunds kommun, Härjedalens kommun, Krokoms kommun samt Region Jämtland Härjedalen godkänner förstudien. Bräcke kommun tar ej ställning." {
			t.Errorf("draft %v", d)
		}

		body := fmt.Sprintf(`{"question": "Godkänner parten budgeten?", "subject": "budgeten", "last_day": %q}`, today().AddDays(20))
		before := rs.remisser()
		if code, _ := apiCall(t, h, bracke, "POST", "/api/v1/cases/GNS/8/2020/remiss", body); code != http.StatusForbidden {
			t.Errorf("a representative creating a remiss = %d, want 403", code)
		}
		if code, _ := apiCall(t, h, sec, "POST", "/api/v1/cases/GNS/8/2020/remiss", `{"question": "?", "last_day": "2020-01-01"}`); code != http.StatusBadRequest {
			t.Errorf("last day passed = %d, want 400", code)
		}
		if code, _ := apiCall(t, h, sec, "POST", "/api/v1/cases/GNS/8/2020/remiss", `{"question": "?", "last_day": "2099-01-01", "parties": ["nowhere"]}`); code != http.StatusBadRequest {
			t.Errorf("unknown party = %d, want 400", code)
		}
		if rs.remisser() != before {
			t.Fatal("a refused request stored a remiss")
		}
		code, out = apiCall(t, h, sec, "POST", "/api/v1/cases/GNS/8/2020/remiss", body)
		if code != http.StatusCreated || len(out["parties"].([]any)) != 9 || len(out["documents"].([]any)) != 1 {
			t.Fatalf("create = %d %v", code, out)
		}
		path := fmt.Sprintf("/api/v1/remisser/%v/answers", out["id"])
		if code, _ := apiCall(t, h, bracke, "POST", path, `{"party": "are", "position": "approves"}`); code != http.StatusForbidden {
			t.Errorf("Bräcke answering for Åre = %d, want 403", code)
		}
		if code, _ := apiCall(t, h, member, "POST", path, `{"position": "approves"}`); code != http.StatusForbidden {
			t.Errorf("a member answering = %d, want 403", code)
		}
		if code, _ := apiCall(t, h, bracke, "POST", path, `{"position": "maybe"}`); code != http.StatusBadRequest {
			t.Errorf("bad position = %d, want 400", code)
		}
		code, out = apiCall(t, h, bracke, "POST", path, `{"position": "approves", "decision_body": "Kommunstyrelsen", "decision_date": "2020-12-01", "decision_paragraph": "§ 3"}`)
		if code != http.StatusCreated {
			t.Fatalf("answer = %d %v", code, out)
		}
		code, out = apiCall(t, h, bracke, "POST", path, `{"party": "bracke", "position": "abstains"}`)
		if code != http.StatusCreated {
			t.Fatalf("second answer = %d %v", code, out)
		}
		for _, p := range out["parties"].([]any) {
			pm := p.(map[string]any)
			if pm["party"] == "bracke" {
				a := pm["answer"].(map[string]any)
				if a["version"] != float64(2) || a["position"] != "abstains" || pm["status"] != "tar ej ställning" {
					t.Errorf("Bräcke after the change: %v", pm)
				}
			}
		}
		// After the last day: refused.
		if code, out := apiCall(t, h, bracke, "POST", fmt.Sprintf("/api/v1/remisser/%d/answers", rs.demoID), `{"position": "approves"}`); code != http.StatusConflict {
			t.Errorf("answer after the last day = %d %v, want 409", code, out)
		}
		if code, _ := apiCall(t, h, sec, "GET", "/api/v1/remisser/999999", ""); code != http.StatusNotFound {
			t.Errorf("unknown remiss = %d", code)
		}
	})
}

// TestParagraphFormBringsRemissSummary: the paragraph of an agenda item
// whose case has a remiss with a saved summary starts with the summary
// under "Resultat remiss".
func TestParagraphFormBringsRemissSummary(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	n, _ := domain.ParseCaseNumber("GNS/10/2020")
	k, err := db.Conn().CaseByNumber(w.ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	parties, err := db.Conn().CommitteePartiesOn(w.ctx, w.gns.ID, today())
	if err != nil {
		t.Fatal(err)
	}
	var m meeting.Meeting
	var it meeting.AgendaItem
	err = db.InTx(w.ctx, func(c *store.Conn) error {
		r, err := c.CreateRemiss(w.ctx, k.ID, domain.Remiss{Question: "Godkänner parten tiderna?", LastDay: today().AddDays(10),
			Parties: []domain.RemissParty{{PartyID: parties[0].ID}}}, today())
		if err != nil {
			return err
		}
		if _, err := c.SetRemissSummary(w.ctx, r.ID, "En part har inkommit med remissvar."); err != nil {
			return err
		}
		if m, err = c.CreateMeeting(w.ctx, meeting.Meeting{CommitteeID: w.gns.ID, Date: recentMonday(), StartTime: "09:00", EndTime: "12:00",
			Place: "Rådhuset", Purpose: meeting.PurposeOther, Municipalities: true}); err != nil {
			return err
		}
		it, err = c.AddAgendaItem(w.ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: k.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sec := w.as(t, "sekretariat@demo.gns.example")
	r := sec.get("/sammantraden/" + itoa(m.ID) + "/paragrafer/ny?punkt=" + itoa(it.ID))
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "Resultat remiss\n\nEn part har inkommit med remissvar.</textarea>") {
		t.Errorf("paragraph form = %d, without the remiss summary", r.Code)
	}
}
