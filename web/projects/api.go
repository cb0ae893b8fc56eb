package projects

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// apiRoutes registers the project API with the pages' access: every role of
// the committee's economy reads projects (a party representative its own
// projects only, and of a settlement its own share), the economist writes.
func (s *Handlers) apiRoutes() {
	s.Handle("GET", "/api/v1/committees/:code/projects", projectRead, s.apiProjects)
	s.Handle("POST", "/api/v1/committees/:code/projects", projectWrite, s.apiCreateProject)
	s.Handle("GET", "/api/v1/projects/:id", projectRead, s.apiProject)
	s.Handle("POST", "/api/v1/projects/:id/participants", projectWrite, s.apiWrite(func() any { return &participantInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveParticipant(c.Request.Context(), tx, p, *in.(*participantInput))
		}))
	s.Handle("POST", "/api/v1/projects/:id/participants/:pid/left", projectWrite, s.apiWrite(func() any { return &leftInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveLeft(c, tx, p, *in.(*leftInput))
		}))
	s.Handle("POST", "/api/v1/projects/:id/budget", projectWrite, s.apiWrite(func() any { return &budgetInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveBudget(c.Request.Context(), tx, p, *in.(*budgetInput))
		}))
	s.Handle("POST", "/api/v1/projects/:id/funding", projectWrite, s.apiWrite(func() any { return &fundingInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveFunding(c.Request.Context(), tx, p, *in.(*fundingInput))
		}))
	s.Handle("POST", "/api/v1/projects/:id/advances", projectWrite, s.apiWrite(func() any { return &advanceInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveAdvance(c.Request.Context(), tx, p, *in.(*advanceInput))
		}))
	s.Handle("POST", "/api/v1/projects/:id/close", projectWrite, s.apiWrite(func() any { return &closeInput{} },
		func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error) {
			return saveClose(c.Request.Context(), tx, p, *in.(*closeInput))
		}))
	s.Handle("GET", "/api/v1/projects/:id/settlements/:year/preview", projectStaffR, s.apiSettlementPreview)
	s.Handle("POST", "/api/v1/projects/:id/settlements/:year", projectWrite, s.apiSettle)
}

// The JSON of a project. Amounts are exact decimal strings with two
// decimals; costs are negative in the budget and actual rows (report signs).
type projectJSON struct {
	ID             int64             `json:"id"`
	Committee      string            `json:"committee"`
	Name           string            `json:"name"`
	Description    string            `json:"description,omitempty"`
	Case           string            `json:"case,omitempty"`
	Decision       string            `json:"decision,omitempty"`
	ClosedOn       string            `json:"closed_on,omitempty"`
	Objects        []string          `json:"objects"`
	Key            keyJSON           `json:"key"`
	Participants   []participantJSON `json:"participants"`
	URL            string            `json:"url"`
	Years          []yearJSON        `json:"years,omitempty"`
	Funding        []fundingJSON     `json:"funding,omitempty"`
	Settlements    []settlementJSON  `json:"settlements,omitempty"`
	AllocationIDs  []int64           `json:"allocation_ids,omitempty"`
	PartyInvoiced  string            `json:"party_invoiced,omitempty"`
	PartyPaid      string            `json:"party_paid,omitempty"`
	PartyCredited  string            `json:"party_credited,omitempty"`
	SettlementRule string            `json:"settlement_rule,omitempty"`
}

type keyJSON struct {
	Method         string `json:"method"`
	Text           string `json:"text"`
	PopulationDate string `json:"population_date,omitempty"`
	HostShare      string `json:"host_share,omitempty"`
}

type participantJSON struct {
	ID         int64  `json:"id"`
	PartyID    int64  `json:"party_id"`
	Party      string `json:"party"`
	Joined     string `json:"joined"`
	Left       string `json:"left,omitempty"`
	KeyPercent string `json:"key_percent,omitempty"`
	Note       string `json:"note,omitempty"`
}

type yearJSON struct {
	Year    int           `json:"year"`
	Through string        `json:"through,omitempty"`
	Budget  string        `json:"budget"`
	Actual  string        `json:"actual"`
	Rows    []yearRowJSON `json:"rows"`
}

type yearRowJSON struct {
	RowID     int64  `json:"row_id"`
	Row       string `json:"row"`
	Budget    string `json:"budget"`
	Actual    string `json:"actual"`
	Deviation string `json:"deviation"`
}

type fundingJSON struct {
	Year     int    `json:"year"`
	Kind     string `json:"kind"`
	PartyID  int64  `json:"party_id,omitempty"`
	Party    string `json:"party,omitempty"`
	Funder   string `json:"funder,omitempty"`
	Status   string `json:"status"`
	Decision string `json:"decision,omitempty"`
	Amount   string `json:"amount"`
	Note     string `json:"note,omitempty"`
}

