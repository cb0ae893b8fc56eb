package finance

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// testSettings are the seller of the demo committee.
func testSettings() InvoiceSettings {
	s := NewInvoiceSettings(1, &domain.Party{Name: "Region Jämtland Härjedalen", OrgNumber: "232100-0214",
		PartyDetails: domain.PartyDetails{Address: "Box 654\n831 27 Östersund", PeppolID: "0007:2321000214"}})
	s.Bankgiro, s.ContributionAccount, s.InternalAccount = "5050-1055", "3540", "4950"
	return s
}

// nineParties are a committee of nine, the host first; Bräcke (id 6) has no
// organisation number, Peppol id or reference.
func nineParties() map[int64]domain.Party {
	names := []string{"Region Jämtland Härjedalen", "Östersunds kommun", "Åre kommun", "Krokoms kommun", "Bergs kommun",
		"Bräcke kommun", "Ragunda kommun", "Strömsunds kommun", "Härjedalens kommun"}
	out := map[int64]domain.Party{}
	for i, n := range names {
		p := domain.Party{ID: int64(i + 1), Name: n, PartyDetails: domain.PartyDetails{Address: "Box " + string(rune('1'+i)) + "\n831 82 Östersund"}}
		if n != "Bräcke kommun" {
			p.OrgNumber, p.PeppolID, p.InvoiceReference = "212000-2528", "0007:2120002528", "KS-"+n[:3]
		}
		out[p.ID] = p
	}
	return out
}

// equalSplit is an allocation of total in nine equal shares, the host's first.
func equalSplit(kind AllocationKind, total string, shares ...string) Allocation {
	a := Allocation{ID: 7, CommitteeID: 1, Kind: kind, Title: "Basfinansiering 2021", Method: "equal", Unit: "ore",
		Total: dec(total), BudgetYear: 2021, CaseNumber: "GNS/8/2020", Decision: "GNS § 42/2020"}
	for i := range 9 {
		amount := shares[len(shares)-1]
		if i < len(shares) {
			amount = shares[i]
		}
		a.Shares = append(a.Shares, AllocationShare{PartyID: int64(i + 1), PartyName: nineParties()[int64(i+1)].Name,
			Position: i + 1, Host: i == 0, Amount: dec(amount), WeightKind: "equal", Weight: decimal.NewFromInt(1)})
	}
	return a
}

func TestInvoiceNumberAndOCR(t *testing.T) {
	t.Parallel()
	if got := InvoiceNumber("GNS", 2021, 1); got != "GNS-2021-0001" {
		t.Errorf("InvoiceNumber = %q", got)
	}
	if got := InvoiceNumber("GNS", 2021, 12345); got != "GNS-2021-12345" {
		t.Errorf("InvoiceNumber past 9999 = %q", got)
	}
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"GNS-2021-0001", "GNS-2021-0001", true},
		{" gns-2021-0042 ", "GNS-2021-0042", true},
		{"GNS-2021-1", "GNS-2021-1", false},
		{"GNS/2021/0001", "GNS/2021/0001", false},
		{"GNS-2021-0001.pdf", "GNS-2021-0001.PDF", false},
		{"", "", false},
	} {
		got, ok := NormalizeInvoiceNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeInvoiceNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		prefix      string
		lengthDigit bool
		want        string
	}{
		{"", true, "2021000100"},
		{"", false, "202100012"},
		{"12", true, "122021000122"},
	} {
		got, err := InvoiceOCR(tt.prefix, 2021, 1, tt.lengthDigit)
		if err != nil || got != tt.want || !ValidOCR(got, tt.lengthDigit) {
			t.Errorf("InvoiceOCR(%q, 2021, 1, %v) = %q, %v; want %q", tt.prefix, tt.lengthDigit, got, err, tt.want)
		}
	}
}

