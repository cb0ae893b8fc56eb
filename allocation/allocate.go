package allocation

import (
	"cmp"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// QuotaPlaces is the number of decimal places Share.Quota is rounded to for
// display. The exact quota is available from Share.ExactQuota.
const QuotaPlaces = 10

// WeightKind says where the weight of a share came from.
type WeightKind string

// The kinds of weight, one per way a party's weight is decided.
const (
	// WeightEqual is the weight 1 every party has under MethodEqual.
	WeightEqual WeightKind = "equal"
	// WeightPopulation is the party's population under MethodPopulation.
	WeightPopulation WeightKind = "population"
	// WeightPercent is the party's fixed percentage under MethodPercent.
	WeightPercent WeightKind = "percent"
	// WeightHostShare is the fixed percentage the host pays when the spec
	// has a host share.
	WeightHostShare WeightKind = "host_share"
	// WeightDirect is the 100 % the single party pays under MethodDirect.
	WeightDirect WeightKind = "direct"
	// WeightMixed is a party's share of the total in percent under a mixed
	// key (MethodMixed): the sum over the parts of the part's percentage
	// times the party's exact fraction of the part. Each part's shares show
	// their own weights.
	WeightMixed WeightKind = "mixed"
)

// WeightSource describes where a share's weight came from, so that a party can
// see why it pays what it pays.
type WeightSource struct {
	// Kind is the kind of weight.
	Kind WeightKind
	// ReferenceDate is the reference date of a population figure, as given
	// with the party; empty for other kinds or when not given.
	ReferenceDate string
	// Source names where a population figure comes from, for example
	// "SCB, folkmängd 1 november 2020"; empty for other kinds or when not given.
	Source string
}

// Share is one party's part of a split.
type Share struct {
	// PartyID is the id of the party.
	PartyID string
	// Name is the name of the party.
	Name string
	// Host tells whether the party is the committee's host.
	Host bool
	// Amount is what the party pays (or, for a negative total, receives),
	// exact to the unit: the quota rounded down or up to the unit.
	Amount decimal.Decimal
	// Quota is the party's exact share of the total rounded half away from
	// zero to QuotaPlaces decimal places, for display.
	Quota decimal.Decimal
	// Weight is the weight the split used for the party: 1 for an equal
	// split, the population, the percentage, the host share for the host,
	// and 100 for a direct split.
	Weight decimal.Decimal
	// WeightSource says where Weight came from.
	WeightSource WeightSource
	// Residue tells whether the party received one of the units left over
	// after every quota was rounded down; under a mixed key, whether it
	// received one in any part.
	Residue bool
	// KeyShare is, under a key renormalised over its participants
	// (Spec.Renormalise), the party's renormalised share of the total in
	// percent: its key percentage divided by the sum of the participants'
	// (Result.KeySum), times 100, rounded half away from zero to
	// QuotaPlaces decimals. It is zero otherwise; KeyFraction is exact.
	KeyShare decimal.Decimal

	exact    *big.Rat // the exact quota in kronor, signed like the total; nil from the integer path
	keyShare *big.Rat // the exact renormalised fraction, or nil
	ints     intQuota // the exact quota and fraction from the integer path
}

// KeyFraction returns, under a key renormalised over its participants, the
// party's exact fraction of the total (its key percentage divided by the sum
// of the participants', such as 254/1295), and nil otherwise. It returns a
// new value each time.
func (s Share) KeyFraction() *big.Rat {
	if s.ints.key {
		return new(big.Rat).SetFrac(new(big.Int).SetUint64(s.ints.w), new(big.Int).SetUint64(s.ints.den))
	}
	if s.keyShare == nil {
		return nil
	}
	return new(big.Rat).Set(s.keyShare)
}

// ExactQuota returns the party's exact share of the total in kronor, before
// rounding. It returns a new value each time, so the caller may modify it.
func (s Share) ExactQuota() *big.Rat {
	if s.ints.den != 0 {
		return s.ints.rat()
	}
	if s.exact == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(s.exact)
}

// Result is a finished split: every share, in the order the parties were given,
// and the inputs that produced it.
type Result struct {
	// Spec is the input the result was computed from.
	Spec Spec
	// Method is the method used.
	Method Method
	// Unit is the unit the shares were rounded to, with the default applied.
	Unit Unit
	// HostShare is the host's fixed percentage when one was applied, and nil
	// otherwise.
	HostShare *decimal.Decimal
	// Total is the amount that was split.
	Total decimal.Decimal
	// Renormalise tells whether a fixed key was renormalised over its
	// participants; KeySum is then the sum of their key percentages, and
	// nil otherwise.
	Renormalise bool
	KeySum      *decimal.Decimal
	// Parts holds, under a mixed key, each part's split in the order of
	// Spec.Parts; Shares then hold each party's sum over the parts.
	Parts []PartResult
	// Shares holds one share per party, in the order of Spec.Parties.
	Shares []Share
	// Sum is the sum of the shares' amounts; it always equals Total.
	Sum decimal.Decimal
}

// PartResult is one part of a mixed key's split.
//
// The total is first divided between the parts in proportion to their
// percentages with the largest-remainder method (equal remainders to the
// earlier part), so every part's total is a whole number of the unit, its
// exact quota rounded down or up, and the parts' totals sum to the total.
// Each part's total is then split between all the parties by the part's
// method exactly as a split of that total alone would be, its units left over
// going to the largest remainders within the part. A party pays the sum of
// its amounts in the parts, so every part, every party and the whole sum
// exactly to the unit.
type PartResult struct {
	// Part is the part as the spec gives it.
	Part Part
	// Total is the part's total, a whole number of the unit, signed like
	// the spec's total.
	Total decimal.Decimal
	// Quota is the part's exact share of the total (the total times its
	// percentage) rounded for display like Share.Quota.
	Quota decimal.Decimal
	// Residue tells whether the part received one of the units left over
	// when the total was divided between the parts.
	Residue bool
	// HostShare and KeySum are the part's split's, as Result's are.
	HostShare *decimal.Decimal
	KeySum    *decimal.Decimal
	// Shares holds each party's share of the part, in the order of
	// Spec.Parties.
	Shares []Share
	// Sum is the sum of the part's shares; it always equals Total.
	Sum decimal.Decimal
}

// Allocate validates spec and splits its total between its parties.
//
// Each party's quota is computed exactly and rounded to the unit with the
// largest-remainder method: every party gets its quota rounded down, and the
// units left over go one each to the largest remainders. Equal remainders are
// broken by the larger quota, then the host, then the lower Order, then the
// lower id, so the result does not depend on the order of Spec.Parties. A
// negative total is split as its absolute value and every share negated.
// Invalid input returns a *FieldError.
func Allocate(spec Spec) (Result, error) {
	if err := spec.Validate(); err != nil {
		return Result{}, err
	}
	if spec.Method == MethodMixed {
		return allocateMixed(spec), nil
	}
	return allocate(spec), nil
}

// allocate splits a valid spec of a single method: with machine integers
// when the total in units, the weights and their sum fit in them, which is
// the case for every real total in whole öre and population in whole
// inhabitants, and with big integers otherwise. Both give exactly the same
// result.
func allocate(spec Spec) Result {
	if res, ok := allocateInt(spec); ok {
		return res
	}
	return allocateBig(spec)
}

// allocateBig splits a valid spec of a single method with big integers.
func allocateBig(spec Spec) Result {
	unit := spec.unit()
	weights, shown, sources, hostShare := spec.weights()

	// The total in units (öre or kronor), as a non-negative integer.
	exp := unit.exponent()
	units := spec.Total.Shift(-exp).Abs().BigInt()
	negative := spec.Total.Sign() < 0

	parts, den := split(units, weights, spec.Parties)

	// The exact quota in kronor is num / (den * units per krona).
	unitsPerKrona := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil)
	den.Mul(den, unitsPerKrona)
	displayScale := new(big.Int).Exp(big.NewInt(10), big.NewInt(QuotaPlaces), nil)

	res := Result{
		Spec:      spec,
		Method:    spec.Method,
		Unit:      unit,
		HostShare: hostShare,
		Total:     spec.Total,
		Shares:    make([]Share, len(spec.Parties)),
		Sum:       decimal.New(0, exp),
	}
	var keySum *big.Int
	if spec.Method == MethodPercent && spec.Renormalise {
		res.Renormalise = true
		sum := decimal.Zero
		for _, p := range spec.Parties {
			sum = sum.Add(*p.Percent)
		}
		res.KeySum = &sum
		keySum = new(big.Int)
		for _, w := range weights {
			keySum.Add(keySum, w)
		}
	}
	for i, p := range spec.Parties {
		amount := parts[i].amount
		exact := new(big.Rat).SetFrac(parts[i].num, den)
		if negative {
			amount.Neg(amount)
			exact.Neg(exact)
		}
		sh := Share{
			PartyID:      p.ID,
			Name:         p.Name,
			Host:         p.Host,
			Amount:       decimal.NewFromBigInt(amount, exp),
			Quota:        roundQuota(exact, displayScale),
			Weight:       shown[i],
			WeightSource: sources[i],
			Residue:      parts[i].residue,
			exact:        exact,
		}
		if keySum != nil {
			sh.keyShare = new(big.Rat).SetFrac(weights[i], keySum)
			sh.KeyShare = roundQuota(new(big.Rat).Mul(sh.keyShare, big.NewRat(100, 1)), displayScale)
		}
		res.Shares[i] = sh
		res.Sum = res.Sum.Add(sh.Amount)
	}
	return res
}

