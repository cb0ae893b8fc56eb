package finance

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// A project (samverkansprojekt) is work the committee does for the parties
// that take part in it: a name, its case, its cost objects in the host's
// ledger, a key, and the parties with the dates they joined and left. Its
// costs are settled per year (or when it closes) by the months each party
// took part (see ParticipationStretches).

// Project key methods: the allocation engine's methods a project's costs are
// split by.
const (
	ProjectEqual      = "equal"
	ProjectPopulation = "population"
	ProjectPercent    = "percent"
)

// MaxProjectName is the longest project name accepted.
const MaxProjectName = 200

// Project is one project of a committee.
type Project struct {
	ID          int64
	CommitteeID int64
	Name        string
	Description string
	// CaseID and CaseNumber are the project's case.
	CaseID     int64
	CaseNumber string
	// Method is the key: ProjectEqual, ProjectPopulation (by population at
	// PopulationDate, with HostShare for the host when set) or
	// ProjectPercent (each participant's KeyPercent, renormalised over
	// the parties taking part in a month).
	Method         string
	HostShare      decimal.NullDecimal
	PopulationDate domain.Date
	// Decision names the paragraph that started the project, e.g.
	// "GNS § 8/2020".
	Decision string
	// ClosedOn is the day the project closed; zero while it runs.
	ClosedOn     domain.Date
	Objects      []ProjectObject
	Participants []Participant
	CreatedAt    time.Time
	CreatedBy    string
}

// ProjectObject is a cost object of the host's ledger that carries the
// project's costs.
type ProjectObject struct {
	Dimension int
	Object    string
	Name      string
}

// Key returns the object's key in the ledger's object names, as ObjectKey.
func (o ProjectObject) Key() string { return ObjectKey(o.Dimension, o.Object) }

// Participant is one stretch of a party's taking part in a project: from the
// day it joined to the day it left (zero while it still takes part).
type Participant struct {
	ID        int64
	ProjectID int64
	PartyID   int64
	PartyName string
	PartySlug string
	Host      bool
	// Order is the party's place in the committee's order.
	Order      int
	Joined     domain.Date
	Left       domain.Date
	KeyPercent decimal.NullDecimal
	Note       string
}

// MethodLabel is the key in Swedish, as the project page shows it.
func (p Project) MethodLabel() string {
	switch p.Method {
	case ProjectEqual:
		return "lika delar mellan de deltagande"
	case ProjectPopulation:
		s := "efter invånarantal per " + p.PopulationDate.String()
		if p.HostShare.Valid {
			s += ", värdparten fast " + sv.ExactPercent(p.HostShare.Decimal)
		}
		return s
	case ProjectPercent:
		return "fast fördelningsnyckel, räknad om över de deltagande varje månad"
	}
	return p.Method
}

// Validate checks a new project: a name, a known key, a reference date for
// a population key, a host share strictly between 0 and 100, and at least
// one cost object.
func (p Project) Validate() error {
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		return domain.FieldErrorf("name", "Ange projektets namn.")
	case p.Method != ProjectEqual && p.Method != ProjectPopulation && p.Method != ProjectPercent:
		return domain.FieldErrorf("method", "Välj fördelningsnyckel: lika delar, invånarantal eller fast nyckel.")
	case p.Method == ProjectPopulation && p.PopulationDate.IsZero():
		return domain.FieldErrorf("population_date", "Ange referensdatum för invånarantalen, t.ex. 2020-12-31.")
	case p.Method != ProjectPopulation && p.HostShare.Valid:
		return domain.FieldErrorf("host_share", "Värdpartens fasta andel gäller bara fördelning efter invånarantal.")
	case p.HostShare.Valid && (!p.HostShare.Decimal.IsPositive() || !p.HostShare.Decimal.LessThan(decimal.NewFromInt(100))):
		return domain.FieldErrorf("host_share", "Värdpartens andel ska vara större än 0 och mindre än 100 procent.")
	case len(p.Objects) == 0:
		return domain.FieldErrorf("objects", "Ange minst ett kostnadsobjekt i värdens bokföring, t.ex. 6670.")
	}
	if err := domain.CheckLine("name", "Namnet", name, MaxProjectName); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, o := range p.Objects {
		if o.Dimension <= 0 || strings.TrimSpace(o.Object) == "" || strings.ContainsAny(o.Object, " \t\"{}") {
			return domain.FieldErrorf("objects", "Kostnadsobjektet ”%s” går inte att läsa: skriv objektets nummer, t.ex. 6670.", o.Object)
		}
		if seen[o.Key()] {
			return domain.FieldErrorf("objects", "Kostnadsobjektet %s står två gånger.", o.Object)
		}
		seen[o.Key()] = true
	}
	return nil
}

