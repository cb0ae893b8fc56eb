package money

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// This file keeps the committee's invoicing: the settings, the runs that
// issue an allocation's documents in one transaction, the documents with
// their gap-free numbers, the payments and the credit notes.

type invoiceSettingsRow struct {
	CommitteeID         int64     `db:"committee_id"`
	SellerName          string    `db:"seller_name"`
	SellerAddress       string    `db:"seller_address"`
	SellerOrgNumber     string    `db:"seller_org_number"`
	SellerVATNumber     string    `db:"seller_vat_number"`
	SellerPeppolID      string    `db:"seller_peppol_id"`
	FTax                bool      `db:"f_tax"`
	Bankgiro            string    `db:"bankgiro"`
	ContactName         string    `db:"contact_name"`
	ContactEmail        string    `db:"contact_email"`
	ContactPhone        string    `db:"contact_phone"`
	PaymentTermsDays    int       `db:"payment_terms_days"`
	OCRLengthDigit      bool      `db:"ocr_length_digit"`
	OCRPrefix           string    `db:"ocr_prefix"`
	VATCategory         string    `db:"vat_category"`
	VATExemptionReason  string    `db:"vat_exemption_reason"`
	ReceivableAccount   string    `db:"receivable_account"`
	ContributionAccount string    `db:"contribution_account"`
	InternalAccount     string    `db:"internal_account"`
	Demo                bool      `db:"demo"`
	UpdatedAt           time.Time `db:"updated_at"`
	UpdatedBy           string    `db:"updated_by"`
}

func (r invoiceSettingsRow) domain() finance.InvoiceSettings {
	return finance.InvoiceSettings{
		CommitteeID: r.CommitteeID,
		InvoiceSeller: finance.InvoiceSeller{
			Name: r.SellerName, Address: r.SellerAddress, OrgNumber: r.SellerOrgNumber, VATNumber: r.SellerVATNumber,
			PeppolID: r.SellerPeppolID, FTax: r.FTax, Bankgiro: r.Bankgiro,
			ContactName: r.ContactName, ContactEmail: r.ContactEmail, ContactPhone: r.ContactPhone,
		},
		PaymentTermsDays: r.PaymentTermsDays, OCRLengthDigit: r.OCRLengthDigit, OCRPrefix: r.OCRPrefix,
		VATCategory: r.VATCategory, VATExemptionReason: r.VATExemptionReason, ReceivableAccount: r.ReceivableAccount,
		ContributionAccount: r.ContributionAccount, InternalAccount: r.InternalAccount, Demo: r.Demo,
		UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: r.UpdatedBy,
	}
}

// errNoInvoiceSettings says what to do before the first invoice.
var errNoInvoiceSettings = domain.Errorf(domain.ENOTFOUND, "Nämnden har inga faktureringsuppgifter ännu. Fyll i dem under Fakturor → Inställningar innan något faktureras.")

// InvoiceSettings returns a committee's invoice settings, or ENOTFOUND when
// none have been saved.
func (c Money) InvoiceSettings(ctx context.Context, committeeID int64) (finance.InvoiceSettings, error) {
	var r invoiceSettingsRow
	err := c.db.Get(ctx, &r, `SELECT * FROM invoice_settings WHERE committee_id = ?`, committeeID)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.InvoiceSettings{}, errNoInvoiceSettings
	}
	if err != nil {
		return finance.InvoiceSettings{}, fmt.Errorf("read invoice settings: %w", err)
	}
	return r.domain(), nil
}

