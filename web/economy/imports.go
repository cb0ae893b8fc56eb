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
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

func (s *Handlers) importRoutes() {
	s.Handle("GET", "/namnder/:code/ekonomi/import", economyRead, s.importsPage)
	s.Handle("POST", "/namnder/:code/ekonomi/import", economyWrite, s.uploadImport)
	s.Handle("GET", "/namnder/:code/ekonomi/import/:id", economyRead, s.importPage)
	s.Handle("POST", "/namnder/:code/ekonomi/import/:id/las-in", economyWrite, s.commitImport)
	s.Handle("GET", "/namnder/:code/ekonomi/import/:id/fil", economyRead, s.importFile)
	s.Handle("GET", "/namnder/:code/ekonomi/import/:id/kassera", economyWrite, s.confirmDiscardImport)
	s.Handle("POST", "/namnder/:code/ekonomi/import/:id/kassera", economyWrite, s.discardImport)
}

type importsView struct {
	Committee domain.Committee
	CanWrite  bool
	Imports   []finance.Import
	Form      *kit.Form
}

// importsPage lists the committee's imports, newest first, with the form to
// read in a file.
func (s *Handlers) importsPage(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderImports(c, http.StatusOK, cm, kit.FormOf(uploadInput{Format: string(finance.LedgerSIE), Year: strconv.Itoa(s.Today().Year)}))
}

func (s *Handlers) renderImports(c *gin.Context, status int, cm domain.Committee, f *kit.Form) {
	list, err := s.DB.Conn().Imports(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "import", "Importera utfall – "+cm.Code, importsView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Imports: list, Form: f})
}

// uploadInput is the upload form's fields beside the file: the format (SIE
// or CSV) and, for a CSV file, the year it holds.
type uploadInput struct {
	Format string `form:"format"`
	Year   string `form:"year"`
}

// uploadImport reads an uploaded file into a preview. Nothing counts until
// the preview is committed; the same file again leads to the import already
// made of it.
func (s *Handlers) uploadImport(c *gin.Context) {
	kit.LimitUpload(c)
	cm, _, err := s.economyCommittee(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in uploadInput
	f := kit.Bind(c, &in)
	name, content, err := kit.ReadUpload(c)
	year := 0
	if in.Format == string(finance.LedgerCSV) {
		if year, _ = strconv.Atoi(in.Year); year < domain.MinYear || year > domain.MaxYear {
			f.Errors["year"] = "Ange räkenskapsåret CSV-filen gäller, med fyra siffror."
		}
	}
	var lf finance.LedgerFile
	if err == nil && f.OK() {
		lf, err = app.ReadLedgerFile(in.Format, domain.SanitizeFileName(name), content, year)
	}
	if !s.Record(c, f, err) {
		return
	}
	ctx := c.Request.Context()
	var imp finance.Import
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		imp, err = tx.SaveImport(ctx, cm.ID, lf, content)
		return err
	}, func(int) { s.renderImports(c, http.StatusBadRequest, cm, f) }) {
		return
	}
	msg := "Filen är läst. Granska förhandsvisningen och läs in den om siffrorna stämmer."
	if imp.Status == finance.ImportStatusCommitted {
		msg = "Filen är redan inläst (import " + strconv.FormatInt(imp.ID, 10) + "). Inget har lästs in på nytt."
	}
	s.Redirect(c, kit.ImportURL(cm, imp.ID), msg)
}

// economyImport reads the committee and the :id of an import route for a
// user with one of the roles; an import of another committee is not found.
func (s *Handlers) economyImport(c *gin.Context, roles []domain.Role) (domain.Committee, finance.Import, error) {
	cm, _, err := s.economyCommittee(c, roles)
	if err != nil {
		return domain.Committee{}, finance.Import{}, err
	}
	imp, err := s.ownImport(c, cm)
	if err != nil {
		return domain.Committee{}, finance.Import{}, err
	}
	return cm, imp, nil
}

// ownImport reads the :id of an import route within the committee.
func (s *Handlers) ownImport(c *gin.Context, cm domain.Committee) (finance.Import, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	imp, err := s.DB.Conn().ImportByID(c.Request.Context(), id)
	if err == nil && imp.CommitteeID != cm.ID {
		err = domain.Errorf(domain.ENOTFOUND, "Importen finns inte.")
	}
	if err != nil {
		return finance.Import{}, err
	}
	return imp, nil
}

