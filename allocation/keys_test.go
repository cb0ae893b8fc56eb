package allocation

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// directive returns the 2015 project directive's key over the committee's
// nine parties (shared/DOMAIN.md §6.1).
func directive() []Party { return committee() }

func TestAllocateKeySubset(t *testing.T) {
	t.Parallel()
	// The directive's key over Digital transformation's three first
	// participants: Bräcke 2,54, Krokom 5,81, Strömsund 4,60 of 12,95.
	spec := Spec{Total: decimal.RequireFromString("300000.00"), Method: MethodPercent, Renormalise: true,
		Parties: pick(directive(), "bracke", "krokom", "stromsund")}
	res, err := Allocate(spec)
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	checkResult(t, spec, res)
	if !res.Renormalise || res.KeySum == nil || res.KeySum.String() != "12.95" {
		t.Fatalf("renormalise, key sum = %v, %v; want true, 12.95", res.Renormalise, res.KeySum)
	}
	want := []struct {
		amount, quota, keyShare, fraction, weight string
		residue                                   bool
	}{
		{"58841.70", "58841.6988416988", "19.6138996139", "254/1295", "2.54", true},
		{"134594.59", "134594.5945945946", "44.8648648649", "83/185", "5.81", false},
		{"106563.71", "106563.7065637066", "35.5212355212", "92/259", "4.6", true},
	}
	fractions := new(big.Rat)
	for i, s := range res.Shares {
		w := want[i]
		if got := s.Amount.StringFixed(2); got != w.amount {
			t.Errorf("%s: amount = %s, want %s", s.PartyID, got, w.amount)
		}
		if got := formatQuota(s.Quota); got != w.quota {
			t.Errorf("%s: quota = %s, want %s", s.PartyID, got, w.quota)
		}
		if got := formatQuota(s.KeyShare); got != w.keyShare {
			t.Errorf("%s: key share = %s, want %s", s.PartyID, got, w.keyShare)
		}
		if got := s.KeyFraction().RatString(); got != w.fraction {
			t.Errorf("%s: key fraction = %s, want %s", s.PartyID, got, w.fraction)
		}
		if got := s.Weight.String(); got != w.weight || s.WeightSource.Kind != WeightPercent {
			t.Errorf("%s: weight = %s %s, want %s percent", s.PartyID, got, s.WeightSource.Kind, w.weight)
		}
		if s.Residue != w.residue {
			t.Errorf("%s: residue = %v, want %v", s.PartyID, s.Residue, w.residue)
		}
		// The renormalised share is the key percentage over the key sum.
		want := new(big.Rat).Quo(s.Weight.Rat(), res.KeySum.Rat())
		if s.KeyFraction().Cmp(want) != 0 {
			t.Errorf("%s: key fraction %s, want %s / %s", s.PartyID, s.KeyFraction().RatString(), s.Weight, res.KeySum)
		}
		fractions.Add(fractions, s.KeyFraction())
	}
	if fractions.Cmp(big.NewRat(1, 1)) != 0 {
		t.Errorf("key fractions sum to %s, want 1", fractions.RatString())
	}
	f := s0(res).KeyFraction()
	f.SetInt64(9)
	if s0(res).KeyFraction().RatString() != "254/1295" {
		t.Error("KeyFraction returned the share's own value, not a copy")
	}

	// A key that sums to 100 is not marked renormalised, and its shares have
	// no key fraction.
	full, err := Allocate(Spec{Total: decimal.RequireFromString("300000.00"), Method: MethodPercent, Parties: directive()})
	if err != nil {
		t.Fatalf("Allocate full key: %v", err)
	}
	if full.Renormalise || full.KeySum != nil || s0(full).KeyFraction() != nil || !s0(full).KeyShare.IsZero() {
		t.Errorf("full key: renormalise %v, key sum %v, fraction %v", full.Renormalise, full.KeySum, s0(full).KeyFraction())
	}
	// The whole key renormalised over all its parties is the key itself.
	whole := Spec{Total: decimal.RequireFromString("300000.00"), Method: MethodPercent, Renormalise: true, Parties: directive()}
	same, err := Allocate(whole)
	if err != nil {
		t.Fatalf("Allocate whole key renormalised: %v", err)
	}
	for i := range same.Shares {
		if !same.Shares[i].Amount.Equal(full.Shares[i].Amount) {
			t.Errorf("%s: renormalised over the whole key %s, key itself %s", same.Shares[i].PartyID, same.Shares[i].Amount, full.Shares[i].Amount)
		}
	}
}

