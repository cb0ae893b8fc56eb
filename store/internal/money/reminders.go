package money

import (
	"context"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// This file keeps the påminnelser of overdue invoices: one row per reminder
// sent, never changed (database triggers).

type reminderRow struct {
	ID         int64        `db:"id"`
	InvoiceID  int64        `db:"invoice_id"`
	Seq        int          `db:"seq"`
	RemindedOn sqlconn.Date `db:"reminded_on"`
	DueDate    sqlconn.Date `db:"due_date"`
	OpenOre    int64        `db:"open_ore"`
	ToEmail    string       `db:"to_email"`
	MailID     int64        `db:"mail_id"`
	CreatedAt  time.Time    `db:"created_at"`
	CreatedBy  string       `db:"created_by"`
}

func (r reminderRow) domain() finance.Reminder {
	return finance.Reminder{ID: r.ID, InvoiceID: r.InvoiceID, Seq: r.Seq, Day: domain.Date(r.RemindedOn), DueDate: domain.Date(r.DueDate),
		Open: sqlconn.FromOre(r.OpenOre), ToEmail: r.ToEmail, MailID: r.MailID, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
}

// InvoiceReminders lists the påminnelser of a document, first first.
func (c Money) InvoiceReminders(ctx context.Context, invoiceID int64) ([]finance.Reminder, error) {
	var rows []reminderRow
	if err := c.db.Select(ctx, &rows, `SELECT id, invoice_id, seq, reminded_on, due_date, open_ore, to_email, mail_id, created_at, created_by
		FROM invoice_reminders WHERE invoice_id = ? ORDER BY seq`, invoiceID); err != nil {
		return nil, fmt.Errorf("list reminders: %w", err)
	}
	return domainRows(rows), nil
}

// errReminderRace answers a påminnelse that another request sent at the
// same moment.
var errReminderRace = domain.Errorf(domain.ECONFLICT, "En annan påminnelse av fakturan skickades samtidigt. Ladda om sidan.")

// RecordReminder records påminnelse r of an invoice, sent to r.ToEmail in
// mail r.MailID by the actor in ctx. It plans the reminder again from the
// invoice and its earlier reminders as they are in the transaction
// (finance.PlanReminder on r.Day), so a paid, credited or not yet overdue
// invoice gets none whoever calls, and refuses r if the plan differs (the
// invoice changed since r was made).
func (c Money) RecordReminder(ctx context.Context, r finance.Reminder) (finance.Reminder, error) {
	inv, err := c.InvoiceByID(ctx, r.InvoiceID)
	if err != nil {
		return finance.Reminder{}, err
	}
	earlier, err := c.InvoiceReminders(ctx, inv.ID)
	if err != nil {
		return finance.Reminder{}, err
	}
	plan, err := finance.PlanReminder(inv, earlier, r.Day)
	if err != nil {
		return finance.Reminder{}, err
	}
	if plan.Seq != r.Seq || plan.DueDate != r.DueDate || !plan.Open.Equal(r.Open) {
		return finance.Reminder{}, errChangedMeanwhile
	}
	if r.ToEmail == "" || r.MailID == 0 {
		return finance.Reminder{}, fmt.Errorf("record reminder of %s: no mail", inv.Number)
	}
	ore, err := sqlconn.ToOre(r.Open)
	if err != nil {
		return finance.Reminder{}, err
	}
	r.CreatedAt, r.CreatedBy = c.db.Now(), domain.ActorFrom(ctx).Label
	r.ID, err = c.db.Insert(ctx, `INSERT INTO invoice_reminders (invoice_id, seq, reminded_on, due_date, open_ore, to_email, mail_id, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, r.Seq, sqlconn.Date(r.Day), sqlconn.Date(r.DueDate), ore, r.ToEmail, r.MailID, r.CreatedAt, r.CreatedBy)
	if sqlconn.IsUniqueViolation(err) {
		return finance.Reminder{}, errReminderRace
	}
	if err != nil {
		return finance.Reminder{}, fmt.Errorf("record reminder of %s: %w", inv.Number, err)
	}
	if err := c.db.Audit(ctx, "remind", "invoice", inv.Number, nil, map[string]string{"seq": fmt.Sprint(r.Seq),
		"due_date": r.DueDate.String(), "open": r.Open.StringFixed(2), "to": r.ToEmail}); err != nil {
		return finance.Reminder{}, err
	}
	return r, nil
}
