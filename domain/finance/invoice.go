package finance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// This file holds the committee's invoicing (shared/DOMAIN.md §8): the
// contribution invoices and refund credit notes the host issues from saved
// allocations, their numbers and OCR references, their content as
// mervärdesskattelagen (2023:200) 17 kap. 24 § requires it, and the rules for
// payments and credit notes.

// InvoiceKind tells an invoice from a credit note.
type InvoiceKind string

// The two kinds of document a run issues.
const (
	// InvoiceKindInvoice asks a party to pay its share (Peppol type 380).
	InvoiceKindInvoice InvoiceKind = "invoice"
	// InvoiceKindCreditNote corrects an invoice, or pays a refund of surplus
	// out to a party (Peppol type 381).
	InvoiceKindCreditNote InvoiceKind = "credit_note"
)

// Valid reports whether k is a known kind.
func (k InvoiceKind) Valid() bool { return k == InvoiceKindInvoice || k == InvoiceKindCreditNote }

// Label returns the Swedish name of the kind.
func (k InvoiceKind) Label() string {
	switch k {
	case InvoiceKindInvoice:
		return "Faktura"
	case InvoiceKindCreditNote:
		return "Kreditfaktura"
	}
	return string(k)
}

// InvoiceStatus is where a document stands. It is derived from what has
// happened to it (sent, payments, credit notes), never set by hand.
type InvoiceStatus string

// The statuses of a document, in the order they are usually reached.
const (
	InvoiceIssued     InvoiceStatus = "issued"      // utfärdad, not yet sent
	InvoiceSent       InvoiceStatus = "sent"        // sent by GNS's e-mail, or marked as sent with the channel
	InvoicePartlyPaid InvoiceStatus = "partly_paid" // some of it paid (or paid out)
	InvoicePaid       InvoiceStatus = "paid"        // nothing left to pay (or to pay out)
	InvoiceCredited   InvoiceStatus = "credited"    // the whole amount credited
)

// InvoiceStatuses lists the statuses in the order filters offer them.
var InvoiceStatuses = []InvoiceStatus{InvoiceIssued, InvoiceSent, InvoicePartlyPaid, InvoicePaid, InvoiceCredited}

