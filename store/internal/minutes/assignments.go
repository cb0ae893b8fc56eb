package minutes

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type assignmentRow struct {
	ID              int64          `db:"id"`
	CommitteeID     int64          `db:"committee_id"`
	ParagraphID     int64          `db:"paragraph_id"`
	GivenYear       int            `db:"given_year"`
	GivenNumber     int            `db:"given_number"`
	CaseID          sql.NullInt64  `db:"case_id"`
	CaseCode        sql.NullString `db:"case_code"`
	CaseYear        sql.NullInt64  `db:"case_year"`
	CaseSeq         sql.NullInt64  `db:"case_seq"`
	Assignee        string         `db:"assignee"`
	AssigneeUserID  sql.NullInt64  `db:"assignee_user_id"`
	Description     string         `db:"description"`
	DueOn           sqlconn.Date   `db:"due_on"`
	ReportMeetingID sql.NullInt64  `db:"report_meeting_id"`
	Status          string         `db:"status"`
	WithdrawnBy     sql.NullInt64  `db:"withdrawn_by"`
	WithdrawnYear   sql.NullInt64  `db:"withdrawn_year"`
	WithdrawnNumber sql.NullInt64  `db:"withdrawn_number"`
	CreatedAt       time.Time      `db:"created_at"`
	UpdatedAt       time.Time      `db:"updated_at"`
}

const assignmentSelect = `SELECT a.id, a.committee_id, a.paragraph_id, gp.year AS given_year, gp.number AS given_number,
	a.case_id, kc.code AS case_code, k.year AS case_year, k.seq AS case_seq, a.assignee, a.assignee_user_id, a.description,
	a.due_on, a.report_meeting_id, a.status, a.withdrawn_by, wp.year AS withdrawn_year, wp.number AS withdrawn_number,
	a.created_at, a.updated_at
	FROM assignments a JOIN paragraphs gp ON gp.id = a.paragraph_id LEFT JOIN paragraphs wp ON wp.id = a.withdrawn_by
	LEFT JOIN cases k ON k.id = a.case_id LEFT JOIN committees kc ON kc.id = k.committee_id`

