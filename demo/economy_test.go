package demo_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestAugust2020SIEIsTheTestFile keeps the demo's embedded copy the same as
// the SIE package's test file it copies.
func TestAugust2020SIEIsTheTestFile(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("../reports/sie/testdata/region-jh-2020-08.se")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(demo.August2020SIE, want) {
		t.Error("demo/region-jh-2020-08.se differs from reports/sie/testdata/region-jh-2020-08.se: copy it again")
	}
}

func TestDemoEconomy(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadEconomy(ctx, db); err != nil {
			t.Fatal(err)
		}
		// Loading again adds nothing.
		if loaded, err := demo.LoadEconomy(ctx, db); err != nil || loaded {
			t.Fatalf("loading again: %v, %v", loaded, err)
		}
		c := db.Conn()
		cm, _ := c.CommitteeByCode(ctx, demo.CommitteeCode)
		imports, err := c.Imports(ctx, cm.ID)
		if err != nil || len(imports) != 1 || imports[0].Status != finance.ImportStatusCommitted {
			t.Fatalf("imports = %+v, %v", imports, err)
		}
		tab, err := c.InterimFigures(ctx, cm.ID, finance.Period{Year: 2020, Month: time.August})
		if err != nil {
			t.Fatal(err)
		}
		if r := tab.Result(); r.Actual.String() != "-19030" || r.Budget.String() != "-51500" || r.Prior.String() != "-492679" {
			t.Errorf("bottom line = %s / %s / %s", r.Actual, r.Budget, r.Prior)
		}
		for _, year := range []int{2020, 2021} {
			if b, err := c.CurrentBudget(ctx, cm.ID, year); err != nil || !b.BaseFunding.Equal(demo.BaseFunding) {
				t.Errorf("budget %d: %v", year, err)
			}
		}
		// The refund's credit notes (Load issues them) booked it against
		// 2018 and 2019: 2018's remaining 417 000 kr leave the earmark, 51 090
		// kr of 2019's part are paid back, and the 1,00 kr the decided
		// 52 010 kr per party leave stays in 2019.
		l, _ := c.CarryLedger(ctx, cm.ID)
		if y := l.Year(2018); y.Refunded.String() != "417000" || !y.Balance().IsZero() || !y.Earmarked.IsZero() {
			t.Errorf("carry-forward of 2018: refunded %s, balance %s, earmarked %s", y.Refunded, y.Balance(), y.Earmarked)
		}
		if y := l.Year(2019); y.Refunded.String() != "51090" || y.Kept.String() != "1" || y.Balance().String() != "1" {
			t.Errorf("carry-forward of 2019: refunded %s, kept %s, balance %s", y.Refunded, y.Kept, y.Balance())
		}
		if tot := l.Total; tot.Refunded.String() != "468090" || tot.Balance().String() != "1" || !tot.Result.Sub(tot.Used).Sub(tot.Refunded).Equal(tot.Balance()) {
			t.Errorf("ledger totals: refunded %s, balance %s", tot.Refunded, tot.Balance())
		}
	})
}
