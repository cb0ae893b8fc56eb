package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
)

// economyDB is a SQLite database with the demo and a committee SAM hosted
// by the region, with the nine parties, the demo's account mapping and a 2021
// budget, but no outcome: what a scheduled run starts from.
func economyDB(t *testing.T) string {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "gns.db")
	if code := run(context.Background(), mustEnv(), []string{"demo", "--db", dsn}); code != 0 {
		t.Fatalf("gns demo: exit %d", code)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	err = db.InTx(ctx, func(c *store.Conn) error {
		region, err := c.PartyBySlug(ctx, "region-jh")
		if err != nil {
			return err
		}
		sam, err := c.CreateCommittee(ctx, domain.Committee{Code: "SAM", Name: "Gemensam nämnd för samverkan (test)", StartedOn: domain.MustDate("2018-07-01"), HostPartyID: region.ID})
		if err != nil {
			return err
		}
		for i, p := range demo.Parties {
			party, err := c.PartyBySlug(ctx, p.Slug)
			if err != nil {
				return err
			}
			if err := c.AddMembership(ctx, domain.Membership{CommitteeID: sam.ID, PartyID: party.ID, Position: i + 1, From: sam.StartedOn}); err != nil {
				return err
			}
		}
		rows, err := c.EnsureReportRows(ctx, sam.ID)
		if err != nil {
			return err
		}
		byKey := map[string]int64{}
		for _, r := range rows {
			byKey[r.Key] = r.ID
		}
		for _, ar := range demo.AccountRanges {
			if _, err := c.AddAccountRange(ctx, finance.AccountRange{CommitteeID: sam.ID, From: ar.From, To: ar.To, RowID: byKey[ar.Row]}); err != nil {
				return err
			}
		}
		_, err = c.CreateBudget(ctx, finance.Budget{CommitteeID: sam.ID, Year: 2021, BaseFunding: demo.BaseFunding, PaymentMonths: []time.Month{time.January},
			Lines: []finance.BudgetLine{{RowID: byKey["forsaljning"], Annual: decimal.NewFromInt(2_415_000)}, {RowID: byKey["konsultkostnader"], Annual: decimal.NewFromInt(-1_521_900)}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

func mustEnv() *environment {
	env, _, _ := testEnv(nil)
	return env
}

func TestImportAndReportCommands(t *testing.T) {
	t.Parallel()
	dsn := economyDB(t)
	dir := t.TempDir()
	sieFile := filepath.Join(dir, "region-jh-2020-08.se")
	if err := os.WriteFile(sieFile, demo.August2020SIE, 0o600); err != nil {
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

	// The dry run prints the preview and keeps nothing.
	out, _ := gns(0, "import", "sie", "--committee", "SAM", "--dry-run", sieFile)
	for _, want := range []string{"Förhandsvisning av region-jh-2020-08.se (SIE 4), perioder 2019-01 – 2020-08", "Försäljning", "2\u00a0150\u00a0870,00",
		"2020-08  ny", "Observera: Balanskontona 1510, 2440, 2920", "dry run: nothing was imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	// A file in BL Administration's style: the faults in records GNS does
	// not use are warnings with their lines, and the dry run passes.
	out, _ = gns(0, "import", "sie", "--committee", "SAM", "--dry-run", "../../reports/sie/testdata/bl-administration-2020-01.se")
	for _, want := range []string{`Observera: SIE-filen, rad 11: kontotypen "O"`, "Observera: SIE-filen, rad 16: #PBUDGET", "dry run: nothing was imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run of the BL file lacks %q:\n%s", want, out)
		}
	}
	// A dry run whose preview has obstacles exits 1, so a script can check.
	blocked := filepath.Join(dir, "okant-konto.se")
	if err := os.WriteFile(blocked, []byte("#FLAGGA 0\r\n#SIETYP 4\r\n#FNAMN \"Region\"\r\n#KONTO 3999 \"Okänt\"\r\n#PSALDO 0 202009 3999 {} -5.00"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs := gns(1, "import", "sie", "--committee", "SAM", "--dry-run", blocked)
	if !strings.Contains(out, "Hinder: Kontot 3999") || !strings.Contains(errs, "the import has obstacles") {
		t.Errorf("blocked dry run printed:\n%s\nstderr: %s", out, errs)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sam, _ := db.Conn().CommitteeByCode(context.Background(), "SAM")
	if imports, _ := db.Conn().Imports(context.Background(), sam.ID); len(imports) != 0 {
		t.Fatalf("the dry run kept %d imports", len(imports))
	}

	out, _ = gns(0, "import", "sie", "--committee", "SAM", sieFile)
	if !strings.Contains(out, "imported region-jh-2020-08.se into SAM as import") || !strings.Contains(out, "20 months got new outcome") {
		t.Errorf("import printed:\n%s", out)
	}
	if out, _ = gns(0, "import", "sie", "--committee", "SAM", sieFile); !strings.Contains(out, "is already imported into SAM") {
		t.Errorf("the same file again printed:\n%s", out)
	}

	// The interim report: PDF and XLSX.
	pdfPath := filepath.Join(dir, "delarsrapport.pdf")
	out, _ = gns(0, "report", "interim", "--committee", "SAM", "--period", "2020-08", "--out", pdfPath)
	if !strings.Contains(out, "Delårsrapport augusti 2020, förslag (inte sparad)") {
		t.Errorf("report printed %q", out)
	}
	b, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b, true)
	// SAM has no budget for 2020: the budget column is zero.
	for _, want := range []string{"Delårsrapport augusti 2020", "Försäljning 2 151 0 2 151 2 204 −54", "Summa bruttokostnader −2 170 0 −2 170 −2 697 527",
		"Summa verksamhetens nettokostnader −19 0 −19 −493 474", "Sida 1 av 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	xlsxPath := filepath.Join(dir, "delarsrapport.xlsx")
	gns(0, "report", "interim", "--committee", "SAM", "--period", "2020-08", "--format", "xlsx", "--out", xlsxPath)
	if sheet := sheetOf(t, xlsxPath); !strings.Contains(sheet, "<v>2150870</v>") || !strings.Contains(sheet, "<v>-19030</v>") {
		t.Errorf("the workbook's sheet lacks the figures:\n%s", sheet)
	}

	// The budget, PDF and XLSX; to standard output too.
	budgetPath := filepath.Join(dir, "budget.pdf")
	if out, _ = gns(0, "report", "budget", "--committee", "SAM", "--year", "2021", "--out", budgetPath); !strings.Contains(out, "Budget 2021, version 1") {
		t.Errorf("budget printed %q", out)
	}
	b, _ = os.ReadFile(budgetPath)
	text = pdftest.Text(t, b, true)
	for _, want := range []string{"Budget 2021", "Försäljning 2 415", "Konsultkostnader −1 522", "Bräcke kommun lika delar, 1/9 101 600,00 kr", "Betalningsplan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the budget PDF lacks %q:\n%s", want, text)
		}
	}
	if out, _ = gns(0, "report", "budget", "--committee", "SAM", "--year", "2021", "--format", "xlsx", "--out", "-"); !strings.HasPrefix(out, "PK") {
		t.Errorf("the workbook on standard output starts %q", out[:min(len(out), 10)])
	}

	// Called wrongly (2) or refused (1): one line on stderr, nothing written.
	truncated := filepath.Join(dir, "kort.se")
	os.WriteFile(truncated, demo.August2020SIE[:len(demo.August2020SIE)/2], 0o600)
	unclosed := filepath.Join(dir, "citat.csv")
	os.WriteFile(unclosed, []byte("\"abc\n"), 0o600)
	for _, tt := range []struct {
		code int
		args []string
		want string
	}{
		{1, []string{"import", "sie", "--committee", "SAM", truncated}, "SIE-filen kan inte läsas: rad "},
		{2, []string{"import", "sie", "--committee", "XYZ", sieFile}, "finns inte"},
		{2, []string{"import", "csv", "--committee", "SAM", sieFile}, "--year is required"},
		{1, []string{"import", "csv", "--committee", "SAM", "--year", "2021", unclosed}, "CSV-filen kan inte läsas: rad 1: citattecknen stämmer inte"},
		{2, []string{"import", "xml", "--committee", "SAM", sieFile}, "unknown format"},
		{1, []string{"import", "sie", "--committee", "SAM", filepath.Join(dir, "saknas.se")}, "read"},
		{2, []string{"report", "interim", "--committee", "SAM", "--period", "augusti", "--out", pdfPath}, "--period"},
		{2, []string{"report", "interim", "--committee", "SAM", "--period", "2020-08"}, "--out is required"},
		{2, []string{"report", "budget", "--committee", "SAM", "--year", "2021", "--format", "docx", "--out", pdfPath}, "--format must be pdf or xlsx"},
		{1, []string{"report", "budget", "--committee", "SAM", "--year", "2030", "--out", filepath.Join(dir, "ingen.pdf")}, "Nämnden har ingen budget för 2030."},
		{2, []string{"report", "kvartal", "--committee", "SAM"}, "unknown report"},
	} {
		_, errs := gns(tt.code, tt.args...)
		if !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("gns %v: stderr %q, want one line with %q", tt.args, errs, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ingen.pdf")); err == nil {
		t.Error("a refused report wrote a file")
	}
	if imports, _ := db.Conn().Imports(context.Background(), sam.ID); len(imports) != 1 {
		t.Errorf("refused imports left %d imports", len(imports))
	}
}

func sheetOf(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			r, _ := f.Open()
			data, _ := io.ReadAll(r)
			return string(data)
		}
	}
	t.Fatal("no sheet")
	return ""
}
