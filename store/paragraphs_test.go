package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// minutesFixture is a committee with members, two member users linked to
// the chair and the vice chair, a secretariat user, cases and a meeting on
// Monday 8 February 2027 with its attendance recorded: the chair, the vice
// chair and Björn Hammarberg present, Therese Kärngård absent with Bo
// Karlsson serving for her, Maria Jakobsson present without serving.
type minutesFixture struct {
	db        *store.DB
	ctx       context.Context
	cm, other domain.Committee
	// chair .. maria are the members; chairUser and viceUser the users
	// linked to the chair and the vice chair.
	chair, vice, bjorn, therese, bo, maria domain.Member
	chairUser, viceUser, secretary         domain.User
	budget, revision                       domain.Case
	mtg                                    meeting.Meeting
}

func newMinutesFixture(t *testing.T, db *store.DB) *minutesFixture {
	t.Helper()
	f := &minutesFixture{db: db, ctx: domain.WithActor(context.Background(), domain.Actor{Label: "test"})}
	term := domain.MustDate("2023-01-01")
	err := db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		if f.cm, err = c.CreateCommittee(f.ctx, domain.Committee{Code: "GNS", Name: "Gemensam nämnd för samverkan", StartedOn: domain.MustDate("2018-07-01")}); err != nil {
			return err
		}
		if f.other, err = c.CreateCommittee(f.ctx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnden", StartedOn: domain.MustDate("2019-01-01")}); err != nil {
			return err
		}
		user := func(email, name string, role domain.Role) domain.User {
			if err != nil {
				return domain.User{}
			}
			var u domain.User
			u, err = c.CreateUser(f.ctx, domain.User{Email: email, Name: name, Roles: []domain.RoleGrant{{Role: role, CommitteeID: f.cm.ID}}}, "hash")
			return u
		}
		f.secretary = user("sofia@example.se", "Sofia Nordin", domain.RoleSecretariat)
		f.chairUser = user("robert@example.se", "Robert Hamberg", domain.RoleMember)
		f.viceUser = user("susanne@example.se", "Susanne Hansson", domain.RoleMember)
		member := func(name, party string, role domain.MemberRole, userID int64) domain.Member {
			if err != nil {
				return domain.Member{}
			}
			var m domain.Member
			m, err = c.CreateMember(f.ctx, domain.Member{CommitteeID: f.cm.ID, Name: name, PoliticalParty: party, Role: role, From: term, UserID: userID})
			return m
		}
		f.chair = member("Robert Hamberg", "M", domain.MemberChair, f.chairUser.ID)
		f.vice = member("Susanne Hansson", "S", domain.MemberViceChair, f.viceUser.ID)
		f.bjorn = member("Björn Hammarberg", "M", domain.MemberOrdinary, 0)
		f.therese = member("Therese Kärngård", "S", domain.MemberOrdinary, 0)
		f.bo = member("Bo Karlsson", "C", domain.MemberSubstitute, 0)
		f.maria = member("Maria Jakobsson", "S", domain.MemberSubstitute, 0)
		if err != nil {
			return err
		}
		for _, u := range []domain.User{f.chairUser, f.viceUser} {
			if err := c.EnableTOTP(f.ctx, u.ID, "sealed", 1, nil); err != nil {
				return err
			}
		}
		day := domain.MustDate("2027-01-10")
		if f.budget, err = c.RegisterCase(f.ctx, f.cm, domain.Case{Title: "Budget 2028", RegisteredOn: day}); err != nil {
			return err
		}
		if f.revision, err = c.RegisterCase(f.ctx, f.cm, domain.Case{Title: "Revisionsrapport", RegisteredOn: day}); err != nil {
			return err
		}
		f.mtg, err = c.CreateMeeting(f.ctx, meeting.Meeting{CommitteeID: f.cm.ID, Date: domain.MustDate("2027-02-08"), StartTime: "09:00",
			EndTime: "12:00", Place: "Lillsjöhögen", Purpose: meeting.PurposeAnnualAccounts, Municipalities: true})
		if err != nil {
			return err
		}
		_, err = c.SetAttendance(f.ctx, f.mtg.ID, []meeting.Attendance{
			{MemberID: f.chair.ID, Present: true}, {MemberID: f.vice.ID, Present: true}, {MemberID: f.bjorn.ID, Present: true},
			{MemberID: f.bo.ID, Present: true, ServingFor: f.therese.ID}, {MemberID: f.maria.ID, Present: true},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// change runs fn in a transaction as the fixture's actor.
func (f *minutesFixture) change(fn func(c *store.Conn) error) error { return f.db.InTx(f.ctx, fn) }

// meetingOn plans another meeting of the committee.
func (f *minutesFixture) meetingOn(t *testing.T, day string) meeting.Meeting {
	t.Helper()
	var m meeting.Meeting
	err := f.change(func(c *store.Conn) error {
		var err error
		m, err = c.CreateMeeting(f.ctx, meeting.Meeting{CommitteeID: f.cm.ID, Date: domain.MustDate(day), StartTime: "09:00", EndTime: "12:00",
			Purpose: meeting.PurposeOther, Municipalities: false})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *minutesFixture) tryParagraph(p meeting.Paragraph, closeCase bool) (meeting.Paragraph, error) {
	if p.MeetingID == 0 {
		p.MeetingID = f.mtg.ID
	}
	var out meeting.Paragraph
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.CreateParagraph(f.ctx, p, closeCase)
		return err
	})
	return out, err
}

func (f *minutesFixture) paragraph(t *testing.T, p meeting.Paragraph) meeting.Paragraph {
	t.Helper()
	out, err := f.tryParagraph(p, false)
	if err != nil {
		t.Fatalf("create paragraph %q: %v", p.Title, err)
	}
	return out
}

func (f *minutesFixture) tryImport(p meeting.Paragraph) (meeting.Paragraph, error) {
	var out meeting.Paragraph
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.ImportParagraph(f.ctx, p)
		return err
	})
	return out, err
}

// rows counts the rows of the minutes tables, the case timeline and the
// audit trail, and shows the paragraph counters, to prove that a refused
// change wrote nothing.
func (f *minutesFixture) rows(t *testing.T) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"paragraphs", "motions", "votes", "meeting_justerare", "assignments", "assignment_events", "case_events", "audit_log"} {
		var n int
		if err := f.db.SQL().QueryRowContext(f.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", table, n))
	}
	rows, err := f.db.SQL().QueryContext(f.ctx, "SELECT year, last_number FROM paragraph_counters ORDER BY committee_id, year")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var year, last int
		rows.Scan(&year, &last)
		parts = append(parts, fmt.Sprintf("%d:%d", year, last))
	}
	var locked, sha, approved string
	f.db.SQL().QueryRowContext(f.ctx, "SELECT COALESCE(CAST(locked_at AS TEXT), ''), COALESCE(minutes_sha256, '') FROM meetings WHERE id = "+fmt.Sprint(f.mtg.ID)).Scan(&locked, &sha)
	f.db.SQL().QueryRowContext(f.ctx, "SELECT COUNT(approved_at) FROM meeting_justerare").Scan(&approved)
	return strings.Join(parts, " ") + " locked=" + locked + sha + " approved=" + approved
}

