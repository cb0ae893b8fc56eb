package finance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// Period is a calendar month of the ledger, the unit of the host's monthly
// outcome (#PSALDO) and of the interim reports.
type Period struct {
	Year  int
	Month time.Month
}

// ParsePeriod reads a month written YYYY-MM (2020-08) or YYYYMM (202008), as
// the forms, the CSV files and SIE write it.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := domain.Errorf(domain.EINVALID, "Perioden %s är inte en månad: skriv ÅÅÅÅ-MM, till exempel 2020-08.", sv.Quote(s))
	var y, m string
	switch {
	case len(s) == 7 && s[4] == '-':
		y, m = s[:4], s[5:]
	case len(s) == 6:
		y, m = s[:4], s[4:]
	default:
		return Period{}, bad
	}
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || strings.ContainsAny(s, "+ ") {
		return Period{}, bad
	}
	p := Period{Year: year, Month: time.Month(month)}
	if p.Month >= time.January && p.Month <= time.December && !p.Valid() {
		return Period{}, domain.Errorf(domain.EINVALID, "Perioden %s måste ligga mellan %04d-01 och %04d-12.", sv.Quote(s), domain.MinYear, domain.MaxYear)
	}
	if !p.Valid() {
		return Period{}, bad
	}
	return p, nil
}

// PeriodFromInt reads the YYYYMM integer the database stores.
func PeriodFromInt(n int) Period { return Period{Year: n / 100, Month: time.Month(n % 100)} }

// Int returns p as the integer YYYYMM.
func (p Period) Int() int { return p.Year*100 + int(p.Month) }

// String writes p as YYYY-MM, or "" for the zero Period.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month))
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Valid reports whether p is a month of a plausible year, the years of
// domain.MinDate … domain.MaxDate.
func (p Period) Valid() bool {
	return p.Year >= domain.MinYear && p.Year <= domain.MaxYear && p.Month >= time.January && p.Month <= time.December
}

// Before reports whether p is an earlier month than q.
func (p Period) Before(q Period) bool { return p.Int() < q.Int() }

// Next returns the month after p.
func (p Period) Next() Period {
	if p.Month == time.December {
		return Period{Year: p.Year + 1, Month: time.January}
	}
	return Period{Year: p.Year, Month: p.Month + 1}
}

// First returns January of p's year, where an accumulated figure starts.
func (p Period) First() Period { return Period{Year: p.Year, Month: time.January} }

// PriorYear returns the same month a year earlier, the comparison period.
func (p Period) PriorYear() Period { return Period{Year: p.Year - 1, Month: p.Month} }

