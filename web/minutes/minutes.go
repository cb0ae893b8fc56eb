package minutes

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// Who works with the minutes. The secretariat of the committee (and admin)
// writes them, as it writes the kallelse (meetings.Writers). Every role of the
// committee reads minutes once they are justerade (public records); before
// that, the secretariat, admin, auditor and the meeting's two justerare do.
// A justerare approves as a member user linked to that member.
var justerareAccess = kit.Roles(domain.RoleMember)

// routes registers the minutes: the paragraphs, the justering, the
// anslag, the PDFs, the assignment register and their JSON API.
func (s *Handlers) routes() {
	s.Handle("GET", "/sammantraden/:id/protokoll", kit.LoggedIn, s.minutesPage)
	s.Handle("GET", "/sammantraden/:id/protokoll.pdf", kit.LoggedIn, s.minutesPDF(false))
	s.Handle("GET", "/sammantraden/:id/justeringsexemplar.pdf", kit.LoggedIn, s.minutesPDF(true))
	s.Handle("GET", "/sammantraden/:id/utdrag.zip", kit.LoggedIn, s.extractsZIP)
	s.Handle("GET", "/sammantraden/:id/paragrafer/ny", meetings.Writers, s.newParagraphForm)
	s.Handle("POST", "/sammantraden/:id/paragrafer", meetings.Writers, s.createParagraph)
	s.Handle("POST", "/sammantraden/:id/justerare", meetings.Writers, s.setJusterare)
	s.Handle("GET", "/sammantraden/:id/justera", justerareAccess, s.approveForm)
	s.Handle("POST", "/sammantraden/:id/justera", justerareAccess, s.approveMinutes)
	s.Handle("POST", "/sammantraden/:id/anslag", meetings.Writers, s.setAnnouncedOn)
	s.Handle("GET", "/paragrafer/:id", kit.LoggedIn, s.paragraphPage)
	s.Handle("GET", "/paragrafer/:id/andra", meetings.Writers, s.editParagraphForm)
	s.Handle("POST", "/paragrafer/:id/andra", meetings.Writers, s.editParagraph)
	s.Handle("GET", "/paragrafer/:id/utdrag/:n", kit.LoggedIn, s.extractPDF)
	s.assignmentRoutes()
	s.liveRoutes()
	s.readyRoutes()
	s.dispatchRoutes()

	s.Handle("GET", "/api/v1/meetings/:id/paragraphs", kit.LoggedIn, s.apiParagraphs)
	s.Handle("POST", "/api/v1/meetings/:id/paragraphs", meetings.Writers, s.apiCreateParagraph)
	s.Handle("GET", "/api/v1/paragraphs/:id", kit.LoggedIn, s.apiParagraph)
}

// errNoMinutes answers a reader who may not see the minutes yet.
func errNoMinutes(m meeting.Meeting) error {
	return domain.Errorf(domain.ENOTFOUND, "Protokollet från sammanträdet den %s är inte justerat ännu.", m.Date)
}

// minutesAccess is what the user may do with a meeting's minutes.
type minutesAccess struct {
	Read, Write bool
	// Justerare is the member the user approves as, when the user is one of
	// the meeting's justerare.
	Justerare *meeting.JusterareApproval
}

// minutesAccessOf works out what u may do with m's minutes: the
// secretariat writes them, those who read drafts read them, and so does a
// justerare (meeting.Justering.JusterareFor) before they are justerade.
func minutesAccessOf(u *domain.User, cm domain.Committee, m meeting.Meeting, j meeting.Justering) minutesAccess {
	a := minutesAccess{Write: u.HasIn(cm.ID, meetings.Editors...)}
	a.Read = m.Locked() || u.HasIn(cm.ID, meetings.DraftReaders...)
	if x := j.JusterareFor(*u, cm.ID); x != nil {
		a.Justerare, a.Read = x, true
	}
	return a
}

// minutesFor reads the meeting of a minutes route and what the user may do
// with its minutes; a user who may not read them gets "not found".
func (s *Handlers) minutesFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Justering, minutesAccess, error) {
	cm, m, err := s.meetings.MeetingFor(c, domain.Roles)
	if err != nil {
		return cm, m, meeting.Justering{}, minutesAccess{}, err
	}
	j, a, err := s.readableMinutes(c.Request.Context(), kit.CurrentUser(c), cm, m)
	return cm, m, j, a, err
}

// readableMinutes reads where m's justering stands and what u may do with
// the minutes; a user who may not read them gets errNoMinutes.
func (s *Handlers) readableMinutes(ctx context.Context, u *domain.User, cm domain.Committee, m meeting.Meeting) (meeting.Justering, minutesAccess, error) {
	j, err := s.DB.Conn().Justering(ctx, m.ID)
	if err != nil {
		return j, minutesAccess{}, err
	}
	a := minutesAccessOf(u, cm, m, j)
	if !a.Read {
		return j, a, errNoMinutes(m)
	}
	return j, a, nil
}

// minutesOf reads what the minutes' PDFs show.
func (s *Handlers) minutesOf(ctx context.Context, cm domain.Committee, m meeting.Meeting) (protokoll.Minutes, error) {
	return protokoll.Load(ctx, s.DB.Conn(), cm, m)
}

// paragraphLine is one paragraph as the minutes page lists it.
type paragraphLine struct {
	meeting.Paragraph
	Heading, URL string
	Points       []string
}

