package minutes

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type dispatchRow struct {
	ID          int64          `db:"id"`
	ParagraphID int64          `db:"paragraph_id"`
	Recipient   string         `db:"recipient"`
	Label       string         `db:"recipient_label"`
	PartyID     sql.NullInt64  `db:"party_id"`
	UserID      sql.NullInt64  `db:"user_id"`
	ToEmail     string         `db:"to_email"`
	ToName      string         `db:"to_name"`
	MailID      int64          `db:"mail_id"`
	SentAt      time.Time      `db:"dispatched_at"`
	SentBy      sql.NullInt64  `db:"dispatched_by"`
	SentName    string         `db:"dispatched_by_name"`
	MailStatus  sql.NullString `db:"mail_status"`
}

func (r dispatchRow) domain() meeting.Dispatch {
	return meeting.Dispatch{ID: r.ID, ParagraphID: r.ParagraphID, Recipient: r.Recipient, Label: r.Label,
		PartyID: r.PartyID.Int64, UserID: r.UserID.Int64, ToEmail: r.ToEmail, ToName: r.ToName, MailID: r.MailID,
		SentAt: r.SentAt.UTC(), SentBy: r.SentBy.Int64, SentName: r.SentName, MailStatus: domain.MailStatus(r.MailStatus.String)}
}

type receiptRow struct {
	ID             int64     `db:"id"`
	DispatchID     int64     `db:"dispatch_id"`
	RegistryNumber string    `db:"registry_number"`
	At             time.Time `db:"received_at"`
	By             int64     `db:"received_by"`
	ByName         string    `db:"received_by_name"`
}

func (r receiptRow) domain() meeting.Receipt {
	return meeting.Receipt{ID: r.ID, DispatchID: r.DispatchID, RegistryNumber: r.RegistryNumber, At: r.At.UTC(), By: r.By, ByName: r.ByName}
}

const dispatchSelect = `SELECT d.id, d.paragraph_id, d.recipient, d.recipient_label, d.party_id, d.user_id, d.to_email, d.to_name,
	d.mail_id, d.dispatched_at, d.dispatched_by, d.dispatched_by_name, ml.status AS mail_status
	FROM dispatches d LEFT JOIN mails ml ON ml.id = d.mail_id `

