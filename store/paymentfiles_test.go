package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/bankfile"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
)

// TestPaymentFileImport reads a BgMax file of two deposits into the
// fixture's base funding invoices: payments by OCR, by the invoice number in
// the message, by amount and payer, a partial payment, an overpayment, a
// deduction and a payment for no invoice; commits it in one transaction and
// refuses the same file again.
func TestPaymentFileImport(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, run := issuedFixture(t, db)
		inv := run.Invoices
		if len(inv) != 8 {
			t.Fatalf("%d invoices", len(inv))
		}
		day := domain.DateOf(time.Now())
		d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
		file := bankfile.File{Format: bankfile.BgMax, Deposits: []bankfile.Deposit{
			{Account: "5050-1055", Currency: "SEK", Date: day, Payments: []bankfile.Payment{
				{Amount: d("101600"), Reference: inv[0].OCR, OCRChecked: true, Payer: inv[0].Buyer.Name},
				{Amount: d("50000"), Reference: inv[1].OCR, OCRChecked: true},
				{Amount: d("101600"), Texts: []string{"Faktura " + strings.ToLower(inv[2].Number) + ", tack"}},
				{Amount: d("101600"), Payer: strings.ToUpper(inv[3].Buyer.Name)},
				{Amount: d("101700"), Reference: inv[4].OCR, OCRChecked: true},
				{Amount: d("-1500"), Deduction: true, Reference: inv[5].OCR},
			}},
			{Account: "991-2346", Currency: "SEK", Date: day, Payments: []bankfile.Payment{
				{Amount: d("10"), Reference: "1234567897", OCRChecked: true, Payer: "Okänd betalare"},
			}},
		}}
		content := bankfile.WriteBgMax(file, time.Now())
		pf, err := app.ReadPaymentFile("", "bgmax-2026-12-07.txt", content)
		if err != nil {
			t.Fatal(err)
		}
		// A dry run keeps nothing.
		var dry finance.PaymentImportPreview
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			dry, err = c.MatchPaymentFile(f.ctx, f.cm.ID, pf)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, sum := dry.Matching.Registered(); n != 5 || !sum.Equal(d("456400")) || len(dry.Matching.Attention()) != 3 {
			t.Fatalf("dry run: %d registered, %s kr, %d need attention: %+v", n, sum, len(dry.Matching.Attention()), dry.Matching.Matches)
		}
		var saved finance.PaymentImport
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			saved, err = c.SavePaymentFile(f.ctx, f.cm.ID, pf, content)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		v, err := db.Conn().PreviewPaymentFile(f.ctx, saved.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			outcome finance.MatchOutcome
			by      finance.MatchMethod
			invoice string
			reason  string
		}{
			{finance.MatchPaid, finance.ByOCR, inv[0].Number, ""},
			{finance.MatchPartial, finance.ByOCR, inv[1].Number, sv.Kronor(d("51600")) + " av " + inv[1].Number + " är kvar"},
			{finance.MatchPaid, finance.ByReference, inv[2].Number, "Kontrollera: matchad på referens i meddelandet"},
			{finance.MatchPaid, finance.ByAmount, inv[3].Number, "belopp och betalare"},
			{finance.MatchOver, finance.ByOCR, inv[4].Number, sv.Kronor(d("100")) + " mer än det som återstod"},
			{finance.MatchDeduction, "", "", "Avdrag på " + sv.Kronor(d("1500"))},
			{finance.MatchNone, "", "", "OCR-numret 1234567897 finns inte"},
		}
		if len(v.Matching.Matches) != len(want) {
			t.Fatalf("%d matches", len(v.Matching.Matches))
		}
		for i, w := range want {
			m := v.Matching.Matches[i]
			if m.Outcome != w.outcome || m.By != w.by || m.InvoiceNumbers() != w.invoice || !strings.Contains(m.Reason, w.reason) {
				t.Errorf("payment %d: %s by %q on %q (%s), want %s by %q on %q (%q)", i+1, m.Outcome, m.By, m.InvoiceNumbers(), m.Reason, w.outcome, w.by, w.invoice, w.reason)
			}
		}
		if over := v.Matching.Matches[4]; !over.Excess.Equal(d("100")) || !over.Registered().Equal(d("101600")) {
			t.Errorf("overpayment: excess %s, registered %s", over.Excess, over.Registered())
		}
		if len(v.Warnings) != 1 || !strings.Contains(v.Warnings[0], "gäller bankgiro 991-2346, inte nämndens 5050-1055") {
			t.Errorf("warnings = %q", v.Warnings)
		}
		if !v.CanCommit() {
			t.Fatalf("cannot commit: %q", v.Problems)
		}

		var done finance.PaymentImportPreview
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			done, err = c.CommitPaymentFile(f.ctx, saved.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !done.Import.Committed || done.Import.CommittedBy != "ekonom@example.se" || len(done.Matching.Matches) != 7 ||
			done.Matching.Matches[4].Outcome != finance.MatchOver || !done.Matching.Matches[4].Excess.Equal(d("100")) {
			t.Fatalf("committed = %+v", done)
		}
		statuses := map[string]string{}
		for _, i := range inv[:6] {
			got, err := db.Conn().InvoiceByID(f.ctx, i.ID)
			if err != nil {
				t.Fatal(err)
			}
			statuses[got.Number] = string(got.Status()) + " " + got.Open().StringFixed(2)
		}
		for n, want := range map[string]string{inv[0].Number: "paid 0.00", inv[1].Number: "partly_paid 51600.00", inv[2].Number: "paid 0.00",
			inv[3].Number: "paid 0.00", inv[4].Number: "paid 0.00", inv[5].Number: "issued 101600.00"} {
			if statuses[n] != want {
				t.Errorf("%s: %s, want %s", n, statuses[n], want)
			}
		}
		pays, err := db.Conn().Payments(f.ctx, inv[1].ID)
		if err != nil || len(pays) != 1 || !strings.HasPrefix(pays[0].Note, "BgMax-fil bgmax-2026-12-07.txt, rad ") {
			t.Errorf("payments of %s = %+v, %v", inv[1].Number, pays, err)
		}

		// The same file again is refused, saying when it was read in.
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.SavePaymentFile(f.ctx, f.cm.ID, pf, content)
			return err
		})
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "redan inläst: betalfil") {
			t.Errorf("same file again: %v", err)
		}
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.CommitPaymentFile(f.ctx, saved.ID)
			return err
		})
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("committed twice: %v", err)
		}
		list, err := db.Conn().PaymentImports(f.ctx, f.cm.ID)
		if err != nil || len(list) != 1 || !list[0].Total().Equal(d("455010")) {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
}

