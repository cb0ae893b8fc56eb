package meetings

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Limits of a meeting's free-text fields.
const (
	maxMeetingPlace = 200
	maxMeetingLink  = 500
	maxMeetingNotes = 2000
	// meetingYearMin and meetingYearMax bound the dates a meeting may have:
	// committees older than 2000 do not use GNS, and a later year is a typo.
	meetingYearMin = 2000
	meetingYearMax = 2100
)

type meetingRow struct {
	ID               int64          `db:"id"`
	CommitteeID      int64          `db:"committee_id"`
	UID              string         `db:"uid"`
	Date             sqlconn.Date   `db:"meeting_date"`
	StartTime        string         `db:"start_time"`
	EndTime          string         `db:"end_time"`
	Place            string         `db:"place"`
	Link             string         `db:"link"`
	Purpose          string         `db:"purpose"`
	Municipalities   bool           `db:"municipalities"`
	WeekdayConfirmed bool           `db:"weekday_confirmed"`
	Notes            string         `db:"notes"`
	MinutesNotice    string         `db:"minutes_notice"`
	CancelledAt      sql.NullTime   `db:"cancelled_at"`
	PublishedAt      sql.NullTime   `db:"published_at"`
	JusteringDue     sqlconn.Date   `db:"justering_due"`
	AnnouncedOn      sqlconn.Date   `db:"announced_on"`
	LockedAt         sql.NullTime   `db:"locked_at"`
	MinutesSHA256    sql.NullString `db:"minutes_sha256"`
	Sequence         int            `db:"sequence"`
	CreatedAt        time.Time      `db:"created_at"`
	UpdatedAt        time.Time      `db:"updated_at"`
}

const meetingSelect = `SELECT id, committee_id, uid, meeting_date, start_time, end_time, place, link, purpose,
	municipalities, weekday_confirmed, notes, minutes_notice, cancelled_at, published_at, justering_due, announced_on,
	locked_at, minutes_sha256, sequence, created_at, updated_at FROM meetings`

