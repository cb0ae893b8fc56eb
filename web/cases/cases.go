package cases

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// caseWriters may register and change cases. The handlers narrow it to the
// secretariat of the case's own committee (and admin), domain.CanWriteCases;
// everyone with a role in the committee reads its cases, which are public
// records.
var caseWriters = kit.Roles(domain.CaseWriters...)

// PageSize is how many cases one page of the list shows.
const PageSize = 50

// routes registers the case register's pages and API. The list and the
// form for a new case live under the committee (/namnder/GNS/arenden), as
// other per-committee pages do; a case has its own address built from its
// number (/arenden/GNS/10/2020).
func (s *Handlers) routes() {
	s.Handle("GET", "/arenden", kit.LoggedIn, s.casesIndex)
	s.Handle("GET", "/namnder/:code/arenden", kit.LoggedIn, s.casesPage)
	s.Handle("GET", "/namnder/:code/arenden/ny", caseWriters, s.newCaseForm)
	s.Handle("POST", "/namnder/:code/arenden", caseWriters, s.registerCase)
	s.Handle("GET", "/arenden/:prefix/:seq/:year", kit.LoggedIn, s.casePage)
	s.Handle("GET", "/arenden/:prefix/:seq/:year/andra", caseWriters, s.editCaseForm)
	s.Handle("POST", "/arenden/:prefix/:seq/:year/andra", caseWriters, s.editCase)
	s.Handle("POST", "/arenden/:prefix/:seq/:year/status", caseWriters, s.setCaseStatus)
	s.Handle("GET", "/arenden/:prefix/:seq/:year/avsluta", caseWriters, s.confirmCaseClosing(true))
	s.Handle("POST", "/arenden/:prefix/:seq/:year/avsluta", caseWriters, s.closeOrReopenCase(true))
	s.Handle("GET", "/arenden/:prefix/:seq/:year/ateroppna", caseWriters, s.confirmCaseClosing(false))
	s.Handle("POST", "/arenden/:prefix/:seq/:year/ateroppna", caseWriters, s.closeOrReopenCase(false))
	s.Handle("POST", "/arenden/:prefix/:seq/:year/handlingar", caseWriters, s.uploadCaseDocument)
	s.Handle("GET", "/arenden/:prefix/:seq/:year/handlingar/:id", kit.LoggedIn, s.downloadCaseDocument)
	s.Handle("POST", "/arenden/:prefix/:seq/:year/kopplingar", caseWriters, s.linkCase)

	s.Handle("GET", "/api/v1/committees/:code/cases", kit.LoggedIn, s.apiCases)
	s.Handle("POST", "/api/v1/committees/:code/cases", caseWriters, s.apiRegisterCase)
	s.Handle("GET", "/api/v1/cases/:prefix/:seq/:year", kit.LoggedIn, s.apiCase)
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year", caseWriters, s.apiUpdateCase)
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/status", caseWriters, s.apiSetCaseStatus)
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/close", caseWriters, s.apiCloseOrReopenCase(true))
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/reopen", caseWriters, s.apiCloseOrReopenCase(false))
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/documents", caseWriters, s.apiUploadCaseDocument)
	s.Handle("GET", "/api/v1/cases/:prefix/:seq/:year/documents/:id", kit.LoggedIn, s.downloadCaseDocument)
	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/links", caseWriters, s.apiLinkCase)
}

// writableCommittee reads the :code of a route as a committee whose cases
// the user may change: kit's ReadableCommittee for a change, where the user
// must also be in the committee's secretariat (or admin).
func (s *Handlers) writableCommittee(c *gin.Context) (domain.Committee, error) {
	cm, err := s.ReadableCommittee(c, c.Param("code"))
	if err == nil && !mayWriteCases(c, cm) {
		err = errMayNotWriteCases
	}
	return cm, err
}

var errMayNotWriteCases = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat kan registrera och ändra ärenden.")

// mayWriteCases is domain.CanWriteCases for the request's user; nobody
// logged in may not.
func mayWriteCases(c *gin.Context, cm domain.Committee) bool {
	u := kit.CurrentUser(c)
	return u != nil && domain.CanWriteCases(*u, cm)
}

