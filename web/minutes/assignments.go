package minutes

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// assignmentRoutes registers the assignment register (uppdrag): the list of
// a committee's assignments with its filters, one assignment with its
// history, and the secretariat's changes, with their JSON API. Every role of
// the committee reads the register; the secretariat (and admin) writes it.
func (s *Handlers) assignmentRoutes() {
	s.Handle("GET", "/namnder/:code/uppdrag", kit.LoggedIn, s.assignmentsPage)
	s.Handle("GET", "/uppdrag/:id", kit.LoggedIn, s.assignmentPage)
	s.Handle("POST", "/paragrafer/:id/uppdrag", meetings.Writers, s.createAssignment)
	s.Handle("POST", "/uppdrag/:id/status", meetings.Writers, s.setAssignmentStatus)
	s.Handle("POST", "/uppdrag/:id/mottagare", meetings.Writers, s.reassignAssignment)

	s.Handle("GET", "/api/v1/committees/:code/assignments", kit.LoggedIn, s.apiAssignments)
	s.Handle("GET", "/api/v1/assignments/:id", kit.LoggedIn, s.apiAssignment)
	s.Handle("POST", "/api/v1/paragraphs/:id/assignments", meetings.Writers, s.apiCreateAssignment)
	s.Handle("POST", "/api/v1/assignments/:id/status", meetings.Writers, s.apiSetAssignmentStatus)
	s.Handle("POST", "/api/v1/assignments/:id/reassign", meetings.Writers, s.apiReassignAssignment)
}

// assignmentQuery names the query parameters of the register: Swedish on
// the pages, English in the API.
type assignmentQuery struct{ status, overdue, assignee, caseNumber string }

var (
	webAssignmentQuery = assignmentQuery{"status", "forsenade", "mottagare", "arende"}
	apiAssignmentQuery = assignmentQuery{"status", "overdue", "assignee", "case"}
)

// assignmentFilter reads the register's filter. The page lists the open
// assignments when no status is asked for ("alla" lists all); the API lists
// all.
func (s *Handlers) assignmentFilter(c *gin.Context, cm domain.Committee, q assignmentQuery, openByDefault bool) (meeting.AssignmentFilter, error) {
	f := meeting.AssignmentFilter{CommitteeID: cm.ID, Today: s.Today(), Assignee: c.Query(q.assignee), Open: openByDefault}
	switch v := c.Query(q.status); v {
	case "":
	case "alla", "all":
		f.Open = false
	case "oppna", "open":
		f.Open = true
	default:
		st, err := meeting.ParseAssignmentStatus(v)
		if err != nil {
			return f, domain.FieldErrorf(q.status, "%s", domain.ErrorMessage(err))
		}
		f.Status, f.Open = st, false
	}
	switch v := c.Query(q.overdue); v {
	case "", "0", "false":
	case "1", "true":
		f.Overdue = true
	default:
		return f, domain.FieldErrorf(q.overdue, "Ange %s=1 för de försenade uppdragen.", q.overdue)
	}
	if err := domain.CheckText(q.assignee, "Mottagaren", f.Assignee, meeting.MaxAssignee); err != nil {
		return f, err
	}
	if v := c.Query(q.caseNumber); v != "" {
		n, err := domain.ParseCaseNumber(v)
		if err != nil {
			return f, domain.FieldErrorf(q.caseNumber, "%s", domain.ErrorMessage(err))
		}
		k, err := s.DB.Conn().CaseByNumber(c.Request.Context(), n)
		if err != nil || k.CommitteeID != cm.ID {
			return f, domain.FieldErrorf(q.caseNumber, "Ärendet %s finns inte bland nämndens ärenden.", n)
		}
		f.CaseID = k.ID
	}
	return f, nil
}

// assignmentLine is one assignment as the register lists it.
type assignmentLine struct {
	meeting.Assignment
	URL, GivenURL, WithdrawnURL, CaseURL string
	Overdue                              bool
}

