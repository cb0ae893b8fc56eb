package sie

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// recordReaders read the records outside verifications, by label.
var recordReaders map[string]func(*rec) error

func init() {
	recordReaders = map[string]func(*rec) error{
		"#FLAGGA":   (*rec).flag,
		"#PROGRAM":  (*rec).program,
		"#FORMAT":   (*rec).format,
		"#GEN":      (*rec).gen,
		"#SIETYP":   (*rec).sieType,
		"#KPTYP":    (*rec).chartType,
		"#ORGNR":    (*rec).orgNumber,
		"#FNAMN":    (*rec).companyName,
		"#VALUTA":   (*rec).currency,
		"#OMFATTN":  (*rec).through,
		"#RAR":      (*rec).year,
		"#KONTO":    (*rec).account,
		"#KTYP":     (*rec).accountType,
		"#DIM":      (*rec).dimension,
		"#UNDERDIM": (*rec).dimension,
		"#OBJEKT":   (*rec).object,
		"#IB":       (*rec).balance,
		"#UB":       (*rec).balance,
		"#RES":      (*rec).balance,
		"#PSALDO":   (*rec).periodBalance,
		"#PBUDGET":  (*rec).periodBalance,
	}
}

// rec is one record being read: its line, label and fields. Its field readers
// keep the first fault in err and return zero values after it, so a record
// reads all its fields and checks err once.
type rec struct {
	p     *parser
	line  int
	label string
	f     []field
	err   error
	// decimals is how many decimals the record's amount was written with,
	// -1 when it has none.
	decimals int
}

// fail keeps the first fault of the record.
func (r *rec) fail(format string, args ...any) {
	if r.err == nil {
		r.err = r.p.errf(r.line, format, args...)
	}
}

// raw returns field i, or fails naming what is missing or is an object list
// where a value belongs.
func (r *rec) raw(i int, what string) []byte {
	switch {
	case r.err != nil:
		return nil
	case i >= len(r.f):
		r.fail("%s saknar %s", r.label, what)
		return nil
	case r.f[i].isList:
		r.fail("%s: fält %d (%s) ska vara ett värde, inte en objektlista", r.label, i, what)
		return nil
	}
	return r.f[i].b
}

// present reports whether the optional field i is there and not empty.
func (r *rec) present(i int, what string) bool {
	return i < len(r.f) && len(r.raw(i, what)) > 0
}

func (r *rec) str(i int, what string) string { return r.p.dec.str(r.raw(i, what)) }

// optStr returns the optional text field i, "" when it is not there.
func (r *rec) optStr(i int, what string) string {
	if i >= len(r.f) {
		return ""
	}
	return r.str(i, what)
}

func (r *rec) nonEmpty(i int, what string) string {
	s := r.str(i, what)
	if r.err == nil && strings.TrimSpace(s) == "" {
		r.fail("%s saknar %s (fältet är tomt)", r.label, what)
	}
	return s
}

