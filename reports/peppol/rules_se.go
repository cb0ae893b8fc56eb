package peppol

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// checkValues checks every element's value: no empty elements, amounts and
// dates in the form the rules and the UBL 2.1 data types require.
func (c *checker) checkValues(root *node) {
	root.walk(func(n *node) {
		blank := strings.TrimSpace(n.text) == ""
		c.assert(len(n.kids) > 0 || !blank, "PEPPOL-EN16931-R008", n, "Document MUST not contain empty elements.")
		if blank {
			return
		}
		local := strings.TrimPrefix(n.name, "cbc:")
		switch {
		case local == n.name: // an aggregate or foreign element
		case strings.HasSuffix(local, "Amount"):
			c.checkAmount(n, local)
		case strings.HasSuffix(local, "Quantity") || local == "Percent":
			_, ok := decimalOf(n)
			c.assert(ok, RuleSyntax, n, "The value must be a decimal number (UBL 2.1 schema).", n.text)
		case slices.Contains([]string{"IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate"}, local):
			_, ok := dateOf(strings.TrimSpace(n.text))
			c.assert(ok, "PEPPOL-EN16931-F001", n, "A date MUST be formatted YYYY-MM-DD.", n.text)
		case local == "PaymentDueDate":
			_, ok := dateOf(strings.TrimSpace(n.text))
			c.assert(ok, RuleSyntax, n, "The value must be a date YYYY-MM-DD (UBL 2.1 schema).", n.text)
		}
	})
}

// checkAmount checks one amount element.
func (c *checker) checkAmount(n *node, local string) {
	_, ok := decimalOf(n)
	c.assert(ok, RuleSyntax, n, "The value must be a decimal number (UBL 2.1 schema).", n.text)
	cur, hasCur := n.attr("currencyID")
	c.assert(hasCur, RuleSyntax, n, "An amount must have a currencyID (UBL 2.1 schema).")
	if !ok || !hasCur {
		return
	}
	inPriceAllowance := n.parent.name == "cac:AllowanceCharge" && n.parent.parent != nil && n.parent.parent.name == "cac:Price"
	if local != "PriceAmount" && !inPriceAllowance {
		c.assert(len(fraction(n.text)) <= 2, "UBL-DT-01", n, "[UBL-DT-01]-Amounts shall be decimal up to two fraction digits", n.text)
	}
	c.assert(slices.Contains(iso4217, cur), "PEPPOL-EN16931-CL007", n, "Currency code must be according to ISO 4217:2005", cur)
	// R051 covers the amounts below and the tax total with subtotals, not a
	// subtotal's tax amount nor the tax total in accounting currency.
	r051 := slices.Contains(r051Amounts, local) || (local == "TaxAmount" && n.parent.name == "cac:TaxTotal" && n.parent.has("cac:TaxSubtotal"))
	if r051 {
		c.assert(cur == c.currency, "PEPPOL-EN16931-R051", n,
			"All currencyID attributes must have the same value as the invoice currency code (BT-5), except for the invoice total VAT amount in accounting currency (BT-111).", cur)
	}
}

// r051Amounts are the amounts PEPPOL-EN16931-R051 names besides the tax total.
var r051Amounts = []string{"Amount", "BaseAmount", "PriceAmount", "TaxableAmount", "LineExtensionAmount",
	"TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
	"PayableRoundingAmount", "PayableAmount"}

// fraction returns the digits after the decimal point of a number as written.
func fraction(s string) string {
	_, f, _ := strings.Cut(strings.TrimSpace(s), ".")
	return f
}

