package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// minutesWorld is the demo committee with two justerare linked to users:
// Robert Hamberg (the chair) as robert@example.se with two-factor login, and
// Susanne Hansson (the vice chair) as the demo ledamot, who may approve
// without a code while demo mode is on.
type minutesWorld struct {
	s        *Server
	db       *store.DB
	ctx      context.Context
	gns      domain.Committee
	members  map[string]domain.Member // by name
	robert   domain.User
	secret   string // Robert's TOTP secret
	revision domain.Case
}

func newMinutesWorld(t *testing.T, db *store.DB) *minutesWorld {
	t.Helper()
	s, _ := newTestServer(t, db)
	w := &minutesWorld{s: s, db: db, ctx: domain.WithActor(context.Background(), domain.Actor{Label: "test"}), members: map[string]domain.Member{}}
	if _, err := demo.Load(w.ctx, db); err != nil {
		t.Fatal(err)
	}
	conn := db.Conn()
	w.gns, _ = conn.CommitteeByCode(w.ctx, "GNS")
	all, err := conn.Members(w.ctx, w.gns.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range all {
		w.members[mb.Name] = mb
	}
	w.robert = newUser(t, db, "robert@example.se", domain.RoleGrant{Role: domain.RoleMember, CommitteeID: w.gns.ID}, false)
	ledamot, _, err := conn.UserForLogin(w.ctx, "ledamot@demo.gns.example")
	if err != nil {
		t.Fatal(err)
	}
	enrolment, err := auth.NewTOTP("GNS", w.robert.Email)
	if err != nil {
		t.Fatal(err)
	}
	w.secret = enrolment.Secret
	robertMember, susanne := w.members["Robert Hamberg"], w.members["Susanne Hansson"]
	robertMember.UserID, susanne.UserID = w.robert.ID, ledamot.ID
	err = db.InTx(w.ctx, func(c *store.Conn) error {
		if err := c.EnableTOTP(w.ctx, w.robert.ID, s.Sealer.Seal(w.secret), auth.TOTPStep(time.Now())-2, nil); err != nil {
			return err
		}
		if _, err := c.UpdateMember(w.ctx, robertMember); err != nil {
			return err
		}
		_, err := c.UpdateMember(w.ctx, susanne)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.revision, err = reopenedRevision(w.ctx, db); err != nil {
		t.Fatal(err)
	}
	return w
}

// as logs a demo user in.
func (w *minutesWorld) as(t *testing.T, email string) *browser {
	t.Helper()
	b := newBrowser(t, w.s.Handler())
	if r := b.login(email, demo.Password); r.Code != http.StatusSeeOther {
		t.Fatalf("login as %s = %d", email, r.Code)
	}
	return b
}

// robertLogsIn logs Robert in with his password and a code.
func (w *minutesWorld) robertLogsIn(t *testing.T) *browser {
	t.Helper()
	b := newBrowser(t, w.s.Handler())
	b.login(w.robert.Email, testPassword)
	b.get("/logga-in/tvafaktor")
	code, _ := auth.TOTPCode(w.secret, time.Now().Add(-30*time.Second))
	if r := b.post("/logga-in/tvafaktor", url.Values{"code": {code}}); r.Code != http.StatusSeeOther || location(r) != "/" {
		t.Fatalf("Robert's login = %d → %q", r.Code, location(r))
	}
	return b
}

// recentMonday is a Monday at least two weeks before today, so its
// minutes can be justerade.
func recentMonday() domain.Date {
	d := today().AddDays(-14)
	for d.Weekday() != time.Monday {
		d = d.AddDays(-1)
	}
	return d
}

var idInPath = regexp.MustCompile(`/(\d+)(?:[/#?].*)?$`)

// created returns the id at the end of a redirect's address.
func created(t *testing.T, r interface{ Header() http.Header }) int64 {
	t.Helper()
	m := idInPath.FindStringSubmatch(strings.SplitN(r.Header().Get("Location"), "#", 2)[0])
	if m == nil {
		t.Fatalf("no id in the redirect %q", r.Header().Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// rows counts the minutes' tables and the audit trail (without logins and
// token use, which a request records whatever it asks), to show that a
// refused request changed nothing.
func (w *minutesWorld) rows(t *testing.T) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"paragraphs", "motions", "votes", "meeting_justerare", "paragraph_counters", "assignments", "assignment_events", "case_events",
		"audit_log WHERE entity NOT IN ('api_token', 'user')"} {
		var n int
		if err := w.db.SQL().QueryRowContext(w.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", table, n))
	}
	var approved, locked int
	w.db.SQL().QueryRowContext(w.ctx, "SELECT COUNT(approved_at) FROM meeting_justerare").Scan(&approved)
	w.db.SQL().QueryRowContext(w.ctx, "SELECT COUNT(locked_at) FROM meetings").Scan(&locked)
	return strings.Join(parts, " ") + fmt.Sprintf(" approved=%d locked=%d", approved, locked)
}

// TestMinutesAsAUserWould follows the "done when" through the
// pages: the secretariat plans a meeting, puts a case on the kallelse,
// records attendance and a paragraph with a yrkande and a votering, gives an
// assignment, chooses two justerare; both justerare approve (one with a
// two-factor code), the minutes lock, the PDFs read back with å, ä and ö,
// and a later meeting's paragraph withdraws the assignment, the register
// showing both paragraphs. Every refused step changes nothing.
func TestMinutesAsAUserWould(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		day := recentMonday()

		// The meeting, its kallelse and attendance (the meetings' pages).
		sec.get("/namnder/GNS/sammantraden/nytt")
		r := sec.post("/namnder/GNS/sammantraden", url.Values{"date": {day.String()}, "start_time": {"09:00"}, "end_time": {"12:00"},
			"place": {"Lillsjöhögen, via Teams"}, "purpose": {"ovrigt"}, "municipalities": {"1"}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("plan meeting = %d: %s", r.Code, sec.last)
		}
		meetingID := created(t, r)
		mid := strconv.FormatInt(meetingID, 10)
		sec.get("/sammantraden/" + mid)
		if r := sec.post("/sammantraden/"+mid+"/punkter", url.Values{"case": {itoa(w.revision.ID)}, "proposal": {"Nämnden lägger rapporten till handlingarna."},
			"dispatch_to": {"Nämndens parter\nEkonom"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("add agenda item = %d: %s", r.Code, sec.last)
		}
		attendance := url.Values{}
		for _, name := range ledamoter {
			attendance.Set("present_"+itoa(w.members[name].ID), "1")
		}
		sec.get("/sammantraden/" + mid + "/narvaro")
		if r := sec.post("/sammantraden/"+mid+"/narvaro", attendance); r.Code != http.StatusSeeOther {
			t.Fatalf("attendance = %d: %s", r.Code, sec.last)
		}

		// The minutes page offers the agenda item; its form is filled from it.
		r = sec.get("/sammantraden/" + mid + "/protokoll")
		items := regexp.MustCompile(`paragrafer/ny\?punkt=(\d+)">Punkt 3: Revisionsrapport`).FindStringSubmatch(r.Body.String())
		if r.Code != http.StatusOK || items == nil {
			t.Fatalf("minutes page = %d, without the agenda item:\n%s", r.Code, r.Body)
		}
		r = sec.get("/sammantraden/" + mid + "/paragrafer/ny?punkt=" + items[1])
		if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "Nämnden lägger rapporten till handlingarna.") ||
			!strings.Contains(r.Body.String(), "Nämndens parter\nEkonom") {
			t.Fatalf("new paragraph form = %d, not filled from the item", r.Code)
		}
		paragraph := url.Values{"agenda_item": {items[1]}, "title": {"Revisionsrapport granskning av gemensam nämnd för samverkan"},
			"summary":           {"Regionens revisorer granskar årligen all verksamhet.\n\nBristerna är oacceptabla och måste åtgärdas."},
			"proposal":          {"Nämnden har tagit del av rapporten och lägger den till handlingarna."},
			"motion_member_1":   {itoa(w.members["Susanne Hansson"].ID)},
			"motion_text_1":     {"Yrkar en beslutspunkt 2: Nämnden uppdrar till regiondirektören att åtgärda bristerna."},
			"proposition_order": {"Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget."},
			"decision":          {"1. Nämnden har tagit del av rapporten och lägger den till handlingarna.\n2. Nämnden uppdrar till regiondirektören att åtgärda bristerna."},
			"reservations":      {"Björn Hammarberg (M) reserverar sig mot beslutet."},
			"dispatch_to":       {"Nämndens parter\nEkonom"}, "basis": {"- Tjänsteskrivelse Revisionsrapport"}}
		for i, name := range ledamoter {
			vote := "ja"
			if i == 2 {
				vote = "nej"
			} else if i == 8 {
				vote = "avstar"
			}
			paragraph.Set("vote_"+itoa(w.members[name].ID), vote)
		}

		// Bad input: a votering one vote short, a vote of an ersättare not
		// serving, a yrkande without text, HTML in the title.
		before := w.rows(t)
		short := cloneValues(paragraph)
		short.Del("vote_" + itoa(w.members["Bosse Svensson"].ID))
		notServing := cloneValues(paragraph)
		notServing.Set("vote_"+itoa(w.members["Maria Jakobsson"].ID), "ja")
		noText := cloneValues(paragraph)
		noText.Set("motion_text_1", "")
		for name, tt := range map[string]struct {
			form url.Values
			msg  string
		}{
			"a votering one vote short":        {short, "Bosse Svensson (C) tjänstgör men saknar röst. Antalet röster (8) stämmer inte med antalet tjänstgörande (9)."},
			"a vote by an ersättare not there": {notServing, "Maria Jakobsson (S) tjänstgör inte"},
			"a yrkande without text":           {noText, "skriv vad som yrkas"},
		} {
			r := sec.post("/sammantraden/"+mid+"/paragrafer", tt.form)
			if r.Code != http.StatusBadRequest || !strings.Contains(r.Body.String(), "error-summary") || !strings.Contains(r.Body.String(), tt.msg) {
				t.Errorf("%s = %d, want 400 with %q", name, r.Code, tt.msg)
			}
		}
		if after := w.rows(t); after != before {
			t.Errorf("refused paragraphs changed the data:\n%s\n%s", before, after)
		}

		r = sec.post("/sammantraden/"+mid+"/paragrafer", paragraph)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("create paragraph = %d: %s", r.Code, sec.last)
		}
		paras, _ := db.Conn().MeetingParagraphs(w.ctx, meetingID)
		if len(paras) != 1 || paras[0].Number != 1 || paras[0].Year != day.Year || *paras[0].Count != (meeting.VoteCount{Yes: 7, No: 1, Abstain: 1}) {
			t.Fatalf("paragraphs = %+v", paras)
		}
		p := paras[0]
		pid := itoa(p.ID)
		if k, _ := db.Conn().CaseByID(w.ctx, w.revision.ID); k.Status != domain.CaseDecided {
			t.Errorf("the case after its paragraph = %s, want decided", k.Status)
		}
		r = sec.get("/paragrafer/" + pid)
		for _, want := range []string{"§ 1 Revisionsrapport granskning av gemensam nämnd för samverkan (GNS/6/2020)", "Susanne Hansson (S):",
			"Resultat: 7 ja, 1 nej, 1 avstår", "Björn Hammarberg (M)</th><td>Nej", "Utdrag tas ut när protokollet är justerat"} {
			if !strings.Contains(r.Body.String(), want) {
				t.Errorf("the paragraph page lacks %q", want)
			}
		}

		// An assignment, already overdue, on the start page and in the
		// register.
		due := day.AddDays(7)
		if r := sec.post("/paragrafer/"+pid+"/uppdrag", url.Values{"assignee": {""}, "description": {"x"}}); r.Code != http.StatusBadRequest {
			t.Errorf("an assignment without assignee = %d", r.Code)
		}
		r = sec.post("/paragrafer/"+pid+"/uppdrag", url.Values{"assignee": {"Regiondirektören"},
			"description": {"Åtgärda de brister som framkommit i revisionsrapporten."}, "due_on": {due.String()}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("give assignment = %d: %s", r.Code, sec.last)
		}
		given, _, _ := db.Conn().ParagraphAssignments(w.ctx, p.ID)
		if len(given) != 1 {
			t.Fatalf("assignments of the paragraph = %v", given)
		}
		if r := sec.get("/"); !strings.Contains(r.Body.String(), "Försenade uppdrag: 1") || !strings.Contains(r.Body.String(), "/namnder/GNS/uppdrag?forsenade=1") {
			t.Error("the start page does not link to the overdue assignment")
		}
		if r := sec.get("/namnder"); !strings.Contains(r.Body.String(), "Försenade uppdrag (1)") || !strings.Contains(r.Body.String(), "/namnder/GNS/uppdrag?forsenade=1") {
			t.Error("the committee list does not link to the overdue assignment")
		}
		if r := sec.get("/namnder/GNS/uppdrag?forsenade=1"); !strings.Contains(r.Body.String(), "Åtgärda de brister") || !strings.Contains(r.Body.String(), "försenat") {
			t.Errorf("the overdue register = %d, lacks the assignment", r.Code)
		}

		// Justerare: only serving members; then Robert and Susanne.
		before = w.rows(t)
		r = sec.post("/sammantraden/"+mid+"/justerare", url.Values{"justerare_1": {itoa(w.members["Robert Hamberg"].ID)},
			"justerare_2": {itoa(w.members["Maria Jakobsson"].ID)}, "justering_due": {day.AddDays(3).String()}})
		if r.Code != http.StatusBadRequest || !strings.Contains(r.Body.String(), "Maria Jakobsson (S) tjänstgör inte vid sammanträdet") {
			t.Errorf("a justerare not serving = %d", r.Code)
		}
		if after := w.rows(t); after != before {
			t.Errorf("a refused choice of justerare changed the data:\n%s\n%s", before, after)
		}
		if r := sec.post("/sammantraden/"+mid+"/justerare", url.Values{"justerare_1": {itoa(w.members["Robert Hamberg"].ID)},
			"justerare_2": {itoa(w.members["Susanne Hansson"].ID)}, "justering_due": {day.AddDays(3).String()}}); r.Code != http.StatusSeeOther {
			t.Fatalf("set justerare = %d: %s", r.Code, sec.last)
		}
		// One choice: the form's sekreterare (the user, as offered) is named
		// on the page, and the paragraph of "Val av justerare och tid för
		// justering" is written from it.
		if page := text(sec.get("/sammantraden/" + mid + "/protokoll").Body.String()); !strings.Contains(page, "Sekreterare: Sofia Nordin") ||
			!strings.Contains(page, "Till justerare utses Robert Hamberg (M) och Susanne Hansson (S). Protokollet justeras senast "+sv.LongDate(day.AddDays(3))) {
			t.Errorf("after the choice of justerare the minutes page lacks the sekreterare or the paragraph:\n%s", page)
		}

		// Who reads the draft: the justerare yes; another member and a
		// party representative no.
		susanne := w.as(t, "ledamot@demo.gns.example")
		if r := susanne.get("/sammantraden/" + mid + "/protokoll"); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "Justera protokollet") {
			t.Errorf("the justerare reads the draft = %d", r.Code)
		}
		other := newUser(t, db, "bjorn@example.se", domain.RoleGrant{Role: domain.RoleMember, CommitteeID: w.gns.ID}, true)
		bjorn := newBrowser(t, w.s.Handler())
		bjorn.login(other.Email, testPassword)
		party := w.as(t, "bracke@demo.gns.example")
		for _, b := range []*browser{bjorn, party} {
			for _, path := range []string{"/sammantraden/" + mid + "/protokoll", "/sammantraden/" + mid + "/protokoll.pdf", "/paragrafer/" + pid, "/api/v1/meetings/" + mid + "/paragraphs"} {
				if r := b.get(path); r.Code != http.StatusNotFound {
					t.Errorf("GET %s of a draft by a member who is not justerare or a party = %d, want 404", path, r.Code)
				}
			}
		}
		if r := bjorn.get("/sammantraden/" + mid + "/justera"); r.Code != http.StatusNotFound && r.Code != http.StatusForbidden {
			t.Errorf("a member who is not justerare opens the approval = %d", r.Code)
		}

		// Susanne approves (a demo user while demo mode is on).
		r = susanne.get("/sammantraden/" + mid + "/justera")
		sha := regexp.MustCompile(`name="sha" value="([0-9a-f]{64})"`).FindStringSubmatch(r.Body.String())
		if r.Code != http.StatusOK || sha == nil {
			t.Fatalf("approval page = %d without the hash", r.Code)
		}
		exemplar := susanne.get("/sammantraden/" + mid + "/justeringsexemplar.pdf")
		if got := protokoll.Hash(exemplar.Body.Bytes()); got != sha[1] {
			t.Errorf("the page's hash %s is not the exemplar's %s", sha[1], got)
		}
		if r := susanne.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {strings.Repeat("0", 64)}}); r.Code != http.StatusConflict {
			t.Errorf("an approval of another exemplar = %d, want 409", r.Code)
		}
		if r := susanne.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {sha[1]}}); r.Code != http.StatusSeeOther {
			t.Fatalf("Susanne's approval = %d: %s", r.Code, susanne.last)
		}

		// Robert approves with a fresh code; a wrong code changes nothing.
		robert := w.robertLogsIn(t)
		robert.get("/sammantraden/" + mid + "/justera")
		before = w.rows(t)
		if r := robert.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {sha[1]}, "code": {"000000"}}); r.Code != http.StatusUnauthorized {
			t.Errorf("an approval with a wrong code = %d, want 401", r.Code)
		}
		if after := w.rows(t); after != before {
			t.Errorf("an approval with a wrong code changed the data:\n%s\n%s", before, after)
		}
		code, _ := auth.TOTPCode(w.secret, time.Now().Add(30*time.Second))
		if r := robert.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {sha[1]}, "code": {code}}); r.Code != http.StatusSeeOther {
			t.Fatalf("Robert's approval = %d: %s", r.Code, robert.last)
		}
		m, _ := db.Conn().MeetingByID(w.ctx, meetingID)
		if !m.Locked() || m.MinutesSHA256 != sha[1] {
			t.Fatalf("after both approvals: locked %v, sha %s (want %s)", m.Locked(), m.MinutesSHA256, sha[1])
		}

		// Locked: nothing changes, through the page or the API.
		before = w.rows(t)
		edit := cloneValues(paragraph)
		edit.Set("decision", "Ändrat i efterhand.")
		if r := sec.post("/paragrafer/"+pid+"/andra", edit); r.Code != http.StatusConflict {
			t.Errorf("editing a locked paragraph = %d, want 409", r.Code)
		}
		if r := sec.post("/sammantraden/"+mid+"/paragrafer", paragraph); r.Code != http.StatusConflict {
			t.Errorf("a new paragraph in locked minutes = %d, want 409", r.Code)
		}
		token := tokenFor(t, db, "sekretariat@demo.gns.example")
		if code, body := apiCall(t, w.s.Handler(), token, "POST", "/api/v1/meetings/"+mid+"/paragraphs", `{"title": "Efterhand"}`); code != http.StatusConflict {
			t.Errorf("API paragraph in locked minutes = %d %v", code, body)
		}
		if after := w.rows(t); after != before {
			t.Errorf("refused changes to locked minutes changed the data:\n%s\n%s", before, after)
		}

		// Now every role reads them, and the PDFs read back.
		if r := party.get("/sammantraden/" + mid + "/protokoll"); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "samma kontrollsumma") {
			t.Errorf("the party reads justerade minutes = %d", r.Code)
		}
		text := pdftest.Text(t, bjorn.get("/sammantraden/"+mid+"/protokoll.pdf").Body.Bytes(), true)
		for _, want := range []string{"Protokoll", "§ 1 Revisionsrapport granskning av gemensam nämnd för samverkan (GNS/6/2020)",
			"Susanne Hansson (S): Yrkar en beslutspunkt 2", "Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.",
			"Björn Hammarberg (M) Nej", "Resultat 7 ja, 1 nej, 1 avstår", "2. Nämnden uppdrar till regiondirektören att åtgärda bristerna.",
			"Robert Hamberg (M) Elektroniskt", "SHA-256 " + sha[1][:16] + "…", "Nämndens parter, Ekonom"} {
			if !strings.Contains(text, want) {
				t.Errorf("the protokoll PDF lacks %q:\n%s", want, text)
			}
		}
		if again := protokoll.Hash(bjorn.get("/sammantraden/" + mid + "/justeringsexemplar.pdf").Body.Bytes()); again != sha[1] {
			t.Error("the justeringsexemplar built after the lock is not the one approved")
		}
		zipped := party.get("/sammantraden/" + mid + "/utdrag.zip")
		zr, err := zip.NewReader(bytes.NewReader(zipped.Body.Bytes()), int64(zipped.Body.Len()))
		if zipped.Code != http.StatusOK || err != nil || len(zr.File) != len(demo.Parties)+1 {
			t.Fatalf("utdrag.zip = %d, %v, %d files", zipped.Code, err, len(zr.File))
		}
		if name := zr.File[len(zr.File)-1].Name; name != fmt.Sprintf("Utdrag § 1-%d Ekonom.pdf", day.Year) {
			t.Errorf("last extract = %q", name)
		}
		extract := pdftest.Text(t, party.get("/paragrafer/"+pid+"/utdrag/6").Body.Bytes(), true)
		for _, want := range []string{"Utdrag ur protokoll", "Till Bräcke kommun", "§ 1 Revisionsrapport", "Rätt utdraget betygar"} {
			if !strings.Contains(extract, want) {
				t.Errorf("the extract to Bräcke lacks %q:\n%s", want, extract)
			}
		}
		if r := party.get("/paragrafer/" + pid + "/utdrag/99"); r.Code != http.StatusNotFound {
			t.Errorf("an extract to no one = %d", r.Code)
		}

		// The anslag and the appeal period.
		if r := sec.post("/sammantraden/"+mid+"/anslag", url.Values{"announced_on": {today().AddDays(1).String()}}); r.Code != http.StatusBadRequest {
			t.Errorf("an anslag tomorrow = %d, want 400", r.Code)
		}
		if r := sec.post("/sammantraden/"+mid+"/anslag", url.Values{"announced_on": {today().String()}}); r.Code != http.StatusSeeOther {
			t.Fatalf("anslag = %d: %s", r.Code, sec.last)
		}
		if r := bjorn.get("/sammantraden/" + mid + "/protokoll"); !strings.Contains(r.Body.String(), meeting.AppealPeriodEnd(today()).String()) {
			t.Error("the minutes page does not show the end of the appeal period")
		}

		// A later meeting withdraws the assignment; the register shows both
		// paragraphs.
		r = sec.post("/namnder/GNS/sammantraden", url.Values{"date": {day.AddDays(7).String()}, "start_time": {"09:00"}, "end_time": {"11:00"}, "purpose": {"ovrigt"}})
		later := created(t, r)
		sec.get("/sammantraden/" + itoa(later) + "/paragrafer/ny")
		r = sec.post("/sammantraden/"+itoa(later)+"/paragrafer", url.Values{"title": {"Revisionsrapport, uppföljning"}, "case": {itoa(w.revision.ID)},
			"decision": {"Uppdraget till regiondirektören återtas och ärendet avslutas."}, "close_case": {"1"}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("the withdrawing paragraph = %d: %s", r.Code, sec.last)
		}
		ref := fmt.Sprintf("§ 2/%d", day.Year)
		aid := itoa(given[0].ID)
		sec.get("/uppdrag/" + aid)
		before = w.rows(t)
		if r := sec.post("/uppdrag/"+aid+"/status", url.Values{"status": {"ateraget"}, "paragraph": {fmt.Sprintf("§ 1/%d", day.Year)}}); r.Code != http.StatusBadRequest ||
			!strings.Contains(r.Body.String(), "kom inte efter") {
			t.Errorf("withdrawal by the giving paragraph = %d", r.Code)
		}
		if r := sec.post("/uppdrag/"+aid+"/status", url.Values{"status": {"ateraget"}, "paragraph": {"§ 99/1999"}}); r.Code != http.StatusBadRequest {
			t.Errorf("withdrawal by no paragraph = %d", r.Code)
		}
		if after := w.rows(t); after != before {
			t.Errorf("refused withdrawals changed the data:\n%s\n%s", before, after)
		}
		if r := sec.post("/uppdrag/"+aid+"/status", url.Values{"status": {"ateraget"}, "paragraph": {ref}}); r.Code != http.StatusSeeOther {
			t.Fatalf("withdrawal = %d: %s", r.Code, sec.last)
		}
		r = bjorn.get("/namnder/GNS/uppdrag?status=alla&arende=GNS/6/2020")
		body := r.Body.String()
		if !strings.Contains(body, fmt.Sprintf("§ 1/%d</a>", day.Year)) || !strings.Contains(body, "Återtaget genom <a href=\"/paragrafer/") || !strings.Contains(body, ref+"</a>") {
			t.Errorf("the register does not show both paragraphs:\n%s", body)
		}
		if r := sec.get("/"); !strings.Contains(r.Body.String(), "Inga uppdrag är försenade") {
			t.Error("the withdrawn assignment still counts as overdue on the start page")
		}
		if r := sec.get("/namnder"); !strings.Contains(r.Body.String(), "Försenade uppdrag (0)") {
			t.Error("the withdrawn assignment still counts as overdue")
		}
		if k, _ := db.Conn().CaseByID(w.ctx, w.revision.ID); k.Status != domain.CaseClosed {
			t.Errorf("the case after the closing paragraph = %s", k.Status)
		}
	})
}