// Validate checks a participant against its project: the day it joined, a
// leaving day not before it, a key percentage under a fixed key (and none
// otherwise), and no overlap with the same party's other stretches.
func (pt Participant) Validate(p Project) error {
	switch {
	case pt.PartyID == 0:
		return domain.FieldErrorf("party", "Välj parten.")
	case pt.Joined.IsZero():
		return domain.FieldErrorf("joined", "Ange dagen parten gick med i projektet.")
	case !pt.Left.IsZero() && pt.Left.Before(pt.Joined):
		return domain.FieldErrorf("left", "Parten kan inte lämna projektet (%s) före dagen den gick med (%s).", pt.Left, pt.Joined)
	case p.Method == ProjectPercent && (!pt.KeyPercent.Valid || !pt.KeyPercent.Decimal.IsPositive() || pt.KeyPercent.Decimal.GreaterThan(decimal.NewFromInt(100))):
		return domain.FieldErrorf("key_percent", "Ange partens procent i fördelningsnyckeln, större än 0 och högst 100, t.ex. 2,54.")
	case p.Method != ProjectPercent && pt.KeyPercent.Valid:
		return domain.FieldErrorf("key_percent", "Procent i nyckeln anges bara när projektet fördelas med fast nyckel.")
	}
	for _, o := range p.Participants {
		if o.PartyID != pt.PartyID || o.ID == pt.ID {
			continue
		}
		if overlaps(o.Joined, o.Left, pt.Joined, pt.Left) {
			return domain.FieldErrorf("joined", "%s deltar redan i projektet från %s; en part kan bara delta en gång åt gången.", o.PartyName, o.Joined)
		}
	}
	return nil
}

// overlaps reports whether two stretches of days (a zero end is open) share
// a day.
func overlaps(a1, a2, b1, b2 domain.Date) bool {
	aEndsBefore := !a2.IsZero() && a2.Before(b1)
	bEndsBefore := !b2.IsZero() && b2.Before(a1)
	return !aEndsBefore && !bEndsBefore
}

// InMonth reports whether the participant takes part in the calendar month:
// the rule of settlement by months of participation. A party takes part in
// every month its stretch touches: it joined on or before the month's last
// day and had not left before the month's first day. A party that joins on
// 20 May carries May in full; one that leaves on 3 September carries
// September in full.
func (pt Participant) InMonth(year int, m time.Month) bool {
	first := domain.Date{Year: year, Month: m, Day: 1}
	last := domain.DateOf(time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC))
	if pt.Joined.After(last) {
		return false
	}
	return pt.Left.IsZero() || !pt.Left.Before(first)
}

// Stretch is a run of consecutive months of a settlement in which the same
// parties take part.
type Stretch struct {
	From, To time.Month
	// PartyIDs are the parties taking part, each once, in the order of the
	// participants.
	PartyIDs []int64
}

// Months is the number of months the stretch covers.
func (s Stretch) Months() int { return int(s.To-s.From) + 1 }

