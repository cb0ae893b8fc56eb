package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/store"
)

const testBase = "http://localhost:8080"

// runJob runs a periodic job's work in a transaction, as the queue would,
// and returns how many mails it kept.
func runJob(t *testing.T, db *store.DB, job func(context.Context, *store.Conn, string) (int, error)) int {
	t.Helper()
	var n int
	if err := db.InTx(context.Background(), func(c *store.Conn) error {
		var err error
		n, err = job(context.Background(), c, testBase)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// subjects are the mails' subjects starting with prefix, by recipient.
func subjects(msgs []mailtest.Message, prefix string) map[string]string {
	out := map[string]string{}
	for _, m := range msgs {
		if s := m.Header("Subject"); strings.HasPrefix(s, prefix) {
			out[m.To[0]] = s
		}
	}
	return out
}

// mailCount counts the kept mails.
func mailCount(t *testing.T, db *store.DB) int {
	t.Helper()
	ms, err := db.Conn().Mails(context.Background(), store.MailFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

// TestJusteringMails: the secretariat tells the justerare that the minutes
// are ready (refused without two justerare, and a second time, and for a
// member); the day before the tid för justering each justerare who has not
// approved is reminded, once; when both have approved the secretariat is
// told, once. Every mail goes over SMTP.
func TestJusteringMails(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		mid := mondayMeeting(t, sec, recentMonday())
		attendance := url.Values{}
		for _, name := range ledamoter {
			attendance.Set("present_"+itoa(w.members[name].ID), "1")
		}
		sec.get("/sammantraden/" + mid + "/narvaro")
		if r := sec.post("/sammantraden/"+mid+"/narvaro", attendance); r.Code != http.StatusSeeOther {
			t.Fatalf("attendance = %d: %s", r.Code, sec.last)
		}
		sec.get("/sammantraden/" + mid + "/paragrafer/ny")
		if r := sec.post("/sammantraden/"+mid+"/paragrafer", url.Values{"title": {"Information om verksamheten"},
			"decision": {"Nämnden lägger informationen till handlingarna."}}); r.Code != http.StatusSeeOther {
			t.Fatalf("paragraph = %d: %s", r.Code, text(sec.last))
		}
		ready := "/sammantraden/" + mid + "/klart-att-justera"
		sec.get(ready)
		if r := sec.post(ready, nil); r.Code != http.StatusConflict || !strings.Contains(text(sec.last), "Välj två justerare") {
			t.Errorf("ready without justerare = %d:\n%s", r.Code, text(sec.last))
		}
		if n := mailCount(t, db); n != 0 {
			t.Errorf("a refused 'ready' kept %d mails", n)
		}
		tomorrow := today().AddDays(1)
		sec.get("/sammantraden/" + mid + "/protokoll")
		if r := sec.post("/sammantraden/"+mid+"/justerare", url.Values{"justerare_1": {itoa(w.members["Robert Hamberg"].ID)},
			"justerare_2": {itoa(w.members["Susanne Hansson"].ID)}, "justering_due": {tomorrow.String()}}); r.Code != http.StatusSeeOther {
			t.Fatalf("set justerare = %d: %s", r.Code, text(sec.last))
		}
		smtp.Wait(t, 2, 30*time.Second) // "you are chosen"
		if page := sec.get("/sammantraden/" + mid + "/protokoll").Body.String(); !strings.Contains(page, `href="`+ready+`"`) {
			t.Errorf("the minutes page does not offer 'Meddela justerarna'")
		}

		susanne := w.as(t, "ledamot@demo.gns.example")
		susanne.get("/sammantraden/" + mid + "/protokoll")
		for _, method := range []string{"GET", "POST"} {
			var r interface{ Result() *http.Response }
			if method == "GET" {
				r = susanne.get(ready)
			} else {
				r = susanne.post(ready, nil)
			}
			if code := r.Result().StatusCode; code != http.StatusForbidden {
				t.Errorf("%s %s by a justerare = %d, want 403", method, ready, code)
			}
		}
		if r := sec.get(ready); r.Code != http.StatusOK || !strings.Contains(text(sec.last), "Meddela justerarna att protokollet från") {
			t.Fatalf("confirm ready = %d", r.Code)
		}
		if r := sec.post(ready, nil); r.Code != http.StatusSeeOther {
			t.Fatalf("ready = %d: %s", r.Code, text(sec.last))
		}
		got := subjects(smtp.Wait(t, 4, 30*time.Second), "Klart att justera: ")
		if len(got) != 2 || got["ledamot@demo.gns.example"] == "" || got["robert@example.se"] == "" {
			t.Errorf("'ready' mails = %v, want one to each justerare", got)
		}
		if page := text(sec.get("/sammantraden/" + mid + "/protokoll").Body.String()); !strings.Contains(page, "Justerarna fick besked om att protokollet är klart att justera") {
			t.Errorf("the minutes page does not say the justerare were told:\n%s", page)
		}
		sec.get(ready)
		if r := sec.post(ready, nil); r.Code != http.StatusConflict || !strings.Contains(text(sec.last), "redan fått besked") {
			t.Errorf("ready twice = %d", r.Code)
		}

		// The day before the tid för justering: a reminder, once.
		if n := runJob(t, db, app.JusteringReminders); n != 2 {
			t.Errorf("reminders = %d, want 2", n)
		}
		if n := runJob(t, db, app.JusteringReminders); n != 0 {
			t.Errorf("reminders run again = %d, want 0", n)
		}
		msgs := smtp.Wait(t, 6, 30*time.Second)
		reminders := subjects(msgs, "Påminnelse: justera protokollet")
		if len(reminders) != 2 {
			t.Errorf("reminders = %v", reminders)
		}
		for _, m := range msgs {
			if strings.HasPrefix(m.Header("Subject"), "Påminnelse") && !m.Contains("Tiden för justering av protokollet") {
				t.Errorf("the reminder:\n%s", m.Body("text/plain"))
			}
		}

		// Both approve: the secretariat is told.
		r := susanne.get("/sammantraden/" + mid + "/justera")
		sha := regexp.MustCompile(`name="sha" value="([0-9a-f]{64})"`).FindStringSubmatch(r.Body.String())
		if sha == nil {
			t.Fatalf("approval page = %d without the hash", r.Code)
		}
		if r := susanne.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {sha[1]}}); r.Code != http.StatusSeeOther {
			t.Fatalf("Susanne's approval = %d", r.Code)
		}
		if n := mailCount(t, db); n != 6 {
			t.Errorf("after one approval %d mails, want 6 (none to the secretariat yet)", n)
		}
		robert := w.robertLogsIn(t)
		robert.get("/sammantraden/" + mid + "/justera")
		code, _ := auth.TOTPCode(w.secret, time.Now().Add(30*time.Second))
		if r := robert.post("/sammantraden/"+mid+"/justera", url.Values{"sha": {sha[1]}, "code": {code}}); r.Code != http.StatusSeeOther {
			t.Fatalf("Robert's approval = %d: %s", r.Code, text(robert.last))
		}
		justerat := subjects(smtp.Wait(t, 7, 30*time.Second), "Justerat: ")
		if len(justerat) != 1 || justerat["sekretariat@demo.gns.example"] == "" {
			t.Errorf("'justerat' mails = %v, want one to the secretariat", justerat)
		}
		if n := runJob(t, db, app.JusteringReminders); n != 0 {
			t.Errorf("reminders for justerade minutes = %d", n)
		}
	})
}

// TestKallelseChangeMail: after publishing, a change of place and a new
// agenda item go to the called members and the parties' contacts as one
// "ändrad" mail listing both; a second run sends nothing; changes before
// publishing send nothing.
func TestKallelseChangeMail(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		day := today().AddDays(14 - int(today().Weekday()) + 1)
		mid := mondayMeeting(t, sec, day)
		form := url.Values{"date": {day.String()}, "start_time": {"09:00"}, "end_time": {"12:00"},
			"place": {"Lillsjöhögen, sal 2"}, "purpose": {"ovrigt"}, "municipalities": {"1"}}
		sec.get("/sammantraden/" + mid + "/andra")
		if r := sec.post("/sammantraden/"+mid+"/andra", form); r.Code != http.StatusSeeOther {
			t.Fatalf("change before publishing = %d: %s", r.Code, text(sec.last))
		}
		if n := runJob(t, db, app.KallelseChangeMails); n != 0 {
			t.Errorf("a change to a draft sent %d mails", n)
		}
		sec.get("/sammantraden/" + mid + "/publicera")
		sec.post("/sammantraden/"+mid+"/publicera", nil)
		published := mailCount(t, db)
		smtp.Wait(t, published, 30*time.Second)

		form.Set("place", "Rådhuset, sal 3")
		sec.get("/sammantraden/" + mid + "/andra")
		if r := sec.post("/sammantraden/"+mid+"/andra", form); r.Code != http.StatusSeeOther {
			t.Fatalf("change the place = %d: %s", r.Code, text(sec.last))
		}
		sec.get("/sammantraden/" + mid)
		if r := sec.post("/sammantraden/"+mid+"/punkter", url.Values{"case": {itoa(w.revision.ID)},
			"proposal": {"Nämnden lägger rapporten till handlingarna."}}); r.Code != http.StatusSeeOther {
			t.Fatalf("add agenda item = %d: %s", r.Code, text(sec.last))
		}
		n := runJob(t, db, app.KallelseChangeMails)
		if n != published {
			t.Errorf("'ändrad' mails = %d, want one to each of the %d who got the kallelse", n, published)
		}
		if again := runJob(t, db, app.KallelseChangeMails); again != 0 {
			t.Errorf("a second run sent %d mails", again)
		}
		msgs := smtp.Wait(t, published+n, 30*time.Second)
		var susanne *mailtest.Message
		for i, m := range msgs {
			if strings.HasPrefix(m.Header("Subject"), "Ändrad kallelse: ") && m.To[0] == "ledamot@demo.gns.example" {
				susanne = &msgs[i]
			}
		}
		if susanne == nil {
			t.Fatal("no 'ändrad' mail to the demo ledamot")
		}
		body := susanne.Body("text/plain")
		for _, want := range []string{"är ändrad", "Plats: Rådhuset, sal 3", `Platsen ändrades från "Lillsjöhögen, sal 2" till "Rådhuset, sal 3".`,
			"Revisionsrapport", testBase + "/sammantraden/" + mid + "/kallelse.pdf"} {
			if !strings.Contains(body, want) {
				t.Errorf("the 'ändrad' mail lacks %q:\n%s", want, body)
			}
		}
	})
}

