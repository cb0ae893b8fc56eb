package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// fuzzSpec builds a valid spec from fuzz input. method picks equal,
// population, population with a host share, percent, direct, a key
// renormalised over its participants, or a mixed key; every two bytes of
// weights make one party; host picks the host (or none); hostShare is the
// host share in hundredths of a percent (under a mixed key, the first part's
// percentage).
func fuzzSpec(totalUnits int64, krona bool, method uint8, hostShare uint16, weights []byte, host uint8) Spec {
	spec := Spec{Unit: UnitOre, Total: decimal.New(totalUnits, -2)}
	if krona {
		spec.Unit, spec.Total = UnitKrona, decimal.New(totalUnits, 0)
	}
	n := min(max(len(weights)/2, 1), 30)
	if len(weights) < 2*n {
		weights = append(bytes.Clone(weights), 0, 0)
	}
	hostIdx := int(host) % (n + 1) // n means no host
	renormalised := false
	switch method % 7 {
	case 0:
		spec.Method = MethodEqual
	case 1:
		spec.Method = MethodPopulation
	case 2:
		spec.Method = MethodPopulation
		spec.HostShare = decp(decimal.New(int64(1+hostShare%9999), -2).String())
		if n == 1 {
			n = 2
			weights = append(bytes.Clone(weights), 1, 1)
		}
		if hostIdx == n {
			hostIdx = 0
		}
	case 3:
		spec.Method = MethodPercent
	case 4:
		spec.Method, n = MethodDirect, 1
	case 5:
		spec.Method, spec.Renormalise, renormalised = MethodPercent, true, true
	case 6:
		// A first part in equal shares, the rest by population (with the
		// host share when there is a host) or by the key renormalised.
		spec.Method, renormalised = MethodMixed, true
		first := decimal.New(int64(1+hostShare%9999), -2)
		rest := Part{Percent: hundred.Sub(first), Method: MethodPopulation}
		switch {
		case method&8 != 0:
			rest.Method, rest.Renormalise = MethodPercent, true
		case hostIdx < n && n > 1:
			rest.HostShare = decp(decimal.New(int64(1+(hostShare/7)%9999), -2).String())
		}
		spec.Parts = []Part{{Percent: first, Method: MethodEqual}, rest}
	}
	left := int64(10000) // hundredths of a percent not yet given out
	for i := range n {
		b0, b1 := weights[2*i], weights[2*i+1]
		p := Party{
			ID:         fmt.Sprintf("p%02d", i),
			Name:       fmt.Sprintf("Party %d", i),
			Host:       i == hostIdx,
			Order:      i / 2, // pairs share an order, so the id breaks their ties
			Population: int64p(1 + int64(b0) + 256*int64(b1%4)),
		}
		pct := 1 + int64(b0)
		if i == n-1 && !renormalised {
			pct = left
		}
		left -= pct
		p.Percent = decp(decimal.New(pct, -2).String())
		spec.Parties = append(spec.Parties, p)
	}
	return spec
}

