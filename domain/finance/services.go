package finance

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// ServiceKind is how a service billed to one party is priced.
type ServiceKind string

// The kinds of service (issue 17, "Services billed to one party").
const (
	// ServiceLedger is billed from the host's ledger: the costs booked on
	// the service's cost object in the chosen months, less what earlier
	// bills of those months billed (serverdrift, Objekt 6663, Åre kommun).
	ServiceLedger ServiceKind = "ledger"
	// ServiceTime is staff time worked for the party: days or hours × a
	// rate, per period (the e-strateg's days for Bräcke kommun).
	ServiceTime ServiceKind = "time"
)

// Label returns the Swedish name of the kind.
func (k ServiceKind) Label() string {
	switch k {
	case ServiceLedger:
		return "Kostnader ur huvudboken (kostnadsobjekt)"
	case ServiceTime:
		return "Arbetstid (dagar eller timmar × pris)"
	}
	return string(k)
}

// Time units of a ServiceTime service.
const (
	UnitDay  = "day"
	UnitHour = "hour"
)

// UnitLabel is the Swedish plural of a time unit, "dagar" or "timmar".
func UnitLabel(unit string) string {
	switch unit {
	case UnitDay:
		return "dagar"
	case UnitHour:
		return "timmar"
	}
	return unit
}

// MaxServiceQuantity bounds the days or hours of one bill.
var MaxServiceQuantity = decimal.NewFromInt(100_000)

// Service is something the committee does for one party alone and bills to
// it, with the decision that allows it. A service is never deleted.
type Service struct {
	ID          int64
	CommitteeID int64
	Kind        ServiceKind
	Name        string
	PartyID     int64
	PartyName   string
	// CostObject is the object in the host's ledger (dimension 1) whose
	// costs a ServiceLedger service bills, e.g. 6663.
	CostObject string
	// Unit (UnitDay or UnitHour) and Rate (kronor per unit) price a
	// ServiceTime service.
	Unit string
	Rate decimal.Decimal
	// Decision names the decision that allows the service ("GNS § 8/2020");
	// ParagraphID is its paragraph when it is in GNS's minutes.
	Decision    string
	ParagraphID int64
	CaseID      int64
	CaseNumber  string
	Description string
	// StartsOn and EndsOn bound the time the decision allows the service
	// ("fram till 2020-06-26"); zero when open.
	StartsOn  domain.Date
	EndsOn    domain.Date
	CreatedAt time.Time
	CreatedBy string
}

// Check checks a new service: its kind, name, party, decision, and the
// cost object of a ledger service or the unit and rate of a time service.
func (s Service) Check() error {
	if err := domain.CheckText("name", "Namnet", s.Name, 200); err != nil {
		return err
	}
	if strings.TrimSpace(s.Name) == "" {
		return domain.FieldErrorf("name", "Ge tjänsten ett namn, t.ex. ”Serverdrift Åre kommun”.")
	}
	if s.PartyID == 0 {
		return domain.FieldErrorf("party", "Välj den part som tjänsten faktureras.")
	}
	if err := domain.CheckText("decision", "Beslutet", s.Decision, 200); err != nil {
		return err
	}
	if strings.TrimSpace(s.Decision) == "" && s.ParagraphID == 0 {
		return domain.FieldErrorf("decision", "Ange beslutet som medger tjänsten, t.ex. ”GNS § 8/2020”.")
	}
	if err := domain.CheckText("description", "Beskrivningen", s.Description, 2000); err != nil {
		return err
	}
	if !s.StartsOn.IsZero() && !s.EndsOn.IsZero() && s.EndsOn.Before(s.StartsOn) {
		return domain.FieldErrorf("ends_on", "Slutdagen %s ligger före startdagen %s.", s.EndsOn, s.StartsOn)
	}
	switch s.Kind {
	case ServiceLedger:
		if err := domain.CheckText("cost_object", "Kostnadsobjektet", s.CostObject, 40); err != nil {
			return err
		}
		if strings.TrimSpace(s.CostObject) == "" || strings.ContainsAny(s.CostObject, " \t\"{}") {
			return domain.FieldErrorf("cost_object", "Ange kostnadsobjektet i värdens huvudbok, t.ex. 6663.")
		}
	case ServiceTime:
		if s.Unit != UnitDay && s.Unit != UnitHour {
			return domain.FieldErrorf("unit", "Välj om tiden räknas i dagar eller timmar.")
		}
		if !s.Rate.IsPositive() {
			return domain.FieldErrorf("rate", "Ange ett pris per %s som är större än noll.", strings.TrimSuffix(UnitLabel(s.Unit), "ar"))
		}
		if err := CheckAmount("rate", s.Rate); err != nil {
			return err
		}
	default:
		return domain.FieldErrorf("kind", "Välj hur tjänsten prissätts: kostnader ur huvudboken eller arbetstid.")
	}
	return nil
}

