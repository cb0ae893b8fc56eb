package store_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// createMeeting plans a meeting in a transaction.
func createMeeting(db *store.DB, m meeting.Meeting) (meeting.Meeting, error) {
	var out meeting.Meeting
	err := inTx(db, func(c *store.Conn) error {
		var err error
		out, err = c.CreateMeeting(registryCtx, m)
		return err
	})
	return out, err
}

// mustMeeting plans a meeting or fails the test.
func mustMeeting(t *testing.T, db *store.DB, m meeting.Meeting) meeting.Meeting {
	t.Helper()
	out, err := createMeeting(db, m)
	if err != nil {
		t.Fatalf("create meeting %s: %v", m.Date, err)
	}
	return out
}

// monday is a meeting of the fixture's committee on Monday 8 February 2027.
func monday(f fixture) meeting.Meeting {
	return meeting.Meeting{CommitteeID: f.cm.ID, Date: domain.MustDate("2027-02-08"), StartTime: "09:00", EndTime: "12:00",
		Place: "Lillsjöhögen", Link: "https://teams.example/meet/1", Purpose: meeting.PurposeAnnualAccounts, Municipalities: true}
}

// wantFieldError checks that err is an EINVALID error on field whose message
// holds msg.
func wantFieldError(t *testing.T, name string, err error, field, msg string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Field != field || !strings.Contains(e.Message, msg) {
		t.Errorf("%s: err = %v, want invalid %s with %q", name, err, field, msg)
	}
}

