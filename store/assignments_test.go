package store_test

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func (f *minutesFixture) tryAssignment(a domain.Assignment) (domain.Assignment, error) {
	var out domain.Assignment
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.CreateAssignment(f.ctx, a)
		return err
	})
	return out, err
}

func (f *minutesFixture) setStatus(id int64, to domain.AssignmentStatus, paragraph int64, note string) (domain.Assignment, error) {
	var out domain.Assignment
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.SetAssignmentStatus(f.ctx, id, to, paragraph, note)
		return err
	})
	return out, err
}

// TestAssignmentGivenAndWithdrawn follows the case: an assignment
// given in one meeting, worked on, moved to another assignee, and withdrawn
// by a paragraph of a later meeting; the register shows both paragraphs.
func TestAssignmentGivenAndWithdrawn(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		giving := f.paragraph(t, domain.Paragraph{CaseID: f.revision.ID, Title: "Revisionsrapport",
			Decision: "1. Rapporten läggs till handlingarna.\n2. Regiondirektören får i uppdrag att åtgärda bristerna."})
		may := f.meetingOn(t, "2027-05-03")
		a, err := f.tryAssignment(domain.Assignment{ParagraphID: giving.ID, Assignee: " E-strateg ", Description: "Åtgärda bristerna i revisionsrapporten.",
			DueOn: domain.MustDate("2027-04-30"), ReportMeetingID: may.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.Given != "§ 1/2027" || a.CaseNumber != "GNS/2/2027" || a.Status != domain.AssignmentGiven || a.Assignee != "E-strateg" || a.ReportMeetingID != may.ID {
			t.Errorf("new assignment = %+v", a)
		}
		if _, err := f.tryAssignment(domain.Assignment{ParagraphID: giving.ID, Assignee: "Ekonom", Description: "Följ upp budgeten."}); err != nil {
			t.Fatal(err)
		}

		// Bad input changes nothing.
		before := f.rows(t)
		for _, tt := range []struct {
			name, field, msg string
			a                domain.Assignment
		}{
			{"no paragraph", "paragraph", "finns inte", domain.Assignment{ParagraphID: 999999, Assignee: "E-strateg", Description: "x"}},
			{"no assignee", "assignee", "Ange vem", domain.Assignment{ParagraphID: giving.ID, Description: "x"}},
			{"no description", "description", "Beskriv uppdraget", domain.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg"}},
			{"due before the meeting", "due_on", "innan det gavs", domain.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", DueOn: domain.MustDate("2027-01-01")}},
			{"report to the same meeting", "report_meeting", "senare sammanträde", domain.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", ReportMeetingID: f.meeting.ID}},
			{"report to an unknown meeting", "report_meeting", "senare sammanträde", domain.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", ReportMeetingID: 999999}},
			{"an unknown user", "assignee_user", "aktiv användare", domain.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", AssigneeUserID: 999999}},
		} {
			_, err := f.tryAssignment(tt.a)
			wantFieldError(t, tt.name, err, tt.field, tt.msg)
		}
		_, err = f.setStatus(a.ID, domain.AssignmentWithdrawn, 0, "")
		wantFieldError(t, "withdrawal without a paragraph", err, "paragraph", "återtas genom ett beslut")
		_, err = f.setStatus(a.ID, domain.AssignmentWithdrawn, giving.ID, "")
		wantFieldError(t, "withdrawal by the giving paragraph", err, "paragraph", "kom inte efter § 1/2027")
		_, err = f.setStatus(a.ID, "klar", 0, "")
		wantFieldError(t, "an unknown status", err, "status", "kan inte få status")
		_, err = f.setStatus(a.ID, domain.AssignmentInProgress, 0, strings.Repeat("x", domain.MaxAssignmentEventNote+1))
		wantFieldError(t, "a long note", err, "note", "högst")
		if after := f.rows(t); after != before {
			t.Errorf("refused changes changed the data:\n%s\n%s", before, after)
		}

		if _, err := f.setStatus(a.ID, domain.AssignmentInProgress, 0, "Arbetet har börjat."); err != nil {
			t.Fatal(err)
		}
		var moved domain.Assignment
		if err := f.change(func(c *store.Conn) error {
			var err error
			moved, err = c.ReassignAssignment(f.ctx, a.ID, "Regiondirektören", 0, 0, "Tjänsten som e-strateg är vakant.")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if moved.Assignee != "Regiondirektören" || moved.Status != domain.AssignmentInProgress {
			t.Errorf("reassigned = %+v", moved)
		}
		err = f.change(func(c *store.Conn) error {
			_, err := c.ReassignAssignment(f.ctx, a.ID, "Regiondirektören", 0, 0, "")
			return err
		})
		wantFieldError(t, "the same assignee", err, "assignee", "har redan uppdraget")

		if list, err := db.Conn().AssignmentsForMeeting(f.ctx, may.ID); err != nil || len(list) != 1 || list[0].ID != a.ID || list[0].Assignee != "Regiondirektören" {
			t.Errorf("AssignmentsForMeeting(May) = %v, %v", list, err)
		}

		// A later meeting's paragraph withdraws it.
		withdrawing := f.paragraph(t, domain.Paragraph{MeetingID: may.ID, CaseID: f.revision.ID, Title: "Revisionsrapport, uppföljning",
			Decision: "Uppdraget till regiondirektören återtas och ärendet avslutas."})
		w, err := f.setStatus(a.ID, domain.AssignmentWithdrawn, withdrawing.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != domain.AssignmentWithdrawn || w.Given != "§ 1/2027" || w.Withdrawn != "§ 2/2027" || w.WithdrawnBy != withdrawing.ID {
			t.Errorf("withdrawn = %+v", w)
		}
		_, err = f.setStatus(a.ID, domain.AssignmentCompleted, 0, "")
		wantCode(t, "changing a withdrawn assignment", err, domain.ECONFLICT, "Återtaget")
		err = f.change(func(c *store.Conn) error {
			_, err := c.ReassignAssignment(f.ctx, a.ID, "Ekonom", 0, 0, "")
			return err
		})
		wantCode(t, "reassigning a withdrawn assignment", err, domain.ECONFLICT, "återtaget")

		events, err := db.Conn().AssignmentEvents(f.ctx, a.ID)
		if err != nil || len(events) != 4 {
			t.Fatalf("history = %+v, %v", events, err)
		}
		if e := events[0]; e.Kind != domain.AssignmentEventGiven || e.Paragraph != "§ 1/2027" || e.ToAssignee != "E-strateg" || e.Actor != "test" {
			t.Errorf("given event = %+v", e)
		}
		if e := events[2]; e.Kind != domain.AssignmentEventReassigned || e.FromAssignee != "E-strateg" || e.ToAssignee != "Regiondirektören" || e.Note == "" {
			t.Errorf("reassigned event = %+v", e)
		}
		if e := events[3]; e.Kind != domain.AssignmentEventWithdrawn || e.Paragraph != "§ 2/2027" || e.FromStatus != domain.AssignmentInProgress {
			t.Errorf("withdrawn event = %+v", e)
		}
		given, withdrawn, err := db.Conn().ParagraphAssignments(f.ctx, withdrawing.ID)
		if err != nil || len(given) != 0 || len(withdrawn) != 1 || withdrawn[0].ID != a.ID {
			t.Errorf("ParagraphAssignments(§ 2) = %v, %v, %v", given, withdrawn, err)
		}
		if list, err := db.Conn().AssignmentsForMeeting(f.ctx, may.ID); err != nil || len(list) != 0 {
			t.Errorf("AssignmentsForMeeting(May) after the withdrawal = %v, %v; want none open", list, err)
		}
		names, err := db.Conn().Assignees(f.ctx, f.cm.ID)
		if err != nil || strings.Join(names, ",") != "E-strateg,Ekonom,Regiondirektören" {
			t.Errorf("Assignees = %v, %v", names, err)
		}
	})
}

func TestAssignmentLists(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		p := f.paragraph(t, domain.Paragraph{CaseID: f.budget.ID, Title: "Budget 2028"})
		q := f.paragraph(t, domain.Paragraph{CaseID: f.revision.ID, Title: "Revisionsrapport"})
		mk := func(para domain.Paragraph, assignee, due string) domain.Assignment {
			t.Helper()
			a := domain.Assignment{ParagraphID: para.ID, Assignee: assignee, Description: "Uppdrag till " + assignee}
			if due != "" {
				a.DueOn = domain.MustDate(due)
			}
			out, err := f.tryAssignment(a)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		late := mk(p, "Regiondirektören", "2027-03-01")
		later := mk(q, "Ekonom", "2027-06-01")
		undated := mk(q, "Sekretariatet", "")
		done := mk(p, "Ekonom", "2027-02-20")
		if _, err := f.setStatus(done.ID, domain.AssignmentCompleted, 0, ""); err != nil {
			t.Fatal(err)
		}
		day := domain.MustDate("2027-04-01")
		ids := func(list []domain.Assignment, err error) string {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range list {
				out = append(out, a.Assignee+"@"+a.DueOn.String())
			}
			return strings.Join(out, " ")
		}
		c := db.Conn()
		for _, tt := range []struct {
			name string
			f    domain.AssignmentFilter
			want string
		}{
			{"all, by due date", domain.AssignmentFilter{}, "Ekonom@2027-02-20 Regiondirektören@2027-03-01 Ekonom@2027-06-01 Sekretariatet@"},
			{"open", domain.AssignmentFilter{Open: true}, "Regiondirektören@2027-03-01 Ekonom@2027-06-01 Sekretariatet@"},
			{"overdue", domain.AssignmentFilter{Overdue: true, Today: day}, "Regiondirektören@2027-03-01"},
			{"completed", domain.AssignmentFilter{Status: domain.AssignmentCompleted}, "Ekonom@2027-02-20"},
			{"by assignee, any case", domain.AssignmentFilter{Assignee: "ekonom"}, "Ekonom@2027-02-20 Ekonom@2027-06-01"},
			{"by assignee, part of the name", domain.AssignmentFilter{Assignee: "REGIONDIREKT"}, "Regiondirektören@2027-03-01"},
			{"by case", domain.AssignmentFilter{CaseID: f.revision.ID}, "Ekonom@2027-06-01 Sekretariatet@"},
			{"open by case and assignee", domain.AssignmentFilter{Open: true, CaseID: f.budget.ID, Assignee: "Ekonom"}, ""},
		} {
			tt.f.CommitteeID = f.cm.ID
			if got := ids(c.Assignments(f.ctx, tt.f)); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
			}
		}
		if !late.Overdue(day) || later.Overdue(day) || undated.Overdue(day) {
			t.Error("domain.Assignment.Overdue disagrees with the list")
		}
		counts, err := c.OverdueAssignmentCounts(f.ctx, day)
		if err != nil || counts[f.cm.ID] != 1 || counts[f.other.ID] != 0 {
			t.Errorf("overdue counts = %v, %v", counts, err)
		}
		if list, err := c.Assignments(f.ctx, domain.AssignmentFilter{CommitteeID: f.other.ID}); err != nil || len(list) != 0 {
			t.Errorf("the other committee's register = %v, %v", list, err)
		}
	})
}