// SaveInvoiceSettings checks and stores a committee's invoice settings,
// replacing any saved before. Documents already issued keep the seller they
// were issued with.
func (c Money) SaveInvoiceSettings(ctx context.Context, s finance.InvoiceSettings) (finance.InvoiceSettings, error) {
	if err := s.Normalize(); err != nil {
		return finance.InvoiceSettings{}, err
	}
	before, err := c.InvoiceSettings(ctx, s.CommitteeID)
	existed := err == nil
	if err != nil && err != errNoInvoiceSettings {
		return finance.InvoiceSettings{}, err
	}
	s.UpdatedAt, s.UpdatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	args := []any{s.Name, s.Address, s.OrgNumber, s.VATNumber, s.PeppolID, s.FTax, s.Bankgiro, s.ContactName, s.ContactEmail,
		s.ContactPhone, s.PaymentTermsDays, s.OCRLengthDigit, s.OCRPrefix, s.VATCategory, s.VATExemptionReason,
		s.ReceivableAccount, s.ContributionAccount, s.InternalAccount, s.Demo, s.UpdatedAt, s.UpdatedBy, s.CommitteeID}
	if existed {
		_, err = c.db.Exec(ctx, `UPDATE invoice_settings SET seller_name = ?, seller_address = ?, seller_org_number = ?,
			seller_vat_number = ?, seller_peppol_id = ?, f_tax = ?, bankgiro = ?, contact_name = ?, contact_email = ?,
			contact_phone = ?, payment_terms_days = ?, ocr_length_digit = ?, ocr_prefix = ?, vat_category = ?,
			vat_exemption_reason = ?, receivable_account = ?, contribution_account = ?, internal_account = ?, demo = ?,
			updated_at = ?, updated_by = ? WHERE committee_id = ?`, args...)
	} else {
		_, err = c.db.Exec(ctx, `INSERT INTO invoice_settings (seller_name, seller_address, seller_org_number, seller_vat_number,
			seller_peppol_id, f_tax, bankgiro, contact_name, contact_email, contact_phone, payment_terms_days, ocr_length_digit,
			ocr_prefix, vat_category, vat_exemption_reason, receivable_account, contribution_account, internal_account, demo,
			updated_at, updated_by, committee_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	}
	if err != nil {
		return finance.InvoiceSettings{}, fmt.Errorf("save invoice settings: %w", err)
	}
	var old any
	if existed {
		old = auditOfSettings(before)
	}
	if err := c.db.Audit(ctx, "update", "invoice_settings", s.CommitteeID, old, auditOfSettings(s)); err != nil {
		return finance.InvoiceSettings{}, err
	}
	return c.InvoiceSettings(ctx, s.CommitteeID)
}

// auditOfSettings is how settings appear in the audit trail: the fields
// themselves, without the bookkeeping of who saved them last.
func auditOfSettings(s finance.InvoiceSettings) finance.InvoiceSettings {
	s.UpdatedAt, s.UpdatedBy = time.Time{}, ""
	return s
}

// afterDocument, when set, is called after each document of a run is
// stored, with the number of documents stored so far. Tests set it to inject
// a fault between two documents; it is nil otherwise.
var afterDocument func(stored int) error

// PlanInvoiceRun works out what issuing allocation allocationID on issue
// would make (finance.PlanRun), with the committee's settings and the
// parties' register entries as they are now. It refuses an allocation that
// has been invoiced already, and an issue date earlier than a document
// already in the year's number series.
func (c Money) PlanInvoiceRun(ctx context.Context, allocationID int64, issue domain.Date) (finance.RunPlan, error) {
	a, err := c.AllocationByID(ctx, allocationID)
	if err != nil {
		return finance.RunPlan{}, err
	}
	if run, ok, err := c.RunOfAllocation(ctx, allocationID); err != nil {
		return finance.RunPlan{}, err
	} else if ok {
		return finance.RunPlan{}, errInvoicedAlready(run)
	}
	s, err := c.InvoiceSettings(ctx, a.CommitteeID)
	if err == errNoInvoiceSettings {
		return finance.RunPlan{}, domain.Errorf(domain.ECONFLICT, "%s", domain.ErrorMessage(err))
	}
	if err != nil {
		return finance.RunPlan{}, err
	}
	parties := map[int64]domain.Party{}
	for _, sh := range a.Shares {
		p, err := c.registry().PartyByID(ctx, sh.PartyID)
		if err != nil {
			return finance.RunPlan{}, fmt.Errorf("plan invoice run: party %d: %w", sh.PartyID, err)
		}
		parties[p.ID] = p
	}
	plan, err := finance.PlanRun(a, parties, s, issue)
	if err != nil {
		return finance.RunPlan{}, err
	}
	if err := c.checkSeriesDate(ctx, a.CommitteeID, issue); err != nil {
		return finance.RunPlan{}, err
	}
	return plan, nil
}

func errInvoicedAlready(run finance.InvoiceRun) error {
	return domain.Errorf(domain.ECONFLICT, "Fördelningen är redan fakturerad (fakturering %d den %s). En fördelning faktureras bara en gång; rättelser görs med kreditfakturor.", run.ID, run.IssueDate)
}

// checkSeriesDate refuses an issue date earlier than the latest document
// of the year's series, so the numbers follow the dates.
func (c Money) checkSeriesDate(ctx context.Context, committeeID int64, issue domain.Date) error {
	var last sqlconn.Date
	if err := c.db.Get(ctx, &last, `SELECT MAX(issue_date) FROM invoices WHERE committee_id = ? AND year = ?`, committeeID, issue.Year); err != nil {
		return fmt.Errorf("latest invoice date: %w", err)
	}
	if d := domain.Date(last); !d.IsZero() && issue.Before(d) {
		return domain.FieldErrorf("issue_date", "Årets nummerserie har redan en faktura daterad %s. Nya fakturor kan inte dateras tidigare, eftersom numren följer datumen.", d)
	}
	return nil
}

// nextInvoiceSeq takes the next number of the committee's series for year
// with one atomic upsert on the counter. It must run inside the transaction
// that stores the document: if the transaction fails, the number is given
// back with it, so the series has no gaps.
func (c Money) nextInvoiceSeq(ctx context.Context, committeeID int64, year int) (int, error) {
	var seq int
	err := c.db.Get(ctx, &seq, `INSERT INTO invoice_counters (committee_id, year, last_seq) VALUES (?, ?, 1)
		ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = invoice_counters.last_seq + 1
		RETURNING last_seq`, committeeID, year)
	if err != nil {
		return 0, fmt.Errorf("next invoice number: %w", err)
	}
	return seq, nil
}

// IssueInvoiceRun issues allocation allocationID on issue: it plans the run
// again (PlanInvoiceRun), refuses it when a party lacks an address or when
// fingerprint, if given, no longer matches the plan (the data changed since
// the preview), and stores the run, every document with its number and OCR
// reference, and the host's internal transfer. Call it inside InTx: either
// every document of the run exists afterwards or none does, and the numbers
// a failed run took are given back with it.
func (c Money) IssueInvoiceRun(ctx context.Context, allocationID int64, issue domain.Date, fingerprint string) (finance.InvoiceRun, error) {
	plan, err := c.PlanInvoiceRun(ctx, allocationID, issue)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	if err := plan.Err(); err != nil {
		return finance.InvoiceRun{}, err
	}
	if fingerprint != "" && fingerprint != plan.Fingerprint() {
		return finance.InvoiceRun{}, domain.Errorf(domain.ECONFLICT, "Underlaget har ändrats sedan förhandsgranskningen (en part, inställningarna eller datumet). Granska fakturorna igen innan de skapas.")
	}
	a := plan.Allocation
	runID, err := c.insertRun(ctx, a.CommitteeID, finance.RunAllocation, a.ID, a.Title, issue)
	if sqlconn.IsUniqueViolation(err) {
		run, _, _ := c.RunOfAllocation(ctx, a.ID)
		return finance.InvoiceRun{}, errInvoicedAlready(run)
	}
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	s, err := c.InvoiceSettings(ctx, a.CommitteeID)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	for i, d := range plan.Documents {
		d.RunID = runID
		if _, err := c.issueDocument(ctx, d, s); err != nil {
			return finance.InvoiceRun{}, err
		}
		if afterDocument != nil {
			if err := afterDocument(i + 1); err != nil {
				return finance.InvoiceRun{}, err
			}
		}
	}
	for _, t := range plan.Transfers {
		amount, err := sqlconn.ToOre(t.Amount)
		if err != nil {
			return finance.InvoiceRun{}, err
		}
		if _, err := c.db.Exec(ctx, `INSERT INTO invoice_transfers (run_id, party_id, party_name, amount_ore, line_text, period_start, period_end)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, runID, t.PartyID, t.PartyName, amount, t.LineText, sqlconn.Date(t.PeriodStart), sqlconn.Date(t.PeriodEnd)); err != nil {
			return finance.InvoiceRun{}, fmt.Errorf("store internal transfer: %w", err)
		}
	}
	run, err := c.InvoiceRunByID(ctx, runID)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	if err := c.db.Audit(ctx, "issue", "invoice_run", runID, nil, auditOfRun(run)); err != nil {
		return finance.InvoiceRun{}, err
	}
	return run, nil
}

