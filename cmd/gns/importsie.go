package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

const importAbout = `Imports the monthly outcome from the host's ledger into a committee, from the
database GNS_DB names:

  gns import sie --committee GNS region-jh-2020-08.se
      an SIE 4 file (#PSALDO, #PBUDGET, #TRANS; code page 437, UTF-8 or
      Windows-1252);
  gns import csv --committee GNS --year 2020 utfall.csv
      a CSV file of account,period,amount[,object] lines for one year
      (ledger signs: debit positive; decimal comma or point).

It prints the preview first: the outcome per report row and year, what happens
to each month (new, replacing an earlier import, or the same), the warnings and
what stops the import (an account without a row, a change to a month a
finalised report has locked). With --dry-run nothing is kept, and the exit
status says whether the import could be committed: 0 when it could, 1 when
the preview has obstacles ("Hinder"), so a script can use the dry run as a
check. Otherwise the import is committed, or refused whole (exit 1). The same
file is read in once.`

// errDryRun rolls the transaction of a dry run back; errDryRunBlocked does
// so for a dry run whose preview has obstacles, which exits 1.
var (
	errDryRun        = errors.New("dry run")
	errDryRunBlocked = errors.New("dry run: the import has obstacles (Hinder) and could not be committed; nothing was imported")
)

// runImport is `gns import sie|csv`.
func runImport(ctx context.Context, env *environment, args []string) error {
	format, err := action(env, args, "Usage: gns import sie|csv|bgmax|camt054 --committee CODE [--dry-run] FILE   (gns import sie --help)", "format", "sie", "csv", "bgmax", "camt054")
	if err != nil {
		return err
	}
	if format == "bgmax" || format == "camt054" {
		return runPaymentImport(ctx, env, format, args)
	}
	fs := flags(env, "import "+format, "--committee CODE [--year YYYY] [--dry-run] FILE", importAbout)
	dsn := dbFlag(fs, env)
	code := fs.String("committee", "", "committee code, e.g. GNS")
	yearText := fs.String("year", "", "the fiscal year of a CSV file")
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
	year := 0
	if format == "csv" {
		y, err := strconv.Atoi(*yearText)
		if err != nil {
			return fmt.Errorf("%w: --year is required for a CSV file, e.g. --year 2020", errUsage)
		}
		year = y
	}
	path := fs.Arg(0)
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, errors.Unwrap(err))
	}
	if info.Size() > interim.MaxLedgerFile {
		return fmt.Errorf("%s is too large: at most %d MB", path, interim.MaxLedgerFile>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	lf, err := app.ReadLedgerFile(format, filepath.Base(path), data, year)
	if err != nil {
		return reportError(err)
	}

	db, err := openMigrated(ctx, *dsn, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx)
	cm, err := economyCommittee(ctx, db, *code)
	if err != nil {
		return err
	}
	out := env.stdout
	err = db.InTx(ctx, func(c *store.Conn) error {
		imp, err := c.SaveImport(ctx, cm.ID, lf, data)
		if err != nil {
			return err
		}
		if imp.Status == finance.ImportStatusCommitted {
			fmt.Fprintf(out, "%s is already imported into %s as import %d (%s); nothing imported again\n", lf.FileName, cm.Code, imp.ID, sv.DateTime(imp.CommittedAt))
			return nil
		}
		v, err := c.PreviewImport(ctx, imp.ID)
		if err != nil {
			return err
		}
		if err := printPreview(out, v); err != nil {
			return err
		}
		if *dryRun {
			if len(v.Problems) > 0 {
				return errDryRunBlocked
			}
			return errDryRun
		}
		committed, err := c.CommitImport(ctx, imp.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "imported %s into %s as import %d: %d months got new outcome\n", lf.FileName, cm.Code, committed.ID, len(committed.Taken))
		return nil
	})
	return importOutcome(out, err, errDryRunBlocked)
}

// importOutcome turns the error an import's transaction ended with into the
// command's: a dry run that rolled back is success, a dry run stopped by
// blocked (its own error, exit 1) stays as it is, any other error is
// reported.
func importOutcome(out io.Writer, err, blocked error) error {
	switch {
	case errors.Is(err, errDryRun):
		fmt.Fprintln(out, "dry run: nothing was imported")
		return nil
	case errors.Is(err, blocked):
		return err
	case err != nil:
		return reportError(err)
	}
	return nil
}

// printPreview writes an import's preview in Swedish: the file, the outcome
// per report row and year, the months, the warnings and the problems.
func printPreview(w io.Writer, v finance.ImportPreview) error {
	imp := v.Import
	fmt.Fprintf(w, "Förhandsvisning av %s (%s), perioder %s, SHA-256 %s\n\n", imp.FileName, imp.Format.Label(), imp.PeriodSpan(), imp.SHA256)
	var years []int
	for _, p := range imp.Periods {
		if len(years) == 0 || years[len(years)-1] != p.Year {
			years = append(years, p.Year)
		}
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, "RAD (kr, intäkter +, kostnader −)\t")
	for _, y := range years {
		fmt.Fprintf(tw, "%18d\t", y)
	}
	fmt.Fprintln(tw)
	for _, r := range v.Rows {
		fmt.Fprintf(tw, "%s\t", r.Name)
		for _, y := range years {
			sum := decimal.Zero
			for p, d := range v.Totals[r.ID] {
				if p.Year == y {
					sum = sum.Add(d)
				}
			}
			fmt.Fprintf(tw, "%18s\t", sv.Amount(sum))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMånader:")
	for _, ch := range v.Changes {
		locked := ""
		if ch.Locked {
			locked = " (låst)"
		}
		fmt.Fprintf(w, "  %s  %s%s\n", ch.Period, ch.Label(), locked)
	}
	for _, u := range v.Unmapped {
		fmt.Fprintf(w, "Konto utan rad: %s, %s kr\n", strings.TrimSpace(u.Account+" "+u.Name), sv.Amount(u.Total))
	}
	for _, s := range v.Warnings {
		fmt.Fprintln(w, "Observera: "+s)
	}
	for _, s := range v.Problems {
		fmt.Fprintln(w, "Hinder: "+s)
	}
	return nil
}