// TestPaymentFileMatchedAgainstInvoicesAtCommit: a payment registered by
// hand between the preview and the commit is not paid twice; the file's
// payment for it is left for the economist.
func TestPaymentFileMatchedAgainstInvoicesAtCommit(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, run := issuedFixture(t, db)
		today := domain.DateOf(time.Now())
		content := app.ExamplePaymentFile("5050-1055", run.Invoices[:2], today, time.Now())
		pf, err := app.ReadPaymentFile("bgmax", "exempel.bgmax", content)
		if err != nil {
			t.Fatal(err)
		}
		var saved finance.PaymentImport
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			saved, err = c.SavePaymentFile(f.ctx, f.cm.ID, pf, content)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.RegisterPayment(f.ctx, run.Invoices[0].Number, finance.Payment{Amount: decimal.NewFromInt(101600), PaidOn: today}, today)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var done finance.PaymentImportPreview
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			done, err = c.CommitPaymentFile(f.ctx, saved.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m := done.Matching.Matches
		if len(m) != 2 || m[0].Outcome != finance.MatchNone || !strings.Contains(m[0].Reason, "dubbelbetalning") || m[1].Outcome != finance.MatchPaid {
			t.Fatalf("matches = %+v", m)
		}
		if pays, _ := db.Conn().Payments(f.ctx, run.Invoices[0].ID); len(pays) != 1 {
			t.Errorf("%s has %d payments", run.Invoices[0].Number, len(pays))
		}
	})
}

// TestPaymentFileRecordsNeverChange: a committed file and its lines are
// kept as they are, whatever program asks.
func TestPaymentFileRecordsNeverChange(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, run := issuedFixture(t, db)
		content := app.ExamplePaymentFile("5050-1055", run.Invoices, domain.DateOf(time.Now()), time.Now())
		pf, err := app.ReadPaymentFile("", "exempel.bgmax", content)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(f.ctx, func(c *store.Conn) error {
			saved, err := c.SavePaymentFile(f.ctx, f.cm.ID, pf, content)
			if err != nil {
				return err
			}
			_, err = c.CommitPaymentFile(f.ctx, saved.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`UPDATE payment_files SET file_name = 'x'`, `DELETE FROM payment_files`,
			`UPDATE payment_file_lines SET amount_ore = 1`, `DELETE FROM payment_file_lines`} {
			if _, err := db.SQL().ExecContext(f.ctx, q); err == nil {
				t.Errorf("%s: no error", q)
			}
		}
	})
}

// issuedFixture is the invoice fixture with its base funding 2021 issued.
func issuedFixture(t *testing.T, db *store.DB) (*invoiceFixture, finance.InvoiceRun) {
	t.Helper()
	f := newInvoiceFixture(t, db)
	run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
	if err != nil {
		t.Fatal(err)
	}
	return f, run
}
