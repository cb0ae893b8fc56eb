package finance

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// IndexRule is how the committee decided a year's base contribution from
// the previous year's (uppräkning).
type IndexRule string

// The rules of an uppräkning decision.
const (
	// IndexByIndex raises the previous year's base contribution by an index
	// the committee names, such as PKV (prisindex för kommunal verksamhet).
	IndexByIndex IndexRule = "index"
	// IndexUnchanged keeps it as it was ("Ingen uppräkning har skett inför
	// budget 2021").
	IndexUnchanged IndexRule = "unchanged"
)

// MaxIndexPercent bounds the index an uppräkning may name, either sign.
var MaxIndexPercent = decimal.NewFromInt(100)

// Indexation is the committee's decision on the base contribution of a
// year: the previous year's × (1 + the index), or unchanged. Previous and
// Base are the amounts it took and gave. A new decision for the year is a
// new version; the latest is in force, the earlier ones stay.
type Indexation struct {
	ID          int64
	CommitteeID int64
	Year        int
	Version     int
	Rule        IndexRule
	// IndexName names the index ("PKV"); IndexPercent is its change in
	// percent (2.0 for 2,0 %).
	IndexName    string
	IndexPercent decimal.Decimal
	// Previous is the previous year's base contribution (its budget's);
	// Base the year's, computed by Apply.
	Previous decimal.Decimal
	Base     decimal.Decimal
	// Decision names the decision ("GNS § 16/2020" or a case number);
	// ParagraphID is its paragraph when it is in GNS's minutes.
	Decision    string
	ParagraphID int64
	Note        string
	CreatedAt   time.Time
	CreatedBy   string
}

// Check checks a decision before it is applied: the year, the rule, the
// index of an IndexByIndex rule and the decision.
func (x Indexation) Check() error {
	if x.Year < domain.MinYear || x.Year > domain.MaxYear {
		return domain.FieldErrorf("year", "Ange budgetåret med fyra siffror.")
	}
	switch x.Rule {
	case IndexByIndex:
		if strings.TrimSpace(x.IndexName) == "" {
			return domain.FieldErrorf("index_name", "Ange vilket index som används, t.ex. PKV.")
		}
		if err := domain.CheckText("index_name", "Indexets namn", x.IndexName, 100); err != nil {
			return err
		}
		if x.IndexPercent.Abs().GreaterThan(MaxIndexPercent) {
			return domain.FieldErrorf("index_percent", "Indexet %s %% är orimligt stort; ange förändringen i procent, t.ex. 2,0.", x.IndexPercent)
		}
		if !x.IndexPercent.Shift(4).IsInteger() {
			return domain.FieldErrorf("index_percent", "Ange indexet med högst fyra decimaler.")
		}
	case IndexUnchanged:
		if x.IndexName != "" || !x.IndexPercent.IsZero() {
			return domain.FieldErrorf("index_percent", "Ett beslut om oförändrat bidrag har inget index.")
		}
	default:
		return domain.FieldErrorf("rule", "Välj om bidraget räknas upp med ett index eller är oförändrat.")
	}
	if err := domain.CheckText("decision", "Beslutet", x.Decision, 200); err != nil {
		return err
	}
	if strings.TrimSpace(x.Decision) == "" && x.ParagraphID == 0 {
		return domain.FieldErrorf("decision", "Ange beslutet, t.ex. ”GNS § 16/2020”.")
	}
	return domain.CheckText("note", "Kommentaren", x.Note, 2000)
}

// Apply returns x with Previous set to previous and Base computed by the
// rule: previous × (1 + IndexPercent/100) rounded to whole kronor (half
// away from zero), or previous unchanged.
func (x Indexation) Apply(previous decimal.Decimal) (Indexation, error) {
	if previous.IsNegative() {
		return Indexation{}, domain.Errorf(domain.EINVALID, "Föregående års basfinansiering kan inte vara negativ.")
	}
	x.Previous = previous
	x.Base = previous
	if x.Rule == IndexByIndex {
		x.Base = x.Exact().Round(0)
	}
	if err := CheckAmount("index_percent", x.Base); err != nil {
		return Indexation{}, err
	}
	return x, nil
}

// Exact is previous × (1 + index) before rounding.
func (x Indexation) Exact() decimal.Decimal {
	if x.Rule != IndexByIndex {
		return x.Previous
	}
	return x.Previous.Mul(decimal.NewFromInt(100).Add(x.IndexPercent)).Div(decimal.NewFromInt(100))
}

// Factor is 1 + the index, "1,02".
func (x Indexation) Factor() decimal.Decimal {
	return decimal.NewFromInt(100).Add(x.IndexPercent).Div(decimal.NewFromInt(100))
}

