package finance

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// kronaUnit is one krona: how far rounding to whole kronor can move a share
// from its exact quota (less than one krona either way).
var kronaUnit = decimal.NewFromInt(1)

// WithStatedShare returns a with every share that has no decided amount
// given the decision's one figure for all (StatedShare), so one figure for
// all and a figure per party are compared, invoiced and kept the same way.
func (a Allocation) WithStatedShare() Allocation {
	if !a.StatedShare.Valid {
		return a
	}
	shares := slices.Clone(a.Shares)
	for i := range shares {
		if !shares[i].Decided.Valid {
			shares[i].Decided = a.StatedShare
		}
	}
	a.Shares = shares
	return a
}

// HasDecided reports whether the decision's amount is recorded for every
// party of the allocation.
func (a Allocation) HasDecided() bool {
	for _, s := range a.Shares {
		if !s.Decided.Valid {
			return false
		}
	}
	return len(a.Shares) > 0
}

// DecidedSum returns the sum of the decided amounts (of the shares that
// have one).
func (a Allocation) DecidedSum() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range a.Shares {
		if s.Decided.Valid {
			sum = sum.Add(s.Decided.Decimal)
		}
	}
	return sum
}

// DecidedDifference returns how far the decided amounts, summed, are from
// the total: +1 kr for the seed's refund of 468 091 kr as 9 × 52 010 kr
// (−468 090 − −468 091). Zero when the decision states no amounts.
func (a Allocation) DecidedDifference() decimal.Decimal {
	if !a.HasDecided() {
		return decimal.Zero
	}
	return a.DecidedSum().Sub(a.Total)
}

// Payable returns what the party of share s is invoiced (positive) or paid
// back (negative): the decided amount when the allocation pays "enligt
// beslutets belopp", else its share of the exact split.
func (a Allocation) Payable(s AllocationShare) decimal.Decimal {
	if a.PaysDecided && s.Decided.Valid {
		return s.Decided.Decimal
	}
	return s.Amount
}

// PayableSum returns what the allocation invoices or pays back in all.
func (a Allocation) PayableSum() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range a.Shares {
		sum = sum.Add(a.Payable(s))
	}
	return sum
}

// Kept returns the money that stays in the committee because the
// allocation pays the decided amounts: the decided sum less the total, so
// positive when the committee keeps money (1,00 kr of the seed's refund)
// and negative when it receives less than the total. Zero for an allocation
// paid by the exact split.
func (a Allocation) Kept() decimal.Decimal {
	if !a.PaysDecided {
		return decimal.Zero
	}
	return a.PayableSum().Sub(a.Total)
}

// RoundingExplains reports whether rounding to whole kronor explains the
// decided amount of share s: it is less than one krona from the exact
// quota (52 010 or 52 011 kr for a quota of 52 010,111… kr).
func RoundingExplains(s AllocationShare) bool {
	return !s.Decided.Valid || s.Decided.Decimal.Sub(s.Quota).Abs().LessThan(kronaUnit)
}

// Unexplained lists the shares whose decided amount rounding to whole
// kronor does not explain.
func (a Allocation) Unexplained() []AllocationShare {
	var out []AllocationShare
	for _, s := range a.Shares {
		if !RoundingExplains(s) {
			out = append(out, s)
		}
	}
	return out
}

// CheckDecided checks the decision's amounts as a Swedish economist would:
// each in whole öre and of the total's sign; every party has one when the
// allocation pays them; and one further from the exact split than rounding
// to whole kronor explains is refused unless confirmed (the economist has
// read it in the decision: the decision is what is paid, but a typing
// error must not be). A refund's originating years must be years, named
// once each, oldest first, and not after its budget year.
func (a Allocation) CheckDecided(confirmed bool) error {
	for _, s := range a.Shares {
		if !s.Decided.Valid {
			continue
		}
		d := s.Decided.Decimal
		if err := CheckAmount("decided", d); err != nil {
			return err
		}
		if d.Sign() != a.Total.Sign() {
			if a.Total.IsNegative() {
				return domain.FieldErrorf("decided", "Beslutets belopp för %s ska vara ett belopp som betalas tillbaka, större än noll.", s.PartyName)
			}
			return domain.FieldErrorf("decided", "Beslutets belopp för %s ska vara större än noll.", s.PartyName)
		}
	}
	if a.PaysDecided && !a.HasDecided() {
		return domain.FieldErrorf("decided", "Ange beslutets belopp för varje part, eller ett belopp för alla, för att fakturera enligt beslutets belopp.")
	}
	if off := a.Unexplained(); len(off) > 0 && !confirmed {
		names := make([]string, len(off))
		for i, s := range off {
			names[i] = s.PartyName + " " + sv.Kronor(s.Decided.Decimal.Abs()) + " (exakt " + sv.Exact(s.Quota.Abs(), 2) + " kr)"
		}
		return domain.FieldErrorf("confirm_decided", "Beslutets belopp för %s ligger en krona eller mer från den exakta andelen, mer än avrundning till hela kronor förklarar. Kontrollera beloppet mot beslutet; står det så i beslutet, bekräfta det och spara igen.", joinSwedish(names))
	}
	if len(a.OriginYears) > 0 && a.Kind != AllocationRefund {
		return domain.FieldErrorf("origin_years", "Bara en återbetalning har ursprungsår.")
	}
	for i, y := range a.OriginYears {
		switch {
		case y < 1900 || y > 2999:
			return domain.FieldErrorf("origin_years", "Ange ursprungsåren med fyra siffror, t.ex. 2018, 2019.")
		case i > 0 && y <= a.OriginYears[i-1]:
			return domain.FieldErrorf("origin_years", "Ange ursprungsåren en gång var, äldst först, t.ex. 2018, 2019.")
		case a.BudgetYear != 0 && y > a.BudgetYear:
			return domain.FieldErrorf("origin_years", "Ursprungsåret %d är senare än budgetåret %d.", y, a.BudgetYear)
		}
	}
	return nil
}