// Valid reports whether s is a known status.
func (s InvoiceStatus) Valid() bool {
	for _, x := range InvoiceStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the status.
func (s InvoiceStatus) Label() string {
	switch s {
	case InvoiceIssued:
		return "Utfärdad"
	case InvoiceSent:
		return "Skickad"
	case InvoicePartlyPaid:
		return "Delvis betald"
	case InvoicePaid:
		return "Betald"
	case InvoiceCredited:
		return "Krediterad"
	}
	return string(s)
}

// Sent channels: how a document left GNS the first time. GNS itself sends
// by e-mail ("Skicka" on a run, SentViaEmail); the economist marks a
// document as sent by another channel (ManualSentChannels). Opening or
// downloading a document changes nothing.
const (
	SentViaEmail  = "email"
	SentViaPeppol = "peppol"
	SentViaPost   = "post"
	SentViaOther  = "other"
)

// ManualSentChannels are the channels the economist can mark a document as
// sent by, in the order the form offers them: e-mail is not among them,
// since a document is "sent by e-mail" only when GNS has sent it.
var ManualSentChannels = []string{SentViaPeppol, SentViaPost, SentViaOther}

// CheckSentChannel checks the channel a document is marked as sent by: one
// of ManualSentChannels, else an error on the field "via".
func CheckSentChannel(via string) error {
	for _, c := range ManualSentChannels {
		if via == c {
			return nil
		}
	}
	if via == SentViaEmail {
		return domain.FieldErrorf("via", "Med e-post skickar GNS dokumenten själv: använd Skicka på faktureringen. Markera här bara det som gått med Peppol, post eller på annat sätt.")
	}
	return domain.FieldErrorf("via", "Välj hur dokumentet skickades: Peppol, post eller annat.")
}

// SentChannelLabel returns the Swedish name of a sent channel.
func SentChannelLabel(via string) string {
	switch via {
	case SentViaEmail:
		return "e-post"
	case SentViaPeppol:
		return "Peppol"
	case SentViaPost:
		return "post"
	case SentViaOther:
		return "annat"
	}
	return via
}

// SentLabel names the channel the document was sent by, in Swedish, or ""
// while it is not sent.
func (i Invoice) SentLabel() string {
	if i.SentAt.IsZero() {
		return ""
	}
	return SentChannelLabel(i.SentVia)
}

// VAT categories an invoice line of GNS may have. The parties' contributions
// to a joint committee are outside the scope of VAT (O); a committee whose
// contributions are exempt instead states its reason (E). Taxable lines would
// need VAT amounts the allocations do not model, so they are not offered.
const (
	VATOutOfScope = "O"
	VATExempt     = "E"
	// DefaultOutOfScopeReason is the reason printed when no VAT is charged on
	// a line outside the scope of VAT.
	DefaultOutOfScopeReason = "Utanför mervärdesskattelagens tillämpningsområde"
)

// Defaults of a committee's invoice settings.
const (
	DefaultPaymentTermsDays  = 30
	DefaultReceivableAccount = "1510"
	// MinDaysToPay is the least time a base funding invoice gives to pay
	// before its January due date; a run issued later than that gets the
	// ordinary payment terms instead.
	MinDaysToPay = 10
	// MaxOCRPrefixLength bounds the digits a committee puts before its
	// invoice numbers' digits in the OCR reference.
	MaxOCRPrefixLength = 6
	// MaxCreditReasonLength bounds the reason written on a credit note.
	MaxCreditReasonLength = 300
	// MaxPaymentNoteLength bounds the note on a registered payment.
	MaxPaymentNoteLength = 300
)

// InvoiceSeller is the seller as an invoice prints it: the host party acting
// for the committee, which is not a legal person of its own.
type InvoiceSeller struct {
	Name string
	// Address is the postal address, one line per row, the post code and
	// town on the last.
	Address   string
	OrgNumber string
	// VATNumber is the VAT registration number, SE + the ten digits + 01.
	VATNumber string
	// PeppolID is the seller's Peppol participant id, for e-invoices.
	PeppolID string
	// FTax states that the seller is approved for F-tax (Godkänd för F-skatt).
	FTax bool
	// Bankgiro is the account payments go to, NNN-NNNN or NNNN-NNNN.
	Bankgiro string
	// ContactName, ContactEmail and ContactPhone are "Vår referens".
	ContactName  string
	ContactEmail string
	ContactPhone string
}

// InvoiceSettings are a committee's rules for its invoices: the seller, the
// payment terms, the OCR references, the VAT category of the contributions
// and the accounts of the SIE export for the host's ledger.
type InvoiceSettings struct {
	CommitteeID int64
	InvoiceSeller
	// PaymentTermsDays is the time to pay an invoice that is not base
	// funding, and the time within which a refund is paid out.
	PaymentTermsDays int
	// OCRLengthDigit adds a length digit before the check digit, as the
	// bankgiro agreement asks.
	OCRLengthDigit bool
	// OCRPrefix is put before the invoice number's digits in the OCR
	// reference, so committees that share the host's bankgiro get distinct
	// references; empty when the bankgiro is the committee's alone.
	OCRPrefix string
	// VATCategory is VATOutOfScope or VATExempt; VATExemptionReason the
	// reason printed (DefaultOutOfScopeReason when empty for O).
	VATCategory        string
	VATExemptionReason string
	// The accounts of the SIE 4I export: the receivable debited for an
	// invoice, the contribution (income) account credited, and the host's own
	// account its internal share is moved from.
	ReceivableAccount   string
	ContributionAccount string
	InternalAccount     string
	// Demo marks settings made up for the demo (a test bankgiro number).
	Demo      bool
	UpdatedAt time.Time
	UpdatedBy string
}

var (
	bankgiroPattern   = regexp.MustCompile(`^[0-9]{3,4}-[0-9]{4}$`)
	accountPattern    = regexp.MustCompile(`^[0-9]{3,10}$`)
	postalLinePattern = regexp.MustCompile(`^([0-9]{3}) ?([0-9]{2})\s+(\S.*)$`)
)

// NewInvoiceSettings returns the settings a committee starts from: the
// default payment terms, an OCR length digit, contributions outside the scope
// of VAT and the usual receivable account, the seller taken from the host
// party when given.
func NewInvoiceSettings(committeeID int64, host *domain.Party) InvoiceSettings {
	s := InvoiceSettings{CommitteeID: committeeID, PaymentTermsDays: DefaultPaymentTermsDays, OCRLengthDigit: true,
		VATCategory: VATOutOfScope, VATExemptionReason: DefaultOutOfScopeReason, ReceivableAccount: DefaultReceivableAccount}
	s.FTax = true
	if host != nil {
		s.Name, s.Address, s.OrgNumber, s.PeppolID = host.Name, host.Address, host.OrgNumber, host.PeppolID
		if digits := strings.Replace(host.OrgNumber, "-", "", 1); len(digits) == 10 {
			s.VATNumber = "SE" + digits + "01"
		}
	}
	return s
}

// Normalize trims the settings and checks every field. Errors are field
// errors named after the form fields: seller_name, seller_address,
// seller_org_number, seller_vat_number, seller_peppol_id, bankgiro,
// contact_name, contact_email, contact_phone, payment_terms_days, ocr_prefix,
// vat_category, vat_exemption_reason, receivable_account,
// contribution_account and internal_account.
func (s *InvoiceSettings) Normalize() error {
	s.Name = strings.TrimSpace(s.Name)
	s.Address = strings.TrimSpace(strings.ReplaceAll(s.Address, "\r\n", "\n"))
	s.OrgNumber = strings.TrimSpace(s.OrgNumber)
	s.VATNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s.VATNumber), " ", ""))
	s.PeppolID = strings.TrimSpace(s.PeppolID)
	s.Bankgiro = strings.TrimSpace(s.Bankgiro)
	s.ContactName = strings.TrimSpace(s.ContactName)
	s.ContactEmail = strings.TrimSpace(s.ContactEmail)
	s.ContactPhone = strings.TrimSpace(s.ContactPhone)
	s.OCRPrefix = strings.TrimSpace(s.OCRPrefix)
	s.VATCategory = strings.ToUpper(strings.TrimSpace(s.VATCategory))
	s.VATExemptionReason = strings.TrimSpace(s.VATExemptionReason)
	s.ReceivableAccount = strings.TrimSpace(s.ReceivableAccount)
	s.ContributionAccount = strings.TrimSpace(s.ContributionAccount)
	s.InternalAccount = strings.TrimSpace(s.InternalAccount)

	if s.Name == "" {
		return domain.FieldErrorf("seller_name", "Ange säljarens namn, t.ex. Region Jämtland Härjedalen.")
	}
	if err := domain.CheckLine("seller_name", "Säljarens namn", s.Name, domain.MaxPartyNameLength); err != nil {
		return err
	}
	if err := domain.CheckText("seller_address", "Adressen", s.Address, domain.MaxAddressLength); err != nil {
		return err
	}
	if _, postal, _ := SplitAddress(s.Address); postal == "" {
		return domain.FieldErrorf("seller_address", "Skriv säljarens adress med postnummer och ort på sista raden, t.ex. ”Box 654” och ”831 27 Östersund”.")
	}
	org, err := domain.ParseOrgNumber(s.OrgNumber)
	if err != nil {
		return domain.AsField(err, "seller_org_number")
	}
	s.OrgNumber = org
	if want := "SE" + strings.Replace(org, "-", "", 1) + "01"; s.VATNumber != want {
		return domain.FieldErrorf("seller_vat_number", "Momsregistreringsnumret ska vara SE, organisationsnumrets tio siffror och 01: %s.", want)
	}
	if s.PeppolID != "" {
		id, err := domain.ParsePeppolID(s.PeppolID)
		if err != nil {
			return domain.AsField(err, "seller_peppol_id")
		}
		s.PeppolID = id
	}
	if err := CheckBankgiro(s.Bankgiro); err != nil {
		return err
	}
	if err := domain.CheckLine("contact_name", "Vår referens", s.ContactName, domain.MaxNameLength); err != nil {
		return err
	}
	if s.ContactEmail != "" {
		email, _, err := domain.NormalizeEmail(s.ContactEmail)
		if err != nil {
			return domain.AsField(err, "contact_email")
		}
		s.ContactEmail = email
	}
	if err := domain.CheckPhone("contact_phone", s.ContactPhone); err != nil {
		return err
	}
	if s.PaymentTermsDays < 1 || s.PaymentTermsDays > 365 {
		return domain.FieldErrorf("payment_terms_days", "Ange betalningsvillkoret i dagar, 1–365, t.ex. 30.")
	}
	if len(s.OCRPrefix) > MaxOCRPrefixLength || !domain.ASCIIDigitsOnly(s.OCRPrefix) {
		return domain.FieldErrorf("ocr_prefix", "OCR-prefixet får vara högst %d siffror, eller tomt.", MaxOCRPrefixLength)
	}
	switch s.VATCategory {
	case VATOutOfScope:
		if s.VATExemptionReason == "" {
			s.VATExemptionReason = DefaultOutOfScopeReason
		}
	case VATExempt:
		if s.VATExemptionReason == "" {
			return domain.FieldErrorf("vat_exemption_reason", "Ange skälet till att ingen moms tas ut, med hänvisning till lagrummet.")
		}
	default:
		return domain.FieldErrorf("vat_category", "Välj om bidragen är utanför momsens tillämpningsområde eller undantagna från moms.")
	}
	if err := domain.CheckLine("vat_exemption_reason", "Skälet till att ingen moms tas ut", s.VATExemptionReason, 200); err != nil {
		return err
	}
	for _, a := range []struct{ field, label, value string }{
		{"receivable_account", "Kundfordringskontot", s.ReceivableAccount},
		{"contribution_account", "Intäktskontot för bidragen", s.ContributionAccount},
		{"internal_account", "Kontot för värdpartens egen andel", s.InternalAccount},
	} {
		if !accountPattern.MatchString(a.value) {
			return domain.FieldErrorf(a.field, "%s ska vara ett kontonummer i värdpartens kontoplan, 3–10 siffror, t.ex. 1510.", a.label)
		}
	}
	return nil
}

