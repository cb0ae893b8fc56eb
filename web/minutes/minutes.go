package minutes

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

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

// minutesAccessOf works out what u may do with m's minutes.
func (s *Handlers) minutesAccessOf(ctx context.Context, u *domain.User, cm domain.Committee, m meeting.Meeting, j meeting.Justering) (minutesAccess, error) {
	a := minutesAccess{Write: u.HasIn(cm.ID, meetings.Editors...)}
	a.Read = m.Locked() || u.HasIn(cm.ID, meetings.DraftReaders...)
	if !u.HasIn(cm.ID, domain.RoleMember) || len(j.Justerare) == 0 {
		return a, nil
	}
	members, err := s.DB.Conn().Members(ctx, cm.ID)
	if err != nil {
		return a, err
	}
	linked := map[int64]int64{}
	for _, mb := range members {
		linked[mb.ID] = mb.UserID
	}
	for i := range j.Justerare {
		if linked[j.Justerare[i].MemberID] == u.ID {
			a.Justerare, a.Read = &j.Justerare[i], true
			break
		}
	}
	return a, nil
}

// minutesFor reads the meeting of a minutes route and what the user may do
// with its minutes; a user who may not read them gets "not found".
func (s *Handlers) minutesFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Justering, minutesAccess, bool) {
	cm, m, ok := s.meetings.MeetingFor(c, domain.Roles)
	if !ok {
		return cm, m, meeting.Justering{}, minutesAccess{}, false
	}
	j, a, err := s.readableMinutes(c.Request.Context(), kit.CurrentUser(c), cm, m)
	if err != nil {
		s.Fail(c, err)
		return cm, m, j, a, false
	}
	return cm, m, j, a, true
}

// readableMinutes reads where m's justering stands and what u may do with
// the minutes; a user who may not read them gets errNoMinutes.
func (s *Handlers) readableMinutes(ctx context.Context, u *domain.User, cm domain.Committee, m meeting.Meeting) (meeting.Justering, minutesAccess, error) {
	j, err := s.DB.Conn().Justering(ctx, m.ID)
	if err != nil {
		return j, minutesAccess{}, err
	}
	a, err := s.minutesAccessOf(ctx, u, cm, m, j)
	if err == nil && !a.Read {
		err = errNoMinutes(m)
	}
	return j, a, err
}

