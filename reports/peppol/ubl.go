package peppol

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// XML namespaces of UBL 2.1.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// The structs below mirror the UBL 2.1 schema: encoding/xml writes fields in
// declaration order, and the UBL schemas are xsd:sequence throughout, so the
// field order IS the element order and must follow the schema (the order is
// listed in the Peppol syntax trees and tested in order_test.go). Element
// names carry their cac:/cbc: prefix literally; the root declares both.
// Fields that are optional use omitempty or pointers, because Peppol refuses
// empty elements (PEPPOL-EN16931-R008).

type ublDocument struct {
	XMLName         xml.Name
	Xmlns           string             `xml:"xmlns,attr"`
	XmlnsCAC        string             `xml:"xmlns:cac,attr"`
	XmlnsCBC        string             `xml:"xmlns:cbc,attr"`
	CustomizationID string             `xml:"cbc:CustomizationID"`
	ProfileID       string             `xml:"cbc:ProfileID"`
	ID              string             `xml:"cbc:ID"`
	IssueDate       string             `xml:"cbc:IssueDate"`
	DueDate         string             `xml:"cbc:DueDate,omitempty"` // Invoice only
	InvoiceType     string             `xml:"cbc:InvoiceTypeCode,omitempty"`
	CreditNoteType  string             `xml:"cbc:CreditNoteTypeCode,omitempty"`
	Note            string             `xml:"cbc:Note,omitempty"`
	Currency        string             `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference  string             `xml:"cbc:BuyerReference,omitempty"`
	OrderReference  *ublOrderReference `xml:"cac:OrderReference"`
	Billing         *ublBilling        `xml:"cac:BillingReference"`
	Additional      []ublDocReference  `xml:"cac:AdditionalDocumentReference"`
	Supplier        ublPartyRole       `xml:"cac:AccountingSupplierParty"`
	Customer        ublPartyRole       `xml:"cac:AccountingCustomerParty"`
	PaymentMeans    *ublPaymentMeans   `xml:"cac:PaymentMeans"`
	PaymentTerms    *ublPaymentTerms   `xml:"cac:PaymentTerms"`
	TaxTotal        ublTaxTotal        `xml:"cac:TaxTotal"`
	Totals          ublTotals          `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines    []ublLine          `xml:"cac:InvoiceLine"`
	CreditNoteLines []ublLine          `xml:"cac:CreditNoteLine"`
}

type ublOrderReference struct {
	ID string `xml:"cbc:ID"`
}

type ublBilling struct {
	Invoice ublInvoiceReference `xml:"cac:InvoiceDocumentReference"`
}

type ublInvoiceReference struct {
	ID        string `xml:"cbc:ID"`
	IssueDate string `xml:"cbc:IssueDate,omitempty"`
}

type ublDocReference struct {
	ID          string `xml:"cbc:ID"`
	Description string `xml:"cbc:DocumentDescription,omitempty"`
}

type ublPartyRole struct {
	Party ublParty `xml:"cac:Party"`
}

type ublParty struct {
	Endpoint    ublID          `xml:"cbc:EndpointID"`
	Name        *ublPartyName  `xml:"cac:PartyName"`
	Address     ublAddress     `xml:"cac:PostalAddress"`
	TaxSchemes  []ublPartyTax  `xml:"cac:PartyTaxScheme"`
	LegalEntity ublLegalEntity `xml:"cac:PartyLegalEntity"`
	Contact     *ublContact    `xml:"cac:Contact"`
}