// ParticipationStretches divides the months from..to of year into runs of
// months with the same participants (InMonth), leaving out months in which
// no party takes part: the costs of a settlement are spread evenly over the
// months that have participants, and each month's part is split by the key
// between that month's participants.
func ParticipationStretches(parts []Participant, year int, from, to time.Month) []Stretch {
	var out []Stretch
	for m := from; m <= to; m++ {
		var ids []int64
		for _, pt := range parts {
			if pt.InMonth(year, m) && !containsID(ids, pt.PartyID) {
				ids = append(ids, pt.PartyID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].To == m-1 && sameIDs(out[n-1].PartyIDs, ids) {
			out[n-1].To = m
			continue
		}
		out = append(out, Stretch{From: m, To: m, PartyIDs: ids})
	}
	return out
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ProjectBudgetLine is a project's budget for a year on one report row, in
// the report's signs (revenue positive, costs negative). The latest line of
// a year and row is in force.
type ProjectBudgetLine struct {
	ID        int64
	ProjectID int64
	Year      int
	RowID     int64
	Amount    decimal.Decimal
	CreatedAt time.Time
	CreatedBy string
}

// FundingKind is what a line of a project's funding is.
type FundingKind string

// The kinds of funding.
const (
	// FundingContribution is a party's contribution to the project, paid to
	// the committee (invoiced in advance, then settled).
	FundingContribution FundingKind = "contribution"
	// FundingGrant is an external grant (ERUF, statsbidrag): it is
	// subtracted from the cost before the settlement once granted.
	FundingGrant FundingKind = "grant"
	// FundingCofinancing is a party's own co-financing, such as staff time
	// it puts in itself; it is shown, not invoiced.
	FundingCofinancing FundingKind = "cofinancing"
)

// Label is the kind in Swedish.
func (k FundingKind) Label() string {
	switch k {
	case FundingContribution:
		return "Partsbidrag"
	case FundingGrant:
		return "Externt bidrag"
	case FundingCofinancing:
		return "Egen medfinansiering"
	}
	return string(k)
}

// FundingStatus is where a line of funding stands.
type FundingStatus string

// The statuses of funding.
const (
	FundingPlanned    FundingStatus = "planned"
	FundingApplied    FundingStatus = "applied"
	FundingGranted    FundingStatus = "granted"
	FundingRefused    FundingStatus = "refused"
	FundingNotApplied FundingStatus = "not_applied"
)

// FundingStatuses lists the statuses in the order the form offers them.
var FundingStatuses = []FundingStatus{FundingPlanned, FundingApplied, FundingGranted, FundingRefused, FundingNotApplied}

// Label is the status in Swedish.
func (s FundingStatus) Label() string {
	switch s {
	case FundingPlanned:
		return "planerad"
	case FundingApplied:
		return "ansökt"
	case FundingGranted:
		return "beviljad"
	case FundingRefused:
		return "avslagen"
	case FundingNotApplied:
		return "aldrig ansökt"
	}
	return string(s)
}

// ProjectFunding is one line of a project's funding for a year.
type ProjectFunding struct {
	ID        int64
	ProjectID int64
	Year      int
	Kind      FundingKind
	// PartyID is the party of a contribution or co-financing; zero for a grant.
	PartyID   int64
	PartyName string
	// Funder names an external grant's funder, e.g. "ERUF via Tillväxtverket".
	Funder   string
	Status   FundingStatus
	Decision string
	Amount   decimal.Decimal
	Note     string
	// CreatedAt and CreatedBy say who recorded the line.
	CreatedAt time.Time
	CreatedBy string
}

// Validate checks a line of funding.
func (f ProjectFunding) Validate() error {
	switch {
	case f.Kind != FundingContribution && f.Kind != FundingGrant && f.Kind != FundingCofinancing:
		return domain.FieldErrorf("kind", "Välj slag av finansiering: partsbidrag, externt bidrag eller egen medfinansiering.")
	case f.Year < domain.MinYear || f.Year > domain.MaxYear:
		return domain.FieldErrorf("year", "Ange året med fyra siffror, t.ex. 2020.")
	case f.Kind == FundingGrant && strings.TrimSpace(f.Funder) == "":
		return domain.FieldErrorf("funder", "Ange vem som ger bidraget, t.ex. ERUF via Tillväxtverket.")
	case f.Kind == FundingGrant && f.PartyID != 0:
		return domain.FieldErrorf("party", "Ett externt bidrag hör inte till någon part.")
	case f.Kind != FundingGrant && f.PartyID == 0:
		return domain.FieldErrorf("party", "Välj parten.")
	case !containsStatus(f.Status):
		return domain.FieldErrorf("status", "Välj status: planerad, ansökt, beviljad, avslagen eller aldrig ansökt.")
	case f.Amount.IsNegative():
		return domain.FieldErrorf("amount", "Beloppet kan inte vara negativt.")
	case !f.Amount.Round(2).Equal(f.Amount):
		return domain.FieldErrorf("amount", "Beloppet får ha högst två decimaler (ören).")
	case f.Kind == FundingGrant && f.Status == FundingGranted && strings.TrimSpace(f.Decision) == "":
		return domain.FieldErrorf("decision", "Ett beviljat bidrag behöver sitt beslut, t.ex. Tillväxtverkets diarienummer och datum.")
	}
	for _, c := range []struct{ field, label, v string }{{"funder", "Bidragsgivaren", f.Funder}, {"decision", "Beslutet", f.Decision}, {"note", "Anteckningen", f.Note}} {
		if err := domain.CheckLine(c.field, c.label, c.v, 300); err != nil {
			return err
		}
	}
	return nil
}

func containsStatus(s FundingStatus) bool {
	for _, x := range FundingStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// WeightParticipation is the weight kind of a settlement's shares: the
// party's share of the net cost in percent over its months of
// participation (allocation.WeightParticipation).
const WeightParticipation = "participation"

// Settlement kinds.
const (
	// SettlementYear settles a year at its end (January–December).
	SettlementYear = "year"
	// SettlementClose settles the last year of a project that closed, up
	// to the month it closed.
	SettlementClose = "close"
)

// Settlement is a project's costs of a year (or of its last year to the
// month it closed) split between its participants by the key over the
// months each took part, compared with what each was invoiced in advance.
type Settlement struct {
	ID        int64
	ProjectID int64
	Year      int
	FromMonth time.Month
	ToMonth   time.Month
	Kind      string
	// Cost is the actual cost on the project's objects (the cost rows of
	// the mapping, positive), External the external grants granted for the
	// year, Net = Cost − External what the parties share.
	Cost     decimal.Decimal
	External decimal.Decimal
	Net      decimal.Decimal
	// Months is the number of months with participants the net cost is
	// spread over.
	Months   int
	Decision string
	Shares   []SettlementShare
	// AllocationIDs are the allocations that invoice and credit the
	// differences (none when every difference is zero).
	AllocationIDs []int64
	CreatedAt     time.Time
	CreatedBy     string
}

// SettlementShare is one party's part of a settlement.
type SettlementShare struct {
	PartyID   int64
	PartyName string
	Host      bool
	// Months is how many of the settlement's months the party took part in.
	Months int
	// Weight is the party's share of the net cost in percent, exact to
	// allocation.QuotaPlaces decimals; Quota its exact share in kronor,
	// rounded for display.
	Weight decimal.Decimal
	Quota  decimal.Decimal
	// Share is what the party carries, rounded to the öre by the largest
	// remainder (Residue when it got a leftover öre); Advance what it was
	// invoiced in advance for the year; Difference = Share − Advance, to
	// invoice (positive) or credit (negative).
	Share      decimal.Decimal
	Advance    decimal.Decimal
	Difference decimal.Decimal
	Residue    bool
}

// Period is the settlement's months as Swedish text, "februari–december 2020".
func (s Settlement) Period() string {
	from, to := sv.MonthName(s.FromMonth), sv.MonthName(s.ToMonth)
	if from == to {
		return from + " " + strconv.Itoa(s.Year)
	}
	return from + "–" + to + " " + strconv.Itoa(s.Year)
}

// Title is the text the settlement's invoice lines start with: the project,
// the period and the kind of settlement.
func (s Settlement) Title(project string) string {
	kind := "Avräkning"
	if s.Kind == SettlementClose {
		kind = "Slutavräkning"
	}
	return kind + " " + project + ", " + s.Period()
}