// lockDirectly locks the fixture meeting's minutes with SQL, as a justering
// would, for the tests of what locked minutes refuse.
func (f *minutesFixture) lockDirectly(t *testing.T) {
	t.Helper()
	if _, err := f.db.SQL().ExecContext(f.ctx, "UPDATE meetings SET locked_at = updated_at, minutes_sha256 = 'abc' WHERE id = "+fmt.Sprint(f.mtg.ID)); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, name string, err error, code, msg string) {
	t.Helper()
	if domain.ErrorCode(err) != code || !strings.Contains(domain.ErrorMessage(err), msg) {
		t.Errorf("%s: error = %v, want %s with %q", name, err, code, msg)
	}
}

func TestParagraphNumbering(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		first := f.paragraph(t, meeting.Paragraph{Title: "Fastställande av föredragningslista", Decision: "Föredragningslistan fastställs."})
		second := f.paragraph(t, meeting.Paragraph{Title: "Val av justerare"})
		may := f.meetingOn(t, "2027-05-03")
		third := f.paragraph(t, meeting.Paragraph{MeetingID: may.ID, Title: "Tertialrapport"})
		nextYear := f.meetingOn(t, "2028-02-07")
		fresh := f.paragraph(t, meeting.Paragraph{MeetingID: nextYear.ID, Title: "Årsbokslut 2027"})
		for _, tt := range []struct {
			got  meeting.Paragraph
			want string
		}{{first, "§ 1/2027"}, {second, "§ 2/2027"}, {third, "§ 3/2027"}, {fresh, "§ 1/2028"}} {
			if tt.got.Ref() != tt.want {
				t.Errorf("paragraph %q = %s, want %s", tt.got.Title, tt.got.Ref(), tt.want)
			}
		}
		other := f.meetingOnCommittee(t, f.other, "2027-02-12")
		if p := f.paragraph(t, meeting.Paragraph{MeetingID: other.ID, Title: "Upphandling"}); p.Ref() != "§ 1/2027" {
			t.Errorf("the other committee's first paragraph = %s", p.Ref())
		}
		got, err := db.Conn().MeetingParagraphs(f.ctx, f.mtg.ID)
		if err != nil || len(got) != 2 || got[0].Number != 1 || got[1].Number != 2 || got[0].Decision != "Föredragningslistan fastställs." {
			t.Errorf("MeetingParagraphs = %+v, %v", got, err)
		}
		if p, err := db.Conn().ParagraphByNumber(f.ctx, f.cm.ID, 2027, 3); err != nil || p.ID != third.ID {
			t.Errorf("ParagraphByNumber(3/2027) = %+v, %v", p, err)
		}
		if _, err := db.Conn().ParagraphByNumber(f.ctx, f.cm.ID, 2027, 4); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("ParagraphByNumber(4/2027) error = %v", err)
		}
		if _, err := db.Conn().ParagraphByID(f.ctx, 999999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("ParagraphByID(999999) error = %v", err)
		}

		// Numbering a paragraph twice is impossible: the unique constraint
		// holds even against SQL that bypasses the store.
		_, err = db.SQL().ExecContext(f.ctx, `INSERT INTO paragraphs (committee_id, meeting_id, year, number, title, created_at, updated_at)
			SELECT committee_id, meeting_id, year, number, 'Dubblett', created_at, updated_at FROM paragraphs WHERE id = `+fmt.Sprint(first.ID))
		if err == nil {
			t.Error("a second § 1/2027 was stored")
		}
		// A paragraph is never deleted.
		if _, err := db.SQL().ExecContext(f.ctx, `DELETE FROM paragraphs WHERE id = `+fmt.Sprint(first.ID)); err == nil {
			t.Error("a paragraph was deleted")
		}
	})
}

