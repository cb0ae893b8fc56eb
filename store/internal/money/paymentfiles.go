package money

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
	"github.com/region-jh/gns/sv"
)

// This file keeps the bank's files of incoming payments: a file is kept as
// a preview with what was read from it, matched against the committee's
// invoices whenever it is shown, and committed once, registering every
// matched payment in one transaction.

// paymentFileJSON is what a kept file holds of its reading.
type paymentFileJSON struct {
	Test     bool                     `json:"test,omitempty"`
	Deposits []finance.PaymentDeposit `json:"deposits"`
	Payments []finance.BankPayment    `json:"payments"`
	Notes    []string                 `json:"notes,omitempty"`
}

type paymentFileRow struct {
	ID          int64          `db:"id"`
	CommitteeID int64          `db:"committee_id"`
	Format      string         `db:"format"`
	FileName    string         `db:"file_name"`
	SHA256      string         `db:"sha256"`
	Size        int64          `db:"size"`
	FileCreated string         `db:"file_created"`
	Payments    string         `db:"payments_json"`
	Status      string         `db:"status"`
	CreatedAt   time.Time      `db:"created_at"`
	CreatedBy   string         `db:"created_by"`
	CommittedAt sql.NullTime   `db:"committed_at"`
	CommittedBy sql.NullString `db:"committed_by"`
}

const paymentFileSelect = `SELECT id, committee_id, format, file_name, sha256, size, file_created, payments_json, status,
	created_at, created_by, committed_at, committed_by FROM payment_files`

func (r paymentFileRow) domain() (finance.PaymentImport, error) {
	p := finance.PaymentImport{ID: r.ID, CommitteeID: r.CommitteeID, Committed: r.Status == "committed", CreatedAt: r.CreatedAt.UTC(),
		CreatedBy: r.CreatedBy, CommittedBy: r.CommittedBy.String,
		PaymentFile: finance.PaymentFile{Format: finance.PaymentFileFormat(r.Format), FileName: r.FileName, SHA256: r.SHA256, Size: r.Size,
			Created: r.FileCreated}}
	if r.CommittedAt.Valid {
		p.CommittedAt = r.CommittedAt.Time.UTC()
	}
	var j paymentFileJSON
	if err := json.Unmarshal([]byte(r.Payments), &j); err != nil {
		return p, fmt.Errorf("payment file %d: %w", r.ID, err)
	}
	p.Test, p.Deposits, p.Payments, p.Notes = j.Test, j.Deposits, j.Payments, j.Notes
	return p, nil
}

// errPaymentFileNotFound answers an id that is not a payment file.
var errPaymentFileNotFound = domain.Errorf(domain.ENOTFOUND, "Betalfilen finns inte.")

// PaymentImportByID returns a kept payment file, or ENOTFOUND.
func (c Money) PaymentImportByID(ctx context.Context, id int64) (finance.PaymentImport, error) {
	var r paymentFileRow
	err := c.db.Get(ctx, &r, paymentFileSelect+` WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.PaymentImport{}, errPaymentFileNotFound
	}
	if err != nil {
		return finance.PaymentImport{}, fmt.Errorf("read payment file %d: %w", id, err)
	}
	return r.domain()
}

// PaymentImports lists a committee's payment files, newest first.
func (c Money) PaymentImports(ctx context.Context, committeeID int64) ([]finance.PaymentImport, error) {
	var rows []paymentFileRow
	if err := c.db.Select(ctx, &rows, paymentFileSelect+` WHERE committee_id = ? ORDER BY id DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("list payment files: %w", err)
	}
	return sqlconn.MapRowsErr(rows, paymentFileRow.domain)
}

// PaymentImportContent returns a kept file's bytes as uploaded.
func (c Money) PaymentImportContent(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	if err := c.db.Get(ctx, &b, `SELECT content FROM payment_files WHERE id = ?`, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errPaymentFileNotFound
		}
		return nil, fmt.Errorf("read payment file %d: %w", id, err)
	}
	return b, nil
}

