package peppol

import (
	"strings"

	"github.com/shopspring/decimal"
)

// The VAT breakdown and totals rules of EN 16931 (rules/sch/CEN-EN16931-UBL.sch
// of Peppol BIS Billing 3.0.15), as Go. The category rules are written once
// for the four categories Build supports (S, Z, E, O) from a table of their
// official texts; categories AE, K, G, L and M are not checked.

// categoryRules are the official texts of the rules of one VAT category.
type categoryRules struct {
	// breakdown (-01): lines of the category need a breakdown of it.
	breakdown string
	// sellerVAT (-02): what lines of the category need of the seller's
	// (and, for O, the buyer's) VAT identifiers.
	sellerVAT string
	// lineRate (-05): the line's VAT rate.
	lineRate string
	// taxable (-08): the breakdown's taxable amount is the sum of its lines.
	taxable string
	// tax (-09): the breakdown's tax amount.
	tax string
	// reason (-10): whether the breakdown states an exemption reason.
	reason string
}

var vatCategoryRules = map[string]categoryRules{
	VATStandard: {
		breakdown: `[BR-S-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Standard rated" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "Standard rated".`,
		sellerVAT: `[BR-S-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).`,
		lineRate:  `[BR-S-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" the Invoiced item VAT rate (BT-152) shall be greater than zero.`,
		taxable:   `[BR-S-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "Standard rated", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "Standard rated" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).`,
		tax:       `[BR-S-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Standard rated" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).`,
		reason:    `[BR-S-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Standard rate" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).`,
	},
	VATZero: {
		breakdown: `[BR-Z-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Zero rated" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Zero rated".`,
		sellerVAT: `[BR-Z-02]-An Invoice that contains an Invoice line where the Invoiced item VAT category code (BT-151) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).`,
		lineRate:  `[BR-Z-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Zero rated" the Invoiced item VAT rate (BT-152) shall be 0 (zero).`,
		taxable:   `[BR-Z-08]-In a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Zero rated".`,
		tax:       `[BR-Z-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" shall equal 0 (zero).`,
		reason:    `[BR-Z-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Zero rated" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).`,
	},
	VATExempt: {
		breakdown: `[BR-E-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Exempt from VAT" shall contain exactly one VAT breakdown (BG-23) with the VAT category code (BT-118) equal to "Exempt from VAT".`,
		sellerVAT: `[BR-E-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).`,
		lineRate:  `[BR-E-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT", the Invoiced item VAT rate (BT-152) shall be 0 (zero).`,
		taxable:   `[BR-E-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Exempt from VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Exempt from VAT".`,
		tax:       `[BR-E-09]-The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals "Exempt from VAT" shall equal 0 (zero).`,
		reason:    `[BR-E-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Exempt from VAT" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).`,
	},
	VATOutOfScope: {
		breakdown: `[BR-O-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Not subject to VAT" shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to "Not subject to VAT".`,
		sellerVAT: `[BR-O-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).`,
		lineRate:  `[BR-O-05]-An Invoice line (BG-25) where the VAT category code (BT-151) is "Not subject to VAT" shall not contain an Invoiced item VAT rate (BT-152).`,
		taxable:   `[BR-O-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is " Not subject to VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Not subject to VAT".`,
		tax:       `[BR-O-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Not subject to VAT" shall be 0 (zero).`,
		reason:    `[BR-O-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) " Not subject to VAT" shall have a VAT exemption reason code (BT-121), meaning " Not subject to VAT" or a VAT exemption reason text (BT-120) " Not subject to VAT" (or the equivalent standard text in another language).`,
	},
}

// ruleID returns the identifier of the rule whose text is t: "[BR-S-01]-…"
// gives "BR-S-01".
func ruleID(t string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(t, "["), "]")
	return id
}

// isVATCategory reports whether a TaxCategory or ClassifiedTaxCategory
// belongs to the VAT scheme.
func isVATCategory(t *node) bool {
	return strings.ToUpper(t.val("cac:TaxScheme", "cbc:ID")) == "VAT"
}