// TestAssignmentDigest: the weekly digest goes to an assignee with a user
// (their own assignments due within 30 days or overdue, not one due later)
// and to the secretariat (all, naming how many have no user), over SMTP;
// an assignee who turned the digest off under Mitt konto gets none.
func TestAssignmentDigest(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		ekonom, _, err := db.Conn().UserForLogin(w.ctx, "ekonom@demo.gns.example")
		if err != nil {
			t.Fatal(err)
		}
		mid := mondayMeeting(t, sec, recentMonday())
		sec.get("/sammantraden/" + mid + "/paragrafer/ny")
		r := sec.post("/sammantraden/"+mid+"/paragrafer", url.Values{"title": {"Uppföljning"}, "decision": {"Nämnden ger uppdrag."}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("paragraph = %d: %s", r.Code, text(sec.last))
		}
		mid64, _ := strconv.ParseInt(mid, 10, 64)
		paras, _ := db.Conn().MeetingParagraphs(w.ctx, mid64)
		given := []meeting.Assignment{
			{Assignee: "Ekonomen", AssigneeUserID: ekonom.ID, Description: "Ta fram en prognos för hjälpmedelskostnaderna.", DueOn: today().AddDays(10)},
			{Assignee: "Ekonomen", AssigneeUserID: ekonom.ID, Description: "Sammanställ fakturaunderlaget för 2027.", DueOn: today().AddDays(90)},
			{Assignee: "Regiondirektören", Description: "Åtgärda bristerna i hjälpmedelsförsörjningen.", DueOn: today().AddDays(-3)},
		}
		if err := db.InTx(w.ctx, func(c *store.Conn) error {
			for _, a := range given {
				a.ParagraphID = paras[0].ID
				if _, err := c.CreateAssignment(w.ctx, a); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		n := runJob(t, db, app.AssignmentDigests)
		msgs := smtp.Wait(t, n, 30*time.Second)
		byTo := map[string]mailtest.Message{}
		for _, m := range msgs {
			byTo[m.To[0]] = m
		}
		own, all := byTo["ekonom@demo.gns.example"], byTo["sekretariat@demo.gns.example"]
		if own.Raw == nil || all.Raw == nil {
			t.Fatalf("digests to %v, want the economist and the secretariat", byTo)
		}
		if !own.Contains("Ta fram en prognos") || own.Contains("Sammanställ fakturaunderlaget") || own.Contains("Åtgärda bristerna") {
			t.Errorf("the economist's digest:\n%s", own.Body("text/plain"))
		}
		for _, want := range []string{"Ta fram en prognos", "Åtgärda bristerna", "försenat, skulle vara klart " + today().AddDays(-3).String(),
			"1 uppdrag har ingen mottagare i GNS"} {
			if !all.Contains(want) {
				t.Errorf("the secretariat's digest lacks %q:\n%s", want, all.Body("text/plain"))
			}
		}
		if all.Contains("Sammanställ fakturaunderlaget") {
			t.Errorf("the secretariat's digest lists an assignment due in 90 days")
		}

		eko := w.as(t, "ekonom@demo.gns.example")
		if page := eko.get("/konto").Body.String(); !strings.Contains(page, `name="mail_uppdrag" value="1" checked`) {
			t.Fatalf("Mitt konto offers no choice of the assignment digest")
		}
		if r := eko.post("/konto/utskick", url.Values{}); r.Code != http.StatusSeeOther {
			t.Fatalf("save mail choices = %d", r.Code)
		}
		before := mailCount(t, db)
		runJob(t, db, app.AssignmentDigests)
		ms, _ := db.Conn().Mails(w.ctx, store.MailFilter{})
		for _, m := range ms[:mailCount(t, db)-before] {
			if m.ToEmail == "ekonom@demo.gns.example" {
				t.Errorf("the economist who turned the digest off got one")
			}
		}
	})
}

// TestMemberEmailOnForm: the member form takes the member's own address,
// which a kallelse then goes to; a malformed one is refused and changes
// nothing.
func TestMemberEmailOnForm(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	admin := w.as(t, "admin@demo.gns.example")
	mb := w.members["Bo Karlsson"]
	path := "/namnder/GNS/ledamoter/" + itoa(mb.ID)
	page := admin.get(path).Body.String()
	if !strings.Contains(page, `name="email"`) || !strings.Contains(page, mb.Email) {
		t.Fatalf("the member form lacks the address %q", mb.Email)
	}
	form := url.Values{"name": {mb.Name}, "political_party": {mb.PoliticalParty}, "role": {string(mb.Role)}, "term_from": {mb.From.String()}}
	form.Set("email", "inte en adress")
	if r := admin.post(path, form); r.Code != http.StatusBadRequest || !strings.Contains(text(admin.last), "Skriv en e-postadress") {
		t.Errorf("a malformed address = %d", r.Code)
	}
	if after, _ := db.Conn().MemberByID(w.ctx, w.gns.ID, mb.ID); after.Email != mb.Email {
		t.Errorf("a refused address changed it to %q", after.Email)
	}
	admin.get(path)
	form.Set("email", " Bo.Karlsson@Ledamot.Example.se ")
	if r := admin.post(path, form); r.Code != http.StatusSeeOther {
		t.Fatalf("save address = %d: %s", r.Code, text(admin.last))
	}
	after, _ := db.Conn().MemberByID(w.ctx, w.gns.ID, mb.ID)
	if after.MailAddress() != "Bo.Karlsson@Ledamot.Example.se" {
		t.Errorf("the member's address = %q", after.MailAddress())
	}
	if r := w.as(t, "ledamot@demo.gns.example").post(path, form); r.Code != http.StatusForbidden {
		t.Errorf("a member editing a member = %d, want 403", r.Code)
	}
}