// committedPaymentFile returns the committed import of the file with the
// hash in the committee, if there is one.
func (c Money) committedPaymentFile(ctx context.Context, committeeID int64, sha string) (*finance.PaymentImport, error) {
	var rows []paymentFileRow
	if err := c.db.Select(ctx, &rows, paymentFileSelect+` WHERE committee_id = ? AND sha256 = ? AND status = 'committed'`, committeeID, sha); err != nil {
		return nil, fmt.Errorf("find payment file: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	p, err := rows[0].domain()
	return &p, err
}

// errAlreadyCommitted is the answer to the same file a second time.
func errAlreadyCommitted(p finance.PaymentImport) error {
	return domain.Errorf(domain.ECONFLICT, "Filen %s är redan inläst: betalfil %d, inläst %s av %s. Samma fil läses inte in två gånger, så inga betalningar registreras på nytt.",
		p.FileName, p.ID, sv.DateTime(p.CommittedAt), p.CommittedBy)
}

// SavePaymentFile keeps a payment file read from the bank as a preview:
// nothing of it counts until CommitPaymentFile. The same file (by SHA-256)
// already committed is refused with ECONFLICT saying when and by whom; the
// same file already previewed gives back that preview.
func (c Money) SavePaymentFile(ctx context.Context, committeeID int64, pf finance.PaymentFile, content []byte) (finance.PaymentImport, error) {
	if _, err := c.registry().CommitteeByID(ctx, committeeID); err != nil {
		return finance.PaymentImport{}, err
	}
	if pf.SHA256 == "" {
		return finance.PaymentImport{}, fmt.Errorf("save payment file: no hash")
	}
	dup, err := c.committedPaymentFile(ctx, committeeID, pf.SHA256)
	if err != nil {
		return finance.PaymentImport{}, err
	}
	if dup != nil {
		return finance.PaymentImport{}, errAlreadyCommitted(*dup)
	}
	var existing []int64
	if err := c.db.Select(ctx, &existing, `SELECT id FROM payment_files WHERE committee_id = ? AND sha256 = ? ORDER BY id`, committeeID, pf.SHA256); err != nil {
		return finance.PaymentImport{}, fmt.Errorf("save payment file: %w", err)
	}
	if len(existing) > 0 {
		return c.PaymentImportByID(ctx, existing[0])
	}
	body, err := json.Marshal(paymentFileJSON{Test: pf.Test, Deposits: pf.Deposits, Payments: pf.Payments, Notes: pf.Notes})
	if err != nil {
		return finance.PaymentImport{}, fmt.Errorf("save payment file: %w", err)
	}
	pf.FileName = domain.SanitizeFileName(pf.FileName)
	id, err := c.db.Insert(ctx, `INSERT INTO payment_files (committee_id, format, file_name, sha256, size, content, file_created, payments_json,
		status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'preview', ?, ?)`,
		committeeID, string(pf.Format), pf.FileName, pf.SHA256, int64(len(content)), content, pf.Created, string(body), c.db.Now(), domain.ActorFrom(ctx).Label)
	if err != nil {
		return finance.PaymentImport{}, fmt.Errorf("save payment file: %w", err)
	}
	if err := c.db.Audit(ctx, "preview", "payment_file", id, nil, map[string]any{"file": pf.FileName, "format": pf.Format,
		"sha256": pf.SHA256, "payments": len(pf.Payments)}); err != nil {
		return finance.PaymentImport{}, err
	}
	return c.PaymentImportByID(ctx, id)
}

// MatchPaymentFile previews a payment file that is not kept: how its
// payments match the committee's invoices now (gns import --dry-run).
func (c Money) MatchPaymentFile(ctx context.Context, committeeID int64, pf finance.PaymentFile) (finance.PaymentImportPreview, error) {
	return c.previewPayments(ctx, finance.PaymentImport{CommitteeID: committeeID, PaymentFile: pf})
}

// PreviewPaymentFile shows a kept payment file: before it is committed, how
// its payments match the committee's invoices as they stand now; after,
// what committing it did.
func (c Money) PreviewPaymentFile(ctx context.Context, id int64) (finance.PaymentImportPreview, error) {
	p, err := c.PaymentImportByID(ctx, id)
	if err != nil {
		return finance.PaymentImportPreview{}, err
	}
	if p.Committed {
		return c.committedPreview(ctx, p)
	}
	return c.previewPayments(ctx, p)
}

func (c Money) previewPayments(ctx context.Context, p finance.PaymentImport) (finance.PaymentImportPreview, error) {
	v := finance.PaymentImportPreview{Import: p}
	docs, err := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: p.CommitteeID})
	if err != nil {
		return v, err
	}
	today := domain.DateOf(c.db.Now())
	v.Matching = finance.MatchBankPayments(p.Payments, docs, today)
	if p.Test {
		v.Warnings = append(v.Warnings, "Banken har märkt filen som en testfil (T).")
	}
	v.Warnings = append(v.Warnings, p.Notes...)
	if s, err := c.InvoiceSettings(ctx, p.CommitteeID); err == nil {
		own := digitsOf(s.Bankgiro)
		for _, d := range p.Deposits {
			if acct := digitsOf(d.Account); strings.Contains(d.Account, "-") && len(acct) >= 7 && len(acct) <= 8 && acct != own {
				v.Warnings = append(v.Warnings, fmt.Sprintf("Insättningen på rad %d gäller bankgiro %s, inte nämndens %s (fakturainställningarna). Kontrollera att filen är nämndens.",
					d.Line, d.Account, s.Bankgiro))
			}
		}
	}
	if p.SHA256 != "" {
		if v.Duplicate, err = c.committedPaymentFile(ctx, p.CommitteeID, p.SHA256); err != nil {
			return v, err
		}
		if v.Duplicate != nil && v.Duplicate.ID != p.ID {
			v.Problems = append(v.Problems, domain.ErrorMessage(errAlreadyCommitted(*v.Duplicate)))
		}
	}
	if len(p.Payments) == 0 {
		v.Problems = append(v.Problems, "Filen har inga betalningar.")
	}
	return v, nil
}

