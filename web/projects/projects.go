package projects

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

type listView struct {
	Committee domain.Committee
	Projects  []finance.Project
	CanWrite  bool
	Form      *kit.Form
}

// listPage lists the committee's projects (a party representative's own
// only) with the form to start one.
func (s *Handlers) listPage(c *gin.Context) {
	s.renderList(c, http.StatusOK, kit.EmptyForm())
}

func (s *Handlers) renderList(c *gin.Context, status int, f *kit.Form) {
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
	f.Default("method", finance.ProjectPopulation)
	f.Default("population_date", strconv.Itoa(s.DB.Now().Year()-1)+"-12-31")
	v := listView{Committee: cm, Projects: list, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, projectMakers...), Form: f}
	s.Render(c, status, "projects", "Projekt – "+cm.Code, v)
}

// visibleProjects returns the committee's projects the user reads.
func (s *Handlers) visibleProjects(c *gin.Context, cm domain.Committee) ([]finance.Project, error) {
	ctx := c.Request.Context()
	if party := partyOnly(kit.CurrentUser(c), cm.ID); party != 0 {
		return s.DB.Conn().PartyProjects(ctx, cm.ID, party)
	}
	return s.DB.Conn().Projects(ctx, cm.ID)
}

// caseOf returns a function that finds a case of the committee by number.
func caseOf(ctx context.Context, conn *store.Conn, cm domain.Committee) func(string) (int64, error) {
	return func(v string) (int64, error) {
		n, err := domain.ParseCaseNumber(v)
		if err != nil {
			return 0, domain.FieldErrorf("case", "Ange ärendets diarienummer, t.ex. GNS/8/2019.")
		}
		k, err := conn.CaseByNumber(ctx, n)
		if err != nil || k.CommitteeID != cm.ID {
			return 0, domain.FieldErrorf("case", "Ärendet %s finns inte i nämnden.", v)
		}
		return k.ID, nil
	}
}

// createProject starts a project from the form.
func (s *Handlers) createProject(c *gin.Context) {
	cm, err := s.CommitteeFor(c, projectMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in projectInput
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	p, err := in.project(caseOf(ctx, s.DB.Conn(), cm), cm)
	f.Fail(err)
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; p, err = tx.CreateProject(ctx, p); return err },
		func(status int) { s.renderList(c, status, f) }) {
		return
	}
	s.Redirect(c, ProjectURL(p.ID), "Projektet "+p.Name+" är registrerat. Lägg till deltagarna.")
}

// projectView is a project's page.
type projectView struct {
	Committee domain.Committee
	Project   finance.Project
	CanWrite  bool
	Staff     bool
	// PartyID is the party a party representative reads for; 0 otherwise.
	PartyID     int64
	Years       []projects.ProjectYear
	Funding     []finance.ProjectFunding
	Settlements []finance.Settlement
	Allocations []store.ProjectAllocation
	Account     store.ProjectPartyAccount
	// For the forms: the committee's parties, its report rows, the decided
	// project allocations that may be linked as advances, and the years
	// that can be settled.
	Parties     []domain.MemberParty
	Rows        []finance.ReportRow
	Advances    []finance.Allocation
	SettleYears []int
	Forms       map[string]*kit.Form
	Statuses    []finance.FundingStatus
}

// projectPage shows a project.
func (s *Handlers) projectPage(c *gin.Context) {
	s.renderProject(c, http.StatusOK, "", nil)
}

