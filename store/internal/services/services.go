// Package services keeps the services a committee bills to one party (from
// the ledger's cost object, or staff time × a rate) with their bills, and
// the committee's uppräkning decisions on the yearly base contribution.
package services

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/economy"
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Services holds the services' and uppräkning methods, run on one
// connection. store.Conn embeds it.
type Services struct{ db *sqlconn.Conn }

// New returns the methods run on db.
func New(db *sqlconn.Conn) Services { return Services{db: db} }

// lock serialises the committee's service bills and uppräkning decisions
// (with the rest of its economy, whose ledger and budgets they read) for
// the rest of the transaction, so two bills of the same months cannot both
// pass the check against earlier bills.
func (c Services) lock(ctx context.Context, committeeID int64) error {
	return economy.New(c.db).LockEconomy(ctx, committeeID)
}

// decisionOf checks that a deciding paragraph is the committee's and
// returns its name, "GNS § 8/2020", and its case.
func (c Services) decisionOf(ctx context.Context, committeeID, paragraphID int64) (string, int64, error) {
	p, err := minutes.New(c.db).ParagraphByID(ctx, paragraphID)
	if err != nil || p.CommitteeID != committeeID {
		return "", 0, domain.FieldErrorf("paragraph", "Paragrafen finns inte i nämndens protokoll.")
	}
	cm, err := registry.New(c.db).CommitteeByID(ctx, committeeID)
	if err != nil {
		return "", 0, err
	}
	return cm.Code + " " + p.Ref(), p.CaseID, nil
}

// paragraphOf finds the paragraph a decision text names, "GNS § 8/2020"
// or "§ 8/2020", among the committee's minutes; 0 when it names none there
// (a decision older than the system, or another kind of decision).
func (c Services) paragraphOf(ctx context.Context, committeeID int64, decision string) (int64, error) {
	cm, err := registry.New(c.db).CommitteeByID(ctx, committeeID)
	if err != nil {
		return 0, err
	}
	ref := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(decision), cm.Code))
	if !strings.HasPrefix(ref, "§") {
		return 0, nil
	}
	number, year, err := meeting.ParseParagraphRef("decision", ref)
	if err != nil {
		return 0, nil
	}
	p, err := minutes.New(c.db).ParagraphByNumber(ctx, committeeID, year, number)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return 0, nil
	}
	return p.ID, err
}

type serviceRow struct {
	ID          int64          `db:"id"`
	CommitteeID int64          `db:"committee_id"`
	Kind        string         `db:"kind"`
	Name        string         `db:"name"`
	PartyID     int64          `db:"party_id"`
	PartyName   string         `db:"party_name"`
	CostObject  string         `db:"cost_object"`
	Unit        string         `db:"unit"`
	RateOre     sql.NullInt64  `db:"rate_ore"`
	Decision    string         `db:"decision"`
	ParagraphID sql.NullInt64  `db:"paragraph_id"`
	CaseID      sql.NullInt64  `db:"case_id"`
	CaseNumber  sql.NullString `db:"case_number"`
	Description string         `db:"description"`
	StartsOn    sqlconn.Date   `db:"starts_on"`
	EndsOn      sqlconn.Date   `db:"ends_on"`
	CreatedAt   time.Time      `db:"created_at"`
	CreatedBy   string         `db:"created_by"`
}

func (r serviceRow) service() finance.Service {
	return finance.Service{
		ID: r.ID, CommitteeID: r.CommitteeID, Kind: finance.ServiceKind(r.Kind), Name: r.Name, PartyID: r.PartyID, PartyName: r.PartyName,
		CostObject: r.CostObject, Unit: r.Unit, Rate: sqlconn.FromOre(r.RateOre.Int64), Decision: r.Decision,
		ParagraphID: r.ParagraphID.Int64, CaseID: r.CaseID.Int64, CaseNumber: r.CaseNumber.String, Description: r.Description,
		StartsOn: domain.Date(r.StartsOn), EndsOn: domain.Date(r.EndsOn), CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
	}
}

const serviceSelect = `SELECT s.id, s.committee_id, s.kind, s.name, s.party_id, p.name AS party_name, s.cost_object, s.unit, s.rate_ore,
	s.decision, s.paragraph_id, s.case_id,
	CASE WHEN cs.id IS NULL THEN NULL ELSE cm.code || '/' || cs.seq || '/' || cs.year END AS case_number,
	s.description, s.starts_on, s.ends_on, s.created_at, s.created_by
	FROM services s JOIN parties p ON p.id = s.party_id JOIN committees cm ON cm.id = s.committee_id
	LEFT JOIN cases cs ON cs.id = s.case_id`