// digitsOf keeps the digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

type paymentLineRow struct {
	Seq        int           `db:"seq"`
	Part       int           `db:"part"`
	Outcome    string        `db:"outcome"`
	MatchedBy  string        `db:"matched_by"`
	InvoiceID  sql.NullInt64 `db:"invoice_id"`
	Registered int64         `db:"registered_ore"`
	Reason     string        `db:"reason"`
}

// committedPreview rebuilds what committing a file did from its lines.
func (c Money) committedPreview(ctx context.Context, p finance.PaymentImport) (finance.PaymentImportPreview, error) {
	v := finance.PaymentImportPreview{Import: p}
	var rows []paymentLineRow
	if err := c.db.Select(ctx, &rows, `SELECT seq, part, outcome, matched_by, invoice_id, registered_ore, reason
		FROM payment_file_lines WHERE file_id = ? ORDER BY seq, part`, p.ID); err != nil {
		return v, fmt.Errorf("read payment file lines: %w", err)
	}
	var ids []int64
	for _, r := range rows {
		if r.InvoiceID.Valid {
			ids = append(ids, r.InvoiceID.Int64)
		}
	}
	docs := map[int64]finance.Invoice{}
	if len(ids) > 0 {
		query, args, err := sqlx.In(invoiceSelect+` WHERE i.id IN (?)`, ids)
		if err != nil {
			return v, err
		}
		var invs []invoiceRow
		if err := c.db.Select(ctx, &invs, query, args...); err != nil {
			return v, fmt.Errorf("read payment file invoices: %w", err)
		}
		for _, r := range invs {
			docs[r.ID] = r.domain()
		}
	}
	bySeq := map[int]finance.BankPayment{}
	for _, bp := range p.Payments {
		bySeq[bp.Seq] = bp
	}
	for _, r := range rows {
		if r.Part > 1 {
			last := &v.Matching.Matches[len(v.Matching.Matches)-1]
			last.Parts = append(last.Parts, finance.PaymentPart{Invoice: docs[r.InvoiceID.Int64], Amount: sqlconn.FromOre(r.Registered)})
			continue
		}
		m := finance.PaymentMatch{Payment: bySeq[r.Seq], Outcome: finance.MatchOutcome(r.Outcome), By: finance.MatchMethod(r.MatchedBy), Reason: r.Reason}
		if r.InvoiceID.Valid {
			m.Parts = []finance.PaymentPart{{Invoice: docs[r.InvoiceID.Int64], Amount: sqlconn.FromOre(r.Registered)}}
		}
		if m.Outcome == finance.MatchOver {
			m.Excess = m.Payment.Amount.Sub(m.Registered())
		}
		v.Matching.Matches = append(v.Matching.Matches, m)
	}
	return v, nil
}

