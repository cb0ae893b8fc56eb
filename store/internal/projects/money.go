package projects

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// AddProjectBudgetLine records a project's budget for a year on a report row of
// the committee; a later line for the same year and row replaces it, the
// earlier one staying as history.
func (c Projects) AddProjectBudgetLine(ctx context.Context, l finance.ProjectBudgetLine) (finance.ProjectBudgetLine, error) {
	p, err := c.ProjectByID(ctx, l.ProjectID)
	if err != nil {
		return finance.ProjectBudgetLine{}, err
	}
	if l.Year < domain.MinYear || l.Year > domain.MaxYear {
		return finance.ProjectBudgetLine{}, domain.FieldErrorf("year", "Ange året med fyra siffror, t.ex. 2020.")
	}
	var kind string
	if err := c.db.Get(ctx, &kind, `SELECT kind FROM report_rows WHERE id = ? AND committee_id = ?`, l.RowID, p.CommitteeID); err != nil {
		return finance.ProjectBudgetLine{}, domain.FieldErrorf("row", "Välj en rad ur nämndens kontoplan.")
	}
	if kind == string(finance.RowTotal) {
		return finance.ProjectBudgetLine{}, domain.FieldErrorf("row", "En summarad får ingen egen budget; välj en intäkts- eller kostnadsrad.")
	}
	ore, err := sqlconn.ToOre(l.Amount)
	if err != nil {
		return finance.ProjectBudgetLine{}, domain.FieldErrorf("amount", "%s", domain.ErrorMessage(err))
	}
	l.CreatedAt, l.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	if l.ID, err = c.db.Insert(ctx, `INSERT INTO project_budget_lines (project_id, year, row_id, amount_ore, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		l.ProjectID, l.Year, l.RowID, ore, l.CreatedAt, l.CreatedBy); err != nil {
		return finance.ProjectBudgetLine{}, fmt.Errorf("add project budget line: %w", err)
	}
	return l, c.db.Audit(ctx, "budget", "project", l.ProjectID, nil, map[string]any{"year": l.Year, "row_id": l.RowID, "amount": l.Amount.StringFixed(2)})
}

// ProjectBudget returns the project's budget lines in force, by year and row id.
func (c Projects) ProjectBudget(ctx context.Context, projectID int64) ([]finance.ProjectBudgetLine, error) {
	var rows []struct {
		ID        int64     `db:"id"`
		Year      int       `db:"year"`
		RowID     int64     `db:"row_id"`
		Ore       int64     `db:"amount_ore"`
		CreatedAt time.Time `db:"created_at"`
		CreatedBy string    `db:"created_by"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT l.id, l.year, l.row_id, l.amount_ore, l.created_at, l.created_by FROM project_budget_lines l
		WHERE l.project_id = ? AND l.id = (SELECT MAX(m.id) FROM project_budget_lines m WHERE m.project_id = l.project_id AND m.year = l.year AND m.row_id = l.row_id)
		ORDER BY l.year, l.row_id`, projectID); err != nil {
		return nil, fmt.Errorf("read project budget: %w", err)
	}
	out := make([]finance.ProjectBudgetLine, len(rows))
	for i, r := range rows {
		out[i] = finance.ProjectBudgetLine{ID: r.ID, ProjectID: projectID, Year: r.Year, RowID: r.RowID, Amount: sqlconn.FromOre(r.Ore), CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	}
	return out, nil
}

// AddProjectFunding records a line of the project's funding. A party's line must
// be for one of the project's participants.
func (c Projects) AddProjectFunding(ctx context.Context, f finance.ProjectFunding) (finance.ProjectFunding, error) {
	p, err := c.ProjectByID(ctx, f.ProjectID)
	if err != nil {
		return finance.ProjectFunding{}, err
	}
	if err := f.Validate(); err != nil {
		return finance.ProjectFunding{}, err
	}
	if f.PartyID != 0 {
		found := false
		for _, pt := range p.Participants {
			if pt.PartyID == f.PartyID {
				found, f.PartyName = true, pt.PartyName
			}
		}
		if !found {
			return finance.ProjectFunding{}, domain.FieldErrorf("party", "Parten deltar inte i projektet.")
		}
	}
	ore, err := sqlconn.ToOre(f.Amount)
	if err != nil {
		return finance.ProjectFunding{}, domain.FieldErrorf("amount", "%s", domain.ErrorMessage(err))
	}
	f.CreatedAt, f.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	if f.ID, err = c.db.Insert(ctx, `INSERT INTO project_funding (project_id, year, kind, party_id, funder, status, decision, amount_ore, note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ProjectID, f.Year, string(f.Kind), sqlconn.NullID(f.PartyID), strings.TrimSpace(f.Funder),
		string(f.Status), strings.TrimSpace(f.Decision), ore, strings.TrimSpace(f.Note), f.CreatedAt, f.CreatedBy); err != nil {
		return finance.ProjectFunding{}, fmt.Errorf("add project funding: %w", err)
	}
	return f, c.db.Audit(ctx, "fund", "project", f.ProjectID, nil, map[string]any{"year": f.Year, "kind": f.Kind, "party_id": f.PartyID,
		"funder": f.Funder, "status": f.Status, "decision": f.Decision, "amount": f.Amount.StringFixed(2)})
}

// ProjectFunding returns the project's funding, by year, kind and party.
func (c Projects) ProjectFunding(ctx context.Context, projectID int64) ([]finance.ProjectFunding, error) {
	var rows []struct {
		ID        int64          `db:"id"`
		Year      int            `db:"year"`
		Kind      string         `db:"kind"`
		PartyID   sql.NullInt64  `db:"party_id"`
		PartyName sql.NullString `db:"party_name"`
		Funder    string         `db:"funder"`
		Status    string         `db:"status"`
		Decision  string         `db:"decision"`
		Ore       int64          `db:"amount_ore"`
		Note      string         `db:"note"`
		CreatedAt time.Time      `db:"created_at"`
		CreatedBy string         `db:"created_by"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT f.id, f.year, f.kind, f.party_id, p.name AS party_name, f.funder, f.status, f.decision, f.amount_ore, f.note,
		f.created_at, f.created_by FROM project_funding f LEFT JOIN parties p ON p.id = f.party_id
		WHERE f.project_id = ? ORDER BY f.year, f.kind, p.name, f.id`, projectID); err != nil {
		return nil, fmt.Errorf("read project funding: %w", err)
	}
	out := make([]finance.ProjectFunding, len(rows))
	for i, r := range rows {
		out[i] = finance.ProjectFunding{ID: r.ID, ProjectID: projectID, Year: r.Year, Kind: finance.FundingKind(r.Kind), PartyID: r.PartyID.Int64,
			PartyName: r.PartyName.String, Funder: r.Funder, Status: finance.FundingStatus(r.Status), Decision: r.Decision,
			Amount: sqlconn.FromOre(r.Ore), Note: r.Note, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	}
	return out, nil
}

// ProjectActuals returns the outcome in force on the project's cost objects per
// month and account over the months from..to, in the ledger's signs (costs
// positive), the Object of each amount naming its object.
func (c Projects) ProjectActuals(ctx context.Context, projectID int64, from, to finance.Period) ([]finance.LedgerAmount, error) {
	var rows []struct {
		Period    int    `db:"period"`
		Account   string `db:"account"`
		Dimension int    `db:"dimension"`
		Object    string `db:"object"`
		Ore       int64  `db:"ore"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT a.period, a.account, a.dimension, a.object, SUM(a.amount_ore) AS ore
		FROM projects pr JOIN ledger_current lc ON lc.committee_id = pr.committee_id
		JOIN ledger_actuals a ON a.import_id = lc.import_id AND a.period = lc.period
		JOIN project_objects o ON o.project_id = pr.id AND o.dimension = a.dimension AND o.object = a.object
		WHERE pr.id = ? AND lc.period BETWEEN ? AND ? AND a.kind = 'outcome'
		GROUP BY a.period, a.account, a.dimension, a.object ORDER BY a.period, a.account`, projectID, from.Int(), to.Int()); err != nil {
		return nil, fmt.Errorf("read project actuals: %w", err)
	}
	out := make([]finance.LedgerAmount, len(rows))
	for i, r := range rows {
		out[i] = finance.LedgerAmount{Period: finance.PeriodFromInt(r.Period), Account: r.Account, Dimension: r.Dimension, Object: r.Object, Amount: sqlconn.FromOre(r.Ore)}
	}
	return out, nil
}

// ProjectAllocation is an allocation that invoices a project: in advance
// for a year, or the differences of a settlement.
type ProjectAllocation struct {
	ProjectID    int64
	AllocationID int64
	Year         int
	Role         string
	SettlementID int64
}

// LinkProjectAdvance records that a decided project allocation of the committee
// invoices the project in advance for a year.
func (c Projects) LinkProjectAdvance(ctx context.Context, projectID, allocationID int64, year int) error {
	p, err := c.ProjectByID(ctx, projectID)
	if err != nil {
		return err
	}
	var a struct {
		CommitteeID int64  `db:"committee_id"`
		Kind        string `db:"kind"`
		Decision    string `db:"decision"`
	}
	if err := c.db.Get(ctx, &a, `SELECT committee_id, kind, decision FROM allocations WHERE id = ?`, allocationID); err != nil || a.CommitteeID != p.CommitteeID {
		return domain.FieldErrorf("allocation", "Fördelningen finns inte i nämnden.")
	}
	switch {
	case a.Kind != string(finance.AllocationProject):
		return domain.FieldErrorf("allocation", "Bara en fördelning av projektkostnader kan vara förskott för ett projekt.")
	case a.Decision == "":
		return domain.FieldErrorf("allocation", "Fördelningen är ett förslag utan beslut; bara beslutade fördelningar är förskott.")
	case year < domain.MinYear || year > domain.MaxYear:
		return domain.FieldErrorf("year", "Ange året med fyra siffror, t.ex. 2020.")
	}
	return c.link(ctx, ProjectAllocation{ProjectID: projectID, AllocationID: allocationID, Year: year, Role: "advance"})
}

func (c Projects) link(ctx context.Context, l ProjectAllocation) error {
	_, err := c.db.Exec(ctx, `INSERT INTO project_allocations (project_id, allocation_id, year, role, settlement_id, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.ProjectID, l.AllocationID, l.Year, l.Role, sqlconn.NullID(l.SettlementID), c.db.Now(), domain.ActorFrom(ctx).Label)
	if sqlconn.IsUniqueViolation(err) {
		return domain.FieldErrorf("allocation", "Fördelningen hör redan till ett projekt.")
	}
	if err != nil {
		return fmt.Errorf("link project allocation: %w", err)
	}
	return c.db.Audit(ctx, "link", "project", l.ProjectID, nil, map[string]any{"allocation_id": l.AllocationID, "year": l.Year, "role": l.Role})
}

// ProjectAllocations returns the allocations that invoice the project, by year.
func (c Projects) ProjectAllocations(ctx context.Context, projectID int64) ([]ProjectAllocation, error) {
	var rows []struct {
		AllocationID int64         `db:"allocation_id"`
		Year         int           `db:"year"`
		Role         string        `db:"role"`
		SettlementID sql.NullInt64 `db:"settlement_id"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT allocation_id, year, role, settlement_id FROM project_allocations WHERE project_id = ? ORDER BY year, allocation_id`, projectID); err != nil {
		return nil, fmt.Errorf("read project allocations: %w", err)
	}
	out := make([]ProjectAllocation, len(rows))
	for i, r := range rows {
		out[i] = ProjectAllocation{ProjectID: projectID, AllocationID: r.AllocationID, Year: r.Year, Role: r.Role, SettlementID: r.SettlementID.Int64}
	}
	return out, nil
}

// ProjectInvoiced returns, per party, what the project's allocations of the year
// (advances and earlier settlements) have invoiced: the shares of those that
// have an invoice run, the host's internal transfer included.
func (c Projects) ProjectInvoiced(ctx context.Context, projectID int64, year int) (map[int64]decimal.Decimal, error) {
	var rows []struct {
		PartyID int64 `db:"party_id"`
		Ore     int64 `db:"ore"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT s.party_id, SUM(s.amount_ore) AS ore FROM project_allocations pa
		JOIN allocation_shares s ON s.allocation_id = pa.allocation_id
		WHERE pa.project_id = ? AND pa.year = ? AND EXISTS (SELECT 1 FROM invoice_runs r WHERE r.allocation_id = pa.allocation_id)
		GROUP BY s.party_id`, projectID, year); err != nil {
		return nil, fmt.Errorf("read project invoiced: %w", err)
	}
	out := map[int64]decimal.Decimal{}
	for _, r := range rows {
		out[r.PartyID] = sqlconn.FromOre(r.Ore)
	}
	return out, nil
}

// ProjectPartyAccount is what one party was invoiced and paid for a project.
type PartyAccount struct {
	// Invoiced is the sum of its invoices less its credit notes; Paid what
	// it has paid of the invoices; Credited what credit notes took off them.
	Invoiced decimal.Decimal
	Paid     decimal.Decimal
	Credited decimal.Decimal
}

// ProjectPartyAccount sums the party's invoices and credit notes from the
// project's allocations, and the payments on them.
func (c Projects) ProjectPartyAccount(ctx context.Context, projectID, partyID int64) (PartyAccount, error) {
	var r struct {
		Invoiced sql.NullInt64 `db:"invoiced"`
		Paid     sql.NullInt64 `db:"paid"`
		Credited sql.NullInt64 `db:"credited"`
	}
	if err := c.db.Get(ctx, &r, `SELECT SUM(CASE WHEN i.kind = 'credit_note' THEN -i.amount_ore ELSE i.amount_ore END) AS invoiced,
		SUM(CASE WHEN i.kind = 'credit_note' THEN 0 ELSE i.paid_ore END) AS paid,
		SUM(CASE WHEN i.kind = 'credit_note' THEN 0 ELSE i.credited_ore END) AS credited
		FROM invoices i JOIN project_allocations pa ON pa.allocation_id = i.allocation_id
		WHERE pa.project_id = ? AND i.party_id = ?`, projectID, partyID); err != nil {
		return PartyAccount{}, fmt.Errorf("read project party account: %w", err)
	}
	return PartyAccount{Invoiced: sqlconn.FromOre(r.Invoiced.Int64), Paid: sqlconn.FromOre(r.Paid.Int64), Credited: sqlconn.FromOre(r.Credited.Int64)}, nil
}

// SaveProjectSettlement stores a settlement with its shares and links the
// allocations that invoice its differences. A year is settled once.
func (c Projects) SaveProjectSettlement(ctx context.Context, s finance.Settlement) (finance.Settlement, error) {
	ore := func(d decimal.Decimal) int64 { n, _ := sqlconn.ToOre(d); return n }
	for _, d := range []decimal.Decimal{s.Cost, s.External, s.Net} {
		if _, err := sqlconn.ToOre(d); err != nil {
			return finance.Settlement{}, err
		}
	}
	s.CreatedAt, s.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO project_settlements (project_id, year, from_month, to_month, kind, cost_ore, external_ore, net_ore, months, decision, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ProjectID, s.Year, int(s.FromMonth), int(s.ToMonth), s.Kind, ore(s.Cost), ore(s.External), ore(s.Net),
		s.Months, s.Decision, s.CreatedAt, s.CreatedBy)
	if sqlconn.IsUniqueViolation(err) {
		return finance.Settlement{}, domain.Errorf(domain.ECONFLICT, "Projektets år %d är redan avräknat; en avräkning görs en gång per år.", s.Year)
	}
	if err != nil {
		return finance.Settlement{}, fmt.Errorf("save settlement: %w", err)
	}
	s.ID = id
	for i, sh := range s.Shares {
		if _, err := c.db.Exec(ctx, `INSERT INTO project_settlement_shares (settlement_id, party_id, position, months, weight, quota, share_ore, advance_ore, difference_ore, residue)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, sh.PartyID, i+1, sh.Months, sh.Weight.String(), sh.Quota.String(), ore(sh.Share), ore(sh.Advance),
			ore(sh.Difference), sh.Residue); err != nil {
			return finance.Settlement{}, fmt.Errorf("save settlement share: %w", err)
		}
	}
	for _, aid := range s.AllocationIDs {
		if err := c.link(ctx, ProjectAllocation{ProjectID: s.ProjectID, AllocationID: aid, Year: s.Year, Role: "settlement", SettlementID: id}); err != nil {
			return finance.Settlement{}, err
		}
	}
	return s, c.db.Audit(ctx, "settle", "project", s.ProjectID, nil, map[string]any{"settlement_id": id, "year": s.Year, "kind": s.Kind,
		"net": s.Net.StringFixed(2), "decision": s.Decision, "allocations": s.AllocationIDs})
}

// ProjectSettlements returns the project's settlements, by year, with their shares
// in the order they were computed.
func (c Projects) ProjectSettlements(ctx context.Context, projectID int64) ([]finance.Settlement, error) {
	var rows []struct {
		ID        int64     `db:"id"`
		Year      int       `db:"year"`
		From      int       `db:"from_month"`
		To        int       `db:"to_month"`
		Kind      string    `db:"kind"`
		Cost      int64     `db:"cost_ore"`
		External  int64     `db:"external_ore"`
		Net       int64     `db:"net_ore"`
		Months    int       `db:"months"`
		Decision  string    `db:"decision"`
		CreatedAt time.Time `db:"created_at"`
		CreatedBy string    `db:"created_by"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT id, year, from_month, to_month, kind, cost_ore, external_ore, net_ore, months, decision, created_at, created_by
		FROM project_settlements WHERE project_id = ? ORDER BY year`, projectID); err != nil {
		return nil, fmt.Errorf("read settlements: %w", err)
	}
	out := make([]finance.Settlement, len(rows))
	for i, r := range rows {
		s := finance.Settlement{ID: r.ID, ProjectID: projectID, Year: r.Year, FromMonth: time.Month(r.From), ToMonth: time.Month(r.To), Kind: r.Kind,
			Cost: sqlconn.FromOre(r.Cost), External: sqlconn.FromOre(r.External), Net: sqlconn.FromOre(r.Net), Months: r.Months,
			Decision: r.Decision, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
		var shares []struct {
			PartyID   int64  `db:"party_id"`
			PartyName string `db:"party_name"`
			Host      bool   `db:"host"`
			Months    int    `db:"months"`
			Weight    string `db:"weight"`
			Quota     string `db:"quota"`
			Share     int64  `db:"share_ore"`
			Advance   int64  `db:"advance_ore"`
			Diff      int64  `db:"difference_ore"`
			Residue   bool   `db:"residue"`
		}
		if err := c.db.Select(ctx, &shares, `SELECT s.party_id, p.name AS party_name,
			(cm.host_party_id IS NOT NULL AND cm.host_party_id = s.party_id) AS host, s.months, s.weight, s.quota,
			s.share_ore, s.advance_ore, s.difference_ore, s.residue
			FROM project_settlement_shares s JOIN parties p ON p.id = s.party_id
			JOIN project_settlements st ON st.id = s.settlement_id JOIN projects pr ON pr.id = st.project_id
			JOIN committees cm ON cm.id = pr.committee_id
			WHERE s.settlement_id = ? ORDER BY s.position`, r.ID); err != nil {
			return nil, fmt.Errorf("read settlement shares: %w", err)
		}
		for _, sh := range shares {
			w, err1 := decimal.NewFromString(sh.Weight)
			q, err2 := decimal.NewFromString(sh.Quota)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("settlement %d: bad weight or quota", r.ID)
			}
			s.Shares = append(s.Shares, finance.SettlementShare{PartyID: sh.PartyID, PartyName: sh.PartyName, Host: sh.Host, Months: sh.Months,
				Weight: w, Quota: q, Share: sqlconn.FromOre(sh.Share), Advance: sqlconn.FromOre(sh.Advance), Difference: sqlconn.FromOre(sh.Diff), Residue: sh.Residue})
		}
		if err := c.db.Select(ctx, &s.AllocationIDs, `SELECT allocation_id FROM project_allocations WHERE settlement_id = ? ORDER BY allocation_id`, r.ID); err != nil {
			return nil, fmt.Errorf("read settlement allocations: %w", err)
		}
		out[i] = s
	}
	return out, nil
}