func lineOfParagraph(p meeting.Paragraph) paragraphLine {
	return paragraphLine{Paragraph: p, Heading: protokoll.Heading(p), URL: kit.ParagraphURL(p.ID), Points: p.DecisionPoints()}
}

// minutesView is the minutes page of a meeting.
type minutesView struct {
	Committee  domain.Committee
	Meeting    meetings.Line
	Justering  meeting.Justering
	Access     minutesAccess
	Paragraphs []paragraphLine
	// Items are the agenda items not yet protokollförda, for the
	// secretariat's links.
	Items []meeting.AgendaItem
	// Serving are the members who serve at the meeting, the justerare to
	// choose from.
	Serving []domain.Member
	// JusterareForm and AnslagForm are the secretariat's forms; Slots the
	// two choices of justerare.
	JusterareForm, AnslagForm *kit.Form
	Slots                     []justerareSlot
	Open                      bool
	AppealEnds                domain.Date
	// ExemplarSHA is the hash of the justeringsexemplar built now;
	// Verified tells, for locked minutes, whether it is the hash approved.
	ExemplarSHA string
	Verified    bool
	MeetingURL  string
	// For a justerare who has not approved: CanApprove when the minutes
	// can be justerade now, otherwise ApproveBlocked says why not, and
	// EnrolURL leads to turning two-factor login on and back.
	CanApprove     bool
	ApproveBlocked string
	EnrolURL       string
	// Unrecorded are the active agenda items without a paragraph, which
	// the page warns about before justering.
	Unrecorded []meeting.AgendaItem
	// ChangeRequests are the justerare's "begär ändring", for the
	// secretariat; RunURL the page the meeting is run from.
	ChangeRequests []meeting.ChangeRequest
	RunURL         string
	// ReadySent is when the justerare were told the minutes are ready
	// (zero: not yet), for the secretariat.
	ReadySent time.Time
	// Undispatched counts, for the secretariat of justerade minutes, the
	// paragraphs whose utdrag have gone to no one yet.
	Undispatched int
}

// justerareSlot is one of the two choices of justerare in the form.
type justerareSlot struct{ Name, Label, Value string }

// minutesPage shows a meeting's minutes: the paragraphs, the justering and
// the anslag, with the PDFs.
func (s *Handlers) minutesPage(c *gin.Context) {
	cm, m, j, a, err := s.minutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderMinutes(c, http.StatusOK, cm, m, j, a, nil, nil)
}