// LastDay returns the last day of the month.
func (p Period) LastDay() domain.Date {
	return domain.DateOf(time.Date(p.Year, p.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// MarshalJSON writes p as "YYYY-MM".
func (p Period) MarshalJSON() ([]byte, error) { return []byte(`"` + p.String() + `"`), nil }

// UnmarshalJSON reads "YYYY-MM".
func (p *Period) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("period %s: %w", b, err)
	}
	*p, err = ParsePeriod(s)
	return err
}

// Months returns the months from p through q, inclusive.
func (p Period) Months(q Period) []Period {
	var out []Period
	for m := p; !q.Before(m); m = m.Next() {
		out = append(out, m)
	}
	return out
}

// JoinPeriods writes periods as "2020-01, 2020-02".
func JoinPeriods(list []Period) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// ReportKind is the kind of an interim report, given by its period's month.
type ReportKind string

// The reports of the committee's year (shared/DOMAIN.md §7).
const (
	ReportTertial ReportKind = "tertialrapport" // April: four months
	ReportInterim ReportKind = "delarsrapport"  // August: the interim report the law requires
	ReportAnnual  ReportKind = "arsbokslut"     // December: the year's accounts
	ReportMonthly ReportKind = "manadsrapport"  // any other month, on demand
)

// ReportKindOf returns the kind of report made for a period end.
func ReportKindOf(p Period) ReportKind {
	switch p.Month {
	case time.April:
		return ReportTertial
	case time.August:
		return ReportInterim
	case time.December:
		return ReportAnnual
	}
	return ReportMonthly
}

// RowKind is what a report row holds.
type RowKind string

// The kinds of report row: revenue and cost rows take accounts; a total row
// is computed from the rows it sums and never takes accounts or budget.
const (
	RowRevenue RowKind = "revenue"
	RowCost    RowKind = "cost"
	RowTotal   RowKind = "total"
	// RowAll is what the bottom line of the table sums: every revenue and
	// cost row (Summa verksamhetens nettokostnader).
	RowAll RowKind = "all"
)

// ReportRow is a row of the host region's chart for the interim report's
// table: Försäljning, Personalkostnader, Summa intäkter ... Revenue shows
// positive and costs negative; a total row sums the rows of the kind in
// TotalOf.
type ReportRow struct {
	ID          int64
	CommitteeID int64
	// Key is a stable short name, e.g. "forsaljning".
	Key      string
	Name     string
	Position int
	Kind     RowKind
	// TotalOf is, for a total row, RowRevenue, RowCost or RowAll.
	TotalOf RowKind
}

// IsTotal reports whether r is computed from other rows.
func (r ReportRow) IsTotal() bool { return r.Kind == RowTotal }

// Sums reports whether the total row r includes the detail row d.
func (r ReportRow) Sums(d ReportRow) bool {
	return r.IsTotal() && !d.IsTotal() && (r.TotalOf == RowAll || r.TotalOf == d.Kind)
}

// KindLabel returns the Swedish name of the row's kind.
func (r ReportRow) KindLabel() string {
	switch r.Kind {
	case RowRevenue:
		return "intäkt"
	case RowCost:
		return "kostnad"
	}
	return "summa"
}

// DefaultReportRows are the rows of Region Jämtland Härjedalen's chart in
// their order (shared/DOMAIN.md §7), as every committee starts with.
var DefaultReportRows = []ReportRow{
	{Key: "patientavgifter", Name: "Patientavgifter", Kind: RowRevenue},
	{Key: "forsaljning", Name: "Försäljning", Kind: RowRevenue},
	{Key: "erhallna-bidrag", Name: "Erhållna bidrag", Kind: RowRevenue},
	{Key: "ovriga-intakter", Name: "Övriga intäkter", Kind: RowRevenue},
	{Key: "summa-intakter", Name: "Summa intäkter", Kind: RowTotal, TotalOf: RowRevenue},
	{Key: "personalkostnader", Name: "Personalkostnader", Kind: RowCost},
	{Key: "kopt-vard", Name: "Köpt riks- och regionvård", Kind: RowCost},
	{Key: "kop-av-verksamhet", Name: "Köp av verksamhet", Kind: RowCost},
	{Key: "verksamhetsanknutna-tjanster", Name: "Verksamhetsanknutna tjänster", Kind: RowCost},
	{Key: "inhyrd-personal", Name: "Inhyrd personal", Kind: RowCost},
	{Key: "lakemedel", Name: "Läkemedel", Kind: RowCost},
	{Key: "sjukvardsartiklar", Name: "Sjukvårdsart, övr mat o varor", Kind: RowCost},
	{Key: "lamnade-bidrag", Name: "Lämnade bidrag", Kind: RowCost},
	{Key: "fastighetskostnader", Name: "Fastighetskostnader", Kind: RowCost},
	{Key: "konsultkostnader", Name: "Konsultkostnader", Kind: RowCost},
	{Key: "ovriga-kostnader", Name: "Övriga kostnader", Kind: RowCost},
	{Key: "avskrivningar", Name: "Avskrivningar/finansnetto", Kind: RowCost},
	{Key: "summa-bruttokostnader", Name: "Summa bruttokostnader", Kind: RowTotal, TotalOf: RowCost},
	{Key: "summa-nettokostnader", Name: "Summa verksamhetens nettokostnader", Kind: RowTotal, TotalOf: RowAll},
}

// MaxAccountDigits bounds an account number; BAS accounts have four digits,
// the host's chart may have more.
const MaxAccountDigits = 10

// CheckAccount checks that s is an account number: digits only.
func CheckAccount(field, s string) error {
	if s == "" {
		return domain.FieldErrorf(field, "Ange ett kontonummer.")
	}
	if len(s) > MaxAccountDigits || strings.Trim(s, "0123456789") != "" {
		return domain.FieldErrorf(field, "Kontot %s är inte ett kontonummer: bara siffror, högst %d.", sv.Quote(s), MaxAccountDigits)
	}
	return nil
}

// IsBalanceAccount reports whether an account belongs to the balance sheet
// and so to no row of the result table: its SIE type (#KTYP) is T or S, or,
// without a type, its number starts with 1 or 2 as in the BAS chart.
func IsBalanceAccount(number, typ string) bool {
	switch typ {
	case "T", "S":
		return true
	case "I", "K":
		return false
	}
	return strings.HasPrefix(number, "1") || strings.HasPrefix(number, "2")
}

// AccountRange maps the accounts From through To (numbers of the same
// length, compared digit by digit) to a report row. A range is retired, never
// deleted, when the economist changes the mapping.
type AccountRange struct {
	ID          int64
	CommitteeID int64
	From, To    string
	RowID       int64
	RowName     string
	CreatedAt   time.Time
	CreatedBy   string
}

// Check checks the range's numbers.
func (r AccountRange) Check() error {
	if err := CheckAccount("from_account", r.From); err != nil {
		return err
	}
	if err := CheckAccount("to_account", r.To); err != nil {
		return err
	}
	if len(r.From) != len(r.To) {
		return domain.FieldErrorf("to_account", "Kontona %s och %s har olika antal siffror; ett intervall går mellan konton av samma längd.", r.From, r.To)
	}
	if r.To < r.From {
		return domain.FieldErrorf("to_account", "Till-kontot %s är lägre än från-kontot %s.", r.To, r.From)
	}
	return nil
}

// Contains reports whether account falls in the range.
func (r AccountRange) Contains(account string) bool {
	return len(account) == len(r.From) && r.From <= account && account <= r.To
}

// Overlaps reports whether r and o share an account.
func (r AccountRange) Overlaps(o AccountRange) bool {
	return len(r.From) == len(o.From) && r.From <= o.To && o.From <= r.To
}

// String writes the range as "3600–3699", or the account alone.
func (r AccountRange) String() string {
	if r.From == r.To {
		return r.From
	}
	return r.From + "–" + r.To
}

// Mapping is a committee's account ranges in force.
type Mapping []AccountRange

// RowOf returns the row an account maps to, and how many ranges hold it: 1
// when the mapping is sound, 0 for an unmapped account, more when ranges
// overlap (which adding a range refuses).
func (m Mapping) RowOf(account string) (rowID int64, matches int) {
	for _, r := range m {
		if r.Contains(account) {
			rowID, matches = r.RowID, matches+1
		}
	}
	return rowID, matches
}

// CheckNew checks that r can join the mapping: sound numbers and no overlap
// with a range in force.
func (m Mapping) CheckNew(r AccountRange) error {
	if err := r.Check(); err != nil {
		return err
	}
	for _, o := range m {
		if o.Overlaps(r) {
			return domain.FieldErrorf("from_account", "Intervallet %s överlappar %s, som redan går till %s. Ett konto hör till exakt en rad: ta bort det gamla intervallet först.", r, o, o.RowName)
		}
	}
	return nil
}

// LedgerFormat is the format of a file read from the host's ledger.
type LedgerFormat string

// The formats GNS reads actuals from.
const (
	LedgerSIE LedgerFormat = "sie"
	LedgerCSV LedgerFormat = "csv"
)

// Label returns the format's name as the interface writes it.
func (f LedgerFormat) Label() string {
	if f == LedgerSIE {
		return "SIE 4"
	}
	return "CSV"
}

// LedgerAmount is one monthly amount of one account, in the ledger's signs
// (debit positive, so revenue negative). Object names a cost object in a
// dimension (1 "6663"); empty for the account as a whole, which includes its
// objects' parts.
type LedgerAmount struct {
	Period    Period
	Account   string
	Dimension int
	Object    string
	Amount    decimal.Decimal
}

// ObjectKey names a cost object in a dimension as "1/6663".
func ObjectKey(dimension int, object string) string { return strconv.Itoa(dimension) + "/" + object }

// LedgerFile is what GNS read from one export of the host's ledger: the
// monthly outcome (and budget, for SIE's #PBUDGET) of the result accounts,
// and the months the file covers.
type LedgerFile struct {
	Format   LedgerFormat
	FileName string
	// SHA256 is the hex SHA-256 of the file's bytes; the same file is read
	// in once.
	SHA256 string
	Size   int64
	// Year is the fiscal year a CSV file was read for; 0 for SIE.
	Year int
	// Company, OrgNumber and Through are what an SIE file says of itself
	// (#FNAMN, #ORGNR, #OMFATTN).
	Company   string
	OrgNumber string
	Through   domain.Date
	// Periods are the months the file covers, in order: an import takes
	// over these months, also those without any amount.
	Periods []Period
	Outcome []LedgerAmount
	Budget  []LedgerAmount
	// AccountNames are the names the file gives its accounts;
	// ObjectNames the names of its cost objects, by ObjectKey.
	AccountNames map[string]string
	ObjectNames  map[string]string
	// BalanceAccounts are the balance-sheet accounts the file has, which no
	// report row takes and the import leaves out.
	BalanceAccounts []string
	// Warnings are faults in the file that did not stop it from being read
	// (a record GNS does not need that could not be read, with its line), in
	// Swedish; the import preview shows them.
	Warnings []string
}

// PeriodSpan writes the first and last month the file covers, "2019-01 –
// 2020-08", or the one month.
func (f LedgerFile) PeriodSpan() string {
	switch len(f.Periods) {
	case 0:
		return ""
	case 1:
		return f.Periods[0].String()
	}
	return f.Periods[0].String() + " – " + f.Periods[len(f.Periods)-1].String()
}

// CoversPeriod reports whether f covers p.
func (f LedgerFile) CoversPeriod(p Period) bool { return slices.Contains(f.Periods, p) }

// ImportStatus is where an import is: shown as a preview, or committed.
type ImportStatus string

// The states of an import.
const (
	ImportStatusPreview   ImportStatus = "preview"
	ImportStatusCommitted ImportStatus = "committed"
)

// Discarded reports whether the preview was discarded.
func (i Import) Discarded() bool { return !i.DiscardedAt.IsZero() }

// Import is one file read from the host's ledger. It is kept with its bytes
// and amounts whether or not it is committed; committing makes it the
// import in force for the periods where it changes something.
type Import struct {
	ID          int64
	CommitteeID int64
	LedgerFile
	Status      ImportStatus
	CreatedAt   time.Time
	CreatedBy   string
	CommittedAt time.Time
	CommittedBy string
	// DiscardedAt is set when the economist discarded the preview: it is
	// kept, but never committed.
	DiscardedAt time.Time
	DiscardedBy string
	// Taken are, for a committed import, the periods it took over and the
	// import it replaced in each.
	Taken []PeriodChange
}

// PeriodChange is what committing an import does to one period.
type PeriodChange struct {
	Period Period
	// Change is new (no outcome before), replace (different figures from
	// the import in force) or same (identical figures: nothing changes).
	Change   string
	Replaces int64
	// Locked is true when a finalised report covers the period.
	Locked bool
	// Fall is set when the import would replace a month's outcome with much
	// less: FallToZero when a month with amounts would have none, FallHalf
	// when its amounts (summed without sign) would fall by more than half.
	// Before and After are those sums. A fall needs its own confirmation.
	Fall          string
	Before, After decimal.Decimal
}

// The falls of a month's outcome that need their own confirmation.
const (
	FallToZero = "zero"
	FallHalf   = "half"
)

// FallText says in Swedish what a fall does to the month, or "" when the
// change is no fall.
func (c PeriodChange) FallText() string {
	switch c.Fall {
	case FallToZero:
		return fmt.Sprintf("%s: utfallet (%s kr) ersätts med noll, filen har inga belopp för månaden.", c.Period, sv.Amount(c.Before))
	case FallHalf:
		return fmt.Sprintf("%s: utfallet faller med mer än hälften, från %s kr till %s kr (beloppen summerade utan tecken).", c.Period, sv.Amount(c.Before), sv.Amount(c.After))
	}
	return ""
}

// The changes an import makes to a period.
const (
	ChangeNew     = "new"
	ChangeReplace = "replace"
	ChangeSame    = "same"
)

// Label returns the Swedish description of the change.
func (c PeriodChange) Label() string {
	switch c.Change {
	case ChangeNew:
		return "ny"
	case ChangeReplace:
		return fmt.Sprintf("ersätter import %d", c.Replaces)
	}
	return "oförändrad"
}

// UnmappedAccount is an account of an import that no report row takes.
type UnmappedAccount struct {
	Account string
	Name    string
	// Total is its outcome over the file, in the report's signs.
	Total decimal.Decimal
}

// ImportPreview is what an import would do, shown before it is committed:
// the outcome per report row and period in the report's signs, the accounts
// no row takes, the periods it changes, and what stops it.
type ImportPreview struct {
	Import Import
	Rows   []ReportRow
	// Totals are per row id and period, in the report's signs.
	Totals   map[int64]map[Period]decimal.Decimal
	Unmapped []UnmappedAccount
	Changes  []PeriodChange
	Warnings []string
	// Problems stop the import from being committed.
	Problems []string
	// Duplicate is the committed import of the same file, if any.
	Duplicate *Import
	// Held are the periods for which the file really has amounts (a file
	// may name January–September and hold only September).
	Held []Period
	// Falls are the periods the import would replace with zero or with less
	// than half: committing needs their own confirmation.
	Falls []PeriodChange
}

// CanCommit reports whether the import may be committed.
func (v ImportPreview) CanCommit() bool {
	return v.Import.Status == ImportStatusPreview && !v.Import.Discarded() && len(v.Problems) == 0 && v.Duplicate == nil
}

// CanDiscard reports whether the preview may be discarded.
func (v ImportPreview) CanDiscard() bool {
	return v.Import.Status == ImportStatusPreview && !v.Import.Discarded()
}

// HeldText says which months the file really holds: "september 2020", or
// "januari–mars 2020 och september 2020"; "inga månader" for none.
func (v ImportPreview) HeldText() string {
	if len(v.Held) == 0 {
		return "inga månader"
	}
	var runs []string
	for i := 0; i < len(v.Held); {
		j := i
		for j+1 < len(v.Held) && v.Held[j+1] == v.Held[j].Next() {
			j++
		}
		first, last := v.Held[i], v.Held[j]
		switch {
		case i == j:
			runs = append(runs, sv.MonthName(first.Month)+" "+strconv.Itoa(first.Year))
		case first.Year == last.Year:
			runs = append(runs, sv.MonthName(first.Month)+"–"+sv.MonthName(last.Month)+" "+strconv.Itoa(last.Year))
		default:
			runs = append(runs, sv.MonthName(first.Month)+" "+strconv.Itoa(first.Year)+"–"+sv.MonthName(last.Month)+" "+strconv.Itoa(last.Year))
		}
		i = j + 1
	}
	if len(runs) == 1 {
		return runs[0]
	}
	return strings.Join(runs[:len(runs)-1], ", ") + " och " + runs[len(runs)-1]
}

// HoldsAll reports whether the file has amounts for every period it names.
func (v ImportPreview) HoldsAll() bool { return len(v.Held) == len(v.Import.Periods) }

// Total returns a row's total over the periods.
func (v ImportPreview) Total(rowID int64) decimal.Decimal {
	sum := decimal.Zero
	for _, d := range v.Totals[rowID] {
		sum = sum.Add(d)
	}
	return sum
}

// Budget is one version of a committee's budget for a year: an amount per
// report row (annual, optionally spread by month), the year's base funding
// (basfinansiering, split in equal shares) and the months it is invoiced in.
// A budget is never changed: a revision is a new version, and the earlier
// ones stay.
type Budget struct {
	ID          int64
	CommitteeID int64
	Year        int
	Version     int
	BaseFunding decimal.Decimal
	// PaymentMonths are the months the base funding is invoiced in;
	// January unless the committee decides otherwise.
	PaymentMonths []time.Month
	Decision      string
	Note          string
	Lines         []BudgetLine
	CreatedAt     time.Time
	CreatedBy     string
}

// BudgetLine is a budget row's amount in the report's signs (revenue
// positive, costs negative).
type BudgetLine struct {
	RowID   int64
	RowName string
	Annual  decimal.Decimal
	// Months, when not nil, has the twelve monthly amounts, which sum to
	// Annual.
	Months []decimal.Decimal
}

// Through returns the amount budgeted for January through month m: the sum
// of the months when the line has them, otherwise m twelfths of the annual
// amount rounded to the öre (so December gives the annual amount exactly).
func (l BudgetLine) Through(m time.Month) decimal.Decimal {
	if len(l.Months) == 12 {
		sum := decimal.Zero
		for _, v := range l.Months[:m] {
			sum = sum.Add(v)
		}
		return sum
	}
	return l.Annual.Mul(decimal.NewFromInt(int64(m))).Div(decimal.NewFromInt(12)).Round(2)
}

// Line returns the line of a row, and whether the budget has one.
func (b Budget) Line(rowID int64) (BudgetLine, bool) {
	for _, l := range b.Lines {
		if l.RowID == rowID {
			return l, true
		}
	}
	return BudgetLine{}, false
}

// PaymentMonthsText writes the payment months as Swedish month numbers for a
// form field, "1" or "1, 7".
func (b Budget) PaymentMonthsText() string {
	parts := make([]string, len(b.PaymentMonths))
	for i, m := range b.PaymentMonths {
		parts[i] = strconv.Itoa(int(m))
	}
	return strings.Join(parts, ", ")
}

// ParsePaymentMonths reads "1" or "1, 7" (months by number, in order, each
// once); empty (or only separators) means January.
func ParsePaymentMonths(s string) ([]time.Month, error) {
	if strings.Trim(s, ",; \t\r\n") == "" {
		return []time.Month{time.January}, nil
	}
	var out []time.Month
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n > 12 {
			return nil, domain.FieldErrorf("payment_months", "Ange betalningsmånaderna som nummer 1–12, t.ex. ”1” för januari eller ”1, 7”.")
		}
		if len(out) > 0 && time.Month(n) <= out[len(out)-1] {
			return nil, domain.FieldErrorf("payment_months", "Ange betalningsmånaderna i ordning och var och en en gång.")
		}
		out = append(out, time.Month(n))
	}
	return out, nil
}

