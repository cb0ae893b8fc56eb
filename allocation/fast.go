package allocation

import (
	"cmp"
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// The integer path of Allocate. Every party's quota in units is
// units*w/den for its weight w and the sum den of the weights; with units,
// w and den in 64 bits, units*w fits in 128 and bits.Div64 divides it exactly
// (its high word is below den because w <= den). Anything that does not fit
// (a total beyond 2^63 units, populations or scaled percentages whose sum
// overflows, a host share whose scaled weights overflow) goes to the
// big-integer path, which gives the same result.

// intQuota is a share's exact quota as the integer path computed it: in
// units, q + r/den; exp is the unit's exponent and neg the total's sign. With
// key set, w/den is the share's fraction of a renormalised key.
type intQuota struct {
	q, r, den, w uint64
	exp          int32
	neg, key     bool
}

// rat returns the exact quota in kronor.
func (x intQuota) rat() *big.Rat {
	num := new(big.Int).SetUint64(x.q)
	d := new(big.Int).SetUint64(x.den)
	num.Mul(num, d)
	num.Add(num, new(big.Int).SetUint64(x.r))
	d.Mul(d, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-x.exp)), nil))
	out := new(big.Rat).SetFrac(num, d)
	if x.neg {
		out.Neg(out)
	}
	return out
}

// pow10 holds the powers of ten that fit in a uint64.
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// The weights shown for the kinds whose weight is the same for everyone.
var (
	decimalOne     = decimal.NewFromInt(1)
	decimalHundred = decimal.NewFromInt(100)
)

// smallInt returns d as coefficient and exponent when the coefficient fits
// in an int64.
func smallInt(d decimal.Decimal) (int64, int32, bool) {
	switch digits := d.NumDigits(); {
	case digits <= 18:
		return d.CoefficientInt64(), d.Exponent(), true
	case digits == 19: // fits or not: check
		c := d.CoefficientInt64()
		return c, d.Exponent(), decimal.New(c, d.Exponent()).Equal(d)
	}
	return 0, 0, false
}

// scaleUp returns c*10^e for e >= 0 when it fits in a uint64.
func scaleUp(c uint64, e int32) (uint64, bool) {
	if e < 0 || int(e) >= len(pow10) {
		return 0, c == 0
	}
	hi, lo := bits.Mul64(c, pow10[e])
	return lo, hi == 0
}

// wholeUnits returns |d| in units of 10^exp when d is a whole number of them
// and fits in an int64, and whether it is negative.
func wholeUnits(d decimal.Decimal, exp int32) (units uint64, negative, ok bool) {
	c, e, ok := smallInt(d)
	if !ok {
		return 0, false, false
	}
	negative = c < 0
	u := uint64(c)
	if negative {
		u = uint64(-c)
	}
	e -= exp
	if e < 0 {
		if int(-e) >= len(pow10) || u%pow10[-e] != 0 {
			return 0, false, false
		}
		return u / pow10[-e], negative, true
	}
	units, ok = scaleUp(u, e)
	return units, negative, ok && units <= math.MaxInt64
}

