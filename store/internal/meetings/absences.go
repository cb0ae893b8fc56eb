package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type absenceRow struct {
	MeetingID  int64          `db:"meeting_id"`
	MemberID   int64          `db:"member_id"`
	MemberName string         `db:"member_name"`
	ReportedAt time.Time      `db:"reported_at"`
	ReportedBy sql.NullInt64  `db:"reported_by"`
	SubID      sql.NullInt64  `db:"substitute_id"`
	SubName    sql.NullString `db:"substitute_name"`
	CalledAt   sql.NullTime   `db:"called_at"`
	CalledBy   string         `db:"called_by"`
}

// ReportAbsence records that a member cannot attend a meeting (förhinder).
// It reports false, changing nothing, when the member has already reported
// it. The meeting must be neither cancelled nor locked.
func (c Meetings) ReportAbsence(ctx context.Context, meetingID, memberID, userID int64) (bool, error) {
	m, err := c.MeetingByID(ctx, meetingID)
	if err != nil {
		return false, err
	}
	if m.Cancelled() {
		return false, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt.", m.Date)
	}
	if !m.LockedAt.IsZero() {
		return false, domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat.", m.Date)
	}
	var n int
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM meeting_absences WHERE meeting_id = ? AND member_id = ?`, meetingID, memberID); err != nil {
		return false, fmt.Errorf("read absence: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	id, err := c.db.Insert(ctx, `INSERT INTO meeting_absences (meeting_id, member_id, reported_at, reported_by) VALUES (?, ?, ?, ?)`,
		meetingID, memberID, c.db.Now(), sqlconn.NullID(userID))
	if err != nil {
		return false, fmt.Errorf("report absence: %w", err)
	}
	return true, c.db.Audit(ctx, "report_absence", "meeting", meetingID, nil, map[string]int64{"member_id": memberID, "absence": id})
}

// Absences lists the förhinder reported for a meeting, in the order they
// came, with the ersättare called in for each.
func (c Meetings) Absences(ctx context.Context, meetingID int64) ([]meeting.Absence, error) {
	var rows []absenceRow
	if err := c.db.Select(ctx, &rows, `SELECT a.meeting_id, a.member_id, m.name AS member_name, a.reported_at, a.reported_by,
		a.substitute_id, s.name AS substitute_name, a.called_at, a.called_by
		FROM meeting_absences a JOIN committee_members m ON m.id = a.member_id LEFT JOIN committee_members s ON s.id = a.substitute_id
		WHERE a.meeting_id = ? ORDER BY a.reported_at, a.id`, meetingID); err != nil {
		return nil, fmt.Errorf("list absences: %w", err)
	}
	return sqlconn.MapRows(rows, func(r absenceRow) meeting.Absence {
		return meeting.Absence{MeetingID: r.MeetingID, MemberID: r.MemberID, MemberName: r.MemberName, ReportedAt: r.ReportedAt.UTC(),
			ReportedBy: r.ReportedBy.Int64, SubstituteID: r.SubID.Int64, SubstituteName: r.SubName.String,
			CalledAt: r.CalledAt.Time.UTC(), CalledBy: r.CalledBy}
	}), nil
}

// CallInSubstitute records that the secretariat called in the ersättare
// substituteID for the ledamot memberID, who reported förhinder for the
// meeting. The meeting must be neither cancelled nor justerad; the
// ersättare's term must cover the day, they must stand in for the ledamot
// (domain.Member.StandsInFor: the same party), not have reported förhinder themselves
// and not be called in for another ledamot. Calling in another ersättare
// for the same ledamot replaces the first (the audit trail keeps both).
func (c Meetings) CallInSubstitute(ctx context.Context, meetingID, memberID, substituteID int64) (meeting.Absence, error) {
	m, err := c.MeetingByID(ctx, meetingID)
	if err != nil {
		return meeting.Absence{}, err
	}
	if m.Cancelled() {
		return meeting.Absence{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt.", m.Date)
	}
	if m.Locked() {
		return meeting.Absence{}, domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat.", m.Date)
	}
	absences, err := c.Absences(ctx, meetingID)
	if err != nil {
		return meeting.Absence{}, err
	}
	var before *meeting.Absence
	for i, a := range absences {
		if a.MemberID == memberID {
			before = &absences[i]
		}
	}
	if before == nil {
		return meeting.Absence{}, domain.Errorf(domain.ENOTFOUND, "Ledamoten har inte anmält förhinder till sammanträdet.")
	}
	absent, err := c.registry().MemberByID(ctx, m.CommitteeID, memberID)
	if err != nil {
		return meeting.Absence{}, err
	}
	if absent.Role == domain.MemberSubstitute {
		return meeting.Absence{}, domain.Errorf(domain.ECONFLICT, "%s är ersättare; en ersättare med förhinder ersätts inte.", absent.Name)
	}
	sub, err := c.registry().MemberByID(ctx, m.CommitteeID, substituteID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return meeting.Absence{}, domain.FieldErrorf("ersattare", "Välj en ersättare i listan.")
	}
	if err != nil {
		return meeting.Absence{}, err
	}
	switch {
	case sub.Role != domain.MemberSubstitute:
		return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s är inte ersättare.", sub.Name)
	case !sub.ActiveOn(m.Date):
		return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s är inte ersättare den %s.", sub.Name, m.Date)
	case !sub.StandsInFor(absent):
		return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s är ersättare för ett annat parti än %s.", sub.DisplayName(), absent.DisplayName())
	}
	for _, a := range absences {
		if a.MemberID == substituteID {
			return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s har själv anmält förhinder.", sub.Name)
		}
		if a.SubstituteID == substituteID && a.MemberID != memberID {
			return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s är redan inkallad för %s.", sub.Name, a.MemberName)
		}
	}
	if before.SubstituteID == substituteID {
		return meeting.Absence{}, domain.FieldErrorf("ersattare", "%s är redan inkallad för %s.", sub.Name, absent.Name)
	}
	if _, err := c.db.Exec(ctx, `UPDATE meeting_absences SET substitute_id = ?, called_at = ?, called_by = ? WHERE meeting_id = ? AND member_id = ?`,
		substituteID, c.db.Now(), domain.ActorFrom(ctx).Label, meetingID, memberID); err != nil {
		return meeting.Absence{}, fmt.Errorf("call in ersättare: %w", err)
	}
	if err := c.db.Audit(ctx, "call_in_substitute", "meeting", meetingID,
		map[string]int64{"member_id": memberID, "substitute_id": before.SubstituteID},
		map[string]int64{"member_id": memberID, "substitute_id": substituteID}); err != nil {
		return meeting.Absence{}, err
	}
	after, err := c.Absences(ctx, meetingID)
	if err != nil {
		return meeting.Absence{}, err
	}
	for _, a := range after {
		if a.MemberID == memberID {
			return a, nil
		}
	}
	return meeting.Absence{}, fmt.Errorf("call in ersättare: absence of member %d gone", memberID)
}