// insertRun stores the head of a run.
func (c Money) insertRun(ctx context.Context, committeeID int64, kind finance.RunKind, allocationID int64, title string, issue domain.Date) (int64, error) {
	id, err := c.db.Insert(ctx, `INSERT INTO invoice_runs (committee_id, kind, allocation_id, title, issue_date, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, committeeID, string(kind), sqlconn.NullID(allocationID), title, sqlconn.Date(issue), c.db.Now(), domain.ActorFrom(ctx).Label)
	if err != nil && !sqlconn.IsUniqueViolation(err) {
		err = fmt.Errorf("store invoice run: %w", err)
	}
	return id, err
}

// issueDocument gives d the next number of its series (and an invoice its
// OCR reference) and stores it. The first number of a transaction locks the
// series' counter, so the date check after it sees every earlier document.
func (c Money) issueDocument(ctx context.Context, d finance.Invoice, s finance.InvoiceSettings) (int64, error) {
	cm, err := c.registry().CommitteeByID(ctx, d.CommitteeID)
	if err != nil {
		return 0, err
	}
	d.Year = d.IssueDate.Year
	if d.Seq, err = c.nextInvoiceSeq(ctx, d.CommitteeID, d.Year); err != nil {
		return 0, err
	}
	if err := c.checkSeriesDate(ctx, d.CommitteeID, d.IssueDate); err != nil {
		return 0, err
	}
	d.Number = finance.InvoiceNumber(cm.Code, d.Year, d.Seq)
	if d.Kind == finance.InvoiceKindInvoice {
		if d.OCR, err = finance.InvoiceOCR(s.OCRPrefix, d.Year, d.Seq, s.OCRLengthDigit); err != nil {
			return 0, fmt.Errorf("OCR of %s: %w", d.Number, err)
		}
	}
	amount, err := sqlconn.ToOre(d.Amount)
	if err != nil {
		return 0, err
	}
	d.CreatedAt, d.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	b, sl := d.Buyer, d.Seller
	id, err := c.db.Insert(ctx, `INSERT INTO invoices (committee_id, run_id, year, seq, number, kind, party_id,
		buyer_name, buyer_address, buyer_org_number, buyer_reference, buyer_peppol_id,
		seller_name, seller_address, seller_org_number, seller_vat_number, seller_peppol_id, f_tax, bankgiro,
		contact_name, contact_email, contact_phone, issue_date, due_date, period_start, period_end, line_text, amount_ore,
		vat_category, vat_exemption_reason, ocr, credits_invoice_id, credit_reason, allocation_id, allocation_kind,
		decision, case_number, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.CommitteeID, d.RunID, d.Year, d.Seq, d.Number, string(d.Kind), d.PartyID,
		b.Name, b.Address, b.OrgNumber, b.Reference, b.PeppolID,
		sl.Name, sl.Address, sl.OrgNumber, sl.VATNumber, sl.PeppolID, sl.FTax, sl.Bankgiro,
		sl.ContactName, sl.ContactEmail, sl.ContactPhone, sqlconn.Date(d.IssueDate), sqlconn.Date(d.DueDate), sqlconn.Date(d.PeriodStart),
		sqlconn.Date(d.PeriodEnd), d.LineText, amount, d.VATCategory, d.VATExemptionReason, d.OCR, sqlconn.NullID(d.CreditsInvoiceID),
		d.CreditReason, sqlconn.NullID(d.AllocationID), string(d.AllocationKind), d.Decision, d.CaseNumber, d.CreatedAt, d.CreatedBy)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", d.Number, err)
	}
	if err := c.db.Audit(ctx, "issue", "invoice", d.Number, nil, auditOfInvoice(d)); err != nil {
		return 0, err
	}
	return id, nil
}

