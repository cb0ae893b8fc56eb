package peppol

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// The EN 16931 and Peppol rules, as Go. Each assert carries the rule's
// official text from the Schematron of Peppol BIS Billing 3.0 release 3.0.15:
// BR-* and UBL-* from rules/sch/CEN-EN16931-UBL.sch, PEPPOL-* from
// rules/sch/PEPPOL-EN16931-UBL.sch. Where the Schematron test is subtler than
// its text, a comment says what the test really checks.

var profilePattern = regexp.MustCompile(`urn:fdc:peppol\.eu:2017:poacc:billing:([0-9]{2}):1\.0`)

// checkDocument checks the document-level fields.
func (c *checker) checkDocument() {
	r := c.root
	c.assert(r.val("cbc:CustomizationID") != "", "BR-01", r,
		"[BR-01]-An Invoice shall have a Specification identifier (BT-24).")
	c.assert(strings.HasPrefix(r.val("cbc:CustomizationID"), CustomizationID), "PEPPOL-EN16931-R004", r.kid("cbc:CustomizationID"),
		"Specification identifier MUST have the value 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'.")
	c.assert(r.has("cbc:ProfileID"), "PEPPOL-EN16931-R001", r, "Business process MUST be provided.")
	profile := ""
	if m := profilePattern.FindStringSubmatch(r.val("cbc:ProfileID")); m != nil {
		profile = m[1]
	}
	c.assert(profile != "" || !r.has("cbc:ProfileID"), "PEPPOL-EN16931-R007", r.kid("cbc:ProfileID"),
		"Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0' where NN indicates the process number.")
	c.assert(r.val("cbc:ID") != "", "BR-02", r, "[BR-02]-An Invoice shall have an Invoice number (BT-1).")
	c.assert(r.val("cbc:IssueDate") != "", "BR-03", r, "[BR-03]-An Invoice shall have an Invoice issue date (BT-2).")
	c.assert(r.val("cbc:InvoiceTypeCode") != "" || r.val("cbc:CreditNoteTypeCode") != "", "BR-04", r,
		"[BR-04]-An Invoice shall have an Invoice type code (BT-3).")
	if t := r.kid("cbc:InvoiceTypeCode"); t != nil {
		c.assert(profile != "01" || slices.Contains(invoiceTypeCodes, r.val("cbc:InvoiceTypeCode")), "PEPPOL-EN16931-P0100", t,
			"Invoice type code MUST be set according to the profile.")
	}
	if t := r.kid("cbc:CreditNoteTypeCode"); t != nil {
		c.assert(profile != "01" || slices.Contains(creditNoteTypeCodes, r.val("cbc:CreditNoteTypeCode")), "PEPPOL-EN16931-P0101", t,
			"Credit note type code MUST be set according to the profile.")
	}
	c.assert(r.val("cbc:DocumentCurrencyCode") != "", "BR-05", r, "[BR-05]-An Invoice shall have an Invoice currency code (BT-5).")
	c.assert(len(r.kidsNamed("cbc:Note")) <= 1, "PEPPOL-EN16931-R002", r, "No more than one note is allowed on document level.")
	c.assert(r.has("cbc:BuyerReference") || r.has("cac:OrderReference", "cbc:ID"), "PEPPOL-EN16931-R003", r,
		"A buyer reference or purchase order reference MUST be provided.")
	c.assert(len(c.lines) > 0, "BR-16", r, "[BR-16]-An Invoice shall have at least one Invoice line (BG-25)")
	if c.isInvoice {
		// The test: ((. > 0) and (exists(//cbc:DueDate) or
		// exists(//cac:PaymentTerms/cbc:Note))) or (. <= 0).
		payable := r.at("cac:LegalMonetaryTotal", "cbc:PayableAmount")
		dueOrTerms := len(r.all("cbc:DueDate")) > 0 || len(r.all("cac:PaymentTerms", "cbc:Note")) > 0
		c.assert(payable == nil || !num(payable).IsPositive() || dueOrTerms, "BR-CO-25", payable,
			"[BR-CO-25]-In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.")
		for _, pm := range r.kidsNamed("cac:PaymentMeans") {
			c.assert(!pm.has("cbc:PaymentDueDate"), "UBL-CR-412", pm.kid("cbc:PaymentDueDate"),
				"[UBL-CR-412]-A UBL invoice should not include the PaymentMeans PaymentDueDate")
		}
	}
	for _, b := range r.kidsNamed("cac:BillingReference") {
		c.assert(b.has("cac:InvoiceDocumentReference", "cbc:ID"), "BR-55", b,
			"[BR-55]-Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).")
	}
	for _, a := range r.kidsNamed("cac:AdditionalDocumentReference") {
		c.assert(a.val("cbc:ID") != "", "BR-52", a,
			"[BR-52]-Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).")
	}
	if p := r.kid("cac:InvoicePeriod"); p != nil {
		c.checkPeriod(p, "BR-29", "[BR-29]-If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).")
		// The test: a start or end date and no description code, or a
		// description code and no dates.
		dates, code := p.has("cbc:StartDate") || p.has("cbc:EndDate"), p.has("cbc:DescriptionCode")
		c.assert(dates != code, "BR-CO-19", p,
			"[BR-CO-19]-If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.")
	}
}

