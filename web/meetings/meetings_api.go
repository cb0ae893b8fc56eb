package meetings

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// meetingAPIRoutes registers the meetings' JSON API: the year plan of a
// committee, planning a meeting, one meeting with its föredragningslista and
// attendance, and adding an item to the list.
func (s *Handlers) meetingAPIRoutes() {
	s.Handle("GET", "/api/v1/committees/:code/meetings", kit.LoggedIn, s.apiMeetings)
	s.Handle("POST", "/api/v1/committees/:code/meetings", Writers, s.apiCreateMeeting)
	s.Handle("GET", "/api/v1/meetings/:id", kit.LoggedIn, s.apiMeeting)
	s.Handle("POST", "/api/v1/meetings/:id/items", Writers, s.apiAddItem)
	s.Handle("POST", "/api/v1/meetings/:id/publish", Writers, s.apiPublish)
}

// apiPublish publishes a meeting's kallelse, as "Publicera kallelsen" does,
// keeping the mails to the called members and the parties' contacts in the
// same transaction; it answers with the meeting and how many mails were
// kept (409 when the kallelse is already published).
func (s *Handlers) apiPublish(c *gin.Context) {
	cm, m, err := s.changeableMeetingFor(c)
	if err == nil && m.Published() {
		err = domain.Errorf(domain.ECONFLICT, "Kallelsen till sammanträdet den %s är redan publicerad.", m.Date)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var published meeting.Meeting
	var n int
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		if published, err = tx.PublishKallelse(ctx, m.ID); err != nil {
			return err
		}
		n, err = app.KallelseMails(ctx, tx, cm, published, s.BaseURL)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"meeting": toMeetingJSON(cm, published), "mails": n, "mails_sent": s.DB.SendsMail()})
}

// meetingJSON is a meeting as the API shows it.
type meetingJSON struct {
	ID               int64                  `json:"id"`
	Committee        string                 `json:"committee"`
	UID              string                 `json:"uid"`
	Date             domain.Date            `json:"date"`
	Weekday          string                 `json:"weekday"`
	StartTime        string                 `json:"start_time"`
	EndTime          string                 `json:"end_time"`
	Place            string                 `json:"place"`
	Link             string                 `json:"link"`
	Purpose          meeting.MeetingPurpose `json:"purpose"`
	PurposeLabel     string                 `json:"purpose_label"`
	Municipalities   bool                   `json:"municipalities"`
	WeekdayConfirmed bool                   `json:"weekday_confirmed"`
	Notes            string                 `json:"notes"`
	Status           string                 `json:"status"`
	CancelledAt      *time.Time             `json:"cancelled_at"`
	PublishedAt      *time.Time             `json:"published_at"`
	LockedAt         *time.Time             `json:"locked_at"`
	Sequence         int                    `json:"sequence"`
	URL              string                 `json:"url"`
	APIURL           string                 `json:"api_url"`
	KallelseURL      string                 `json:"kallelse_url"`
}

// meetingDetailJSON is one meeting with its föredragningslista and
// attendance; Items and Attendance are null while the kallelse is a draft
// the user may not read.
type meetingDetailJSON struct {
	meetingJSON
	Members     []memberJSON     `json:"members"`
	Items       []itemJSON       `json:"items"`
	Attendance  []attendanceJSON `json:"attendance"`
	Assignments []assignmentRef  `json:"assignments_to_report"`
}

type memberJSON struct {
	ID             int64             `json:"id"`
	Name           string            `json:"name"`
	PoliticalParty string            `json:"political_party"`
	Role           domain.MemberRole `json:"role"`
	RoleLabel      string            `json:"role_label"`
	AppointedBy    string            `json:"appointed_by"`
}

// itemJSON is one item of the föredragningslista.
type itemJSON struct {
	ID          int64                    `json:"id"`
	Number      int                      `json:"number"`
	Kind        meeting.AgendaItemKind   `json:"kind"`
	Case        string                   `json:"case,omitempty"`
	Title       string                   `json:"title"`
	Description string                   `json:"description"`
	Proposal    string                   `json:"proposal"`
	DispatchTo  []RecipientJSON          `json:"dispatch_to"`
	Basis       []string                 `json:"basis"`
	Status      meeting.AgendaItemStatus `json:"status"`
	MovedTo     int64                    `json:"moved_to,omitempty"`
}

