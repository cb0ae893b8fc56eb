package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func kr(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// economyDemo loads the demo (which imports the August 2020 SIE file) and
// returns the committee, its rows by key and a context with an actor.
func economyDemo(t *testing.T, db *store.DB) (context.Context, domain.Committee, map[string]finance.ReportRow) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadEconomy(ctx, db); err != nil {
		t.Fatal(err)
	}
	cm, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Conn().ReportRows(ctx, cm.ID)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]finance.ReportRow{}
	for _, r := range rows {
		byKey[r.Key] = r
	}
	return ctx, cm, byKey
}

// tx runs fn in a transaction and returns its error.
func tx(t *testing.T, db *store.DB, ctx context.Context, fn func(c *store.Conn) error) error {
	t.Helper()
	return db.InTx(ctx, fn)
}

// TestInterimFiguresAugust2020 checks the demo's table against the seed's
// figures in exact kronor (reports/sie/testdata/README.md).
func TestInterimFiguresAugust2020(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		tab, err := db.Conn().InterimFigures(ctx, cm.ID, finance.Period{Year: 2020, Month: time.August})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][3]string{
			"Försäljning":                        {"2150870", "1610000", "2204421"},
			"Personalkostnader":                  {"-615154", "-614900", "-1096577"},
			"Sjukvårdsart, övr mat o varor":      {"0", "0", "-3862"},
			"Konsultkostnader":                   {"-1473812", "-1014600", "-1385643"},
			"Övriga kostnader":                   {"-80934", "-32000", "-11018"},
			"Avskrivningar/finansnetto":          {"0", "0", "-200000"},
			"Patientavgifter":                    {"0", "0", "0"},
			"Summa intäkter":                     {"2150870", "1610000", "2204421"},
			"Summa bruttokostnader":              {"-2169900", "-1661500", "-2697100"},
			"Summa verksamhetens nettokostnader": {"-19030", "-51500", "-492679"},
		}
		seen := 0
		for _, l := range tab.Lines {
			w, ok := want[l.Name]
			if !ok {
				continue
			}
			seen++
			if !l.Actual.Equal(kr(w[0])) || !l.Budget.Equal(kr(w[1])) || !l.Prior.Equal(kr(w[2])) {
				t.Errorf("%s = %s / %s / %s, want %v", l.Name, l.Actual, l.Budget, l.Prior, w)
			}
		}
		if seen != len(want) || len(tab.Lines) != 19 || tab.BudgetVersion != 1 || len(tab.Missing) != 0 || len(tab.MissingPrior) != 0 {
			t.Errorf("lines %d (%d checked), budget version %d, missing %v / %v", len(tab.Lines), seen, tab.BudgetVersion, tab.Missing, tab.MissingPrior)
		}
		var server decimal.Decimal
		for _, o := range tab.Objects {
			if o.Object == "6663" && o.Kind == finance.RowRevenue {
				server = o.Amount
				if o.Name != "Serverdrift Åre kommun" {
					t.Errorf("object name %q", o.Name)
				}
			}
		}
		if !server.Equal(kr("1607410")) {
			t.Errorf("object 6663 revenue = %s, want 1 607 410", server)
		}
		// April 2021 has no outcome yet: every month is missing.
		apr, err := db.Conn().InterimFigures(ctx, cm.ID, finance.Period{Year: 2021, Month: time.April})
		if err != nil || len(apr.Missing) != 4 || !apr.Result().Budget.Equal(kr("-51500").Mul(kr("0.5"))) {
			t.Errorf("April 2021: missing %v, budget %s, %v", apr.Missing, apr.Result().Budget, err)
		}
	})
}

