package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/mail"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
)

// startMailQueue sends the database's mails to a real SMTP server in the
// test's process until the test ends.
func startMailQueue(t *testing.T, db *store.DB) *mailtest.Server {
	t.Helper()
	srv := mailtest.Start(t)
	q, err := outbox.New(db, mail.NewSender(srv.Config("gns@region.example.se")), outbox.Options{
		RetryBase: 10 * time.Millisecond, PollInterval: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return srv
}

// mondayMeeting plans a meeting of the demo committee on day as the
// secretariat and returns its id.
func mondayMeeting(t *testing.T, sec *browser, day domain.Date) string {
	t.Helper()
	path := planMeeting(t, sec, url.Values{"date": {day.String()}, "start_time": {"09:00"}, "end_time": {"12:00"},
		"place": {"Lillsjöhögen"}, "purpose": {"ovrigt"}, "municipalities": {"1"}})
	return strings.TrimPrefix(path, "/sammantraden/")
}

// TestKallelseMail: publishing a kallelse with an SMTP server delivers a mail
// to each called member and party contact with an address, with day, time,
// place, the föredragningslista and links from the base URL; the
// secretariat sees them sent under Utskick. Choosing justerare sends each
// justerare with a user a mail with the link to justera, once.
func TestKallelseMail(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		mid := mondayMeeting(t, sec, recentMonday())
		sec.get("/sammantraden/" + mid + "/publicera")
		r := sec.post("/sammantraden/"+mid+"/publicera", nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("publish = %d: %s", r.Code, sec.last)
		}
		page := text(sec.get(location(r)).Body.String())
		if !strings.Contains(page, "brev till ledamöter, ersättare och parternas kontaktpersoner skickas") {
			t.Errorf("the flash after publishing does not say mails go:\n%s", page)
		}
		mid64, _ := strconv.ParseInt(mid, 10, 64)
		mails, err := db.Conn().Mails(w.ctx, store.MailFilter{Ref: "meeting:" + mid})
		if err != nil || len(mails) < 10 {
			t.Fatalf("mails kept = %d, %v; want one per member and party contact", len(mails), err)
		}
		got := smtp.Wait(t, len(mails), 30*time.Second)
		var susanne, bracke *mailtest.Message
		for i, m := range got {
			switch m.To[0] {
			case "ledamot@demo.gns.example": // Susanne Hansson's user
				susanne = &got[i]
			case demo.PartyAddress("bracke"):
				bracke = &got[i]
			}
		}
		if susanne == nil || bracke == nil {
			t.Fatalf("no mail to the demo ledamot's user or to Bräcke's registry among %d", len(got))
		}
		body := susanne.Body("text/plain")
		for _, want := range []string{"Du kallas till sammanträde med", "Tid: kl. 09.00–12.00", "Plats: Lillsjöhögen",
			"Föredragningslista", "1. Fastställande av föredragningslista", "http://localhost:8080/sammantraden/" + mid + "/kallelse.pdf"} {
			if !strings.Contains(body, want) {
				t.Errorf("the kallelse mail lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(susanne.Header("From"), "Gemensam nämnd") || !strings.HasPrefix(susanne.Header("Subject"), "Kallelse: ") {
			t.Errorf("From %q, Subject %q", susanne.Header("From"), susanne.Header("Subject"))
		}
		for _, m := range mails {
			if m.CommitteeID != w.gns.ID {
				t.Errorf("mail %d has committee %d", m.ID, m.CommitteeID)
			}
		}
		_ = mid64

		// Utskick: the secretariat sees them; the members do not.
		deadline := time.Now().Add(10 * time.Second)
		for {
			page = text(sec.get("/utskick?status=sent").Body.String())
			if strings.Contains(page, strconv.Itoa(len(mails))+" brev med status skickat") || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(page, "Kallelse: ") || !strings.Contains(page, "ledamot@demo.gns.example") {
			t.Errorf("Utskick lacks the mails sent:\n%s", page)
		}
		one := sec.get("/utskick/" + strconv.FormatInt(mails[0].ID, 10))
		if one.Code != http.StatusOK || !strings.Contains(text(one.Body.String()), "Du kallas till sammanträde") {
			t.Errorf("a mail's page = %d:\n%s", one.Code, text(one.Body.String()))
		}
		led := w.as(t, "ledamot@demo.gns.example")
		if r := led.get("/utskick"); r.Code != http.StatusForbidden {
			t.Errorf("a member's Utskick = %d, want 403", r.Code)
		}
		if r := led.get("/utskick/" + strconv.FormatInt(mails[0].ID, 10)); r.Code != http.StatusForbidden {
			t.Errorf("a member's view of a mail = %d, want 403", r.Code)
		}

		// Justerare chosen: the two with users get a mail; saving again
		// with the same two sends none.
		attendance := url.Values{}
		for _, name := range []string{"Robert Hamberg", "Susanne Hansson"} {
			attendance.Set("present_"+itoa(w.members[name].ID), "1")
		}
		sec.get("/sammantraden/" + mid + "/narvaro")
		if r := sec.post("/sammantraden/"+mid+"/narvaro", attendance); r.Code != http.StatusSeeOther {
			t.Fatalf("attendance = %d: %s", r.Code, sec.last)
		}
		choose := url.Values{"justerare_1": {itoa(w.members["Robert Hamberg"].ID)}, "justerare_2": {itoa(w.members["Susanne Hansson"].ID)},
			"justering_due": {recentMonday().AddDays(3).String()}}
		for range 2 {
			sec.get("/sammantraden/" + mid + "/protokoll")
			if r := sec.post("/sammantraden/"+mid+"/justerare", choose); r.Code != http.StatusSeeOther {
				t.Fatalf("justerare = %d: %s", r.Code, sec.last)
			}
		}
		justering, _ := db.Conn().Mails(w.ctx, store.MailFilter{Ref: "meeting:" + mid, Status: ""})
		n := 0
		for _, m := range justering {
			if m.Kind == domain.MailJustering {
				n++
				if !strings.Contains(m.Text, "http://localhost:8080/sammantraden/"+mid+"/justera") {
					t.Errorf("the justering mail lacks its link:\n%s", m.Text)
				}
			}
		}
		if n != 2 {
			t.Errorf("justering mails = %d, want 2 (Robert and Susanne, once)", n)
		}

		// The API lists them for the admin.
		adm := w.as(t, "admin@demo.gns.example")
		r = adm.get("/api/v1/outbox?status=sent")
		var out struct {
			Mails []struct {
				To     string `json:"to"`
				Status string `json:"status"`
			} `json:"mails"`
		}
		if r.Code != http.StatusOK || json.Unmarshal(r.Body.Bytes(), &out) != nil || len(out.Mails) < len(mails) {
			t.Errorf("GET /api/v1/outbox = %d, %d mails", r.Code, len(out.Mails))
		}
	})
}

// TestMailKeptWithoutSMTP: without an SMTP server nothing fails: the
// mails are kept, the flash says so, and Utskick shows them as not sent.
func TestMailKeptWithoutSMTP(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	sec := w.as(t, "sekretariat@demo.gns.example")
	mid := mondayMeeting(t, sec, recentMonday())
	sec.get("/sammantraden/" + mid + "/publicera")
	r := sec.post("/sammantraden/"+mid+"/publicera", nil)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("publish = %d: %s", r.Code, sec.last)
	}
	page := text(sec.get(location(r)).Body.String())
	if !strings.Contains(page, "finns under Utskick; de skickas inte, eftersom ingen e-postserver är inställd") {
		t.Errorf("the flash does not say the mails are only kept:\n%s", page)
	}
	page = text(sec.get("/utskick").Body.String())
	if !strings.Contains(page, "Ingen e-postserver är inställd") || !strings.Contains(page, "ej skickat") ||
		!strings.Contains(page, demo.MemberAddress("Bosse Svensson")) {
		t.Errorf("Utskick without SMTP:\n%s", page)
	}
	if r := sec.get("/utskick?status=annat"); r.Code != http.StatusBadRequest {
		t.Errorf("an unknown status = %d, want 400", r.Code)
	}
	// A mail the queue gave up on shows on the admin's start page.
	mails, _ := db.Conn().Mails(w.ctx, store.MailFilter{})
	if err := db.InTx(w.ctx, func(c *store.Conn) error {
		return c.MailAttemptFailed(w.ctx, mails[0].ID, "550 5.1.1 Ingen sådan mottagare", true)
	}); err != nil {
		t.Fatal(err)
	}
	adm := w.as(t, "admin@demo.gns.example")
	if page := text(adm.get("/").Body.String()); !strings.Contains(page, "1 brev gick inte att skicka") {
		t.Errorf("the admin's start page does not show the failed mail:\n%s", page)
	}
	if page := text(adm.get("/utskick?status=failed").Body.String()); !strings.Contains(page, "550 5.1.1 Ingen sådan mottagare") {
		t.Errorf("Utskick does not show why the mail failed:\n%s", page)
	}
}

// TestMailChoices: under Mitt konto a member turns kallelser off and gets
// none; the justering mail, which the task needs, cannot be turned off. A
// role that gets no mail is told so.
func TestMailChoices(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	led := w.as(t, "ledamot@demo.gns.example")
	page := led.get("/konto").Body.String()
	if !strings.Contains(page, `name="mail_kallelse" value="1" checked`) || !strings.Contains(page, `name="mail_justering" value="1" checked disabled`) {
		t.Fatalf("Mitt konto lacks the mail choices:\n%s", page)
	}
	if r := led.post("/konto/utskick", url.Values{"mail_justering": {""}}); r.Code != http.StatusSeeOther {
		t.Fatalf("save mail choices = %d", r.Code)
	}
	if page := led.get("/konto").Body.String(); !strings.Contains(page, `name="mail_kallelse" value="1">`) {
		t.Errorf("kallelser still ticked after turning them off")
	}
	sec := w.as(t, "sekretariat@demo.gns.example")
	mid := mondayMeeting(t, sec, recentMonday())
	sec.get("/sammantraden/" + mid + "/publicera")
	sec.post("/sammantraden/"+mid+"/publicera", nil)
	mails, err := db.Conn().Mails(w.ctx, store.MailFilter{Ref: "meeting:" + mid})
	if err != nil || len(mails) == 0 {
		t.Fatalf("mails = %d, %v", len(mails), err)
	}
	for _, m := range mails {
		if m.ToEmail == "ledamot@demo.gns.example" {
			t.Errorf("the member who turned kallelser off got one")
		}
	}
	if page := text(sec.get("/konto").Body.String()); !strings.Contains(page, "Förhinder som ledamöter anmäler (krävs för uppdraget)") {
		t.Errorf("the secretariat's Mitt konto:\n%s", page)
	}
	// The auditor gets only the protokollsutdrag expedierade to the role
	// (required): no kallelser, no digest.
	if page := text(w.as(t, "revisor@demo.gns.example").get("/konto").Body.String()); !strings.Contains(page, "Protokollsutdrag som expedieras till dig (krävs för uppdraget)") ||
		strings.Contains(page, domain.MailKallelse.Label()) || strings.Contains(page, domain.MailAssignments.Label()) {
		t.Errorf("the auditor's Mitt konto:\n%s", page)
	}
	if acts := auditActions(t, db, "mail_choices"); len(acts) != 1 {
		t.Errorf("audit of mail choices = %v", acts)
	}
}

// TestPublishAPI: POST /api/v1/meetings/{id}/publish publishes as the page
// does and says how many mails were kept; again is 409; a member may not.
func TestPublishAPI(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	sec := w.as(t, "sekretariat@demo.gns.example")
	mid := mondayMeeting(t, sec, recentMonday())
	publish := func(email string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/meetings/"+mid+"/publish", nil)
		req.Header.Set("Authorization", "Bearer "+tokenFor(t, db, email))
		rec := httptest.NewRecorder()
		w.s.Handler().ServeHTTP(rec, req)
		return rec
	}
	if r := publish("ledamot@demo.gns.example"); r.Code != http.StatusForbidden {
		t.Errorf("a member's publish = %d, want 403", r.Code)
	}
	r := publish("sekretariat@demo.gns.example")
	var out struct {
		Mails     int  `json:"mails"`
		MailsSent bool `json:"mails_sent"`
	}
	if r.Code != http.StatusOK || json.Unmarshal(r.Body.Bytes(), &out) != nil || out.Mails < 10 || out.MailsSent {
		t.Fatalf("publish = %d %s", r.Code, r.Body)
	}
	if r := publish("sekretariat@demo.gns.example"); r.Code != http.StatusConflict {
		t.Errorf("publishing again = %d, want 409", r.Code)
	}
}

// TestForhinder: a called member (the demo ledamot, Susanne Hansson) reports
// förhinder from the meeting page; the secretariat gets a mail naming the
// ersättare of her party to call in, sees the förhinder on the meeting page,
// and a second report sends nothing. Someone not called, and a meeting not
// published, are refused.
func TestForhinder(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		sec := w.as(t, "sekretariat@demo.gns.example")
		mid := mondayMeeting(t, sec, today().AddDays(14-int(today().Weekday())+1))
		led := w.as(t, "ledamot@demo.gns.example")
		if r := led.get("/sammantraden/" + mid + "/forhinder"); r.Code != http.StatusConflict {
			t.Errorf("förhinder before the kallelse is published = %d, want 409", r.Code)
		}
		sec.get("/sammantraden/" + mid + "/publicera")
		sec.post("/sammantraden/"+mid+"/publicera", nil)
		if page := led.get("/sammantraden/" + mid).Body.String(); !strings.Contains(page, "/forhinder\">Anmäl förhinder") {
			t.Errorf("the meeting page offers the member no förhinder")
		}
		if r := led.get("/sammantraden/" + mid + "/forhinder"); r.Code != http.StatusOK || !strings.Contains(text(led.last), "Anmäl förhinder till sammanträdet") {
			t.Fatalf("confirm = %d", r.Code)
		}
		r := led.post("/sammantraden/"+mid+"/forhinder", nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("report = %d: %s", r.Code, led.last)
		}
		if page := text(led.get(location(r)).Body.String()); !strings.Contains(page, "Ditt förhinder är anmält.") {
			t.Errorf("flash after förhinder:\n%s", page)
		}
		led.get("/sammantraden/" + mid + "/forhinder")
		led.post("/sammantraden/"+mid+"/forhinder", nil)
		var forhinder []domain.Mail
		all, _ := db.Conn().Mails(w.ctx, store.MailFilter{Ref: "meeting:" + mid})
		for _, m := range all {
			if m.Kind == domain.MailForhinder {
				forhinder = append(forhinder, m)
			}
		}
		if len(forhinder) != 1 || forhinder[0].ToEmail != "sekretariat@demo.gns.example" {
			t.Fatalf("förhinder mails = %+v, want one to the secretariat", forhinder)
		}
		susanne := w.members["Susanne Hansson"]
		if !strings.Contains(forhinder[0].Text, "Susanne Hansson") || !strings.Contains(forhinder[0].Text, "Ersättare att kalla, i ordning") {
			t.Errorf("the förhinder mail:\n%s", forhinder[0].Text)
		}
		for _, mb := range w.members {
			if mb.Role == domain.MemberSubstitute && mb.ActiveOn(recentMonday()) && mb.PoliticalParty != susanne.PoliticalParty && strings.Contains(forhinder[0].Text, mb.Name) {
				t.Errorf("the mail offers %s, an ersättare of another party", mb.Name)
			}
		}
		page := sec.get("/sammantraden/" + mid).Body.String()
		if !strings.Contains(text(page), "Förhinder och inkallade ersättare") || !strings.Contains(text(page), "Susanne Hansson ") ||
			!strings.Contains(text(page), "ingen inkallad ännu") {
			t.Errorf("the secretariat's meeting page lacks the förhinder:\n%s", text(page))
		}
		if r := sec.get("/sammantraden/" + mid + "/forhinder"); r.Code != http.StatusForbidden {
			t.Errorf("the secretariat reporting förhinder = %d, want 403", r.Code)
		}
		testCallIn(t, db, w, sec, led, mid, page)
	})
}

