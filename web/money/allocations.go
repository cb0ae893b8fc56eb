package money

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// The access rules of the allocation routes (see domain.AllocationMakers):
// the economy's viewers (parties and members too) read the decided
// allocations; a proposal not yet decided is read by the staff only.
var (
	allocationWrite = kit.Roles(domain.AllocationMakers...)
	allocationRead  = kit.Roles(domain.EconomyViewers...)
)

// seesDrafts reports whether the user reads the committee's allocations that
// are not yet decided.
func seesDrafts(u *domain.User, committeeID int64) bool {
	return u.HasIn(committeeID, domain.AllocationReaders...)
}

func (s *Handlers) allocationRoutes() {
	s.Handle("GET", "/fordelningar", allocationRead, s.allocationsIndex)
	s.Handle("GET", "/namnder/:code/fordelningar", allocationRead, s.allocationsPage)
	s.Handle("GET", "/namnder/:code/fordelningar/ny", allocationWrite, s.newAllocationForm)
	s.Handle("POST", "/namnder/:code/fordelningar", allocationWrite, s.submitAllocation)
	s.Handle("POST", "/namnder/:code/fordelningar/forhandsgranska", allocationWrite, s.livePreviewAllocation)
	s.Handle("GET", "/fordelningar/:id", allocationRead, s.allocationPage)
	s.Handle("POST", "/api/v1/committees/:code/allocations/preview", allocationWrite, s.apiPreviewAllocation)
	s.Handle("POST", "/api/v1/committees/:code/allocations", allocationWrite, s.apiCreateAllocation)
	s.Handle("GET", "/api/v1/allocations/:id", allocationRead, s.apiAllocation)
}

// allocationRequest is what the economist asks for, from the form or the API:
// the allocation engine's spec with the parties by id (slug), and what ties
// the allocation to its decision.
type allocationRequest struct {
	Kind          finance.AllocationKind
	Title         string
	Total         decimal.Decimal
	Method        allocation.Method
	Unit          allocation.Unit
	HostShare     *decimal.Decimal
	ReferenceDate domain.Date
	Parties       []requestParty
	BudgetYear    int
	CostObject    string
	Case          string // a case number, e.g. GNS/2/2020
	Paragraph     string // the deciding paragraph, e.g. "§ 42/2020"
	Decision      string
	StatedShare   decimal.NullDecimal
	Supersedes    int64
	// Decided are the decision's amounts per party (slug), signed like the
	// total; PaysDecided asks to invoice them ("enligt beslutets belopp")
	// instead of the exact split; ConfirmDecided confirms amounts further
	// from the exact split than rounding to whole kronor explains.
	Decided        map[string]decimal.Decimal
	PaysDecided    bool
	ConfirmDecided bool
	// OriginYears are a refund's originating years, oldest first.
	OriginYears []int
	// Renormalise and Parts are the keys real decisions use (issue 16 §4):
	// a fixed key renormalised over the participants, and a mixed key's
	// parts.
	Renormalise bool
	Parts       []requestPart
}

// requestPart is one part of a mixed key: its percentage of the total and
// its own method.
type requestPart struct {
	// Row is the part's row on the form, or its index in the API's body,
	// from 0: problems with the part are reported on its fields.
	Row         int
	Percent     decimal.Decimal
	Method      allocation.Method
	HostShare   *decimal.Decimal
	Renormalise bool
}

// usesPopulation reports whether the request splits anything by population
// for a party, host or not: a population method or part, unless a host share
// spares the host's figure.
func (req allocationRequest) usesPopulation(host bool) bool {
	if req.Method == allocation.MethodPopulation {
		return !(host && req.HostShare != nil)
	}
	for _, p := range req.Parts {
		if p.Method == allocation.MethodPopulation && !(host && p.HostShare != nil) {
			return true
		}
	}
	return false
}

// requestParty is one participant: its slug and, where the method needs them
// and they are not to be looked up, its population or percentage.
type requestParty struct {
	ID         string
	Population *int64
	Percent    *decimal.Decimal
}