func TestAccountMapping(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, rows := economyDemo(t, db)
		add := func(from, to string, row int64) error {
			return tx(t, db, ctx, func(c *store.Conn) error {
				_, err := c.AddAccountRange(ctx, finance.AccountRange{CommitteeID: cm.ID, From: from, To: to, RowID: row})
				return err
			})
		}
		if err := add("3000", "3099", rows["patientavgifter"].ID); err != nil {
			t.Fatal(err)
		}
		for name, tt := range map[string]struct {
			from, to string
			row      int64
			field    string
		}{
			"overlap":     {"3650", "3710", rows["ovriga-intakter"].ID, "from_account"},
			"total row":   {"3900", "3999", rows["summa-intakter"].ID, "row"},
			"no such row": {"3900", "3999", 999999, "row"},
			"reversed":    {"3999", "3900", rows["ovriga-intakter"].ID, "to_account"},
		} {
			err := add(tt.from, tt.to, tt.row)
			if e, ok := err.(*domain.Error); !ok || e.Field != tt.field {
				t.Errorf("%s: %v, want an error on %s", name, err, tt.field)
			}
		}
		m, _ := db.Conn().AccountMapping(ctx, cm.ID)
		if len(m) != len(demo.AccountRanges)+1 {
			t.Fatalf("mapping has %d ranges", len(m))
		}
		var id int64
		for _, r := range m {
			if r.From == "3000" {
				id = r.ID
			}
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error { return c.RetireAccountRange(ctx, cm.ID, id) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error { return c.RetireAccountRange(ctx, cm.ID, id) }); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("retiring twice: %v", err)
		}
		// Retired, the range's accounts are free again.
		if err := add("3000", "3049", rows["patientavgifter"].ID); err != nil {
			t.Errorf("re-adding after retiring: %v", err)
		}
		for _, stmt := range []string{"DELETE FROM account_ranges", "UPDATE account_ranges SET row_id = row_id", "DELETE FROM report_rows"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}

func TestBudgetVersions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, rows := economyDemo(t, db)
		v1, err := db.Conn().CurrentBudget(ctx, cm.ID, 2021)
		if err != nil || v1.Version != 1 || !v1.BaseFunding.Equal(demo.BaseFunding) || len(v1.PaymentMonths) != 1 {
			t.Fatalf("budget 2021 = %+v, %v", v1, err)
		}
		revised := finance.Budget{CommitteeID: cm.ID, Year: 2021, BaseFunding: kr("600000"), PaymentMonths: []time.Month{time.January, time.July},
			Decision: "GNS § 3/2021", Lines: []finance.BudgetLine{{RowID: rows["forsaljning"].ID, Annual: kr("1200000")}}}
		err = tx(t, db, ctx, func(c *store.Conn) error { _, err := c.CreateBudget(ctx, revised); return err })
		if err != nil {
			t.Fatal(err)
		}
		versions, err := db.Conn().BudgetVersions(ctx, cm.ID, 2021)
		if err != nil || len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 || !versions[1].BaseFunding.Equal(demo.BaseFunding) {
			t.Fatalf("versions = %d, %v", len(versions), err)
		}
		if v2 := versions[0]; v2.PaymentMonthsText() != "1, 7" || len(v2.Lines) != 1 || v2.Lines[0].RowName != "Försäljning" {
			t.Errorf("version 2 = %+v", v2)
		}
		b2020, _ := db.Conn().CurrentBudget(ctx, cm.ID, 2020)
		if l, ok := b2020.Line(rows["personalkostnader"].ID); !ok || len(l.Months) != 12 || !l.Through(time.August).Equal(kr("-614900")) {
			t.Errorf("2020 staff budget by month = %+v", l)
		}
		if years, _ := db.Conn().BudgetYears(ctx, cm.ID); len(years) != 3 || years[0] != 2022 || years[1] != 2021 { // 2022: the demo's uppräkning
			t.Errorf("budget years = %v", years)
		}
		bad := revised
		bad.Lines = []finance.BudgetLine{{RowID: 999999, Annual: kr("1")}}
		err = tx(t, db, ctx, func(c *store.Conn) error { _, err := c.CreateBudget(ctx, bad); return err })
		if err == nil || !strings.Contains(domain.ErrorMessage(err), "finns inte") {
			t.Errorf("a budget row that does not exist: %v", err)
		}
		bad.Lines = []finance.BudgetLine{{RowID: rows["forsaljning"].ID, Annual: kr("0.001")}}
		err = tx(t, db, ctx, func(c *store.Conn) error { _, err := c.CreateBudget(ctx, bad); return err })
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("sub-öre budget: %v", err)
		}
		if versions, _ := db.Conn().BudgetVersions(ctx, cm.ID, 2021); len(versions) != 2 {
			t.Errorf("a refused budget left %d versions", len(versions))
		}
		for _, stmt := range []string{"UPDATE budgets SET base_funding_ore = 0", "DELETE FROM budget_lines", "DELETE FROM budgets"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}