// The Swedish national rules, SE-R-001 to SE-R-013, as the Peppol BIS
// Billing 3.0.15 Schematron (rules/sch/PEPPOL-EN16931-UBL.sch, pattern
// SWEDEN) states them. They apply to Swedish sellers: those whose postal
// address has country code SE.
func (c *checker) checkSweden() {
	s := c.supplier
	if s == nil || s.val("cac:PostalAddress", "cac:Country", "cbc:IdentificationCode") != "SE" {
		return
	}
	// Context: a Swedish seller whose VAT identifier begins with SE. The
	// rules look at the first VAT identifier, like XPath on a sequence.
	var vat string
	for _, t := range s.kidsNamed("cac:PartyTaxScheme") {
		if t.val("cac:TaxScheme", "cbc:ID") == "VAT" {
			vat = strings.TrimSpace(t.kid("cbc:CompanyID").textOrEmpty())
			break
		}
	}
	seVAT := strings.HasPrefix(vat, "SE")
	if seVAT {
		c.assert(len([]rune(strings.Join(strings.Fields(vat), " "))) == 14, "SE-R-001", s,
			"For Swedish suppliers, Swedish VAT-numbers must consist of 14 characters.", vat)
		trailing := vat[2:]
		if len(trailing) > 12 {
			trailing = trailing[:12]
		}
		c.assert(xpathNumeric.MatchString(trailing), "SE-R-002", s,
			"For Swedish suppliers, the Swedish VAT-numbers must have the trailing 12 characters in numeric form", vat)
	}
	if le := s.kid("cac:PartyLegalEntity"); le.has("cbc:CompanyID") {
		org := le.val("cbc:CompanyID")
		c.assert(xpathNumeric.MatchString(le.kid("cbc:CompanyID").text), "SE-R-003", le,
			"Swedish organisation numbers should be numeric.", org)
		c.assert(len([]rune(org)) == 10, "SE-R-004", le, "Swedish organisation numbers consist of 10 characters.", org)
		c.assert(seOrgNumber(org), "SE-R-013", le,
			"The last digit of a Swedish organization number must be valid according to the Luhn algorithm.", org)
		for _, t := range s.kidsNamed("cac:PartyTaxScheme") {
			if strings.ToUpper(t.val("cac:TaxScheme", "cbc:ID")) == "VAT" || !t.has("cbc:CompanyID") {
				continue
			}
			c.assert(strings.EqualFold(t.val("cbc:CompanyID"), FTaxText), "SE-R-005", t.kid("cbc:CompanyID"),
				"For Swedish suppliers, when using Seller tax registration identifier, 'Godkänd för F-skatt' must be stated", t.val("cbc:CompanyID"))
		}
	}
	if seVAT {
		c.root.walk(func(n *node) {
			if (n.name == "cac:TaxCategory" || n.name == "cac:ClassifiedTaxCategory") && n.val("cbc:ID") == VATStandard {
				rate := num(n.kid("cbc:Percent"))
				ok := slices.ContainsFunc([]int64{25, 12, 6}, func(r int64) bool { return rate.Equal(decimal.NewFromInt(r)) })
				c.assert(ok, "SE-R-006", n, "For Swedish suppliers, only standard VAT rate of 6, 12 or 25 are used", n.val("cbc:Percent"))
			}
		})
	}
	customerSE := c.customer.val("cac:PostalAddress", "cac:Country", "cbc:IdentificationCode") == "SE"
	for _, pm := range c.root.all("cac:PaymentMeans") {
		code := pm.val("cbc:PaymentMeansCode")
		account := pm.val("cac:PayeeFinancialAccount", "cbc:ID")
		n := pm.at("cac:PayeeFinancialAccount", "cbc:ID")
		switch branch := pm.val("cac:PayeeFinancialAccount", "cac:FinancialInstitutionBranch", "cbc:ID"); {
		case code == "30" && branch == "SE:PLUSGIRO" && n != nil:
			c.assert(xpathNumeric.MatchString(account), "SE-R-007", n, "For Swedish suppliers using Plusgiro, the Account ID must be numeric ", account)
			c.assert(len(account) >= 2 && len(account) <= 8, "SE-R-010", n, "For Swedish suppliers using Plusgiro, the Account ID must have 2-8 characters", account)
		case code == "30" && branch == BankgiroBranch && n != nil:
			c.assert(xpathNumeric.MatchString(account), "SE-R-008", n, "For Swedish suppliers using Bankgiro, the Account ID must be numeric ", account)
			c.assert(len(account) == 7 || len(account) == 8, "SE-R-009", n, "For Swedish suppliers using Bankgiro, the Account ID must have 7-8 characters", account)
		}
		c.assert(code != "50" && code != "56", "SE-R-011", pm,
			"For Swedish suppliers using Swedish Bankgiro or Plusgiro, the proper way to indicate this is to use Code 30 for PaymentMeans and FinancialInstitutionBranch ID with code SE:BANKGIRO or SE:PLUSGIRO")
		c.assert(!customerSE || code != "31", "SE-R-012", pm,
			`For domestic transactions between Swedish trading partners, credit transfer should be indicated by PaymentMeansCode="30"`)
	}
}

// textOrEmpty returns the node's raw text, or "" for nil.
func (n *node) textOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.text
}
