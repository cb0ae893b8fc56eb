package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// liveWorld is a meeting held now on the demo database, run by the
// secretariat: the ledamöter present except Therese Kärngård, for whom
// Ann-Marie Johansson serves; Maria Jakobsson present without serving and
// linked to the demo ledamot's user; one paragraph recorded. The demo
// voters (demo.Voters) are Robert Hamberg, Susanne Hansson and Björn
// Hammarberg.
type liveWorld struct {
	m       meeting.Meeting
	p       meeting.Paragraph
	members map[string]domain.Member
	serving []string
}

func newLiveWorld(t *testing.T, db *store.DB) liveWorld {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	conn := db.Conn()
	cm, err := conn.CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	all, err := conn.Members(ctx, cm.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := liveWorld{members: map[string]domain.Member{}}
	for _, mb := range all {
		w.members[mb.Name] = mb
	}
	ledamot, _, err := conn.UserForLogin(ctx, "ledamot@demo.gns.example")
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(c *store.Conn) error {
		maria := w.members["Maria Jakobsson"]
		maria.UserID = ledamot.ID
		if _, err := c.UpdateMember(ctx, maria); err != nil {
			return err
		}
		var err error
		if w.m, err = c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: cm.ID, Date: today(), StartTime: "09:00", EndTime: "12:00",
			Place: "Lillsjöhögen, via Teams", Purpose: meeting.PurposeOther, Municipalities: false}); err != nil {
			return err
		}
		var att []meeting.Attendance
		for _, name := range ledamoter {
			if name != "Therese Kärngård" {
				att = append(att, meeting.Attendance{MemberID: w.members[name].ID, Present: true, Remote: name == "Björn Hammarberg"})
				w.serving = append(w.serving, name)
			}
		}
		att = append(att, meeting.Attendance{MemberID: w.members["Ann-Marie Johansson"].ID, Present: true, ServingFor: w.members["Therese Kärngård"].ID},
			meeting.Attendance{MemberID: w.members["Maria Jakobsson"].ID, Present: true})
		w.serving = append(w.serving, "Ann-Marie Johansson")
		if _, err := c.SetAttendance(ctx, w.m.ID, att); err != nil {
			return err
		}
		w.p, err = c.CreateParagraph(ctx, meeting.Paragraph{MeetingID: w.m.ID, Title: "Verksamhetsplan",
			Proposal: "Nämnden fastställer verksamhetsplanen.", Decision: "Nämnden fastställer verksamhetsplanen."}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// loggedIn is a test client logged in as a demo user.
func loggedIn(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	b := newBrowser(t, s.Handler())
	if w := b.login(email, demo.Password); w.Code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, w.Code)
	}
	b.get("/")
	return b
}

func wantStatus(t *testing.T, what string, w interface{ Result() *http.Response }, code int) {
	t.Helper()
	if got := w.Result().StatusCode; got != code {
		t.Errorf("%s: status %d, want %d", what, got, code)
	}
}