func (s *Handlers) assignmentLines(ctx context.Context, list []meeting.Assignment) []assignmentLine {
	out := make([]assignmentLine, len(list))
	day := s.Today()
	for i, a := range list {
		out[i] = assignmentLine{Assignment: a, URL: kit.AssignmentURL(a.ID), GivenURL: kit.ParagraphURL(a.ParagraphID), Overdue: a.Overdue(day)}
		if a.WithdrawnBy != 0 {
			out[i].WithdrawnURL = kit.ParagraphURL(a.WithdrawnBy)
		}
		if n, err := domain.ParseCaseNumber(a.CaseNumber); err == nil {
			out[i].CaseURL = kit.CaseURL(n)
		}
	}
	return out
}

// assignmentsView is a committee's assignment register.
type assignmentsView struct {
	Committee   domain.Committee
	Committees  []domain.Committee
	Assignments []assignmentLine
	Assignees   []string
	Statuses    []meeting.AssignmentStatus
	Filter      url.Values
	Problem     string
	Overdue     int
	Heading     string
}

// assignmentsPage lists a committee's assignments: the open ones by
// default, or the overdue ones, by status, assignee or case.
func (s *Handlers) assignmentsPage(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	v := assignmentsView{Committee: cm, Statuses: meeting.AssignmentStatuses, Filter: c.Request.URL.Query(), Heading: "Öppna uppdrag"}
	if v.Committees, err = s.ReadableCommittees(c); err != nil {
		s.Fail(c, err)
		return
	}
	if v.Assignees, err = conn.Assignees(ctx, cm.ID); err != nil {
		s.Fail(c, err)
		return
	}
	counts, err := s.DB.Conn().OverdueAssignmentCounts(ctx, s.Today())
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Overdue = counts[cm.ID]
	status := http.StatusOK
	f, err := s.assignmentFilter(c, cm, webAssignmentQuery, true)
	var list []meeting.Assignment
	if err == nil {
		list, err = conn.Assignments(ctx, f)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			s.Fail(c, err)
			return
		}
		v.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
	}
	switch {
	case f.Overdue:
		v.Heading = "Försenade uppdrag"
	case f.Status != "":
		v.Heading = "Uppdrag: " + f.Status.Label()
	case !f.Open:
		v.Heading = "Alla uppdrag"
	}
	v.Assignments = s.assignmentLines(ctx, list)
	s.Render(c, status, "assignments", v.Heading+" – "+cm.Code, v)
}

// assignmentFor reads the assignment of an /uppdrag/:id route and its
// committee, which the user must have a role in.
func (s *Handlers) assignmentFor(c *gin.Context) (domain.Committee, meeting.Assignment, error) {
	ctx := c.Request.Context()
	notFound := domain.Errorf(domain.ENOTFOUND, "Uppdraget finns inte.")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var a meeting.Assignment
	if err != nil || id < 1 {
		err = notFound
	} else {
		a, err = s.DB.Conn().AssignmentByID(ctx, id)
	}
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, a.CommitteeID)
	}
	if err == nil && !kit.CurrentUser(c).InCommittee(cm.ID) {
		err = notFound
	}
	return cm, a, err
}

// assignmentView is the page of one assignment.
type assignmentView struct {
	Committee     domain.Committee
	Assignment    assignmentLine
	Events        []assignmentEventLine
	ReportMeeting *meetings.Line
	CanWrite      bool
	// Next are the statuses the assignment can go to.
	Next                   []meeting.AssignmentStatus
	StatusForm, AssignForm *kit.Form
	RegisterURL            string
}

type assignmentEventLine struct {
	meeting.AssignmentEvent
	ParagraphURL string
}

// assignmentPage shows an assignment with its history, and to the
// secretariat the forms that change its status or assignee.
func (s *Handlers) assignmentPage(c *gin.Context) {
	cm, a, err := s.assignmentFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderAssignment(c, http.StatusOK, cm, a, nil, nil)
}