// previewRow is a report row in the preview: its total per year of the file
// and in the month chosen.
type previewRow struct {
	Row    finance.ReportRow
	ByYear []decimal.Decimal
	Month  decimal.Decimal
}

// previewPeriod is one period of the file with its change and bottom lines.
type previewPeriod struct {
	finance.PeriodChange
	Revenue, Costs, Result decimal.Decimal
}

type importPageView struct {
	Committee   domain.Committee
	CanWrite    bool
	P           finance.ImportPreview
	Years       []yearSpan
	Rows        []previewRow
	Periods     []previewPeriod
	Month       finance.Period
	BudgetYears []int
	Form        *kit.Form
}

// yearSpan is a year of the file and the months of it the file covers.
type yearSpan struct {
	Year  int
	Label string
}

// importPage shows an import: before it is committed the preview (totals
// per row and year, and per period, for a chosen month per row too; the
// unmapped accounts; warnings; what stops it), afterwards what it did.
func (s *Handlers) importPage(c *gin.Context) {
	cm, imp, err := s.economyImport(c, economyReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderImport(c, http.StatusOK, cm, imp, kit.EmptyForm())
}

func (s *Handlers) renderImport(c *gin.Context, status int, cm domain.Committee, imp finance.Import, f *kit.Form) {
	ctx := c.Request.Context()
	p, err := s.DB.Conn().PreviewImport(ctx, imp.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := importPageView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), P: p, Form: f, Month: queryPeriod(c.Request.URL.Query(), "manad")}
	if !imp.CoversPeriod(v.Month) {
		v.Month = finance.Period{}
	}
	for _, per := range imp.Periods {
		if len(v.Years) == 0 || v.Years[len(v.Years)-1].Year != per.Year {
			v.Years = append(v.Years, yearSpan{Year: per.Year})
		}
	}
	// A year's heading names the months the file really holds amounts
	// for, not the months it says it covers.
	held := p.Held
	if len(held) == 0 {
		held = imp.Periods
	}
	for i, y := range v.Years {
		var first, last finance.Period
		for _, per := range held {
			if per.Year == y.Year {
				if first.IsZero() {
					first = per
				}
				last = per
			}
		}
		if first.IsZero() {
			v.Years[i].Label = strconv.Itoa(y.Year) + " (inga belopp)"
			continue
		}
		v.Years[i].Label = interim.Span(last)
		if first.Month != time.January {
			v.Years[i].Label = monthName(first) + "–" + interim.MonthYear(last)
		}
	}
	for _, r := range p.Rows {
		pr := previewRow{Row: r, Month: p.Totals[r.ID][v.Month]}
		for _, y := range v.Years {
			sum := decimal.Zero
			for per, d := range p.Totals[r.ID] {
				if per.Year == y.Year {
					sum = sum.Add(d)
				}
			}
			pr.ByYear = append(pr.ByYear, sum)
		}
		v.Rows = append(v.Rows, pr)
	}
	for _, ch := range p.Changes {
		pp := previewPeriod{PeriodChange: ch}
		for _, r := range p.Rows {
			if !r.IsTotal() {
				continue
			}
			switch r.TotalOf {
			case finance.RowRevenue:
				pp.Revenue = p.Totals[r.ID][ch.Period]
			case finance.RowCost:
				pp.Costs = p.Totals[r.ID][ch.Period]
			case finance.RowAll:
				pp.Result = p.Totals[r.ID][ch.Period]
			}
		}
		v.Periods = append(v.Periods, pp)
	}
	if imp.Status == finance.ImportStatusPreview {
		if v.BudgetYears, err = s.DB.Conn().ImportBudgetYears(ctx, imp.ID); err != nil {
			s.Fail(c, err)
			return
		}
		if len(v.BudgetYears) > 0 && f.Values["budget_year"] == "" {
			// The form proposes the file's last budget year and the base
			// funding of that year's budget, if there is one.
			year := v.BudgetYears[len(v.BudgetYears)-1]
			f.Values["budget_year"] = strconv.Itoa(year)
			if b, err := s.DB.Conn().CurrentBudget(ctx, cm.ID, year); err == nil {
				f.Values["base_funding"] = sv.Amount(b.BaseFunding)
			}
		}
	}
	title := "Import " + strconv.FormatInt(imp.ID, 10) + " – " + imp.FileName
	s.Render(c, status, "import_preview", title, v)
}

