package allocation

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// int64p returns a pointer to n, for Party.Population.
func int64p(n int64) *int64 { return &n }

// decp returns a pointer to the decimal s, for Party.Percent and Spec.HostShare.
func decp(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

// committee returns the nine parties of the seeds' committee in the
// committee's own order, host first. The populations are made up.
func committee() []Party {
	ps := []Party{
		{ID: "region-jh", Name: "Region Jämtland Härjedalen", Host: true, Population: int64p(130000), Percent: decp("50.00")},
		{ID: "ostersund", Name: "Östersunds kommun", Population: int64p(64000), Percent: decp("23.97")},
		{ID: "are", Name: "Åre kommun", Population: int64p(11700), Percent: decp("4.16")},
		{ID: "krokom", Name: "Krokoms kommun", Population: int64p(15000), Percent: decp("5.81")},
		{ID: "berg", Name: "Bergs kommun", Population: int64p(7000), Percent: decp("2.77")},
		{ID: "bracke", Name: "Bräcke kommun", Population: int64p(6000), Percent: decp("2.54")},
		{ID: "ragunda", Name: "Ragunda kommun", Population: int64p(5200), Percent: decp("2.13")},
		{ID: "stromsund", Name: "Strömsunds kommun", Population: int64p(11500), Percent: decp("4.60")},
		{ID: "harjedalen", Name: "Härjedalens kommun", Population: int64p(10000), Percent: decp("4.02")},
	}
	for i := range ps {
		ps[i].Order = i
	}
	return ps
}

// pick returns the parties of ps with the given ids, in the order of ids.
func pick(ps []Party, ids ...string) []Party {
	var out []Party
	for _, id := range ids {
		for _, p := range ps {
			if p.ID == id {
				out = append(out, p)
			}
		}
	}
	return out
}

// wantShare is the expected outcome for one party.
type wantShare struct {
	amount  string // exact, e.g. "52010.12"
	quota   string // the display quota as JSON writes it
	exact   string // the exact quota as a big.Rat string, "" to skip
	weight  string
	residue bool
}

// repeat returns n copies of w.
func repeat(w wantShare, n int) []wantShare {
	out := make([]wantShare, n)
	for i := range out {
		out[i] = w
	}
	return out
}

func TestAllocate(t *testing.T) {
	t.Parallel()
	nine := committee()
	equal9 := func(total string, unit Unit) Spec {
		return Spec{Total: decimal.RequireFromString(total), Method: MethodEqual, Unit: unit, Parties: nine}
	}
	small := []Party{
		{ID: "a", Order: 0, Population: int64p(100)},
		{ID: "b", Order: 1, Population: int64p(200)},
		{ID: "c", Order: 2, Population: int64p(300)},
	}
	hosted := []Party{
		{ID: "region", Host: true, Order: 0},
		{ID: "b", Order: 1, Population: int64p(1)},
		{ID: "c", Order: 2, Population: int64p(1)},
		{ID: "d", Order: 3, Population: int64p(1)},
	}
	eleven := wantShare{amount: "52010.11", quota: "52010.1111111111", exact: "468091/9", weight: "1"}
	twelve := wantShare{amount: "52010.12", quota: "52010.1111111111", exact: "468091/9", weight: "1", residue: true}
	neg := func(w wantShare) wantShare {
		w.amount, w.quota, w.exact = "-"+w.amount, "-"+w.quota, "-"+w.exact
		return w
	}
	kr := func(w wantShare, amount string) wantShare {
		w.amount = amount
		return w
	}

	tests := []struct {
		name string
		spec Spec
		want []wantShare
	}{
		{
			name: "base funding 914400.00 in nine equal shares",
			spec: equal9("914400.00", ""),
			want: repeat(wantShare{amount: "101600.00", quota: "101600.00", exact: "101600", weight: "1"}, 9),
		},
		{
			name: "refund 468091.00 in nine, one öre to the host",
			spec: equal9("468091.00", UnitOre),
			want: append([]wantShare{twelve}, repeat(eleven, 8)...),
		},
		{
			name: "refund 468091 in nine whole kronor, one krona to the host",
			spec: equal9("468091", UnitKrona),
			want: append([]wantShare{kr(twelve, "52011.00")}, repeat(kr(eleven, "52010.00"), 8)...),
		},
		{
			name: "negative total mirrors the split",
			spec: equal9("-468091.00", UnitOre),
			want: append([]wantShare{neg(twelve)}, repeat(neg(eleven), 8)...),
		},
		{
			name: "host not listed first still wins the tie",
			spec: Spec{Total: decimal.RequireFromString("468091.00"), Method: MethodEqual,
				Parties: append(append([]Party{}, nine[1:]...), nine[0])},
			want: append(repeat(eleven, 8), twelve),
		},
		{
			name: "fixed percentage key of the project costs",
			spec: Spec{Total: decimal.RequireFromString("468091.00"), Method: MethodPercent, Parties: nine},
			want: []wantShare{
				{amount: "234045.50", quota: "234045.50", exact: "468091/2", weight: "50"},
				{amount: "112201.41", quota: "112201.4127", exact: "1122014127/10000", weight: "23.97"},
				{amount: "19472.58", quota: "19472.5856", exact: "12170366/625", weight: "4.16"},
				{amount: "27196.09", quota: "27196.0871", exact: "271960871/10000", weight: "5.81", residue: true},
				{amount: "12966.12", quota: "12966.1207", exact: "129661207/10000", weight: "2.77"},
				{amount: "11889.51", quota: "11889.5114", exact: "59447557/5000", weight: "2.54"},
				{amount: "9970.34", quota: "9970.3383", exact: "99703383/10000", weight: "2.13", residue: true},
				{amount: "21532.19", quota: "21532.186", exact: "10766093/500", weight: "4.6", residue: true},
				{amount: "18817.26", quota: "18817.2582", exact: "94086291/5000", weight: "4.02", residue: true},
			},
		},
		{
			name: "population, the largest remainder gets the öre",
			spec: Spec{Total: decimal.RequireFromString("1000.00"), Method: MethodPopulation, Parties: small},
			want: []wantShare{
				{amount: "166.67", quota: "166.6666666667", exact: "500/3", weight: "100", residue: true},
				{amount: "333.33", quota: "333.3333333333", exact: "1000/3", weight: "200"},
				{amount: "500.00", quota: "500.00", exact: "500", weight: "300"},
			},
		},
		{
			name: "population over a subset of three parties",
			spec: Spec{Total: decimal.RequireFromString("250000.00"), Method: MethodPopulation,
				Parties: pick(nine, "ostersund", "are", "krokom")},
			want: []wantShare{
				{amount: "176405.73", quota: "176405.7331863286", exact: "160000000/907", weight: "64000"},
				{amount: "32249.17", quota: "32249.1730981257", exact: "29250000/907", weight: "11700"},
				{amount: "41345.10", quota: "41345.0937155458", exact: "37500000/907", weight: "15000", residue: true},
			},
		},
		{
			name: "host share 50, equal populations, ties go in committee order",
			spec: Spec{Total: decimal.RequireFromString("1000.00"), Method: MethodPopulation,
				HostShare: decp("50"), Parties: hosted},
			want: []wantShare{
				{amount: "500.00", quota: "500.00", exact: "500", weight: "50"},
				{amount: "166.67", quota: "166.6666666667", exact: "500/3", weight: "1", residue: true},
				{amount: "166.67", quota: "166.6666666667", exact: "500/3", weight: "1", residue: true},
				{amount: "166.66", quota: "166.6666666667", exact: "500/3", weight: "1"},
			},
		},
		{
			name: "host share 50 over the whole committee",
			spec: Spec{Total: decimal.RequireFromString("468091.00"), Method: MethodPopulation,
				HostShare: decp("50"), Parties: nine},
			want: []wantShare{
				{amount: "234045.50", quota: "234045.50", exact: "468091/2", weight: "50"},
				{amount: "114868.96", quota: "114868.9570552147", exact: "18723640/163", weight: "64000", residue: true},
				{amount: "20999.48", quota: "20999.4812116564", exact: "54766647/2608", weight: "11700"},
				{amount: "26922.41", quota: "26922.411809816", exact: "35106825/1304", weight: "15000"},
				{amount: "12563.79", quota: "12563.7921779141", exact: "16383185/1304", weight: "7000"},
				{amount: "10768.97", quota: "10768.9647239264", exact: "7021365/652", weight: "6000", residue: true},
				{amount: "9333.10", quota: "9333.1027607362", exact: "6085183/652", weight: "5200"},
				{amount: "20640.52", quota: "20640.5157208589", exact: "53830465/2608", weight: "11500", residue: true},
				{amount: "17948.27", quota: "17948.2745398773", exact: "11702275/652", weight: "10000"},
			},
		},
		{
			name: "direct, all to one party",
			spec: Spec{Total: decimal.RequireFromString("12345.67"), Method: MethodDirect, Parties: pick(nine, "are")},
			want: []wantShare{{amount: "12345.67", quota: "12345.67", exact: "1234567/100", weight: "100"}},
		},
		{
			name: "zero total",
			spec: Spec{Total: decimal.Zero, Method: MethodEqual, Parties: small},
			want: repeat(wantShare{amount: "0.00", quota: "0.00", exact: "0", weight: "1"}, 3),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Allocate(tt.spec)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			if !res.Sum.Equal(tt.spec.Total) {
				t.Errorf("sum = %s, want %s", res.Sum, tt.spec.Total)
			}
			if len(res.Shares) != len(tt.want) {
				t.Fatalf("got %d shares, want %d", len(res.Shares), len(tt.want))
			}
			for i, s := range res.Shares {
				w := tt.want[i]
				if s.PartyID != tt.spec.Parties[i].ID {
					t.Errorf("share %d: party = %q, want %q", i, s.PartyID, tt.spec.Parties[i].ID)
				}
				if got := s.Amount.StringFixed(2); got != w.amount {
					t.Errorf("%s: amount = %s, want %s", s.PartyID, got, w.amount)
				}
				if got := formatQuota(s.Quota); got != w.quota {
					t.Errorf("%s: quota = %s, want %s", s.PartyID, got, w.quota)
				}
				if got := s.ExactQuota().RatString(); w.exact != "" && got != w.exact {
					t.Errorf("%s: exact quota = %s, want %s", s.PartyID, got, w.exact)
				}
				if got := s.Weight.String(); got != w.weight {
					t.Errorf("%s: weight = %s, want %s", s.PartyID, got, w.weight)
				}
				if s.Residue != w.residue {
					t.Errorf("%s: residue = %v, want %v", s.PartyID, s.Residue, w.residue)
				}
			}
		})
	}
}

