package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/bankfile"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

const paymentImportAbout = `Reads the bank's file of incoming payments into a committee's invoices, in the
database GNS_DB names:

  gns import bgmax --committee GNS BGMAX.txt
      Bankgirot's BgMax file (Bankgiro Inbetalningar);
  gns import camt054 --committee GNS camt054.xml
      an ISO 20022 camt.054 notification.

It prints the preview first: each payment with the invoice it pays, how it
was matched (OCR number; the invoice number or OCR in the message; the amount
and the payer), partial payments and overpayments (the excess is never
registered), deductions and payments for no invoice, with the reason. Then it
registers every matched payment in one transaction. A damaged file, or a file
already read in, is refused whole (exit 1, nothing kept). With --dry-run
nothing is kept, and the exit status is 0 when every payment would be
registered as it is, 1 when something is unmatched or needs a hand (or the
file could not be read in).`

// errPaymentsNeedAttention ends a dry run whose preview has payments left
// to the economist.
var errPaymentsNeedAttention = errors.New("dry run: some payments are unmatched or need a hand; nothing was imported")

// runPaymentImport is `gns import bgmax|camt054`.
func runPaymentImport(ctx context.Context, env *environment, format string, args []string) error {
	fs := flags(env, "import "+format, "--committee CODE [--dry-run] FILE", paymentImportAbout)
	dsn := dbFlag(fs, env)
	code := fs.String("committee", "", "committee code, e.g. GNS")
	dryRun := fs.Bool("dry-run", false, "print the preview and keep nothing")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: give exactly one file to import", errUsage)
	}
	if *code == "" {
		return fmt.Errorf("%w: --committee is required", errUsage)
	}
	path := fs.Arg(0)
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, errors.Unwrap(err))
	}
	if info.Size() > bankfile.MaxFile {
		return fmt.Errorf("%s is too large: at most %d MB", path, bankfile.MaxFile>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	pf, err := app.ReadPaymentFile(format, filepath.Base(path), data)
	if err != nil {
		return reportError(err)
	}
	db, err := openMigrated(ctx, *dsn, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx)
	cm, err := db.Conn().CommitteeByCode(ctx, strings.ToUpper(strings.TrimSpace(*code)))
	if err != nil {
		return userError(err)
	}
	out := env.stdout
	err = db.InTx(ctx, func(c *store.Conn) error {
		if *dryRun {
			v, err := c.MatchPaymentFile(ctx, cm.ID, pf)
			if err != nil {
				return err
			}
			printPaymentPreview(out, v)
			if len(v.Problems) > 0 || len(v.Matching.Attention()) > 0 {
				return errPaymentsNeedAttention
			}
			return errDryRun
		}
		imp, err := c.SavePaymentFile(ctx, cm.ID, pf, data)
		if err != nil {
			return err
		}
		v, err := c.PreviewPaymentFile(ctx, imp.ID)
		if err != nil {
			return err
		}
		printPaymentPreview(out, v)
		done, err := c.CommitPaymentFile(ctx, imp.ID)
		if err != nil {
			return err
		}
		n, sum := done.Matching.Registered()
		fmt.Fprintf(out, "read %s into %s as payment file %d: %d payments registered, %s kr; %d left to handle by hand\n",
			pf.FileName, cm.Code, done.Import.ID, n, sv.Amount(sum), len(done.Matching.Attention()))
		return nil
	})
	return importOutcome(out, err, errPaymentsNeedAttention)
}

// printPaymentPreview writes a payment file's preview in Swedish, a line a
// payment.
func printPaymentPreview(w io.Writer, v finance.PaymentImportPreview) {
	imp := v.Import
	fmt.Fprintf(w, "Förhandsvisning av %s (%s), SHA-256 %s\n", imp.FileName, imp.Format.Label(), imp.SHA256)
	for _, d := range imp.Deposits {
		fmt.Fprintf(w, "Insättning %s %s: %s kr, %d betalningar\n", d.Account, d.Date, sv.Amount(d.Total), d.Count)
	}
	fmt.Fprintln(w)
	for _, m := range v.Matching.Matches {
		p := m.Payment
		target := "-"
		if len(m.Parts) > 0 {
			target = m.InvoiceNumbers()
		}
		by := ""
		if m.By != "" {
			by = " (" + m.By.Label() + ")"
		}
		fmt.Fprintf(w, "rad %-4d %s %15s  %-25s %-15s %s%s\n", p.Line, p.PaidOn, sv.Amount(p.Amount), p.AllReferences(), target, m.Outcome.Label(), by)
		if m.Reason != "" {
			fmt.Fprintf(w, "         %s\n", m.Reason)
		}
	}
	n, sum := v.Matching.Registered()
	fmt.Fprintf(w, "\nRegistreras: %d av %d betalningar, %s kr. Hanteras för hand: %d.\n", n, len(v.Matching.Matches), sv.Amount(sum), len(v.Matching.Attention()))
	for _, s := range v.Warnings {
		fmt.Fprintln(w, "Observera: "+s)
	}
	for _, s := range v.Problems {
		fmt.Fprintln(w, "Hinder: "+s)
	}
}
