package economy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type budgetRow struct {
	ID             int64     `db:"id"`
	CommitteeID    int64     `db:"committee_id"`
	Year           int       `db:"year"`
	Version        int       `db:"version"`
	BaseFundingOre int64     `db:"base_funding_ore"`
	PaymentMonths  string    `db:"payment_months"`
	Decision       string    `db:"decision"`
	Note           string    `db:"note"`
	CreatedAt      time.Time `db:"created_at"`
	CreatedBy      string    `db:"created_by"`
}

const budgetSelect = `SELECT id, committee_id, year, version, base_funding_ore, payment_months, decision, note, created_at, created_by FROM budgets`

// CreateBudget saves a new version of a committee's budget for b.Year: the
// next version number, checked against the committee's rows (a row that does
// not exist or a total row is refused, and nothing is saved). Earlier
// versions stay as they were.
func (c Economy) CreateBudget(ctx context.Context, b finance.Budget) (finance.Budget, error) {
	rows, err := c.ReportRows(ctx, b.CommitteeID)
	if err != nil {
		return finance.Budget{}, err
	}
	if err := b.Check(rows); err != nil {
		return finance.Budget{}, err
	}
	base, err := sqlconn.ToOre(b.BaseFunding)
	if err != nil {
		return finance.Budget{}, &domain.Error{Code: domain.EINVALID, Field: "base_funding", Message: domain.ErrorMessage(err)}
	}
	if err := c.lockEconomy(ctx, b.CommitteeID); err != nil {
		return finance.Budget{}, err
	}
	if err := c.db.Get(ctx, &b.Version, `SELECT COALESCE(MAX(version), 0) + 1 FROM budgets WHERE committee_id = ? AND year = ?`, b.CommitteeID, b.Year); err != nil {
		return finance.Budget{}, fmt.Errorf("create budget: %w", err)
	}
	b.CreatedAt, b.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO budgets (committee_id, year, version, base_funding_ore, payment_months, decision, note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.CommitteeID, b.Year, b.Version, base, b.PaymentMonthsText(), b.Decision, b.Note, b.CreatedAt, b.CreatedBy)
	if err != nil {
		return finance.Budget{}, fmt.Errorf("create budget: %w", err)
	}
	audit := map[string]string{}
	for _, l := range b.Lines {
		amounts := append([]decimal.Decimal{l.Annual}, l.Months...)
		for month, amount := range amounts {
			ore, err := sqlconn.ToOre(amount)
			if err != nil {
				return finance.Budget{}, err
			}
			if _, err := c.db.Exec(ctx, `INSERT INTO budget_lines (budget_id, row_id, month, amount_ore) VALUES (?, ?, ?, ?)`, id, l.RowID, month, ore); err != nil {
				return finance.Budget{}, fmt.Errorf("create budget line: %w", err)
			}
		}
		audit[strconv.FormatInt(l.RowID, 10)] = l.Annual.StringFixed(2)
	}
	if err := c.db.Audit(ctx, "create", "budget", id, nil, map[string]any{"year": b.Year, "version": b.Version,
		"base_funding": b.BaseFunding.StringFixed(2), "payment_months": b.PaymentMonthsText(), "rows": audit}); err != nil {
		return finance.Budget{}, err
	}
	return c.budgetByID(ctx, id)
}

// BudgetVersions returns every version of a committee's budget for a year,
// the current (latest) first.
func (c Economy) BudgetVersions(ctx context.Context, committeeID int64, year int) ([]finance.Budget, error) {
	return c.budgetsWhere(ctx, `committee_id = ? AND year = ? ORDER BY version DESC`, committeeID, year)
}

// CurrentBudget returns the latest version of a committee's budget for a
// year, or ENOTFOUND.
func (c Economy) CurrentBudget(ctx context.Context, committeeID int64, year int) (finance.Budget, error) {
	list, err := c.BudgetVersions(ctx, committeeID, year)
	if err != nil {
		return finance.Budget{}, err
	}
	if len(list) == 0 {
		return finance.Budget{}, domain.Errorf(domain.ENOTFOUND, "Nämnden har ingen budget för %d.", year)
	}
	return list[0], nil
}