// CheckBankgiro checks a bankgiro number, NNN-NNNN or NNNN-NNNN with a valid
// Luhn check digit. The error is a field error on "bankgiro".
func CheckBankgiro(bg string) error {
	if !bankgiroPattern.MatchString(bg) || !domain.LuhnValid(strings.Replace(bg, "-", "", 1)) {
		return domain.FieldErrorf("bankgiro", "Bankgironumret ska skrivas NNN-NNNN eller NNNN-NNNN och ha rätt kontrollsiffra, t.ex. 5050-1055.")
	}
	return nil
}

// SplitAddress splits a postal address written one line per row into the
// lines before the last, and the post code (NNN NN) and town of the last
// line. When the last line has no post code, postal is "" and town is the
// whole last line.
func SplitAddress(address string) (lines []string, postal, town string) {
	for _, l := range strings.Split(strings.ReplaceAll(address, "\r\n", "\n"), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, "", ""
	}
	last := lines[len(lines)-1]
	lines = lines[:len(lines)-1]
	if m := postalLinePattern.FindStringSubmatch(last); m != nil {
		return lines, m[1] + " " + m[2], m[3]
	}
	return lines, "", last
}

// InvoiceBuyer is the party as an invoice prints it, copied from the register
// when the document is issued: a later change of the party's details does not
// change an issued document.
type InvoiceBuyer struct {
	Name      string
	Address   string
	OrgNumber string
	// Reference is the party's invoice reference (referenskod), "Er referens".
	Reference string
	PeppolID  string
}