// Check checks a budget against the committee's rows: a known year, base
// funding not negative, payment months, one line per detail row at most, no
// line for a total row (totals are computed), and monthly amounts that sum to
// the annual one.
func (b Budget) Check(rows []ReportRow) error {
	if b.Year < 1900 || b.Year > 2999 {
		return domain.FieldErrorf("year", "Ange budgetåret med fyra siffror.")
	}
	if b.BaseFunding.IsNegative() {
		return domain.FieldErrorf("base_funding", "Basfinansieringen kan inte vara negativ.")
	}
	if len(b.PaymentMonths) == 0 {
		return domain.FieldErrorf("payment_months", "Ange minst en betalningsmånad.")
	}
	if err := domain.CheckText("decision", "Beslutet", b.Decision, 200); err != nil {
		return err
	}
	if err := domain.CheckText("note", "Kommentaren", b.Note, 2000); err != nil {
		return err
	}
	byID := map[int64]ReportRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	seen := map[int64]bool{}
	for _, l := range b.Lines {
		r, ok := byID[l.RowID]
		switch {
		case !ok:
			return domain.Errorf(domain.EINVALID, "Budgetraden %d finns inte i nämndens rader: budgeten sparas inte.", l.RowID)
		case r.IsTotal():
			return domain.Errorf(domain.EINVALID, "%s är en summarad och räknas fram; den budgeteras inte.", r.Name)
		case seen[l.RowID]:
			return domain.Errorf(domain.EINVALID, "%s finns två gånger i budgeten.", r.Name)
		}
		seen[l.RowID] = true
		if l.Months == nil {
			continue
		}
		if len(l.Months) != 12 {
			return domain.Errorf(domain.EINVALID, "%s: ange alla tolv månader eller ingen.", r.Name)
		}
		sum := decimal.Zero
		for _, m := range l.Months {
			sum = sum.Add(m)
		}
		if !sum.Equal(l.Annual) {
			return domain.Errorf(domain.EINVALID, "%s: månaderna summerar till %s men årsbeloppet är %s.", r.Name, sv.Kronor(sum), sv.Kronor(l.Annual))
		}
	}
	return nil
}

