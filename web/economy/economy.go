package economy

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// Who works with the committee's economy: the economist (and the admin)
// imports actuals, keeps the mapping, budgets, records carry-forward and
// makes the reports; the secretariat and the auditor read all of it. Party
// representatives and members read what is decided (economyViewers): the
// budget, the finalised reports and the carry-forward ledger; a draft report
// is not found for them, and imports and the account mapping stay with the
// staff.
var (
	economyMakers  = domain.AllocationMakers
	economyReaders = domain.AllocationReaders
	economyViewers = domain.EconomyViewers
	economyWrite   = kit.Roles(economyMakers...)
	economyRead    = kit.Roles(economyReaders...)
	economyOpen    = kit.Roles(economyViewers...)
)

// isStaff reports whether the user reads the whole of the committee's
// economy, drafts and imports included.
func isStaff(c *gin.Context, cm domain.Committee) bool {
	return kit.CurrentUser(c).HasIn(cm.ID, economyReaders...)
}

// routes registers the economy's pages: the overview, the account
// mapping, budgets, carry-forward, imports of actuals and the reports.
func (s *Handlers) routes() {
	s.Handle("GET", "/ekonomi", economyOpen, s.economyIndex)
	s.Handle("GET", "/namnder/:code/ekonomi", economyOpen, s.economyPage)
	s.Handle("GET", "/namnder/:code/ekonomi/kontoplan", economyRead, s.accountsPage)
	s.Handle("POST", "/namnder/:code/ekonomi/kontoplan", economyWrite, s.addAccountRange)
	s.Handle("POST", "/namnder/:code/ekonomi/kontoplan/:id/ta-bort", economyWrite, s.retireAccountRange)
	s.Handle("GET", "/namnder/:code/ekonomi/budget", economyOpen, s.budgetIndex)
	s.Handle("GET", "/namnder/:code/ekonomi/budget/:year", economyOpen, s.budgetPage)
	s.Handle("POST", "/namnder/:code/ekonomi/budget/:year", economyWrite, s.createBudget)
	s.Handle("GET", "/namnder/:code/ekonomi/budget/:year/pdf", economyOpen, s.budgetPDF)
	s.Handle("GET", "/namnder/:code/ekonomi/overforingar", economyOpen, s.carryPage)
	s.Handle("POST", "/namnder/:code/ekonomi/overforingar", economyWrite, s.addCarryEntry)
	s.importRoutes()
	s.cycleRoutes()
	s.reportRoutes()
	s.apiRoutes()
}

// economyCommittee reads the :code of an economy route for a user with one
// of the roles in the committee, and makes sure the committee has its report
// rows (the host region's chart, given on first use).
func (s *Handlers) economyCommittee(c *gin.Context, roles []domain.Role) (domain.Committee, []finance.ReportRow, error) {
	cm, err := s.CommitteeFor(c, roles)
	if err != nil {
		return domain.Committee{}, nil, err
	}
	ctx := c.Request.Context()
	rows, err := s.DB.Conn().ReportRows(ctx, cm.ID)
	if err == nil && len(rows) == 0 {
		err = s.DB.InTx(ctx, func(tx *store.Conn) error { rows, err = tx.EnsureReportRows(ctx, cm.ID); return err })
	}
	if err != nil {
		return domain.Committee{}, nil, err
	}
	return cm, rows, nil
}

// economyIndex sends the user to the economy of the first committee where
// the user may read it.
func (s *Handlers) economyIndex(c *gin.Context) {
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, cm := range cms {
		if kit.CurrentUser(c).HasIn(cm.ID, economyViewers...) {
			c.Redirect(http.StatusFound, kit.EconomyURL(cm))
			return
		}
	}
	s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Du har ingen roll i någon nämnds ekonomi."))
}

// yearCoverage is the months of a year that have outcome in force.
type yearCoverage struct {
	Year   int
	Months string
}

type economyView struct {
	Committee domain.Committee
	CanWrite  bool
	// Staff is true for those who read imports, drafts and the mapping.
	Staff    bool
	Coverage []yearCoverage
	Imports  []finance.Import
	Reports  []finance.InterimReport
	Years    []int
	Ledger   finance.CarryLedger
	Mapped   int
}