// s0 returns the first share of a result.
func s0(r Result) Share { return r.Shares[0] }

func TestAllocateMixed(t *testing.T) {
	t.Parallel()
	small := []Party{
		{ID: "a", Order: 0, Population: int64p(100)},
		{ID: "b", Order: 1, Population: int64p(200)},
		{ID: "c", Order: 2, Population: int64p(300)},
	}
	// 1 000,01 kr: 50 % is 500,005 kr, so the earlier part (equal) gets the
	// odd öre: 500,01 in three equal shares of 166,67; 500,00 by population
	// in 83,33 + 166,67 (the largest remainder) + 250,00.
	spec := Spec{Total: decimal.RequireFromString("1000.01"), Method: MethodMixed, Parties: small,
		Parts: []Part{{Percent: decimal.NewFromInt(50), Method: MethodEqual}, {Percent: decimal.NewFromInt(50), Method: MethodPopulation}}}
	res, err := Allocate(spec)
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	checkMixed(t, spec, res)
	parts := []struct {
		total, quota string
		residue      bool
		amounts      []string
	}{
		{"500.01", "500.005", true, []string{"166.67", "166.67", "166.67"}},
		{"500.00", "500.005", false, []string{"83.33", "166.67", "250.00"}},
	}
	for k, w := range parts {
		p := res.Parts[k]
		if p.Total.StringFixed(2) != w.total || formatQuota(p.Quota) != w.quota || p.Residue != w.residue {
			t.Errorf("part %d: total %s, quota %s, residue %v; want %s, %s, %v", k, p.Total.StringFixed(2), formatQuota(p.Quota), p.Residue, w.total, w.quota, w.residue)
		}
		for i, s := range p.Shares {
			if s.Amount.StringFixed(2) != w.amounts[i] {
				t.Errorf("part %d, %s: amount %s, want %s", k, s.PartyID, s.Amount.StringFixed(2), w.amounts[i])
			}
		}
	}
	want := []struct{ amount, quota, weight string }{
		{"250.00", "250.0033333333", "25"},
		{"333.34", "333.3366666667", "33.3333333333"},
		{"416.67", "416.67", "41.6666666667"},
	}
	for i, s := range res.Shares {
		w := want[i]
		if s.Amount.StringFixed(2) != w.amount || formatQuota(s.Quota) != w.quota || s.Weight.String() != w.weight || s.WeightSource.Kind != WeightMixed {
			t.Errorf("%s: amount %s, quota %s, weight %s %s; want %s, %s, %s mixed", s.PartyID, s.Amount.StringFixed(2), formatQuota(s.Quota), s.Weight, s.WeightSource.Kind, w.amount, w.quota, w.weight)
		}
	}

	// A refund by a mixed key mirrors the split.
	neg := spec
	neg.Total = spec.Total.Neg()
	nres, err := Allocate(neg)
	if err != nil {
		t.Fatalf("Allocate negative: %v", err)
	}
	checkMixed(t, neg, nres)
	for i := range nres.Shares {
		if !nres.Shares[i].Amount.Equal(res.Shares[i].Amount.Neg()) {
			t.Errorf("%s: refund %s, want %s", nres.Shares[i].PartyID, nres.Shares[i].Amount, res.Shares[i].Amount.Neg())
		}
	}
}

