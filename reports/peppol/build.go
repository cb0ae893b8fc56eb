package peppol

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/shopspring/decimal"
)

// Build writes d as a Peppol BIS Billing 3.0 UBL document: an Invoice for
// type 380, a CreditNote for type 381.
//
// Before writing it checks that the document can go out as an e-invoice. A
// seller or buyer without organisation number or Peppol id (or a buyer
// without any reference, or a seller without the bankgiro or VAT number the
// document needs) gives a *MissingError naming the party and what it lacks;
// other faults in d give a domain.Error with code EINVALID and a Swedish
// message. After writing, Build runs Check on the result: a document that
// breaks any rule Check knows is never returned, the error is an
// *InvalidError instead.
func Build(d Document) ([]byte, error) {
	n, err := normalise(d)
	if err != nil {
		return nil, err
	}
	out, err := n.marshal()
	if err != nil {
		return nil, err
	}
	if v := Check(out); len(v) > 0 {
		return nil, &InvalidError{Number: n.number, Violations: v}
	}
	return out, nil
}

// doc is a Document after validation, with every default filled in and every
// derived amount computed: what marshal writes.
type doc struct {
	typ          Type
	number       string
	issue, due   domain.Date
	currency     string
	buyerRef     string
	orderRef     string
	note         string
	billing      *InvoiceReference
	refs         []Reference
	seller       party
	buyer        party
	lines        []line
	payment      *payment
	paymentTerms string
	subtotals    []subtotal
	lineTotal    decimal.Decimal
	taxTotal     decimal.Decimal
	outOfScope   bool // every line is category O (BR-O-11, BR-O-12)
}

type party struct {
	name    string
	address Address
	org     string // ten digits
	vat     string // SE + 12 digits, or "" when it must not be written
	// endpointScheme and endpoint are the electronic address, as
	// domain.PeppolEndpoint gives it for the party's Peppol id.
	endpointScheme, endpoint string
	ftax                     bool
	contact                  Contact
}

type line struct {
	id, name, description string
	period                Period
	quantity, price       decimal.Decimal
	unit                  string
	amount                decimal.Decimal
	vat                   string
	rate                  decimal.Decimal
}

type payment struct {
	account string // bankgiro digits, "" for none
	id      string
	due     domain.Date // credit notes only
}

// subtotal is one VAT breakdown (BG-23): the lines of one category and rate.
type subtotal struct {
	vat          string
	rate         decimal.Decimal
	taxable, tax decimal.Decimal
	reasonCode   string
	reason       string
}

var bankgiroPattern = regexp.MustCompile(`^[0-9]{3,4}-[0-9]{4}$`)

// checkTexts refuses texts with control characters or invalid UTF-8, which
// would break the XML; label names them in the message.
func checkTexts(label string, texts ...string) error {
	for _, s := range texts {
		if err := domain.CheckText("", label, s, 0); err != nil {
			return err
		}
	}
	return nil
}

// invalid returns an EINVALID error with a Swedish message.
func invalid(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, format, args...)
}

// noun is the document's name in the definite form, to begin a message.
func (d Document) noun() string {
	if d.Type == CreditNote {
		return "Kreditfakturan"
	}
	return "Fakturan"
}

// normalise validates d and computes what the document says.
func normalise(d Document) (*doc, error) {
	if d.Type != Invoice && d.Type != CreditNote {
		return nil, invalid("Dokumenttypen %d finns inte: välj faktura (380) eller kreditfaktura (381).", int(d.Type))
	}
	n := &doc{
		typ:          d.Type,
		number:       strings.TrimSpace(d.Number),
		issue:        d.IssueDate,
		due:          d.DueDate,
		currency:     strings.TrimSpace(d.Currency),
		buyerRef:     strings.TrimSpace(d.BuyerReference),
		orderRef:     strings.TrimSpace(d.OrderReference),
		note:         strings.TrimSpace(d.Note),
		paymentTerms: strings.TrimSpace(d.PaymentTerms),
	}
	// Missing party data first: it is what the user must fix in the register,
	// and the answer should name it whatever else is wrong.
	if err := n.parties(d); err != nil {
		return nil, err
	}
	if err := n.header(d); err != nil {
		return nil, err
	}
	if err := n.addLines(d); err != nil {
		return nil, err
	}
	if n.outOfScope {
		// BR-O-02: no VAT identifiers on a document outside the scope of VAT.
		n.seller.vat, n.buyer.vat = "", ""
	}
	return n, nil
}