func (f *minutesFixture) meetingOnCommittee(t *testing.T, cm domain.Committee, day string) meeting.Meeting {
	t.Helper()
	var m meeting.Meeting
	if err := f.change(func(c *store.Conn) error {
		var err error
		m, err = c.CreateMeeting(f.ctx, meeting.Meeting{CommitteeID: cm.ID, Date: domain.MustDate(day), StartTime: "13:00", EndTime: "15:00", Purpose: meeting.PurposeOther})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestConcurrentParagraphs writes 40 paragraphs at once into two meetings of
// the same year: they get § 1 to § 40, each once, with no gap, and a refused
// paragraph in between leaves no gap either.
func TestConcurrentParagraphs(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		may := f.meetingOn(t, "2027-05-03")
		const n = 40
		numbers := make([]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				mtg := f.mtg.ID
				if i%2 == 1 {
					mtg = may.ID
				}
				p, err := f.tryParagraph(meeting.Paragraph{MeetingID: mtg, Title: fmt.Sprintf("Punkt %d", i)}, false)
				numbers[i], errs[i] = p.Number, err
			}()
		}
		// A refused paragraph (a vote by someone not serving) among them.
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := f.tryParagraph(meeting.Paragraph{Title: "Fel", Votes: map[int64]meeting.Vote{f.maria.ID: meeting.VoteYes}}, false); err == nil {
				t.Error("a vote by a member not serving was accepted")
			}
		}()
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("paragraph %d: %v", i, err)
			}
		}
		sort.Ints(numbers)
		for i, got := range numbers {
			if got != i+1 {
				t.Fatalf("numbers = %v, want 1 … %d, each once", numbers, n)
			}
		}
		if p := f.paragraph(t, meeting.Paragraph{Title: "Efteråt"}); p.Number != n+1 {
			t.Errorf("next number after %d = %d", n, p.Number)
		}
	})
}

