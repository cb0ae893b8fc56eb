package web

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// TestBrowserMinutesPages walks the minutes, paragraph, justering and
// assignment pages as the secretariat and as a justerare, at desktop and
// tablet size, checking each for console errors, WCAG 2.1 AA (axe-core) and
// width; and shows a votering that does not add up with its error tied to
// the votering's fieldset.
func TestBrowserMinutesPages(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	m, p, a, byName := justeraMeeting(t, db)
	mins := kit.MinutesURL(m.ID)
	day := m.Date.String()
	pages := map[string][]page{
		"sekretariat@demo.gns.example": {
			{mins, "Protokoll – sammanträde " + meetings.LineOf(m).InText},
			{kit.MeetingURL(m.ID) + "/paragrafer/ny", "Ny paragraf"},
			{kit.ParagraphURL(p.ID), "§ 1 Revisionsrapport (GNS/6/2020)"},
			{kit.ParagraphURL(p.ID) + "/andra", "Ändra " + p.Ref()},
			{"/namnder/GNS/uppdrag", "Öppna uppdrag"},
			{"/namnder/GNS/uppdrag?forsenade=1", "Försenade uppdrag"},
			{kit.AssignmentURL(a.ID), "Uppdrag till Regiondirektören"},
		},
		"ledamot@demo.gns.example": {
			{mins, "Protokoll – sammanträde " + meetings.LineOf(m).InText},
			{kit.MeetingURL(m.ID) + "/justera", "Justera protokollet från " + meetings.LineOf(m).InText},
			{kit.ParagraphURL(p.ID), "§ 1 Revisionsrapport (GNS/6/2020)"},
			{"/namnder/GNS/uppdrag?status=alla", "Alla uppdrag"},
		},
	}
	for email, list := range pages {
		who := email[:strings.IndexByte(email, '@')]
		t.Run(who, func(t *testing.T) {
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			logIn(b, email, "Storsjon-2026-demo")
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, pg := range list {
					b.Open(pg.path)
					wantHeading(t, b, pg.heading)
					b.CheckPage("minutes-" + who + "-" + pageName(strings.NewReplacer("?", "-", "=", "-").Replace(pg.path)))
				}
			}
		})
	}

	t.Run("votering error", func(t *testing.T) {
		b := browsertest.New(t, srv.URL, browsertest.Desktop)
		logIn(b, "sekretariat@demo.gns.example", "Storsjon-2026-demo")
		b.Open(kit.MeetingURL(m.ID) + "/paragrafer/ny")
		b.Fill("#f-title", "Votering i "+day)
		b.Exec(nil, `document.querySelector("#f-vote_`+itoa(byName["Robert Hamberg"].ID)+`").value = "ja"`)
		b.ClickAndWait("main form button[type=submit]")
		if !b.Has(".error-summary a[href='#f-votes']") || !b.Has("fieldset#f-votes #f-votes-error") {
			t.Fatal("the votering that does not add up does not tie its error to the votering")
		}
		b.CheckPage("minutes-votering-error", 400)
	})
}

// justeraMeeting holds, on the demo database, a meeting two weeks ago with
// all ledamöter present, one paragraph with a yrkande and a votering, an
// assignment, and justerare Robert Hamberg and Susanne Hansson, whom the
// demo ledamot is linked to: the minutes the demo ledamot is to justera.
// It returns the members by name too.
func justeraMeeting(t *testing.T, db *store.DB) (meeting.Meeting, meeting.Paragraph, meeting.Assignment, map[string]domain.Member) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	conn := db.Conn()
	cm, err := conn.CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	members, _ := conn.Members(ctx, cm.ID)
	byName := map[string]domain.Member{}
	for _, mb := range members {
		byName[mb.Name] = mb
	}
	ledamot, _, _ := conn.UserForLogin(ctx, "ledamot@demo.gns.example")
	k, err := reopenedRevision(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var m meeting.Meeting
	var p meeting.Paragraph
	var a meeting.Assignment
	err = db.InTx(ctx, func(c *store.Conn) error {
		susanne := byName["Susanne Hansson"]
		susanne.UserID = ledamot.ID
		if _, err := c.UpdateMember(ctx, susanne); err != nil {
			return err
		}
		var err error
		if m, err = c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: cm.ID, Date: recentMonday(), StartTime: "09:00", EndTime: "12:00",
			Place: "Lillsjöhögen, via Teams", Purpose: meeting.PurposeOther, Municipalities: true}); err != nil {
			return err
		}
		var att []meeting.Attendance
		for _, name := range ledamoter {
			att = append(att, meeting.Attendance{MemberID: byName[name].ID, Present: true})
		}
		if _, err := c.SetAttendance(ctx, m.ID, att); err != nil {
			return err
		}
		if _, err := c.AddAgendaItem(ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: k.ID}); err != nil {
			return err
		}
		votes := map[int64]meeting.Vote{}
		for _, name := range ledamoter {
			votes[byName[name].ID] = meeting.VoteYes
		}
		votes[byName["Björn Hammarberg"].ID] = meeting.VoteNo
		if p, err = c.CreateParagraph(ctx, meeting.Paragraph{MeetingID: m.ID, CaseID: k.ID, Title: "Revisionsrapport",
			Summary: "Regionens revisorer granskar årligen all verksamhet.", Proposal: "Rapporten läggs till handlingarna.",
			Motions:          []meeting.Motion{{MemberID: byName["Susanne Hansson"].ID, Text: "Yrkar en beslutspunkt 2."}},
			PropositionOrder: "Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.", Votes: votes,
			Decision:   "1. Rapporten läggs till handlingarna.\n2. Regiondirektören får i uppdrag att åtgärda bristerna.",
			DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientParties}, {Kind: meeting.RecipientRole, Role: "Ekonom"}}}, false); err != nil {
			return err
		}
		if a, err = c.CreateAssignment(ctx, meeting.Assignment{ParagraphID: p.ID, Assignee: "Regiondirektören",
			Description: "Åtgärda bristerna.", DueOn: m.Date.AddDays(7)}); err != nil {
			return err
		}
		_, err = c.SetJusterare(ctx, m.ID, []int64{byName["Robert Hamberg"].ID, byName["Susanne Hansson"].ID}, m.Date.AddDays(3))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, p, a, byName
}
