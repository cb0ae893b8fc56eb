package economy

import (
	"fmt"
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
	"github.com/region-jh/gns/web/kit"
)

func (s *Handlers) reportRoutes() {
	s.Handle("GET", "/namnder/:code/ekonomi/rapporter", economyOpen, s.reportsPage)
	s.Handle("POST", "/namnder/:code/ekonomi/rapporter", economyWrite, s.createReport)
	s.Handle("GET", "/namnder/:code/ekonomi/rapporter/:id", economyOpen, s.reportPage)
	s.Handle("POST", "/namnder/:code/ekonomi/rapporter/:id", economyWrite, s.saveReport)
	s.Handle("GET", "/namnder/:code/ekonomi/rapporter/:id/pdf", economyOpen, s.reportPDF)
	s.Handle("GET", "/namnder/:code/ekonomi/rapporter/:id/xlsx", economyOpen, s.reportXLSX)
	s.Handle("GET", "/namnder/:code/ekonomi/rapporter/:id/faststall", economyWrite, s.confirmFinalise)
	s.Handle("POST", "/namnder/:code/ekonomi/rapporter/:id/faststall", economyWrite, s.finaliseReport)
	s.Handle("POST", "/namnder/:code/ekonomi/rapporter/:id/ny-version", economyWrite, s.newReportVersion)
}

type reportsView struct {
	Committee domain.Committee
	CanWrite  bool
	Reports   []finance.InterimReport
	Form      *kit.Form
	// Latest is the last month with outcome, the default period.
	Latest finance.Period
}

// reportsPage lists the committee's reports and offers to start one for a
// period end.
func (s *Handlers) reportsPage(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderReports(c, http.StatusOK, cm, kit.EmptyForm())
}

func (s *Handlers) renderReports(c *gin.Context, status int, cm domain.Committee, f *kit.Form) {
	ctx := c.Request.Context()
	list, err := s.DB.Conn().InterimReports(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := reportsView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Reports: visibleReports(list, isStaff(c, cm)), Form: f}
	covered, err := s.DB.Conn().CoveredPeriods(ctx, cm.ID, finance.Period{Year: domain.MinYear, Month: 1}, finance.Period{Year: domain.MaxYear, Month: 12})
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(covered) > 0 {
		v.Latest = covered[len(covered)-1]
		f.Default("period", v.Latest.String())
	}
	s.Render(c, status, "reports", "Rapporter – "+cm.Code, v)
}

// periodInput is the form that starts a report: the period it ends with,
// e.g. 2020-08.
type periodInput struct {
	Period string `form:"period"`
}

