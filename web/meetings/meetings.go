package meetings

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/cases"
	"github.com/region-jh/gns/web/kit"
)

// Who works with meetings. The secretariat of the committee (and admin) plans
// meetings and writes the kallelse. Every role of the committee reads the
// year plan, which the committee decides in public (reglemente § 7); the
// kallelse with its föredragningslista is read by the secretariat, admin and
// auditor while it is a draft, and by every role of the committee once it is
// published.
var (
	Editors      = []domain.Role{domain.RoleSecretariat, domain.RoleAdmin}
	DraftReaders = []domain.Role{domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor}
	Writers      = kit.Roles(Editors...)
)

// routes registers the year plan, the meeting pages with their
// kallelse and attendance, the agenda's items, the calendar feeds and the
// meetings' JSON API.
func (s *Handlers) routes() {
	s.Handle("GET", "/sammantraden", kit.LoggedIn, s.meetingsIndex)
	s.Handle("GET", "/namnder/:code/sammantraden", kit.LoggedIn, s.yearPlanPage)
	s.Handle("GET", "/namnder/:code/sammantraden/nytt", Writers, s.newMeetingForm)
	s.Handle("POST", "/namnder/:code/sammantraden", Writers, s.createMeeting)
	s.Handle("GET", "/sammantraden/:id", kit.LoggedIn, s.meetingPage)
	s.Handle("GET", "/sammantraden/:id/andra", Writers, s.editMeetingForm)
	s.Handle("POST", "/sammantraden/:id/andra", Writers, s.editMeeting)
	s.Handle("GET", "/sammantraden/:id/installa", Writers, s.confirmMeetingStep("installa"))
	s.Handle("POST", "/sammantraden/:id/installa", Writers, s.meetingStepDone("installa"))
	s.Handle("GET", "/sammantraden/:id/publicera", Writers, s.confirmMeetingStep("publicera"))
	s.Handle("POST", "/sammantraden/:id/publicera", Writers, s.meetingStepDone("publicera"))
	s.Handle("GET", "/sammantraden/:id/kallelse.pdf", kit.LoggedIn, s.kallelsePDF)
	s.Handle("GET", "/sammantraden/:id/narvaro", Writers, s.attendanceForm)
	s.Handle("POST", "/sammantraden/:id/narvaro", Writers, s.saveAttendance)
	s.agendaRoutes()
	s.absenceRoutes()
	s.calendarRoutes()
	s.meetingAPIRoutes()
}

// errNoMeeting is the answer for a meeting that does not exist or that the
// user has no part in.
var errNoMeeting = domain.Errorf(domain.ENOTFOUND, "Sammanträdet finns inte.")

// MeetingFor reads the :id of a meeting route and checks that the user holds
// one of the roles in the meeting's committee. A meeting of a committee the
// user has no part in is "not found", as kit.CommitteeFor answers for the
// committee itself. It never answers the request: the caller fails with the
// error.
func (s *Handlers) MeetingFor(c *gin.Context, roles []domain.Role) (domain.Committee, meeting.Meeting, error) {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return domain.Committee{}, meeting.Meeting{}, errNoMeeting
	}
	m, err := s.DB.Conn().MeetingByID(ctx, id)
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, m.CommitteeID)
	}
	if err == nil && !kit.CurrentUser(c).HasIn(cm.ID, roles...) {
		err = errNoMeeting
		if kit.CurrentUser(c).InCommittee(cm.ID) {
			err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat planerar sammanträden och skriver kallelser.")
		}
	}
	if err != nil {
		return domain.Committee{}, meeting.Meeting{}, err
	}
	return cm, m, nil
}

// changeableMeetingFor is MeetingFor for the secretariat's change of a
// meeting that can still change (store.MeetingChangeable).
func (s *Handlers) changeableMeetingFor(c *gin.Context) (domain.Committee, meeting.Meeting, error) {
	cm, m, err := s.MeetingFor(c, Editors)
	if err == nil {
		err = store.MeetingChangeable(m)
	}
	return cm, m, err
}

// seesKallelse reports whether the user may read the meeting's kallelse:
// once published, every role of the committee; before, those who may read
// drafts.
func seesKallelse(u *domain.User, cm domain.Committee, m meeting.Meeting) bool {
	return m.Published() || u.HasIn(cm.ID, DraftReaders...)
}

