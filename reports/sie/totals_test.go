package sie_test

import (
	"testing"
	"time"

	"github.com/region-jh/gns/reports/sie"
	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// januaryToAugust sums totals per row of the seed's table for January–August
// of year, whole accounts only, in the report's signs (the negated SIE signs).
func januaryToAugust(totals map[sie.TotalKey]decimal.Decimal, year int) map[string]decimal.Decimal {
	rows := map[string]decimal.Decimal{}
	for k, d := range totals {
		if !k.Object.IsZero() || k.Period.Year != year || k.Period.Month > time.August {
			continue
		}
		if row := rowOf(k.Account); row != "" {
			rows[row] = rows[row].Sub(d)
		}
	}
	return rows
}

// TestAugust2020Figures reads the test file for the committee's August 2020
// and checks that it reproduces the seed's table (DOMAIN.md §7): every cell in
// exact kronor, and in tkr as printed, sums and differences included.
func TestAugust2020Figures(t *testing.T) {
	t.Parallel()
	f := mustParseFile(t, august2020Path)
	if f.Company.OrgNumber != "232100-0214" || f.Through.String() != "2020-08-31" || f.Encoding != sie.CP437 {
		t.Errorf("company %+v, through %s, encoding %s", f.Company, f.Through, f.Encoding)
	}
	actual, budget, before := januaryToAugust(f.PeriodTotals(), 2020), januaryToAugust(f.BudgetTotals(), 2020), januaryToAugust(f.PeriodTotals(), 2019)

	tkr := func(what string, got decimal.Decimal, printed int64) {
		t.Helper()
		if sv.Tkr(got) != sv.Integer(printed) {
			t.Errorf("%s = %s kr = %s tkr, the seed prints %s", what, got, sv.Tkr(got), sv.Integer(printed))
		}
	}
	var sums [3]decimal.Decimal // revenue: the first row
	var costs [3]decimal.Decimal
	for i, r := range august2020Rows {
		got := [3]decimal.Decimal{actual[r.name], budget[r.name], before[r.name]}
		for j, want := range [3]int64{r.actual, r.budget, r.before} {
			if !got[j].Equal(decimal.NewFromInt(want)) {
				t.Errorf("%s column %d = %s kr, want %d", r.name, j, got[j], want)
			}
			tkr(r.name, got[j], r.tkr[j])
			if i == 0 {
				sums[j] = got[j]
			} else {
				costs[j] = costs[j].Add(got[j])
			}
		}
	}
	net := [3]decimal.Decimal{sums[0].Add(costs[0]), sums[1].Add(costs[1]), sums[2].Add(costs[2])}
	for j, printed := range [3]int64{2151, 1610, 2204} {
		tkr("Summa intäkter", sums[j], printed)
	}
	for j, printed := range [3]int64{-2170, -1662, -2697} {
		tkr("Summa bruttokostnader", costs[j], printed)
	}
	for j, printed := range [3]int64{-19, -52, -493} {
		tkr("Summa verksamhetens nettokostnader", net[j], printed)
	}
	// Avvikelse = utfall − budget; Förändring mot fg år = utfall − fg år.
	deviation := []int64{541, 0, 0, -459, -49, 0}
	change := []int64{-54, 481, 4, -88, -70, 200}
	for i, r := range august2020Rows {
		tkr(r.name+" avvikelse", actual[r.name].Sub(budget[r.name]), deviation[i])
		tkr(r.name+" förändring", actual[r.name].Sub(before[r.name]), change[i])
	}
	for _, c := range []struct {
		what              string
		sum               [3]decimal.Decimal
		deviation, change int64
	}{
		{"Summa intäkter", sums, 541, -54},
		{"Summa bruttokostnader", costs, -508, 527},
		{"Summa verksamhetens nettokostnader", net, 32, 474},
	} {
		tkr(c.what+" avvikelse", c.sum[0].Sub(c.sum[1]), c.deviation)
		tkr(c.what+" förändring", c.sum[0].Sub(c.sum[2]), c.change)
	}

	// Cost object 6663: server operations billed to Åre kommun, 1 607 tkr.
	var billed decimal.Decimal
	for k, d := range f.PeriodTotals() {
		if k.Object == object6663 && k.Account == "3620" && k.Period.Year == 2020 {
			billed = billed.Sub(d)
		}
	}
	if !billed.Equal(decimal.NewFromInt(1_607_410)) {
		t.Errorf("object 6663 billed %s kr, want 1607410", billed)
	}
}

// TestPeriodTotalsFromTrans checks that the verifications of the August file
// sum to its #PSALDO records: without them, PeriodTotals gives the same 2020.
func TestPeriodTotalsFromTrans(t *testing.T) {
	t.Parallel()
	f := mustParseFile(t, august2020Path)
	withPSALDO := f.PeriodTotals()
	g := *f
	g.PeriodBalances = nil
	for _, p := range f.PeriodBalances {
		if p.Year != 0 {
			g.PeriodBalances = append(g.PeriodBalances, p)
		}
	}
	fromTrans := g.PeriodTotals()
	if len(fromTrans) != len(withPSALDO) {
		t.Errorf("%d totals from #TRANS, %d with #PSALDO", len(fromTrans), len(withPSALDO))
	}
	for k, d := range withPSALDO {
		if !fromTrans[k].Equal(d) {
			t.Errorf("%+v: %s from #TRANS, %s from #PSALDO", k, fromTrans[k], d)
		}
	}
}

func TestPeriodTotalsRules(t *testing.T) {
	t.Parallel()
	f := mustParse(t, withHeader(
		"#RAR 0 20200101 20201231",
		"#PSALDO 0 202008 3611 {} -100.00",
		`#PSALDO 0 202008 3611 {1 "6663"} -40.00`,
		"#PBUDGET 0 202008 3611 {} -90",
		`#PBUDGET 0 202008 3611 {1 "6663"} -30 12 okänt-fält`,
		`#VER A 1 20200815`, "{", "#TRANS 3611 {} -50", "#TRANS 1510 {} 50", "}",
		`#VER A 2 20210105`, "{", `#TRANS 3611 {1 "6663" 6 "P1"} -7.25`, "#TRANS 1510 {} 7.25 20201231", "}",
	))
	month := func(y, m int) sie.Period { return sie.Period{Year: y, Month: time.Month(m)} }
	p1 := sie.ObjectRef{Dimension: 6, Number: "P1"}
	same(t, "totals", f.PeriodTotals(), map[sie.TotalKey]decimal.Decimal{
		// 2020 has #PSALDO: verification A 1 and the 2020 row of A 2 do not count.
		{Account: "3611", Period: month(2020, 8)}:                     dec("-100"),
		{Account: "3611", Period: month(2020, 8), Object: object6663}: dec("-40"),
		// 2021 has no #PSALDO: its rows count, once per object.
		{Account: "3611", Period: month(2021, 1)}:                     dec("-7.25"),
		{Account: "3611", Period: month(2021, 1), Object: object6663}: dec("-7.25"),
		{Account: "3611", Period: month(2021, 1), Object: p1}:         dec("-7.25"),
	})
	same(t, "budget", f.BudgetTotals(), map[sie.TotalKey]decimal.Decimal{
		{Account: "3611", Period: month(2020, 8)}:                     dec("-90"),
		{Account: "3611", Period: month(2020, 8), Object: object6663}: dec("-30"),
	})
}

func TestPeriodTotalsWithoutYears(t *testing.T) {
	t.Parallel()
	// Without #RAR, #PSALDO covers only the months it names.
	f := mustParse(t, withHeader(
		"#PSALDO 0 202008 3611 {} -100.00",
		`#VER "" "" 20200815`, "{", "#TRANS 3611 {} -50", "#TRANS 1510 {} 50 20200901", "}",
	))
	aug, sep := sie.Period{Year: 2020, Month: time.August}, sie.Period{Year: 2020, Month: time.September}
	same(t, "totals", f.PeriodTotals(), map[sie.TotalKey]decimal.Decimal{
		{Account: "3611", Period: aug}: dec("-100"),
		{Account: "1510", Period: sep}: dec("50"),
	})
}
