package outbox_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
)

// TestSchedules: a daily and a weekly job are due at the hour, Swedish
// time, also across the change to winter time; Last is the latest due time
// at or before t and Next the first after it.
func TestSchedules(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sv.Location())
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name       string
		s          outbox.Schedule
		t          string
		last, next string
	}{
		{"daily before the hour", outbox.Daily(7), "2026-12-07 06:59", "2026-12-06 07:00", "2026-12-07 07:00"},
		{"daily at the hour", outbox.Daily(7), "2026-12-07 07:00", "2026-12-07 07:00", "2026-12-08 07:00"},
		{"daily across winter time", outbox.Daily(7), "2026-10-25 08:00", "2026-10-25 07:00", "2026-10-26 07:00"},
		{"weekly on a wednesday", outbox.Weekly(time.Monday, 7), "2026-12-09 12:00", "2026-12-07 07:00", "2026-12-14 07:00"},
		{"weekly on the monday before the hour", outbox.Weekly(time.Monday, 7), "2026-12-07 06:00", "2026-11-30 07:00", "2026-12-07 07:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.s.Last(at(tc.t)); !got.Equal(at(tc.last)) {
				t.Errorf("Last(%s) = %s, want %s", tc.t, got.In(sv.Location()), tc.last)
			}
			if got := tc.s.Next(at(tc.t)); !got.Equal(at(tc.next)) {
				t.Errorf("Next(%s) = %s, want %s", tc.t, got.In(sv.Location()), tc.next)
			}
		})
	}
}

// TestBadJobs: a job without a name, schedule or work, or two with one
// name, are refused when the queue is made.
func TestBadJobs(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	run := func(context.Context, *store.Conn) error { return nil }
	for name, jobs := range map[string][]outbox.Job{
		"no name":     {{Schedule: outbox.Daily(7), Run: run}},
		"no schedule": {{Name: "a", Run: run}},
		"no work":     {{Name: "a", Schedule: outbox.Daily(7)}},
		"monthly":     {{Name: "a", Schedule: outbox.Every(30 * 24 * time.Hour), Run: run}},
		"twice":       {{Name: "a", Schedule: outbox.Daily(7), Run: run}, {Name: "a", Schedule: outbox.Daily(8), Run: run}},
	} {
		if _, err := outbox.New(db, nil, outbox.Options{Jobs: jobs, Logger: quietLog}); err == nil {
			t.Errorf("%s: New accepted the jobs", name)
		}
	}
}

// TestPeriodicJobOnce: two instances (two gns serve) on one database run a
// job once for its period, and the mail it keeps is sent once; a third
// instance that starts after both stopped (a new leader, RunOnStart) finds
// the period done. A job due every second runs again each second, without
// SMTP too (the mails it keeps are kept, not sent).
func TestPeriodicJobOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		var runs, ticks atomic.Int64
		digest := outbox.Job{Name: "digest", Schedule: outbox.Every(time.Hour), Run: func(ctx context.Context, c *store.Conn) error {
			runs.Add(1)
			_, err := c.QueueMail(ctx, testMail("sekretariat@example.org"))
			return err
		}}
		tick := outbox.Job{Name: "tick", Schedule: outbox.Every(time.Second), Run: func(ctx context.Context, c *store.Conn) error {
			ticks.Add(1)
			return nil
		}}
		a := newQueue(t, db, srv, outbox.Options{ID: "instans-a", Jobs: []outbox.Job{digest}})
		b := newQueue(t, db, srv, outbox.Options{ID: "instans-b", Jobs: []outbox.Job{digest}})
		for _, q := range []*outbox.Queue{a, b} {
			if err := q.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		srv.Wait(t, 1, 60*time.Second)
		waitStatus(t, db, domain.MailSent, 1, 20*time.Second)
		time.Sleep(time.Second)
		for _, q := range []*outbox.Queue{a, b} {
			if err := q.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		db.SetMailQueue(nil)
		c, err := outbox.New(db, nil, outbox.Options{ID: "instans-c", PollInterval: 50 * time.Millisecond, Logger: quietLog, Jobs: []outbox.Job{digest, tick}})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Stop(context.Background()) })
		deadline := time.Now().Add(60 * time.Second)
		for ticks.Load() < 3 {
			if time.Now().After(deadline) {
				t.Fatalf("the job due every second ran %d times in a minute", ticks.Load())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := runs.Load(); n != 1 {
			t.Errorf("the job ran %d times in its period, want once", n)
		}
		if n := len(srv.Messages()); n != 1 {
			t.Errorf("%d mails reached the SMTP server, want 1", n)
		}
	})
}