// BuyerOf copies a party's register entry as an invoice prints it. Swedish
// public bodies receive e-invoices under their organisation number (Peppol
// scheme 0007), so a party without a Peppol id of its own gets the one that
// follows from its organisation number.
func BuyerOf(p domain.Party) InvoiceBuyer {
	b := InvoiceBuyer{Name: p.Name, Address: strings.TrimSpace(p.Address), OrgNumber: p.OrgNumber,
		Reference: p.InvoiceReference, PeppolID: p.PeppolID}
	if b.PeppolID == "" {
		b.PeppolID = domain.PeppolID(p.OrgNumber)
	}
	return b
}

// Invoice is an issued invoice or credit note. Everything but the sent,
// paid and credited fields is fixed when it is issued; a mistake is
// corrected with a credit note.
type Invoice struct {
	ID          int64
	CommitteeID int64
	RunID       int64
	// Number is the document's number in the committee's series of the
	// year, e.g. GNS-2021-0001; Year and Seq are its parts.
	Number  string
	Year    int
	Seq     int
	Kind    InvoiceKind
	PartyID int64
	Buyer   InvoiceBuyer
	Seller  InvoiceSeller
	// IssueDate is the invoice date; DueDate the day to pay by (for a refund
	// credit note, the day it is paid out by; zero for a credit note that
	// corrects an invoice).
	IssueDate domain.Date
	DueDate   domain.Date
	// PeriodStart and PeriodEnd are the period the amount concerns.
	PeriodStart domain.Date
	PeriodEnd   domain.Date
	// LineText says what is charged for, e.g. "Basfinansiering 2021, lika
	// delar 1/9, enligt beslut GNS § 42/2020".
	LineText string
	// Amount is the document's total in kronor, always positive: a credit
	// note's amount is what it credits or pays out.
	Amount             decimal.Decimal
	VATCategory        string
	VATExemptionReason string
	// OCR is the payment reference of an invoice; credit notes have none.
	OCR string
	// CreditsInvoiceID, CreditsNumber and CreditsIssueDate name the invoice
	// a credit note corrects, and CreditReason why.
	CreditsInvoiceID int64
	CreditsNumber    string
	CreditsIssueDate domain.Date
	CreditReason     string
	// AllocationID, AllocationKind, Decision and CaseNumber name the saved
	// allocation and the decision behind the document; a refund credit note
	// refers to the decision it pays out.
	AllocationID   int64
	AllocationKind AllocationKind
	Decision       string
	CaseNumber     string
	// Paid is what has been paid (or, for a refund, paid out); Credited what
	// credit notes have taken off an invoice.
	Paid     decimal.Decimal
	Credited decimal.Decimal
	// SentAt, SentBy and SentVia record that the document was sent: when
	// GNS sent it by e-mail or the economist marked it, who, and by which
	// channel (SentViaEmail or one of ManualSentChannels).
	SentAt    time.Time
	SentBy    string
	SentVia   string
	CreatedAt time.Time
	CreatedBy string
}

// Corrects reports whether the document is a credit note that corrects an
// invoice (rather than paying out a refund).
func (i Invoice) Corrects() bool { return i.Kind == InvoiceKindCreditNote && i.CreditsInvoiceID != 0 }

// Refund reports whether the document is a credit note that pays a refund of
// surplus out to the party.
func (i Invoice) Refund() bool { return i.Kind == InvoiceKindCreditNote && i.CreditsInvoiceID == 0 }

// Signed returns the amount as the ledger sees it: positive for an invoice,
// negative for a credit note.
func (i Invoice) Signed() decimal.Decimal {
	if i.Kind == InvoiceKindCreditNote {
		return i.Amount.Neg()
	}
	return i.Amount
}

// Open returns what is left to pay (for a refund: to pay out). A credit note
// that corrects an invoice is settled against that invoice and has nothing
// open of its own.
func (i Invoice) Open() decimal.Decimal {
	if i.Corrects() {
		return decimal.Zero
	}
	return i.Amount.Sub(i.Paid).Sub(i.Credited)
}

// Status returns where the document stands.
func (i Invoice) Status() InvoiceStatus {
	switch {
	case i.Corrects():
	case i.Credited.Equal(i.Amount):
		return InvoiceCredited
	case i.Open().IsZero():
		return InvoicePaid
	case i.Paid.IsPositive():
		return InvoicePartlyPaid
	}
	if !i.SentAt.IsZero() {
		return InvoiceSent
	}
	return InvoiceIssued
}

// StatusLabel returns the status in Swedish, in the words of the document's
// kind: a refund is paid out ("Utbetald"), not paid.
func (i Invoice) StatusLabel() string {
	st := i.Status()
	if i.Refund() {
		switch st {
		case InvoicePartlyPaid:
			return "Delvis utbetald"
		case InvoicePaid:
			return "Utbetald"
		}
	}
	return st.Label()
}

// Overdue reports whether something is still open after the due date.
func (i Invoice) Overdue(today domain.Date) bool {
	return !i.DueDate.IsZero() && i.Open().IsPositive() && i.DueDate.Before(today)
}

// InternalTransfer is the host party's share in a run: the host does not
// invoice itself, so its share is recorded as an internal transfer (intern
// omföring) in its own ledger, without an invoice number.
type InternalTransfer struct {
	ID        int64
	RunID     int64
	PartyID   int64
	PartyName string
	// Amount is signed: negative when the host's share of a refund is paid
	// back to it.
	Amount      decimal.Decimal
	LineText    string
	PeriodStart domain.Date
	PeriodEnd   domain.Date
}

