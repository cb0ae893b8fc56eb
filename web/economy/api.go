package economy

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/web/kit"
)

// apiRoutes registers the economy's read API, with the same access as the
// pages: the budgets, the carry-forward ledger and the finalised reports for
// every economy viewer (drafts for the staff only), the imports for the
// staff.
func (s *Handlers) apiRoutes() {
	s.Handle("GET", "/api/v1/committees/:code/budgets", economyOpen, s.apiBudgets)
	s.Handle("GET", "/api/v1/committees/:code/carry-forward", economyOpen, s.apiCarryForward)
	s.Handle("GET", "/api/v1/committees/:code/reports", economyOpen, s.apiReports)
	s.Handle("GET", "/api/v1/reports/:id", economyOpen, s.apiReport)
	s.Handle("GET", "/api/v1/committees/:code/imports", economyRead, s.apiImports)
}

// money writes an amount as the API does: an exact decimal string with two
// decimals, never a JSON number.
func money(d decimal.Decimal) string { return d.StringFixed(2) }

// budgetJSON is one version of a year's budget. Amounts are in the report's
// signs (revenue positive, costs negative).
type budgetJSON struct {
	Year          int              `json:"year"`
	Version       int              `json:"version"`
	Current       bool             `json:"current"`
	BaseFunding   string           `json:"base_funding"`
	PaymentMonths []int            `json:"payment_months"`
	Decision      string           `json:"decision,omitempty"`
	Note          string           `json:"note,omitempty"`
	Total         string           `json:"total"`
	Lines         []budgetLineJSON `json:"lines"`
	CreatedAt     time.Time        `json:"created_at"`
	CreatedBy     string           `json:"created_by"`
	URL           string           `json:"url"`
	PDFURL        string           `json:"pdf_url"`
}

type budgetLineJSON struct {
	RowID  int64    `json:"row_id"`
	Key    string   `json:"key"`
	Row    string   `json:"row"`
	Annual string   `json:"annual"`
	Months []string `json:"months,omitempty"`
}

// apiBudgets answers GET /api/v1/committees/{code}/budgets: every version
// of the year's budget (?year=, current first), or, without a year, the
// current version of every year with a budget, latest year first.
func (s *Handlers) apiBudgets(c *gin.Context) {
	cm, rows, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	var years []int
	all := false
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < domain.MinYear || n > domain.MaxYear {
			s.Fail(c, domain.FieldErrorf("year", "Ange året med fyra siffror, t.ex. 2021."))
			return
		}
		years, all = []int{n}, true
	} else if years, err = conn.BudgetYears(ctx, cm.ID); err != nil {
		s.Fail(c, err)
		return
	}
	row := map[int64]finance.ReportRow{}
	for _, r := range rows {
		row[r.ID] = r
	}
	out := []budgetJSON{}
	for _, y := range years {
		versions, err := conn.BudgetVersions(ctx, cm.ID, y)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for i, b := range versions {
			if i > 0 && !all {
				break
			}
			j := budgetJSON{Year: b.Year, Version: b.Version, Current: i == 0, BaseFunding: money(b.BaseFunding), Decision: b.Decision, Note: b.Note,
				CreatedAt: b.CreatedAt, CreatedBy: b.CreatedBy, URL: kit.BudgetURL(cm, b.Year), PDFURL: kit.BudgetURL(cm, b.Year) + "/pdf",
				PaymentMonths: []int{}, Lines: []budgetLineJSON{}}
			if i > 0 {
				j.URL += "?version=" + strconv.Itoa(b.Version)
			}
			for _, m := range b.PaymentMonths {
				j.PaymentMonths = append(j.PaymentMonths, int(m))
			}
			total := decimal.Zero
			for _, l := range b.Lines {
				r := row[l.RowID]
				line := budgetLineJSON{RowID: l.RowID, Key: r.Key, Row: r.Name, Annual: money(l.Annual)}
				for _, m := range l.Months {
					line.Months = append(line.Months, money(m))
				}
				j.Lines = append(j.Lines, line)
				total = total.Add(l.Annual)
			}
			j.Total = money(total)
			out = append(out, j)
		}
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "count": len(out), "budgets": out})
}

type carryEntryJSON struct {
	ID           int64             `json:"id"`
	Kind         finance.CarryKind `json:"kind"`
	KindLabel    string            `json:"kind_label"`
	Amount       string            `json:"amount"`
	Date         domain.Date       `json:"date"`
	Purpose      string            `json:"purpose,omitempty"`
	Decision     string            `json:"decision,omitempty"`
	ParagraphID  int64             `json:"paragraph_id,omitempty"`
	AllocationID int64             `json:"allocation_id,omitempty"`
	EarmarkID    int64             `json:"earmark_id,omitempty"`
	Kept         string            `json:"kept"`
	CreatedAt    time.Time         `json:"created_at"`
	CreatedBy    string            `json:"created_by"`
}