// renderProject shows the project page, with form f (named name) showing
// its errors when given.
func (s *Handlers) renderProject(c *gin.Context, status int, name string, f *kit.Form) {
	p, cm, err := s.loadProject(c, projectViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.projectData(c, p, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if f != nil {
		v.Forms[name] = f
	}
	s.Render(c, status, "project", p.Name, v)
}

// projectData gathers what a project's page and API show.
func (s *Handlers) projectData(c *gin.Context, p finance.Project, cm domain.Committee) (projectView, error) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	v := projectView{Committee: cm, Project: p, CanWrite: u.HasIn(cm.ID, projectMakers...), Staff: u.HasIn(cm.ID, projectStaff...),
		PartyID: partyOnly(u, cm.ID), Statuses: finance.FundingStatuses, Forms: map[string]*kit.Form{}}
	for _, n := range []string{"participant", "budget", "funding", "advance", "close", "left"} {
		v.Forms[n] = kit.EmptyForm()
	}
	v.Forms["close"].Default("closed_on", domain.DateOf(s.DB.Now().In(sv.Location())).String())
	var err error
	if v.Years, err = projects.ProjectYears(ctx, conn, p, finance.Period{}); err != nil {
		return v, err
	}
	if v.Funding, err = conn.ProjectFunding(ctx, p.ID); err != nil {
		return v, err
	}
	if v.Settlements, err = conn.ProjectSettlements(ctx, p.ID); err != nil {
		return v, err
	}
	v.Settlements = ownShares(v.Settlements, v.PartyID)
	if v.PartyID != 0 {
		if v.Account, err = conn.ProjectPartyAccount(ctx, p.ID, v.PartyID); err != nil {
			return v, err
		}
		return v, nil
	}
	if v.Allocations, err = conn.ProjectAllocations(ctx, p.ID); err != nil {
		return v, err
	}
	if !v.Staff {
		return v, nil
	}
	if v.Parties, err = conn.CommitteeParties(ctx, cm.ID); err != nil {
		return v, err
	}
	rows, err := conn.ReportRows(ctx, cm.ID)
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		if r.Kind != finance.RowTotal {
			v.Rows = append(v.Rows, r)
		}
	}
	linked := map[int64]bool{}
	for _, a := range v.Allocations {
		linked[a.AllocationID] = true
	}
	all, err := conn.Allocations(ctx, cm.ID)
	if err != nil {
		return v, err
	}
	for _, a := range all {
		if a.Kind == finance.AllocationProject && a.Decided() && !a.Superseded() && !linked[a.ID] {
			v.Advances = append(v.Advances, a)
		}
	}
	v.SettleYears = settleYears(p, v.Settlements, s.DB.Now().Year())
	return v, nil
}

// settleYears are the years a project can be settled in: from the year the
// first party joined to the year it closed (or last year), not yet settled.
func settleYears(p finance.Project, done []finance.Settlement, thisYear int) []int {
	if len(p.Participants) == 0 {
		return nil
	}
	first, last := p.Participants[0].Joined.Year, thisYear-1
	for _, pt := range p.Participants {
		first = min(first, pt.Joined.Year)
	}
	if !p.ClosedOn.IsZero() {
		last = p.ClosedOn.Year
	}
	settled := map[int]bool{}
	for _, s := range done {
		settled[s.Year] = true
	}
	var out []int
	for y := first; y <= last; y++ {
		if !settled[y] {
			out = append(out, y)
		}
	}
	return out
}

// projectWrite runs one write of the project page: it reads the project
// for a maker, binds the form, checks and saves it, and shows the page again
// with the errors or redirects with msg.
func (s *Handlers) projectWrite(c *gin.Context, name string, in any, save func(p finance.Project, tx *store.Conn) (string, error)) {
	p, _, err := s.loadProject(c, projectMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.Bind(c, in)
	var msg string
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; msg, err = save(p, tx); return err },
		func(status int) { s.renderProject(c, status, name, f) }) {
		return
	}
	s.Redirect(c, ProjectURL(p.ID), msg)
}

func (s *Handlers) addParticipant(c *gin.Context) {
	var in participantInput
	s.projectWrite(c, "participant", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveParticipant(c.Request.Context(), tx, p, in)
	})
}

func saveParticipant(ctx context.Context, tx *store.Conn, p finance.Project, in participantInput) (string, error) {
	pt, err := in.participant(p.ID)
	if err != nil {
		return "", err
	}
	if pt, err = tx.AddProjectParticipant(ctx, pt); err != nil {
		return "", err
	}
	party, err := tx.PartyByID(ctx, pt.PartyID)
	if err != nil {
		return "", err
	}
	return party.Name + " deltar i projektet från " + pt.Joined.String() + ".", nil
}

func (s *Handlers) endParticipation(c *gin.Context) {
	var in leftInput
	s.projectWrite(c, "left", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveLeft(c, tx, p, in)
	})
}

func saveLeft(c *gin.Context, tx *store.Conn, p finance.Project, in leftInput) (string, error) {
	pid, err := kit.PathID(c, "pid")
	if err != nil {
		return "", err
	}
	left, err := domain.ParseDateField("left", "Dagen parten lämnade", in.Left, true)
	if err != nil {
		return "", err
	}
	pt, err := tx.EndProjectParticipation(c.Request.Context(), p.ID, pid, left)
	if err != nil {
		return "", err
	}
	return pt.PartyName + " lämnade projektet " + left.String() + ".", nil
}

func (s *Handlers) addBudgetLine(c *gin.Context) {
	var in budgetInput
	s.projectWrite(c, "budget", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveBudget(c.Request.Context(), tx, p, in)
	})
}

func saveBudget(ctx context.Context, tx *store.Conn, p finance.Project, in budgetInput) (string, error) {
	l, err := in.line(p.ID)
	if err != nil {
		return "", err
	}
	if _, err := tx.AddProjectBudgetLine(ctx, l); err != nil {
		return "", err
	}
	return "Budgeten för " + strconv.Itoa(l.Year) + " är sparad: " + sv.Kronor(l.Amount) + ".", nil
}

