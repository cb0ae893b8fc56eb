package sie

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// DefaultProgram is the #PROGRAM name Write uses when File.Program is empty.
const DefaultProgram = "GNS"

// encodingNote is the #PROSA every written file has. Its Å (byte 0x8F after a
// space) is never UTF-8 and is undefined in Windows-1252, so a reader that
// tells the character set from the bytes, as Parse does, takes the file for
// code page 437 whatever else it holds.
const encodingNote = "Skriven av GNS i teckentabell 437 (ÅÄÖ åäö)"

// Write writes f as an SIE file in code page 437 (#FORMAT PC8) with CR LF line
// ends, its records in the order the spec prescribes (flag, identification,
// chart of accounts, balances and verifications) and, within each kind, in the
// order of f. It writes #FLAGGA 0 whatever f.Flag is, DefaultProgram when
// f.Program is empty, today's date in Sweden when f.Generated is zero, type 4
// when f.Type is empty, and a #PROSA that names the character set (see
// encodingNote). Text is cleaned as Sanitize describes; #KSUMMA is not
// written.
//
// Write checks f first and writes nothing when it finds a fault (an EINVALID
// domain error with a Swedish message): an account number that is not digits,
// an amount with more than two decimals, a verification without a date or that
// does not balance, a year index above 0, an object without a dimension or a
// number, a series, verification number or object number that code page 437
// cannot write as it is (identifiers are never cleaned, unlike texts).
//
// An import file for the host's ledger (type 4I) has the company, the #KONTO
// records of the accounts it uses (recommended by the spec), and one
// Verification per document with empty Series and Number so the ledger numbers
// them; see the example.
func Write(w io.Writer, f *File) error {
	if err := check(f); err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	var l line
	emit := func() {
		l.buf = append(l.buf, '\r', '\n')
		_, _ = out.Write(l.buf) // a bufio.Writer keeps its first error for Flush, which is checked
		l.buf = l.buf[:0]
	}

	program := f.Program
	if program == "" {
		program = DefaultProgram
	}
	generated := f.Generated
	if generated.IsZero() {
		generated = domain.DateOf(time.Now().In(sv.Location()))
	}
	sieType := f.Type
	if sieType == "" {
		sieType = "4"
	}
	l.label("#FLAGGA").raw("0")
	emit()
	l.label("#PROGRAM").text(program).ident(f.ProgramVersion)
	emit()
	l.label("#FORMAT").raw("PC8")
	emit()
	l.label("#GEN").date(generated)
	if f.GeneratedBy != "" {
		l.text(f.GeneratedBy)
	}
	emit()
	l.label("#SIETYP").raw(sieType)
	emit()
	l.label("#PROSA").text(encodingNote)
	emit()
	if f.Company.OrgNumber != "" {
		l.label("#ORGNR").ident(f.Company.OrgNumber)
		emit()
	}
	l.label("#FNAMN").text(f.Company.Name)
	emit()
	if f.ChartType != "" {
		l.label("#KPTYP").ident(f.ChartType)
		emit()
	}
	if f.Currency != "" {
		l.label("#VALUTA").ident(f.Currency)
		emit()
	}
	for _, y := range f.Years {
		l.label("#RAR").raw(strconv.Itoa(y.Index)).date(y.Start).date(y.End)
		emit()
	}
	if !f.Through.IsZero() {
		l.label("#OMFATTN").date(f.Through)
		emit()
	}

	for _, a := range f.Accounts {
		l.label("#KONTO").raw(a.Number).text(a.Name)
		emit()
		if a.Type != "" {
			l.label("#KTYP").raw(a.Number).raw(string(a.Type))
			emit()
		}
	}
	for _, d := range f.Dimensions {
		if d.Parent == 0 {
			l.label("#DIM").raw(strconv.Itoa(d.Number)).text(d.Name)
		} else {
			l.label("#UNDERDIM").raw(strconv.Itoa(d.Number)).text(d.Name).raw(strconv.Itoa(d.Parent))
		}
		emit()
	}
	for _, o := range f.Objects {
		l.label("#OBJEKT").raw(strconv.Itoa(o.Dimension)).text(o.Number).text(o.Name)
		emit()
	}

	for _, set := range []struct {
		label    string
		balances []Balance
	}{{"#IB", f.Opening}, {"#UB", f.Closing}, {"#RES", f.Results}} {
		for _, b := range set.balances {
			l.label(set.label).raw(strconv.Itoa(b.Year)).raw(b.Account).amount(b.Amount).quantity(b.Quantity)
			emit()
		}
	}
	for _, set := range []struct {
		label   string
		periods []PeriodBalance
	}{{"#PSALDO", f.PeriodBalances}, {"#PBUDGET", f.PeriodBudgets}} {
		for _, p := range set.periods {
			var objects []ObjectRef
			if !p.Object.IsZero() {
				objects = []ObjectRef{p.Object}
			}
			l.label(set.label).raw(strconv.Itoa(p.Year)).raw(p.Period.sie()).raw(p.Account).
				objects(objects).amount(p.Amount).quantity(p.Quantity)
			emit()
		}
	}

	for _, v := range f.Verifications {
		l.label("#VER").ident(v.Series).ident(v.Number).date(v.Date)
		l.optional(v.Text != "", func() { l.text(v.Text) })
		l.optional(!v.Registered.IsZero(), func() { l.date(v.Registered) })
		l.optional(v.Sign != "", func() { l.text(v.Sign) })
		l.flush()
		emit()
		l.buf = append(l.buf, '{')
		emit()
		for _, t := range v.Transactions {
			l.label("#TRANS").raw(t.Account).objects(t.Objects).amount(t.Amount)
			l.optional(!t.Date.IsZero(), func() { l.date(t.Date) })
			l.optional(t.Text != "", func() { l.text(t.Text) })
			l.optional(t.Quantity.Valid, func() { l.quantity(t.Quantity) })
			l.optional(t.Sign != "", func() { l.text(t.Sign) })
			l.flush()
			emit()
		}
		l.buf = append(l.buf, '}')
		emit()
	}
	return out.Flush()
}