// ledamoter are the demo committee's chair, vice chair and ledamöter.
var ledamoter = []string{"Robert Hamberg", "Susanne Hansson", "Björn Hammarberg", "Therese Kärngård", "Jörgen Persson",
	"Daniel Danielsson", "Anders Häggkvist", "Mikael Westin", "Bosse Svensson"}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestMinutesAPI writes and reads paragraphs and assignments through the
// JSON API, refused input included.
func TestMinutesAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		h := w.s.Handler()
		sec := tokenFor(t, db, "sekretariat@demo.gns.example")
		member := tokenFor(t, db, "ledamot@demo.gns.example")
		day := recentMonday()
		code, body := apiCall(t, h, sec, "POST", "/api/v1/committees/GNS/meetings", fmt.Sprintf(`{"date": %q, "start_time": "09:00", "end_time": "12:00", "purpose": "ovrigt"}`, day))
		if code != http.StatusCreated {
			t.Fatalf("create meeting = %d %v", code, body)
		}
		mid := fmt.Sprint(body["id"])
		var list []meeting.Attendance
		for _, name := range ledamoter[:3] {
			list = append(list, meeting.Attendance{MemberID: w.members[name].ID, Present: true})
		}
		meetingID, _ := strconv.ParseInt(mid, 10, 64)
		if err := db.InTx(w.ctx, func(c *store.Conn) error { _, err := c.SetAttendance(w.ctx, meetingID, list); return err }); err != nil {
			t.Fatal(err)
		}
		votes := func(ids ...int64) string {
			var parts []string
			for i, id := range ids {
				v := "ja"
				if i == 1 {
					v = "nej"
				}
				parts = append(parts, fmt.Sprintf(`{"member_id": %d, "vote": %q}`, id, v))
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		r, s, b := w.members["Robert Hamberg"].ID, w.members["Susanne Hansson"].ID, w.members["Björn Hammarberg"].ID
		before := w.rows(t)
		for name, tt := range map[string]struct {
			body  string
			code  int
			field string
		}{
			"no title":             {`{"title": ""}`, 400, "title"},
			"an unknown field":     {`{"title": "x", "numbr": 3}`, 400, ""},
			"a vote short":         {`{"title": "x", "votes": ` + votes(r, s) + `}`, 400, "votes"},
			"two votes of one":     {`{"title": "x", "votes": ` + votes(r, s, b, b) + `}`, 400, "votes"},
			"a bad recipient":      {`{"title": "x", "dispatch_to": ["kommun:are"]}`, 400, "dispatch_to"},
			"another committee's":  {`{"title": "x", "case": "UPH/1/2020"}`, 400, "case"},
			"a member's attempt":   {`{"title": "x"}`, 403, ""},
			"a yrkande of no one":  {`{"title": "x", "motions": [{"member_id": 999999, "text": "Avslag"}]}`, 400, "motions"},
			"an unknown case form": {`{"title": "x", "case": "GNS/x/2020"}`, 400, "case"},
		} {
			token := sec
			if strings.HasPrefix(name, "a member") {
				token = member
			}
			code, body := apiCall(t, h, token, "POST", "/api/v1/meetings/"+mid+"/paragraphs", tt.body)
			errBody, _ := body["error"].(map[string]any)
			fields, _ := errBody["fields"].(map[string]any)
			if code != tt.code || (tt.field != "" && fields[tt.field] == nil) {
				t.Errorf("%s = %d %v, want %d on %q", name, code, body, tt.code, tt.field)
			}
		}
		if after := w.rows(t); after != before {
			t.Errorf("refused API requests changed the data:\n%s\n%s", before, after)
		}
		code, body = apiCall(t, h, sec, "POST", "/api/v1/meetings/"+mid+"/paragraphs", `{"case": "GNS/6/2020", "title": "Revisionsrapport",
			"motions": [{"member_id": `+fmt.Sprint(s)+`, "text": "Bifall"}], "votes": `+votes(r, s, b)+`,
			"decision": "1. Rapporten läggs till handlingarna.\n2. Regiondirektören får i uppdrag att åtgärda bristerna.", "dispatch_to": ["parties", "role:Ekonom"]}`)
		if code != http.StatusCreated || body["ref"] != fmt.Sprintf("§ 1/%d", day.Year) || body["case"] != "GNS/6/2020" {
			t.Fatalf("create paragraph = %d %v", code, body)
		}
		count, _ := body["vote_count"].(map[string]any)
		if fmt.Sprint(count) != "map[abstain:0 no:1 yes:2]" || len(body["decision_points"].([]any)) != 2 {
			t.Errorf("paragraph JSON = %v", body)
		}
		pid := fmt.Sprint(body["id"])
		code, body = apiCall(t, h, sec, "GET", "/api/v1/meetings/"+mid+"/paragraphs", "")
		if code != http.StatusOK || len(body["paragraphs"].([]any)) != 1 || body["locked"] != false {
			t.Errorf("list paragraphs = %d %v", code, body)
		}
		if code, _ := apiCall(t, h, member, "GET", "/api/v1/paragraphs/"+pid, ""); code != http.StatusNotFound {
			t.Errorf("a member who is not justerare reads a draft paragraph = %d", code)
		}

		code, body = apiCall(t, h, sec, "POST", "/api/v1/paragraphs/"+pid+"/assignments", fmt.Sprintf(`{"assignee": "Regiondirektören", "description": "Åtgärda bristerna.", "due_on": %q}`, day.AddDays(1)))
		if code != http.StatusCreated || body["status"] != "givet" || body["overdue"] != true {
			t.Fatalf("create assignment = %d %v", code, body)
		}
		aid := fmt.Sprint(body["id"])
		code, body = apiCall(t, h, sec, "POST", "/api/v1/paragraphs/"+pid+"/assignments", `{"assignee": "Regiondirektören", "description": "x", "due_on": "2019-01-01"}`)
		if code != http.StatusBadRequest {
			t.Errorf("an assignment due before its meeting = %d %v", code, body)
		}
		code, body = apiCall(t, h, member, "GET", "/api/v1/committees/GNS/assignments?overdue=true", "")
		if code != http.StatusOK || len(body["assignments"].([]any)) != 1 {
			t.Errorf("overdue assignments for a member = %d %v", code, body)
		}
		if code, body := apiCall(t, h, member, "GET", "/api/v1/committees/GNS/assignments?status=klar", ""); code != http.StatusBadRequest {
			t.Errorf("an unknown status = %d %v", code, body)
		}
		if code, _ := apiCall(t, h, member, "POST", "/api/v1/assignments/"+aid+"/status", `{"status": "pagar"}`); code != http.StatusForbidden {
			t.Errorf("a member changes an assignment = %d", code)
		}
		if code, body := apiCall(t, h, sec, "POST", "/api/v1/assignments/"+aid+"/status", `{"status": "ateraget"}`); code != http.StatusBadRequest {
			t.Errorf("withdrawal without a paragraph = %d %v", code, body)
		}
		code, body = apiCall(t, h, sec, "POST", "/api/v1/assignments/"+aid+"/reassign", `{"assignee": "E-strateg", "note": "Vakans"}`)
		if code != http.StatusOK || body["assignee"] != "E-strateg" {
			t.Fatalf("reassign = %d %v", code, body)
		}
		code, body = apiCall(t, h, sec, "POST", "/api/v1/assignments/"+aid+"/status", `{"status": "slutfort", "note": "Klart."}`)
		history, _ := body["history"].([]any)
		if code != http.StatusOK || body["status"] != "slutfort" || len(history) != 3 {
			t.Fatalf("complete = %d %v", code, body)
		}
		raw, _ := json.Marshal(history[1])
		if !strings.Contains(string(raw), `"from_assignee":"Regiondirektören"`) || !strings.Contains(string(raw), `"to_assignee":"E-strateg"`) {
			t.Errorf("the reassignment in the history = %s", raw)
		}
		if code, _ := apiCall(t, h, sec, "POST", "/api/v1/assignments/"+aid+"/status", `{"status": "pagar"}`); code != http.StatusConflict {
			t.Errorf("changing a completed assignment = %d, want 409", code)
		}
		if code, body := apiCall(t, h, member, "GET", "/api/v1/assignments/"+aid, ""); code != http.StatusOK || body["given_by"].(map[string]any)["ref"] != fmt.Sprintf("§ 1/%d", day.Year) {
			t.Errorf("read assignment = %d %v", code, body)
		}
	})
}