// invoiceAudit is how a document appears in the audit trail.
type invoiceAudit struct {
	Number   string `json:"number"`
	Kind     string `json:"kind"`
	Party    string `json:"party"`
	Amount   string `json:"amount"`
	Issued   string `json:"issue_date"`
	Due      string `json:"due_date,omitempty"`
	Text     string `json:"text"`
	OCR      string `json:"ocr,omitempty"`
	Credits  string `json:"credits,omitempty"`
	Decision string `json:"decision,omitempty"`
}

func auditOfInvoice(d finance.Invoice) invoiceAudit {
	return invoiceAudit{Number: d.Number, Kind: string(d.Kind), Party: d.Buyer.Name, Amount: d.Amount.StringFixed(2),
		Issued: d.IssueDate.String(), Due: d.DueDate.String(), Text: d.LineText, OCR: d.OCR, Credits: d.CreditsNumber, Decision: d.Decision}
}

// runAudit is how a run appears in the audit trail.
type runAudit struct {
	Title     string            `json:"title"`
	Issued    string            `json:"issue_date"`
	Documents []string          `json:"documents"`
	Transfers map[string]string `json:"internal_transfers,omitempty"`
	Total     string            `json:"total"`
}

func auditOfRun(r finance.InvoiceRun) runAudit {
	a := runAudit{Title: r.Title, Issued: r.IssueDate.String(), Total: r.Total().StringFixed(2), Documents: []string{}}
	for _, i := range r.Invoices {
		a.Documents = append(a.Documents, i.Number)
	}
	for _, t := range r.Transfers {
		if a.Transfers == nil {
			a.Transfers = map[string]string{}
		}
		a.Transfers[t.PartyName] = t.Amount.StringFixed(2)
	}
	return a
}

type invoiceRow struct {
	ID                 int64          `db:"id"`
	CommitteeID        int64          `db:"committee_id"`
	RunID              int64          `db:"run_id"`
	Year               int            `db:"year"`
	Seq                int            `db:"seq"`
	Number             string         `db:"number"`
	Kind               string         `db:"kind"`
	PartyID            int64          `db:"party_id"`
	BuyerName          string         `db:"buyer_name"`
	BuyerAddress       string         `db:"buyer_address"`
	BuyerOrgNumber     string         `db:"buyer_org_number"`
	BuyerReference     string         `db:"buyer_reference"`
	BuyerPeppolID      string         `db:"buyer_peppol_id"`
	SellerName         string         `db:"seller_name"`
	SellerAddress      string         `db:"seller_address"`
	SellerOrgNumber    string         `db:"seller_org_number"`
	SellerVATNumber    string         `db:"seller_vat_number"`
	SellerPeppolID     string         `db:"seller_peppol_id"`
	FTax               bool           `db:"f_tax"`
	Bankgiro           string         `db:"bankgiro"`
	ContactName        string         `db:"contact_name"`
	ContactEmail       string         `db:"contact_email"`
	ContactPhone       string         `db:"contact_phone"`
	IssueDate          sqlconn.Date   `db:"issue_date"`
	DueDate            sqlconn.Date   `db:"due_date"`
	PeriodStart        sqlconn.Date   `db:"period_start"`
	PeriodEnd          sqlconn.Date   `db:"period_end"`
	LineText           string         `db:"line_text"`
	AmountOre          int64          `db:"amount_ore"`
	VATCategory        string         `db:"vat_category"`
	VATExemptionReason string         `db:"vat_exemption_reason"`
	OCR                string         `db:"ocr"`
	CreditsInvoiceID   sql.NullInt64  `db:"credits_invoice_id"`
	CreditsNumber      sql.NullString `db:"credits_number"`
	CreditsIssueDate   sqlconn.Date   `db:"credits_issue_date"`
	CreditReason       string         `db:"credit_reason"`
	AllocationID       sql.NullInt64  `db:"allocation_id"`
	AllocationKind     string         `db:"allocation_kind"`
	Decision           string         `db:"decision"`
	CaseNumber         string         `db:"case_number"`
	PaidOre            int64          `db:"paid_ore"`
	CreditedOre        int64          `db:"credited_ore"`
	SentAt             sql.NullTime   `db:"sent_at"`
	SentBy             string         `db:"sent_by"`
	SentChannel        string         `db:"sent_channel"`
	CreatedAt          time.Time      `db:"created_at"`
	CreatedBy          string         `db:"created_by"`
}