// RunKind tells a run of an allocation from the credit of one invoice.
type RunKind string

// The kinds of run.
const (
	RunAllocation RunKind = "allocation"
	RunCredit     RunKind = "credit"
)

// InvoiceRun is one issuing: the documents of an allocation (one invoice or
// credit note per party, the host's share as an internal transfer), or the
// credit note that corrects one invoice. Every document of a run was issued
// in one transaction.
type InvoiceRun struct {
	ID           int64
	CommitteeID  int64
	Kind         RunKind
	AllocationID int64
	Title        string
	IssueDate    domain.Date
	CreatedAt    time.Time
	CreatedBy    string
	Invoices     []Invoice
	Transfers    []InternalTransfer
}

// Total returns the signed sum of the run's documents and transfers, which
// for an allocation's run equals the allocation's total.
func (r InvoiceRun) Total() decimal.Decimal {
	sum := decimal.Zero
	for _, i := range r.Invoices {
		sum = sum.Add(i.Signed())
	}
	for _, t := range r.Transfers {
		sum = sum.Add(t.Amount)
	}
	return sum
}

// Payment is a payment registered for an invoice, or a refund paid out for
// a credit note. Payments are never changed or deleted.
type Payment struct {
	ID        int64
	InvoiceID int64
	PaidOn    domain.Date
	Amount    decimal.Decimal
	Note      string
	CreatedAt time.Time
	CreatedBy string
}

// InvoiceNumber writes the number of document seq of the year in a
// committee's series: GNS-2021-0001.
func InvoiceNumber(code string, year, seq int) string {
	return fmt.Sprintf("%s-%04d-%04d", code, year, seq)
}

var invoiceNumberPattern = regexp.MustCompile(`^[A-Z]{2,10}-[0-9]{4}-[0-9]{4,9}$`)

// NormalizeInvoiceNumber reads a document number as typed or taken from a
// URL, in upper case, and reports whether it has the form of one.
func NormalizeInvoiceNumber(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, invoiceNumberPattern.MatchString(s)
}

// InvoiceOCR builds the OCR reference of document seq of the year: the
// committee's prefix, the year and the sequence number (four digits at
// least), a length digit when the bankgiro agreement asks for one, and the
// Luhn check digit. GNS-2021-0001 with a length digit gives 2021000100.
func InvoiceOCR(prefix string, year, seq int, lengthDigit bool) (string, error) {
	return NewOCR(fmt.Sprintf("%s%04d%04d", prefix, year, seq), lengthDigit)
}

// InvoiceDueDate returns when a document issued on issue is due. Base
// funding is paid in advance in January of its budget year (the
// samarbetsöverenskommelse): it is due on 31 January, unless the run is issued
// so late that fewer than MinDaysToPay days would remain, when the ordinary
// terms apply. Everything else is due termsDays after the issue date.
func InvoiceDueDate(kind AllocationKind, budgetYear int, issue domain.Date, termsDays int) domain.Date {
	if kind == AllocationBaseFunding && budgetYear != 0 {
		january := domain.Date{Year: budgetYear, Month: time.January, Day: 31}
		if !january.Before(issue.AddDays(MinDaysToPay)) {
			return january
		}
	}
	return issue.AddDays(termsDays)
}

// InvoiceLineText says what a party's share of an allocation charges for, the
// way the invoice line prints it: the allocation's title, the basis of the
// share and the decision, e.g. "Basfinansiering 2021, lika delar 1/9, enligt
// beslut GNS § 42/2020".
func InvoiceLineText(a Allocation, s AllocationShare) string {
	parts := []string{a.Title}
	switch key := KeyBasis(a, s); {
	case key != "":
		parts = append(parts, key)
	case s.WeightKind == "equal":
		parts = append(parts, fmt.Sprintf("lika delar 1/%d", len(a.Shares)))
	case s.WeightKind == "population":
		var total int64
		for _, x := range a.Shares {
			if x.WeightKind == "population" {
				total += x.Population
			}
		}
		basis := fmt.Sprintf("efter invånarantal, %s av %s invånare", sv.Integer(int64(s.Population)), sv.Integer(int64(total)))
		if a.HostShare.Valid && a.HostShare.Decimal.IsPositive() {
			// Beside a host's fixed share, say what part of the amount the
			// population split shares: "50 % av beloppet, 125 000,00 kr,
			// fördelat efter invånarantal: 63 985 av 131 155 invånare".
			rest := decimal.NewFromInt(100).Sub(a.HostShare.Decimal)
			basis = fmt.Sprintf("%s av beloppet, %s, fördelat efter invånarantal: %s av %s invånare", sv.ExactPercent(rest),
				sv.Kronor(a.Total.Mul(rest).Div(decimal.NewFromInt(100)).Round(2)), sv.Integer(int64(s.Population)), sv.Integer(int64(total)))
		}
		if !s.PopulationDate.IsZero() {
			basis += " per " + s.PopulationDate.String()
		}
		parts = append(parts, basis)
	case s.WeightKind == "host_share":
		parts = append(parts, "värdpartens fasta andel "+sv.ExactPercent(s.Weight))
	case s.WeightKind == "percent":
		parts = append(parts, "fördelningsnyckel "+sv.ExactPercent(s.Weight))
	case s.WeightKind == "direct":
		parts = append(parts, "direktdebitering")
	case s.WeightKind == WeightParticipation:
		// A project settlement's difference: the party's share of the net
		// cost by its months of participation less what it paid in advance.
		parts = append(parts, "er andel "+sv.ExactPercent(s.Weight)+" av nettokostnaden efter deltagandemånader, minus fakturerat förskott")
	}
	if a.CostObject != "" {
		parts = append(parts, "kostnadsobjekt "+a.CostObject)
	}
	if a.PaysDecided && s.Decided.Valid {
		parts = append(parts, "belopp enligt beslutet (exakt andel "+sv.Kronor(s.Amount.Abs())+")")
	}
	if a.Decision != "" {
		parts = append(parts, "enligt beslut "+a.Decision)
	}
	return strings.Join(parts, ", ")
}