// caseFromPath reads the case named by :prefix, :seq and :year (zero-padded
// numbers are accepted) and checks that the user may read it; a case of a
// committee the user has no role in is not found.
func (s *Handlers) caseFromPath(c *gin.Context) (domain.Committee, domain.Case, error) {
	return s.ReadableCase(c)
}

// writableCase is caseFromPath for a change.
func (s *Handlers) writableCase(c *gin.Context) (domain.Committee, domain.Case, error) {
	cm, k, err := s.caseFromPath(c)
	if err == nil && !mayWriteCases(c, cm) {
		err = errMayNotWriteCases
	}
	return cm, k, err
}

// caseQuery names the query parameters of a case list: Swedish on the pages,
// English in the API.
type caseQuery struct{ text, year, status, handler, after, before string }

// OpenFilter is the page's status filter for every case not closed.
const OpenFilter = "oppna"

var (
	webCaseQuery = caseQuery{"sok", "ar", "status", "handlaggare", "efter", "fore"}
	apiCaseQuery = caseQuery{"q", "year", "status", "handler", "after", "before"}
)

// caseFilter reads a case list's filter from the query.
func caseFilter(c *gin.Context, cm domain.Committee, q caseQuery) (domain.CaseFilter, error) {
	f := domain.CaseFilter{CommitteeID: cm.ID, Text: c.Query(q.text)}
	if v := c.Query(q.year); v != "" {
		year, err := strconv.Atoi(v)
		if err != nil || year < domain.CaseNumberYearMin || year > 9999 {
			return f, domain.FieldErrorf(q.year, "Ange året med fyra siffror, t.ex. 2020.")
		}
		f.Year = year
	}
	if v := c.Query(q.status); v == OpenFilter && q == webCaseQuery {
		f.Open = true
	} else if v != "" {
		st, err := domain.ParseCaseStatus(v)
		if err != nil {
			return f, domain.FieldErrorf(q.status, "%s", domain.ErrorMessage(err))
		}
		f.Status = st
	}
	if v := c.Query(q.handler); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return f, domain.FieldErrorf(q.handler, "Okänd handläggare.")
		}
		f.HandlerID = id
	}
	var err error
	if f.After, err = domain.ParseCaseCursor(q.after, c.Query(q.after)); err != nil {
		return f, err
	}
	if f.Before, err = domain.ParseCaseCursor(q.before, c.Query(q.before)); err != nil {
		return f, err
	}
	if !f.After.IsZero() && !f.Before.IsZero() {
		return f, domain.FieldErrorf(q.after, "Ange antingen %s eller %s, inte båda.", q.after, q.before)
	}
	if _, err := domain.CheckCaseSearch(f.Text); err != nil {
		return f, domain.FieldErrorf(q.text, "%s", domain.ErrorMessage(err))
	}
	return f, nil
}

// casesIndex sends the user to the case list of the first committee the user
// has a role in, or says there is none.
func (s *Handlers) casesIndex(c *gin.Context) {
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(cms) == 0 {
		s.Render(c, http.StatusOK, "cases", "Ärenden", casesView{})
		return
	}
	c.Redirect(http.StatusFound, kit.CasesURL(cms[0].Code))
}

type casesView struct {
	Committee  domain.Committee
	Committees []domain.Committee
	Page       domain.CasePage
	// Rows are the table rows of the page's cases.
	Rows     template.HTML
	Filter   url.Values
	CanWrite bool
	Problem  string
	// CountText says how many cases match, e.g. "25 ärenden".
	CountText string
	// Searched is true when any filter is set, for the empty message.
	Searched bool
	Older    string
	Newer    string
	// The choices of the filters by year, status and handler.
	YearOptions, StatusOptions, HandlerOptions []kit.Option
}

