package peppol

import (
	"slices"
	"strings"
)

// The element sequences of the UBL 2.1 aggregates a Peppol BIS Billing 3.0
// document uses, restricted to the elements the Peppol syntax trees allow
// (structure/syntax/ubl-invoice.xml and ubl-creditnote.xml in the OpenPEPPOL
// peppol-bis-invoice-3 repository), in the order of the UBL 2.1 schemas
// (xsd/maindoc/UBL-Invoice-2.1.xsd, UBL-CreditNote-2.1.xsd and
// xsd/common/UBL-CommonAggregateComponents-2.1.xsd). A trailing * marks an
// element that may repeat. UBL is xsd:sequence throughout, so an element out
// of this order fails the schema, and an element not listed is either not UBL
// at that place or one Peppol BIS does not use there.
var sequences = map[string]string{
	"Invoice": `cbc:UBLVersionID cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate cbc:DueDate
		cbc:InvoiceTypeCode cbc:Note* cbc:TaxPointDate cbc:DocumentCurrencyCode cbc:TaxCurrencyCode
		cbc:AccountingCost cbc:BuyerReference cac:InvoicePeriod* cac:OrderReference cac:BillingReference*
		cac:DespatchDocumentReference* cac:ReceiptDocumentReference* cac:OriginatorDocumentReference*
		cac:ContractDocumentReference* cac:AdditionalDocumentReference* cac:ProjectReference*
		cac:AccountingSupplierParty cac:AccountingCustomerParty cac:PayeeParty cac:TaxRepresentativeParty
		cac:Delivery* cac:PaymentMeans* cac:PaymentTerms* cac:AllowanceCharge* cac:TaxTotal*
		cac:LegalMonetaryTotal cac:InvoiceLine*`,
	"CreditNote": `cbc:UBLVersionID cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate cbc:TaxPointDate
		cbc:CreditNoteTypeCode cbc:Note* cbc:DocumentCurrencyCode cbc:TaxCurrencyCode cbc:AccountingCost
		cbc:BuyerReference cac:InvoicePeriod* cac:OrderReference cac:BillingReference*
		cac:DespatchDocumentReference* cac:ReceiptDocumentReference* cac:ContractDocumentReference*
		cac:AdditionalDocumentReference* cac:OriginatorDocumentReference* cac:AccountingSupplierParty
		cac:AccountingCustomerParty cac:PayeeParty cac:TaxRepresentativeParty cac:Delivery*
		cac:PaymentMeans* cac:PaymentTerms* cac:AllowanceCharge* cac:TaxTotal* cac:LegalMonetaryTotal
		cac:CreditNoteLine*`,
	"cac:InvoicePeriod":            `cbc:StartDate cbc:EndDate cbc:DescriptionCode`,
	"cac:OrderReference":           `cbc:ID cbc:SalesOrderID`,
	"cac:BillingReference":         `cac:InvoiceDocumentReference`,
	"cac:InvoiceDocumentReference": `cbc:ID cbc:IssueDate`,
	"cac:AdditionalDocumentReference": `cbc:ID cbc:DocumentTypeCode cbc:DocumentDescription
		cac:Attachment`,
	"cac:AccountingSupplierParty": `cac:Party`,
	"cac:AccountingCustomerParty": `cac:Party`,
	"cac:Party": `cbc:EndpointID cac:PartyIdentification* cac:PartyName cac:PostalAddress
		cac:PartyTaxScheme* cac:PartyLegalEntity cac:Contact`,
	"cac:PartyName": `cbc:Name`,
	"cac:PostalAddress": `cbc:StreetName cbc:AdditionalStreetName cbc:CityName cbc:PostalZone
		cbc:CountrySubentity cac:AddressLine cac:Country`,
	"cac:Country":          `cbc:IdentificationCode`,
	"cac:PartyTaxScheme":   `cbc:CompanyID cac:TaxScheme`,
	"cac:TaxScheme":        `cbc:ID`,
	"cac:PartyLegalEntity": `cbc:RegistrationName cbc:CompanyID cbc:CompanyLegalForm`,
	"cac:Contact":          `cbc:Name cbc:Telephone cbc:ElectronicMail`,
	"cac:PaymentMeans": `cbc:PaymentMeansCode cbc:PaymentDueDate cbc:PaymentID cac:CardAccount
		cac:PayeeFinancialAccount cac:PaymentMandate`,
	"cac:PayeeFinancialAccount":      `cbc:ID cbc:Name cac:FinancialInstitutionBranch`,
	"cac:FinancialInstitutionBranch": `cbc:ID`,
	"cac:PaymentTerms":               `cbc:Note`,
	"cac:TaxTotal":                   `cbc:TaxAmount cac:TaxSubtotal*`,
	"cac:TaxSubtotal":                `cbc:TaxableAmount cbc:TaxAmount cac:TaxCategory`,
	"cac:TaxCategory": `cbc:ID cbc:Percent cbc:TaxExemptionReasonCode cbc:TaxExemptionReason
		cac:TaxScheme`,
	"cac:ClassifiedTaxCategory": `cbc:ID cbc:Percent cac:TaxScheme`,
	"cac:LegalMonetaryTotal": `cbc:LineExtensionAmount cbc:TaxExclusiveAmount cbc:TaxInclusiveAmount
		cbc:AllowanceTotalAmount cbc:ChargeTotalAmount cbc:PrepaidAmount cbc:PayableRoundingAmount
		cbc:PayableAmount`,
	"cac:InvoiceLine": `cbc:ID cbc:Note cbc:InvoicedQuantity cbc:LineExtensionAmount cbc:AccountingCost
		cac:InvoicePeriod cac:OrderLineReference cac:DocumentReference* cac:AllowanceCharge* cac:Item
		cac:Price`,
	"cac:CreditNoteLine": `cbc:ID cbc:Note cbc:CreditedQuantity cbc:LineExtensionAmount cbc:AccountingCost
		cac:InvoicePeriod cac:OrderLineReference cac:DocumentReference* cac:AllowanceCharge* cac:Item
		cac:Price`,
	"cac:Item": `cbc:Description cbc:Name cac:BuyersItemIdentification cac:SellersItemIdentification
		cac:StandardItemIdentification cac:OriginCountry cac:CommodityClassification*
		cac:ClassifiedTaxCategory cac:AdditionalItemProperty*`,
	"cac:Price": `cbc:PriceAmount cbc:BaseQuantity cac:AllowanceCharge`,
}

