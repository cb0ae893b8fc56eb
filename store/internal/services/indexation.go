package services

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type indexationRow struct {
	ID           int64         `db:"id"`
	CommitteeID  int64         `db:"committee_id"`
	Year         int           `db:"year"`
	Version      int           `db:"version"`
	Rule         string        `db:"rule"`
	IndexName    string        `db:"index_name"`
	IndexPercent string        `db:"index_percent"`
	PreviousOre  int64         `db:"previous_ore"`
	BaseOre      int64         `db:"base_ore"`
	Decision     string        `db:"decision"`
	ParagraphID  sql.NullInt64 `db:"paragraph_id"`
	Note         string        `db:"note"`
	CreatedAt    time.Time     `db:"created_at"`
	CreatedBy    string        `db:"created_by"`
}

func (r indexationRow) indexation() (finance.Indexation, error) {
	x := finance.Indexation{
		ID: r.ID, CommitteeID: r.CommitteeID, Year: r.Year, Version: r.Version, Rule: finance.IndexRule(r.Rule), IndexName: r.IndexName,
		Previous: sqlconn.FromOre(r.PreviousOre), Base: sqlconn.FromOre(r.BaseOre), Decision: r.Decision, ParagraphID: r.ParagraphID.Int64,
		Note: r.Note, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
	}
	if r.IndexPercent != "" {
		d, err := decimal.NewFromString(r.IndexPercent)
		if err != nil {
			return finance.Indexation{}, fmt.Errorf("indexation %d: index %q: %w", r.ID, r.IndexPercent, err)
		}
		x.IndexPercent = d
	}
	return x, nil
}

const indexationSelect = `SELECT id, committee_id, year, version, rule, index_name, index_percent, previous_ore, base_ore, decision,
	paragraph_id, note, created_at, created_by FROM funding_indexations`

// CreateIndexation records the committee's uppräkning decision for x.Year
// as the year's next version: the previous year's base contribution is that
// of the previous year's budget in force (refused when there is none), and
// the year's is computed by the rule (finance.Indexation.Apply). A deciding
// paragraph must be one of the committee's; its name becomes the decision.
func (c Services) CreateIndexation(ctx context.Context, x finance.Indexation) (finance.Indexation, error) {
	if err := x.Check(); err != nil {
		return finance.Indexation{}, err
	}
	if x.ParagraphID == 0 {
		var err error
		if x.ParagraphID, err = c.paragraphOf(ctx, x.CommitteeID, x.Decision); err != nil {
			return finance.Indexation{}, err
		}
	}
	if x.ParagraphID != 0 {
		decision, _, err := c.decisionOf(ctx, x.CommitteeID, x.ParagraphID)
		if err != nil {
			return finance.Indexation{}, err
		}
		x.Decision = decision
	}
	if err := c.lock(ctx, x.CommitteeID); err != nil {
		return finance.Indexation{}, err
	}
	var previous []int64
	if err := c.db.Select(ctx, &previous, `SELECT base_funding_ore FROM budgets WHERE committee_id = ? AND year = ? ORDER BY version DESC LIMIT 1`,
		x.CommitteeID, x.Year-1); err != nil {
		return finance.Indexation{}, fmt.Errorf("read previous base funding: %w", err)
	}
	if len(previous) == 0 {
		return finance.Indexation{}, domain.Errorf(domain.ECONFLICT, "Budget %d saknas: uppräkningen utgår från föregående års basfinansiering. Spara budgeten för %d först.", x.Year-1, x.Year-1)
	}
	x, err := x.Apply(sqlconn.FromOre(previous[0]))
	if err != nil {
		return finance.Indexation{}, err
	}
	prevOre, err1 := sqlconn.ToOre(x.Previous)
	baseOre, err2 := sqlconn.ToOre(x.Base)
	if err1 != nil || err2 != nil {
		return finance.Indexation{}, domain.Errorf(domain.EINVALID, "Basfinansieringen kan inte sparas i hela ören.")
	}
	if err := c.db.Get(ctx, &x.Version, `SELECT COALESCE(MAX(version), 0) + 1 FROM funding_indexations WHERE committee_id = ? AND year = ?`,
		x.CommitteeID, x.Year); err != nil {
		return finance.Indexation{}, fmt.Errorf("create indexation: %w", err)
	}
	percent := ""
	if x.Rule == finance.IndexByIndex {
		percent = x.IndexPercent.String()
	}
	x.CreatedAt, x.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO funding_indexations (committee_id, year, version, rule, index_name, index_percent, previous_ore,
		base_ore, decision, paragraph_id, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		x.CommitteeID, x.Year, x.Version, string(x.Rule), x.IndexName, percent, prevOre, baseOre, x.Decision,
		sql.NullInt64{Int64: x.ParagraphID, Valid: x.ParagraphID != 0}, x.Note, x.CreatedAt, x.CreatedBy)
	if err != nil {
		return finance.Indexation{}, fmt.Errorf("create indexation: %w", err)
	}
	x.ID = id
	if err := c.db.Audit(ctx, "create", "funding_indexation", id, nil, map[string]any{"year": x.Year, "version": x.Version,
		"rule": string(x.Rule), "index": x.IndexName, "percent": percent, "previous": x.Previous.StringFixed(2),
		"base": x.Base.StringFixed(2), "decision": x.Decision}); err != nil {
		return finance.Indexation{}, err
	}
	return x, nil
}