func TestAllocateWeightSource(t *testing.T) {
	t.Parallel()
	ps := committee()
	for i := range ps {
		ps[i].PopulationDate = "2020-11-01"
		ps[i].PopulationSource = "SCB, folkmängd 1 november 2020"
	}
	tests := []struct {
		name string
		spec Spec
		want []WeightSource // for the first two parties (host, Östersund)
	}{
		{"equal", Spec{Method: MethodEqual}, []WeightSource{{Kind: WeightEqual}, {Kind: WeightEqual}}},
		{"percent", Spec{Method: MethodPercent}, []WeightSource{{Kind: WeightPercent}, {Kind: WeightPercent}}},
		{"population", Spec{Method: MethodPopulation}, []WeightSource{
			{Kind: WeightPopulation, ReferenceDate: "2020-11-01", Source: "SCB, folkmängd 1 november 2020"},
			{Kind: WeightPopulation, ReferenceDate: "2020-11-01", Source: "SCB, folkmängd 1 november 2020"},
		}},
		{"host share", Spec{Method: MethodPopulation, HostShare: decp("50")}, []WeightSource{
			{Kind: WeightHostShare},
			{Kind: WeightPopulation, ReferenceDate: "2020-11-01", Source: "SCB, folkmängd 1 november 2020"},
		}},
		{"direct", Spec{Method: MethodDirect, Parties: ps[:1]}, []WeightSource{{Kind: WeightDirect}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.Total = decimal.RequireFromString("1000.00")
			if tt.spec.Parties == nil {
				tt.spec.Parties = ps
			}
			res, err := Allocate(tt.spec)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			for i, want := range tt.want {
				if got := res.Shares[i].WeightSource; got != want {
					t.Errorf("%s: weight source = %+v, want %+v", res.Shares[i].PartyID, got, want)
				}
			}
		})
	}
}

