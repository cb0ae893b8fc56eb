package economy

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// cycleRoutes registers the yearly funding cycle's writes on the budget:
// the uppräkning decision and the base-funding allocation proposed from the
// budget, and their API.
func (s *Handlers) cycleRoutes() {
	s.Handle("POST", "/namnder/:code/ekonomi/budget/:year/upprakning", economyWrite, s.createIndexation)
	s.Handle("POST", "/namnder/:code/ekonomi/budget/:year/basfinansiering", economyWrite, s.proposeBaseFunding)
	s.Handle("GET", "/api/v1/committees/:code/indexations", economyOpen, s.apiIndexations)
	s.Handle("POST", "/api/v1/committees/:code/indexations", economyWrite, s.apiCreateIndexation)
	s.Handle("POST", "/api/v1/committees/:code/budgets/:year/base-funding", economyWrite, s.apiProposeBaseFunding)
}

// cycleView is what the budget page shows of the year's funding cycle: the
// uppräkning decision in force and its earlier versions, and the
// base-funding allocation made from the budget.
type cycleView struct {
	Indexation     *finance.Indexation
	IndexVersions  []finance.Indexation
	BaseAllocation *finance.Allocation
	IndexForm      *kit.Form
}

// cycle reads the year's funding cycle for the budget page.
func (s *Handlers) cycle(ctx context.Context, cm domain.Committee, year int, f *kit.Form) (cycleView, error) {
	v := cycleView{IndexForm: f}
	var err error
	if v.IndexVersions, err = s.DB.Conn().Indexations(ctx, cm.ID, year); err != nil {
		return v, err
	}
	if len(v.IndexVersions) > 0 {
		v.Indexation = &v.IndexVersions[0]
	}
	if v.BaseAllocation, err = app.BaseFundingAllocation(ctx, s.DB.Conn(), cm.ID, year); err != nil {
		return v, err
	}
	if v.IndexForm == nil {
		v.IndexForm = kit.FormOf(indexationInput{Rule: string(finance.IndexByIndex), IndexName: "PKV"})
	}
	return v, nil
}

// checkBaseFunding refuses a budget whose base funding is not what the
// year's uppräkning decision in force computed: the budget shows the rule,
// so the two must agree; a different amount needs a new decision first.
func checkBaseFunding(ctx context.Context, tx *store.Conn, b finance.Budget) error {
	x, err := tx.CurrentIndexation(ctx, b.CommitteeID, b.Year)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if !x.Base.Equal(b.BaseFunding) {
		return domain.FieldErrorf("base_funding", "Basfinansieringen %d är enligt beslutet om uppräkning (%s) %s. Ange det beloppet, eller registrera ett nytt beslut om uppräkning först.",
			b.Year, x.Decision, sv.Kronor(x.Base))
	}
	return nil
}

// indexationInput is the uppräkning form.
type indexationInput struct {
	Rule         string `form:"rule"`
	IndexName    string `form:"index_name"`
	IndexPercent string `form:"index_percent"`
	Decision     string `form:"decision"`
	Note         string `form:"note"`
}

// indexation reads the form into a decision for year.
func (in indexationInput) indexation(cm domain.Committee, year int) (finance.Indexation, error) {
	x := finance.Indexation{CommitteeID: cm.ID, Year: year, Rule: finance.IndexRule(in.Rule), Decision: in.Decision, Note: in.Note}
	if x.Rule == finance.IndexByIndex {
		x.IndexName = in.IndexName
		p, err := sv.ParseAmount(strings.TrimSuffix(strings.TrimSpace(in.IndexPercent), "%"))
		if err != nil || in.IndexPercent == "" {
			return x, domain.FieldErrorf("index_percent", "Ange indexets förändring i procent, t.ex. 2,0.")
		}
		x.IndexPercent = p
	}
	return x, nil
}

// createIndexation records the year's uppräkning decision from the form and
// goes back to the budget, whose form then offers the computed amount.
func (s *Handlers) createIndexation(c *gin.Context) {
	cm, rows, year, err := s.economyYear(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in indexationInput
	f := kit.Bind(c, &in)
	x, err := in.indexation(cm, year)
	f.Fail(err)
	ctx := c.Request.Context()
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; x, err = tx.CreateIndexation(ctx, x); return err },
		func(status int) { s.renderBudgetCycle(c, status, cm, rows, year, nil, f) }) {
		return
	}
	s.Redirect(c, kit.BudgetURL(cm, year), fmt.Sprintf("Beslutet om uppräkning %d är registrerat: %s. Spara budgeten med det beloppet.", year, x.RuleText()))
}

// proposeBaseFunding saves the year's base-funding allocation proposed from
// its budget (lika delar between the parties of 1 January), decided by the
// paragraph given, or as a proposal.
func (s *Handlers) proposeBaseFunding(c *gin.Context) {
	cm, rows, year, err := s.economyYear(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in struct {
		Paragraph string `form:"paragraph"`
	}
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	var a finance.Allocation
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		a, err = s.proposeIn(ctx, tx, cm, year, in.Paragraph)
		return err
	}, func(status int) { s.renderBudgetCycle(c, status, cm, rows, year, nil, f) }) {
		return
	}
	what := "föreslagen"
	if a.Decided() {
		what = "beslutad enligt " + a.Decision + " och kan faktureras"
	}
	s.Redirect(c, kit.AllocationURL(a.ID), fmt.Sprintf("Basfinansieringen %d, %s, är %s.", year, sv.Kronor(a.Total), what))
}