func TestImportParagraph(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		old := f.meetingOn(t, "2019-12-06")
		imported, err := f.tryImport(meeting.Paragraph{MeetingID: old.ID, Number: 38, CaseID: f.budget.ID, Title: "Svenskt ramverk för digitalisering i samverkan",
			Decision: "1. Ställer sig positiv.\n2. E-strateg får i uppdrag att bistå parterna.", DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientParties}}})
		if err != nil {
			t.Fatal(err)
		}
		if imported.Ref() != "§ 38/2019" || imported.CaseNumber != f.budget.Number.String() || len(imported.DecisionPoints()) != 2 {
			t.Errorf("imported = %+v", imported)
		}
		if k, _ := db.Conn().CaseByID(f.ctx, f.budget.ID); k.Status != domain.CaseRegistered {
			t.Errorf("an imported paragraph changed the case's status to %s", k.Status)
		}
		// A lower number is free; the counter stays at 38.
		if p, err := f.tryImport(meeting.Paragraph{MeetingID: old.ID, Number: 12, Title: "Tidigare paragraf"}); err != nil || p.Number != 12 {
			t.Errorf("import § 12 = %v, %v", p.Ref(), err)
		}
		before := f.rows(t)
		for name, p := range map[string]meeting.Paragraph{
			"a taken number":  {MeetingID: old.ID, Number: 38, Title: "Dubblett"},
			"number zero":     {MeetingID: old.ID, Number: 0, Title: "Noll"},
			"no title":        {MeetingID: old.ID, Number: 40},
			"unknown meeting": {MeetingID: 999999, Number: 41, Title: "x"},
		} {
			if _, err := f.tryImport(p); err == nil {
				t.Errorf("import with %s accepted", name)
			}
		}
		_, err = f.tryImport(meeting.Paragraph{MeetingID: old.ID, Number: 38, Title: "Dubblett"})
		wantCode(t, "a taken number", err, domain.ECONFLICT, "§ 38/2019 finns redan")
		if after := f.rows(t); after != before {
			t.Errorf("refused imports changed the data:\n%s\n%s", before, after)
		}
		if p := f.paragraph(t, meeting.Paragraph{MeetingID: old.ID, Title: "Ny efter import"}); p.Ref() != "§ 39/2019" {
			t.Errorf("the paragraph after the import = %s, want § 39/2019", p.Ref())
		}
	})
}

