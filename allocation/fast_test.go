package allocation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// sameResult reports the first difference between a result of the integer
// path and one of the big-integer path, or "" when they are the same.
func sameResult(a, b Result) string {
	if a.Method != b.Method || a.Unit != b.Unit || a.Renormalise != b.Renormalise {
		return fmt.Sprintf("method, unit, renormalise %s %s %v vs %s %s %v", a.Method, a.Unit, a.Renormalise, b.Method, b.Unit, b.Renormalise)
	}
	if optDecimal(a.HostShare) != optDecimal(b.HostShare) || optDecimal(a.KeySum) != optDecimal(b.KeySum) {
		return fmt.Sprintf("host share, key sum %s %s vs %s %s", optDecimal(a.HostShare), optDecimal(a.KeySum), optDecimal(b.HostShare), optDecimal(b.KeySum))
	}
	if a.Total.String() != b.Total.String() || a.Sum.String() != b.Sum.String() || a.Sum.Exponent() != b.Sum.Exponent() {
		return fmt.Sprintf("total, sum %s %s vs %s %s", a.Total, a.Sum, b.Total, b.Sum)
	}
	if len(a.Shares) != len(b.Shares) {
		return fmt.Sprintf("%d shares vs %d", len(a.Shares), len(b.Shares))
	}
	for i := range a.Shares {
		x, y := a.Shares[i], b.Shares[i]
		switch {
		case x.PartyID != y.PartyID || x.Name != y.Name || x.Host != y.Host:
			return fmt.Sprintf("share %d: party %q vs %q", i, x.PartyID, y.PartyID)
		case x.Amount.String() != y.Amount.String() || x.Amount.Exponent() != y.Amount.Exponent():
			return fmt.Sprintf("%s: amount %s vs %s", x.PartyID, x.Amount, y.Amount)
		case x.Quota.String() != y.Quota.String() || x.Quota.Exponent() != y.Quota.Exponent():
			return fmt.Sprintf("%s: quota %s vs %s", x.PartyID, x.Quota, y.Quota)
		case x.Weight.String() != y.Weight.String() || x.WeightSource != y.WeightSource:
			return fmt.Sprintf("%s: weight %s %+v vs %s %+v", x.PartyID, x.Weight, x.WeightSource, y.Weight, y.WeightSource)
		case x.Residue != y.Residue:
			return fmt.Sprintf("%s: residue %v vs %v", x.PartyID, x.Residue, y.Residue)
		case x.ExactQuota().Cmp(y.ExactQuota()) != 0:
			return fmt.Sprintf("%s: exact quota %s vs %s", x.PartyID, x.ExactQuota().RatString(), y.ExactQuota().RatString())
		case x.KeyShare.String() != y.KeyShare.String():
			return fmt.Sprintf("%s: key share %s vs %s", x.PartyID, x.KeyShare, y.KeyShare)
		case (x.KeyFraction() == nil) != (y.KeyFraction() == nil) || x.KeyFraction() != nil && x.KeyFraction().Cmp(y.KeyFraction()) != 0:
			return fmt.Sprintf("%s: key fraction %v vs %v", x.PartyID, x.KeyFraction(), y.KeyFraction())
		}
	}
	return ""
}

// checkPaths allocates spec on both paths and checks that they agree and
// that the result holds every split's invariants; it returns whether the
// integer path took the spec.
func checkPaths(t *testing.T, spec Spec) bool {
	t.Helper()
	if err := spec.Validate(); err != nil {
		t.Fatalf("invalid spec %+v: %v", spec, err)
	}
	big := allocateBig(spec)
	checkResult(t, spec, big)
	fast, ok := allocateInt(spec)
	if !ok {
		return false
	}
	if d := sameResult(fast, big); d != "" {
		t.Fatalf("integer and big-integer paths differ for %s of %s over %d parties: %s", spec.Method, spec.Total, len(spec.Parties), d)
	}
	checkResult(t, spec, fast)
	return true
}