func TestAllocateMixedWithHostShareAndSubset(t *testing.T) {
	t.Parallel()
	// 30 % of 468 091 kr in equal shares over the committee, 70 % with
	// the host paying 50 % and the rest by population, in whole kronor.
	spec := Spec{Total: decimal.RequireFromString("468091"), Unit: UnitKrona, Method: MethodMixed, Parties: committee(),
		Parts: []Part{
			{Percent: decimal.RequireFromString("30"), Method: MethodEqual},
			{Percent: decimal.RequireFromString("70"), Method: MethodPopulation, HostShare: decp("50")},
		}}
	res, err := Allocate(spec)
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	checkMixed(t, spec, res)
	if res.Parts[1].HostShare == nil || res.Parts[1].HostShare.String() != "50" {
		t.Errorf("part 1 host share = %v, want 50", res.Parts[1].HostShare)
	}
	// A key renormalised over some parties as one part.
	three := pick(directive(), "bracke", "krokom", "stromsund")
	for i := range three {
		three[i].Order = i
	}
	sub := Spec{Total: decimal.RequireFromString("1000.00"), Method: MethodMixed, Parties: three,
		Parts: []Part{
			{Percent: decimal.RequireFromString("33.33"), Method: MethodPercent, Renormalise: true},
			{Percent: decimal.RequireFromString("66.67"), Method: MethodEqual},
		}}
	sres, err := Allocate(sub)
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	checkMixed(t, sub, sres)
	if k := sres.Parts[0].KeySum; k == nil || k.String() != "12.95" {
		t.Errorf("part 0 key sum = %v, want 12.95", k)
	}
	if sres.Parts[0].Shares[0].KeyFraction().RatString() != "254/1295" {
		t.Errorf("part 0 Bräcke fraction = %v", sres.Parts[0].Shares[0].KeyFraction())
	}
}

// checkMixed checks the invariants of a mixed split: the parts' totals are
// their exact quotas rounded down or up and sum to the total, each part is a
// valid split of its own total, and every party pays the sum of its parts.
func checkMixed(t *testing.T, spec Spec, res Result) {
	t.Helper()
	if len(res.Parts) != len(spec.Parts) {
		t.Fatalf("got %d parts, want %d", len(res.Parts), len(spec.Parts))
	}
	unitsPerKrona := big.NewRat(100, 1)
	if res.Unit == UnitKrona {
		unitsPerKrona = big.NewRat(1, 1)
	}
	sum := decimal.Zero
	bySum := make([]decimal.Decimal, len(spec.Parties))
	for k, p := range res.Parts {
		sub := spec.partSpec(spec.Parts[k])
		sub.Total = p.Total
		checkResult(t, sub, Result{Unit: res.Unit, Total: p.Total, Shares: p.Shares, Sum: p.Sum})
		exact := new(big.Rat).Mul(spec.Total.Rat(), new(big.Rat).Quo(spec.Parts[k].Percent.Rat(), big.NewRat(100, 1)))
		exact.Mul(exact, unitsPerKrona)
		got := new(big.Rat).Mul(p.Total.Rat(), unitsPerKrona)
		diff := new(big.Rat).Sub(got, exact)
		if diff.Cmp(big.NewRat(-1, 1)) <= 0 || diff.Cmp(big.NewRat(1, 1)) >= 0 || !got.IsInt() {
			t.Errorf("part %d: total %s is not its exact quota %s rounded to the unit", k, p.Total, exact.FloatString(4))
		}
		sum = sum.Add(p.Total)
		for i, s := range p.Shares {
			bySum[i] = bySum[i].Add(s.Amount)
		}
	}
	if !sum.Equal(spec.Total) {
		t.Errorf("parts' totals sum to %s, want %s", sum, spec.Total)
	}
	shares := decimal.Zero
	for i, s := range res.Shares {
		if s.PartyID != spec.Parties[i].ID {
			t.Fatalf("share %d is for %q, want %q", i, s.PartyID, spec.Parties[i].ID)
		}
		if !s.Amount.Equal(bySum[i]) {
			t.Errorf("%s: amount %s, want the sum of its parts %s", s.PartyID, s.Amount, bySum[i])
		}
		shares = shares.Add(s.Amount)
	}
	if !shares.Equal(spec.Total) || !res.Sum.Equal(spec.Total) {
		t.Errorf("shares sum to %s (Sum %s), want %s", shares, res.Sum, spec.Total)
	}
}