func (r meetingRow) domain() meeting.Meeting {
	return meeting.Meeting{
		ID: r.ID, CommitteeID: r.CommitteeID, UID: r.UID, Date: domain.Date(r.Date),
		StartTime: r.StartTime, EndTime: r.EndTime, Place: r.Place, Link: r.Link, Purpose: meeting.MeetingPurpose(r.Purpose),
		Municipalities: r.Municipalities, WeekdayConfirmed: r.WeekdayConfirmed, Notes: r.Notes, MinutesNotice: r.MinutesNotice,
		CancelledAt: r.CancelledAt.Time.UTC(), PublishedAt: r.PublishedAt.Time.UTC(),
		JusteringDue: domain.Date(r.JusteringDue), AnnouncedOn: domain.Date(r.AnnouncedOn),
		LockedAt: r.LockedAt.Time.UTC(), MinutesSHA256: r.MinutesSHA256.String, Sequence: r.Sequence,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// meetingAudit is how a meeting appears in the audit trail.
type meetingAudit struct {
	Date             string `json:"date"`
	Start            string `json:"start_time"`
	End              string `json:"end_time"`
	Place            string `json:"place"`
	Link             string `json:"link,omitempty"`
	Purpose          string `json:"purpose"`
	Municipalities   bool   `json:"municipalities"`
	WeekdayConfirmed bool   `json:"weekday_confirmed,omitempty"`
	Notes            string `json:"notes,omitempty"`
	Cancelled        bool   `json:"cancelled,omitempty"`
	Published        bool   `json:"published,omitempty"`
	Sequence         int    `json:"sequence"`
}

func auditOfMeeting(m meeting.Meeting) meetingAudit {
	return meetingAudit{Date: m.Date.String(), Start: m.StartTime, End: m.EndTime, Place: m.Place, Link: m.Link,
		Purpose: string(m.Purpose), Municipalities: m.Municipalities, WeekdayConfirmed: m.WeekdayConfirmed, Notes: m.Notes,
		Cancelled: m.Cancelled(), Published: m.Published(), Sequence: m.Sequence}
}

// CheckMeeting trims and checks what the secretariat plans a meeting with:
// the date (with the weekday rule, meeting.CheckMeetingDay), start and end
// times ("09:00"; "9.00" is accepted and written "09:00"), the place and the
// link (an http or https address), the purpose and the notes. It keeps the
// weekday confirmation only where the rule needs it. Errors are field errors
// on date, start_time, end_time, place, link, purpose, notes and
// confirm_weekday.
func CheckMeeting(m *meeting.Meeting) error {
	if m.Date.IsZero() {
		return domain.FieldErrorf("date", "Ange sammanträdets datum: ÅÅÅÅ-MM-DD, t.ex. 2027-02-08.")
	}
	if m.Date.Year < meetingYearMin || m.Date.Year > meetingYearMax {
		return domain.FieldErrorf("date", "Datumet %s ligger utanför åren %d–%d.", m.Date, meetingYearMin, meetingYearMax)
	}
	var err error
	if m.StartTime, err = ParseClock("start_time", "Starttiden", m.StartTime); err != nil {
		return err
	}
	if m.EndTime, err = ParseClock("end_time", "Sluttiden", m.EndTime); err != nil {
		return err
	}
	if m.EndTime <= m.StartTime {
		return domain.FieldErrorf("end_time", "Sammanträdet kan inte sluta (kl. %s) innan det börjar (kl. %s).",
			strings.Replace(m.EndTime, ":", ".", 1), strings.Replace(m.StartTime, ":", ".", 1))
	}
	m.Place, m.Link, m.Notes = strings.TrimSpace(m.Place), strings.TrimSpace(m.Link), strings.TrimSpace(m.Notes)
	if err := domain.CheckText("place", "Platsen", m.Place, maxMeetingPlace); err != nil {
		return err
	}
	if strings.ContainsAny(m.Place, "\r\n\t") {
		return domain.FieldErrorf("place", "Platsen ska stå på en rad.")
	}
	if err := checkMeetingLink(m.Link); err != nil {
		return err
	}
	if err := domain.CheckText("notes", "Anteckningen", m.Notes, maxMeetingNotes); err != nil {
		return err
	}
	m.MinutesNotice = strings.TrimSpace(m.MinutesNotice)
	if err := domain.CheckText("minutes_notice", "Protokollets anmärkning", m.MinutesNotice, maxMeetingNotes); err != nil {
		return err
	}
	if m.Purpose == "" {
		m.Purpose = meeting.PurposeOther
	}
	if !m.Purpose.Valid() {
		return domain.FieldErrorf("purpose", "Välj syfte: årsbokslut, tertialrapport, delårsrapport, budget eller övrigt.")
	}
	if err := meeting.CheckMeetingDay(m.Date, m.Municipalities, m.WeekdayConfirmed); err != nil {
		return err
	}
	// The confirmation belongs to the day it confirmed: a Monday or Friday,
	// or a meeting without the municipalities, needs none.
	m.WeekdayConfirmed = m.WeekdayConfirmed && meeting.CheckMeetingDay(m.Date, m.Municipalities, false) != nil
	return nil
}

// ParseClock reads a time of day as a form or the API gives it, "09:00",
// "9:00" or the Swedish "09.00", and returns it as "09:00". Errors are field
// errors on field, with label (e.g. "Starttiden") leading the message.
func ParseClock(field, label, s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := domain.FieldErrorf(field, "%s %q är ingen tid: skriv TT:MM, t.ex. 09:00.", label, s)
	if s == "" {
		return "", domain.FieldErrorf(field, "%s saknas: skriv TT:MM, t.ex. 09:00.", label)
	}
	if len(s) > 5 {
		return "", bad
	}
	h, m, ok := strings.Cut(strings.Replace(s, ".", ":", 1), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return "", bad
	}
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 || h[0] == '+' || h[0] == '-' {
		return "", bad
	}
	return fmt.Sprintf("%02d:%02d", hour, minute), nil
}

// checkMeetingLink checks the link to a digital meeting (Teams and the
// like): empty, or an absolute http or https address, so that it is safe to
// link to from a page.
func checkMeetingLink(link string) error {
	if link == "" {
		return nil
	}
	if err := domain.CheckText("link", "Länken", link, maxMeetingLink); err != nil {
		return err
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(link, " \t\r\n") {
		return domain.FieldErrorf("link", "Länken ska vara en webbadress som börjar med https://, t.ex. länken till Teams-mötet.")
	}
	return nil
}

// newMeetingUID makes the identifier a meeting keeps in calendar feeds for
// its whole life.
func newMeetingUID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("meeting uid: %w", err)
	}
	return "meeting-" + hex.EncodeToString(b) + "@gns", nil
}

// CreateMeeting plans a meeting of m.CommitteeID after CheckMeeting, gives it
// its calendar UID, and puts the two standing items on its
// föredragningslista: 1 Fastställande av föredragningslista and 2 Val av
// justerare och tid för justering.
func (c Meetings) CreateMeeting(ctx context.Context, m meeting.Meeting) (meeting.Meeting, error) {
	if _, err := c.registry().CommitteeByID(ctx, m.CommitteeID); err != nil {
		return meeting.Meeting{}, err
	}
	if err := CheckMeeting(&m); err != nil {
		return meeting.Meeting{}, err
	}
	uid, err := newMeetingUID()
	if err != nil {
		return meeting.Meeting{}, err
	}
	at := c.db.Now()
	id, err := c.db.Insert(ctx, `INSERT INTO meetings (committee_id, uid, meeting_date, start_time, end_time, place, link, purpose,
		municipalities, weekday_confirmed, notes, minutes_notice, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		m.CommitteeID, uid, sqlconn.Date(m.Date), m.StartTime, m.EndTime, m.Place, m.Link, string(m.Purpose),
		m.Municipalities, m.WeekdayConfirmed, m.Notes, m.MinutesNotice, at, at)
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("create meeting: %w", err)
	}
	if err := c.addStandingItems(ctx, id, at); err != nil {
		return meeting.Meeting{}, err
	}
	stored, err := c.MeetingByID(ctx, id)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if err := c.db.Audit(ctx, "create", "meeting", id, nil, auditOfMeeting(stored)); err != nil {
		return meeting.Meeting{}, err
	}
	return stored, nil
}

// UpdateMeeting changes a planned meeting's date, times, place, link,
// purpose, municipalities' part, weekday confirmation and notes, after
// CheckMeeting. Every change raises the meeting's sequence, so calendars that
// subscribe to it update the event. A cancelled meeting, or one whose minutes
// are approved, is not changed (ECONFLICT), and neither is the year of a
// meeting that has paragraphs (ECONFLICT on the date field: its § numbers
// belong to its year's series). After the kallelse is published, each change
// is recorded (KallelseChanges). Nothing is recorded when nothing changes.
func (c Meetings) UpdateMeeting(ctx context.Context, m meeting.Meeting) (meeting.Meeting, error) {
	before, err := c.changeableMeeting(ctx, m.ID)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if err := CheckMeeting(&m); err != nil {
		return meeting.Meeting{}, err
	}
	if m.Date == before.Date && m.StartTime == before.StartTime && m.EndTime == before.EndTime && m.Place == before.Place &&
		m.Link == before.Link && m.Purpose == before.Purpose && m.Municipalities == before.Municipalities &&
		m.WeekdayConfirmed == before.WeekdayConfirmed && m.Notes == before.Notes {
		return before, nil
	}
	if err := c.checkYearMove(ctx, before, m.Date); err != nil {
		return meeting.Meeting{}, err
	}
	res, err := c.db.Exec(ctx, `UPDATE meetings SET meeting_date = ?, start_time = ?, end_time = ?, place = ?, link = ?, purpose = ?,
		municipalities = ?, weekday_confirmed = ?, notes = ?, sequence = sequence + 1, updated_at = ?
		WHERE id = ? AND sequence = ? AND cancelled_at IS NULL AND locked_at IS NULL`,
		sqlconn.Date(m.Date), m.StartTime, m.EndTime, m.Place, m.Link, string(m.Purpose), m.Municipalities, m.WeekdayConfirmed, m.Notes,
		c.db.Now(), before.ID, before.Sequence)
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("update meeting %d: %w", before.ID, err)
	}
	after, err := c.recordMeetingChange(ctx, res, before, "update")
	if err != nil {
		return meeting.Meeting{}, err
	}
	return after, c.kallelseChanged(ctx, after, meeting.MeetingChanges(before, after)...)
}

// CancelMeeting calls a planned meeting off. It stays in the year plan (and
// in calendar feeds, as cancelled) with everything it had. A meeting with
// case items still on its föredragningslista is not cancelled: they are
// moved to another meeting or withdrawn first, so no case is left on the
// agenda of a meeting that will not be held.
func (c Meetings) CancelMeeting(ctx context.Context, id int64) (meeting.Meeting, error) {
	before, err := c.changeableMeeting(ctx, id)
	if err != nil {
		return meeting.Meeting{}, err
	}
	var n int
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ? AND kind = ? AND status = ?`,
		id, string(meeting.AgendaCase), string(meeting.AgendaActive)); err != nil {
		return meeting.Meeting{}, fmt.Errorf("cancel meeting %d: %w", id, err)
	}
	if n > 0 {
		return meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s har %d ärenden på föredragningslistan. Flytta dem till ett annat sammanträde eller återta dem innan sammanträdet ställs in.", before.Date, n)
	}
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM paragraphs WHERE meeting_id = ?`, id); err != nil {
		return meeting.Meeting{}, fmt.Errorf("cancel meeting %d: %w", id, err)
	}
	if n > 0 {
		return meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s har protokollförda paragrafer och kan inte ställas in.", before.Date)
	}
	at := c.db.Now()
	res, err := c.db.Exec(ctx, `UPDATE meetings SET cancelled_at = ?, sequence = sequence + 1, updated_at = ?
		WHERE id = ? AND sequence = ? AND cancelled_at IS NULL AND locked_at IS NULL`, at, at, id, before.Sequence)
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("cancel meeting %d: %w", id, err)
	}
	return c.recordMeetingChange(ctx, res, before, "cancel")
}

// PublishKallelse publishes a meeting's kallelse: from then on the members of
// the committee see the meeting and its föredragningslista. Publishing is
// done once; the secretariat may still correct the list afterwards.
func (c Meetings) PublishKallelse(ctx context.Context, id int64) (meeting.Meeting, error) {
	before, err := c.changeableMeeting(ctx, id)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if before.Published() {
		return meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Kallelsen till sammanträdet den %s är redan publicerad.", before.Date)
	}
	at := c.db.Now()
	res, err := c.db.Exec(ctx, `UPDATE meetings SET published_at = ?, updated_at = ?
		WHERE id = ? AND sequence = ? AND published_at IS NULL AND cancelled_at IS NULL AND locked_at IS NULL`, at, at, id, before.Sequence)
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("publish kallelse %d: %w", id, err)
	}
	return c.recordMeetingChange(ctx, res, before, "publish")
}

// changeableMeeting returns a meeting that may still be planned: neither
// cancelled nor with approved minutes.
func (c Meetings) changeableMeeting(ctx context.Context, id int64) (meeting.Meeting, error) {
	m, err := c.MeetingByID(ctx, id)
	if err != nil {
		return meeting.Meeting{}, err
	}
	return m, MeetingChangeable(m)
}

// MeetingChangeable refuses a change to a cancelled meeting or one whose
// minutes are approved (ECONFLICT), so a page can say so before it shows a
// form.
func MeetingChangeable(m meeting.Meeting) error {
	switch {
	case m.Cancelled():
		return domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt och kan inte ändras.", m.Date)
	case m.Locked():
		return domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat; sammanträdet kan inte ändras.", m.Date)
	}
	return nil
}

// recordMeetingChange checks that an UPDATE guarded by the meeting's
// sequence changed it, and writes the audit entry.
func (c Meetings) recordMeetingChange(ctx context.Context, res sql.Result, before meeting.Meeting, action string) (meeting.Meeting, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("%s meeting %d: %w", action, before.ID, err)
	}
	if n != 1 {
		return meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet ändrades av någon annan under tiden. Ladda om sidan och försök igen.")
	}
	after, err := c.MeetingByID(ctx, before.ID)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if err := c.db.Audit(ctx, action, "meeting", before.ID, auditOfMeeting(before), auditOfMeeting(after)); err != nil {
		return meeting.Meeting{}, err
	}
	return after, nil
}

// MeetingByID returns a meeting, or ENOTFOUND.
func (c Meetings) MeetingByID(ctx context.Context, id int64) (meeting.Meeting, error) {
	var r meetingRow
	err := c.db.Get(ctx, &r, meetingSelect+" WHERE id = ?", id)
	if errors.Is(err, sql.ErrNoRows) {
		return meeting.Meeting{}, domain.Errorf(domain.ENOTFOUND, "Sammanträdet finns inte.")
	}
	if err != nil {
		return meeting.Meeting{}, fmt.Errorf("read meeting %d: %w", id, err)
	}
	return r.domain(), nil
}

// Meetings lists the committee's meetings in a calendar year (its year
// plan), cancelled ones included, by date and time.
func (c Meetings) Meetings(ctx context.Context, committeeID int64, year int) ([]meeting.Meeting, error) {
	from := domain.Date{Year: year, Month: time.January, Day: 1}
	to := domain.Date{Year: year + 1, Month: time.January, Day: 1}
	return c.meetingsWhere(ctx, "committee_id = ? AND meeting_date >= ? AND meeting_date < ?", committeeID, sqlconn.Date(from), sqlconn.Date(to))
}

// MeetingsFrom lists the committee's meetings on or after a day, cancelled
// ones included, by date and time: what a calendar feed holds.
func (c Meetings) MeetingsFrom(ctx context.Context, committeeID int64, from domain.Date) ([]meeting.Meeting, error) {
	return c.meetingsWhere(ctx, "committee_id = ? AND meeting_date >= ?", committeeID, sqlconn.Date(from))
}

// JusteringDueOn lists the meetings of every committee whose tid för
// justering is day and whose minutes are not yet justerade (not locked, not
// cancelled): those whose justerare are reminded the day before.
func (c Meetings) JusteringDueOn(ctx context.Context, day domain.Date) ([]meeting.Meeting, error) {
	return c.meetingsWhere(ctx, "justering_due = ? AND locked_at IS NULL AND cancelled_at IS NULL", sqlconn.Date(day))
}

// CaseMeetings lists the meetings a case was on the agenda of or decided
// at, by date, in one query.
func (c Meetings) CaseMeetings(ctx context.Context, caseID int64) ([]meeting.Meeting, error) {
	return c.meetingsWhere(ctx, "id IN (SELECT meeting_id FROM agenda_items WHERE case_id = ? UNION SELECT meeting_id FROM paragraphs WHERE case_id = ?)", caseID, caseID)
}

func (c Meetings) meetingsWhere(ctx context.Context, cond string, args ...any) ([]meeting.Meeting, error) {
	var rows []meetingRow
	if err := c.db.Select(ctx, &rows, meetingSelect+" WHERE "+cond+" ORDER BY meeting_date, start_time, id", args...); err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	return domainRows(rows), nil
}

// MeetingYears lists the years in which the committee has meetings, in
// order.
func (c Meetings) MeetingYears(ctx context.Context, committeeID int64) ([]int, error) {
	var dates []sqlconn.Date
	if err := c.db.Select(ctx, &dates, `SELECT DISTINCT meeting_date FROM meetings WHERE committee_id = ? ORDER BY meeting_date`, committeeID); err != nil {
		return nil, fmt.Errorf("meeting years: %w", err)
	}
	var years []int
	for _, d := range dates {
		if y := d.Year; len(years) == 0 || years[len(years)-1] != y {
			years = append(years, y)
		}
	}
	return years, nil
}

// CalledMembers lists the members a meeting calls: the committee's members
// whose term covers the meeting's date, in the order a kallelse lists them
// (chair, vice chair, ledamöter, ersättare).
func (c Meetings) CalledMembers(ctx context.Context, m meeting.Meeting) ([]domain.Member, error) {
	all, err := c.registry().Members(ctx, m.CommitteeID)
	if err != nil {
		return nil, err
	}
	var out []domain.Member
	for _, mb := range all {
		if mb.ActiveOn(m.Date) {
			out = append(out, mb)
		}
	}
	return out, nil
}

type attendanceRow struct {
	MemberID   int64         `db:"member_id"`
	Present    bool          `db:"present"`
	Serving    bool          `db:"serving"`
	ServingFor sql.NullInt64 `db:"serving_for"`
	ArrivedAt  sql.NullInt64 `db:"arrived_at"`
	LeftAfter  sql.NullInt64 `db:"left_after"`
}

// Attendance returns the attendance of every member the meeting calls
// (CalledMembers), in the kallelse's order, with the member filled in. A
// member for whom nothing is recorded yet is absent and not serving. A member
// recorded earlier whose term no longer covers the date is listed too, last.
func (c Meetings) Attendance(ctx context.Context, meetingID int64) ([]meeting.Attendance, error) {
	m, err := c.MeetingByID(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	called, err := c.CalledMembers(ctx, m)
	if err != nil {
		return nil, err
	}
	var rows []attendanceRow
	if err := c.db.Select(ctx, &rows, `SELECT member_id, present, serving, serving_for, arrived_at, left_after
		FROM meeting_attendance WHERE meeting_id = ? ORDER BY id`, meetingID); err != nil {
		return nil, fmt.Errorf("attendance of meeting %d: %w", meetingID, err)
	}
	remote, err := c.remoteMembers(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	recorded := make(map[int64]attendanceRow, len(rows))
	for _, r := range rows {
		recorded[r.MemberID] = r
	}
	out := make([]meeting.Attendance, 0, len(called))
	seen := map[int64]bool{}
	add := func(mb domain.Member) {
		a := meeting.Attendance{MemberID: mb.ID, Member: mb}
		if r, ok := recorded[mb.ID]; ok {
			a.Present, a.Serving, a.ServingFor = r.Present, r.Serving, r.ServingFor.Int64
			a.ArrivedAt, a.LeftAfter = int(r.ArrivedAt.Int64), int(r.LeftAfter.Int64)
		}
		seen[mb.ID] = true
		a.Remote = remote[mb.ID]
		out = append(out, a)
	}
	for _, mb := range called {
		add(mb)
	}
	for _, r := range rows {
		if !seen[r.MemberID] {
			mb, err := c.registry().MemberByID(ctx, m.CommitteeID, r.MemberID)
			if err != nil {
				return nil, err
			}
			add(mb)
		}
	}
	return out, nil
}

// attendanceAudit is how one member's attendance appears in the audit trail.
type attendanceAudit struct {
	MemberID   int64  `json:"member_id"`
	Name       string `json:"name"`
	Present    bool   `json:"present"`
	Serving    bool   `json:"serving,omitempty"`
	ServingFor int64  `json:"serving_for,omitempty"`
	ArrivedAt  int    `json:"arrived_at,omitempty"`
	LeftAfter  int    `json:"left_after,omitempty"`
	Remote     bool   `json:"remote,omitempty"`
}

func auditOfAttendance(list []meeting.Attendance) []attendanceAudit {
	out := make([]attendanceAudit, len(list))
	for i, a := range list {
		out[i] = attendanceAudit{MemberID: a.MemberID, Name: a.Member.Name, Present: a.Present, Serving: a.Serving,
			ServingFor: a.ServingFor, ArrivedAt: a.ArrivedAt, LeftAfter: a.LeftAfter, Remote: a.Remote}
	}
	return out
}

// SetAttendance records who was at a meeting: for each member the meeting
// calls, present or absent, an ersättare serving (tjänstgörande) for an
// absent ledamot, and the paragraph a member arrived at or left after. A
// member missing from list is recorded as absent. A present ledamot (the
// chair and vice chair included) serves; an ersättare serves only for a
// ledamot, one ersättare for each ledamot at a time. The rules are checked
// for the whole list before anything is written; errors are field errors
// named after the member ("member_<id>"), or ECONFLICT for a cancelled
// meeting or approved minutes.
func (c Meetings) SetAttendance(ctx context.Context, meetingID int64, list []meeting.Attendance) ([]meeting.Attendance, error) {
	m, err := c.MeetingByID(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	if m.Cancelled() {
		return nil, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt; där finns ingen närvaro att föra.", m.Date)
	}
	if m.Locked() {
		return nil, domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat; närvaron kan inte ändras.", m.Date)
	}
	before, err := c.Attendance(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	after, err := checkAttendance(before, list)
	if err != nil {
		return nil, err
	}
	for _, a := range after {
		_, err := c.db.Exec(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, present, serving, serving_for, arrived_at, left_after)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (meeting_id, member_id) DO UPDATE SET present = excluded.present, serving = excluded.serving,
				serving_for = excluded.serving_for, arrived_at = excluded.arrived_at, left_after = excluded.left_after`,
			meetingID, a.MemberID, a.Present, a.Serving, sqlconn.NullID(a.ServingFor), nullInt(a.ArrivedAt), nullInt(a.LeftAfter))
		if err != nil {
			return nil, fmt.Errorf("record attendance of member %d: %w", a.MemberID, err)
		}
		if err := c.setRemote(ctx, meetingID, a); err != nil {
			return nil, err
		}
	}
	if err := c.db.Audit(ctx, "set_attendance", "meeting", meetingID, auditOfAttendance(before), auditOfAttendance(after)); err != nil {
		return nil, err
	}
	return c.Attendance(ctx, meetingID)
}

