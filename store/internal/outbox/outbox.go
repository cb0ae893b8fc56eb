// Package outbox keeps the mails GNS composes (one row per recipient) and
// the kinds of mail each user has chosen not to get.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Outbox holds the mail methods, run on one connection. store.Conn embeds it.
type Outbox struct{ db *sqlconn.Conn }

// New returns the mail methods run on db.
func New(db *sqlconn.Conn) Outbox { return Outbox{db: db} }

type mailRow struct {
	ID            int64         `db:"id"`
	CommitteeID   sql.NullInt64 `db:"committee_id"`
	Kind          string        `db:"kind"`
	Ref           string        `db:"subject_ref"`
	ToEmail       string        `db:"to_email"`
	ToName        string        `db:"to_name"`
	ToUserID      sql.NullInt64 `db:"to_user_id"`
	FromName      string        `db:"from_name"`
	Subject       string        `db:"subject"`
	Text          string        `db:"body_text"`
	HTML          string        `db:"body_html"`
	Status        string        `db:"status"`
	Attempts      int           `db:"attempts"`
	LastError     string        `db:"last_error"`
	LastAttemptAt sql.NullTime  `db:"last_attempt_at"`
	SentAt        sql.NullTime  `db:"sent_at"`
	CreatedAt     time.Time     `db:"created_at"`
	CreatedBy     string        `db:"created_by"`
}

func (r mailRow) domain() domain.Mail {
	return domain.Mail{
		ID: r.ID, CommitteeID: r.CommitteeID.Int64, Kind: domain.MailKind(r.Kind), Ref: r.Ref,
		ToEmail: r.ToEmail, ToName: r.ToName, ToUserID: r.ToUserID.Int64, FromName: r.FromName,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, Status: domain.MailStatus(r.Status),
		Attempts: r.Attempts, LastError: r.LastError, LastAttemptAt: r.LastAttemptAt.Time.UTC(),
		SentAt: r.SentAt.Time.UTC(), CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
	}
}

const mailColumns = `id, committee_id, kind, subject_ref, to_email, to_name, to_user_id, from_name,
	subject, body_text, body_html, status, attempts, last_error, last_attempt_at, sent_at, created_at, created_by`