func TestParagraphMovesItsCase(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		var item meeting.AgendaItem
		if err := f.change(func(c *store.Conn) error {
			var err error
			item, err = c.AddAgendaItem(f.ctx, f.mtg.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: f.budget.ID, Proposal: "Budgeten fastställs."})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		p := f.paragraph(t, meeting.Paragraph{AgendaItemID: item.ID, Title: "Budget 2028", Decision: "Budgeten fastställs.",
			DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientRole, Role: "Ekonom"}, {Kind: meeting.RecipientParties}}})
		if p.CaseID != f.budget.ID || p.CaseNumber != "GNS/1/2027" || p.AgendaItemID != item.ID {
			t.Errorf("paragraph from the agenda item = %+v", p)
		}
		if got := store.EncodeRecipients(p.DispatchTo); got != `["parties","role:Ekonom"]` {
			t.Errorf("recipients = %s", got)
		}
		k, _ := db.Conn().CaseByID(f.ctx, f.budget.ID)
		events, _ := db.Conn().CaseEvents(f.ctx, f.budget.ID)
		last := events[len(events)-1]
		if k.Status != domain.CaseDecided || last.ToStatus != domain.CaseDecided || !strings.Contains(last.Note, "Beslut i § 1/2027, sammanträdet den 2027-02-08") {
			t.Errorf("case after the paragraph: %s, last event %+v", k.Status, last)
		}
		before := f.rows(t)
		_, err := f.tryParagraph(meeting.Paragraph{AgendaItemID: item.ID, Title: "Igen"}, false)
		wantCode(t, "the same agenda item twice", err, domain.ECONFLICT, "redan protokollförd")
		_, err = f.tryParagraph(meeting.Paragraph{AgendaItemID: item.ID, CaseID: f.revision.ID, Title: "Fel ärende"}, false)
		wantCode(t, "an item with another case", err, domain.EINVALID, "hör till punktens ärende")
		_, err = f.tryParagraph(meeting.Paragraph{CaseID: 999999, Title: "Inget ärende"}, false)
		wantCode(t, "an unknown case", err, domain.EINVALID, "finns inte bland nämndens ärenden")
		_, err = f.tryParagraph(meeting.Paragraph{Title: "Okänd part", DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientParty, Party: "oslo"}}}, false)
		wantCode(t, "an unknown party", err, domain.EINVALID, "är inte part i nämnden")
		if after := f.rows(t); after != before {
			t.Errorf("refused paragraphs changed the data:\n%s\n%s", before, after)
		}

		// A decision that ends the case closes it; a closed case gets no
		// new decision.
		closing, err := f.tryParagraph(meeting.Paragraph{CaseID: f.revision.ID, Title: "Revisionsrapport", Decision: "Ärendet avslutas."}, true)
		if err != nil {
			t.Fatal(err)
		}
		if k, _ := db.Conn().CaseByID(f.ctx, f.revision.ID); k.Status != domain.CaseClosed {
			t.Errorf("case after a closing paragraph = %s", k.Status)
		}
		_, err = f.tryParagraph(meeting.Paragraph{CaseID: f.revision.ID, Title: "Igen"}, false)
		wantCode(t, "a closed case", err, domain.EINVALID, "är avslutat")
		if list, err := db.Conn().CaseParagraphs(f.ctx, f.revision.ID); err != nil || len(list) != 1 || list[0].ID != closing.ID {
			t.Errorf("CaseParagraphs = %v, %v", list, err)
		}
	})
}

