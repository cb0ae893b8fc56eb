package allocation

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

// benchParties returns n parties with varied populations and a percentage key
// that sums to exactly 100; the first party is the host.
func benchParties(n int) []Party {
	ps := make([]Party, n)
	left := decimal.NewFromInt(100)
	for i := range ps {
		pct := decimal.New(int64(i%7+1), -2) // 0.01 .. 0.07
		if i == n-1 {
			pct = left
		}
		left = left.Sub(pct)
		ps[i] = Party{
			ID:         fmt.Sprintf("party-%03d", i),
			Name:       fmt.Sprintf("Party %d", i),
			Host:       i == 0,
			Order:      i,
			Population: int64p(int64(2500 + (i*7919)%60000)),
			Percent:    &pct,
		}
	}
	return ps
}

func BenchmarkAllocate(b *testing.B) {
	total := decimal.RequireFromString("468091.00")
	for _, n := range []int{9, 311} {
		parties := benchParties(n)
		specs := []struct {
			name string
			spec Spec
		}{
			{"equal", Spec{Total: total, Method: MethodEqual, Parties: parties}},
			{"population", Spec{Total: total, Method: MethodPopulation, Parties: parties}},
			{"host_share", Spec{Total: total, Method: MethodPopulation, HostShare: decp("50"), Parties: parties}},
			{"percent", Spec{Total: total, Method: MethodPercent, Parties: parties}},
			// A direct split always has exactly one party, whatever the set.
			{"direct", Spec{Total: total, Method: MethodDirect, Parties: parties[1:2]}},
		}
		for _, s := range specs {
			b.Run(fmt.Sprintf("parties=%d/%s", n, s.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Allocate(s.spec); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