// casesPage lists a committee's cases, newest first, with filters by year,
// status, handler and text. A search for a case number goes straight to the
// case.
func (s *Handlers) casesPage(c *gin.Context) {
	ctx := c.Request.Context()
	cm, committees, err := s.ReadableCommitteeAmong(c, c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := casesView{Committee: cm, Committees: committees, Filter: c.Request.URL.Query(), CanWrite: mayWriteCases(c, cm)}
	conn := s.DB.Conn()
	years, handlers, err := conn.CaseListChoices(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, y := range years {
		v.YearOptions = append(v.YearOptions, kit.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	v.StatusOptions = []kit.Option{{Value: OpenFilter, Label: "Alla som inte är avslutade"}}
	for _, st := range domain.CaseStatuses {
		v.StatusOptions = append(v.StatusOptions, kit.Option{Value: string(st), Label: st.Label()})
	}
	for _, u := range handlers {
		v.HandlerOptions = append(v.HandlerOptions, kit.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	v.YearOptions = filterOptions(v.Filter, "ar", v.YearOptions)
	v.StatusOptions = filterOptions(v.Filter, "status", v.StatusOptions)
	v.HandlerOptions = filterOptions(v.Filter, "handlaggare", v.HandlerOptions)
	if n, err := domain.ParseCaseNumber(c.Query("sok")); err == nil && n.Prefix == cm.Code {
		if _, err := conn.CaseByNumber(ctx, n); err == nil {
			c.Redirect(http.StatusFound, kit.CaseURL(n))
			return
		}
	}
	status := http.StatusOK
	f, err := caseFilter(c, cm, webCaseQuery)
	if err == nil {
		f.Limit = PageSize
		v.Page, err = conn.ListCases(ctx, f)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			s.Fail(c, err)
			return
		}
		v.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
	}
	v.Rows = caseRows(v.Page.Cases)
	v.Searched = f.Text != "" || f.Year != 0 || f.Status != "" || f.Open || f.HandlerID != 0
	v.CountText = caseCount(v.Page)
	q := c.Request.URL.Query()
	q.Del("efter")
	q.Del("fore")
	if !v.Page.Older.IsZero() {
		q.Set("efter", v.Page.Older.String())
		v.Older = "?" + q.Encode()
		q.Del("efter")
	}
	if !v.Page.Newer.IsZero() {
		q.Set("fore", v.Page.Newer.String())
		v.Newer = "?" + q.Encode()
	}
	s.Render(c, status, "cases", "Ärenden – "+cm.Code, v)
}

// caseRows writes the rows of the case list. It is the secretariat's
// busiest page, and html/template spends about a microsecond and a handful
// of allocations on every value it prints: 50 rows of seven values were half
// the page's time (see BenchmarkPagesUnderLoad). So the rows are written
// here, every value from the case through html.EscapeString.
func caseRows(cases []domain.Case) template.HTML {
	var b strings.Builder
	for _, k := range cases {
		b.WriteString(`  <tr>
    <th scope="row"><a href="`)
		b.WriteString(html.EscapeString(kit.CaseURL(k.Number)))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(k.Number.String()))
		b.WriteString("</a></th>\n    <td>")
		b.WriteString(html.EscapeString(k.Title))
		b.WriteString("</td>\n    <td>")
		b.WriteString(html.EscapeString(k.Status.Label()))
		b.WriteString("</td>\n    <td>")
		if k.HandlerName != "" {
			b.WriteString(html.EscapeString(k.HandlerName))
		} else {
			b.WriteString(`<span class="muted">ingen</span>`)
		}
		b.WriteString("</td>\n    <td class=\"date\">")
		if k.RegisteredOn.IsZero() {
			fmt.Fprintf(&b, `<span class="muted">%d, tidigare diarium</span>`, k.Number.Year)
		} else {
			d := html.EscapeString(sv.Date(k.RegisteredOn))
			b.WriteString(`<time datetime="` + d + `">` + d + `</time>`)
		}
		b.WriteString("</td>\n  </tr>\n")
	}
	return template.HTML(b.String())
}

// filterOptions marks, among the choices of a list filter's select field,
// the one the query gives for the field name.
func filterOptions(query url.Values, name string, opts []kit.Option) []kit.Option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == query.Get(name)
	}
	return opts
}

// caseCount says how many cases a list matches, in Swedish.
func caseCount(p domain.CasePage) string {
	switch {
	case p.More:
		return "Fler än " + sv.Integer(int64(p.Total)) + " ärenden"
	case p.Total == 1:
		return "1 ärende"
	}
	return sv.Integer(int64(p.Total)) + " ärenden"
}

// caseFormView is the form for a new case or for changing one.
type caseFormView struct {
	Committee domain.Committee
	Case      domain.Case // zero for a new case
	Form      *kit.Form
	Handlers  []domain.User
}

func (s *Handlers) renderCaseForm(c *gin.Context, status int, cm domain.Committee, k domain.Case, f *kit.Form) {
	handlers, err := s.DB.Conn().CaseHandlers(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	title := "Registrera ärende"
	if k.ID != 0 {
		title = "Ändra ärende " + k.Number.String()
	}
	s.Render(c, status, "case_form", title, caseFormView{Committee: cm, Case: k, Form: f, Handlers: handlers})
}

// caseForm is the form that registers a case or changes its title,
// description and handler; Number, an older register's number, only
// registers.
type caseForm struct {
	Title       string `form:"title"`
	Description string `form:"description"`
	// Handler is a user id, "" for none.
	Handler string `form:"handler"`
	Number  string `form:"number"`
}

// handler reads the handler field: 0 for none, else a user id.
func (in caseForm) handler() (int64, error) {
	if in.Handler == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(in.Handler, 10, 64)
	if err != nil || id < 1 {
		return 0, domain.FieldErrorf("handler", "Välj handläggare i listan.")
	}
	return id, nil
}

// newCaseForm shows the form for registering a case.
func (s *Handlers) newCaseForm(c *gin.Context) {
	cm, err := s.writableCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := caseForm{Handler: strconv.FormatInt(kit.CurrentUser(c).ID, 10)}
	s.renderCaseForm(c, http.StatusOK, cm, domain.Case{}, kit.FormOf(in))
}

// registerCase registers a case from the form: with the next number, or,
// when the form gives one, with a number from an older register.
func (s *Handlers) registerCase(c *gin.Context) {
	cm, err := s.writableCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in caseForm
	f := kit.Bind(c, &in)
	handler, err := in.handler()
	var draft domain.Case
	if err == nil && f.OK() {
		draft, err = s.caseDraft(domain.Case{Title: in.Title, Description: in.Description, HandlerID: handler}, in.Number)
	}
	f.Fail(err)
	var k domain.Case
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		k, err = s.registerDraft(c, tx, cm, draft)
		return err
	}, func(status int) { s.renderCaseForm(c, status, cm, domain.Case{}, f) })
	if saved {
		s.Redirect(c, kit.CaseURL(k.Number), "Ärendet "+k.Number.String()+" är registrerat.")
	}
}

// caseDraft is the case to register with the title, description and handler
// of draft: under the next number, registered today, or, when number is
// given, under that number from an older register.
func (s *Handlers) caseDraft(draft domain.Case, number string) (domain.Case, error) {
	draft.RegisteredOn = s.Today()
	if number != "" {
		n, err := domain.ParseCaseNumber(number)
		if err != nil {
			return domain.Case{}, domain.FieldErrorf("number", "%s", domain.ErrorMessage(err))
		}
		draft.Number, draft.RegisteredOn = n, domain.Date{}
	}
	return draft, nil
}

// registerDraft registers a case made by caseDraft: imported under its own
// number when it has one, else under the next.
func (s *Handlers) registerDraft(c *gin.Context, tx *store.Conn, cm domain.Committee, draft domain.Case) (domain.Case, error) {
	if !draft.Number.IsZero() {
		return tx.ImportCase(c.Request.Context(), cm, draft, s.Today())
	}
	return tx.RegisterCase(c.Request.Context(), cm, draft)
}

// caseView is the page of one case.
type caseView struct {
	Committee    domain.Committee
	Case         domain.Case
	Documents    []DocumentView
	Links        []domain.Case
	Events       []domain.CaseEvent
	CanWrite     bool
	Statuses     []domain.CaseStatus
	Kinds        []domain.CaseDocumentKind
	StatusForm   *kit.Form
	DocumentForm *kit.Form
	LinkForm     *kit.Form
	Allowed      string
	// Meetings are the meetings the case was on the agenda of; Decisions
	// its paragraphs the user may read (those of justerade minutes, and to
	// the secretariat the drafts too); Allocations the money split under
	// it, to those who read the economy (parties and members: the decided
	// ones), each with its invoices on its own page.
	Meetings    []caseMeeting
	Decisions   []meeting.Paragraph
	Allocations []finance.Allocation
	// Remisser are the case's remisser, each with every party's answer
	// (or "ej svarat") as of today.
	Remisser []caseRemiss
}

// caseRemiss is a remiss as the case page shows it: each party and its
// answer.
type caseRemiss struct {
	Remiss domain.Remiss
	URL    string
	Open   bool
	Rows   [][2]string // party, answer
}

// caseMeeting is a meeting the case was on, with the item's title and
// whether it was withdrawn or moved from it.
type caseMeeting struct {
	Meeting meeting.Meeting
	Item    meeting.AgendaItem
}

// URL is the case's page, the base of its forms' addresses.
func (v caseView) URL() string { return kit.CaseURL(v.Case.Number) }

// Paragraphs splits the description into paragraphs (at blank lines) of
// lines, so the page keeps its shape without inline styles.
func (v caseView) Paragraphs() [][]string { return kit.TextParagraphs(v.Case.Description) }

// DocumentView is a document with its size written for people.
type DocumentView struct {
	domain.CaseDocument
	SizeText string
	URL      string
}

// casePage shows a case: its facts, documents, links and timeline, and to the
// secretariat the forms that change it.
func (s *Handlers) casePage(c *gin.Context) {
	cm, k, err := s.caseFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if canonical := kit.CaseURL(k.Number); c.Request.URL.Path != canonical {
		c.Redirect(http.StatusMovedPermanently, canonical)
		return
	}
	s.renderCase(c, http.StatusOK, cm, k, caseView{})
}

func (s *Handlers) renderCase(c *gin.Context, status int, cm domain.Committee, k domain.Case, v caseView) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	docs, err := conn.CaseDocuments(ctx, k.ID)
	if err == nil {
		v.Links, err = conn.CaseLinks(ctx, k.ID)
	}
	if err == nil {
		v.Events, err = conn.CaseEvents(ctx, k.ID)
	}
	var remisser []domain.Remiss
	if err == nil {
		remisser, err = conn.CaseRemisser(ctx, k.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	today := s.Today()
	for _, r := range remisser {
		cr := caseRemiss{Remiss: r, URL: kit.RemissURL(r.ID), Open: r.Open(today)}
		for _, p := range r.Parties {
			cr.Rows = append(cr.Rows, [2]string{p.PartyName, p.Status(r, today)})
		}
		v.Remisser = append(v.Remisser, cr)
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, DocumentView{CaseDocument: d, SizeText: kit.FileSize(d.Size),
			URL: kit.CaseURL(k.Number) + "/handlingar/" + strconv.FormatInt(d.ID, 10)})
	}
	v.Committee, v.Case, v.CanWrite = cm, k, mayWriteCases(c, cm)
	if err := s.caseContext(c, cm, k, &v); err != nil {
		s.Fail(c, err)
		return
	}
	v.Statuses, v.Kinds, v.Allowed = domain.OpenCaseStatuses, domain.CaseDocumentKinds, domain.AllowedDocumentTypes
	for _, f := range []**kit.Form{&v.StatusForm, &v.DocumentForm, &v.LinkForm} {
		if *f == nil {
			*f = kit.EmptyForm()
		}
	}
	v.StatusForm.Default("status", string(k.Status))
	s.Render(c, status, "case", k.Number.String()+" "+k.Title, v)
}

// caseContext fills in where the case has been: its meetings, its
// paragraphs and its allocations, as far as the user may read them.
func (s *Handlers) caseContext(c *gin.Context, cm domain.Committee, k domain.Case, v *caseView) error {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	items, err := conn.CaseAgendaItems(ctx, k.ID)
	if err != nil {
		return err
	}
	meetings, err := conn.CaseMeetings(ctx, k.ID)
	if err != nil {
		return err
	}
	byID := map[int64]meeting.Meeting{}
	for _, m := range meetings {
		byID[m.ID] = m
	}
	for _, it := range items {
		v.Meetings = append(v.Meetings, caseMeeting{Meeting: byID[it.MeetingID], Item: it})
	}
	paragraphs, err := conn.CaseParagraphs(ctx, k.ID)
	if err != nil {
		return err
	}
	for _, p := range paragraphs {
		if byID[p.MeetingID].Locked() || v.CanWrite {
			v.Decisions = append(v.Decisions, p)
		}
	}
	u := kit.CurrentUser(c)
	if u == nil || !u.HasIn(cm.ID, domain.EconomyViewers...) {
		return nil
	}
	staff := u.HasIn(cm.ID, domain.RoleEconomist, domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor)
	all, err := conn.CaseAllocations(ctx, k.ID)
	if err != nil {
		return err
	}
	for _, a := range all {
		if staff || a.Decided() {
			v.Allocations = append(v.Allocations, a)
		}
	}
	return nil
}

// editCaseForm shows the form for changing a case's title, description and
// handler.
func (s *Handlers) editCaseForm(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err == nil && k.Closed() {
		err = errClosedCase(k)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := caseForm{Title: k.Title, Description: k.Description}
	if k.HandlerID != 0 {
		in.Handler = strconv.FormatInt(k.HandlerID, 10)
	}
	s.renderCaseForm(c, http.StatusOK, cm, k, kit.FormOf(in))
}

func errClosedCase(k domain.Case) error {
	return domain.Errorf(domain.ECONFLICT, "Ärendet %s är avslutat. Återöppna det först om det ska ändras.", k.Number)
}

// editCase saves a case's title, description and handler.
func (s *Handlers) editCase(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in caseForm
	f := kit.Bind(c, &in)
	handler, err := in.handler()
	f.Fail(err)
	var after domain.Case
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		after, err = tx.UpdateCase(c.Request.Context(), k.ID, in.Title, in.Description, handler)
		return err
	}, func(status int) { s.renderCaseForm(c, status, cm, k, f) })
	if !saved {
		return
	}
	msg := "Ändringarna är sparade."
	if after.UpdatedAt.Equal(k.UpdatedAt) {
		msg = "Inget var ändrat; ärendet är som förut."
	}
	s.Redirect(c, kit.CaseURL(k.Number), msg)
}

