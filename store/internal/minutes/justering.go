package minutes

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
	"github.com/region-jh/gns/sv"
)

// MinutesHash computes the SHA-256 (hex) of a meeting's minutes PDF, the
// justeringsexemplar, from the data as the connection it is bound to sees
// it. The store calls it inside the transaction that locks imported
// minutes, after taking the meeting's row, so the hash is of exactly the
// minutes being locked. store.MinutesHash, which takes the store.Conn, is
// bound to the connection before it comes here.
type MinutesHash func(ctx context.Context) (string, error)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

type justerareRow struct {
	MemberID     int64          `db:"member_id"`
	UserID       int64          `db:"user_id"`
	Name         string         `db:"name"`
	Party        string         `db:"political_party"`
	ApprovedAt   sql.NullTime   `db:"approved_at"`
	ApprovedBy   sql.NullInt64  `db:"approved_by"`
	ApproverName sql.NullString `db:"approver_name"`
	SHA256       sql.NullString `db:"approved_sha256"`
}

// Justering returns where the approval of a meeting's minutes stands: the
// justerare with their approvals, the tid för justering, the lock and the
// anslag.
func (c Minutes) Justering(ctx context.Context, meetingID int64) (meeting.Justering, error) {
	m, err := c.meetings().MeetingByID(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	var rows []justerareRow
	if err := c.db.Select(ctx, &rows, `SELECT j.member_id, COALESCE(mb.user_id, 0) AS user_id, mb.name, mb.political_party, j.approved_at, j.approved_by,
		u.name AS approver_name, j.approved_sha256
		FROM meeting_justerare j JOIN committee_members mb ON mb.id = j.member_id LEFT JOIN users u ON u.id = j.approved_by
		WHERE j.meeting_id = ? ORDER BY j.id`, meetingID); err != nil {
		return meeting.Justering{}, fmt.Errorf("justerare of meeting %d: %w", meetingID, err)
	}
	j := meeting.Justering{MeetingID: m.ID, Due: m.JusteringDue, LockedAt: m.LockedAt, SHA256: m.MinutesSHA256, AnnouncedOn: m.AnnouncedOn}
	if err := c.db.Get(ctx, &j.Secretary, `SELECT secretary FROM meetings WHERE id = ?`, meetingID); err != nil {
		return meeting.Justering{}, fmt.Errorf("sekreterare of meeting %d: %w", meetingID, err)
	}
	for _, r := range rows {
		mb := domain.Member{Name: r.Name, PoliticalParty: r.Party}
		j.Justerare = append(j.Justerare, meeting.JusterareApproval{
			Justerare:    meeting.Justerare{MemberID: r.MemberID, MemberName: mb.DisplayName(), UserID: r.UserID, ApprovedAt: r.ApprovedAt.Time.UTC(), ApprovedBy: r.ApprovedBy.Int64},
			ApproverName: r.ApproverName.String, SHA256: r.SHA256.String,
		})
	}
	return j, nil
}

// justeringAudit is how a justering appears in the audit trail.
type justeringAudit struct {
	Due       string   `json:"justering_due,omitempty"`
	Justerare []string `json:"justerare,omitempty"`
	Approved  []string `json:"approved,omitempty"`
	Locked    bool     `json:"locked,omitempty"`
	SHA256    string   `json:"minutes_sha256,omitempty"`
	Announced string   `json:"announced_on,omitempty"`
	Secretary string   `json:"secretary,omitempty"`
}

func auditOfJustering(j meeting.Justering) justeringAudit {
	a := justeringAudit{Due: j.Due.String(), Locked: j.Locked(), SHA256: j.SHA256, Announced: j.AnnouncedOn.String(), Secretary: j.Secretary}
	for _, x := range j.Justerare {
		a.Justerare = append(a.Justerare, x.MemberName)
		if x.Approved() {
			a.Approved = append(a.Approved, x.MemberName+" "+x.SHA256)
		}
	}
	return a
}

// SetJusterare records the meeting's choice of two justerare and the tid för
// justering (due, on or after the meeting's day). Both must serve
// (tjänstgöra) at the meeting as its attendance records it. Once one of them
// has approved, the justerare can no longer be changed (the day can).
// Errors are field errors on "justerare" and "justering_due", or ECONFLICT
// for locked minutes.
func (c Minutes) SetJusterare(ctx context.Context, meetingID int64, memberIDs []int64, due domain.Date) (meeting.Justering, error) {
	m, err := c.openMinutes(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	attendance, err := c.meetings().Attendance(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	names := map[int64]string{}
	for _, a := range attendance {
		names[a.MemberID] = a.Member.DisplayName()
	}
	if err := meeting.CheckJusterare(memberIDs, attendance, names); err != nil {
		return meeting.Justering{}, err
	}
	if due.IsZero() {
		return meeting.Justering{}, domain.FieldErrorf("justering_due", "Ange tid för justering: ÅÅÅÅ-MM-DD.")
	}
	if due.Before(m.Date) || due.After(m.Date.AddDays(60)) {
		return meeting.Justering{}, domain.FieldErrorf("justering_due", "Tiden för justering ska ligga från sammanträdesdagen %s och högst 60 dagar efter.", m.Date)
	}
	before, err := c.Justering(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	chosen := map[int64]bool{memberIDs[0]: true, memberIDs[1]: true}
	same := len(before.Justerare) == 2
	for _, j := range before.Justerare {
		same = same && chosen[j.MemberID]
	}
	if !same {
		for _, j := range before.Justerare {
			if j.Approved() {
				return meeting.Justering{}, &domain.Error{Code: domain.ECONFLICT, Field: "justerare",
					Message: fmt.Sprintf("%s har redan justerat protokollet; justerarna kan inte bytas.", j.MemberName)}
			}
		}
		if _, err := c.db.Exec(ctx, `DELETE FROM meeting_justerare WHERE meeting_id = ?`, meetingID); err != nil {
			return meeting.Justering{}, fmt.Errorf("set justerare: %w", err)
		}
		for _, id := range memberIDs {
			if _, err := c.db.Exec(ctx, `INSERT INTO meeting_justerare (meeting_id, member_id) VALUES (?, ?)`, meetingID, id); err != nil {
				return meeting.Justering{}, fmt.Errorf("set justerare: %w", err)
			}
		}
	}
	if _, err := c.db.Exec(ctx, `UPDATE meetings SET justering_due = ?, updated_at = ? WHERE id = ?`, sqlconn.Date(due), c.db.Now(), meetingID); err != nil {
		return meeting.Justering{}, fmt.Errorf("set tid för justering: %w", err)
	}
	if err := c.fillJusterareParagraph(ctx, meetingID, JusterareDecision(names[memberIDs[0]], names[memberIDs[1]], due)); err != nil {
		return meeting.Justering{}, err
	}
	return c.recordJustering(ctx, before, "set_justerare")
}

// SetSecretary records the meeting's sekreterare (a name, required, at most
// 100 characters), whom the protokoll names and who certifies its extracts.
// It is chosen with the justerare and, like them, not changed once the
// minutes are locked (ECONFLICT). The error is about the field "secretary".
func (c Minutes) SetSecretary(ctx context.Context, meetingID int64, name string) (meeting.Justering, error) {
	if _, err := c.openMinutes(ctx, meetingID); err != nil {
		return meeting.Justering{}, err
	}
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return meeting.Justering{}, domain.FieldErrorf("secretary", "Ange sekreterarens namn.")
	case utf8.RuneCountInString(name) > 100:
		return meeting.Justering{}, domain.FieldErrorf("secretary", "Sekreterarens namn får vara högst 100 tecken.")
	}
	before, err := c.Justering(ctx, meetingID)
	if err != nil || before.Secretary == name {
		return before, err
	}
	if _, err := c.db.Exec(ctx, `UPDATE meetings SET secretary = ?, updated_at = ? WHERE id = ?`, name, c.db.Now(), meetingID); err != nil {
		return meeting.Justering{}, fmt.Errorf("set sekreterare: %w", err)
	}
	return c.recordJustering(ctx, before, "set_secretary")
}

// JusterareDecision is the decision of the paragraph "Val av justerare och
// tid för justering" that the choice of justerare writes: "Till justerare
// utses Robert Hamberg (S) och Susanne Hansson (C). Protokollet justeras
// senast 26 november 2026."
func JusterareDecision(first, second string, due domain.Date) string {
	return fmt.Sprintf("Till justerare utses %s och %s. Protokollet justeras senast %s.", first, second, sv.LongDate(due))
}

// fillJusterareParagraph makes the choice of justerare the paragraph of the
// meeting's agenda item "Val av justerare och tid för justering" too, so
// they are chosen once: the item's paragraph gets decision as its beslut,
// and is written when the item has none yet. A meeting without the item
// (withdrawn, or never on the list) is left as it is.
func (c Minutes) fillJusterareParagraph(ctx context.Context, meetingID int64, decision string) error {
	items, err := c.meetings().AgendaItems(ctx, meetingID)
	if err != nil {
		return err
	}
	var item meeting.AgendaItem
	for _, it := range items {
		if it.Kind == meeting.AgendaJusterare && it.Status == meeting.AgendaActive {
			item = it
			break
		}
	}
	if item.ID == 0 {
		return nil
	}
	paragraphs, err := c.MeetingParagraphs(ctx, meetingID)
	if err != nil {
		return err
	}
	for _, p := range paragraphs {
		if p.AgendaItemID == item.ID {
			p.Decision = decision
			_, err := c.UpdateParagraph(ctx, p)
			return err
		}
	}
	_, err = c.CreateParagraph(ctx, meeting.Paragraph{MeetingID: meetingID, AgendaItemID: item.ID, Title: item.Title, Decision: decision}, false)
	return err
}

// recordJustering writes the audit entry of a change to a justering and
// returns the justering as it became.
func (c Minutes) recordJustering(ctx context.Context, before meeting.Justering, action string) (meeting.Justering, error) {
	after, err := c.Justering(ctx, before.MeetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	if err := c.db.Audit(ctx, action, "meeting", before.MeetingID, auditOfJustering(before), auditOfJustering(after)); err != nil {
		return meeting.Justering{}, err
	}
	return after, nil
}

// CheckApproval takes the meeting's row and checks that user may approve
// (justera) its minutes today: the minutes are open, the meeting has been
// held, it has two justerare, user is one of them by meeting.CanJustera, and
// the minutes have a paragraph. The approval itself is ApproveMinutes, in the
// same transaction, with the hash of the justeringsexemplar built in between
// from the minutes as the transaction sees them (app.ApproveMinutes).
func (c Minutes) CheckApproval(ctx context.Context, meetingID int64, user domain.User, today domain.Date) error {
	_, _, _, err := c.approval(ctx, meetingID, user, today)
	return err
}

// approval makes CheckApproval's checks and returns the justering as it
// stands, the justerare user approves as and the other one.
func (c Minutes) approval(ctx context.Context, meetingID int64, user domain.User, today domain.Date) (before meeting.Justering, mine, other *meeting.JusterareApproval, err error) {
	m, err := c.openMinutes(ctx, meetingID)
	if err != nil {
		return before, nil, nil, err
	}
	if today.Before(m.Date) {
		return before, nil, nil, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s har inte hållits ännu; protokollet kan justeras från sammanträdesdagen.", m.Date)
	}
	if before, err = c.Justering(ctx, meetingID); err != nil {
		return before, nil, nil, err
	}
	if len(before.Justerare) != 2 {
		return before, nil, nil, domain.Errorf(domain.ECONFLICT, "Sammanträdet har inte två justerare ännu.")
	}
	if mine, err = c.approver(ctx, m, before, user); err != nil {
		return before, nil, nil, err
	}
	for i := range before.Justerare {
		if &before.Justerare[i] != mine {
			other = &before.Justerare[i]
		}
	}
	if err := c.hasParagraphs(ctx, meetingID); err != nil {
		return before, nil, nil, err
	}
	return before, mine, other, nil
}

// ApproveMinutes records that user approves (justerar) a meeting's minutes
// as one of its two justerare, after CheckApproval's checks, made again
// here: sum is the SHA-256 (hex) of the justeringsexemplar, computed in this
// transaction after CheckApproval took the meeting's row, and is kept with
// the approval. When the other justerare has approved the same hash, the
// minutes are locked with it: meetings.locked_at and minutes_sha256 are set,
// and the database refuses every change to the minutes from then on. When
// the other justerare approved another hash (the minutes changed in
// between), that approval is withdrawn, and the other justerare approves
// again. A justerare who already approved these minutes gets ECONFLICT, and
// so does one who approves before the meeting's day (today is the caller's
// today).
func (c Minutes) ApproveMinutes(ctx context.Context, meetingID int64, user domain.User, today domain.Date, sum string) (meeting.Justering, error) {
	before, mine, other, err := c.approval(ctx, meetingID, user, today)
	if err != nil {
		return meeting.Justering{}, err
	}
	if !sha256Hex.MatchString(sum) {
		return meeting.Justering{}, fmt.Errorf("minutes of meeting %d: %q is not a SHA-256 in hex", meetingID, sum)
	}
	if mine.Approved() && mine.SHA256 == sum {
		return meeting.Justering{}, domain.Errorf(domain.ECONFLICT, "Du har redan justerat protokollet (%s).", mine.ApprovedAt.Format(time.DateOnly))
	}
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `UPDATE meeting_justerare SET approved_at = ?, approved_by = ?, approved_sha256 = ? WHERE meeting_id = ? AND member_id = ?`,
		at, user.ID, sum, meetingID, mine.MemberID); err != nil {
		return meeting.Justering{}, fmt.Errorf("approve minutes: %w", err)
	}
	switch {
	case other.Approved() && other.SHA256 == sum:
		if _, err := c.db.Exec(ctx, `UPDATE meetings SET locked_at = ?, minutes_sha256 = ? WHERE id = ? AND locked_at IS NULL`, at, sum, meetingID); err != nil {
			return meeting.Justering{}, fmt.Errorf("lock minutes: %w", err)
		}
	case other.Approved():
		// The minutes changed after the other justerare approved them.
		if _, err := c.db.Exec(ctx, `UPDATE meeting_justerare SET approved_at = NULL, approved_by = NULL, approved_sha256 = NULL
			WHERE meeting_id = ? AND member_id = ?`, meetingID, other.MemberID); err != nil {
			return meeting.Justering{}, fmt.Errorf("approve minutes: %w", err)
		}
	}
	return c.recordJustering(ctx, before, "approve_minutes")
}

// hasParagraphs refuses to approve or lock minutes without a paragraph.
func (c Minutes) hasParagraphs(ctx context.Context, meetingID int64) error {
	var paragraphs int
	if err := c.db.Get(ctx, &paragraphs, `SELECT COUNT(*) FROM paragraphs WHERE meeting_id = ?`, meetingID); err != nil {
		return fmt.Errorf("minutes of meeting %d: %w", meetingID, err)
	}
	if paragraphs == 0 {
		return domain.Errorf(domain.ECONFLICT, "Protokollet har inga paragrafer ännu och kan inte justeras.")
	}
	return nil
}

// hashMinutes computes the hash of a meeting's minutes with hash, once the
// minutes have a paragraph.
func (c Minutes) hashMinutes(ctx context.Context, meetingID int64, hash MinutesHash) (string, error) {
	if err := c.hasParagraphs(ctx, meetingID); err != nil {
		return "", err
	}
	sum, err := hash(ctx)
	if err != nil {
		return "", err
	}
	if !sha256Hex.MatchString(sum) {
		return "", fmt.Errorf("minutes of meeting %d: %q is not a SHA-256 in hex", meetingID, sum)
	}
	return sum, nil
}

// approver returns the justerare user approves m's minutes as, by the
// rule of meeting.CanJustera applied to the user as stored now (a user
// disabled or given other roles since login may not approve).
func (c Minutes) approver(ctx context.Context, m meeting.Meeting, j meeting.Justering, user domain.User) (*meeting.JusterareApproval, error) {
	u, err := c.access().UserByID(ctx, user.ID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Användaren finns inte.")
	}
	if err != nil {
		return nil, err
	}
	demo, err := c.access().DemoUsersActive(ctx)
	if err != nil {
		return nil, err
	}
	return meeting.CanJustera(u, m, j, demo)
}

// LockImportedMinutes locks historical minutes imported from paper
// (ImportParagraph): they were justerade outside GNS, so no approval is
// recorded in the system, and the justerare stay as the paper minutes name
// them. The hash of the minutes PDF, computed by hash after the meeting's row
// is taken, is kept as for minutes approved in GNS.
func (c Minutes) LockImportedMinutes(ctx context.Context, meetingID int64, hash MinutesHash) (meeting.Justering, error) {
	if _, err := c.openMinutes(ctx, meetingID); err != nil {
		return meeting.Justering{}, err
	}
	before, err := c.Justering(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	sum, err := c.hashMinutes(ctx, meetingID, hash)
	if err != nil {
		return meeting.Justering{}, err
	}
	if _, err := c.db.Exec(ctx, `UPDATE meetings SET locked_at = ?, minutes_sha256 = ? WHERE id = ? AND locked_at IS NULL`, c.db.Now(), sum, meetingID); err != nil {
		return meeting.Justering{}, fmt.Errorf("lock imported minutes: %w", err)
	}
	return c.recordJustering(ctx, before, "lock_imported_minutes")
}

// SetAnnouncedOn records the day the approved minutes were announced on the
// committee's notice board (anslag), which starts the three-week appeal
// period. The minutes must be locked, the anslag is given once, and its day
// lies between the day of the justering (the meeting's day for imported
// minutes) and today. Errors are about the field "announced_on".
func (c Minutes) SetAnnouncedOn(ctx context.Context, meetingID int64, day, today domain.Date) (meeting.Justering, error) {
	before, err := c.Justering(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	m, err := c.meetings().MeetingByID(ctx, meetingID)
	if err != nil {
		return meeting.Justering{}, err
	}
	switch {
	case !before.Locked():
		return meeting.Justering{}, domain.Errorf(domain.ECONFLICT, "Protokollet är inte justerat ännu. Anslaget sätts upp efter justeringen.")
	case !before.AnnouncedOn.IsZero():
		return meeting.Justering{}, domain.Errorf(domain.ECONFLICT, "Anslaget är redan registrerat: %s.", before.AnnouncedOn)
	case day.IsZero():
		return meeting.Justering{}, domain.FieldErrorf("announced_on", "Ange dagen för anslaget: ÅÅÅÅ-MM-DD.")
	}
	earliest := m.Date
	for _, j := range before.Justerare {
		if d := domain.DateOf(j.ApprovedAt); j.Approved() && d.After(earliest) {
			earliest = d
		}
	}
	if day.Before(earliest) || day.After(today) {
		return meeting.Justering{}, domain.FieldErrorf("announced_on", "Anslaget ska ha satts upp mellan justeringen (%s) och i dag (%s).", earliest, today)
	}
	res, err := c.db.Exec(ctx, `UPDATE meetings SET announced_on = ?, updated_at = ? WHERE id = ? AND announced_on IS NULL AND locked_at IS NOT NULL`,
		sqlconn.Date(day), c.db.Now(), meetingID)
	if err != nil {
		return meeting.Justering{}, fmt.Errorf("set anslag: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return meeting.Justering{}, domain.Errorf(domain.ECONFLICT, "Anslaget registrerades av någon annan under tiden. Ladda om sidan.")
	}
	return c.recordJustering(ctx, before, "announce_minutes")
}