type ublID struct {
	Scheme string `xml:"schemeID,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type ublPartyName struct {
	Name string `xml:"cbc:Name"`
}

type ublAddress struct {
	Street     string     `xml:"cbc:StreetName,omitempty"`
	Additional string     `xml:"cbc:AdditionalStreetName,omitempty"`
	City       string     `xml:"cbc:CityName,omitempty"`
	PostalZone string     `xml:"cbc:PostalZone,omitempty"`
	Country    ublCountry `xml:"cac:Country"`
}

type ublCountry struct {
	Code string `xml:"cbc:IdentificationCode"`
}

type ublPartyTax struct {
	CompanyID string       `xml:"cbc:CompanyID"`
	TaxScheme ublTaxScheme `xml:"cac:TaxScheme"`
}

type ublTaxScheme struct {
	ID string `xml:"cbc:ID"`
}

type ublLegalEntity struct {
	Name      string `xml:"cbc:RegistrationName"`
	CompanyID *ublID `xml:"cbc:CompanyID"`
}

type ublContact struct {
	Name  string `xml:"cbc:Name,omitempty"`
	Phone string `xml:"cbc:Telephone,omitempty"`
	Email string `xml:"cbc:ElectronicMail,omitempty"`
}

type ublPaymentMeans struct {
	Code    string               `xml:"cbc:PaymentMeansCode"`
	DueDate string               `xml:"cbc:PaymentDueDate,omitempty"` // CreditNote only
	ID      string               `xml:"cbc:PaymentID,omitempty"`
	Account *ublFinancialAccount `xml:"cac:PayeeFinancialAccount"`
}

type ublFinancialAccount struct {
	ID     string    `xml:"cbc:ID"`
	Branch ublBranch `xml:"cac:FinancialInstitutionBranch"`
}

type ublBranch struct {
	ID string `xml:"cbc:ID"`
}

type ublPaymentTerms struct {
	Note string `xml:"cbc:Note"`
}

type ublAmount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type ublTaxTotal struct {
	TaxAmount ublAmount        `xml:"cbc:TaxAmount"`
	Subtotals []ublTaxSubtotal `xml:"cac:TaxSubtotal"`
}

type ublTaxSubtotal struct {
	Taxable   ublAmount      `xml:"cbc:TaxableAmount"`
	TaxAmount ublAmount      `xml:"cbc:TaxAmount"`
	Category  ublTaxCategory `xml:"cac:TaxCategory"`
}

// ublTaxCategory serves as cac:TaxCategory and, without the exemption
// reasons, as cac:ClassifiedTaxCategory.
type ublTaxCategory struct {
	ID         string       `xml:"cbc:ID"`
	Percent    string       `xml:"cbc:Percent,omitempty"`
	ReasonCode string       `xml:"cbc:TaxExemptionReasonCode,omitempty"`
	Reason     string       `xml:"cbc:TaxExemptionReason,omitempty"`
	TaxScheme  ublTaxScheme `xml:"cac:TaxScheme"`
}

type ublTotals struct {
	LineExtension ublAmount `xml:"cbc:LineExtensionAmount"`
	TaxExclusive  ublAmount `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive  ublAmount `xml:"cbc:TaxInclusiveAmount"`
	Payable       ublAmount `xml:"cbc:PayableAmount"`
}

type ublLine struct {
	ID               string       `xml:"cbc:ID"`
	InvoicedQuantity *ublQuantity `xml:"cbc:InvoicedQuantity"`
	CreditedQuantity *ublQuantity `xml:"cbc:CreditedQuantity"`
	Amount           ublAmount    `xml:"cbc:LineExtensionAmount"`
	Period           *ublPeriod   `xml:"cac:InvoicePeriod"`
	Item             ublItem      `xml:"cac:Item"`
	Price            ublPrice     `xml:"cac:Price"`
}

type ublQuantity struct {
	Unit  string `xml:"unitCode,attr"`
	Value string `xml:",chardata"`
}

type ublPeriod struct {
	Start string `xml:"cbc:StartDate,omitempty"`
	End   string `xml:"cbc:EndDate,omitempty"`
}

type ublItem struct {
	Description string         `xml:"cbc:Description,omitempty"`
	Name        string         `xml:"cbc:Name"`
	Category    ublTaxCategory `xml:"cac:ClassifiedTaxCategory"`
}

type ublPrice struct {
	Amount ublAmount `xml:"cbc:PriceAmount"`
}