// header validates the document-level fields.
func (n *doc) header(d Document) error {
	noun := d.noun()
	texts := []struct{ label, s string }{
		{noun + "s nummer", n.number},
		{"Köparens referens", n.buyerRef},
		{"Ordernumret", n.orderRef},
		{"Anteckningen", n.note},
		{"Betalningsvillkoren", n.paymentTerms},
	}
	for _, t := range texts {
		if err := domain.CheckText("", t.label, t.s, 0); err != nil {
			return err
		}
	}
	if n.number == "" {
		return invalid("%s saknar nummer.", noun)
	}
	if n.issue.IsZero() {
		return invalid("%s saknar fakturadatum.", noun)
	}
	if n.currency == "" {
		n.currency = DefaultCurrency
	} else if !slices.Contains(iso4217, n.currency) {
		return invalid("Valutakoden %q finns inte i ISO 4217.", n.currency)
	}
	switch {
	case d.Type == Invoice && n.due.IsZero():
		return invalid("Fakturan saknar förfallodag.")
	case !n.due.IsZero() && n.due.Before(n.issue):
		return invalid("%s förfaller %s, före fakturadatum %s.", noun, n.due, n.issue)
	case d.Type == CreditNote && !n.due.IsZero() && d.Payment.IsZero():
		// UBL 2.1 has no DueDate in a CreditNote: EN 16931 puts BT-9 in
		// the payment instructions, so there must be some.
		return invalid("Kreditfakturans förfallodag kan bara anges tillsammans med bankgiro och OCR-nummer.")
	}
	if b := d.BillingReference; b != nil {
		if strings.TrimSpace(b.Number) == "" {
			return invalid("%s hänvisar till en faktura utan nummer.", noun)
		}
		if err := checkTexts("Fakturanumret som krediteras", b.Number); err != nil {
			return err
		}
		ref := InvoiceReference{Number: strings.TrimSpace(b.Number), IssueDate: b.IssueDate}
		n.billing = &ref
	}
	for _, r := range d.References {
		r.ID, r.Description = strings.TrimSpace(r.ID), strings.TrimSpace(r.Description)
		if r.ID == "" {
			return invalid("%s hänvisar till ett underlag utan beteckning.", noun)
		}
		if err := checkTexts("Underlaget "+r.ID, r.ID, r.Description); err != nil {
			return err
		}
		n.refs = append(n.refs, r)
	}
	return n.addPayment(d)
}

// addPayment validates the payment instructions.
func (n *doc) addPayment(d Document) error {
	bg := strings.TrimSpace(d.Payment.Bankgiro)
	ocr := strings.TrimSpace(d.Payment.PaymentID)
	if bg == "" {
		return nil // parties() reports a missing bankgiro against the seller
	}
	if !bankgiroPattern.MatchString(bg) || !domain.LuhnValid(strings.Replace(bg, "-", "", 1)) {
		return invalid("Bankgironumret %q ska skrivas NNN-NNNN eller NNNN-NNNN och ha rätt kontrollsiffra.", bg)
	}
	if ocr == "" {
		return invalid("%s saknar OCR-nummer.", d.noun())
	}
	if !finance.ValidOCR(ocr, false) {
		return invalid("OCR-numret %q har fel kontrollsiffra eller längd.", ocr)
	}
	n.payment = &payment{account: strings.Replace(bg, "-", "", 1), id: ocr}
	if d.Type == CreditNote {
		n.payment.due = n.due
	}
	return nil
}

// parties validates seller and buyer, returning a *MissingError for data an
// e-invoice cannot do without.
func (n *doc) parties(d Document) error {
	needsVAT := slices.ContainsFunc(d.Lines, func(l Line) bool {
		c := strings.ToUpper(strings.TrimSpace(l.VAT))
		return c != "" && c != VATOutOfScope
	})
	var sellerMissing []string
	if (d.Type == Invoice || strings.TrimSpace(d.Payment.PaymentID) != "") && strings.TrimSpace(d.Payment.Bankgiro) == "" {
		sellerMissing = append(sellerMissing, MissingBankgiro)
	}
	if needsVAT && strings.TrimSpace(d.Seller.VATNumber) == "" {
		sellerMissing = append(sellerMissing, MissingVATNumber)
	}
	var buyerMissing []string
	if n.buyerRef == "" && n.orderRef == "" {
		buyerMissing = append(buyerMissing, MissingReference)
	}
	buyer, err := newParty(d.Buyer, buyerMissing)
	if err != nil {
		return err
	}
	seller, err := newParty(d.Seller, sellerMissing)
	if err != nil {
		return err
	}
	seller.ftax = d.Seller.FTax
	n.seller, n.buyer = *seller, *buyer
	return nil
}