// allocateMixed splits a valid mixed spec: the total between the parts by
// their percentages, then each part's total by its method (see PartResult).
func allocateMixed(spec Spec) Result {
	unit := spec.unit()
	exp := unit.exponent()
	units := spec.Total.Shift(-exp).Abs().BigInt()
	negative := spec.Total.Sign() < 0

	// The parts' percentages as integers with a common exponent weigh the
	// parts; ties go to the earlier part.
	minExp := int32(0)
	for _, p := range spec.Parts {
		minExp = min(minExp, p.Percent.Exponent())
	}
	weights := make([]*big.Int, len(spec.Parts))
	order := make([]Party, len(spec.Parts))
	for k, p := range spec.Parts {
		weights[k] = p.Percent.Shift(-minExp).BigInt()
		order[k] = Party{Order: k}
	}
	split, den := split(units, weights, order)
	unitsPerKrona := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil)
	den.Mul(den, unitsPerKrona)
	displayScale := new(big.Int).Exp(big.NewInt(10), big.NewInt(QuotaPlaces), nil)

	res := Result{
		Spec: spec, Method: spec.Method, Unit: unit, Total: spec.Total,
		Parts: make([]PartResult, len(spec.Parts)), Shares: make([]Share, len(spec.Parties)), Sum: decimal.New(0, exp),
	}
	// exact holds each party's exact quota, percent its exact share of the
	// total in percent (from the parts' exact fractions, not their rounded
	// totals).
	exact := make([]*big.Rat, len(spec.Parties))
	percent := make([]*big.Rat, len(spec.Parties))
	for i, p := range spec.Parties {
		exact[i], percent[i] = new(big.Rat), new(big.Rat)
		res.Shares[i] = Share{PartyID: p.ID, Name: p.Name, Host: p.Host, Amount: decimal.New(0, exp), WeightSource: WeightSource{Kind: WeightMixed}}
	}
	for k, p := range spec.Parts {
		amount := split[k].amount
		quota := new(big.Rat).SetFrac(split[k].num, den)
		if negative {
			amount.Neg(amount)
			quota.Neg(quota)
		}
		sub := spec.partSpec(p)
		sub.Total = decimal.NewFromBigInt(amount, exp)
		r := allocate(sub)
		res.Parts[k] = PartResult{Part: p, Total: r.Total, Quota: roundQuota(quota, displayScale), Residue: split[k].residue,
			HostShare: r.HostShare, KeySum: r.KeySum, Shares: r.Shares, Sum: r.Sum}
		pw, _, _, _ := sub.weights()
		sum := new(big.Int)
		for _, w := range pw {
			sum.Add(sum, w)
		}
		pct := p.Percent.Rat()
		for i, sh := range r.Shares {
			c := &res.Shares[i]
			c.Amount = c.Amount.Add(sh.Amount)
			c.Residue = c.Residue || sh.Residue
			exact[i].Add(exact[i], sh.ExactQuota())
			f := new(big.Rat).SetFrac(pw[i], sum)
			percent[i].Add(percent[i], f.Mul(f, pct))
		}
	}
	for i := range res.Shares {
		c := &res.Shares[i]
		c.exact = exact[i]
		c.Quota = roundQuota(exact[i], displayScale)
		c.Weight = roundQuota(percent[i], displayScale)
		res.Sum = res.Sum.Add(c.Amount)
	}
	return res
}