// InsertMail keeps m with the given status and returns its id. The actor
// from ctx is recorded as who caused it.
func (c Outbox) InsertMail(ctx context.Context, m domain.Mail, status domain.MailStatus) (int64, error) {
	if strings.TrimSpace(m.ToEmail) == "" {
		return 0, domain.Errorf(domain.EINVALID, "Mottagaren saknar e-postadress.")
	}
	size := 0
	for _, a := range m.Attachments {
		if strings.TrimSpace(a.Filename) == "" || a.ContentType == "" || len(a.Content) == 0 {
			return 0, domain.Errorf(domain.EINVALID, "En bilaga saknar namn, typ eller innehåll.")
		}
		size += len(a.Content)
	}
	if size > domain.MaxMailAttachments {
		return 0, domain.Errorf(domain.EINVALID, "Bilagorna är större än 10 MB tillsammans.")
	}
	id, err := c.db.Insert(ctx, `INSERT INTO mails (committee_id, kind, subject_ref, to_email, to_name, to_user_id,
		from_name, subject, body_text, body_html, status, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sqlconn.NullID(m.CommitteeID), string(m.Kind), m.Ref, m.ToEmail, m.ToName, sqlconn.NullID(m.ToUserID),
		m.FromName, m.Subject, m.Text, m.HTML, string(status), c.db.Now(), domain.ActorFrom(ctx).Label)
	if err != nil {
		return 0, fmt.Errorf("keep mail: %w", err)
	}
	for i, a := range m.Attachments {
		if _, err := c.db.Exec(ctx, `INSERT INTO mail_attachments (mail_id, position, filename, content_type, content)
			VALUES (?, ?, ?, ?, ?)`, id, i+1, a.Filename, a.ContentType, a.Content); err != nil {
			return 0, fmt.Errorf("keep attachment %q of mail %d: %w", a.Filename, id, err)
		}
	}
	return id, nil
}

// MailAttachments reads a mail's attachments in their order.
func (c Outbox) MailAttachments(ctx context.Context, mailID int64) ([]domain.MailAttachment, error) {
	var rows []struct {
		Filename    string `db:"filename"`
		ContentType string `db:"content_type"`
		Content     []byte `db:"content"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT filename, content_type, content FROM mail_attachments
		WHERE mail_id = ? ORDER BY position`, mailID); err != nil {
		return nil, fmt.Errorf("read attachments of mail %d: %w", mailID, err)
	}
	out := make([]domain.MailAttachment, len(rows))
	for i, r := range rows {
		out[i] = domain.MailAttachment{Filename: r.Filename, ContentType: r.ContentType, Content: r.Content}
	}
	return out, nil
}

// Mail reads one mail; ENOTFOUND when there is none.
func (c Outbox) Mail(ctx context.Context, id int64) (domain.Mail, error) {
	var r mailRow
	if err := c.db.Get(ctx, &r, `SELECT `+mailColumns+` FROM mails WHERE id = ?`, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Mail{}, domain.Errorf(domain.ENOTFOUND, "Utskicket finns inte.")
		}
		return domain.Mail{}, fmt.Errorf("read mail %d: %w", id, err)
	}
	m := r.domain()
	var err error
	m.Attachments, err = c.MailAttachments(ctx, id)
	return m, err
}

// MailFilter narrows Mails: to some committees (nil for all), a status, a
// reference.
type MailFilter struct {
	// Committees, when not nil, are the only committees whose mails are
	// listed (mails of no committee are then left out).
	Committees []int64
	Status     domain.MailStatus
	Ref        string
	// Refs, when not empty, are the only refs whose mails are listed
	// (e.g. the documents of an invoice run).
	Refs  []string
	Limit int
}

// Mails lists mails newest first, at most f.Limit (200 when 0).
func (c Outbox) Mails(ctx context.Context, f MailFilter) ([]domain.Mail, error) {
	q := `SELECT ` + mailColumns + ` FROM mails WHERE 1 = 1`
	var args []any
	if f.Committees != nil {
		if len(f.Committees) == 0 {
			return nil, nil
		}
		q += ` AND committee_id IN (?` + strings.Repeat(", ?", len(f.Committees)-1) + `)`
		for _, id := range f.Committees {
			args = append(args, id)
		}
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.Ref != "" {
		q += ` AND subject_ref = ?`
		args = append(args, f.Ref)
	}
	if len(f.Refs) > 0 {
		q += ` AND subject_ref IN (?` + strings.Repeat(", ?", len(f.Refs)-1) + `)`
		for _, r := range f.Refs {
			args = append(args, r)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, limit)
	var rows []mailRow
	if err := c.db.Select(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list mails: %w", err)
	}
	return sqlconn.MapRows(rows, mailRow.domain), nil
}

// MailSent records that the SMTP server accepted the mail. It changes only a
// mail not already sent and reports whether it did.
func (c Outbox) MailSent(ctx context.Context, id int64) (bool, error) {
	now := c.db.Now()
	res, err := c.db.Exec(ctx, `UPDATE mails SET status = 'sent', attempts = attempts + 1, sent_at = ?,
		last_attempt_at = ?, last_error = '' WHERE id = ? AND status <> 'sent'`, now, now, id)
	if err != nil {
		return false, fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MailAttemptFailed records a failed attempt with the error; final says the
// queue gives up, and the mail is then 'failed'.
func (c Outbox) MailAttemptFailed(ctx context.Context, id int64, reason string, final bool) error {
	status := domain.MailQueued
	if final {
		status = domain.MailFailed
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	_, err := c.db.Exec(ctx, `UPDATE mails SET status = ?, attempts = attempts + 1, last_error = ?,
		last_attempt_at = ? WHERE id = ? AND status <> 'sent'`, string(status), reason, c.db.Now(), id)
	if err != nil {
		return fmt.Errorf("record attempt of mail %d: %w", id, err)
	}
	return nil
}

// MailOptOuts returns the kinds of mail the user has chosen not to get.
func (c Outbox) MailOptOuts(ctx context.Context, userID int64) (map[domain.MailKind]bool, error) {
	var kinds []string
	if err := c.db.Select(ctx, &kinds, `SELECT kind FROM mail_opt_outs WHERE user_id = ?`, userID); err != nil {
		return nil, fmt.Errorf("read mail choices: %w", err)
	}
	out := make(map[domain.MailKind]bool, len(kinds))
	for _, k := range kinds {
		out[domain.MailKind(k)] = true
	}
	return out, nil
}

// SetMailOptOuts replaces the kinds of mail the user does not want; kinds
// that are required are never kept as opted out.
func (c Outbox) SetMailOptOuts(ctx context.Context, userID int64, out []domain.MailKind) error {
	before, err := c.MailOptOuts(ctx, userID)
	if err != nil {
		return err
	}
	if _, err := c.db.Exec(ctx, `DELETE FROM mail_opt_outs WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("change mail choices: %w", err)
	}
	for _, k := range out {
		if k.Required() {
			continue
		}
		if _, err := c.db.Exec(ctx, `INSERT INTO mail_opt_outs (user_id, kind, created_at) VALUES (?, ?, ?)`,
			userID, string(k), c.db.Now()); err != nil {
			return fmt.Errorf("change mail choices: %w", err)
		}
	}
	was, now := []string{}, []string{}
	for _, k := range domain.MailKinds {
		if before[k] {
			was = append(was, k.Label())
		}
		if slices.Contains(out, k) && !k.Required() {
			now = append(now, k.Label())
		}
	}
	return c.db.Audit(ctx, "update", "mail_choices", userID, map[string][]string{"off": was}, map[string][]string{"off": now})
}