// CarryKind is a movement in the carry-forward ledger.
type CarryKind string

// The movements of carried-forward money (shared/DOMAIN.md §6.3).
const (
	// CarryResult is a year's result (surplus positive, deficit negative),
	// carried to the next year.
	CarryResult CarryKind = "result"
	// CarryEarmark reserves part of a surplus for a purpose by a decision.
	CarryEarmark CarryKind = "earmark"
	// CarryRelease lifts an earmark, or what is left of it.
	CarryRelease CarryKind = "release"
	// CarryUse spends part of a surplus, possibly from an earmark.
	CarryUse CarryKind = "use"
	// CarryRefund pays part of a surplus back to the parties, by a refund
	// allocation.
	CarryRefund CarryKind = "refund"
)

// CarryKinds lists the movements in the order the interface offers them.
var CarryKinds = []CarryKind{CarryResult, CarryEarmark, CarryRelease, CarryUse, CarryRefund}

// Label returns the Swedish name of the movement.
func (k CarryKind) Label() string {
	switch k {
	case CarryResult:
		return "Årets resultat överfört"
	case CarryEarmark:
		return "Öronmärkt"
	case CarryRelease:
		return "Öronmärkning upphävd"
	case CarryUse:
		return "Använt"
	case CarryRefund:
		return "Återbetalt"
	}
	return string(k)
}