func (r assignmentRow) domain() meeting.Assignment {
	a := meeting.Assignment{
		ID: r.ID, CommitteeID: r.CommitteeID, ParagraphID: r.ParagraphID, Given: meeting.ParagraphRef(r.GivenNumber, r.GivenYear),
		CaseID: r.CaseID.Int64, Assignee: r.Assignee, AssigneeUserID: r.AssigneeUserID.Int64, Description: r.Description,
		DueOn: domain.Date(r.DueOn), ReportMeetingID: r.ReportMeetingID.Int64, Status: meeting.AssignmentStatus(r.Status),
		WithdrawnBy: r.WithdrawnBy.Int64, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.CaseCode.Valid {
		a.CaseNumber = domain.CaseNumber{Prefix: r.CaseCode.String, Year: int(r.CaseYear.Int64), Seq: int(r.CaseSeq.Int64)}.String()
	}
	if r.WithdrawnBy.Valid {
		a.Withdrawn = meeting.ParagraphRef(int(r.WithdrawnNumber.Int64), int(r.WithdrawnYear.Int64))
	}
	return a
}

// assignmentAudit is how an assignment appears in the audit trail.
type assignmentAudit struct {
	Given         string `json:"given_by"`
	Case          string `json:"case,omitempty"`
	Assignee      string `json:"assignee"`
	AssigneeUser  int64  `json:"assignee_user_id,omitempty"`
	Description   string `json:"description"`
	DueOn         string `json:"due_on,omitempty"`
	ReportMeeting int64  `json:"report_meeting_id,omitempty"`
	Status        string `json:"status"`
	Withdrawn     string `json:"withdrawn_by,omitempty"`
}

func auditOfAssignment(a meeting.Assignment) assignmentAudit {
	return assignmentAudit{Given: a.Given, Case: a.CaseNumber, Assignee: a.Assignee, AssigneeUser: a.AssigneeUserID,
		Description: a.Description, DueOn: a.DueOn.String(), ReportMeeting: a.ReportMeetingID, Status: string(a.Status), Withdrawn: a.Withdrawn}
}

// CreateAssignment registers an assignment (uppdrag) a decision point gave:
// a.ParagraphID is the paragraph, whose committee and case it takes. The
// assignee is a role or a person (optionally a user, a.AssigneeUserID); the
// due date, when given, is not before the meeting; the report-back meeting,
// when given, is a later meeting of the committee that is not cancelled. The
// assignment starts as givet, and its history starts with the paragraph.
// Registering an assignment does not change the minutes, so the paragraph's
// minutes may be locked. Errors are field errors (paragraph, assignee,
// description, due_on, report_meeting, assignee_user).
func (c Minutes) CreateAssignment(ctx context.Context, a meeting.Assignment) (meeting.Assignment, error) {
	p, err := c.ParagraphByID(ctx, a.ParagraphID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return meeting.Assignment{}, domain.FieldErrorf("paragraph", "Paragrafen som ger uppdraget finns inte.")
	}
	if err != nil {
		return meeting.Assignment{}, err
	}
	if err := a.Normalize(); err != nil {
		return meeting.Assignment{}, err
	}
	given, err := c.meetings().MeetingByID(ctx, p.MeetingID)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if !a.DueOn.IsZero() && a.DueOn.Before(given.Date) {
		return meeting.Assignment{}, domain.FieldErrorf("due_on", "Uppdraget kan inte vara klart (%s) innan det gavs vid sammanträdet den %s.", a.DueOn, given.Date)
	}
	if a.ReportMeetingID != 0 {
		rm, err := c.meetings().MeetingByID(ctx, a.ReportMeetingID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return meeting.Assignment{}, err
		}
		if err != nil || rm.CommitteeID != p.CommitteeID || !rm.Date.After(given.Date) || rm.Cancelled() {
			return meeting.Assignment{}, domain.FieldErrorf("report_meeting", "Välj ett senare sammanträde i nämnden, som inte är inställt, att återrapportera till.")
		}
	}
	if a.AssigneeUserID != 0 {
		u, err := c.access().UserByID(ctx, a.AssigneeUserID)
		if err != nil || u.Disabled() || !u.InCommittee(p.CommitteeID) {
			return meeting.Assignment{}, domain.FieldErrorf("assignee_user", "Välj en aktiv användare i nämnden, eller ingen.")
		}
	}
	at := c.db.Now()
	id, err := c.db.Insert(ctx, `INSERT INTO assignments (committee_id, paragraph_id, case_id, assignee, assignee_user_id, description,
		due_on, report_meeting_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CommitteeID, p.ID, sqlconn.NullID(p.CaseID), a.Assignee, sqlconn.NullID(a.AssigneeUserID), a.Description, sqlconn.Date(a.DueOn),
		sqlconn.NullID(a.ReportMeetingID), string(meeting.AssignmentGiven), at, at)
	if err != nil {
		return meeting.Assignment{}, fmt.Errorf("create assignment: %w", err)
	}
	if err := c.addAssignmentEvent(ctx, meeting.AssignmentEvent{AssignmentID: id, Kind: meeting.AssignmentEventGiven,
		ToStatus: meeting.AssignmentGiven, ToAssignee: a.Assignee, ParagraphID: p.ID}); err != nil {
		return meeting.Assignment{}, err
	}
	stored, err := c.AssignmentByID(ctx, id)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if err := c.db.Audit(ctx, "create", "assignment", id, nil, auditOfAssignment(stored)); err != nil {
		return meeting.Assignment{}, err
	}
	return stored, nil
}

// SetAssignmentStatus moves an open assignment to another status
// (meeting.CheckAssignmentTransition). Withdrawal (återtaget) names the
// paragraph that withdrew it: a later paragraph of the same committee.
// note, optional, goes into the history. Errors are field errors (status,
// paragraph, note), or ECONFLICT for a closed assignment or one changed by
// someone else in between.
func (c Minutes) SetAssignmentStatus(ctx context.Context, id int64, to meeting.AssignmentStatus, withdrawingParagraph int64, note string) (meeting.Assignment, error) {
	before, err := c.AssignmentByID(ctx, id)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if err := meeting.CheckAssignmentTransition(before.Status, to, withdrawingParagraph); err != nil {
		return meeting.Assignment{}, err
	}
	if note, err = checkAssignmentNote(note); err != nil {
		return meeting.Assignment{}, err
	}
	e := meeting.AssignmentEvent{AssignmentID: id, Kind: meeting.AssignmentEventStatus, FromStatus: before.Status, ToStatus: to, Note: note}
	withdrawnBy := sql.NullInt64{}
	if to == meeting.AssignmentWithdrawn {
		if err := c.checkLaterParagraph(ctx, before, withdrawingParagraph); err != nil {
			return meeting.Assignment{}, err
		}
		e.Kind, e.ParagraphID, withdrawnBy = meeting.AssignmentEventWithdrawn, withdrawingParagraph, sqlconn.NullID(withdrawingParagraph)
	}
	res, err := c.db.Exec(ctx, `UPDATE assignments SET status = ?, withdrawn_by = ?, updated_at = ? WHERE id = ? AND status = ?`,
		string(to), withdrawnBy, c.db.Now(), id, string(before.Status))
	if err != nil {
		return meeting.Assignment{}, fmt.Errorf("assignment %d status: %w", id, err)
	}
	if err := changedAssignment(res); err != nil {
		return meeting.Assignment{}, err
	}
	return c.recordAssignmentChange(ctx, before, e, "set_status")
}

// ReassignAssignment moves an open assignment to a new assignee (a role or a
// person, optionally a user), keeping who had it in the history, as when a
// vacancy moves the work elsewhere. paragraphID, optional, is the decision
// behind the move. Errors are field errors (assignee, assignee_user,
// paragraph, note), or ECONFLICT for a closed assignment.
func (c Minutes) ReassignAssignment(ctx context.Context, id int64, assignee string, assigneeUserID, paragraphID int64, note string) (meeting.Assignment, error) {
	before, err := c.AssignmentByID(ctx, id)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if !before.Status.Open() {
		return meeting.Assignment{}, domain.Errorf(domain.ECONFLICT, "Uppdraget är %s och kan inte få en ny mottagare.", strings.ToLower(before.Status.Label()))
	}
	if assignee, err = meeting.CheckAssignee(assignee); err != nil {
		return meeting.Assignment{}, err
	}
	if assignee == before.Assignee && assigneeUserID == before.AssigneeUserID {
		return meeting.Assignment{}, domain.FieldErrorf("assignee", "%s har redan uppdraget.", assignee)
	}
	if assigneeUserID != 0 {
		u, err := c.access().UserByID(ctx, assigneeUserID)
		if err != nil || u.Disabled() || !u.InCommittee(before.CommitteeID) {
			return meeting.Assignment{}, domain.FieldErrorf("assignee_user", "Välj en aktiv användare i nämnden, eller ingen.")
		}
	}
	if paragraphID != 0 {
		if err := c.checkLaterParagraph(ctx, before, paragraphID); err != nil {
			return meeting.Assignment{}, err
		}
	}
	if note, err = checkAssignmentNote(note); err != nil {
		return meeting.Assignment{}, err
	}
	res, err := c.db.Exec(ctx, `UPDATE assignments SET assignee = ?, assignee_user_id = ?, updated_at = ? WHERE id = ? AND assignee = ? AND status = ?`,
		assignee, sqlconn.NullID(assigneeUserID), c.db.Now(), id, before.Assignee, string(before.Status))
	if err != nil {
		return meeting.Assignment{}, fmt.Errorf("reassign assignment %d: %w", id, err)
	}
	if err := changedAssignment(res); err != nil {
		return meeting.Assignment{}, err
	}
	return c.recordAssignmentChange(ctx, before, meeting.AssignmentEvent{AssignmentID: id, Kind: meeting.AssignmentEventReassigned,
		FromAssignee: before.Assignee, ToAssignee: assignee, ParagraphID: paragraphID, Note: note}, "reassign")
}

func checkAssignmentNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	return note, domain.CheckText("note", "Anteckningen", note, meeting.MaxAssignmentEventNote)
}

// checkLaterParagraph checks that a paragraph that changes an assignment is
// one of the committee's, decided after the paragraph that gave it.
func (c Minutes) checkLaterParagraph(ctx context.Context, a meeting.Assignment, paragraphID int64) error {
	p, err := c.ParagraphByID(ctx, paragraphID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && p.CommitteeID != a.CommitteeID) {
		return domain.FieldErrorf("paragraph", "Paragrafen finns inte i nämndens protokoll.")
	}
	if err != nil {
		return err
	}
	given, err := c.ParagraphByID(ctx, a.ParagraphID)
	if err != nil {
		return err
	}
	if p.Year < given.Year || p.Year == given.Year && p.Number <= given.Number {
		return domain.FieldErrorf("paragraph", "%s kom inte efter %s som gav uppdraget. Ange beslutet som ändrade det.", p.Ref(), given.Ref())
	}
	return nil
}

// changedAssignment checks that a guarded UPDATE changed the assignment;
// otherwise someone else changed it first.
func changedAssignment(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("assignment: %w", err)
	}
	if n != 1 {
		return domain.Errorf(domain.ECONFLICT, "Uppdraget ändrades av någon annan under tiden. Ladda om sidan och försök igen.")
	}
	return nil
}

// recordAssignmentChange writes the history event and the audit entry of a
// change and returns the assignment as it became.
func (c Minutes) recordAssignmentChange(ctx context.Context, before meeting.Assignment, e meeting.AssignmentEvent, action string) (meeting.Assignment, error) {
	if err := c.addAssignmentEvent(ctx, e); err != nil {
		return meeting.Assignment{}, err
	}
	after, err := c.AssignmentByID(ctx, before.ID)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if err := c.db.Audit(ctx, action, "assignment", before.ID, auditOfAssignment(before), auditOfAssignment(after)); err != nil {
		return meeting.Assignment{}, err
	}
	return after, nil
}

func (c Minutes) addAssignmentEvent(ctx context.Context, e meeting.AssignmentEvent) error {
	nullText := func(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
	_, err := c.db.Exec(ctx, `INSERT INTO assignment_events (assignment_id, at, actor, kind, from_status, to_status, from_assignee, to_assignee, paragraph_id, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.AssignmentID, c.db.Now(), domain.ActorFrom(ctx).Label, string(e.Kind),
		nullText(string(e.FromStatus)), nullText(string(e.ToStatus)), nullText(e.FromAssignee), nullText(e.ToAssignee), sqlconn.NullID(e.ParagraphID), e.Note)
	if err != nil {
		return fmt.Errorf("assignment event %s: %w", e.Kind, err)
	}
	return nil
}

// AssignmentByID returns an assignment, or ENOTFOUND.
func (c Minutes) AssignmentByID(ctx context.Context, id int64) (meeting.Assignment, error) {
	list, err := c.assignmentsWhere(ctx, "a.id = ?", id)
	if err != nil {
		return meeting.Assignment{}, err
	}
	if len(list) == 0 {
		return meeting.Assignment{}, domain.Errorf(domain.ENOTFOUND, "Uppdraget finns inte.")
	}
	return list[0], nil
}

func (c Minutes) assignmentsWhere(ctx context.Context, cond string, args ...any) ([]meeting.Assignment, error) {
	var rows []assignmentRow
	if err := c.db.Select(ctx, &rows, assignmentSelect+" WHERE "+cond+
		" ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, gp.year, gp.number, a.id", args...); err != nil {
		return nil, fmt.Errorf("read assignments: %w", err)
	}
	return domainRows(rows), nil
}

// Assignments lists a committee's assignments that match f: the earliest
// due date first, then those without one, in the order they were given. The
// assignee filter matches any part of the assignee's name, ignoring case.
func (c Minutes) Assignments(ctx context.Context, f meeting.AssignmentFilter) ([]meeting.Assignment, error) {
	var where []string
	var args []any
	if f.CommitteeID != 0 {
		where, args = append(where, "a.committee_id = ?"), append(args, f.CommitteeID)
	}
	if f.ReportMeetingID != 0 {
		where, args = append(where, "a.report_meeting_id = ?"), append(args, f.ReportMeetingID)
	}
	if len(where) == 0 {
		return nil, fmt.Errorf("list assignments: no committee or meeting")
	}
	if f.Status != "" {
		where, args = append(where, "a.status = ?"), append(args, string(f.Status))
	}
	if f.Open || f.Overdue {
		where, args = append(where, "a.status IN (?, ?, ?)"), append(args, string(meeting.AssignmentGiven), string(meeting.AssignmentInProgress), string(meeting.AssignmentReported))
	}
	if f.Overdue {
		if f.Today.IsZero() {
			return nil, fmt.Errorf("overdue assignments: no today")
		}
		where, args = append(where, "a.due_on < ?"), append(args, sqlconn.Date(f.Today))
	}
	if f.CaseID != 0 {
		where, args = append(where, "a.case_id = ?"), append(args, f.CaseID)
	}
	list, err := c.assignmentsWhere(ctx, strings.Join(where, " AND "), args...)
	if err != nil || strings.TrimSpace(f.Assignee) == "" {
		return list, err
	}
	want := domain.FoldSwedish(f.Assignee)
	out := list[:0]
	for _, a := range list {
		if strings.Contains(domain.FoldSwedish(a.Assignee), want) {
			out = append(out, a)
		}
	}
	return out, nil
}

// AssignmentsForMeeting lists the open assignments (given, in progress,
// reported back) that are to report back at a meeting (report_meeting_id):
// the list its kallelse includes, earliest due first.
func (c Minutes) AssignmentsForMeeting(ctx context.Context, meetingID int64) ([]meeting.Assignment, error) {
	return c.Assignments(ctx, meeting.AssignmentFilter{ReportMeetingID: meetingID, Open: true})
}

// ParagraphAssignments lists the assignments a paragraph gave and those it
// withdrew.
func (c Minutes) ParagraphAssignments(ctx context.Context, paragraphID int64) (given, withdrawn []meeting.Assignment, err error) {
	if given, err = c.assignmentsWhere(ctx, "a.paragraph_id = ?", paragraphID); err != nil {
		return nil, nil, err
	}
	withdrawn, err = c.assignmentsWhere(ctx, "a.withdrawn_by = ?", paragraphID)
	return given, withdrawn, err
}

// Assignees lists the names the committee's assignments have been given to,
// now or before, in Swedish order: what the register can be filtered by.
func (c Minutes) Assignees(ctx context.Context, committeeID int64) ([]string, error) {
	var names []string
	if err := c.db.Select(ctx, &names, `SELECT assignee FROM assignments WHERE committee_id = ?
		UNION SELECT e.from_assignee FROM assignment_events e JOIN assignments a ON a.id = e.assignment_id
		WHERE a.committee_id = ? AND e.from_assignee IS NOT NULL`, committeeID, committeeID); err != nil {
		return nil, fmt.Errorf("assignees: %w", err)
	}
	sort.Slice(names, func(i, j int) bool { return domain.SwedishSortKey(names[i]) < domain.SwedishSortKey(names[j]) })
	return names, nil
}

// OverdueAssignmentCounts counts the open assignments past their due date on
// today, per committee, for the start page.
func (c Minutes) OverdueAssignmentCounts(ctx context.Context, today domain.Date) (map[int64]int, error) {
	var rows []struct {
		CommitteeID int64 `db:"committee_id"`
		N           int   `db:"n"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT committee_id, COUNT(*) AS n FROM assignments
		WHERE status IN (?, ?, ?) AND due_on < ? GROUP BY committee_id`,
		string(meeting.AssignmentGiven), string(meeting.AssignmentInProgress), string(meeting.AssignmentReported), sqlconn.Date(today)); err != nil {
		return nil, fmt.Errorf("overdue assignments: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.CommitteeID] = r.N
	}
	return out, nil
}

type assignmentEventRow struct {
	ID           int64          `db:"id"`
	AssignmentID int64          `db:"assignment_id"`
	At           time.Time      `db:"at"`
	Actor        string         `db:"actor"`
	Kind         string         `db:"kind"`
	FromStatus   sql.NullString `db:"from_status"`
	ToStatus     sql.NullString `db:"to_status"`
	FromAssignee sql.NullString `db:"from_assignee"`
	ToAssignee   sql.NullString `db:"to_assignee"`
	ParagraphID  sql.NullInt64  `db:"paragraph_id"`
	PYear        sql.NullInt64  `db:"p_year"`
	PNumber      sql.NullInt64  `db:"p_number"`
	Note         string         `db:"note"`
}

func (r assignmentEventRow) domain() meeting.AssignmentEvent {
	e := meeting.AssignmentEvent{ID: r.ID, AssignmentID: r.AssignmentID, At: r.At.UTC(), Actor: r.Actor, Kind: meeting.AssignmentEventKind(r.Kind),
		FromStatus: meeting.AssignmentStatus(r.FromStatus.String), ToStatus: meeting.AssignmentStatus(r.ToStatus.String),
		FromAssignee: r.FromAssignee.String, ToAssignee: r.ToAssignee.String, ParagraphID: r.ParagraphID.Int64, Note: r.Note}
	if r.ParagraphID.Valid {
		e.Paragraph = meeting.ParagraphRef(int(r.PNumber.Int64), int(r.PYear.Int64))
	}
	return e
}

// AssignmentEvents returns an assignment's history, oldest first.
func (c Minutes) AssignmentEvents(ctx context.Context, assignmentID int64) ([]meeting.AssignmentEvent, error) {
	var rows []assignmentEventRow
	if err := c.db.Select(ctx, &rows, `SELECT e.id, e.assignment_id, e.at, e.actor, e.kind, e.from_status, e.to_status,
		e.from_assignee, e.to_assignee, e.paragraph_id, p.year AS p_year, p.number AS p_number, e.note
		FROM assignment_events e LEFT JOIN paragraphs p ON p.id = e.paragraph_id
		WHERE e.assignment_id = ? ORDER BY e.at, e.id`, assignmentID); err != nil {
		return nil, fmt.Errorf("assignment events: %w", err)
	}
	return domainRows(rows), nil
}
