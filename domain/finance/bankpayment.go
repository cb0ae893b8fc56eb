package finance

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// PaymentFileFormat names the kind of a bank's file of incoming payments.
type PaymentFileFormat string

// The payment file formats GNS reads.
const (
	PaymentsBgMax   PaymentFileFormat = "bgmax"
	PaymentsCamt054 PaymentFileFormat = "camt054"
)

// Label is the format's name as the economist knows it.
func (f PaymentFileFormat) Label() string {
	switch f {
	case PaymentsBgMax:
		return "BgMax"
	case PaymentsCamt054:
		return "camt.054"
	}
	return string(f)
}

// PaymentFile is a bank's file of incoming payments as read: where it came
// from, its deposits, and its payments in file order.
type PaymentFile struct {
	Format   PaymentFileFormat
	FileName string
	SHA256   string
	Size     int64
	// Created is when the bank wrote the file, as the file says.
	Created string
	// Test tells that the bank marked the file as a test file.
	Test     bool
	Deposits []PaymentDeposit
	Payments []BankPayment
	// Notes are what the reader left out of the file and why.
	Notes []string
}

// PaymentDeposit is one deposit of the file: an account, a day and its sum.
type PaymentDeposit struct {
	Line     int
	Account  string
	Currency string
	Date     domain.Date
	Total    decimal.Decimal
	Count    int
}

// BankPayment is one payment (or deduction) of a bank's file, with what
// matching it to an invoice uses.
type BankPayment struct {
	// Seq is the payment's place in the file, from 1; Line its line.
	Seq  int `json:"seq"`
	Line int `json:"line"`
	// Deposit is the number of its deposit in the file, from 1.
	Deposit  int         `json:"deposit"`
	Account  string      `json:"account"`
	Currency string      `json:"currency"`
	PaidOn   domain.Date `json:"paid_on"`
	// Amount is negative for a deduction.
	Amount       decimal.Decimal `json:"amount"`
	Reference    string          `json:"reference,omitempty"`
	OCRChecked   bool            `json:"ocr_checked,omitempty"`
	BadReference bool            `json:"bad_reference,omitempty"`
	// References are further references the payer gave.
	References []string `json:"references,omitempty"`
	Texts      []string `json:"texts,omitempty"`
	Payer      string   `json:"payer,omitempty"`
	BankRef    string   `json:"bank_ref,omitempty"`
}

// AllReferences is the payment's reference and its further references.
func (p BankPayment) AllReferences() string {
	return strings.Join(append([]string{p.Reference}, p.References...), " ")
}

// MatchOutcome is what matching did with a payment.
type MatchOutcome string

// The outcomes of matching a payment.
const (
	// MatchPaid pays what is left of the invoice (or invoices) exactly.
	MatchPaid MatchOutcome = "paid"
	// MatchPartial pays less than what is left; the rest stays open.
	MatchPartial MatchOutcome = "partial"
	// MatchOver is more than what is left: what is left is registered and
	// the excess is shown, to be paid back or settled by hand.
	MatchOver MatchOutcome = "over"
	// MatchNone found no invoice to register the payment on.
	MatchNone MatchOutcome = "unmatched"
	// MatchDeduction is a deduction (a negative amount), never registered:
	// payments that are registered never change.
	MatchDeduction MatchOutcome = "deduction"
)

// Label is the outcome in Swedish.
func (o MatchOutcome) Label() string {
	switch o {
	case MatchPaid:
		return "betald"
	case MatchPartial:
		return "delbetalning"
	case MatchOver:
		return "överbetalning"
	case MatchNone:
		return "ingen faktura"
	case MatchDeduction:
		return "avdrag"
	}
	return string(o)
}

// MatchMethod is how a payment was tied to its invoice.
type MatchMethod string

// The ways a payment is matched, most certain first.
const (
	ByOCR       MatchMethod = "ocr"
	ByReference MatchMethod = "reference"
	ByAmount    MatchMethod = "amount"
)