// Basis says in words how the service is priced: "kostnadsobjekt 6663" or
// "4 000,00 kr per dag".
func (s Service) Basis() string {
	if s.Kind == ServiceLedger {
		return "kostnadsobjekt " + s.CostObject
	}
	per := "dag"
	if s.Unit == UnitHour {
		per = "timme"
	}
	return sv.Kronor(s.Rate) + " per " + per
}

// ServiceBill is one billing of a service for the months From–To: what made
// its amount and the direct allocation it became, which the ordinary
// invoicing issues. A bill never changes.
type ServiceBill struct {
	ID        int64
	ServiceID int64
	From, To  Period
	// Costs are the costs the ledger held on the cost object for the
	// months, and Earlier what earlier bills inside the months billed
	// (ServiceLedger).
	Costs, Earlier decimal.Decimal
	// Quantity is the days or hours billed (ServiceTime).
	Quantity     decimal.NullDecimal
	Amount       decimal.Decimal
	Note         string
	AllocationID int64
	// Invoiced reports whether the allocation has been invoiced.
	Invoiced  bool
	CreatedAt time.Time
	CreatedBy string
}

// Span writes the bill's months, "2020-01 – 2020-08" or "2020-05".
func (b ServiceBill) Span() string { return PeriodSpan(b.From, b.To) }

// PeriodSpan writes the months from–to, "2020-01 – 2020-08" or "2020-05".
func PeriodSpan(from, to Period) string {
	if from == to {
		return from.String()
	}
	return from.String() + " – " + to.String()
}

// ServiceCost is one account's costs on a service's cost object over the
// bill's months, in report signs (a cost positive).
type ServiceCost struct {
	Account string
	RowName string
	Amount  decimal.Decimal
}

// ServiceBillPlan is what billing a service for a period will make, shown
// before anything is saved: the costs per account (or the quantity × the
// rate), the earlier bills inside the period, the months without ledger, and
// the amount.
type ServiceBillPlan struct {
	Service  Service
	From, To Period
	Costs    []ServiceCost
	// CostTotal sums Costs.
	CostTotal decimal.Decimal
	// Earlier are the bills of the service whose months lie inside the
	// period; EarlierTotal sums their amounts.
	Earlier      []ServiceBill
	EarlierTotal decimal.Decimal
	// Missing are the period's months without an import of the ledger in
	// force: billing them is refused.
	Missing  []Period
	Quantity decimal.NullDecimal
	Amount   decimal.Decimal
	Note     string
}

// checkBillPeriod checks the months of a bill: valid, in order, within one
// year (an invoice concerns one budget year) and inside the dates the
// decision allows.
func checkBillPeriod(s Service, from, to Period) error {
	switch {
	case !from.Valid():
		return domain.FieldErrorf("from", "Ange första månaden som ÅÅÅÅ-MM, t.ex. 2020-01.")
	case !to.Valid():
		return domain.FieldErrorf("to", "Ange sista månaden som ÅÅÅÅ-MM, t.ex. 2020-08.")
	case to.Before(from):
		return domain.FieldErrorf("to", "Sista månaden %s ligger före första månaden %s.", to, from)
	case from.Year != to.Year:
		return domain.FieldErrorf("to", "Ett underlag gäller ett år i taget: %s och %s ligger i olika år.", from, to)
	}
	if !s.StartsOn.IsZero() && to.LastDay().Before(s.StartsOn) {
		return domain.FieldErrorf("from", "Beslutet medger tjänsten från %s; perioden %s ligger före.", s.StartsOn, PeriodSpan(from, to))
	}
	if !s.EndsOn.IsZero() && from.Int() > (Period{Year: s.EndsOn.Year, Month: s.EndsOn.Month}).Int() {
		return domain.FieldErrorf("to", "Beslutet medger tjänsten till och med %s; perioden %s ligger efter.", s.EndsOn, PeriodSpan(from, to))
	}
	return nil
}