func (s *Handlers) addFunding(c *gin.Context) {
	var in fundingInput
	s.projectWrite(c, "funding", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveFunding(c.Request.Context(), tx, p, in)
	})
}

func saveFunding(ctx context.Context, tx *store.Conn, p finance.Project, in fundingInput) (string, error) {
	f, err := in.funding(p.ID)
	if err != nil {
		return "", err
	}
	if f, err = tx.AddProjectFunding(ctx, f); err != nil {
		return "", err
	}
	return f.Kind.Label() + " " + strconv.Itoa(f.Year) + " är registrerat: " + sv.Kronor(f.Amount) + " (" + f.Status.Label() + ").", nil
}

func (s *Handlers) linkAdvance(c *gin.Context) {
	var in advanceInput
	s.projectWrite(c, "advance", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveAdvance(c.Request.Context(), tx, p, in)
	})
}

func saveAdvance(ctx context.Context, tx *store.Conn, p finance.Project, in advanceInput) (string, error) {
	id, err := strconv.ParseInt(in.Allocation, 10, 64)
	if err != nil {
		return "", domain.FieldErrorf("allocation", "Välj fördelningen.")
	}
	y, err := year("year", in.Year)
	if err != nil {
		return "", err
	}
	if err := tx.LinkProjectAdvance(ctx, p.ID, id, y); err != nil {
		return "", err
	}
	return "Fördelning " + in.Allocation + " räknas som förskott för " + strconv.Itoa(y) + ".", nil
}

func (s *Handlers) closeProject(c *gin.Context) {
	var in closeInput
	s.projectWrite(c, "close", &in, func(p finance.Project, tx *store.Conn) (string, error) {
		return saveClose(c.Request.Context(), tx, p, in)
	})
}

func saveClose(ctx context.Context, tx *store.Conn, p finance.Project, in closeInput) (string, error) {
	day, err := domain.ParseDateField("closed_on", "Dagen projektet avslutades", in.ClosedOn, true)
	if err != nil {
		return "", err
	}
	if !in.Confirm {
		return "", domain.FieldErrorf("confirm", "Bekräfta att projektet avslutas: det går inte att ångra, och deltagare som är kvar lämnar projektet samma dag.")
	}
	if _, err := tx.CloseProject(ctx, p.ID, day); err != nil {
		return "", err
	}
	return "Projektet är avslutat " + day.String() + ". Avräkna det sista året under Avräkning.", nil
}

// settlementView is the settlement preview and its confirmation form.
type settlementView struct {
	Committee domain.Committee
	Project   finance.Project
	Plan      projects.SettlementPlan
	CanWrite  bool
	Form      *kit.Form
}

// settlementPage previews the settlement of a year.
func (s *Handlers) settlementPage(c *gin.Context) {
	s.renderSettlement(c, http.StatusOK, kit.EmptyForm())
}

func (s *Handlers) renderSettlement(c *gin.Context, status int, f *kit.Form) {
	p, cm, err := s.loadProject(c, projectStaff)
	if err != nil {
		s.Fail(c, err)
		return
	}
	y, err := year("year", c.Param("year"))
	if err != nil {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Sidan finns inte."))
		return
	}
	plan, err := projects.PlanSettlement(c.Request.Context(), s.DB.Conn(), p, y)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f.Default("issue_date", domain.DateOf(s.DB.Now().In(sv.Location())).String())
	f.Values["fingerprint"] = plan.Fingerprint()
	v := settlementView{Committee: cm, Project: p, Plan: plan, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, projectMakers...), Form: f}
	s.Render(c, status, "settlement", "Avräkning "+strconv.Itoa(y)+" – "+p.Name, v)
}

// confirmSettlement settles the year as previewed.
func (s *Handlers) confirmSettlement(c *gin.Context) {
	p, _, err := s.loadProject(c, projectMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	y, err := year("year", c.Param("year"))
	if err != nil {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Sidan finns inte."))
		return
	}
	var in settleInput
	f := kit.Bind(c, &in)
	issue, err := domain.ParseDateField("issue_date", "Fakturadatum", in.IssueDate, true)
	f.Fail(err)
	var st finance.Settlement
	if f.OK() {
		st, err = projects.ConfirmSettlement(c.Request.Context(), s.DB, p.ID, y, in.Decision, issue, in.Fingerprint)
		if !s.Record(c, f, err) {
			return
		}
	}
	if !f.OK() {
		s.renderSettlement(c, kit.FormStatus(err), f)
		return
	}
	s.Redirect(c, ProjectURL(p.ID), "Avräkningen för "+st.Period()+" är gjord: "+strconv.Itoa(len(st.AllocationIDs))+" fakturering(ar) under Fakturor.")
}
