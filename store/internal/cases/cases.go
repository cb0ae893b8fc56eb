package cases

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type caseRow struct {
	ID           int64          `db:"id"`
	CommitteeID  int64          `db:"committee_id"`
	Code         string         `db:"code"`
	Year         int            `db:"year"`
	Seq          int            `db:"seq"`
	Title        string         `db:"title"`
	Description  string         `db:"description"`
	HandlerID    sql.NullInt64  `db:"handler_user_id"`
	HandlerName  sql.NullString `db:"handler_name"`
	Status       string         `db:"status"`
	RegisteredOn sqlconn.Date   `db:"registered_on"`
	Imported     bool           `db:"imported"`
	CreatedAt    time.Time      `db:"created_at"`
	UpdatedAt    time.Time      `db:"updated_at"`
	ClosedAt     sql.NullTime   `db:"closed_at"`
}

const caseSelect = `SELECT c.id, c.committee_id, cm.code, c.year, c.seq, c.title, c.description,
	c.handler_user_id, hu.name AS handler_name, c.status, c.registered_on, c.imported,
	c.created_at, c.updated_at, c.closed_at
	FROM cases c JOIN committees cm ON cm.id = c.committee_id LEFT JOIN users hu ON hu.id = c.handler_user_id`

func (r caseRow) domain() domain.Case {
	return domain.Case{
		ID: r.ID, CommitteeID: r.CommitteeID, Number: domain.CaseNumber{Prefix: r.Code, Seq: r.Seq, Year: r.Year},
		Title: r.Title, Description: r.Description, HandlerID: r.HandlerID.Int64, HandlerName: r.HandlerName.String,
		Status: domain.CaseStatus(r.Status), RegisteredOn: domain.Date(r.RegisteredOn), Imported: r.Imported,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ClosedAt: r.ClosedAt.Time.UTC(),
	}
}