type carryYearJSON struct {
	OriginYear int              `json:"origin_year,omitempty"`
	HasResult  bool             `json:"has_result"`
	Result     string           `json:"result"`
	Used       string           `json:"used"`
	Refunded   string           `json:"refunded"`
	Kept       string           `json:"kept"`
	Earmarked  string           `json:"earmarked"`
	Balance    string           `json:"balance"`
	Free       string           `json:"free"`
	Entries    []carryEntryJSON `json:"entries,omitempty"`
}

func toCarryYearJSON(y finance.CarryYear) carryYearJSON {
	out := carryYearJSON{OriginYear: y.OriginYear, HasResult: y.HasResult, Result: money(y.Result), Used: money(y.Used), Refunded: money(y.Refunded), Kept: money(y.Kept),
		Earmarked: money(y.Earmarked), Balance: money(y.Balance()), Free: money(y.Free())}
	for _, e := range y.Entries {
		out.Entries = append(out.Entries, carryEntryJSON{ID: e.ID, Kind: e.Kind, KindLabel: e.Kind.Label(), Amount: money(e.Amount), Date: e.Date,
			Purpose: e.Purpose, Decision: e.Decision, ParagraphID: e.ParagraphID, AllocationID: e.AllocationID, EarmarkID: e.EarmarkID,
			Kept: money(e.Kept), CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy})
	}
	return out
}

// apiCarryForward answers GET /api/v1/committees/{code}/carry-forward: the
// carry-forward ledger per originating year, oldest first, with every
// movement, and the totals.
func (s *Handlers) apiCarryForward(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	l, err := s.DB.Conn().CarryLedger(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	years := []carryYearJSON{}
	for _, y := range l.Years {
		years = append(years, toCarryYearJSON(y))
	}
	total := toCarryYearJSON(l.Total)
	total.OriginYear, total.Entries = 0, nil
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "years": years, "total": total, "url": kit.EconomyURL(cm) + "/overforingar"})
}

// reportJSON is an interim report; Table is there for one report only.
type reportJSON struct {
	ID          int64                `json:"id"`
	Committee   string               `json:"committee"`
	Title       string               `json:"title"`
	Period      string               `json:"period"`
	Kind        string               `json:"kind"`
	Version     int                  `json:"version"`
	Status      finance.ReportStatus `json:"status"`
	FinalisedAt *time.Time           `json:"finalised_at"`
	FinalisedBy string               `json:"finalised_by,omitempty"`
	UpdatedAt   time.Time            `json:"updated_at"`
	URL         string               `json:"url"`
	PDFURL      string               `json:"pdf_url"`
	XLSXURL     string               `json:"xlsx_url"`
	Texts       *reportTextsJSON     `json:"texts,omitempty"`
	Table       *reportTableJSON     `json:"table,omitempty"`
}

type reportTextsJSON struct {
	Summary       string `json:"summary"`
	Events        string `json:"events"`
	IncomeComment string `json:"income_comment"`
	CostComment   string `json:"cost_comment"`
	ResultComment string `json:"result_comment"`
}

// reportTableJSON is the report's table in exact kronor, the report's signs:
// accumulated outcome, budget and last year's outcome per row, with the
// deviation from budget and the change from last year.
type reportTableJSON struct {
	Period        string          `json:"period"`
	BudgetVersion int             `json:"budget_version"`
	Missing       []string        `json:"missing,omitempty"`
	Lines         []tableLineJSON `json:"lines"`
	Result        tableLineJSON   `json:"result"`
}