func TestMotionsAndVotes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		serving := map[int64]meeting.Vote{f.chair.ID: meeting.VoteYes, f.vice.ID: meeting.VoteNo, f.bjorn.ID: meeting.VoteYes, f.bo.ID: meeting.VoteAbstain}
		p := f.paragraph(t, meeting.Paragraph{
			Title: "Revisionsrapport", Proposal: "Nämnden lägger rapporten till handlingarna.",
			Motions:           []meeting.Motion{{MemberID: f.vice.ID, Text: "Susanne Hansson (S) yrkar följande i en beslutspunkt 2: Nämnden uppdrar till regiondirektören att åtgärda bristerna."}},
			PropositionOrder:  "Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.",
			PropositionResult: "Antaget", Votes: serving, Reservations: "Björn Hammarberg (M) reserverar sig mot beslutet.",
		})
		if p.Count == nil || *p.Count != (meeting.VoteCount{Yes: 2, No: 1, Abstain: 1}) || len(p.Votes) != 4 || p.Votes[f.bo.ID] != meeting.VoteAbstain {
			t.Errorf("votering = %v %v", p.Count, p.Votes)
		}
		if len(p.Motions) != 1 || p.Motions[0].MemberName != "Susanne Hansson (S)" {
			t.Errorf("yrkanden = %+v", p.Motions)
		}

		before := f.rows(t)
		without := func(id int64) map[int64]meeting.Vote {
			out := map[int64]meeting.Vote{}
			for k, v := range serving {
				if k != id {
					out[k] = v
				}
			}
			return out
		}
		with := func(id int64, v meeting.Vote) map[int64]meeting.Vote {
			out := without(0)
			out[id] = v
			return out
		}
		for _, tt := range []struct {
			name string
			p    meeting.Paragraph
			msg  string
		}{
			{"a serving member without a vote", meeting.Paragraph{Title: "x", Votes: without(f.bo.ID)}, "Bo Karlsson (C) tjänstgör men saknar röst. Antalet röster (3) stämmer inte med antalet tjänstgörande (4)"},
			{"a vote by an ersättare not serving", meeting.Paragraph{Title: "x", Votes: with(f.maria.ID, meeting.VoteYes)}, "Maria Jakobsson (S) tjänstgör inte"},
			{"a vote by the absent ledamot", meeting.Paragraph{Title: "x", Votes: with(f.therese.ID, meeting.VoteNo)}, "Therese Kärngård (S) tjänstgör inte"},
			{"an unknown vote", meeting.Paragraph{Title: "x", Votes: with(f.chair.ID, "kanske")}, "Okänd röst"},
			{"a yrkande by an ersättare not serving", meeting.Paragraph{Title: "x", Motions: []meeting.Motion{{MemberID: f.maria.ID, Text: "Avslag"}}}, "tjänstgör inte vid § 2/2027 och kan inte yrka"},
			{"a yrkande by someone unknown", meeting.Paragraph{Title: "x", Motions: []meeting.Motion{{MemberID: 999999, Text: "Avslag"}}}, "finns inte i nämnden"},
			{"a yrkande without text", meeting.Paragraph{Title: "x", Motions: []meeting.Motion{{MemberID: f.chair.ID}}}, "skriv vad som yrkas"},
		} {
			_, err := f.tryParagraph(tt.p, false)
			wantCode(t, tt.name, err, domain.EINVALID, tt.msg)
		}
		if after := f.rows(t); after != before {
			t.Errorf("refused paragraphs changed the data:\n%s\n%s", before, after)
		}

		// Members who come and go: Björn leaves after § 2, so at § 3 he has
		// no vote, and the count checks the three who serve.
		if err := f.change(func(c *store.Conn) error {
			_, err := c.SetAttendance(f.ctx, f.mtg.ID, []meeting.Attendance{
				{MemberID: f.chair.ID, Present: true}, {MemberID: f.vice.ID, Present: true}, {MemberID: f.bjorn.ID, Present: true, LeftAfter: 2},
				{MemberID: f.bo.ID, Present: true, ServingFor: f.therese.ID}, {MemberID: f.maria.ID, Present: true},
			})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.paragraph(t, meeting.Paragraph{Title: "§ 2"})
		_, err := f.tryParagraph(meeting.Paragraph{Title: "§ 3", Votes: serving}, false)
		wantCode(t, "a vote by a member who left", err, domain.EINVALID, "Björn Hammarberg (M) tjänstgör inte")
		third := f.paragraph(t, meeting.Paragraph{Title: "§ 3", Votes: without(f.bjorn.ID)})
		if third.Number != 3 || *third.Count != (meeting.VoteCount{Yes: 1, No: 1, Abstain: 1}) {
			t.Errorf("§ 3 = %d, %v", third.Number, third.Count)
		}

		// Changing the paragraph: the votering goes, a yrkande is added.
		p.Votes = nil
		p.Motions = append(p.Motions, meeting.Motion{MemberID: f.chair.ID, Text: "Bifall till förslaget."})
		var updated meeting.Paragraph
		if err := f.change(func(c *store.Conn) error {
			var err error
			updated, err = c.UpdateParagraph(f.ctx, p)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if updated.Count != nil || len(updated.Votes) != 0 || len(updated.Motions) != 2 || updated.Motions[1].MemberName != "Robert Hamberg (M)" || updated.Number != 1 {
			t.Errorf("updated = %+v", updated)
		}
		entries, _, _ := db.Conn().AuditEntries(f.ctx, domain.AuditFilter{Entity: "paragraph"})
		if len(entries) != 4 || entries[0].Action != "update" || !strings.Contains(string(entries[0].Before), `"ja"`) {
			t.Errorf("audit trail of paragraphs = %d entries, first %+v", len(entries), entries[0])
		}
	})
}

func TestLockedMinutesRefuseChange(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Budget 2028", Decision: "Budgeten fastställs.", Motions: []meeting.Motion{{MemberID: f.vice.ID, Text: "Bifall"}},
			Votes: map[int64]meeting.Vote{f.chair.ID: meeting.VoteYes, f.vice.ID: meeting.VoteYes, f.bjorn.ID: meeting.VoteNo, f.bo.ID: meeting.VoteYes}})
		f.lockDirectly(t)
		before := f.rows(t)

		p.Decision = "Budgeten fastställs inte."
		err := f.change(func(c *store.Conn) error { _, err := c.UpdateParagraph(f.ctx, p); return err })
		wantCode(t, "updating a locked paragraph", err, domain.ECONFLICT, "justerat och låst")
		_, err = f.tryParagraph(meeting.Paragraph{Title: "Efterhand"}, false)
		wantCode(t, "a new paragraph in locked minutes", err, domain.ECONFLICT, "justerat och låst")
		_, err = f.tryImport(meeting.Paragraph{MeetingID: f.mtg.ID, Number: 50, Title: "Efterhand"})
		wantCode(t, "an imported paragraph in locked minutes", err, domain.ECONFLICT, "justerat och låst")

		// The database itself refuses, whatever program asks.
		id := fmt.Sprint(p.ID)
		for _, q := range []string{
			`UPDATE paragraphs SET decision = 'Ändrat i efterhand' WHERE id = ` + id,
			`UPDATE motions SET text = 'Ändrat' WHERE paragraph_id = ` + id,
			`DELETE FROM motions WHERE paragraph_id = ` + id,
			`UPDATE votes SET vote = 'nej' WHERE paragraph_id = ` + id,
			`DELETE FROM votes WHERE paragraph_id = ` + id,
			`INSERT INTO votes (paragraph_id, member_id, vote) VALUES (` + id + `, ` + fmt.Sprint(f.maria.ID) + `, 'ja')`,
			`UPDATE meetings SET minutes_sha256 = 'annat' WHERE id = ` + fmt.Sprint(f.mtg.ID),
			`UPDATE meetings SET place = 'Annan plats' WHERE id = ` + fmt.Sprint(f.mtg.ID),
			`UPDATE meeting_attendance SET present = FALSE WHERE meeting_id = ` + fmt.Sprint(f.mtg.ID),
		} {
			if _, err := db.SQL().ExecContext(f.ctx, q); err == nil {
				t.Errorf("the database accepted %s", q)
			}
		}
		if after := f.rows(t); after != before {
			t.Errorf("refused changes changed the data:\n%s\n%s", before, after)
		}
		got, _ := db.Conn().ParagraphByID(f.ctx, p.ID)
		if got.Decision != "Budgeten fastställs." {
			t.Errorf("decision after refused changes = %q", got.Decision)
		}
		var refused *domain.Error
		if !errors.As(err, &refused) {
			t.Errorf("the refusal is not a domain error: %v", err)
		}
	})
}