func TestMeetings(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		m := mustMeeting(t, db, monday(f))
		if !regexp.MustCompile(`^meeting-[0-9a-f]{24}@gns$`).MatchString(m.UID) || m.Sequence != 0 || m.Published() || m.Cancelled() {
			t.Errorf("new meeting = %+v", m)
		}
		items, err := c.AgendaItems(registryCtx, m.ID)
		if err != nil || len(items) != 2 || items[0].Title != "Fastställande av föredragningslista" ||
			items[1].Title != "Val av justerare och tid för justering" || items[1].Position != 2 {
			t.Fatalf("standing items = %+v, %v", items, err)
		}

		// Bad input: a clear error on the field, and nothing written.
		meetings, agenda := count(t, db, "meetings"), count(t, db, "agenda_items")
		with := func(change func(m *meeting.Meeting)) meeting.Meeting {
			m := monday(f)
			change(&m)
			return m
		}
		refused := []struct {
			name, field, msg string
			m                meeting.Meeting
		}{
			{"a Wednesday without confirmation", "confirm_weekday", "2027-02-10 är en onsdag", with(func(m *meeting.Meeting) { m.Date = domain.MustDate("2027-02-10") })},
			{"no date", "date", "Ange sammanträdets datum", with(func(m *meeting.Meeting) { m.Date = domain.Date{} })},
			{"a date in year 1999", "date", "utanför", with(func(m *meeting.Meeting) { m.Date = domain.MustDate("1999-02-08") })},
			{"end before start", "end_time", "kan inte sluta (kl. 08.00) innan det börjar (kl. 09.00)", with(func(m *meeting.Meeting) { m.EndTime = "08:00" })},
			{"end equal to start", "end_time", "innan det börjar", with(func(m *meeting.Meeting) { m.EndTime = "09:00" })},
			{"hour 25", "start_time", "ingen tid", with(func(m *meeting.Meeting) { m.StartTime = "25:00" })},
			{"a time without minutes", "start_time", "ingen tid", with(func(m *meeting.Meeting) { m.StartTime = "9" })},
			{"no start time", "start_time", "saknas", with(func(m *meeting.Meeting) { m.StartTime = "" })},
			{"a javascript link", "link", "https://", with(func(m *meeting.Meeting) { m.Link = "javascript:alert(1)" })},
			{"a place on two lines", "place", "en rad", with(func(m *meeting.Meeting) { m.Place = "Rum\nTeams" })},
			{"an unknown purpose", "purpose", "Välj syfte", with(func(m *meeting.Meeting) { m.Purpose = "fest" })},
			{"notes of 3 000 characters", "notes", "högst", with(func(m *meeting.Meeting) { m.Notes = strings.Repeat("x", 3000) })},
		}
		for _, tt := range refused {
			_, err := createMeeting(db, tt.m)
			wantFieldError(t, tt.name, err, tt.field, tt.msg)
		}
		if _, err := createMeeting(db, with(func(m *meeting.Meeting) { m.CommitteeID = f.cm.ID + 100 })); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a meeting of no committee: %v, want not found", err)
		}
		if count(t, db, "meetings") != meetings || count(t, db, "agenda_items") != agenda {
			t.Error("refused meetings left rows behind")
		}

		// The exception, confirmed; a meeting without the municipalities
		// needs no confirmation and keeps none.
		wed := mustMeeting(t, db, with(func(m *meeting.Meeting) {
			m.Date, m.WeekdayConfirmed, m.StartTime, m.EndTime = domain.MustDate("2027-02-10"), true, "9.30", "11.00"
		}))
		if !wed.WeekdayConfirmed || wed.StartTime != "09:30" {
			t.Errorf("confirmed Wednesday = %+v", wed)
		}
		internal := mustMeeting(t, db, with(func(m *meeting.Meeting) {
			m.Date, m.Municipalities, m.WeekdayConfirmed = domain.MustDate("2027-03-03"), false, true
		}))
		if internal.WeekdayConfirmed {
			t.Error("a meeting without the municipalities kept a confirmation it does not need")
		}

		// Each edit raises the sequence; the UID stays.
		m.Place, m.StartTime = "Rådhuset, sal 2", "10:00"
		var edited meeting.Meeting
		if err := inTx(db, func(c *store.Conn) error { var err error; edited, err = c.UpdateMeeting(registryCtx, m); return err }); err != nil {
			t.Fatal(err)
		}
		if edited.Sequence != 1 || edited.UID != m.UID || edited.Place != "Rådhuset, sal 2" || edited.StartTime != "10:00" {
			t.Errorf("edited = %+v", edited)
		}
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			edited, err = c.UpdateMeeting(registryCtx, edited)
			return err
		}); err != nil || edited.Sequence != 1 {
			t.Errorf("an edit that changes nothing: sequence %d, %v", edited.Sequence, err)
		}
		// Moving the Wednesday to a Thursday needs a new confirmation of the day... which it carries;
		// moving it to a Monday drops the confirmation.
		wed.Date = domain.MustDate("2027-02-15")
		if err := inTx(db, func(c *store.Conn) error { var err error; wed, err = c.UpdateMeeting(registryCtx, wed); return err }); err != nil || wed.WeekdayConfirmed {
			t.Errorf("moved to a Monday: %+v, %v", wed, err)
		}
		wed.Date = domain.MustDate("2027-02-17")
		err = inTx(db, func(c *store.Conn) error { _, err := c.UpdateMeeting(registryCtx, wed); return err })
		wantFieldError(t, "moved to a Wednesday without confirmation", err, "confirm_weekday", "onsdag")

		list, err := c.Meetings(registryCtx, f.cm.ID, 2027)
		if err != nil || len(list) != 3 || list[0].ID != m.ID || list[1].ID != wed.ID || list[2].ID != internal.ID {
			t.Errorf("Meetings(2027) = %+v, %v", list, err)
		}
		if list, err := c.Meetings(registryCtx, f.cm.ID, 2026); err != nil || len(list) != 0 {
			t.Errorf("Meetings(2026) = %+v, %v", list, err)
		}
		mustMeeting(t, db, with(func(m *meeting.Meeting) { m.Date = domain.MustDate("2028-02-07") }))
		if years, err := c.MeetingYears(registryCtx, f.cm.ID); err != nil || len(years) != 2 || years[0] != 2027 || years[1] != 2028 {
			t.Errorf("MeetingYears = %v, %v", years, err)
		}

		// Publishing and cancelling.
		var published meeting.Meeting
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			published, err = c.PublishKallelse(registryCtx, m.ID)
			return err
		}); err != nil || !published.Published() {
			t.Fatalf("publish = %+v, %v", published, err)
		}
		err = inTx(db, func(c *store.Conn) error { _, err := c.PublishKallelse(registryCtx, m.ID); return err })
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("publishing twice: %v, want conflict", err)
		}
		var cancelled meeting.Meeting
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			cancelled, err = c.CancelMeeting(registryCtx, internal.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !cancelled.Cancelled() || cancelled.Sequence != internal.Sequence+1 {
			t.Errorf("cancelled = %+v", cancelled)
		}
		before := count(t, db, "audit_log")
		cancelled.Place = "Någon annanstans"
		err = inTx(db, func(c *store.Conn) error { _, err := c.UpdateMeeting(registryCtx, cancelled); return err })
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "är inställt") {
			t.Errorf("editing a cancelled meeting: %v, want conflict", err)
		}
		for name, fn := range map[string]func(c *store.Conn) error{
			"cancel again": func(c *store.Conn) error { _, err := c.CancelMeeting(registryCtx, internal.ID); return err },
			"publish":      func(c *store.Conn) error { _, err := c.PublishKallelse(registryCtx, internal.ID); return err },
			"add item": func(c *store.Conn) error {
				_, err := c.AddAgendaItem(registryCtx, internal.ID, meeting.AgendaItem{Kind: meeting.AgendaOther, Title: "Information"})
				return err
			},
		} {
			if err := inTx(db, fn); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("%s on a cancelled meeting: %v, want conflict", name, err)
			}
		}
		if count(t, db, "audit_log") != before {
			t.Error("refused changes wrote to the audit trail")
		}
		if got, _ := c.MeetingByID(registryCtx, internal.ID); got.Place != internal.Place {
			t.Error("a cancelled meeting changed")
		}
		if _, err := c.MeetingByID(registryCtx, 999999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("MeetingByID(999999): %v, want not found", err)
		}
		if n := count(t, db, "audit_log"); n == 0 {
			t.Error("no audit entries")
		}
	})
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"09:00": "09:00", "9:00": "09:00", "09.30": "09:30", " 23:59 ": "23:59", "00:00": "00:00"} {
		if got, err := store.ParseClock("t", "Tiden", in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "24:00", "12:60", "9", "0900", "9:5", "-1:00", "+9:00", "kl. 9", "12:00:00", "ab:cd"} {
		if _, err := store.ParseClock("t", "Tiden", in); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseClock(%q): %v, want invalid", in, err)
		}
	}
}

