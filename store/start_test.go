package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestStartPageReads(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		c := db.Conn()
		gns, err := c.CommitteeByCode(ctx, demo.CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("allocations", func(t *testing.T) {
			proposals, err := c.RecentAllocations(ctx, gns.ID, false, 5)
			if err != nil {
				t.Fatal(err)
			}
			decided, err := c.RecentAllocations(ctx, gns.ID, true, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(proposals) == 0 {
				t.Error("no proposals in the demo")
			}
			for _, p := range proposals {
				if p.Allocation.Decision != "" || p.Allocation.Superseded() || p.RunID != 0 {
					t.Errorf("proposal %+v is decided, superseded or invoiced", p.Allocation)
				}
			}
			if len(decided) != 1 || decided[0].Allocation.Decision == "" || decided[0].RunID == 0 {
				t.Errorf("newest decided allocation = %+v, want one decided and invoiced", decided)
			}
			// What is left to invoice: every decided allocation in force
			// without a run, as the full list and the runs tell it.
			all, err := c.Allocations(ctx, gns.ID)
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for _, a := range all {
				if _, invoiced, err := c.RunOfAllocation(ctx, a.ID); err != nil {
					t.Fatal(err)
				} else if a.Decision != "" && !a.Superseded() && !invoiced {
					want = append(want, a.ID)
				}
			}
			toInvoice, err := c.AllocationsToInvoice(ctx, gns.ID)
			var got []int64
			for _, a := range toInvoice {
				got = append(got, a.ID)
			}
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("AllocationsToInvoice = %v, %v; want %v", got, err, want)
			}
		})

		t.Run("open invoices", func(t *testing.T) {
			all, err := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID, Kind: finance.InvoiceKindInvoice})
			if err != nil {
				t.Fatal(err)
			}
			due := domain.MustDate("2021-01-31")
			var count, overdue int
			open, overdueOpen := decimal.Zero, decimal.Zero
			for _, inv := range all {
				if inv.Open().IsPositive() {
					count, open = count+1, open.Add(inv.Open())
					if inv.Overdue(due.AddDays(1)) {
						overdue, overdueOpen = overdue+1, overdueOpen.Add(inv.Open())
					}
				}
			}
			if count < 3 {
				t.Fatalf("the demo has %d open invoices, want at least 3", count)
			}
			got, err := c.OpenInvoicesOf(ctx, gns.ID, due.AddDays(1), 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Invoices) != 2 || got.Count != count || !got.Open.Equal(open) || got.Overdue != overdue || !got.OverdueOpen.Equal(overdueOpen) {
				t.Errorf("open invoices = %d listed, %d for %s, %d overdue for %s; want 2 listed, %d for %s, %d overdue for %s",
					len(got.Invoices), got.Count, got.Open, got.Overdue, got.OverdueOpen, count, open, overdue, overdueOpen)
			}
			for _, inv := range got.Invoices {
				if !inv.Open().IsPositive() || inv.Kind != finance.InvoiceKindInvoice {
					t.Errorf("%s is not an open invoice", inv.Number)
				}
			}
			// On the base funding's due date only invoices due earlier (the
			// serverdrift bill of 2020) are overdue.
			earlier := 0
			for _, inv := range all {
				if inv.Open().IsPositive() && inv.Overdue(due) {
					earlier++
				}
			}
			if earlier >= overdue {
				t.Errorf("%d invoices overdue on the due date, %d the day after: the base funding's are not among them", earlier, overdue)
			}
			if early, _ := c.OpenInvoicesOf(ctx, gns.ID, due, 2); early.Overdue != earlier {
				t.Errorf("on the due date %d invoices are overdue, want %d", early.Overdue, earlier)
			}
			runs, err := c.RecentInvoiceRuns(ctx, gns.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			full, err := c.InvoiceRuns(ctx, gns.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 || runs[0].ID != full[0].ID || runs[0].Documents != len(full[0].Invoices) {
				t.Errorf("newest run = %+v, want run %d with %d documents", runs, full[0].ID, len(full[0].Invoices))
			}
		})

		t.Run("open cases", func(t *testing.T) {
			page, err := c.ListCases(ctx, domain.CaseFilter{CommitteeID: gns.ID, Open: true})
			if err != nil {
				t.Fatal(err)
			}
			k := page.Cases[0]
			if _, err := c.CloseCase(ctx, k.ID, "klart"); err != nil {
				t.Fatal(err)
			}
			after, err := c.ListCases(ctx, domain.CaseFilter{CommitteeID: gns.ID, Open: true})
			if err != nil {
				t.Fatal(err)
			}
			if after.Total != page.Total-1 || len(after.Cases) > 0 && after.Cases[0].ID == k.ID {
				t.Errorf("after closing %s: %d open cases, want %d without it", k.Number, after.Total, page.Total-1)
			}
		})

		t.Run("meetings", func(t *testing.T) {
			today := domain.DateOf(time.Now())
			members, err := c.Members(ctx, gns.ID)
			if err != nil {
				t.Fatal(err)
			}
			ledamot, _, err := c.UserForLogin(ctx, "ledamot@demo.gns.example")
			if err != nil {
				t.Fatal(err)
			}
			a, b := members[0], members[1]
			b.UserID = ledamot.ID
			var held, ahead, later meeting.Meeting
			err = db.InTx(ctx, func(tx *store.Conn) error {
				if _, err := tx.UpdateMember(ctx, b); err != nil {
					return err
				}
				plan := func(d domain.Date) (meeting.Meeting, error) {
					return tx.CreateMeeting(ctx, meeting.Meeting{CommitteeID: gns.ID, Date: d, StartTime: "09:00", EndTime: "12:00", Place: "Östersund", Purpose: meeting.PurposeOther})
				}
				var err error
				if held, err = plan(today.AddDays(-10)); err != nil {
					return err
				}
				if ahead, err = plan(today.AddDays(20)); err != nil {
					return err
				}
				if later, err = plan(today.AddDays(40)); err != nil {
					return err
				}
				if _, err := tx.PublishKallelse(ctx, ahead.ID); err != nil {
					return err
				}
				if _, err := tx.SetAttendance(ctx, held.ID, []meeting.Attendance{{MemberID: a.ID, Present: true}, {MemberID: b.ID, Present: true}}); err != nil {
					return err
				}
				_, err = tx.SetJusterare(ctx, held.ID, []int64{a.ID, b.ID}, held.Date.AddDays(3))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			progress, err := c.MeetingsInProgress(ctx, gns.ID, today.AddDays(-60), today, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(progress) != 2 || progress[0].Meeting.ID != held.ID || progress[0].Justerare != 2 || progress[0].Approved != 0 ||
				progress[1].Meeting.ID != ahead.ID || !progress[1].Meeting.Published() || progress[1].Justerare != 0 {
				t.Errorf("meetings in progress = %+v, want the held meeting awaiting justering, then the published one", progress)
			}
			upcoming, err := c.UpcomingMeetings(ctx, gns.ID, today, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(upcoming) != 2 || upcoming[0].ID != ahead.ID || upcoming[1].ID != later.ID {
				t.Errorf("upcoming = %+v, want the two ahead in order", upcoming)
			}
			pending, err := c.PendingJusteringar(ctx, ledamot.ID, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != 1 || pending[0].ID != held.ID {
				t.Errorf("pending justeringar of the ledamot = %+v, want the held meeting", pending)
			}
			if none, _ := c.PendingJusteringar(ctx, ledamot.ID+1000, 5); len(none) != 0 {
				t.Errorf("a user who is no justerare has %d pending", len(none))
			}
		})
	})
}