// randomSpec returns a valid spec of a single method with figures drawn
// from rng, from everyday ones to ones near the limits of 64 bits.
func randomSpec(rng *rand.Rand) Spec {
	n := 1 + rng.IntN(40)
	if rng.IntN(200) == 0 {
		n = 311
	}
	spec := Spec{Unit: UnitOre}
	exp := int32(-2)
	if rng.IntN(4) == 0 {
		spec.Unit, exp = UnitKrona, 0
	}
	var units int64
	switch rng.IntN(5) {
	case 0:
		units = rng.Int64N(1000)
	case 1:
		units = rng.Int64N(1e11)
	case 2:
		units = math.MaxInt64 - rng.Int64N(1000) // the largest total in whole units
	case 3:
		units = rng.Int64()
	default:
		units = rng.Int64N(1 << 40)
	}
	if rng.IntN(3) == 0 {
		units = -units
	}
	spec.Total = decimal.New(units, exp)
	if rng.IntN(10) == 0 { // a total with more digits than the unit needs
		spec.Total = decimal.New(units/1000*1000, exp).Truncate(-exp)
	}
	population := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return 1 + rng.Int64N(10)
		case 1:
			return math.MaxInt64/int64(n) - rng.Int64N(3) // sums near the limit
		case 2:
			return 1 + rng.Int64N(math.MaxInt64) // sums beyond it
		}
		return 1000 + rng.Int64N(1e6)
	}
	hostIdx := rng.IntN(n + 1)
	for i := range n {
		pop := population()
		spec.Parties = append(spec.Parties, Party{
			ID: fmt.Sprintf("p%03d", i), Name: fmt.Sprintf("P%d", i), Host: i == hostIdx,
			Order: rng.IntN(n), Population: &pop,
		})
	}
	switch rng.IntN(6) {
	case 0:
		spec.Method = MethodEqual
	case 1:
		spec.Method = MethodPopulation
	case 2:
		spec.Method = MethodPopulation
		if hostIdx == n || n == 1 {
			return randomSpec(rng)
		}
		places := int32(rng.IntN(17))
		h := decimal.New(1+rng.Int64N(100*int64(pow10[places])-1), -places)
		spec.HostShare = &h
	case 3, 4:
		spec.Method = MethodPercent
		spec.Renormalise = rng.IntN(2) == 0
		places := int32(rng.IntN(17))
		left := decimal.NewFromInt(100)
		for i := range spec.Parties {
			step := decimal.New(1+rng.Int64N(1000), -places)
			if spec.Renormalise && rng.IntN(5) == 0 {
				step = decimal.New(1+rng.Int64N(math.MaxInt64/int64(n)/2), -18) // coefficients near the limit
			}
			if !spec.Renormalise && (i == n-1 || step.GreaterThanOrEqual(left)) {
				step = left
			}
			if !spec.Renormalise && step.Sign() <= 0 {
				return randomSpec(rng)
			}
			left = left.Sub(step)
			p := step
			spec.Parties[i].Percent = &p
		}
		if !spec.Renormalise && !left.IsZero() {
			return randomSpec(rng)
		}
	default:
		spec.Method = MethodDirect
		spec.Parties = spec.Parties[:1]
	}
	if spec.Validate() != nil { // a renormalised key over 100
		return randomSpec(rng)
	}
	return spec
}

// TestIntPathMatchesBig checks on random specs, everyday ones and ones near
// the limits of 64 bits, that the integer path gives exactly the result of
// the big-integer path (or declines the spec), and that both hold the
// invariants of every split.
func TestIntPathMatchesBig(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 16))
	taken := 0
	const runs = 2000
	for range runs {
		if checkPaths(t, randomSpec(rng)) {
			taken++
		}
	}
	if taken < runs/3 {
		t.Errorf("the integer path took %d of %d random specs, want most of the everyday ones", taken, runs)
	}
}