// newParty validates p. The identifiers are checked first, so a MissingError
// lists everything missing at once; extra lists other missing data.
func newParty(p Party, extra []string) (*party, error) {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return nil, invalid("En part saknar namn.")
	}
	org := strings.TrimSpace(p.OrgNumber)
	peppolID := strings.TrimSpace(p.PeppolID)
	var missing []string
	if org == "" {
		missing = append(missing, MissingOrgNumber)
	}
	if peppolID == "" {
		missing = append(missing, MissingPeppolID)
	}
	missing = append(missing, extra...)
	if len(missing) > 0 {
		return nil, &MissingError{Party: name, Missing: missing}
	}
	normal, err := domain.ParseOrgNumber(org)
	if err != nil {
		return nil, invalid("%s: %s", name, domain.ErrorMessage(err))
	}
	if _, err := domain.ParsePeppolID(peppolID); err != nil {
		return nil, invalid("%s: %s", name, domain.ErrorMessage(err))
	}
	scheme, endpoint, _ := domain.PeppolEndpoint(peppolID)
	out := &party{
		name:           name,
		address:        trimAddress(p.Address),
		org:            strings.Replace(normal, "-", "", 1),
		endpointScheme: scheme,
		endpoint:       endpoint,
		contact: Contact{
			Name:  strings.TrimSpace(p.Contact.Name),
			Phone: strings.TrimSpace(p.Contact.Phone),
			Email: strings.TrimSpace(p.Contact.Email),
		},
	}
	if vat := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(p.VATNumber), " ", "")); vat != "" {
		if !validSwedishVAT(vat) {
			return nil, invalid("%s: momsregistreringsnumret %q ska skrivas SE, organisationsnumrets tio siffror och 01, t.ex. SE232100021401.", name, p.VATNumber)
		}
		out.vat = vat
	}
	if err := checkTexts("Uppgifterna om "+name, name, out.address.Street, out.address.Additional, out.address.PostalCode,
		out.address.City, out.contact.Name, out.contact.Phone, out.contact.Email); err != nil {
		return nil, err
	}
	if len(out.address.Country) != 2 || strings.ToUpper(out.address.Country) != out.address.Country {
		return nil, invalid("%s: landskoden %q ska vara två versaler enligt ISO 3166-1, t.ex. SE.", name, out.address.Country)
	}
	return out, nil
}

// validSwedishVAT reports whether vat is SE, a valid organisation or personal
// identity number's ten digits, and 01.
func validSwedishVAT(vat string) bool {
	if len(vat) != 14 || !strings.HasPrefix(vat, "SE") || !strings.HasSuffix(vat, "01") {
		return false
	}
	return domain.LuhnValid(vat[2:12])
}

func trimAddress(a Address) Address {
	a = Address{
		Street:     strings.TrimSpace(a.Street),
		Additional: strings.TrimSpace(a.Additional),
		PostalCode: strings.TrimSpace(a.PostalCode),
		City:       strings.TrimSpace(a.City),
		Country:    strings.TrimSpace(a.Country),
	}
	if a.Country == "" {
		a.Country = DefaultCountry
	}
	return a
}

// addLines validates the lines and computes the VAT breakdown and totals.
func (n *doc) addLines(d Document) error {
	if len(d.Lines) == 0 {
		return invalid("%s har inga rader.", d.noun())
	}
	seen := map[string]bool{}
	n.outOfScope = true
	for i, l := range d.Lines {
		ln, err := newLine(i+1, l)
		if err != nil {
			return err
		}
		if seen[ln.id] {
			return invalid("Radnumret %s förekommer två gånger.", ln.id)
		}
		seen[ln.id] = true
		if ln.vat != VATOutOfScope {
			n.outOfScope = false
		}
		if err := n.addToSubtotal(ln, l.ExemptionReason); err != nil {
			return err
		}
		n.lines = append(n.lines, ln)
		n.lineTotal = n.lineTotal.Add(ln.amount)
	}
	if !n.outOfScope && slices.ContainsFunc(n.lines, func(l line) bool { return l.vat == VATOutOfScope }) {
		return invalid("Rader utanför momsens tillämpningsområde (kategori O) kan inte blandas med andra momskategorier i samma faktura.")
	}
	for i := range n.subtotals {
		s := &n.subtotals[i]
		s.tax = s.taxable.Mul(s.rate).Div(decimal.NewFromInt(100)).Round(2)
		n.taxTotal = n.taxTotal.Add(s.tax)
	}
	return nil
}