func (s *Handlers) renderAssignment(c *gin.Context, status int, cm domain.Committee, a meeting.Assignment, statusForm, assignForm *kit.Form) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	v := assignmentView{Committee: cm, Assignment: s.assignmentLines(ctx, []meeting.Assignment{a})[0],
		CanWrite: kit.CurrentUser(c).HasIn(cm.ID, meetings.Editors...) && a.Status.Open(), StatusForm: statusForm, AssignForm: assignForm,
		RegisterURL: kit.AssignmentsURL(cm.Code)}
	events, err := conn.AssignmentEvents(ctx, a.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, e := range events {
		l := assignmentEventLine{AssignmentEvent: e}
		if e.ParagraphID != 0 {
			l.ParagraphURL = kit.ParagraphURL(e.ParagraphID)
		}
		v.Events = append(v.Events, l)
	}
	if a.ReportMeetingID != 0 {
		m, err := conn.MeetingByID(ctx, a.ReportMeetingID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		line := meetings.LineOf(m)
		v.ReportMeeting = &line
	}
	for _, st := range meeting.AssignmentStatuses {
		if st != a.Status && st != meeting.AssignmentGiven {
			v.Next = append(v.Next, st)
		}
	}
	if v.StatusForm == nil {
		v.StatusForm = kit.EmptyForm()
	}
	if v.AssignForm == nil {
		v.AssignForm = kit.EmptyForm()
	}
	s.Render(c, status, "assignment", "Uppdrag "+a.Given+" – "+a.Assignee, v)
}

// assignmentInput is the form on a paragraph's page that gives an
// assignment.
type assignmentInput struct {
	Assignee      string `form:"assignee"`
	Description   string `form:"description"`
	DueOn         string `form:"due_on"`
	ReportMeeting string `form:"report_meeting"`
}

// assignment reads the form that gives an assignment from a paragraph.
func (in assignmentInput) assignment(paragraphID int64) (meeting.Assignment, error) {
	a := meeting.Assignment{ParagraphID: paragraphID, Assignee: in.Assignee, Description: in.Description}
	var err error
	if a.DueOn, err = domain.ParseDateField("due_on", "Sista dag", in.DueOn, false); err != nil {
		return a, err
	}
	a.ReportMeetingID, err = kit.ParseID("report_meeting", in.ReportMeeting, "Välj sammanträdet i listan.")
	return a, err
}

// createAssignment gives an assignment from a paragraph's page.
func (s *Handlers) createAssignment(c *gin.Context) {
	cm, m, p, acc, err := s.writableParagraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in assignmentInput
	f := kit.Bind(c, &in)
	a, err := in.assignment(p.ID)
	f.Fail(err)
	create := func(tx *store.Conn) error {
		var err error
		a, err = tx.CreateAssignment(c.Request.Context(), a)
		return err
	}
	if !s.submit(c, f, create, func(status int) { s.renderParagraph(c, status, cm, m, p, acc, paragraphForms{Assignment: f}) }) {
		return
	}
	s.Redirect(c, kit.ParagraphURL(p.ID)+"#uppdrag", "Uppdraget till "+a.Assignee+" är registrerat.")
}

// statusInput is the form on an assignment's page that changes its status.
type statusInput struct {
	Status    string `form:"status"`
	Paragraph string `form:"paragraph"`
	Note      string `form:"note"`
}

// setAssignmentStatus changes an assignment's status from its page; a
// withdrawal names the paragraph that withdrew it ("§ 5/2027").
func (s *Handlers) setAssignmentStatus(c *gin.Context) {
	cm, a, err := s.writableAssignment(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in statusInput
	f := kit.Bind(c, &in)
	st, err := meeting.ParseAssignmentStatus(in.Status)
	var paragraphID int64
	if err == nil && st == meeting.AssignmentWithdrawn {
		paragraphID, err = s.paragraphByRef(ctx, cm, in.Paragraph)
	}
	f.Fail(err)
	set := func(tx *store.Conn) error {
		_, err := tx.SetAssignmentStatus(ctx, a.ID, st, paragraphID, in.Note)
		return err
	}
	if !s.submit(c, f, set, func(status int) { s.renderAssignment(c, status, cm, a, f, nil) }) {
		return
	}
	s.Redirect(c, kit.AssignmentURL(a.ID), "Uppdraget har nu status "+st.Label()+".")
}

// reassignInput is the form on an assignment's page that moves it to a new
// assignee. Its fields have names of their own: the status form on the
// same page has a paragraph and a note too.
type reassignInput struct {
	Assignee  string `form:"new_assignee"`
	Paragraph string `form:"move_paragraph"`
	Note      string `form:"move_note"`
}

// reassignFields names the fields of reassignInput by the fields the store's
// errors are about.
var reassignFields = map[string]string{"assignee": "new_assignee", "paragraph": "move_paragraph", "note": "move_note"}

// onReassignForm moves an error about an assignment's field to the field of
// the reassign form.
func onReassignForm(err error) error {
	var fe *domain.Error
	if errors.As(err, &fe) && fe.Field != "" {
		return &domain.Error{Code: fe.Code, Message: fe.Message, Field: reassignFields[fe.Field]}
	}
	return err
}

// reassignAssignment moves an assignment to a new assignee from its page.
func (s *Handlers) reassignAssignment(c *gin.Context) {
	cm, a, err := s.writableAssignment(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in reassignInput
	f := kit.Bind(c, &in)
	var paragraphID int64
	if in.Paragraph != "" {
		paragraphID, err = s.paragraphByRef(ctx, cm, in.Paragraph)
	}
	f.Fail(onReassignForm(err))
	var after meeting.Assignment
	reassign := func(tx *store.Conn) error {
		var err error
		after, err = tx.ReassignAssignment(ctx, a.ID, in.Assignee, 0, paragraphID, in.Note)
		return onReassignForm(err)
	}
	if !s.submit(c, f, reassign, func(status int) { s.renderAssignment(c, status, cm, a, nil, f) }) {
		return
	}
	s.Redirect(c, kit.AssignmentURL(a.ID), "Uppdraget har gått över från "+a.Assignee+" till "+after.Assignee+".")
}

// writableAssignment is assignmentFor for a change by the committee's
// secretariat.
func (s *Handlers) writableAssignment(c *gin.Context) (domain.Committee, meeting.Assignment, error) {
	cm, a, err := s.assignmentFor(c)
	if err == nil && !kit.CurrentUser(c).HasIn(cm.ID, meetings.Editors...) {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat för uppdragsregistret.")
	}
	return cm, a, err
}

// paragraphByRef finds the committee's paragraph a reference such as
// "§ 5/2027" names; the error is about the field "paragraph".
func (s *Handlers) paragraphByRef(ctx context.Context, cm domain.Committee, ref string) (int64, error) {
	number, year, err := meeting.ParseParagraphRef("paragraph", ref)
	if err != nil {
		return 0, err
	}
	p, err := s.DB.Conn().ParagraphByNumber(ctx, cm.ID, year, number)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return 0, domain.FieldErrorf("paragraph", "%s finns inte i nämndens protokoll.", meeting.ParagraphRef(number, year))
	}
	return p.ID, err
}

// assignmentJSON is an assignment as the API shows it.
type assignmentJSON struct {
	ID              int64                    `json:"id"`
	Committee       string                   `json:"committee"`
	GivenBy         paragraphRefJSON         `json:"given_by"`
	Case            string                   `json:"case,omitempty"`
	Assignee        string                   `json:"assignee"`
	AssigneeUserID  int64                    `json:"assignee_user_id,omitempty"`
	Description     string                   `json:"description"`
	DueOn           domain.Date              `json:"due_on"`
	ReportMeetingID int64                    `json:"report_meeting_id,omitempty"`
	Status          meeting.AssignmentStatus `json:"status"`
	StatusLabel     string                   `json:"status_label"`
	Overdue         bool                     `json:"overdue"`
	WithdrawnBy     *paragraphRefJSON        `json:"withdrawn_by"`
	CreatedAt       time.Time                `json:"created_at"`
	UpdatedAt       time.Time                `json:"updated_at"`
	URL             string                   `json:"url"`
	APIURL          string                   `json:"api_url"`
}

type paragraphRefJSON struct {
	ParagraphID int64  `json:"paragraph_id"`
	Ref         string `json:"ref"`
	APIURL      string `json:"api_url"`
}

// assignmentDetailJSON is one assignment with its history.
type assignmentDetailJSON struct {
	assignmentJSON
	History []assignmentEventJSON `json:"history"`
}

type assignmentEventJSON struct {
	At           time.Time                   `json:"at"`
	Actor        string                      `json:"actor"`
	Kind         meeting.AssignmentEventKind `json:"kind"`
	Label        string                      `json:"label"`
	FromStatus   meeting.AssignmentStatus    `json:"from_status,omitempty"`
	ToStatus     meeting.AssignmentStatus    `json:"to_status,omitempty"`
	FromAssignee string                      `json:"from_assignee,omitempty"`
	ToAssignee   string                      `json:"to_assignee,omitempty"`
	Paragraph    string                      `json:"paragraph,omitempty"`
	Note         string                      `json:"note,omitempty"`
}

func toAssignmentJSON(cm domain.Committee, a meeting.Assignment, today domain.Date) assignmentJSON {
	out := assignmentJSON{ID: a.ID, Committee: cm.Code, Case: a.CaseNumber, Assignee: a.Assignee, AssigneeUserID: a.AssigneeUserID,
		GivenBy:     paragraphRefJSON{ParagraphID: a.ParagraphID, Ref: a.Given, APIURL: kit.ParagraphAPIURL(a.ParagraphID)},
		Description: a.Description, DueOn: a.DueOn, ReportMeetingID: a.ReportMeetingID, Status: a.Status, StatusLabel: a.Status.Label(),
		Overdue: a.Overdue(today), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, URL: kit.AssignmentURL(a.ID),
		APIURL: "/api/v1/assignments/" + strconv.FormatInt(a.ID, 10)}
	if a.WithdrawnBy != 0 {
		out.WithdrawnBy = &paragraphRefJSON{ParagraphID: a.WithdrawnBy, Ref: a.Withdrawn, APIURL: kit.ParagraphAPIURL(a.WithdrawnBy)}
	}
	return out
}

// apiAssignments answers GET /api/v1/committees/{code}/assignments with the
// filters status (a status, "open" or "all", the default), overdue=true,
// assignee and case.
func (s *Handlers) apiAssignments(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f, err := s.assignmentFilter(c, cm, apiAssignmentQuery, false)
	var list []meeting.Assignment
	if err == nil {
		list, err = s.DB.Conn().Assignments(c.Request.Context(), f)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]assignmentJSON, len(list))
	for i, a := range list {
		out[i] = toAssignmentJSON(cm, a, s.Today())
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "today": s.Today(), "assignments": out})
}