// createReport starts a draft for a period (or goes to the draft there is).
// A period refused is answered with 400, also when it has a draft already
// being made by someone else.
func (s *Handlers) createReport(c *gin.Context) {
	cm, _, err := s.economyCommittee(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in periodInput
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	p, err := finance.ParsePeriod(in.Period)
	if err != nil {
		f.Errors["period"] = domain.ErrorMessage(err)
	} else {
		list, err := s.DB.Conn().InterimReports(ctx, cm.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, r := range list {
			if r.Period == p && !r.Final() {
				s.Redirect(c, kit.ReportURL(cm, r.ID), "Det finns redan ett utkast för perioden; här är det.")
				return
			}
		}
	}
	var r finance.InterimReport
	if !s.Submit(c, f, func(tx *store.Conn) error {
		draft, _, err := app.NewInterimReport(ctx, tx, cm, p)
		if err != nil {
			return err
		}
		r, err = tx.CreateInterimReport(ctx, draft)
		return err
	}, func(int) { s.renderReports(c, http.StatusBadRequest, cm, f) }) {
		return
	}
	s.Redirect(c, kit.ReportURL(cm, r.ID), r.Title+" är påbörjad. Texterna är förslag: ändra dem och fastställ rapporten när den är klar.")
}

// reportLine is a row of the table as the report page shows it.
type reportLine struct {
	finance.TableLine
	Cells []decimal.Decimal
}

type reportView struct {
	Committee domain.Committee
	CanWrite  bool
	Report    finance.InterimReport
	Table     finance.InterimTable
	Lines     []reportLine
	Columns   []string
	// FigureError says why the table cannot be computed (an account
	// without a row).
	FigureError string
	Versions    []finance.InterimReport
	Form        *kit.Form
	Span        string
}

// economyReport reads the committee and the :id of a report route for a
// user with one of the roles; a report of another committee is not found.
func (s *Handlers) economyReport(c *gin.Context, roles []domain.Role) (domain.Committee, finance.InterimReport, error) {
	cm, _, err := s.economyCommittee(c, roles)
	if err != nil {
		return domain.Committee{}, finance.InterimReport{}, err
	}
	r, err := s.ownReport(c, cm)
	if err != nil {
		return domain.Committee{}, finance.InterimReport{}, err
	}
	return cm, r, nil
}

// viewableReport reads the committee and the :id of a report route for an
// economy viewer: the staff read every report, the parties and members only
// finalised ones (a draft is not found for them).
func (s *Handlers) viewableReport(c *gin.Context) (domain.Committee, finance.InterimReport, error) {
	cm, r, err := s.economyReport(c, economyViewers)
	if err == nil && !r.Final() && !isStaff(c, cm) {
		err = domain.Errorf(domain.ENOTFOUND, "Rapporten finns inte.")
	}
	return cm, r, err
}

// visibleReports returns the reports a user sees in lists: every one for the
// staff, the finalised ones for the others.
func visibleReports(list []finance.InterimReport, staff bool) []finance.InterimReport {
	if staff {
		return list
	}
	var out []finance.InterimReport
	for _, r := range list {
		if r.Final() {
			out = append(out, r)
		}
	}
	return out
}

// ownReport reads the :id of a report route within the committee.
func (s *Handlers) ownReport(c *gin.Context, cm domain.Committee) (finance.InterimReport, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	r, err := s.DB.Conn().InterimReportByID(c.Request.Context(), id)
	if err == nil && r.CommitteeID != cm.ID {
		err = domain.Errorf(domain.ENOTFOUND, "Rapporten finns inte.")
	}
	if err != nil {
		return finance.InterimReport{}, err
	}
	return r, nil
}

// reportPage shows a report: the table (frozen once finalised), the texts
// to edit while it is a draft, the downloads, and its other versions.
func (s *Handlers) reportPage(c *gin.Context) {
	cm, r, err := s.viewableReport(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderReport(c, http.StatusOK, cm, r, reportForm(r))
}

// textsInput is the form of a draft's texts; with Action "events" the
// events are drawn again from the period's decisions instead.
type textsInput struct {
	Summary       string `form:"summary"`
	Events        string `form:"events"`
	IncomeComment string `form:"income_comment"`
	CostComment   string `form:"cost_comment"`
	ResultComment string `form:"result_comment"`
	PriorComment  string `form:"prior_comment"`
	Action        string `form:"action"`
}

// reportForm fills the texts' form from a report.
func reportForm(r finance.InterimReport) *kit.Form {
	return kit.FormOf(textsInput{Summary: r.Summary, Events: r.Events, IncomeComment: r.IncomeComment,
		CostComment: r.CostComment, ResultComment: r.ResultComment, PriorComment: r.PriorComment})
}

func (s *Handlers) renderReport(c *gin.Context, status int, cm domain.Committee, r finance.InterimReport, f *kit.Form) {
	ctx := c.Request.Context()
	v := reportView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, economyMakers...), Report: r, Form: f, Columns: interim.Columns, Span: interim.Span(r.Period)}
	doc, err := app.InterimDocument(ctx, s.DB.Conn(), cm, r)
	switch {
	case err == nil:
		v.Table = doc.Table
		for _, l := range doc.Table.Lines {
			v.Lines = append(v.Lines, reportLine{TableLine: l, Cells: interim.Cells(l)})
		}
	case domain.ErrorCode(err) == domain.EINVALID:
		v.FigureError = domain.ErrorMessage(err)
	default:
		s.Fail(c, err)
		return
	}
	all, err := s.DB.Conn().InterimReports(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, o := range visibleReports(all, isStaff(c, cm)) {
		if o.Period == r.Period {
			v.Versions = append(v.Versions, o)
		}
	}
	s.Render(c, status, "report", fmt.Sprintf("%s, version %d – %s", r.Title, r.Version, cm.Code), v)
}

// saveReport saves a draft's texts; with action=events the events are drawn
// again from the period's decisions instead.
func (s *Handlers) saveReport(c *gin.Context) {
	cm, r, err := s.economyReport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in textsInput
	f := kit.Bind(c, &in)
	r.Summary, r.Events, r.IncomeComment = in.Summary, in.Events, in.IncomeComment
	r.CostComment, r.ResultComment, r.PriorComment = in.CostComment, in.ResultComment, in.PriorComment
	ctx := c.Request.Context()
	if in.Action == "events" {
		fresh, _, err := app.NewInterimReport(ctx, s.DB.Conn(), cm, r.Period)
		if !s.Record(c, f, err) {
			return
		}
		r.Events = fresh.Events
	}
	shown := r // the report as the form shows it again when refused
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; r, err = tx.UpdateInterimReport(ctx, r); return err },
		func(status int) { s.renderReport(c, status, cm, shown, f) }) {
		return
	}
	msg := "Texterna är sparade."
	if in.Action == "events" {
		msg = "Händelserna är hämtade från periodens beslut och sparade."
	}
	s.Redirect(c, kit.ReportURL(cm, r.ID), msg)
}

