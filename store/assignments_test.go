package store_test

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func (f *minutesFixture) tryAssignment(a meeting.Assignment) (meeting.Assignment, error) {
	var out meeting.Assignment
	err := f.change(func(c *store.Conn) error {
		var err error
		out, err = c.CreateAssignment(f.ctx, a)
		return err
	})
	return out, err
}

func (f *minutesFixture) setStatus(id int64, to meeting.AssignmentStatus, paragraph int64, note string) (meeting.Assignment, error) {
	var out meeting.Assignment
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
		giving := f.paragraph(t, meeting.Paragraph{CaseID: f.revision.ID, Title: "Revisionsrapport",
			Decision: "1. Rapporten läggs till handlingarna.\n2. Regiondirektören får i uppdrag att åtgärda bristerna."})
		may := f.meetingOn(t, "2027-05-03")
		a, err := f.tryAssignment(meeting.Assignment{ParagraphID: giving.ID, Assignee: " E-strateg ", Description: "Åtgärda bristerna i revisionsrapporten.",
			DueOn: domain.MustDate("2027-04-30"), ReportMeetingID: may.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.Given != "§ 1/2027" || a.CaseNumber != "GNS/2/2027" || a.Status != meeting.AssignmentGiven || a.Assignee != "E-strateg" || a.ReportMeetingID != may.ID {
			t.Errorf("new assignment = %+v", a)
		}
		if _, err := f.tryAssignment(meeting.Assignment{ParagraphID: giving.ID, Assignee: "Ekonom", Description: "Följ upp budgeten."}); err != nil {
			t.Fatal(err)
		}

		// Bad input changes nothing.
		before := f.rows(t)
		for _, tt := range []struct {
			name, field, msg string
			a                meeting.Assignment
		}{
			{"no paragraph", "paragraph", "finns inte", meeting.Assignment{ParagraphID: 999999, Assignee: "E-strateg", Description: "x"}},
			{"no assignee", "assignee", "Ange vem", meeting.Assignment{ParagraphID: giving.ID, Description: "x"}},
			{"no description", "description", "Beskriv uppdraget", meeting.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg"}},
			{"due before the meeting", "due_on", "innan det gavs", meeting.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", DueOn: domain.MustDate("2027-01-01")}},
			{"report to the same meeting", "report_meeting", "senare sammanträde", meeting.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", ReportMeetingID: f.mtg.ID}},
			{"report to an unknown meeting", "report_meeting", "senare sammanträde", meeting.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", ReportMeetingID: 999999}},
			{"an unknown user", "assignee_user", "aktiv användare", meeting.Assignment{ParagraphID: giving.ID, Assignee: "E-strateg", Description: "x", AssigneeUserID: 999999}},
		} {
			_, err := f.tryAssignment(tt.a)
			wantFieldError(t, tt.name, err, tt.field, tt.msg)
		}
		_, err = f.setStatus(a.ID, meeting.AssignmentWithdrawn, 0, "")
		wantFieldError(t, "withdrawal without a paragraph", err, "paragraph", "återtas genom ett beslut")
		_, err = f.setStatus(a.ID, meeting.AssignmentWithdrawn, giving.ID, "")
		wantFieldError(t, "withdrawal by the giving paragraph", err, "paragraph", "kom inte efter § 1/2027")
		_, err = f.setStatus(a.ID, "klar", 0, "")
		wantFieldError(t, "an unknown status", err, "status", "kan inte få status")
		_, err = f.setStatus(a.ID, meeting.AssignmentInProgress, 0, strings.Repeat("x", meeting.MaxAssignmentEventNote+1))
		wantFieldError(t, "a long note", err, "note", "högst")
		if after := f.rows(t); after != before {
			t.Errorf("refused changes changed the data:\n%s\n%s", before, after)
		}

		if _, err := f.setStatus(a.ID, meeting.AssignmentInProgress, 0, "Arbetet har börjat."); err != nil {
			t.Fatal(err)
		}
		var moved meeting.Assignment
		if err := f.change(func(c *store.Conn) error {
			var err error
			moved, err = c.ReassignAssignment(f.ctx, a.ID, "Regiondirektören", 0, 0, "Tjänsten som e-strateg är vakant.")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if moved.Assignee != "Regiondirektören" || moved.Status != meeting.AssignmentInProgress {
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
		withdrawing := f.paragraph(t, meeting.Paragraph{MeetingID: may.ID, CaseID: f.revision.ID, Title: "Revisionsrapport, uppföljning",
			Decision: "Uppdraget till regiondirektören återtas och ärendet avslutas."})
		w, err := f.setStatus(a.ID, meeting.AssignmentWithdrawn, withdrawing.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != meeting.AssignmentWithdrawn || w.Given != "§ 1/2027" || w.Withdrawn != "§ 2/2027" || w.WithdrawnBy != withdrawing.ID {
			t.Errorf("withdrawn = %+v", w)
		}
		_, err = f.setStatus(a.ID, meeting.AssignmentCompleted, 0, "")
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
		if e := events[0]; e.Kind != meeting.AssignmentEventGiven || e.Paragraph != "§ 1/2027" || e.ToAssignee != "E-strateg" || e.Actor != "test" {
			t.Errorf("given event = %+v", e)
		}
		if e := events[2]; e.Kind != meeting.AssignmentEventReassigned || e.FromAssignee != "E-strateg" || e.ToAssignee != "Regiondirektören" || e.Note == "" {
			t.Errorf("reassigned event = %+v", e)
		}
		if e := events[3]; e.Kind != meeting.AssignmentEventWithdrawn || e.Paragraph != "§ 2/2027" || e.FromStatus != meeting.AssignmentInProgress {
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
		p := f.paragraph(t, meeting.Paragraph{CaseID: f.budget.ID, Title: "Budget 2028"})
		q := f.paragraph(t, meeting.Paragraph{CaseID: f.revision.ID, Title: "Revisionsrapport"})
		mk := func(para meeting.Paragraph, assignee, due string) meeting.Assignment {
			t.Helper()
			a := meeting.Assignment{ParagraphID: para.ID, Assignee: assignee, Description: "Uppdrag till " + assignee}
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
		if _, err := f.setStatus(done.ID, meeting.AssignmentCompleted, 0, ""); err != nil {
			t.Fatal(err)
		}
		day := domain.MustDate("2027-04-01")
		ids := func(list []meeting.Assignment, err error) string {
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
			f    meeting.AssignmentFilter
			want string
		}{
			{"all, by due date", meeting.AssignmentFilter{}, "Ekonom@2027-02-20 Regiondirektören@2027-03-01 Ekonom@2027-06-01 Sekretariatet@"},
			{"open", meeting.AssignmentFilter{Open: true}, "Regiondirektören@2027-03-01 Ekonom@2027-06-01 Sekretariatet@"},
			{"overdue", meeting.AssignmentFilter{Overdue: true, Today: day}, "Regiondirektören@2027-03-01"},
			{"completed", meeting.AssignmentFilter{Status: meeting.AssignmentCompleted}, "Ekonom@2027-02-20"},
			{"by assignee, any case", meeting.AssignmentFilter{Assignee: "ekonom"}, "Ekonom@2027-02-20 Ekonom@2027-06-01"},
			{"by assignee, part of the name", meeting.AssignmentFilter{Assignee: "REGIONDIREKT"}, "Regiondirektören@2027-03-01"},
			{"by case", meeting.AssignmentFilter{CaseID: f.revision.ID}, "Ekonom@2027-06-01 Sekretariatet@"},
			{"open by case and assignee", meeting.AssignmentFilter{Open: true, CaseID: f.budget.ID, Assignee: "Ekonom"}, ""},
		} {
			tt.f.CommitteeID = f.cm.ID
			if got := ids(c.Assignments(f.ctx, tt.f)); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
			}
		}
		if !late.Overdue(day) || later.Overdue(day) || undated.Overdue(day) {
			t.Error("meeting.Assignment.Overdue disagrees with the list")
		}
		counts, err := c.OverdueAssignmentCounts(f.ctx, day)
		if err != nil || counts[f.cm.ID] != 1 || counts[f.other.ID] != 0 {
			t.Errorf("overdue counts = %v, %v", counts, err)
		}
		if list, err := c.Assignments(f.ctx, meeting.AssignmentFilter{CommitteeID: f.other.ID}); err != nil || len(list) != 0 {
			t.Errorf("the other committee's register = %v, %v", list, err)
		}
	})
}