// earlierInside returns the bills whose months lie inside from–to, and
// refuses a bill that straddles the period's edge (part inside, part out),
// for what it billed cannot be split by month. For a time service any
// overlap is refused: time is billed once.
func earlierInside(s Service, from, to Period, bills []ServiceBill) ([]ServiceBill, decimal.Decimal, error) {
	var inside []ServiceBill
	sum := decimal.Zero
	for _, b := range bills {
		if b.To.Before(from) || to.Before(b.From) {
			continue
		}
		if s.Kind == ServiceTime {
			return nil, decimal.Zero, domain.FieldErrorf("from", "Tiden %s är redan fakturerad (underlag %d); arbetstid faktureras en gång. Välj månader efter.", b.Span(), b.ID)
		}
		if b.From.Before(from) || to.Before(b.To) {
			return nil, decimal.Zero, domain.FieldErrorf("from", "Underlag %d gäller %s, som delvis ligger utanför %s. Välj en period som rymmer hela det tidigare underlaget, eller månader efter det.", b.ID, b.Span(), PeriodSpan(from, to))
		}
		inside = append(inside, b)
		sum = sum.Add(b.Amount)
	}
	return inside, sum, nil
}

// PlanLedgerBill works out a ledger service's bill for from–to: the costs
// booked on its cost object in those months (costs, per account, report
// signs), less what the earlier bills inside the months billed. Months of
// the period without an import in force (covered lists those with one) are
// listed in Missing and refused, and so is an amount of zero.
func PlanLedgerBill(s Service, from, to Period, costs []ServiceCost, covered []Period, earlier []ServiceBill) (ServiceBillPlan, error) {
	if s.Kind != ServiceLedger {
		return ServiceBillPlan{}, domain.Errorf(domain.EINVALID, "Tjänsten faktureras efter arbetstid, inte ur huvudboken.")
	}
	if err := checkBillPeriod(s, from, to); err != nil {
		return ServiceBillPlan{}, err
	}
	p := ServiceBillPlan{Service: s, From: from, To: to, Costs: costs, CostTotal: decimal.Zero}
	for _, c := range costs {
		p.CostTotal = p.CostTotal.Add(c.Amount)
	}
	have := map[Period]bool{}
	for _, c := range covered {
		have[c] = true
	}
	for _, m := range from.Months(to) {
		if !have[m] {
			p.Missing = append(p.Missing, m)
		}
	}
	var err error
	if p.Earlier, p.EarlierTotal, err = earlierInside(s, from, to, earlier); err != nil {
		return ServiceBillPlan{}, err
	}
	p.Amount = p.CostTotal.Sub(p.EarlierTotal)
	return p, p.Err()
}

// PlanTimeBill works out a time service's bill for from–to: quantity days
// or hours × the rate, rounded to the öre. Months already billed are
// refused.
func PlanTimeBill(s Service, from, to Period, quantity decimal.Decimal, earlier []ServiceBill) (ServiceBillPlan, error) {
	if s.Kind != ServiceTime {
		return ServiceBillPlan{}, domain.Errorf(domain.EINVALID, "Tjänsten faktureras ur huvudboken, inte efter arbetstid.")
	}
	if err := checkBillPeriod(s, from, to); err != nil {
		return ServiceBillPlan{}, err
	}
	if !quantity.IsPositive() || quantity.GreaterThan(MaxServiceQuantity) {
		return ServiceBillPlan{}, domain.FieldErrorf("quantity", "Ange antalet %s, större än noll.", UnitLabel(s.Unit))
	}
	if !quantity.Shift(2).IsInteger() {
		return ServiceBillPlan{}, domain.FieldErrorf("quantity", "Ange antalet %s med högst två decimaler.", UnitLabel(s.Unit))
	}
	if _, _, err := earlierInside(s, from, to, earlier); err != nil {
		return ServiceBillPlan{}, err
	}
	p := ServiceBillPlan{Service: s, From: from, To: to, CostTotal: decimal.Zero, EarlierTotal: decimal.Zero,
		Quantity: decimal.NullDecimal{Decimal: quantity, Valid: true}}
	p.Amount = quantity.Mul(s.Rate).Round(2)
	return p, p.Err()
}

