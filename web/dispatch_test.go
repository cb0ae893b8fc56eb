package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/store"
)

// demoMeetingOn returns the demo committee's meeting on day.
func demoMeetingOn(t *testing.T, w *minutesWorld, day string) meeting.Meeting {
	t.Helper()
	d := domain.MustDate(day)
	list, err := w.db.Conn().Meetings(w.ctx, w.gns.ID, d.Year)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.Date == d {
			return m
		}
	}
	t.Fatalf("no demo meeting on %s", day)
	return meeting.Meeting{}
}

// pageOf is the page a redirect leads to, without its fragment.
func pageOf(r interface{ Header() http.Header }) string {
	path, _, _ := strings.Cut(r.Header().Get("Location"), "#")
	return path
}

// TestExpediering: as the demo secretariat, over a real SMTP server, the
// confirm page offers the 2019-12-06 paragraph to every party's registry,
// expediering delivers one mail to each party carrying its utdrag PDF
// (read back with pdftotext), sending again sends nothing twice, and
// Bräcke's representative acknowledges receipt with Bräcke's diarienummer,
// which the paragraph then shows; the minutes and start pages say what is
// not yet expedierat.
func TestExpediering(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		w := newMinutesWorld(t, db)
		m := demoMeetingOn(t, w, "2019-12-06")
		mid := strconv.FormatInt(m.ID, 10)
		sec := w.as(t, "sekretariat@demo.gns.example")

		if page := strings.Join(strings.Fields(text(sec.get("/").Body.String())), " "); !strings.Contains(page, "Att expediera") || !strings.Contains(page, "2019-12-06 1 av 1 Expediera protokollet 2019-12-06") {
			t.Errorf("the start page does not list the minutes to expediera:\n%s", page)
		}
		if page := text(sec.get("/sammantraden/" + mid + "/protokoll").Body.String()); !strings.Contains(page, "1 av 1 paragrafer är inte expedierade") {
			t.Errorf("the minutes page does not say what is not expedierat:\n%s", page)
		}
		confirm := sec.get("/sammantraden/" + mid + "/expediera")
		page := text(confirm.Body.String())
		if confirm.Code != http.StatusOK || !strings.Contains(page, "Bräcke kommun – "+demo.PartyAddress("bracke")) || !strings.Contains(page, "Expediera de markerade utdragen") {
			t.Fatalf("confirm page = %d:\n%s", confirm.Code, page)
		}
		paras, _ := db.Conn().MeetingParagraphs(w.ctx, m.ID)
		field := "mottagare_" + strconv.FormatInt(paras[0].ID, 10)
		if n := strings.Count(confirm.Body.String(), `name="`+field+`"`); n < 9 || strings.Count(confirm.Body.String(), " checked") < 9 {
			t.Errorf("the confirm page offers %d recipients, want the nine parties ticked", n)
		}
		form := url.Values{"confirm": {"1"}}
		for _, p := range demo.Parties {
			form.Add(field, "party:"+p.Slug)
		}
		r := sec.post("/sammantraden/"+mid+"/expediera", form)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("expediera = %d: %s", r.Code, text(sec.last))
		}
		if page := text(sec.get(pageOf(r)).Body.String()); !strings.Contains(page, "9 protokollsutdrag expedierades") || !strings.Contains(page, "Alla paragrafer är expedierade") {
			t.Errorf("after expediering the minutes page says:\n%s", page)
		}
		got := smtp.Wait(t, 9, 30*time.Second)
		var bracke *mailtest.Message
		for i, msg := range got {
			if msg.To[0] == demo.PartyAddress("bracke") {
				bracke = &got[i]
			}
		}
		if bracke == nil {
			t.Fatalf("no mail to Bräcke's registry among %d", len(got))
		}
		if !strings.Contains(bracke.Header("Subject"), "Protokollsutdrag § 38/2019") || !bracke.Contains("Bekräfta mottagande") {
			t.Errorf("Bräcke's mail: %q\n%s", bracke.Header("Subject"), bracke.Body("text/plain"))
		}
		atts := bracke.Attachments()
		if len(atts) != 1 || atts[0].ContentType != "application/pdf" || !strings.HasSuffix(atts[0].Filename, "Bräcke kommun.pdf") {
			t.Fatalf("Bräcke's attachments = %+v", atts)
		}
		pdf := pdfText(t, atts[0].Content)
		for _, want := range []string{"Utdrag ur protokoll", "§ 38/2019", "Bräcke kommun", "Svenskt ramverk för digitalisering i samverkan", "Rätt utdraget betygar"} {
			if !strings.Contains(pdf, want) {
				t.Errorf("the utdrag PDF lacks %q:\n%s", want, pdf)
			}
		}

		// Again, with the economist added: only the economist gets a mail.
		form.Add(field, "role:economist")
		sec.get("/sammantraden/" + mid + "/expediera")
		r = sec.post("/sammantraden/"+mid+"/expediera", form)
		if page := text(sec.get(pageOf(r)).Body.String()); !strings.Contains(page, "1 protokollsutdrag expedierades") || !strings.Contains(page, "9 mottagare hade redan fått") {
			t.Errorf("sending again says:\n%s", page)
		}
		got = smtp.Wait(t, 10, 30*time.Second)
		time.Sleep(300 * time.Millisecond)
		if n := len(smtp.Messages()); n != 10 {
			t.Errorf("%d mails delivered after sending again, want 10 (nobody twice)", n)
		}
		if got[9].To[0] != "ekonom@demo.gns.example" {
			t.Errorf("the tenth mail went to %v", got[9].To)
		}

		// Bräcke's representative acknowledges receipt.
		pp := "/paragrafer/" + strconv.FormatInt(paras[0].ID, 10)
		br := w.as(t, "bracke@demo.gns.example")
		page = text(br.get(pp).Body.String())
		if !strings.Contains(page, "Inte bekräftat") || strings.Contains(page, "Åre kommun") && strings.Contains(page, demo.PartyAddress("are")) {
			t.Errorf("Bräcke's view of the paragraph:\n%s", page)
		}
		dispatches, _ := db.Conn().MeetingDispatches(w.ctx, m.ID)
		ids := map[int64]int64{}
		for _, d := range dispatches {
			ids[d.PartyID] = d.ID
		}
		brackeParty, _ := db.Conn().PartyBySlug(w.ctx, "bracke")
		areParty, _ := db.Conn().PartyBySlug(w.ctx, "are")
		ack := "/utdrag/" + strconv.FormatInt(ids[brackeParty.ID], 10) + "/mottagande"
		if r := br.post(ack, url.Values{"registry_number": {"KS ärende"}}); r.Code != http.StatusBadRequest || !strings.Contains(text(br.last), "Ett diarienummer innehåller siffror") {
			t.Errorf("a number without digits = %d:\n%s", r.Code, text(br.last))
		}
		if page := strings.Join(strings.Fields(text(br.get("/var-andel").Body.String())), " "); !strings.Contains(page, "1 protokollsutdrag väntar på att Bräcke kommun bekräftar mottagandet") ||
			!strings.Contains(page, "GNS § 38/2019 Svenskt ramverk") {
			t.Errorf("Vår andel does not list the utdrag to acknowledge:\n%s", page)
		}
		r = br.post(ack, url.Values{"registry_number": {"KS 2019/1234"}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("acknowledge = %d: %s", r.Code, text(br.last))
		}
		if page := text(br.get(pageOf(r)).Body.String()); !strings.Contains(page, "diarienummer KS 2019/1234") {
			t.Errorf("after acknowledging:\n%s", page)
		}
		if page := strings.Join(strings.Fields(text(br.get("/var-andel").Body.String())), " "); strings.Contains(page, "väntar på att") || !strings.Contains(page, "Mottagandet är bekräftat, diarienummer KS 2019/1234") {
			t.Errorf("Vår andel after acknowledging:\n%s", page)
		}
		if page := text(sec.get(pp).Body.String()); !strings.Contains(page, "diarienummer KS 2019/1234") || strings.Count(page, "Inte bekräftat") != 8 {
			t.Errorf("the secretariat's paragraph page should show Bräcke's receipt and eight not acknowledged:\n%s", page)
		}

		// Forbidden: Bräcke acknowledging Åre's utdrag, the secretariat
		// acknowledging for a party.
		if r := br.post("/utdrag/"+strconv.FormatInt(ids[areParty.ID], 10)+"/mottagande", url.Values{"registry_number": {"KS 1/2019"}}); r.Code != http.StatusNotFound {
			t.Errorf("Bräcke acknowledging Åre's utdrag = %d, want 404", r.Code)
		}
		if r := sec.post(ack, url.Values{"registry_number": {"KS 1/2019"}}); r.Code != http.StatusForbidden {
			t.Errorf("the secretariat acknowledging = %d, want 403", r.Code)
		}
		token := tokenFor(t, db, "bracke@demo.gns.example")
		if code, _ := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/dispatches/"+strconv.FormatInt(ids[areParty.ID], 10)+"/receipt", `{"registry_number":"KS 1/2019"}`); code != http.StatusNotFound {
			t.Errorf("API: Bräcke acknowledging Åre's = %d, want 404", code)
		}
		code, out := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/dispatches/"+strconv.FormatInt(ids[brackeParty.ID], 10)+"/receipt", `{"registry_number":"KS 2019/1235"}`)
		if code != http.StatusOK || out["receipt"].(map[string]any)["registry_number"] != "KS 2019/1235" || len(out["receipt_history"].([]any)) != 2 {
			t.Errorf("API receipt = %d %v", code, out)
		}
		if page := text(sec.get(pp).Body.String()); !strings.Contains(page, "Tidigare: KS 2019/1234") {
			t.Errorf("the corrected number's history is not shown:\n%s", page)
		}
	})
}

