package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// openVote opens a live vote on p in the fixture.
func (f *minutesFixture) openVote(p meeting.Paragraph, kind meeting.VoteKind, secret bool, first, second int64) (meeting.LiveVote, error) {
	var v meeting.LiveVote
	err := f.change(func(c *store.Conn) error {
		var err error
		v, err = c.OpenLiveVote(f.ctx, p.ID, kind, secret, first, second)
		return err
	})
	return v, err
}

func (f *minutesFixture) cast(v meeting.LiveVote, memberID int64, choice meeting.Vote) error {
	return f.change(func(c *store.Conn) error { return c.CastBallot(f.ctx, v.ID, memberID, choice) })
}

func (f *minutesFixture) closeVote(v meeting.LiveVote) (meeting.LiveVote, error) {
	var out meeting.LiveVote
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.CloseLiveVote(f.ctx, v.ID)
		return err
	})
	return out, err
}

func (f *minutesFixture) paragraphByID(t *testing.T, id int64) meeting.Paragraph {
	t.Helper()
	p, err := f.db.Conn().ParagraphByID(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLiveVote(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Budget 2028", Proposal: "Nämnden fastställer budgeten.",
			PropositionOrder: "Ordföranden ställer proposition på förslaget och finner det bifallet. Votering begärs."})
		v, err := f.openVote(p, meeting.VoteOnProposition, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Open() || v.Paragraph != "§ 1/2027" || !strings.Contains(v.Question, "röstar ja") {
			t.Errorf("opened vote = %+v", v)
		}
		_, err = f.openVote(p, meeting.VoteOnProposition, false, 0, 0)
		wantCode(t, "a second open vote on the paragraph", err, domain.ECONFLICT, "pågår redan")

		// Only the serving members vote: Maria is present as an ersättare
		// serving for no one, Therese is absent (Bo serves for her).
		before := f.rows(t)
		wantCode(t, "a present ersättare not serving", f.cast(v, f.maria.ID, meeting.VoteYes), domain.EFORBIDDEN, "Maria Jakobsson (S) tjänstgör inte vid § 1/2027")
		wantCode(t, "an absent ledamot", f.cast(v, f.therese.ID, meeting.VoteYes), domain.EFORBIDDEN, "tjänstgör inte")
		wantCode(t, "an unknown choice", f.cast(v, f.chair.ID, meeting.Vote("kanske")), domain.EINVALID, "ja, nej eller avstår")
		if after := f.rows(t); after != before {
			t.Errorf("refused ballots wrote something:\n%s\n%s", before, after)
		}

		for id, c := range map[int64]meeting.Vote{f.chair.ID: meeting.VoteYes, f.vice.ID: meeting.VoteNo, f.bjorn.ID: meeting.VoteYes} {
			if err := f.cast(v, id, c); err != nil {
				t.Fatal(err)
			}
		}
		// A vote changes until closing.
		if err := f.cast(v, f.bjorn.ID, meeting.VoteNo); err != nil {
			t.Fatal(err)
		}
		// Closing is refused while Bo has not voted; the vote stays open and
		// the paragraph unchanged.
		_, err = f.closeVote(v)
		wantCode(t, "closing with a serving member missing", err, domain.EINVALID, "Bo Karlsson (C) tjänstgör men saknar röst. Antalet röster (3) stämmer inte med antalet tjänstgörande (4).")
		if got, _ := db.Conn().LiveVoteByID(f.ctx, v.ID); !got.Open() {
			t.Errorf("a refused close ended the vote: %+v", got)
		}

		// What was cast is stored: a new connection (as after a restart)
		// reads the ballots.
		ballots, err := db.Conn().LiveBallots(f.ctx, v.ID)
		if err != nil || len(ballots) != 3 || ballots[f.bjorn.ID] != meeting.VoteNo {
			t.Errorf("ballots = %v, %v", ballots, err)
		}
		open, err := db.Conn().OpenLiveVotesForUser(f.ctx, f.chairUser.ID)
		if err != nil || len(open) != 1 || open[0].ID != v.ID {
			t.Errorf("open votes for the chair's user = %+v, %v", open, err)
		}

		if err := f.cast(v, f.bo.ID, meeting.VoteAbstain); err != nil {
			t.Fatal(err)
		}
		closed, err := f.closeVote(v)
		if err != nil {
			t.Fatal(err)
		}
		if closed.Status != meeting.VoteClosed || closed.Count == nil || *closed.Count != (meeting.VoteCount{Yes: 1, No: 2, Abstain: 1}) {
			t.Errorf("closed vote = %+v", closed)
		}
		got := f.paragraphByID(t, p.ID)
		want := map[int64]meeting.Vote{f.chair.ID: meeting.VoteYes, f.vice.ID: meeting.VoteNo, f.bjorn.ID: meeting.VoteNo, f.bo.ID: meeting.VoteAbstain}
		if fmt.Sprint(got.Votes) != fmt.Sprint(want) || got.Count == nil || got.Count.String() != "1 ja, 2 nej, 1 avstår" || got.SecretBallot {
			t.Errorf("paragraph votering = %v %v", got.Votes, got.Count)
		}
		if !strings.HasPrefix(got.PropositionOrder, "Ordföranden ställer proposition") || !strings.Contains(got.PropositionOrder, "Resultat: 1 ja, 2 nej, 1 avstår.") {
			t.Errorf("propositionsordning = %q", got.PropositionOrder)
		}
		wantCode(t, "a ballot after closing", f.cast(v, f.chair.ID, meeting.VoteNo), domain.ECONFLICT, "avslutad")
		_, err = f.closeVote(v)
		wantCode(t, "closing twice", err, domain.ECONFLICT, "redan avslutad")
		if open, _ := db.Conn().OpenLiveVotesForUser(f.ctx, f.chairUser.ID); len(open) != 0 {
			t.Errorf("a closed vote is still offered: %+v", open)
		}

		// A new vote on the paragraph may be opened once the first is
		// closed, and cancelled without touching the paragraph.
		again, err := f.openVote(p, meeting.VoteOnProposition, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.change(func(c *store.Conn) error { _, err := c.CancelLiveVote(f.ctx, again.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if after := f.paragraphByID(t, p.ID); after.PropositionOrder != got.PropositionOrder || after.Count.String() != got.Count.String() {
			t.Errorf("a cancelled vote changed the paragraph: %+v", after)
		}
	})
}

func TestLiveVoteBetweenMotions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Revisionsrapport", Motions: []meeting.Motion{
			{MemberID: f.chair.ID, Text: "Bifall till förslaget."}, {MemberID: f.vice.ID, Text: "Återremiss."}}})
		_, err := f.openVote(p, meeting.VoteBetweenMotions, false, p.Motions[0].ID, p.Motions[0].ID)
		wantCode(t, "the same yrkande twice", err, domain.EINVALID, "två olika yrkanden")
		_, err = f.openVote(p, meeting.VoteBetweenMotions, false, p.Motions[0].ID, 999999)
		wantCode(t, "an yrkande of another paragraph", err, domain.EINVALID, "Välj två av paragrafens yrkanden")
		v, err := f.openVote(p, meeting.VoteBetweenMotions, false, p.Motions[0].ID, p.Motions[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.YesLabel != "Bifall till Robert Hamberg (M):s yrkande" || v.ChoiceLabel(meeting.VoteNo) != "Bifall till Susanne Hansson (S):s yrkande" ||
			v.Question != "Ja för bifall till Robert Hamberg (M):s yrkande, nej för bifall till Susanne Hansson (S):s yrkande." {
			t.Errorf("vote between yrkanden = %+v", v)
		}
	})
}