func TestAllocateTieBreak(t *testing.T) {
	t.Parallel()
	// 0.02 in three equal shares leaves two öre for three equal remainders.
	tests := []struct {
		name    string
		parties []Party
		want    []string // the ids that get a residue öre
	}{
		{"host first", []Party{{ID: "a", Order: 0}, {ID: "b", Order: 1}, {ID: "c", Order: 2, Host: true}}, []string{"a", "c"}},
		{"committee order", []Party{{ID: "c", Order: 0}, {ID: "b", Order: 1}, {ID: "a", Order: 2}}, []string{"b", "c"}},
		{"id when orders tie", []Party{{ID: "c"}, {ID: "b"}, {ID: "a"}}, []string{"a", "b"}},
		{"order beats id", []Party{{ID: "a", Order: 9}, {ID: "b", Order: 2}, {ID: "c", Order: 1}}, []string{"b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Allocate(Spec{Total: decimal.RequireFromString("0.02"), Method: MethodEqual, Parties: tt.parties})
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			var got []string
			for _, s := range res.Shares {
				if s.Residue {
					got = append(got, s.PartyID)
				}
			}
			if strings.Join(sorted(got), ",") != strings.Join(tt.want, ",") {
				t.Errorf("residue to %v, want %v", got, tt.want)
			}
		})
	}
}