func (s *Handlers) renderMinutes(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, j meeting.Justering, a minutesAccess, justerareForm, anslagForm *kit.Form) {
	ctx := c.Request.Context()
	mins, err := s.minutesOf(ctx, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	exemplar, err := protokoll.Justeringsexemplar(mins)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := minutesView{Committee: cm, Meeting: meetings.LineOf(m), Justering: j, Access: a, Open: m.MinutesOpen() == nil,
		AppealEnds: j.AppealEnds(), ExemplarSHA: protokoll.Hash(exemplar), MeetingURL: kit.MeetingURL(m.ID),
		JusterareForm: justerareForm, AnslagForm: anslagForm}
	v.Verified = m.Locked() && v.ExemplarSHA == j.SHA256
	for _, p := range mins.Paragraphs {
		v.Paragraphs = append(v.Paragraphs, lineOfParagraph(p))
	}
	if v.Open {
		if v.Unrecorded, err = s.unrecordedItems(ctx, m, mins.Paragraphs); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if a.Justerare != nil && v.Open && !a.Justerare.Approved() {
		if err := s.approvalPossible(c, m, &v); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if a.Write {
		if v.ChangeRequests, err = s.DB.Conn().ChangeRequests(ctx, m.ID); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if a.Write && v.Open {
		v.RunURL = runURL(m.ID)
		if v.ReadySent, err = s.DB.Conn().DoneAt(ctx, app.ReadyKey(m.ID)); err != nil {
			s.Fail(c, err)
			return
		}
		v.Items = v.Unrecorded
		for _, at := range mins.Attendance {
			if at.Serving {
				v.Serving = append(v.Serving, at.Member)
			}
		}
		if v.JusterareForm == nil {
			in := justerareInputOf(j)
			if in.Secretary == "" {
				in.Secretary = kit.CurrentUser(c).Name // who keeps the minutes, as a rule
			}
			v.JusterareForm = kit.FormOf(in)
		}
		for i := 1; i <= 2; i++ {
			name := "justerare_" + strconv.Itoa(i)
			v.Slots = append(v.Slots, justerareSlot{Name: name, Label: "Justerare " + strconv.Itoa(i), Value: v.JusterareForm.Values[name]})
		}
	}
	if v.AnslagForm == nil {
		v.AnslagForm = kit.EmptyForm()
	}
	if m.Locked() && a.Write {
		dispatches, err := s.DB.Conn().MeetingDispatches(ctx, m.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		sent := map[int64]bool{}
		for _, d := range dispatches {
			sent[d.ParagraphID] = true
		}
		v.Undispatched = len(mins.Paragraphs) - len(sent)
	}
	s.Render(c, status, "minutes", "Protokoll "+m.Date.String()+" – "+cm.Code, v)
}

// approvalPossible works out, for a justerare who has not approved, whether
// the minutes can be justerade now (the checks the approval itself makes),
// and if not, why: the page says so instead of offering a button that
// fails. It returns only internal errors.
func (s *Handlers) approvalPossible(c *gin.Context, m meeting.Meeting, v *minutesView) error {
	ctx := c.Request.Context()
	u := kit.CurrentUser(c)
	err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.CheckApproval(ctx, m.ID, *u, s.Today()) })
	switch {
	case err == nil:
		v.CanApprove = true
	case domain.IsFault(err):
		return err
	default:
		v.ApproveBlocked = domain.ErrorMessage(err)
		if errors.Is(err, meeting.ErrJusteringNeedsTwoFactor) {
			v.EnrolURL = enrolURL(m)
		}
	}
	return nil
}

// enrolURL leads to turning two-factor login on, and back to justering m.
func enrolURL(m meeting.Meeting) string {
	return "/konto/tvafaktor?till=" + url.QueryEscape("/sammantraden/"+strconv.FormatInt(m.ID, 10)+"/justera")
}

// renderMinutesForm shows the minutes page again with a form's errors.
func (s *Handlers) renderMinutesForm(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, justerareForm, anslagForm *kit.Form) {
	j, a, err := s.readableMinutes(c.Request.Context(), kit.CurrentUser(c), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderMinutes(c, status, cm, m, j, a, justerareForm, anslagForm)
}

// unrecordedItems lists the meeting's active agenda items that no
// paragraph records yet.
func (s *Handlers) unrecordedItems(ctx context.Context, m meeting.Meeting, paras []meeting.Paragraph) ([]meeting.AgendaItem, error) {
	items, err := s.DB.Conn().AgendaItems(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	done := map[int64]bool{}
	for _, p := range paras {
		done[p.AgendaItemID] = true
	}
	var out []meeting.AgendaItem
	for _, it := range items {
		if it.Status == meeting.AgendaActive && !done[it.ID] {
			out = append(out, it)
		}
	}
	return out, nil
}

// sendFile answers with a document to open in the browser.
func sendFile(c *gin.Context, contentType, name string, b []byte) {
	c.Header("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, contentType, b)
}

// minutesPDF sends the protokoll, or with exemplar the justeringsexemplar
// whose SHA-256 the justering records.
func (s *Handlers) minutesPDF(exemplar bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		cm, m, _, _, err := s.minutesFor(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		mins, err := s.minutesOf(c.Request.Context(), cm, m)
		if err != nil {
			s.Fail(c, err)
			return
		}
		build, name := protokoll.Protokoll, fmt.Sprintf("Protokoll %s %s.pdf", cm.Code, m.Date)
		if exemplar {
			build, name = protokoll.Justeringsexemplar, fmt.Sprintf("Protokoll %s %s justeringsexemplar.pdf", cm.Code, m.Date)
		}
		b, err := build(mins)
		if err != nil {
			s.Fail(c, err)
			return
		}
		sendFile(c, "application/pdf", name, b)
	}
}

// extractsZIP sends every protokollsutdrag of justerade minutes in one ZIP.
func (s *Handlers) extractsZIP(c *gin.Context) {
	cm, m, _, _, err := s.minutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	mins, err := s.minutesOf(c.Request.Context(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	b, err := protokoll.UtdragZIP(mins)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("Protokollsutdrag %s %s.zip", cm.Code, m.Date)}))
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "application/zip", b)
}

// paragraphFor reads the paragraph of a /paragrafer/:id route with its
// meeting and what the user may do with the minutes; a user who may not
// read them gets "not found".
func (s *Handlers) paragraphFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Paragraph, minutesAccess, error) {
	ctx := c.Request.Context()
	notFound := domain.Errorf(domain.ENOTFOUND, "Paragrafen finns inte.")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var p meeting.Paragraph
	if err != nil || id < 1 {
		err = notFound
	} else {
		p, err = s.DB.Conn().ParagraphByID(ctx, id)
	}
	var m meeting.Meeting
	var cm domain.Committee
	if err == nil {
		m, err = s.DB.Conn().MeetingByID(ctx, p.MeetingID)
	}
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, m.CommitteeID)
	}
	if err == nil && !kit.CurrentUser(c).InCommittee(cm.ID) {
		err = notFound
	}
	var a minutesAccess
	if err == nil {
		_, a, err = s.readableMinutes(ctx, kit.CurrentUser(c), cm, m)
	}
	return cm, m, p, a, err
}

// writableParagraphFor is paragraphFor for a change by the committee's
// secretariat.
func (s *Handlers) writableParagraphFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Paragraph, minutesAccess, error) {
	cm, m, p, a, err := s.paragraphFor(c)
	if err == nil && !a.Write {
		err = errMayNotWriteMinutes
	}
	return cm, m, p, a, err
}

// extractLine is one protokollsutdrag of a paragraph, to download.
type extractLine struct{ Label, URL string }

// paragraphView is the page of one paragraph.
type paragraphView struct {
	Committee domain.Committee
	Meeting   meetings.Line
	Paragraph paragraphLine
	Access    minutesAccess
	Locked    bool
	// Votes are the votering by member, in the attendance's order.
	Votes      []voteLine
	Recipients []string
	Extracts   []extractLine
	// Dispatches are the recipients of the paragraph's utdrag, sent to or
	// chosen by default, with their receipts.
	Dispatches []dispatchRow
	Given      []meeting.Assignment
	Withdrawn  []meeting.Assignment
	CaseURL    string
	MinutesURL string
	// AssignmentForm gives an assignment from the paragraph; Meetings are
	// the later meetings it can report back to.
	AssignmentForm *kit.Form
	Meetings       []meeting.Meeting
}

type voteLine struct{ Name, Vote string }