// MailCounts counts the mails of each status, of some committees (nil for
// all).
func (c Outbox) MailCounts(ctx context.Context, committees []int64) (map[domain.MailStatus]int, error) {
	q := `SELECT status, COUNT(*) AS n FROM mails`
	var args []any
	if committees != nil {
		if len(committees) == 0 {
			return map[domain.MailStatus]int{}, nil
		}
		q += ` WHERE committee_id IN (?` + strings.Repeat(", ?", len(committees)-1) + `)`
		for _, id := range committees {
			args = append(args, id)
		}
	}
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := c.db.Select(ctx, &rows, q+` GROUP BY status`, args...); err != nil {
		return nil, fmt.Errorf("count mails: %w", err)
	}
	out := map[domain.MailStatus]int{}
	for _, r := range rows {
		out[domain.MailStatus(r.Status)] = r.N
	}
	return out, nil
}

// Once records key as done and reports whether this is the first time: a
// caller does the work only when it is, inside the same transaction, so the
// work is done once however many instances try (on PostgreSQL a second
// transaction with the same key waits for the first and then finds it done)
// and not at all if the transaction rolls back.
func (c Outbox) Once(ctx context.Context, key string) (bool, error) {
	if strings.TrimSpace(key) == "" {
		return false, errors.New("once: empty key")
	}
	res, err := c.db.Exec(ctx, `INSERT INTO done_once (key, done_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, c.db.Now())
	if err != nil {
		return false, fmt.Errorf("record %q as done: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DoneAt is when key was recorded as done (Once); the zero time when it has
// not been.
func (c Outbox) DoneAt(ctx context.Context, key string) (time.Time, error) {
	var at []time.Time
	if err := c.db.Select(ctx, &at, `SELECT done_at FROM done_once WHERE key = ?`, key); err != nil {
		return time.Time{}, fmt.Errorf("read %q: %w", key, err)
	}
	if len(at) == 0 {
		return time.Time{}, nil
	}
	return at[0].UTC(), nil
}

// ForgetDone removes the keys starting with prefix recorded before before:
// a periodic job's runs, once no schedule can be due in their period again.
func (c Outbox) ForgetDone(ctx context.Context, prefix string, before time.Time) error {
	if prefix == "" {
		return errors.New("forget done: empty prefix")
	}
	if _, err := c.db.Exec(ctx, `DELETE FROM done_once WHERE substr(key, 1, ?) = ? AND done_at < ?`, len(prefix), prefix, before); err != nil {
		return fmt.Errorf("forget done %q: %w", prefix, err)
	}
	return nil
}