// CreateService saves a new service after checking it, that its party is a
// party of the committee, and that its deciding paragraph (if any) is one of
// the committee's, whose name becomes the decision.
func (c Services) CreateService(ctx context.Context, s finance.Service) (finance.Service, error) {
	if err := s.Check(); err != nil {
		return finance.Service{}, err
	}
	var member int
	if err := c.db.Get(ctx, &member, `SELECT COUNT(*) FROM committee_parties WHERE committee_id = ? AND party_id = ?`, s.CommitteeID, s.PartyID); err != nil {
		return finance.Service{}, fmt.Errorf("create service: %w", err)
	}
	if member == 0 {
		return finance.Service{}, domain.FieldErrorf("party", "Parten är inte part i nämnden.")
	}
	if s.ParagraphID == 0 {
		var err error
		if s.ParagraphID, err = c.paragraphOf(ctx, s.CommitteeID, s.Decision); err != nil {
			return finance.Service{}, err
		}
	}
	if s.ParagraphID != 0 {
		decision, caseID, err := c.decisionOf(ctx, s.CommitteeID, s.ParagraphID)
		if err != nil {
			return finance.Service{}, err
		}
		s.Decision = decision
		if s.CaseID == 0 {
			s.CaseID = caseID
		}
	}
	var rate sql.NullInt64
	if s.Kind == finance.ServiceTime {
		ore, err := sqlconn.ToOre(s.Rate)
		if err != nil {
			return finance.Service{}, err
		}
		rate = sql.NullInt64{Int64: ore, Valid: true}
	} else {
		s.Unit = ""
	}
	if s.Kind != finance.ServiceLedger {
		s.CostObject = ""
	}
	s.CreatedAt, s.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO services (committee_id, kind, name, party_id, cost_object, unit, rate_ore, decision, paragraph_id,
		case_id, description, starts_on, ends_on, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.CommitteeID, string(s.Kind), s.Name, s.PartyID, s.CostObject, s.Unit, rate, s.Decision,
		sql.NullInt64{Int64: s.ParagraphID, Valid: s.ParagraphID != 0}, sql.NullInt64{Int64: s.CaseID, Valid: s.CaseID != 0},
		s.Description, sqlconn.Date(s.StartsOn), sqlconn.Date(s.EndsOn), s.CreatedAt, s.CreatedBy)
	if err != nil {
		return finance.Service{}, fmt.Errorf("create service: %w", err)
	}
	saved, err := c.ServiceByID(ctx, id)
	if err != nil {
		return finance.Service{}, err
	}
	if err := c.db.Audit(ctx, "create", "service", id, nil, map[string]string{"kind": string(saved.Kind), "name": saved.Name,
		"party": saved.PartyName, "basis": saved.Basis(), "decision": saved.Decision}); err != nil {
		return finance.Service{}, err
	}
	return saved, nil
}

// ServiceByID returns a service, or ENOTFOUND.
func (c Services) ServiceByID(ctx context.Context, id int64) (finance.Service, error) {
	var r serviceRow
	err := c.db.Get(ctx, &r, serviceSelect+` WHERE s.id = ?`, id)
	if err == sql.ErrNoRows {
		return finance.Service{}, domain.Errorf(domain.ENOTFOUND, "Tjänsten finns inte.")
	}
	if err != nil {
		return finance.Service{}, fmt.Errorf("read service %d: %w", id, err)
	}
	return r.service(), nil
}

// Services returns a committee's services, in the order they were made.
func (c Services) Services(ctx context.Context, committeeID int64) ([]finance.Service, error) {
	var rows []serviceRow
	if err := c.db.Select(ctx, &rows, serviceSelect+` WHERE s.committee_id = ? ORDER BY s.id`, committeeID); err != nil {
		return nil, fmt.Errorf("read services: %w", err)
	}
	out := make([]finance.Service, len(rows))
	for i, r := range rows {
		out[i] = r.service()
	}
	return out, nil
}

