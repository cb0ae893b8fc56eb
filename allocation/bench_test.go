package allocation

import (
	"cmp"
	"fmt"
	"slices"
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

// BenchmarkAllocate measures Allocate for each method over the seeds' nine
// parties and the load benchmark's 311, with whole-öre totals and whole
// populations (the integer path), and the same splits on the big-integer
// path ("big/"). Besides the wall time it reports the process's CPU time per
// split (cpu-ns/op), which other processes on a shared machine do not
// inflate; run it with GOMAXPROCS=1 so that this is one split's cost.
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
				start := cpuTime()
				for b.Loop() {
					if _, err := Allocate(s.spec); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			})
			b.Run(fmt.Sprintf("big/parties=%d/%s", n, s.name), func(b *testing.B) {
				b.ReportAllocs()
				if err := s.spec.Validate(); err != nil {
					b.Fatal(err)
				}
				start := cpuTime()
				for b.Loop() {
					allocateBig(s.spec)
				}
				b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// BenchmarkInt64Split is the yardstick issue 23 measured the engine against:
// a bare largest-remainder split of a total in öre by 311 populations in
// int64, with no validation, no exact quotas and no decimals.
func BenchmarkInt64Split(b *testing.B) {
	parties := benchParties(311)
	pops := make([]int64, len(parties))
	for i, p := range parties {
		pops[i] = *p.Population
	}
	const total = int64(46809100)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		var den int64
		for _, p := range pops {
			den += p
		}
		amounts := make([]int64, len(pops))
		rems := make([]int64, len(pops))
		order := make([]int, len(pops))
		left := total
		for i, p := range pops {
			amounts[i], rems[i] = total*p/den, total*p%den
			left -= amounts[i]
			order[i] = i
		}
		slices.SortFunc(order, func(x, y int) int { return cmp.Compare(rems[y], rems[x]) })
		for _, i := range order[:left] {
			amounts[i]++
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
