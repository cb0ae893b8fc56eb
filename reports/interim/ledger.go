package interim

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/sie"
)

// MaxLedgerFile bounds a file read from the host's ledger: a year of
// verifications of a committee is far smaller.
const MaxLedgerFile = 20 << 20

// newLedgerFile starts the description of a file with its name, size and
// SHA-256.
func newLedgerFile(format finance.LedgerFormat, name string, data []byte) finance.LedgerFile {
	sum := sha256.Sum256(data)
	return finance.LedgerFile{Format: format, FileName: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)),
		AccountNames: map[string]string{}, ObjectNames: map[string]string{}}
}

// ReadSIE reads an SIE 4 export (types 1 to 4E and 4I; see reports/sie) into
// the monthly outcome of its result accounts, in the ledger's signs: #PSALDO
// where the file has it, #TRANS otherwise, per account and per cost object;
// and its budget (#PBUDGET). Balance-sheet accounts are listed and left out.
// A malformed or truncated file fails with the line number (an EINVALID
// domain error with a Swedish message), and so does a currency other than
// SEK; a fault in a record GNS does not need (sieOptional) is a warning with
// its line in LedgerFile.Warnings, the record left out.
//
// The file covers, for each fiscal year (#RAR) it has amounts for, the months
// from the year's start to its end, or to #OMFATTN when that falls inside the
// year, or else to the last month with an amount; a file without #RAR covers
// the months of its verifications.
func ReadSIE(name string, data []byte) (finance.LedgerFile, error) {
	if len(data) > MaxLedgerFile {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "Filen är för stor: högst %d MB.", MaxLedgerFile>>20)
	}
	f, err := sie.ParseWith(bytes.NewReader(data), sie.Options{Optional: sieOptional})
	if err != nil {
		var pe *sie.ParseError
		if errors.As(err, &pe) {
			return finance.LedgerFile{}, domain.FieldErrorf("file", "SIE-filen kan inte läsas: %s", pe.Error())
		}
		return finance.LedgerFile{}, err
	}
	if f.Currency != "" && f.Currency != "SEK" {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "SIE-filen är i valutan %s; GNS läser bara belopp i kronor (SEK).", f.Currency)
	}
	lf := newLedgerFile(finance.LedgerSIE, name, data)
	for i, w := range f.Warnings {
		if i == maxWarnings {
			lf.Warnings = append(lf.Warnings, fmt.Sprintf("SIE-filen har %d fler sådana fel.", len(f.Warnings)-maxWarnings))
			break
		}
		lf.Warnings = append(lf.Warnings, "SIE-filen, "+w.String()+".")
	}
	lf.Company, lf.OrgNumber, lf.Through = f.Company.Name, f.Company.OrgNumber, f.Through
	types := map[string]string{}
	for _, a := range f.Accounts {
		lf.AccountNames[a.Number] = a.Name
		types[a.Number] = string(a.Type)
	}
	for _, o := range f.Objects {
		lf.ObjectNames[finance.ObjectKey(o.Dimension, o.Number)] = o.Name
	}
	balance := map[string]bool{}
	collect := func(totals map[sie.TotalKey]decimal.Decimal) []finance.LedgerAmount {
		var out []finance.LedgerAmount
		for k, amount := range totals {
			if finance.IsBalanceAccount(k.Account, types[k.Account]) {
				balance[k.Account] = true
				continue
			}
			if amount.IsZero() {
				continue
			}
			out = append(out, finance.LedgerAmount{Period: period(k.Period), Account: k.Account,
				Dimension: k.Object.Dimension, Object: k.Object.Number, Amount: amount})
		}
		sortAmounts(out)
		return out
	}
	lf.Outcome = collect(f.PeriodTotals())
	lf.Budget = collect(f.BudgetTotals())
	for a := range balance {
		lf.BalanceAccounts = append(lf.BalanceAccounts, a)
	}
	slices.Sort(lf.BalanceAccounts)
	lf.Periods = sieCoverage(f)
	if len(lf.Periods) == 0 {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "SIE-filen har inga periodsaldon (#PSALDO) eller verifikationer (#TRANS) att läsa in.")
	}
	return lf, nil
}