// line builds one record in code page 437.
type line struct {
	buf []byte
	// pending counts the optional fields skipped since the last written
	// field; they are written as "" when a later field is written.
	pending int
}

// field starts a field: the "" of skipped optional fields, then a space.
func (l *line) field() {
	for ; l.pending > 0; l.pending-- {
		l.buf = append(l.buf, ` ""`...)
	}
	if len(l.buf) > 0 {
		l.buf = append(l.buf, ' ')
	}
}

func (l *line) label(s string) *line { l.buf = append(l.buf, s...); return l }

// raw writes a field that is plain ASCII without spaces: a number, a date, a
// code.
func (l *line) raw(s string) *line {
	l.field()
	l.buf = append(l.buf, s...)
	return l
}

// text writes a quoted text field.
func (l *line) text(s string) *line {
	l.field()
	l.buf = appendQuoted(l.buf, s)
	return l
}

// ident writes an identifier (a series, a verification number, a code):
// without quotes when it is a plain word, quoted otherwise.
func (l *line) ident(s string) *line {
	if plainWord(s) {
		return l.raw(s)
	}
	return l.text(s)
}

func (l *line) date(d domain.Date) *line {
	return l.raw(d.Time().Format("20060102"))
}

func (l *line) amount(d decimal.Decimal) *line { return l.raw(d.StringFixed(2)) }

func (l *line) quantity(q decimal.NullDecimal) *line {
	if q.Valid {
		l.raw(q.Decimal.String())
	}
	return l
}

func (l *line) objects(refs []ObjectRef) *line {
	l.field()
	l.buf = append(l.buf, '{')
	for i, o := range refs {
		if i > 0 {
			l.buf = append(l.buf, ' ')
		}
		l.buf = strconv.AppendInt(l.buf, int64(o.Dimension), 10)
		l.buf = appendQuoted(append(l.buf, ' '), o.Number)
	}
	l.buf = append(l.buf, '}')
	return l
}

// optional writes an optional field when present is true, and otherwise
// remembers it, so that it becomes "" if a later field is written.
func (l *line) optional(present bool, write func()) {
	if present {
		write()
	} else {
		l.pending++
	}
}

// flush forgets the optional fields not written at the end of a record.
func (l *line) flush() { l.pending = 0 }

func appendQuoted(buf []byte, s string) []byte {
	s = Sanitize(s)
	buf = append(buf, '"')
	for _, r := range s {
		if r == '"' {
			buf = append(buf, '\\', '"')
			continue
		}
		buf = appendCP437(buf, r)
	}
	return append(buf, '"')
}