// TestAssignmentPage changes an assignment from its page: a new assignee
// (refused when empty, the error on its own field), then the status.
func TestAssignmentPage(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		var a meeting.Assignment
		err := db.InTx(w.ctx, func(c *store.Conn) error {
			m, err := c.CreateMeeting(w.ctx, meeting.Meeting{CommitteeID: w.gns.ID, Date: recentMonday(), StartTime: "09:00", EndTime: "10:00", Purpose: meeting.PurposeOther})
			if err != nil {
				return err
			}
			p, err := c.CreateParagraph(w.ctx, meeting.Paragraph{MeetingID: m.ID, Title: "Gemensamt dataskyddsombud"}, false)
			if err != nil {
				return err
			}
			a, err = c.CreateAssignment(w.ctx, meeting.Assignment{ParagraphID: p.ID, Assignee: "E-strateg", Description: "Aktualisera frågan om en gemensam DSO."})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sec := w.as(t, "sekretariat@demo.gns.example")
		path := kit.AssignmentURL(a.ID)
		sec.get(path)
		before := w.rows(t)
		r := sec.post(path+"/mottagare", url.Values{"new_assignee": {" "}})
		if r.Code != http.StatusBadRequest || !strings.Contains(r.Body.String(), `href="#f-new_assignee"`) || !strings.Contains(r.Body.String(), `id="f-new_assignee" name="new_assignee" value=" " autocomplete="off" aria-invalid="true"`) {
			t.Errorf("an empty assignee = %d:\n%s", r.Code, r.Body)
		}
		if after := w.rows(t); after != before {
			t.Errorf("a refused reassignment changed the data:\n%s\n%s", before, after)
		}
		if r := sec.post(path+"/mottagare", url.Values{"new_assignee": {"Regiondirektören"}, "move_note": {"Tjänsten som e-strateg är vakant."}}); r.Code != http.StatusSeeOther {
			t.Fatalf("reassign = %d: %s", r.Code, sec.last)
		}
		if r := sec.post(path+"/status", url.Values{"status": {"pagar"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("status = %d: %s", r.Code, sec.last)
		}
		ledamot := w.as(t, "ledamot@demo.gns.example")
		body := ledamot.get(path).Body.String()
		for _, want := range []string{"Uppdrag till Regiondirektören", "Ny mottagare: från E-strateg till Regiondirektören", "Tjänsten som e-strateg är vakant.", "Givet → Pågår"} {
			if !strings.Contains(body, want) {
				t.Errorf("the assignment page lacks %q", want)
			}
		}
		if strings.Contains(body, `action="`+path+`/status"`) {
			t.Error("a ledamot is offered the secretariat's forms")
		}
		if r := ledamot.post(path+"/status", url.Values{"status": {"slutfort"}}); r.Code != http.StatusForbidden || !strings.Contains(r.Body.String(), "Ingen behörighet") {
			t.Errorf("a ledamot changes the status = %d", r.Code)
		}
	})
}

// reopenedRevision returns the revision report's case, GNS/6/2020, which
// the tests decide again in a meeting of their own: the demo's December
// 2020 minutes closed it ("ärendet avslutas"), so it is reopened first.
func reopenedRevision(ctx context.Context, db *store.DB) (domain.Case, error) {
	ctx = domain.WithActor(ctx, domain.Actor{Label: "test"})
	n, _ := domain.ParseCaseNumber("GNS/6/2020")
	var k domain.Case
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		if k, err = c.CaseByNumber(ctx, n); err != nil || !k.Closed() {
			return err
		}
		k, err = c.ReopenCase(ctx, k.ID, "Tas upp igen i testet.")
		return err
	})
	return k, err
}

