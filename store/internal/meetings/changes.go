package meetings

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// kallelseChanged records a change to a meeting whose kallelse is published:
// the kallelse is then "ändrad", and what is said here is what the members
// are told. Before publishing nothing is recorded; the kallelse is still a
// draft.
func (c Meetings) kallelseChanged(ctx context.Context, m meeting.Meeting, what ...string) error {
	if !m.Published() || len(what) == 0 {
		return nil
	}
	a := domain.ActorFrom(ctx)
	by := a.Label
	if a.UserID != 0 {
		if u, err := c.access().UserByID(ctx, a.UserID); err == nil && u.Name != "" {
			by = u.Name
		}
	}
	if _, err := c.db.Exec(ctx, `INSERT INTO kallelse_changes (meeting_id, changed_at, changed_by, what) VALUES (?, ?, ?, ?)`,
		m.ID, c.db.Now(), by, strings.Join(what, " ")); err != nil {
		return fmt.Errorf("record kallelse change %d: %w", m.ID, err)
	}
	return nil
}

type kallelseChangeRow struct {
	ID        int64     `db:"id"`
	MeetingID int64     `db:"meeting_id"`
	At        time.Time `db:"changed_at"`
	By        string    `db:"changed_by"`
	What      string    `db:"what"`
}

func (r kallelseChangeRow) domain() meeting.KallelseChange {
	return meeting.KallelseChange{ID: r.ID, MeetingID: r.MeetingID, At: r.At.UTC(), By: r.By, What: r.What}
}

// KallelseChanges lists the changes made to a meeting after its kallelse was
// published, oldest first; none means the kallelse is as published. Mail
// that tells the members of a changed kallelse reads what changed here.
func (c Meetings) KallelseChanges(ctx context.Context, meetingID int64) ([]meeting.KallelseChange, error) {
	var rows []kallelseChangeRow
	if err := c.db.Select(ctx, &rows, `SELECT id, meeting_id, changed_at, changed_by, what FROM kallelse_changes
		WHERE meeting_id = ? ORDER BY changed_at, id`, meetingID); err != nil {
		return nil, fmt.Errorf("kallelse changes %d: %w", meetingID, err)
	}
	return domainRows(rows), nil
}

// checkYearMove refuses to move a meeting that has paragraphs to another
// calendar year: paragraphs are numbered per committee and year, so the
// meeting's § numbers would belong to the wrong year's series (and reach
// extracts, allocations and invoices that way). The message names the
// paragraphs; the secretariat plans a new meeting in the other year instead.
func (c Meetings) checkYearMove(ctx context.Context, before meeting.Meeting, to domain.Date) error {
	if before.Date.Year == to.Year {
		return nil
	}
	var numbers []int
	if err := c.db.Select(ctx, &numbers, `SELECT number FROM paragraphs WHERE meeting_id = ? ORDER BY number`, before.ID); err != nil {
		return fmt.Errorf("meeting paragraphs %d: %w", before.ID, err)
	}
	if len(numbers) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.ECONFLICT, Field: "date", Message: fmt.Sprintf(
		"Sammanträdet har %s, numrerade i %d års serie. Det kan inte flyttas till %d: paragraferna skulle då bära fel års nummer. "+
			"Välj ett datum under %d, eller planera ett nytt sammanträde %d.",
		paragraphList(numbers, before.Date.Year), before.Date.Year, to.Year, before.Date.Year, to.Year)}
}

// paragraphList writes paragraph numbers as "§ 1–3 och § 5/2026".
func paragraphList(numbers []int, year int) string {
	var parts []string
	for i := 0; i < len(numbers); {
		j := i
		for j+1 < len(numbers) && numbers[j+1] == numbers[j]+1 {
			j++
		}
		s := "§ " + strconv.Itoa(numbers[i])
		if j > i {
			s += "–" + strconv.Itoa(numbers[j])
		}
		parts = append(parts, s)
		i = j + 1
	}
	word := "paragrafen "
	if len(numbers) > 1 {
		word = "paragraferna "
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
	}
	return word + list + "/" + strconv.Itoa(year)
}

// UnmailedKallelseChanges lists the changes to kallelser of meetings on or
// after from that the members have not been told of yet, by meeting and
// then in the order they were made.
func (c Meetings) UnmailedKallelseChanges(ctx context.Context, from domain.Date) ([]meeting.KallelseChange, error) {
	var rows []kallelseChangeRow
	if err := c.db.Select(ctx, &rows, `SELECT k.id, k.meeting_id, k.changed_at, k.changed_by, k.what FROM kallelse_changes k
		JOIN meetings m ON m.id = k.meeting_id
		WHERE k.mailed_at IS NULL AND m.meeting_date >= ? ORDER BY k.meeting_id, k.changed_at, k.id`, sqlconn.Date(from)); err != nil {
		return nil, fmt.Errorf("unmailed kallelse changes: %w", err)
	}
	return domainRows(rows), nil
}

// KallelseChangesMailed records that the members were told of the changes.
func (c Meetings) KallelseChangesMailed(ctx context.Context, ids []int64) error {
	now := c.db.Now()
	for _, id := range ids {
		if _, err := c.db.Exec(ctx, `UPDATE kallelse_changes SET mailed_at = ? WHERE id = ? AND mailed_at IS NULL`, now, id); err != nil {
			return fmt.Errorf("kallelse change %d mailed: %w", id, err)
		}
	}
	return nil
}