// CarryEntry is one movement of carried-forward money of an originating
// year. Amount is the year's result with its sign for CarryResult, and a
// positive amount for every other movement.
type CarryEntry struct {
	ID          int64
	CommitteeID int64
	OriginYear  int
	Kind        CarryKind
	Amount      decimal.Decimal
	Date        domain.Date
	Purpose     string
	// Decision names the deciding paragraph, "GNS § 8/2020"; ParagraphID
	// links it when the minutes are in GNS.
	Decision    string
	ParagraphID int64
	// AllocationID is the refund allocation of a CarryRefund.
	AllocationID int64
	// EarmarkID is the earmark a release, use or refund draws on.
	EarmarkID int64
	// Kept is, for a refund paid "enligt beslutets belopp", what of the
	// money the refund drew from the year stayed in the committee (the
	// 1,00 kr of 468 091 kr refunded as 9 × 52 010 kr). It is not in Amount
	// and stays in the year's balance.
	Kept      decimal.Decimal
	CreatedAt time.Time
	CreatedBy string
}

// CarriedTo is the year a result is carried to: the next.
func (e CarryEntry) CarriedTo() int { return e.OriginYear + 1 }

// CarryYear is the state of one originating year's money.
type CarryYear struct {
	OriginYear int
	Result     decimal.Decimal
	Used       decimal.Decimal
	Refunded   decimal.Decimal
	// Kept is what refunds left in the year's balance because the
	// decisions paid rounded amounts (part of Balance).
	Kept decimal.Decimal
	// Earmarked is what open earmarks still reserve.
	Earmarked decimal.Decimal
	Entries   []CarryEntry
	// HasResult is false until the year's result is recorded.
	HasResult bool
}

