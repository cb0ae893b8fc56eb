package allocation

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAllocateOverStretchesDigitalTransformation splits a year's cost the
// way Digital transformation's 2020 settlement does: Bräcke, Krokom and
// Strömsund take part February–April (3 months), the seven May–December (8
// months), in equal shares each month. The three first carry 3/11 × 1/3 +
// 8/11 × 1/7 of the total each, the four later ones 8/11 × 1/7.
func TestAllocateOverStretchesDigitalTransformation(t *testing.T) {
	t.Parallel()
	all := committee()
	first := pick(all, "bracke", "krokom", "stromsund")
	seven := pick(all, "bracke", "krokom", "stromsund", "are", "ragunda", "berg", "harjedalen")
	total := decimal.RequireFromString("71462.00")
	res, err := AllocateOverStretches(Spec{Total: total, Method: MethodEqual}, []Stretch{{Months: 3, Parties: first}, {Months: 8, Parties: seven}})
	if err != nil {
		t.Fatalf("AllocateOverStretches: %v", err)
	}
	if !res.Sum.Equal(total) || len(res.Shares) != 7 {
		t.Fatalf("sum %s over %d shares, want %s over 7", res.Sum, len(res.Shares), total)
	}
	early := new(big.Rat).Add(big.NewRat(3, 33), big.NewRat(8, 77)) // 3/11·1/3 + 8/11·1/7
	late := big.NewRat(8, 77)
	for i, sh := range res.Shares {
		want := late
		if i < 3 {
			want = early
		}
		q := new(big.Rat).Mul(total.Rat(), want)
		if sh.ExactQuota().Cmp(q) != 0 {
			t.Errorf("%s: exact quota %s, want %s", sh.PartyID, sh.ExactQuota().FloatString(6), q.FloatString(6))
		}
		if sh.WeightSource.Kind != WeightParticipation {
			t.Errorf("%s: weight kind %q", sh.PartyID, sh.WeightSource.Kind)
		}
	}
	// 71 462 × 8/77 = 7 424,623…; × (3/33 + 8/77) = 13 921,168…
	if got := res.Shares[0].Amount.String(); got != "13921.17" {
		t.Errorf("Bräcke carries %s, want 13921.17", got)
	}
	if got := res.Shares[3].Amount.StringFixed(2); got != "7424.62" && got != "7424.63" {
		t.Errorf("Åre carries %s, want 7424.62 or .63", got)
	}
}

// TestAllocateOverStretchesRefuses names the inputs that cannot be settled.
func TestAllocateOverStretchesRefuses(t *testing.T) {
	t.Parallel()
	p := pick(committee(), "bracke")
	for name, c := range map[string]struct {
		spec Spec
		st   []Stretch
	}{
		"no stretch":   {Spec{Total: decimal.NewFromInt(10), Method: MethodEqual}, nil},
		"zero months":  {Spec{Total: decimal.NewFromInt(10), Method: MethodEqual}, []Stretch{{Months: 0, Parties: p}}},
		"direct":       {Spec{Total: decimal.NewFromInt(10), Method: MethodDirect}, []Stretch{{Months: 1, Parties: p}}},
		"sub-öre":      {Spec{Total: decimal.RequireFromString("0.001"), Method: MethodEqual}, []Stretch{{Months: 1, Parties: p}}},
		"no party":     {Spec{Total: decimal.NewFromInt(10), Method: MethodEqual}, []Stretch{{Months: 1}}},
		"no key entry": {Spec{Total: decimal.NewFromInt(10), Method: MethodPercent}, []Stretch{{Months: 1, Parties: []Party{{ID: "x"}}}}},
	} {
		if _, err := AllocateOverStretches(c.spec, c.st); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestAllocateOverStretchesProperty checks on random settlements that the
// shares sum to the total to the öre, that each is its exact quota rounded
// down or up, and that the exact quotas are the month-weighted fractions.
func TestAllocateOverStretchesProperty(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 2020))
	all := committee()
	methods := []Method{MethodEqual, MethodPopulation, MethodPercent}
	for n := range 2000 {
		spec := Spec{Total: decimal.New(rng.Int64N(1e12)-1e11, -2), Method: methods[rng.IntN(3)]}
		if spec.Method == MethodPopulation && rng.IntN(2) == 0 {
			h := decimal.NewFromInt(1 + rng.Int64N(99))
			spec.HostShare = &h
		}
		var stretches []Stretch
		for range 1 + rng.IntN(6) {
			var ps []Party
			for _, p := range all {
				if rng.IntN(2) == 0 {
					ps = append(ps, p)
				}
			}
			if len(ps) == 0 {
				ps = all[:1+rng.IntN(len(all))]
			}
			if spec.HostShare != nil && hasHost(ps) && len(ps) == 1 {
				ps = all[:2]
			}
			stretches = append(stretches, Stretch{Months: 1 + rng.IntN(12), Parties: ps})
		}
		res, err := AllocateOverStretches(spec, stretches)
		if err != nil {
			t.Fatalf("case %d: %v", n, err)
		}
		if !res.Sum.Equal(spec.Total) {
			t.Fatalf("case %d: sum %s, want %s", n, res.Sum, spec.Total)
		}
		sum := decimal.Zero
		exact := new(big.Rat)
		for _, sh := range res.Shares {
			sum = sum.Add(sh.Amount)
			q := sh.ExactQuota()
			exact.Add(exact, q)
			ore := new(big.Rat).Mul(q, big.NewRat(100, 1))
			lo := new(big.Int).Quo(ore.Num(), ore.Denom()) // toward zero
			a := sh.Amount.Shift(2).BigInt()
			d := new(big.Int).Sub(a, lo)
			if d.CmpAbs(big.NewInt(1)) > 0 {
				t.Fatalf("case %d: %s amount %s is not its quota %s rounded", n, sh.PartyID, sh.Amount, q.FloatString(4))
			}
		}
		if !sum.Equal(spec.Total) || exact.Cmp(spec.Total.Rat()) != 0 {
			t.Fatalf("case %d: shares %s, exact quotas %s, want %s", n, sum, exact.FloatString(4), spec.Total)
		}
	}
}