// checkTaxes checks the VAT breakdown.
func (c *checker) checkTaxes() {
	r := c.root
	var withSub, withoutSub int
	for _, t := range r.kidsNamed("cac:TaxTotal") {
		if t.has("cac:TaxSubtotal") {
			withSub++
			sum := decimal.Zero
			for _, s := range t.kidsNamed("cac:TaxSubtotal") {
				sum = sum.Add(num(s.kid("cbc:TaxAmount")))
			}
			c.assert(num(t.kid("cbc:TaxAmount")).Equal(round2(sum)), "BR-CO-14", t,
				"[BR-CO-14]-Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).")
		} else {
			withoutSub++
		}
	}
	c.assert(withSub == 1, "PEPPOL-EN16931-R053", r, "Only one tax total with tax subtotals MUST be provided.")
	wantWithout := 0
	if r.has("cbc:TaxCurrencyCode") {
		wantWithout = 1
	}
	c.assert(withoutSub == wantWithout, "PEPPOL-EN16931-R054", r,
		"Only one tax total without tax subtotals MUST be provided when tax currency code is provided.")
	subtotals := r.all("cac:TaxTotal", "cac:TaxSubtotal")
	c.assert(len(subtotals) > 0, "BR-CO-18", r, "[BR-CO-18]-An Invoice shall at least have one VAT breakdown group (BG-23).")
	for _, s := range subtotals {
		c.checkSubtotal(s)
	}
	r.walk(func(n *node) {
		if n.name == "cac:TaxCategory" && strings.ToUpper(n.val("cbc:TaxExemptionReasonCode")) == OutOfScopeReasonCode {
			c.assert(n.val("cbc:ID") == VATOutOfScope, "PEPPOL-EN16931-P0105", n,
				"Tax Category O MUST be used when exemption reason code is VATEX-EU-O")
		}
	})
	for _, cat := range []string{VATStandard, VATZero, VATExempt, VATOutOfScope} {
		c.checkCategory(cat, subtotals)
	}
	c.checkOutOfScope(subtotals)
}

// checkSubtotal checks one VAT breakdown.
func (c *checker) checkSubtotal(s *node) {
	t := s.kid("cac:TaxCategory")
	c.assert(s.has("cbc:TaxableAmount"), "BR-45", s, "[BR-45]-Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).")
	c.assert(s.has("cbc:TaxAmount"), "BR-46", s, "[BR-46]-Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).")
	c.assert(isVATCategory(t) && t.has("cbc:ID"), "BR-47", s, "[BR-47]-Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).")
	c.assert((isVATCategory(t) && t.has("cbc:Percent")) || t.val("cbc:ID") == VATOutOfScope, "BR-48", s,
		"[BR-48]-Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.")
	// The test: a rate that rounds to zero needs a tax amount that rounds to
	// zero; any other rate a tax amount within 1 of taxable × rate / 100
	// rounded to two decimals; no rate, a tax amount that rounds to zero.
	tax, taxable := num(s.kid("cbc:TaxAmount")), num(s.kid("cbc:TaxableAmount"))
	ok := tax.Round(0).IsZero()
	if t.has("cbc:Percent") && !num(t.kid("cbc:Percent")).Round(0).IsZero() {
		want := round2(taxable.Abs().Mul(num(t.kid("cbc:Percent"))).Div(decimal.NewFromInt(100)))
		ok = tax.Abs().Sub(want).Abs().LessThan(decimal.NewFromInt(1))
	}
	c.assert(ok, "BR-CO-17", s,
		"[BR-CO-17]-VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.")
}