// paragraphPage shows one paragraph with its protokollsutdrag and the
// assignments it gave or withdrew.
func (s *Handlers) paragraphPage(c *gin.Context) {
	cm, m, p, a, err := s.paragraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderParagraph(c, http.StatusOK, cm, m, p, a, paragraphForms{})
}

// paragraphForms are the forms of a paragraph's page shown again with
// their errors (nil: empty).
type paragraphForms struct{ Assignment, Receipt *kit.Form }

func (s *Handlers) renderParagraph(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, a minutesAccess, forms paragraphForms) {
	assignmentForm := forms.Assignment
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	mins, err := s.minutesOf(ctx, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := paragraphView{Committee: cm, Meeting: meetings.LineOf(m), Paragraph: lineOfParagraph(p), Access: a, Locked: m.Locked(),
		MinutesURL: kit.MinutesURL(m.ID), AssignmentForm: assignmentForm}
	if n, err := domain.ParseCaseNumber(p.CaseNumber); err == nil {
		v.CaseURL = kit.CaseURL(n)
	}
	for _, at := range mins.Attendance {
		if vote, ok := p.Votes[at.MemberID]; ok {
			v.Votes = append(v.Votes, voteLine{Name: at.Member.DisplayName(), Vote: vote.Label()})
		}
	}
	for _, r := range p.DispatchTo {
		v.Recipients = append(v.Recipients, r.Label(mins.Parties))
	}
	if m.Locked() {
		for i, r := range mins.Recipients(p) {
			v.Extracts = append(v.Extracts, extractLine{Label: r.Label(mins.Parties), URL: fmt.Sprintf("%s/utdrag/%d", kit.ParagraphURL(p.ID), i+1)})
		}
		plan, err := app.PlanDispatch(ctx, conn, cm, m)
		if err != nil {
			s.Fail(c, err)
			return
		}
		v.Dispatches = dispatchRowsOf(kit.CurrentUser(c), cm, plan, p, forms.Receipt)
	}
	if v.Given, v.Withdrawn, err = conn.ParagraphAssignments(ctx, p.ID); err != nil {
		s.Fail(c, err)
		return
	}
	if a.Write {
		if v.Meetings, err = conn.MeetingsFrom(ctx, cm.ID, m.Date.AddDays(1)); err != nil {
			s.Fail(c, err)
			return
		}
		if v.AssignmentForm == nil {
			v.AssignmentForm = kit.EmptyForm()
		}
	}
	s.Render(c, status, "paragraph", p.Ref()+" "+p.Title+" – "+cm.Code, v)
}

// extractPDF sends one protokollsutdrag: the paragraph for its n:th
// recipient (from 1, in the order of the paragraph page).
func (s *Handlers) extractPDF(c *gin.Context) {
	cm, m, p, _, err := s.paragraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	mins, err := s.minutesOf(c.Request.Context(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	recipients := mins.Recipients(p)
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > len(recipients) {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "%s har ingen sådan mottagare under Expedieras till.", p.Ref()))
		return
	}
	b, err := protokoll.Utdrag(mins, p, recipients[n-1])
	if err != nil {
		s.Fail(c, err)
		return
	}
	sendFile(c, "application/pdf", protokoll.UtdragFileName(p, recipients[n-1], mins.Parties), b)
}

// paragraphInput is the paragraph form. Its yrkanden and votes are rows
// named by number and member (motion_member_N, motion_text_N,
// vote_<member>), which bindParagraph reads beside the tagged fields.
type paragraphInput struct {
	AgendaItem        string `form:"agenda_item"`
	Case              string `form:"case"`
	Title             string `form:"title"`
	Summary           string `form:"summary"`
	Proposal          string `form:"proposal"`
	PropositionOrder  string `form:"proposition_order"`
	PropositionResult string `form:"proposition_result"`
	Decision          string `form:"decision"`
	Reservations      string `form:"reservations"`
	DispatchTo        string `form:"dispatch_to"`
	Basis             string `form:"basis"`
	CloseCase         bool   `form:"close_case"`
	// Motions are the yrkanden, motion_member_N and motion_text_N from 1
	// to meeting.MaxMotions; Votes the votes by member, vote_<member>.
	Motions []motionInput
	Votes   map[int64]string
}

// motionInput is one yrkande of the paragraph form.
type motionInput struct{ Member, Text string }

// motionRows is how many yrkanden the form offers beyond those written.
const motionRows = 2

// paragraphFormView is the form for a new paragraph or a change to one.
type paragraphFormView struct {
	Committee domain.Committee
	Meeting   meetings.Line
	Paragraph meeting.Paragraph // zero for a new one
	Form      *kit.Form
	// Item is the agenda item a new paragraph records, when there is one.
	Item meeting.AgendaItem
	// Members are those who may make yrkanden and vote: the members serving
	// at the meeting, or, before attendance is recorded, those called.
	Members []domain.Member
	Motions []int
	Cases   []domain.Case
	Votes   []meeting.Vote
	Action  string
	Back    string
}

// renderParagraphForm shows the paragraph form f, which holds in.
func (s *Handlers) renderParagraphForm(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, in paragraphInput, f *kit.Form) {
	ctx := c.Request.Context()
	v := paragraphFormView{Committee: cm, Meeting: meetings.LineOf(m), Paragraph: p, Form: f, Votes: []meeting.Vote{meeting.VoteYes, meeting.VoteNo, meeting.VoteAbstain},
		Action: kit.MeetingURL(m.ID) + "/paragrafer", Back: kit.MinutesURL(m.ID)}
	if p.ID != 0 {
		v.Action, v.Back = kit.ParagraphURL(p.ID)+"/andra", kit.ParagraphURL(p.ID)
	}
	att, err := s.DB.Conn().Attendance(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	recorded := false
	for _, a := range att {
		recorded = recorded || a.Present
	}
	for _, a := range att {
		if a.Serving || !recorded {
			v.Members = append(v.Members, a.Member)
		}
	}
	rows := 0
	for i, mo := range in.Motions {
		if mo.Member != "" || mo.Text != "" {
			rows = i + 1
		}
	}
	for i := 1; i <= min(rows+motionRows, meeting.MaxMotions); i++ {
		v.Motions = append(v.Motions, i)
	}
	if id, _ := strconv.ParseInt(in.AgendaItem, 10, 64); id != 0 {
		v.Item, _ = s.DB.Conn().AgendaItemByID(ctx, id)
	}
	if p.ID == 0 && v.Item.ID == 0 {
		page, err := s.DB.Conn().ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID, Limit: domain.MaxCasePage})
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, k := range page.Cases {
			if !k.Closed() {
				v.Cases = append(v.Cases, k)
			}
		}
	}
	title := "Ny paragraf – sammanträdet " + m.Date.String()
	if p.ID != 0 {
		title = "Ändra " + p.Ref()
	}
	s.Render(c, status, "paragraph_form", title, v)
}

