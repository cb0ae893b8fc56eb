package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// fixedHash stands in for the minutes PDF: the hash of a word.
func fixedHash(word string) store.MinutesHash {
	return func(context.Context, *store.Conn) (string, error) {
		sum := sha256.Sum256([]byte(word))
		return hex.EncodeToString(sum[:]), nil
	}
}

func hashOf(word string) string {
	sum, _ := fixedHash(word)(context.Background(), nil)
	return sum
}

func (f *minutesFixture) setJusterare(ids []int64, due string) (meeting.Justering, error) {
	var j meeting.Justering
	err := f.change(func(c *store.Conn) error {
		var err error
		var d domain.Date
		if due != "" {
			d = domain.MustDate(due)
		}
		j, err = c.SetJusterare(f.ctx, f.mtg.ID, ids, d)
		return err
	})
	return j, err
}

func (f *minutesFixture) approve(u domain.User, word string) (meeting.Justering, error) {
	var j meeting.Justering
	err := f.change(func(c *store.Conn) error {
		var err error
		j, err = c.ApproveMinutes(f.ctx, f.mtg.ID, u, f.mtg.Date.AddDays(2), hashOf(word))
		return err
	})
	return j, err
}

func TestSetJusterare(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		before := f.rows(t)
		for _, tt := range []struct {
			name  string
			ids   []int64
			due   string
			field string
			msg   string
		}{
			{"an ersättare not serving", []int64{f.chair.ID, f.maria.ID}, "2027-02-15", "justerare", "Maria Jakobsson (S) tjänstgör inte vid sammanträdet"},
			{"the absent ledamot", []int64{f.therese.ID, f.chair.ID}, "2027-02-15", "justerare", "Therese Kärngård (S) tjänstgör inte"},
			{"the same member twice", []int64{f.chair.ID, f.chair.ID}, "2027-02-15", "justerare", "två olika"},
			{"one justerare", []int64{f.chair.ID}, "2027-02-15", "justerare", "Välj två justerare"},
			{"three justerare", []int64{f.chair.ID, f.vice.ID, f.bjorn.ID}, "2027-02-15", "justerare", "Välj två justerare"},
			{"no day", []int64{f.chair.ID, f.vice.ID}, "", "justering_due", "Ange tid för justering"},
			{"a day before the meeting", []int64{f.chair.ID, f.vice.ID}, "2027-02-05", "justering_due", "från sammanträdesdagen 2027-02-08"},
		} {
			_, err := f.setJusterare(tt.ids, tt.due)
			wantFieldError(t, tt.name, err, tt.field, tt.msg)
		}
		if after := f.rows(t); after != before {
			t.Errorf("refused choices changed the data:\n%s\n%s", before, after)
		}
		// An ersättare serving for an absent ledamot may be justerare.
		j, err := f.setJusterare([]int64{f.vice.ID, f.bo.ID}, "2027-02-15")
		if err != nil || len(j.Justerare) != 2 || j.Justerare[1].MemberName != "Bo Karlsson (C)" || j.Due != domain.MustDate("2027-02-15") {
			t.Fatalf("justerare = %+v, %v", j, err)
		}
		j, err = f.setJusterare([]int64{f.chair.ID, f.vice.ID}, "2027-02-16")
		if err != nil || j.Justerare[0].MemberName != "Robert Hamberg (M)" || j.Due != domain.MustDate("2027-02-16") {
			t.Fatalf("justerare changed = %+v, %v", j, err)
		}
		if m, _ := db.Conn().MeetingByID(f.ctx, f.mtg.ID); m.JusteringDue != domain.MustDate("2027-02-16") {
			t.Errorf("tid för justering on the meeting = %s", m.JusteringDue)
		}
		// The choice is the paragraph of "Val av justerare och tid för
		// justering" too: written by the first choice, changed (not doubled)
		// by the second, so the justerare are chosen once.
		ps, err := db.Conn().MeetingParagraphs(f.ctx, f.mtg.ID)
		if err != nil {
			t.Fatal(err)
		}
		var found []meeting.Paragraph
		for _, p := range ps {
			if p.Title == store.StandingJusterareTitle {
				found = append(found, p)
			}
		}
		want := "Till justerare utses Robert Hamberg (M) och Susanne Hansson (S). Protokollet justeras senast 16 februari 2027."
		if len(found) != 1 || found[0].Decision != want || found[0].AgendaItemID == 0 {
			t.Errorf("paragraphs of the justerare item = %+v, want one deciding %q", found, want)
		}
	})
}