// The paragraph form of an agenda item starts from the item: its
// beslutsunderlag lists the case's documents and earlier extracts; the
// votering is folded away until a vote was called; the yrkande hint has an
// example.
func TestParagraphFormFromAgendaItem(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	w := newMinutesWorld(t, db)
	var m meeting.Meeting
	var it meeting.AgendaItem
	err := db.InTx(w.ctx, func(c *store.Conn) error {
		var err error
		if m, err = c.CreateMeeting(w.ctx, meeting.Meeting{CommitteeID: w.gns.ID, Date: recentMonday(), StartTime: "09:00", EndTime: "12:00",
			Place: "Rådhuset", Purpose: meeting.PurposeOther, Municipalities: true}); err != nil {
			return err
		}
		it, err = c.AddAgendaItem(w.ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: w.revision.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := db.Conn().CaseDocuments(w.ctx, w.revision.ID)
	if err != nil || len(docs) == 0 {
		t.Fatalf("the revision case has no documents to start from (%v)", err)
	}
	sec := w.as(t, "sekretariat@demo.gns.example")
	r := sec.get("/sammantraden/" + itoa(m.ID) + "/paragrafer/ny?punkt=" + itoa(it.ID))
	body := r.Body.String()
	basis := body[strings.Index(body, `id="f-basis"`):]
	basis = basis[:strings.Index(basis, "</textarea>")]
	if r.Code != http.StatusOK || !strings.Contains(basis, html.EscapeString(docs[0].Title)) {
		t.Errorf("the beslutsunderlag of the item's paragraph = %q, want the case's document %q", basis, docs[0].Title)
	}
	if !strings.Contains(body, `<details class="more"><summary>Votering begärdes</summary>`) {
		t.Error("the votering is not folded away in a new paragraph")
	}
	if !strings.Contains(body, "t.ex. Susanne Hansson (S): ”Bifall till förslaget") {
		t.Error("the yrkande hint has no example")
	}
}
