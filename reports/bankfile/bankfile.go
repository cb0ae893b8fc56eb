// Package bankfile reads the files a bank delivers of incoming payments:
// Bankgirot's BgMax (Bankgiro Inbetalningar, fixed 80-character records) and
// ISO 20022 camt.054 (BankToCustomerDebitCreditNotification, XML). Both are
// read into the same plain values, deposits of payments with their amounts,
// references and payers; matching them against invoices is the domain's
// business (finance.MatchBankPayments), not this package's.
//
// A file that breaks its format is refused whole with a Swedish message
// naming the line and the field, so that nothing of a damaged file is ever
// taken for payments.
package bankfile

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

// Format names a kind of payment file.
type Format string

// The formats read.
const (
	BgMax   Format = "bgmax"
	Camt054 Format = "camt054"
)

// MaxFile is the largest payment file read, in bytes.
const MaxFile = 20 << 20

// File is a payment file read: its deposits (a BgMax section, a camt.054
// notification's account and booking day) in file order.
type File struct {
	Format Format
	// Created is when the bank wrote the file, as the file says (BgMax
	// skrivdag, camt.054 CreDtTm), in its own notation.
	Created string
	// Test is set when the file is marked as a test file (BgMax 'T').
	Test     bool
	Deposits []Deposit
	// Notes are what the reader left out and why, in Swedish (a camt.054
	// entry not yet booked).
	Notes []string
}

// Deposit is one deposit to one account on one day: a BgMax section (05 …
// 15) or the entries of a camt.054 notification booked on one day.
type Deposit struct {
	// Line is where the deposit starts in the file.
	Line int
	// Account is the receiving account: a bankgiro number NNN-NNNN or
	// NNNN-NNNN, or an IBAN or other account id.
	Account string
	// BankAccount is the bank account the deposit went to, when the file
	// says (BgMax 15).
	BankAccount string
	Currency    string
	// Date is the payment (booking) day.
	Date domain.Date
	// Serial is the bank's number of the deposit, when it has one.
	Serial string
	// Total is the deposit's net amount: payments less deductions.
	Total    decimal.Decimal
	Payments []Payment
}

// Payment is one incoming payment, or a deduction (a negative amount taken
// back from the deposit), with what the payer gave to identify it.
type Payment struct {
	// Line is the payment's record (BgMax) or element (camt.054) in the file.
	Line int
	// Amount is positive for a payment and negative for a deduction.
	Amount decimal.Decimal
	// Deduction is set for a BgMax avdragspost (21) or a camt.054 debit.
	Deduction bool
	// Reference is the reference the payer gave (the OCR number when
	// OCRChecked), spaces trimmed; empty when the payer gave none.
	Reference string
	// OCRChecked tells that the bank checked Reference as an OCR number.
	OCRChecked bool
	// BadReference tells that the bank found Reference faulty (BgMax
	// referenskod 5).
	BadReference bool
	// Extra are further references the payer gave for the same payment
	// (BgMax 22/23), each with its amount (zero when not given).
	Extra []ExtraReference
	// Texts are the payer's messages (BgMax 25, camt.054 Ustrd).
	Texts []string
	// Payer is the payer's name, PayerAccount the payer's bankgiro or
	// account, PayerOrgNumber the payer's organisation number.
	Payer          string
	PayerAccount   string
	PayerOrgNumber string
	// BankRef is the bank's own number of the payment (BGC löpnummer,
	// camt.054 AcctSvcrRef or EndToEndId).
	BankRef string
}

// ExtraReference is a further reference of one payment.
type ExtraReference struct {
	Reference string
	Amount    decimal.Decimal
	// Negative is set for a BgMax 23 (an extra reference with a minus
	// amount).
	Negative bool
}

// Payments counts the payments and deductions of the file.
func (f File) Payments() int {
	n := 0
	for _, d := range f.Deposits {
		n += len(d.Payments)
	}
	return n
}

// fieldError is the error for a bad field: the line, the field and what
// is wrong, in Swedish.
func fieldError(line int, field, format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, "Rad %d, %s: %s", line, field, fmt.Sprintf(format, args...))
}

// Read reads a payment file of the format; an empty format is told from the
// content (XML is camt.054, anything else BgMax).
func Read(format Format, data []byte) (File, error) {
	if format == "" {
		format = Detect(data)
	}
	switch format {
	case BgMax:
		return ParseBgMax(data)
	case Camt054:
		return ParseCamt054(data)
	}
	return File{}, domain.FieldErrorf("format", "Välj filens format: BgMax eller camt.054.")
}

// Detect tells the format of a payment file from its first characters.
func Detect(data []byte) Format {
	for _, b := range data {
		switch b {
		case ' ', '\t', '\r', '\n', 0xef, 0xbb, 0xbf:
			continue
		case '<':
			return Camt054
		default:
			return BgMax
		}
	}
	return BgMax
}