// CommitPaymentFile registers every matched payment of a previewed file, as
// matched against the invoices now, and records what was done with each
// payment of the file; the caller's transaction makes it all or nothing.
// Each payment is checked by finance.CheckPayment and guarded like one
// registered by hand, so a payment registered meanwhile can never make an
// invoice paid twice. The file is refused (ECONFLICT) when it or the same
// file is committed already.
func (c Money) CommitPaymentFile(ctx context.Context, id int64) (finance.PaymentImportPreview, error) {
	v, err := c.PreviewPaymentFile(ctx, id)
	if err != nil {
		return v, err
	}
	p := v.Import
	if p.Committed {
		return v, errAlreadyCommitted(p)
	}
	if len(v.Problems) > 0 {
		return v, domain.Errorf(domain.ECONFLICT, "%s", strings.Join(v.Problems, " "))
	}
	today := domain.DateOf(c.db.Now())
	label := p.Format.Label() + "-fil " + p.FileName
	actor := domain.ActorFrom(ctx).Label
	for _, m := range v.Matching.Matches {
		bp := m.Payment
		amount, err := sqlconn.ToOre(bp.Amount)
		if err != nil {
			return v, err
		}
		line := func(part int, invoiceID, paymentID sql.NullInt64, registered int64) error {
			_, err := c.db.Exec(ctx, `INSERT INTO payment_file_lines (file_id, seq, part, line, paid_on, amount_ore, reference, payer, bank_ref,
				outcome, matched_by, invoice_id, payment_id, registered_ore, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.ID, bp.Seq, part, bp.Line, sqlconn.Date(bp.PaidOn), amount, bp.AllReferences(), bp.Payer, bp.BankRef,
				string(m.Outcome), string(m.By), invoiceID, paymentID, registered, m.Reason)
			if err != nil {
				return fmt.Errorf("store payment file line: %w", err)
			}
			return nil
		}
		if len(m.Parts) == 0 {
			if err := line(0, sql.NullInt64{}, sql.NullInt64{}, 0); err != nil {
				return v, err
			}
			continue
		}
		for i, part := range m.Parts {
			inv, err := c.InvoiceByID(ctx, part.Invoice.ID)
			if err != nil {
				return v, err
			}
			pay := finance.Payment{PaidOn: bp.PaidOn, Amount: part.Amount, Note: label + ", rad " + strconv.Itoa(bp.Line)}
			if err := finance.CheckPayment(inv, pay, today); err != nil {
				return v, domain.Errorf(domain.ECONFLICT, "Rad %d, %s: %s", bp.Line, inv.Number, domain.ErrorMessage(err))
			}
			pid, ore, err := c.insertPayment(ctx, inv, pay, map[string]string{"file": strconv.FormatInt(p.ID, 10)})
			if err != nil {
				return v, err
			}
			if err := line(i+1, sql.NullInt64{Int64: inv.ID, Valid: true}, sql.NullInt64{Int64: pid, Valid: true}, ore); err != nil {
				return v, err
			}
		}
	}
	res, err := c.db.Exec(ctx, `UPDATE payment_files SET status = 'committed', committed_at = ?, committed_by = ? WHERE id = ? AND status = 'preview'`,
		c.db.Now(), actor, p.ID)
	if err != nil {
		if sqlconn.IsUniqueViolation(err) {
			// Another request read the same file in meanwhile; on
			// PostgreSQL the transaction can ask nothing more.
			return v, domain.Errorf(domain.ECONFLICT, "Samma fil lästes in av någon annan samtidigt. Inget har registrerats; ladda om sidan.")
		}
		return v, fmt.Errorf("commit payment file: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return v, domain.Errorf(domain.ECONFLICT, "Betalfilen lästes in av någon annan samtidigt. Ladda om sidan.")
	}
	n, sum := v.Matching.Registered()
	if err := c.db.Audit(ctx, "commit", "payment_file", p.ID, nil, map[string]any{"file": p.FileName, "sha256": p.SHA256,
		"payments": len(p.Payments), "registered": n, "amount": sum.StringFixed(2), "attention": len(v.Matching.Attention())}); err != nil {
		return v, err
	}
	return c.PreviewPaymentFile(ctx, p.ID)
}