// commitInput is the form that reads a previewed import in, and with
// SaveBudget makes the file's budget for BudgetYear a new budget version with
// the base funding given.
type commitInput struct {
	// ConfirmFalls confirms the months whose outcome the import replaces
	// with zero or with less than half.
	ConfirmFalls bool   `form:"confirm_falls"`
	SaveBudget   bool   `form:"save_budget"`
	BudgetYear   string `form:"budget_year"`
	BaseFunding  string `form:"base_funding"`
}

// commitImport reads a previewed import in; with save_budget, the file's
// budget (#PBUDGET) for budget_year becomes a new budget version with the
// base funding given, in the same transaction.
func (s *Handlers) commitImport(c *gin.Context) {
	cm, imp, err := s.economyImport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in commitInput
	f := kit.Bind(c, &in)
	var b finance.Budget
	if in.SaveBudget {
		b.CommitteeID, b.PaymentMonths, b.Note = cm.ID, []time.Month{time.January}, "Budget ur "+imp.FileName+" (#PBUDGET), import "+strconv.FormatInt(imp.ID, 10)+"."
		if y, err := strconv.Atoi(in.BudgetYear); err != nil {
			f.Errors["budget_year"] = "Välj budgetåret."
		} else {
			b.Year = y
		}
		if d, ok := amountField(f, "base_funding", in.BaseFunding, true); ok {
			b.BaseFunding = d
		}
	}
	ctx := c.Request.Context()
	var committed finance.Import
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		if committed, err = tx.CommitImportConfirmed(ctx, imp.ID, in.ConfirmFalls); err != nil || !in.SaveBudget {
			return err
		}
		if current, err := tx.CurrentBudget(ctx, cm.ID, b.Year); err == nil {
			b.PaymentMonths = current.PaymentMonths
		}
		if b.Lines, err = tx.BudgetFromImport(ctx, imp.ID, b.Year); err != nil {
			return err
		}
		b, err = tx.CreateBudget(ctx, b)
		return err
	}, func(status int) {
		// The import as it is now: another request may have read it in.
		if current, err := s.DB.Conn().ImportByID(ctx, imp.ID); err == nil {
			imp = current
		}
		s.renderImport(c, status, cm, imp, f)
	}) {
		return
	}
	msg := "Importen är inläst: " + sv.Count(len(committed.Taken), "period", "perioder") + " fick nytt utfall."
	if len(committed.Taken) == 0 {
		msg = "Importen är inläst. Siffrorna var desamma som de som redan gällde, så inget utfall ändrades."
	}
	if in.SaveBudget {
		msg += " Budget " + strconv.Itoa(b.Year) + " version " + strconv.Itoa(b.Version) + " är sparad."
	}
	s.Redirect(c, kit.ImportURL(cm, imp.ID), msg)
}

// importFile downloads an imported file as it was uploaded.
func (s *Handlers) importFile(c *gin.Context) {
	_, imp, err := s.economyImport(c, economyReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	b, err := s.DB.Conn().ImportContent(c.Request.Context(), imp.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	contentType := "text/csv; charset=utf-8"
	if imp.Format == finance.LedgerSIE {
		contentType = "application/octet-stream" // code page 437 as the standard says, or what the ledger wrote
	}
	kit.Download(c, contentType, imp.FileName, b)
}

// confirmDiscardImport asks before a preview is discarded.
func (s *Handlers) confirmDiscardImport(c *gin.Context) {
	cm, imp, err := s.economyImport(c, economyMakers)
	if err == nil && (imp.Status != finance.ImportStatusPreview || imp.Discarded()) {
		err = domain.Errorf(domain.ECONFLICT, "Importen %d är inte en förhandsvisning som kan kasseras.", imp.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: kit.ImportURL(cm, imp.ID),
		Heading: "Kassera förhandsvisningen av " + imp.FileName + "?",
		Text:    "Importen läses inte in. Den finns kvar i listan som kasserad, med vem som kasserade den och när. Samma fil kan laddas upp igen.",
		Button:  "Kassera förhandsvisningen"}
	s.Render(c, http.StatusOK, "confirm", p.Heading, p)
}

// discardImport discards a preview after the confirm step.
func (s *Handlers) discardImport(c *gin.Context) {
	cm, imp, err := s.economyImport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.InTx(c, func(tx *store.Conn) error {
		_, err := tx.DiscardImport(c.Request.Context(), imp.ID)
		return err
	}); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.ImportsURL(cm), "Förhandsvisningen av "+imp.FileName+" är kasserad.")
}
