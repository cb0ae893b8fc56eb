package finance

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// MethodMixed is the method of an allocation by a mixed key: parts of the
// total by different methods (allocation.MethodMixed).
const MethodMixed = "mixed"

// AllocationPart is one part of a mixed key as saved: its percentage of the
// total, its method, the total it got (whole units, by the largest remainder
// between the parts) and every party's share of it.
type AllocationPart struct {
	// Percent is the part's share of the total in percent.
	Percent decimal.Decimal
	// Method is the part's method: equal, population or percent.
	Method string
	// HostShare is the host's fixed percentage of a population part.
	HostShare decimal.NullDecimal
	// Renormalise marks a percent part whose key is renormalised over the
	// participants.
	Renormalise bool
	// Total is the part's total; Quota its exact share of the allocation's
	// total rounded to ten decimals, for display.
	Total decimal.Decimal
	Quota decimal.Decimal
	// Residue tells whether the part got a unit left over when the total
	// was divided between the parts.
	Residue bool
	// Shares are the parties' shares of the part, in the allocation's order.
	Shares []AllocationShare
}

// Sum returns the sum of the part's shares.
func (p AllocationPart) Sum() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range p.Shares {
		sum = sum.Add(s.Amount)
	}
	return sum
}

// KeySum returns, for a fixed key, the sum of the shares' key percentages.
// A key renormalised over a subset of its parties has a sum other than 100.
func KeySum(shares []AllocationShare) decimal.Decimal {
	sum := decimal.Zero
	for _, s := range shares {
		if s.WeightKind == "percent" {
			sum = sum.Add(s.Weight)
		}
	}
	return sum
}

// Renormalised reports whether shares split by a fixed key were split by a
// key renormalised over its participants: their percentages do not sum to
// 100 (a key that does must sum to exactly 100).
func Renormalised(method string, shares []AllocationShare) bool {
	return method == "percent" && len(shares) > 0 && !KeySum(shares).Equal(decimal.NewFromInt(100))
}

// RenormalisedShare returns a share's part of a renormalised key in percent:
// its key percentage divided by the participants' sum, times 100, rounded
// half away from zero to ten decimals; and the exact fraction (such as
// 254/1295). sum must not be zero.
func RenormalisedShare(s AllocationShare, sum decimal.Decimal) (decimal.Decimal, *big.Rat) {
	f := new(big.Rat).Quo(s.Weight.Rat(), sum.Rat())
	pct := new(big.Rat).Mul(f, big.NewRat(100, 1))
	return decimal.NewFromBigRat(pct, 10), f
}

// CheckParts checks a mixed key's parts as saving checks them: a mixed
// allocation has at least two parts and only it has any, the parts' totals
// sum to the total, each part's shares sum to its total and are of the
// allocation's parties in its order, and every party pays the sum of its
// shares of the parts.
func (a Allocation) CheckParts() error {
	if (a.Method == MethodMixed) != (len(a.Parts) > 0) || a.Method == MethodMixed && len(a.Parts) < 2 {
		return domain.FieldErrorf("method", "En blandad nyckel har minst två delar, och bara en blandad nyckel har delar.")
	}
	total := decimal.Zero
	sums := make([]decimal.Decimal, len(a.Shares))
	for k, p := range a.Parts {
		if len(p.Shares) != len(a.Shares) || !p.Sum().Equal(p.Total) {
			return domain.Errorf(domain.EINVALID, "Del %d av nyckeln summerar inte till sin del av beloppet: fördelningen sparas inte.", k+1)
		}
		total = total.Add(p.Total)
		for i, s := range p.Shares {
			if s.PartyID != a.Shares[i].PartyID {
				return domain.Errorf(domain.EINVALID, "Del %d av nyckeln har andra parter än fördelningen: fördelningen sparas inte.", k+1)
			}
			sums[i] = sums[i].Add(s.Amount)
		}
	}
	if len(a.Parts) == 0 {
		return nil
	}
	if !total.Equal(a.Total) {
		return domain.Errorf(domain.EINVALID, "Delarna av nyckeln summerar till %s kr men totalen är %s kr: fördelningen sparas inte.", total.StringFixed(2), a.Total.StringFixed(2))
	}
	for i, s := range a.Shares {
		if !s.Amount.Equal(sums[i]) {
			return domain.Errorf(domain.EINVALID, "%s andel är inte summan av dess delar: fördelningen sparas inte.", s.PartyName+"s")
		}
	}
	return nil
}

// methodText is a method's Swedish name in running text.
var methodText = map[string]string{"equal": "lika delar", "population": "efter invånarantal", "percent": "fast nyckel"}

// KeyBasis describes in Swedish a share of a key that real decisions use
// (issue 16 §4), and "" for a share of any other key: of a fixed key
// renormalised over its participants, the party's key percentage, the
// participants' sum and the renormalised share ("fördelningsnyckel 2,54 % av
// de deltagandes 12,95 % = 19,6138996139 %"); of a mixed key, its parts and
// the party's share of the total ("blandad nyckel: 50 % lika delar, 50 %
// efter invånarantal; sammanlagt 25 % av beloppet").
func KeyBasis(a Allocation, s AllocationShare) string {
	switch {
	case a.Method == MethodMixed:
		var parts []string
		for _, p := range a.Parts {
			text := sv.ExactPercent(p.Percent) + " " + methodText[p.Method]
			if p.HostShare.Valid {
				text += " (värdparten " + sv.ExactPercent(p.HostShare.Decimal) + ")"
			}
			if p.Renormalise {
				text += " omräknad över de deltagande"
			}
			parts = append(parts, text)
		}
		return "blandad nyckel: " + strings.Join(parts, ", ") + "; sammanlagt " + sv.ExactPercent(s.Weight.Round(4)) + " av beloppet"
	case s.WeightKind == "percent" && Renormalised(a.Method, a.Shares):
		sum := KeySum(a.Shares)
		share, _ := RenormalisedShare(s, sum)
		return fmt.Sprintf("fördelningsnyckel %s av de deltagandes %s = %s", sv.ExactPercent(s.Weight), sv.ExactPercent(sum), sv.ExactPercent(share))
	}
	return ""
}