// apiAssignment answers GET /api/v1/assignments/{id}: the assignment with
// its history.
func (s *Handlers) apiAssignment(c *gin.Context) {
	cm, a, err := s.assignmentFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerAssignment(c, http.StatusOK, cm, a)
}

func (s *Handlers) answerAssignment(c *gin.Context, status int, cm domain.Committee, a meeting.Assignment) {
	events, err := s.DB.Conn().AssignmentEvents(c.Request.Context(), a.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := assignmentDetailJSON{assignmentJSON: toAssignmentJSON(cm, a, s.Today()), History: []assignmentEventJSON{}}
	for _, e := range events {
		out.History = append(out.History, assignmentEventJSON{At: e.At, Actor: e.Actor, Kind: e.Kind, Label: e.Kind.Label(),
			FromStatus: e.FromStatus, ToStatus: e.ToStatus, FromAssignee: e.FromAssignee, ToAssignee: e.ToAssignee, Paragraph: e.Paragraph, Note: e.Note})
	}
	if status == http.StatusCreated {
		c.Header("Location", out.APIURL)
	}
	c.JSON(status, out)
}

// assignmentRequestJSON gives an assignment.
type assignmentRequestJSON struct {
	Assignee        string `json:"assignee"`
	AssigneeUserID  int64  `json:"assignee_user_id"`
	Description     string `json:"description"`
	DueOn           string `json:"due_on"`
	ReportMeetingID int64  `json:"report_meeting_id"`
}

// apiCreateAssignment answers POST /api/v1/paragraphs/{id}/assignments: the
// paragraph gives an assignment; 201 with it.
func (s *Handlers) apiCreateAssignment(c *gin.Context) {
	cm, _, p, _, err := s.writableParagraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body assignmentRequestJSON
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	due, err := domain.ParseDateField("due_on", "Sista dag", body.DueOn, false)
	a := meeting.Assignment{ParagraphID: p.ID, Assignee: body.Assignee, AssigneeUserID: body.AssigneeUserID, Description: body.Description,
		DueOn: due, ReportMeetingID: body.ReportMeetingID}
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			a, err = tx.CreateAssignment(c.Request.Context(), a)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerAssignment(c, http.StatusCreated, cm, a)
}

// changeAssignmentAPI runs one API change of an assignment by the
// committee's secretariat: it decodes the JSON body into body, makes the
// change in a transaction and answers with the assignment as it became.
func (s *Handlers) changeAssignmentAPI(c *gin.Context, body any, change func(ctx context.Context, tx *store.Conn, a meeting.Assignment) (meeting.Assignment, error)) {
	cm, a, err := s.writableAssignment(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := kit.ReadJSON(c, body, false); err != nil {
		s.Fail(c, err)
		return
	}
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		a, err = change(c.Request.Context(), tx, a)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerAssignment(c, http.StatusOK, cm, a)
}

// apiSetAssignmentStatus answers POST /api/v1/assignments/{id}/status:
// {"status": "ateraget", "paragraph_id": 12, "note": "..."}.
func (s *Handlers) apiSetAssignmentStatus(c *gin.Context) {
	var body struct {
		Status      string `json:"status"`
		ParagraphID int64  `json:"paragraph_id"`
		Note        string `json:"note"`
	}
	s.changeAssignmentAPI(c, &body, func(ctx context.Context, tx *store.Conn, a meeting.Assignment) (meeting.Assignment, error) {
		st, err := meeting.ParseAssignmentStatus(body.Status)
		if err != nil {
			return a, err
		}
		return tx.SetAssignmentStatus(ctx, a.ID, st, body.ParagraphID, body.Note)
	})
}

// apiReassignAssignment answers POST /api/v1/assignments/{id}/reassign:
// {"assignee": "Regiondirektören", "assignee_user_id": 0, "paragraph_id": 0,
// "note": "..."}.
func (s *Handlers) apiReassignAssignment(c *gin.Context) {
	var body struct {
		Assignee       string `json:"assignee"`
		AssigneeUserID int64  `json:"assignee_user_id"`
		ParagraphID    int64  `json:"paragraph_id"`
		Note           string `json:"note"`
	}
	s.changeAssignmentAPI(c, &body, func(ctx context.Context, tx *store.Conn, a meeting.Assignment) (meeting.Assignment, error) {
		return tx.ReassignAssignment(ctx, a.ID, body.Assignee, body.AssigneeUserID, body.ParagraphID, body.Note)
	})
}