// TestIntPathEdges checks the integer path at the limits of 64 bits: it
// takes what fits, declines what does not, and agrees with the big path.
func TestIntPathEdges(t *testing.T) {
	t.Parallel()
	max := int64(math.MaxInt64)
	pops := func(ps ...int64) []Party {
		out := make([]Party, len(ps))
		for i, p := range ps {
			out[i] = Party{ID: fmt.Sprintf("p%d", i), Order: i, Population: int64p(p), Host: i == 0}
		}
		return out
	}
	tests := []struct {
		name string
		spec Spec
		fast bool // whether the integer path takes it
	}{
		{"largest total in öre", Spec{Total: decimal.New(max, -2), Method: MethodEqual, Parties: pops(1, 1, 1)}, true},
		{"largest negative total", Spec{Total: decimal.New(-max, -2), Method: MethodEqual, Parties: pops(1, 1, 1)}, true},
		{"total one öre beyond", Spec{Total: decimal.New(max, -2).Add(decimal.New(1, -2)), Method: MethodEqual, Parties: pops(1, 1)}, false},
		{"most negative int64 öre", Spec{Total: decimal.New(math.MinInt64, -2), Method: MethodEqual, Parties: pops(1, 1)}, false},
		{"largest total in kronor", Spec{Total: decimal.New(max, 0), Unit: UnitKrona, Method: MethodPopulation, Parties: pops(max-1, max)}, true},
		{"populations summing to 2^64-1", Spec{Total: decimal.New(max, -2), Method: MethodPopulation, Parties: pops(max, max, 1)}, true},
		{"populations summing beyond 2^64", Spec{Total: decimal.New(max, -2), Method: MethodPopulation, Parties: pops(max, max, 2)}, false},
		{"host share weights at the limit", Spec{Total: decimal.New(999, -2), Method: MethodPopulation, HostShare: decp("50"), Parties: pops(0, max/100)}, true},
		{"host share weights beyond", Spec{Total: decimal.New(999, -2), Method: MethodPopulation, HostShare: decp("50"), Parties: pops(0, max/10)}, false},
		{"host share with sixteen decimals", Spec{Total: decimal.New(46809100, -2), Method: MethodPopulation, HostShare: decp("33.3333333333333333"), Parties: pops(0, 3, 5)}, true},
		{"host share with seventeen decimals", Spec{Total: decimal.New(46809100, -2), Method: MethodPopulation, HostShare: decp("33.33333333333333333"), Parties: pops(0, 3, 5)}, false},
		{"total with a long coefficient", Spec{Total: decimal.RequireFromString("468091.000000000000000000"), Method: MethodEqual, Parties: pops(1, 1, 1)}, false},
		{"quota too large to display in 64 bits", Spec{Total: decimal.New(max, -2), Method: MethodPopulation, Parties: pops(1, 2)}, true},
		{"key with eighteen decimals", Spec{Total: decimal.New(100, -2), Method: MethodPercent, Renormalise: true, Parties: []Party{
			{ID: "a", Percent: decp("0.000000000000000001")}, {ID: "b", Percent: decp("99.999999999999999999")}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := checkPaths(t, tt.spec); got != tt.fast {
				t.Errorf("integer path taken = %v, want %v", got, tt.fast)
			}
			if res, err := Allocate(tt.spec); err != nil || !res.Sum.Equal(tt.spec.Total) {
				t.Errorf("Allocate: sum %s, error %v", res.Sum, err)
			}
		})
	}
}

// FuzzIntPath checks that the integer path agrees with the big-integer path
// on the fuzzer's specs, scaled towards the limits of 64 bits.
func FuzzIntPath(f *testing.F) {
	f.Add(int64(46809100), false, uint8(0), uint16(0), []byte("abcdefghijklmnopqr"), uint8(0), uint8(0))
	f.Add(int64(math.MaxInt64), false, uint8(1), uint16(0), []byte{255, 3, 255, 3}, uint8(9), uint8(62))
	f.Add(int64(math.MaxInt64-7), true, uint8(2), uint16(4999), []byte{1, 1, 2, 2, 3, 3}, uint8(0), uint8(50))
	f.Add(int64(-99999), false, uint8(5), uint16(0), []byte{9, 0, 22, 0, 3, 0}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, totalUnits int64, krona bool, method uint8, hostShare uint16, weights []byte, host uint8, shift uint8) {
		spec := fuzzSpec(totalUnits, krona, method, hostShare, weights, host)
		if spec.Method == MethodMixed {
			return // mixed keys split each part by allocate, covered by the others
		}
		// Scale the populations up, towards and beyond the limit.
		for i := range spec.Parties {
			p := *spec.Parties[i].Population << (shift % 64)
			if p <= 0 {
				p = math.MaxInt64 - int64(i)
			}
			spec.Parties[i].Population = &p
		}
		checkPaths(t, spec)
	})
}
