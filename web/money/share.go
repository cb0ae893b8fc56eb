package money

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/reports/statement"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// partyOnly is the rule of the party's own pages.
var partyOnly = kit.Roles(domain.RoleParty)

func (s *Handlers) shareRoutes() {
	s.Handle("GET", "/var-andel", partyOnly, s.sharePage)
	s.Handle("GET", "/var-andel/arsbesked.pdf", partyOnly, s.shareStatement)
}

// partyGrant returns the party role of the user: the one named by ?part= (a
// grant id) when the user speaks for several parties, else the first.
func partyGrant(c *gin.Context) (domain.RoleGrant, bool) {
	want, _ := strconv.ParseInt(c.Query("part"), 10, 64)
	var first *domain.RoleGrant
	for _, g := range kit.CurrentUser(c).Roles {
		if g.Role != domain.RoleParty {
			continue
		}
		if g.ID == want {
			return g, true
		}
		if first == nil {
			g := g
			first = &g
		}
	}
	if first == nil || want != 0 {
		return domain.RoleGrant{}, false
	}
	return *first, true
}

// shareRow is one share on the party's page.
type shareRow struct {
	store.PartyShare
	Basis  string
	Amount string
}

type sharePage struct {
	Committee domain.Committee
	Party     domain.Party
	Grants    []domain.RoleGrant
	Year      int
	// YearTotal is what the party pays (net of refunds) for the year.
	YearTotal string
	Shares    []shareRow
	// History is the party's net payments per budget year and kind, as a
	// chart and as its table.
	HistoryChart template.HTML
	History      []historyYear
	// Invoices are the year's invoices and credit notes to the party; Paid
	// the net amount paid (refunds paid out count negative).
	Invoices []finance.Invoice
	Paid     string
	// YearRule says which year an amount and a document count in.
	YearRule string
	// NoEInvoice names the invoices no e-invoice can be made of (the
	// party register lacks what Peppol needs): those offer only the PDF.
	NoEInvoice map[string]bool
	// Decisions are the decisions sent to the party (expedieras till),
	// newest first, and Given the assignments each gave.
	Decisions []meeting.Paragraph
	Given     map[int64][]meeting.Assignment
	// Dispatched are the party's dispatches by paragraph, and ToAcknowledge
	// the paragraphs whose utdrag the party has not acknowledged yet.
	Dispatched    map[int64]*meeting.Dispatch
	ToAcknowledge []meeting.Paragraph
	// PartiesHTML shows every party's share of the chosen allocation, the
	// party's own highlighted, as a chart and a table (cached: allocations
	// never change), in pieces (see htmlPieces).
	PartiesHTML []template.HTML
	// Projects are the projects the party takes or took part in: budget,
	// actual, its share by the settlements, and what it was invoiced and
	// has paid for each.
	Projects []partyProject
	// ofCommittee holds the committee's allocations in force that the party
	// has a share in, of every year: these it may open without a read.
	ofCommittee map[int64]bool
}

// partiesView is what the "shareParties" template renders.
type partiesView struct {
	Allocation finance.Allocation
	Chart      template.HTML
	Rows       []allocationRowView
	PartyID    int64
	PartyName  string
}

type historyYear struct {
	Year  int
	Kinds map[string]string
	Total string
}