// checkResult checks the invariants every split must hold.
func checkResult(t *testing.T, spec Spec, res Result) {
	t.Helper()
	if !res.Sum.Equal(spec.Total) {
		t.Fatalf("sum = %s, want total %s", res.Sum, spec.Total)
	}
	sum := decimal.Zero
	for _, s := range res.Shares {
		sum = sum.Add(s.Amount)
	}
	if !sum.Equal(spec.Total) {
		t.Fatalf("shares add up to %s, want total %s", sum, spec.Total)
	}
	unitsPerKrona := big.NewRat(100, 1)
	if res.Unit == UnitKrona {
		unitsPerKrona = big.NewRat(1, 1)
	}
	abs := make([]*big.Int, len(res.Shares)) // |amount| in units
	for i, s := range res.Shares {
		if s.PartyID != spec.Parties[i].ID {
			t.Fatalf("share %d is for %q, want %q", i, s.PartyID, spec.Parties[i].ID)
		}
		q := s.ExactQuota()
		if want := exactQuota(spec, i); q.Cmp(want) != 0 {
			t.Fatalf("%s: exact quota = %s, want %s", s.PartyID, q.RatString(), want.RatString())
		}
		amount := new(big.Rat).Mul(s.Amount.Rat(), unitsPerKrona)
		if !amount.IsInt() {
			t.Fatalf("%s: amount %s is not a whole number of the unit", s.PartyID, s.Amount)
		}
		abs[i] = new(big.Int).Abs(amount.Num())
		qu := new(big.Rat).Mul(q, unitsPerKrona)
		qu.Abs(qu)
		floor := new(big.Int).Quo(qu.Num(), qu.Denom())
		switch {
		case abs[i].Cmp(floor) == 0:
			if s.Residue {
				t.Errorf("%s: residue set but |amount| %s is the quota %s rounded down", s.PartyID, s.Amount, q.FloatString(12))
			}
		case abs[i].Cmp(new(big.Int).Add(floor, big.NewInt(1))) == 0 && !qu.IsInt():
			if !s.Residue {
				t.Errorf("%s: |amount| %s is the quota %s rounded up but residue is not set", s.PartyID, s.Amount, q.FloatString(12))
			}
		default:
			t.Fatalf("%s: amount %s is not the quota %s rounded down or up", s.PartyID, s.Amount, q.FloatString(12))
		}
		if s.Amount.Sign()*spec.Total.Sign() < 0 {
			t.Fatalf("%s: amount %s has the wrong sign for total %s", s.PartyID, s.Amount, spec.Total)
		}
	}
	// Equal weights differ by at most one unit; a larger weight never gets
	// less. Weights are compared within one kind (the host's host share is not
	// comparable with the others' populations).
	for i, a := range res.Shares {
		for j, b := range res.Shares {
			if a.WeightSource.Kind != b.WeightSource.Kind {
				continue
			}
			diff := new(big.Int).Sub(abs[i], abs[j])
			switch c := a.Weight.Cmp(b.Weight); {
			case c == 0 && diff.CmpAbs(big.NewInt(1)) > 0:
				t.Errorf("%s and %s have the same weight %s but amounts %s and %s", a.PartyID, b.PartyID, a.Weight, a.Amount, b.Amount)
			case c > 0 && diff.Sign() < 0:
				t.Errorf("%s weighs %s > %s of %s but gets %s, less than %s", a.PartyID, a.Weight, b.Weight, b.PartyID, a.Amount, b.Amount)
			}
		}
	}
}

// FuzzAllocate checks that every split sums to its total, rounds each quota
// down or up, treats equal weights alike, never gives a larger weight less,
// and does not depend on the order of the parties.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(46809100), false, uint8(0), uint16(0), []byte("abcdefghijklmnopqr"), uint8(0), uint64(1))
	f.Add(int64(-46809100), false, uint8(0), uint16(0), []byte("abcdefghijklmnopqr"), uint8(0), uint64(2))
	f.Add(int64(468091), true, uint8(0), uint16(0), []byte("abcdefghijklmnopqr"), uint8(3), uint64(3))
	f.Add(int64(100000), false, uint8(1), uint16(0), []byte{99, 0, 199, 0, 255, 0}, uint8(9), uint64(4))
	f.Add(int64(46809100), false, uint8(2), uint16(4999), []byte{1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8}, uint8(0), uint64(5))
	f.Add(int64(46809100), false, uint8(3), uint16(0), []byte{49, 0, 22, 0, 3, 0, 4, 0, 1, 0, 1, 0, 1, 0, 3, 0, 3, 0}, uint8(0), uint64(6))
	f.Add(int64(1234567), false, uint8(4), uint16(0), []byte{}, uint8(0), uint64(7))
	f.Add(int64(2), false, uint8(0), uint16(0), []byte{0, 0, 0, 0, 0, 0}, uint8(5), uint64(8))
	f.Fuzz(func(t *testing.T, totalUnits int64, krona bool, method uint8, hostShare uint16, weights []byte, host uint8, perm uint64) {
		spec := fuzzSpec(totalUnits, krona, method, hostShare, weights, host)
		res, err := Allocate(spec)
		if err != nil {
			t.Fatalf("Allocate(%+v): %v", spec, err)
		}
		check := checkResult
		if spec.Method == MethodMixed {
			check = checkMixed
		}
		check(t, spec, res)

		// The same parties in another order get the same shares.
		shuffled := spec
		shuffled.Parties = append([]Party(nil), spec.Parties...)
		rng := rand.New(rand.NewPCG(perm, perm>>32))
		rng.Shuffle(len(shuffled.Parties), func(i, j int) {
			shuffled.Parties[i], shuffled.Parties[j] = shuffled.Parties[j], shuffled.Parties[i]
		})
		res2, err := Allocate(shuffled)
		if err != nil {
			t.Fatalf("Allocate shuffled: %v", err)
		}
		check(t, shuffled, res2)
		byID := make(map[string]Share, len(res.Shares))
		for _, s := range res.Shares {
			byID[s.PartyID] = s
		}
		for _, s := range res2.Shares {
			w := byID[s.PartyID]
			if !s.Amount.Equal(w.Amount) || s.Residue != w.Residue || !s.Quota.Equal(w.Quota) {
				t.Errorf("%s: shuffled gets %s (residue %v), in order %s (residue %v)", s.PartyID, s.Amount, s.Residue, w.Amount, w.Residue)
			}
		}
	})
}