// buildAllocation turns a request into an allocation computed by the engine:
// the parties are the committee's, the populations its figures at the
// reference date unless given. Every problem is a Swedish field error; the
// engine's own checks stay as a backstop.
func (s *Handlers) buildAllocation(ctx context.Context, cm domain.Committee, req allocationRequest) (finance.Allocation, error) {
	if err := checkKindAndMethod(req); err != nil {
		return finance.Allocation{}, err
	}
	day := req.ReferenceDate
	if day.IsZero() {
		day = s.Today()
	}
	table, err := s.DB.Conn().PopulationTable(ctx, cm, day)
	if err != nil {
		return finance.Allocation{}, err
	}
	members := map[string]domain.PopulationRow{}
	for _, r := range table.Rows {
		members[r.Party.Slug] = r
	}
	if len(req.Parties) == 0 {
		return finance.Allocation{}, domain.FieldErrorf("parties", "Välj minst en deltagande part.")
	}
	spec := allocation.Spec{Total: req.Total, Method: req.Method, Unit: req.Unit, HostShare: req.HostShare, Renormalise: req.Renormalise}
	for _, p := range req.Parts {
		spec.Parts = append(spec.Parts, allocation.Part{Percent: p.Percent, Method: p.Method, HostShare: p.HostShare, Renormalise: p.Renormalise})
	}
	var missing []string
	seen := map[string]bool{}
	for _, p := range req.Parties {
		row, ok := members[p.ID]
		if !ok {
			return finance.Allocation{}, domain.FieldErrorf("parties", "%q är inte part i nämnden %s per %s.", p.ID, cm.Code, day)
		}
		if seen[p.ID] {
			return finance.Allocation{}, domain.FieldErrorf("parties", "%s finns två gånger bland deltagarna.", row.Party.Name)
		}
		seen[p.ID] = true
		sp := allocation.Party{ID: p.ID, Name: row.Party.Name, Host: row.Party.Host, Order: row.Party.Membership.Position, Percent: p.Percent}
		if req.usesPopulation(row.Party.Host) {
			switch {
			case p.Population != nil:
				sp.Population, sp.PopulationDate, sp.PopulationSource = p.Population, day.String(), "angivet i begäran"
			case row.Figure != nil:
				n := row.Figure.Inhabitants
				sp.Population, sp.PopulationDate, sp.PopulationSource = &n, row.Figure.ReferenceDate.String(), row.Figure.Source
			default:
				missing = append(missing, row.Party.Name)
			}
		}
		spec.Parties = append(spec.Parties, sp)
	}
	if req.Method == allocation.MethodPercent {
		check := allocation.CheckPercentages
		if req.Renormalise {
			check = allocation.CheckKeySubset
		}
		if err := check(spec.Parties); err != nil {
			return finance.Allocation{}, engineError(spec, req.Parts, err)
		}
	}
	if len(missing) > 0 {
		return finance.Allocation{}, domain.FieldErrorf("reference_date", "Invånarantal per %s saknas för %s. Registrera dem eller välj ett annat datum.", day, strings.Join(missing, ", "))
	}
	if req.Method == allocation.MethodDirect && len(spec.Parties) != 1 {
		return finance.Allocation{}, domain.FieldErrorf("parties", "En direktdebitering går till exakt en part; %d är valda.", len(spec.Parties))
	}
	if h := req.HostShare; h != nil && (!h.IsPositive() || !h.LessThan(decimal.NewFromInt(100))) {
		return finance.Allocation{}, domain.FieldErrorf("host_share", "Värdpartens andel ska vara mellan 0 och 100 %%.")
	}
	res, err := allocation.Allocate(spec)
	if err != nil {
		return finance.Allocation{}, engineError(spec, req.Parts, err)
	}
	a := finance.Allocation{
		CommitteeID: cm.ID, Kind: req.Kind, Title: req.Title, Method: string(res.Method), Unit: string(res.Unit),
		Total: res.Total, ReferenceDate: req.ReferenceDate, BudgetYear: req.BudgetYear, CostObject: req.CostObject,
		Decision: req.Decision, StatedShare: req.StatedShare, SupersedesID: req.Supersedes,
		PaysDecided: req.PaysDecided, DecidedConfirmed: req.ConfirmDecided, OriginYears: req.OriginYears,
	}
	if res.HostShare != nil {
		a.HostShare = decimal.NullDecimal{Decimal: *res.HostShare, Valid: true}
	}
	if !req.usesPopulation(false) {
		a.ReferenceDate = domain.Date{}
	}
	a.Shares, a.Parts = allocation.SavedShares(res, func(slug string) domain.MemberParty { return members[slug].Party })
	for i, sh := range res.Shares {
		if d, ok := req.Decided[sh.PartyID]; ok {
			a.Shares[i].Decided = decimal.NullDecimal{Decimal: d, Valid: true}
		}
	}
	a = a.WithStatedShare()
	var decided meeting.Paragraph
	if req.Paragraph != "" {
		number, year, err := meeting.ParseParagraphRef("paragraph", req.Paragraph)
		if err != nil {
			return finance.Allocation{}, err
		}
		if decided, err = s.DB.Conn().ParagraphByNumber(ctx, cm.ID, year, number); err != nil {
			return finance.Allocation{}, domain.FieldErrorf("paragraph", "%s", domain.ErrorMessage(err))
		}
		a.ParagraphID = decided.ID
	}
	if req.Case != "" {
		n, err := domain.ParseCaseNumber(req.Case)
		if err == nil {
			err = n.Validate(cm.Code, s.Today())
		}
		if err != nil {
			return finance.Allocation{}, domain.FieldErrorf("case", "%s", domain.ErrorMessage(err))
		}
		k, err := s.DB.Conn().CaseByNumber(ctx, n)
		if err != nil {
			return finance.Allocation{}, domain.FieldErrorf("case", "Ärendet %s finns inte.", n)
		}
		a.CaseID, a.CaseNumber = k.ID, n.String()
	}
	return a, s.checkForSave(ctx, a, decided)
}

// checkForSave applies to a computed allocation the rules saving it applies
// (finance.Allocation's checks: amounts the database can hold, a correction
// of an allocation not yet corrected, a deciding paragraph of the
// allocation's own case), so that every preview (the live one, the
// Förhandsgranska button, the API's) refuses exactly what saving refuses,
// with the same words. The store checks again when it saves.
func (s *Handlers) checkForSave(ctx context.Context, a finance.Allocation, decided meeting.Paragraph) error {
	if a.ParagraphID != 0 {
		if err := a.CheckDecidingCase(decided.Ref(), decided.CaseID); err != nil {
			return err
		}
	}
	if a.SupersedesID != 0 {
		old, err := s.DB.Conn().AllocationByID(ctx, a.SupersedesID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			old, err = finance.Allocation{}, nil // of no committee: not found in this one
		}
		if err != nil {
			return err
		}
		if err := a.CheckCorrection(old); err != nil {
			return err
		}
	}
	return a.CheckForSave()
}