// sieOptional are the SIE records the outcome does not depend on: the
// identification, the account types (#KTYP; without it the account's number
// says whether it is a balance account), dimensions and object names, the
// yearly balances and the budget (#PBUDGET, which is left out whole when one
// of its records is faulty). A fault in one of them is a warning; a fault in
// #RAR, #KONTO, #OMFATTN, #VALUTA, #PSALDO or a verification refuses the file.
var sieOptional = []string{"#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#KPTYP", "#FNAMN", "#ORGNR",
	"#KTYP", "#DIM", "#UNDERDIM", "#OBJEKT", "#IB", "#UB", "#RES", "#PBUDGET"}

// maxWarnings bounds the warnings of one file listed one by one.
const maxWarnings = 20

func period(p sie.Period) finance.Period { return finance.Period{Year: p.Year, Month: p.Month} }

// sieCoverage returns the months an SIE file covers (see ReadSIE).
func sieCoverage(f *sie.File) []finance.Period {
	months := map[finance.Period]bool{}
	for _, p := range f.PeriodBalances {
		months[period(p.Period)] = true
	}
	for _, v := range f.Verifications {
		for _, t := range v.Transactions {
			d := t.Date
			if d.IsZero() {
				d = v.Date
			}
			months[finance.Period{Year: d.Year, Month: d.Month}] = true
		}
	}
	covered := map[finance.Period]bool{}
	for _, y := range f.Years {
		first, last := finance.Period{Year: y.Start.Year, Month: y.Start.Month}, finance.Period{Year: y.End.Year, Month: y.End.Month}
		has, latest := false, finance.Period{}
		for m := range months {
			if !m.Before(first) && !last.Before(m) {
				has = true
				if latest.Before(m) {
					latest = m
				}
			}
		}
		if !has {
			continue
		}
		end := last
		if t := f.Through; !t.IsZero() {
			through := finance.Period{Year: t.Year, Month: t.Month}
			if !through.Before(first) && through.Before(last) {
				end = through
			}
		} else if y.Index == 0 {
			end = latest
		}
		for _, m := range first.Months(end) {
			covered[m] = true
		}
	}
	if len(f.Years) == 0 {
		covered = months
	}
	out := make([]finance.Period, 0, len(covered))
	for m := range covered {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b finance.Period) int { return a.Int() - b.Int() })
	return out
}

func sortAmounts(list []finance.LedgerAmount) {
	slices.SortFunc(list, func(a, b finance.LedgerAmount) int {
		if c := a.Period.Int() - b.Period.Int(); c != 0 {
			return c
		}
		if c := strings.Compare(a.Account, b.Account); c != 0 {
			return c
		}
		if c := a.Dimension - b.Dimension; c != 0 {
			return c
		}
		return strings.Compare(a.Object, b.Object)
	})
}

// CSVObjectDimension is the dimension of the cost objects in a CSV file: SIE's
// dimension 1, kostnadsställe/objekt.
const CSVObjectDimension = 1