// statusForm moves a case to another status, with an optional note.
type statusForm struct {
	Status string `form:"status"`
	Note   string `form:"note"`
}

// setCaseStatus moves a case to another status, with an optional note.
func (s *Handlers) setCaseStatus(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in statusForm
	f := kit.Bind(c, &in)
	st, err := domain.ParseCaseStatus(in.Status)
	f.Fail(err)
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.SetCaseStatus(c.Request.Context(), k.ID, st, in.Note)
		return err
	}, func(status int) { s.renderCase(c, status, cm, k, caseView{StatusForm: f}) })
	if saved {
		s.Redirect(c, kit.CaseURL(k.Number), "Ärendet har nu status "+st.Label()+".")
	}
}

// caseClosingView is the page that asks before a case is closed or reopened,
// with a field for a note.
type caseClosingView struct {
	Case  domain.Case
	Close bool
	Form  *kit.Form
}

// confirmCaseClosing asks before a case is closed (or reopened).
func (s *Handlers) confirmCaseClosing(closing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, k, err := s.writableCase(c)
		if err == nil && k.Closed() == closing {
			err = wrongClosingState(k)
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.renderCaseClosing(c, http.StatusOK, k, closing, kit.EmptyForm())
	}
}

func (s *Handlers) renderCaseClosing(c *gin.Context, status int, k domain.Case, closing bool, f *kit.Form) {
	title := "Avsluta ärende "
	if !closing {
		title = "Återöppna ärende "
	}
	s.Render(c, status, "case_closing", title+k.Number.String(), caseClosingView{Case: k, Close: closing, Form: f})
}