func TestAttendance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		term := domain.MustDate("2019-01-01")
		member := func(name string, role domain.MemberRole, from, to domain.Date) domain.Member {
			var out domain.Member
			if err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.CreateMember(registryCtx, domain.Member{CommitteeID: f.cm.ID, Name: name, PoliticalParty: "S", Role: role, From: from, To: to})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		chair := member("Robert Hamberg", domain.MemberChair, term, domain.Date{})
		ledamot := member("Therese Kärngård", domain.MemberOrdinary, term, domain.Date{})
		ersattare := member("Ann-Marie Johansson", domain.MemberSubstitute, term, domain.Date{})
		andra := member("Maria Jakobsson", domain.MemberSubstitute, term, domain.Date{})
		member("Gammal Ledamot", domain.MemberOrdinary, term, domain.MustDate("2020-12-31")) // not called in 2027
		m := mustMeeting(t, db, monday(f))

		att, err := c.Attendance(registryCtx, m.ID)
		if err != nil || len(att) != 4 || att[0].Member.Name != "Robert Hamberg" || att[3].Member.Role != domain.MemberSubstitute || att[0].Present {
			t.Fatalf("attendance before anything is recorded = %+v, %v", att, err)
		}

		set := func(list ...meeting.Attendance) ([]meeting.Attendance, error) {
			var out []meeting.Attendance
			err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.SetAttendance(registryCtx, m.ID, list)
				return err
			})
			return out, err
		}
		// The ledamot is absent; an ersättare serves for her.
		got, err := set(
			meeting.Attendance{MemberID: chair.ID, Present: true},
			meeting.Attendance{MemberID: ledamot.ID},
			meeting.Attendance{MemberID: ersattare.ID, Present: true, ServingFor: ledamot.ID},
			meeting.Attendance{MemberID: andra.ID, Present: true},
		)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]meeting.Attendance{}
		for _, a := range got {
			byName[a.Member.Name] = a
		}
		if a := byName["Robert Hamberg"]; !a.Present || !a.Serving {
			t.Errorf("the chair present = %+v, want serving", a)
		}
		if a := byName["Ann-Marie Johansson"]; !a.Serving || a.ServingFor != ledamot.ID {
			t.Errorf("the serving ersättare = %+v", a)
		}
		if a := byName["Maria Jakobsson"]; !a.Present || a.Serving {
			t.Errorf("an ersättare present but not serving = %+v", a)
		}

		// The ledamot arrives at § 5: the ersättare serves until § 4.
		if _, err := set(
			meeting.Attendance{MemberID: chair.ID, Present: true},
			meeting.Attendance{MemberID: ledamot.ID, Present: true, ArrivedAt: 5},
			meeting.Attendance{MemberID: ersattare.ID, Present: true, ServingFor: ledamot.ID, LeftAfter: 4},
		); err != nil {
			t.Errorf("an ersättare serving until the ledamot arrives: %v", err)
		}
		if got, _ := c.Attendance(registryCtx, m.ID); got[3].Present {
			t.Error("a member left out of the list stayed present")
		}

		rows := count(t, db, "meeting_attendance")
		refused := []struct {
			name, field, msg string
			list             []meeting.Attendance
		}{
			{"an ersättare for a ledamot who is there", "member_", "medan", []meeting.Attendance{
				{MemberID: ledamot.ID, Present: true}, {MemberID: ersattare.ID, Present: true, ServingFor: ledamot.ID}}},
			{"two ersättare for one seat", "member_", "båda", []meeting.Attendance{
				{MemberID: ersattare.ID, Present: true, ServingFor: ledamot.ID}, {MemberID: andra.ID, Present: true, ServingFor: ledamot.ID}}},
			{"an ersättare serving for an ersättare", "member_", "kallad ledamot", []meeting.Attendance{
				{MemberID: ersattare.ID, Present: true, ServingFor: andra.ID}}},
			{"an absent member serving", "member_", "inte närvarande", []meeting.Attendance{
				{MemberID: ersattare.ID, ServingFor: ledamot.ID}}},
			{"leaving before arriving", "member_", "innan", []meeting.Attendance{
				{MemberID: chair.ID, Present: true, ArrivedAt: 5, LeftAfter: 3}}},
			{"a ledamot serving for another", "member_", "egen rätt", []meeting.Attendance{
				{MemberID: chair.ID, Present: true, ServingFor: ledamot.ID}}},
			{"a member not called", "attendance", "inte kallad", []meeting.Attendance{{MemberID: 999999, Present: true}}},
			{"a member twice", "member_", "två gånger", []meeting.Attendance{{MemberID: chair.ID, Present: true}, {MemberID: chair.ID}}},
		}
		for _, tt := range refused {
			_, err := set(tt.list...)
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID || !strings.HasPrefix(e.Field, tt.field) || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("%s: err = %v, want invalid %s… with %q", tt.name, err, tt.field, tt.msg)
			}
		}
		if count(t, db, "meeting_attendance") != rows {
			t.Error("refused attendance left rows behind")
		}
		if got, _ := c.Attendance(registryCtx, m.ID); !got[1].Present || got[1].ArrivedAt != 5 {
			t.Errorf("refused attendance changed the record: %+v", got[1])
		}

		// Approved minutes: the attendance no longer changes, in the store
		// or in the database.
		lock := "UPDATE meetings SET locked_at = updated_at WHERE id = ?"
		if db.Dialect() == store.Postgres {
			lock = strings.Replace(lock, "?", "$1", 1)
		}
		if _, err := db.SQL().ExecContext(registryCtx, lock, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := set(meeting.Attendance{MemberID: chair.ID}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("attendance of approved minutes: %v, want conflict", err)
		}
	})
}