// Err returns what stops the plan from being billed: months without ledger,
// or nothing to bill.
func (p ServiceBillPlan) Err() error {
	if len(p.Missing) > 0 {
		return domain.Errorf(domain.ECONFLICT, "Huvudboken saknar utfall för %s: importera utfallet först, annars faktureras för lite.", JoinPeriods(p.Missing))
	}
	if p.Amount.IsZero() {
		return domain.Errorf(domain.ECONFLICT, "Det finns inget att fakturera för %s: kostnaderna %s är redan fakturerade.", PeriodSpan(p.From, p.To), sv.Kronor(p.CostTotal))
	}
	return CheckAmount("amount", p.Amount)
}

// Fingerprint identifies the plan's content, so that the confirm step
// bills exactly what was previewed.
func (p ServiceBillPlan) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%s", p.Service.ID, p.From, p.To, p.CostTotal.StringFixed(2), p.EarlierTotal.StringFixed(2), p.Amount.StringFixed(2))
	for _, e := range p.Earlier {
		fmt.Fprintf(&b, "|%d", e.ID)
	}
	return fmt.Sprintf("%x", sha256.Sum256([]byte(b.String())))[:20]
}

// Title is the heading of the bill's allocation and the start of its
// invoice line: "Serverdrift Åre kommun 2020-01 – 2020-08" or, for time,
// "E-strateg för Bräcke kommun 2020-02 – 2020-06, 45 dagar à 4 000,00 kr".
func (p ServiceBillPlan) Title() string {
	t := p.Service.Name + " " + PeriodSpan(p.From, p.To)
	if p.Quantity.Valid {
		t += fmt.Sprintf(", %s %s à %s", sv.Exact(p.Quantity.Decimal, 0), UnitLabel(p.Service.Unit), sv.Kronor(p.Service.Rate))
	}
	if p.EarlierTotal.IsPositive() || p.EarlierTotal.IsNegative() {
		t += fmt.Sprintf(", kostnader %s minus tidigare fakturerat %s", sv.Kronor(p.CostTotal), sv.Kronor(p.EarlierTotal))
	}
	return t
}

// Allocation is the direct allocation the plan becomes: the whole amount to
// the service's party (party, from the committee's members), of kind
// direct, with the service's cost object, decision and case, the budget
// year of the months and the months as the invoice period. A negative
// amount (costs corrected down after an earlier bill) becomes a credit
// note.
func (p ServiceBillPlan) Allocation(party domain.MemberParty) Allocation {
	return Allocation{
		CommitteeID: p.Service.CommitteeID, Kind: AllocationDirect, Title: p.Title(), Method: "direct", Unit: "ore",
		Total: p.Amount, BudgetYear: p.From.Year, CostObject: p.Service.CostObject,
		CaseID: p.Service.CaseID, CaseNumber: p.Service.CaseNumber, ParagraphID: p.Service.ParagraphID, Decision: p.Service.Decision,
		PeriodStart: domain.Date{Year: p.From.Year, Month: p.From.Month, Day: 1}, PeriodEnd: p.To.LastDay(),
		Shares: []AllocationShare{{PartyID: party.ID, PartyName: party.Name, Position: party.Membership.Position, Host: party.Host,
			Amount: p.Amount, Quota: p.Amount, Weight: decimal.NewFromInt(1), WeightKind: "direct"}},
	}
}