// testCallIn: the secretariat calls in an ersättare for Susanne Hansson,
// offered in the order the ersättare of her party stand; one of another
// party, or a ledamot, is refused and changes nothing; a member may not call
// anyone in. The ersättare called in gets the kallelse over SMTP, and the
// attendance form starts with the ersättare serving for her.
func testCallIn(t *testing.T, db *store.DB, w *minutesWorld, sec, led *browser, mid, page string) {
	t.Helper()
	smtp := startMailQueue(t, db)
	susanne := w.members["Susanne Hansson"]
	mid64, _ := strconv.ParseInt(mid, 10, 64)
	m, _ := db.Conn().MeetingByID(w.ctx, mid64)
	candidates, err := app.SubstitutesFor(w.ctx, db.Conn(), m, susanne)
	if err != nil || len(candidates) == 0 {
		t.Fatalf("ersättare for Susanne Hansson: %v, %v", candidates, err)
	}
	var offered []string
	for _, o := range regexp.MustCompile(`<option value="(\d+)">`).FindAllStringSubmatch(page[strings.Index(page, "/forhinder/"+itoa(susanne.ID)+"/kalla-in"):], -1) {
		offered = append(offered, o[1])
	}
	for i, c := range candidates {
		if i >= len(offered) || offered[i] != itoa(c.ID) {
			t.Fatalf("the page offers %v, want the party's ersättare in order %v", offered, candidates)
		}
	}
	var other, ledamot domain.Member
	for _, mb := range w.members {
		switch {
		case mb.Role == domain.MemberSubstitute && mb.ActiveOn(m.Date) && mb.PoliticalParty != susanne.PoliticalParty:
			other = mb
		case mb.Role == domain.MemberOrdinary && mb.ActiveOn(m.Date) && mb.ID != susanne.ID:
			ledamot = mb
		}
	}
	path := "/sammantraden/" + mid + "/forhinder/" + itoa(susanne.ID) + "/kalla-in?ersattare="
	mailsBefore, _ := db.Conn().Mails(w.ctx, store.MailFilter{})
	for name, tc := range map[string]struct {
		id   int64
		want string
	}{
		"another party's ersättare": {other.ID, "är ersättare för ett annat parti"},
		"a ledamot":                 {ledamot.ID, "är inte ersättare"},
	} {
		sec.get("/sammantraden/" + mid)
		if r := sec.post(path+itoa(tc.id), nil); r.Code != http.StatusBadRequest || !strings.Contains(text(sec.last), tc.want) {
			t.Errorf("calling in %s = %d, want 400 with %q:\n%s", name, r.Code, tc.want, text(sec.last))
		}
	}
	if r := sec.get(path); r.Code != http.StatusBadRequest {
		t.Errorf("calling in no one = %d, want 400", r.Code)
	}
	led.get("/sammantraden/" + mid)
	if r := led.post(path+itoa(candidates[0].ID), nil); r.Code != http.StatusForbidden {
		t.Errorf("a member calling in an ersättare = %d, want 403", r.Code)
	}
	if after, _ := db.Conn().Mails(w.ctx, store.MailFilter{}); len(after) != len(mailsBefore) {
		t.Errorf("refused call-ins kept %d mails", len(after)-len(mailsBefore))
	}
	if a, _ := db.Conn().Absences(w.ctx, mid64); a[0].SubstituteID != 0 {
		t.Errorf("refused call-ins recorded %d", a[0].SubstituteID)
	}

	first := candidates[0]
	if r := sec.get(path + itoa(first.ID)); r.Code != http.StatusOK || !strings.Contains(text(sec.last), "Kalla in "+first.Name+" för Susanne Hansson?") {
		t.Fatalf("confirm call-in = %d:\n%s", r.Code, text(sec.last))
	}
	r := sec.post(path+itoa(first.ID), nil)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("call in = %d: %s", r.Code, sec.last)
	}
	got := smtp.Wait(t, 1, 30*time.Second)
	if got[0].To[0] != first.MailAddress() || !strings.HasPrefix(got[0].Header("Subject"), "Inkallelse som ersättare: Kallelse: ") ||
		!got[0].Contains("Du kallas in som ersättare för Susanne Hansson (S)") {
		t.Errorf("the call-in mail to %v, %q:\n%s", got[0].To, got[0].Header("Subject"), got[0].Body("text/plain"))
	}
	if page := text(sec.get("/sammantraden/" + mid).Body.String()); !strings.Contains(page, first.Name+" inkallad") {
		t.Errorf("the meeting page does not show the ersättare called in:\n%s", page)
	}
	sec.get(path + itoa(first.ID))
	if r := sec.post(path+itoa(first.ID), nil); r.Code != http.StatusBadRequest {
		t.Errorf("calling in the same ersättare twice = %d, want 400", r.Code)
	}
	form := sec.get("/sammantraden/" + mid + "/narvaro").Body.String()
	serving := regexp.MustCompile(`name="serving_for_` + itoa(first.ID) + `"[\s\S]*?</select>`).FindString(form)
	if !strings.Contains(form, `name="present_`+itoa(first.ID)+`" value="1" aria-label="`+first.DisplayName()+` närvarande" checked`) ||
		!strings.Contains(serving, `<option value="`+itoa(susanne.ID)+`" selected>`) ||
		strings.Contains(form, `name="present_`+itoa(susanne.ID)+`" value="1" aria-label="`+susanne.DisplayName()+` närvarande" checked`) {
		t.Errorf("the attendance form does not start from the förhinder and the ersättare called in:\n%s", serving)
	}
}

