package economy

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// economyLockKey is the first key of the PostgreSQL advisory lock that orders
// the economy changes of one committee (the second key is the committee id).
// SQLite needs none: its transactions take the write lock at BEGIN.
const economyLockKey = 7_000_001

// lockEconomy serialises the economy changes of a committee for the rest of
// the transaction, so two checks against the same ledger, mapping or budget
// cannot both pass and then both write.
func (c Economy) lockEconomy(ctx context.Context, committeeID int64) error {
	if c.db.Dialect() != sqlconn.Postgres {
		return nil
	}
	if _, err := c.db.Exec(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, economyLockKey, int32(committeeID)); err != nil {
		return fmt.Errorf("lock the economy of committee %d: %w", committeeID, err)
	}
	return nil
}

// LockEconomy serialises the economy changes of a committee for the rest of
// the transaction (see lockEconomy), for the areas whose checks read the
// economy, such as the bills of services and the uppräkning decisions.
func (c Economy) LockEconomy(ctx context.Context, committeeID int64) error {
	return c.lockEconomy(ctx, committeeID)
}

type reportRowRow struct {
	ID          int64  `db:"id"`
	CommitteeID int64  `db:"committee_id"`
	Key         string `db:"key"`
	Name        string `db:"name"`
	Position    int    `db:"position"`
	Kind        string `db:"kind"`
	TotalOf     string `db:"total_of"`
}

// ReportRows returns a committee's report rows in order; none until
// EnsureReportRows has given the committee its chart.
func (c Economy) ReportRows(ctx context.Context, committeeID int64) ([]finance.ReportRow, error) {
	var rows []reportRowRow
	if err := c.db.Select(ctx, &rows, `SELECT id, committee_id, key, name, position, kind, total_of FROM report_rows
		WHERE committee_id = ? ORDER BY position`, committeeID); err != nil {
		return nil, fmt.Errorf("read report rows: %w", err)
	}
	out := make([]finance.ReportRow, len(rows))
	for i, r := range rows {
		out[i] = finance.ReportRow{ID: r.ID, CommitteeID: r.CommitteeID, Key: r.Key, Name: r.Name, Position: r.Position,
			Kind: finance.RowKind(r.Kind), TotalOf: finance.RowKind(r.TotalOf)}
	}
	return out, nil
}

// EnsureReportRows gives a committee the host region's chart
// (finance.DefaultReportRows) unless it has rows, and returns its rows.
func (c Economy) EnsureReportRows(ctx context.Context, committeeID int64) ([]finance.ReportRow, error) {
	rows, err := c.ReportRows(ctx, committeeID)
	if err != nil || len(rows) > 0 {
		return rows, err
	}
	if _, err := c.registry().CommitteeByID(ctx, committeeID); err != nil {
		return nil, err
	}
	if err := c.lockEconomy(ctx, committeeID); err != nil {
		return nil, err
	}
	var names []string
	for i, r := range finance.DefaultReportRows {
		if _, err := c.db.Exec(ctx, `INSERT INTO report_rows (committee_id, key, name, position, kind, total_of) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (committee_id, key) DO NOTHING`, committeeID, r.Key, r.Name, i+1, string(r.Kind), string(r.TotalOf)); err != nil {
			return nil, fmt.Errorf("create report rows: %w", err)
		}
		names = append(names, r.Name)
	}
	if err := c.db.Audit(ctx, "create", "report_rows", committeeID, nil, map[string][]string{"rows": names}); err != nil {
		return nil, err
	}
	return c.ReportRows(ctx, committeeID)
}

type accountRangeRow struct {
	ID          int64     `db:"id"`
	CommitteeID int64     `db:"committee_id"`
	From        string    `db:"from_account"`
	To          string    `db:"to_account"`
	RowID       int64     `db:"row_id"`
	RowName     string    `db:"row_name"`
	CreatedAt   time.Time `db:"created_at"`
	CreatedBy   string    `db:"created_by"`
}

