package store_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// saveCSV reads a CSV for 2020 and keeps it as a preview.
func saveCSV(t *testing.T, db *store.DB, ctx context.Context, cm domain.Committee, name, data string) finance.Import {
	t.Helper()
	lf, err := interim.ReadCSV(name, []byte(data), 2020)
	if err != nil {
		t.Fatal(err)
	}
	var imp finance.Import
	if err := db.InTx(ctx, func(c *store.Conn) error { imp, err = c.SaveImport(ctx, cm.ID, lf, []byte(data)); return err }); err != nil {
		t.Fatal(err)
	}
	return imp
}

func commit(db *store.DB, ctx context.Context, id int64) error {
	return db.InTx(ctx, func(c *store.Conn) error { _, err := c.CommitImport(ctx, id); return err })
}

func changeOf(v finance.ImportPreview, p string) string {
	for _, ch := range v.Changes {
		if ch.Period.String() == p {
			return ch.Change
		}
	}
	return ""
}

func TestImportPreviewCommitAndHistory(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, rows := economyDemo(t, db)
		c := db.Conn()
		imports, _ := c.Imports(ctx, cm.ID)
		if len(imports) != 1 || imports[0].Status != finance.ImportStatusCommitted || len(imports[0].Taken) != 0 && imports[0].Taken[0].Change != finance.ChangeNew {
			t.Fatalf("demo imports = %+v", imports)
		}
		demoImport, _ := c.ImportByID(ctx, imports[0].ID)
		if len(demoImport.Taken) != 20 {
			t.Errorf("the demo import took %d periods, want 20", len(demoImport.Taken))
		}

		// The same file again is the same import: nothing is doubled.
		lf, _ := interim.ReadSIE(demo.August2020FileName, demo.August2020SIE)
		var again finance.Import
		if err := db.InTx(ctx, func(tx *store.Conn) error {
			var err error
			again, err = tx.SaveImport(ctx, cm.ID, lf, demo.August2020SIE)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if again.ID != demoImport.ID || again.Status != finance.ImportStatusCommitted {
			t.Errorf("the same file again = import %d (%s), want %d", again.ID, again.Status, demoImport.ID)
		}
		if err := commit(db, ctx, again.ID); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("committing it again: %v", err)
		}

		// A corrected August: staff costs 1 000 kr higher.
		aug := "konto;period;belopp;objekt\n3611;2020-08;-67932,50\n5110;2020-08;60000\n"
		imp := saveCSV(t, db, ctx, cm, "augusti.csv", aug)
		if dup := saveCSV(t, db, ctx, cm, "augusti-igen.csv", aug); dup.ID != imp.ID {
			t.Errorf("the same preview again = %d, want %d", dup.ID, imp.ID)
		}
		v, err := c.PreviewImport(ctx, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.CanCommit() || changeOf(v, "2020-08") != finance.ChangeReplace || v.Changes[0].Replaces != demoImport.ID {
			t.Fatalf("preview: %+v problems %v", v.Changes, v.Problems)
		}
		if got := v.Totals[rows["personalkostnader"].ID][finance.Period{Year: 2020, Month: time.August}]; !got.Equal(kr("-60000")) {
			t.Errorf("preview staff costs = %s", got)
		}
		if got := v.Total(rows["summa-nettokostnader"].ID); !got.Equal(kr("7932.5")) {
			t.Errorf("preview bottom line = %s", got)
		}
		before, _ := c.InterimFigures(ctx, cm.ID, finance.Period{Year: 2020, Month: time.August})
		// The file has two of August's accounts, so August's outcome falls
		// by more than half: committing needs that confirmed
		// (TestImportFalls).
		if len(v.Falls) != 1 || v.Falls[0].Fall != finance.FallHalf {
			t.Errorf("falls = %+v", v.Falls)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { _, err := c.CommitImportConfirmed(ctx, imp.ID, true); return err }); err != nil {
			t.Fatal(err)
		}
		after, _ := c.InterimFigures(ctx, cm.ID, finance.Period{Year: 2020, Month: time.August})
		if before.Result().Actual.Equal(after.Result().Actual) {
			t.Error("committing the corrected August changed nothing")
		}
		// July still comes from the demo file, which stays in history.
		jul, _ := c.CoveredPeriods(ctx, cm.ID, finance.Period{Year: 2020, Month: time.July}, finance.Period{Year: 2020, Month: time.August})
		if len(jul) != 2 {
			t.Errorf("covered = %v", jul)
		}
		committed, _ := c.ImportByID(ctx, imp.ID)
		if len(committed.Taken) != 1 || committed.Taken[0].Replaces != demoImport.ID || committed.Taken[0].Label() != "ersätter import "+strconv.FormatInt(demoImport.ID, 10) {
			t.Errorf("taken = %+v", committed.Taken)
		}

		// The same figures in another file change nothing.
		same := saveCSV(t, db, ctx, cm, "augusti-kopia.csv", "3611,2020-08,-67932.50\n5110,2020-08,60000\n")
		if v, _ := c.PreviewImport(ctx, same.ID); changeOf(v, "2020-08") != finance.ChangeSame || !v.CanCommit() {
			t.Errorf("identical figures: %+v", v.Changes)
		}

		// An account no row takes stops the import.
		unmapped := saveCSV(t, db, ctx, cm, "okant.csv", "3611;2020-09;-100\n3999;2020-09;-5\n")
		v, _ = c.PreviewImport(ctx, unmapped.ID)
		if v.CanCommit() || len(v.Unmapped) != 1 || v.Unmapped[0].Account != "3999" || !v.Unmapped[0].Total.Equal(kr("5")) {
			t.Errorf("unmapped: %+v, problems %v", v.Unmapped, v.Problems)
		}
		if err := commit(db, ctx, unmapped.ID); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "3999") {
			t.Errorf("committing with an unmapped account: %v", err)
		}
		if cov, _ := c.CoveredPeriods(ctx, cm.ID, finance.Period{Year: 2020, Month: time.September}, finance.Period{Year: 2020, Month: time.September}); len(cov) != 0 {
			t.Error("a refused import was read in")
		}

		// A finalised report locks its months.
		err = db.InTx(ctx, func(tx *store.Conn) error {
			r, err := tx.CreateInterimReport(ctx, finance.InterimReport{CommitteeID: cm.ID, Period: finance.Period{Year: 2020, Month: time.August}, Title: "Delårsrapport augusti 2020"})
			if err != nil {
				return err
			}
			figures, err := tx.InterimFigures(ctx, cm.ID, r.Period)
			if err != nil {
				return err
			}
			r.FinalisedAt = time.Now()
			_, err = tx.FinaliseInterimReport(ctx, r, figures, []byte("%PDF"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		march := saveCSV(t, db, ctx, cm, "mars.csv", "3611;2020-03;-1\n")
		v, _ = c.PreviewImport(ctx, march.ID)
		if v.CanCommit() || !v.Changes[0].Locked || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "låst") {
			t.Errorf("locked period: %+v, %v", v.Changes, v.Problems)
		}
		if err := commit(db, ctx, march.ID); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("committing into a locked period: %v", err)
		}
		if got, _ := c.ImportByID(ctx, march.ID); got.Status != finance.ImportStatusPreview {
			t.Errorf("the refused import is %s", got.Status)
		}
		// A month after the locked ones is still open.
		sept := saveCSV(t, db, ctx, cm, "september.csv", "3611;2020-09;-76200\n")
		if err := commit(db, ctx, sept.ID); err != nil {
			t.Errorf("September: %v", err)
		}

		for _, stmt := range []string{"DELETE FROM ledger_actuals", "UPDATE ledger_actuals SET amount_ore = 0", "UPDATE ledger_imports SET file_name = 'x'",
			"DELETE FROM ledger_imports", "DELETE FROM ledger_import_periods", "DELETE FROM ledger_current"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
		if b, err := c.ImportContent(ctx, demoImport.ID); err != nil || string(b) != string(demo.August2020SIE) {
			t.Errorf("stored file: %d bytes, %v", len(b), err)
		}
	})
}

// TestImportKeepsFileWarnings keeps the warnings of a file in a style real
// ledgers write (BL Administration: #KTYP 1930 O, #PBUDGET without {}) with
// the import and shows them in its preview, which still may be committed.
func TestImportKeepsFileWarnings(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../reports/sie/testdata/bl-administration-2020-01.se")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		lf, err := interim.ReadSIE("bl.se", data)
		if err != nil {
			t.Fatal(err)
		}
		var imp finance.Import
		if err := db.InTx(ctx, func(c *store.Conn) error { imp, err = c.SaveImport(ctx, cm.ID, lf, data); return err }); err != nil {
			t.Fatal(err)
		}
		if len(imp.Warnings) != 3 || !strings.Contains(imp.Warnings[0], "rad 11") {
			t.Errorf("kept warnings = %q", imp.Warnings)
		}
		v, err := db.Conn().PreviewImport(ctx, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(v.Warnings, "\n")
		if !strings.Contains(all, `SIE-filen, rad 11: kontotypen "O"`) || !strings.Contains(all, "SIE-filen, rad 16: #PBUDGET") {
			t.Errorf("preview warnings:\n%s", all)
		}
		if !v.CanCommit() {
			t.Errorf("the preview cannot be committed: %v", v.Problems)
		}
	})
}