// reportFileName is a download's name: GNS-delarsrapport-2020-08-v1.pdf.
func reportFileName(cm domain.Committee, r finance.InterimReport, ext string) string {
	return fmt.Sprintf("%s-%s-%s-v%d.%s", cm.Code, finance.ReportKindOf(r.Period), r.Period, r.Version, ext)
}

// reportPDF downloads a report's PDF: the frozen one of a finalised report,
// or one made now of a draft.
func (s *Handlers) reportPDF(c *gin.Context) {
	cm, r, err := s.viewableReport(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var b []byte
	if r.Final() {
		b, err = s.DB.Conn().InterimReportPDF(ctx, r.ID)
	} else {
		var doc interim.Report
		if doc, err = app.InterimDocument(ctx, s.DB.Conn(), cm, r); err == nil {
			b, err = interim.BuildPDF(doc)
		}
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	kit.Download(c, "application/pdf", reportFileName(cm, r, "pdf"), b)
}

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// reportXLSX downloads the report's table as a workbook.
func (s *Handlers) reportXLSX(c *gin.Context) {
	cm, r, err := s.viewableReport(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	doc, err := app.InterimDocument(c.Request.Context(), s.DB.Conn(), cm, r)
	var b []byte
	if err == nil {
		b, err = interim.BuildXLSX(doc)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	kit.Download(c, xlsxType, reportFileName(cm, r, "xlsx"), b)
}

// confirmFinalise asks before a report is frozen.
func (s *Handlers) confirmFinalise(c *gin.Context) {
	cm, r, err := s.economyReport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if r.Final() {
		s.Fail(c, domain.Errorf(domain.ECONFLICT, "%s version %d är redan fastställd.", r.Title, r.Version))
		return
	}
	url := kit.ReportURL(cm, r.ID)
	s.Render(c, http.StatusOK, "confirm", "Fastställ "+r.Title, kit.ConfirmPage{
		Heading: "Fastställ " + r.Title + ", version " + strconv.Itoa(r.Version),
		Text: "När rapporten fastställs sparas dess siffror och PDF med kontrollsummor och kan inte ändras. Månaderna " + interim.Span(r.Period) +
			" låses: ingen import får sedan ändra deras utfall. Behöver något ändras efteråt gör du en ny version.",
		Action: url + "/faststall", Button: "Fastställ rapporten", Back: url,
	})
}

// finaliseReport freezes a draft with the figures as they stand and the PDF
// made of them.
func (s *Handlers) finaliseReport(c *gin.Context) {
	cm, r, err := s.economyReport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	f := reportForm(r)
	var final finance.InterimReport
	if !s.Submit(c, f, func(tx *store.Conn) error {
		r, err := tx.InterimReportByID(ctx, r.ID)
		if err != nil {
			return err
		}
		doc, err := app.InterimDocument(ctx, tx, cm, r)
		if err != nil {
			return err
		}
		if len(doc.Table.Missing) > 0 {
			return domain.Errorf(domain.EINVALID, "Utfall saknas för %s. Läs in dem innan rapporten fastställs.", finance.JoinPeriods(doc.Table.Missing))
		}
		r.Status, r.FinalisedAt, r.FinalisedBy = finance.ReportFinal, s.DB.Now().Truncate(time.Second), domain.ActorFrom(ctx).Label
		doc.Texts, doc.Created = r, r.FinalisedAt
		pdf, err := interim.BuildPDF(doc)
		if err != nil {
			return err
		}
		final, err = tx.FinaliseInterimReport(ctx, r, doc.Table, pdf)
		return err
	}, func(status int) {
		// The report as it is now, with why it was not finalised.
		current, err := s.DB.Conn().InterimReportByID(ctx, r.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.renderReport(c, status, cm, current, f)
	}) {
		return
	}
	r = final
	s.Redirect(c, kit.ReportURL(cm, r.ID), fmt.Sprintf("%s version %d är fastställd. PDF:ens SHA-256: %s.", r.Title, r.Version, r.PDFSHA256))
}

// newReportVersion starts a new draft of a finalised report's period with
// its texts.
func (s *Handlers) newReportVersion(c *gin.Context) {
	cm, r, err := s.economyReport(c, economyMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !r.Final() {
		s.Fail(c, domain.Errorf(domain.ECONFLICT, "Version %d är ett utkast; ändra i det i stället.", r.Version))
		return
	}
	ctx := c.Request.Context()
	next := finance.InterimReport{CommitteeID: cm.ID, Period: r.Period, Title: r.Title, Summary: r.Summary, Events: r.Events,
		IncomeComment: r.IncomeComment, CostComment: r.CostComment, ResultComment: r.ResultComment, PriorComment: r.PriorComment}
	err = s.DB.InTx(ctx, func(tx *store.Conn) error { var err error; next, err = tx.CreateInterimReport(ctx, next); return err })
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.ReportURL(cm, next.ID), fmt.Sprintf("Version %d är påbörjad med texterna från version %d. Siffrorna är de som gäller nu.", next.Version, r.Version))
}