// caseAudit is how a case appears in the audit trail.
type caseAudit struct {
	Number       string `json:"number"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	HandlerID    int64  `json:"handler_user_id,omitempty"`
	Status       string `json:"status"`
	RegisteredOn string `json:"registered_on,omitempty"`
	Imported     bool   `json:"imported,omitempty"`
}

func auditOfCase(k domain.Case) caseAudit {
	return caseAudit{Number: k.Number.String(), Title: k.Title, Description: k.Description, HandlerID: k.HandlerID,
		Status: string(k.Status), RegisteredOn: k.RegisteredOn.String(), Imported: k.Imported}
}

// RegisterCase registers a new case in the committee and gives it the next
// number of the year of draft.RegisteredOn (the caller's today, in the
// committee's time zone). The number comes from one atomic upsert on the
// committee's counter in this transaction, so simultaneous registrations get
// distinct, consecutive numbers, and a registration that fails leaves no gap.
// Title, description and handler come from draft; the case starts as
// registered.
func (c Cases) RegisterCase(ctx context.Context, cm domain.Committee, draft domain.Case) (domain.Case, error) {
	if draft.RegisteredOn.IsZero() {
		return domain.Case{}, errors.New("register case: no registration date")
	}
	k, err := c.checkCaseDraft(ctx, cm, draft)
	if err != nil {
		return domain.Case{}, err
	}
	year := draft.RegisteredOn.Year
	var seq int
	err = c.db.Get(ctx, &seq, `INSERT INTO case_counters (committee_id, year, last_seq) VALUES (?, ?, 1)
		ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = case_counters.last_seq + 1
		RETURNING last_seq`, cm.ID, year)
	if err != nil {
		return domain.Case{}, fmt.Errorf("register case: next number: %w", err)
	}
	if seq > domain.CaseNumberSeqMax {
		return domain.Case{}, domain.Errorf(domain.ECONFLICT, "Nämnden %s har registrerat %d ärenden %d; fler ryms inte i diarienumret.", cm.Code, domain.CaseNumberSeqMax, year)
	}
	k.Number = domain.CaseNumber{Prefix: cm.Code, Seq: seq, Year: year}
	k.Status, k.RegisteredOn, k.Imported = domain.CaseRegistered, draft.RegisteredOn, false
	return c.insertCase(ctx, k, domain.CaseEventRegistered, "register")
}

// ImportCase registers a case from an older register under the number it
// already has, e.g. GNS/11/2018. The number must belong to the committee, may
// not lie in a later year than today's, and must be free: a taken number is
// refused with ECONFLICT. The committee's counter for that year is raised to
// at least the number, so registration never hands out a number that is
// taken; numbers below it that were never imported stay free for importing,
// and new numbers continue after the highest of the year, never filling a gap
// (documented in the migration). draft.Status may be any status (closed
// included) and draft.RegisteredOn may be zero when the day is not known;
// otherwise it must lie in the number's year.
func (c Cases) ImportCase(ctx context.Context, cm domain.Committee, draft domain.Case, today domain.Date) (domain.Case, error) {
	n := draft.Number
	if err := n.Validate(cm.Code, today); err != nil {
		return domain.Case{}, domain.FieldErrorf("number", "%s", domain.ErrorMessage(err))
	}
	k, err := c.checkCaseDraft(ctx, cm, draft)
	if err != nil {
		return domain.Case{}, err
	}
	if d := draft.RegisteredOn; !d.IsZero() && (d.Year != n.Year || d.After(today)) {
		return domain.Case{}, domain.FieldErrorf("registered_on", "Registreringsdagen %s ska ligga i diarienumrets år %d och inte efter i dag.", d, n.Year)
	}
	k.Status = draft.Status
	if k.Status == "" {
		k.Status = domain.CaseRegistered
	}
	if !k.Status.Valid() {
		return domain.Case{}, domain.FieldErrorf("status", "Okänd status %q.", k.Status)
	}
	var taken int
	if err := c.db.Get(ctx, &taken, `SELECT COUNT(*) FROM cases WHERE committee_id = ? AND year = ? AND seq = ?`, cm.ID, n.Year, n.Seq); err != nil {
		return domain.Case{}, fmt.Errorf("import case %s: %w", n, err)
	}
	if taken > 0 {
		return domain.Case{}, errNumberTaken(n)
	}
	// The counter first: its row lock orders this import after (or before)
	// any registration in the same year.
	if _, err := c.db.Exec(ctx, `INSERT INTO case_counters (committee_id, year, last_seq) VALUES (?, ?, ?)
		ON CONFLICT (committee_id, year) DO UPDATE SET last_seq =
			CASE WHEN case_counters.last_seq < excluded.last_seq THEN excluded.last_seq ELSE case_counters.last_seq END`,
		cm.ID, n.Year, n.Seq); err != nil {
		return domain.Case{}, fmt.Errorf("import case %s: counter: %w", n, err)
	}
	k.Number = domain.CaseNumber{Prefix: cm.Code, Seq: n.Seq, Year: n.Year}
	k.RegisteredOn, k.Imported = draft.RegisteredOn, true
	return c.insertCase(ctx, k, domain.CaseEventImported, "import")
}

func errNumberTaken(n domain.CaseNumber) error {
	return &domain.Error{Code: domain.ECONFLICT, Field: "number", Message: fmt.Sprintf("Diarienumret %s är redan registrerat.", n)}
}

// checkCaseDraft checks the text and handler of a new case and returns the
// case with them in place.
func (c Cases) checkCaseDraft(ctx context.Context, cm domain.Committee, draft domain.Case) (domain.Case, error) {
	if cm.ID == 0 || cm.Code == "" {
		return domain.Case{}, errors.New("case: no committee")
	}
	title, description, err := domain.CheckCaseText(draft.Title, draft.Description)
	if err != nil {
		return domain.Case{}, err
	}
	if err := c.checkHandler(ctx, cm.ID, draft.HandlerID); err != nil {
		return domain.Case{}, err
	}
	return domain.Case{CommitteeID: cm.ID, Title: title, Description: description, HandlerID: draft.HandlerID}, nil
}

func (c Cases) insertCase(ctx context.Context, k domain.Case, event domain.CaseEventKind, action string) (domain.Case, error) {
	at := c.db.Now()
	closedAt := sql.NullTime{}
	if k.Status == domain.CaseClosed {
		closedAt = sqlconn.NullTime(at)
	}
	id, err := c.db.Insert(ctx, `INSERT INTO cases (committee_id, year, seq, title, description, search_text, handler_user_id,
		status, registered_on, imported, created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.CommitteeID, k.Number.Year, k.Number.Seq, k.Title, k.Description, domain.CaseFolded(k.Title, k.Description),
		sqlconn.NullID(k.HandlerID), string(k.Status), sqlconn.Date(k.RegisteredOn), k.Imported, at, at, closedAt)
	if sqlconn.IsUniqueViolation(err) {
		return domain.Case{}, errNumberTaken(k.Number)
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("store case %s: %w", k.Number, err)
	}
	if err := c.addCaseEvent(ctx, domain.CaseEvent{CaseID: id, Kind: event, ToStatus: k.Status}); err != nil {
		return domain.Case{}, err
	}
	stored, err := c.CaseByID(ctx, id)
	if err != nil {
		return domain.Case{}, err
	}
	if err := c.db.Audit(ctx, action, "case", id, nil, auditOfCase(stored)); err != nil {
		return domain.Case{}, err
	}
	return stored, nil
}