func motionField(part string, i int) string { return "motion_" + part + "_" + strconv.Itoa(i) }

func voteField(memberID int64) string { return "vote_" + strconv.FormatInt(memberID, 10) }

// paragraphInputOf fills the paragraph form with a paragraph's values.
func paragraphInputOf(p meeting.Paragraph, parties []domain.Party) paragraphInput {
	in := paragraphInput{Title: p.Title, Summary: p.Summary, Proposal: p.Proposal, PropositionOrder: p.PropositionOrder,
		PropositionResult: p.PropositionResult, Decision: p.Decision, Reservations: p.Reservations, Basis: p.Basis,
		DispatchTo: meeting.FormatRecipientList(p.DispatchTo, parties), Votes: map[int64]string{}}
	for _, mo := range p.Motions {
		in.Motions = append(in.Motions, motionInput{Member: strconv.FormatInt(mo.MemberID, 10), Text: mo.Text})
	}
	for id, vote := range p.Votes {
		in.Votes[id] = string(vote)
	}
	return in
}

// form returns the form that shows in, its rows included.
func (in paragraphInput) form() *kit.Form {
	f := kit.FormOf(in)
	for i, mo := range in.Motions {
		f.Values[motionField("member", i+1)], f.Values[motionField("text", i+1)] = mo.Member, mo.Text
	}
	for id, vote := range in.Votes {
		f.Values[voteField(id)] = vote
	}
	return f
}

// bindParagraph reads the posted paragraph form, with a vote for each of
// the meeting's members (att).
func bindParagraph(c *gin.Context, att []meeting.Attendance) (paragraphInput, *kit.Form) {
	var in paragraphInput
	f := kit.Bind(c, &in)
	var names []string
	for i := 1; i <= meeting.MaxMotions; i++ {
		names = append(names, motionField("member", i), motionField("text", i))
	}
	for _, a := range att {
		names = append(names, voteField(a.MemberID))
	}
	rows := kit.ReadForm(c, names...)
	maps.Copy(f.Values, rows.Values)
	maps.Copy(f.Errors, rows.Errors)
	for i := 1; i <= meeting.MaxMotions; i++ {
		in.Motions = append(in.Motions, motionInput{Member: rows.Value(motionField("member", i)), Text: rows.Value(motionField("text", i))})
	}
	in.Votes = map[int64]string{}
	for _, a := range att {
		in.Votes[a.MemberID] = rows.Value(voteField(a.MemberID))
	}
	return in, f
}

// paragraph reads the paragraph form of a meeting of cm with the
// attendance att; the store checks the rest.
func (s *Handlers) paragraph(ctx context.Context, cm domain.Committee, att []meeting.Attendance, in paragraphInput) (meeting.Paragraph, error) {
	p := meeting.Paragraph{Title: in.Title, Summary: in.Summary, Proposal: in.Proposal,
		PropositionOrder: in.PropositionOrder, PropositionResult: in.PropositionResult,
		Decision: in.Decision, Reservations: in.Reservations, Basis: in.Basis}
	var err error
	if p.AgendaItemID, err = kit.ParseID("agenda_item", in.AgendaItem, "Välj punkten på föredragningslistan."); err != nil {
		return p, err
	}
	if p.CaseID, err = kit.ParseID("case", in.Case, "Välj ärendet i listan."); err != nil {
		return p, err
	}
	for i, mo := range in.Motions {
		if mo.Member == "" && mo.Text == "" {
			continue
		}
		id, err := strconv.ParseInt(mo.Member, 10, 64)
		if mo.Member == "" || err != nil {
			return p, domain.FieldErrorf("motions", "Yrkande %d: välj vem som yrkar.", i+1)
		}
		p.Motions = append(p.Motions, meeting.Motion{MemberID: id, Text: mo.Text})
	}
	for _, a := range att {
		raw := in.Votes[a.MemberID]
		if raw == "" {
			continue
		}
		vote, err := meeting.ParseVote(raw)
		if err != nil {
			return p, err
		}
		if p.Votes == nil {
			p.Votes = map[int64]meeting.Vote{}
		}
		p.Votes[a.MemberID] = vote
	}
	parties, err := s.meetings.CommitteeParties(ctx, cm)
	if err != nil {
		return p, err
	}
	p.DispatchTo, err = meeting.ParseRecipientList("dispatch_to", in.DispatchTo, parties)
	return p, err
}