// economyPage is the committee's economy at a glance: which months have
// outcome, the latest imports and reports, the budget years and the
// carried-forward money, with the way to each.
func (s *Handlers) economyPage(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	v := economyView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Staff: isStaff(c, cm)}
	if v.Staff {
		if v.Imports, err = conn.Imports(ctx, cm.ID); err == nil {
			v.Imports = v.Imports[:min(len(v.Imports), 5)]
		}
	}
	if err == nil {
		v.Coverage, err = s.coverage(c, cm)
	}
	if err == nil {
		if v.Reports, err = conn.InterimReports(ctx, cm.ID); err == nil {
			v.Reports = visibleReports(v.Reports, v.Staff)
			v.Reports = v.Reports[:min(len(v.Reports), 5)]
		}
	}
	if err == nil {
		v.Years, err = conn.BudgetYears(ctx, cm.ID)
	}
	if err == nil {
		v.Ledger, err = conn.CarryLedger(ctx, cm.ID)
	}
	var m finance.Mapping
	if err == nil {
		m, err = conn.AccountMapping(ctx, cm.ID)
		v.Mapped = len(m)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "economy", "Ekonomi – "+cm.Code, v)
}

// coverage describes, per year (latest first), the months with outcome in
// force, e.g. "januari–augusti" or "januari–mars, maj".
func (s *Handlers) coverage(c *gin.Context, cm domain.Committee) ([]yearCoverage, error) {
	periods, err := s.DB.Conn().CoveredPeriods(c.Request.Context(), cm.ID, finance.Period{Year: domain.MinYear, Month: 1}, finance.Period{Year: domain.MaxYear, Month: 12})
	if err != nil {
		return nil, err
	}
	var out []yearCoverage
	for i := 0; i < len(periods); {
		year, parts := periods[i].Year, []string{}
		for i < len(periods) && periods[i].Year == year {
			first := periods[i]
			for i+1 < len(periods) && periods[i+1] == periods[i].Next() && periods[i+1].Year == year {
				i++
			}
			part := monthName(first)
			if periods[i] != first {
				part += "–" + monthName(periods[i])
			}
			parts = append(parts, part)
			i++
		}
		out = append([]yearCoverage{{Year: year, Months: strings.Join(parts, ", ")}}, out...)
	}
	return out, nil
}

// monthName is the Swedish name of a period's month, "augusti".
func monthName(p finance.Period) string {
	return strings.TrimSuffix(interim.MonthYear(p), " "+strconv.Itoa(p.Year))
}

type accountsView struct {
	Committee domain.Committee
	CanWrite  bool
	Rows      []finance.ReportRow
	Mapping   finance.Mapping
	// ByRow lists the ranges of each row, by row id.
	ByRow map[int64][]finance.AccountRange
	Form  *kit.Form
}

// accountsPage shows the report rows with the account ranges mapped to each,
// and the form to add a range.
func (s *Handlers) accountsPage(c *gin.Context) {
	cm, rows, err := s.economyCommittee(c, economyReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderAccounts(c, http.StatusOK, cm, rows, kit.EmptyForm())
}

func (s *Handlers) renderAccounts(c *gin.Context, status int, cm domain.Committee, rows []finance.ReportRow, f *kit.Form) {
	m, err := s.DB.Conn().AccountMapping(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := accountsView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Rows: rows, Mapping: m,
		ByRow: map[int64][]finance.AccountRange{}, Form: f}
	for _, r := range m {
		v.ByRow[r.RowID] = append(v.ByRow[r.RowID], r)
	}
	s.Render(c, status, "economy_accounts", "Kontoplan – "+cm.Code, v)
}

// accountRangeInput is the form that maps a range of accounts to a report
// row; a range without an end is the one account.
type accountRangeInput struct {
	From string `form:"from_account"`
	To   string `form:"to_account"`
	Row  string `form:"row"`
}

// addAccountRange maps a range of accounts to a row; an overlap with a range
// in force is refused on the form (400).
func (s *Handlers) addAccountRange(c *gin.Context) {
	cm, rows, err := s.economyCommittee(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in accountRangeInput
	f := kit.Bind(c, &in)
	r := finance.AccountRange{CommitteeID: cm.ID, From: in.From, To: in.To}
	if r.To == "" {
		r.To = r.From
	}
	r.RowID, _ = strconv.ParseInt(in.Row, 10, 64)
	ctx := c.Request.Context()
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; r, err = tx.AddAccountRange(ctx, r); return err },
		func(int) { s.renderAccounts(c, http.StatusBadRequest, cm, rows, f) }) {
		return
	}
	s.Redirect(c, kit.EconomyURL(cm)+"/kontoplan", "Kontona "+r.String()+" går nu till "+r.RowName+".")
}