// checkPeriod checks that a period does not end before it starts.
func (c *checker) checkPeriod(p *node, id, text string) {
	start, okStart := dateOf(p.val("cbc:StartDate"))
	end, okEnd := dateOf(p.val("cbc:EndDate"))
	c.assert(!okStart || !okEnd || !end.Before(start), id, p, text)
}

// dateOf reads an xs:date without time zone, the form F001 requires.
func dateOf(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(domain.DateLayout, s)
	return t, err == nil
}

// vatSchemes returns the party's VAT identifiers' PartyTaxScheme elements.
func vatSchemes(party *node) []*node {
	var out []*node
	for _, s := range party.kidsNamed("cac:PartyTaxScheme") {
		if strings.ToUpper(s.val("cac:TaxScheme", "cbc:ID")) == "VAT" {
			out = append(out, s)
		}
	}
	return out
}

// checkParties checks seller and buyer.
func (c *checker) checkParties() {
	s, b := c.supplier, c.customer
	c.assert(s.val("cac:PartyLegalEntity", "cbc:RegistrationName") != "", "BR-06", c.root,
		"[BR-06]-An Invoice shall contain the Seller name (BT-27).")
	c.assert(b.val("cac:PartyLegalEntity", "cbc:RegistrationName") != "", "BR-07", c.root,
		"[BR-07]-An Invoice shall contain the Buyer name (BT-44).")
	c.assert(s.has("cac:PostalAddress"), "BR-08", c.root, "[BR-08]-An Invoice shall contain the Seller postal address (BG-5).")
	c.assert(b.has("cac:PostalAddress"), "BR-10", c.root, "[BR-10]-An Invoice shall contain the Buyer postal address (BG-8).")
	if a := s.kid("cac:PostalAddress"); a != nil {
		c.assert(a.val("cac:Country", "cbc:IdentificationCode") != "", "BR-09", a,
			"[BR-09]-The Seller postal address (BG-5) shall contain a Seller country code (BT-40).")
	}
	if a := b.kid("cac:PostalAddress"); a != nil {
		c.assert(a.val("cac:Country", "cbc:IdentificationCode") != "", "BR-11", a,
			"[BR-11]-The Buyer postal address (BG-8) shall contain a Buyer country code (BT-55).")
	}
	if s != nil {
		c.assert(s.has("cbc:EndpointID"), "PEPPOL-EN16931-R020", s, "Seller electronic address MUST be provided")
		c.assert(len(vatSchemes(s)) > 0 || s.has("cac:PartyIdentification", "cbc:ID") || s.has("cac:PartyLegalEntity", "cbc:CompanyID"),
			"BR-CO-26", s.parent,
			"[BR-CO-26]-In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.")
		c.assert(len(s.kidsNamed("cac:PartyTaxScheme")) <= 2, "UBL-SR-42", s,
			"[UBL-SR-42]-Party tax scheme shall occur maximum twice in accounting supplier party")
	}
	if b != nil {
		c.assert(b.has("cbc:EndpointID"), "PEPPOL-EN16931-R010", b, "Buyer electronic address MUST be provided")
	}
	if e := s.kid("cbc:EndpointID"); e != nil {
		_, ok := e.attr("schemeID")
		c.assert(ok, "BR-62", e, "[BR-62]-The Seller electronic address (BT-34) shall have a Scheme identifier.")
	}
	if e := b.kid("cbc:EndpointID"); e != nil {
		_, ok := e.attr("schemeID")
		c.assert(ok, "BR-63", e, "[BR-63]-The Buyer electronic address (BT-49) shall have a Scheme identifier.")
	}
	c.root.walk(func(n *node) {
		scheme, ok := n.attr("schemeID")
		if !ok {
			return
		}
		if n.name == "cbc:EndpointID" {
			c.assert(slices.Contains(electronicAddressSchemes, scheme), "PEPPOL-EN16931-CL008", n,
				`Electronic address identifier scheme must be from the codelist "Electronic Address Identifier Scheme"`, scheme)
		}
		identifier := n.name == "cbc:EndpointID" || n.name == "cbc:CompanyID" ||
			(n.name == "cbc:ID" && n.parent.name == "cac:PartyIdentification")
		if identifier && scheme == domain.PeppolSchemeGLN {
			v := strings.TrimSpace(n.text)
			c.assert(domain.GLNValid(v), "PEPPOL-COMMON-R040", n,
				"GLN must have a valid format according to GS1 rules.", v)
		}
		if identifier && scheme == domain.PeppolSchemeSE {
			v := strings.Join(strings.Fields(n.text), " ")
			c.assert(len(v) == 10 && xpathNumeric.MatchString(v) && seOrgNumber(v), "PEPPOL-COMMON-R049", n,
				"Swedish organization number MUST be stated in the correct format.", v)
		}
	})
	for _, t := range c.root.all("cac:AccountingSupplierParty", "cac:Party", "cac:PartyTaxScheme") {
		c.checkVATPrefix(t)
	}
	for _, t := range c.root.all("cac:AccountingCustomerParty", "cac:Party", "cac:PartyTaxScheme") {
		c.checkVATPrefix(t)
	}
}