// checkHandler checks that a handler (0 for none) is an active user of the
// committee's secretariat.
func (c Cases) checkHandler(ctx context.Context, committeeID, userID int64) error {
	if userID == 0 {
		return nil
	}
	var n int
	err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE r.user_id = ? AND r.role = ? AND r.committee_id = ? AND u.disabled_at IS NULL`,
		userID, string(domain.RoleSecretariat), committeeID)
	if err != nil {
		return fmt.Errorf("check handler: %w", err)
	}
	if n == 0 {
		return domain.FieldErrorf("handler", "Handläggaren ska vara en aktiv användare i nämndens sekretariat.")
	}
	return nil
}

// CaseHandlers lists the users who can be handlers of the committee's cases:
// the active users of its secretariat, by name.
func (c Cases) CaseHandlers(ctx context.Context, committeeID int64) ([]domain.User, error) {
	var rows []access.UserRow
	err := c.db.Select(ctx, &rows, `SELECT `+access.UserColumns+` FROM users WHERE disabled_at IS NULL AND id IN
		(SELECT user_id FROM user_roles WHERE role = ? AND committee_id = ?) ORDER BY name, id`,
		string(domain.RoleSecretariat), committeeID)
	if err != nil {
		return nil, fmt.Errorf("case handlers: %w", err)
	}
	out := make([]domain.User, len(rows))
	for i, r := range rows {
		out[i] = r.User()
	}
	return out, nil
}

// CaseByID returns a case, or ENOTFOUND.
func (c Cases) CaseByID(ctx context.Context, id int64) (domain.Case, error) {
	return c.caseWhere(ctx, domain.Errorf(domain.ENOTFOUND, "Ärendet finns inte."), "c.id = ?", id)
}

// CaseByNumber returns the case with the number (its prefix is the
// committee's code), or ENOTFOUND.
func (c Cases) CaseByNumber(ctx context.Context, n domain.CaseNumber) (domain.Case, error) {
	return c.caseWhere(ctx, domain.Errorf(domain.ENOTFOUND, "Ärendet %s finns inte.", n),
		"cm.code = ? AND c.year = ? AND c.seq = ?", n.Prefix, n.Year, n.Seq)
}

func (c Cases) caseWhere(ctx context.Context, notFound error, cond string, args ...any) (domain.Case, error) {
	var r caseRow
	err := c.db.Get(ctx, &r, caseSelect+" WHERE "+cond, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Case{}, notFound
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("read case: %w", err)
	}
	return r.domain(), nil
}

// UpdateCase changes a case's title, description and handler (0 for none).
// A closed case is not changed (ECONFLICT): reopen it first. Nothing is
// recorded when nothing changes.
func (c Cases) UpdateCase(ctx context.Context, caseID int64, title, description string, handlerID int64) (domain.Case, error) {
	before, err := c.openCase(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	title, description, err = domain.CheckCaseText(title, description)
	if err != nil {
		return domain.Case{}, err
	}
	if handlerID != before.HandlerID {
		if err := c.checkHandler(ctx, before.CommitteeID, handlerID); err != nil {
			return domain.Case{}, err
		}
	}
	var changed []string
	if title != before.Title {
		changed = append(changed, "titel")
	}
	if description != before.Description {
		changed = append(changed, "beskrivning")
	}
	if handlerID != before.HandlerID {
		changed = append(changed, "handläggare")
	}
	if len(changed) == 0 {
		return before, nil
	}
	res, err := c.db.Exec(ctx, `UPDATE cases SET title = ?, description = ?, search_text = ?, handler_user_id = ?, updated_at = ?
		WHERE id = ? AND status <> ?`, title, description, domain.CaseFolded(title, description), sqlconn.NullID(handlerID), c.db.Now(),
		caseID, string(domain.CaseClosed))
	if err != nil {
		return domain.Case{}, fmt.Errorf("update case %s: %w", before.Number, err)
	}
	if err := changedOne(res, before); err != nil {
		return domain.Case{}, err
	}
	return c.recordCaseChange(ctx, before, domain.CaseEvent{Kind: domain.CaseEventEdited, Note: strings.Join(changed, ", ")}, "update")
}

// SetCaseStatus moves an open case to another of domain.OpenCaseStatuses,
// with an optional note for the timeline. Closing and reopening are CloseCase
// and ReopenCase.
func (c Cases) SetCaseStatus(ctx context.Context, caseID int64, status domain.CaseStatus, note string) (domain.Case, error) {
	open := false
	for _, s := range domain.OpenCaseStatuses {
		open = open || s == status
	}
	if !open {
		return domain.Case{}, domain.FieldErrorf("status", "Välj en status: registrerat, under beredning, på föredragningslista eller beslutat. Ett ärende avslutas med knappen Avsluta.")
	}
	before, err := c.openCase(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	if before.Status == status {
		return domain.Case{}, domain.FieldErrorf("status", "Ärendet har redan status %s.", status.Label())
	}
	return c.changeStatus(ctx, before, status, domain.CaseEventStatusChanged, note, "set_status")
}

// CloseCase closes an open case, with an optional note. A closed case keeps
// everything; it can be reopened.
func (c Cases) CloseCase(ctx context.Context, caseID int64, note string) (domain.Case, error) {
	before, err := c.openCase(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	return c.changeStatus(ctx, before, domain.CaseClosed, domain.CaseEventClosed, note, "close")
}

// ReopenCase reopens a closed case, with an optional note; it goes back to
// under preparation (under beredning).
func (c Cases) ReopenCase(ctx context.Context, caseID int64, note string) (domain.Case, error) {
	before, err := c.CaseByID(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	if !before.Closed() {
		return domain.Case{}, domain.Errorf(domain.ECONFLICT, "Ärendet %s är inte avslutat.", before.Number)
	}
	return c.changeStatus(ctx, before, domain.CaseInPreparation, domain.CaseEventReopened, note, "reopen")
}

// openCase returns a case that may be changed: one that is not closed.
func (c Cases) openCase(ctx context.Context, caseID int64) (domain.Case, error) {
	k, err := c.CaseByID(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	if k.Closed() {
		return domain.Case{}, domain.Errorf(domain.ECONFLICT, "Ärendet %s är avslutat. Återöppna det först om det ska ändras.", k.Number)
	}
	return k, nil
}

// changeStatus moves a case from its status in before to status, provided no
// one else changed the status in between.
func (c Cases) changeStatus(ctx context.Context, before domain.Case, status domain.CaseStatus, kind domain.CaseEventKind, note, action string) (domain.Case, error) {
	note, err := domain.CheckCaseNote(note)
	if err != nil {
		return domain.Case{}, err
	}
	at := c.db.Now()
	closedAt := sql.NullTime{}
	if status == domain.CaseClosed {
		closedAt = sqlconn.NullTime(at)
	}
	res, err := c.db.Exec(ctx, `UPDATE cases SET status = ?, closed_at = ?, updated_at = ? WHERE id = ? AND status = ?`,
		string(status), closedAt, at, before.ID, string(before.Status))
	if err != nil {
		return domain.Case{}, fmt.Errorf("%s case %s: %w", action, before.Number, err)
	}
	if err := changedOne(res, before); err != nil {
		return domain.Case{}, err
	}
	return c.recordCaseChange(ctx, before, domain.CaseEvent{Kind: kind, FromStatus: before.Status, ToStatus: status, Note: note}, action)
}

// changedOne checks that an UPDATE guarded by the case's state changed the
// case; otherwise someone else changed it first.
func changedOne(res sql.Result, before domain.Case) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("case %s: %w", before.Number, err)
	}
	if n != 1 {
		return domain.Errorf(domain.ECONFLICT, "Ärendet %s ändrades av någon annan under tiden. Ladda om sidan och försök igen.", before.Number)
	}
	return nil
}

// recordCaseChange writes the timeline event and the audit entry of a change
// and returns the case as it became.
func (c Cases) recordCaseChange(ctx context.Context, before domain.Case, e domain.CaseEvent, action string) (domain.Case, error) {
	e.CaseID = before.ID
	if err := c.addCaseEvent(ctx, e); err != nil {
		return domain.Case{}, err
	}
	after, err := c.CaseByID(ctx, before.ID)
	if err != nil {
		return domain.Case{}, err
	}
	if err := c.db.Audit(ctx, action, "case", before.ID, auditOfCase(before), auditOfCase(after)); err != nil {
		return domain.Case{}, err
	}
	return after, nil
}

func (c Cases) addCaseEvent(ctx context.Context, e domain.CaseEvent) error {
	a := domain.ActorFrom(ctx)
	nullStatus := func(s domain.CaseStatus) sql.NullString { return sql.NullString{String: string(s), Valid: s != ""} }
	_, err := c.db.Exec(ctx, `INSERT INTO case_events (case_id, at, actor_user_id, actor, kind, from_status, to_status, document_id, related_case_id, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.CaseID, c.db.Now(), sqlconn.NullID(a.UserID), a.Label, string(e.Kind),
		nullStatus(e.FromStatus), nullStatus(e.ToStatus), sqlconn.NullID(e.DocumentID), sqlconn.NullID(e.RelatedID), e.Note)
	if err != nil {
		return fmt.Errorf("case event %s: %w", e.Kind, err)
	}
	return nil
}