// Balance is what remains: the result less what is used and refunded.
func (y CarryYear) Balance() decimal.Decimal { return y.Result.Sub(y.Used).Sub(y.Refunded) }

// Free is the balance not reserved by an earmark.
func (y CarryYear) Free() decimal.Decimal { return y.Balance().Sub(y.Earmarked) }

// CarryLedger is a committee's carried-forward money per originating year,
// oldest first, with the totals. Its books always balance: the total result
// less the total used and refunded is the total balance, and every year's
// balance is the sum of its own movements.
type CarryLedger struct {
	Years []CarryYear
	Total CarryYear
}

// earmarkLeft returns what an earmark still reserves after the releases,
// uses and refunds drawn on it.
func earmarkLeft(entries []CarryEntry, earmarkID int64) decimal.Decimal {
	left := decimal.Zero
	for _, e := range entries {
		switch {
		case e.ID == earmarkID && e.Kind == CarryEarmark:
			left = left.Add(e.Amount)
		case e.EarmarkID == earmarkID:
			left = left.Sub(e.Amount)
		}
	}
	return left
}

// BuildCarryLedger sums movements into the ledger.
func BuildCarryLedger(entries []CarryEntry) CarryLedger {
	byYear := map[int]*CarryYear{}
	var years []int
	for _, e := range entries {
		y, ok := byYear[e.OriginYear]
		if !ok {
			y = &CarryYear{OriginYear: e.OriginYear}
			byYear[e.OriginYear] = y
			years = append(years, e.OriginYear)
		}
		y.Entries = append(y.Entries, e)
		switch e.Kind {
		case CarryResult:
			y.Result, y.HasResult = y.Result.Add(e.Amount), true
		case CarryUse:
			y.Used = y.Used.Add(e.Amount)
		case CarryRefund:
			y.Refunded = y.Refunded.Add(e.Amount)
			y.Kept = y.Kept.Add(e.Kept)
		}
	}
	slices.Sort(years)
	var l CarryLedger
	l.Total.HasResult = true
	for _, year := range years {
		y := byYear[year]
		for _, e := range y.Entries {
			if e.Kind == CarryEarmark {
				y.Earmarked = y.Earmarked.Add(earmarkLeft(y.Entries, e.ID))
			}
		}
		l.Years = append(l.Years, *y)
		l.Total.Result = l.Total.Result.Add(y.Result)
		l.Total.Used = l.Total.Used.Add(y.Used)
		l.Total.Refunded = l.Total.Refunded.Add(y.Refunded)
		l.Total.Kept = l.Total.Kept.Add(y.Kept)
		l.Total.Earmarked = l.Total.Earmarked.Add(y.Earmarked)
	}
	return l
}