// nullInt binds 0 as NULL.
func nullInt(n int) sql.NullInt64 { return sql.NullInt64{Int64: int64(n), Valid: n != 0} }

// checkAttendance applies list to the members of current (the meeting's
// called members as Attendance returns them) and checks the result.
func checkAttendance(current, list []meeting.Attendance) ([]meeting.Attendance, error) {
	byID := make(map[int64]int, len(current))
	out := make([]meeting.Attendance, len(current))
	for i, a := range current {
		byID[a.MemberID] = i
		out[i] = meeting.Attendance{MemberID: a.MemberID, Member: a.Member}
	}
	given := map[int64]bool{}
	for _, a := range list {
		i, ok := byID[a.MemberID]
		if !ok {
			return nil, domain.FieldErrorf("attendance", "Ledamot %d är inte kallad till sammanträdet.", a.MemberID)
		}
		if given[a.MemberID] {
			return nil, domain.FieldErrorf(memberField(a.MemberID), "%s finns två gånger i närvarolistan.", out[i].Member.DisplayName())
		}
		given[a.MemberID] = true
		a.Member = out[i].Member
		out[i] = a
	}
	for i := range out {
		a := &out[i]
		name, field := a.Member.DisplayName(), memberField(a.MemberID)
		substitute := a.Member.Role == domain.MemberSubstitute
		if a.ArrivedAt < 0 || a.LeftAfter < 0 {
			return nil, domain.FieldErrorf(field, "Paragrafnummer för %s ska vara positiva.", name)
		}
		if !a.Present {
			if a.Remote {
				return nil, domain.FieldErrorf(field, "%s är inte närvarande och kan inte delta på distans.", name)
			}
			if a.Serving || a.ServingFor != 0 || a.ArrivedAt != 0 || a.LeftAfter != 0 {
				return nil, domain.FieldErrorf(field, "%s är inte närvarande och kan inte tjänstgöra eller komma och gå vid en paragraf.", name)
			}
			continue
		}
		if a.ArrivedAt != 0 && a.LeftAfter != 0 && a.LeftAfter < a.ArrivedAt {
			return nil, domain.FieldErrorf(field, "%s kan inte gå efter § %d innan hen kommer vid § %d.", name, a.LeftAfter, a.ArrivedAt)
		}
		if !substitute {
			// A ledamot present serves, and serves for no one else.
			if a.ServingFor != 0 {
				return nil, domain.FieldErrorf(field, "%s är ledamot och tjänstgör i egen rätt, inte för någon annan.", name)
			}
			a.Serving = true
			continue
		}
		if a.ServingFor == 0 {
			a.Serving = false
			continue
		}
		a.Serving = true
		j, ok := byID[a.ServingFor]
		if !ok || out[j].Member.Role == domain.MemberSubstitute {
			return nil, domain.FieldErrorf(field, "%s kan bara tjänstgöra för en kallad ledamot.", name)
		}
	}
	// A ledamot's seat is taken by one person at a time: the ledamot while
	// present, else at most one ersättare.
	for i, a := range out {
		if !a.Serving || a.ServingFor == 0 {
			continue
		}
		seat := out[byID[a.ServingFor]]
		if seat.Present && overlap(a, seat) {
			return nil, domain.FieldErrorf(memberField(a.MemberID), "%s kan inte tjänstgöra för %s medan %s själv är närvarande. Ange vid vilken paragraf ledamoten kom eller gick.",
				a.Member.DisplayName(), seat.Member.DisplayName(), seat.Member.Name)
		}
		for _, b := range out[i+1:] {
			if b.Serving && b.ServingFor == a.ServingFor && overlap(a, b) {
				return nil, domain.FieldErrorf(memberField(b.MemberID), "%s och %s kan inte båda tjänstgöra för %s vid samma paragrafer.",
					a.Member.DisplayName(), b.Member.DisplayName(), seat.Member.DisplayName())
			}
		}
	}
	return out, nil
}