// proposeIn reads the deciding paragraph ("§ 16/2020", or empty) and saves
// the base-funding allocation.
func (s *Handlers) proposeIn(ctx context.Context, tx *store.Conn, cm domain.Committee, year int, ref string) (finance.Allocation, error) {
	var paragraphID int64
	if strings.TrimSpace(ref) != "" {
		number, pyear, err := meeting.ParseParagraphRef("paragraph", strings.TrimPrefix(strings.TrimSpace(ref), cm.Code))
		if err != nil {
			return finance.Allocation{}, err
		}
		p, err := tx.ParagraphByNumber(ctx, cm.ID, pyear, number)
		if err != nil {
			return finance.Allocation{}, domain.FieldErrorf("paragraph", "%s", domain.ErrorMessage(err))
		}
		paragraphID = p.ID
	}
	return app.ProposeBaseFunding(ctx, tx, cm.ID, year, paragraphID)
}

// indexationJSON is an uppräkning decision in the API.
type indexationJSON struct {
	Year         int    `json:"year"`
	Version      int    `json:"version"`
	Rule         string `json:"rule"`
	IndexName    string `json:"index_name,omitempty"`
	IndexPercent string `json:"index_percent,omitempty"`
	Previous     string `json:"previous"`
	Base         string `json:"base"`
	Text         string `json:"text"`
	Decision     string `json:"decision"`
	ParagraphID  int64  `json:"paragraph_id,omitempty"`
	Note         string `json:"note,omitempty"`
}

func toIndexationJSON(x finance.Indexation) indexationJSON {
	j := indexationJSON{Year: x.Year, Version: x.Version, Rule: string(x.Rule), IndexName: x.IndexName, Previous: x.Previous.StringFixed(2),
		Base: x.Base.StringFixed(2), Text: x.RuleText(), Decision: x.Decision, ParagraphID: x.ParagraphID, Note: x.Note}
	if x.Rule == finance.IndexByIndex {
		j.IndexPercent = x.IndexPercent.String()
	}
	return j
}

// apiIndexations lists the uppräkning decisions: every version of ?year=,
// or the one in force of each year.
func (s *Handlers) apiIndexations(c *gin.Context) {
	cm, err := s.CommitteeFor(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	year := 0
	if y := c.Query("year"); y != "" {
		if year, err = strconv.Atoi(y); err != nil || year < domain.MinYear || year > domain.MaxYear {
			s.Fail(c, domain.FieldErrorf("year", "Ange året med fyra siffror."))
			return
		}
	}
	list, err := s.DB.Conn().Indexations(c.Request.Context(), cm.ID, year)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]indexationJSON, len(list))
	for i, x := range list {
		out[i] = toIndexationJSON(x)
	}
	c.JSON(http.StatusOK, gin.H{"indexations": out})
}

// apiCreateIndexation records an uppräkning decision (201).
func (s *Handlers) apiCreateIndexation(c *gin.Context) {
	cm, err := s.CommitteeFor(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body struct {
		Year         int    `json:"year"`
		Rule         string `json:"rule"`
		IndexName    string `json:"index_name"`
		IndexPercent string `json:"index_percent"`
		Decision     string `json:"decision"`
		Note         string `json:"note"`
	}
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	x := finance.Indexation{CommitteeID: cm.ID, Year: body.Year, Rule: finance.IndexRule(body.Rule), IndexName: body.IndexName,
		Decision: body.Decision, Note: body.Note}
	if body.IndexPercent != "" {
		p, err := decimal.NewFromString(body.IndexPercent)
		if err != nil {
			s.Fail(c, domain.FieldErrorf("index_percent", "Ange indexet som ett decimaltal, t.ex. \"2.0\"."))
			return
		}
		x.IndexPercent = p
	}
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { var err error; x, err = tx.CreateIndexation(ctx, x); return err }); err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toIndexationJSON(x))
}

// apiProposeBaseFunding saves the year's base-funding allocation proposed
// from its budget (201, Location: the allocation); body {"paragraph":
// "§ 16/2020"} decides it by that paragraph.
func (s *Handlers) apiProposeBaseFunding(c *gin.Context) {
	cm, _, year, err := s.economyYear(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body struct {
		Paragraph string `json:"paragraph"`
	}
	if err := kit.ReadJSON(c, &body, true); err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var a finance.Allocation
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		var err error
		a, err = s.proposeIn(ctx, tx, cm, year, body.Paragraph)
		return err
	}); err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/allocations/"+strconv.FormatInt(a.ID, 10))
	c.JSON(http.StatusCreated, gin.H{"id": a.ID, "kind": string(a.Kind), "title": a.Title, "total": a.Total.StringFixed(2),
		"budget_year": a.BudgetYear, "decision": a.Decision, "shares": len(a.Shares)})
}