// sorted returns a sorted copy of ss.
func sorted(ss []string) []string {
	out := append([]string(nil), ss...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestTieBreakLargerQuotaFirst(t *testing.T) {
	t.Parallel()
	// Populations 1 and 5 sharing 0.03 give quotas of 0.5 and 2.5 öre: equal
	// remainders and one öre left over. The larger quota wins it although a is
	// the host and first in order.
	res, err := Allocate(Spec{Total: decimal.RequireFromString("0.03"), Method: MethodPopulation, Parties: []Party{
		{ID: "a", Host: true, Order: 0, Population: int64p(1)},
		{ID: "b", Order: 1, Population: int64p(5)},
	}})
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	if got, want := res.Shares[0].Amount.StringFixed(2), "0.00"; got != want {
		t.Errorf("a: amount = %s, want %s", got, want)
	}
	if got, want := res.Shares[1].Amount.StringFixed(2), "0.03"; got != want {
		t.Errorf("b: amount = %s, want %s", got, want)
	}
}

func TestExactQuotaIsACopy(t *testing.T) {
	t.Parallel()
	res, err := Allocate(Spec{Total: decimal.RequireFromString("1.00"), Method: MethodEqual, Parties: []Party{{ID: "a"}, {ID: "b"}, {ID: "c"}}})
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	q := res.Shares[0].ExactQuota()
	q.SetInt64(7)
	if got, want := res.Shares[0].ExactQuota().RatString(), "1/3"; got != want {
		t.Errorf("exact quota after modifying a copy = %s, want %s", got, want)
	}
	if got := (Share{}).ExactQuota(); got.Sign() != 0 {
		t.Errorf("zero share's exact quota = %s, want 0", got.RatString())
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	two := []Party{{ID: "a", Population: int64p(1), Percent: decp("50")}, {ID: "b", Population: int64p(1), Percent: decp("50")}}
	tests := []struct {
		name      string
		spec      Spec
		wantField string
		wantText  string // a part of the problem
	}{
		{"zero spec", Spec{}, "method", "missing"},
		{"unknown unit", Spec{Method: MethodEqual, Unit: "sek", Parties: two}, "unit", `"sek"`},
		{"unknown method", Spec{Method: "weighted", Parties: two}, "method", `"weighted"`},
		{"three decimals", Spec{Total: decimal.RequireFromString("100.005"), Method: MethodEqual, Parties: two}, "total", "more than two decimals"},
		{"half krona", Spec{Total: decimal.RequireFromString("468091.50"), Method: MethodEqual, Unit: UnitKrona, Parties: two}, "total", "468091.50 is not a whole number of kronor"},
		{"no parties", Spec{Method: MethodEqual}, "parties", "no participating parties"},
		{"blank id", Spec{Method: MethodEqual, Parties: []Party{{ID: "a"}, {ID: "  "}}}, "parties[1].id", "missing"},
		{"duplicate id", Spec{Method: MethodEqual, Parties: []Party{{ID: "a"}, {ID: "b"}, {ID: "a"}}}, "parties[2].id", `duplicate id "a" (same as parties[0])`},
		{"two hosts", Spec{Method: MethodEqual, Parties: []Party{{ID: "a", Host: true}, {ID: "b", Host: true}}}, "parties[1].host", "parties[0]"},
		{"nil percent", Spec{Method: MethodPercent, Parties: []Party{{ID: "a", Percent: decp("100")}, {ID: "b"}}}, "parties[1].percent", `missing for method percent (party "b")`},
		{"nil population", Spec{Method: MethodPopulation, Parties: []Party{{ID: "a", Population: int64p(1)}, {ID: "b"}}}, "parties[1].population", `missing for method population (party "b")`},
		{"host share without host", Spec{Method: MethodPopulation, HostShare: decp("50"), Parties: two}, "host_share", "none is flagged host"},
		{"direct with two", Spec{Method: MethodDirect, Parties: two}, "parties", "exactly one party, got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			checkFieldError(t, err, tt.wantField, tt.wantText)
			if _, aerr := Allocate(tt.spec); aerr == nil || aerr.Error() != err.Error() {
				t.Errorf("Allocate error = %v, want %v", aerr, err)
			}
		})
	}
}

// checkFieldError checks that err is a *FieldError for field whose problem
// contains text.
func checkFieldError(t *testing.T, err error, field, text string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v (%T), want a *FieldError", err, err)
	}
	if fe.Field != field {
		t.Errorf("field = %q, want %q (error %q)", fe.Field, field, err)
	}
	if !strings.Contains(fe.Problem, text) {
		t.Errorf("problem = %q, want it to contain %q", fe.Problem, text)
	}
	if got, want := fe.Error(), fe.Field+": "+fe.Problem; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// exactQuota computes the quota of share i the way the methods define it, in
// kronor, independently of the engine.
func exactQuota(spec Spec, i int) *big.Rat {
	total := spec.Total.Rat()
	n := int64(len(spec.Parties))
	p := spec.Parties[i]
	switch spec.Method {
	case MethodEqual:
		return new(big.Rat).Quo(total, big.NewRat(n, 1))
	case MethodDirect:
		return total
	case MethodPercent:
		// A renormalised key's percentages sum to less than 100; a key's to
		// exactly 100.
		sum := new(big.Rat)
		for _, q := range spec.Parties {
			sum.Add(sum, q.Percent.Rat())
		}
		if !spec.Renormalise && sum.Cmp(big.NewRat(100, 1)) != 0 {
			panic("a key that does not sum to 100")
		}
		return new(big.Rat).Mul(total, new(big.Rat).Quo(p.Percent.Rat(), sum))
	}
	hostPart := new(big.Rat)
	if spec.HostShare != nil {
		hostPart.Quo(spec.HostShare.Rat(), big.NewRat(100, 1))
		if p.Host {
			return hostPart.Mul(hostPart, total)
		}
	}
	pop := new(big.Int)
	for _, q := range spec.Parties {
		if spec.HostShare == nil || !q.Host {
			pop.Add(pop, big.NewInt(*q.Population))
		}
	}
	rest := new(big.Rat).Sub(big.NewRat(1, 1), hostPart)
	rest.Mul(rest, total)
	return rest.Mul(rest, new(big.Rat).SetFrac(big.NewInt(*p.Population), pop))
}

func TestExactQuotaMatchesDefinition(t *testing.T) {
	t.Parallel()
	specs := []Spec{
		{Total: decimal.RequireFromString("468091.00"), Method: MethodPercent, Parties: committee()},
		{Total: decimal.RequireFromString("-468091.00"), Method: MethodPopulation, HostShare: decp("37.5"), Parties: committee()},
		{Total: decimal.RequireFromString("468091"), Unit: UnitKrona, Method: MethodPopulation, Parties: committee()},
	}
	for _, spec := range specs {
		res, err := Allocate(spec)
		if err != nil {
			t.Fatalf("Allocate: %v", err)
		}
		for i, s := range res.Shares {
			if got, want := s.ExactQuota(), exactQuota(spec, i); got.Cmp(want) != 0 {
				t.Errorf("%s %s: exact quota = %s, want %s", spec.Method, s.PartyID, got.RatString(), want.RatString())
			}
		}
	}
}