// Label is the method in Swedish.
func (m MatchMethod) Label() string {
	switch m {
	case ByOCR:
		return "OCR-nummer"
	case ByReference:
		return "referens i meddelandet"
	case ByAmount:
		return "belopp och betalare"
	}
	return string(m)
}

// PaymentPart is what a payment registers on one invoice.
type PaymentPart struct {
	Invoice Invoice
	// OpenBefore is what was left of the invoice before this payment
	// (after the file's earlier payments); Amount what is registered.
	OpenBefore decimal.Decimal
	Amount     decimal.Decimal
}

// PaymentMatch is a payment of a file and what committing the file does
// with it.
type PaymentMatch struct {
	Payment BankPayment
	Outcome MatchOutcome
	By      MatchMethod
	Parts   []PaymentPart
	// Excess is the part of an overpayment that is not registered;
	// Remaining what a partial payment leaves open.
	Excess    decimal.Decimal
	Remaining decimal.Decimal
	// Reason explains, in Swedish, why the payment is not matched, or
	// what to check about a match that is not by OCR.
	Reason string
}

// Registered is what the payment registers in all.
func (m PaymentMatch) Registered() decimal.Decimal {
	sum := decimal.Zero
	for _, p := range m.Parts {
		sum = sum.Add(p.Amount)
	}
	return sum
}

// NeedsAttention tells whether the economist must do something by hand
// about the payment: it is unmatched, a deduction, or paid more than was
// open.
func (m PaymentMatch) NeedsAttention() bool {
	return m.Outcome == MatchNone || m.Outcome == MatchDeduction || m.Outcome == MatchOver
}

// InvoiceNumbers lists the numbers of the invoices the payment registers on.
func (m PaymentMatch) InvoiceNumbers() string {
	var ns []string
	for _, p := range m.Parts {
		ns = append(ns, p.Invoice.Number)
	}
	return strings.Join(ns, ", ")
}

// PaymentMatching is the matching of a file's payments against a
// committee's invoices.
type PaymentMatching struct {
	Matches []PaymentMatch
}

// Registered counts the payments that register something and sums what
// they register.
func (pm PaymentMatching) Registered() (n int, sum decimal.Decimal) {
	sum = decimal.Zero
	for _, m := range pm.Matches {
		if len(m.Parts) > 0 {
			n++
			sum = sum.Add(m.Registered())
		}
	}
	return n, sum
}

// Attention lists the payments that need the economist's hand.
func (pm PaymentMatching) Attention() []PaymentMatch {
	var out []PaymentMatch
	for _, m := range pm.Matches {
		if m.NeedsAttention() {
			out = append(out, m)
		}
	}
	return out
}

// wordPattern finds the words of a payer's message that may be an invoice
// number or an OCR reference.
var wordPattern = regexp.MustCompile(`[A-Za-z0-9-]+`)

// MatchBankPayments matches a file's payments, in file order, against the
// committee's documents: by OCR number (the payment's reference or further
// references); where that finds nothing, by an invoice number or OCR number
// in the payer's reference or message; and where that finds nothing, by the
// amount, when exactly one open invoice has what is left equal to it, or
// exactly one of several such has a buyer the payer's name names. Each
// payment registers at most what is left of its invoice after the file's
// earlier payments; an excess is shown (MatchOver), never dropped in
// silence, and a payment the rules cannot place is left for the economist
// with the reason. A payment dated before the invoice or after today is not
// registered (CheckPayment's rules).
func MatchBankPayments(payments []BankPayment, docs []Invoice, today domain.Date) PaymentMatching {
	byOCR := map[string]int{}
	byNumber := map[string]int{}
	left := make([]decimal.Decimal, len(docs))
	for i, d := range docs {
		if d.OCR != "" {
			byOCR[d.OCR] = i
		}
		byNumber[d.Number] = i
		left[i] = d.Open()
	}
	var out PaymentMatching
	for _, p := range payments {
		out.Matches = append(out.Matches, matchOne(p, docs, byOCR, byNumber, left, today))
	}
	return out
}