// RuleText says the rule in a sentence, as the budget shows it:
// "Uppräkning med PKV 2,0 %: 914 400,00 kr × 1,02 = 932 688,00 kr" or
// "Ingen uppräkning: basfinansieringen är oförändrad 914 400,00 kr".
func (x Indexation) RuleText() string {
	if x.Rule == IndexUnchanged {
		return "Ingen uppräkning: basfinansieringen är oförändrad " + sv.Kronor(x.Base)
	}
	text := "Uppräkning med " + x.IndexName + " " + sv.Exact(x.IndexPercent, 1) + " %: " + sv.Kronor(x.Previous) +
		" × " + sv.Exact(x.Factor(), 2) + " = " + sv.Kronor(x.Base)
	if !x.Exact().Equal(x.Base) {
		text += " (exakt " + sv.Exact(x.Exact(), 2) + " kr, avrundat till hela kronor)"
	}
	return text
}

// YearCycle is where a year's funding stands on its guided path: the budget
// decided in December, the base-funding allocation proposed from it and
// decided, and its invoice run in January (or the payment months the
// committee chose).
type YearCycle struct {
	Year int
	// BudgetVersion is the budget in force (0: none), with its base
	// funding, decision and payment months.
	BudgetVersion  int
	BaseFunding    decimal.Decimal
	BudgetDecision string
	PaymentMonths  []time.Month
	// IndexRule is the uppräkning decision in force ("" for none), with the
	// base it computed.
	IndexRule IndexRule
	IndexBase decimal.Decimal
	// AllocationID is the base-funding allocation in force (0: none);
	// AllocationDecided whether a decision is recorded for it.
	AllocationID      int64
	AllocationDecided bool
	// RunID is its invoice run (0: not invoiced), issued on RunDate.
	RunID   int64
	RunDate domain.Date
}

// CycleState is how far a step of the year's path has come.
type CycleState string

// The states of a step.
const (
	CycleDone    CycleState = "done"
	CycleStarted CycleState = "started"
	CycleToDo    CycleState = "todo"
	CycleLate    CycleState = "late"
)

// Label is the state in Swedish.
func (s CycleState) Label() string {
	switch s {
	case CycleDone:
		return "Klart"
	case CycleStarted:
		return "Påbörjat"
	case CycleLate:
		return "Försenat"
	}
	return "Att göra"
}

// CycleStep is one step of a year's path, as the economist's start page
// shows it.
type CycleStep struct {
	Title  string
	State  CycleState
	Detail string
}

// Steps lays the year out as its three steps on today.
func (y YearCycle) Steps(today domain.Date) []CycleStep {
	months := y.PaymentMonths
	if len(months) == 0 {
		months = []time.Month{time.January}
	}
	names := make([]string, len(months))
	for i, m := range months {
		names[i] = sv.MonthName(m)
	}
	budget := CycleStep{Title: fmt.Sprintf("Budget %d beslutas i december %d", y.Year, y.Year-1), State: CycleToDo, Detail: "Ingen budget är sparad."}
	if y.BudgetVersion > 0 {
		budget.State, budget.Detail = CycleStarted, fmt.Sprintf("Version %d sparad utan beslut; basfinansiering %s.", y.BudgetVersion, sv.Kronor(y.BaseFunding))
		if y.BudgetDecision != "" {
			budget.State, budget.Detail = CycleDone, fmt.Sprintf("Beslutad (%s), version %d; basfinansiering %s.", y.BudgetDecision, y.BudgetVersion, sv.Kronor(y.BaseFunding))
		}
	}
	switch {
	case y.IndexRule == IndexUnchanged:
		budget.Detail += " Ingen uppräkning enligt beslut."
	case y.IndexRule == IndexByIndex:
		budget.Detail += " Uppräknad enligt beslut till " + sv.Kronor(y.IndexBase) + "."
	}
	alloc := CycleStep{Title: "Basfinansieringen fördelas lika mellan parterna", State: CycleToDo, Detail: "Ingen fördelning ännu: föreslå den från budgeten."}
	if y.AllocationID != 0 {
		alloc.State, alloc.Detail = CycleStarted, fmt.Sprintf("Fördelning %d är ett förslag utan beslut.", y.AllocationID)
		if y.AllocationDecided {
			alloc.State, alloc.Detail = CycleDone, fmt.Sprintf("Fördelning %d är beslutad.", y.AllocationID)
		}
	}
	run := CycleStep{Title: fmt.Sprintf("Fakturering i förskott, %s %d", strings.Join(names, " och "), y.Year), State: CycleToDo, Detail: "Inte fakturerad."}
	if y.RunID != 0 {
		run.State, run.Detail = CycleDone, fmt.Sprintf("Fakturerad %s.", y.RunDate)
	} else if last := (Period{Year: y.Year, Month: months[0]}).LastDay(); today.After(last) {
		run.State, run.Detail = CycleLate, fmt.Sprintf("Skulle ha fakturerats senast %s.", last)
	}
	return []CycleStep{budget, alloc, run}
}