// seqElem is one place in a sequence.
type seqElem struct {
	name   string
	repeat bool
}

// parsedSequences is sequences parsed once.
var parsedSequences = func() map[string][]seqElem {
	out := make(map[string][]seqElem, len(sequences))
	for k, v := range sequences {
		for _, f := range strings.Fields(v) {
			name, rep := strings.CutSuffix(f, "*")
			out[k] = append(out[k], seqElem{name: name, repeat: rep})
		}
	}
	return out
}()

// checkSchema checks what the UBL 2.1 schema says of the elements: the order
// and number of the children of every aggregate listed in sequences, and that
// basic (cbc) elements hold text, not elements.
func (c *checker) checkSchema(root *node) {
	root.walk(func(n *node) {
		if strings.HasPrefix(n.name, "cbc:") {
			c.assert(len(n.kids) == 0, RuleSyntax, n.kids0(),
				"A basic component (cbc) holds a value, not elements.")
			return
		}
		seq, ok := parsedSequences[n.name]
		if !ok {
			return
		}
		last, count := -1, 0
		for _, k := range n.kids {
			i := slices.IndexFunc(seq, func(e seqElem) bool { return e.name == k.name })
			if i < 0 {
				c.assert(false, RuleSyntax, k, "The element is not allowed here by the UBL 2.1 schema as Peppol BIS Billing 3.0 uses it.")
				continue
			}
			if i == last {
				count++
				c.assert(seq[i].repeat || count == 1, RuleSequence, k, "The element may occur only once here (UBL 2.1 schema).")
				continue
			}
			if i < last {
				c.assert(false, RuleSequence, k, "The element is out of the order the UBL 2.1 schema requires.",
					"it must come before "+seq[last].name)
				continue
			}
			last, count = i, 1
		}
	})
}

// kids0 returns the first child of n, for locating a message.
func (n *node) kids0() *node {
	if len(n.kids) == 0 {
		return n
	}
	return n.kids[0]
}