// RecordDispatch records that a paragraph's protokollsutdrag went to one
// recipient with the mail mailID, by the actor of ctx, in the transaction
// that kept the mail. A recipient who already got the paragraph's utdrag
// is refused (ECONFLICT): expediering never sends twice.
func (c Minutes) RecordDispatch(ctx context.Context, d meeting.Dispatch) (meeting.Dispatch, error) {
	actor := domain.ActorFrom(ctx)
	d.SentAt, d.SentBy, d.SentName = c.db.Now(), actor.UserID, actor.Label
	if d.SentBy != 0 {
		u, err := c.access().UserByID(ctx, d.SentBy)
		if err != nil {
			return d, err
		}
		d.SentName = u.Name
	}
	id, err := c.db.Insert(ctx, `INSERT INTO dispatches (paragraph_id, recipient, recipient_label, party_id, user_id, to_email, to_name,
		mail_id, dispatched_at, dispatched_by, dispatched_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ParagraphID, d.Recipient, d.Label, sqlconn.NullID(d.PartyID), sqlconn.NullID(d.UserID), d.ToEmail, d.ToName,
		d.MailID, d.SentAt, sqlconn.NullID(d.SentBy), d.SentName)
	if sqlconn.IsUniqueViolation(err) {
		return d, domain.Errorf(domain.ECONFLICT, "%s har redan fått utdraget.", d.Label)
	}
	if err != nil {
		return d, fmt.Errorf("record dispatch of paragraph %d to %s: %w", d.ParagraphID, d.Recipient, err)
	}
	d.ID = id
	return d, c.db.Audit(ctx, "dispatch", "paragraph", d.ParagraphID, nil, map[string]any{
		"dispatch_id": id, "recipient": d.Label, "to": d.ToEmail, "mail_id": d.MailID})
}

// MeetingDispatches returns every dispatch of a meeting's paragraphs, with
// the status of their mails and their receipts, by paragraph number and
// then in the order sent.
func (c Minutes) MeetingDispatches(ctx context.Context, meetingID int64) ([]meeting.Dispatch, error) {
	return c.dispatchesWhere(ctx, `JOIN paragraphs p ON p.id = d.paragraph_id WHERE p.meeting_id = ? ORDER BY p.number, d.id`, meetingID)
}

// PartyDispatches returns the dispatches to a party, newest first.
func (c Minutes) PartyDispatches(ctx context.Context, partyID int64) ([]meeting.Dispatch, error) {
	return c.dispatchesWhere(ctx, `WHERE d.party_id = ? ORDER BY d.dispatched_at DESC, d.id DESC`, partyID)
}

// DispatchByID returns one dispatch with its receipts, or ENOTFOUND.
func (c Minutes) DispatchByID(ctx context.Context, id int64) (meeting.Dispatch, error) {
	list, err := c.dispatchesWhere(ctx, `WHERE d.id = ?`, id)
	if err != nil {
		return meeting.Dispatch{}, err
	}
	if len(list) == 0 {
		return meeting.Dispatch{}, domain.Errorf(domain.ENOTFOUND, "Utskicket finns inte.")
	}
	return list[0], nil
}

func (c Minutes) dispatchesWhere(ctx context.Context, tail string, args ...any) ([]meeting.Dispatch, error) {
	var rows []dispatchRow
	if err := c.db.Select(ctx, &rows, dispatchSelect+tail, args...); err != nil {
		return nil, fmt.Errorf("read dispatches: %w", err)
	}
	out := domainRows(rows)
	if len(out) == 0 {
		return out, nil
	}
	byID := make(map[int64]*meeting.Dispatch, len(out))
	ids := make([]any, len(out))
	for i := range out {
		byID[out[i].ID], ids[i] = &out[i], out[i].ID
	}
	var receipts []receiptRow
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	if err := c.db.Select(ctx, &receipts, `SELECT id, dispatch_id, registry_number, received_at, received_by, received_by_name
		FROM dispatch_receipts WHERE dispatch_id IN `+in+` ORDER BY id`, ids...); err != nil {
		return nil, fmt.Errorf("read receipts: %w", err)
	}
	for _, r := range receipts {
		d := byID[r.DispatchID]
		d.Receipts = append(d.Receipts, r.domain())
	}
	return out, nil
}

// RecordReceipt records that the party of a dispatch received its
// protokollsutdrag and registered it under number in its own diarium,
// acknowledged by user (the caller checks that user represents the
// party). An earlier receipt stays as history; the same number again
// changes nothing and returns the receipt in force.
func (c Minutes) RecordReceipt(ctx context.Context, dispatchID int64, number string, user domain.User) (meeting.Receipt, error) {
	number, err := meeting.ParseRegistryNumber(number)
	if err != nil {
		return meeting.Receipt{}, err
	}
	d, err := c.DispatchByID(ctx, dispatchID)
	if err != nil {
		return meeting.Receipt{}, err
	}
	if d.PartyID == 0 {
		return meeting.Receipt{}, domain.Errorf(domain.EINVALID, "Utdraget gick till en användare, inte till en part: det har inget diarienummer att bekräfta.")
	}
	if last, ok := d.Received(); ok && last.RegistryNumber == number {
		return last, nil
	}
	r := meeting.Receipt{DispatchID: dispatchID, RegistryNumber: number, At: c.db.Now(), By: user.ID, ByName: user.Name}
	r.ID, err = c.db.Insert(ctx, `INSERT INTO dispatch_receipts (dispatch_id, registry_number, received_at, received_by, received_by_name)
		VALUES (?, ?, ?, ?, ?)`, r.DispatchID, r.RegistryNumber, r.At, r.By, r.ByName)
	if err != nil {
		return r, fmt.Errorf("record receipt of dispatch %d: %w", dispatchID, err)
	}
	var before any
	if last, ok := d.Received(); ok {
		before = map[string]any{"registry_number": last.RegistryNumber}
	}
	return r, c.db.Audit(ctx, "receive", "dispatch", dispatchID, before, map[string]any{
		"paragraph_id": d.ParagraphID, "party_id": d.PartyID, "registry_number": number})
}

// Undispatched is a justerat protokoll with paragraphs not yet expedierade
// to anyone.
type Undispatched struct {
	Meeting meeting.Meeting
	// Paragraphs and Left count the minutes' paragraphs and those of them
	// no dispatch has gone out for.
	Paragraphs, Left int
}

// UndispatchedMinutes returns the committee's justerade protokoll that
// have a paragraph not expedierat to anyone, oldest first.
func (c Minutes) UndispatchedMinutes(ctx context.Context, committeeID int64) ([]Undispatched, error) {
	var rows []struct {
		MeetingID  int64 `db:"meeting_id"`
		Paragraphs int   `db:"paragraphs"`
		Left       int   `db:"left_count"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT m.id AS meeting_id, COUNT(p.id) AS paragraphs,
		SUM(CASE WHEN EXISTS (SELECT 1 FROM dispatches d WHERE d.paragraph_id = p.id) THEN 0 ELSE 1 END) AS left_count
		FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id
		WHERE m.committee_id = ? AND m.locked_at IS NOT NULL
		GROUP BY m.id, m.meeting_date HAVING SUM(CASE WHEN EXISTS (SELECT 1 FROM dispatches d WHERE d.paragraph_id = p.id) THEN 0 ELSE 1 END) > 0
		ORDER BY m.meeting_date, m.id`, committeeID); err != nil {
		return nil, fmt.Errorf("undispatched minutes of committee %d: %w", committeeID, err)
	}
	out := make([]Undispatched, 0, len(rows))
	for _, r := range rows {
		m, err := c.meetings().MeetingByID(ctx, r.MeetingID)
		if err != nil {
			return nil, err
		}
		out = append(out, Undispatched{Meeting: m, Paragraphs: r.Paragraphs, Left: r.Left})
	}
	return out, nil
}