func matchOne(p BankPayment, docs []Invoice, byOCR, byNumber map[string]int, left []decimal.Decimal, today domain.Date) PaymentMatch {
	m := PaymentMatch{Payment: p, Outcome: MatchNone}
	switch {
	case p.Currency != "" && p.Currency != "SEK":
		m.Reason = "Betalningen är i " + p.Currency + "; nämndens fakturor är i kronor. Registrera den för hand."
		return m
	case p.Amount.IsNegative():
		m.Outcome = MatchDeduction
		m.Reason = "Avdrag på " + sv.Kronor(p.Amount.Neg()) + ": banken har dragit tillbaka en betalning. Registrerade betalningar ändras aldrig; stäm av avdraget för hand."
		return m
	case p.Amount.IsZero():
		m.Reason = "Beloppet är noll."
		return m
	}
	// By OCR: the reference and the further references.
	var found []int
	seen := map[int]bool{}
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			found = append(found, i)
		}
	}
	for _, r := range append([]string{p.Reference}, p.References...) {
		if i, ok := byOCR[strings.ReplaceAll(r, " ", "")]; ok {
			add(i)
		}
	}
	m.By = ByOCR
	note := ""
	if len(found) == 0 && p.Reference != "" && (p.OCRChecked || domain.ASCIIDigitsOnly(p.Reference)) {
		note = "OCR-numret " + p.Reference + " finns inte bland nämndens fakturor. "
	}
	if len(found) == 0 && p.BadReference {
		note = "Banken anger att referensen " + sv.Quote(p.Reference) + " är felaktig. "
	}
	// By reference: an invoice number or OCR number in the words given.
	if len(found) == 0 {
		m.By = ByReference
		words := wordPattern.FindAllString(strings.Join(append([]string{p.AllReferences()}, p.Texts...), " "), -1)
		for _, w := range words {
			if n, ok := NormalizeInvoiceNumber(w); ok {
				if i, ok := byNumber[n]; ok {
					add(i)
				}
			} else if i, ok := byOCR[w]; ok {
				add(i)
			}
		}
	}
	// By amount, and the payer's name where several are open on it.
	if len(found) == 0 {
		m.By = ByAmount
		var same []int
		for i, d := range docs {
			if d.Kind == InvoiceKindInvoice && left[i].Equal(p.Amount) && !p.PaidOn.Before(d.IssueDate) {
				same = append(same, i)
			}
		}
		if len(same) > 1 {
			var named []int
			payer := domain.FoldSwedish(p.Payer)
			for _, i := range same {
				if buyer := domain.FoldSwedish(docs[i].Buyer.Name); payer != "" && buyer != "" && (strings.Contains(payer, buyer) || strings.Contains(buyer, payer)) {
					named = append(named, i)
				}
			}
			if len(named) != 1 {
				var ns []string
				for _, i := range same {
					ns = append(ns, docs[i].Number)
				}
				m.By, m.Reason = "", note+"Flera öppna fakturor har "+sv.Kronor(p.Amount)+" kvar ("+strings.Join(ns, ", ")+") och betalaren "+
					sv.Quote(p.Payer)+" pekar inte ut en av dem. Registrera betalningen för hand."
				return m
			}
			same = named
		}
		if len(same) == 0 {
			m.By, m.Reason = "", note+"Ingen faktura hittades: varken OCR-nummer, fakturanummer eller ett öppet belopp på "+sv.Kronor(p.Amount)+" stämmer."
			return m
		}
		found = same
	}
	// Several invoices named: paid together when the amount is exactly what
	// is left of them all.
	if len(found) > 1 {
		sum := decimal.Zero
		var ns []string
		for _, i := range found {
			sum = sum.Add(left[i])
			ns = append(ns, docs[i].Number)
		}
		for _, i := range found {
			if reason := cannotPay(docs[i], left[i], p, today); reason != "" || !sum.Equal(p.Amount) {
				if reason == "" {
					reason = "Betalningen anger fakturorna " + strings.Join(ns, ", ") + ", men beloppet " + sv.Kronor(p.Amount) +
						" är inte det som återstår av dem tillsammans (" + sv.Kronor(sum) + "). Registrera den för hand."
				}
				m.By, m.Reason = "", note+reason
				return m
			}
		}
		for _, i := range found {
			m.Parts = append(m.Parts, PaymentPart{Invoice: docs[i], OpenBefore: left[i], Amount: left[i]})
			left[i] = decimal.Zero
		}
		m.Outcome = MatchPaid
		m.Reason = strings.TrimSpace(note)
		return m
	}
	i := found[0]
	d := docs[i]
	if reason := cannotPay(d, left[i], p, today); reason != "" {
		m.By, m.Reason = "", note+reason
		return m
	}
	part := PaymentPart{Invoice: d, OpenBefore: left[i], Amount: p.Amount}
	switch p.Amount.Cmp(left[i]) {
	case 0:
		m.Outcome = MatchPaid
	case -1:
		m.Outcome, m.Remaining = MatchPartial, left[i].Sub(p.Amount)
		note += "Delbetalning: " + sv.Kronor(m.Remaining) + " av " + d.Number + " är kvar att betala. "
	case 1:
		m.Outcome, m.Excess, part.Amount = MatchOver, p.Amount.Sub(left[i]), left[i]
		note += "Betalningen är " + sv.Kronor(m.Excess) + " mer än det som återstod av " + d.Number + " (" + sv.Kronor(left[i]) +
			"). Det som återstod registreras; överskottet registreras inte utan ska betalas tillbaka eller stämmas av för hand. "
	}
	left[i] = left[i].Sub(part.Amount)
	m.Parts = []PaymentPart{part}
	if m.By != ByOCR {
		note += "Kontrollera: matchad på " + m.By.Label() + ", inte på OCR-nummer."
	}
	m.Reason = strings.TrimSpace(note)
	return m
}

