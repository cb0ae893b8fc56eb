package money

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// createParts saves the parts of a mixed key of the allocation id, each with
// its shares (issue 16 §4); an allocation of another method has none.
func (c Money) createParts(ctx context.Context, id int64, a finance.Allocation) error {
	for k, p := range a.Parts {
		total, err := sqlconn.ToOre(p.Total)
		if err != nil {
			return err
		}
		hostShare := sql.NullString{String: p.HostShare.Decimal.String(), Valid: p.HostShare.Valid}
		if _, err := c.db.Exec(ctx, `INSERT INTO allocation_parts (allocation_id, position, percent, method, host_share, renormalise,
			total_ore, quota, residue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, k+1, p.Percent.String(), p.Method, hostShare, p.Renormalise, total, p.Quota.String(), p.Residue); err != nil {
			return fmt.Errorf("create allocation part: %w", err)
		}
		for i, s := range p.Shares {
			amount, err := sqlconn.ToOre(s.Amount)
			if err != nil {
				return err
			}
			if _, err := c.db.Exec(ctx, `INSERT INTO allocation_part_shares (allocation_id, part_position, party_id, position, amount_ore,
				quota, weight, weight_kind, population, population_date, population_source, residue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, k+1, s.PartyID, i+1, amount, s.Quota.String(), s.Weight.String(), s.WeightKind,
				sql.NullInt64{Int64: s.Population, Valid: s.Population != 0}, sqlconn.Date(s.PopulationDate), s.PopulationSource, s.Residue); err != nil {
				return fmt.Errorf("create allocation part share: %w", err)
			}
		}
	}
	return nil
}

// partRow is a stored part of a mixed key.
type partRow struct {
	AllocationID int64          `db:"allocation_id"`
	Position     int            `db:"position"`
	Percent      string         `db:"percent"`
	Method       string         `db:"method"`
	HostShare    sql.NullString `db:"host_share"`
	Renormalise  bool           `db:"renormalise"`
	TotalOre     int64          `db:"total_ore"`
	Quota        string         `db:"quota"`
	Residue      bool           `db:"residue"`
}

// part converts a stored part.
func (r partRow) part() (finance.AllocationPart, error) {
	pct, err := decimal.NewFromString(r.Percent)
	if err != nil {
		return finance.AllocationPart{}, fmt.Errorf("allocation %d part %d: percent: %w", r.AllocationID, r.Position, err)
	}
	quota, err := decimal.NewFromString(r.Quota)
	if err != nil {
		return finance.AllocationPart{}, fmt.Errorf("allocation %d part %d: quota: %w", r.AllocationID, r.Position, err)
	}
	p := finance.AllocationPart{Percent: pct, Method: r.Method, Renormalise: r.Renormalise, Total: sqlconn.FromOre(r.TotalOre),
		Quota: quota, Residue: r.Residue}
	if r.HostShare.Valid {
		h, err := decimal.NewFromString(r.HostShare.String)
		if err != nil {
			return finance.AllocationPart{}, fmt.Errorf("allocation %d part %d: host share: %w", r.AllocationID, r.Position, err)
		}
		p.HostShare = decimal.NullDecimal{Decimal: h, Valid: true}
	}
	return p, nil
}

// partsOf returns the parts of the given allocations' mixed keys, with their
// shares, by allocation id; allocations of other methods have none.
func (c Money) partsOf(ctx context.Context, ids []int64) (map[int64][]finance.AllocationPart, error) {
	out := map[int64][]finance.AllocationPart{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT allocation_id, position, percent, method, host_share, renormalise, total_ore, quota, residue
		FROM allocation_parts WHERE allocation_id IN (?) ORDER BY allocation_id, position`, ids)
	if err != nil {
		return nil, err
	}
	var rows []partRow
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("read allocation parts: %w", err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	query, args, err = sqlx.In(`SELECT s.allocation_id, s.part_position, s.party_id, p.name AS party_name, s.position, s.amount_ore,
		s.quota, s.weight, s.weight_kind, s.population, s.population_date, s.population_source, s.residue
		FROM allocation_part_shares s JOIN parties p ON p.id = s.party_id
		WHERE s.allocation_id IN (?) ORDER BY s.allocation_id, s.part_position, s.position`, ids)
	if err != nil {
		return nil, err
	}
	var shares []struct {
		PartPosition int `db:"part_position"`
		shareRow
	}
	if err := c.db.Select(ctx, &shares, query, args...); err != nil {
		return nil, fmt.Errorf("read allocation part shares: %w", err)
	}
	type key struct {
		id  int64
		pos int
	}
	byPart := map[key][]finance.AllocationShare{}
	for _, r := range shares {
		share, err := r.shareRow.share()
		if err != nil {
			return nil, err
		}
		k := key{r.AllocationID, r.PartPosition}
		byPart[k] = append(byPart[k], share)
	}
	for _, r := range rows {
		p, err := r.part()
		if err != nil {
			return nil, err
		}
		p.Shares = byPart[key{r.AllocationID, r.Position}]
		out[r.AllocationID] = append(out[r.AllocationID], p)
	}
	return out, nil
}

// withParts adds the parts of their mixed keys to allocations.
func (c Money) withParts(ctx context.Context, list []finance.Allocation) error {
	var ids []int64
	for _, a := range list {
		if a.Method == finance.MethodMixed {
			ids = append(ids, a.ID)
		}
	}
	parts, err := c.partsOf(ctx, ids)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Parts = parts[list[i].ID]
	}
	return nil
}

// checkParts checks a mixed key's parts before they are stored.
func checkParts(a finance.Allocation) error {
	if err := a.CheckParts(); err != nil {
		return err
	}
	for _, p := range a.Parts {
		if p.Method != "equal" && p.Method != "population" && p.Method != "percent" {
			return domain.FieldErrorf("method", "En del av en blandad nyckel fördelas i lika delar, efter invånarantal eller med fast nyckel.")
		}
	}
	return nil
}

// auditOfParts is how a mixed key's parts appear in the audit trail.
func auditOfParts(parts []finance.AllocationPart) []string {
	var out []string
	for _, p := range parts {
		out = append(out, fmt.Sprintf("%s %% %s: %s", p.Percent, p.Method, p.Total.StringFixed(2)))
	}
	return out
}

// addKeySums adds to stats the sum of each allocation's key percentages,
// added exactly in Go (the weights are decimals kept as text).
func (c Money) addKeySums(ctx context.Context, ids []int64, stats map[int64]AllocationStats) error {
	query, args, err := sqlx.In(`SELECT allocation_id, weight FROM allocation_shares WHERE weight_kind = 'percent' AND allocation_id IN (?)`, ids)
	if err != nil {
		return err
	}
	var rows []struct {
		AllocationID int64  `db:"allocation_id"`
		Weight       string `db:"weight"`
	}
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return fmt.Errorf("allocation key sums: %w", err)
	}
	for _, r := range rows {
		w, err := decimal.NewFromString(r.Weight)
		if err != nil {
			return fmt.Errorf("allocation %d: weight: %w", r.AllocationID, err)
		}
		st := stats[r.AllocationID]
		st.KeySum = st.KeySum.Add(w)
		stats[r.AllocationID] = st
	}
	return nil
}