// TestLiveVoteHTTP runs a live vote through the real router: the
// secretariat opens it from the run page, three demo voters vote (one
// changes the vote), a member not serving is refused, the secretariat
// records the votes given aloud, the first close is refused while someone
// is missing, and the closed vote is the paragraph's votering, in the
// protokoll PDF. Every new route refuses the roles it is not for.
func TestLiveVoteHTTP(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	s, _ := newTestServer(t, db)
	w := newLiveWorld(t, db)
	pURL := kit.ParagraphURL(w.p.ID)
	ref := w.p.Ref()

	sec := loggedIn(t, s, "sekretariat@demo.gns.example")
	run := sec.get("/sammantraden/" + strconv.FormatInt(w.m.ID, 10) + "/genomfor")
	wantStatus(t, "run page", run, http.StatusOK)
	for _, want := range []string{"Genomför sammanträdet", "§ " + strconv.Itoa(w.p.Number) + " Verksamhetsplan", "Öppna voteringen", "Anmäl jäv", "Protokollsanteckning"} {
		if !strings.Contains(sec.last, want) {
			t.Errorf("the run page lacks %q", want)
		}
	}
	// A vote between yrkanden needs two of them.
	bad := sec.post(pURL+"/voteringar", url.Values{"kind": {"yrkanden"}})
	wantStatus(t, "a vote between yrkanden without yrkanden", bad, http.StatusBadRequest)
	if !strings.Contains(sec.last, "färre än två yrkanden") {
		t.Errorf("the refused vote does not say why:\n%s", sec.last)
	}
	opened := sec.post(pURL+"/voteringar", url.Values{"kind": {"proposition"}})
	wantStatus(t, "open vote", opened, http.StatusSeeOther)
	voteURL := location(opened)
	if !strings.HasPrefix(voteURL, "/voteringar/") {
		t.Fatalf("opening a vote leads to %q", voteURL)
	}
	ballotURL := "/rosta/" + strings.TrimPrefix(voteURL, "/voteringar/")
	sec.get(voteURL)
	if !strings.Contains(sec.last, "0 av 9 tjänstgörande har röstat") || !strings.Contains(sec.last, `hx-trigger="every 2s"`) {
		t.Errorf("the vote page does not show the tally that reloads itself:\n%s", sec.last)
	}

	// The three demo voters vote from their own devices.
	voters := map[string]string{"robert.hamberg@demo.gns.example": "ja", "susanne.hansson@demo.gns.example": "nej", "bjorn.hammarberg@demo.gns.example": "ja"}
	for email, choice := range voters {
		b := loggedIn(t, s, email)
		if !strings.Contains(b.last, `href="`+ballotURL+`"`) || !strings.Contains(b.last, "Rösta i "+ref) {
			t.Errorf("%s: the start page does not lead to the open vote", email)
		}
		wantStatus(t, email+" ballot page", b.get(ballotURL), http.StatusOK)
		wantStatus(t, email+" votes", b.post(ballotURL, url.Values{"choice": {choice}}), http.StatusSeeOther)
		b.get(ballotURL)
		if !strings.Contains(b.last, "Din röst: <strong>"+map[string]string{"ja": "Ja", "nej": "Nej"}[choice]+"</strong>") {
			t.Errorf("%s: the page does not show the vote", email)
		}
		if email == "susanne.hansson@demo.gns.example" { // she changes her mind
			wantStatus(t, "a changed vote", b.post(ballotURL, url.Values{"choice": {"avstar"}}), http.StatusSeeOther)
			wantStatus(t, "a vote that is no choice", b.post(ballotURL, url.Values{"choice": {"kanske"}}), http.StatusBadRequest)
		}
		wantStatus(t, email+" on the secretariat's vote page", b.get(voteURL), http.StatusForbidden)
		wantStatus(t, email+" closing the vote", b.post(voteURL+"/avsluta", nil), http.StatusForbidden)
		wantStatus(t, email+" opening a vote", b.post(pURL+"/voteringar", url.Values{"kind": {"proposition"}}), http.StatusForbidden)
	}
	// The demo ledamot's member, Maria Jakobsson, is present but does not
	// serve: a clear refusal, and nothing stored.
	maria := loggedIn(t, s, "ledamot@demo.gns.example")
	wantStatus(t, "a member not serving, page", maria.get(ballotURL), http.StatusForbidden)
	if !strings.Contains(maria.last, "Maria Jakobsson (S) tjänstgör inte vid "+ref+" och kan inte rösta") || strings.Contains(maria.last, `name="choice"`) {
		t.Errorf("the member not serving is offered a vote or not told why:\n%s", maria.last)
	}
	wantStatus(t, "a member not serving, vote", maria.post(ballotURL, url.Values{"choice": {"ja"}}), http.StatusForbidden)
	// She may still declare jäv (should she come to serve later).
	wantStatus(t, "jäv of a member present, not serving", maria.post(ballotURL+"/jav", nil), http.StatusSeeOther)
	wantStatus(t, "jäv of the secretariat as a member", sec.post(ballotURL+"/jav", nil), http.StatusForbidden)
	// Anders Häggkvist's user declares jäv from his own device: his vote
	// is then refused, and the vote closes without him.
	anders := newUser(t, db, "anders@example.se", domain.RoleGrant{Role: domain.RoleMember, CommitteeID: w.m.CommitteeID}, true)
	linkMember(t, db, w.members["Anders Häggkvist"], anders.ID)
	ab := newBrowser(t, s.Handler())
	ab.login("anders@example.se", testPassword)
	ab.get(ballotURL)
	wantStatus(t, "own jäv", ab.post(ballotURL+"/jav", nil), http.StatusSeeOther)
	wantStatus(t, "a vote after one's own jäv", ab.get(ballotURL), http.StatusForbidden)
	if !strings.Contains(ab.last, "Anders Häggkvist (C) har anmält jäv i "+ref+" och röstar inte där.") {
		t.Errorf("the page after jäv does not say why there is no vote:\n%s", ab.last)
	}
	for who, email := range map[string]string{"ekonom": "ekonom@demo.gns.example", "part": "bracke@demo.gns.example", "revisor": "revisor@demo.gns.example"} {
		b := loggedIn(t, s, email)
		wantStatus(t, who+" ballot page", b.get(ballotURL), http.StatusForbidden)
		wantStatus(t, who+" vote page", b.get(voteURL), http.StatusForbidden)
		wantStatus(t, who+" tally", b.get(voteURL+"/stallning"), http.StatusForbidden)
		wantStatus(t, who+" jäv", b.post(pURL+"/jav", url.Values{"member": {"1"}}), http.StatusForbidden)
	}
	wantStatus(t, "the secretariat voting as a member", sec.get(ballotURL), http.StatusForbidden)

	// The tally the page polls: three of eight so far, 2 ja, 0 nej, 1 avstår.
	tally := sec.get(voteURL + "/stallning")
	wantStatus(t, "tally", tally, http.StatusOK)
	for _, want := range []string{"3 av 8 tjänstgörande har röstat", `id="count-ja">2<`, `id="count-nej">0<`, `id="count-avstar">1<`, "Susanne Hansson (S)</th><td>Avstår"} {
		if !strings.Contains(sec.last, want) {
			t.Errorf("the tally lacks %q:\n%s", want, sec.last)
		}
	}
	// Closing asks first, and is refused while serving members have not voted.
	wantStatus(t, "close confirm", sec.get(voteURL+"/avsluta"), http.StatusOK)
	if !strings.Contains(sec.last, "Avsluta voteringen i "+ref+"?") || !strings.Contains(sec.last, "5 saknas") {
		t.Errorf("the confirm step does not say what is missing:\n%s", sec.last)
	}
	wantStatus(t, "closing too early", sec.post(voteURL+"/avsluta", nil), http.StatusBadRequest)
	if !strings.Contains(sec.last, "tjänstgör men saknar röst. Antalet röster (3) stämmer inte med antalet tjänstgörande (8).") {
		t.Errorf("the early close does not give the votering's rule:\n%s", sec.last)
	}
	wantStatus(t, "a vote recorded for one not serving", sec.post(voteURL+"/registrera",
		url.Values{"member": {strconv.FormatInt(w.members["Maria Jakobsson"].ID, 10)}, "choice": {"ja"}}), http.StatusForbidden)
	for _, name := range w.serving {
		if name == "Robert Hamberg" || name == "Susanne Hansson" || name == "Björn Hammarberg" || name == "Anders Häggkvist" {
			continue
		}
		wantStatus(t, "a vote given aloud by "+name, sec.post(voteURL+"/registrera",
			url.Values{"member": {strconv.FormatInt(w.members[name].ID, 10)}, "choice": {"nej"}}), http.StatusSeeOther)
	}
	closed := sec.post(voteURL+"/avsluta", nil)
	wantStatus(t, "close", closed, http.StatusSeeOther)
	if location(closed) != pURL {
		t.Errorf("closing leads to %q, want the paragraph", location(closed))
	}
	sec.get(pURL)
	for _, want := range []string{"Resultat: 2 ja, 5 nej, 1 avstår", "Robert Hamberg (M)</th><td>Ja", "Susanne Hansson (S)</th><td>Avstår"} {
		if !strings.Contains(sec.last, want) {
			t.Errorf("the paragraph lacks %q", want)
		}
	}
	robert := loggedIn(t, s, "robert.hamberg@demo.gns.example")
	wantStatus(t, "a vote after closing", robert.post(ballotURL, url.Values{"choice": {"nej"}}), http.StatusConflict)

	// Jäv and a protokollsanteckning from the run page.
	bosse := strconv.FormatInt(w.members["Bosse Svensson"].ID, 10)
	wantStatus(t, "jäv of one who voted", sec.post(pURL+"/jav", url.Values{"member": {bosse}}), http.StatusBadRequest)
	sec.get("/sammantraden/" + strconv.FormatInt(w.m.ID, 10) + "/genomfor")
	mariaID := strconv.FormatInt(w.members["Maria Jakobsson"].ID, 10)
	wantStatus(t, "jäv twice", sec.post(pURL+"/jav", url.Values{"member": {mariaID}}), http.StatusConflict)
	wantStatus(t, "withdraw jäv", sec.post(pURL+"/jav/aterta", url.Values{"member": {mariaID}}), http.StatusSeeOther)
	wantStatus(t, "withdraw a jäv not declared", sec.post(pURL+"/jav/aterta", url.Values{"member": {mariaID}}), http.StatusNotFound)
	wantStatus(t, "jäv again", sec.post(pURL+"/jav", url.Values{"member": {mariaID}}), http.StatusSeeOther)
	wantStatus(t, "an empty note", sec.post(pURL+"/anteckningar", url.Values{"member": {bosse}, "note": {" "}}), http.StatusBadRequest)
	wantStatus(t, "a note", sec.post(pURL+"/anteckningar", url.Values{"member": {bosse}, "note": {"Centerpartiet vill se en plan för uppföljningen."}}), http.StatusSeeOther)

	// Begär ändring: a justerare comments a paragraph; the secretariat sees it.
	if _, err := setJusterareFor(db, w.m.ID, w.members["Robert Hamberg"].ID, w.members["Susanne Hansson"].ID); err != nil {
		t.Fatal(err)
	}
	meetingPath := "/sammantraden/" + strconv.FormatInt(w.m.ID, 10)
	robert.get(meetingPath + "/justera")
	wantStatus(t, "begär ändring without a comment", robert.post(meetingPath+"/begar-andring", url.Values{"paragraph": {strconv.FormatInt(w.p.ID, 10)}}), http.StatusBadRequest)
	wantStatus(t, "begär ändring", robert.post(meetingPath+"/begar-andring",
		url.Values{"paragraph": {strconv.FormatInt(w.p.ID, 10)}, "comment": {"Beslutet ska nämna verksamhetsåret 2027."}}), http.StatusSeeOther)
	bjorn := loggedIn(t, s, "bjorn.hammarberg@demo.gns.example")
	// Before the justering only the justerare read the minutes: to anyone
	// else they are not found.
	wantStatus(t, "begär ändring by one not justerare", bjorn.post(meetingPath+"/begar-andring",
		url.Values{"paragraph": {strconv.FormatInt(w.p.ID, 10)}, "comment": {"x"}}), http.StatusNotFound)
	sec.get(meetingPath + "/protokoll")
	if !strings.Contains(sec.last, "Justerarna begär ändring") || !strings.Contains(sec.last, "Beslutet ska nämna verksamhetsåret 2027.") {
		t.Errorf("the minutes page does not show the change request")
	}

	// The protokoll PDF: the votering, the jäv, the note, distance.
	pdf := sec.get(meetingPath + "/protokoll.pdf")
	wantStatus(t, "protokoll", pdf, http.StatusOK)
	text := pdftest.Text(t, pdf.Body.Bytes(), false)
	for _, want := range []string{"Votering", "Resultat 2 ja, 5 nej, 1 avstår", "Anders Häggkvist (C) och Maria Jakobsson (S) anmäler jäv", "Bosse Svensson (C): Centerpartiet vill se en plan",
		"hela sammanträdet, på distans", "Votering med röstning från ledamöternas egna enheter"} {
		if !strings.Contains(text, want) {
			t.Errorf("the protokoll lacks %q:\n%s", want, text)
		}
	}
}

// setJusterareFor chooses the meeting's two justerare.
func setJusterareFor(db *store.DB, meetingID, a, b int64) (meeting.Justering, error) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	var j meeting.Justering
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		j, err = c.SetJusterare(ctx, meetingID, []int64{a, b}, today().AddDays(7))
		return err
	})
	return j, err
}

// linkMember links a member to a user.
func linkMember(t *testing.T, db *store.DB, mb domain.Member, userID int64) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	mb.UserID = userID
	if err := db.InTx(ctx, func(c *store.Conn) error { _, err := c.UpdateMember(ctx, mb); return err }); err != nil {
		t.Fatal(err)
	}
}