func TestInvoiceDueDate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind  AllocationKind
		year  int
		issue string
		want  string
	}{
		{AllocationBaseFunding, 2021, "2021-01-04", "2021-01-31"},
		{AllocationBaseFunding, 2021, "2020-12-15", "2021-01-31"},
		{AllocationBaseFunding, 2021, "2021-01-21", "2021-01-31"}, // exactly ten days left
		{AllocationBaseFunding, 2021, "2021-01-22", "2021-02-21"}, // too late for January
		{AllocationBaseFunding, 2021, "2021-03-01", "2021-03-31"},
		{AllocationBaseFunding, 0, "2021-01-04", "2021-02-03"},
		{AllocationProject, 2021, "2021-01-04", "2021-02-03"},
		{AllocationRefund, 2021, "2021-01-04", "2021-02-03"},
	} {
		if got := InvoiceDueDate(tt.kind, tt.year, domain.MustDate(tt.issue), 30); got != domain.MustDate(tt.want) {
			t.Errorf("InvoiceDueDate(%s, %d, %s) = %s, want %s", tt.kind, tt.year, tt.issue, got, tt.want)
		}
	}
}

func TestInvoiceLineText(t *testing.T) {
	t.Parallel()
	base := equalSplit(AllocationBaseFunding, "914400", "101600")
	if got, want := InvoiceLineText(base, base.Shares[5]), "Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020"; got != want {
		t.Errorf("base funding: %q, want %q", got, want)
	}
	project := Allocation{Title: "Digital transformation", Decision: "GNS § 12/2021", Shares: []AllocationShare{
		{WeightKind: "host_share", Weight: dec("50")},
		{WeightKind: "population", Population: 6181, PopulationDate: domain.MustDate("2020-12-31")},
		{WeightKind: "population", Population: 63985, PopulationDate: domain.MustDate("2020-12-31")},
	}}
	if got, want := InvoiceLineText(project, project.Shares[1]), "Digital transformation, efter invånarantal, 6\u00a0181 av 70\u00a0166 invånare per 2020-12-31, enligt beslut GNS § 12/2021"; got != want {
		t.Errorf("population: %q, want %q", got, want)
	}
	if got := InvoiceLineText(project, project.Shares[0]); !strings.Contains(got, "värdpartens fasta andel 50\u00a0%") {
		t.Errorf("host share: %q", got)
	}
	// With the host's share on the allocation, the line says what part of
	// the amount the population split shares.
	project.HostShare, project.Total = decimal.NewNullDecimal(dec("50")), dec("250000")
	if got, want := InvoiceLineText(project, project.Shares[2]), "Digital transformation, 50\u00a0% av beloppet, 125\u00a0000,00\u00a0kr, fördelat efter invånarantal: 63\u00a0985 av 70\u00a0166 invånare per 2020-12-31, enligt beslut GNS § 12/2021"; got != want {
		t.Errorf("population beside a host share: %q, want %q", got, want)
	}
	direct := Allocation{Title: "Serverdrift 2021", CostObject: "6663", Decision: "GNS § 3/2021", Shares: []AllocationShare{{WeightKind: "direct"}}}
	if got, want := InvoiceLineText(direct, direct.Shares[0]), "Serverdrift 2021, direktdebitering, kostnadsobjekt 6663, enligt beslut GNS § 3/2021"; got != want {
		t.Errorf("direct: %q, want %q", got, want)
	}
	percent := Allocation{Title: "Licenser", Decision: "GNS § 4/2021", Shares: []AllocationShare{{WeightKind: "percent", Weight: dec("23.97")}}}
	if got := InvoiceLineText(percent, percent.Shares[0]); !strings.Contains(got, "fördelningsnyckel 23,97\u00a0%") {
		t.Errorf("percent: %q", got)
	}
}

func TestSplitAddress(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in           string
		lines        string
		postal, town string
	}{
		{"Box 654\n831 27 Östersund", "Box 654", "831 27", "Östersund"},
		{"Rådhusgatan 42\r\n83182  Östersund\n", "Rådhusgatan 42", "831 82", "Östersund"},
		{"Kommunhuset\nBox 190\n840 60 Bräcke", "Kommunhuset|Box 190", "840 60", "Bräcke"},
		{"Bräcke", "", "", "Bräcke"},
		{"", "", "", ""},
	} {
		lines, postal, town := SplitAddress(tt.in)
		if strings.Join(lines, "|") != tt.lines || postal != tt.postal || town != tt.town {
			t.Errorf("SplitAddress(%q) = %q, %q, %q", tt.in, lines, postal, town)
		}
	}
}