// RecipientJSON is a recipient of a paragraph's extract in the API.
type RecipientJSON struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type attendanceJSON struct {
	MemberID   int64  `json:"member_id"`
	Name       string `json:"name"`
	Present    bool   `json:"present"`
	Serving    bool   `json:"serving"`
	ServingFor int64  `json:"serving_for,omitempty"`
	ArrivedAt  int    `json:"arrived_at,omitempty"`
	LeftAfter  int    `json:"left_after,omitempty"`
}

type assignmentRef struct {
	ID          int64       `json:"id"`
	Given       string      `json:"given"`
	Case        string      `json:"case,omitempty"`
	Assignee    string      `json:"assignee"`
	Description string      `json:"description"`
	DueOn       domain.Date `json:"due_on"`
	Status      string      `json:"status"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toMeetingJSON(cm domain.Committee, m meeting.Meeting) meetingJSON {
	id := strconv.FormatInt(m.ID, 10)
	return meetingJSON{ID: m.ID, Committee: cm.Code, UID: m.UID, Date: m.Date, Weekday: m.Date.WeekdayName(),
		StartTime: m.StartTime, EndTime: m.EndTime, Place: m.Place, Link: m.Link, Purpose: m.Purpose, PurposeLabel: m.Purpose.Label(),
		Municipalities: m.Municipalities, WeekdayConfirmed: m.WeekdayConfirmed, Notes: m.Notes, Status: meetingStatus(m),
		CancelledAt: optTime(m.CancelledAt), PublishedAt: optTime(m.PublishedAt), LockedAt: optTime(m.LockedAt), Sequence: m.Sequence,
		URL: kit.MeetingURL(m.ID), APIURL: "/api/v1/meetings/" + id, KallelseURL: kit.MeetingURL(m.ID) + "/kallelse.pdf"}
}

// apiMeetings answers GET /api/v1/committees/{code}/meetings?year=: the
// committee's meetings of a year (this year by default).
func (s *Handlers) apiMeetings(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	year, err := s.queryYear(c, "year")
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.DB.Conn().Meetings(c.Request.Context(), cm.ID, year)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]meetingJSON, len(list))
	for i, m := range list {
		out[i] = toMeetingJSON(cm, m)
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "year": year, "meetings": out})
}

// meetingRequestJSON plans a meeting.
type meetingRequestJSON struct {
	Date           string                 `json:"date"`
	StartTime      string                 `json:"start_time"`
	EndTime        string                 `json:"end_time"`
	Place          string                 `json:"place"`
	Link           string                 `json:"link"`
	Purpose        meeting.MeetingPurpose `json:"purpose"`
	Municipalities *bool                  `json:"municipalities"`
	ConfirmWeekday bool                   `json:"confirm_weekday"`
	Notes          string                 `json:"notes"`
}

// apiCreateMeeting answers POST /api/v1/committees/{code}/meetings: it plans
// a meeting and answers 201 with it.
func (s *Handlers) apiCreateMeeting(c *gin.Context) {
	cm, err := s.CommitteeFor(c, Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body meetingRequestJSON
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	d, err := domain.ParseDateField("date", "Datumet", body.Date, true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	m := meeting.Meeting{CommitteeID: cm.ID, Date: d, StartTime: body.StartTime, EndTime: body.EndTime, Place: body.Place,
		Link: body.Link, Purpose: body.Purpose, Municipalities: body.Municipalities == nil || *body.Municipalities,
		WeekdayConfirmed: body.ConfirmWeekday, Notes: body.Notes}
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		m, err = tx.CreateMeeting(c.Request.Context(), m)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/meetings/"+strconv.FormatInt(m.ID, 10))
	s.answerMeeting(c, http.StatusCreated, cm, m)
}

// apiMeeting answers GET /api/v1/meetings/{id}.
func (s *Handlers) apiMeeting(c *gin.Context) {
	cm, m, err := s.MeetingFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerMeeting(c, http.StatusOK, cm, m)
}

// answerMeeting answers with a meeting and, when the user may read its
// kallelse, the members called, the föredragningslista and the attendance.
func (s *Handlers) answerMeeting(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting) {
	out := meetingDetailJSON{meetingJSON: toMeetingJSON(cm, m)}
	if !seesKallelse(kit.CurrentUser(c), cm, m) {
		c.JSON(status, out)
		return
	}
	d, err := s.loadMeetingDocs(c.Request.Context(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out.Members, out.Items, out.Attendance, out.Assignments = []memberJSON{}, []itemJSON{}, []attendanceJSON{}, []assignmentRef{}
	for _, mb := range d.kallelse.Members {
		out.Members = append(out.Members, memberJSON{ID: mb.ID, Name: mb.Name, PoliticalParty: mb.PoliticalParty, Role: mb.Role,
			RoleLabel: mb.Role.Label(), AppointedBy: mb.AppointedByName})
	}
	for _, it := range d.kallelse.Items {
		out.Items = append(out.Items, toItemJSON(it.AgendaItem, d.parties, it.Basis))
	}
	for _, a := range d.attendance {
		out.Attendance = append(out.Attendance, attendanceJSON{MemberID: a.MemberID, Name: a.Member.DisplayName(), Present: a.Present,
			Serving: a.Serving, ServingFor: a.ServingFor, ArrivedAt: a.ArrivedAt, LeftAfter: a.LeftAfter})
	}
	for _, a := range d.kallelse.Assignments {
		out.Assignments = append(out.Assignments, assignmentRef{ID: a.ID, Given: a.Given, Case: a.CaseNumber, Assignee: a.Assignee,
			Description: a.Description, DueOn: a.DueOn, Status: string(a.Status)})
	}
	c.JSON(status, out)
}

func toItemJSON(it meeting.AgendaItem, parties []domain.Party, basis []string) itemJSON {
	out := itemJSON{ID: it.ID, Number: it.Position, Kind: it.Kind, Case: it.CaseNumber, Title: it.Title, Description: it.Description,
		Proposal: it.Proposal, DispatchTo: []RecipientJSON{}, Basis: basis, Status: it.Status, MovedTo: it.MovedTo}
	if out.Basis == nil {
		out.Basis = []string{}
	}
	for _, r := range it.DispatchTo {
		out.DispatchTo = append(out.DispatchTo, RecipientJSON{Code: r.Code(), Label: r.Label(parties)})
	}
	return out
}

// itemRequestJSON adds an item: a case by its number, or another item by its
// title alone.
type itemRequestJSON struct {
	Case        string   `json:"case"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Proposal    string   `json:"proposal"`
	DispatchTo  []string `json:"dispatch_to"`
}

