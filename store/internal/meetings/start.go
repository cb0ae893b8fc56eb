package meetings

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// The reads behind the start pages: each answers one section with a bounded
// query (a LIMIT), so a start page costs the same however much the
// committee has behind it.

// MeetingProgress is a meeting with how far its minutes have come: the
// paragraphs written, the justerare chosen and those who have approved.
type MeetingProgress struct {
	Meeting    meeting.Meeting
	Paragraphs int
	Justerare  int
	Approved   int
}

// MeetingsInProgress returns a committee's meetings that are not cancelled
// and either lie ahead (on or after today) or were held since the day since
// and have minutes not yet approved, by date, at most limit: the meetings
// the secretariat has work with.
func (c Meetings) MeetingsInProgress(ctx context.Context, committeeID int64, since, today domain.Date, limit int) ([]MeetingProgress, error) {
	var rows []meetingRow
	if err := c.db.Select(ctx, &rows, meetingSelect+` WHERE committee_id = ? AND cancelled_at IS NULL
		AND meeting_date >= ? AND (meeting_date >= ? OR locked_at IS NULL)
		ORDER BY meeting_date, start_time, id LIMIT ?`, committeeID, sqlconn.Date(since), sqlconn.Date(today), limit); err != nil {
		return nil, fmt.Errorf("meetings in progress: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	query, args, err := sqlx.In(`SELECT m.id,
		(SELECT COUNT(*) FROM paragraphs p WHERE p.meeting_id = m.id) AS paragraphs,
		(SELECT COUNT(*) FROM meeting_justerare j WHERE j.meeting_id = m.id) AS justerare,
		(SELECT COUNT(*) FROM meeting_justerare j WHERE j.meeting_id = m.id AND j.approved_at IS NOT NULL) AS approved
		FROM meetings m WHERE m.id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		ID         int64 `db:"id"`
		Paragraphs int   `db:"paragraphs"`
		Justerare  int   `db:"justerare"`
		Approved   int   `db:"approved"`
	}
	if err := c.db.Select(ctx, &counts, query, args...); err != nil {
		return nil, fmt.Errorf("minutes progress: %w", err)
	}
	out := make([]MeetingProgress, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		out[i], at[r.ID] = MeetingProgress{Meeting: r.domain()}, i
	}
	for _, n := range counts {
		p := &out[at[n.ID]]
		p.Paragraphs, p.Justerare, p.Approved = n.Paragraphs, n.Justerare, n.Approved
	}
	return out, nil
}

// UpcomingMeetings returns a committee's meetings on or after a day, not
// cancelled, by date, at most limit.
func (c Meetings) UpcomingMeetings(ctx context.Context, committeeID int64, from domain.Date, limit int) ([]meeting.Meeting, error) {
	var rows []meetingRow
	if err := c.db.Select(ctx, &rows, meetingSelect+` WHERE committee_id = ? AND cancelled_at IS NULL AND meeting_date >= ?
		ORDER BY meeting_date, start_time, id LIMIT ?`, committeeID, sqlconn.Date(from), limit); err != nil {
		return nil, fmt.Errorf("upcoming meetings: %w", err)
	}
	return domainRows(rows), nil
}

// PendingJusteringar returns the meetings whose minutes the user is to
// approve as a justerare (through the member linked to the user) and has
// not yet approved, the minutes not locked, by date, at most limit.
func (c Meetings) PendingJusteringar(ctx context.Context, userID int64, limit int) ([]meeting.Meeting, error) {
	var rows []meetingRow
	if err := c.db.Select(ctx, &rows, meetingSelect+` WHERE id IN (SELECT j.meeting_id FROM meeting_justerare j
		JOIN committee_members mb ON mb.id = j.member_id WHERE mb.user_id = ? AND j.approved_at IS NULL)
		AND locked_at IS NULL AND cancelled_at IS NULL ORDER BY meeting_date, start_time, id LIMIT ?`, userID, limit); err != nil {
		return nil, fmt.Errorf("pending justeringar: %w", err)
	}
	return domainRows(rows), nil
}