// checkCategory applies the rules of one VAT category.
func (c *checker) checkCategory(cat string, subtotals []*node) {
	rules := vatCategoryRules[cat]
	var breakdowns []*node
	for _, s := range subtotals {
		if t := s.kid("cac:TaxCategory"); isVATCategory(t) && t.val("cbc:ID") == cat {
			breakdowns = append(breakdowns, s)
		}
	}
	var lines []*node
	for _, l := range c.lines {
		if lineCategory(l) == cat {
			lines = append(lines, l)
		}
	}
	acs := c.root.kidsNamed("cac:AllowanceCharge")
	used := len(lines) > 0
	for _, ac := range acs {
		if ac.val("cac:TaxCategory", "cbc:ID") == cat {
			used = true
		}
	}
	// -01: S needs at least one breakdown and no breakdown without use; the
	// others exactly one breakdown whenever the category occurs anywhere,
	// the breakdown itself included.
	if cat == VATStandard {
		c.assert(used == (len(breakdowns) > 0), ruleID(rules.breakdown), c.root, rules.breakdown)
	} else {
		c.assert(!(used || len(breakdowns) > 0) || len(breakdowns) == 1, ruleID(rules.breakdown), c.root, rules.breakdown)
	}
	if len(lines) > 0 {
		sellerTax := c.supplier.has("cac:PartyTaxScheme", "cbc:CompanyID")
		taxRepVAT := len(vatSchemes(c.root.kid("cac:TaxRepresentativeParty"))) > 0
		if cat == VATOutOfScope {
			c.assert(len(vatSchemes(c.supplier)) == 0 && !taxRepVAT && len(vatSchemes(c.customer)) == 0,
				ruleID(rules.sellerVAT), c.root, rules.sellerVAT)
		} else {
			c.assert(sellerTax || taxRepVAT, ruleID(rules.sellerVAT), c.root, rules.sellerVAT)
		}
	}
	for _, l := range lines {
		t := l.at("cac:Item", "cac:ClassifiedTaxCategory")
		rate := t.kid("cbc:Percent")
		var ok bool
		switch cat {
		case VATStandard:
			ok = num(rate).IsPositive()
		case VATOutOfScope:
			ok = rate == nil
		default:
			ok = rate != nil && num(rate).IsZero()
		}
		c.assert(ok, ruleID(rules.lineRate), t, rules.lineRate)
	}
	for _, s := range breakdowns {
		t := s.kid("cac:TaxCategory")
		rate := num(t.kid("cbc:Percent"))
		sum := decimal.Zero
		for _, l := range lines {
			if cat != VATStandard || num(l.at("cac:Item", "cac:ClassifiedTaxCategory", "cbc:Percent")).Equal(rate) {
				sum = sum.Add(num(l.kid("cbc:LineExtensionAmount")))
			}
		}
		sum = sum.Add(c.allowanceCharges(acs, "true", cat)).Sub(c.allowanceCharges(acs, "false", cat))
		taxable, tax := num(s.kid("cbc:TaxableAmount")), num(s.kid("cbc:TaxAmount"))
		if cat == VATStandard {
			// S allows a difference of less than 1 in both amounts.
			c.assert(taxable.Sub(sum).Abs().LessThan(decimal.NewFromInt(1)), ruleID(rules.taxable), s, rules.taxable)
			want := round2(taxable.Abs().Mul(rate).Div(decimal.NewFromInt(100)))
			c.assert(tax.Abs().Sub(want).Abs().LessThan(decimal.NewFromInt(1)), ruleID(rules.tax), s, rules.tax)
		} else {
			c.assert(taxable.Equal(sum), ruleID(rules.taxable), s, rules.taxable, "found "+taxable.String()+", lines sum to "+sum.String())
			c.assert(tax.IsZero(), ruleID(rules.tax), s, rules.tax)
		}
		hasReason := t.has("cbc:TaxExemptionReason") || t.has("cbc:TaxExemptionReasonCode")
		c.assert(hasReason == (cat == VATExempt || cat == VATOutOfScope), ruleID(rules.reason), t, rules.reason)
	}
}

// checkOutOfScope applies the rules that keep category O alone.
func (c *checker) checkOutOfScope(subtotals []*node) {
	hasO := false
	others := 0
	for _, s := range subtotals {
		t := s.kid("cac:TaxCategory")
		if !isVATCategory(t) {
			continue
		}
		if t.val("cbc:ID") == VATOutOfScope {
			hasO = true
		} else {
			others++
		}
	}
	if !hasO {
		return
	}
	c.assert(others == 0, "BR-O-11", c.root,
		`[BR-O-11]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain other VAT breakdown groups (BG-23).`)
	for _, l := range c.lines {
		t := l.at("cac:Item", "cac:ClassifiedTaxCategory")
		c.assert(!isVATCategory(t) || t.val("cbc:ID") == VATOutOfScope, "BR-O-12", l,
			`[BR-O-12]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not "Not subject to VAT".`)
	}
}

