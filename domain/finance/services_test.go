package finance

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func month(y int, m time.Month) Period { return Period{Year: y, Month: m} }

// TestPlanLedgerBill: the costs of the months less the earlier bills inside
// them; refused: months without ledger, nothing left, a bill straddling the
// edge, two years, months outside the decision's dates.
func TestPlanLedgerBill(t *testing.T) {
	t.Parallel()
	s := Service{ID: 1, Kind: ServiceLedger, Name: "Serverdrift", CostObject: "6663", Decision: "X", EndsOn: domain.MustDate("2020-12-31")}
	costs := []ServiceCost{{Account: "6550", Amount: decimal.RequireFromString("1000.50")}, {Account: "5110", Amount: decimal.RequireFromString("200")}}
	all := month(2020, 1).Months(month(2020, 12))
	janApr := ServiceBill{ID: 7, From: month(2020, 1), To: month(2020, 4), Amount: decimal.RequireFromString("500")}
	tests := []struct {
		name     string
		from, to Period
		covered  []Period
		earlier  []ServiceBill
		want     string
		code     string
		text     string
	}{
		{"costs", month(2020, 1), month(2020, 8), all, nil, "1200.5", "", ""},
		{"less earlier inside", month(2020, 1), month(2020, 8), all, []ServiceBill{janApr}, "700.5", "", ""},
		{"earlier outside ignored", month(2020, 5), month(2020, 8), all, []ServiceBill{janApr}, "1200.5", "", ""},
		{"straddles", month(2020, 3), month(2020, 8), all, []ServiceBill{janApr}, "", domain.EINVALID, "delvis ligger utanför"},
		{"missing months", month(2020, 1), month(2020, 3), all[:2], nil, "", domain.ECONFLICT, "saknar utfall för 2020-03"},
		{"nothing left", month(2020, 1), month(2020, 4), all, []ServiceBill{{ID: 8, From: month(2020, 1), To: month(2020, 4), Amount: decimal.RequireFromString("1200.50")}}, "", domain.ECONFLICT, "inget att fakturera"},
		{"two years", month(2020, 11), month(2021, 2), all, nil, "", domain.EINVALID, "olika år"},
		{"after the decision", month(2021, 1), month(2021, 2), all, nil, "", domain.EINVALID, "till och med 2020-12-31"},
		{"backwards", month(2020, 5), month(2020, 4), all, nil, "", domain.EINVALID, "före första"},
	}
	for _, tt := range tests {
		p, err := PlanLedgerBill(s, tt.from, tt.to, costs, tt.covered, tt.earlier)
		if tt.code != "" {
			if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.text) {
				t.Errorf("%s: %v, want %s %q", tt.name, err, tt.code, tt.text)
			}
			continue
		}
		if err != nil || p.Amount.String() != tt.want {
			t.Errorf("%s: %s, %v, want %s", tt.name, p.Amount, err, tt.want)
		}
	}
}

// TestPlanBillAllocation (property): for any costs and earlier bills inside
// the months, the bill's amount is the costs less the earlier bills, and
// the allocation it becomes gives exactly that to the one party, with the
// months as its period.
func TestPlanBillAllocation(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(17, 2020))
	s := Service{ID: 1, CommitteeID: 3, Kind: ServiceLedger, Name: "S", CostObject: "6663", Decision: "X"}
	party := domain.MemberParty{Party: domain.Party{ID: 9, Name: "Åre kommun"}}
	for i := 0; i < 500; i++ {
		var costs []ServiceCost
		sum := decimal.Zero
		for range r.IntN(5) + 1 {
			c := decimal.New(r.Int64N(10_000_000)-1_000_000, -2)
			costs = append(costs, ServiceCost{Account: "6550", Amount: c})
			sum = sum.Add(c)
		}
		earlier := decimal.New(r.Int64N(1_000_000), -2)
		bills := []ServiceBill{{ID: 1, From: month(2020, 2), To: month(2020, 3), Amount: earlier}}
		p, err := PlanLedgerBill(s, month(2020, 1), month(2020, 6), costs, month(2020, 1).Months(month(2020, 6)), bills)
		if sum.Sub(earlier).IsZero() {
			continue
		}
		if err != nil || !p.Amount.Equal(sum.Sub(earlier)) {
			t.Fatalf("costs %s less %s = %s, %v", sum, earlier, p.Amount, err)
		}
		a := p.Allocation(party)
		if err := a.CheckForSave(); err != nil || !a.Sum().Equal(p.Amount) || a.Shares[0].PartyID != 9 || a.CostObject != "6663" ||
			a.PeriodStart.String() != "2020-01-01" || a.PeriodEnd.String() != "2020-06-30" || a.Kind != AllocationDirect {
			t.Fatalf("allocation %+v: %v", a, err)
		}
	}
}

