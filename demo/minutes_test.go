package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestDemoMinutes loads the demo and the historical minutes (twice: the
// second time adds nothing), whether or not Load brings them in itself.
func TestDemoMinutes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		for range 2 {
			if _, err := Load(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.InTx(ctx, func(c *store.Conn) error { _, err := loadMinutes(ctx, c, false, nil); return err }); err != nil {
				t.Fatal(err)
			}
		}
		c := db.Conn()
		cm, err := c.CommitteeByCode(ctx, CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			year, number int
			day, title   string
			caseNumber   string
		}{
			{2019, 38, "2019-12-06", "Svenskt ramverk för digitalisering i samverkan", "GNS/14/2019"},
			{2020, 8, "2020-02-14", "Återstående medel från 2018", "GNS/2/2020"},
			{2020, 14, "2020-05-29", "Revisionsrapport granskning av gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner", "GNS/6/2020"},
		} {
			p, err := c.ParagraphByNumber(ctx, cm.ID, tt.year, tt.number)
			if err != nil {
				t.Fatalf("§ %d/%d: %v", tt.number, tt.year, err)
			}
			m, err := c.MeetingByID(ctx, p.MeetingID)
			if err != nil || m.Date.String() != tt.day || !m.Locked() || p.Title != tt.title || p.CaseNumber != tt.caseNumber {
				t.Errorf("§ %d/%d = %q of %s in the meeting of %s (locked %v), %v", tt.number, tt.year, p.Title, p.CaseNumber, m.Date, m.Locked(), err)
			}
			// The hash recorded is that of the justeringsexemplar as GNS
			// builds it from the locked minutes.
			if sum, err := protokoll.ExemplarHash(ctx, c, cm, m.ID); err != nil || sum != m.MinutesSHA256 {
				t.Errorf("the minutes of %s: hash %s, recorded %s, %v", m.Date, sum, m.MinutesSHA256, err)
			}
		}
		p14, _ := c.ParagraphByNumber(ctx, cm.ID, 2020, 14)
		if len(p14.Motions) != 1 || p14.Motions[0].MemberName != "Susanne Hansson (S)" ||
			!strings.Contains(p14.PropositionOrder, "Ordförande ställer proposition på Susanne Hanssons yrkande") || len(p14.DecisionPoints()) != 2 {
			t.Errorf("§ 14/2020 = %+v", p14)
		}
		p38, _ := c.ParagraphByNumber(ctx, cm.ID, 2019, 38)
		if len(p38.DispatchTo) != len(Parties) {
			t.Errorf("§ 38/2019 goes to %d recipients, want the nine parties", len(p38.DispatchTo))
		}
		// The historical numbers raised the counters: the constructed
		// December 2020 minutes begin at § 15, one paragraph per case of the
		// kallelse (items 3–11), ending at § 23.
		p15, err := c.ParagraphByNumber(ctx, cm.ID, 2020, 15)
		if err != nil || p15.CaseNumber != "GNS/10/2020" {
			t.Errorf("§ 15/2020 = %+v, %v", p15, err)
		}
		if _, err := c.ParagraphByNumber(ctx, cm.ID, 2020, 24); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("§ 24/2020 exists: %v", err)
		}

		// December withdrew the two uppdrag and gave one.
		open, err := c.Assignments(ctx, meeting.AssignmentFilter{CommitteeID: cm.ID, Open: true})
		if err != nil || len(open) != 1 || open[0].CaseNumber != "GNS/11/2018" || open[0].Assignee != "Regiondirektören" {
			t.Fatalf("open assignments = %+v, %v", open, err)
		}
		withdrawn, err := c.Assignments(ctx, meeting.AssignmentFilter{CommitteeID: cm.ID, Status: meeting.AssignmentWithdrawn})
		if err != nil || len(withdrawn) != 2 || withdrawn[0].Given != "§ 38/2019" || withdrawn[1].Given != "§ 14/2020" ||
			withdrawn[0].Withdrawn != "§ 19/2020" || withdrawn[1].Withdrawn != "§ 17/2020" {
			t.Fatalf("withdrawn assignments = %+v, %v", withdrawn, err)
		}
		dec, err := c.Meetings(ctx, cm.ID, 2020)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range dec {
			if m.Date == December2020.Date {
				// Both were to report back in December, which withdrew them.
				due, err := c.AssignmentsForMeeting(ctx, m.ID)
				if err != nil || len(due) != 0 || withdrawn[0].ReportMeetingID != m.ID || withdrawn[1].ReportMeetingID != m.ID {
					t.Errorf("assignments still to report back in December 2020 = %v, %v", due, err)
				}
				if m.MinutesNotice != ConstructedNotice || !m.Locked() {
					t.Errorf("the December minutes: notice %q, locked %v", m.MinutesNotice, m.Locked())
				}
			}
		}
		// The December 2020 minutes closed GNS/6/2020.
		k, _ := c.CaseByID(ctx, p14.CaseID)
		if k.Status != domain.CaseClosed {
			t.Errorf("GNS/6/2020 = %s, want closed", k.Status)
		}
	})
}
