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
		if l, _ := c.CarryLedger(ctx, cm.ID); l.Year(2018).Balance().String() != "417000" {
			t.Errorf("carry-forward of 2018 = %s", l.Year(2018).Balance())
		}
	})
}
