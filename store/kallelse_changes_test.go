package store_test

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestMeetingYearMove: a meeting with paragraphs keeps its year, because its
// § numbers belong to that year's series; the message names the paragraphs
// and nothing is written. Within the year, or without paragraphs, the date
// may change.
func TestMeetingYearMove(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		f.paragraph(t, meeting.Paragraph{Title: "Fastställande av föredragningslista"})
		f.paragraph(t, meeting.Paragraph{Title: "Val av justerare"})
		f.paragraph(t, meeting.Paragraph{Title: "Årsbokslut"})
		update := func(m meeting.Meeting, day string) (meeting.Meeting, error) {
			m.Date = domain.MustDate(day)
			var out meeting.Meeting
			err := f.change(func(c *store.Conn) error {
				var err error
				out, err = c.UpdateMeeting(f.ctx, m)
				return err
			})
			return out, err
		}
		before := f.rows(t)
		_, err := update(f.mtg, "2028-02-07")
		wantCode(t, "a move to 2028", err, domain.ECONFLICT, "Sammanträdet har paragraferna § 1–3/2027")
		if e, ok := err.(*domain.Error); !ok || e.Field != "date" || !strings.Contains(e.Message, "Välj ett datum under 2027") {
			t.Errorf("a move to 2028: error = %#v, want a field error on date saying what to do", err)
		}
		if after := f.rows(t); after != before {
			t.Errorf("a refused move wrote:\n%s\nwas\n%s", after, before)
		}
		if got, _ := db.Conn().MeetingByID(f.ctx, f.mtg.ID); got.Date != f.mtg.Date {
			t.Errorf("the refused move changed the date to %s", got.Date)
		}
		moved, err := update(f.mtg, "2027-02-12")
		if err != nil || moved.Date.String() != "2027-02-12" {
			t.Errorf("a move within 2027 = %s, %v", moved.Date, err)
		}
		empty := f.meetingOn(t, "2027-12-06")
		if moved, err := update(empty, "2028-01-10"); err != nil || moved.Date.Year != 2028 {
			t.Errorf("a meeting without paragraphs moving to 2028 = %s, %v", moved.Date, err)
		}
	})
}

// TestKallelseChanges: before the kallelse is published nothing is recorded;
// afterwards every change to the meeting and its föredragningslista is, in
// Swedish, with the name of who made it.
func TestKallelseChanges(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		ctx := domain.WithActor(f.ctx, domain.Actor{UserID: f.secretary.ID, Label: f.secretary.Email})
		changes := func() []string {
			t.Helper()
			list, err := db.Conn().KallelseChanges(ctx, f.mtg.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, ch := range list {
				out = append(out, ch.By+": "+ch.What)
			}
			return out
		}
		change := func(fn func(c *store.Conn) error) {
			t.Helper()
			if err := db.InTx(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		m := f.mtg
		m.Place = "Rådhuset"
		change(func(c *store.Conn) error { var err error; m, err = c.UpdateMeeting(ctx, m); return err })
		var item meeting.AgendaItem
		change(func(c *store.Conn) error {
			var err error
			item, err = c.AddAgendaItem(ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: f.budget.ID})
			return err
		})
		if got := changes(); len(got) != 0 {
			t.Fatalf("changes to a draft kallelse were recorded: %q", got)
		}
		change(func(c *store.Conn) error { var err error; m, err = c.PublishKallelse(ctx, m.ID); return err })
		m.StartTime, m.EndTime = "13:00", "16:00"
		change(func(c *store.Conn) error { var err error; m, err = c.UpdateMeeting(ctx, m); return err })
		// Saving the same values again is no change.
		change(func(c *store.Conn) error { var err error; m, err = c.UpdateMeeting(ctx, m); return err })
		change(func(c *store.Conn) error {
			_, err := c.AddAgendaItem(ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: f.revision.ID})
			return err
		})
		item.Proposal, item.Description = "Nämnden godkänner budgeten.", "Budget för 2028."
		change(func(c *store.Conn) error { _, err := c.UpdateAgendaItem(ctx, item); return err })
		change(func(c *store.Conn) error { return c.MoveAgendaItem(ctx, item.ID, false) })
		change(func(c *store.Conn) error { _, err := c.WithdrawAgendaItem(ctx, item.ID); return err })
		want := []string{
			"Sofia Nordin: Tiden ändrades från 09:00–12:00 till 13:00–16:00.",
			`Sofia Nordin: Punkten "Revisionsrapport" lades till på föredragningslistan.`,
			`Sofia Nordin: I punkten "Budget 2028" ändrades ärendebeskrivningen och förslaget till beslut.`,
			`Sofia Nordin: Punkten "Budget 2028" flyttades från plats 3 till plats 4 på föredragningslistan.`,
			`Sofia Nordin: Punkten "Budget 2028" utgår från föredragningslistan.`,
		}
		if got := changes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("changes =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