// addToSubtotal adds ln to the VAT breakdown of its category and rate.
func (n *doc) addToSubtotal(ln line, reason string) error {
	reason = strings.TrimSpace(reason)
	code := ""
	switch ln.vat {
	case VATOutOfScope:
		code = OutOfScopeReasonCode
		if reason == "" {
			reason = DefaultOutOfScopeReason
		}
	case VATExempt:
		if reason == "" {
			return invalid("Rad %s är undantagen från moms men saknar skäl till undantaget.", ln.id)
		}
	default:
		if reason != "" {
			return invalid("Rad %s har momskategori %s och kan inte ha ett skäl till momsbefrielse.", ln.id, ln.vat)
		}
	}
	for i := range n.subtotals {
		s := &n.subtotals[i]
		if s.vat == ln.vat && s.rate.Equal(ln.rate) {
			if s.reason != reason {
				return invalid("Raderna i momskategori %s har olika skäl till momsbefrielse; en faktura kan bara ange ett.", ln.vat)
			}
			s.taxable = s.taxable.Add(ln.amount)
			return nil
		}
	}
	n.subtotals = append(n.subtotals, subtotal{vat: ln.vat, rate: ln.rate, taxable: ln.amount, reasonCode: code, reason: reason})
	return nil
}

// newLine validates line number i.
func newLine(i int, l Line) (line, error) {
	ln := line{
		id:          strings.TrimSpace(l.ID),
		name:        strings.TrimSpace(l.Name),
		description: strings.TrimSpace(l.Description),
		period:      l.Period,
		quantity:    l.Quantity,
		price:       l.Price,
		unit:        strings.TrimSpace(l.UnitCode),
		amount:      l.Amount,
		vat:         strings.ToUpper(strings.TrimSpace(l.VAT)),
		rate:        l.VATRate,
	}
	if ln.id == "" {
		ln.id = strconv.Itoa(i)
	}
	if err := checkTexts("Rad "+strconv.Itoa(i), ln.id, ln.name, ln.description, ln.unit); err != nil {
		return line{}, err
	}
	if ln.description == "" {
		return line{}, invalid("Rad %s saknar beskrivning av vad som faktureras.", ln.id)
	}
	if ln.name == "" {
		ln.name, ln.description = ln.description, ""
	}
	if ln.unit == "" {
		ln.unit = DefaultUnitCode
	}
	if ln.quantity.IsZero() {
		ln.quantity = decimal.NewFromInt(1)
	}
	if ln.price.IsZero() && ln.quantity.Equal(decimal.NewFromInt(1)) {
		ln.price = ln.amount.Abs()
		if ln.amount.IsNegative() {
			ln.quantity = decimal.NewFromInt(-1)
		}
	}
	switch {
	case ln.price.IsNegative():
		return line{}, invalid("Rad %s har negativt pris; ange i stället negativt antal.", ln.id)
	case ln.amount.Exponent() < -2 && !ln.amount.Equal(ln.amount.Round(2)):
		return line{}, invalid("Beloppet på rad %s har fler än två decimaler.", ln.id)
	case !ln.quantity.Mul(ln.price).Round(2).Equal(ln.amount):
		return line{}, invalid("Beloppet på rad %s är %s men antal × pris är %s.", ln.id, ln.amount.StringFixed(2), ln.quantity.Mul(ln.price).StringFixed(2))
	case !ln.period.Start.IsZero() && !ln.period.End.IsZero() && ln.period.End.Before(ln.period.Start):
		return line{}, invalid("Perioden på rad %s slutar före den börjar.", ln.id)
	}
	if ln.vat == "" {
		ln.vat = VATOutOfScope
	}
	switch ln.vat {
	case VATStandard:
		if !ln.rate.IsPositive() {
			return line{}, invalid("Rad %s har momskategori S men ingen momssats.", ln.id)
		}
	case VATZero, VATExempt, VATOutOfScope:
		if !ln.rate.IsZero() {
			return line{}, invalid("Rad %s har momskategori %s och kan inte ha momssats %s %%.", ln.id, ln.vat, ln.rate)
		}
	default:
		return line{}, invalid("Momskategorin %q på rad %s stöds inte: välj S, Z, E eller O.", ln.vat, ln.id)
	}
	return ln, nil
}