func TestJustering(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Budget 2028", Decision: "Budgeten fastställs."})
		if _, err := f.approve(f.chairUser, "A"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("approval before there are justerare: %v", err)
		}
		if _, err := f.setJusterare([]int64{f.chair.ID, f.vice.ID}, "2027-02-15"); err != nil {
			t.Fatal(err)
		}

		// Who may not approve, and nothing changes when they try.
		var bjornUser, noTOTP domain.User
		if err := f.change(func(c *store.Conn) error {
			var err error
			if bjornUser, err = c.CreateUser(f.ctx, domain.User{Email: "bjorn@example.se", Name: "Björn Hammarberg",
				Roles: []domain.RoleGrant{{Role: domain.RoleMember, CommitteeID: f.cm.ID}}}, "hash"); err != nil {
				return err
			}
			if err := c.EnableTOTP(f.ctx, bjornUser.ID, "sealed", 1, nil); err != nil {
				return err
			}
			noTOTP, err = c.CreateUser(f.ctx, domain.User{Email: "utan@example.se", Name: "Utan Tvåsteg",
				Roles: []domain.RoleGrant{{Role: domain.RoleMember, CommitteeID: f.cm.ID}}}, "hash")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.bjorn.UserID = bjornUser.ID
		if err := f.change(func(c *store.Conn) error { _, err := c.UpdateMember(f.ctx, f.bjorn); return err }); err != nil {
			t.Fatal(err)
		}
		before := f.rows(t)
		var early error
		f.change(func(c *store.Conn) error {
			_, early = c.ApproveMinutes(f.ctx, f.mtg.ID, f.chairUser, f.mtg.Date.AddDays(-1), hashOf("A"))
			return early
		})
		wantCode(t, "an approval before the meeting", early, domain.ECONFLICT, "har inte hållits ännu")
		_, err := f.approve(f.secretary, "A")
		wantCode(t, "the secretariat", err, domain.EFORBIDDEN, "Bara nämndens ledamöter")
		_, err = f.approve(bjornUser, "A")
		wantCode(t, "a member who is not justerare", err, domain.EFORBIDDEN, "Du är inte justerare")
		_, err = f.approve(noTOTP, "A")
		wantCode(t, "a user without two-factor login", err, domain.EFORBIDDEN, "kräver tvåstegsverifiering")
		if after := f.rows(t); after != before {
			t.Errorf("refused approvals changed the data:\n%s\n%s", before, after)
		}

		j, err := f.approve(f.chairUser, "A")
		if err != nil || j.Locked() || !j.Justerare[0].Approved() || j.Justerare[0].SHA256 != hashOf("A") || j.Justerare[0].ApproverName != "Robert Hamberg" {
			t.Fatalf("first approval = %+v, %v", j, err)
		}
		_, err = f.approve(f.chairUser, "A")
		wantCode(t, "approving twice", err, domain.ECONFLICT, "redan justerat")

		// The minutes changed: the second justerare approves another
		// document, and the first approval is withdrawn.
		j, err = f.approve(f.viceUser, "B")
		if err != nil || j.Locked() || j.Justerare[0].Approved() || !j.Justerare[1].Approved() {
			t.Fatalf("approval of other minutes = %+v, %v", j, err)
		}
		// The justerare cannot be changed once one has approved.
		_, err = f.setJusterare([]int64{f.chair.ID, f.bjorn.ID}, "2027-02-15")
		wantCode(t, "changing justerare after an approval", err, domain.ECONFLICT, "Susanne Hansson (S) har redan justerat")

		j, err = f.approve(f.chairUser, "B")
		if err != nil || !j.Locked() || j.SHA256 != hashOf("B") {
			t.Fatalf("second approval of the same minutes = %+v, %v", j, err)
		}
		m, _ := db.Conn().MeetingByID(f.ctx, f.mtg.ID)
		if !m.Locked() || m.MinutesSHA256 != hashOf("B") {
			t.Errorf("meeting after justering = %+v", m)
		}
		entries, _, _ := db.Conn().AuditEntries(f.ctx, domain.AuditFilter{Entity: "meeting"})
		if entries[0].Action != "approve_minutes" || !strings.Contains(string(entries[0].After), hashOf("B")) || !strings.Contains(string(entries[0].After), `"locked":true`) {
			t.Errorf("last audit entry = %+v", entries[0])
		}

		// Locked: nothing changes, through the store or around it.
		before = f.rows(t)
		p.Decision = "Ändrat"
		err = f.change(func(c *store.Conn) error { _, err := c.UpdateParagraph(f.ctx, p); return err })
		wantCode(t, "editing a paragraph of justerade minutes", err, domain.ECONFLICT, "justerat och låst")
		_, err = f.approve(f.viceUser, "C")
		wantCode(t, "approving locked minutes", err, domain.ECONFLICT, "justerat och låst")
		_, err = f.setJusterare([]int64{f.chair.ID, f.bjorn.ID}, "2027-02-15")
		wantCode(t, "changing justerare of locked minutes", err, domain.ECONFLICT, "justerat och låst")
		for _, q := range []string{
			`UPDATE meeting_justerare SET approved_sha256 = 'x' WHERE meeting_id = %d`,
			`DELETE FROM meeting_justerare WHERE meeting_id = %d`,
			`UPDATE meetings SET locked_at = NULL WHERE id = %d`,
			`UPDATE meetings SET justering_due = NULL WHERE id = %d`,
			`UPDATE paragraphs SET title = 'x' WHERE meeting_id = %d`,
		} {
			if _, err := db.SQL().ExecContext(f.ctx, fmt.Sprintf(q, f.mtg.ID)); err == nil {
				t.Errorf("the database accepted %s", q)
			}
		}
		if after := f.rows(t); after != before {
			t.Errorf("refused changes changed the data:\n%s\n%s", before, after)
		}

		// The anslag: once, between the justering and today.
		today := domain.MustDate("2027-03-01")
		announce := func(day string) (meeting.Justering, error) {
			var j meeting.Justering
			err := f.change(func(c *store.Conn) error {
				var err error
				j, err = c.SetAnnouncedOn(f.ctx, f.mtg.ID, domain.MustDate(day), today)
				return err
			})
			return j, err
		}
		_, err = announce("2027-02-07")
		wantFieldError(t, "an anslag before the justering", err, "announced_on", "mellan justeringen")
		_, err = announce(today.AddDays(1).String())
		wantFieldError(t, "an anslag in the future", err, "announced_on", "mellan justeringen")
		j, err = announce(today.String())
		if err != nil || j.AnnouncedOn != today || j.AppealEnds() != meeting.AppealPeriodEnd(today) {
			t.Fatalf("anslag = %+v, %v", j, err)
		}
		_, err = announce(today.String())
		wantCode(t, "a second anslag", err, domain.ECONFLICT, "redan registrerat")
		if _, err := db.SQL().ExecContext(f.ctx, fmt.Sprintf(`UPDATE meetings SET announced_on = NULL WHERE id = %d`, f.mtg.ID)); err == nil {
			t.Error("the database let the anslag be removed")
		}
	})
}

