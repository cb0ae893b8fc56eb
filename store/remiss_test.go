package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// demoRemissCase reads a demo case and its committee.
func demoRemissCase(t *testing.T, db *store.DB, number string) (domain.Committee, domain.Case) {
	t.Helper()
	ctx := context.Background()
	cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	n, err := domain.ParseCaseNumber(number)
	if err != nil {
		t.Fatal(err)
	}
	k, err := db.Conn().CaseByNumber(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return cm, k
}

// demoParties are the demo committee's parties on 2021-03-01.
func demoParties(t *testing.T, db *store.DB, cm domain.Committee) []domain.MemberParty {
	t.Helper()
	parties, err := db.Conn().CommitteePartiesOn(context.Background(), cm.ID, domain.MustDate("2021-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	return parties
}

// TestDemoRemiss checks the demo's GNS/3/2019 remiss: nine parties, the
// seed's six answers, three "ej svarat", and the drafted summary in the
// seed's words (with the party's right name, Härjedalens kommun).
func TestDemoRemiss(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, k := demoRemissCase(t, db, "GNS/3/2019")
		list, err := db.Conn().CaseRemisser(ctx, k.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("remisser of GNS/3/2019 = %d, %v", len(list), err)
		}
		r := list[0]
		if len(r.Parties) != 9 || r.Parties[0].PartyName != "Region Jämtland Härjedalen" || len(r.Documents) != 1 {
			t.Fatalf("parties %d (first %q), documents %d", len(r.Parties), r.Parties[0].PartyName, len(r.Documents))
		}
		status := map[string]string{}
		for _, p := range r.Parties {
			status[p.PartyName] = p.Status(r, domain.MustDate("2020-12-14"))
		}
		for name, want := range map[string]string{"Östersunds kommun": "godkänner", "Bräcke kommun": "tar ej ställning",
			"Åre kommun": "ej svarat", "Bergs kommun": "ej svarat", "Ragunda kommun": "ej svarat"} {
			if status[name] != want {
				t.Errorf("%s: %q, want %q", name, status[name], want)
			}
		}
		want := "Sex parter har inkommit med remissvar varav en part ej tar ställning. Östersunds kommun, Strömsunds kommun, Härjedalens kommun, Krokoms kommun samt Region Jämtland Härjedalen godkänner förstudien. Bräcke kommun tar ej ställning."
		if got := r.DraftSummary(); got != want {
			t.Errorf("draft\n got %q\nwant %q", got, want)
		}
	})
}

// TestRemissAnswers sends a case on remiss to three parties and checks the
// rules: answers change until the last day with history, not after it, not
// for a party left out; a closed case and bad input are refused and change
// nothing.
func TestRemissAnswers(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		cm, k := demoRemissCase(t, db, "GNS/10/2020")
		parties := demoParties(t, db, cm)
		id := map[string]int64{}
		for _, p := range parties {
			id[p.Slug] = p.ID
		}
		today := domain.MustDate("2021-03-01")
		send := func(r domain.Remiss) (domain.Remiss, int, error) {
			var out domain.Remiss
			var n int
			err := db.InTx(ctx, func(c *store.Conn) error {
				var err error
				out, n, err = app.SendRemiss(ctx, c, cm, k.ID, r, today, "https://gns.example.se")
				return err
			})
			return out, n, err
		}
		base := domain.Remiss{Question: "Godkänner parten förslaget?", Subject: "förslaget", LastDay: domain.MustDate("2021-03-31"),
			Parties: []domain.RemissParty{{PartyID: id["bracke"]}, {PartyID: id["are"]}, {PartyID: id["berg"]}}}

		// Rejected: a party from elsewhere, a last day passed, a document of
		// another case. Nothing is kept.
		bad := base
		bad.Parties = append(bad.Parties, domain.RemissParty{PartyID: 999999})
		if _, _, err := send(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("unknown party: %v", err)
		}
		bad = base
		bad.LastDay = today
		if _, _, err := send(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("last day today: %v", err)
		}
		bad = base
		bad.Documents = []domain.CaseDocument{{ID: 999999}}
		if _, _, err := send(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("foreign document: %v", err)
		}
		_, closed := demoRemissCase(t, db, "GNS/6/2020")
		err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.CreateRemiss(ctx, closed.ID, base, today)
			return err
		})
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a closed case on remiss: %v, want ECONFLICT", err)
		}
		if list, _ := db.Conn().CaseRemisser(ctx, k.ID); len(list) != 0 {
			t.Fatalf("rejected remisser kept: %d", len(list))
		}

		r, mails, err := send(base)
		if err != nil {
			t.Fatal(err)
		}
		// The demo's Bräcke representative gets the remiss by mail (and the
		// parties' contacts, where the demo has them).
		sent, err := db.Conn().Mails(ctx, store.MailFilter{Ref: app.RemissRef(r.ID)})
		if err != nil || len(sent) != mails || mails == 0 {
			t.Fatalf("mails %d kept, %d listed, %v", mails, len(sent), err)
		}
		if !hasMailTo(sent, "bracke@demo.gns.example") || !strings.Contains(sent[0].Text, "Godkänner parten förslaget?") {
			t.Errorf("remiss mails: %+v", sent)
		}

		answer := func(party int64, a domain.RemissAnswer, day string) (domain.RemissAnswer, error) {
			var out domain.RemissAnswer
			err := db.InTx(ctx, func(c *store.Conn) error {
				var err error
				out, err = c.AnswerRemiss(ctx, r.ID, party, a, nil, domain.MustDate(day))
				return err
			})
			return out, err
		}
		if _, err := answer(id["ostersund"], domain.RemissAnswer{Position: domain.RemissApproves}, "2021-03-02"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a party not asked answers: %v, want EFORBIDDEN", err)
		}
		if _, err := answer(id["bracke"], domain.RemissAnswer{Position: "kanske"}, "2021-03-02"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad position: %v", err)
		}
		a1, err := answer(id["bracke"], domain.RemissAnswer{Position: domain.RemissRejects, DecisionBody: "Kommunstyrelsen",
			DecisionDate: domain.MustDate("2021-03-01"), DecisionParagraph: "§ 12"}, "2021-03-02")
		if err != nil || a1.Version != 1 || a1.ReceivedOn != domain.MustDate("2021-03-02") {
			t.Fatalf("first answer %+v, %v", a1, err)
		}
		a2, err := answer(id["bracke"], domain.RemissAnswer{Position: domain.RemissApprovesWithComments, Comments: "Med hänsyn till kostnaden."}, "2021-03-31")
		if err != nil || a2.Version != 2 {
			t.Fatalf("changed answer %+v, %v", a2, err)
		}
		if _, err := answer(id["are"], domain.RemissAnswer{Position: domain.RemissApproves}, "2021-04-01"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("answer after the last day: %v, want ECONFLICT", err)
		}
		history, err := db.Conn().RemissHistory(ctx, r.ID, id["bracke"])
		if err != nil || len(history) != 2 || history[0].Position != domain.RemissRejects || history[0].DecisionParagraph != "§ 12" {
			t.Fatalf("history %+v, %v", history, err)
		}
		got, err := db.Conn().Remiss(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		after := domain.MustDate("2021-04-01")
		for _, p := range got.Parties {
			want := map[string]string{"bracke": "godkänner med synpunkter", "are": "ej svarat", "berg": "ej svarat"}[p.PartySlug]
			if s := p.Status(got, after); s != want {
				t.Errorf("%s: %q, want %q", p.PartyName, s, want)
			}
		}
		if d := got.DraftSummary(); d != "En part har inkommit med remissvar. Bräcke kommun godkänner förslaget med synpunkter." {
			t.Errorf("draft %q", d)
		}
		// The summary is saved as the secretariat edits it.
		err = db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.SetRemissSummary(ctx, r.ID, " Redigerad sammanfattning. ")
			return err
		})
		if got, _ := db.Conn().Remiss(ctx, r.ID); err != nil || got.Summary != "Redigerad sammanfattning." {
			t.Errorf("summary %q, %v", got.Summary, err)
		}
		// Answers are never changed in place.
		if _, err := db.SQL().ExecContext(ctx, `UPDATE remiss_answers SET position = 'rejects'`); err == nil {
			t.Error("an answer was changed in place")
		}
	})
}

