package sie

import (
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// Encoding is the character set a file was read in.
type Encoding string

// The character sets Parse recognises; see the package documentation for how
// it chooses.
const (
	CP437       Encoding = "CP437" // IBM PC 8-bit, #FORMAT PC8: the only one the spec allows
	UTF8        Encoding = "UTF-8"
	Windows1252 Encoding = "Windows-1252"
)

// File is the content of one SIE file: the identification records, the chart
// of accounts, the balances and the verifications, each in the order of the
// file. Records that carry a line number have it from the file Parse read
// (counting from 1), so a consumer can point at the line of a record it cannot
// use; Write ignores line numbers.
type File struct {
	// Flag is #FLAGGA: 0 when the file has not been read in, 1 when a program
	// has marked it as imported. Write always writes 0, as the spec requires of
	// a writer.
	Flag int
	// Program and ProgramVersion are #PROGRAM: the program that wrote the file.
	Program        string
	ProgramVersion string
	// Format is #FORMAT as the file declares it ("PC8"); Encoding is what
	// Parse found the bytes to be.
	Format   string
	Encoding Encoding
	// Generated and GeneratedBy are #GEN: the date the file was written and an
	// optional signature.
	Generated   domain.Date
	GeneratedBy string
	// Type is #SIETYP: "1", "2", "3" or "4" (files of type 4I and 4E both say
	// 4). Write writes "4" when it is empty.
	Type string
	// Company is #FNAMN and #ORGNR.
	Company Company
	// ChartType is #KPTYP: the chart of accounts the account numbers follow
	// ("BAS2014", "EUBAS97" ...); empty when the file does not say, which
	// the spec reads as BAS95.
	ChartType string
	// Currency is #VALUTA, an ISO 4217 code; empty means the spec's default,
	// SEK.
	Currency string
	// Through is #OMFATTN: the last day the period balances cover, when the
	// file says so (a file exported after August has 20200831).
	Through domain.Date
	// Years are the fiscal years of #RAR.
	Years []Year
	// Accounts are #KONTO with the type of #KTYP.
	Accounts []Account
	// Dimensions are #DIM and #UNDERDIM; Objects are #OBJEKT.
	Dimensions []Dimension
	Objects    []Object
	// Opening, Closing and Results are #IB, #UB and #RES.
	Opening []Balance
	Closing []Balance
	Results []Balance
	// PeriodBalances and PeriodBudgets are #PSALDO and #PBUDGET.
	PeriodBalances []PeriodBalance
	PeriodBudgets  []PeriodBalance
	// Verifications are #VER with their #TRANS rows.
	Verifications []Verification
	// Checksummed reports that the file carried a #KSUMMA checksum and that it
	// matched.
	Checksummed bool
	// Warnings are the faults in optional records that ParseWith left out
	// (see Options), in the order of the file; Parse never has any.
	Warnings []Warning
	// Skipped counts, per label, the records Parse read past: unknown labels
	// (which the spec says to ignore) and known ones this package has no use
	// for, such as #ADRESS, #SRU, #OIB, #RTRANS and #BTRANS.
	Skipped map[string]int
}

// Company identifies the company (for GNS: the committee's host) the file is
// about.
type Company struct {
	// Name is #FNAMN, the legal name.
	Name string
	// OrgNumber is #ORGNR as written in the file (NNNNNN-NNNN per the spec);
	// domain.ParseOrgNumber checks and normalises it.
	OrgNumber string
}

// Year is a fiscal year of #RAR. Index 0 is the current year, -1 the year
// before, -2 the one before that.
type Year struct {
	Index int
	Start domain.Date
	End   domain.Date
}

// AccountType is the type #KTYP gives an account.
type AccountType string

// The account types of #KTYP.
const (
	Asset     AccountType = "T" // tillgång
	Liability AccountType = "S" // skuld (and equity)
	Cost      AccountType = "K" // kostnad
	Revenue   AccountType = "I" // intäkt
)

// Account is an account of #KONTO. Type is empty when the file has no #KTYP
// for it (the spec then assumes the type the BAS chart gives the number).
type Account struct {
	Number string
	Name   string
	Type   AccountType
	Line   int
}

// Dimension is a dimension of #DIM, or of #UNDERDIM when Parent is not 0.
// Numbers 1 (kostnadsställe), 2 (kostnadsbärare), 6 (projekt), 7 (anställd),
// 8 (kund), 9 (leverantör) and 10 (faktura) are reserved by the spec and may be
// used without a declaration.
type Dimension struct {
	Number int
	Name   string
	Parent int
	Line   int
}

// Object is an object of #OBJEKT, such as cost object 6663 in dimension 1.
type Object struct {
	Dimension int
	Number    string
	Name      string
	Line      int
}

// ObjectRef names an object in an object list: a dimension and the object's
// number within it. The zero ObjectRef means "no object", the account as a
// whole.
type ObjectRef struct {
	Dimension int
	Number    string
}

// IsZero reports whether o names no object.
func (o ObjectRef) IsZero() bool { return o == ObjectRef{} }

// String writes o as in the file's object lists: 1 "6663", or "" for none.
func (o ObjectRef) String() string {
	if o.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %q", o.Dimension, o.Number)
}

// Balance is a balance of #IB, #UB or #RES for one account in one fiscal year.
// Quantity is the optional quantity field.
type Balance struct {
	Year     int
	Account  string
	Amount   decimal.Decimal
	Quantity decimal.NullDecimal
	Line     int
}

// Period is a calendar month, the period of #PSALDO and #PBUDGET.
type Period struct {
	Year  int
	Month time.Month
}

// PeriodOf returns the month d falls in.
func PeriodOf(d domain.Date) Period { return Period{Year: d.Year, Month: d.Month} }

// String writes p as YYYY-MM.
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month)) }

