package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
)

const reportAbout = `Writes a committee's economic report for scheduled runs, from the database GNS_DB names:

  gns report interim --committee GNS --period 2020-08 --out delarsrapport.pdf
      the interim report for a period end: "Tertialrapport april 2021",
      "Delårsrapport augusti 2020", "Årsbokslut 2020" (any month on demand).
      The latest version of the period: a finalised report exactly as frozen,
      a draft with its texts and today's figures, and with no report yet the
      figures with suggested texts (nothing is saved).
  gns report budget --committee GNS --year 2021 --out budget-2021.pdf
      the budget of a year: the rows, the base funding and each party's share,
      the decided projects with their keys, and the payment plan.

PDF by default; --format xlsx writes the table as a workbook. --out - writes
to standard output.`

// action reads the first argument of a command made of actions, such as
// `gns report interim`: one of valid. Without one it prints the usage line
// and returns errUsage, or flag.ErrHelp for --help; an unknown one is a usage
// error naming what, e.g. "report".
func action(env *environment, args []string, usage, what string, valid ...string) (string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return "", flag.ErrHelp
		}
		return "", errUsage
	}
	if !slices.Contains(valid, args[0]) {
		return "", fmt.Errorf("%w: unknown %s %q: use %s", errUsage, what, args[0], strings.Join(valid, " or "))
	}
	return args[0], nil
}

// runReport is `gns report interim|budget`.
func runReport(ctx context.Context, env *environment, args []string) error {
	kind, err := action(env, args, "Usage: gns report interim|budget [flags]   (gns report interim --help)", "report", "interim", "budget")
	if err != nil {
		return err
	}
	synopsis := "--committee CODE --period YYYY-MM --out FILE [--format pdf|xlsx]"
	if kind == "budget" {
		synopsis = "--committee CODE --year YYYY --out FILE [--format pdf|xlsx]"
	}
	fs := flags(env, "report "+kind, synopsis, reportAbout)
	dsn := dbFlag(fs, env)
	code := fs.String("committee", "", "committee code, e.g. GNS")
	periodText := fs.String("period", "", "the report's last month, YYYY-MM (interim)")
	yearText := fs.String("year", "", "the budget year (budget)")
	out := fs.String("out", "", "the file to write, or - for standard output")
	format := fs.String("format", "pdf", "pdf, or xlsx for the table")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	case *code == "":
		return fmt.Errorf("%w: --committee is required", errUsage)
	case *out == "":
		return fmt.Errorf("%w: --out is required (a file, or - for standard output)", errUsage)
	case *format != "pdf" && *format != "xlsx":
		return fmt.Errorf("%w: --format must be pdf or xlsx, got %q", errUsage, *format)
	}
	var period finance.Period
	var year int
	if kind == "interim" {
		p, err := finance.ParsePeriod(*periodText)
		if err != nil {
			return fmt.Errorf("%w: --period: %s", errUsage, domain.ErrorMessage(err))
		}
		period = p
	} else {
		y, err := strconv.Atoi(*yearText)
		if err != nil || y < 1900 || y > 2999 {
			return fmt.Errorf("%w: --year must be a year such as 2021", errUsage)
		}
		year = y
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
	conn := db.Conn()
	var b []byte
	var what string
	if kind == "interim" {
		b, what, err = interimFile(ctx, conn, cm, period, *format)
	} else {
		var doc interim.BudgetReport
		if doc, err = app.BudgetDocument(ctx, conn, cm, year); err == nil {
			what = fmt.Sprintf("Budget %d, version %d", year, doc.Budget.Version)
			if *format == "xlsx" {
				b, err = interim.BuildBudgetXLSX(doc)
			} else {
				b, err = interim.BuildBudgetPDF(doc)
			}
		}
	}
	if err != nil {
		return reportError(err)
	}
	if *out == "-" {
		_, err = env.stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(env.stdout, "wrote %s: %s (%d bytes)\n", *out, what, len(b))
	return nil
}

// reportError gives a domain error (no budget, an account without a row,
// a refused import) its Swedish message alone, as a failure (exit 1).
func reportError(err error) error {
	if domain.ErrorCode(err) == domain.EINTERNAL {
		return err
	}
	return errors.New(domain.ErrorMessage(err))
}

// economyCommittee reads a committee by its code and makes sure it has its
// report rows.
func economyCommittee(ctx context.Context, db *store.DB, code string) (domain.Committee, error) {
	cm, err := db.Conn().CommitteeByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return cm, userError(err)
	}
	err = db.InTx(ctx, func(c *store.Conn) error { _, err := c.EnsureReportRows(ctx, cm.ID); return err })
	return cm, err
}

// interimFile makes the interim report's file: the latest version of the
// period (a finalised one as frozen), or, with none, one with suggested
// texts that is not saved.
func interimFile(ctx context.Context, conn *store.Conn, cm domain.Committee, p finance.Period, format string) ([]byte, string, error) {
	list, err := conn.InterimReports(ctx, cm.ID)
	if err != nil {
		return nil, "", err
	}
	var r finance.InterimReport
	found := false
	for _, x := range list {
		if x.Period == p { // the latest version comes first
			r, found = x, true
			break
		}
	}
	what := interim.Title(p) + ", förslag (inte sparad)"
	if found {
		state := "utkast"
		if r.Final() {
			state = "fastställd"
		}
		what = fmt.Sprintf("%s, version %d, %s", r.Title, r.Version, state)
		if r.Final() && format == "pdf" {
			b, err := conn.InterimReportPDF(ctx, r.ID)
			return b, what, err
		}
	} else if r, _, err = app.NewInterimReport(ctx, conn, cm, p); err != nil {
		return nil, "", err
	}
	doc, err := app.InterimDocument(ctx, conn, cm, r)
	if err != nil {
		return nil, "", err
	}
	var b []byte
	if format == "xlsx" {
		b, err = interim.BuildXLSX(doc)
	} else {
		b, err = interim.BuildPDF(doc)
	}
	return b, what, err
}
