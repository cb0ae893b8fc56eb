package money

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type allocationRow struct {
	ID             int64          `db:"id"`
	CommitteeID    int64          `db:"committee_id"`
	Kind           string         `db:"kind"`
	Title          string         `db:"title"`
	Method         string         `db:"method"`
	Unit           string         `db:"unit"`
	TotalOre       int64          `db:"total_ore"`
	HostShare      sql.NullString `db:"host_share"`
	ReferenceDate  sqlconn.Date   `db:"reference_date"`
	BudgetYear     sql.NullInt64  `db:"budget_year"`
	CostObject     string         `db:"cost_object"`
	CaseID         sql.NullInt64  `db:"case_id"`
	CaseNumber     sql.NullString `db:"case_number"`
	Decision       string         `db:"decision"`
	ParagraphID    sql.NullInt64  `db:"paragraph_id"`
	StatedShareOre sql.NullInt64  `db:"stated_share_ore"`
	PaysDecided    bool           `db:"pays_decided"`
	OriginYears    string         `db:"origin_years"`
	SupersedesID   sql.NullInt64  `db:"supersedes_id"`
	SupersededBy   sql.NullInt64  `db:"superseded_by"`
	CreatedAt      time.Time      `db:"created_at"`
	CreatedBy      string         `db:"created_by"`
	PeriodStart    sqlconn.Date   `db:"period_start"`
	PeriodEnd      sqlconn.Date   `db:"period_end"`
}

