package allocation

import (
	"errors"
	"math/big"

	"github.com/shopspring/decimal"
)

// Stretch is a run of months in which the same parties take part in a
// project: its length and its participants, given as Spec.Parties are.
type Stretch struct {
	Months  int
	Parties []Party
}

// WeightParticipation is the weight of a share of AllocateOverStretches: the
// party's share of the total in percent over the months it took part.
const WeightParticipation WeightKind = "participation"

// AllocateOverStretches splits spec.Total over runs of months with different
// participants, the rule of a project's settlement: the total is spread
// evenly over the months of the stretches, and each month's part is split
// by spec's method (equal, population with or without a host share, or a
// fixed key renormalised over the month's participants) between the parties
// taking part in that month. A party's exact quota is thus
//
//	Total × Σ over stretches (months × its fraction of the stretch) / Σ months
//
// and the quotas are rounded to the unit together by the largest remainder,
// so the shares sum to the total exactly. The result has one share per party
// in the order of first appearance; each share's Weight is its part of the
// total in percent (exact to QuotaPlaces decimals, WeightParticipation).
// spec.Parties is ignored; each stretch is validated as a spec of its own.
func AllocateOverStretches(spec Spec, stretches []Stretch) (Result, error) {
	if len(stretches) == 0 {
		return Result{}, errors.New("no party takes part in the period")
	}
	if spec.Method == MethodMixed || spec.Method == MethodDirect {
		return Result{}, errors.New("a project is split by the equal, population or percent method")
	}
	var parties []Party
	index := map[string]int{}
	var fractions []*big.Rat
	months := 0
	for _, st := range stretches {
		if st.Months <= 0 {
			return Result{}, errors.New("a stretch must have at least one month")
		}
		s := spec
		s.Parties, s.Total = st.Parties, decimal.NewFromInt(1)
		if s.Method == MethodPercent {
			s.Renormalise = true
		}
		if s.HostShare != nil && !hasHost(st.Parties) {
			s.HostShare = nil // the host does not take part these months
		}
		res, err := Allocate(s)
		if err != nil {
			return Result{}, err
		}
		m := big.NewRat(int64(st.Months), 1)
		for _, sh := range res.Shares {
			i, ok := index[sh.PartyID]
			if !ok {
				i = len(parties)
				index[sh.PartyID] = i
				for _, p := range st.Parties {
					if p.ID == sh.PartyID {
						parties = append(parties, p)
					}
				}
				fractions = append(fractions, new(big.Rat))
			}
			f := sh.ExactQuota() // of a total of 1: the party's fraction
			fractions[i].Add(fractions[i], f.Mul(f, m))
		}
		months += st.Months
	}
	// Integer weights over a common denominator: the quotas are exactly
	// units × fraction / months.
	lcm := big.NewInt(1)
	for _, f := range fractions {
		d := f.Denom()
		g := new(big.Int).GCD(nil, nil, lcm, d)
		lcm.Mul(lcm, new(big.Int).Quo(d, g))
	}
	weights := make([]*big.Int, len(fractions))
	for i, f := range fractions {
		w := new(big.Int).Mul(f.Num(), new(big.Int).Quo(lcm, f.Denom()))
		weights[i] = w
	}
	unit := spec.unit()
	exp := unit.exponent()
	if !spec.Total.Shift(-exp).IsInteger() {
		return Result{}, errors.New("the total is not a whole number of the unit")
	}
	units := spec.Total.Shift(-exp).Abs().BigInt()
	negative := spec.Total.Sign() < 0
	split, den := split(units, weights, parties)
	unitsPerKrona := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil)
	den.Mul(den, unitsPerKrona)
	displayScale := new(big.Int).Exp(big.NewInt(10), big.NewInt(QuotaPlaces), nil)
	res := Result{Spec: spec, Method: spec.Method, Unit: unit, Total: spec.Total, Shares: make([]Share, len(parties)), Sum: decimal.New(0, exp)}
	for i, p := range parties {
		amount := split[i].amount
		exact := new(big.Rat).SetFrac(split[i].num, den)
		if negative {
			amount.Neg(amount)
			exact.Neg(exact)
		}
		pct := new(big.Rat).Quo(fractions[i], big.NewRat(int64(months), 1))
		pct.Mul(pct, big.NewRat(100, 1))
		res.Shares[i] = Share{PartyID: p.ID, Name: p.Name, Host: p.Host, Amount: decimal.NewFromBigInt(amount, exp),
			Quota: roundQuota(exact, displayScale), Weight: roundQuota(pct, displayScale),
			WeightSource: WeightSource{Kind: WeightParticipation}, Residue: split[i].residue, exact: exact}
		res.Sum = res.Sum.Add(res.Shares[i].Amount)
	}
	return res, nil
}

func hasHost(parties []Party) bool {
	for _, p := range parties {
		if p.Host {
			return true
		}
	}
	return false
}