// Indexations returns a committee's uppräkning decisions for year (every
// version, the latest first), or of every year (year 0: the latest version
// of each, the latest year first).
func (c Services) Indexations(ctx context.Context, committeeID int64, year int) ([]finance.Indexation, error) {
	var rows []indexationRow
	var err error
	if year != 0 {
		err = c.db.Select(ctx, &rows, indexationSelect+` WHERE committee_id = ? AND year = ? ORDER BY version DESC`, committeeID, year)
	} else {
		err = c.db.Select(ctx, &rows, indexationSelect+` x WHERE committee_id = ? AND version =
			(SELECT MAX(y.version) FROM funding_indexations y WHERE y.committee_id = x.committee_id AND y.year = x.year) ORDER BY year DESC`, committeeID)
	}
	if err != nil {
		return nil, fmt.Errorf("read indexations: %w", err)
	}
	out := make([]finance.Indexation, len(rows))
	for i, r := range rows {
		if out[i], err = r.indexation(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CurrentIndexation returns the uppräkning decision in force for a year (its
// latest version), or ENOTFOUND.
func (c Services) CurrentIndexation(ctx context.Context, committeeID int64, year int) (finance.Indexation, error) {
	list, err := c.Indexations(ctx, committeeID, year)
	if err != nil {
		return finance.Indexation{}, err
	}
	if len(list) == 0 {
		return finance.Indexation{}, domain.Errorf(domain.ENOTFOUND, "Inget beslut om uppräkning för %d.", year)
	}
	return list[0], nil
}

// FundingCycles returns where the funding of the committee's latest years
// stands (at most limit years, latest first; a year counts once it has a
// budget or an uppräkning decision), in one statement: the budget in force,
// the uppräkning decision in force, the base-funding allocation in force
// and its invoice run.
func (c Services) FundingCycles(ctx context.Context, committeeID int64, limit int) ([]finance.YearCycle, error) {
	var rows []struct {
		Year           int            `db:"year"`
		BudgetVersion  sql.NullInt64  `db:"budget_version"`
		BaseOre        sql.NullInt64  `db:"base_ore"`
		BudgetDecision sql.NullString `db:"budget_decision"`
		PaymentMonths  sql.NullString `db:"payment_months"`
		IndexRule      sql.NullString `db:"index_rule"`
		IndexBaseOre   sql.NullInt64  `db:"index_base_ore"`
		AllocationID   sql.NullInt64  `db:"allocation_id"`
		AllocDecision  sql.NullString `db:"allocation_decision"`
		RunID          sql.NullInt64  `db:"run_id"`
		RunDate        sqlconn.Date   `db:"run_date"`
	}
	const budget = `FROM budgets b WHERE b.committee_id = y.committee_id AND b.year = y.year ORDER BY b.version DESC LIMIT 1`
	const index = `FROM funding_indexations x WHERE x.committee_id = y.committee_id AND x.year = y.year ORDER BY x.version DESC LIMIT 1`
	const alloc = `FROM allocations a WHERE a.committee_id = y.committee_id AND a.kind = 'base_funding' AND a.budget_year = y.year
		AND a.superseded_by IS NULL ORDER BY a.id DESC LIMIT 1`
	const run = `FROM invoice_runs r WHERE r.allocation_id = (SELECT a.id ` + alloc + `)`
	if err := c.db.Select(ctx, &rows, `WITH y AS (
			SELECT DISTINCT committee_id, year FROM budgets WHERE committee_id = ?
			UNION SELECT committee_id, year FROM funding_indexations WHERE committee_id = ?)
		SELECT y.year,
			(SELECT b.version `+budget+`) AS budget_version,
			(SELECT b.base_funding_ore `+budget+`) AS base_ore,
			(SELECT b.decision `+budget+`) AS budget_decision,
			(SELECT b.payment_months `+budget+`) AS payment_months,
			(SELECT x.rule `+index+`) AS index_rule,
			(SELECT x.base_ore `+index+`) AS index_base_ore,
			(SELECT a.id `+alloc+`) AS allocation_id,
			(SELECT a.decision `+alloc+`) AS allocation_decision,
			(SELECT r.id `+run+`) AS run_id,
			(SELECT r.issue_date `+run+`) AS run_date
		FROM y ORDER BY y.year DESC LIMIT ?`, committeeID, committeeID, limit); err != nil {
		return nil, fmt.Errorf("read funding cycles: %w", err)
	}
	out := make([]finance.YearCycle, len(rows))
	for i, r := range rows {
		y := finance.YearCycle{Year: r.Year, BudgetVersion: int(r.BudgetVersion.Int64), BaseFunding: sqlconn.FromOre(r.BaseOre.Int64),
			BudgetDecision: r.BudgetDecision.String, IndexRule: finance.IndexRule(r.IndexRule.String), IndexBase: sqlconn.FromOre(r.IndexBaseOre.Int64),
			AllocationID: r.AllocationID.Int64, AllocationDecided: r.AllocDecision.String != "", RunID: r.RunID.Int64, RunDate: domain.Date(r.RunDate)}
		if r.PaymentMonths.Valid {
			months, err := finance.ParsePaymentMonths(r.PaymentMonths.String)
			if err != nil {
				return nil, fmt.Errorf("funding cycle %d: %w", r.Year, err)
			}
			y.PaymentMonths = months
		}
		out[i] = y
	}
	return out, nil
}