// checkVATPrefix checks the country prefix of a VAT identifier.
func (c *checker) checkVATPrefix(t *node) {
	if strings.ToUpper(t.val("cac:TaxScheme", "cbc:ID")) != "VAT" {
		return
	}
	id := t.val("cbc:CompanyID")
	c.assert(len(id) >= 2 && slices.Contains(vatPrefixes, id[:2]), "BR-CO-09", t,
		"[BR-CO-09]-The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.", id)
}

// seOrgNumber is the Schematron function u:checkSEOrgnr: digits only, and the
// tenth digit the Luhn check digit of the first nine.
func seOrgNumber(s string) bool {
	if len(s) < 10 || strings.TrimLeft(s, "0123456789") != "" {
		return false
	}
	return domain.LuhnValid(s[:10])
}

// checkPayment checks the payment instructions.
func (c *checker) checkPayment() {
	for _, pm := range c.root.kidsNamed("cac:PaymentMeans") {
		code := pm.val("cbc:PaymentMeansCode")
		c.assert(pm.has("cbc:PaymentMeansCode"), "BR-49", pm,
			"[BR-49]-A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).")
		transfer := code == "30" || code == "58"
		c.assert(!transfer || pm.has("cac:PayeeFinancialAccount", "cbc:ID"), "BR-61", pm,
			"[BR-61]-If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.")
		if a := pm.kid("cac:PayeeFinancialAccount"); a != nil && transfer {
			c.assert(a.val("cbc:ID") != "", "BR-50", a,
				"[BR-50]-A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.")
		}
	}
}