// meetingsIndex sends the user to this year's plan of the first committee
// the user has a role in.
func (s *Handlers) meetingsIndex(c *gin.Context) {
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(cms) == 0 {
		s.Render(c, http.StatusOK, "meetings", "Sammanträden", yearPlanView{Year: s.Today().Year})
		return
	}
	c.Redirect(http.StatusFound, kit.YearPlanURL(cms[0].Code, s.Today().Year))
}

// Line is one meeting of the year plan as a list shows it.
type Line struct {
	meeting.Meeting
	URL, Day, Time, Status string
	// InText is the day for running text, "måndag 8 februari 2027".
	InText string
	// Exception names the weekday of a confirmed exception to the weekday
	// rule, e.g. "onsdag".
	Exception string
}

// LineOf is meeting m as the lists show it.
func LineOf(m meeting.Meeting) Line {
	l := Line{Meeting: m, URL: kit.MeetingURL(m.ID), Day: kallelse.DayText(m.Date), InText: kallelse.DayInText(m.Date), Time: kallelse.TimeText(m), Status: meetingStatus(m)}
	if m.WeekdayConfirmed {
		l.Exception = m.Date.WeekdayName()
	}
	return l
}

// meetingStatus says in Swedish where a meeting stands.
func meetingStatus(m meeting.Meeting) string {
	switch {
	case m.Cancelled():
		return "Inställt"
	case m.Locked():
		return "Protokollet justerat"
	case m.Published():
		return "Kallelsen publicerad"
	}
	return "Planerat"
}

// yearPlanView is a committee's meetings in one year.
type yearPlanView struct {
	Committee  domain.Committee
	Committees []domain.Committee
	Year       int
	// Years are the years to switch to: those with meetings, this year and
	// the next.
	Years    []int
	Meetings []Line
	CanWrite bool
	FeedURL  string
}

// yearPlanPage lists a committee's meetings of a year (?ar=2027, this year
// by default), with the secretariat's links to plan more.
func (s *Handlers) yearPlanPage(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	year, err := s.queryYear(c, "ar")
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	list, err := conn.Meetings(ctx, cm.ID, year)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := yearPlanView{Committee: cm, Year: year, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, Editors...),
		FeedURL: "/namnder/" + url.PathEscape(cm.Code) + "/sammantraden.ics"}
	for _, m := range list {
		v.Meetings = append(v.Meetings, LineOf(m))
	}
	if v.Committees, err = s.ReadableCommittees(c); err != nil {
		s.Fail(c, err)
		return
	}
	years, err := conn.MeetingYears(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Years = mergeYears(years, s.Today().Year, s.Today().Year+1, year)
	s.Render(c, http.StatusOK, "meetings", fmt.Sprintf("Sammanträden %d – %s", year, cm.Code), v)
}

// queryYear reads the year of a year plan from the query parameter name:
// this year when it is not given.
func (s *Handlers) queryYear(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return s.Today().Year, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, domain.FieldErrorf(name, "Ange året med fyra siffror, t.ex. 2027.")
	}
	return y, nil
}