const invoiceSelect = `SELECT i.id, i.committee_id, i.run_id, i.year, i.seq, i.number, i.kind, i.party_id,
	i.buyer_name, i.buyer_address, i.buyer_org_number, i.buyer_reference, i.buyer_peppol_id,
	i.seller_name, i.seller_address, i.seller_org_number, i.seller_vat_number, i.seller_peppol_id, i.f_tax, i.bankgiro,
	i.contact_name, i.contact_email, i.contact_phone, i.issue_date, i.due_date, i.period_start, i.period_end, i.line_text,
	i.amount_ore, i.vat_category, i.vat_exemption_reason, i.ocr, i.credits_invoice_id, ci.number AS credits_number,
	ci.issue_date AS credits_issue_date, i.credit_reason, i.allocation_id, i.allocation_kind, i.decision, i.case_number,
	i.paid_ore, i.credited_ore, i.sent_at, i.sent_by, i.sent_channel, i.created_at, i.created_by
	FROM invoices i LEFT JOIN invoices ci ON ci.id = i.credits_invoice_id`

func (r invoiceRow) domain() finance.Invoice {
	return finance.Invoice{
		ID: r.ID, CommitteeID: r.CommitteeID, RunID: r.RunID, Number: r.Number, Year: r.Year, Seq: r.Seq,
		Kind: finance.InvoiceKind(r.Kind), PartyID: r.PartyID,
		Buyer: finance.InvoiceBuyer{Name: r.BuyerName, Address: r.BuyerAddress, OrgNumber: r.BuyerOrgNumber,
			Reference: r.BuyerReference, PeppolID: r.BuyerPeppolID},
		Seller: finance.InvoiceSeller{Name: r.SellerName, Address: r.SellerAddress, OrgNumber: r.SellerOrgNumber,
			VATNumber: r.SellerVATNumber, PeppolID: r.SellerPeppolID, FTax: r.FTax, Bankgiro: r.Bankgiro,
			ContactName: r.ContactName, ContactEmail: r.ContactEmail, ContactPhone: r.ContactPhone},
		IssueDate: domain.Date(r.IssueDate), DueDate: domain.Date(r.DueDate), PeriodStart: domain.Date(r.PeriodStart),
		PeriodEnd: domain.Date(r.PeriodEnd), LineText: r.LineText, Amount: sqlconn.FromOre(r.AmountOre), VATCategory: r.VATCategory,
		VATExemptionReason: r.VATExemptionReason, OCR: r.OCR, CreditsInvoiceID: r.CreditsInvoiceID.Int64,
		CreditsNumber: r.CreditsNumber.String, CreditsIssueDate: domain.Date(r.CreditsIssueDate), CreditReason: r.CreditReason,
		AllocationID: r.AllocationID.Int64, AllocationKind: finance.AllocationKind(r.AllocationKind), Decision: r.Decision,
		CaseNumber: r.CaseNumber, Paid: sqlconn.FromOre(r.PaidOre), Credited: sqlconn.FromOre(r.CreditedOre), SentAt: r.SentAt.Time.UTC(),
		SentBy: r.SentBy, SentVia: r.SentChannel, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
	}
}

// errNoInvoice is the answer for a number that does not exist (or may not be
// seen).
var errNoInvoice = domain.Errorf(domain.ENOTFOUND, "Fakturan finns inte.")

// InvoiceByNumber returns the document with the number, e.g. GNS-2021-0001,
// or ENOTFOUND.
func (c Money) InvoiceByNumber(ctx context.Context, number string) (finance.Invoice, error) {
	n, ok := finance.NormalizeInvoiceNumber(number)
	if !ok {
		return finance.Invoice{}, errNoInvoice
	}
	return c.invoiceWhere(ctx, `i.number = ?`, n)
}