// engineError is the allocation engine's verdict on spec in Swedish, on the
// form's fields: the one place that turns the engine's codes into words for
// the form and the API. The fixed key's problems (allocation.CheckPercentages)
// have words of their own; any other problem, which the checks before the
// engine should have caught, is quoted in the engine's English. An error that
// is not the engine's passes through.
func engineError(spec allocation.Spec, parts []requestPart, err error) error {
	var fe *allocation.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.Part >= 0 && fe.Part < len(parts) { // the engine counts the parts given, the form its rows
		moved := *fe
		moved.Part = parts[fe.Part].Row
		fe = &moved
	}
	switch fe.Code {
	case allocation.CodePercentMissing, allocation.CodePercentNotPositive:
		if fe.Party >= 0 && fe.Party < len(spec.Parties) {
			p := spec.Parties[fe.Party]
			return domain.FieldErrorf(percentField(p.ID), "Ange en andel i procent större än noll för %s.", p.Name)
		}
	case allocation.CodePercentSum:
		return domain.FieldErrorf("parties", "%sProcentsatserna summerar till %s %%, inte 100 %%. Nyckeln ska summera till exakt 100, eller räknas om över de deltagande parterna.", partPrefix(fe), sv.Exact(fe.Value, 0))
	case allocation.CodeKeySubsetSum:
		return domain.FieldErrorf("parties", "%sDe deltagande parternas procentsatser summerar till %s %%: en del av en nyckel kan inte vara mer än 100 %%.", partPrefix(fe), sv.Exact(fe.Value, 0))
	case allocation.CodePartsTooFew:
		return domain.FieldErrorf("parts", "En blandad nyckel har minst två delar, t.ex. 50 %% i lika delar och 50 %% efter invånarantal.")
	case allocation.CodePartMethod, allocation.CodeMissing:
		if fe.Part >= 0 && strings.HasSuffix(fe.Field, ".method") {
			return domain.FieldErrorf(partField(fe.Part, "method"), "Välj metod för del %d: lika delar, efter invånarantal eller fast nyckel.", fe.Part+1)
		}
		if fe.Part >= 0 {
			return domain.FieldErrorf(partField(fe.Part, "percent"), "Ange hur många procent av beloppet del %d gäller.", fe.Part+1)
		}
	case allocation.CodePartPercentNotPositive:
		return domain.FieldErrorf(partField(fe.Part, "percent"), "Del %d ska gälla mer än 0 %% av beloppet.", fe.Part+1)
	case allocation.CodePartSum:
		return domain.FieldErrorf("parts", "Delarna summerar till %s %% av beloppet, inte 100 %%.", sv.Exact(fe.Value, 0))
	case allocation.CodeHostShareRange:
		return domain.FieldErrorf(inPart(fe, "host_share"), "%sVärdpartens andel ska vara mellan 0 och 100 %%.", partPrefix(fe))
	case allocation.CodeHostShareNoHost, allocation.CodeHostShareAlone:
		return domain.FieldErrorf(inPart(fe, "host_share"), "%sEn fast andel för värdparten kräver att värdparten och minst en part till deltar.", partPrefix(fe))
	}
	return domain.FieldErrorf(engineField(fe.Field), "Fördelningen kan inte beräknas: %s.", fe.Error())
}

// partField names a field of the k-th part (from 0) of a mixed key on the
// form and in the API's errors: "part1_percent" for the first part.
func partField(k int, name string) string { return fmt.Sprintf("part%d_%s", k+1, name) }

// inPart returns the field of a problem: the part's own field for a problem
// within a part of a mixed key, else field.
func inPart(fe *allocation.FieldError, field string) string {
	if fe.Part >= 0 {
		return partField(fe.Part, field)
	}
	return field
}

// partPrefix names the part a problem was found in, for the start of its
// message.
func partPrefix(fe *allocation.FieldError) string {
	if fe.Part >= 0 {
		return fmt.Sprintf("Del %d av nyckeln: ", fe.Part+1)
	}
	return ""
}

// engineField maps the engine's field path to the form's field name.
func engineField(f string) string {
	switch {
	case f == "total" || f == "host_share" || f == "unit" || f == "method":
		return f
	}
	return "parties"
}

// checkKindAndMethod applies the economist's rules for each kind: base
// funding and refunds are split in equal shares (a refund's total is
// negative, every other total positive), a direct-billed service goes to one
// party by the direct method.
func checkKindAndMethod(req allocationRequest) error {
	if !req.Kind.Valid() {
		return domain.FieldErrorf("kind", "Välj vad fördelningen gäller.")
	}
	if req.Title == "" {
		return domain.FieldErrorf("title", "Ge fördelningen en rubrik, t.ex. ”Basfinansiering 2021”.")
	}
	if err := domain.CheckText("title", "Rubriken", req.Title, 300); err != nil {
		return err
	}
	if err := domain.CheckText("decision", "Beslutet", req.Decision, 200); err != nil {
		return err
	}
	if err := domain.CheckText("cost_object", "Kostnadsobjektet", req.CostObject, 50); err != nil {
		return err
	}
	switch {
	case req.Total.IsZero():
		return domain.FieldErrorf("total", "Ange ett belopp som inte är noll.")
	case req.Kind == finance.AllocationRefund && req.Total.IsPositive():
		return domain.FieldErrorf("total", "En återbetalning har ett negativt belopp (det som betalas tillbaka).")
	case req.Kind != finance.AllocationRefund && req.Total.IsNegative():
		return domain.FieldErrorf("total", "Beloppet ska vara positivt; ett negativt belopp är en återbetalning.")
	}
	switch req.Kind {
	case finance.AllocationBaseFunding, finance.AllocationRefund:
		if req.Method != allocation.MethodEqual {
			return domain.FieldErrorf("method", "%s fördelas i lika delar.", req.Kind.Label())
		}
	case finance.AllocationDirect:
		if req.Method != allocation.MethodDirect {
			return domain.FieldErrorf("method", "En direktdebiterad tjänst fördelas med metoden ”direkt” till en part.")
		}
	}
	if req.HostShare != nil && req.Method != allocation.MethodPopulation {
		return domain.FieldErrorf("host_share", "En fast andel för värdparten hör till fördelning efter invånarantal.")
	}
	if req.Renormalise && req.Method != allocation.MethodPercent {
		return domain.FieldErrorf("renormalise", "Att räkna om en nyckel över de deltagande hör till fast fördelningsnyckel.")
	}
	if len(req.Parts) > 0 && req.Method != allocation.MethodMixed {
		return domain.FieldErrorf("parts", "Delar av beloppet med olika metoder hör till en blandad nyckel.")
	}
	for k, p := range req.Parts {
		if p.HostShare != nil && p.Method != allocation.MethodPopulation {
			return domain.FieldErrorf(partField(k, "host_share"), "Del %d: en fast andel för värdparten hör till fördelning efter invånarantal.", k+1)
		}
		if p.Renormalise && p.Method != allocation.MethodPercent {
			return domain.FieldErrorf(partField(k, "renormalise"), "Del %d: att räkna om en nyckel hör till fast fördelningsnyckel.", k+1)
		}
	}
	return nil
}

