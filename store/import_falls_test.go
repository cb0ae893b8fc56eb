package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestImportFalls: a file that names January–September but holds only
// September would replace eight months of outcome with zero. The preview
// says which months the file really holds and lists the falls; committing
// needs their own confirmation, and nothing is read in without it. A month
// that falls by more than half is a fall too.
func TestImportFalls(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		c := db.Conn()
		sept := finance.Period{Year: 2020, Month: time.September}
		lf := finance.LedgerFile{Format: finance.LedgerSIE, FileName: "september.se", SHA256: strings.Repeat("a", 64),
			Periods: finance.Period{Year: 2020, Month: time.January}.Months(sept),
			Outcome: []finance.LedgerAmount{{Period: sept, Account: "3611", Amount: decimal.RequireFromString("-1000")}}}
		var imp finance.Import
		if err := db.InTx(ctx, func(tx *store.Conn) error {
			var err error
			imp, err = tx.SaveImport(ctx, cm.ID, lf, []byte("x"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		v, err := c.PreviewImport(ctx, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.HeldText() != "september 2020" || v.HoldsAll() {
			t.Errorf("held = %v (%q), want september 2020 alone", v.Held, v.HeldText())
		}
		if len(v.Falls) != 8 || v.Falls[0].Fall != finance.FallToZero || v.Falls[0].Period.String() != "2020-01" || !v.CanCommit() {
			t.Fatalf("falls = %+v", v.Falls)
		}
		if got := v.Falls[0].FallText(); !strings.HasPrefix(got, "2020-01: utfallet (") || !strings.Contains(got, "ersätts med noll") {
			t.Errorf("fall text = %q", got)
		}
		before := v.Falls[0].Before

		err = db.InTx(ctx, func(tx *store.Conn) error { _, err := tx.CommitImport(ctx, imp.ID); return err })
		if e, ok := err.(*domain.Error); !ok || e.Field != "confirm_falls" || !strings.Contains(e.Message, "2020-08: utfallet") {
			t.Fatalf("commit without confirmation: %v", err)
		}
		if cur, _ := c.ImportByID(ctx, imp.ID); cur.Status != finance.ImportStatusPreview {
			t.Error("the refused commit read the import in")
		}
		jan := finance.Period{Year: 2020, Month: time.January}
		if got, _ := c.OutcomeByAccount(ctx, cm.ID, jan, jan); len(got) == 0 {
			t.Error("January lost its outcome without a confirmation")
		}
		if err := db.InTx(ctx, func(tx *store.Conn) error { _, err := tx.CommitImportConfirmed(ctx, imp.ID, true); return err }); err != nil {
			t.Fatalf("commit with confirmation: %v", err)
		}
		if got, _ := c.OutcomeByAccount(ctx, cm.ID, jan, jan); len(got) != 0 {
			t.Errorf("January after the confirmed import = %v, want nothing", got)
		}

		// A month that falls by more than half, but not to zero.
		half := saveCSV(t, db, ctx, cm, "september-liten.csv", "3611;2020-09;-400\n")
		v, _ = c.PreviewImport(ctx, half.ID)
		if len(v.Falls) != 1 || v.Falls[0].Fall != finance.FallHalf || !v.Falls[0].Before.Equal(decimal.NewFromInt(1000)) || !v.Falls[0].After.Equal(decimal.NewFromInt(400)) {
			t.Errorf("falls by more than half = %+v", v.Falls)
		}
		if !before.IsPositive() {
			t.Errorf("the January fall was measured from %s", before)
		}
		// A rise, or a fall of less than half, is no fall.
		rise := saveCSV(t, db, ctx, cm, "september-stor.csv", "3611;2020-09;-600\n")
		if v, _ := c.PreviewImport(ctx, rise.ID); len(v.Falls) != 0 {
			t.Errorf("a fall of 40 %% = %+v", v.Falls)
		}
	})
}

// TestDiscardImport: an abandoned preview is discarded, kept with who and
// when, never committed; the same file again gets a new preview. A committed
// import is not discarded.
func TestDiscardImport(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, _ := economyDemo(t, db)
		c := db.Conn()
		data := "3611;2020-09;-100\n"
		imp := saveCSV(t, db, ctx, cm, "september.csv", data)
		discard := func(id int64) error {
			return db.InTx(ctx, func(tx *store.Conn) error { _, err := tx.DiscardImport(ctx, id); return err })
		}
		if err := discard(imp.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := c.ImportByID(ctx, imp.ID)
		if !got.Discarded() || got.DiscardedBy != "ekonom@example.se" || got.Status != finance.ImportStatusPreview {
			t.Errorf("discarded import = %+v", got)
		}
		if v, _ := c.PreviewImport(ctx, imp.ID); v.CanCommit() || v.CanDiscard() {
			t.Error("a discarded preview can still be committed or discarded")
		}
		wantCode(t, "committing a discarded preview", commit(db, ctx, imp.ID), domain.ECONFLICT, "kasserad")
		wantCode(t, "discarding twice", discard(imp.ID), domain.ECONFLICT, "redan kasserad")
		again := saveCSV(t, db, ctx, cm, "september.csv", data)
		if again.ID == imp.ID || again.Discarded() {
			t.Errorf("the same file after a discard = %+v, want a new preview", again)
		}
		if err := commit(db, ctx, again.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "discarding a committed import", discard(again.ID), domain.ECONFLICT, "inläst")
	})
}
