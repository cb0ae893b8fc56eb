package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// TestImportPaymentsCommand: gns import bgmax on the demo's open invoices:
// a dry run that would register everything exits 0 and keeps nothing, the
// import registers them, the same file again is refused (exit 1), a dry run
// with an unmatched payment exits 1, and a damaged file names its line.
func TestImportPaymentsCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "gns.db")
	if code := run(context.Background(), mustEnv(), []string{"demo", "--db", dsn}); code != 0 {
		t.Fatalf("gns demo: exit %d", code)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	openInvoices := func() int {
		docs, err := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range docs {
			if d.Kind == finance.InvoiceKindInvoice && d.Open().IsPositive() {
				n++
			}
		}
		return n
	}
	docs, err := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID})
	if err != nil {
		t.Fatal(err)
	}
	settings, err := db.Conn().InvoiceSettings(ctx, cm.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := openInvoices()
	file := filepath.Join(dir, "bgmax.txt")
	if err := os.WriteFile(file, app.ExamplePaymentFile(settings.Bankgiro, docs, domain.DateOf(time.Now()), time.Now()), 0o600); err != nil {
		t.Fatal(err)
	}
	gns := func(want int, args ...string) (string, string) {
		t.Helper()
		env, out, errs := testEnv(map[string]string{"GNS_DB": dsn})
		if code := run(context.Background(), env, args); code != want {
			t.Fatalf("gns %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errs)
		}
		return out.String(), errs.String()
	}
	out, _ := gns(0, "import", "bgmax", "--committee", "GNS", "--dry-run", file)
	if !strings.Contains(out, "Förhandsvisning av bgmax.txt (BgMax)") || !strings.Contains(out, "dry run: nothing was imported") ||
		strings.Count(out, "betald (OCR-nummer)") != before {
		t.Errorf("dry run:\n%s", out)
	}
	if openInvoices() != before {
		t.Fatal("the dry run registered payments")
	}
	out, _ = gns(0, "import", "bgmax", "--committee", "GNS", file)
	if !strings.Contains(out, "payments registered") || openInvoices() != 0 {
		t.Errorf("import (%d open after):\n%s", openInvoices(), out)
	}
	_, errs := gns(1, "import", "bgmax", "--committee", "GNS", file)
	if !strings.Contains(errs, "redan inläst") {
		t.Errorf("same file again: %s", errs)
	}
	// The same payments in another file: every invoice is paid now, so
	// they are left for a hand and the dry run exits 1.
	again := filepath.Join(dir, "again.txt")
	if err := os.WriteFile(again, app.ExamplePaymentFile(settings.Bankgiro, docs, domain.DateOf(time.Now()), time.Now().Add(time.Second)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs = gns(1, "import", "bgmax", "--committee", "GNS", "--dry-run", again)
	if !strings.Contains(out, "dubbelbetalning") || !strings.Contains(errs, "unmatched or need a hand") {
		t.Errorf("dry run of paid invoices:\n%s\n%s", out, errs)
	}
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, []byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><Ntfctn>
<Ntry><Amt Ccy="SEK">1,00</Amt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs = gns(1, "import", "camt054", "--committee", "GNS", bad); !strings.Contains(errs, "Rad 2") {
		t.Errorf("damaged file: %s", errs)
	}
}