func wrongClosingState(k domain.Case) error {
	if k.Closed() {
		return domain.Errorf(domain.ECONFLICT, "Ärendet %s är redan avslutat.", k.Number)
	}
	return domain.Errorf(domain.ECONFLICT, "Ärendet %s är inte avslutat.", k.Number)
}

// noteForm is the note that goes with closing or reopening a case.
type noteForm struct {
	Note string `form:"note"`
}

// closeOrReopenCase closes (or reopens) a case, with an optional note.
func (s *Handlers) closeOrReopenCase(closing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, k, err := s.writableCase(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		var in noteForm
		f := kit.Bind(c, &in)
		saved := s.Submit(c, f, func(tx *store.Conn) error { return closeOrReopen(c, tx, k, closing, in.Note) },
			func(status int) { s.renderCaseClosing(c, status, k, closing, f) })
		if !saved {
			return
		}
		msg := "Ärendet är avslutat. Det kan återöppnas om det behövs."
		if !closing {
			msg = "Ärendet är återöppnat och har status under beredning."
		}
		s.Redirect(c, kit.CaseURL(k.Number), msg)
	}
}

func closeOrReopen(c *gin.Context, tx *store.Conn, k domain.Case, closing bool, note string) error {
	var err error
	if closing {
		_, err = tx.CloseCase(c.Request.Context(), k.ID, note)
	} else {
		_, err = tx.ReopenCase(c.Request.Context(), k.ID, note)
	}
	return err
}

