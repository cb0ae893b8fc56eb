package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// nullQueue takes mails onto no queue: enough for the store to count them
// as going (status queued), without sending them.
type nullQueue struct{}

func (nullQueue) EnqueueMail(context.Context, *sql.Tx, int64) error { return nil }

// TestSendRunByMail: without a mail server "Skicka" keeps one mail per
// document with its PDF and UBL and leaves the documents unsent, and keeps
// them once; with a server it marks them sent by e-mail in the same
// transaction, never twice, and a party without an invoice address is
// named and stays unsent. Both engines.
func TestSendRunByMail(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		// Every party but Berg gets an invoice address; a bad one is refused.
		err := db.InTx(f.ctx, func(c *store.Conn) error {
			for i, p := range f.parties {
				if p.Slug == "berg" {
					continue
				}
				d := p.PartyDetails
				d.InvoiceEmail = " Fakturor@" + p.Slug + ".example "
				var err error
				if f.parties[i], err = c.UpdatePartyDetails(f.ctx, p.ID, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Conn().PartyByID(f.ctx, f.parties[1].ID); got.InvoiceEmail != "Fakturor@"+f.parties[1].Slug+".example" {
			t.Errorf("invoice address kept as %q", got.InvoiceEmail)
		}
		bad := f.parties[1].PartyDetails
		bad.InvoiceEmail = "fakturor"
		err = db.InTx(f.ctx, func(c *store.Conn) error { _, err := c.UpdatePartyDetails(f.ctx, f.parties[1].ID, bad); return err })
		var de *domain.Error
		if !errors.As(err, &de) || de.Field != "invoice_email" {
			t.Errorf("a bad invoice address: %v, want a field error on invoice_email", err)
		}

		run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		send := func(fingerprint string) (app.SendResult, error) {
			var res app.SendResult
			err := db.InTx(f.ctx, func(c *store.Conn) error {
				var err error
				res, err = app.SendRun(f.ctx, c, run, fingerprint, "https://gns.example")
				return err
			})
			return res, err
		}
		// No mail server: kept, not sent, and kept once.
		res, err := send("")
		if err != nil || res.Kept != 7 || res.Sent != 0 || strings.Join(res.Missing, ",") != "Bergs kommun" {
			t.Fatalf("send without a server = %+v, %v; want 7 kept and Berg missing", res, err)
		}
		mails, err := db.Conn().Mails(f.ctx, store.MailFilter{Committees: []int64{f.cm.ID}})
		if err != nil || len(mails) != 7 {
			t.Fatalf("mails kept = %d, %v", len(mails), err)
		}
		one, err := db.Conn().Mail(f.ctx, mails[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if one.Kind != domain.MailInvoice || one.Status != domain.MailKept || len(one.Attachments) != 2 ||
			one.Attachments[0].ContentType != "application/pdf" || !strings.HasPrefix(string(one.Attachments[1].Content), "<?xml") {
			t.Errorf("a kept invoice mail: %+v", one)
		}
		for _, inv := range run.Invoices {
			if got, _ := db.Conn().InvoiceByID(f.ctx, inv.ID); !got.SentAt.IsZero() {
				t.Errorf("%s is sent although its mail was only kept", inv.Number)
			}
		}
		if _, err := send(""); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "redan sparade under Utskick") {
			t.Errorf("keeping again: %v, want a conflict", err)
		}

		// A mail server: each document once, marked sent by e-mail.
		db.SetMailQueue(nullQueue{})
		var plan app.RunDelivery
		if plan, err = app.PlanRunDelivery(f.ctx, db.Conn(), run); err != nil {
			t.Fatal(err)
		}
		if _, err := send("stale"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a stale fingerprint: %v, want a conflict", err)
		}
		res, err = send(plan.Fingerprint())
		if err != nil || res.Sent != 7 || res.Kept != 0 {
			t.Fatalf("send = %+v, %v; want 7 sent", res, err)
		}
		for _, inv := range run.Invoices {
			got, _ := db.Conn().InvoiceByID(f.ctx, inv.ID)
			wantSent := got.Buyer.Name != "Bergs kommun"
			if !got.SentAt.IsZero() != wantSent || (wantSent && (got.SentVia != finance.SentViaEmail || got.SentBy != "ekonom@example.se")) {
				t.Errorf("%s (%s): sent %v via %q", inv.Number, got.Buyer.Name, got.SentAt, got.SentVia)
			}
		}
		queued, _ := db.Conn().Mails(f.ctx, store.MailFilter{Committees: []int64{f.cm.ID}, Status: domain.MailQueued})
		if len(queued) != 7 {
			t.Errorf("queued mails = %d, want 7", len(queued))
		}
		if _, err := send(""); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "Bergs kommun saknar e-postadress för fakturor") {
			t.Errorf("sending again: %v, want a conflict naming Berg", err)
		}
		if after, _ := db.Conn().Mails(f.ctx, store.MailFilter{Committees: []int64{f.cm.ID}}); len(after) != 14 {
			t.Errorf("mails after sending twice = %d, want 14 (7 kept, 7 sent)", len(after))
		}
		// A claim of a document already sent claims nothing.
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			ok, err := c.ClaimInvoiceEmailed(f.ctx, run.Invoices[1].ID)
			if ok {
				t.Error("a sent document was claimed again")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestReminders: a påminnelse goes only for a sent invoice left unpaid
// after its due date, ten days to pay, the next only after that; it is
// recorded with who and when, and never changed. Both engines.
func TestReminders(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		err := db.InTx(f.ctx, func(c *store.Conn) error {
			for _, p := range f.parties {
				d := p.PartyDetails
				d.InvoiceEmail = "fakturor@" + p.Slug + ".example"
				if _, err := c.UpdatePartyDetails(f.ctx, p.ID, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		inv := run.Invoices[0] // due 2021-01-31
		db.SetMailQueue(nullQueue{})
		remind := func(day string) (app.ReminderPlan, bool, error) {
			var p app.ReminderPlan
			var recorded bool
			err := db.InTx(f.ctx, func(c *store.Conn) error {
				cur, err := c.InvoiceByID(f.ctx, inv.ID)
				if err != nil {
					return err
				}
				p, recorded, err = app.SendReminder(f.ctx, c, cur, domain.MustDate(day), "https://gns.example")
				return err
			})
			return p, recorded, err
		}
		if _, _, err := remind("2021-02-10"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "inte skickad än") {
			t.Errorf("a påminnelse of an unsent invoice: %v", err)
		}
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			for _, d := range run.Invoices {
				if _, err := c.ClaimInvoiceEmailed(f.ctx, d.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := remind("2021-01-31"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a påminnelse on the due date: %v", err)
		}
		p, recorded, err := remind("2021-02-10")
		if err != nil || !recorded || p.Reminder.Seq != 1 || p.Reminder.DueDate != domain.MustDate("2021-02-20") || !p.Reminder.Open.Equal(decimal.NewFromInt(101600)) {
			t.Fatalf("first påminnelse = %+v, %v, %v", p.Reminder, recorded, err)
		}
		if _, _, err := remind("2021-02-20"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "ny förfallodag 2021-02-20") {
			t.Errorf("a second påminnelse before the first's due date: %v", err)
		}
		if _, _, err := remind("2021-02-21"); err != nil {
			t.Errorf("the second påminnelse: %v", err)
		}
		list, err := db.Conn().InvoiceReminders(f.ctx, inv.ID)
		if err != nil || len(list) != 2 || list[1].Seq != 2 || list[0].CreatedBy != "ekonom@example.se" || !strings.HasPrefix(list[0].ToEmail, "fakturor@") || list[0].MailID == 0 {
			t.Fatalf("reminders = %+v, %v", list, err)
		}
		m, err := db.Conn().Mail(f.ctx, list[0].MailID)
		if err != nil || m.Kind != domain.MailReminder || len(m.Attachments) != 2 || m.Attachments[0].Filename != inv.Number+"-paminnelse-1.pdf" {
			t.Errorf("the påminnelse's mail: %+v, %v", m, err)
		}
		// Paid in full: no påminnelse, whoever asks the store.
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.RegisterPayment(f.ctx, inv.Number, finance.Payment{Amount: decimal.NewFromInt(101600), PaidOn: domain.MustDate("2021-03-01")}, domain.MustDate("2021-03-10"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := remind("2021-03-10"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "inget kvar att betala") {
			t.Errorf("a påminnelse of a paid invoice: %v", err)
		}
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.RecordReminder(f.ctx, finance.Reminder{InvoiceID: inv.ID, Seq: 3, Day: domain.MustDate("2021-03-10"),
				DueDate: domain.MustDate("2021-03-20"), Open: decimal.NewFromInt(1), ToEmail: "x@example.se", MailID: list[0].MailID})
			return err
		})
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("recording a påminnelse of a paid invoice: %v", err)
		}
		for _, q := range []string{`UPDATE invoice_reminders SET open_ore = 1 WHERE invoice_id = ?`, `DELETE FROM invoice_reminders WHERE invoice_id = ?`} {
			if _, err := db.SQL().ExecContext(f.ctx, f.rebind(q), inv.ID); err == nil {
				t.Errorf("%s was allowed", q)
			}
		}
		// Without a server the mail is kept and nothing recorded.
		db.SetMailQueue(nil)
		other := run.Invoices[2]
		var recordedKept bool
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			var err error
			_, recordedKept, err = app.SendReminder(f.ctx, c, other, domain.MustDate("2021-02-10"), "")
			return err
		})
		if cur, _ := db.Conn().InvoiceReminders(f.ctx, other.ID); err != nil || recordedKept || len(cur) != 0 {
			t.Errorf("a påminnelse without a server: recorded %v, %d reminders, %v", recordedKept, len(cur), err)
		}
	})
}