// marshal writes the document as indented UBL XML.
func (n *doc) marshal() ([]byte, error) {
	u := ublDocument{
		XmlnsCAC:        nsCAC,
		XmlnsCBC:        nsCBC,
		CustomizationID: CustomizationID,
		ProfileID:       ProfileID,
		ID:              n.number,
		IssueDate:       n.issue.String(),
		Note:            n.note,
		Currency:        n.currency,
		BuyerReference:  n.buyerRef,
		Supplier:        ublPartyRole{Party: n.seller.ubl(true)},
		Customer:        ublPartyRole{Party: n.buyer.ubl(false)},
		TaxTotal:        ublTaxTotal{TaxAmount: n.amount(n.taxTotal)},
	}
	code := strconv.Itoa(int(n.typ))
	if n.typ == Invoice {
		u.XMLName, u.Xmlns = xml.Name{Local: "Invoice"}, nsInvoice
		u.DueDate, u.InvoiceType = n.due.String(), code
	} else {
		u.XMLName, u.Xmlns = xml.Name{Local: "CreditNote"}, nsCreditNote
		u.CreditNoteType = code
	}
	if n.orderRef != "" {
		u.OrderReference = &ublOrderReference{ID: n.orderRef}
	}
	if n.billing != nil {
		u.Billing = &ublBilling{Invoice: ublInvoiceReference{ID: n.billing.Number, IssueDate: n.billing.IssueDate.String()}}
	}
	for _, r := range n.refs {
		u.Additional = append(u.Additional, ublDocReference(r))
	}
	if p := n.payment; p != nil {
		u.PaymentMeans = &ublPaymentMeans{
			Code:    PaymentMeansCreditTransfer,
			DueDate: p.due.String(),
			ID:      p.id,
			Account: &ublFinancialAccount{ID: p.account, Branch: ublBranch{ID: BankgiroBranch}},
		}
	}
	if n.paymentTerms != "" {
		u.PaymentTerms = &ublPaymentTerms{Note: n.paymentTerms}
	}
	for _, s := range n.subtotals {
		u.TaxTotal.Subtotals = append(u.TaxTotal.Subtotals, ublTaxSubtotal{
			Taxable:   n.amount(s.taxable),
			TaxAmount: n.amount(s.tax),
			Category: ublTaxCategory{
				ID:         s.vat,
				Percent:    percent(s.vat, s.rate),
				ReasonCode: s.reasonCode,
				Reason:     s.reason,
				TaxScheme:  ublTaxScheme{ID: "VAT"},
			},
		})
	}
	total := n.lineTotal.Add(n.taxTotal)
	u.Totals = ublTotals{
		LineExtension: n.amount(n.lineTotal),
		TaxExclusive:  n.amount(n.lineTotal),
		TaxInclusive:  n.amount(total),
		Payable:       n.amount(total),
	}
	for _, l := range n.lines {
		ul := n.ublLine(l)
		if n.typ == Invoice {
			u.InvoiceLines = append(u.InvoiceLines, ul)
		} else {
			u.CreditNoteLines = append(u.CreditNoteLines, ul)
		}
	}
	var b bytes.Buffer
	b.Grow(4096 + 1024*len(n.lines))
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(u); err != nil {
		return nil, fmt.Errorf("peppol: write %s: %w", n.number, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func (n *doc) ublLine(l line) ublLine {
	q := &ublQuantity{Unit: l.unit, Value: l.quantity.String()}
	ul := ublLine{
		ID:     l.id,
		Amount: n.amount(l.amount),
		Item: ublItem{
			Description: l.description,
			Name:        l.name,
			Category:    ublTaxCategory{ID: l.vat, Percent: percent(l.vat, l.rate), TaxScheme: ublTaxScheme{ID: "VAT"}},
		},
		Price: ublPrice{Amount: n.price(l.price)},
	}
	if n.typ == Invoice {
		ul.InvoicedQuantity = q
	} else {
		ul.CreditedQuantity = q
	}
	if !l.period.IsZero() {
		ul.Period = &ublPeriod{Start: l.period.Start.String(), End: l.period.End.String()}
	}
	return ul
}

// ubl returns the party as UBL. The F-tax statement is written for the
// seller only.
func (p party) ubl(seller bool) ublParty {
	u := ublParty{
		Endpoint: ublID{Scheme: p.endpointScheme, Value: p.endpoint},
		Name:     &ublPartyName{Name: p.name},
		Address: ublAddress{
			Street:     p.address.Street,
			Additional: p.address.Additional,
			City:       p.address.City,
			PostalZone: p.address.PostalCode,
			Country:    ublCountry{Code: p.address.Country},
		},
		LegalEntity: ublLegalEntity{Name: p.name, CompanyID: &ublID{Scheme: domain.PeppolSchemeSE, Value: p.org}},
	}
	if p.vat != "" {
		u.TaxSchemes = append(u.TaxSchemes, ublPartyTax{CompanyID: p.vat, TaxScheme: ublTaxScheme{ID: "VAT"}})
	}
	if seller && p.ftax {
		u.TaxSchemes = append(u.TaxSchemes, ublPartyTax{CompanyID: FTaxText, TaxScheme: ublTaxScheme{ID: "TAX"}})
	}
	if p.contact != (Contact{}) {
		u.Contact = &ublContact{Name: p.contact.Name, Phone: p.contact.Phone, Email: p.contact.Email}
	}
	return u
}

// amount writes an amount with exactly two decimals (UBL-DT-01).
func (n *doc) amount(d decimal.Decimal) ublAmount {
	return ublAmount{Currency: n.currency, Value: d.StringFixed(2)}
}

// price writes a unit price with at least two decimals and no rounding: a
// price is the one amount allowed more decimals.
func (n *doc) price(d decimal.Decimal) ublAmount {
	if d.Exponent() >= -2 {
		return n.amount(d)
	}
	return ublAmount{Currency: n.currency, Value: d.String()}
}

// percent writes a VAT rate; category O carries none (BR-O-05).
func percent(vat string, rate decimal.Decimal) string {
	if vat == VATOutOfScope {
		return ""
	}
	return rate.StringFixed(2)
}
