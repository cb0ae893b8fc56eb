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
	MeetingID  int64         `db:"meeting_id"`
	MemberID   int64         `db:"member_id"`
	MemberName string        `db:"member_name"`
	ReportedAt time.Time     `db:"reported_at"`
	ReportedBy sql.NullInt64 `db:"reported_by"`
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
// came.
func (c Meetings) Absences(ctx context.Context, meetingID int64) ([]meeting.Absence, error) {
	var rows []absenceRow
	if err := c.db.Select(ctx, &rows, `SELECT a.meeting_id, a.member_id, m.name AS member_name, a.reported_at, a.reported_by
		FROM meeting_absences a JOIN committee_members m ON m.id = a.member_id WHERE a.meeting_id = ? ORDER BY a.reported_at, a.id`, meetingID); err != nil {
		return nil, fmt.Errorf("list absences: %w", err)
	}
	return sqlconn.MapRows(rows, func(r absenceRow) meeting.Absence {
		return meeting.Absence{MeetingID: r.MeetingID, MemberID: r.MemberID, MemberName: r.MemberName, ReportedAt: r.ReportedAt.UTC(), ReportedBy: r.ReportedBy.Int64}
	}), nil
}