// retireAccountRange takes a range out of the mapping (it stays in the
// history).
func (s *Handlers) retireAccountRange(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.RetireAccountRange(ctx, cm.ID, id) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.EconomyURL(cm)+"/kontoplan", "Kontointervallet är borttaget ur kontoplanen.")
}

// budgetIndex goes to the budget of the latest year with one, or of the
// coming year.
func (s *Handlers) budgetIndex(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	year := s.Today().Year + 1
	if y := c.Query("ar"); y != "" {
		if n, err := strconv.Atoi(y); err == nil && n >= domain.MinYear && n <= domain.MaxYear {
			year = n
		}
	} else if years, err := s.DB.Conn().BudgetYears(c.Request.Context(), cm.ID); err == nil && len(years) > 0 {
		year = years[0]
	}
	c.Redirect(http.StatusFound, kit.BudgetURL(cm, year))
}

// economyYear reads the committee and the :year of a budget route for a
// user with one of the roles; a year that is not one is "not found".
func (s *Handlers) economyYear(c *gin.Context, roles []domain.Role) (domain.Committee, []finance.ReportRow, int, error) {
	cm, rows, err := s.economyCommittee(c, roles)
	if err != nil {
		return domain.Committee{}, nil, 0, err
	}
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < domain.MinYear || y > domain.MaxYear {
		return domain.Committee{}, nil, 0, domain.Errorf(domain.ENOTFOUND, "Budgetåret finns inte.")
	}
	return cm, rows, y, nil
}

// budgetLineView is a budget row as the budget page shows it.
type budgetLineView struct {
	Row    finance.ReportRow
	Annual decimal.Decimal
	// April and August are the amounts for January–April and
	// January–August, when the budget has the row.
	April, August decimal.Decimal
	HasLine       bool
	ByMonth       bool
	Total         bool
}

type budgetView struct {
	Committee domain.Committee
	CanWrite  bool
	Year      int
	Years     []int
	Versions  []finance.Budget
	Shown     *finance.Budget
	Lines     []budgetLineView
	Rows      []finance.ReportRow
	Form      *kit.Form
	// cycleView is the year's uppräkning decision and base-funding
	// allocation.
	cycleView
}