// ReadCSV reads a CSV export of the monthly outcome for one fiscal year:
// lines of account, period (YYYY-MM or YYYYMM), amount and, optionally, a
// cost object, separated by commas or semicolons, with a header line or
// without. Amounts are in the ledger's signs (debit positive, revenue
// negative, as in SIE) with a decimal comma or point; a decimal comma in a
// comma-separated file must be quoted ("-67932,50"). Several lines for the
// same account and month add up; the account's total includes the lines with
// an object, which also count as that object's part.
//
// Every line is checked; the first bad one fails the file with its line
// number: a period outside the year, an amount with letters, an account that
// is not digits. The file covers the months it has lines for.
func ReadCSV(name string, data []byte, year int) (finance.LedgerFile, error) {
	if len(data) > MaxLedgerFile {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "Filen är för stor: högst %d MB.", MaxLedgerFile>>20)
	}
	if year < domain.MinYear || year > domain.MaxYear {
		return finance.LedgerFile{}, domain.FieldErrorf("year", "Ange räkenskapsåret filen gäller, med fyra siffror.")
	}
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(text) {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "CSV-filen är inte UTF-8. Spara den som ”CSV UTF-8” och försök igen.")
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = separator(text)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	lf := newLedgerFile(finance.LedgerCSV, name, data)
	lf.Year = year
	sums := map[finance.LedgerAmount]decimal.Decimal{} // key with zero Amount
	months := map[finance.Period]bool{}
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldPos panics after a failed Read (it has no fields): the line
			// comes from the parse error, where the bad record starts.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if errors.Is(err, csv.ErrQuote) {
				return finance.LedgerFile{}, csvError(line, "citattecknen stämmer inte: ett fält som börjar med \" måste sluta med \" (och \" inuti fältet skrivs \"\")")
			}
			return finance.LedgerFile{}, csvError(line, "raden kan inte läsas som CSV (kontrollera citattecknen)")
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if first && isHeader(rec) {
			first = false
			continue
		}
		first = false
		if len(rec) < 3 || len(rec) > 4 {
			return finance.LedgerFile{}, csvError(line, "raden har %d fält; ange konto, period, belopp och eventuellt objekt", len(rec))
		}
		account := strings.TrimSpace(rec[0])
		if err := finance.CheckAccount("file", account); err != nil {
			return finance.LedgerFile{}, csvError(line, "%s", strings.TrimSuffix(domain.ErrorMessage(err), "."))
		}
		p, err := finance.ParsePeriod(rec[1])
		if err != nil {
			return finance.LedgerFile{}, csvError(line, "%s", strings.TrimSuffix(domain.ErrorMessage(err), "."))
		}
		if p.Year != year {
			return finance.LedgerFile{}, csvError(line, "perioden %s ligger utanför räkenskapsåret %d", p, year)
		}
		amount, err := domain.ParseAmount(rec[2])
		if err != nil {
			return finance.LedgerFile{}, csvError(line, "%s", strings.TrimSuffix(domain.ErrorMessage(err), "."))
		}
		object := ""
		if len(rec) == 4 {
			object = strings.TrimSpace(rec[3])
			if err := domain.CheckText("file", "Objektet", object, 40); err != nil || strings.ContainsAny(object, "\r\n\t") {
				return finance.LedgerFile{}, csvError(line, "objektet %s är inte giltigt", strconv.Quote(object))
			}
		}
		months[p] = true
		if finance.IsBalanceAccount(account, "") {
			if !slices.Contains(lf.BalanceAccounts, account) {
				lf.BalanceAccounts = append(lf.BalanceAccounts, account)
			}
			continue
		}
		whole := finance.LedgerAmount{Period: p, Account: account}
		sums[whole] = sums[whole].Add(amount)
		if object != "" {
			part := finance.LedgerAmount{Period: p, Account: account, Dimension: CSVObjectDimension, Object: object}
			sums[part] = sums[part].Add(amount)
		}
	}
	if len(months) == 0 {
		return finance.LedgerFile{}, domain.FieldErrorf("file", "CSV-filen har inga rader med utfall.")
	}
	for k, v := range sums {
		if !v.IsZero() {
			k.Amount = v
			lf.Outcome = append(lf.Outcome, k)
		}
	}
	sortAmounts(lf.Outcome)
	slices.Sort(lf.BalanceAccounts)
	for m := range months {
		lf.Periods = append(lf.Periods, m)
	}
	slices.SortFunc(lf.Periods, func(a, b finance.Period) int { return a.Int() - b.Int() })
	return lf, nil
}

// separator guesses the field separator from the first line: a semicolon
// when it has one (as Swedish spreadsheets write), a comma otherwise.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.ContainsRune(first, ';') {
		return ';'
	}
	return ','
}

// isHeader reports whether a record is a heading line rather than data: its
// first field is not an account number and its second not a period.
func isHeader(rec []string) bool {
	first := strings.TrimSpace(rec[0])
	if first == "" || strings.Trim(first, "0123456789") == "" {
		return false
	}
	if len(rec) > 1 {
		if _, err := finance.ParsePeriod(rec[1]); err == nil {
			return false
		}
	}
	return true
}

func csvError(line int, format string, args ...any) error {
	return domain.FieldErrorf("file", "CSV-filen kan inte läsas: rad %d: %s. Inget är inläst.", line, fmt.Sprintf(format, args...))
}