// allocationForm is the form page: the committee's parties to choose from,
// the reference dates with figures, and, after a preview, the computed split.
type allocationForm struct {
	Committee domain.Committee
	Form      *kit.Form
	Parties   []domain.PopulationRow
	Chosen    map[string]bool
	Dates     []domain.Date
	Kinds     []finance.AllocationKind
	Preview   *allocationView
}

// allocationPreviewBlock is what the "allocationPreview" template shows: the
// computed split, or, in the live preview, why it cannot be computed yet.
type allocationPreviewBlock struct {
	Preview *allocationView
	// Form holds the errors to show; nil on the page, which shows them at
	// the fields and in the summary at the top.
	Form *kit.Form
	// Live is true for the fragment the live preview swaps in.
	Live bool
}

// PreviewBlock is the preview under the form on the page.
func (f allocationForm) PreviewBlock() allocationPreviewBlock {
	return allocationPreviewBlock{Preview: f.Preview}
}

// allocationInput is the allocation form as it is posted. Besides its fixed
// fields every party of the committee has two of its own, party_<slug>
// (ticked when the party takes part) and percent_<slug> (its share of a
// fixed key): Parties and Percents hold them by slug.
type allocationInput struct {
	Kind          string `form:"kind"`
	Title         string `form:"title"`
	Total         string `form:"total"`
	Method        string `form:"method"`
	Unit          string `form:"unit"`
	HostShare     string `form:"host_share"`
	ReferenceDate string `form:"reference_date"`
	BudgetYear    string `form:"budget_year"`
	CostObject    string `form:"cost_object"`
	Case          string `form:"case"`
	Paragraph     string `form:"paragraph"`
	Decision      string `form:"decision"`
	StatedShare   string `form:"stated_share"`
	Supersedes    string `form:"supersedes"`
	// Basis is "decided" to invoice the decision's amounts ("enligt
	// beslutets belopp"), anything else for the exact split (the default).
	Basis string `form:"basis"`
	// ConfirmDecided confirms decided amounts that rounding to whole
	// kronor does not explain.
	ConfirmDecided bool `form:"confirm_decided"`
	// OriginYears are a refund's originating years, "2018, 2019".
	OriginYears string `form:"origin_years"`
	// Action is "save" to save the split, anything else to preview it.
	Action string `form:"action"`
	// Renormalise is ticked when a fixed key's percentages are the
	// participants' entries in a larger key, renormalised over them.
	Renormalise bool `form:"renormalise"`

	Parties  map[string]bool
	Percents map[string]string
	// Decided are the parties' decided_<slug> fields: the amount the
	// decision states for each party, when it states one per party.
	Decided map[string]string
	// Parts are the rows of a mixed key, each with fields of its own
	// (part1_percent, part1_method, part1_host_share, part1_renormalise, …);
	// they are read only with the method "mixed".
	Parts [formParts]partInput
}

// formParts is the number of rows the form offers for a mixed key's parts.
const formParts = 3

// partInput is one row of a mixed key's parts on the form.
type partInput struct {
	Percent, Method, HostShare string
	Renormalise                bool
}

// partFields are the fields of a part's row, by name.
var partFields = []string{"percent", "method", "host_share", "renormalise"}

// partRows numbers the form's rows for a mixed key's parts, from 1.
func partRows() []int {
	rows := make([]int, formParts)
	for i := range rows {
		rows[i] = i + 1
	}
	return rows
}

// partKeys are the rows' numbers as BindEach keys.
var partKeys = []string{"1", "2", "3"}

// partyField and percentField name a party's own fields on the allocation
// form.
func partyField(slug string) string   { return "party_" + slug }
func percentField(slug string) string { return "percent_" + slug }
func decidedField(slug string) string { return "decided_" + slug }

// form is the form that shows in, its parties' fields included.
func (in allocationInput) form() *kit.Form {
	f := kit.FormOf(in)
	for slug, on := range in.Parties {
		if on {
			f.Values[partyField(slug)] = "on"
		}
	}
	for slug, pct := range in.Percents {
		f.Values[percentField(slug)] = pct
	}
	for slug, d := range in.Decided {
		f.Values[decidedField(slug)] = d
	}
	for k, p := range in.Parts {
		f.Values[partField(k, "percent")], f.Values[partField(k, "method")], f.Values[partField(k, "host_share")] = p.Percent, p.Method, p.HostShare
		if p.Renormalise {
			f.Values[partField(k, "renormalise")] = "on"
		}
	}
	return f
}

