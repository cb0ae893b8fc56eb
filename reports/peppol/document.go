// Package peppol writes the committee's invoices and credit notes as Peppol
// BIS Billing 3.0 documents (UBL 2.1 Invoice and CreditNote), the e-invoice
// format Swedish public bodies must be able to receive, and checks such
// documents against the rules of the specification.
//
// Build turns a Document into UBL XML. It first makes sure the document can be
// sent at all: a party without an organisation number or a Peppol id gets a
// MissingError that names the party and what is missing (the PDF invoice does
// not need them, so it can still be issued). It then writes the elements in the
// order the UBL 2.1 schema requires and finally runs Check on its own output, so
// a document that breaks a rule is never handed out.
//
// Check reads UBL XML back and applies, as Go code, the rules the official
// validation artefacts state as Schematron: the EN 16931 rules (BR-*, BR-CO-*,
// the VAT category rules BR-S, BR-Z, BR-E and BR-O), the Peppol rules
// (PEPPOL-EN16931-R*, PEPPOL-COMMON-R049 for Swedish organisation numbers) and
// the Swedish national rules SE-R-001 to SE-R-013. Each check carries the
// official rule text next to it. The sources are the Peppol BIS Billing 3.0
// artefacts, release 3.0.15 (rules/sch/PEPPOL-EN16931-UBL.sch and
// rules/sch/CEN-EN16931-UBL.sch in the OpenPEPPOL peppol-bis-invoice-3
// repository), and the element order is that of the UBL 2.1 schemas as the
// Peppol syntax trees (structure/syntax/ubl-invoice.xml, ubl-creditnote.xml)
// list it. Check is no replacement for the official validator, which also runs
// the UBL 2.1 XSD and the full code lists; see the package tests for what was
// verified and how.
//
// Money is decimal.Decimal throughout; no float64 touches an amount.
package peppol