// budgetPage shows a year's budget (the current version, or the one asked
// for with ?version=), its earlier versions, and the form for a new
// version.
func (s *Handlers) budgetPage(c *gin.Context) {
	cm, rows, year, err := s.economyYear(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderBudget(c, http.StatusOK, cm, rows, year, nil)
}

func (s *Handlers) renderBudget(c *gin.Context, status int, cm domain.Committee, rows []finance.ReportRow, year int, f *kit.Form) {
	s.renderBudgetCycle(c, status, cm, rows, year, f, nil)
}

// renderBudgetCycle shows the budget page with its budget form f and its
// uppräkning form indexForm (nil: as new).
func (s *Handlers) renderBudgetCycle(c *gin.Context, status int, cm domain.Committee, rows []finance.ReportRow, year int, f, indexForm *kit.Form) {
	ctx := c.Request.Context()
	cycle, err := s.cycle(ctx, cm, year, indexForm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	versions, err := s.DB.Conn().BudgetVersions(ctx, cm.ID, year)
	if err != nil {
		s.Fail(c, err)
		return
	}
	years, err := s.DB.Conn().BudgetYears(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := budgetView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Year: year, Years: years, Versions: versions, Rows: rows, Form: f,
		cycleView: cycle}
	if len(versions) > 0 {
		v.Shown = &versions[0]
		if n, err := strconv.Atoi(c.Query("version")); err == nil {
			for i := range versions {
				if versions[i].Version == n {
					v.Shown = &versions[i]
				}
			}
		}
		v.Lines = budgetLines(rows, *v.Shown)
	}
	if v.Form == nil {
		in := budgetInput{PaymentMonths: "1"}
		if v.Shown != nil {
			in = budgetInputOf(*v.Shown)
		}
		if x := v.Indexation; x != nil {
			in.BaseFunding = sv.Amount(x.Base)
		}
		v.Form = in.form()
	}
	s.Render(c, status, "budget", "Budget "+strconv.Itoa(year)+" – "+cm.Code, v)
}

// budgetLines lays a budget out over the rows, with the totals computed.
func budgetLines(rows []finance.ReportRow, b finance.Budget) []budgetLineView {
	annual := map[int64]decimal.Decimal{}
	for _, l := range b.Lines {
		annual[l.RowID] = l.Annual
	}
	t := finance.BuildInterimTable(finance.Period{Year: b.Year, Month: time.December}, rows, annual, nil, nil)
	out := make([]budgetLineView, len(rows))
	for i, r := range rows {
		out[i] = budgetLineView{Row: r, Annual: t.Lines[i].Actual, Total: r.IsTotal()}
		if l, ok := b.Line(r.ID); ok {
			out[i].HasLine, out[i].ByMonth = true, len(l.Months) == 12
			out[i].April, out[i].August = l.Through(time.April), l.Through(time.August)
		}
	}
	return out
}

// budgetInput is the budget form: the base funding, the months it is paid
// in, the decision and a note, and an annual amount for each detail row in
// fields of its own, row_<id>, which Rows holds by row id.
type budgetInput struct {
	BaseFunding   string `form:"base_funding"`
	PaymentMonths string `form:"payment_months"`
	Decision      string `form:"decision"`
	Note          string `form:"note"`

	Rows map[int64]string
}

// rowField names a report row's field on the budget form.
func rowField(id int64) string { return rowFieldName(strconv.FormatInt(id, 10)) }

// rowFieldName names the budget form's field of the row with the id.
func rowFieldName(id string) string { return "row_" + id }

// budgetInputOf is the form filled with budget b, for its next version.
func budgetInputOf(b finance.Budget) budgetInput {
	in := budgetInput{BaseFunding: sv.Amount(b.BaseFunding), PaymentMonths: b.PaymentMonthsText(), Rows: map[int64]string{}}
	for _, l := range b.Lines {
		in.Rows[l.RowID] = sv.Amount(l.Annual)
	}
	return in
}

// form is the form that shows in, its rows' fields included.
func (in budgetInput) form() *kit.Form {
	f := kit.FormOf(in)
	for id, v := range in.Rows {
		f.Values[rowField(id)] = v
	}
	return f
}

// bindRows reads the budget form posted for the rows into in and the form
// as it is shown again.
func bindRows(c *gin.Context, rows []finance.ReportRow) (budgetInput, *kit.Form) {
	var in budgetInput
	f := kit.Bind(c, &in)
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = strconv.FormatInt(r.ID, 10)
	}
	values := kit.BindEach(c, f, rowFieldName, keys)
	in.Rows = make(map[int64]string, len(rows))
	for i, r := range rows {
		in.Rows[r.ID] = values[keys[i]]
	}
	return in, f
}

// createBudget saves a new version of the year's budget from the form: an
// annual amount per detail row, the base funding and its payment months.
func (s *Handlers) createBudget(c *gin.Context) {
	cm, rows, year, err := s.economyYear(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in, f := bindRows(c, rows)
	b := finance.Budget{CommitteeID: cm.ID, Year: year, Decision: in.Decision, Note: in.Note}
	if d, ok := amountField(f, "base_funding", in.BaseFunding, true); ok {
		b.BaseFunding = d
	}
	if m, err := finance.ParsePaymentMonths(in.PaymentMonths); err != nil {
		f.Fail(err)
	} else {
		b.PaymentMonths = m
	}
	for _, r := range rows {
		if r.IsTotal() || in.Rows[r.ID] == "" {
			continue
		}
		if d, ok := amountField(f, rowField(r.ID), in.Rows[r.ID], false); ok {
			b.Lines = append(b.Lines, finance.BudgetLine{RowID: r.ID, Annual: d})
		}
	}
	ctx := c.Request.Context()
	if !s.Submit(c, f, func(tx *store.Conn) error {
		if err := checkBaseFunding(ctx, tx, b); err != nil {
			return err
		}
		var err error
		b, err = tx.CreateBudget(ctx, b)
		return err
	},
		func(int) { s.renderBudget(c, http.StatusBadRequest, cm, rows, year, f) }) {
		return
	}
	s.Redirect(c, kit.BudgetURL(cm, year), "Budget "+strconv.Itoa(year)+" version "+strconv.Itoa(b.Version)+" är sparad. Tidigare versioner finns kvar.")
}

// amountField reads the amount in kronor v typed in the field name of f,
// recording a Swedish error on the field; an empty field is an error when
// required.
func amountField(f *kit.Form, name, v string, required bool) (decimal.Decimal, bool) {
	if v == "" {
		if required {
			f.Errors[name] = "Ange ett belopp i kronor."
		}
		return decimal.Zero, false
	}
	d, err := domain.ParseAmount(v)
	if err != nil {
		f.Errors[name] = domain.ErrorMessage(err)
		return decimal.Zero, false
	}
	return d, true
}

// budgetPDF downloads the budget PDF of a year's current budget.
func (s *Handlers) budgetPDF(c *gin.Context) {
	cm, _, year, err := s.economyYear(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	doc, err := app.BudgetDocument(c.Request.Context(), s.DB.Conn(), cm, year)
	if err != nil {
		s.Fail(c, err)
		return
	}
	doc.Budget.CreatedBy = s.Person(doc.Budget.CreatedBy) // a name, not an address, on the document
	b, err := interim.BuildBudgetPDF(doc)
	if err != nil {
		s.Fail(c, err)
		return
	}
	kit.Download(c, "application/pdf", cm.Code+"-budget-"+strconv.Itoa(year)+".pdf", b)
}

type carryView struct {
	Committee   domain.Committee
	CanWrite    bool
	Ledger      finance.CarryLedger
	Kinds       []finance.CarryKind
	Earmarks    []earmarkChoice
	Refunds     []finance.Allocation
	Suggestions []resultSuggestion
	Form        *kit.Form
}

// earmarkChoice is an open earmark to draw on.
type earmarkChoice struct {
	finance.CarryEntry
	Left decimal.Decimal
}

// resultSuggestion is a year whose outcome is complete and whose result is
// not yet carried forward.
type resultSuggestion struct {
	Year   int
	Result decimal.Decimal
}

// carryPage shows the carry-forward ledger per originating year with every
// movement, and the form to record one.
func (s *Handlers) carryPage(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderCarry(c, http.StatusOK, cm, kit.FormOf(carryInput{Date: s.Today().String()}))
}

func (s *Handlers) renderCarry(c *gin.Context, status int, cm domain.Committee, f *kit.Form) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	l, err := conn.CarryLedger(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := carryView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Ledger: l, Kinds: finance.CarryKinds, Form: f}
	entries, err := conn.CarryEntries(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, y := range l.Years {
		for _, e := range y.Entries {
			if e.Kind != finance.CarryEarmark {
				continue
			}
			left := e.Amount
			for _, o := range entries {
				if o.EarmarkID == e.ID {
					left = left.Sub(o.Amount)
				}
			}
			if left.IsPositive() {
				v.Earmarks = append(v.Earmarks, earmarkChoice{CarryEntry: e, Left: left})
			}
		}
	}
	allocations, err := conn.Allocations(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	used := map[int64]bool{}
	for _, e := range entries {
		used[e.AllocationID] = true
	}
	for _, a := range allocations {
		if a.Kind == finance.AllocationRefund && !a.Superseded() && !used[a.ID] {
			v.Refunds = append(v.Refunds, a)
		}
	}
	if v.CanWrite {
		if v.Suggestions, err = s.resultSuggestions(c, cm, l); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.Render(c, status, "economy_carry", "Överföringar – "+cm.Code, v)
}

// resultSuggestions are the years with outcome for all twelve months and no
// result carried forward yet, with the result the outcome gives.
func (s *Handlers) resultSuggestions(c *gin.Context, cm domain.Committee, l finance.CarryLedger) ([]resultSuggestion, error) {
	ctx := c.Request.Context()
	periods, err := s.DB.Conn().CoveredPeriods(ctx, cm.ID, finance.Period{Year: domain.MinYear, Month: 1}, finance.Period{Year: domain.MaxYear, Month: 12})
	if err != nil {
		return nil, err
	}
	months := map[int]int{}
	for _, p := range periods {
		months[p.Year]++
	}
	var out []resultSuggestion
	for year, n := range months {
		if n != 12 || l.Year(year).HasResult {
			continue
		}
		t, err := s.DB.Conn().InterimFigures(ctx, cm.ID, finance.Period{Year: year, Month: time.December})
		if err != nil {
			continue // an unmapped account: the reports page says so
		}
		out = append(out, resultSuggestion{Year: year, Result: t.Result().Actual})
	}
	slices.SortFunc(out, func(a, b resultSuggestion) int { return a.Year - b.Year })
	return out, nil
}

// carryInput is the form that records a movement of carried-forward money;
// a refund's amount may be left out (its allocation has it), and earmark and
// allocation are ids ("" for none).
type carryInput struct {
	Kind       string `form:"kind"`
	OriginYear string `form:"origin_year"`
	Date       string `form:"date"`
	Amount     string `form:"amount"`
	Purpose    string `form:"purpose"`
	Decision   string `form:"decision"`
	Earmark    string `form:"earmark"`
	Allocation string `form:"allocation"`
}

// addCarryEntry records a movement from the form.
func (s *Handlers) addCarryEntry(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in carryInput
	f := kit.Bind(c, &in)
	e := finance.CarryEntry{CommitteeID: cm.ID, Kind: finance.CarryKind(in.Kind), Purpose: in.Purpose, Decision: in.Decision}
	if y, err := strconv.Atoi(in.OriginYear); err != nil {
		f.Errors["origin_year"] = "Ange ursprungsåret med fyra siffror, t.ex. 2018."
	} else {
		e.OriginYear = y
	}
	if d, err := domain.ParseDateField("date", "Datumet", in.Date, true); err != nil {
		f.Fail(err)
	} else {
		e.Date = d
	}
	if e.Kind != finance.CarryRefund || in.Amount != "" {
		if d, ok := amountField(f, "amount", in.Amount, true); ok {
			e.Amount = d
		}
	}
	e.EarmarkID, _ = strconv.ParseInt(in.Earmark, 10, 64)
	e.AllocationID, _ = strconv.ParseInt(in.Allocation, 10, 64)
	ctx := c.Request.Context()
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; e, err = tx.AddCarryEntry(ctx, e); return err },
		func(int) { s.renderCarry(c, http.StatusBadRequest, cm, f) }) {
		return
	}
	s.Redirect(c, kit.EconomyURL(cm)+"/overforingar", e.Kind.Label()+": "+sv.Kronor(e.Amount)+" av medlen från "+strconv.Itoa(e.OriginYear)+" är registrerat.")
}

// queryPeriod reads a period from a query parameter, or the zero Period.
func queryPeriod(v url.Values, name string) finance.Period {
	p, err := finance.ParsePeriod(v.Get(name))
	if err != nil {
		return finance.Period{}
	}
	return p
}