func (s *Handlers) newAllocationForm(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.AllocationMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := allocationInput{Method: string(allocation.MethodEqual), Unit: string(allocation.UnitOre), Kind: string(finance.AllocationBaseFunding)}
	if id := c.Query("ersatter"); id != "" {
		if in, err = s.prefillCorrection(c, cm, id); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.renderAllocationForm(c, http.StatusOK, cm, in, in.form(), nil)
}

// prefillCorrection is the form filled with an allocation to correct.
func (s *Handlers) prefillCorrection(c *gin.Context, cm domain.Committee, idText string) (allocationInput, error) {
	id, _ := strconv.ParseInt(idText, 10, 64)
	old, err := s.DB.Conn().AllocationByID(c.Request.Context(), id)
	if err != nil || old.CommitteeID != cm.ID {
		return allocationInput{}, domain.Errorf(domain.ENOTFOUND, "Fördelningen som ska rättas finns inte.")
	}
	if old.Superseded() {
		return allocationInput{}, domain.Errorf(domain.ECONFLICT, "Fördelningen är redan ersatt av fördelning %d; rätta den i stället.", old.SupersededByID)
	}
	in := allocationInput{Supersedes: idText, Kind: string(old.Kind), Title: old.Title, Method: old.Method, Unit: old.Unit,
		Total: sv.Amount(old.Total.Abs()), Decision: old.Decision, CostObject: old.CostObject, Case: old.CaseNumber,
		ReferenceDate: old.ReferenceDate.String(), Parties: map[string]bool{}, Percents: map[string]string{}, Decided: map[string]string{},
		OriginYears: finance.FormatYears(old.OriginYears)}
	if old.PaysDecided {
		in.Basis = "decided"
	}
	if old.BudgetYear != 0 {
		in.BudgetYear = strconv.Itoa(old.BudgetYear)
	}
	if old.HostShare.Valid {
		in.HostShare = sv.Exact(old.HostShare.Decimal, 0)
	}
	if old.StatedShare.Valid {
		in.StatedShare = sv.Amount(old.StatedShare.Decimal.Abs())
	}
	keys := append([]finance.AllocationShare(nil), old.Shares...)
	for k, p := range old.Parts {
		if k < formParts {
			in.Parts[k] = partInput{Percent: sv.Exact(p.Percent, 0), Method: p.Method, Renormalise: p.Renormalise}
			if p.HostShare.Valid {
				in.Parts[k].HostShare = sv.Exact(p.HostShare.Decimal, 0)
			}
		}
		if p.Method == string(allocation.MethodPercent) {
			keys = p.Shares // a percent part holds the key
		}
	}
	in.Renormalise = finance.Renormalised(old.Method, old.Shares)
	for i, sh := range old.Shares {
		p, err := s.DB.Conn().PartyByID(c.Request.Context(), sh.PartyID)
		if err != nil {
			return allocationInput{}, err
		}
		in.Parties[p.Slug] = true
		if sh.Decided.Valid && !old.StatedShare.Valid {
			in.Decided[p.Slug] = sv.Amount(sh.Decided.Decimal.Abs())
		}
		if keys[i].WeightKind == string(allocation.WeightPercent) {
			in.Percents[p.Slug] = sv.Exact(keys[i].Weight, 0)
		}
	}
	return in, nil
}

// renderAllocationForm shows the form f, which shows in, with the parties
// of the committee at in's reference date (today without one).
func (s *Handlers) renderAllocationForm(c *gin.Context, status int, cm domain.Committee, in allocationInput, f *kit.Form, preview *allocationView) {
	ctx := c.Request.Context()
	day := s.Today()
	if d, err := domain.ParseDate(in.ReferenceDate); err == nil {
		day = d
	}
	table, err := s.DB.Conn().PopulationTable(ctx, cm, day)
	if err != nil {
		s.Fail(c, err)
		return
	}
	dates, err := s.DB.Conn().PopulationDates(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	chosen := map[string]bool{}
	any := false
	for _, r := range table.Rows {
		chosen[r.Party.Slug] = in.Parties[r.Party.Slug]
		any = any || chosen[r.Party.Slug]
	}
	if !any && preview == nil && f.OK() { // a new form: everyone takes part
		for k := range chosen {
			chosen[k] = true
		}
	}
	s.Render(c, status, "allocation_form", "Ny fördelning – "+cm.Code, allocationForm{
		Committee: cm, Form: f, Parties: table.Rows, Chosen: chosen, Dates: dates, Kinds: finance.AllocationKinds, Preview: preview,
	})
}

// submitAllocation previews the split (action=preview) or saves it
// (action=save), from the same form, so what is saved is what was previewed.
// A refused form is answered with 400 whatever refused it, the preview's
// rules or the store's (a correction of an allocation corrected meanwhile).
func (s *Handlers) submitAllocation(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.AllocationMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	in, f, req, err := s.readAllocationForm(c, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var a finance.Allocation
	if f.OK() {
		a, err = s.buildAllocation(ctx, cm, req)
		if !s.Record(c, f, err) {
			return
		}
	}
	if f.OK() && in.Action != "save" {
		view := newAllocationView(a)
		s.renderAllocationForm(c, http.StatusOK, cm, in, f, &view)
		return
	}
	var saved finance.Allocation
	if !s.Submit(c, f, func(tx *store.Conn) error { saved, err = tx.CreateAllocation(ctx, a); return err },
		func(int) { s.renderAllocationForm(c, http.StatusBadRequest, cm, in, f, nil) }) {
		return
	}
	s.Redirect(c, kit.AllocationURL(saved.ID), "Fördelningen är sparad. Den kan inte ändras; en rättelse görs som en ny fördelning som ersätter denna.")
}

// readAllocationForm reads the allocation form posted for committee cm, with
// the fields of each party of the committee, into the input, the form as it
// is shown again and a request.
func (s *Handlers) readAllocationForm(c *gin.Context, cm domain.Committee) (allocationInput, *kit.Form, allocationRequest, error) {
	table, err := s.DB.Conn().PopulationTable(c.Request.Context(), cm, s.Today())
	if err != nil {
		return allocationInput{}, nil, allocationRequest{}, err
	}
	var in allocationInput
	f := kit.Bind(c, &in)
	slugs := make([]string, len(table.Rows))
	for i, r := range table.Rows {
		slugs[i] = r.Party.Slug
	}
	ticked := kit.BindEach(c, f, partyField, slugs)
	in.Parties, in.Percents = map[string]bool{}, kit.BindEach(c, f, percentField, slugs)
	in.Decided = kit.BindEach(c, f, decidedField, slugs)
	for _, slug := range slugs {
		in.Parties[slug] = ticked[slug] != ""
	}
	rows := map[string]map[string]string{}
	for _, name := range partFields {
		rows[name] = kit.BindEach(c, f, func(k string) string { return "part" + k + "_" + name }, partKeys)
	}
	for k, key := range partKeys {
		in.Parts[k] = partInput{Percent: rows["percent"][key], Method: rows["method"][key], HostShare: rows["host_share"][key],
			Renormalise: rows["renormalise"][key] != ""}
	}
	return in, f, requestFromInput(in, f, table.Rows), nil
}

// livePreviewAllocation answers the allocation form's live preview (htmx, as
// the economist edits the form) with only the preview: the split computed as
// "Förhandsgranska" computes it, or the reasons it cannot be computed, each
// linked to its field. It never saves. Problems in the input are the answer's
// content, so they come with 200 like a split does; htmx swaps in 2xx only.
// A form not yet given a title still shows its split: the title is checked
// when the form is sent.
func (s *Handlers) livePreviewAllocation(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.AllocationMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in, f, req, err := s.readAllocationForm(c, cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	block := allocationPreviewBlock{Form: f, Live: true}
	if f.OK() {
		if req.Title == "" {
			req.Title = "Förhandsgranskning"
		}
		a, err := s.buildAllocation(c.Request.Context(), cm, req)
		if !s.Record(c, f, err) {
			return
		}
		if f.OK() {
			a.Title = in.Title
			view := newAllocationView(a)
			block.Preview = &view
		}
	}
	s.RenderFragment(c, http.StatusOK, "allocation_form", "allocationPreview", block)
}

// methodLabel returns the Swedish name of an allocation method.
func methodLabel(m string) string {
	switch allocation.Method(m) {
	case allocation.MethodEqual:
		return "Lika delar"
	case allocation.MethodPopulation:
		return "Efter invånarantal"
	case allocation.MethodPercent:
		return "Fast fördelningsnyckel"
	case allocation.MethodDirect:
		return "Direkt till en part"
	case allocation.MethodMixed:
		return "Blandad nyckel"
	}
	return m
}

// requestFromInput reads the form's input into a request, recording
// unreadable numbers as field errors on f.
func requestFromInput(in allocationInput, f *kit.Form, rows []domain.PopulationRow) allocationRequest {
	req := allocationRequest{
		Kind: finance.AllocationKind(in.Kind), Title: in.Title, Method: allocation.Method(in.Method),
		Unit: allocation.Unit(in.Unit), CostObject: in.CostObject, Case: in.Case, Paragraph: in.Paragraph, Decision: in.Decision,
		Renormalise: in.Renormalise && in.Method == string(allocation.MethodPercent),
		PaysDecided: in.Basis == "decided", ConfirmDecided: in.ConfirmDecided,
	}
	if years, err := finance.ParseYears(in.OriginYears); err != nil {
		f.Errors["origin_years"] = domain.ErrorMessage(err)
	} else {
		req.OriginYears = years
	}
	amount := func(field, value string) (decimal.Decimal, bool) {
		d, err := domain.ParseAmount(value)
		if err != nil {
			f.Errors[field] = domain.ErrorMessage(err)
			return decimal.Zero, false
		}
		return d, true
	}
	if in.Total == "" {
		f.Errors["total"] = "Ange beloppet som ska fördelas."
	} else if d, ok := amount("total", in.Total); ok {
		req.Total = d
		if req.Kind == finance.AllocationRefund && d.IsPositive() {
			req.Total = d.Neg() // the form asks for the amount paid back
		}
	}
	if in.StatedShare != "" {
		if d, ok := amount("stated_share", in.StatedShare); ok {
			if req.Kind == finance.AllocationRefund {
				d = d.Abs().Neg()
			}
			req.StatedShare = decimal.NullDecimal{Decimal: d, Valid: true}
		}
	}
	if v := in.HostShare; v != "" {
		if d, ok := formPercent(v); !ok {
			f.Errors["host_share"] = "Ange värdpartens andel i procent, t.ex. 50."
		} else {
			req.HostShare = &d
		}
	}
	if req.Method == allocation.MethodMixed {
		req.Parts = partsFromInput(in, f)
	}
	if v := in.ReferenceDate; v != "" {
		if d, err := domain.ParseDate(v); err != nil {
			f.Errors["reference_date"] = "Ange datum som ÅÅÅÅ-MM-DD."
		} else {
			req.ReferenceDate = d
		}
	}
	if v := in.BudgetYear; v != "" {
		if y, err := strconv.Atoi(v); err != nil || y < 2000 || y > 2100 {
			f.Errors["budget_year"] = "Ange året med fyra siffror, t.ex. 2021."
		} else {
			req.BudgetYear = y
		}
	}
	if v := in.Supersedes; v != "" {
		req.Supersedes, _ = strconv.ParseInt(v, 10, 64)
	}
	for _, r := range rows {
		slug := r.Party.Slug
		if !in.Parties[slug] {
			continue
		}
		p := requestParty{ID: slug}
		if v := strings.TrimSpace(in.Decided[slug]); v != "" {
			if d, ok := amount(decidedField(slug), v); ok {
				if req.Kind == finance.AllocationRefund {
					d = d.Abs().Neg() // the form asks for the amount paid back
				}
				if req.Decided == nil {
					req.Decided = map[string]decimal.Decimal{}
				}
				req.Decided[slug] = d
			}
		}
		if v := in.Percents[slug]; v != "" && req.usesPercent() {
			d, ok := formPercent(v)
			if !ok {
				f.Errors[percentField(slug)] = fmt.Sprintf("Ange %s andel i procent, t.ex. 23,97.", r.Party.Name+"s")
				continue
			}
			p.Percent = &d
		}
		req.Parties = append(req.Parties, p)
	}
	return req
}

// usesPercent reports whether the request splits anything by a fixed key.
func (req allocationRequest) usesPercent() bool {
	if req.Method == allocation.MethodPercent {
		return true
	}
	for _, p := range req.Parts {
		if p.Method == allocation.MethodPercent {
			return true
		}
	}
	return false
}

// formPercent reads a percentage as the form takes it: "23,97", "23.97",
// "50 %".
func formPercent(v string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%")), " ", ""), ",", "."))
	return d, err == nil
}

// partsFromInput reads the filled rows of a mixed key's parts, recording
// unreadable percentages as field errors on f. A row with neither a
// percentage nor a host share is not a part.
func partsFromInput(in allocationInput, f *kit.Form) []requestPart {
	var parts []requestPart
	for k, row := range in.Parts {
		if row.Percent == "" && row.HostShare == "" {
			continue
		}
		p := requestPart{Row: k, Method: allocation.Method(row.Method), Renormalise: row.Renormalise && row.Method == string(allocation.MethodPercent)}
		d, ok := formPercent(row.Percent)
		if !ok {
			f.Errors[partField(k, "percent")] = fmt.Sprintf("Ange hur många procent av beloppet del %d gäller, t.ex. 50.", k+1)
			continue
		}
		p.Percent = d
		if row.HostShare != "" {
			h, ok := formPercent(row.HostShare)
			if !ok {
				f.Errors[partField(k, "host_share")] = "Ange värdpartens andel i procent, t.ex. 50."
				continue
			}
			if p.Method == allocation.MethodPopulation {
				p.HostShare = &h
			}
		}
		parts = append(parts, p)
	}
	return parts
}

// allocationView is an allocation as its page shows it.
type allocationView struct {
	finance.Allocation
	Rows []allocationRowView
	// SumMatches is the check that the shares sum to the total.
	SumMatches bool
	Unit       string
	// Stated is the decision's own figure per party, when it states one
	// figure for all.
	Stated string
	// Decided is set when the decision states an amount for every party:
	// DecidedSum is their sum and DecidedDiff its difference from the
	// total ("+1,00 kr"), zero when the sum is the total. Kept is what
	// stays in the committee when the allocation pays the decided amounts
	// (empty otherwise), and KeptYear the carry-forward year it is booked
	// in (a refund's last originating year).
	Decided                 bool
	DecidedSum, DecidedDiff string
	DecidedDiffZero         bool
	Kept                    string
	KeptYear                int
	// Unexplained names the parties whose decided amount rounding to
	// whole kronor does not explain (the economist confirmed them).
	Unexplained []string
	// KeySum is, for a fixed key renormalised over the participants, the
	// sum of their key percentages ("12,95 %"); empty otherwise.
	KeySum string
	// Parts are a mixed key's parts, each shown as a split of its own.
	Parts []partView
}

// partView is one part of a mixed key as the page shows it.
type partView struct {
	Number  int
	Percent string // "50 %"
	Quota   string // the part's exact share of the total, "234 045,505"
	Residue string // "+1 öre" when the part got a unit left over
	View    allocationView
}

type allocationRowView struct {
	finance.AllocationShare
	// Own marks the share of the party the user represents.
	Own     bool
	Basis   string
	Quota   string
	Amount  string
	Residue string
	// Decided is the decision's amount for the party and Diff its
	// difference from the exact share, when the decision states one;
	// Off marks a difference rounding to whole kronor does not explain.
	Decided, Diff string
	Off           bool
}

func newAllocationView(a finance.Allocation) allocationView {
	a = a.WithStatedShare()
	v := allocationView{Allocation: a, SumMatches: a.Sum().Equal(a.Total), Unit: "öre"}
	if a.Unit == string(allocation.UnitKrona) {
		v.Unit = "kr"
	}
	st := store.AllocationStats{Participants: len(a.Shares)}
	for _, s := range a.Shares {
		st.PopulationTotal += s.Population
	}
	for _, s := range a.Shares {
		r := allocationRowView{AllocationShare: s, Basis: shareBasis(a, s, st), Quota: sv.Exact(s.Quota, 2), Amount: sv.Kronor(s.Amount)}
		if key := finance.KeyBasis(a, s); key != "" {
			r.Basis = key
		}
		if s.PopulationSource != "" {
			r.Basis += " (" + s.PopulationSource + ")"
		}
		if s.Residue {
			r.Residue = "+1 " + v.Unit
			if a.Total.IsNegative() {
				r.Residue = "−1 " + v.Unit
			}
		}
		if s.Decided.Valid {
			r.Decided, r.Diff, r.Off = sv.Kronor(s.Decided.Decimal), signedKronor(s.Decided.Decimal.Sub(s.Amount)), !finance.RoundingExplains(s)
		}
		v.Rows = append(v.Rows, r)
	}
	if finance.Renormalised(a.Method, a.Shares) {
		v.KeySum = sv.ExactPercent(finance.KeySum(a.Shares))
	}
	for k, p := range a.Parts {
		part := finance.Allocation{Method: p.Method, Unit: a.Unit, Total: p.Total, HostShare: p.HostShare, Shares: p.Shares}
		pv := partView{Number: k + 1, Percent: sv.ExactPercent(p.Percent), Quota: sv.Exact(p.Quota, 2), View: newAllocationView(part)}
		if p.Residue {
			pv.Residue = "+1 " + v.Unit
			if a.Total.IsNegative() {
				pv.Residue = "−1 " + v.Unit
			}
		}
		v.Parts = append(v.Parts, pv)
	}
	if a.StatedShare.Valid {
		v.Stated = sv.Kronor(a.StatedShare.Decimal)
	}
	if a.HasDecided() {
		v.Decided, v.DecidedSum = true, sv.Kronor(a.DecidedSum())
		v.DecidedDiff, v.DecidedDiffZero = signedKronor(a.DecidedDifference()), a.DecidedDifference().IsZero()
		for _, s := range a.Unexplained() {
			v.Unexplained = append(v.Unexplained, s.PartyName)
		}
	}
	if a.PaysDecided {
		v.Kept = sv.Kronor(a.Kept())
		if n := len(a.OriginYears); n > 0 {
			v.KeptYear = a.OriginYears[n-1]
		}
	}
	return v
}

// signedKronor writes an amount with its sign, "+1,00 kr" or "−0,11 kr".
func signedKronor(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + sv.Kronor(d)
	}
	return sv.Kronor(d)
}

// allocationsIndex goes to the allocations of the first committee (by code)
// whose allocations the user may read.
func (s *Handlers) allocationsIndex(c *gin.Context) {
	cms, err := s.DB.Conn().Committees(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, cm := range cms {
		if kit.CurrentUser(c).HasIn(cm.ID, domain.EconomyViewers...) {
			c.Redirect(http.StatusFound, "/namnder/"+cm.Code+"/fordelningar")
			return
		}
	}
	s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "Du har ingen roll i en nämnd som ger tillgång till fördelningar."))
}

type allocationsPage struct {
	Committee   domain.Committee
	Allocations []allocationView
	CanMake     bool
}

// allocationsPage lists a committee's allocations, newest first.
func (s *Handlers) allocationsPage(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.EconomyViewers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.DB.Conn().Allocations(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := kit.CurrentUser(c)
	p := allocationsPage{Committee: cm, CanMake: u.HasIn(cm.ID, domain.AllocationMakers...)}
	for _, a := range list {
		if a.Decided() || seesDrafts(u, cm.ID) {
			p.Allocations = append(p.Allocations, markOwn(newAllocationView(a), u.PartyIn(cm.ID)))
		}
	}
	s.Render(c, http.StatusOK, "allocations", "Fördelningar – "+cm.Code, p)
}

// ownAllocation reads the :id of an allocation route, for a user who may read
// the committee's allocations (a proposal not yet decided only for the
// staff); any other is "not found".
func (s *Handlers) ownAllocation(c *gin.Context) (finance.Allocation, domain.Committee, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ctx := c.Request.Context()
	a, err := s.DB.Conn().AllocationByID(ctx, id)
	u := kit.CurrentUser(c)
	if err == nil && (!u.HasIn(a.CommitteeID, domain.EconomyViewers...) || !a.Decided() && !seesDrafts(u, a.CommitteeID)) {
		err = domain.Errorf(domain.ENOTFOUND, "Fördelningen finns inte.")
	}
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, a.CommitteeID)
	}
	if err != nil {
		return finance.Allocation{}, domain.Committee{}, err
	}
	return a, cm, nil
}

type allocationPage struct {
	Committee domain.Committee
	A         allocationView
	CanMake   bool
	// DecisionNotice is the notice of the minutes holding the deciding
	// paragraph (minutes the demo constructed say so).
	DecisionNotice string
}

// allocationPage shows one allocation: the table, the sum check, the decision
// and its own figures, and what superseded it or what it supersedes.
func (s *Handlers) allocationPage(c *gin.Context) {
	a, cm, err := s.ownAllocation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := kit.CurrentUser(c)
	page := allocationPage{Committee: cm, A: markOwn(newAllocationView(a), u.PartyIn(cm.ID)), CanMake: u.HasIn(cm.ID, domain.AllocationMakers...)}
	if a.ParagraphID != 0 {
		ctx := c.Request.Context()
		p, err := s.DB.Conn().ParagraphByID(ctx, a.ParagraphID)
		if err == nil {
			var m meeting.Meeting
			m, err = s.DB.Conn().MeetingByID(ctx, p.MeetingID)
			page.DecisionNotice = m.MinutesNotice
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.Render(c, http.StatusOK, "allocation", a.Title, page)
}

// markOwn marks the share of the party the user represents (partyID, 0 for
// none), so a municipality finds its own among all the parties' shares.
func markOwn(v allocationView, partyID int64) allocationView {
	if partyID == 0 {
		return v
	}
	rows := make([]allocationRowView, len(v.Rows))
	for i, r := range v.Rows {
		r.Own = r.PartyID == partyID
		rows[i] = r
	}
	v.Rows = rows
	return v
}