func TestParseSpecKeys(t *testing.T) {
	t.Parallel()
	in := `{"total":"1000.00","method":"mixed","parts":[
	  {"percent":"50","method":"equal"},
	  {"percent":"30","method":"population","host_share":"40"},
	  {"percent":"20","method":"percent","renormalise":true}],
	  "parties":[{"id":"r","host":true,"percent":"50"},{"id":"b","population":7,"percent":"2.54"}]}`
	spec, err := ParseSpec(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseSpec: %v", err)
	}
	if len(spec.Parts) != 3 || spec.Parts[1].HostShare == nil || spec.Parts[1].HostShare.String() != "40" ||
		!spec.Parts[2].Renormalise || spec.Parts[2].Method != MethodPercent || spec.Parts[0].Percent.String() != "50" {
		t.Errorf("parts = %+v", spec.Parts)
	}
	sub, err := ParseSpec(strings.NewReader(`{"total":"1.00","method":"percent","renormalise":true,"parties":[{"id":"a","percent":"2.54"}]}`))
	if err != nil || !sub.Renormalise {
		t.Errorf("renormalised key: %+v, %v", sub, err)
	}
}

func TestParseSpecKeyErrors(t *testing.T) {
	t.Parallel()
	const mixed = `"total":"100.00","method":"mixed"`
	eqPop := `"parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"population"}]`
	a, b := `{"id":"a","population":1,"percent":"60"}`, `{"id":"b","population":1,"percent":"40"}`
	tests := []struct {
		name, in, field, text string
		code                  Code
		part                  int
	}{
		{"renormalise not a boolean", specJSON(`"total":"1.00","method":"percent","renormalise":"yes"`, a), "renormalise", "must be true or false", CodeWrongType, -1},
		{"subset over 100", specJSON(`"total":"1.00","method":"percent","renormalise":true`, `{"id":"a","percent":"60"}`, `{"id":"b","percent":"40.01"}`), "parties", "sum to 100.01, more than the whole key's 100", CodeKeySubsetSum, -1},
		{"subset percent missing", specJSON(`"total":"1.00","method":"percent","renormalise":true`, `{"id":"a","percent":"6"}`, `{"id":"b"}`), "parties[1].percent", "missing", CodePercentMissing, -1},
		{"subset percent zero", specJSON(`"total":"1.00","method":"percent","renormalise":true`, `{"id":"a","percent":"0"}`), "parties[0].percent", "greater than zero", CodePercentNotPositive, -1},
		{"mixed without parts", specJSON(mixed, a, b), "parts", "at least two parts, got 0", CodePartsTooFew, -1},
		{"mixed with one part", specJSON(mixed+`,"parts":[{"percent":"100","method":"equal"}]`, a, b), "parts", "got 1", CodePartsTooFew, -1},
		{"parts not an array", specJSON(mixed+`,"parts":{"percent":"50"}`, a, b), "parts", "must be a JSON array", CodeWrongType, -1},
		{"part not an object", specJSON(mixed+`,"parts":[{"percent":"50","method":"equal"},"x"]`, a, b), "parts[1]", "must be a JSON object", CodeMalformed, -1},
		{"part unknown field", specJSON(mixed+`,"parts":[{"percent":"50","method":"equal","colour":1},{"percent":"50","method":"equal"}]`, a, b), "parts[0].colour", "unknown field", CodeUnknownField, -1},
		{"part repeated field", specJSON(mixed+`,"parts":[{"percent":"50","percent":"50"}]`, a, b), "parts[0].percent", "appears more than once", CodeRepeatedField, -1},
		{"part percent missing", specJSON(mixed+`,"parts":[{"method":"equal"},{"percent":"50","method":"equal"}]`, a, b), "parts[0].percent", "missing", CodeMissing, 0},
		{"part percent a number", specJSON(mixed+`,"parts":[{"percent":50,"method":"equal"},{"percent":"50","method":"equal"}]`, a, b), "parts[0].percent", "must be a JSON string", CodeWrongType, -1},
		{"part percent zero", specJSON(mixed+`,"parts":[{"percent":"0","method":"equal"},{"percent":"100","method":"equal"}]`, a, b), "parts[0].percent", "greater than zero, got 0", CodePartPercentNotPositive, 0},
		{"part method missing", specJSON(mixed+`,"parts":[{"percent":"50"},{"percent":"50","method":"equal"}]`, a, b), "parts[0].method", "missing", CodeMissing, 0},
		{"part method direct", specJSON(mixed+`,"parts":[{"percent":"50","method":"direct"},{"percent":"50","method":"equal"}]`, a, b), "parts[0].method", `"direct" cannot be a part`, CodePartMethod, 0},
		{"part method mixed", specJSON(mixed+`,"parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"mixed"}]`, a, b), "parts[1].method", `"mixed" cannot be a part`, CodePartMethod, 1},
		{"parts sum to 99", specJSON(mixed+`,"parts":[{"percent":"49","method":"equal"},{"percent":"50","method":"equal"}]`, a, b), "parts", "sum to 99, want exactly 100", CodePartSum, -1},
		{"part population missing", specJSON(mixed+","+eqPop, a, `{"id":"b"}`), "parties[1].population", `missing for method population (party "b") (in parts[1])`, CodePopulationMissing, 1},
		{"part host share out of range", specJSON(mixed+`,"parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"population","host_share":"100"}]`, `{"id":"a","host":true}`, b), "parts[1].host_share", "less than 100, got 100 (in parts[1])", CodeHostShareRange, 1},
		{"part key sum", specJSON(mixed+`,"parts":[{"percent":"50","method":"percent"},{"percent":"50","method":"equal"}]`, a, `{"id":"b","percent":"30"}`), "parts[0].parties", "sum to 90, want exactly 100 (in parts[0])", CodePercentSum, 0},
		{"part subset over 100", specJSON(mixed+`,"parts":[{"percent":"50","method":"percent","renormalise":true},{"percent":"50","method":"equal"}]`, a, `{"id":"b","percent":"41"}`), "parts[0].parties", "more than the whole key's 100", CodeKeySubsetSum, 0},
		{"part renormalise not a boolean", specJSON(mixed+`,"parts":[{"percent":"50","method":"percent","renormalise":1}]`, a, b), "parts[0].renormalise", "must be true or false", CodeWrongType, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ParseSpec(%s) = %+v, want an error", tt.in, spec)
			}
			checkFieldError(t, err, tt.field, tt.text)
			var fe *FieldError
			if errors.As(err, &fe) && (fe.Code != tt.code || fe.Part != tt.part) {
				t.Errorf("code, part = %q, %d; want %q, %d", fe.Code, fe.Part, tt.code, tt.part)
			}
		})
	}
}

func TestCheckKeySubset(t *testing.T) {
	t.Parallel()
	if err := CheckKeySubset(pick(directive(), "bracke", "krokom")); err != nil {
		t.Errorf("a subset of the directive's key: %v", err)
	}
	if err := CheckKeySubset(directive()); err != nil {
		t.Errorf("the whole key: %v", err)
	}
	over := append(directive(), Party{ID: "x", Percent: decp("0.01")})
	var fe *FieldError
	if err := CheckKeySubset(over); !errors.As(err, &fe) || fe.Code != CodeKeySubsetSum || fe.Value.String() != "100.01" || fe.Party != -1 {
		t.Errorf("a key over 100: %v", err)
	}
}