// overlap reports whether two present members are there at some paragraph
// at the same time.
func overlap(a, b meeting.Attendance) bool {
	from := func(x meeting.Attendance) int { return max(x.ArrivedAt, 1) }
	to := func(x meeting.Attendance) int {
		if x.LeftAfter == 0 {
			return int(^uint(0) >> 1)
		}
		return x.LeftAfter
	}
	return max(from(a), from(b)) <= min(to(a), to(b))
}

// memberField names the form field of one member's attendance.
func memberField(id int64) string { return "member_" + strconv.FormatInt(id, 10) }

// AnnouncedMeetings lists the meetings of every committee whose justerade
// minutes have been announced (anslag), by date: what the public
// anslagstavla shows, current and past anslag alike.
func (c Meetings) AnnouncedMeetings(ctx context.Context) ([]meeting.Meeting, error) {
	return c.meetingsWhere(ctx, "announced_on IS NOT NULL AND locked_at IS NOT NULL")
}

// remoteMembers returns the members recorded as taking part at a distance
// (deltar på distans) in a meeting.
func (c Meetings) remoteMembers(ctx context.Context, meetingID int64) (map[int64]bool, error) {
	var ids []int64
	if err := c.db.Select(ctx, &ids, `SELECT member_id FROM meeting_attendance WHERE meeting_id = ? AND remote = ?`, meetingID, true); err != nil {
		return nil, fmt.Errorf("distance participation in meeting %d: %w", meetingID, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// setRemote records whether a member recorded present takes part at a
// distance.
func (c Meetings) setRemote(ctx context.Context, meetingID int64, a meeting.Attendance) error {
	if _, err := c.db.Exec(ctx, `UPDATE meeting_attendance SET remote = ? WHERE meeting_id = ? AND member_id = ? AND remote <> ?`,
		a.Remote, meetingID, a.MemberID, a.Remote); err != nil {
		return fmt.Errorf("distance participation of member %d: %w", a.MemberID, err)
	}
	return nil
}