// intWeights sets, for a valid spec of a single method, each share's
// integer weight (those of Spec.weights, in ints.w), the weight it shows and
// its source, and returns the sum of the weights and the host share if
// applied; ok is false when a weight or the sum does not fit in a uint64.
func (s Spec) intWeights(shares []Share) (den uint64, hostShare *decimal.Decimal, ok bool) {
	switch s.Method {
	case MethodEqual, MethodDirect:
		kind, w := WeightEqual, decimalOne
		if s.Method == MethodDirect {
			kind, w = WeightDirect, decimalHundred
		}
		for i := range shares {
			sh := &shares[i]
			sh.ints.w, sh.Weight, sh.WeightSource.Kind = 1, w, kind
		}
	case MethodPercent:
		minExp := int32(0)
		for _, p := range s.Parties {
			minExp = min(minExp, p.Percent.Exponent())
		}
		for i, p := range s.Parties {
			sh := &shares[i]
			c, e, fits := smallInt(*p.Percent)
			if fits {
				sh.ints.w, fits = scaleUp(uint64(c), e-minExp)
			}
			if !fits {
				return 0, nil, false
			}
			sh.Weight, sh.WeightSource.Kind = *p.Percent, WeightPercent
		}
	case MethodPopulation:
		var pop uint64
		for i, p := range s.Parties {
			if s.HostShare != nil && p.Host {
				continue
			}
			sh := &shares[i]
			sh.ints.w = uint64(*p.Population)
			var carry uint64
			if pop, carry = bits.Add64(pop, sh.ints.w, 0); carry != 0 {
				return 0, nil, false
			}
			sh.Weight = decimal.NewFromInt(*p.Population)
			sh.WeightSource = WeightSource{Kind: WeightPopulation, ReferenceDate: p.PopulationDate, Source: p.PopulationSource}
		}
		if s.HostShare == nil {
			break
		}
		// As in Spec.weights: the host weighs hc*P, every other party
		// (100*10^k - hc)*p, for the host share hc/10^k percent.
		h := *s.HostShare
		hostShare = &h
		c, e, fits := smallInt(h)
		k := max(0, -e)
		var hc, whole uint64
		if fits {
			hc, fits = scaleUp(uint64(c), e+k)
		}
		if fits {
			whole, fits = scaleUp(100, k)
		}
		if !fits {
			return 0, nil, false
		}
		rest := whole - hc // 0 < hc < whole: the host share is below 100
		for i, p := range s.Parties {
			sh := &shares[i]
			var hi uint64
			if p.Host {
				hi, sh.ints.w = bits.Mul64(hc, pop)
				sh.Weight, sh.WeightSource.Kind = h, WeightHostShare
			} else {
				hi, sh.ints.w = bits.Mul64(rest, sh.ints.w)
			}
			if hi != 0 {
				return 0, nil, false
			}
		}
	}
	for i := range shares {
		var carry uint64
		if den, carry = bits.Add64(den, shares[i].ints.w, 0); carry != 0 {
			return 0, nil, false
		}
	}
	return den, hostShare, true
}

// allocateInt splits a valid spec of a single method in machine integers,
// exactly as allocateBig does; ok is false when the spec's figures do not
// fit, and the big-integer path must be taken.
func allocateInt(spec Spec) (Result, bool) {
	unit := spec.unit()
	exp := unit.exponent()
	units, negative, ok := wholeUnits(spec.Total, exp)
	if !ok {
		return Result{}, false
	}
	n := len(spec.Parties)
	res := Result{
		Spec:   spec,
		Method: spec.Method,
		Unit:   unit,
		Total:  spec.Total,
		Shares: make([]Share, n),
		Sum:    decimal.New(signed(units, negative), exp),
	}
	den, hostShare, ok := spec.intWeights(res.Shares)
	if !ok {
		return Result{}, false
	}
	res.HostShare = hostShare
	left := units
	for i := range res.Shares {
		x := &res.Shares[i].ints
		hi, lo := bits.Mul64(units, x.w)
		x.q, x.r = bits.Div64(hi, lo, den) // hi < den, as w <= den
		x.den, x.exp, x.neg = den, exp, negative
		left -= x.q
	}
	// The quotas sum to units exactly, so fewer units than parties are left.
	if left > 0 {
		largestRemainders(spec.Parties, res.Shares, int(left))
	}
	renormalised := spec.Method == MethodPercent && spec.Renormalise
	if renormalised {
		if den > math.MaxInt64 {
			return Result{}, false
		}
		minExp := int32(0)
		for _, p := range spec.Parties {
			minExp = min(minExp, p.Percent.Exponent())
		}
		sum := decimal.New(int64(den), minExp)
		res.Renormalise, res.KeySum = true, &sum
	}
	fracPlaces := QuotaPlaces + exp // decimals of the unit in a display quota
	var amounts, quotas decimalCache
	for i := range spec.Parties {
		p, sh := &spec.Parties[i], &res.Shares[i]
		x := &sh.ints
		amount := x.q
		if sh.Residue {
			amount++
		}
		sh.PartyID, sh.Name, sh.Host = p.ID, p.Name, p.Host
		sh.Amount = amounts.get(amount, 0, func() decimal.Decimal { return decimal.New(signed(amount, negative), exp) })
		sh.Quota = quotas.get(x.q, x.r, func() decimal.Decimal { return displayQuota(x.q, x.r, den, fracPlaces, negative) })
		if renormalised {
			// The renormalised share in percent: w/den*100 rounded to
			// QuotaPlaces, at most 10^12.
			sh.KeyShare = displayQuota(0, x.w, den, QuotaPlaces+2, false)
			x.key = true
		}
	}
	return res, true
}