// plainWord reports whether s can be written without quotes: ASCII letters,
// digits and the signs - _ . / : without spaces.
func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == '/' || c == ':':
		default:
			return false
		}
	}
	return true
}

// check finds the faults Write refuses.
func check(f *File) error {
	bad := func(format string, args ...any) error {
		return domain.Errorf(domain.EINVALID, "SIE-filen kan inte skrivas: "+format, args...)
	}
	// Identifiers must read back as written; texts may be cleaned.
	ident := func(s, what string) error {
		if Sanitize(s) != s {
			return bad("%s %q har tecken som inte kan skrivas i en SIE-fil (teckentabell 437).", what, s)
		}
		return nil
	}
	account := func(a string) error {
		if a == "" || len(a) > 10 || !digits([]byte(a)) {
			return bad("kontot %q är inget kontonummer (bara siffror).", a)
		}
		return nil
	}
	amount := func(d decimal.Decimal, where string) error {
		if !d.Equal(d.Round(2)) {
			return bad("beloppet %s %s har fler än två decimaler.", d, where)
		}
		return nil
	}
	object := func(o ObjectRef) error {
		if o.Dimension < 1 || o.Number == "" {
			return bad("objektet %s saknar dimension eller nummer.", o)
		}
		return ident(o.Number, "objektnumret")
	}
	year := func(i int) error {
		if i > 0 {
			return bad("årsnumret %d ska vara 0 eller negativt.", i)
		}
		return nil
	}
	period := func(p Period) error {
		if p.Month < time.January || p.Month > time.December || p.Year < 1 || p.Year > 9999 {
			return bad("perioden %s är ingen månad.", p)
		}
		return nil
	}
	if err := ident(f.ChartType, "kontoplanstypen"); err != nil {
		return err
	}
	for _, y := range f.Years {
		if err := year(y.Index); err != nil {
			return err
		}
		if y.Start.IsZero() || y.End.IsZero() {
			return bad("räkenskapsår %d saknar start- eller slutdatum.", y.Index)
		}
	}
	for _, a := range f.Accounts {
		if err := account(a.Number); err != nil {
			return err
		}
		switch a.Type {
		case "", Asset, Liability, Cost, Revenue:
		default:
			return bad("konto %s har kontotypen %q; den ska vara T, S, K eller I.", a.Number, a.Type)
		}
	}
	for _, d := range f.Dimensions {
		if d.Number < 1 || d.Parent < 0 {
			return bad("dimension %d har inget giltigt nummer.", d.Number)
		}
	}
	for _, o := range f.Objects {
		if err := object(ObjectRef{o.Dimension, o.Number}); err != nil {
			return err
		}
	}
	for _, set := range [][]Balance{f.Opening, f.Closing, f.Results} {
		for _, b := range set {
			if err := year(b.Year); err != nil {
				return err
			}
			if err := account(b.Account); err != nil {
				return err
			}
			if err := amount(b.Amount, "för konto "+b.Account); err != nil {
				return err
			}
		}
	}
	for _, set := range [][]PeriodBalance{f.PeriodBalances, f.PeriodBudgets} {
		for _, p := range set {
			if err := year(p.Year); err != nil {
				return err
			}
			if err := period(p.Period); err != nil {
				return err
			}
			if err := account(p.Account); err != nil {
				return err
			}
			if !p.Object.IsZero() {
				if err := object(p.Object); err != nil {
					return err
				}
			}
			if err := amount(p.Amount, "för konto "+p.Account); err != nil {
				return err
			}
		}
	}
	for _, v := range f.Verifications {
		if v.Date.IsZero() {
			return bad("verifikationen %s saknar datum.", v.Name())
		}
		if err := ident(v.Series, "verifikationsserien"); err != nil {
			return err
		}
		if err := ident(v.Number, "verifikationsnumret"); err != nil {
			return err
		}
		sum := decimal.Zero
		for _, t := range v.Transactions {
			if err := account(t.Account); err != nil {
				return err
			}
			for _, o := range t.Objects {
				if err := object(o); err != nil {
					return err
				}
			}
			if err := amount(t.Amount, "i verifikationen "+v.Name()); err != nil {
				return err
			}
			sum = sum.Add(t.Amount)
		}
		if !sum.IsZero() {
			return bad("verifikationen %s är inte i balans: summan är %s.", v.Name(), sum.StringFixed(2))
		}
	}
	return nil
}