// mergeYears returns the years, and the extra ones, once each in order.
func mergeYears(years []int, extra ...int) []int {
	seen := map[int]bool{}
	var out []int
	for _, y := range append(append([]int(nil), years...), extra...) {
		if !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// meetingFormView is the form that plans a meeting or changes one.
type meetingFormView struct {
	Committee domain.Committee
	Meeting   meeting.Meeting // zero for a new meeting
	Form      *kit.Form
	Purposes  []meeting.MeetingPurpose
	// Confirm shows the checkbox that confirms an exception to the weekday
	// rule.
	Confirm bool
	// ThisYear is the year whose plan Avbryt goes back to for a new meeting.
	ThisYear int
}

// Action is where the form posts.
func (v meetingFormView) Action() string {
	if v.Meeting.ID != 0 {
		return kit.MeetingURL(v.Meeting.ID) + "/andra"
	}
	return "/namnder/" + url.PathEscape(v.Committee.Code) + "/sammantraden"
}

// Back is where Avbryt goes.
func (v meetingFormView) Back() string {
	if v.Meeting.ID != 0 {
		return kit.MeetingURL(v.Meeting.ID)
	}
	return kit.YearPlanURL(v.Committee.Code, v.ThisYear)
}

// meetingInput is the meeting form: what the secretariat plans a meeting
// with.
type meetingInput struct {
	Date           string `form:"date"`
	StartTime      string `form:"start_time"`
	EndTime        string `form:"end_time"`
	Place          string `form:"place"`
	Link           string `form:"link"`
	Purpose        string `form:"purpose"`
	Municipalities bool   `form:"municipalities"`
	ConfirmWeekday bool   `form:"confirm_weekday"`
	Notes          string `form:"notes"`
}

// inputOf fills the meeting form with a meeting's values.
func inputOf(m meeting.Meeting) meetingInput {
	return meetingInput{Date: m.Date.String(), StartTime: m.StartTime, EndTime: m.EndTime, Place: m.Place, Link: m.Link,
		Purpose: string(m.Purpose), Municipalities: m.Municipalities, ConfirmWeekday: m.WeekdayConfirmed, Notes: m.Notes}
}

// meeting reads the form; the store checks the rest.
func (in meetingInput) meeting() (meeting.Meeting, error) {
	d, err := domain.ParseDateField("date", "Datumet", in.Date, true)
	if err != nil {
		return meeting.Meeting{}, err
	}
	return meeting.Meeting{Date: d, StartTime: in.StartTime, EndTime: in.EndTime, Place: in.Place, Link: in.Link,
		Purpose: meeting.MeetingPurpose(in.Purpose), Municipalities: in.Municipalities, WeekdayConfirmed: in.ConfirmWeekday, Notes: in.Notes}, nil
}

// renderMeetingForm shows the meeting form f, which holds in: the
// checkbox that confirms an exception to the weekday rule shows once it is
// ticked or asked for.
func (s *Handlers) renderMeetingForm(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, in meetingInput, f *kit.Form) {
	v := meetingFormView{Committee: cm, Meeting: m, Form: f, Purposes: meeting.MeetingPurposes, ThisYear: s.Today().Year}
	_, confirmErr := f.Errors["confirm_weekday"]
	v.Confirm = confirmErr || in.ConfirmWeekday
	title := "Planera sammanträde i " + cm.Code
	if m.ID != 0 {
		title = "Ändra sammanträdet " + m.Date.String()
	}
	s.Render(c, status, "meeting_form", title, v)
}

// newMeetingForm shows the form for planning a meeting, for the year of the
// plan it was opened from (?ar=).
func (s *Handlers) newMeetingForm(c *gin.Context) {
	cm, err := s.CommitteeFor(c, Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := inputOf(meeting.Meeting{StartTime: "09:00", EndTime: "12:00", Purpose: meeting.PurposeOther, Municipalities: true})
	s.renderMeetingForm(c, http.StatusOK, cm, meeting.Meeting{}, in, kit.FormOf(in))
}

// createMeeting plans a meeting from the form.
func (s *Handlers) createMeeting(c *gin.Context) {
	cm, err := s.CommitteeFor(c, Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in meetingInput
	f := kit.Bind(c, &in)
	m, err := in.meeting()
	f.Fail(err)
	m.CommitteeID = cm.ID
	create := func(tx *store.Conn) error {
		var err error
		m, err = tx.CreateMeeting(c.Request.Context(), m)
		return err
	}
	if !s.Submit(c, f, create, func(status int) { s.renderMeetingForm(c, status, cm, meeting.Meeting{}, in, f) }) {
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID), "Sammanträdet "+kallelse.DayInText(m.Date)+" är planerat.")
}

// editMeetingForm shows the form for changing a meeting.
func (s *Handlers) editMeetingForm(c *gin.Context) {
	cm, m, err := s.changeableMeetingFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := inputOf(m)
	s.renderMeetingForm(c, http.StatusOK, cm, m, in, kit.FormOf(in))
}

// editMeeting saves a changed meeting.
func (s *Handlers) editMeeting(c *gin.Context) {
	cm, m, err := s.changeableMeetingFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in meetingInput
	f := kit.Bind(c, &in)
	changed, err := in.meeting()
	f.Fail(err)
	changed.ID, changed.CommitteeID = m.ID, m.CommitteeID
	var after meeting.Meeting
	update := func(tx *store.Conn) error {
		var err error
		after, err = tx.UpdateMeeting(c.Request.Context(), changed)
		return err
	}
	if !s.Submit(c, f, update, func(status int) { s.renderMeetingForm(c, status, cm, m, in, f) }) {
		return
	}
	msg := "Ändringarna är sparade."
	if after.Sequence == m.Sequence {
		msg = "Inget var ändrat; sammanträdet är som förut."
	}
	s.Redirect(c, kit.MeetingURL(m.ID), msg)
}

// confirmMeetingStep asks before a meeting is cancelled ("installa") or its
// kallelse published ("publicera").
func (s *Handlers) confirmMeetingStep(step string) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, m, err := s.changeableMeetingFor(c)
		if err == nil && step == "publicera" && m.Published() {
			err = domain.Errorf(domain.ECONFLICT, "Kallelsen till sammanträdet den %s är redan publicerad.", m.Date)
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: kit.MeetingURL(m.ID)}
		day := kallelse.DayInText(m.Date)
		if step == "publicera" {
			p.Heading = "Publicera kallelsen till sammanträdet " + day + "?"
			p.Text = "Nämndens ledamöter, ersättare och övriga roller i nämnden ser då sammanträdet och föredragningslistan och kan hämta kallelsen som PDF. Publiceringen går inte att ta tillbaka; listan kan fortfarande rättas."
			p.Button = "Publicera kallelsen"
		} else {
			p.Heading = "Ställ in sammanträdet " + day + "?"
			p.Text = "Sammanträdet står kvar i årsplanen och i kalendrarna, markerat som inställt. Det går inte att ändra eller ta upp igen; planera ett nytt sammanträde i stället."
			p.Button = "Ställ in sammanträdet"
		}
		s.Render(c, http.StatusOK, "confirm", p.Heading, p)
	}
}

// meetingStepDone cancels a meeting ("installa") or publishes its kallelse
// ("publicera") after the confirm step.
func (s *Handlers) meetingStepDone(step string) gin.HandlerFunc {
	return func(c *gin.Context) {
		cm, m, err := s.MeetingFor(c, Editors)
		if err != nil {
			s.Fail(c, err)
			return
		}
		ctx := c.Request.Context()
		msg := "Kallelsen är publicerad. Nämndens ledamöter ser den nu."
		err = s.InTx(c, func(tx *store.Conn) error {
			if step == "publicera" {
				published, err := tx.PublishKallelse(ctx, m.ID)
				if err != nil {
					return err
				}
				n, err := app.KallelseMails(ctx, tx, cm, published, s.BaseURL)
				msg += " " + s.MailNotice(n, "ledamöter, ersättare och parternas kontaktpersoner")
				return err
			}
			_, err := tx.CancelMeeting(ctx, m.ID)
			msg = "Sammanträdet är inställt."
			return err
		})
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.Redirect(c, kit.MeetingURL(m.ID), msg)
	}
}

// agendaLine is one item of the föredragningslista as the meeting page shows
// it.
type agendaLine struct {
	kallelse.Item
	Documents []cases.DocumentView
	// Extracts are the case's paragraphs from earlier meetings, also
	// beslutsunderlag.
	Extracts []extractLink
	CaseURL  string
	URL      string
	// MovedToURL is the meeting a moved item went to.
	MovedToURL string
	// First and Last tell whether the item can move up or down.
	First, Last bool
}

// extractLink is an earlier paragraph of a case, linked to its meeting.
type extractLink struct{ Text, URL string }

// meetingDocs is what the meeting page, the kallelse PDF and the API read
// about a meeting.
type meetingDocs struct {
	kallelse    kallelse.Kallelse
	lines       []agendaLine
	attendance  []meeting.Attendance
	parties     []domain.Party
	caseNumbers map[int64]domain.CaseNumber
}

// loadMeetingDocs reads a meeting's members, föredragningslista with each
// case's documents, attendance and the assignments due at it.
func (s *Handlers) loadMeetingDocs(ctx context.Context, cm domain.Committee, m meeting.Meeting) (meetingDocs, error) {
	conn := s.DB.Conn()
	var d meetingDocs
	k := kallelse.Kallelse{Committee: cm.Name, Meeting: m, Created: m.PublishedAt}
	if k.Created.IsZero() {
		k.Created = m.UpdatedAt
	}
	if cm.HostPartyID != 0 {
		host, err := conn.PartyByID(ctx, cm.HostPartyID)
		if err != nil {
			return d, err
		}
		k.Host = host.Name
	}
	members, err := conn.CalledMembers(ctx, m)
	if err != nil {
		return d, err
	}
	k.Members = members
	mps, err := conn.CommitteeParties(ctx, cm.ID)
	if err != nil {
		return d, err
	}
	for _, p := range mps {
		d.parties = append(d.parties, p.Party)
	}
	items, err := conn.AgendaItems(ctx, m.ID)
	if err != nil {
		return d, err
	}
	d.caseNumbers = map[int64]domain.CaseNumber{}
	for i, it := range items {
		ki := kallelse.Item{AgendaItem: it, Number: it.Position}
		for _, r := range it.DispatchTo {
			ki.Recipients = append(ki.Recipients, r.Label(d.parties))
		}
		line := agendaLine{URL: kit.MeetingURL(m.ID) + "/punkter/" + strconv.FormatInt(it.ID, 10), First: i <= 2, Last: i == len(items)-1}
		if it.CaseID != 0 {
			n, _ := domain.ParseCaseNumber(it.CaseNumber)
			d.caseNumbers[it.CaseID] = n
			line.CaseURL = kit.CaseURL(n)
			docs, err := conn.CaseDocuments(ctx, it.CaseID)
			if err != nil {
				return d, err
			}
			for _, doc := range docs {
				ki.Basis = append(ki.Basis, doc.Title)
				line.Documents = append(line.Documents, cases.DocumentView{CaseDocument: doc, SizeText: kit.FileSize(doc.Size),
					URL: kit.CaseURL(n) + "/handlingar/" + strconv.FormatInt(doc.ID, 10)})
			}
			if line.Extracts, err = s.earlierParagraphs(ctx, it.CaseID, m); err != nil {
				return d, err
			}
			for _, x := range line.Extracts {
				ki.Basis = append(ki.Basis, x.Text)
			}
		}
		if it.MovedTo != 0 {
			to, err := conn.MeetingByID(ctx, it.MovedTo)
			if err != nil {
				return d, err
			}
			ki.MovedToDate, line.MovedToURL = to.Date, kit.MeetingURL(to.ID)
		}
		line.Item = ki
		k.Items = append(k.Items, ki)
		d.lines = append(d.lines, line)
	}
	if k.Assignments, err = conn.AssignmentsForMeeting(ctx, m.ID); err != nil {
		return d, err
	}
	if k.Changes, err = conn.KallelseChanges(ctx, m.ID); err != nil {
		return d, err
	}
	if d.attendance, err = conn.Attendance(ctx, m.ID); err != nil {
		return d, err
	}
	d.kallelse = k
	return d, nil
}

// earlierParagraphs lists a case's paragraphs from meetings before m, as
// the beslutsunderlag of a kallelse names them: "§ 8 Återstående medel från
// 2018 (protokoll 2020-02-14)".
func (s *Handlers) earlierParagraphs(ctx context.Context, caseID int64, m meeting.Meeting) ([]extractLink, error) {
	paras, err := s.DB.Conn().CaseParagraphs(ctx, caseID)
	if err != nil {
		return nil, err
	}
	var out []extractLink
	for _, p := range paras {
		pm, err := s.DB.Conn().MeetingByID(ctx, p.MeetingID)
		if err != nil {
			return nil, err
		}
		if pm.Date.Before(m.Date) {
			out = append(out, extractLink{Text: fmt.Sprintf("§ %d %s (protokoll %s)", p.Number, p.Title, pm.Date), URL: kit.MeetingURL(pm.ID)})
		}
	}
	return out, nil
}

// meetingView is the page of one meeting.
type meetingView struct {
	Committee domain.Committee
	Meeting   Line
	// Absences are the förhinder reported, with the ersättare to call in
	// (shown to the secretariat); CanReportAbsence offers "Anmäl förhinder"
	// to a called member.
	Absences         []absenceLine
	CanReportAbsence bool
	// ShowKallelse is false for a member while the kallelse is a draft.
	ShowKallelse bool
	CanWrite     bool
	Changeable   bool
	Groups       []kallelse.Group
	Items        []agendaLine
	Attendance   []attendanceLine
	Present      int
	Assignments  []meeting.Assignment
	// Changes are the changes made after the kallelse was published;
	// Changed says so in one line.
	Changes []meeting.KallelseChange
	Changed string
	// ItemForm adds an item; Cases are the committee's open cases that are
	// not on the list yet.
	ItemForm *kit.Form
	Cases    []domain.Case
	PDFURL   string
	YearURL  string
	// EditItem, when set, makes the page the form that edits one item.
	EditItem *itemFormView
}

// meetingPage shows a meeting: its facts, the members called and the
// föredragningslista, and to the secretariat the forms that change them.
func (s *Handlers) meetingPage(c *gin.Context) {
	cm, m, err := s.MeetingFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderMeeting(c, http.StatusOK, cm, m, nil)
}

func (s *Handlers) renderMeeting(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, itemForm *kit.Form) {
	ctx := c.Request.Context()
	u := kit.CurrentUser(c)
	v := meetingView{Committee: cm, Meeting: LineOf(m), ShowKallelse: seesKallelse(u, cm, m), CanWrite: u.HasIn(cm.ID, Editors...),
		PDFURL: kit.MeetingURL(m.ID) + "/kallelse.pdf", YearURL: kit.YearPlanURL(cm.Code, m.Date.Year), ItemForm: itemForm}
	v.Changeable = v.CanWrite && store.MeetingChangeable(m) == nil
	if v.ShowKallelse {
		d, err := s.loadMeetingDocs(ctx, cm, m)
		if err != nil {
			s.Fail(c, err)
			return
		}
		v.Groups, v.Items, v.Assignments = kallelse.Groups(d.kallelse.Members), d.lines, d.kallelse.Assignments
		v.Changes, v.Changed = d.kallelse.Changes, kallelse.ChangedText(d.kallelse.Changes)
		v.Attendance, v.Present = attendanceLines(d.attendance)
	}
	if v.CanWrite {
		var err error
		if v.Absences, err = s.absenceLines(ctx, m); err != nil {
			s.Fail(c, err)
			return
		}
	}
	v.CanReportAbsence = u.HasIn(cm.ID, domain.RoleMember) && m.Published() && !m.Cancelled() && !m.Date.Before(s.Today())
	if v.Changeable {
		cases, err := s.agendaCandidates(ctx, cm, v.Items)
		if err != nil {
			s.Fail(c, err)
			return
		}
		v.Cases = cases
		if v.ItemForm == nil {
			v.ItemForm = kit.EmptyForm()
		}
	}
	s.Render(c, status, "meeting", "Sammanträde "+m.Date.String()+" – "+cm.Code, v)
}

// kallelsePDF sends the kallelse as a PDF.
func (s *Handlers) kallelsePDF(c *gin.Context) {
	cm, m, err := s.MeetingFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !seesKallelse(kit.CurrentUser(c), cm, m) {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Kallelsen till sammanträdet den %s är inte publicerad ännu.", m.Date))
		return
	}
	ctx := c.Request.Context()
	d, err := s.loadMeetingDocs(ctx, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// The kallelse is a package: each item's documents go with it, the
	// PDFs appended and the rest listed (kallelse.Attachment).
	for i, line := range d.lines {
		for _, doc := range line.Documents {
			_, content, err := s.DB.Conn().CaseDocumentContent(ctx, doc.CaseID, doc.ID)
			if err != nil {
				s.Fail(c, err)
				return
			}
			d.kallelse.Items[i].Attachments = append(d.kallelse.Items[i].Attachments,
				kallelse.Attachment{Title: doc.Title, FileName: doc.FileName, ContentType: doc.ContentType, Content: content})
		}
	}
	b, err := kallelse.Build(d.kallelse)
	if err != nil {
		s.Fail(c, fmt.Errorf("kallelse %d: %w", m.ID, err))
		return
	}
	name := fmt.Sprintf("Kallelse %s %s.pdf", cm.Code, m.Date)
	c.Header("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "application/pdf", b)
}

// attendanceView is the form for a meeting's attendance.
type attendanceView struct {
	Committee  domain.Committee
	Meeting    Line
	Attendance []meeting.Attendance
	// Ledamots are the called ledamöter an ersättare may serve for.
	Ledamots []domain.Member
	Form     *kit.Form
	// ReadOnly shows the attendance of justerade minutes, which no longer
	// changes; Names are the members' names by id for it.
	ReadOnly bool
	Names    map[int64]string
}

// attendanceForm shows who was at a meeting, to be recorded.
func (s *Handlers) attendanceForm(c *gin.Context) {
	cm, m, err := s.MeetingFor(c, Editors)
	if err == nil && !m.Locked() {
		err = store.MeetingChangeable(m)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	att, err := s.DB.Conn().Attendance(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := attendanceFormOf(att)
	if !m.Locked() && !attendanceRecorded(att) {
		absences, err := s.DB.Conn().Absences(ctx, m.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		if len(absences) > 0 {
			f = attendanceFromAbsences(att, absences)
		}
	}
	s.renderAttendance(c, http.StatusOK, cm, m, att, f)
}

// attendanceRecorded reports whether anything is recorded: someone present
// or serving.
func attendanceRecorded(att []meeting.Attendance) bool {
	for _, a := range att {
		if a.Present || a.Serving || a.ServingFor != 0 {
			return true
		}
	}
	return false
}

// attendanceFromAbsences is where the attendance form starts before
// anything is recorded, when förhinder are reported: the ledamöter present
// except those with förhinder, and each ersättare called in present and
// serving for the ledamot they replace. The secretariat corrects it and
// saves.
func attendanceFromAbsences(att []meeting.Attendance, absences []meeting.Absence) *kit.Form {
	away := map[int64]bool{}
	servesFor := map[int64]int64{}
	for _, a := range absences {
		away[a.MemberID] = true
		if a.SubstituteID != 0 {
			servesFor[a.SubstituteID] = a.MemberID
		}
	}
	start := make([]meeting.Attendance, len(att))
	for i, a := range att {
		start[i] = meeting.Attendance{MemberID: a.MemberID}
		switch {
		case away[a.MemberID]:
		case servesFor[a.MemberID] != 0:
			start[i].Present, start[i].ServingFor = true, servesFor[a.MemberID]
		case a.Member.Role != domain.MemberSubstitute:
			start[i].Present = true
		}
	}
	return attendanceFormOf(start)
}

// attendanceInput is one member's row of the attendance form. Its fields
// are named after the member (attendanceNames), so the form is read row by
// row rather than with kit.Bind.
type attendanceInput struct {
	Present, Remote                  bool
	ServingFor, ArrivedAt, LeftAfter string
}

// attendanceNames are the names of a member's fields in the attendance
// form: present_<id>, serving_for_<id>, arrived_<id>, left_<id> and
// remote_<id> (deltar på distans).
type attendanceNames struct{ present, servingFor, arrived, left, remote string }

func attendanceNamesOf(memberID int64) attendanceNames {
	id := strconv.FormatInt(memberID, 10)
	return attendanceNames{"present_" + id, "serving_for_" + id, "arrived_" + id, "left_" + id, "remote_" + id}
}

// all lists the names, in the form's order.
func (n attendanceNames) all() []string {
	return []string{n.present, n.servingFor, n.arrived, n.left, n.remote}
}

// attendanceFormOf fills the form from recorded attendance.
func attendanceFormOf(att []meeting.Attendance) *kit.Form {
	f := kit.EmptyForm()
	for _, a := range att {
		n := attendanceNamesOf(a.MemberID)
		if a.Present {
			f.Values[n.present] = "1"
		}
		if a.ServingFor != 0 {
			f.Values[n.servingFor] = strconv.FormatInt(a.ServingFor, 10)
		}
		if a.ArrivedAt != 0 {
			f.Values[n.arrived] = strconv.Itoa(a.ArrivedAt)
		}
		if a.LeftAfter != 0 {
			f.Values[n.left] = strconv.Itoa(a.LeftAfter)
		}
		if a.Remote {
			f.Values[n.remote] = "1"
		}
	}
	return f
}

// bindAttendance reads the attendance form of the members called: one row
// a member, in their order, and the form as the page shows it again.
func bindAttendance(c *gin.Context, att []meeting.Attendance) ([]attendanceInput, *kit.Form) {
	var names []string
	for _, a := range att {
		names = append(names, attendanceNamesOf(a.MemberID).all()...)
	}
	f := kit.ReadForm(c, names...)
	rows := make([]attendanceInput, len(att))
	for i, a := range att {
		n := attendanceNamesOf(a.MemberID)
		rows[i] = attendanceInput{Present: f.Value(n.present) != "", Remote: f.Value(n.remote) != "", ServingFor: f.Value(n.servingFor), ArrivedAt: f.Value(n.arrived), LeftAfter: f.Value(n.left)}
	}
	return rows, f
}

// attendance reads one member's row; errors are about the row's fields.
func (in attendanceInput) attendance(memberID int64) (meeting.Attendance, []error) {
	n := attendanceNamesOf(memberID)
	row := meeting.Attendance{MemberID: memberID, Present: in.Present, Remote: in.Remote}
	var errs []error
	var err error
	if row.ServingFor, err = kit.ParseID(n.servingFor, in.ServingFor, "Välj ledamoten i listan."); err != nil {
		errs = append(errs, err)
	}
	if row.ArrivedAt, err = parseParagraph(n.arrived, in.ArrivedAt); err != nil {
		errs = append(errs, err)
	}
	if row.LeftAfter, err = parseParagraph(n.left, in.LeftAfter); err != nil {
		errs = append(errs, err)
	}
	return row, errs
}

func (s *Handlers) renderAttendance(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, att []meeting.Attendance, f *kit.Form) {
	// Once the minutes are justerade the attendance is shown as it stands,
	// read-only, rather than refused.
	v := attendanceView{Committee: cm, Meeting: LineOf(m), Attendance: att, Form: f, ReadOnly: m.Locked(), Names: map[int64]string{}}
	for _, a := range att {
		v.Names[a.MemberID] = a.Member.DisplayName()
		if a.Member.Role != domain.MemberSubstitute {
			v.Ledamots = append(v.Ledamots, a.Member)
		}
	}
	s.Render(c, status, "meeting_attendance", "Närvaro "+m.Date.String()+" – "+cm.Code, v)
}

// saveAttendance records the attendance form.
func (s *Handlers) saveAttendance(c *gin.Context) {
	cm, m, err := s.changeableMeetingFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	current, err := s.DB.Conn().Attendance(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rows, f := bindAttendance(c, current)
	list := make([]meeting.Attendance, len(current))
	for i, a := range current {
		var errs []error
		list[i], errs = rows[i].attendance(a.MemberID)
		for _, err := range errs {
			f.Fail(err)
		}
	}
	record := func(tx *store.Conn) error { _, err := tx.SetAttendance(ctx, m.ID, list); return err }
	if !s.Submit(c, f, record, func(status int) { s.renderAttendance(c, status, cm, m, current, f) }) {
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#narvaro", "Närvaron är sparad.")
}

// parseParagraph reads an optional paragraph number typed in the field
// name.
func parseParagraph(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 9999 {
		return 0, domain.FieldErrorf(name, "Ange paragrafens nummer, t.ex. 5.")
	}
	return n, nil
}

// meetingTimes returns a meeting's start and end as moments, from its date
// and its times in Swedish time.
func meetingTimes(m meeting.Meeting) (start, end time.Time) {
	at := func(clock string) time.Time {
		h, _ := strconv.Atoi(clock[:2])
		mi, _ := strconv.Atoi(clock[3:])
		return time.Date(m.Date.Year, m.Date.Month, m.Date.Day, h, mi, 0, 0, sv.Location())
	}
	return at(m.StartTime), at(m.EndTime)
}

// attendanceLine is one member's attendance as the meeting page lists it.
type attendanceLine struct {
	Name, Role, Presence, Note string
}

// attendanceLines writes the attendance for the page, and counts those
// present.
func attendanceLines(att []meeting.Attendance) ([]attendanceLine, int) {
	names := map[int64]string{}
	for _, a := range att {
		names[a.MemberID] = a.Member.DisplayName()
	}
	var out []attendanceLine
	present := 0
	for _, a := range att {
		l := attendanceLine{Name: a.Member.DisplayName(), Role: a.Member.Role.Label(), Presence: "Frånvarande"}
		if a.Present {
			present++
			l.Presence = "Närvarande"
			var notes []string
			switch {
			case a.ServingFor != 0:
				notes = append(notes, "tjänstgör för "+names[a.ServingFor])
			case a.Serving:
				notes = append(notes, "tjänstgörande")
			}
			if a.ArrivedAt != 0 {
				notes = append(notes, "från § "+strconv.Itoa(a.ArrivedAt))
			}
			if a.LeftAfter != 0 {
				notes = append(notes, "till och med § "+strconv.Itoa(a.LeftAfter))
			}
			if a.Remote {
				notes = append(notes, "på distans")
			}
			l.Note = strings.Join(notes, ", ")
		}
		out = append(out, l)
	}
	return out, present
}