// TestDemoCarryForward: the demo's ledger after its refund run (§ 18/2020)
// is what the seeds say: 2018's 417 000 kr, earmarked by § 8/2020, refunded
// and out of the earmark; 51 090 kr of 2019 refunded and 1,00 kr kept; the
// ledger balances, and a refund entry by hand is checked like any other.
// (TestRefundBooksCarryForward tests the booking itself.)
func TestDemoCarryForward(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		l, err := db.Conn().CarryLedger(ctx, cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		y18, y19 := l.Year(2018), l.Year(2019)
		if !y18.Refunded.Equal(kr("417000")) || !y18.Balance().IsZero() || !y18.Earmarked.IsZero() {
			t.Errorf("2018: refunded %s, balance %s, earmarked %s", y18.Refunded, y18.Balance(), y18.Earmarked)
		}
		if !y19.Refunded.Equal(kr("51090")) || !y19.Kept.Equal(kr("1")) {
			t.Errorf("2019: refunded %s, kept %s", y19.Refunded, y19.Kept)
		}
		if !l.Total.Result.Sub(l.Total.Used).Sub(l.Total.Refunded).Equal(l.Total.Balance()) {
			t.Errorf("the ledger does not balance: %+v", l.Total)
		}
		var refund finance.CarryEntry
		for _, e := range y18.Entries {
			if e.Kind == finance.CarryRefund {
				refund = e
			}
		}
		if refund.Decision != "GNS § 18/2020" || refund.EarmarkID == 0 {
			t.Errorf("2018's refund entry = %+v, want § 18/2020 drawn on the earmark", refund)
		}
		base := finance.CarryEntry{CommitteeID: cm.ID, OriginYear: 2018, Kind: finance.CarryRefund, Date: domain.MustDate("2021-02-01")}
		bad := []struct {
			name   string
			change func(e *finance.CarryEntry)
			field  string
		}{
			{"no allocation", func(e *finance.CarryEntry) {}, "allocation"},
			{"not a refund", func(e *finance.CarryEntry) { e.AllocationID = 999999 }, "allocation"},
			{"use with allocation", func(e *finance.CarryEntry) {
				e.Kind, e.AllocationID, e.Amount = finance.CarryUse, refund.AllocationID, kr("1")
			}, "allocation"},
		}
		for _, tt := range bad {
			e := base
			tt.change(&e)
			err := tx(t, db, ctx, func(c *store.Conn) error { _, err := c.AddCarryEntry(ctx, e); return err })
			if err == nil || err.(*domain.Error).Field != tt.field {
				t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
			}
		}
		for _, stmt := range []string{"UPDATE carry_forward SET amount_ore = 1", "DELETE FROM carry_forward"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}

func TestInterimReportLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		aug := finance.Period{Year: 2020, Month: time.August}
		create := func(p finance.Period) (finance.InterimReport, error) {
			var r finance.InterimReport
			err := tx(t, db, ctx, func(c *store.Conn) error {
				var err error
				r, err = c.CreateInterimReport(ctx, finance.InterimReport{CommitteeID: cm.ID, Period: p, Title: interim.Title(p), Events: "Link2 är avslutat."})
				return err
			})
			return r, err
		}
		r, err := create(aug)
		if err != nil || r.Version != 1 || r.Title != "Delårsrapport augusti 2020" || r.Final() {
			t.Fatalf("draft = %+v, %v", r, err)
		}
		if _, err := create(aug); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a second draft: %v", err)
		}
		r.Summary = "Utfallet är +32 tkr."
		if err := tx(t, db, ctx, func(c *store.Conn) error { r, err = c.UpdateInterimReport(ctx, r); return err }); err != nil || r.Summary != "Utfallet är +32 tkr." {
			t.Fatalf("update: %v", err)
		}
		figures, err := db.Conn().InterimFigures(ctx, cm.ID, aug)
		if err != nil {
			t.Fatal(err)
		}
		r.FinalisedAt = time.Date(2020, 9, 14, 8, 0, 0, 0, time.UTC)
		pdf := []byte("%PDF-1.3 test")
		// April 2021 cannot be finalised: its months have no outcome.
		apr, _ := create(finance.Period{Year: 2021, Month: time.April})
		aprFigures, _ := db.Conn().InterimFigures(ctx, cm.ID, apr.Period)
		apr.FinalisedAt = r.FinalisedAt
		err = tx(t, db, ctx, func(c *store.Conn) error { _, err := c.FinaliseInterimReport(ctx, apr, aprFigures, pdf); return err })
		if err == nil || !strings.Contains(domain.ErrorMessage(err), "2021-01") {
			t.Errorf("finalising without outcome: %v", err)
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error { r, err = c.FinaliseInterimReport(ctx, r, figures, pdf); return err }); err != nil {
			t.Fatal(err)
		}
		if !r.Final() || len(r.PDFSHA256) != 64 || len(r.FiguresSHA256) != 64 || r.Figures == nil || !r.Figures.Result().Actual.Equal(kr("-19030")) || r.FinalisedBy != "ekonom@example.se" {
			t.Errorf("finalised = %+v", r)
		}
		if got, err := db.Conn().InterimReportPDF(ctx, r.ID); err != nil || string(got) != string(pdf) {
			t.Errorf("stored PDF = %q, %v", got, err)
		}
		r.Summary = "ändrad"
		if err := tx(t, db, ctx, func(c *store.Conn) error { _, err := c.UpdateInterimReport(ctx, r); return err }); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("changing a finalised report: %v", err)
		}
		if locked, _ := db.Conn().LockedThrough(ctx, cm.ID, 2020); locked != aug {
			t.Errorf("locked through %v", locked)
		}
		for _, stmt := range []string{"UPDATE interim_reports SET summary = 'x' WHERE status = 'final'", "DELETE FROM interim_reports"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
		v2, err := create(aug)
		if err != nil || v2.Version != 2 {
			t.Errorf("new version = %+v, %v", v2, err)
		}
		list, _ := db.Conn().InterimReports(ctx, cm.ID)
		if len(list) != 3 || list[0].Period.Year != 2021 {
			t.Errorf("reports = %d", len(list))
		}
	})
}

func TestPeriodDecisions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		meetings, err := db.Conn().Meetings(ctx, cm.ID, 2020)
		if err != nil || len(meetings) == 0 {
			t.Fatalf("demo meetings of 2020: %d, %v", len(meetings), err)
		}
		// December 2020 holds the demo's December minutes (constructed from
		// the 14 December kallelse's proposals), the refund among them.
		got, err := db.Conn().PeriodDecisions(ctx, cm.ID, domain.MustDate("2020-12-01"), domain.MustDate("2020-12-31"))
		if err != nil || len(got) == 0 {
			t.Fatalf("decisions of December 2020 = %+v, %v", got, err)
		}
		found := false
		for _, d := range got {
			found = found || d.Title == "Återstående medel från 2018"
		}
		if !found {
			t.Errorf("decisions of December 2020 lack the refund: %+v", got)
		}
		// January–August 2020 holds the demo minutes' § 8 (February) and § 14 (May).
		if got, _ := db.Conn().PeriodDecisions(ctx, cm.ID, domain.MustDate("2020-01-01"), domain.MustDate("2020-08-31")); len(got) != 2 {
			t.Errorf("decisions of January–August 2020 = %d, want the demo minutes' 2", len(got))
		}
	})
}
