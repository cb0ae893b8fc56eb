package finance

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

// TestPlanReminder: only an invoice with something left after its due date
// gets a påminnelse, due ReminderDays later, and the next one only after
// the last one's due date.
func TestPlanReminder(t *testing.T) {
	t.Parallel()
	due := domain.MustDate("2021-01-31")
	inv := Invoice{ID: 1, Number: "GNS-2021-0001", Kind: InvoiceKindInvoice, DueDate: due,
		Amount: decimal.RequireFromString("101600"), Paid: decimal.Zero, Credited: decimal.Zero, SentAt: time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC)}
	paid, partly, credited, note, unsent := inv, inv, inv, inv, inv
	unsent.SentAt = time.Time{}
	paid.Paid = inv.Amount
	partly.Paid = decimal.RequireFromString("1600")
	credited.Credited = inv.Amount
	note.Kind, note.CreditsInvoiceID = InvoiceKindCreditNote, 9
	first := Reminder{InvoiceID: 1, Seq: 1, Day: domain.MustDate("2021-02-05"), DueDate: domain.MustDate("2021-02-15")}
	for _, tt := range []struct {
		name    string
		inv     Invoice
		earlier []Reminder
		today   string
		seq     int
		open    string
		wantErr string
	}{
		{"overdue", inv, nil, "2021-02-01", 1, "101600", ""},
		{"on the due date", inv, nil, "2021-01-31", 0, "", "är inte förfallen än"},
		{"before the due date", inv, nil, "2021-01-10", 0, "", "är inte förfallen än"},
		{"paid", paid, nil, "2021-03-01", 0, "", "inget kvar att betala (betald)"},
		{"credited", credited, nil, "2021-03-01", 0, "", "inget kvar att betala (krediterad)"},
		{"partly paid", partly, nil, "2021-03-01", 1, "100000", ""},
		{"not sent", unsent, nil, "2021-03-01", 0, "", "är inte skickad än"},
		{"credit note", note, nil, "2021-03-01", 0, "", "En kreditfaktura får ingen påminnelse"},
		{"before the first reminder's due date", inv, []Reminder{first}, "2021-02-15", 0, "", "Påminnelse skickades 2021-02-05 med ny förfallodag 2021-02-15"},
		{"after the first reminder's due date", inv, []Reminder{first}, "2021-02-16", 2, "101600", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := PlanReminder(tt.inv, tt.earlier, domain.MustDate(tt.today))
			if tt.wantErr != "" {
				if err == nil || domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("err = %v, want a conflict saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			today := domain.MustDate(tt.today)
			if r.Seq != tt.seq || r.Day != today || r.DueDate != today.AddDays(ReminderDays) || !r.Open.Equal(decimal.RequireFromString(tt.open)) {
				t.Errorf("reminder = %+v", r)
			}
		})
	}
	if got := (Reminder{Seq: 2}).Title(); got != "Påminnelse 2" {
		t.Errorf("title %q", got)
	}
}
