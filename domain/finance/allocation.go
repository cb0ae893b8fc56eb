package finance

import (
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// AllocationKind is what an allocation of money is for.
type AllocationKind string

// The kinds of allocation the economist makes (shared/DOMAIN.md §6.3).
const (
	// AllocationBaseFunding is the year's base contribution (basfinansiering),
	// split in equal shares and invoiced in advance.
	AllocationBaseFunding AllocationKind = "base_funding"
	// AllocationProject is a project cost, split by any method over the
	// participating parties.
	AllocationProject AllocationKind = "project"
	// AllocationDirect is a service billed directly to one party (a cost
	// object such as 6663).
	AllocationDirect AllocationKind = "direct"
	// AllocationRefund pays a surplus back, split like the base contribution;
	// its total is negative.
	AllocationRefund AllocationKind = "refund"
)

// AllocationKinds lists the kinds in the order the interface offers them.
var AllocationKinds = []AllocationKind{AllocationBaseFunding, AllocationProject, AllocationDirect, AllocationRefund}

// Valid reports whether k is a known kind.
func (k AllocationKind) Valid() bool {
	for _, x := range AllocationKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the kind.
func (k AllocationKind) Label() string {
	switch k {
	case AllocationBaseFunding:
		return "Basfinansiering"
	case AllocationProject:
		return "Projektkostnad"
	case AllocationDirect:
		return "Direktdebiterad tjänst"
	case AllocationRefund:
		return "Återbetalning av överskott"
	}
	return string(k)
}

// Allocation is a saved split of an amount between a committee's parties, tied
// to the decision behind it. It is immutable once saved: a correction is a new
// allocation that supersedes it, and the old one stays visible.
type Allocation struct {
	ID          int64
	CommitteeID int64
	Kind        AllocationKind
	Title       string
	// Method and Unit are the allocation engine's (equal, population,
	// percent, direct; ore, krona).
	Method string
	Unit   string
	Total  decimal.Decimal
	// HostShare is the host's fixed percentage of a population split.
	HostShare decimal.NullDecimal
	// ReferenceDate is the date of the population figures used.
	ReferenceDate domain.Date
	// BudgetYear is the year the money concerns (base funding, refunds).
	BudgetYear int
	// CostObject names the cost object of a direct-billed service, e.g. 6663.
	CostObject string
	// CaseID and CaseNumber tie the allocation to the case it was proposed or
	// decided in.
	CaseID     int64
	CaseNumber string
	// ParagraphID is the paragraph of the minutes that decided the
	// allocation; Decision names it, e.g. "GNS § 42/2020". Both are empty for
	// a proposal not yet decided (Decision may name a paragraph of minutes
	// older than the system when ParagraphID is 0).
	ParagraphID int64
	Decision    string
	// StatedShare is the amount per party the decision's own text states, if
	// any ("52 010 kr till respektive part"), to compare with the exact split.
	StatedShare decimal.NullDecimal
	// SupersedesID is the allocation this one corrects; SupersededByID the
	// one that corrected this one.
	SupersedesID   int64
	SupersededByID int64
	CreatedAt      time.Time
	CreatedBy      string
	Shares         []AllocationShare
}

// Superseded reports whether a later allocation has replaced this one.
func (a Allocation) Superseded() bool { return a.SupersededByID != 0 }

// Sum returns the sum of the shares.
func (a Allocation) Sum() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range a.Shares {
		sum = sum.Add(s.Amount)
	}
	return sum
}

// StatedDifference returns how far the decision's stated amounts, summed over
// the parties, are from the total: the krona the seed's "52 010 kr till
// respektive part" loses on 468 091 kr. It is zero when no amount is stated.
func (a Allocation) StatedDifference() decimal.Decimal {
	if !a.StatedShare.Valid {
		return decimal.Zero
	}
	return a.StatedShare.Decimal.Mul(decimal.NewFromInt(int64(len(a.Shares)))).Sub(a.Total)
}

// AllocationShare is one party's part of a saved allocation, with everything
// that explains it: the exact quota, the weight and where the weight came from,
// and whether the party received a leftover unit.
type AllocationShare struct {
	PartyID   int64
	PartyName string
	Position  int
	Host      bool
	Amount    decimal.Decimal
	// Quota is the exact share rounded to ten decimals, for display.
	Quota  decimal.Decimal
	Weight decimal.Decimal
	// WeightKind is equal, population, percent, host_share or direct.
	WeightKind string
	// Population, PopulationDate and PopulationSource are the figure behind a
	// population weight.
	Population       int64
	PopulationDate   domain.Date
	PopulationSource string
	Residue          bool
}