// sharePage is "Vår andel": what the party pays and gets back, and why.
func (s *Handlers) sharePage(c *gin.Context) {
	p, err := s.loadShare(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	chosenID, _ := strconv.ParseInt(c.Query("fordelning"), 10, 64)
	if chosenID == 0 && len(p.Shares) > 0 {
		chosenID = p.Shares[0].Allocation.ID
	}
	if chosenID != 0 {
		// The committee check comes before the cache: a view is kept only
		// once a party of its committee has been let in, but a party user of
		// another committee (the same municipality may be a party there)
		// must not be answered from it.
		a, err := s.partyAllocation(c.Request.Context(), p, chosenID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		key := fmt.Sprintf("share/%d/%d/%d", p.Committee.ID, chosenID, p.Party.ID)
		html, ok := s.fragments.Get(key)
		if !ok {
			if a.ID == 0 {
				if a, err = s.DB.Conn().AllocationByID(c.Request.Context(), chosenID); err != nil {
					s.Fail(c, err)
					return
				}
			}
			if html, err = s.renderParties(a, p.Party); err != nil {
				s.Fail(c, err)
				return
			}
			s.fragments.Put(key, html)
		}
		p.PartiesHTML = html
	}
	if p.Decisions, p.Given, err = s.DB.Conn().DispatchedTo(c.Request.Context(), p.Committee.ID, p.Party.Slug); err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.loadDispatched(c.Request.Context(), &p); err != nil {
		s.Fail(c, err)
		return
	}
	p.NoEInvoice = map[string]bool{}
	for _, inv := range p.Invoices {
		if _, err := invoice.UBL(s.eInvoiceDoc(c.Request.Context(), inv)); err != nil {
			p.NoEInvoice[inv.Number] = true
		}
	}
	s.Render(c, http.StatusOK, "share", "Vår andel – "+p.Party.Name, p)
}

// partyAllocation checks that the party's committee owns the allocation id
// before anything about it is shown. An allocation the party has a share in
// (listed by committee in loadShare) passes without a read and is returned
// empty, for the caller to read only if its view is not kept; any other is
// read, and one of another committee (or none) is not found.
func (s *Handlers) partyAllocation(ctx context.Context, p sharePage, id int64) (finance.Allocation, error) {
	if p.ofCommittee[id] {
		return finance.Allocation{}, nil
	}
	a, err := s.DB.Conn().AllocationByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND || err == nil && a.CommitteeID != p.Committee.ID {
		return finance.Allocation{}, domain.Errorf(domain.ENOTFOUND, "Fördelningen finns inte.")
	}
	return a, err
}

// shareStatement is the party's annual statement as a PDF.
func (s *Handlers) shareStatement(c *gin.Context) {
	p, err := s.loadShare(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st := statement.Statement{Committee: p.Committee, Party: p.Party, Year: p.Year, Invoices: p.Invoices, Made: s.DB.Now()}
	for _, r := range p.Shares {
		if r.Allocation.Decision == "" {
			continue // a proposal: nothing to pay yet
		}
		st.Shares = append(st.Shares, statement.Share{Title: r.Allocation.Title, Kind: r.Allocation.Kind.Label(), Basis: r.Basis, Decision: r.Allocation.Decision, Amount: r.Allocation.Payable(r.Share)})
	}
	b, err := statement.Build(st)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="arsbesked-%d-%s.pdf"`, p.Year, p.Party.Slug))
	c.Data(http.StatusOK, "application/pdf", b)
}

// loadShare gathers what the party's pages show for the year asked for
// (?ar=, default this year): its shares with their basis, its invoices, and
// its amounts per year.
func (s *Handlers) loadShare(c *gin.Context) (sharePage, error) {
	g, ok := partyGrant(c)
	if !ok {
		return sharePage{}, domain.Errorf(domain.ENOTFOUND, "Du företräder ingen sådan part.")
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	cm, err := conn.CommitteeByID(ctx, g.CommitteeID)
	if err != nil {
		return sharePage{}, err
	}
	party, err := conn.PartyByID(ctx, g.PartyID)
	if err != nil {
		return sharePage{}, err
	}
	amounts, err := conn.PartyShareAmounts(ctx, cm.ID, party.ID)
	if err != nil {
		return sharePage{}, err
	}
	p := sharePage{Committee: cm, Party: party, Year: s.Today().Year, YearRule: statement.YearRule, ofCommittee: make(map[int64]bool, len(amounts))}
	for _, r := range kit.CurrentUser(c).Roles {
		if r.Role == domain.RoleParty {
			p.Grants = append(p.Grants, r)
		}
	}
	if y, err := strconv.Atoi(c.Query("ar")); err == nil && y > 1900 && y < 3000 {
		p.Year = y
	}
	// Every year's amounts make the history; only the year shown is read
	// in full. A proposal is shown, but only decided shares count in what
	// the party pays.
	yearTotal := decimal.Zero
	byYear := map[int]map[finance.AllocationKind]decimal.Decimal{}
	var ids []int64
	ofYear := map[int64]bool{} // the allocations of the year shown
	for _, a := range amounts {
		p.ofCommittee[a.AllocationID] = true
		year := shareYear(a.BudgetYear, a.CreatedAt)
		if a.Decided {
			if byYear[year] == nil {
				byYear[year] = map[finance.AllocationKind]decimal.Decimal{}
			}
			byYear[year][a.Kind] = byYear[year][a.Kind].Add(a.Amount)
		}
		if year == p.Year {
			ids = append(ids, a.AllocationID)
			ofYear[a.AllocationID] = true
			if a.Decided {
				yearTotal = yearTotal.Add(a.Amount)
			}
		}
	}
	shares, err := conn.PartyShares(ctx, cm.ID, party.ID, ids)
	if err != nil {
		return sharePage{}, err
	}
	for _, ps := range shares {
		p.Shares = append(p.Shares, shareRow{PartyShare: ps, Amount: sv.Kronor(ps.Allocation.Payable(ps.Share))})
	}
	stats, err := s.statsOf(ctx, ids)
	if err != nil {
		return sharePage{}, err
	}
	for i, r := range p.Shares {
		p.Shares[i].Basis = shareBasis(r.Allocation, r.Share, stats[r.Allocation.ID])
	}
	p.YearTotal = sv.Kronor(yearTotal)
	var bars []stackedBar
	p.History, bars = shareHistory(byYear)
	p.HistoryChart = s.historyChart(bars)

	// One rule for the year, the page's and the årsbesked's: the year the
	// money concerns. A document stands under the year of the allocation it
	// bills (its budget year), whatever its date; one without an
	// allocation under the year of its date.
	all, err := conn.Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{party.ID}})
	if err != nil {
		return sharePage{}, err
	}
	var invoices []finance.Invoice
	for _, inv := range all {
		if (inv.AllocationID != 0 && ofYear[inv.AllocationID]) || (inv.AllocationID == 0 && inv.IssueDate.Year == p.Year) {
			invoices = append(invoices, inv)
		}
	}
	paid := decimal.Zero
	for _, inv := range invoices {
		if inv.Kind == finance.InvoiceKindCreditNote {
			paid = paid.Sub(inv.Paid)
		} else {
			paid = paid.Add(inv.Paid)
		}
	}
	p.Invoices, p.Paid = invoices, sv.Kronor(paid)
	p.Projects, err = partyProjects(ctx, conn, cm, party.ID)
	return p, err
}

// partyProject is one of the party's projects on Vår andel.
type partyProject struct {
	finance.Project
	// Budget and Actual are the project's net over every year (report
	// signs, costs negative); Share is the party's part of the settled
	// years, Settled those years.
	Budget, Actual decimal.Decimal
	Share          decimal.Decimal
	Settled        []finance.Settlement
	Account        store.ProjectPartyAccount
}

// partyProjects gathers the party's projects with its figures.
func partyProjects(ctx context.Context, conn *store.Conn, cm domain.Committee, partyID int64) ([]partyProject, error) {
	list, err := conn.PartyProjects(ctx, cm.ID, partyID)
	if err != nil {
		return nil, err
	}
	var out []partyProject
	for _, p := range list {
		pp := partyProject{Project: p}
		years, err := projects.ProjectYears(ctx, conn, p, finance.Period{})
		if err != nil {
			return nil, err
		}
		for _, y := range years {
			pp.Budget, pp.Actual = pp.Budget.Add(y.Budget), pp.Actual.Add(y.Actual)
		}
		settled, err := conn.ProjectSettlements(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, st := range settled {
			for _, sh := range st.Shares {
				if sh.PartyID == partyID {
					pp.Share = pp.Share.Add(sh.Share)
					st.Shares = []finance.SettlementShare{sh}
					pp.Settled = append(pp.Settled, st)
				}
			}
		}
		if pp.Account, err = conn.ProjectPartyAccount(ctx, p.ID, partyID); err != nil {
			return nil, err
		}
		out = append(out, pp)
	}
	return out, nil
}

// statsOf returns the statistics of the saved allocations ids, from the
// cache where it has them (they never change) and from the database for the
// rest.
func (s *Handlers) statsOf(ctx context.Context, ids []int64) (map[int64]store.AllocationStats, error) {
	out := make(map[int64]store.AllocationStats, len(ids))
	var missing []int64
	for _, id := range ids {
		if st, ok := s.allocationStats.Get(id); ok {
			out[id] = st
		} else {
			missing = append(missing, id)
		}
	}
	read, err := s.DB.Conn().AllocationStatsOf(ctx, missing)
	if err != nil {
		return nil, err
	}
	for id, st := range read {
		s.allocationStats.Put(id, st)
		out[id] = st
	}
	return out, nil
}

// shareYear is the year an allocation concerns: its budget year, else the
// year it was saved.
func shareYear(budgetYear int, savedAt time.Time) int {
	if budgetYear != 0 {
		return budgetYear
	}
	return savedAt.In(sv.Location()).Year()
}

// shareBasis explains a share of allocation a in words, e.g. "invånare
// 15 054 av 131 155 per 2020-12-31" or "lika delar, 1/9"; beside a host's
// fixed share it says what part of the amount the population split shares:
// "50 % av beloppet, 125 000,00 kr, fördelat efter invånarantal: 63 985 av
// 131 155 per 2020-11-01".
func shareBasis(a finance.Allocation, sh finance.AllocationShare, st store.AllocationStats) string {
	switch allocation.WeightKind(sh.WeightKind) {
	case allocation.WeightEqual:
		return fmt.Sprintf("lika delar, 1/%d", st.Participants)
	case allocation.WeightPopulation:
		if a.HostShare.Valid && a.HostShare.Decimal.IsPositive() && a.Method != string(allocation.MethodMixed) {
			rest := decimal.NewFromInt(100).Sub(a.HostShare.Decimal)
			return fmt.Sprintf("%s av beloppet, %s, fördelat efter invånarantal: %s av %s per %s", sv.ExactPercent(rest),
				sv.Kronor(a.Total.Mul(rest).Div(decimal.NewFromInt(100)).Round(2)), sv.Integer(sh.Population), sv.Integer(st.PopulationTotal), sh.PopulationDate)
		}
		return fmt.Sprintf("invånare %s av %s per %s", sv.Integer(sh.Population), sv.Integer(st.PopulationTotal), sh.PopulationDate)
	case allocation.WeightHostShare:
		return "värdpart, fast andel " + sv.Percent(sh.Weight, 2)
	case allocation.WeightPercent:
		if !st.KeySum.IsZero() && !st.KeySum.Equal(decimal.NewFromInt(100)) { // a key renormalised over the participants
			share, _ := finance.RenormalisedShare(sh, st.KeySum)
			return fmt.Sprintf("fördelningsnyckel %s av de deltagandes %s = %s", sv.ExactPercent(sh.Weight), sv.ExactPercent(st.KeySum), sv.ExactPercent(share))
		}
		return "fördelningsnyckel " + sv.Percent(sh.Weight, 2)
	case allocation.WeightMixed:
		return "blandad nyckel, sammanlagt " + sv.ExactPercent(sh.Weight.Round(4)) + " av beloppet"
	case allocation.WeightDirect:
		return "direktdebitering, 100 %"
	}
	return sh.WeightKind
}

var kindClass = map[finance.AllocationKind]string{
	finance.AllocationBaseFunding: "k-base", finance.AllocationProject: "k-project",
	finance.AllocationDirect: "k-direct", finance.AllocationRefund: "k-refund",
}

// shareHistory builds the table and the stacked chart of the party's net
// amounts per year and kind, oldest year first.
func shareHistory(byYear map[int]map[finance.AllocationKind]decimal.Decimal) ([]historyYear, []stackedBar) {
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	var rows []historyYear
	var bars []stackedBar
	for _, y := range years {
		hy := historyYear{Year: y, Kinds: map[string]string{}}
		bar := stackedBar{Label: strconv.Itoa(y)}
		total := decimal.Zero
		for _, k := range finance.AllocationKinds {
			v, ok := byYear[y][k]
			if !ok {
				continue
			}
			hy.Kinds[string(k)] = sv.Kronor(v)
			total = total.Add(v)
			bar.Segments = append(bar.Segments, barSegment{Label: k.Label(), Value: v, Class: kindClass[k]})
		}
		hy.Total = sv.Kronor(total)
		rows = append(rows, hy)
		bars = append(bars, bar)
	}
	return rows, bars
}

// historyChart draws the chart of a party's payments per year and kind. The
// same figures always give the same drawing, and they change only when an
// allocation is decided, so drawings are kept by their figures.
func (s *Handlers) historyChart(bars []stackedBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	var key strings.Builder
	for _, b := range bars {
		key.WriteString(b.Label)
		for _, sg := range b.Segments {
			key.WriteString("|" + sg.Label + "|" + sg.Class + "=" + sg.Value.String())
		}
		key.WriteString(";")
	}
	if svg, ok := s.charts.Get(key.String()); ok {
		return svg
	}
	svg := stackedBarsSVG(bars, "Betalningar per år och slag")
	s.charts.Put(key.String(), svg)
	return svg
}

// renderParties renders every party's share of an allocation with the
// party's own highlighted.
func (s *Handlers) renderParties(a finance.Allocation, party domain.Party) ([]template.HTML, error) {
	view := newAllocationView(a)
	bars := make([]hbar, len(a.Shares))
	for i, sh := range a.Shares {
		bars[i] = hbar{Label: sh.PartyName, Value: a.Payable(sh), Highlight: sh.PartyID == party.ID}
	}
	var buf bytes.Buffer
	err := s.ExecuteTemplate(&buf, "share", "shareParties", partiesView{
		Allocation: a, Chart: horizontalBarsSVG(bars, a.Title), Rows: view.Rows, PartyID: party.ID, PartyName: party.Name,
	})
	if err != nil {
		return nil, fmt.Errorf("render shares of allocation %d: %w", a.ID, err)
	}
	return htmlPieces(buf.String(), htmlPieceSize), nil
}

// htmlPieceSize bounds the pieces htmlPieces cuts HTML into.
const htmlPieceSize = 32 << 10

// htmlPieces cuts rendered HTML into pieces of at most max bytes, at line
// ends, for a template to print one after the other. A template prints a
// value through fmt, whose buffers are reused only up to 64 kB: printing the
// 100 kB view of a large allocation in one piece allocated twice its size
// on every request.
func htmlPieces(h string, max int) []template.HTML {
	var out []template.HTML
	for len(h) > max {
		cut := strings.LastIndexByte(h[:max], '\n') + 1
		if cut == 0 {
			cut = max // no line end: cut anywhere, the pieces are printed together
		}
		out = append(out, template.HTML(h[:cut]))
		h = h[cut:]
	}
	if h != "" {
		out = append(out, template.HTML(h))
	}
	return out
}

// loadDispatched reads the protokollsutdrag expedierade to the party in
// the committee, and which of them wait for its acknowledgement.
func (s *Handlers) loadDispatched(ctx context.Context, p *sharePage) error {
	conn := s.DB.Conn()
	list, err := conn.PartyDispatches(ctx, p.Party.ID)
	if err != nil {
		return err
	}
	p.Dispatched = map[int64]*meeting.Dispatch{}
	for i, d := range list {
		para, err := conn.ParagraphByID(ctx, d.ParagraphID)
		if err != nil {
			return err
		}
		if para.CommitteeID != p.Committee.ID {
			continue
		}
		p.Dispatched[d.ParagraphID] = &list[i]
		if _, ok := d.Received(); !ok {
			p.ToAcknowledge = append(p.ToAcknowledge, para)
		}
	}
	return nil
}