// FuzzParseSpec checks that ParseSpec never panics, reports every rejection as
// a *FieldError, and that every accepted spec allocates with sum == total.
func FuzzParseSpec(f *testing.F) {
	seeds := []string{
		`{"total":"468091.00","method":"equal","parties":[{"id":"a","host":true},{"id":"b"},{"id":"c"}]}`,
		`{"total":"-468091","method":"equal","unit":"krona","parties":[{"id":"a"},{"id":"b"}]}`,
		`{"total":"1000.00","method":"population","parties":[{"id":"a","population":100},{"id":"b","population":200,"population_date":"2020-11-01","population_source":"SCB"}]}`,
		`{"total":"1000.00","method":"population","host_share":"50","parties":[{"id":"r","host":true},{"id":"b","population":1},{"id":"c","population":1}]}`,
		`{"total":"468091.00","method":"percent","parties":[{"id":"a","percent":"50.00"},{"id":"b","percent":"23.97"},{"id":"c","percent":"26.03"}]}`,
		`{"total":"12345.67","method":"direct","parties":[{"id":"are","name":"Åre kommun"}]}`,
		`{"total":"300000.00","method":"percent","renormalise":true,"parties":[{"id":"bracke","percent":"2.54"},{"id":"krokom","percent":"5.81"},{"id":"stromsund","percent":"4.60"}]}`,
		`{"total":"1000.01","method":"mixed","parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"population","host_share":"50"}],"parties":[{"id":"r","host":true},{"id":"b","population":2},{"id":"c","population":1}]}`,
		`{"total":"-7.00","method":"mixed","unit":"krona","parts":[{"percent":"33.3","method":"percent","renormalise":true},{"percent":"66.7","method":"equal"}],"parties":[{"id":"a","percent":"3"},{"id":"b","percent":"4"}]}`,
		`{"total":"1.00","method":"mixed","parts":[{"percent":"50","method":"direct"},{"percent":"50"}],"parties":[{"id":"a"}]}`,
		`{"total":"100.005","method":"equal","parties":[{"id":"a"}]}`,
		`{"total":"1e5","method":"equal","parties":[{"id":"a"}]}`,
		`{"total":"1.00","method":"equal","parties":[{"id":"a"},{"id":"a"}]}`,
		`{"total":"1.00","method":"percent","parties":[{"id":"a","percent":"99.99"}]}`,
		`{"total": `,
		`[]`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := ParseSpec(bytes.NewReader(data))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseSpec error %v is %T, want a *FieldError", err, err)
			}
			if fe.Field == "" || fe.Problem == "" || fe.Code == "" {
				t.Fatalf("FieldError %+v lacks a field, a problem or a code", fe)
			}
			return
		}
		res, err := Allocate(spec)
		if err != nil {
			t.Fatalf("accepted spec does not allocate: %v", err)
		}
		if !res.Sum.Equal(spec.Total) {
			t.Fatalf("sum = %s, want total %s", res.Sum, spec.Total)
		}
		sum := decimal.Zero
		for _, s := range res.Shares {
			sum = sum.Add(s.Amount)
		}
		if !sum.Equal(spec.Total) {
			t.Fatalf("shares add up to %s, want total %s", sum, spec.Total)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
	})
}
