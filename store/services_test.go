package store_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func period(s string) finance.Period {
	p, err := finance.ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// TestServiceBilledFromLedger bills a service from the demo ledger's object
// lines (Objekt 6663, serverdrift for Åre kommun, January–August 2020 =
// 1 607 410,00 kr, the seed's 1 607 tkr), and checks what is refused: the
// same months again (nothing left), a period that straddles the earlier
// bill, months without ledger, a stale confirm step.
func TestServiceBilledFromLedger(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		are, err := db.Conn().PartyBySlug(ctx, "are")
		if err != nil {
			t.Fatal(err)
		}
		var s finance.Service
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			s, err = c.CreateService(ctx, finance.Service{CommitteeID: cm.ID, Kind: finance.ServiceLedger, Name: "Serverdrift (test)",
				PartyID: are.ID, CostObject: "6663", Decision: "Avtal om serverdrift"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		plan, err := db.Conn().PlanServiceBill(ctx, s, period("2020-01"), period("2020-08"), decimal.Zero)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Amount.Equal(kr("1607410")) || len(plan.Costs) != 4 {
			t.Fatalf("plan = %s over %d accounts, want 1607410.00 over 5110, 5510, 6550, 7690", plan.Amount, len(plan.Costs))
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			_, _, err := c.BillService(ctx, s, period("2020-01"), period("2020-08"), decimal.Zero, "", "stale")
			return err
		}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale fingerprint: %v, want ECONFLICT", err)
		}
		var bill finance.ServiceBill
		var a finance.Allocation
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			bill, a, err = c.BillService(ctx, s, period("2020-01"), period("2020-08"), decimal.Zero, "", plan.Fingerprint())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		a, err = db.Conn().AllocationByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != finance.AllocationDirect || a.CostObject != "6663" || !a.Total.Equal(kr("1607410")) || a.Decision != "Avtal om serverdrift" ||
			a.PeriodStart.String() != "2020-01-01" || a.PeriodEnd.String() != "2020-08-31" || len(a.Shares) != 1 || a.Shares[0].PartyID != are.ID {
			t.Fatalf("allocation = %+v", a)
		}
		if bill.AllocationID != a.ID || !bill.Costs.Equal(kr("1607410")) {
			t.Fatalf("bill = %+v", bill)
		}
		refused := []struct {
			from, to string
			code     string
			text     string
		}{
			{"2020-01", "2020-08", domain.ECONFLICT, "inget att fakturera"},
			{"2020-03", "2020-08", domain.EINVALID, "delvis ligger utanför"},
			{"2020-08", "2020-09", domain.EINVALID, "delvis ligger utanför"},
			{"2020-09", "2020-10", domain.ECONFLICT, "saknar utfall för 2020-09, 2020-10"},
			{"2020-05", "2021-02", domain.EINVALID, "olika år"},
		}
		for _, r := range refused {
			_, err := db.Conn().PlanServiceBill(ctx, s, period(r.from), period(r.to), decimal.Zero)
			if domain.ErrorCode(err) != r.code || !strings.Contains(domain.ErrorMessage(err), r.text) {
				t.Errorf("%s – %s: %v, want %s with %q", r.from, r.to, err, r.code, r.text)
			}
		}
		bills, err := db.Conn().ServiceBills(ctx, s.ID)
		if err != nil || len(bills) != 1 || bills[0].Invoiced {
			t.Fatalf("bills = %+v, %v", bills, err)
		}
		if _, err := db.Conn().AllocationByID(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestServiceTimeBilled bills staff time (days × a rate) once per month and
// refuses time outside the decision's dates, time billed twice and bad
// quantities; a service needs its decision, and its party must be a party
// of the committee.
func TestServiceTimeBilled(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		bracke, err := db.Conn().PartyBySlug(ctx, "bracke")
		if err != nil {
			t.Fatal(err)
		}
		base := finance.Service{CommitteeID: cm.ID, Kind: finance.ServiceTime, Name: "E-strateg (test)", PartyID: bracke.ID,
			Unit: finance.UnitDay, Rate: kr("4000"), Decision: "Uppdrag", EndsOn: domain.MustDate("2020-06-26")}
		bad := []struct {
			edit  func(*finance.Service)
			field string
		}{
			{func(s *finance.Service) { s.Decision = "" }, "decision"},
			{func(s *finance.Service) { s.Rate = decimal.Zero }, "rate"},
			{func(s *finance.Service) { s.Rate = kr("1.001") }, "rate"},
			{func(s *finance.Service) { s.Unit = "week" }, "unit"},
			{func(s *finance.Service) { s.Name = " " }, "name"},
			{func(s *finance.Service) { s.PartyID = 999999 }, "party"},
			{func(s *finance.Service) { s.Kind = finance.ServiceLedger; s.CostObject = "" }, "cost_object"},
		}
		for _, b := range bad {
			s := base
			b.edit(&s)
			err := tx(t, db, ctx, func(c *store.Conn) error { _, err := c.CreateService(ctx, s); return err })
			if fieldOf(err) != b.field {
				t.Errorf("%s: %v, want an error on the field", b.field, err)
			}
		}
		var s finance.Service
		if err := tx(t, db, ctx, func(c *store.Conn) error { s, err = c.CreateService(ctx, base); return err }); err != nil {
			t.Fatal(err)
		}
		plan, err := db.Conn().PlanServiceBill(ctx, s, period("2020-02"), period("2020-03"), kr("26"))
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Amount.Equal(kr("104000")) || !strings.Contains(plan.Title(), "26 dagar à 4\u00a0000,00\u00a0kr") {
			t.Fatalf("plan = %s %q", plan.Amount, plan.Title())
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			_, _, err := c.BillService(ctx, s, period("2020-02"), period("2020-03"), kr("26"), "tre dagar i veckan", plan.Fingerprint())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			from, to, qty, field string
		}{
			{"2020-03", "2020-04", "10", "from"},
			{"2020-07", "2020-07", "10", "to"},
			{"2020-04", "2020-04", "0", "quantity"},
			{"2020-04", "2020-04", "1.005", "quantity"},
		} {
			_, err := db.Conn().PlanServiceBill(ctx, s, period(r.from), period(r.to), kr(r.qty))
			if fieldOf(err) != r.field {
				t.Errorf("%s–%s × %s: %v, want an error on %s", r.from, r.to, r.qty, err, r.field)
			}
		}
	})
}

// TestIndexation records uppräkning decisions on the demo, whose 2021 is
// unchanged (the seed) and 2022 raised by PKV 2,0 % (the demo's constructed
// example: 914 400 × 1,02 = 932 688 kr): 2023 by 2,0 % gives 951 341,76,
// rounded to 951 342 kr; a new version replaces the one in force; a year
// without the previous year's budget and a rule without its index are
// refused.
func TestIndexation(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		demo2022, err := db.Conn().CurrentIndexation(ctx, cm.ID, 2022)
		if err != nil || !demo2022.Previous.Equal(kr("914400")) || !demo2022.Base.Equal(kr("932688")) {
			t.Fatalf("demo 2022 = %+v, %v", demo2022, err)
		}
		if b, err := db.Conn().CurrentBudget(ctx, cm.ID, 2022); err != nil || !b.BaseFunding.Equal(demo2022.Base) {
			t.Fatalf("demo budget 2022 = %+v, %v", b, err)
		}
		if x, err := db.Conn().CurrentIndexation(ctx, cm.ID, 2021); err != nil || x.Rule != finance.IndexUnchanged || !x.Base.Equal(kr("914400")) || x.ParagraphID == 0 {
			t.Fatalf("demo 2021 = %+v, %v", x, err)
		}
		add := func(x finance.Indexation) (finance.Indexation, error) {
			x.CommitteeID = cm.ID
			err := tx(t, db, ctx, func(c *store.Conn) error { var err error; x, err = c.CreateIndexation(ctx, x); return err })
			return x, err
		}
		x, err := add(finance.Indexation{Year: 2023, Rule: finance.IndexByIndex, IndexName: "PKV", IndexPercent: kr("2.0"), Decision: "Test"})
		if err != nil {
			t.Fatal(err)
		}
		if !x.Previous.Equal(kr("932688")) || !x.Base.Equal(kr("951342")) || x.Version != 1 || !strings.Contains(x.RuleText(), "951\u00a0341,76") {
			t.Fatalf("2023 = %+v %q", x, x.RuleText())
		}
		if _, err = add(finance.Indexation{Year: 2023, Rule: finance.IndexUnchanged, Decision: "Test"}); err != nil {
			t.Fatal(err)
		}
		cur, err := db.Conn().CurrentIndexation(ctx, cm.ID, 2023)
		if err != nil || cur.Version != 2 || !cur.Base.Equal(kr("932688")) {
			t.Fatalf("current 2023 = %+v, %v", cur, err)
		}
		if _, err := add(finance.Indexation{Year: 2024, Rule: finance.IndexUnchanged, Decision: "Test"}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("2024 without budget 2023: %v", err)
		}
		for _, bad := range []struct {
			x     finance.Indexation
			field string
		}{
			{finance.Indexation{Year: 2023, Rule: finance.IndexByIndex, IndexPercent: kr("2"), Decision: "Test"}, "index_name"},
			{finance.Indexation{Year: 2023, Rule: finance.IndexByIndex, IndexName: "PKV", IndexPercent: kr("200"), Decision: "Test"}, "index_percent"},
			{finance.Indexation{Year: 2023, Rule: "twice", Decision: "Test"}, "rule"},
			{finance.Indexation{Year: 2023, Rule: finance.IndexUnchanged}, "decision"},
		} {
			if _, err := add(bad.x); fieldOf(err) != bad.field {
				t.Errorf("%+v: %v, want an error on %s", bad.x, err, bad.field)
			}
		}
		all, err := db.Conn().Indexations(ctx, cm.ID, 0)
		if err != nil || len(all) != 3 || all[0].Year != 2023 || all[0].Version != 2 {
			t.Fatalf("all = %+v, %v", all, err)
		}
		cycles, err := db.Conn().FundingCycles(ctx, cm.ID, 3)
		if err != nil || len(cycles) != 3 || cycles[0].Year != 2023 || cycles[1].Year != 2022 || cycles[2].Year != 2021 {
			t.Fatalf("cycles = %+v, %v", cycles, err)
		}
		if c := cycles[2]; c.RunID == 0 || !c.AllocationDecided || c.RunDate.String() != "2021-01-04" || c.BudgetVersion == 0 {
			t.Errorf("2021 = %+v", c)
		}
		if c := cycles[1]; c.AllocationID != 0 || c.IndexRule != finance.IndexByIndex || !c.IndexBase.Equal(kr("932688")) || c.BudgetDecision == "" {
			t.Errorf("2022 = %+v", c)
		}
	})
}