// readCaseDocument reads the file of a document for a case; a closed case
// takes none, and its file is not read.
func readCaseDocument(c *gin.Context, k domain.Case) (name string, content []byte, err error) {
	if k.Closed() {
		return "", nil, errClosedCase(k)
	}
	return kit.ReadUpload(c)
}

// fileCaseDocument files a document read by readCaseDocument in a case.
func fileCaseDocument(c *gin.Context, tx *store.Conn, k domain.Case, kind, title, name string, content []byte) (domain.CaseDocument, error) {
	if k.Closed() {
		return domain.CaseDocument{}, errClosedCase(k)
	}
	return tx.AddCaseDocument(c.Request.Context(), k.ID, domain.CaseDocument{Kind: domain.CaseDocumentKind(kind), Title: title, FileName: name}, content)
}

// documentForm is the case page's form for a document; the file comes as
// the upload "file".
type documentForm struct {
	Kind  string `form:"kind"`
	Title string `form:"title"`
}

// uploadCaseDocument files a document from the case page's form.
func (s *Handlers) uploadCaseDocument(c *gin.Context) {
	kit.LimitUpload(c)
	cm, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in documentForm
	f := kit.Bind(c, &in)
	var name string
	var content []byte
	if f.OK() && !k.Closed() { // a closed case is refused by the save, with its own status
		name, content, err = kit.ReadUpload(c)
		f.Fail(err)
	}
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		_, err := fileCaseDocument(c, tx, k, in.Kind, in.Title, name, content)
		return err
	}, func(status int) { s.renderCase(c, status, cm, k, caseView{DocumentForm: f}) })
	if saved {
		s.Redirect(c, kit.CaseURL(k.Number)+"#handlingar", "Handlingen är tillagd.")
	}
}