func (r *rec) accountNumber(i int) string {
	b := r.raw(i, "konto")
	if r.err == nil && (len(b) == 0 || len(b) > 10 || !digits(b)) {
		r.fail("kontot %q ska vara ett kontonummer med bara siffror", r.p.dec.str(b))
	}
	return r.p.text(b)
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// amount reads an amount: an optional minus, digits, and at most two decimals
// after a point (spec 5.9).
func (r *rec) amount(i int) decimal.Decimal {
	d, _ := r.amountOre(i)
	return d
}

// amountOre reads an amount and returns it also in öre.
func (r *rec) amountOre(i int) (decimal.Decimal, int64) {
	b := r.raw(i, "belopp")
	if r.err == nil {
		_, frac, _ := bytes.Cut(b, []byte{'.'})
		r.decimals = len(frac)
	}
	return r.number(b, "beloppet", 2)
}

// quantity reads the optional quantity field i, which may have more decimals.
func (r *rec) quantity(i int) decimal.NullDecimal {
	if !r.present(i, "kvantitet") {
		return decimal.NullDecimal{}
	}
	d, _ := r.number(r.raw(i, "kvantitet"), "kvantiteten", 9)
	return decimal.NewNullDecimal(d)
}

// number reads a decimal number with at most maxDecimals decimals; the is the
// definite noun messages use ("beloppet"). It returns the number also in units
// of 10^-maxDecimals when that fits an int64 (always for amounts), else 0.
func (r *rec) number(b []byte, the string, maxDecimals int) (decimal.Decimal, int64) {
	if r.err != nil {
		return decimal.Decimal{}, 0
	}
	body := bytes.TrimPrefix(b, []byte{'-'})
	whole, frac, point := bytes.Cut(body, []byte{'.'})
	whole = bytes.TrimLeft(whole, "0")
	switch {
	case len(body) == 0 || body[0] == '.' || !digits(whole) || point && (len(frac) == 0 || !digits(frac)):
		r.fail("%s %q är inget tal; skriv t.ex. -1234.50 (punkt som decimaltecken, inga mellanslag)", the, r.p.dec.str(b))
	case len(frac) > maxDecimals:
		r.fail("%s %q har fler än %d decimaler", the, r.p.dec.str(b), maxDecimals)
	case len(whole) > maxIntegerDigits:
		r.fail("%s %q har fler än %d siffror före decimalpunkten", the, r.p.dec.str(b), maxIntegerDigits)
	case len(whole)+maxDecimals > 18:
		return decimal.RequireFromString(string(b)), 0
	default:
		// At most 18 digits: exact in an int64, without the string and the
		// parsing of decimal.NewFromString.
		var n int64
		for _, c := range whole {
			n = n*10 + int64(c-'0')
		}
		for _, c := range frac {
			n = n*10 + int64(c-'0')
		}
		if len(body) < len(b) {
			n = -n
		}
		units := n
		for k := len(frac); k < maxDecimals; k++ {
			units *= 10
		}
		return decimal.New(n, -int32(len(frac))), units
	}
	return decimal.Decimal{}, 0
}

func (r *rec) date(i int, what string) domain.Date {
	b := r.raw(i, what)
	if r.err != nil {
		return domain.Date{}
	}
	t, err := time.Parse("20060102", string(b))
	if len(b) != 8 || err != nil || t.Year() < 1 {
		r.fail("datumet %q är inget giltigt datum; skriv ÅÅÅÅMMDD, t.ex. 20200831", r.p.dec.str(b))
		return domain.Date{}
	}
	if d := domain.DateOf(t); !d.InRange() {
		r.fail("datumet %q ligger utanför %s–%s", r.p.dec.str(b), domain.MinDate, domain.MaxDate)
		return domain.Date{}
	}
	return domain.DateOf(t)
}

// optDate reads an optional date; a missing or empty field gives the zero
// Date.
func (r *rec) optDate(i int, what string) domain.Date {
	if !r.present(i, what) {
		return domain.Date{}
	}
	return r.date(i, what)
}

func (r *rec) period(i int) Period {
	b := r.raw(i, "period")
	if r.err != nil {
		return Period{}
	}
	t, err := time.Parse("200601", string(b))
	if len(b) != 6 || err != nil || t.Year() < 1 {
		r.fail("perioden %q är ingen giltig period; skriv ÅÅÅÅMM, t.ex. 202008", r.p.dec.str(b))
		return Period{}
	}
	if t.Year() < domain.MinYear || t.Year() > domain.MaxYear {
		r.fail("perioden %q ligger utanför %d01–%d12", r.p.dec.str(b), domain.MinYear, domain.MaxYear)
		return Period{}
	}
	return Period{Year: t.Year(), Month: t.Month()}
}

// yearIndex reads the index of a fiscal year: 0 for the current one, -1, -2 ...
// for earlier ones.
func (r *rec) yearIndex(i int) int {
	b := r.raw(i, "årsnummer")
	if r.err != nil {
		return 0
	}
	n, err := strconv.Atoi(string(b))
	if err != nil || n > 0 || n < -99 || len(b) > 3 {
		r.fail("årsnumret %q ska vara 0 för innevarande år eller -1, -2 ... för tidigare år", r.p.dec.str(b))
	}
	return n
}

// dimension reads a dimension number: a positive integer.
func (r *rec) dimensionNumber(b []byte) int {
	if r.err != nil {
		return 0
	}
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 1 || len(b) > 6 || !digits(b) {
		r.fail("dimensionsnumret %q ska vara ett positivt heltal", r.p.dec.str(b))
	}
	return n
}

// objects reads the object list in field i: pairs of dimension and object,
// each dimension at most once.
func (r *rec) objects(i int) []ObjectRef {
	switch {
	case r.err != nil:
		return nil
	case i >= len(r.f):
		r.fail("%s saknar objektlista (skriv {} för ingen)", r.label)
		return nil
	case !r.f[i].isList:
		r.fail("%s: fält %d ska vara en objektlista inom { }, som {} eller {1 \"6663\"}", r.label, i)
		return nil
	}
	list := r.f[i].list
	if len(list)%2 != 0 {
		r.fail("objektlistan ska innehålla par av dimensionsnummer och objektnummer, som {1 \"6663\"}")
		return nil
	}
	var refs []ObjectRef
	for j := 0; j < len(list) && r.err == nil; j += 2 {
		dim := r.dimensionNumber(list[j])
		for _, prev := range refs {
			if prev.Dimension == dim {
				r.fail("objektlistan anger dimension %d mer än en gång", dim)
			}
		}
		if len(list[j+1]) == 0 {
			r.fail("objektlistan saknar objektnummer efter dimension %d", dim)
		}
		refs = append(refs, ObjectRef{Dimension: dim, Number: r.p.text(list[j+1])})
	}
	return refs
}

// single checks that the record is the file's only one of its label and
// returns the record's fault, if any.
func (r *rec) single() error {
	if r.err != nil {
		return r.err
	}
	if prev, dup := r.p.seen[r.label]; dup {
		return r.p.errf(r.line, "%s förekommer redan på rad %d", r.label, prev)
	}
	r.p.seen[r.label] = r.line
	return nil
}

// set stores the value of a single record with store, once single has found
// no fault, so that a faulty record that is left out changes nothing.
func (r *rec) set(store func(*File)) error {
	if err := r.single(); err != nil {
		return err
	}
	store(r.p.f)
	return nil
}

// unique checks that key has not been read before, in the table of the
// record's kind, and returns the record's fault, if any.
func unique[K comparable](r *rec, seen map[K]int, key K, what string) error {
	if r.err != nil {
		return r.err
	}
	if prev, dup := seen[key]; dup {
		return r.p.errf(r.line, "%s finns redan på rad %d", what, prev)
	}
	seen[key] = r.line
	return nil
}

func (r *rec) flag() error {
	b := r.raw(1, "flagga")
	if r.err == nil && string(b) != "0" && string(b) != "1" {
		r.fail("#FLAGGA ska vara 0 eller 1, inte %q", r.p.dec.str(b))
	}
	if err := r.single(); err != nil {
		return err
	}
	r.p.f.Flag = int(b[0] - '0')
	return nil
}

func (r *rec) program() error {
	program, version := r.str(1, "programnamn"), r.optStr(2, "version")
	return r.set(func(f *File) { f.Program, f.ProgramVersion = program, version })
}

func (r *rec) format() error {
	format := r.str(1, "teckenuppsättning")
	return r.set(func(f *File) { f.Format = format })
}

func (r *rec) gen() error {
	date, by := r.date(1, "datum"), r.optStr(2, "signatur")
	return r.set(func(f *File) { f.Generated, f.GeneratedBy = date, by })
}

func (r *rec) sieType() error {
	s := strings.ToUpper(r.str(1, "filtyp"))
	switch s {
	case "1", "2", "3", "4":
	case "4I", "4E":
		s = "4"
	default:
		r.fail("#SIETYP ska vara 1, 2, 3 eller 4, inte %q", s)
	}
	return r.set(func(f *File) { f.Type = s })
}

func (r *rec) chartType() error {
	chart := r.nonEmpty(1, "kontoplanstyp")
	return r.set(func(f *File) { f.ChartType = chart })
}

func (r *rec) orgNumber() error {
	number := r.str(1, "organisationsnummer")
	return r.set(func(f *File) { f.Company.OrgNumber = number })
}

func (r *rec) companyName() error {
	name := r.str(1, "företagsnamn")
	return r.set(func(f *File) { f.Company.Name = name })
}

func (r *rec) currency() error {
	s := strings.ToUpper(r.str(1, "valutakod"))
	if r.err == nil && (len(s) != 3 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		r.fail("valutakoden %q ska vara tre bokstäver enligt ISO 4217, som SEK", s)
	}
	return r.set(func(f *File) { f.Currency = s })
}

func (r *rec) through() error {
	through := r.date(1, "datum")
	return r.set(func(f *File) { f.Through = through })
}

func (r *rec) year() error {
	y := Year{Index: r.yearIndex(1), Start: r.date(2, "startdatum"), End: r.date(3, "slutdatum")}
	if r.err == nil && y.End.Before(y.Start) {
		r.fail("räkenskapsåret slutar %s, före sin start %s", y.End, y.Start)
	}
	if err := unique(r, r.p.years, y.Index, fmt.Sprintf("räkenskapsår %d", y.Index)); err != nil {
		return err
	}
	r.p.f.Years = append(r.p.f.Years, y)
	return nil
}

func (r *rec) account() error {
	a := Account{Number: r.accountNumber(1), Name: r.str(2, "kontonamn"), Line: r.line}
	if err := unique(r, r.p.accounts, a.Number, "konto "+a.Number); err != nil {
		return err
	}
	r.p.accountIndex[a.Number] = len(r.p.f.Accounts)
	r.p.f.Accounts = append(r.p.f.Accounts, a)
	return nil
}

func (r *rec) accountType() error {
	number, s := r.accountNumber(1), r.str(2, "kontotyp")
	t := AccountType(strings.ToUpper(s))
	i, declared := r.p.accountIndex[number]
	switch {
	case r.err != nil:
		return r.err
	case t != Asset && t != Liability && t != Cost && t != Revenue:
		r.fail("kontotypen %q ska vara T, S, K eller I (tillgång, skuld, kostnad, intäkt)", s)
	case !declared:
		r.fail("#KTYP för konto %s, som inte har deklarerats med #KONTO före", number)
	case r.p.f.Accounts[i].Type != "":
		r.fail("konto %s har redan en kontotyp", number)
	default:
		r.p.f.Accounts[i].Type = t
	}
	return r.err
}

func (r *rec) dimension() error {
	d := Dimension{Number: r.dimensionNumber(r.raw(1, "dimensionsnummer")), Name: r.str(2, "namn"), Line: r.line}
	if r.label == "#UNDERDIM" {
		d.Parent = r.dimensionNumber(r.raw(3, "överordnad dimension"))
	}
	if err := unique(r, r.p.dims, d.Number, fmt.Sprintf("dimension %d", d.Number)); err != nil {
		return err
	}
	r.p.f.Dimensions = append(r.p.f.Dimensions, d)
	return nil
}

func (r *rec) object() error {
	o := Object{Dimension: r.dimensionNumber(r.raw(1, "dimensionsnummer")), Number: r.nonEmpty(2, "objektnummer"), Name: r.str(3, "objektnamn"), Line: r.line}
	ref := ObjectRef{Dimension: o.Dimension, Number: o.Number}
	if err := unique(r, r.p.objects, ref, "objekt "+ref.String()); err != nil {
		return err
	}
	r.p.f.Objects = append(r.p.f.Objects, o)
	return nil
}

func (r *rec) balance() error {
	b := Balance{Year: r.yearIndex(1), Account: r.accountNumber(2), Amount: r.amount(3), Quantity: r.quantity(4), Line: r.line}
	what := fmt.Sprintf("%s för konto %s år %d", r.label, b.Account, b.Year)
	if err := unique(r, r.p.balances, balanceKey{r.label, b.Year, b.Account}, what); err != nil {
		return err
	}
	f := r.p.f
	switch r.label {
	case "#IB":
		f.Opening = append(f.Opening, b)
	case "#UB":
		f.Closing = append(f.Closing, b)
	default:
		f.Results = append(f.Results, b)
	}
	return nil
}

func (r *rec) periodBalance() error {
	pb := PeriodBalance{Year: r.yearIndex(1), Period: r.period(2), Account: r.accountNumber(3), Line: r.line}
	objects := r.objects(4)
	pb.Amount, pb.Quantity = r.amount(5), r.quantity(6)
	switch {
	case len(objects) > 1:
		r.fail("%s får ange högst ett objekt, {dimensionsnr objektnr}", r.label)
	case len(objects) == 1:
		pb.Object = objects[0]
	}
	what := fmt.Sprintf("%s för konto %s period %s", r.label, pb.Account, pb.Period.sie())
	if err := unique(r, r.p.periods, periodKey{r.label, pb.Year, pb.Period, pb.Account, pb.Object}, what); err != nil {
		return err
	}
	if r.label == "#PSALDO" {
		r.p.f.PeriodBalances = append(r.p.f.PeriodBalances, pb)
	} else {
		r.p.f.PeriodBudgets = append(r.p.f.PeriodBudgets, pb)
	}
	return nil
}

// verification reads a #VER and opens its block.
func (r *rec) verification() error {
	v := &Verification{
		Series: r.str(1, "serie"), Number: r.str(2, "verifikationsnummer"), Date: r.date(3, "datum"),
		Text: r.optStr(4, "text"), Registered: r.optDate(5, "registreringsdatum"), Sign: r.optStr(6, "signatur"),
		Line: r.line,
	}
	if r.err != nil {
		return r.err
	}
	if v.Number != "" {
		key := [2]string{v.Series, v.Number}
		if prev, dup := r.p.vers[key]; dup {
			return r.p.errf(r.line, "verifikationen %s finns redan på rad %d", v.Name(), prev)
		}
		r.p.vers[key] = r.line
	}
	r.p.ver, r.p.awaitOpen, r.p.balance = v, true, sum{}
	return nil
}

// transaction reads a #TRANS and returns also its amount in öre; the caller
// checks r.err.
func (r *rec) transaction() (Transaction, int64) {
	t := Transaction{Account: r.accountNumber(1), Objects: r.objects(2), Line: r.line}
	var ore int64
	t.Amount, ore = r.amountOre(3)
	t.Date, t.Text, t.Quantity, t.Sign = r.optDate(4, "datum"), r.optStr(5, "text"), r.quantity(6), r.optStr(7, "signatur")
	return t, ore
}