// FormatYears writes originating years as the database and the form keep
// them: "2018, 2019".
func FormatYears(years []int) string {
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, ", ")
}

// ParseYears reads originating years written "2018, 2019", "2018 och 2019"
// or "2018,2019"; "" is none. A word that is not a year is a field error on
// origin_years.
func ParseYears(s string) ([]int, error) {
	var out []int
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if w == "och" {
			continue
		}
		y, err := strconv.Atoi(w)
		if err != nil || len(w) != 4 || w[0] == '0' || strings.Trim(w, "0123456789") != "" {
			return nil, domain.FieldErrorf("origin_years", "Ange ursprungsåren med fyra siffror, t.ex. 2018, 2019.")
		}
		out = append(out, y)
	}
	return out, nil
}

// PlanRefundBooking works out how issuing refund allocation a on date books
// it in the carry-forward ledger l: against its originating years, oldest
// first, each year's money not earmarked first, then its open earmarks in
// the order they were made (refunded earmarked money leaves the earmark),
// until the allocation's total is drawn. What the refund keeps in the
// committee (a.Kept, when it pays the decided amounts) is taken off the
// last movements and recorded as their Kept, so the ledger shows it under
// the year that keeps it. An allocation that is not a refund or names no
// originating years books nothing. The years must hold the total (an
// error on origin_years says what they hold).
func PlanRefundBooking(a Allocation, l CarryLedger, date domain.Date) ([]CarryEntry, error) {
	if a.Kind != AllocationRefund || len(a.OriginYears) == 0 {
		return nil, nil
	}
	need := a.Total.Neg()
	var out []CarryEntry
	held := decimal.Zero
	purpose := "Återbetalning: " + a.Title
	for _, year := range a.OriginYears {
		y := l.Year(year)
		if !y.HasResult || !y.Balance().IsPositive() {
			continue
		}
		draw := func(limit decimal.Decimal, earmark int64) {
			take := decimal.Min(limit, need)
			if !take.IsPositive() {
				return
			}
			out = append(out, CarryEntry{CommitteeID: a.CommitteeID, OriginYear: year, Kind: CarryRefund, Amount: take, Date: date,
				Purpose: purpose, Decision: a.Decision, ParagraphID: a.ParagraphID, AllocationID: a.ID, EarmarkID: earmark, Kept: decimal.Zero})
			need = need.Sub(take)
			held = held.Add(take)
		}
		draw(y.Free(), 0)
		for _, e := range y.Entries {
			if e.Kind == CarryEarmark {
				draw(earmarkLeft(y.Entries, e.ID), e.ID)
			}
		}
	}
	if need.IsPositive() {
		return nil, domain.FieldErrorf("origin_years", "Återbetalningen är %s men %s har bara %s kvar i balanseringsregistret. Registrera årens resultat eller rätta fördelningens ursprungsår.",
			sv.Kronor(a.Total.Neg()), yearsText(a.OriginYears), sv.Kronor(held))
	}
	kept := a.Kept()
	for i := len(out) - 1; i >= 0 && !kept.IsZero(); i-- {
		take := kept
		if kept.IsPositive() && take.GreaterThanOrEqual(out[i].Amount) {
			take = out[i].Amount.Sub(decimal.New(1, -2)) // a movement keeps at least an öre
		}
		out[i].Amount, out[i].Kept = out[i].Amount.Sub(take), out[i].Kept.Add(take)
		kept = kept.Sub(take)
	}
	return out, nil
}

// yearsText names years in Swedish: "2018", "2018 och 2019".
func yearsText(years []int) string {
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return joinSwedish(parts)
}