type billRow struct {
	ID           int64     `db:"id"`
	ServiceID    int64     `db:"service_id"`
	From         int       `db:"period_from"`
	To           int       `db:"period_to"`
	CostsOre     int64     `db:"costs_ore"`
	EarlierOre   int64     `db:"earlier_ore"`
	Quantity     string    `db:"quantity"`
	AmountOre    int64     `db:"amount_ore"`
	Note         string    `db:"note"`
	AllocationID int64     `db:"allocation_id"`
	Invoiced     bool      `db:"invoiced"`
	CreatedAt    time.Time `db:"created_at"`
	CreatedBy    string    `db:"created_by"`
}

func (r billRow) bill() (finance.ServiceBill, error) {
	b := finance.ServiceBill{
		ID: r.ID, ServiceID: r.ServiceID, From: finance.PeriodFromInt(r.From), To: finance.PeriodFromInt(r.To),
		Costs: sqlconn.FromOre(r.CostsOre), Earlier: sqlconn.FromOre(r.EarlierOre), Amount: sqlconn.FromOre(r.AmountOre), Note: r.Note,
		AllocationID: r.AllocationID, Invoiced: r.Invoiced, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
	}
	if r.Quantity != "" {
		q, err := decimal.NewFromString(r.Quantity)
		if err != nil {
			return finance.ServiceBill{}, fmt.Errorf("service bill %d: quantity %q: %w", r.ID, r.Quantity, err)
		}
		b.Quantity = decimal.NullDecimal{Decimal: q, Valid: true}
	}
	return b, nil
}

// ServiceBills returns a service's bills, earliest months first, each
// saying whether its allocation has been invoiced.
func (c Services) ServiceBills(ctx context.Context, serviceID int64) ([]finance.ServiceBill, error) {
	var rows []billRow
	if err := c.db.Select(ctx, &rows, `SELECT b.id, b.service_id, b.period_from, b.period_to, b.costs_ore, b.earlier_ore, b.quantity,
		b.amount_ore, b.note, b.allocation_id, b.created_at, b.created_by,
		EXISTS (SELECT 1 FROM invoice_runs r WHERE r.allocation_id = b.allocation_id) AS invoiced
		FROM service_bills b WHERE b.service_id = ? ORDER BY b.period_from, b.id`, serviceID); err != nil {
		return nil, fmt.Errorf("read service bills: %w", err)
	}
	out := make([]finance.ServiceBill, len(rows))
	for i, r := range rows {
		b, err := r.bill()
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// LockServices serialises the bills of the committee's services for the rest
// of the transaction; call it before reading the earlier bills a new bill
// is checked against.
func (c Services) LockServices(ctx context.Context, committeeID int64) error {
	return c.lock(ctx, committeeID)
}

// CreateServiceBill saves a bill of plan's service, made into the direct
// allocation allocationID in the same transaction. The caller has locked the
// committee's services (LockServices) and planned the bill against the
// earlier bills read after the lock.
func (c Services) CreateServiceBill(ctx context.Context, plan finance.ServiceBillPlan, allocationID int64) (finance.ServiceBill, error) {
	costs, err1 := sqlconn.ToOre(plan.CostTotal)
	earlier, err2 := sqlconn.ToOre(plan.EarlierTotal)
	amount, err3 := sqlconn.ToOre(plan.Amount)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return finance.ServiceBill{}, err
		}
	}
	quantity := ""
	if plan.Quantity.Valid {
		quantity = plan.Quantity.Decimal.String()
	}
	now, by := c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO service_bills (service_id, period_from, period_to, costs_ore, earlier_ore, quantity, amount_ore,
		note, allocation_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		plan.Service.ID, plan.From.Int(), plan.To.Int(), costs, earlier, quantity, amount, plan.Note, allocationID, now, by)
	if err != nil {
		return finance.ServiceBill{}, fmt.Errorf("create service bill: %w", err)
	}
	if err := c.db.Audit(ctx, "create", "service_bill", id, nil, map[string]any{"service": plan.Service.ID, "from": plan.From.String(),
		"to": plan.To.String(), "costs": plan.CostTotal.StringFixed(2), "earlier": plan.EarlierTotal.StringFixed(2),
		"quantity": quantity, "amount": plan.Amount.StringFixed(2), "allocation": allocationID}); err != nil {
		return finance.ServiceBill{}, err
	}
	return finance.ServiceBill{ID: id, ServiceID: plan.Service.ID, From: plan.From, To: plan.To, Costs: plan.CostTotal,
		Earlier: plan.EarlierTotal, Quantity: plan.Quantity, Amount: plan.Amount, Note: plan.Note, AllocationID: allocationID,
		CreatedAt: now, CreatedBy: by}, nil
}
