package economy

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
	"github.com/region-jh/gns/sv"
)

type carryRow struct {
	ID           int64         `db:"id"`
	CommitteeID  int64         `db:"committee_id"`
	OriginYear   int           `db:"origin_year"`
	Kind         string        `db:"kind"`
	AmountOre    int64         `db:"amount_ore"`
	Date         sqlconn.Date  `db:"entry_date"`
	Purpose      string        `db:"purpose"`
	Decision     string        `db:"decision"`
	ParagraphID  sql.NullInt64 `db:"paragraph_id"`
	AllocationID sql.NullInt64 `db:"allocation_id"`
	EarmarkID    sql.NullInt64 `db:"earmark_id"`
	KeptOre      int64         `db:"kept_ore"`
	CreatedAt    time.Time     `db:"created_at"`
	CreatedBy    string        `db:"created_by"`
}

// CarryEntries returns a committee's carry-forward movements, by originating
// year and in the order they were recorded.
func (c Economy) CarryEntries(ctx context.Context, committeeID int64) ([]finance.CarryEntry, error) {
	var rows []carryRow
	if err := c.db.Select(ctx, &rows, `SELECT id, committee_id, origin_year, kind, amount_ore, entry_date, purpose, decision, paragraph_id,
		allocation_id, earmark_id, kept_ore, created_at, created_by FROM carry_forward WHERE committee_id = ? ORDER BY origin_year, id`, committeeID); err != nil {
		return nil, fmt.Errorf("read carry-forward: %w", err)
	}
	out := make([]finance.CarryEntry, len(rows))
	for i, r := range rows {
		out[i] = finance.CarryEntry{ID: r.ID, CommitteeID: r.CommitteeID, OriginYear: r.OriginYear, Kind: finance.CarryKind(r.Kind),
			Amount: sqlconn.FromOre(r.AmountOre), Date: domain.Date(r.Date), Purpose: r.Purpose, Decision: r.Decision,
			ParagraphID: r.ParagraphID.Int64, AllocationID: r.AllocationID.Int64, EarmarkID: r.EarmarkID.Int64, Kept: sqlconn.FromOre(r.KeptOre),
			CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
	}
	return out, nil
}

// CarryLedger returns a committee's carry-forward ledger per originating
// year.
func (c Economy) CarryLedger(ctx context.Context, committeeID int64) (finance.CarryLedger, error) {
	entries, err := c.CarryEntries(ctx, committeeID)
	if err != nil {
		return finance.CarryLedger{}, err
	}
	return finance.BuildCarryLedger(entries), nil
}

// AddCarryEntry records a movement of carried-forward money after checking
// it against the ledger (finance.CheckCarryEntry). A refund must name a refund
// allocation of the committee that is not superseded, and its amount is the
// allocation's (the amount paid back); an amount of zero takes it from the
// allocation. A decision naming a paragraph GNS has ("GNS § 8/2020") is
// linked to it.
func (c Economy) AddCarryEntry(ctx context.Context, e finance.CarryEntry) (finance.CarryEntry, error) {
	if err := c.lockEconomy(ctx, e.CommitteeID); err != nil {
		return finance.CarryEntry{}, err
	}
	if e.Kind == finance.CarryRefund {
		if e.AllocationID == 0 {
			return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Välj återbetalningens fördelning.")
		}
		a, err := c.money().AllocationByID(ctx, e.AllocationID)
		switch {
		case domain.ErrorCode(err) == domain.ENOTFOUND || err == nil && a.CommitteeID != e.CommitteeID:
			return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Fördelningen finns inte i nämnden.")
		case err != nil:
			return finance.CarryEntry{}, err
		case a.Kind != finance.AllocationRefund:
			return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Fördelning %d är inte en återbetalning av överskott.", a.ID)
		case a.Superseded():
			return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Fördelning %d är ersatt av fördelning %d; välj den.", a.ID, a.SupersededByID)
		case len(a.OriginYears) > 0:
			return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Fördelning %d anger ursprungsår (%s): den bokförs i registret när återbetalningen krediteras.", a.ID, finance.FormatYears(a.OriginYears))
		}
		if e.Amount.IsZero() {
			e.Amount = a.Total.Neg()
		}
		if !e.Amount.Equal(a.Total.Neg()) {
			return finance.CarryEntry{}, domain.FieldErrorf("amount", "Återbetalningen är %s enligt fördelning %d, inte %s.", sv.Kronor(a.Total.Neg()), a.ID, sv.Kronor(e.Amount))
		}
		if e.Decision == "" {
			e.Decision = a.Decision
		}
	} else if e.AllocationID != 0 {
		return finance.CarryEntry{}, domain.FieldErrorf("allocation", "Bara en återbetalning har en fördelning.")
	}
	ledger, err := c.CarryLedger(ctx, e.CommitteeID)
	if err != nil {
		return finance.CarryEntry{}, err
	}
	if err := finance.CheckCarryEntry(e, ledger); err != nil {
		return finance.CarryEntry{}, err
	}
	return c.insertCarry(ctx, e)
}

// insertCarry stores a movement checked against the ledger, linking a
// decision that names a paragraph GNS has, with its audit row.
func (c Economy) insertCarry(ctx context.Context, e finance.CarryEntry) (finance.CarryEntry, error) {
	ore, err := sqlconn.ToOre(e.Amount)
	if err != nil {
		return finance.CarryEntry{}, &domain.Error{Code: domain.EINVALID, Field: "amount", Message: domain.ErrorMessage(err)}
	}
	if e.ParagraphID, err = c.paragraphOf(ctx, e.CommitteeID, e.Decision); err != nil {
		return finance.CarryEntry{}, err
	}
	e.CreatedAt, e.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	kept, err := sqlconn.ToOre(e.Kept)
	if err != nil {
		return finance.CarryEntry{}, err
	}
	e.ID, err = c.db.Insert(ctx, `INSERT INTO carry_forward (committee_id, origin_year, kind, amount_ore, entry_date, purpose, decision, paragraph_id,
		allocation_id, earmark_id, kept_ore, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CommitteeID, e.OriginYear, string(e.Kind), ore, sqlconn.Date(e.Date), e.Purpose, e.Decision, sqlconn.NullID(e.ParagraphID),
		sqlconn.NullID(e.AllocationID), sqlconn.NullID(e.EarmarkID), kept, e.CreatedAt, e.CreatedBy)
	if sqlconn.IsUniqueViolation(err) {
		return finance.CarryEntry{}, domain.FieldErrorf("origin_year", "Resultatet för %d är redan överfört.", e.OriginYear)
	}
	if err != nil {
		return finance.CarryEntry{}, fmt.Errorf("add carry-forward movement: %w", err)
	}
	if err := c.db.Audit(ctx, "create", "carry_forward", e.ID, nil, map[string]any{"origin_year": e.OriginYear, "kind": e.Kind,
		"amount": e.Amount.StringFixed(2), "decision": e.Decision, "purpose": e.Purpose, "allocation_id": e.AllocationID, "earmark_id": e.EarmarkID,
		"kept": e.Kept.StringFixed(2)}); err != nil {
		return finance.CarryEntry{}, err
	}
	return e, nil
}

// BookRefund books issued refund allocation a in the carry-forward ledger on
// date, against the originating years it names (finance.PlanRefundBooking):
// what it pays back as "återbetalt" per year and earmark, and what its
// decided amounts leave in the committee as kept. It refuses when the years
// do not hold the refund, or when the allocation is booked already; an
// allocation that is not a refund or names no years books nothing. Call it
// in the transaction that issues the refund.
func (c Economy) BookRefund(ctx context.Context, a finance.Allocation, date domain.Date) ([]finance.CarryEntry, error) {
	if a.Kind != finance.AllocationRefund || len(a.OriginYears) == 0 {
		return nil, nil
	}
	if err := c.lockEconomy(ctx, a.CommitteeID); err != nil {
		return nil, err
	}
	var booked int
	if err := c.db.Get(ctx, &booked, `SELECT COUNT(*) FROM carry_forward WHERE allocation_id = ?`, a.ID); err != nil {
		return nil, fmt.Errorf("book refund: %w", err)
	}
	if booked > 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "Återbetalningen enligt fördelning %d är redan bokförd i balanseringsregistret.", a.ID)
	}
	ledger, err := c.CarryLedger(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	plan, err := finance.PlanRefundBooking(a, ledger, date)
	if err != nil {
		return nil, err
	}
	var out []finance.CarryEntry
	for _, e := range plan {
		if ledger, err = c.CarryLedger(ctx, a.CommitteeID); err != nil {
			return nil, err
		}
		if err := finance.CheckCarryEntry(e, ledger); err != nil {
			return nil, fmt.Errorf("book refund of allocation %d: %w", a.ID, err)
		}
		stored, err := c.insertCarry(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, stored)
	}
	return out, nil
}