// BudgetYears returns the years a committee has a budget for, latest first.
func (c Economy) BudgetYears(ctx context.Context, committeeID int64) ([]int, error) {
	var years []int
	if err := c.db.Select(ctx, &years, `SELECT DISTINCT year FROM budgets WHERE committee_id = ? ORDER BY year DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("read budget years: %w", err)
	}
	return years, nil
}

func (c Economy) budgetByID(ctx context.Context, id int64) (finance.Budget, error) {
	list, err := c.budgetsWhere(ctx, `id = ?`, id)
	if err != nil {
		return finance.Budget{}, err
	}
	if len(list) == 0 {
		return finance.Budget{}, domain.Errorf(domain.ENOTFOUND, "Budgeten finns inte.")
	}
	return list[0], nil
}

func (c Economy) budgetsWhere(ctx context.Context, cond string, args ...any) ([]finance.Budget, error) {
	var rows []budgetRow
	if err := c.db.Select(ctx, &rows, budgetSelect+` WHERE `+cond, args...); err != nil {
		return nil, fmt.Errorf("read budgets: %w", err)
	}
	out := make([]finance.Budget, len(rows))
	for i, r := range rows {
		b := finance.Budget{ID: r.ID, CommitteeID: r.CommitteeID, Year: r.Year, Version: r.Version, BaseFunding: sqlconn.FromOre(r.BaseFundingOre),
			Decision: r.Decision, Note: r.Note, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
		for _, m := range strings.Split(r.PaymentMonths, ", ") {
			n, err := strconv.Atoi(m)
			if err != nil {
				return nil, fmt.Errorf("budget %d: payment month %q", r.ID, m)
			}
			b.PaymentMonths = append(b.PaymentMonths, time.Month(n))
		}
		var lines []struct {
			RowID   int64  `db:"row_id"`
			RowName string `db:"name"`
			Month   int    `db:"month"`
			Ore     int64  `db:"amount_ore"`
		}
		if err := c.db.Select(ctx, &lines, `SELECT l.row_id, r.name, l.month, l.amount_ore FROM budget_lines l JOIN report_rows r ON r.id = l.row_id
			WHERE l.budget_id = ? ORDER BY r.position, l.month`, r.ID); err != nil {
			return nil, fmt.Errorf("read budget lines: %w", err)
		}
		for _, l := range lines {
			if l.Month == 0 {
				b.Lines = append(b.Lines, finance.BudgetLine{RowID: l.RowID, RowName: l.RowName, Annual: sqlconn.FromOre(l.Ore)})
				continue
			}
			last := &b.Lines[len(b.Lines)-1]
			last.Months = append(last.Months, sqlconn.FromOre(l.Ore))
		}
		out[i] = b
	}
	return out, nil
}

// BudgetFromImport maps the budget an SIE file carries (#PBUDGET) for a year
// to the committee's rows, month by month, in the report's signs: the lines
// of a budget version to save. An account no row takes is an error naming
// it, as for the outcome.
func (c Economy) BudgetFromImport(ctx context.Context, importID int64, year int) ([]finance.BudgetLine, error) {
	imp, err := c.ImportByID(ctx, importID)
	if err != nil {
		return nil, err
	}
	m, err := c.AccountMapping(ctx, imp.CommitteeID)
	if err != nil {
		return nil, err
	}
	rows, err := c.ReportRows(ctx, imp.CommitteeID)
	if err != nil {
		return nil, err
	}
	amounts, err := c.importAmounts(ctx, importID, "budget")
	if err != nil {
		return nil, err
	}
	months := map[int64][]decimal.Decimal{}
	var unmapped []string
	for _, a := range amounts {
		p := finance.PeriodFromInt(a.Period)
		if p.Year != year || a.Dimension != 0 || a.Object != "" {
			continue
		}
		row, n := m.RowOf(a.Account)
		if n != 1 {
			unmapped = append(unmapped, a.Account)
			continue
		}
		if months[row] == nil {
			months[row] = make([]decimal.Decimal, 12)
		}
		months[row][p.Month-1] = months[row][p.Month-1].Sub(sqlconn.FromOre(a.AmountOre))
	}
	if len(unmapped) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "Budgeten i filen har konton utan rad i kontoplanen: %s.", strings.Join(unmapped, ", "))
	}
	if len(months) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Filen har ingen budget (#PBUDGET) för %d.", year)
	}
	var out []finance.BudgetLine
	for _, r := range rows {
		ms, ok := months[r.ID]
		if !ok {
			continue
		}
		l := finance.BudgetLine{RowID: r.ID, RowName: r.Name, Months: ms}
		for _, v := range ms {
			l.Annual = l.Annual.Add(v)
		}
		out = append(out, l)
	}
	return out, nil
}