func (r allocationRow) allocation() (finance.Allocation, error) {
	a := finance.Allocation{
		ID: r.ID, CommitteeID: r.CommitteeID, Kind: finance.AllocationKind(r.Kind), Title: r.Title,
		Method: r.Method, Unit: r.Unit, Total: sqlconn.FromOre(r.TotalOre), ReferenceDate: domain.Date(r.ReferenceDate),
		BudgetYear: int(r.BudgetYear.Int64), CostObject: r.CostObject, CaseID: r.CaseID.Int64, CaseNumber: r.CaseNumber.String,
		Decision: r.Decision, ParagraphID: r.ParagraphID.Int64, StatedShare: sqlconn.FromNullOre(r.StatedShareOre), SupersedesID: r.SupersedesID.Int64,
		SupersededByID: r.SupersededBy.Int64, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy, PaysDecided: r.PaysDecided,
		PeriodStart: domain.Date(r.PeriodStart), PeriodEnd: domain.Date(r.PeriodEnd),
	}
	years, err := finance.ParseYears(r.OriginYears)
	if err != nil {
		return finance.Allocation{}, fmt.Errorf("allocation %d: origin years %q: %w", r.ID, r.OriginYears, err)
	}
	a.OriginYears = years
	if r.HostShare.Valid {
		d, err := decimal.NewFromString(r.HostShare.String)
		if err != nil {
			return finance.Allocation{}, fmt.Errorf("allocation %d: host share: %w", r.ID, err)
		}
		a.HostShare = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	return a, nil
}

const allocationSelect = `SELECT a.id, a.committee_id, a.kind, a.title, a.method, a.unit, a.total_ore, a.host_share,
	a.reference_date, a.budget_year, a.cost_object, a.case_id,
	CASE WHEN cs.id IS NULL THEN NULL ELSE cm.code || '/' || cs.seq || '/' || cs.year END AS case_number,
	a.decision, a.paragraph_id, a.stated_share_ore, a.pays_decided, a.origin_years, a.supersedes_id, a.superseded_by, a.created_at, a.created_by,
	ap.period_start, ap.period_end
	FROM allocations a JOIN committees cm ON cm.id = a.committee_id LEFT JOIN cases cs ON cs.id = a.case_id
	LEFT JOIN allocation_periods ap ON ap.allocation_id = a.id`

type shareRow struct {
	PartyID          int64         `db:"party_id"`
	PartyName        string        `db:"party_name"`
	Position         int           `db:"position"`
	Host             bool          `db:"host"`
	AmountOre        int64         `db:"amount_ore"`
	Quota            string        `db:"quota"`
	Weight           string        `db:"weight"`
	WeightKind       string        `db:"weight_kind"`
	Population       sql.NullInt64 `db:"population"`
	PopulationDate   sqlconn.Date  `db:"population_date"`
	PopulationSource string        `db:"population_source"`
	Residue          bool          `db:"residue"`
	DecidedOre       sql.NullInt64 `db:"decided_ore"`
	AllocationID     int64         `db:"allocation_id"`
}

// share converts a stored share.
func (r shareRow) share() (finance.AllocationShare, error) {
	quota, err1 := decimal.NewFromString(r.Quota)
	weight, err2 := decimal.NewFromString(r.Weight)
	if err := errors.Join(err1, err2); err != nil {
		return finance.AllocationShare{}, fmt.Errorf("allocation %d share of party %d: %w", r.AllocationID, r.PartyID, err)
	}
	return finance.AllocationShare{
		PartyID: r.PartyID, PartyName: r.PartyName, Position: r.Position, Host: r.Host, Amount: sqlconn.FromOre(r.AmountOre),
		Quota: quota, Weight: weight, WeightKind: r.WeightKind, Population: r.Population.Int64,
		PopulationDate: domain.Date(r.PopulationDate), PopulationSource: r.PopulationSource, Residue: r.Residue,
		Decided: sqlconn.FromNullOre(r.DecidedOre),
	}, nil
}

// CreateAllocation saves an allocation computed by the allocation engine,
// with its shares, in one transaction. It checks again that the shares sum to
// the total and are of the committee's parties. When a.SupersedesID is set,
// the new allocation corrects that one, which must be of the same committee and
// not yet superseded; the old one stays, marked as superseded.
func (c Money) CreateAllocation(ctx context.Context, a finance.Allocation) (finance.Allocation, error) {
	total, err := sqlconn.ToOre(a.Total)
	if err != nil {
		return finance.Allocation{}, err
	}
	if err := checkAllocation(a); err != nil {
		return finance.Allocation{}, err
	}
	a = a.WithStatedShare()
	if err := a.CheckDecided(a.DecidedConfirmed); err != nil {
		return finance.Allocation{}, err
	}
	if err := checkParts(a); err != nil {
		return finance.Allocation{}, err
	}
	stated, err := sqlconn.NullOre(a.StatedShare)
	if err != nil {
		return finance.Allocation{}, err
	}
	if a.SupersedesID != 0 {
		old, err := c.AllocationByID(ctx, a.SupersedesID)
		if err != nil {
			return finance.Allocation{}, err
		}
		if old.CommitteeID != a.CommitteeID {
			return finance.Allocation{}, domain.Errorf(domain.ENOTFOUND, "Fördelningen som ska ersättas finns inte i nämnden.")
		}
		if old.Superseded() {
			return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Fördelning %d är redan ersatt av fördelning %d.", old.ID, old.SupersededByID)
		}
	}
	if a.ParagraphID != 0 {
		if err := c.checkDecidingParagraph(ctx, &a); err != nil {
			return finance.Allocation{}, err
		}
	}
	hostShare := sql.NullString{String: a.HostShare.Decimal.String(), Valid: a.HostShare.Valid}
	a.CreatedAt, a.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO allocations (committee_id, kind, title, method, unit, total_ore, host_share, reference_date,
		budget_year, cost_object, case_id, decision, paragraph_id, stated_share_ore, pays_decided, origin_years, supersedes_id, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.CommitteeID, string(a.Kind), a.Title, a.Method, a.Unit, total, hostShare, sqlconn.Date(a.ReferenceDate),
		sql.NullInt64{Int64: int64(a.BudgetYear), Valid: a.BudgetYear != 0}, a.CostObject,
		sql.NullInt64{Int64: a.CaseID, Valid: a.CaseID != 0}, a.Decision, sql.NullInt64{Int64: a.ParagraphID, Valid: a.ParagraphID != 0}, stated,
		a.PaysDecided, finance.FormatYears(a.OriginYears), sql.NullInt64{Int64: a.SupersedesID, Valid: a.SupersedesID != 0}, a.CreatedAt, a.CreatedBy)
	if err != nil {
		return finance.Allocation{}, fmt.Errorf("create allocation: %w", err)
	}
	if !a.PeriodStart.IsZero() {
		if _, err := c.db.Exec(ctx, `INSERT INTO allocation_periods (allocation_id, period_start, period_end) VALUES (?, ?, ?)`,
			id, sqlconn.Date(a.PeriodStart), sqlconn.Date(a.PeriodEnd)); err != nil {
			return finance.Allocation{}, fmt.Errorf("create allocation period: %w", err)
		}
	}
	for i, s := range a.Shares {
		amount, err := sqlconn.ToOre(s.Amount)
		if err != nil {
			return finance.Allocation{}, err
		}
		decided, err := sqlconn.NullOre(s.Decided)
		if err != nil {
			return finance.Allocation{}, err
		}
		var member int
		if err := c.db.Get(ctx, &member, `SELECT COUNT(*) FROM committee_parties WHERE committee_id = ? AND party_id = ?`, a.CommitteeID, s.PartyID); err != nil {
			return finance.Allocation{}, fmt.Errorf("create allocation: %w", err)
		}
		if member == 0 {
			return finance.Allocation{}, domain.Errorf(domain.EINVALID, "%s är inte part i nämnden.", s.PartyName)
		}
		_, err = c.db.Exec(ctx, `INSERT INTO allocation_shares (allocation_id, party_id, position, host, amount_ore, quota, weight, weight_kind,
			population, population_date, population_source, residue, decided_ore) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, s.PartyID, i+1, s.Host, amount, s.Quota.String(), s.Weight.String(), s.WeightKind,
			sql.NullInt64{Int64: s.Population, Valid: s.Population != 0}, sqlconn.Date(s.PopulationDate), s.PopulationSource, s.Residue, decided)
		if sqlconn.IsUniqueViolation(err) {
			return finance.Allocation{}, domain.Errorf(domain.EINVALID, "%s finns två gånger i fördelningen.", s.PartyName)
		}
		if err != nil {
			return finance.Allocation{}, fmt.Errorf("create allocation share: %w", err)
		}
	}
	if err := c.createParts(ctx, id, a); err != nil {
		return finance.Allocation{}, err
	}
	if a.SupersedesID != 0 {
		if _, err := c.db.Exec(ctx, `UPDATE allocations SET superseded_by = ? WHERE id = ?`, id, a.SupersedesID); err != nil {
			return finance.Allocation{}, fmt.Errorf("supersede allocation %d: %w", a.SupersedesID, err)
		}
		if err := c.db.Audit(ctx, "supersede", "allocation", a.SupersedesID, nil, map[string]int64{"superseded_by": id}); err != nil {
			return finance.Allocation{}, err
		}
	}
	saved, err := c.AllocationByID(ctx, id)
	if err != nil {
		return finance.Allocation{}, err
	}
	if err := c.db.Audit(ctx, "create", "allocation", id, nil, auditOfAllocation(saved)); err != nil {
		return finance.Allocation{}, err
	}
	return saved, nil
}

// checkDecidingParagraph checks that the deciding paragraph is one of the
// committee's, names it in a.Decision, and takes its case when the
// allocation has none.
func (c Money) checkDecidingParagraph(ctx context.Context, a *finance.Allocation) error {
	p, err := c.minutes().ParagraphByID(ctx, a.ParagraphID)
	if err != nil || p.CommitteeID != a.CommitteeID {
		return domain.FieldErrorf("paragraph", "Paragrafen finns inte i nämndens protokoll.")
	}
	cm, err := c.registry().CommitteeByID(ctx, a.CommitteeID)
	if err != nil {
		return err
	}
	a.Decision = cm.Code + " " + p.Ref()
	if a.CaseID == 0 && p.CaseID != 0 {
		a.CaseID = p.CaseID
	}
	if a.CaseID != 0 && p.CaseID != 0 && a.CaseID != p.CaseID {
		return domain.FieldErrorf("paragraph", "%s gäller ett annat ärende än fördelningens.", p.Ref())
	}
	return nil
}

// checkAllocation checks what the engine guarantees once more before money is
// stored: a known kind, a title, at least one share, and shares that sum to the
// total exactly.
func checkAllocation(a finance.Allocation) error {
	if !a.Kind.Valid() {
		return domain.FieldErrorf("kind", "Välj vad fördelningen gäller.")
	}
	if err := domain.CheckText("title", "Rubriken", a.Title, 300); err != nil {
		return err
	}
	if a.Title == "" {
		return domain.FieldErrorf("title", "Ge fördelningen en rubrik, t.ex. ”Basfinansiering 2021”.")
	}
	if len(a.Shares) == 0 {
		return domain.FieldErrorf("parties", "Fördelningen har inga parter.")
	}
	if !a.Sum().Equal(a.Total) {
		return domain.Errorf(domain.EINVALID, "Andelarna summerar till %s kr men totalen är %s kr: fördelningen sparas inte.", a.Sum().StringFixed(2), a.Total.StringFixed(2))
	}
	return nil
}

// allocationAudit is how an allocation appears in the audit trail.
type allocationAudit struct {
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Method   string `json:"method"`
	Total    string `json:"total"`
	Case     string `json:"case,omitempty"`
	Decision string `json:"decision,omitempty"`
	// Paragraph is the id of the deciding paragraph.
	Paragraph int64             `json:"paragraph,omitempty"`
	Shares    map[string]string `json:"shares"`
	// Parts are a mixed key's parts, e.g. "50 % equal: 234045.50".
	Parts []string `json:"parts,omitempty"`
	// Decided are the decision's amounts per party, PaysDecided whether
	// they are what is paid, Confirmed whether the economist confirmed
	// amounts rounding does not explain, OriginYears a refund's years.
	Decided     map[string]string `json:"decided,omitempty"`
	PaysDecided bool              `json:"pays_decided,omitempty"`
	Confirmed   bool              `json:"decided_confirmed,omitempty"`
	OriginYears string            `json:"origin_years,omitempty"`
}

func auditOfAllocation(a finance.Allocation) allocationAudit {
	shares := make(map[string]string, len(a.Shares))
	for _, s := range a.Shares {
		shares[s.PartyName] = s.Amount.StringFixed(2)
	}
	out := allocationAudit{Kind: string(a.Kind), Title: a.Title, Method: a.Method, Total: a.Total.StringFixed(2),
		Case: a.CaseNumber, Decision: a.Decision, Paragraph: a.ParagraphID, Shares: shares, Parts: auditOfParts(a.Parts),
		PaysDecided: a.PaysDecided, Confirmed: len(a.Unexplained()) > 0, OriginYears: finance.FormatYears(a.OriginYears)}
	for _, s := range a.Shares {
		if s.Decided.Valid {
			if out.Decided == nil {
				out.Decided = map[string]string{}
			}
			out.Decided[s.PartyName] = s.Decided.Decimal.StringFixed(2)
		}
	}
	return out
}

// AllocationByID returns an allocation with its shares in order, or ENOTFOUND.
func (c Money) AllocationByID(ctx context.Context, id int64) (finance.Allocation, error) {
	var r allocationRow
	err := c.db.Get(ctx, &r, allocationSelect+` WHERE a.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.Allocation{}, domain.Errorf(domain.ENOTFOUND, "Fördelningen finns inte.")
	}
	if err != nil {
		return finance.Allocation{}, fmt.Errorf("read allocation %d: %w", id, err)
	}
	a, err := r.allocation()
	if err != nil {
		return finance.Allocation{}, err
	}
	shares, err := c.sharesOf(ctx, []int64{id})
	if err != nil {
		return finance.Allocation{}, err
	}
	a.Shares = shares[id]
	list := []finance.Allocation{a}
	if err := c.withParts(ctx, list); err != nil {
		return finance.Allocation{}, err
	}
	return list[0], nil
}

// Allocations lists a committee's allocations, newest first, with their
// shares; superseded ones included and marked.
func (c Money) Allocations(ctx context.Context, committeeID int64) ([]finance.Allocation, error) {
	var rows []allocationRow
	if err := c.db.Select(ctx, &rows, allocationSelect+` WHERE a.committee_id = ? ORDER BY a.id DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("list allocations: %w", err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	shares, err := c.sharesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]finance.Allocation, len(rows))
	for i, r := range rows {
		if out[i], err = r.allocation(); err != nil {
			return nil, err
		}
		out[i].Shares = shares[r.ID]
	}
	if err := c.withParts(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CaseAllocations lists the allocations proposed or decided under a case,
// newest first, without their shares or parts: what the case page names,
// in one query.
func (c Money) CaseAllocations(ctx context.Context, caseID int64) ([]finance.Allocation, error) {
	var rows []allocationRow
	if err := c.db.Select(ctx, &rows, allocationSelect+` WHERE a.case_id = ? ORDER BY a.id DESC`, caseID); err != nil {
		return nil, fmt.Errorf("allocations of case %d: %w", caseID, err)
	}
	out := make([]finance.Allocation, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.allocation(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AllocationsToInvoice lists a committee's decided allocations in force (not
// superseded) that no run has invoiced, newest first, without their shares:
// what the invoice list offers to invoice, in one query.
func (c Money) AllocationsToInvoice(ctx context.Context, committeeID int64) ([]finance.Allocation, error) {
	var rows []allocationRow
	if err := c.db.Select(ctx, &rows, allocationSelect+` WHERE a.committee_id = ? AND a.decision <> '' AND a.superseded_by IS NULL
		AND NOT EXISTS (SELECT 1 FROM invoice_runs r WHERE r.allocation_id = a.id) ORDER BY a.id DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("allocations to invoice: %w", err)
	}
	out := make([]finance.Allocation, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.allocation(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c Money) sharesOf(ctx context.Context, ids []int64) (map[int64][]finance.AllocationShare, error) {
	out := map[int64][]finance.AllocationShare{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT s.allocation_id, s.party_id, p.name AS party_name, s.position, s.host, s.amount_ore, s.quota,
		s.weight, s.weight_kind, s.population, s.population_date, s.population_source, s.residue, s.decided_ore
		FROM allocation_shares s JOIN parties p ON p.id = s.party_id WHERE s.allocation_id IN (?) ORDER BY s.allocation_id, s.position`, ids)
	if err != nil {
		return nil, err
	}
	var rows []shareRow
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("read allocation shares: %w", err)
	}
	for _, r := range rows {
		share, err := r.share()
		if err != nil {
			return nil, err
		}
		out[r.AllocationID] = append(out[r.AllocationID], share)
	}
	return out, nil
}

// PartyShare is one party's share of an allocation in force, with the
// allocation and its decision (AllocationStatsOf adds what explains it).
type PartyShare struct {
	Allocation finance.Allocation // without its other shares
	Share      finance.AllocationShare
}

// PartyShareAmount is one of a party's shares in brief: enough to say which
// year it concerns and to add up what the party pays per year and kind.
type PartyShareAmount struct {
	AllocationID int64
	Kind         finance.AllocationKind
	BudgetYear   int       // 0 when the allocation names none
	CreatedAt    time.Time // when the allocation was saved
	Decided      bool      // tied to a decision; otherwise a proposal
	Amount       decimal.Decimal
}

// PartyShareAmounts lists, in brief, a party's shares of the committee's
// allocations that are in force (not superseded), over all years: what the
// party pays or gets, its decided amount when the allocation pays those.
func (c Money) PartyShareAmounts(ctx context.Context, committeeID, partyID int64) ([]PartyShareAmount, error) {
	var rows []struct {
		AllocationID int64         `db:"allocation_id"`
		Kind         string        `db:"kind"`
		BudgetYear   sql.NullInt64 `db:"budget_year"`
		CreatedAt    time.Time     `db:"created_at"`
		Decision     string        `db:"decision"`
		AmountOre    int64         `db:"amount_ore"`
	}
	err := c.db.Select(ctx, &rows, `SELECT s.allocation_id, a.kind, a.budget_year, a.created_at, a.decision,
		CASE WHEN a.pays_decided AND s.decided_ore IS NOT NULL THEN s.decided_ore ELSE s.amount_ore END AS amount_ore
		FROM allocation_shares s JOIN allocations a ON a.id = s.allocation_id
		WHERE a.committee_id = ? AND s.party_id = ? AND a.superseded_by IS NULL
		ORDER BY a.id`, committeeID, partyID)
	if err != nil {
		return nil, fmt.Errorf("party share amounts: %w", err)
	}
	out := make([]PartyShareAmount, len(rows))
	for i, r := range rows {
		out[i] = PartyShareAmount{AllocationID: r.AllocationID, Kind: finance.AllocationKind(r.Kind), BudgetYear: int(r.BudgetYear.Int64),
			CreatedAt: r.CreatedAt.UTC(), Decided: r.Decision != "", Amount: sqlconn.FromOre(r.AmountOre)}
	}
	return out, nil
}

// PartyShares returns a party's shares of the given allocations of the
// committee, with the allocations, newest first; allocations of another
// committee, superseded ones and ones the party has no share in are left out.
func (c Money) PartyShares(ctx context.Context, committeeID, partyID int64, allocationIDs []int64) ([]PartyShare, error) {
	if len(allocationIDs) == 0 {
		return nil, nil
	}
	var rows []struct {
		allocationRow
		shareRow
	}
	query, args, err := sqlx.In(`SELECT a.id, a.committee_id, a.kind, a.title, a.method, a.unit, a.total_ore, a.host_share,
		a.reference_date, a.budget_year, a.cost_object, a.case_id,
		CASE WHEN cs.id IS NULL THEN NULL ELSE cm.code || '/' || cs.seq || '/' || cs.year END AS case_number,
		a.decision, a.paragraph_id, a.stated_share_ore, a.pays_decided, a.origin_years, a.supersedes_id, a.superseded_by, a.created_at, a.created_by,
		s.allocation_id, s.party_id, p.name AS party_name, s.position, s.host, s.amount_ore, s.quota, s.weight, s.weight_kind,
		s.population, s.population_date, s.population_source, s.residue, s.decided_ore
		FROM allocation_shares s
		JOIN allocations a ON a.id = s.allocation_id
		JOIN committees cm ON cm.id = a.committee_id
		JOIN parties p ON p.id = s.party_id
		LEFT JOIN cases cs ON cs.id = a.case_id
		WHERE a.committee_id = ? AND s.party_id = ? AND a.superseded_by IS NULL AND a.id IN (?)
		ORDER BY COALESCE(a.budget_year, 0) DESC, a.id DESC`, committeeID, partyID, allocationIDs)
	if err != nil {
		return nil, err
	}
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("party shares: %w", err)
	}
	out := make([]PartyShare, len(rows))
	for i, r := range rows {
		a, err := r.allocationRow.allocation()
		if err != nil {
			return nil, err
		}
		share, err := r.shareRow.share()
		if err != nil {
			return nil, err
		}
		out[i] = PartyShare{Allocation: a, Share: share}
	}
	return out, nil
}

// AllocationStats are what a share's basis is explained by: how many parties
// share the allocation, and the sum of their population figures.
type AllocationStats struct {
	Participants    int
	PopulationTotal int64
	// KeySum is the sum of the shares' key percentages under a fixed key
	// (other than 100 for a key renormalised over the participants), and
	// zero under other methods.
	KeySum decimal.Decimal
}

// AllocationStatsOf returns the stats of the given allocations, by id.
func (c Money) AllocationStatsOf(ctx context.Context, ids []int64) (map[int64]AllocationStats, error) {
	out := map[int64]AllocationStats{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT allocation_id, COUNT(*) AS participants, SUM(population) AS population_total
		FROM allocation_shares WHERE allocation_id IN (?) GROUP BY allocation_id`, ids)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		AllocationID    int64         `db:"allocation_id"`
		Participants    int           `db:"participants"`
		PopulationTotal sql.NullInt64 `db:"population_total"`
	}
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("allocation stats: %w", err)
	}
	for _, r := range rows {
		out[r.AllocationID] = AllocationStats{Participants: r.Participants, PopulationTotal: r.PopulationTotal.Int64}
	}
	return out, c.addKeySums(ctx, ids, out)
}