func TestSecretLiveVote(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Val av vice ordförande"})
		v, err := f.openVote(p, meeting.VoteOnProposition, true, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for id, c := range map[int64]meeting.Vote{f.chair.ID: meeting.VoteYes, f.vice.ID: meeting.VoteYes, f.bjorn.ID: meeting.VoteNo, f.bo.ID: meeting.VoteYes} {
			if err := f.cast(v, id, c); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.closeVote(v); err != nil {
			t.Fatal(err)
		}
		got := f.paragraphByID(t, p.ID)
		if !got.SecretBallot || len(got.Votes) != 0 || got.Count == nil || got.Count.String() != "3 ja, 1 nej, 0 avstår" ||
			!strings.Contains(got.PropositionOrder, "Sluten omröstning") {
			t.Errorf("secret vote in the paragraph = %+v", got)
		}
		// Nothing tells how anyone voted: not the ballots, not the audit
		// trail.
		var chosen, named int
		db.SQL().QueryRowContext(f.ctx, `SELECT COUNT(choice), COUNT(*) FROM live_ballots WHERE vote_id = `+fmt.Sprint(v.ID)).Scan(&chosen, &named)
		if chosen != 0 || named != 4 {
			t.Errorf("after closing, %d of %d ballots keep a choice", chosen, named)
		}
		var leaks int
		db.SQL().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'live_ballot' AND after_json LIKE '%choice%'`).Scan(&leaks)
		if leaks != 0 {
			t.Errorf("%d audit rows tell a secret ballot's choice", leaks)
		}
		// Editing the paragraph keeps the counts the form does not show.
		got.Decision = "Susanne Hansson (S) väljs till vice ordförande."
		if err := f.change(func(c *store.Conn) error { _, err := c.UpdateParagraph(f.ctx, got); return err }); err != nil {
			t.Fatal(err)
		}
		if again := f.paragraphByID(t, p.ID); !again.SecretBallot || again.Count == nil || again.Count.Yes != 3 {
			t.Errorf("an edit lost the secret vote's count: %+v", again)
		}
	})
}

func TestJavNotesAndChangeRequests(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, meeting.Paragraph{Title: "Upphandling", Motions: []meeting.Motion{{MemberID: f.vice.ID, Text: "Bifall."}}})
		jav := func(id int64) error {
			return f.change(func(c *store.Conn) error { return c.DeclareJav(f.ctx, p.ID, id) })
		}
		before := f.rows(t)
		wantCode(t, "jäv of a member with a yrkande", jav(f.vice.ID), domain.EINVALID, "har ett yrkande i § 1/2027")
		if after := f.rows(t); after != before {
			t.Errorf("a refused jäv wrote something:\n%s\n%s", before, after)
		}
		if err := jav(f.bjorn.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "jäv twice", jav(f.bjorn.ID), domain.ECONFLICT, "redan anmält jäv")
		got := f.paragraphByID(t, p.ID)
		if len(got.Jav) != 1 || got.Jav[0].MemberName != "Björn Hammarberg (M)" {
			t.Errorf("jäv = %+v", got.Jav)
		}

		// Björn does not serve at the paragraph: no vote, no place in a
		// typed votering, and the live vote closes without him.
		v, err := f.openVote(got, meeting.VoteOnProposition, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a ballot of a member with jäv", f.cast(v, f.bjorn.ID, meeting.VoteYes), domain.EFORBIDDEN, "har anmält jäv i § 1/2027")
		for _, id := range []int64{f.chair.ID, f.vice.ID, f.bo.ID} {
			if err := f.cast(v, id, meeting.VoteYes); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.closeVote(v); err != nil {
			t.Fatal(err)
		}
		typed := f.paragraphByID(t, p.ID)
		typed.Votes[f.bjorn.ID] = meeting.VoteNo
		err = f.change(func(c *store.Conn) error { _, err := c.UpdateParagraph(f.ctx, typed); return err })
		wantCode(t, "a typed vote of a member with jäv", err, domain.EINVALID, "Björn Hammarberg (M) tjänstgör inte vid paragrafen")

		// Protokollsanteckningar.
		note := func(id int64, text string) error {
			return f.change(func(c *store.Conn) error { _, err := c.AddNote(f.ctx, p.ID, id, text); return err })
		}
		wantCode(t, "an empty note", note(f.chair.ID, "  "), domain.EINVALID, "Skriv protokollsanteckningen")
		wantCode(t, "a note by a member not called", note(999999, "Text"), domain.EINVALID, "kallad till sammanträdet")
		if err := note(f.vice.ID, "Socialdemokraterna vill att uppföljningen redovisas i maj."); err != nil {
			t.Fatal(err)
		}
		if got := f.paragraphByID(t, p.ID); len(got.Notes) != 1 || got.Notes[0].MemberName != "Susanne Hansson (S)" {
			t.Errorf("notes = %+v", got.Notes)
		}

		// Begär ändring.
		err = f.change(func(c *store.Conn) error {
			_, err := c.RequestChange(f.ctx, p.ID, f.chair.ID, f.chairUser.ID, "Stavfel i beslutet.")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := db.Conn().ChangeRequests(f.ctx, f.mtg.ID)
		if err != nil || len(reqs) != 1 || reqs[0].Paragraph != "§ 1/2027" || reqs[0].MemberName != "Robert Hamberg (M)" || reqs[0].Comment != "Stavfel i beslutet." {
			t.Errorf("change requests = %+v, %v", reqs, err)
		}

		// Withdrawn jäv: Björn serves again.
		if err := f.change(func(c *store.Conn) error { return c.WithdrawJav(f.ctx, p.ID, f.bjorn.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := f.paragraphByID(t, p.ID); len(got.Jav) != 0 {
			t.Errorf("withdrawn jäv still in force: %+v", got.Jav)
		}

		// Locked minutes take no jäv or note, and the database refuses them too.
		f.lockDirectly(t)
		wantCode(t, "jäv in locked minutes", jav(f.bjorn.ID), domain.ECONFLICT, "justerat och låst")
		wantCode(t, "a note in locked minutes", note(f.chair.ID, "Sent"), domain.ECONFLICT, "justerat och låst")
		id := fmt.Sprint(p.ID)
		for _, q := range []string{
			`UPDATE paragraph_notes SET text = 'Ändrat' WHERE paragraph_id = ` + id,
			`DELETE FROM paragraph_notes WHERE paragraph_id = ` + id,
			`DELETE FROM paragraph_jav WHERE paragraph_id = ` + id,
			`INSERT INTO paragraph_jav (paragraph_id, member_id, declared_at, declared_by) VALUES (` + id + `, ` + fmt.Sprint(f.chair.ID) + `, CURRENT_TIMESTAMP, 'x')`,
		} {
			if _, err := db.SQL().ExecContext(f.ctx, q); err == nil {
				t.Errorf("the database accepted %s", q)
			}
		}
	})
}

func TestRemoteAttendance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		set := func(list []meeting.Attendance) ([]meeting.Attendance, error) {
			var out []meeting.Attendance
			err := f.change(func(c *store.Conn) error {
				var err error
				out, err = c.SetAttendance(f.ctx, f.mtg.ID, list)
				return err
			})
			return out, err
		}
		att, err := set([]meeting.Attendance{{MemberID: f.chair.ID, Present: true}, {MemberID: f.vice.ID, Present: true, Remote: true},
			{MemberID: f.bjorn.ID, Present: true}, {MemberID: f.bo.ID, Present: true, ServingFor: f.therese.ID, Remote: true}})
		if err != nil {
			t.Fatal(err)
		}
		remote := map[int64]bool{}
		for _, a := range att {
			remote[a.MemberID] = a.Remote
		}
		if !remote[f.vice.ID] || !remote[f.bo.ID] || remote[f.chair.ID] {
			t.Errorf("remote = %v", remote)
		}
		_, err = set([]meeting.Attendance{{MemberID: f.therese.ID, Remote: true}})
		wantCode(t, "an absent member at a distance", err, domain.EINVALID, "Therese Kärngård (S) är inte närvarande och kan inte delta på distans")
	})
}