// readParagraph reads the posted paragraph form of meeting m: the form as
// the page shows it again, what it holds, and the paragraph read from it
// (with its error recorded on the form).
func (s *Handlers) readParagraph(c *gin.Context, cm domain.Committee, m meeting.Meeting) (*kit.Form, paragraphInput, meeting.Paragraph, error) {
	att, err := s.DB.Conn().Attendance(c.Request.Context(), m.ID)
	if err != nil {
		return nil, paragraphInput{}, meeting.Paragraph{}, err
	}
	in, f := bindParagraph(c, att)
	p, err := s.paragraph(c.Request.Context(), cm, att, in)
	f.Fail(err)
	return f, in, p, nil
}

// submit is Kit.Submit for the minutes' forms: a conflict with the state of
// the minutes (kit.StateConflict: locked minutes, a cancelled meeting)
// answers the request on its own page instead of showing the form again.
func (s *Handlers) submit(c *gin.Context, f *kit.Form, save func(tx *store.Conn) error, rerender func(status int)) bool {
	var conflict error
	record := func(tx *store.Conn) error {
		err := save(tx)
		if kit.StateConflict(err) {
			conflict = err
		}
		return err
	}
	return s.Submit(c, f, record, func(status int) {
		if conflict != nil {
			s.Fail(c, conflict)
			return
		}
		rerender(status)
	})
}

// openMinutesFor is MeetingFor for a change to the minutes by the
// secretariat: the meeting's minutes must still be open
// (meeting.Meeting.MinutesOpen, the rule the store changes them by).
func (s *Handlers) openMinutesFor(c *gin.Context) (domain.Committee, meeting.Meeting, error) {
	cm, m, err := s.meetings.MeetingFor(c, meetings.Editors)
	if err == nil {
		err = m.MinutesOpen()
	}
	return cm, m, err
}

// newParagraphForm shows the form for a new paragraph, filled from an
// agenda item (?punkt=) when one is given: its title, case, förslag till
// beslut (also as the beslut, as when the proposal is adopted) and
// recipients.
func (s *Handlers) newParagraphForm(c *gin.Context) {
	cm, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in paragraphInput
	if raw := c.Query("punkt"); raw != "" {
		id, _ := strconv.ParseInt(raw, 10, 64)
		it, err := s.DB.Conn().AgendaItemByID(ctx, id)
		if err != nil || it.MeetingID != m.ID {
			s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Punkten finns inte på sammanträdets föredragningslista."))
			return
		}
		parties, err := s.meetings.CommitteeParties(ctx, cm)
		if err != nil {
			s.Fail(c, err)
			return
		}
		basis, err := s.itemBasis(ctx, it)
		if err != nil {
			s.Fail(c, err)
			return
		}
		summary := it.Description
		if it.CaseID != 0 {
			remisser, err := s.DB.Conn().CaseRemisser(ctx, it.CaseID)
			if err != nil {
				s.Fail(c, err)
				return
			}
			summary = domain.WithRemissResults(summary, remisser)
		}
		in = paragraphInputOf(meeting.Paragraph{Title: it.Title, Summary: summary, Proposal: it.Proposal, Decision: it.Proposal, DispatchTo: it.DispatchTo, Basis: basis}, parties)
		in.AgendaItem = strconv.FormatInt(it.ID, 10)
	}
	s.renderParagraphForm(c, http.StatusOK, cm, m, meeting.Paragraph{}, in, in.form())
}

// itemBasis is the beslutsunderlag a paragraph of agenda item it starts
// with, one per line: the documents of the item's case and the extracts of
// its earlier paragraphs, as the kallelse sent them.
func (s *Handlers) itemBasis(ctx context.Context, it meeting.AgendaItem) (string, error) {
	if it.CaseID == 0 {
		return "", nil
	}
	conn := s.DB.Conn()
	docs, err := conn.CaseDocuments(ctx, it.CaseID)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, d := range docs {
		lines = append(lines, d.Title)
	}
	paragraphs, err := conn.CaseParagraphs(ctx, it.CaseID)
	if err != nil {
		return "", err
	}
	for _, p := range paragraphs {
		if p.MeetingID != it.MeetingID {
			lines = append(lines, "Protokollsutdrag "+p.Ref()+" "+p.Title)
		}
	}
	return strings.Join(lines, "\n"), nil
}