// minutesOf reads what the minutes' PDFs show; on failure it answers the
// request and returns false.
func (s *Handlers) minutesOf(c *gin.Context, cm domain.Committee, m meeting.Meeting) (protokoll.Minutes, bool) {
	mins, err := protokoll.Load(c.Request.Context(), s.DB.Conn(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return mins, false
	}
	return mins, true
}

// exemplarHash is the hash a justering of m records: that of the
// justeringsexemplar built through the store's connection.
func exemplarHash(cm domain.Committee, m meeting.Meeting) store.MinutesHash {
	return func(ctx context.Context, conn *store.Conn) (string, error) {
		return protokoll.ExemplarHash(ctx, conn, cm, m.ID)
	}
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
}

// justerareSlot is one of the two choices of justerare in the form.
type justerareSlot struct{ Name, Label, Value string }

// minutesPage shows a meeting's minutes: the paragraphs, the justering and
// the anslag, with the PDFs.
func (s *Handlers) minutesPage(c *gin.Context) {
	cm, m, j, a, ok := s.minutesFor(c)
	if !ok {
		return
	}
	s.renderMinutes(c, http.StatusOK, cm, m, j, a, nil, nil)
}

func (s *Handlers) renderMinutes(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, j meeting.Justering, a minutesAccess, justerareForm, anslagForm *kit.Form) {
	ctx := c.Request.Context()
	mins, ok := s.minutesOf(c, cm, m)
	if !ok {
		return
	}
	exemplar, err := protokoll.Justeringsexemplar(mins)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := minutesView{Committee: cm, Meeting: meetings.LineOf(m), Justering: j, Access: a, Open: !m.Locked() && !m.Cancelled(),
		AppealEnds: j.AppealEnds(), ExemplarSHA: protokoll.Hash(exemplar), MeetingURL: kit.MeetingURL(m.ID),
		JusterareForm: justerareForm, AnslagForm: anslagForm}
	v.Verified = m.Locked() && v.ExemplarSHA == j.SHA256
	for _, p := range mins.Paragraphs {
		v.Paragraphs = append(v.Paragraphs, lineOfParagraph(p))
	}
	if a.Write && v.Open {
		if v.Items, err = s.unrecordedItems(ctx, m, mins.Paragraphs); err != nil {
			s.Fail(c, err)
			return
		}
		for _, at := range mins.Attendance {
			if at.Serving {
				v.Serving = append(v.Serving, at.Member)
			}
		}
		if v.JusterareForm == nil {
			v.JusterareForm = kit.EmptyForm()
			for i, x := range j.Justerare {
				v.JusterareForm.Values["justerare_"+strconv.Itoa(i+1)] = strconv.FormatInt(x.MemberID, 10)
			}
			v.JusterareForm.Values["justering_due"] = j.Due.String()
		}
		for i := 1; i <= 2; i++ {
			name := "justerare_" + strconv.Itoa(i)
			v.Slots = append(v.Slots, justerareSlot{Name: name, Label: "Justerare " + strconv.Itoa(i), Value: v.JusterareForm.Values[name]})
		}
	}
	if v.AnslagForm == nil {
		v.AnslagForm = kit.EmptyForm()
	}
	s.Render(c, status, "minutes", "Protokoll "+m.Date.String()+" – "+cm.Code, v)
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

// fileFormError puts err on the form: on its field, or as the form's
// problem. A conflict with the state of things (ECONFLICT without a field)
// or an internal error answers the request instead, and fileFormError
// returns false; otherwise the caller shows the form again when it has
// errors.
func (s *Handlers) fileFormError(c *gin.Context, f *kit.Form, err error) bool {
	if kit.StateConflict(err) {
		s.Fail(c, err)
		return false
	}
	return s.Record(c, f, err)
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

// sendPDF answers with a document to open in the browser.
func sendFile(c *gin.Context, contentType, name string, b []byte) {
	c.Header("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, contentType, b)
}

// minutesPDF sends the protokoll, or with exemplar the justeringsexemplar
// whose SHA-256 the justering records.
func (s *Handlers) minutesPDF(exemplar bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		cm, m, _, _, ok := s.minutesFor(c)
		if !ok {
			return
		}
		mins, ok := s.minutesOf(c, cm, m)
		if !ok {
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
	cm, m, _, _, ok := s.minutesFor(c)
	if !ok {
		return
	}
	mins, ok := s.minutesOf(c, cm, m)
	if !ok {
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
// meeting and what the user may do with the minutes.
func (s *Handlers) paragraphFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Paragraph, minutesAccess, bool) {
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
	if err != nil {
		s.Fail(c, err)
		return cm, m, p, a, false
	}
	return cm, m, p, a, true
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
	cm, m, p, a, ok := s.paragraphFor(c)
	if !ok {
		return
	}
	s.renderParagraph(c, http.StatusOK, cm, m, p, a, nil)
}

func (s *Handlers) renderParagraph(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, a minutesAccess, assignmentForm *kit.Form) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	mins, ok := s.minutesOf(c, cm, m)
	if !ok {
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
	}
	var err error
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
	cm, m, p, _, ok := s.paragraphFor(c)
	if !ok {
		return
	}
	mins, ok := s.minutesOf(c, cm, m)
	if !ok {
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

// paragraphFields are the fields of the paragraph form, besides the
// yrkanden (motion_member_N, motion_text_N) and votes (vote_<member>).
var paragraphFields = []string{"agenda_item", "case", "title", "summary", "proposal", "proposition_order", "proposition_result",
	"decision", "reservations", "dispatch_to", "basis", "close_case"}

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

func (s *Handlers) renderParagraphForm(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, f *kit.Form) {
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
	for i := 1; i <= meeting.MaxMotions; i++ {
		if f.Values[motionField("member", i)] != "" || f.Values[motionField("text", i)] != "" {
			rows = i
		}
	}
	for i := 1; i <= min(rows+motionRows, meeting.MaxMotions); i++ {
		v.Motions = append(v.Motions, i)
	}
	if id, _ := strconv.ParseInt(f.Values["agenda_item"], 10, 64); id != 0 {
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

// paragraphFormFields lists every field the paragraph form may post for a
// meeting's members.
func paragraphFormFields(att []meeting.Attendance) []string {
	names := append([]string(nil), paragraphFields...)
	for i := 1; i <= meeting.MaxMotions; i++ {
		names = append(names, motionField("member", i), motionField("text", i))
	}
	for _, a := range att {
		names = append(names, voteField(a.MemberID))
	}
	return names
}

func voteField(memberID int64) string { return "vote_" + strconv.FormatInt(memberID, 10) }

// paragraphForm fills the form with a paragraph's values.
func paragraphForm(p meeting.Paragraph, parties []domain.Party) *kit.Form {
	f := kit.EmptyForm()
	f.Values["title"], f.Values["summary"], f.Values["proposal"] = p.Title, p.Summary, p.Proposal
	f.Values["proposition_order"], f.Values["proposition_result"] = p.PropositionOrder, p.PropositionResult
	f.Values["decision"], f.Values["reservations"], f.Values["basis"] = p.Decision, p.Reservations, p.Basis
	f.Values["dispatch_to"] = meeting.FormatRecipientList(p.DispatchTo, parties)
	for i, mo := range p.Motions {
		f.Values[motionField("member", i+1)] = strconv.FormatInt(mo.MemberID, 10)
		f.Values[motionField("text", i+1)] = mo.Text
	}
	for id, vote := range p.Votes {
		f.Values[voteField(id)] = string(vote)
	}
	return f
}

// paragraphFromForm reads the paragraph form; the store checks the rest.
func (s *Handlers) paragraphFromForm(ctx context.Context, cm domain.Committee, att []meeting.Attendance, f *kit.Form) (meeting.Paragraph, error) {
	p := meeting.Paragraph{Title: f.Values["title"], Summary: f.Values["summary"], Proposal: f.Values["proposal"],
		PropositionOrder: f.Values["proposition_order"], PropositionResult: f.Values["proposition_result"],
		Decision: f.Values["decision"], Reservations: f.Values["reservations"], Basis: f.Values["basis"]}
	var err error
	if p.AgendaItemID, err = kit.FormID(f, "agenda_item", "Välj punkten på föredragningslistan."); err != nil {
		return p, err
	}
	if p.CaseID, err = kit.FormID(f, "case", "Välj ärendet i listan."); err != nil {
		return p, err
	}
	for i := 1; i <= meeting.MaxMotions; i++ {
		member, text := f.Value(motionField("member", i)), f.Value(motionField("text", i))
		if member == "" && text == "" {
			continue
		}
		id, err := strconv.ParseInt(member, 10, 64)
		if member == "" || err != nil {
			return p, domain.FieldErrorf("motions", "Yrkande %d: välj vem som yrkar.", i)
		}
		p.Motions = append(p.Motions, meeting.Motion{MemberID: id, Text: text})
	}
	for _, a := range att {
		raw := f.Value(voteField(a.MemberID))
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
	p.DispatchTo, err = meeting.ParseRecipientList("dispatch_to", f.Values["dispatch_to"], parties)
	return p, err
}

// readParagraphForm reads the posted paragraph form of meeting m. On a
// failure to read the meeting's attendance it answers the request and
// returns a nil form.
func (s *Handlers) readParagraphForm(c *gin.Context, cm domain.Committee, m meeting.Meeting) (*kit.Form, meeting.Paragraph, error) {
	att, err := s.DB.Conn().Attendance(c.Request.Context(), m.ID)
	if err != nil {
		s.Fail(c, err)
		return nil, meeting.Paragraph{}, err
	}
	f := kit.ReadForm(c, paragraphFormFields(att)...)
	p, err := s.paragraphFromForm(c.Request.Context(), cm, att, f)
	return f, p, err
}

// openMinutesFor is meetingFor for a change to the minutes: the meeting's
// minutes must still be open.
func (s *Handlers) openMinutesFor(c *gin.Context) (domain.Committee, meeting.Meeting, bool) {
	cm, m, ok := s.meetings.MeetingFor(c, meetings.Editors)
	if !ok {
		return cm, m, false
	}
	if m.Locked() || m.Cancelled() {
		err := domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat och låst. Inget i det kan ändras.", m.Date)
		if m.Cancelled() {
			err = domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt och har inget protokoll.", m.Date)
		}
		s.Fail(c, err)
		return cm, m, false
	}
	return cm, m, true
}

// newParagraphForm shows the form for a new paragraph, filled from an
// agenda item (?punkt=) when one is given: its title, case, förslag till
// beslut (also as the beslut, as when the proposal is adopted) and
// recipients.
func (s *Handlers) newParagraphForm(c *gin.Context) {
	cm, m, ok := s.openMinutesFor(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f := kit.EmptyForm()
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
		f = paragraphForm(meeting.Paragraph{Title: it.Title, Summary: it.Description, Proposal: it.Proposal, Decision: it.Proposal, DispatchTo: it.DispatchTo}, parties)
		f.Values["agenda_item"] = strconv.FormatInt(it.ID, 10)
	}
	s.renderParagraphForm(c, http.StatusOK, cm, m, meeting.Paragraph{}, f)
}

// createParagraph writes a new paragraph from the form.
func (s *Handlers) createParagraph(c *gin.Context) {
	cm, m, ok := s.openMinutesFor(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f, p, err := s.readParagraphForm(c, cm, m)
	if f == nil {
		return
	}
	if err == nil && f.OK() {
		p.MeetingID = m.ID
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			p, err = tx.CreateParagraph(ctx, p, f.Value("close_case") != "")
			return err
		})
	}
	if !s.fileFormError(c, f, err) {
		return
	}
	if !f.OK() {
		s.renderParagraphForm(c, kit.FormStatus(err), cm, m, meeting.Paragraph{}, f)
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#p"+strconv.Itoa(p.Number), p.Ref()+" "+p.Title+" är protokollförd.")
}

// editParagraphForm shows the form for changing a paragraph.
func (s *Handlers) editParagraphForm(c *gin.Context) {
	cm, m, p, _, ok := s.paragraphFor(c)
	if !ok {
		return
	}
	if !kit.CurrentUser(c).HasIn(cm.ID, meetings.Editors...) {
		s.Fail(c, errMayNotWriteMinutes)
		return
	}
	if m.Locked() {
		s.Fail(c, domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat och låst. Inget i det kan ändras.", m.Date))
		return
	}
	parties, err := s.meetings.CommitteeParties(c.Request.Context(), cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderParagraphForm(c, http.StatusOK, cm, m, p, paragraphForm(p, parties))
}

var errMayNotWriteMinutes = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat skriver protokoll.")

// editParagraph saves a changed paragraph. Locked minutes are refused by
// the store (and the database) whatever the page showed.
func (s *Handlers) editParagraph(c *gin.Context) {
	cm, m, p, _, ok := s.paragraphFor(c)
	if !ok {
		return
	}
	if !kit.CurrentUser(c).HasIn(cm.ID, meetings.Editors...) {
		s.Fail(c, errMayNotWriteMinutes)
		return
	}
	ctx := c.Request.Context()
	f, changed, err := s.readParagraphForm(c, cm, m)
	if f == nil {
		return
	}
	if err == nil && f.OK() {
		changed.ID = p.ID
		err = s.InTx(c, func(tx *store.Conn) error { _, err := tx.UpdateParagraph(ctx, changed); return err })
	}
	if !s.fileFormError(c, f, err) {
		return
	}
	if !f.OK() {
		s.renderParagraphForm(c, kit.FormStatus(err), cm, m, p, f)
		return
	}
	s.Redirect(c, kit.ParagraphURL(p.ID), "Ändringarna i "+p.Ref()+" är sparade.")
}

// setJusterare records the meeting's two justerare and the tid för
// justering from the minutes page.
func (s *Handlers) setJusterare(c *gin.Context) {
	cm, m, ok := s.openMinutesFor(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f := kit.ReadForm(c, "justerare_1", "justerare_2", "justering_due")
	var ids []int64
	for _, name := range []string{"justerare_1", "justerare_2"} {
		id, err := kit.FormID(f, name, "Välj justerare i listan.")
		if err != nil {
			f.Fail(domain.FieldErrorf("justerare", "%s", domain.ErrorMessage(err)))
		}
		if id != 0 {
			ids = append(ids, id)
		}
	}
	due, err := domain.ParseDateField("justering_due", "Tiden för justering", f.Value("justering_due"), true)
	if err == nil && f.OK() {
		err = s.InTx(c, func(tx *store.Conn) error { _, err := tx.SetJusterare(ctx, m.ID, ids, due); return err })
	}
	if !s.fileFormError(c, f, err) {
		return
	}
	if !f.OK() {
		s.renderMinutesForm(c, kit.FormStatus(err), cm, m, f, nil)
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#justering", "Justerarna och tiden för justering är sparade.")
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
}

// approveFor reads the meeting of a justering route and checks that the
// user is one of its justerare.
func (s *Handlers) approveFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Justering, minutesAccess, bool) {
	cm, m, j, a, ok := s.minutesFor(c)
	if ok && a.Justerare == nil {
		s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "Du är inte justerare av protokollet från sammanträdet den %s.", m.Date))
		return cm, m, j, a, false
	}
	if ok && m.Locked() {
		s.Fail(c, domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är redan justerat och låst.", m.Date))
		return cm, m, j, a, false
	}
	return cm, m, j, a, ok
}

// approveForm shows a justerare the justeringsexemplar to approve, its
// SHA-256, and asks for the two-factor code.
func (s *Handlers) approveForm(c *gin.Context) {
	cm, m, j, a, ok := s.approveFor(c)
	if !ok {
		return
	}
	s.renderApprove(c, http.StatusOK, cm, m, j, a, kit.EmptyForm())
}

func (s *Handlers) renderApprove(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, j meeting.Justering, a minutesAccess, f *kit.Form) {
	ctx := c.Request.Context()
	sum, err := exemplarHash(cm, m)(ctx, s.DB.Conn())
	if err != nil {
		s.Fail(c, err)
		return
	}
	if f.Values["sha"] == "" {
		f.Values["sha"] = sum
	}
	v := approveView{Committee: cm, Meeting: meetings.LineOf(m), Justerare: *a.Justerare, Justering: j, SHA: sum,
		NeedsCode: kit.CurrentUser(c).TOTPEnabled, Form: f, MinutesURL: kit.MinutesURL(m.ID)}
	s.Render(c, status, "minutes_approve", "Justera protokollet "+m.Date.String(), v)
}

// approveMinutes records the user's approval as justerare. A user with
// two-factor login confirms it with a fresh code; the approval is of the
// exemplar the page showed (its hash is posted back), so minutes changed in
// between are not approved unseen.
func (s *Handlers) approveMinutes(c *gin.Context) {
	cm, m, j, a, ok := s.approveFor(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u := kit.CurrentUser(c)
	f := kit.ReadForm(c, "code", "sha")
	if u.TOTPEnabled {
		account := strings.ToLower(u.Email)
		if s.Limiter.Blocked(account, c.ClientIP()) {
			f.Problem = kit.ErrThrottled
			s.renderApprove(c, http.StatusTooManyRequests, cm, m, j, a, f)
			return
		}
		if err := s.CheckSecondFactor(ctx, *u, f.Value("code")); err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				s.Fail(c, err)
				return
			}
			s.Limiter.Failed(account, c.ClientIP())
			f.Errors["code"] = domain.ErrorMessage(err)
			s.renderApprove(c, http.StatusUnauthorized, cm, m, j, a, f)
			return
		}
	}
	seen := f.Value("sha")
	hash := exemplarHash(cm, m)
	var after meeting.Justering
	err := s.InTx(c, func(tx *store.Conn) error {
		var err error
		after, err = tx.ApproveMinutes(ctx, m.ID, *u, s.Today(), func(ctx context.Context, conn *store.Conn) (string, error) {
			sum, err := hash(ctx, conn)
			if err == nil && sum != seen {
				err = domain.Errorf(domain.ECONFLICT, "Protokollet har ändrats sedan du öppnade sidan. Läs det nya justeringsexemplaret och justera igen.")
			}
			return sum, err
		})
		return err
	})
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

// setAnnouncedOn records the anslag of justerade minutes.
func (s *Handlers) setAnnouncedOn(c *gin.Context) {
	cm, m, ok := s.meetings.MeetingFor(c, meetings.Editors)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f := kit.ReadForm(c, "announced_on")
	day, err := domain.ParseDateField("announced_on", "Dagen för anslaget", f.Value("announced_on"), true)
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error { _, err := tx.SetAnnouncedOn(ctx, m.ID, day, s.Today()); return err })
	}
	if !s.fileFormError(c, f, err) {
		return
	}
	if !f.OK() {
		s.renderMinutesForm(c, kit.FormStatus(err), cm, m, nil, f)
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#anslag", "Anslaget är registrerat; överklagandetiden löper till "+meeting.AppealPeriodEnd(day).String()+".")
}
