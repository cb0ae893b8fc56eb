package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
)

// ConstructedNotice is what every page and PDF of the December 2020 minutes
// says: the seeds hold that meeting's kallelse but not its minutes, so the
// demo builds them from the kallelse's proposals, adopted as proposed, and
// their paragraph numbers are the ones GNS gives, not the original's.
const ConstructedNotice = "Konstruerat för demon – seeds saknar decemberprotokollet. Paragraferna är kallelsens förslag till beslut, antagna som de föreslogs; paragrafnumren är de som GNS gav dem, inte originalprotokollets."

// DecemberAssignments are the uppdrag the December 2020 kallelse proposes to
// give, by case: item 9 moves the data protection officer question to the
// regiondirektör (the e-strateg's post falls vacant).
var DecemberAssignments = map[string]meeting.Assignment{
	"GNS/11/2018": {Assignee: "Regiondirektören",
		Description: "Aktualisera frågan om ett samarbete kring en gemensam DSO och finna en lösning på arbetsgivarfrågan."},
}

// loadDecember writes the minutes of the December 2020 meeting once Load's
// earlier steps have succeeded, unless the meeting has paragraphs or is
// locked or missing: one paragraph per case on the kallelse, in its order,
// with the kallelse's proposal as the decision (adopted as proposed) and its
// "expedieras till"; a case whose decision ends it ("ärendet avslutas") is
// closed; the uppdrag the decisions withdraw are withdrawn by their
// paragraph and the one they give is given; and the minutes are locked. The
// meeting carries ConstructedNotice, which its pages and PDFs show.
func loadDecember(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, m, err := decemberMeeting(ctx, c)
	if err != nil || m.ID == 0 || m.Locked() || m.MinutesNotice != ConstructedNotice {
		return loaded, err
	}
	if existing, err := c.MeetingParagraphs(ctx, m.ID); err != nil || len(existing) > 0 {
		return loaded, err
	}
	items, err := c.AgendaItems(ctx, m.ID)
	if err != nil {
		return loaded, err
	}
	open, err := c.Assignments(ctx, meeting.AssignmentFilter{CommitteeID: cm.ID, Open: true})
	if err != nil {
		return loaded, err
	}
	for _, it := range items {
		if it.Kind != meeting.AgendaCase {
			continue
		}
		p := meeting.Paragraph{CommitteeID: cm.ID, MeetingID: m.ID, AgendaItemID: it.ID, CaseID: it.CaseID, Title: it.Title,
			Summary: it.Description, Proposal: it.Proposal, Decision: it.Proposal, DispatchTo: it.DispatchTo}
		closes := strings.Contains(it.Proposal, "ärendet avslutas")
		stored, err := c.CreateParagraph(ctx, p, closes)
		if err != nil {
			return loaded, fmt.Errorf("demo December minutes, %s: %w", it.CaseNumber, err)
		}
		if strings.Contains(it.Proposal, "återtas") {
			for _, a := range open {
				if a.CaseID == it.CaseID {
					if _, err := c.SetAssignmentStatus(ctx, a.ID, meeting.AssignmentWithdrawn, stored.ID, "Återtaget enligt beslutet."); err != nil {
						return loaded, fmt.Errorf("demo December minutes, withdraw %s: %w", a.Given, err)
					}
				}
			}
		}
		if a, ok := DecemberAssignments[it.CaseNumber]; ok {
			a.ParagraphID = stored.ID
			if _, err := c.CreateAssignment(ctx, a); err != nil {
				return loaded, fmt.Errorf("demo December minutes, assignment of %s: %w", it.CaseNumber, err)
			}
		}
	}
	if err := decemberAttendance(ctx, c, m); err != nil {
		return loaded, fmt.Errorf("demo December minutes, attendance: %w", err)
	}
	if _, err := c.LockImportedMinutes(ctx, m.ID, func(ctx context.Context, c *store.Conn) (string, error) {
		return protokoll.ExemplarHash(ctx, c, cm, m.ID)
	}); err != nil {
		return loaded, fmt.Errorf("demo December minutes: %w", err)
	}
	return true, nil
}

// decemberAttendance records the constructed minutes' attendance: the
// seeds have no minutes of the meeting, so every ledamot the kallelse calls
// is present and serving throughout, and no ersättare is called in.
func decemberAttendance(ctx context.Context, c *store.Conn, m meeting.Meeting) error {
	called, err := c.CalledMembers(ctx, m)
	if err != nil {
		return err
	}
	var list []meeting.Attendance
	for _, mb := range called {
		list = append(list, meeting.Attendance{MemberID: mb.ID, Present: mb.Role != domain.MemberSubstitute})
	}
	_, err = c.SetAttendance(ctx, m.ID, list)
	return err
}

// decemberMeeting returns the demo committee and its December 2020 meeting
// (a zero meeting when it is not planned).
func decemberMeeting(ctx context.Context, c *store.Conn) (domain.Committee, meeting.Meeting, error) {
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return cm, meeting.Meeting{}, err
	}
	id, err := reportMeeting(ctx, c, cm)
	if err != nil || id == 0 {
		return cm, meeting.Meeting{}, err
	}
	m, err := c.MeetingByID(ctx, id)
	return cm, m, err
}

// DecidedIn returns the paragraph of the demo's December 2020 minutes that
// decided case number (e.g. GNS/2/2020), or ENOTFOUND.
func DecidedIn(ctx context.Context, c *store.Conn, number string) (meeting.Paragraph, error) {
	n, err := domain.ParseCaseNumber(number)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	list, err := c.CaseParagraphs(ctx, k.ID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	for _, p := range list {
		if m, err := c.MeetingByID(ctx, p.MeetingID); err == nil && m.Date == December2020.Date {
			return p, nil
		}
	}
	return meeting.Paragraph{}, domain.Errorf(domain.ENOTFOUND, "Decemberprotokollet har ingen paragraf om %s.", number)
}
