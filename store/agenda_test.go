package store_test

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// registerCase registers a case in the committee or fails the test.
func registerCase(t *testing.T, db *store.DB, cm domain.Committee, title, description string) domain.Case {
	t.Helper()
	var k domain.Case
	if err := inTx(db, func(c *store.Conn) error {
		var err error
		k, err = c.RegisterCase(registryCtx, cm, domain.Case{Title: title, Description: description, RegisteredOn: domain.MustDate("2026-11-09")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAgenda(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		m := mustMeeting(t, db, monday(f))
		plan := registerCase(t, db, f.cm, "Sammanträdestider 2028", "Enligt § 7 i reglementet ska nämnden upprätta en plan.")
		budget := registerCase(t, db, f.cm, "Budget 2028", "Basfinansieringen är oförändrad.")
		closed := registerCase(t, db, f.cm, "Avslutat ärende", "")
		if err := inTx(db, func(c *store.Conn) error { _, err := c.CloseCase(registryCtx, closed.ID, ""); return err }); err != nil {
			t.Fatal(err)
		}
		var other domain.Committee
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			other, err = c.CreateCommittee(registryCtx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnden", StartedOn: domain.MustDate("2019-01-01"), HostPartyID: f.region.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		foreign := registerCase(t, db, other, "Upphandling", "")

		add := func(meetingID int64, it meeting.AgendaItem) (meeting.AgendaItem, error) {
			var out meeting.AgendaItem
			err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.AddAgendaItem(registryCtx, meetingID, it)
				return err
			})
			return out, err
		}
		first, err := add(m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: plan.ID, Proposal: "Följande sammanträdesdagar fastställs.",
			DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientRole, Role: " Sekretariatet "}, {Kind: meeting.RecipientParties}, {Kind: meeting.RecipientRole, Role: "sekretariatet"}}})
		if err != nil {
			t.Fatal(err)
		}
		if first.Position != 3 || first.Title != plan.Title || first.Description != plan.Description || first.CaseNumber != plan.Number.String() ||
			len(first.DispatchTo) != 2 || first.DispatchTo[0].Kind != meeting.RecipientParties || first.DispatchTo[1].Role != "Sekretariatet" {
			t.Errorf("first case item = %+v", first)
		}
		k, _ := c.CaseByID(registryCtx, plan.ID)
		if k.Status != domain.CaseOnAgenda {
			t.Errorf("case status = %s, want on the agenda", k.Status)
		}
		events, _ := c.CaseEvents(registryCtx, plan.ID)
		if last := events[len(events)-1]; !strings.Contains(last.Note, "sammanträdet den 2027-02-08") {
			t.Errorf("timeline ends with %+v", last)
		}
		second, err := add(m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: budget.ID, Title: "Budget 2028 och basfinansiering",
			Description: "Egen ärendebeskrivning.", DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientParty, Party: "berg"}}})
		if err != nil || second.Position != 4 || second.Title != "Budget 2028 och basfinansiering" || second.Description != "Egen ärendebeskrivning." {
			t.Fatalf("second = %+v, %v", second, err)
		}
		info, err := add(m.ID, meeting.AgendaItem{Kind: meeting.AgendaOther, Title: "Information från regiondirektören"})
		if err != nil || info.Position != 5 || info.CaseID != 0 {
			t.Fatalf("information item = %+v, %v", info, err)
		}

		// Bad input: a clear error, and nothing written.
		items, events0, audit := count(t, db, "agenda_items"), count(t, db, "case_events"), count(t, db, "audit_log")
		refused := []struct {
			name, field, msg string
			it               meeting.AgendaItem
		}{
			{"a case of another committee", "case", "nämndens ärenden", meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: foreign.ID}},
			{"no case", "case", "Välj ärendet", meeting.AgendaItem{Kind: meeting.AgendaCase}},
			{"an unknown case", "case", "nämndens ärenden", meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: 999999}},
			{"a closed case", "case", "avslutat", meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: closed.ID}},
			{"another item without a title", "title", "rubrik", meeting.AgendaItem{Kind: meeting.AgendaOther}},
			{"a title on two lines", "title", "en rad", meeting.AgendaItem{Kind: meeting.AgendaOther, Title: "a\nb"}},
			{"a party of another committee", "dispatch_to", "inte part", meeting.AgendaItem{Kind: meeting.AgendaOther, Title: "X",
				DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientParty, Party: "krokom"}}}},
			{"an empty role", "dispatch_to", "rollen", meeting.AgendaItem{Kind: meeting.AgendaOther, Title: "X",
				DispatchTo: []meeting.Recipient{{Kind: meeting.RecipientRole, Role: "  "}}}},
			{"a third standing item", "kind", "stående", meeting.AgendaItem{Kind: meeting.AgendaStanding, Title: "X"}},
		}
		for _, tt := range refused {
			_, err := add(m.ID, tt.it)
			wantFieldError(t, tt.name, err, tt.field, tt.msg)
		}
		if _, err := add(m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: plan.ID}); domain.ErrorCode(err) != domain.ECONFLICT ||
			!strings.Contains(domain.ErrorMessage(err), "står redan") {
			t.Errorf("a case twice on one list: %v, want conflict", err)
		}
		if count(t, db, "agenda_items") != items || count(t, db, "case_events") != events0 || count(t, db, "audit_log") != audit {
			t.Error("refused items left rows behind")
		}

		// Editing, reordering.
		second.Proposal = "Basfinansieringen fastställs till 914 400 kr."
		second.DispatchTo = []meeting.Recipient{{Kind: meeting.RecipientParties}}
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			second, err = c.UpdateAgendaItem(registryCtx, second)
			return err
		}); err != nil ||
			second.Proposal != "Basfinansieringen fastställs till 914 400 kr." {
			t.Errorf("update = %+v, %v", second, err)
		}
		move := func(id int64, up bool) error {
			return inTx(db, func(c *store.Conn) error { return c.MoveAgendaItem(registryCtx, id, up) })
		}
		if err := move(second.ID, true); err != nil {
			t.Fatal(err)
		}
		order := func() string {
			list, err := c.AgendaItems(registryCtx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, it := range list {
				s = append(s, it.Title)
			}
			return strings.Join(s, " | ")
		}
		want := "Fastställande av föredragningslista | Val av justerare och tid för justering | Budget 2028 och basfinansiering | Sammanträdestider 2028 | Information från regiondirektören"
		if got := order(); got != want {
			t.Errorf("after moving up:\n%s\nwant\n%s", got, want)
		}
		for name, tt := range map[string]struct {
			id int64
			up bool
		}{"above the standing items": {second.ID, true}, "a standing item": {first.ID - 1, false}, "below the last": {info.ID, false}} {
			if err := move(tt.id, tt.up); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("moving %s: %v, want conflict", name, err)
			}
		}
		if got := order(); got != want {
			t.Errorf("refused moves changed the order:\n%s", got)
		}

		// Withdrawing: the item stays, marked; the case goes back to
		// preparation.
		var withdrawn meeting.AgendaItem
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			withdrawn, err = c.WithdrawAgendaItem(registryCtx, second.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if withdrawn.Status != meeting.AgendaWithdrawn {
			t.Errorf("withdrawn = %+v", withdrawn)
		}
		if k, _ := c.CaseByID(registryCtx, budget.ID); k.Status != domain.CaseInPreparation {
			t.Errorf("withdrawn case status = %s, want in preparation", k.Status)
		}
		for name, fn := range map[string]func(c *store.Conn) error{
			"withdraw again":        func(c *store.Conn) error { _, err := c.WithdrawAgendaItem(registryCtx, second.ID); return err },
			"edit a withdrawn item": func(c *store.Conn) error { _, err := c.UpdateAgendaItem(registryCtx, withdrawn); return err },
			"withdraw a standing item": func(c *store.Conn) error {
				list, _ := c.AgendaItems(registryCtx, m.ID)
				_, err := c.WithdrawAgendaItem(registryCtx, list[0].ID)
				return err
			},
		} {
			if err := inTx(db, fn); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("%s: %v, want conflict", name, err)
			}
		}

		// Moving to another meeting.
		later := mustMeeting(t, db, meeting.Meeting{CommitteeID: f.cm.ID, Date: domain.MustDate("2027-05-03"), StartTime: "09:00", EndTime: "12:00", Municipalities: true})
		elsewhere := mustMeeting(t, db, meeting.Meeting{CommitteeID: other.ID, Date: domain.MustDate("2027-05-03"), StartTime: "09:00", EndTime: "12:00", Municipalities: true})
		moveTo := func(itemID, meetingID int64) (meeting.AgendaItem, error) {
			var out meeting.AgendaItem
			err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.MoveAgendaItemToMeeting(registryCtx, itemID, meetingID)
				return err
			})
			return out, err
		}
		_, err = moveTo(first.ID, elsewhere.ID)
		wantFieldError(t, "to another committee's meeting", err, "meeting", "nämndens sammanträden")
		_, err = moveTo(first.ID, m.ID)
		wantFieldError(t, "to the same meeting", err, "meeting", "redan")
		moved, err := moveTo(first.ID, later.ID)
		if err != nil || moved.MeetingID != later.ID || moved.Position != 3 || moved.Proposal != first.Proposal || len(moved.DispatchTo) != 2 {
			t.Fatalf("moved = %+v, %v", moved, err)
		}
		if old, _ := c.AgendaItemByID(registryCtx, first.ID); old.Status != meeting.AgendaMoved || old.MovedTo != later.ID {
			t.Errorf("the item left behind = %+v", old)
		}
		events, _ = c.CaseEvents(registryCtx, plan.ID)
		if last := events[len(events)-1]; last.Kind != domain.CaseEventAgenda || !strings.Contains(last.Note, "till sammanträdet den 2027-05-03") {
			t.Errorf("timeline ends with %+v", last)
		}
		if list, _ := c.CaseAgendaItems(registryCtx, plan.ID); len(list) != 2 {
			t.Errorf("CaseAgendaItems = %+v", list)
		}

		// A meeting with case items on its list is not cancelled.
		err = inTx(db, func(c *store.Conn) error { _, err := c.CancelMeeting(registryCtx, later.ID); return err })
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "Flytta") {
			t.Errorf("cancelling a meeting with cases on its list: %v, want conflict", err)
		}
		// Moving to a cancelled meeting is refused.
		gone := mustMeeting(t, db, meeting.Meeting{CommitteeID: f.cm.ID, Date: domain.MustDate("2027-09-13"), StartTime: "09:00", EndTime: "12:00", Municipalities: true})
		if err := inTx(db, func(c *store.Conn) error { _, err := c.CancelMeeting(registryCtx, gone.ID); return err }); err != nil {
			t.Fatal(err)
		}
		_, err = moveTo(moved.ID, gone.ID)
		wantFieldError(t, "to a cancelled meeting", err, "meeting", "inställt")
	})
}

func TestRecipientsRoundTrip(t *testing.T) {
	t.Parallel()
	list := []meeting.Recipient{{Kind: meeting.RecipientParties}, {Kind: meeting.RecipientParty, Party: "bracke"}, {Kind: meeting.RecipientRole, Role: "Ekonom"}}
	enc := store.EncodeRecipients(list)
	if enc != `["parties","party:bracke","role:Ekonom"]` {
		t.Errorf("EncodeRecipients = %s", enc)
	}
	got := store.DecodeRecipients(enc)
	if len(got) != 3 || got[1] != list[1] || got[2] != list[2] {
		t.Errorf("DecodeRecipients = %+v", got)
	}
	if got := store.DecodeRecipients(`["parties","nonsense",""]`); len(got) != 1 {
		t.Errorf("unknown entries kept: %+v", got)
	}
	if got := store.DecodeRecipients(`not json`); got != nil {
		t.Errorf("bad JSON decoded to %+v", got)
	}
	if store.EncodeRecipients(nil) != "[]" {
		t.Error("no recipients is not []")
	}
}