// AccountMapping returns the account ranges in force for a committee, in
// account order.
func (c Economy) AccountMapping(ctx context.Context, committeeID int64) (finance.Mapping, error) {
	var rows []accountRangeRow
	if err := c.db.Select(ctx, &rows, `SELECT a.id, a.committee_id, a.from_account, a.to_account, a.row_id, r.name AS row_name, a.created_at, a.created_by
		FROM account_ranges a JOIN report_rows r ON r.id = a.row_id
		WHERE a.committee_id = ? AND a.removed_at IS NULL ORDER BY length(a.from_account), a.from_account`, committeeID); err != nil {
		return nil, fmt.Errorf("read account mapping: %w", err)
	}
	out := make(finance.Mapping, len(rows))
	for i, r := range rows {
		out[i] = finance.AccountRange{ID: r.ID, CommitteeID: r.CommitteeID, From: r.From, To: r.To, RowID: r.RowID, RowName: r.RowName,
			CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
	}
	return out, nil
}

// detailRow returns the committee's row with the id when it takes accounts
// or budget, or a field error: a row that does not exist, or a total row.
func detailRow(rows []finance.ReportRow, id int64, field string) (finance.ReportRow, error) {
	for _, r := range rows {
		if r.ID == id {
			if r.IsTotal() {
				return r, domain.FieldErrorf(field, "%s är en summarad och räknas fram ur raderna ovanför.", r.Name)
			}
			return r, nil
		}
	}
	return finance.ReportRow{}, domain.FieldErrorf(field, "Raden finns inte i nämndens rader. Välj en av raderna i listan.")
}

// AddAccountRange maps a range of accounts to a detail row. A range that
// overlaps one in force is refused: every account maps to exactly one row.
func (c Economy) AddAccountRange(ctx context.Context, r finance.AccountRange) (finance.AccountRange, error) {
	if err := c.lockEconomy(ctx, r.CommitteeID); err != nil {
		return finance.AccountRange{}, err
	}
	rows, err := c.ReportRows(ctx, r.CommitteeID)
	if err != nil {
		return finance.AccountRange{}, err
	}
	row, err := detailRow(rows, r.RowID, "row")
	if err != nil {
		return finance.AccountRange{}, err
	}
	m, err := c.AccountMapping(ctx, r.CommitteeID)
	if err != nil {
		return finance.AccountRange{}, err
	}
	if err := m.CheckNew(r); err != nil {
		return finance.AccountRange{}, err
	}
	r.RowName, r.CreatedAt, r.CreatedBy = row.Name, c.db.Now(), domain.ActorFrom(ctx).Label
	r.ID, err = c.db.Insert(ctx, `INSERT INTO account_ranges (committee_id, from_account, to_account, row_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		r.CommitteeID, r.From, r.To, r.RowID, r.CreatedAt, r.CreatedBy)
	if err != nil {
		return finance.AccountRange{}, fmt.Errorf("add account range: %w", err)
	}
	if err := c.db.Audit(ctx, "create", "account_range", r.ID, nil, map[string]string{"accounts": r.String(), "row": r.RowName}); err != nil {
		return finance.AccountRange{}, err
	}
	return r, nil
}

// RetireAccountRange takes a range out of the committee's mapping; it stays
// in the database with who retired it and when.
func (c Economy) RetireAccountRange(ctx context.Context, committeeID, id int64) error {
	if err := c.lockEconomy(ctx, committeeID); err != nil {
		return err
	}
	m, err := c.AccountMapping(ctx, committeeID)
	if err != nil {
		return err
	}
	for _, r := range m {
		if r.ID != id {
			continue
		}
		if _, err := c.db.Exec(ctx, `UPDATE account_ranges SET removed_at = ?, removed_by = ? WHERE id = ?`, c.db.Now(), domain.ActorFrom(ctx).Label, id); err != nil {
			return fmt.Errorf("retire account range: %w", err)
		}
		return c.db.Audit(ctx, "retire", "account_range", id, map[string]string{"accounts": r.String(), "row": r.RowName}, nil)
	}
	return domain.Errorf(domain.ENOTFOUND, "Kontointervallet finns inte i nämndens kontoplan.")
}

// PeriodDecisions returns the paragraphs of a committee's meetings held from
// one date through another, in number order: the decisions an interim
// report's "Händelser av väsentlig betydelse" is drawn from.
func (c Economy) PeriodDecisions(ctx context.Context, committeeID int64, from, to domain.Date) ([]meeting.Paragraph, error) {
	return minutes.ParagraphsWhere(ctx, c.db, `p.committee_id = ? AND p.meeting_id IN (SELECT id FROM meetings
		WHERE committee_id = ? AND meeting_date >= ? AND meeting_date <= ? AND cancelled_at IS NULL)`,
		committeeID, committeeID, sqlconn.Date(from), sqlconn.Date(to))
}

// paragraphRefPattern finds a paragraph reference such as "§ 8/2020" in a
// decision text like "GNS § 8/2020".
var paragraphRefPattern = regexp.MustCompile(`§\s*(\d{1,4})\s*/\s*(\d{4})`)

// paragraphOf returns the id of the committee's paragraph a decision text
// names, or 0 when it names none that GNS has (decisions from before the
// minutes were kept here).
func (c Economy) paragraphOf(ctx context.Context, committeeID int64, decision string) (int64, error) {
	m := paragraphRefPattern.FindStringSubmatch(decision)
	if m == nil {
		return 0, nil
	}
	number, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	p, err := c.minutes().ParagraphByNumber(ctx, committeeID, year, number)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return 0, nil
	}
	return p.ID, err
}

// LockedThrough returns the last month of a year that a finalised report
// covers (the zero Period when none): its months are locked, and no import
// may change their figures.
func (c Economy) LockedThrough(ctx context.Context, committeeID int64, year int) (finance.Period, error) {
	var last sql.NullInt64
	if err := c.db.Get(ctx, &last, `SELECT MAX(period) FROM interim_reports WHERE committee_id = ? AND status = 'final' AND period BETWEEN ? AND ?`,
		committeeID, year*100+1, year*100+12); err != nil {
		return finance.Period{}, fmt.Errorf("read locked periods: %w", err)
	}
	if !last.Valid {
		return finance.Period{}, nil
	}
	return finance.PeriodFromInt(int(last.Int64)), nil
}

// InterimFigures computes the table of an interim report for a period end:
// per row the outcome in force, the current budget and last year's outcome,
// accumulated from January, in exact kronor and the report's signs, with the
// totals computed from the rows. An account with outcome that no row takes
// fails the computation, naming the accounts, so no amount is left out.
func (c Economy) InterimFigures(ctx context.Context, committeeID int64, p finance.Period) (finance.InterimTable, error) {
	rows, err := c.ReportRows(ctx, committeeID)
	if err != nil {
		return finance.InterimTable{}, err
	}
	m, err := c.AccountMapping(ctx, committeeID)
	if err != nil {
		return finance.InterimTable{}, err
	}
	toRows := func(from, to finance.Period) (map[int64]decimal.Decimal, error) {
		byAccount, err := c.OutcomeByAccount(ctx, committeeID, from, to)
		if err != nil {
			return nil, err
		}
		out := map[int64]decimal.Decimal{}
		var unmapped []string
		for account, amount := range byAccount {
			row, n := m.RowOf(account)
			if n != 1 {
				if !amount.IsZero() {
					unmapped = append(unmapped, account)
				}
				continue
			}
			out[row] = out[row].Sub(amount) // report sign: the ledger's negated
		}
		if len(unmapped) > 0 {
			sort.Strings(unmapped)
			return nil, domain.Errorf(domain.EINVALID, "Kontona %s har utfall men hör inte till någon rad i kontoplanen. Lägg till dem under Kontoplan innan rapporten tas fram.", strings.Join(unmapped, ", "))
		}
		return out, nil
	}
	actual, err := toRows(p.First(), p)
	if err != nil {
		return finance.InterimTable{}, err
	}
	prior, err := toRows(p.PriorYear().First(), p.PriorYear())
	if err != nil {
		return finance.InterimTable{}, err
	}
	budget := map[int64]decimal.Decimal{}
	b, err := c.CurrentBudget(ctx, committeeID, p.Year)
	switch {
	case err == nil:
		for _, l := range b.Lines {
			budget[l.RowID] = l.Through(p.Month)
		}
	case domain.ErrorCode(err) != domain.ENOTFOUND:
		return finance.InterimTable{}, err
	}
	t := finance.BuildInterimTable(p, rows, actual, budget, prior)
	t.BudgetVersion = b.Version
	if t.Missing, err = c.missingPeriods(ctx, committeeID, p.First(), p); err != nil {
		return finance.InterimTable{}, err
	}
	if t.MissingPrior, err = c.missingPeriods(ctx, committeeID, p.PriorYear().First(), p.PriorYear()); err != nil {
		return finance.InterimTable{}, err
	}
	if t.Objects, err = c.objectTotals(ctx, committeeID, p.First(), p, rows, m); err != nil {
		return finance.InterimTable{}, err
	}
	return t, nil
}

// missingPeriods returns the months from..to without an import in force.
func (c Economy) missingPeriods(ctx context.Context, committeeID int64, from, to finance.Period) ([]finance.Period, error) {
	covered, err := c.CoveredPeriods(ctx, committeeID, from, to)
	if err != nil {
		return nil, err
	}
	have := map[finance.Period]bool{}
	for _, p := range covered {
		have[p] = true
	}
	var out []finance.Period
	for _, p := range from.Months(to) {
		if !have[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// objectTotals sums the outcome per cost object and report row, in report
// signs, for the comments on income and costs.
func (c Economy) objectTotals(ctx context.Context, committeeID int64, from, to finance.Period, rows []finance.ReportRow, m finance.Mapping) ([]finance.ObjectTotal, error) {
	parts, err := c.OutcomeByObject(ctx, committeeID, from, to)
	if err != nil {
		return nil, err
	}
	names, err := c.objectNames(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	byRow := map[int64]finance.ReportRow{}
	for _, r := range rows {
		byRow[r.ID] = r
	}
	type key struct {
		dim    int
		object string
		row    int64
	}
	sums := map[key]decimal.Decimal{}
	var order []key
	for _, p := range parts {
		row, n := m.RowOf(p.Account)
		if n != 1 {
			continue
		}
		k := key{p.Dimension, p.Object, row}
		if _, seen := sums[k]; !seen {
			order = append(order, k)
		}
		sums[k] = sums[k].Sub(p.Amount)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.dim != b.dim || a.object != b.object {
			return fmt.Sprint(a.dim, a.object) < fmt.Sprint(b.dim, b.object)
		}
		return byRow[a.row].Position < byRow[b.row].Position
	})
	var out []finance.ObjectTotal
	for _, k := range order {
		if sums[k].IsZero() {
			continue
		}
		r := byRow[k.row]
		out = append(out, finance.ObjectTotal{Dimension: k.dim, Object: k.object, Name: names[finance.ObjectKey(k.dim, k.object)], RowName: r.Name, Kind: r.Kind, Amount: sums[k]})
	}
	return out, nil
}

type interimReportRow struct {
	ID            int64          `db:"id"`
	CommitteeID   int64          `db:"committee_id"`
	Period        int            `db:"period"`
	Version       int            `db:"version"`
	Title         string         `db:"title"`
	Summary       string         `db:"summary"`
	Events        string         `db:"events"`
	IncomeComment string         `db:"income_comment"`
	CostComment   string         `db:"cost_comment"`
	ResultComment string         `db:"result_comment"`
	PriorComment  string         `db:"prior_comment"`
	Status        string         `db:"status"`
	FiguresJSON   sql.NullString `db:"figures_json"`
	FiguresSHA256 sql.NullString `db:"figures_sha256"`
	PDFSHA256     sql.NullString `db:"pdf_sha256"`
	CreatedAt     time.Time      `db:"created_at"`
	CreatedBy     string         `db:"created_by"`
	UpdatedAt     time.Time      `db:"updated_at"`
	FinalisedAt   sql.NullTime   `db:"finalised_at"`
	FinalisedBy   string         `db:"finalised_by"`
}

const interimReportSelect = `SELECT id, committee_id, period, version, title, summary, events, income_comment, cost_comment,
	result_comment, prior_comment, status, figures_json, figures_sha256, pdf_sha256, created_at, created_by, updated_at, finalised_at, finalised_by
	FROM interim_reports`

func (r interimReportRow) report() (finance.InterimReport, error) {
	out := finance.InterimReport{ID: r.ID, CommitteeID: r.CommitteeID, Period: finance.PeriodFromInt(r.Period), Version: r.Version,
		Title: r.Title, Summary: r.Summary, Events: r.Events, IncomeComment: r.IncomeComment, CostComment: r.CostComment,
		ResultComment: r.ResultComment, PriorComment: r.PriorComment, Status: finance.ReportStatus(r.Status), FiguresSHA256: r.FiguresSHA256.String,
		PDFSHA256: r.PDFSHA256.String, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt.UTC(),
		FinalisedAt: r.FinalisedAt.Time.UTC(), FinalisedBy: r.FinalisedBy}
	if !r.FinalisedAt.Valid {
		out.FinalisedAt = time.Time{}
	}
	if r.FiguresJSON.Valid {
		var t finance.InterimTable
		if err := json.Unmarshal([]byte(r.FiguresJSON.String), &t); err != nil {
			return out, fmt.Errorf("report %d: figures: %w", r.ID, err)
		}
		out.Figures = &t
	}
	return out, nil
}

// InterimReports lists a committee's reports, the latest period and version
// first.
func (c Economy) InterimReports(ctx context.Context, committeeID int64) ([]finance.InterimReport, error) {
	var rows []interimReportRow
	if err := c.db.Select(ctx, &rows, interimReportSelect+` WHERE committee_id = ? ORDER BY period DESC, version DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	out := make([]finance.InterimReport, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.report(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// InterimReportByID returns a report, or ENOTFOUND.
func (c Economy) InterimReportByID(ctx context.Context, id int64) (finance.InterimReport, error) {
	var r interimReportRow
	err := c.db.Get(ctx, &r, interimReportSelect+` WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.InterimReport{}, domain.Errorf(domain.ENOTFOUND, "Rapporten finns inte.")
	}
	if err != nil {
		return finance.InterimReport{}, fmt.Errorf("read report %d: %w", id, err)
	}
	return r.report()
}

// CreateInterimReport starts a draft of a report for r.Period with r's title
// and texts: the next version for the period. A period has one draft at a
// time; a second is refused (ECONFLICT).
func (c Economy) CreateInterimReport(ctx context.Context, r finance.InterimReport) (finance.InterimReport, error) {
	if !r.Period.Valid() {
		return finance.InterimReport{}, domain.FieldErrorf("period", "Ange rapportens period som ÅÅÅÅ-MM.")
	}
	if err := r.CheckTexts(); err != nil {
		return finance.InterimReport{}, err
	}
	if err := c.lockEconomy(ctx, r.CommitteeID); err != nil {
		return finance.InterimReport{}, err
	}
	var draft sql.NullInt64
	if err := c.db.Get(ctx, &draft, `SELECT MAX(id) FROM interim_reports WHERE committee_id = ? AND period = ? AND status = 'draft'`, r.CommitteeID, r.Period.Int()); err != nil {
		return finance.InterimReport{}, fmt.Errorf("create report: %w", err)
	}
	if draft.Valid {
		return finance.InterimReport{}, &domain.Error{Code: domain.ECONFLICT, Field: "period",
			Message: fmt.Sprintf("Det finns redan ett utkast för %s (rapport %d). Arbeta vidare i det.", r.Period, draft.Int64)}
	}
	if err := c.db.Get(ctx, &r.Version, `SELECT COALESCE(MAX(version), 0) + 1 FROM interim_reports WHERE committee_id = ? AND period = ?`, r.CommitteeID, r.Period.Int()); err != nil {
		return finance.InterimReport{}, fmt.Errorf("create report: %w", err)
	}
	r.Status, r.CreatedAt, r.CreatedBy = finance.ReportDraft, c.db.Now(), domain.ActorFrom(ctx).Label
	r.UpdatedAt = r.CreatedAt
	id, err := c.db.Insert(ctx, `INSERT INTO interim_reports (committee_id, period, version, title, summary, events, income_comment, cost_comment,
		result_comment, prior_comment, status, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CommitteeID, r.Period.Int(), r.Version, r.Title, r.Summary, r.Events, r.IncomeComment, r.CostComment, r.ResultComment, r.PriorComment,
		string(r.Status), r.CreatedAt, r.CreatedBy, r.UpdatedAt)
	if err != nil {
		return finance.InterimReport{}, fmt.Errorf("create report: %w", err)
	}
	if err := c.db.Audit(ctx, "create", "interim_report", id, nil, map[string]any{"title": r.Title, "period": r.Period, "version": r.Version}); err != nil {
		return finance.InterimReport{}, err
	}
	return c.InterimReportByID(ctx, id)
}

// reportTexts is how a report's texts appear in the audit trail.
func reportTexts(r finance.InterimReport) map[string]string {
	return map[string]string{"summary": r.Summary, "events": r.Events, "income_comment": r.IncomeComment,
		"cost_comment": r.CostComment, "result_comment": r.ResultComment, "prior_comment": r.PriorComment}
}

// UpdateInterimReport saves a draft's texts. A finalised report is frozen
// (ECONFLICT): make a new version instead.
func (c Economy) UpdateInterimReport(ctx context.Context, r finance.InterimReport) (finance.InterimReport, error) {
	old, err := c.InterimReportByID(ctx, r.ID)
	if err != nil {
		return finance.InterimReport{}, err
	}
	if old.Final() {
		return finance.InterimReport{}, errReportFinal(old)
	}
	if err := r.CheckTexts(); err != nil {
		return finance.InterimReport{}, err
	}
	if _, err := c.db.Exec(ctx, `UPDATE interim_reports SET summary = ?, events = ?, income_comment = ?, cost_comment = ?, result_comment = ?,
		prior_comment = ?, updated_at = ? WHERE id = ?`, r.Summary, r.Events, r.IncomeComment, r.CostComment, r.ResultComment, r.PriorComment,
		c.db.Now(), r.ID); err != nil {
		return finance.InterimReport{}, fmt.Errorf("update report %d: %w", r.ID, err)
	}
	if err := c.db.Audit(ctx, "update", "interim_report", r.ID, reportTexts(old), reportTexts(r)); err != nil {
		return finance.InterimReport{}, err
	}
	return c.InterimReportByID(ctx, r.ID)
}

func errReportFinal(r finance.InterimReport) error {
	return domain.Errorf(domain.ECONFLICT, "%s version %d är fastställd och kan inte ändras. Gör en ny version.", r.Title, r.Version)
}

// FinaliseInterimReport freezes a draft with the figures and the PDF made of
// them, storing each with its SHA-256, and with r.FinalisedAt (the time the
// PDF states). From then on the months of its year through its period are
// locked. The figures must cover every month of the period.
func (c Economy) FinaliseInterimReport(ctx context.Context, r finance.InterimReport, figures finance.InterimTable, pdf []byte) (finance.InterimReport, error) {
	old, err := c.InterimReportByID(ctx, r.ID)
	if err != nil {
		return finance.InterimReport{}, err
	}
	if err := c.lockEconomy(ctx, old.CommitteeID); err != nil {
		return finance.InterimReport{}, err
	}
	if old.Final() {
		return finance.InterimReport{}, errReportFinal(old)
	}
	if len(figures.Missing) > 0 {
		return finance.InterimReport{}, domain.Errorf(domain.EINVALID, "Utfall saknas för %s. Läs in dem innan rapporten fastställs.", finance.JoinPeriods(figures.Missing))
	}
	if figures.Period != old.Period || len(pdf) == 0 || r.FinalisedAt.IsZero() {
		return finance.InterimReport{}, fmt.Errorf("finalise report %d: figures for %s, %d bytes of PDF", r.ID, figures.Period, len(pdf))
	}
	fj, err := json.Marshal(figures)
	if err != nil {
		return finance.InterimReport{}, fmt.Errorf("finalise report %d: %w", r.ID, err)
	}
	fsum, psum := sha256.Sum256(fj), sha256.Sum256(pdf)
	by := domain.ActorFrom(ctx).Label
	if _, err := c.db.Exec(ctx, `UPDATE interim_reports SET status = 'final', figures_json = ?, figures_sha256 = ?, pdf = ?, pdf_sha256 = ?,
		finalised_at = ?, finalised_by = ?, updated_at = ? WHERE id = ? AND status = 'draft'`,
		string(fj), hex.EncodeToString(fsum[:]), pdf, hex.EncodeToString(psum[:]), r.FinalisedAt.UTC(), by, c.db.Now(), r.ID); err != nil {
		return finance.InterimReport{}, fmt.Errorf("finalise report %d: %w", r.ID, err)
	}
	if err := c.db.Audit(ctx, "finalise", "interim_report", r.ID, nil, map[string]string{"title": old.Title, "period": old.Period.String(),
		"pdf_sha256": hex.EncodeToString(psum[:]), "figures_sha256": hex.EncodeToString(fsum[:])}); err != nil {
		return finance.InterimReport{}, err
	}
	return c.InterimReportByID(ctx, r.ID)
}

// InterimReportPDF returns the frozen PDF of a finalised report.
func (c Economy) InterimReportPDF(ctx context.Context, id int64) ([]byte, error) {
	var pdf []byte
	err := c.db.Get(ctx, &pdf, `SELECT pdf FROM interim_reports WHERE id = ? AND status = 'final'`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Rapporten är inte fastställd och har ingen sparad PDF.")
	}
	if err != nil {
		return nil, fmt.Errorf("read report PDF %d: %w", id, err)
	}
	return pdf, nil
}