// InvoiceByID returns the document with the id, or ENOTFOUND.
func (c Money) InvoiceByID(ctx context.Context, id int64) (finance.Invoice, error) {
	return c.invoiceWhere(ctx, `i.id = ?`, id)
}

func (c Money) invoiceWhere(ctx context.Context, cond string, arg any) (finance.Invoice, error) {
	var r invoiceRow
	err := c.db.Get(ctx, &r, invoiceSelect+` WHERE `+cond, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.Invoice{}, errNoInvoice
	}
	if err != nil {
		return finance.Invoice{}, fmt.Errorf("read invoice: %w", err)
	}
	return r.domain(), nil
}

// Invoices lists a committee's documents that pass the filter, in number
// order. Year, parties, run and kind are filtered in SQL; status and overdue,
// which depend on payments and dates, with finance.InvoiceFilter.Match.
func (c Money) Invoices(ctx context.Context, f finance.InvoiceFilter) ([]finance.Invoice, error) {
	conds := []string{"i.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.Year != 0 {
		conds, args = append(conds, "i.year = ?"), append(args, f.Year)
	}
	if f.RunID != 0 {
		conds, args = append(conds, "i.run_id = ?"), append(args, f.RunID)
	}
	if f.Kind != "" {
		conds, args = append(conds, "i.kind = ?"), append(args, string(f.Kind))
	}
	if f.PartyIDs != nil {
		if len(f.PartyIDs) == 0 {
			return nil, nil
		}
		conds, args = append(conds, "i.party_id IN (?)"), append(args, f.PartyIDs)
	}
	query, args, err := sqlx.In(invoiceSelect+` WHERE `+strings.Join(conds, " AND ")+` ORDER BY i.year, i.seq`, args...)
	if err != nil {
		return nil, err
	}
	var rows []invoiceRow
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("list invoices: %w", err)
	}
	var out []finance.Invoice
	for _, r := range rows {
		if d := r.domain(); f.Match(d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// InvoiceYears lists the years of a committee's number series, newest first.
func (c Money) InvoiceYears(ctx context.Context, committeeID int64) ([]int, error) {
	var years []int
	if err := c.db.Select(ctx, &years, `SELECT year FROM invoice_counters WHERE committee_id = ? ORDER BY year DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("invoice years: %w", err)
	}
	return years, nil
}

// CreditNotesOf lists the credit notes that correct an invoice.
func (c Money) CreditNotesOf(ctx context.Context, invoiceID int64) ([]finance.Invoice, error) {
	var rows []invoiceRow
	if err := c.db.Select(ctx, &rows, invoiceSelect+` WHERE i.credits_invoice_id = ? ORDER BY i.year, i.seq`, invoiceID); err != nil {
		return nil, fmt.Errorf("list credit notes: %w", err)
	}
	return domainRows(rows), nil
}

type runRow struct {
	ID           int64         `db:"id"`
	CommitteeID  int64         `db:"committee_id"`
	Kind         string        `db:"kind"`
	AllocationID sql.NullInt64 `db:"allocation_id"`
	Title        string        `db:"title"`
	IssueDate    sqlconn.Date  `db:"issue_date"`
	CreatedAt    time.Time     `db:"created_at"`
	CreatedBy    string        `db:"created_by"`
}

func (r runRow) domain() finance.InvoiceRun {
	return finance.InvoiceRun{ID: r.ID, CommitteeID: r.CommitteeID, Kind: finance.RunKind(r.Kind), AllocationID: r.AllocationID.Int64,
		Title: r.Title, IssueDate: domain.Date(r.IssueDate), CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
}

type transferRow struct {
	ID          int64        `db:"id"`
	RunID       int64        `db:"run_id"`
	PartyID     int64        `db:"party_id"`
	PartyName   string       `db:"party_name"`
	AmountOre   int64        `db:"amount_ore"`
	LineText    string       `db:"line_text"`
	PeriodStart sqlconn.Date `db:"period_start"`
	PeriodEnd   sqlconn.Date `db:"period_end"`
}

func (r transferRow) domain() finance.InternalTransfer {
	return finance.InternalTransfer{ID: r.ID, RunID: r.RunID, PartyID: r.PartyID, PartyName: r.PartyName, Amount: sqlconn.FromOre(r.AmountOre),
		LineText: r.LineText, PeriodStart: domain.Date(r.PeriodStart), PeriodEnd: domain.Date(r.PeriodEnd)}
}

const runSelect = `SELECT id, committee_id, kind, allocation_id, title, issue_date, created_at, created_by FROM invoice_runs`

// InvoiceRunByID returns a run with its documents and transfers, or
// ENOTFOUND.
func (c Money) InvoiceRunByID(ctx context.Context, id int64) (finance.InvoiceRun, error) {
	runs, err := c.runsWhere(ctx, `id = ?`, id)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	if len(runs) == 0 {
		return finance.InvoiceRun{}, domain.Errorf(domain.ENOTFOUND, "Faktureringen finns inte.")
	}
	return runs[0], nil
}

// RunOfAllocation returns the run that invoiced an allocation, and whether
// there is one.
func (c Money) RunOfAllocation(ctx context.Context, allocationID int64) (finance.InvoiceRun, bool, error) {
	runs, err := c.runsWhere(ctx, `allocation_id = ?`, allocationID)
	if err != nil || len(runs) == 0 {
		return finance.InvoiceRun{}, false, err
	}
	return runs[0], true, nil
}

// InvoiceRuns lists a committee's runs, newest first, with their documents
// and transfers.
func (c Money) InvoiceRuns(ctx context.Context, committeeID int64) ([]finance.InvoiceRun, error) {
	return c.runsWhere(ctx, `committee_id = ?`, committeeID)
}

func (c Money) runsWhere(ctx context.Context, cond string, arg any) ([]finance.InvoiceRun, error) {
	var rows []runRow
	if err := c.db.Select(ctx, &rows, runSelect+` WHERE `+cond+` ORDER BY id DESC`, arg); err != nil {
		return nil, fmt.Errorf("read invoice runs: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	query, args, err := sqlx.In(invoiceSelect+` WHERE i.run_id IN (?) ORDER BY i.year, i.seq`, ids)
	if err != nil {
		return nil, err
	}
	var docs []invoiceRow
	if err := c.db.Select(ctx, &docs, query, args...); err != nil {
		return nil, fmt.Errorf("read run documents: %w", err)
	}
	query, args, err = sqlx.In(`SELECT id, run_id, party_id, party_name, amount_ore, line_text, period_start, period_end
		FROM invoice_transfers WHERE run_id IN (?) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	var transfers []transferRow
	if err := c.db.Select(ctx, &transfers, query, args...); err != nil {
		return nil, fmt.Errorf("read internal transfers: %w", err)
	}
	byID := map[int64]int{}
	out := make([]finance.InvoiceRun, len(rows))
	for i, r := range rows {
		out[i], byID[r.ID] = r.domain(), i
	}
	for _, d := range docs {
		run := &out[byID[d.RunID]]
		run.Invoices = append(run.Invoices, d.domain())
	}
	for _, t := range transfers {
		run := &out[byID[t.RunID]]
		run.Transfers = append(run.Transfers, t.domain())
	}
	return out, nil
}

type paymentRow struct {
	ID        int64        `db:"id"`
	InvoiceID int64        `db:"invoice_id"`
	PaidOn    sqlconn.Date `db:"paid_on"`
	AmountOre int64        `db:"amount_ore"`
	Note      string       `db:"note"`
	CreatedAt time.Time    `db:"created_at"`
	CreatedBy string       `db:"created_by"`
}

func (r paymentRow) domain() finance.Payment {
	return finance.Payment{ID: r.ID, InvoiceID: r.InvoiceID, PaidOn: domain.Date(r.PaidOn), Amount: sqlconn.FromOre(r.AmountOre),
		Note: r.Note, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
}

// Payments lists the payments registered for a document, oldest first.
func (c Money) Payments(ctx context.Context, invoiceID int64) ([]finance.Payment, error) {
	var rows []paymentRow
	if err := c.db.Select(ctx, &rows, `SELECT id, invoice_id, paid_on, amount_ore, note, created_at, created_by
		FROM invoice_payments WHERE invoice_id = ? ORDER BY id`, invoiceID); err != nil {
		return nil, fmt.Errorf("list payments: %w", err)
	}
	return domainRows(rows), nil
}

// errChangedMeanwhile answers a change that lost a race with another.
var errChangedMeanwhile = domain.Errorf(domain.ECONFLICT, "Fakturan ändrades av någon annan samtidigt. Ladda om sidan och försök igen.")

// addToInvoice adds amount to one of inv's status amounts (paid_ore or
// credited_ore) and returns it in öre. The update is guarded so that the paid
// and credited amounts together never pass the document's amount, even when
// two changes race; the loser gets errChangedMeanwhile.
func (c Money) addToInvoice(ctx context.Context, inv finance.Invoice, column string, amount decimal.Decimal) (int64, error) {
	ore, err := sqlconn.ToOre(amount)
	if err != nil {
		return 0, err
	}
	res, err := c.db.Exec(ctx, `UPDATE invoices SET `+column+` = `+column+` + ? WHERE id = ? AND paid_ore + credited_ore + ? <= amount_ore`,
		ore, inv.ID, ore)
	if err != nil {
		return 0, fmt.Errorf("update %s of %s: %w", column, inv.Number, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, errChangedMeanwhile
	}
	return ore, nil
}

// RegisterPayment records a payment of an invoice (or the payout of a
// refund credit note) with the number, checked by finance.CheckPayment on the
// economist's today. The document's paid amount grows in the same
// transaction, guarded so that two payments at once can never pay more than
// the amount.
func (c Money) RegisterPayment(ctx context.Context, number string, p finance.Payment, today domain.Date) (finance.Invoice, error) {
	inv, err := c.InvoiceByNumber(ctx, number)
	if err != nil {
		return finance.Invoice{}, err
	}
	p.Note = strings.TrimSpace(p.Note)
	if err := finance.CheckPayment(inv, p, today); err != nil {
		return finance.Invoice{}, err
	}
	if _, _, err := c.insertPayment(ctx, inv, p, nil); err != nil {
		return finance.Invoice{}, err
	}
	return c.InvoiceByID(ctx, inv.ID)
}

// insertPayment adds a payment checked by finance.CheckPayment to inv's
// paid amount (guarded, see addToInvoice), stores it and audits it with the
// status it leaves and the extra fields given. It returns the payment's id
// and its amount in öre.
func (c Money) insertPayment(ctx context.Context, inv finance.Invoice, p finance.Payment, extra map[string]string) (id, ore int64, err error) {
	if ore, err = c.addToInvoice(ctx, inv, "paid_ore", p.Amount); err != nil {
		return 0, 0, err
	}
	id, err = c.db.Insert(ctx, `INSERT INTO invoice_payments (invoice_id, paid_on, amount_ore, note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?)`, inv.ID, sqlconn.Date(p.PaidOn), ore, p.Note, c.db.Now(), domain.ActorFrom(ctx).Label)
	if err != nil {
		return 0, 0, fmt.Errorf("store payment of %s: %w", inv.Number, err)
	}
	after, err := c.InvoiceByID(ctx, inv.ID)
	if err != nil {
		return 0, 0, err
	}
	audit := map[string]string{"invoice": inv.Number, "paid_on": p.PaidOn.String(), "amount": p.Amount.StringFixed(2),
		"note": p.Note, "status": string(after.Status())}
	for k, v := range extra {
		audit[k] = v
	}
	if err := c.db.Audit(ctx, "register", "payment", id, nil, audit); err != nil {
		return 0, 0, err
	}
	return id, ore, nil
}

// CreditInvoice issues a credit note that takes amount off the invoice with
// the number, for the reason given, dated issue (finance.PlanCredit: at most
// what is open). The credit note gets the next number of its year's series,
// in a run of its own, and the invoice's credited amount grows in the same
// transaction.
func (c Money) CreditInvoice(ctx context.Context, number string, amount decimal.Decimal, reason string, issue domain.Date) (finance.Invoice, error) {
	inv, err := c.InvoiceByNumber(ctx, number)
	if err != nil {
		return finance.Invoice{}, err
	}
	s, err := c.InvoiceSettings(ctx, inv.CommitteeID)
	if err != nil {
		return finance.Invoice{}, err
	}
	cn, err := finance.PlanCredit(inv, amount, reason, s, issue)
	if err != nil {
		return finance.Invoice{}, err
	}
	if err := c.checkSeriesDate(ctx, inv.CommitteeID, issue); err != nil {
		return finance.Invoice{}, err
	}
	if _, err := c.addToInvoice(ctx, inv, "credited_ore", cn.Amount); err != nil {
		return finance.Invoice{}, err
	}
	if cn.RunID, err = c.insertRun(ctx, inv.CommitteeID, finance.RunCredit, 0, "Kreditering av faktura "+inv.Number, issue); err != nil {
		return finance.Invoice{}, err
	}
	id, err := c.issueDocument(ctx, cn, s)
	if err != nil {
		return finance.Invoice{}, err
	}
	return c.InvoiceByID(ctx, id)
}

// MarkInvoicesSent records that the documents were sent by the channel via
// (one of finance.ManualSentChannels), by the actor in ctx, now: the
// economist's explicit mark, audited per document. A document already sent
// keeps its first record. It returns how many documents it marked.
func (c Money) MarkInvoicesSent(ctx context.Context, ids []int64, via string) (int, error) {
	if err := finance.CheckSentChannel(via); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := c.markSent(ctx, id, via)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// ClaimInvoiceEmailed records that GNS sends the document by e-mail, by the
// actor in ctx, now, unless it is already sent; it reports whether this call
// recorded it. The caller keeps the mail only when it did, in the same
// transaction: two requests sending the same run at once send each document
// once (on PostgreSQL the second waits for the first's row lock and then
// finds the document sent).
func (c Money) ClaimInvoiceEmailed(ctx context.Context, id int64) (bool, error) {
	return c.markSent(ctx, id, finance.SentViaEmail)
}

// markSent marks one unsent document as sent by via and audits it; it
// reports false when the document was already sent.
func (c Money) markSent(ctx context.Context, id int64, via string) (bool, error) {
	var number string
	err := c.db.Get(ctx, &number, `UPDATE invoices SET sent_at = ?, sent_by = ?, sent_channel = ? WHERE id = ? AND sent_at IS NULL RETURNING number`,
		c.db.Now(), domain.ActorFrom(ctx).Label, via, id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark sent: %w", err)
	}
	return true, c.db.Audit(ctx, "send", "invoice", number, nil, map[string]string{"via": via})
}