// TestRemissReminders checks the reminders: due within RemissReminderDays of
// the last day, for parties that have not answered, once each.
func TestRemissReminders(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		cm, k := demoRemissCase(t, db, "GNS/10/2020")
		parties := demoParties(t, db, cm)
		var r domain.Remiss
		err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			r, err = c.CreateRemiss(ctx, k.ID, domain.Remiss{Question: "Fråga?", LastDay: domain.MustDate("2021-03-31"),
				Parties: []domain.RemissParty{{PartyID: parties[0].ID}, {PartyID: parties[5].ID}}}, domain.MustDate("2021-03-01"))
			if err != nil {
				return err
			}
			_, err = c.AnswerRemiss(ctx, r.ID, parties[0].ID, domain.RemissAnswer{Position: domain.RemissApproves}, nil, domain.MustDate("2021-03-05"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		remind := func(day string) int {
			var n int
			if err := db.InTx(ctx, func(c *store.Conn) error {
				var err error
				n, err = app.QueueRemissReminders(ctx, c, domain.MustDate(day), "https://gns.example.se")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		due := func(day string) int {
			d, err := db.Conn().RemissRemindersDue(ctx, domain.MustDate(day))
			if err != nil {
				t.Fatal(err)
			}
			return len(d)
		}
		if n := due("2021-03-23"); n != 0 {
			t.Errorf("8 days before: %d due", n)
		}
		if n := due("2021-04-01"); n != 0 {
			t.Errorf("after the last day: %d due", n)
		}
		if n := due("2021-03-24"); n != 1 {
			t.Errorf("7 days before: %d due, want 1 (the party that has not answered)", n)
		}
		// The daily job (app.Jobs) sends it, by the database's clock.
		db.SetClock(func() time.Time { return time.Date(2021, 3, 24, 6, 0, 0, 0, time.UTC) })
		var job func(context.Context, *store.Conn) error
		for _, j := range app.Jobs("https://gns.example.se") {
			if j.Name == "remiss-reminders" {
				job = j.Run
			}
		}
		if job == nil {
			t.Fatal("no remiss-reminders job")
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return job(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		if n := remind("2021-03-24"); n != 0 {
			t.Errorf("reminded again: %d mails", n)
		}
		if n := due("2021-03-25"); n != 0 {
			t.Errorf("reminded twice: %d due", n)
		}
		got, _ := db.Conn().Remiss(ctx, r.ID)
		if p, _ := got.Party(parties[5].ID); p.RemindedAt.IsZero() {
			t.Error("reminded_at not set")
		}
		mails, _ := db.Conn().Mails(ctx, store.MailFilter{Ref: app.RemissRef(r.ID)})
		if len(mails) == 0 || !strings.HasPrefix(mails[0].Subject, "Påminnelse: ") {
			t.Errorf("reminder mails %+v", mails)
		}
	})
}

func hasMailTo(mails []domain.Mail, addr string) bool {
	for _, m := range mails {
		if strings.EqualFold(m.ToEmail, addr) {
			return true
		}
	}
	return false
}