func TestCalendarTokens(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := db.Conn()
		u := createRegistryUser(t, db, "ledamot@example.se")
		if _, err := c.CalendarTokenOf(registryCtx, u.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a user without an address: %v", err)
		}
		set := func(hash string) error {
			return inTx(db, func(c *store.Conn) error { return c.SetCalendarToken(registryCtx, u.ID, hash) })
		}
		if err := set("hash-1"); err != nil {
			t.Fatal(err)
		}
		got, err := c.UserByCalendarToken(registryCtx, "hash-1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByCalendarToken = %+v, %v", got, err)
		}
		first, err := c.CalendarTokenOf(registryCtx, u.ID)
		if err != nil || first.LastUsedAt.IsZero() {
			t.Errorf("token after use = %+v, %v", first, err)
		}
		// A calendar app's poll within the minute writes nothing; one a
		// minute after the last recorded use records it.
		for _, tt := range []struct {
			after time.Duration
			want  time.Time
		}{{30 * time.Second, first.LastUsedAt}, {time.Minute, first.LastUsedAt.Add(time.Minute)}} {
			db.SetClock(func() time.Time { return first.LastUsedAt.Add(tt.after) })
			if _, err := db.Conn().UserByCalendarToken(registryCtx, "hash-1"); err != nil {
				t.Fatal(err)
			}
			if tok, err := c.CalendarTokenOf(registryCtx, u.ID); err != nil || !tok.LastUsedAt.Equal(tt.want) {
				t.Errorf("last use after a poll %v on = %v (%v), want %v", tt.after, tok.LastUsedAt, err, tt.want)
			}
		}
		db.SetClock(nil)
		if err := set("hash-2"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UserByCalendarToken(registryCtx, "hash-1"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the replaced token still works: %v", err)
		}
		if tok, _ := c.CalendarTokenOf(registryCtx, u.ID); !tok.LastUsedAt.IsZero() {
			t.Error("a new address carries the old one's last use")
		}
		if err := inTx(db, func(c *store.Conn) error { return c.SetDisabled(registryCtx, u.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UserByCalendarToken(registryCtx, "hash-2"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a disabled user's address works: %v", err)
		}
		var had bool
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			had, err = c.RemoveCalendarToken(registryCtx, u.ID)
			return err
		}); err != nil || !had {
			t.Errorf("remove = %v, %v", had, err)
		}
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			had, err = c.RemoveCalendarToken(registryCtx, u.ID)
			return err
		}); err != nil || had {
			t.Errorf("remove again = %v, %v", had, err)
		}
		if err := set(""); err == nil {
			t.Error("an empty hash was stored")
		}
	})
}
