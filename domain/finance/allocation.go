package finance

import (
	"math"
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
	// PeriodStart and PeriodEnd are the period its invoices concern when it
	// is not the whole budget year (a service billed for January–August);
	// zero otherwise.
	PeriodStart, PeriodEnd domain.Date
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
	// PaysDecided marks an allocation invoiced or credited "enligt beslutets
	// belopp": each party pays or receives its share's Decided amount, not
	// the exact split, and the difference (Kept) stays in the committee. The
	// exact split is the default and stays shown beside the decided amounts.
	PaysDecided bool
	// OriginYears are the originating years a refund draws on, oldest
	// first ("återstående medel från 2018 och 2019"): issuing the refund
	// books it in the carry-forward ledger against them, oldest first.
	OriginYears []int
	// DecidedConfirmed is the economist's confirmation that decided amounts
	// further from the exact split than rounding to whole kronor explains
	// are what the decision states (CheckDecided). It is not stored: a
	// saved allocation was confirmed when it has such amounts.
	DecidedConfirmed bool
	// SupersedesID is the allocation this one corrects; SupersededByID the
	// one that corrected this one.
	SupersedesID   int64
	SupersededByID int64
	CreatedAt      time.Time
	CreatedBy      string
	Shares         []AllocationShare
	// Parts are the parts of a mixed key (Method "mixed"), in order, each
	// with its own shares; Shares then hold each party's sum over the
	// parts. Nil for every other method.
	Parts []AllocationPart
}

// Superseded reports whether a later allocation has replaced this one.
func (a Allocation) Superseded() bool { return a.SupersededByID != 0 }

// Decided reports whether a decision is recorded for the allocation: a
// paragraph of the minutes, or the decision's name for one older than the
// system. A proposal not yet decided is a draft.
func (a Allocation) Decided() bool { return a.ParagraphID != 0 || a.Decision != "" }

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
	// Decided is the amount the deciding paragraph states for the party,
	// signed like Amount ("52 010 kr till respektive part" is −52 010 on a
	// refund); not valid when the decision states none.
	Decided decimal.NullDecimal
}

// maxOre is the largest number of öre, either sign, that GNS keeps: the
// database holds amounts as whole öre in a signed 64-bit integer.
var maxOre = decimal.NewFromInt(math.MaxInt64)

// CheckAmount checks that an amount can be kept: whole öre, and no larger
// (either sign) than the database holds. A problem is an error on field.
func CheckAmount(field string, kronor decimal.Decimal) error {
	ore := kronor.Shift(2)
	if !ore.IsInteger() {
		return domain.FieldErrorf(field, "Beloppet %s har bråkdelar av ett öre.", kronor.String())
	}
	if ore.Abs().GreaterThan(maxOre) {
		return domain.FieldErrorf(field, "Beloppet %s är för stort.", kronor.String())
	}
	return nil
}

// CheckForSave checks an allocation computed by the allocation engine as
// saving it checks it: its kind and title, its parties, that its shares sum
// to its total, and that every amount can be kept. The preview of an
// allocation runs the same checks, so it shows exactly what saving would
// refuse.
func (a Allocation) CheckForSave() error {
	if !a.Kind.Valid() {
		return domain.FieldErrorf("kind", "Välj vad fördelningen gäller.")
	}
	if err := domain.CheckText("title", "Rubriken", a.Title, 300); err != nil {
		return err
	}
	if a.Title == "" {
		return domain.FieldErrorf("title", "Ge fördelningen en rubrik, t.ex. ”Basfinansiering 2021”.")
	}
	if err := CheckAmount("total", a.Total); err != nil {
		return err
	}
	if a.StatedShare.Valid {
		if err := CheckAmount("stated_share", a.StatedShare.Decimal); err != nil {
			return err
		}
	}
	if len(a.Shares) == 0 {
		return domain.FieldErrorf("parties", "Fördelningen har inga parter.")
	}
	for _, s := range a.Shares {
		if err := CheckAmount("parties", s.Amount); err != nil {
			return err
		}
	}
	if !a.Sum().Equal(a.Total) {
		return domain.Errorf(domain.EINVALID, "Andelarna summerar till %s kr men totalen är %s kr: fördelningen sparas inte.", a.Sum().StringFixed(2), a.Total.StringFixed(2))
	}
	if err := a.WithStatedShare().CheckDecided(a.DecidedConfirmed); err != nil {
		return err
	}
	return a.CheckParts()
}

// CheckCorrection checks that a may correct (supersede) old: an allocation of
// the same committee that no other allocation has corrected yet.
func (a Allocation) CheckCorrection(old Allocation) error {
	if old.CommitteeID != a.CommitteeID {
		return domain.Errorf(domain.ENOTFOUND, "Fördelningen som ska ersättas finns inte i nämnden.")
	}
	if old.Superseded() {
		return domain.Errorf(domain.ECONFLICT, "Fördelning %d är redan ersatt av fördelning %d.", old.ID, old.SupersededByID)
	}
	return nil
}

// CheckDecidingCase checks that the deciding paragraph (ref, e.g.
// "§ 42/2020", of case paragraphCase, 0 for none) decided the allocation's
// own case, when both have one.
func (a Allocation) CheckDecidingCase(ref string, paragraphCase int64) error {
	if a.CaseID != 0 && paragraphCase != 0 && a.CaseID != paragraphCase {
		return domain.FieldErrorf("paragraph", "%s gäller ett annat ärende än fördelningens.", ref)
	}
	return nil
}