// Before reports whether p is an earlier month than q.
func (p Period) Before(q Period) bool {
	return p.Year < q.Year || p.Year == q.Year && p.Month < q.Month
}

// Next returns the month after p.
func (p Period) Next() Period {
	if p.Month == time.December {
		return Period{Year: p.Year + 1, Month: time.January}
	}
	return Period{Year: p.Year, Month: p.Month + 1}
}

// sie writes p as the file does: YYYYMM.
func (p Period) sie() string { return fmt.Sprintf("%04d%02d", p.Year, int(p.Month)) }

// PeriodBalance is a record of #PSALDO or #PBUDGET: the change on an account
// (or on one object of it) during one month of a fiscal year. Object is zero
// for the account as a whole; a file of type 3 or 4 has both the whole-account
// records and the per-object ones, so they must not be added together.
type PeriodBalance struct {
	Year     int
	Period   Period
	Account  string
	Object   ObjectRef
	Amount   decimal.Decimal
	Quantity decimal.NullDecimal
	Line     int
}

// Verification is a #VER record with its #TRANS rows. Series and Number may be
// empty in an import file (type 4I): the receiving ledger then numbers it.
type Verification struct {
	Series string
	Number string
	Date   domain.Date
	Text   string
	// Registered is the optional date the verification was registered.
	Registered   domain.Date
	Sign         string
	Transactions []Transaction
	Line         int
}

// Name is how messages refer to v: its series and number ("A 17"), or its
// date when it has neither.
func (v Verification) Name() string {
	switch {
	case v.Series != "" && v.Number != "":
		return v.Series + " " + v.Number
	case v.Number != "":
		return v.Number
	case v.Series != "":
		return v.Series + " (utan nummer) " + v.Date.String()
	}
	return "utan nummer " + v.Date.String()
}

// Transaction is a #TRANS row. Date is zero when the row has none: it then
// belongs to the verification's date (spec 11, #TRANS).
type Transaction struct {
	Account  string
	Objects  []ObjectRef
	Amount   decimal.Decimal
	Date     domain.Date
	Text     string
	Quantity decimal.NullDecimal
	Sign     string
	Line     int
}

// Year returns the fiscal year of #RAR with the given index.
func (f *File) Year(index int) (Year, bool) {
	for _, y := range f.Years {
		if y.Index == index {
			return y, true
		}
	}
	return Year{}, false
}

// Account returns the account of #KONTO with the given number.
func (f *File) Account(number string) (Account, bool) {
	for _, a := range f.Accounts {
		if a.Number == number {
			return a, true
		}
	}
	return Account{}, false
}