type settlementJSON struct {
	ID            int64       `json:"id,omitempty"`
	Year          int         `json:"year"`
	Kind          string      `json:"kind"`
	Period        string      `json:"period"`
	FromMonth     int         `json:"from_month"`
	ToMonth       int         `json:"to_month"`
	Months        int         `json:"months"`
	Cost          string      `json:"cost"`
	External      string      `json:"external"`
	Net           string      `json:"net"`
	Decision      string      `json:"decision,omitempty"`
	AllocationIDs []int64     `json:"allocation_ids,omitempty"`
	Missing       string      `json:"missing_months,omitempty"`
	Fingerprint   string      `json:"fingerprint,omitempty"`
	Shares        []shareJSON `json:"shares"`
	CreatedAt     *time.Time  `json:"created_at,omitempty"`
}

type shareJSON struct {
	PartyID    int64  `json:"party_id"`
	Party      string `json:"party"`
	Months     int    `json:"months"`
	Percent    string `json:"percent"`
	Quota      string `json:"quota"`
	Share      string `json:"share"`
	Advance    string `json:"advance"`
	Difference string `json:"difference"`
	Residue    bool   `json:"residue"`
}

// SettlementRule is the rule of a settlement, as the API and the page say it.
const SettlementRule = "Årets kostnad på projektets objekt (kostnadsraderna) minus beviljade externa bidrag sprids jämnt över årets månader med minst en deltagare; varje månads del fördelas med projektets nyckel mellan de parter som deltar den månaden. En part deltar varje månad som dess deltagande berör (gick med senast månadens sista dag och lämnade tidigast dess första dag). Andelarna avrundas till öre med största-restmetoden och summerar exakt till nettokostnaden; skillnaden mot det som fakturerats i förskott faktureras eller krediteras."

func money(d interface{ StringFixed(int32) string }) string { return d.StringFixed(2) }