// Year returns the state of an originating year (empty when it has no
// movements).
func (l CarryLedger) Year(origin int) CarryYear {
	for _, y := range l.Years {
		if y.OriginYear == origin {
			return y
		}
	}
	return CarryYear{OriginYear: origin}
}

// CheckCarryEntry checks a new movement against the ledger it joins: the
// result is recorded once per year; every other movement needs a surplus to
// draw on, a decision and an amount above zero that the year (or the earmark
// it draws on) still has.
func CheckCarryEntry(e CarryEntry, l CarryLedger) error {
	if e.OriginYear < 1900 || e.OriginYear > 2999 {
		return domain.FieldErrorf("origin_year", "Ange ursprungsåret med fyra siffror.")
	}
	if e.Date.IsZero() {
		return domain.FieldErrorf("date", "Ange datum för händelsen.")
	}
	if err := domain.CheckText("purpose", "Ändamålet", e.Purpose, 500); err != nil {
		return err
	}
	if err := domain.CheckText("decision", "Beslutet", e.Decision, 200); err != nil {
		return err
	}
	y := l.Year(e.OriginYear)
	if e.Kind == CarryResult {
		if y.HasResult {
			return domain.FieldErrorf("origin_year", "Resultatet för %d är redan överfört.", e.OriginYear)
		}
		if e.Amount.IsZero() {
			return domain.FieldErrorf("amount", "Ett resultat på noll kronor behöver inte föras över.")
		}
		return nil
	}
	if !slices.Contains(CarryKinds, e.Kind) {
		return domain.FieldErrorf("kind", "Välj vilken sorts händelse det är.")
	}
	if !e.Amount.IsPositive() {
		return domain.FieldErrorf("amount", "Ange ett belopp större än noll.")
	}
	if e.Decision == "" {
		return domain.FieldErrorf("decision", "Ange beslutet (paragrafen), t.ex. ”GNS § 8/2020”.")
	}
	if !y.HasResult || !y.Balance().IsPositive() {
		return domain.FieldErrorf("origin_year", "%d har inget överskott att använda.", e.OriginYear)
	}
	limit, what := y.Free(), fmt.Sprintf("det som inte är öronmärkt av överskottet från %d", e.OriginYear)
	if e.EarmarkID != 0 {
		var mark *CarryEntry
		for i := range y.Entries {
			if y.Entries[i].ID == e.EarmarkID && y.Entries[i].Kind == CarryEarmark {
				mark = &y.Entries[i]
			}
		}
		if mark == nil || e.Kind == CarryEarmark {
			return domain.FieldErrorf("earmark", "Öronmärkningen finns inte bland %d års medel.", e.OriginYear)
		}
		limit, what = earmarkLeft(y.Entries, e.EarmarkID), "det som återstår av öronmärkningen ”"+mark.Purpose+"”"
	} else if e.Kind == CarryRelease {
		return domain.FieldErrorf("earmark", "Välj vilken öronmärkning som upphävs.")
	}
	if e.Kind == CarryEarmark && e.Purpose == "" {
		return domain.FieldErrorf("purpose", "Ange ändamålet medlen öronmärks för.")
	}
	if e.Amount.GreaterThan(limit) {
		return domain.FieldErrorf("amount", "Beloppet %s är mer än %s, %s.", sv.Kronor(e.Amount), what, sv.Kronor(limit))
	}
	return nil
}

// ReportStatus is whether a report may still change.
type ReportStatus string

// The states of an interim report.
const (
	ReportDraft ReportStatus = "draft"
	ReportFinal ReportStatus = "final"
)

// InterimReport is a report for a period end with the economist's texts.
// A draft changes until it is finalised; a finalised report is frozen with
// its figures and PDF, and a new version is made to change anything.
type InterimReport struct {
	ID          int64
	CommitteeID int64
	Period      Period
	Version     int
	Title       string
	// The sections' texts: Sammanfattning, Händelser av väsentlig
	// betydelse (one event per paragraph), and the comments on income,
	// costs and the result under Ekonomiskt resultat.
	Summary       string
	Events        string
	IncomeComment string
	CostComment   string
	ResultComment string
	// PriorComment is the section "Verksamhetens utfall mot föregående
	// år": the result against the same period a year before, and why.
	PriorComment string
	Status       ReportStatus
	// Figures, FiguresSHA256 and PDFSHA256 are set when the report is
	// finalised.
	Figures       *InterimTable
	FiguresSHA256 string
	PDFSHA256     string
	CreatedAt     time.Time
	CreatedBy     string
	UpdatedAt     time.Time
	FinalisedAt   time.Time
	FinalisedBy   string
}