// TestJusteringAtOnce has both justerare approve at the same moment: the
// minutes end up locked once, with both approvals.
func TestJusteringAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		f.paragraph(t, meeting.Paragraph{Title: "Budget 2028"})
		if _, err := f.setJusterare([]int64{f.chair.ID, f.vice.ID}, "2027-02-15"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range []domain.User{f.chairUser, f.viceUser} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.approve(u, "A")
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("approvals: %v", errs)
		}
		j, err := db.Conn().Justering(f.ctx, f.mtg.ID)
		if err != nil || !j.Locked() || !j.Justerare[0].Approved() || !j.Justerare[1].Approved() || j.SHA256 != hashOf("A") {
			t.Errorf("justering = %+v, %v", j, err)
		}
	})
}

func TestDemoUserApprovesWhileDemoModeIsOn(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		f.paragraph(t, meeting.Paragraph{Title: "Budget 2028"})
		var demoUser domain.User
		if err := f.change(func(c *store.Conn) error {
			var err error
			demoUser, err = c.CreateUser(f.ctx, domain.User{Email: "ledamot@demo.example", Name: "Demo Ledamot", Demo: true,
				Roles: []domain.RoleGrant{{Role: domain.RoleMember, CommitteeID: f.cm.ID}}}, "hash")
			if err != nil {
				return err
			}
			f.bjorn.UserID = demoUser.ID
			_, err = c.UpdateMember(f.ctx, f.bjorn)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.setJusterare([]int64{f.chair.ID, f.bjorn.ID}, "2027-02-15"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.approve(demoUser, "A"); err != nil {
			t.Errorf("a demo user while demo mode is on: %v", err)
		}
		// Demo mode ends when the demo users are disabled.
		if err := f.change(func(c *store.Conn) error { return c.SetDisabled(f.ctx, demoUser.ID, true) }); err != nil {
			t.Fatal(err)
		}
		_, err := f.approve(demoUser, "B")
		wantCode(t, "a disabled demo user", err, domain.EFORBIDDEN, "")
	})
}

func TestLockImportedMinutes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		old := f.meetingOn(t, "2020-05-29")
		lock := func() (meeting.Justering, error) {
			var j meeting.Justering
			err := f.change(func(c *store.Conn) error {
				var err error
				j, err = c.LockImportedMinutes(f.ctx, old.ID, fixedHash("1920"))
				return err
			})
			return j, err
		}
		_, err := lock()
		wantCode(t, "minutes without paragraphs", err, domain.ECONFLICT, "inga paragrafer")
		if _, err := f.tryImport(meeting.Paragraph{MeetingID: old.ID, Number: 14, Title: "Revisionsrapport"}); err != nil {
			t.Fatal(err)
		}
		j, err := lock()
		if err != nil || !j.Locked() || j.SHA256 != hashOf("1920") || len(j.Justerare) != 0 {
			t.Fatalf("imported minutes locked = %+v, %v", j, err)
		}
		_, err = lock()
		wantCode(t, "locking twice", err, domain.ECONFLICT, "justerat och låst")
		var announced meeting.Justering
		if err := f.change(func(c *store.Conn) error {
			var err error
			announced, err = c.SetAnnouncedOn(f.ctx, old.ID, domain.MustDate("2020-06-03"), domain.MustDate("2026-01-01"))
			return err
		}); err != nil || announced.AppealEnds() != domain.MustDate("2020-06-24") {
			t.Errorf("anslag of imported minutes = %+v, %v", announced, err)
		}
	})
}