import (
	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// Identifiers every document carries (BT-24 and BT-23). The customization
// claims conformance to Peppol BIS Billing 3.0; profile 01 is the billing
// process, the only one Peppol BIS Billing defines for invoices and credit notes.
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Type is the document type, the UNTDID 1001 code written as the invoice type
// code (BT-3).
type Type int

// The two document types the committee issues.
const (
	// Invoice is a commercial invoice (380), written as a UBL Invoice.
	Invoice Type = 380
	// CreditNote is a credit note (381), written as a UBL CreditNote.
	CreditNote Type = 381
)

// VAT category codes (UNCL5305) that Build supports, BT-151 and BT-118.
const (
	// VATStandard is the standard rate; in Sweden 25, 12 or 6 per cent.
	VATStandard = "S"
	// VATZero is zero rated goods or services.
	VATZero = "Z"
	// VATExempt is exempt from VAT; an exemption reason is required.
	VATExempt = "E"
	// VATOutOfScope is "not subject to VAT": the contributions the parties pay
	// to a joint committee are outside the scope of VAT, so it is the default.
	VATOutOfScope = "O"
)

// Defaults Build fills in when the document leaves them empty.
const (
	// DefaultCurrency is the currency of every amount (BT-5).
	DefaultCurrency = "SEK"
	// DefaultCountry is the country of a party's address (BT-40, BT-55).
	DefaultCountry = "SE"
	// DefaultUnitCode is the unit of the invoiced quantity (BT-130), UN/ECE
	// Recommendation 20 "each": one contribution, one refund.
	DefaultUnitCode = "EA"
	// DefaultOutOfScopeReason is the VAT exemption reason text (BT-120) for
	// category O when a line gives none.
	DefaultOutOfScopeReason = "Utanför mervärdesskattelagens tillämpningsområde"
	// OutOfScopeReasonCode is the VAT exemption reason code (BT-121) Build
	// writes for category O, from the VATEX code list.
	OutOfScopeReasonCode = "VATEX-EU-O"
	// FTaxText is the seller tax registration (BT-32) a Swedish seller
	// approved for F-tax states; SE-R-005 requires exactly these words.
	FTaxText = "Godkänd för F-skatt"
	// PaymentMeansCreditTransfer is the payment means code (BT-81) for a
	// credit transfer, which SE-R-011 and SE-R-012 ask Swedish sellers to use
	// for bankgiro and plusgiro.
	PaymentMeansCreditTransfer = "30"
	// BankgiroBranch is the payment service provider identifier (BT-86) that
	// marks the payment account as a bankgiro number (SE-R-008, SE-R-009).
	BankgiroBranch = "SE:BANKGIRO"
)

// Document is one invoice or credit note as the committee issues it: the
// content mervärdesskattelagen (2023:200) 17 kap. 24 § requires of an invoice,
// shaped the way Peppol BIS Billing 3.0 carries it.
type Document struct {
	// Type is Invoice or CreditNote.
	Type Type
	// Number is the invoice number (BT-1), from a series without gaps.
	Number string
	// IssueDate is the date of issue (BT-2).
	IssueDate domain.Date
	// DueDate is the payment due date (BT-9). An invoice must have one; a
	// credit note carries it inside its payment instructions, so it may only
	// have one when Payment is given.
	DueDate domain.Date
	// Currency is the invoice currency (BT-5); empty means SEK.
	Currency string
	// BuyerReference is the buyer's reference for routing the invoice (BT-10),
	// such as the reference person or code the municipality asks for.
	BuyerReference string
	// OrderReference is the buyer's purchase order number (BT-13), if any.
	// Peppol needs a buyer reference or an order reference.
	OrderReference string
	// Note is a free text note for the whole document (BT-22), if any.
	Note string
	// BillingReference is the invoice a credit note corrects (BG-3).
	BillingReference *InvoiceReference
	// References are supporting documents (BG-24), such as the decision a
	// refund of surplus pays out.
	References []Reference
	// Seller is the host region acting for the committee (BG-4).
	Seller Party
	// Buyer is the party invoiced (BG-7).
	Buyer Party
	// Lines are the invoice lines (BG-25); at least one.
	Lines []Line
	// Payment is how to pay (BG-16). An invoice must have it; a credit note
	// may leave it empty.
	Payment PaymentMeans
	// PaymentTerms is a free text on the terms of payment (BT-20), if any.
	PaymentTerms string
}

// InvoiceReference identifies an earlier invoice (BT-25 and BT-26).
type InvoiceReference struct {
	// Number is the number of the invoice referred to.
	Number string
	// IssueDate is its date of issue.
	IssueDate domain.Date
}

// Reference is a supporting document (BT-122 and BT-123), such as a decision.
type Reference struct {
	// ID identifies the document, e.g. the case number GNS/2/2020.
	ID string
	// Description says what the document is, e.g. "Beslut om återbetalning".
	Description string
}

// Party is a seller or buyer.
type Party struct {
	// Name is the registered name (BT-27, BT-44).
	Name string
	// Address is the postal address (BG-5, BG-8).
	Address Address
	// OrgNumber is the organisation number, in any form
	// domain.ParseOrgNumber accepts (BT-30, BT-47).
	OrgNumber string
	// VATNumber is the VAT registration number, SE followed by the ten
	// digits of the organisation number and 01 (BT-31, BT-48). It is left out
	// of documents whose lines are outside the scope of VAT, as BR-O-02
	// requires.
	VATNumber string
	// PeppolID is the party's Peppol participant identifier, 0007: and the
	// ten digits of its organisation number (BT-34, BT-49).
	PeppolID string
	// FTax states that the seller is approved for F-tax (BT-32); ignored for
	// the buyer.
	FTax bool
	// Contact is the contact point (BG-6, BG-9), if any.
	Contact Contact
}

// Address is a postal address.
type Address struct {
	// Street is the main address line (BT-35, BT-50), e.g. "Box 654".
	Street string
	// Additional is a second address line (BT-36, BT-51).
	Additional string
	// PostalCode is the post code (BT-38, BT-53), e.g. "831 27".
	PostalCode string
	// City is the post town (BT-37, BT-52).
	City string
	// Country is the ISO 3166-1 alpha-2 country code; empty means SE.
	Country string
}

// Contact is a contact point of a party.
type Contact struct {
	// Name is a person or function to contact.
	Name string
	// Phone is a telephone number.
	Phone string
	// Email is an e-mail address.
	Email string
}

// Line is one invoice line (BG-25).
type Line struct {
	// ID identifies the line within the document (BT-126); empty lines are
	// numbered 1, 2, 3 … in order.
	ID string
	// Description says what is charged for, e.g. "Basfinansiering 2021, lika
	// delar 1/9, enligt beslut GNS § 42/2020". It is the item name (BT-153)
	// unless Name is given, in which case it is the item description (BT-154).
	Description string
	// Name is a short item name (BT-153), if the description is too long to
	// serve as one.
	Name string
	// Period is the period the line is for (BG-26), if any.
	Period Period
	// Quantity is the invoiced quantity (BT-129); zero means 1.
	Quantity decimal.Decimal
	// UnitCode is the unit of the quantity (BT-130); empty means EA.
	UnitCode string
	// Price is the net price of one unit (BT-146), never negative; zero with
	// a quantity of 1 means the price is the amount.
	Price decimal.Decimal
	// Amount is the line net amount (BT-131) in kronor with at most two
	// decimals; it must equal Quantity × Price rounded to two decimals.
	Amount decimal.Decimal
	// VAT is the VAT category code (BT-151): VATStandard, VATZero,
	// VATExempt or VATOutOfScope; empty means VATOutOfScope.
	VAT string
	// VATRate is the VAT rate in per cent (BT-152); zero for every category
	// but S.
	VATRate decimal.Decimal
	// ExemptionReason is why no VAT is charged (BT-120): required for E,
	// defaulting to DefaultOutOfScopeReason for O, not allowed for S and Z.
	ExemptionReason string
}

// Period is a date range; either end may be open (zero).
type Period struct {
	// Start is the first day.
	Start domain.Date
	// End is the last day.
	End domain.Date
}

// IsZero reports whether the period has neither start nor end.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// PaymentMeans is a credit transfer to a bankgiro account (payment means code
// 30), the way Swedish sellers are asked to state it (SE-R-011).
type PaymentMeans struct {
	// Bankgiro is the seller's bankgiro number, NNN-NNNN or NNNN-NNNN. It is
	// written without the hyphen, as SE-R-008 and SE-R-009 require.
	Bankgiro string
	// PaymentID is the OCR reference the payer quotes (BT-83), with its Luhn
	// check digit.
	PaymentID string
}

// IsZero reports whether no payment instruction is given.
func (p PaymentMeans) IsZero() bool { return p.Bankgiro == "" && p.PaymentID == "" }