// createParagraph writes a new paragraph from the form.
func (s *Handlers) createParagraph(c *gin.Context) {
	cm, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	f, in, p, err := s.readParagraph(c, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p.MeetingID = m.ID
	create := func(tx *store.Conn) error {
		var err error
		p, err = tx.CreateParagraph(ctx, p, in.CloseCase)
		return err
	}
	if !s.submit(c, f, create, func(status int) { s.renderParagraphForm(c, status, cm, m, meeting.Paragraph{}, in, f) }) {
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#p"+strconv.Itoa(p.Number), p.Ref()+" "+p.Title+" är protokollförd.")
}

// editParagraphForm shows the form for changing a paragraph.
func (s *Handlers) editParagraphForm(c *gin.Context) {
	cm, m, p, _, err := s.writableParagraphFor(c)
	if err == nil && m.Locked() {
		err = meeting.ErrMinutesLocked(m)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, err := s.meetings.CommitteeParties(c.Request.Context(), cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := paragraphInputOf(p, parties)
	s.renderParagraphForm(c, http.StatusOK, cm, m, p, in, in.form())
}

var errMayNotWriteMinutes = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat skriver protokoll.")

// editParagraph saves a changed paragraph. Locked minutes are refused by
// the store (and the database) whatever the page showed.
func (s *Handlers) editParagraph(c *gin.Context) {
	cm, m, p, _, err := s.writableParagraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	f, in, changed, err := s.readParagraph(c, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	changed.ID = p.ID
	update := func(tx *store.Conn) error { _, err := tx.UpdateParagraph(ctx, changed); return err }
	if !s.submit(c, f, update, func(status int) { s.renderParagraphForm(c, status, cm, m, p, in, f) }) {
		return
	}
	s.Redirect(c, kit.ParagraphURL(p.ID), "Ändringarna i "+p.Ref()+" är sparade.")
}

// justerareInput is the form on the minutes page that chooses the
// meeting's two justerare, the tid för justering and the sekreterare: one
// choice, which also writes the paragraph "Val av justerare och tid för
// justering" (store.SetJusterare).
type justerareInput struct {
	Justerare1 string `form:"justerare_1"`
	Justerare2 string `form:"justerare_2"`
	Due        string `form:"justering_due"`
	Secretary  string `form:"secretary"`
}

// justerareInputOf fills the form from the justering as it stands.
func justerareInputOf(j meeting.Justering) justerareInput {
	in := justerareInput{Due: j.Due.String(), Secretary: j.Secretary}
	for i, x := range j.Justerare {
		id := strconv.FormatInt(x.MemberID, 10)
		switch i {
		case 0:
			in.Justerare1 = id
		case 1:
			in.Justerare2 = id
		}
	}
	return in
}

// setJusterare records the meeting's two justerare and the tid för
// justering from the minutes page.
func (s *Handlers) setJusterare(c *gin.Context) {
	cm, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in justerareInput
	f := kit.Bind(c, &in)
	var ids []int64
	for _, chosen := range []string{in.Justerare1, in.Justerare2} {
		id, err := kit.ParseID("justerare", chosen, "Välj justerare i listan.")
		f.Fail(err)
		if id != 0 {
			ids = append(ids, id)
		}
	}
	due, err := domain.ParseDateField("justering_due", "Tiden för justering", in.Due, true)
	f.Fail(err)
	if strings.TrimSpace(in.Secretary) == "" {
		in.Secretary = kit.CurrentUser(c).Name // as the form offers it
	}
	msg := "Justerarna, tiden för justering och sekreteraren är sparade; paragrafen om val av justerare är ifylld."
	set := func(tx *store.Conn) error {
		before, err := tx.Justering(ctx, m.ID)
		if err != nil {
			return err
		}
		after, err := tx.SetJusterare(ctx, m.ID, ids, due)
		if err != nil {
			return err
		}
		if _, err := tx.SetSecretary(ctx, m.ID, in.Secretary); err != nil {
			return err
		}
		// Only a justerare newly chosen is asked by mail.
		chosen := after
		chosen.Justerare = nil
		for _, x := range after.Justerare {
			if !slices.ContainsFunc(before.Justerare, func(b meeting.JusterareApproval) bool { return b.MemberID == x.MemberID }) {
				chosen.Justerare = append(chosen.Justerare, x)
			}
		}
		if len(chosen.Justerare) > 0 {
			n, err := app.JusteringMails(ctx, tx, cm, m, chosen, s.BaseURL)
			msg += " " + s.MailNotice(n, "justerarna")
			return err
		}
		return nil
	}
	if !s.submit(c, f, set, func(status int) { s.renderMinutesForm(c, status, cm, m, f, nil) }) {
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#justering", msg)
}

// approveView is the page where a justerare approves the minutes.
type approveView struct {
	Committee  domain.Committee
	Meeting    meetings.Line
	Justerare  meeting.JusterareApproval
	Justering  meeting.Justering
	SHA        string
	NeedsCode  bool
	Form       *kit.Form
	MinutesURL string
	// Unrecorded are agenda items without a paragraph, warned about.
	Unrecorded []meeting.AgendaItem
	// Paragraphs are the minutes' paragraphs a "begär ändring" may name;
	// ChangeForm is its form and Requests the justerare's requests so far.
	Paragraphs []meeting.Paragraph
	ChangeForm *kit.Form
	Requests   []meeting.ChangeRequest
}

// approveInput is the form a justerare approves with: the two-factor
// code, and the hash of the justeringsexemplar the page showed, posted back.
type approveInput struct {
	Code string `form:"code"`
	SHA  string `form:"sha"`
}

// approveFor reads the meeting of a justering route and checks that the
// user may approve its minutes (meeting.CanJustera, the rule the store
// approves by) and that they are not justerade yet.
func (s *Handlers) approveFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Justering, minutesAccess, error) {
	cm, m, j, a, err := s.minutesFor(c)
	var demo bool
	if err == nil {
		demo, err = s.DB.Conn().DemoUsersActive(c.Request.Context())
	}
	if err == nil {
		a.Justerare, err = meeting.CanJustera(*kit.CurrentUser(c), m, j, demo)
	}
	if err == nil && m.Locked() {
		err = domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är redan justerat och låst.", m.Date)
	}
	return cm, m, j, a, err
}

// approveForm shows a justerare the justeringsexemplar to approve, its
// SHA-256, and asks for the two-factor code.
func (s *Handlers) approveForm(c *gin.Context) {
	cm, m, j, a, err := s.approveFor(c)
	if errors.Is(err, meeting.ErrJusteringNeedsTwoFactor) {
		// No dead end: the page says why and leads to turning two-factor
		// login on, and back here.
		s.Render(c, http.StatusForbidden, "minutes_twofactor", "Justering kräver tvåstegsverifiering",
			twoFactorView{Meeting: meetings.LineOf(m), EnrolURL: enrolURL(m), MinutesURL: kit.MinutesURL(m.ID)})
		return
	}
	if err == nil {
		// Refused before the form rather than after the last click: the
		// meeting not yet held, no two justerare, no paragraph.
		ctx := c.Request.Context()
		err = s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.CheckApproval(ctx, m.ID, *kit.CurrentUser(c), s.Today()) })
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderApprove(c, http.StatusOK, cm, m, j, a, kit.EmptyForm())
}

// twoFactorView is the page a justerare without two-factor login meets.
type twoFactorView struct {
	Meeting              meetings.Line
	EnrolURL, MinutesURL string
}

// renderApprove shows the approval page with the form f, which posts back
// the hash of the exemplar shown.
func (s *Handlers) renderApprove(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, j meeting.Justering, a minutesAccess, f *kit.Form) {
	s.renderApproveWith(c, status, cm, m, j, a, f, nil)
}

// renderApproveWith is renderApprove with the form of a change request
// (nil for an empty one).
func (s *Handlers) renderApproveWith(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, j meeting.Justering, a minutesAccess, f, changeForm *kit.Form) {
	ctx := c.Request.Context()
	sum, err := protokoll.ExemplarHash(ctx, s.DB.Conn(), cm, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f.Default("sha", sum)
	v := approveView{Committee: cm, Meeting: meetings.LineOf(m), Justerare: *a.Justerare, Justering: j, SHA: sum,
		NeedsCode: kit.CurrentUser(c).TOTPEnabled, Form: f, MinutesURL: kit.MinutesURL(m.ID)}
	mins, err := s.minutesOf(ctx, cm, m)
	if err == nil {
		v.Unrecorded, err = s.unrecordedItems(ctx, m, mins.Paragraphs)
	}
	if err == nil {
		v.Paragraphs, v.ChangeForm = mins.Paragraphs, changeForm
		if v.ChangeForm == nil {
			v.ChangeForm = kit.EmptyForm()
		}
		v.Requests, err = s.DB.Conn().ChangeRequests(ctx, m.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "minutes_approve", "Justera protokollet "+m.Date.String(), v)
}

// approveMinutes records the user's approval as justerare. A user with
// two-factor login confirms it with a fresh code; the approval is of the
// exemplar the page showed (its hash is posted back), so minutes changed in
// between are not approved unseen.
func (s *Handlers) approveMinutes(c *gin.Context) {
	cm, m, j, a, err := s.approveFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u := kit.CurrentUser(c)
	var in approveInput
	f := kit.Bind(c, &in)
	if u.TOTPEnabled {
		err := s.CheckCode(c, *u, in.Code)
		if errors.Is(err, kit.ErrTooManyAttempts) {
			f.Problem = kit.ErrThrottled
			s.renderApprove(c, http.StatusTooManyRequests, cm, m, j, a, f)
			return
		}
		if err != nil {
			if domain.IsFault(err) {
				s.Fail(c, err)
				return
			}
			f.Errors["code"] = domain.ErrorMessage(err)
			s.renderApprove(c, http.StatusUnauthorized, cm, m, j, a, f)
			return
		}
	}
	after, err := app.ApproveMinutes(ctx, s.DB, cm, m.ID, *u, in.SHA, s.BaseURL)
	if err != nil {
		s.Fail(c, err)
		return
	}
	msg := "Du har justerat protokollet. Det låses när den andra justeraren också har justerat."
	if after.Locked() {
		msg = "Protokollet är justerat av båda justerarna och låst."
	} else {
		for _, x := range after.Justerare {
			if x.MemberID != a.Justerare.MemberID && !x.Approved() && justeredBefore(j, x.MemberID) {
				msg = "Du har justerat protokollet. Det hade ändrats sedan " + x.MemberName + " justerade, som därför behöver justera igen."
			}
		}
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#justering", msg)
}

// justeredBefore reports whether the member had approved in j.
func justeredBefore(j meeting.Justering, memberID int64) bool {
	for _, x := range j.Justerare {
		if x.MemberID == memberID {
			return x.Approved()
		}
	}
	return false
}

// anslagInput is the form on the minutes page that records the anslag.
type anslagInput struct {
	AnnouncedOn string `form:"announced_on"`
}

// setAnnouncedOn records the anslag of justerade minutes.
func (s *Handlers) setAnnouncedOn(c *gin.Context) {
	cm, m, err := s.meetings.MeetingFor(c, meetings.Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in anslagInput
	f := kit.Bind(c, &in)
	day, err := domain.ParseDateField("announced_on", "Dagen för anslaget", in.AnnouncedOn, true)
	f.Fail(err)
	announce := func(tx *store.Conn) error { _, err := tx.SetAnnouncedOn(ctx, m.ID, day, s.Today()); return err }
	if !s.submit(c, f, announce, func(status int) { s.renderMinutesForm(c, status, cm, m, nil, f) }) {
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#anslag", "Anslaget är registrerat; överklagandetiden löper till "+meeting.AppealPeriodEnd(day).String()+".")
}