// roundQuota rounds x half away from zero to QuotaPlaces decimal places;
// scale is 10^QuotaPlaces.
func roundQuota(x *big.Rat, scale *big.Int) decimal.Decimal {
	num := new(big.Int).Abs(x.Num())
	num.Mul(num, scale)
	q, r := num.QuoRem(num, x.Denom(), new(big.Int))
	if r.Lsh(r, 1).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -QuotaPlaces)
}

// part is one party's piece of an integer split.
type part struct {
	num     *big.Int // the quota in units is num / sum(weights)
	rem     *big.Int // num mod sum(weights): the fractional remainder, scaled
	amount  *big.Int // the rounded amount in units
	residue bool     // whether amount got a leftover unit
}

// split divides units (non-negative) in proportion to the positive integer
// weights with the largest-remainder method, and returns the parts and the sum
// of the weights. Ties between equal remainders are broken by the larger quota,
// then the host, then the lower Order, then the lower id of parties, which holds
// the party for each weight.
func split(units *big.Int, weights []*big.Int, parties []Party) ([]part, *big.Int) {
	den := new(big.Int)
	for _, w := range weights {
		den.Add(den, w)
	}
	parts := make([]part, len(weights))
	left := new(big.Int).Set(units)
	for i, w := range weights {
		num := new(big.Int).Mul(units, w)
		q, r := new(big.Int).QuoRem(num, den, new(big.Int))
		parts[i] = part{num: num, rem: r, amount: q}
		left.Sub(left, q)
	}
	// The quotas sum to units exactly, so fewer units than parties are left.
	n := int(left.Int64())
	if n == 0 {
		return parts, den
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := parts[b].rem.Cmp(parts[a].rem); c != 0 {
			return c
		}
		if c := parts[b].num.Cmp(parts[a].num); c != 0 {
			return c
		}
		return tieOrder(&parties[a], &parties[b])
	})
	one := big.NewInt(1)
	for _, i := range order[:n] {
		parts[i].amount.Add(parts[i].amount, one)
		parts[i].residue = true
	}
	return parts, den
}