type caseEventRow struct {
	ID            int64          `db:"id"`
	CaseID        int64          `db:"case_id"`
	At            time.Time      `db:"at"`
	Actor         string         `db:"actor"`
	Kind          string         `db:"kind"`
	FromStatus    sql.NullString `db:"from_status"`
	ToStatus      sql.NullString `db:"to_status"`
	DocumentID    sql.NullInt64  `db:"document_id"`
	DocumentTitle sql.NullString `db:"document_title"`
	RelatedID     sql.NullInt64  `db:"related_case_id"`
	RelatedCode   sql.NullString `db:"related_code"`
	RelatedYear   sql.NullInt64  `db:"related_year"`
	RelatedSeq    sql.NullInt64  `db:"related_seq"`
	Note          string         `db:"note"`
}

// CaseEvents returns a case's timeline, oldest first.
func (c Cases) CaseEvents(ctx context.Context, caseID int64) ([]domain.CaseEvent, error) {
	var rows []caseEventRow
	err := c.db.Select(ctx, &rows, `SELECT e.id, e.case_id, e.at, COALESCE(u.name, e.actor) AS actor, e.kind, e.from_status, e.to_status,
		e.document_id, d.title AS document_title, e.related_case_id, rcm.code AS related_code, r.year AS related_year, r.seq AS related_seq, e.note
		FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
		LEFT JOIN case_documents d ON d.id = e.document_id
		LEFT JOIN cases r ON r.id = e.related_case_id LEFT JOIN committees rcm ON rcm.id = r.committee_id
		WHERE e.case_id = ? ORDER BY e.at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("case events: %w", err)
	}
	out := make([]domain.CaseEvent, len(rows))
	for i, r := range rows {
		out[i] = domain.CaseEvent{
			ID: r.ID, CaseID: r.CaseID, At: r.At.UTC(), Actor: r.Actor, Kind: domain.CaseEventKind(r.Kind),
			FromStatus: domain.CaseStatus(r.FromStatus.String), ToStatus: domain.CaseStatus(r.ToStatus.String),
			DocumentID: r.DocumentID.Int64, DocumentTitle: r.DocumentTitle.String, RelatedID: r.RelatedID.Int64, Note: r.Note,
		}
		if r.RelatedCode.Valid {
			out[i].Related = domain.CaseNumber{Prefix: r.RelatedCode.String, Year: int(r.RelatedYear.Int64), Seq: int(r.RelatedSeq.Int64)}
		}
	}
	return out, nil
}

type caseDocumentRow struct {
	ID          int64     `db:"id"`
	CaseID      int64     `db:"case_id"`
	Kind        string    `db:"kind"`
	Title       string    `db:"title"`
	FileName    string    `db:"file_name"`
	ContentType string    `db:"content_type"`
	Size        int64     `db:"size"`
	SHA256      string    `db:"sha256"`
	UploadedBy  string    `db:"uploaded_by_name"`
	CreatedAt   time.Time `db:"created_at"`
}

func (r caseDocumentRow) domain() domain.CaseDocument {
	return domain.CaseDocument{ID: r.ID, CaseID: r.CaseID, Kind: domain.CaseDocumentKind(r.Kind), Title: r.Title,
		FileName: r.FileName, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256,
		UploadedBy: r.UploadedBy, UploadedAt: r.CreatedAt.UTC()}
}

const caseDocumentSelect = `SELECT d.id, d.case_id, d.kind, d.title, d.file_name, d.content_type, d.size, d.sha256,
	COALESCE(u.name, d.uploaded_by_label) AS uploaded_by_name, d.created_at
	FROM case_documents d LEFT JOIN users u ON u.id = d.uploaded_by`

// AddCaseDocument files a document in an open case. The file's type is
// decided by its content (domain.CheckDocument), its name is made safe, and
// its SHA-256 is computed and kept with it. Documents are never changed or
// removed once filed.
func (c Cases) AddCaseDocument(ctx context.Context, caseID int64, d domain.CaseDocument, content []byte) (domain.CaseDocument, error) {
	k, err := c.openCase(ctx, caseID)
	if err != nil {
		return domain.CaseDocument{}, err
	}
	if _, err := domain.ParseCaseDocumentKind(string(d.Kind)); err != nil {
		return domain.CaseDocument{}, err
	}
	d.FileName = domain.SanitizeFileName(d.FileName)
	if d.ContentType, err = domain.CheckDocument(d.FileName, content); err != nil {
		return domain.CaseDocument{}, err
	}
	if d.Title, err = domain.CheckCaseDocumentTitle(d.Title, d.FileName); err != nil {
		return domain.CaseDocument{}, err
	}
	sum := sha256.Sum256(content)
	d.SHA256, d.Size, d.CaseID = hex.EncodeToString(sum[:]), int64(len(content)), caseID
	a := domain.ActorFrom(ctx)
	id, err := c.db.Insert(ctx, `INSERT INTO case_documents (case_id, kind, title, file_name, content_type, size, sha256, content,
		uploaded_by, uploaded_by_label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		caseID, string(d.Kind), d.Title, d.FileName, d.ContentType, d.Size, d.SHA256, content, sqlconn.NullID(a.UserID), a.Label, c.db.Now())
	if err != nil {
		return domain.CaseDocument{}, fmt.Errorf("store document of case %s: %w", k.Number, err)
	}
	if err := c.addCaseEvent(ctx, domain.CaseEvent{CaseID: caseID, Kind: domain.CaseEventDocumentAdded, DocumentID: id}); err != nil {
		return domain.CaseDocument{}, err
	}
	if _, err := c.db.Exec(ctx, `UPDATE cases SET updated_at = ? WHERE id = ?`, c.db.Now(), caseID); err != nil {
		return domain.CaseDocument{}, fmt.Errorf("touch case %s: %w", k.Number, err)
	}
	stored, _, err := c.caseDocument(ctx, caseID, id, false)
	if err != nil {
		return domain.CaseDocument{}, err
	}
	after := map[string]any{"case": k.Number.String(), "document_id": id, "kind": d.Kind, "title": d.Title,
		"file_name": d.FileName, "content_type": d.ContentType, "size": d.Size, "sha256": d.SHA256}
	if err := c.db.Audit(ctx, "add_document", "case", caseID, nil, after); err != nil {
		return domain.CaseDocument{}, err
	}
	return stored, nil
}

// CaseDocuments lists a case's documents in the order they were filed,
// without their content.
func (c Cases) CaseDocuments(ctx context.Context, caseID int64) ([]domain.CaseDocument, error) {
	var rows []caseDocumentRow
	if err := c.db.Select(ctx, &rows, caseDocumentSelect+` WHERE d.case_id = ? ORDER BY d.id`, caseID); err != nil {
		return nil, fmt.Errorf("case documents: %w", err)
	}
	return domainRows(rows), nil
}

// CaseDocumentContent returns one document of a case with its content, or
// ENOTFOUND when the case has no such document.
func (c Cases) CaseDocumentContent(ctx context.Context, caseID, documentID int64) (domain.CaseDocument, []byte, error) {
	return c.caseDocument(ctx, caseID, documentID, true)
}

func (c Cases) caseDocument(ctx context.Context, caseID, documentID int64, withContent bool) (domain.CaseDocument, []byte, error) {
	var r caseDocumentRow
	err := c.db.Get(ctx, &r, caseDocumentSelect+` WHERE d.case_id = ? AND d.id = ?`, caseID, documentID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.CaseDocument{}, nil, domain.Errorf(domain.ENOTFOUND, "Handlingen finns inte i ärendet.")
	}
	if err != nil {
		return domain.CaseDocument{}, nil, fmt.Errorf("case document %d: %w", documentID, err)
	}
	var content []byte
	if withContent {
		if err := c.db.Get(ctx, &content, `SELECT content FROM case_documents WHERE id = ?`, documentID); err != nil {
			return domain.CaseDocument{}, nil, fmt.Errorf("case document %d: %w", documentID, err)
		}
	}
	return r.domain(), content, nil
}

// AddCaseLink links an open case to another case of the same committee, given
// by its number. The link shows on both cases' pages and timelines. Errors
// are about the field "case".
func (c Cases) AddCaseLink(ctx context.Context, caseID int64, other domain.CaseNumber) (domain.Case, error) {
	from, err := c.openCase(ctx, caseID)
	if err != nil {
		return domain.Case{}, err
	}
	if other.Prefix != from.Number.Prefix {
		return domain.Case{}, domain.FieldErrorf("case", "Diarienumret %s hör inte till nämnden %s. Bara ärenden i samma nämnd kan kopplas.", other, from.Number.Prefix)
	}
	to, err := c.CaseByNumber(ctx, other)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Case{}, domain.FieldErrorf("case", "Ärendet %s finns inte.", other)
	}
	if err != nil {
		return domain.Case{}, err
	}
	if to.ID == from.ID {
		return domain.Case{}, domain.FieldErrorf("case", "Ett ärende kan inte kopplas till sig självt.")
	}
	lo, hi := min(from.ID, to.ID), max(from.ID, to.ID)
	var n int
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM case_links WHERE case_id = ? AND linked_case_id = ?`, lo, hi); err != nil {
		return domain.Case{}, fmt.Errorf("link cases: %w", err)
	}
	if n > 0 {
		return domain.Case{}, &domain.Error{Code: domain.ECONFLICT, Field: "case", Message: fmt.Sprintf("Ärendena %s och %s är redan kopplade.", from.Number, to.Number)}
	}
	if _, err := c.db.Exec(ctx, `INSERT INTO case_links (case_id, linked_case_id, created_at) VALUES (?, ?, ?)`, lo, hi, c.db.Now()); err != nil {
		return domain.Case{}, fmt.Errorf("link cases: %w", err)
	}
	for _, e := range []domain.CaseEvent{
		{CaseID: from.ID, Kind: domain.CaseEventLinkAdded, RelatedID: to.ID},
		{CaseID: to.ID, Kind: domain.CaseEventLinkAdded, RelatedID: from.ID},
	} {
		if err := c.addCaseEvent(ctx, e); err != nil {
			return domain.Case{}, err
		}
	}
	if err := c.db.Audit(ctx, "add_link", "case", from.ID, nil, map[string]string{"case": from.Number.String(), "linked_case": to.Number.String()}); err != nil {
		return domain.Case{}, err
	}
	return to, nil
}

// CaseLinks returns the cases linked to a case, by number.
func (c Cases) CaseLinks(ctx context.Context, caseID int64) ([]domain.Case, error) {
	var rows []caseRow
	err := c.db.Select(ctx, &rows, caseSelect+` WHERE c.id IN (SELECT linked_case_id FROM case_links WHERE case_id = ?
		UNION SELECT case_id FROM case_links WHERE linked_case_id = ?) ORDER BY c.year, c.seq`, caseID, caseID)
	if err != nil {
		return nil, fmt.Errorf("case links: %w", err)
	}
	return domainRows(rows), nil
}

// domainRows converts rows read from the database to their domain values.
func domainRows[R interface{ domain() T }, T any](rows []R) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// CaseYears lists the years in which the committee has cases, newest first.
// It reads the counters, one row per committee and year, not the cases.
func (c Cases) CaseYears(ctx context.Context, committeeID int64) ([]int, error) {
	var years []int
	err := c.db.Select(ctx, &years, `SELECT year FROM case_counters WHERE committee_id = ? ORDER BY year DESC`, committeeID)
	if err != nil {
		return nil, fmt.Errorf("case years: %w", err)
	}
	return years, nil
}

// CaseListChoices returns what the filters of a committee's case list offer,
// in one query: the years in which it has cases, newest first (CaseYears),
// and the users who can handle its cases, by name (CaseHandlers, with only
// their id and name).
func (c Cases) CaseListChoices(ctx context.Context, committeeID int64) ([]int, []domain.User, error) {
	var rows []struct {
		Kind int    `db:"kind"`
		N    int64  `db:"n"`
		Sort int64  `db:"sort"`
		Name string `db:"name"`
	}
	err := c.db.Select(ctx, &rows, `SELECT 0 AS kind, year AS n, -year AS sort, '' AS name FROM case_counters WHERE committee_id = ?
		UNION ALL
		SELECT 1 AS kind, id AS n, 0 AS sort, name FROM users WHERE disabled_at IS NULL AND id IN
			(SELECT user_id FROM user_roles WHERE role = ? AND committee_id = ?)
		ORDER BY kind, sort, name, n`, committeeID, string(domain.RoleSecretariat), committeeID)
	if err != nil {
		return nil, nil, fmt.Errorf("case list choices: %w", err)
	}
	var years []int
	var handlers []domain.User
	for _, r := range rows {
		if r.Kind == 0 {
			years = append(years, int(r.N))
		} else {
			handlers = append(handlers, domain.User{ID: r.N, Name: r.Name})
		}
	}
	return years, handlers, nil
}

// ListCases returns one page of the committee's cases that match f, newest
// number first. Pages are found by keyset (f.After, f.Before) on the
// indexed (committee, year, number) order, and the count stops at
// domain.MaxCaseCount, so a page costs the same however many cases the
// register holds. A text search matches each word anywhere in the title or
// description.
func (c Cases) ListCases(ctx context.Context, f domain.CaseFilter) (domain.CasePage, error) {
	if f.CommitteeID == 0 {
		return domain.CasePage{}, errors.New("list cases: no committee")
	}
	if !f.After.IsZero() && !f.Before.IsZero() {
		return domain.CasePage{}, errors.New("list cases: both after and before")
	}
	where := []string{"c.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.Year != 0 {
		where, args = append(where, "c.year = ?"), append(args, f.Year)
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.HandlerID != 0 {
		where, args = append(where, "c.handler_user_id = ?"), append(args, f.HandlerID)
	}
	if f.Open {
		where, args = append(where, "c.status <> ?"), append(args, string(domain.CaseClosed))
	}
	words, err := domain.CheckCaseSearch(f.Text)
	if err != nil {
		return domain.CasePage{}, err
	}
	for _, w := range words {
		where, args = append(where, `c.search_text LIKE ? ESCAPE '\'`), append(args, "%"+escapeLike(w)+"%")
	}
	cond := strings.Join(where, " AND ")

	limit := f.Limit
	if limit <= 0 || limit > domain.MaxCasePage {
		limit = domain.MaxCasePage
	}
	matchCond, matchArgs := cond, slices.Clone(args)
	order := " ORDER BY c.year DESC, c.seq DESC"
	switch {
	case !f.After.IsZero():
		cond, args = cond+" AND (c.year, c.seq) < (?, ?)", append(args, f.After.Year, f.After.Seq)
	case !f.Before.IsZero():
		cond, args = cond+" AND (c.year, c.seq) > (?, ?)", append(args, f.Before.Year, f.Before.Seq)
		order = " ORDER BY c.year, c.seq"
	}
	// The page and the count of all matches (up to MaxCaseCount+1) come in
	// one query: each row carries the count, a subquery run once.
	count := `SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE ` + matchCond + ` LIMIT ?) t`
	countArgs := append(matchArgs, domain.MaxCaseCount+1)
	var rows []struct {
		caseRow
		Counted int `db:"counted"`
	}
	err = c.db.Select(ctx, &rows, "SELECT ("+count+") AS counted, "+strings.TrimPrefix(caseSelect, "SELECT ")+" WHERE "+cond+order+" LIMIT ?",
		append(append(slices.Clone(countArgs), args...), limit+1)...)
	if err != nil {
		return domain.CasePage{}, fmt.Errorf("list cases: %w", err)
	}
	more := len(rows) > limit
	rows = rows[:min(len(rows), limit)]
	var page domain.CasePage
	counted := 0
	if len(rows) > 0 {
		counted = rows[0].Counted
	} else if !f.After.IsZero() || !f.Before.IsZero() {
		// A page past either end still says how many match.
		if err := c.db.Get(ctx, &counted, count, countArgs...); err != nil {
			return domain.CasePage{}, fmt.Errorf("count cases: %w", err)
		}
	}
	page.Total, page.More = min(counted, domain.MaxCaseCount), counted > domain.MaxCaseCount
	if !f.Before.IsZero() {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	page.Cases = domainRows(rows)
	if len(rows) > 0 {
		first, last := rows[0], rows[len(rows)-1]
		if more && f.Before.IsZero() || !f.Before.IsZero() {
			page.Older = domain.CaseCursor{Year: last.Year, Seq: last.Seq}
		}
		if more && !f.Before.IsZero() || !f.After.IsZero() {
			page.Newer = domain.CaseCursor{Year: first.Year, Seq: first.Seq}
		}
	}
	return page, nil
}

// escapeLike escapes the LIKE wildcards in s, for a pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