// checkLines checks every invoice line.
func (c *checker) checkLines() {
	docStart, hasStart := dateOf(c.root.val("cac:InvoicePeriod", "cbc:StartDate"))
	docEnd, hasEnd := dateOf(c.root.val("cac:InvoicePeriod", "cbc:EndDate"))
	for _, l := range c.lines {
		c.assert(l.val("cbc:ID") != "", "BR-21", l, "[BR-21]-Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).")
		q := l.kid(c.qtyName)
		c.assert(q != nil, "BR-22", l, "[BR-22]-Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).")
		_, unit := q.attr("unitCode")
		c.assert(unit, "BR-23", l, "[BR-23]-An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).")
		c.assert(l.has("cbc:LineExtensionAmount"), "BR-24", l, "[BR-24]-Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).")
		c.assert(l.val("cac:Item", "cbc:Name") != "", "BR-25", l, "[BR-25]-Each Invoice line (BG-25) shall contain the Item name (BT-153).")
		price := l.at("cac:Price", "cbc:PriceAmount")
		c.assert(price != nil, "BR-26", l, "[BR-26]-Each Invoice line (BG-25) shall contain the Item net price (BT-146).")
		c.assert(price == nil || !num(price).IsNegative(), "BR-27", price, "[BR-27]-The Item net price (BT-146) shall NOT be negative.")
		c.assert(lineCategory(l) != "", "BR-CO-04", l,
			"[BR-CO-04]-Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).")

		base := l.at("cac:Price", "cbc:BaseQuantity")
		c.assert(base == nil || num(base).IsPositive(), "PEPPOL-EN16931-R121", base, "Base quantity MUST be a positive number above zero.")
		quantity := decimal.NewFromInt(1)
		if q != nil {
			quantity = num(q)
		}
		per := decimal.NewFromInt(1)
		if base != nil && !num(base).IsZero() {
			per = num(base)
		}
		want := quantity.Mul(num(price).Div(per)).
			Add(c.allowanceCharges(l.kidsNamed("cac:AllowanceCharge"), "true", "")).
			Sub(c.allowanceCharges(l.kidsNamed("cac:AllowanceCharge"), "false", ""))
		got := num(l.kid("cbc:LineExtensionAmount"))
		c.assert(got.Sub(want).Abs().LessThanOrEqual(decimal.New(2, -2)), "PEPPOL-EN16931-R120", l,
			"Invoice line net amount MUST equal (Invoiced quantity * (Item net price/item price base quantity) + Sum of invoice line charge amount - sum of invoice line allowance amount",
			"found "+got.String()+", expected "+want.String())

		p := l.kid("cac:InvoicePeriod")
		if p == nil {
			continue
		}
		c.checkPeriod(p, "BR-30", "[BR-30]-If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).")
		c.assert(p.has("cbc:StartDate") || p.has("cbc:EndDate"), "BR-CO-20", p,
			"[BR-CO-20]-If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.")
		if start, ok := dateOf(p.val("cbc:StartDate")); ok && hasStart {
			c.assert(!start.Before(docStart), "PEPPOL-EN16931-R110", p.kid("cbc:StartDate"), "Start date of line period MUST be within invoice period.")
		}
		if end, ok := dateOf(p.val("cbc:EndDate")); ok && hasEnd {
			c.assert(!end.After(docEnd), "PEPPOL-EN16931-R111", p.kid("cbc:EndDate"), "End date of line period MUST be within invoice period.")
		}
	}
}

// lineCategory returns the VAT category code of a line (BT-151), or "".
func lineCategory(l *node) string {
	t := l.at("cac:Item", "cac:ClassifiedTaxCategory")
	if strings.ToUpper(t.val("cac:TaxScheme", "cbc:ID")) != "VAT" {
		return ""
	}
	return t.val("cbc:ID")
}

// allowanceCharges sums the amounts of the allowances (indicator "false") or
// charges ("true") among acs, of VAT category cat or of any category when cat
// is "", rounded like the Schematron does.
func (c *checker) allowanceCharges(acs []*node, indicator, cat string) decimal.Decimal {
	sum := decimal.Zero
	for _, ac := range acs {
		if ac.val("cbc:ChargeIndicator") != indicator {
			continue
		}
		if cat != "" && ac.val("cac:TaxCategory", "cbc:ID") != cat {
			continue
		}
		sum = sum.Add(num(ac.kid("cbc:Amount")))
	}
	return round2(sum)
}