// tieOrder orders two parties whose remainders and quotas are equal: the
// host first, then the lower Order, then the lower id.
func tieOrder(pa, pb *Party) int {
	if pa.Host != pb.Host {
		if pa.Host {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(pa.Order, pb.Order); c != 0 {
		return c
	}
	return strings.Compare(pa.ID, pb.ID)
}

// weights returns, for a valid spec, the integer weights the split uses, the
// weights to show per party, their sources, and the host share if applied.
// The integer weights are scaled to a common denominator so that the quotas
// are exactly the ones the method defines.
func (s Spec) weights() (ints []*big.Int, shown []decimal.Decimal, sources []WeightSource, hostShare *decimal.Decimal) {
	n := len(s.Parties)
	ints = make([]*big.Int, n)
	shown = make([]decimal.Decimal, n)
	sources = make([]WeightSource, n)
	switch s.Method {
	case MethodEqual, MethodDirect:
		kind, w := WeightEqual, decimal.NewFromInt(1)
		if s.Method == MethodDirect {
			kind, w = WeightDirect, decimal.NewFromInt(100)
		}
		for i := range s.Parties {
			ints[i] = big.NewInt(1)
			shown[i] = w
			sources[i] = WeightSource{Kind: kind}
		}
	case MethodPercent:
		// Scale every percentage to an integer with the same exponent.
		minExp := int32(0)
		for _, p := range s.Parties {
			minExp = min(minExp, p.Percent.Exponent())
		}
		for i, p := range s.Parties {
			ints[i] = p.Percent.Shift(-minExp).BigInt()
			shown[i] = *p.Percent
			sources[i] = WeightSource{Kind: WeightPercent}
		}
	case MethodPopulation:
		for i, p := range s.Parties {
			if s.HostShare != nil && p.Host {
				continue
			}
			ints[i] = big.NewInt(*p.Population)
			shown[i] = decimal.NewFromInt(*p.Population)
			sources[i] = WeightSource{Kind: WeightPopulation, ReferenceDate: p.PopulationDate, Source: p.PopulationSource}
		}
		if s.HostShare == nil {
			break
		}
		// With the host share h = hc/10^k percent and the others' population
		// P, the host weighs hc*P and every other party (100*10^k - hc)*p,
		// so the weights sum to 100*10^k*P and the host's quota is h %.
		h := *s.HostShare
		hostShare = &h
		k := max(0, -h.Exponent())
		hc := h.Shift(k).BigInt()
		rest := decimal.NewFromInt(100).Shift(k).BigInt()
		rest.Sub(rest, hc)
		pop := new(big.Int)
		for _, w := range ints {
			if w != nil {
				pop.Add(pop, w)
			}
		}
		for i, p := range s.Parties {
			if p.Host {
				ints[i] = new(big.Int).Mul(hc, pop)
				shown[i] = h
				sources[i] = WeightSource{Kind: WeightHostShare}
				continue
			}
			ints[i].Mul(ints[i], rest)
		}
	}
	return ints, shown, sources, hostShare
}