// TestExpedieringRefused: minutes not justerade cannot be expedierade (a
// clear error, no mail), on the page and through the API; a member may not
// expediera; the API expedierar a paragraph's defaults (the 2020-02-14
// paragraph "Ekonom" goes to the economist) and refuses an unknown
// recipient without sending anything.
func TestExpedieringRefused(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	sec := w.as(t, "sekretariat@demo.gns.example")
	open := mondayMeeting(t, sec, recentMonday())
	if r := sec.get("/sammantraden/" + open + "/expediera"); r.Code != http.StatusConflict || !strings.Contains(text(sec.last), "är inte justerat. Bara ett justerat protokoll kan expedieras") {
		t.Errorf("expediera open minutes = %d:\n%s", r.Code, text(sec.last))
	}
	sec.get("/sammantraden/" + open)
	if r := sec.post("/sammantraden/"+open+"/expediera", url.Values{"confirm": {"1"}}); r.Code != http.StatusConflict {
		t.Errorf("POST expediera open minutes = %d", r.Code)
	}
	token := tokenFor(t, db, "sekretariat@demo.gns.example")
	if code, out := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/meetings/"+open+"/dispatch", ``); code != http.StatusConflict {
		t.Errorf("API dispatch of open minutes = %d %v", code, out)
	}
	m := demoMeetingOn(t, w, "2020-02-14")
	mid := strconv.FormatInt(m.ID, 10)
	paras, _ := db.Conn().MeetingParagraphs(w.ctx, m.ID)
	bad := `{"paragraphs":[{"paragraph_id":` + strconv.FormatInt(paras[0].ID, 10) + `,"recipients":["party:nowhere"]}]}`
	if code, out := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/meetings/"+mid+"/dispatch", bad); code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
		t.Errorf("API dispatch to an unknown recipient = %d %v", code, out)
	}
	if mails, _ := db.Conn().Mails(w.ctx, store.MailFilter{}); len(mails) != 0 {
		t.Errorf("%d mails kept after refused expedieringar", len(mails))
	}
	member := tokenFor(t, db, "ledamot@demo.gns.example")
	if code, _ := apiCall(t, w.s.Handler(), member, "POST", "/api/v1/meetings/"+mid+"/dispatch", ``); code != http.StatusForbidden {
		t.Errorf("a member's dispatch = %d, want 403", code)
	}
	code, out := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/meetings/"+mid+"/dispatch", ``)
	sent, _ := out["sent"].([]any)
	if code != http.StatusOK || len(sent) != 1 || sent[0].(map[string]any)["to"] != "ekonom@demo.gns.example" || out["mails_sent"] != false {
		t.Fatalf("API dispatch = %d %v", code, out)
	}
	mails, _ := db.Conn().Mails(w.ctx, store.MailFilter{})
	if len(mails) != 1 || mails[0].Status != domain.MailKept || mails[0].Kind != domain.MailUtdrag {
		t.Errorf("mails = %+v, want the one kept under Utskick", mails)
	}
	if code, out := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/meetings/"+mid+"/dispatch", ``); code != http.StatusOK || out["already_sent"] != float64(1) || len(out["sent"].([]any)) != 0 {
		t.Errorf("dispatching again = %d %v", code, out)
	}
}