// apiAddItem answers POST /api/v1/meetings/{id}/items: it puts a case (or
// another item) last on the föredragningslista and answers 201 with the item.
func (s *Handlers) apiAddItem(c *gin.Context) {
	cm, m, err := s.MeetingFor(c, Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var body itemRequestJSON
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	it := meeting.AgendaItem{Kind: meeting.AgendaOther, Title: body.Title, Description: body.Description, Proposal: body.Proposal}
	for _, code := range body.DispatchTo {
		r, err := meeting.ParseRecipientCode(strings.TrimSpace(code))
		if err != nil {
			s.Fail(c, domain.FieldErrorf("dispatch_to", "Okänd mottagare %q: ange \"parties\", \"party:<part>\" eller \"role:<roll>\".", code))
			return
		}
		it.DispatchTo = append(it.DispatchTo, r)
	}
	if v := strings.TrimSpace(body.Case); v != "" {
		n, err := domain.ParseCaseNumber(v)
		if err != nil {
			s.Fail(c, domain.FieldErrorf("case", "%s", domain.ErrorMessage(err)))
			return
		}
		if n.Prefix != cm.Code {
			s.Fail(c, domain.FieldErrorf("case", "Ärendet %s hör inte till nämnden %s.", n, cm.Code))
			return
		}
		k, err := s.DB.Conn().CaseByNumber(ctx, n)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			s.Fail(c, domain.FieldErrorf("case", "Ärendet %s finns inte.", n))
			return
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		it.Kind, it.CaseID = meeting.AgendaCase, k.ID
	}
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		it, err = tx.AddAgendaItem(ctx, m.ID, it)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, err := s.CommitteeParties(ctx, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var basis []string
	if it.CaseID != 0 {
		docs, err := s.DB.Conn().CaseDocuments(ctx, it.CaseID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, d := range docs {
			basis = append(basis, d.Title)
		}
	}
	c.JSON(http.StatusCreated, toItemJSON(it, parties, basis))
}