// Final reports whether the report is finalised.
func (r InterimReport) Final() bool { return r.Status == ReportFinal }

// CheckTexts checks the report's texts.
func (r InterimReport) CheckTexts() error {
	for _, t := range []struct{ field, label, text string }{
		{"summary", "Sammanfattningen", r.Summary},
		{"events", "Händelser av väsentlig betydelse", r.Events},
		{"income_comment", "Kommentaren om intäkterna", r.IncomeComment},
		{"cost_comment", "Kommentaren om kostnaderna", r.CostComment},
		{"result_comment", "Kommentaren om resultatet", r.ResultComment},
	} {
		if err := domain.CheckText(t.field, t.label, t.text, 10_000); err != nil {
			return err
		}
	}
	return nil
}

// InterimTable is the table of an interim report for a period: per row the
// outcome, budget and last year's outcome accumulated from January, in exact
// kronor and the report's signs. Total rows are computed from the rows they
// sum, never entered.
type InterimTable struct {
	Period Period      `json:"period"`
	Lines  []TableLine `json:"lines"`
	// BudgetVersion is the budget version used (0: no budget for the year).
	BudgetVersion int `json:"budget_version"`
	// Missing are the months of the year, through the period, without any
	// imported outcome; MissingPrior the same for last year.
	Missing      []Period `json:"missing,omitempty"`
	MissingPrior []Period `json:"missing_prior,omitempty"`
	// Objects are the outcome per cost object, for the comments.
	Objects []ObjectTotal `json:"objects,omitempty"`
}

// TableLine is one row of the table.
type TableLine struct {
	RowID int64   `json:"row_id"`
	Key   string  `json:"key"`
	Name  string  `json:"name"`
	Kind  RowKind `json:"kind"`
	// Total is true for a computed row; TotalOf says what it sums.
	Total   bool            `json:"total"`
	TotalOf RowKind         `json:"total_of,omitempty"`
	Actual  decimal.Decimal `json:"actual"`
	Budget  decimal.Decimal `json:"budget"`
	Prior   decimal.Decimal `json:"prior"`
}

// Deviation is the outcome less the budget: positive is favourable.
func (l TableLine) Deviation() decimal.Decimal { return l.Actual.Sub(l.Budget) }

// Change is the outcome less last year's outcome for the same months.
func (l TableLine) Change() decimal.Decimal { return l.Actual.Sub(l.Prior) }

// NonZero reports whether the line has any figure other than zero.
func (l TableLine) NonZero() bool {
	return !l.Actual.IsZero() || !l.Budget.IsZero() || !l.Prior.IsZero()
}

// ObjectTotal is a cost object's accumulated outcome on one report row.
type ObjectTotal struct {
	Dimension int             `json:"dimension"`
	Object    string          `json:"object"`
	Name      string          `json:"name"`
	RowName   string          `json:"row"`
	Kind      RowKind         `json:"kind"`
	Amount    decimal.Decimal `json:"amount"`
}

// BuildInterimTable makes the table from the rows in order and the
// accumulated figures of each detail row by row id (absent means zero). Every
// total is the exact sum of the rows it sums.
func BuildInterimTable(p Period, rows []ReportRow, actual, budget, prior map[int64]decimal.Decimal) InterimTable {
	t := InterimTable{Period: p}
	for _, r := range rows {
		l := TableLine{RowID: r.ID, Key: r.Key, Name: r.Name, Total: r.IsTotal(), Kind: r.Kind, TotalOf: r.TotalOf,
			Actual: actual[r.ID], Budget: budget[r.ID], Prior: prior[r.ID]}
		if r.IsTotal() {
			l.Actual, l.Budget, l.Prior = decimal.Zero, decimal.Zero, decimal.Zero
			for _, d := range rows {
				if r.Sums(d) {
					l.Actual = l.Actual.Add(actual[d.ID])
					l.Budget = l.Budget.Add(budget[d.ID])
					l.Prior = l.Prior.Add(prior[d.ID])
				}
			}
		}
		t.Lines = append(t.Lines, l)
	}
	return t
}

// Result returns the bottom line, the total of all rows (a zero line when
// the chart has none).
func (t InterimTable) Result() TableLine {
	l, _ := t.TotalOf(RowAll)
	return l
}

// TotalOf returns the total line of a kind: RowRevenue (Summa intäkter),
// RowCost (Summa bruttokostnader) or RowAll (the bottom line).
func (t InterimTable) TotalOf(kind RowKind) (TableLine, bool) {
	for _, l := range t.Lines {
		if l.Total && l.TotalOf == kind {
			return l, true
		}
	}
	return TableLine{}, false
}
