package finance

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// ReminderDays is how many days a påminnelse gives to pay: the new due date
// is the day of the påminnelse plus ReminderDays. Ten days is common
// practice in Swedish public bodies' reminders (the seeds' committee has no
// rule of its own); no reminder fee and no interest are charged, since the
// buyers are the committee's own parties.
const ReminderDays = 10

// Reminder is one påminnelse of an overdue invoice, kept as it was sent:
// its number in order, the day, the new due date, what was left to pay that
// day, where it went (and in which mail), and who sent it. A reminder is
// never changed or deleted.
type Reminder struct {
	ID        int64
	InvoiceID int64
	// Seq counts the invoice's reminders: 1 for the first.
	Seq       int
	Day       domain.Date
	DueDate   domain.Date
	Open      decimal.Decimal
	ToEmail   string
	MailID    int64
	CreatedAt time.Time
	CreatedBy string
}

// Title is the reminder's name: "Påminnelse" for the first,
// "Påminnelse 2" for the second.
func (r Reminder) Title() string {
	if r.Seq <= 1 {
		return "Påminnelse"
	}
	return "Påminnelse " + sv.Integer(int64(r.Seq))
}

// PlanReminder is the next påminnelse of inv on today, given the reminders
// already sent (in order): it may be sent only for an invoice (not a credit
// note) that has been sent and has something left to pay after its due date, and, after an
// earlier påminnelse, only once that one's due date has passed too. The
// refusal says why in Swedish (ECONFLICT).
func PlanReminder(inv Invoice, earlier []Reminder, today domain.Date) (Reminder, error) {
	switch {
	case inv.Kind != InvoiceKindInvoice:
		return Reminder{}, domain.Errorf(domain.ECONFLICT, "En kreditfaktura får ingen påminnelse: bara fakturor påminns om.")
	case !inv.Open().IsPositive():
		return Reminder{}, domain.Errorf(domain.ECONFLICT, "Faktura %s har inget kvar att betala (%s) och får ingen påminnelse.", inv.Number, strings.ToLower(inv.StatusLabel()))
	case inv.SentAt.IsZero():
		return Reminder{}, domain.Errorf(domain.ECONFLICT, "Faktura %s är inte skickad än, så den kan inte påminnas om. Skicka den först.", inv.Number)
	case !inv.Overdue(today):
		return Reminder{}, domain.Errorf(domain.ECONFLICT, "Faktura %s förfaller %s och är inte förfallen än: en påminnelse kan skickas från dagen efter.", inv.Number, sv.Date(inv.DueDate))
	}
	if n := len(earlier); n > 0 && !earlier[n-1].DueDate.Before(today) {
		last := earlier[n-1]
		return Reminder{}, domain.Errorf(domain.ECONFLICT, "%s skickades %s med ny förfallodag %s. En ny påminnelse kan skickas från dagen efter.", last.Title(), sv.Date(last.Day), sv.Date(last.DueDate))
	}
	return Reminder{InvoiceID: inv.ID, Seq: len(earlier) + 1, Day: today, DueDate: today.AddDays(ReminderDays), Open: inv.Open()}, nil
}