// TestUtskickAttachments: a kept mail's attachments are listed on its page
// under Utskick and download as they were composed; a number out of range is
// 404 and a member, who does not read Utskick, is refused.
func TestUtskickAttachments(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	gns, err := db.Conn().CommitteeByCode(w.ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% utdrag § 18\n%%EOF\n")
	if err := db.InTx(w.ctx, func(c *store.Conn) error {
		_, err := c.QueueMail(w.ctx, domain.Mail{CommitteeID: gns.ID, Kind: domain.MailTest, ToEmail: "registrator@bracke.example",
			FromName: gns.Name, Subject: "Protokollsutdrag § 18", Text: "Utdraget bifogas.",
			Attachments: []domain.MailAttachment{{Filename: "Utdrag § 18.pdf", ContentType: "application/pdf", Content: pdf}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	mails, _ := db.Conn().Mails(w.ctx, store.MailFilter{})
	path := "/utskick/" + strconv.FormatInt(mails[0].ID, 10)
	sec := w.as(t, "sekretariat@demo.gns.example")
	if page := text(sec.get(path).Body.String()); !strings.Contains(page, "Bilagor") || !strings.Contains(page, "Utdrag § 18.pdf (30 byte)") {
		t.Errorf("the mail's page does not list its attachment:\n%s", page)
	}
	r := sec.get(path + "/bilagor/1")
	if r.Code != http.StatusOK || r.Body.String() != string(pdf) || r.Header().Get("Content-Type") != "application/pdf" ||
		!strings.Contains(r.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("download = %d %q %q: %q", r.Code, r.Header().Get("Content-Type"), r.Header().Get("Content-Disposition"), r.Body.String())
	}
	for _, n := range []string{"0", "2", "x"} {
		if r := sec.get(path + "/bilagor/" + n); r.Code != http.StatusNotFound {
			t.Errorf("attachment %s = %d, want 404", n, r.Code)
		}
	}
	if r := w.as(t, "ledamot@demo.gns.example").get(path + "/bilagor/1"); r.Code != http.StatusForbidden {
		t.Errorf("a member downloading = %d, want 403", r.Code)
	}
}