// TestIndexationApply: by an index, rounded to whole kronor, or unchanged.
func TestIndexationApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule     IndexRule
		percent  string
		previous string
		want     string
		text     string
	}{
		{IndexByIndex, "2.0", "914400", "932688", "Uppräkning med PKV 2,0 %: 914\u00a0400,00\u00a0kr × 1,02 = 932\u00a0688,00\u00a0kr"},
		{IndexByIndex, "2.75", "914400", "939546", "× 1,0275"},
		{IndexByIndex, "2.0", "932688", "951342", "exakt 951\u00a0341,76 kr, avrundat till hela kronor"},
		{IndexByIndex, "-1.5", "100000", "98500", "PKV −1,5 %"},
		{IndexUnchanged, "0", "914400", "914400", "Ingen uppräkning: basfinansieringen är oförändrad 914\u00a0400,00\u00a0kr"},
	}
	for _, tt := range tests {
		x := Indexation{Year: 2022, Rule: tt.rule, IndexPercent: decimal.RequireFromString(tt.percent), Decision: "D"}
		if tt.rule == IndexByIndex {
			x.IndexName = "PKV"
		}
		if err := x.Check(); err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		x, err := x.Apply(decimal.RequireFromString(tt.previous))
		if err != nil || x.Base.String() != tt.want || !strings.Contains(x.RuleText(), tt.text) {
			t.Errorf("%s %s of %s = %s %q, %v; want %s %q", tt.rule, tt.percent, tt.previous, x.Base, x.RuleText(), err, tt.want, tt.text)
		}
	}
}

// TestYearCycleSteps: each step's state from what the year has.
func TestYearCycleSteps(t *testing.T) {
	t.Parallel()
	feb := domain.MustDate("2022-02-15")
	tests := []struct {
		name string
		y    YearCycle
		want [3]CycleState
	}{
		{"nothing", YearCycle{Year: 2022}, [3]CycleState{CycleToDo, CycleToDo, CycleLate}},
		{"budget without decision", YearCycle{Year: 2023, BudgetVersion: 1}, [3]CycleState{CycleStarted, CycleToDo, CycleToDo}},
		{"proposal", YearCycle{Year: 2022, BudgetVersion: 1, BudgetDecision: "GNS § 16/2021", AllocationID: 4}, [3]CycleState{CycleDone, CycleStarted, CycleLate}},
		{"paid in July", YearCycle{Year: 2022, BudgetVersion: 1, BudgetDecision: "D", AllocationID: 4, AllocationDecided: true, PaymentMonths: []time.Month{time.July}}, [3]CycleState{CycleDone, CycleDone, CycleToDo}},
		{"invoiced", YearCycle{Year: 2022, BudgetVersion: 1, BudgetDecision: "D", AllocationID: 4, AllocationDecided: true, RunID: 2, RunDate: domain.MustDate("2022-01-04")}, [3]CycleState{CycleDone, CycleDone, CycleDone}},
	}
	for _, tt := range tests {
		steps := tt.y.Steps(feb)
		for i, st := range steps {
			if st.State != tt.want[i] {
				t.Errorf("%s: step %d (%s) = %s, want %s", tt.name, i+1, st.Title, st.State, tt.want[i])
			}
		}
	}
}