func TestInvoiceSettingsNormalize(t *testing.T) {
	t.Parallel()
	s := testSettings()
	s.VATNumber = " se 232100021401 "
	if err := s.Normalize(); err != nil {
		t.Fatalf("the demo seller: %v", err)
	}
	if s.VATNumber != "SE232100021401" || s.VATExemptionReason != DefaultOutOfScopeReason || s.PaymentTermsDays != 30 {
		t.Errorf("normalised: %+v", s)
	}
	for _, tt := range []struct {
		field  string
		change func(*InvoiceSettings)
	}{
		{"seller_name", func(s *InvoiceSettings) { s.Name = " " }},
		{"seller_address", func(s *InvoiceSettings) { s.Address = "Östersund" }},
		{"seller_org_number", func(s *InvoiceSettings) { s.OrgNumber = "232100-0215" }},
		{"seller_vat_number", func(s *InvoiceSettings) { s.VATNumber = "SE212000252801" }},
		{"seller_peppol_id", func(s *InvoiceSettings) { s.PeppolID = "9999:123" }},
		{"bankgiro", func(s *InvoiceSettings) { s.Bankgiro = "5050-1056" }},
		{"bankgiro", func(s *InvoiceSettings) { s.Bankgiro = "50501055" }},
		{"contact_email", func(s *InvoiceSettings) { s.ContactEmail = "inte en adress" }},
		{"payment_terms_days", func(s *InvoiceSettings) { s.PaymentTermsDays = 0 }},
		{"payment_terms_days", func(s *InvoiceSettings) { s.PaymentTermsDays = 400 }},
		{"ocr_prefix", func(s *InvoiceSettings) { s.OCRPrefix = "12a" }},
		{"ocr_prefix", func(s *InvoiceSettings) { s.OCRPrefix = "1234567" }},
		{"vat_category", func(s *InvoiceSettings) { s.VATCategory = "S" }},
		{"vat_exemption_reason", func(s *InvoiceSettings) { s.VATCategory, s.VATExemptionReason = "E", "" }},
		{"receivable_account", func(s *InvoiceSettings) { s.ReceivableAccount = "15" }},
		{"contribution_account", func(s *InvoiceSettings) { s.ContributionAccount = "" }},
		{"internal_account", func(s *InvoiceSettings) { s.InternalAccount = "49x0" }},
	} {
		s := testSettings()
		tt.change(&s)
		err := s.Normalize()
		var e *domain.Error
		if err == nil || !asErr(err, &e) || e.Field != tt.field || e.Code != domain.EINVALID {
			t.Errorf("%s: error %v, want a field error on %s", tt.field, err, tt.field)
		}
	}
}

func asErr(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*target = e
	return ok
}