func dateOrEmpty(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// projectJSONOf is the brief form of a project, as the list shows it.
func projectJSONOf(cm domain.Committee, p finance.Project) projectJSON {
	j := projectJSON{ID: p.ID, Committee: cm.Code, Name: p.Name, Description: p.Description, Case: p.CaseNumber, Decision: p.Decision,
		ClosedOn: dateOrEmpty(p.ClosedOn), Objects: []string{}, URL: ProjectURL(p.ID), Participants: []participantJSON{},
		Key: keyJSON{Method: p.Method, Text: p.MethodLabel(), PopulationDate: dateOrEmpty(p.PopulationDate)}}
	if p.HostShare.Valid {
		j.Key.HostShare = p.HostShare.Decimal.String()
	}
	for _, o := range p.Objects {
		j.Objects = append(j.Objects, o.Key())
	}
	for _, pt := range p.Participants {
		pj := participantJSON{ID: pt.ID, PartyID: pt.PartyID, Party: pt.PartyName, Joined: pt.Joined.String(), Left: dateOrEmpty(pt.Left), Note: pt.Note}
		if pt.KeyPercent.Valid {
			pj.KeyPercent = pt.KeyPercent.Decimal.String()
		}
		j.Participants = append(j.Participants, pj)
	}
	return j
}

func settlementJSONOf(s finance.Settlement) settlementJSON {
	j := settlementJSON{ID: s.ID, Year: s.Year, Kind: s.Kind, Period: s.Period(), FromMonth: int(s.FromMonth), ToMonth: int(s.ToMonth), Months: s.Months,
		Cost: money(s.Cost), External: money(s.External), Net: money(s.Net), Decision: s.Decision, AllocationIDs: s.AllocationIDs, Shares: []shareJSON{}}
	if !s.CreatedAt.IsZero() {
		t := s.CreatedAt
		j.CreatedAt = &t
	}
	for _, sh := range s.Shares {
		j.Shares = append(j.Shares, shareJSON{PartyID: sh.PartyID, Party: sh.PartyName, Months: sh.Months, Percent: sh.Weight.String(),
			Quota: sh.Quota.String(), Share: money(sh.Share), Advance: money(sh.Advance), Difference: money(sh.Difference), Residue: sh.Residue})
	}
	return j
}

// apiProjects answers GET /api/v1/committees/{code}/projects.
func (s *Handlers) apiProjects(c *gin.Context) {
	cm, err := s.CommitteeFor(c, projectViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.visibleProjects(c, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := []projectJSON{}
	for _, p := range list {
		out = append(out, projectJSONOf(cm, p))
	}
	c.JSON(http.StatusOK, gin.H{"projects": out})
}

// apiProject answers GET /api/v1/projects/{id}: the project with its
// participants and dates, key, budget and actual per year and row, funding
// and settlements.
func (s *Handlers) apiProject(c *gin.Context) {
	p, cm, err := s.loadProject(c, projectViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.writeProject(c, http.StatusOK, p, cm)
}

func (s *Handlers) writeProject(c *gin.Context, status int, p finance.Project, cm domain.Committee) {
	v, err := s.projectData(c, p, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	j := projectJSONOf(cm, p)
	j.SettlementRule = SettlementRule
	for _, y := range v.Years {
		yj := yearJSON{Year: y.Year, Budget: money(y.Budget), Actual: money(y.Actual), Rows: []yearRowJSON{}}
		if !y.Through.IsZero() {
			yj.Through = y.Through.String()
		}
		for _, r := range y.Rows {
			yj.Rows = append(yj.Rows, yearRowJSON{RowID: r.RowID, Row: r.Name, Budget: money(r.Budget), Actual: money(r.Actual), Deviation: money(r.Deviation())})
		}
		j.Years = append(j.Years, yj)
	}
	for _, f := range v.Funding {
		j.Funding = append(j.Funding, fundingJSON{Year: f.Year, Kind: string(f.Kind), PartyID: f.PartyID, Party: f.PartyName, Funder: f.Funder,
			Status: string(f.Status), Decision: f.Decision, Amount: money(f.Amount), Note: f.Note})
	}
	for _, st := range v.Settlements {
		j.Settlements = append(j.Settlements, settlementJSONOf(st))
	}
	for _, a := range v.Allocations {
		j.AllocationIDs = append(j.AllocationIDs, a.AllocationID)
	}
	if v.PartyID != 0 {
		j.PartyInvoiced, j.PartyPaid, j.PartyCredited = money(v.Account.Invoiced), money(v.Account.Paid), money(v.Account.Credited)
	}
	c.JSON(status, j)
}

// apiCreateProject answers POST /api/v1/committees/{code}/projects.
func (s *Handlers) apiCreateProject(c *gin.Context) {
	cm, err := s.CommitteeFor(c, projectMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in projectInput
	if err := kit.ReadJSON(c, &in, false); err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	p, err := in.project(caseOf(ctx, s.DB.Conn(), cm), cm)
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error { var err error; p, err = tx.CreateProject(ctx, p); return err })
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.writeProject(c, http.StatusCreated, p, cm)
}

// apiWrite answers one of the project's JSON writes with the page's check
// and save, and the project as it then is.
func (s *Handlers) apiWrite(newInput func() any, save func(c *gin.Context, p finance.Project, tx *store.Conn, in any) (string, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, cm, err := s.loadProject(c, projectMakers)
		if err != nil {
			s.Fail(c, err)
			return
		}
		in := newInput()
		if err := kit.ReadJSON(c, in, false); err != nil {
			s.Fail(c, err)
			return
		}
		if err := s.InTx(c, func(tx *store.Conn) error { _, err := save(c, p, tx, in); return err }); err != nil {
			s.Fail(c, err)
			return
		}
		if p, err = s.DB.Conn().ProjectByID(c.Request.Context(), p.ID); err != nil {
			s.Fail(c, err)
			return
		}
		s.writeProject(c, http.StatusOK, p, cm)
	}
}

// apiSettlementPreview answers GET
// /api/v1/projects/{id}/settlements/{year}/preview: the settlement as it
// would be made now, with the fingerprint to confirm it by.
func (s *Handlers) apiSettlementPreview(c *gin.Context) {
	p, _, err := s.loadProject(c, projectStaff)
	if err != nil {
		s.Fail(c, err)
		return
	}
	y, err := year("year", c.Param("year"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	plan, err := projects.PlanSettlement(c.Request.Context(), s.DB.Conn(), p, y)
	if err != nil {
		s.Fail(c, err)
		return
	}
	j := settlementJSONOf(plan.Settlement)
	j.Missing, j.Fingerprint = plan.Missing, plan.Fingerprint()
	c.JSON(http.StatusOK, j)
}

// apiSettle answers POST /api/v1/projects/{id}/settlements/{year}: the
// settlement is made and its differences invoiced and credited.
func (s *Handlers) apiSettle(c *gin.Context) {
	p, _, err := s.loadProject(c, projectMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	y, err := year("year", c.Param("year"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in settleInput
	if err := kit.ReadJSON(c, &in, false); err != nil {
		s.Fail(c, err)
		return
	}
	issue, err := domain.ParseDateField("issue_date", "Fakturadatum", in.IssueDate, true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := projects.ConfirmSettlement(c.Request.Context(), s.DB, p.ID, y, in.Decision, issue, in.Fingerprint)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, settlementJSONOf(st))
}