// cannotPay says, in Swedish, why a payment cannot be registered on the
// document, or "" when it can.
func cannotPay(d Invoice, left decimal.Decimal, p BankPayment, today domain.Date) string {
	switch {
	case d.Kind != InvoiceKindInvoice:
		return d.Kind.Label() + " " + d.Number + " betalas ut, inte in. Registrera betalningen för hand."
	case !left.IsPositive():
		return "Faktura " + d.Number + " har inget kvar att betala (" + d.StatusLabel() + "); betalningen kan vara en dubbelbetalning. Registrera den för hand."
	case p.PaidOn.Before(d.IssueDate):
		return "Betalningsdagen " + p.PaidOn.String() + " är före fakturadatum " + d.IssueDate.String() + " för " + d.Number + "."
	case p.PaidOn.After(today):
		return "Betalningsdagen " + p.PaidOn.String() + " är senare än i dag."
	}
	return ""
}

// PaymentImport is a payment file kept by GNS: read and previewed, or
// committed, when its matched payments were registered.
type PaymentImport struct {
	ID          int64
	CommitteeID int64
	PaymentFile
	Committed   bool
	CreatedAt   time.Time
	CreatedBy   string
	CommittedAt time.Time
	CommittedBy string
}

// Total sums the file's deposits.
func (p PaymentImport) Total() decimal.Decimal {
	sum := decimal.Zero
	for _, d := range p.Deposits {
		sum = sum.Add(d.Total)
	}
	return sum
}

// PaymentImportPreview is what committing a payment file does (before it is
// committed) or did (after): every payment matched, what to observe, and
// what stops the commit.
type PaymentImportPreview struct {
	Import   PaymentImport
	Matching PaymentMatching
	Warnings []string
	// Problems stop the commit (the same file already committed).
	Problems []string
	// Duplicate is the committed import of the same file, if any.
	Duplicate *PaymentImport
}

// CanCommit tells whether the file can be committed now.
func (p PaymentImportPreview) CanCommit() bool { return !p.Import.Committed && len(p.Problems) == 0 }