type tableLineJSON struct {
	RowID     int64  `json:"row_id"`
	Key       string `json:"key"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Total     bool   `json:"total"`
	Actual    string `json:"actual"`
	Budget    string `json:"budget"`
	Deviation string `json:"deviation"`
	Prior     string `json:"prior"`
	Change    string `json:"change"`
}

func toTableLineJSON(l finance.TableLine) tableLineJSON {
	return tableLineJSON{RowID: l.RowID, Key: l.Key, Name: l.Name, Kind: string(l.Kind), Total: l.Total, Actual: money(l.Actual),
		Budget: money(l.Budget), Deviation: money(l.Deviation()), Prior: money(l.Prior), Change: money(l.Change())}
}

func toReportJSON(cm domain.Committee, r finance.InterimReport) reportJSON {
	url := kit.ReportURL(cm, r.ID)
	out := reportJSON{ID: r.ID, Committee: cm.Code, Title: r.Title, Period: r.Period.String(), Kind: string(finance.ReportKindOf(r.Period)),
		Version: r.Version, Status: r.Status, FinalisedBy: r.FinalisedBy, UpdatedAt: r.UpdatedAt, URL: url, PDFURL: url + "/pdf", XLSXURL: url + "/xlsx"}
	if r.Final() {
		t := r.FinalisedAt
		out.FinalisedAt = &t
	}
	return out
}

// apiReports answers GET /api/v1/committees/{code}/reports: the committee's
// interim reports, latest period and version first; drafts only for the
// staff.
func (s *Handlers) apiReports(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.DB.Conn().InterimReports(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := []reportJSON{}
	for _, r := range visibleReports(list, isStaff(c, cm)) {
		out = append(out, toReportJSON(cm, r))
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "count": len(out), "reports": out})
}

// apiReport answers GET /api/v1/reports/{id}: a report with its texts and
// table (frozen in a finalised report, as it stands now in a draft). A draft
// is not found for a party representative or a member, nor is a report of a
// committee the user has no part in.
func (s *Handlers) apiReport(c *gin.Context) {
	ctx := c.Request.Context()
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	r, err := s.DB.Conn().InterimReportByID(ctx, id)
	u := kit.CurrentUser(c)
	var cm domain.Committee
	if err == nil {
		if !u.HasIn(r.CommitteeID, economyViewers...) || !r.Final() && !u.HasIn(r.CommitteeID, economyReaders...) {
			err = domain.Errorf(domain.ENOTFOUND, "Rapporten finns inte.")
		} else {
			cm, err = s.DB.Conn().CommitteeByID(ctx, r.CommitteeID)
		}
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := toReportJSON(cm, r)
	out.Texts = &reportTextsJSON{Summary: r.Summary, Events: r.Events, IncomeComment: r.IncomeComment, CostComment: r.CostComment, ResultComment: r.ResultComment}
	doc, err := app.InterimDocument(ctx, s.DB.Conn(), cm, r)
	switch {
	case err == nil:
		t := &reportTableJSON{Period: doc.Table.Period.String(), BudgetVersion: doc.Table.BudgetVersion, Lines: []tableLineJSON{},
			Result: toTableLineJSON(doc.Table.Result())}
		for _, p := range doc.Table.Missing {
			t.Missing = append(t.Missing, p.String())
		}
		for _, l := range doc.Table.Lines {
			t.Lines = append(t.Lines, toTableLineJSON(l))
		}
		out.Table = t
	case domain.ErrorCode(err) == domain.EINVALID:
		// A draft whose figures cannot be computed (an account without a
		// row) has no table; the page says why.
	default:
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

type importJSON struct {
	ID          int64                `json:"id"`
	Format      finance.LedgerFormat `json:"format"`
	FileName    string               `json:"file_name"`
	SHA256      string               `json:"sha256"`
	Size        int64                `json:"size"`
	Year        int                  `json:"year,omitempty"`
	Company     string               `json:"company,omitempty"`
	OrgNumber   string               `json:"org_number,omitempty"`
	Through     *domain.Date         `json:"through,omitempty"`
	Periods     []string             `json:"periods"`
	Status      finance.ImportStatus `json:"status"`
	Warnings    []string             `json:"warnings,omitempty"`
	CreatedAt   time.Time            `json:"created_at"`
	CreatedBy   string               `json:"created_by"`
	CommittedAt *time.Time           `json:"committed_at"`
	CommittedBy string               `json:"committed_by,omitempty"`
	URL         string               `json:"url"`
}

// apiImports answers GET /api/v1/committees/{code}/imports: the committee's
// imports of actuals, newest first, previews included (staff only).
func (s *Handlers) apiImports(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.DB.Conn().Imports(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := []importJSON{}
	for _, imp := range list {
		j := importJSON{ID: imp.ID, Format: imp.Format, FileName: imp.FileName, SHA256: imp.SHA256, Size: imp.Size, Year: imp.Year,
			Company: imp.Company, OrgNumber: imp.OrgNumber, Status: imp.Status, Warnings: imp.Warnings, CreatedAt: imp.CreatedAt,
			CreatedBy: imp.CreatedBy, CommittedBy: imp.CommittedBy, URL: kit.ImportURL(cm, imp.ID), Periods: []string{}}
		if !imp.Through.IsZero() {
			t := imp.Through
			j.Through = &t
		}
		for _, p := range imp.Periods {
			j.Periods = append(j.Periods, p.String())
		}
		if !imp.CommittedAt.IsZero() {
			t := imp.CommittedAt
			j.CommittedAt = &t
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "count": len(out), "imports": out})
}