// downloadCaseDocument sends a document under its (sanitised) original
// name, with its checksum: a PDF to be read in the browser (inline; with
// ?ladda-ned=1 as a download), anything else as a download. Other files are
// sandboxed so that one opened in the browser cannot run anything; a PDF
// cannot be (browsers show no PDF in a sandboxed document), so it gets a
// policy that lets only the browser's own viewer show it.
func (s *Handlers) downloadCaseDocument(c *gin.Context) {
	_, k, err := s.caseFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	d, content, err := s.DB.Conn().CaseDocumentContent(c.Request.Context(), k.ID, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	h := c.Writer.Header()
	disposition, policy := "attachment", "sandbox; default-src 'none'"
	if d.ContentType == "application/pdf" && c.Query("ladda-ned") == "" {
		disposition, policy = "inline", "default-src 'none'; object-src 'self'"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": d.FileName}))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Security-Policy", policy)
	if sum, err := hex.DecodeString(d.SHA256); err == nil {
		h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":") // RFC 9530
	}
	c.Data(http.StatusOK, d.ContentType, content)
}

// linkForm links a case to another, by number.
type linkForm struct {
	Case string `form:"case"`
}

// linkCase links the case to another case of the committee, by number.
func (s *Handlers) linkCase(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in linkForm
	f := kit.Bind(c, &in)
	var n domain.CaseNumber
	if f.OK() {
		n, err = linkedNumber(in.Case)
		f.Fail(err)
	}
	var other domain.Case
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		other, err = tx.AddCaseLink(c.Request.Context(), k.ID, n)
		return err
	}, func(status int) { s.renderCase(c, status, cm, k, caseView{LinkForm: f}) })
	if saved {
		s.Redirect(c, kit.CaseURL(k.Number)+"#kopplingar", "Ärendet är kopplat till "+other.Number.String()+".")
	}
}

// linkedNumber reads the number of the case to link to; its error is about
// the field "case".
func linkedNumber(number string) (domain.CaseNumber, error) {
	n, err := domain.ParseCaseNumber(number)
	if err != nil {
		return domain.CaseNumber{}, domain.FieldErrorf("case", "%s", domain.ErrorMessage(err))
	}
	return n, nil
}