func TestPlanRunBaseFunding(t *testing.T) {
	t.Parallel()
	a := equalSplit(AllocationBaseFunding, "914400", "101600")
	p, err := PlanRun(a, nineParties(), testSettings(), domain.MustDate("2021-01-04"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Invoices() != 8 || p.CreditNotes() != 0 || len(p.Transfers) != 1 || p.Err() != nil {
		t.Fatalf("plan: %d invoices, %d credit notes, %d transfers, %v", p.Invoices(), p.CreditNotes(), len(p.Transfers), p.Err())
	}
	if tr := p.Transfers[0]; tr.PartyName != "Region Jämtland Härjedalen" || tr.Amount.String() != "101600" {
		t.Errorf("transfer = %+v", tr)
	}
	d := p.Documents[4] // Bräcke
	if d.Buyer.Name != "Bräcke kommun" || d.Amount.String() != "101600" || d.DueDate != domain.MustDate("2021-01-31") ||
		d.PeriodStart != domain.MustDate("2021-01-01") || d.PeriodEnd != domain.MustDate("2021-12-31") || d.VATCategory != "O" ||
		d.LineText != "Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020" || d.Seller.Bankgiro != "5050-1055" {
		t.Errorf("Bräcke's invoice = %+v", d)
	}
	if len(p.PDFOnly) != 1 || p.PDFOnly[0].Party != "Bräcke kommun" || strings.Join(p.PDFOnly[0].Missing, ",") != "organisationsnummer,Peppol-id,fakturareferens" {
		t.Errorf("PDF only = %+v", p.PDFOnly)
	}
	sum := decimal.Zero
	for _, d := range p.Documents {
		sum = sum.Add(d.Signed())
	}
	if !sum.Add(p.Transfers[0].Amount).Equal(a.Total) {
		t.Errorf("documents and transfer sum to %s, want %s", sum, a.Total)
	}
	// The fingerprint follows the content.
	again, _ := PlanRun(a, nineParties(), testSettings(), domain.MustDate("2021-01-04"))
	parties := nineParties()
	bracke := parties[6]
	bracke.Address = "Box 190\n840 60 Bräcke"
	parties[6] = bracke
	changed, _ := PlanRun(a, parties, testSettings(), domain.MustDate("2021-01-04"))
	if p.Fingerprint() != again.Fingerprint() || p.Fingerprint() == changed.Fingerprint() {
		t.Error("the fingerprint does not follow the plan's content")
	}
}

func TestPlanRunRefund(t *testing.T) {
	t.Parallel()
	a := equalSplit(AllocationRefund, "-468091", "-52010.12", "-52010.11")
	a.Title, a.Decision, a.CaseNumber = "Återbetalning av återstående medel från 2018 och 2019", "GNS § 44/2020", "GNS/2/2020"
	p, err := PlanRun(a, nineParties(), testSettings(), domain.MustDate("2021-01-04"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Invoices() != 0 || p.CreditNotes() != 8 || p.Transfers[0].Amount.String() != "-52010.12" {
		t.Fatalf("refund plan: %d invoices, %d credit notes, transfer %s", p.Invoices(), p.CreditNotes(), p.Transfers[0].Amount)
	}
	d := p.Documents[0]
	if d.Amount.String() != "52010.11" || !d.Refund() || d.Signed().String() != "-52010.11" || d.DueDate != domain.MustDate("2021-02-03") || d.CaseNumber != "GNS/2/2020" {
		t.Errorf("credit note = %+v", d)
	}
}

func TestPlanRunRefuses(t *testing.T) {
	t.Parallel()
	noAddress := nineParties()
	for _, id := range []int64{3, 6} {
		p := noAddress[id]
		p.Address = " "
		noAddress[id] = p
	}
	bad := testSettings()
	bad.Bankgiro = ""
	for _, tt := range []struct {
		name    string
		change  func(*Allocation)
		parties map[int64]domain.Party
		s       InvoiceSettings
		issue   string
		code    string
		want    string
	}{
		{"superseded", func(a *Allocation) { a.SupersededByID = 8 }, nil, testSettings(), "2021-01-04", domain.ECONFLICT, "ersatt av fördelning 8"},
		{"no decision", func(a *Allocation) { a.Decision = "" }, nil, testSettings(), "2021-01-04", domain.ECONFLICT, "förslag utan beslut"},
		{"does not sum", func(a *Allocation) { a.Shares[3].Amount = dec("101599.99") }, nil, testSettings(), "2021-01-04", domain.EINVALID, "summerar till 914\u00a0399,99\u00a0kr"},
		{"sub-öre share", func(a *Allocation) {
			a.Shares[1].Amount, a.Shares[2].Amount = dec("101600.005"), dec("101599.995")
		}, nil, testSettings(), "2021-01-04", domain.EINVALID, "bråkdelar av ett öre"},
		{"unknown party", func(a *Allocation) { a.Shares[8].PartyID = 99 }, nil, testSettings(), "2021-01-04", domain.EINVALID, "finns inte i partsregistret"},
		{"no issue date", func(*Allocation) {}, nil, testSettings(), "", domain.EINVALID, "fakturadatum"},
		{"incomplete settings", func(*Allocation) {}, nil, bad, "2021-01-04", domain.ECONFLICT, "ofullständiga"},
		{"all zero", func(a *Allocation) {
			a.Total = decimal.Zero
			for i := range a.Shares {
				a.Shares[i].Amount = decimal.Zero
			}
		}, nil, testSettings(), "2021-01-04", domain.EINVALID, "inget att fakturera"},
	} {
		a := equalSplit(AllocationBaseFunding, "914400", "101600")
		tt.change(&a)
		parties := tt.parties
		if parties == nil {
			parties = nineParties()
		}
		var issue domain.Date
		if tt.issue != "" {
			issue = domain.MustDate(tt.issue)
		}
		_, err := PlanRun(a, parties, tt.s, issue)
		if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.want) {
			t.Errorf("%s: %v, want %s with %q", tt.name, err, tt.code, tt.want)
		}
	}
	// A party without an address stops the run and is named.
	p, err := PlanRun(equalSplit(AllocationBaseFunding, "914400", "101600"), noAddress, testSettings(), domain.MustDate("2021-01-04"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Err(); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "Åre kommun och Bräcke kommun saknar adress") {
		t.Errorf("plan without addresses: %v", err)
	}
}

func issuedInvoice() Invoice {
	return Invoice{ID: 3, Number: "GNS-2021-0003", Kind: InvoiceKindInvoice, PartyID: 6, Amount: dec("101600"),
		IssueDate: domain.MustDate("2021-01-04"), DueDate: domain.MustDate("2021-01-31"), Paid: decimal.Zero, Credited: decimal.Zero,
		Buyer: InvoiceBuyer{Name: "Bräcke kommun"}, VATCategory: "O"}
}

func TestInvoiceStatus(t *testing.T) {
	t.Parallel()
	sent := time.Date(2021, 1, 5, 8, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		change  func(*Invoice)
		want    InvoiceStatus
		label   string
		overdue bool
	}{
		{"new", func(*Invoice) {}, InvoiceIssued, "Utfärdad", true},
		{"sent", func(i *Invoice) { i.SentAt = sent }, InvoiceSent, "Skickad", true},
		{"partly paid", func(i *Invoice) { i.SentAt, i.Paid = sent, dec("50000") }, InvoicePartlyPaid, "Delvis betald", true},
		{"paid", func(i *Invoice) { i.Paid = dec("101600") }, InvoicePaid, "Betald", false},
		{"paid and credited", func(i *Invoice) { i.Paid, i.Credited = dec("100000"), dec("1600") }, InvoicePaid, "Betald", false},
		{"credited", func(i *Invoice) { i.Credited = dec("101600") }, InvoiceCredited, "Krediterad", false},
		{"refund paid out", func(i *Invoice) { i.Kind, i.Paid = InvoiceKindCreditNote, dec("101600") }, InvoicePaid, "Utbetald", false},
		{"correction", func(i *Invoice) { i.Kind, i.CreditsInvoiceID, i.DueDate = InvoiceKindCreditNote, 1, domain.Date{} }, InvoiceIssued, "Utfärdad", false},
	} {
		inv := issuedInvoice()
		tt.change(&inv)
		if got := inv.Status(); got != tt.want || inv.StatusLabel() != tt.label || inv.Overdue(domain.MustDate("2021-02-01")) != tt.overdue {
			t.Errorf("%s: %s (%s), overdue %v; want %s (%s), %v", tt.name, got, inv.StatusLabel(), inv.Overdue(domain.MustDate("2021-02-01")), tt.want, tt.label, tt.overdue)
		}
		if inv.Overdue(domain.MustDate("2021-01-31")) {
			t.Errorf("%s: overdue on the due date itself", tt.name)
		}
	}
}

func TestPlanCredit(t *testing.T) {
	t.Parallel()
	inv := issuedInvoice()
	inv.Paid = dec("100000")
	cn, err := PlanCredit(inv, dec("1600"), "Fel belopp ", testSettings(), domain.MustDate("2021-02-01"))
	if err != nil {
		t.Fatal(err)
	}
	if cn.Kind != InvoiceKindCreditNote || !cn.Corrects() || cn.CreditsNumber != "GNS-2021-0003" || cn.CreditsIssueDate != inv.IssueDate ||
		cn.LineText != "Kreditering av faktura GNS-2021-0003: Fel belopp" || !cn.DueDate.IsZero() || cn.Open().Sign() != 0 {
		t.Errorf("credit note = %+v", cn)
	}
	for _, tt := range []struct {
		name   string
		inv    func(*Invoice)
		amount string
		reason string
		issue  string
		field  string
		want   string
	}{
		{"more than open", nil, "1600.01", "Fel", "2021-02-01", "amount", "högst det obetalda beloppet 1\u00a0600,00\u00a0kr"},
		{"negative", nil, "-5", "Fel", "2021-02-01", "amount", "större än noll"},
		{"zero", nil, "0", "Fel", "2021-02-01", "amount", "större än noll"},
		{"sub-öre", nil, "0.001", "Fel", "2021-02-01", "amount", "två decimaler"},
		{"no reason", nil, "100", " ", "2021-02-01", "reason", "varför"},
		{"before the invoice", nil, "100", "Fel", "2020-12-31", "issue_date", "före fakturan"},
		{"a credit note", func(i *Invoice) { i.Kind = InvoiceKindCreditNote }, "100", "Fel", "2021-02-01", "", "bara fakturor"},
		{"fully paid", func(i *Invoice) { i.Paid = dec("101600") }, "100", "Fel", "2021-02-01", "", "inget obetalt"},
	} {
		inv := issuedInvoice()
		inv.Paid = dec("100000")
		if tt.inv != nil {
			tt.inv(&inv)
		}
		_, err := PlanCredit(inv, dec(tt.amount), tt.reason, testSettings(), domain.MustDate(tt.issue))
		var e *domain.Error
		if !asErr(err, &e) || e.Field != tt.field || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s: %v, want field %q with %q", tt.name, err, tt.field, tt.want)
		}
	}
}

func TestCheckPayment(t *testing.T) {
	t.Parallel()
	today := domain.MustDate("2021-02-10")
	inv := issuedInvoice()
	inv.Paid = dec("1600")
	if err := CheckPayment(inv, Payment{Amount: dec("100000"), PaidOn: domain.MustDate("2021-01-29")}, today); err != nil {
		t.Errorf("paying the rest: %v", err)
	}
	for _, tt := range []struct {
		name   string
		inv    func(*Invoice)
		amount string
		on     string
		field  string
		want   string
	}{
		{"larger than open", nil, "100000.01", "2021-01-29", "amount", "större än det som återstår, 100\u00a0000,00\u00a0kr"},
		{"negative", nil, "-100", "2021-01-29", "amount", "negativt"},
		{"zero", nil, "0", "2021-01-29", "amount", "större än noll"},
		{"sub-öre", nil, "1.005", "2021-01-29", "amount", "två decimaler"},
		{"before the invoice", nil, "100", "2021-01-03", "paid_on", "före fakturadatum"},
		{"in the future", nil, "100", "2021-02-11", "paid_on", "senare än i dag"},
		{"no date", nil, "100", "", "paid_on", "betalningsdagen"},
		{"correction credit note", func(i *Invoice) {
			i.Kind, i.CreditsInvoiceID, i.CreditsNumber = InvoiceKindCreditNote, 1, "GNS-2021-0001"
		}, "100", "2021-01-29", "", "avräknas mot faktura GNS-2021-0001"},
		{"credited", func(i *Invoice) { i.Paid, i.Credited = decimal.Zero, dec("101600") }, "100", "2021-01-29", "", "inget obetalt"},
	} {
		inv := issuedInvoice()
		inv.Paid = dec("1600")
		if tt.inv != nil {
			tt.inv(&inv)
		}
		var on domain.Date
		if tt.on != "" {
			on = domain.MustDate(tt.on)
		}
		err := CheckPayment(inv, Payment{Amount: dec(tt.amount), PaidOn: on}, today)
		var e *domain.Error
		if !asErr(err, &e) || e.Field != tt.field || !strings.Contains(strings.ToLower(e.Message), strings.ToLower(tt.want)) {
			t.Errorf("%s: %v, want field %q with %q", tt.name, err, tt.field, tt.want)
		}
	}
}

func TestInvoiceFilterMatch(t *testing.T) {
	t.Parallel()
	inv := issuedInvoice()
	today := domain.MustDate("2021-02-01")
	if !(InvoiceFilter{}).Match(inv) || !(InvoiceFilter{Status: InvoiceIssued, Overdue: true, Today: today}).Match(inv) {
		t.Error("an unpaid invoice past its due date is not matched")
	}
	if (InvoiceFilter{Status: InvoicePaid}).Match(inv) || (InvoiceFilter{Overdue: true, Today: domain.MustDate("2021-01-15")}).Match(inv) {
		t.Error("the filter matches what it should not")
	}
}