// allocationPeriod is the period an allocation's documents concern: its own
// period when it has one, else its budget year, else the calendar year of
// the issue date.
func allocationPeriod(a Allocation, issue domain.Date) (domain.Date, domain.Date) {
	if !a.PeriodStart.IsZero() && !a.PeriodEnd.IsZero() {
		return a.PeriodStart, a.PeriodEnd
	}
	year := a.BudgetYear
	if year == 0 {
		year = issue.Year
	}
	return domain.Date{Year: year, Month: time.January, Day: 1}, domain.Date{Year: year, Month: time.December, Day: 31}
}

// PartyGap is a party whose register entry lacks something a document
// needs, in Swedish words ("adress", "organisationsnummer", "Peppol-id",
// "fakturareferens").
type PartyGap struct {
	PartyID int64
	Party   string
	Missing []string
}

// RunPlan is what issuing an allocation will make, shown before anything is
// issued: the documents (without numbers, which are given only when they
// are issued), the host's internal transfer, the parties whose share is zero,
// and the parties whose register entries lack data. Blocking gaps (an
// address) stop the run; the others only stop the party's e-invoice, its PDF
// can still be sent.
type RunPlan struct {
	Allocation Allocation
	IssueDate  domain.Date
	Documents  []Invoice
	Transfers  []InternalTransfer
	// Zero names the parties whose share is zero and get no document.
	Zero     []string
	Blocking []PartyGap
	PDFOnly  []PartyGap
}

// Invoices counts the plan's invoices.
func (p RunPlan) Invoices() int { return p.count(InvoiceKindInvoice) }

// CreditNotes counts the plan's credit notes.
func (p RunPlan) CreditNotes() int { return p.count(InvoiceKindCreditNote) }

func (p RunPlan) count(k InvoiceKind) int {
	n := 0
	for _, d := range p.Documents {
		if d.Kind == k {
			n++
		}
	}
	return n
}

// Err returns the error that stops the run, naming every party whose address
// is missing, or nil.
func (p RunPlan) Err() error {
	if len(p.Blocking) == 0 {
		return nil
	}
	names := make([]string, len(p.Blocking))
	for i, g := range p.Blocking {
		names[i] = g.Party
	}
	return domain.Errorf(domain.ECONFLICT, "Inga fakturor skapas: %s saknar adress, som fakturan måste ha. Fyll i adressen i partsregistret (Parter) och försök igen.", joinSwedish(names))
}