// checkTotals checks the document totals (BG-22).
func (c *checker) checkTotals() {
	t := c.root.kid("cac:LegalMonetaryTotal")
	c.assert(t != nil, RuleSyntax, c.root, "An Invoice must have a cac:LegalMonetaryTotal (UBL 2.1 schema).")
	if t == nil {
		return
	}
	c.assert(t.has("cbc:LineExtensionAmount"), "BR-12", t, "[BR-12]-An Invoice shall have the Sum of Invoice line net amount (BT-106).")
	c.assert(t.has("cbc:TaxExclusiveAmount"), "BR-13", t, "[BR-13]-An Invoice shall have the Invoice total amount without VAT (BT-109).")
	c.assert(t.has("cbc:TaxInclusiveAmount"), "BR-14", t, "[BR-14]-An Invoice shall have the Invoice total amount with VAT (BT-112).")
	c.assert(t.has("cbc:PayableAmount"), "BR-15", t, "[BR-15]-An Invoice shall have the Amount due for payment (BT-115).")

	lines := decimal.Zero
	for _, l := range c.lines {
		lines = lines.Add(num(l.kid("cbc:LineExtensionAmount")))
	}
	lineExt := num(t.kid("cbc:LineExtensionAmount"))
	c.assert(lineExt.Equal(round2(lines)), "BR-CO-10", t,
		"[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).",
		"found "+lineExt.String()+", lines sum to "+lines.String())

	acs := c.root.kidsNamed("cac:AllowanceCharge")
	allowances, charges := c.allowanceCharges(acs, "false", ""), c.allowanceCharges(acs, "true", "")
	c.assert(matchesTotal(t.kid("cbc:AllowanceTotalAmount"), allowances, hasIndicator(acs, "false")), "BR-CO-11", t,
		"[BR-CO-11]-Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).")
	c.assert(matchesTotal(t.kid("cbc:ChargeTotalAmount"), charges, hasIndicator(acs, "true")), "BR-CO-12", t,
		"[BR-CO-12]-Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).")

	exclusive := num(t.kid("cbc:TaxExclusiveAmount"))
	want := round2(lineExt.Add(num(t.kid("cbc:ChargeTotalAmount"))).Sub(num(t.kid("cbc:AllowanceTotalAmount"))))
	c.assert(exclusive.Equal(want), "BR-CO-13", t,
		"[BR-CO-13]-Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).",
		"found "+exclusive.String()+", expected "+want.String())

	// BT-110 is the tax total in the document currency.
	vat := decimal.Zero
	for _, tt := range c.root.kidsNamed("cac:TaxTotal") {
		if cur, _ := tt.kid("cbc:TaxAmount").attr("currencyID"); cur == c.currency {
			vat = vat.Add(num(tt.kid("cbc:TaxAmount")))
		}
	}
	inclusive := num(t.kid("cbc:TaxInclusiveAmount"))
	c.assert(inclusive.Equal(round2(exclusive.Add(vat))), "BR-CO-15", t,
		"[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).",
		"found "+inclusive.String()+", expected "+round2(exclusive.Add(vat)).String())

	payable := num(t.kid("cbc:PayableAmount"))
	wantPayable := round2(inclusive.Sub(num(t.kid("cbc:PrepaidAmount"))).Add(num(t.kid("cbc:PayableRoundingAmount"))))
	c.assert(payable.Equal(wantPayable), "BR-CO-16", t,
		"[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).",
		"found "+payable.String()+", expected "+wantPayable.String())
}

// matchesTotal is the test of BR-CO-11 and BR-CO-12: the total equals the
// sum, or there is neither a total nor anything to add up.
func matchesTotal(total *node, sum decimal.Decimal, any bool) bool {
	if total == nil {
		return !any
	}
	return num(total).Equal(sum)
}

// hasIndicator reports whether acs holds an allowance ("false") or charge
// ("true").
func hasIndicator(acs []*node, indicator string) bool {
	for _, ac := range acs {
		if ac.val("cbc:ChargeIndicator") == indicator {
			return true
		}
	}
	return false
}
