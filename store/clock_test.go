package store_test

import (
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestClock: the DB's clock is the time a transaction stores, in UTC and to
// the microsecond, the same for every row it stamps (case, event, audit);
// each Conn and each transaction takes its time once, when it is made; nil
// restores the real clock.
func TestClock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		fixed := time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.FixedZone("CET", 3600))
		want := fixed.UTC().Truncate(time.Microsecond)
		calls := 0
		db.SetClock(func() time.Time {
			calls++
			return fixed.Add(time.Duration(calls-1) * time.Hour)
		})
		var inTx time.Time
		var k, k2 domain.Case
		err := db.InTx(f.ctx, func(c *store.Conn) error {
			inTx = c.Now()
			var err error
			if k, err = c.RegisterCase(f.ctx, f.gns, domain.Case{Title: "Klockan", Description: "Fast tid.", RegisteredOn: f.today}); err != nil {
				return err
			}
			k2, err = c.RegisterCase(f.ctx, f.gns, domain.Case{Title: "Klockan igen", Description: "Samma tid.", RegisteredOn: f.today})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != 1 {
			t.Errorf("the clock was read %d times in one transaction, want 1", calls)
		}
		if !inTx.Equal(want) || inTx.Location() != time.UTC {
			t.Errorf("Conn.Now() in the transaction = %v, want %v in UTC", inTx, want)
		}
		conn := db.Conn() // the clock's second reading: an hour later
		later := want.Add(time.Hour)
		for _, id := range []int64{k.ID, k2.ID} {
			stored, err := conn.CaseByID(f.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !stored.CreatedAt.Equal(want) {
				t.Errorf("case %s created_at = %v, want %v", stored.Number, stored.CreatedAt, want)
			}
			events, err := conn.CaseEvents(f.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 || !events[0].At.Equal(want) {
				t.Errorf("case %s events = %+v, want the first at %v", stored.Number, events, want)
			}
		}
		entries, _, err := conn.AuditEntries(f.ctx, domain.AuditFilter{Entity: "case"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || !entries[0].At.Equal(want) || !entries[1].At.Equal(want) {
			t.Errorf("audit entries of the cases = %+v, want two at %v", entries, want)
		}
		if got := conn.Now(); !got.Equal(later) {
			t.Errorf("a Conn's Now() = %v, want %v", got, later)
		}
		if got := conn.Now(); !got.Equal(later) || calls != 2 {
			t.Errorf("a Conn's Now() again = %v after %d readings of the clock, want %v after 2", got, calls, later)
		}
		db.SetClock(nil)
		if got := db.Now(); time.Since(got) > time.Minute || got.Location() != time.UTC {
			t.Errorf("with the real clock back, Now() = %v", got)
		}
	})
}