// Fingerprint identifies the plan's content: the issue date and every
// document's party, kind, amount, buyer, text and dates, and the transfers. A
// confirm step sends it back, so what is issued is what was previewed.
func (p RunPlan) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%d|%s\n", p.Allocation.ID, p.IssueDate)
	for _, d := range p.Documents {
		fmt.Fprintf(h, "%d|%s|%s|%q|%q|%q|%q|%q|%q|%s|%s\n", d.PartyID, d.Kind, d.Amount.StringFixed(2), d.Buyer.Name, d.Buyer.Address,
			d.Buyer.OrgNumber, d.Buyer.Reference, d.Buyer.PeppolID, d.LineText, d.DueDate, d.Seller.Bankgiro)
	}
	for _, t := range p.Transfers {
		fmt.Fprintf(h, "t|%d|%s\n", t.PartyID, t.Amount.StringFixed(2))
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// joinSwedish joins names the Swedish way: "a", "a och b", "a, b och c".
func joinSwedish(items []string) string { return sv.List(items) }

// PlanRun works out the documents of an allocation's run issued on issue
// (each party's payable amount: its decided amount when the allocation pays
// "enligt beslutets belopp", else its exact share):
// one invoice per party with a positive share, one credit note per party with
// a negative share (a refund), the host's share as an internal transfer, with
// the seller from the settings and each buyer from parties (by id). It
// refuses a superseded allocation, an allocation without a decision, one
// whose shares do not sum to its total, and incomplete settings; parties
// without an address are listed in the plan's Blocking gaps (see Err).
func PlanRun(a Allocation, parties map[int64]domain.Party, s InvoiceSettings, issue domain.Date) (RunPlan, error) {
	switch {
	case a.Superseded():
		return RunPlan{}, domain.Errorf(domain.ECONFLICT, "Fördelning %d är ersatt av fördelning %d och faktureras inte. Fakturera den gällande fördelningen.", a.ID, a.SupersededByID)
	case strings.TrimSpace(a.Decision) == "":
		return RunPlan{}, domain.Errorf(domain.ECONFLICT, "Fördelningen är ett förslag utan beslut och kan inte faktureras. Rätta den med en ny fördelning som anger beslutet, t.ex. ”GNS § 42/2020”.")
	case len(a.Shares) == 0:
		return RunPlan{}, domain.Errorf(domain.EINVALID, "Fördelningen har inga andelar att fakturera.")
	case !a.Sum().Equal(a.Total):
		return RunPlan{}, domain.Errorf(domain.EINVALID, "Andelarna summerar till %s men fördelningens belopp är %s: inget faktureras.", sv.Kronor(a.Sum()), sv.Kronor(a.Total))
	case issue.IsZero():
		return RunPlan{}, domain.FieldErrorf("issue_date", "Ange fakturadatum.")
	}
	if err := s.Normalize(); err != nil {
		return RunPlan{}, domain.Errorf(domain.ECONFLICT, "Nämndens faktureringsuppgifter är ofullständiga: %s Rätta dem under Fakturor → Inställningar.", domain.ErrorMessage(err))
	}
	if a.PaysDecided && !a.HasDecided() {
		return RunPlan{}, domain.Errorf(domain.EINVALID, "Fördelningen ska betalas enligt beslutets belopp men saknar belopp för någon part: inget faktureras.")
	}
	start, end := allocationPeriod(a, issue)
	due := InvoiceDueDate(a.Kind, a.BudgetYear, issue, s.PaymentTermsDays)
	p := RunPlan{Allocation: a, IssueDate: issue}
	for _, sh := range a.Shares {
		amount := a.Payable(sh)
		if !amount.Round(2).Equal(amount) {
			return RunPlan{}, domain.Errorf(domain.EINVALID, "%s andel %s har bråkdelar av ett öre: inget faktureras.", sh.PartyName+"s", amount)
		}
		party, ok := parties[sh.PartyID]
		if !ok {
			return RunPlan{}, domain.Errorf(domain.EINVALID, "%s finns inte i partsregistret: inget faktureras.", sh.PartyName)
		}
		text := InvoiceLineText(a, sh)
		switch {
		case amount.IsZero():
			p.Zero = append(p.Zero, party.Name)
			continue
		case sh.Host:
			p.Transfers = append(p.Transfers, InternalTransfer{PartyID: party.ID, PartyName: party.Name, Amount: amount,
				LineText: text, PeriodStart: start, PeriodEnd: end})
			continue
		}
		d := Invoice{
			CommitteeID: a.CommitteeID, Kind: InvoiceKindInvoice, PartyID: party.ID,
			Buyer:  BuyerOf(party),
			Seller: s.InvoiceSeller, IssueDate: issue, DueDate: due, PeriodStart: start, PeriodEnd: end, LineText: text,
			Amount: amount, VATCategory: s.VATCategory, VATExemptionReason: s.VATExemptionReason,
			AllocationID: a.ID, AllocationKind: a.Kind, Decision: a.Decision, CaseNumber: a.CaseNumber,
			Paid: decimal.Zero, Credited: decimal.Zero,
		}
		if amount.IsNegative() {
			d.Kind, d.Amount = InvoiceKindCreditNote, amount.Neg()
		}
		p.Documents = append(p.Documents, d)
		if d.Buyer.Address == "" {
			p.Blocking = append(p.Blocking, PartyGap{PartyID: party.ID, Party: party.Name, Missing: []string{"adress"}})
		}
		if gap := eInvoiceGap(d.Buyer); len(gap) > 0 {
			p.PDFOnly = append(p.PDFOnly, PartyGap{PartyID: party.ID, Party: party.Name, Missing: gap})
		}
	}
	if len(p.Documents) == 0 && len(p.Transfers) == 0 {
		return RunPlan{}, domain.Errorf(domain.EINVALID, "Alla andelar är noll: det finns inget att fakturera.")
	}
	return p, nil
}

// eInvoiceGap lists what a buyer lacks for an e-invoice, in the words of the
// Peppol package's messages.
func eInvoiceGap(b InvoiceBuyer) []string {
	var gap []string
	if b.OrgNumber == "" {
		gap = append(gap, "organisationsnummer")
	}
	if b.PeppolID == "" {
		gap = append(gap, "Peppol-id")
	}
	if b.Reference == "" {
		gap = append(gap, "fakturareferens")
	}
	return gap
}

// EInvoiceGap lists what the document's buyer lacks for an e-invoice; empty
// when an e-invoice can be made.
func (i Invoice) EInvoiceGap() []string { return eInvoiceGap(i.Buyer) }

// PlanCredit works out the credit note that takes amount off invoice inv,
// issued on issue with the seller from s, for the reason given. It may credit
// at most what is still open of the invoice. Errors are field errors on
// "amount", "reason" and "issue_date", or ECONFLICT when inv cannot be
// credited at all.
func PlanCredit(inv Invoice, amount decimal.Decimal, reason string, s InvoiceSettings, issue domain.Date) (Invoice, error) {
	reason = strings.TrimSpace(reason)
	open := inv.Open()
	switch {
	case inv.Kind != InvoiceKindInvoice:
		return Invoice{}, domain.Errorf(domain.ECONFLICT, "%s är en kreditfaktura; bara fakturor kan krediteras.", inv.Number)
	case !open.IsPositive():
		return Invoice{}, domain.Errorf(domain.ECONFLICT, "Faktura %s har inget obetalt belopp kvar att kreditera.", inv.Number)
	case !amount.IsPositive():
		return Invoice{}, domain.FieldErrorf("amount", "Ange beloppet som ska krediteras, större än noll.")
	case !amount.Round(2).Equal(amount):
		return Invoice{}, domain.FieldErrorf("amount", "Beloppet får ha högst två decimaler (ören).")
	case amount.GreaterThan(open):
		return Invoice{}, domain.FieldErrorf("amount", "Kreditfakturan kan vara högst det obetalda beloppet %s, inte %s.", sv.Kronor(open), sv.Kronor(amount))
	case reason == "":
		return Invoice{}, domain.FieldErrorf("reason", "Ange varför fakturan krediteras; skälet står på kreditfakturan.")
	case issue.IsZero():
		return Invoice{}, domain.FieldErrorf("issue_date", "Ange fakturadatum.")
	case issue.Before(inv.IssueDate):
		return Invoice{}, domain.FieldErrorf("issue_date", "Kreditfakturan kan inte dateras före fakturan den krediterar (%s).", inv.IssueDate)
	}
	if err := domain.CheckLine("reason", "Skälet", reason, MaxCreditReasonLength); err != nil {
		return Invoice{}, err
	}
	if err := s.Normalize(); err != nil {
		return Invoice{}, domain.Errorf(domain.ECONFLICT, "Nämndens faktureringsuppgifter är ofullständiga: %s", domain.ErrorMessage(err))
	}
	return Invoice{
		CommitteeID: inv.CommitteeID, Kind: InvoiceKindCreditNote, PartyID: inv.PartyID, Buyer: inv.Buyer,
		Seller: s.InvoiceSeller, IssueDate: issue, PeriodStart: inv.PeriodStart, PeriodEnd: inv.PeriodEnd,
		LineText: fmt.Sprintf("Kreditering av faktura %s: %s", inv.Number, reason), Amount: amount,
		VATCategory: inv.VATCategory, VATExemptionReason: inv.VATExemptionReason,
		CreditsInvoiceID: inv.ID, CreditsNumber: inv.Number, CreditsIssueDate: inv.IssueDate, CreditReason: reason,
		AllocationID: inv.AllocationID, AllocationKind: inv.AllocationKind, Decision: inv.Decision, CaseNumber: inv.CaseNumber,
		Paid: decimal.Zero, Credited: decimal.Zero,
	}, nil
}

// CheckPayment checks a payment registered for inv (a refund paid out, for
// a refund credit note) on the economist's today: a positive amount in whole
// öre, no more than is open, paid on a day from the issue date to today.
// Errors are field errors on "amount" and "paid_on", or ECONFLICT when the
// document takes no payments.
func CheckPayment(inv Invoice, p Payment, today domain.Date) error {
	open := inv.Open()
	switch {
	case inv.Corrects():
		return domain.Errorf(domain.ECONFLICT, "Kreditfaktura %s avräknas mot faktura %s och betalas inte.", inv.Number, inv.CreditsNumber)
	case !open.IsPositive():
		return domain.Errorf(domain.ECONFLICT, "%s %s har inget obetalt belopp kvar.", inv.Kind.Label(), inv.Number)
	case p.Amount.IsNegative():
		return domain.FieldErrorf("amount", "Beloppet kan inte vara negativt. En betalning som registrerats fel rättas inte med ett negativt belopp.")
	case p.Amount.IsZero():
		return domain.FieldErrorf("amount", "Ange det betalda beloppet, större än noll.")
	case !p.Amount.Round(2).Equal(p.Amount):
		return domain.FieldErrorf("amount", "Beloppet får ha högst två decimaler (ören).")
	case p.Amount.GreaterThan(open):
		return domain.FieldErrorf("amount", "Beloppet %s är större än det som återstår, %s.", sv.Kronor(p.Amount), sv.Kronor(open))
	case p.PaidOn.IsZero():
		return domain.FieldErrorf("paid_on", "Ange betalningsdagen.")
	case p.PaidOn.Before(inv.IssueDate):
		return domain.FieldErrorf("paid_on", "Betalningsdagen kan inte vara före fakturadatum %s.", inv.IssueDate)
	case p.PaidOn.After(today):
		return domain.FieldErrorf("paid_on", "Betalningsdagen kan inte vara senare än i dag.")
	}
	return domain.CheckLine("note", "Anteckningen", p.Note, MaxPaymentNoteLength)
}

// InvoiceFilter selects a committee's documents for the economist's list and
// the API. Zero fields do not filter.
type InvoiceFilter struct {
	CommitteeID int64
	Year        int
	// PartyIDs limits the list to these parties (a party user's own); nil
	// means every party.
	PartyIDs []int64
	RunID    int64
	Kind     InvoiceKind
	Status   InvoiceStatus
	// Overdue keeps only documents with something open after the due date,
	// as of Today.
	Overdue bool
	Today   domain.Date
}

// Match reports whether inv passes the filter's status and overdue tests,
// the ones that depend on what has happened to the document.
func (f InvoiceFilter) Match(inv Invoice) bool {
	if f.Status != "" && inv.Status() != f.Status {
		return false
	}
	return !f.Overdue || inv.Overdue(f.Today)
}