// largestRemainders sets Residue on the n shares whose quotas have the
// largest remainders: ties go to the larger quota (the larger weight, as the
// total is not zero), then the host, then the lower Order, then the lower id,
// as in split.
func largestRemainders(parties []Party, shares []Share, n int) {
	type rank struct {
		r, w uint64
		i    int
	}
	order := make([]rank, len(shares))
	for i := range shares {
		order[i] = rank{shares[i].ints.r, shares[i].ints.w, i}
	}
	slices.SortFunc(order, func(a, b rank) int {
		if c := cmp.Compare(b.r, a.r); c != 0 {
			return c
		}
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return tieOrder(&parties[a.i], &parties[b.i])
	})
	for _, o := range order[:n] {
		shares[o.i].Residue = true
	}
}

// decimalCache keeps the last two decimals made, each by a key of two
// numbers, so that the amounts and quotas of an equal split, which repeat,
// share a value instead of allocating one each. Decimals are immutable, so
// sharing one is safe.
type decimalCache struct {
	keys [2][2]uint64
	vals [2]decimal.Decimal
	have int
}

// get returns the decimal kept for the key (a, b), or makes it with make and
// keeps it.
func (c *decimalCache) get(a, b uint64, make func() decimal.Decimal) decimal.Decimal {
	key := [2]uint64{a, b}
	for k := range c.have {
		if c.keys[k] == key {
			return c.vals[k]
		}
	}
	c.keys[1], c.vals[1] = c.keys[0], c.vals[0]
	c.keys[0], c.vals[0], c.have = key, make(), min(c.have+1, 2)
	return c.vals[0]
}

// displayQuota returns q + r/den units (r <= den), where a unit is
// 10^(places-QuotaPlaces) kronor, rounded half away from zero to QuotaPlaces
// decimals of a krona and negated when neg is set: Share.Quota, as
// roundQuota makes it from the exact quota.
func displayQuota(q, r, den uint64, places int32, neg bool) decimal.Decimal {
	hi, lo := bits.Mul64(r, pow10[places]) // r*10^places <= den*10^places, so hi < den
	f, rem := bits.Div64(hi, lo, den)
	if rem >= den-rem {
		f++
	}
	if whole, ok := scaleUp(q, places); ok {
		if v, carry := bits.Add64(whole, f, 0); carry == 0 && v <= math.MaxInt64 {
			return decimal.New(signed(v, neg), -QuotaPlaces)
		}
	}
	// A quota of more than about 922 million kronor: the display value
	// needs more than 64 bits.
	v := new(big.Int).SetUint64(q)
	v.Mul(v, new(big.Int).SetUint64(pow10[places]))
	v.Add(v, new(big.Int).SetUint64(f))
	if neg {
		v.Neg(v)
	}
	return decimal.NewFromBigInt(v, -QuotaPlaces)
}

// signed returns u (at most math.MaxInt64) negated when neg is set.
func signed(u uint64, neg bool) int64 {
	if neg {
		return -int64(u)
	}
	return int64(u)
}
