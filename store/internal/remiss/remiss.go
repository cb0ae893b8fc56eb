// Package remiss keeps remisser: a case sent to some of the committee's
// parties for their opinion, the documents sent, and each party's answers in
// versions (the history).
package remiss

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Remisser holds the remiss methods, run on one connection. store.Conn
// embeds it.
type Remisser struct{ db *sqlconn.Conn }

// New returns the remiss methods run on db.
func New(db *sqlconn.Conn) Remisser { return Remisser{db: db} }

// CreateRemiss sends the case caseID out on remiss on day today: r's
// question, subject and last day (domain.CheckRemiss), to r.Parties (each a
// member of the committee today) with r.Documents (each a document of the
// case, by ID). A closed case is refused (ECONFLICT). The case's timeline
// and the audit trail record it.
func (c Remisser) CreateRemiss(ctx context.Context, caseID int64, r domain.Remiss, today domain.Date) (domain.Remiss, error) {
	k, err := cases.New(c.db).CaseByID(ctx, caseID)
	if err != nil {
		return domain.Remiss{}, err
	}
	if k.Closed() {
		return domain.Remiss{}, domain.Errorf(domain.ECONFLICT, "Ärendet %s är avslutat och kan inte skickas på remiss. Återöppna det först.", k.Number)
	}
	if err := domain.CheckRemiss(&r, today); err != nil {
		return domain.Remiss{}, err
	}
	var members []int64
	if err := c.db.Select(ctx, &members, `SELECT party_id FROM committee_parties WHERE committee_id = ?
		AND member_from <= ? AND (member_to IS NULL OR member_to >= ?)`, k.CommitteeID, sqlconn.Date(today), sqlconn.Date(today)); err != nil {
		return domain.Remiss{}, fmt.Errorf("read parties: %w", err)
	}
	seen := map[int64]bool{}
	for _, p := range r.Parties {
		if !slices.Contains(members, p.PartyID) {
			return domain.Remiss{}, domain.FieldErrorf("parties", "Part %d är inte part i nämnden i dag och kan inte få remissen.", p.PartyID)
		}
		if seen[p.PartyID] {
			return domain.Remiss{}, domain.FieldErrorf("parties", "Part %d är vald två gånger.", p.PartyID)
		}
		seen[p.PartyID] = true
	}
	docs, err := cases.New(c.db).CaseDocuments(ctx, caseID)
	if err != nil {
		return domain.Remiss{}, err
	}
	for _, d := range r.Documents {
		if !slices.ContainsFunc(docs, func(x domain.CaseDocument) bool { return x.ID == d.ID }) {
			return domain.Remiss{}, domain.FieldErrorf("documents", "Handling %d finns inte i ärendet %s.", d.ID, k.Number)
		}
	}
	a := domain.ActorFrom(ctx)
	id, err := c.db.Insert(ctx, `INSERT INTO remisser (committee_id, case_id, question, subject, sent_on, last_day, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.CommitteeID, caseID, r.Question, r.Subject, sqlconn.Date(today), sqlconn.Date(r.LastDay), c.db.Now(), a.Label)
	if err != nil {
		return domain.Remiss{}, fmt.Errorf("store remiss: %w", err)
	}
	for _, p := range r.Parties {
		if _, err := c.db.Exec(ctx, `INSERT INTO remiss_parties (remiss_id, party_id) VALUES (?, ?)`, id, p.PartyID); err != nil {
			return domain.Remiss{}, fmt.Errorf("store remiss party: %w", err)
		}
	}
	for _, d := range r.Documents {
		if _, err := c.db.Exec(ctx, `INSERT INTO remiss_documents (remiss_id, document_id) VALUES (?, ?)`, id, d.ID); err != nil {
			return domain.Remiss{}, fmt.Errorf("store remiss document: %w", err)
		}
	}
	out, err := c.Remiss(ctx, id)
	if err != nil {
		return domain.Remiss{}, err
	}
	names := make([]string, len(out.Parties))
	for i, p := range out.Parties {
		names[i] = p.PartyName
	}
	note := fmt.Sprintf("Skickat på remiss till %d parter, sista svarsdag %s: %s", len(names), out.LastDay, strings.Join(names, ", "))
	if len(names) == 1 {
		note = fmt.Sprintf("Skickat på remiss till %s, sista svarsdag %s", names[0], out.LastDay)
	}
	if err := cases.AddEvent(ctx, c.db, domain.CaseEvent{CaseID: caseID, Kind: domain.CaseEventRemiss, Note: note}); err != nil {
		return domain.Remiss{}, err
	}
	if err := c.db.Audit(ctx, "create", "remiss", id, nil, auditOf(out)); err != nil {
		return domain.Remiss{}, err
	}
	return out, nil
}

type remissAudit struct {
	Case      string   `json:"case"`
	Question  string   `json:"question"`
	Subject   string   `json:"subject"`
	SentOn    string   `json:"sent_on"`
	LastDay   string   `json:"last_day"`
	Parties   []string `json:"parties"`
	Documents []int64  `json:"documents"`
	Summary   string   `json:"summary"`
}

func auditOf(r domain.Remiss) remissAudit {
	a := remissAudit{Case: r.CaseNumber.String(), Question: r.Question, Subject: r.Subject, SentOn: r.SentOn.String(),
		LastDay: r.LastDay.String(), Summary: r.Summary, Parties: []string{}, Documents: []int64{}}
	for _, p := range r.Parties {
		a.Parties = append(a.Parties, p.PartyName)
	}
	for _, d := range r.Documents {
		a.Documents = append(a.Documents, d.ID)
	}
	return a
}

type remissRow struct {
	ID          int64        `db:"id"`
	CommitteeID int64        `db:"committee_id"`
	CaseID      int64        `db:"case_id"`
	Question    string       `db:"question"`
	Subject     string       `db:"subject"`
	SentOn      sqlconn.Date `db:"sent_on"`
	LastDay     sqlconn.Date `db:"last_day"`
	Summary     string       `db:"summary"`
	CreatedAt   time.Time    `db:"created_at"`
	CreatedBy   string       `db:"created_by"`
}

type partyRow struct {
	PartyID    int64        `db:"party_id"`
	Name       string       `db:"name"`
	Slug       string       `db:"slug"`
	RemindedAt sql.NullTime `db:"reminded_at"`
}

type answerRow struct {
	ID                int64         `db:"id"`
	RemissID          int64         `db:"remiss_id"`
	PartyID           int64         `db:"party_id"`
	Version           int           `db:"version"`
	Position          string        `db:"position"`
	Comments          string        `db:"comments"`
	DecisionBody      string        `db:"decision_body"`
	DecisionDate      sqlconn.Date  `db:"decision_date"`
	DecisionParagraph string        `db:"decision_paragraph"`
	ReceivedOn        sqlconn.Date  `db:"received_on"`
	AnsweredAt        time.Time     `db:"answered_at"`
	AnsweredByUser    sql.NullInt64 `db:"answered_by_user"`
	AnsweredBy        string        `db:"answered_by"`
}

func (r answerRow) domain() domain.RemissAnswer {
	return domain.RemissAnswer{ID: r.ID, RemissID: r.RemissID, PartyID: r.PartyID, Version: r.Version,
		Position: domain.RemissPosition(r.Position), Comments: r.Comments, DecisionBody: r.DecisionBody,
		DecisionDate: domain.Date(r.DecisionDate), DecisionParagraph: r.DecisionParagraph,
		ReceivedOn: domain.Date(r.ReceivedOn), AnsweredAt: r.AnsweredAt.UTC(), AnsweredBy: r.AnsweredBy}
}

// Remiss reads one remiss with its parties (in the committee's party
// order), each party's answer in force with its documents, and the
// documents sent; ENOTFOUND when there is none.
func (c Remisser) Remiss(ctx context.Context, id int64) (domain.Remiss, error) {
	var r remissRow
	err := c.db.Get(ctx, &r, `SELECT id, committee_id, case_id, question, subject, sent_on, last_day, summary, created_at, created_by
		FROM remisser WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Remiss{}, domain.Errorf(domain.ENOTFOUND, "Remissen finns inte.")
	}
	if err != nil {
		return domain.Remiss{}, fmt.Errorf("read remiss %d: %w", id, err)
	}
	k, err := cases.New(c.db).CaseByID(ctx, r.CaseID)
	if err != nil {
		return domain.Remiss{}, err
	}
	out := domain.Remiss{ID: r.ID, CommitteeID: r.CommitteeID, CaseID: r.CaseID, CaseNumber: k.Number, CaseTitle: k.Title,
		Question: r.Question, Subject: r.Subject, SentOn: domain.Date(r.SentOn), LastDay: domain.Date(r.LastDay),
		Summary: r.Summary, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
	var parties []partyRow
	if err := c.db.Select(ctx, &parties, `SELECT rp.party_id, p.name, p.slug, rp.reminded_at
		FROM remiss_parties rp JOIN parties p ON p.id = rp.party_id
		LEFT JOIN committee_parties m ON m.party_id = rp.party_id AND m.committee_id = ?
		LEFT JOIN committees cm ON cm.id = m.committee_id
		WHERE rp.remiss_id = ?
		GROUP BY rp.party_id, p.name, p.slug, rp.reminded_at, cm.host_party_id
		ORDER BY CASE WHEN cm.host_party_id = rp.party_id THEN 0 ELSE 1 END, MIN(m.position), p.name`, r.CommitteeID, id); err != nil {
		return domain.Remiss{}, fmt.Errorf("read remiss parties: %w", err)
	}
	byID, err := c.documentsByID(ctx, r.CaseID)
	if err != nil {
		return domain.Remiss{}, err
	}
	var sent []int64
	if err := c.db.Select(ctx, &sent, `SELECT document_id FROM remiss_documents WHERE remiss_id = ? ORDER BY document_id`, id); err != nil {
		return domain.Remiss{}, fmt.Errorf("read remiss documents: %w", err)
	}
	for _, d := range sent {
		out.Documents = append(out.Documents, byID[d])
	}
	answers, err := c.answers(ctx, id, 0, byID)
	if err != nil {
		return domain.Remiss{}, err
	}
	for _, p := range parties {
		rp := domain.RemissParty{PartyID: p.PartyID, PartyName: p.Name, PartySlug: p.Slug}
		if p.RemindedAt.Valid {
			rp.RemindedAt = p.RemindedAt.Time.UTC()
		}
		for _, a := range answers { // oldest first: the last is in force
			if a.PartyID == p.PartyID {
				if a.Version == 1 {
					rp.FirstReceivedOn, rp.FirstAnswerID = a.ReceivedOn, a.ID
				}
				rp.Answer = &a
			}
		}
		out.Parties = append(out.Parties, rp)
	}
	return out, nil
}

// answers reads a remiss's answers (of one party, or all when partyID is
// 0), oldest first, with their documents from byID.
func (c Remisser) answers(ctx context.Context, remissID, partyID int64, byID map[int64]domain.CaseDocument) ([]domain.RemissAnswer, error) {
	q := `SELECT id, remiss_id, party_id, version, position, comments, decision_body, decision_date, decision_paragraph,
		received_on, answered_at, answered_by_user, answered_by FROM remiss_answers WHERE remiss_id = ?`
	args := []any{remissID}
	if partyID != 0 {
		q += ` AND party_id = ?`
		args = append(args, partyID)
	}
	var rows []answerRow
	if err := c.db.Select(ctx, &rows, q+` ORDER BY party_id, version`, args...); err != nil {
		return nil, fmt.Errorf("read remiss answers: %w", err)
	}
	var links []struct {
		AnswerID   int64 `db:"answer_id"`
		DocumentID int64 `db:"document_id"`
	}
	if err := c.db.Select(ctx, &links, `SELECT ad.answer_id, ad.document_id FROM remiss_answer_documents ad
		JOIN remiss_answers a ON a.id = ad.answer_id WHERE a.remiss_id = ? ORDER BY ad.document_id`, remissID); err != nil {
		return nil, fmt.Errorf("read remiss answer documents: %w", err)
	}
	out := sqlconn.MapRows(rows, answerRow.domain)
	for i := range out {
		for _, l := range links {
			if l.AnswerID == out[i].ID {
				out[i].Documents = append(out[i].Documents, byID[l.DocumentID])
			}
		}
	}
	return out, nil
}

// RemissHistory returns every version of a party's answer, oldest first.
func (c Remisser) RemissHistory(ctx context.Context, remissID, partyID int64) ([]domain.RemissAnswer, error) {
	r, err := c.Remiss(ctx, remissID)
	if err != nil {
		return nil, err
	}
	byID, err := c.documentsByID(ctx, r.CaseID)
	if err != nil {
		return nil, err
	}
	return c.answers(ctx, remissID, partyID, byID)
}

// documentsByID are the case's documents (without content) by id.
func (c Remisser) documentsByID(ctx context.Context, caseID int64) (map[int64]domain.CaseDocument, error) {
	docs, err := cases.New(c.db).CaseDocuments(ctx, caseID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]domain.CaseDocument, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	return byID, nil
}

// CaseRemisser lists a case's remisser, oldest first, each as Remiss reads
// it.
func (c Remisser) CaseRemisser(ctx context.Context, caseID int64) ([]domain.Remiss, error) {
	var ids []int64
	if err := c.db.Select(ctx, &ids, `SELECT id FROM remisser WHERE case_id = ? ORDER BY id`, caseID); err != nil {
		return nil, fmt.Errorf("read remisser of case: %w", err)
	}
	out := make([]domain.Remiss, 0, len(ids))
	for _, id := range ids {
		r, err := c.Remiss(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AnswerRemiss records a party's answer on day today as a new version: the
// first answer, or a change of an earlier one (which stays as history). The
// new version keeps the earlier version's documents and adds newDocuments
// (documents already filed in the case). It is refused after the last day
// (ECONFLICT) and for a party the remiss was not sent to (EFORBIDDEN).
func (c Remisser) AnswerRemiss(ctx context.Context, remissID, partyID int64, a domain.RemissAnswer, newDocuments []int64, today domain.Date) (domain.RemissAnswer, error) {
	r, err := c.Remiss(ctx, remissID)
	if err != nil {
		return domain.RemissAnswer{}, err
	}
	p, ok := r.Party(partyID)
	if !ok {
		return domain.RemissAnswer{}, domain.Errorf(domain.EFORBIDDEN, "Remissen om %s är inte skickad till den parten.", r.CaseNumber)
	}
	if !r.Open(today) {
		return domain.RemissAnswer{}, domain.Errorf(domain.ECONFLICT, "Sista svarsdag för remissen om %s var %s. Svaret kan inte längre lämnas eller ändras.", r.CaseNumber, r.LastDay)
	}
	if err := domain.CheckRemissAnswer(&a, today); err != nil {
		return domain.RemissAnswer{}, err
	}
	if a.ReceivedOn.Before(r.SentOn) {
		return domain.RemissAnswer{}, domain.FieldErrorf("received_on", "Svaret kan inte ha kommit in före remissen skickades (%s).", r.SentOn)
	}
	version := 1
	var keep []int64
	if p.Answer != nil {
		version = p.Answer.Version + 1
		for _, d := range p.Answer.Documents {
			keep = append(keep, d.ID)
		}
	}
	actor := domain.ActorFrom(ctx)
	id, err := c.db.Insert(ctx, `INSERT INTO remiss_answers (remiss_id, party_id, version, position, comments, decision_body,
		decision_date, decision_paragraph, received_on, answered_at, answered_by_user, answered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		remissID, partyID, version, string(a.Position), a.Comments, a.DecisionBody, sqlconn.Date(a.DecisionDate),
		a.DecisionParagraph, sqlconn.Date(a.ReceivedOn), c.db.Now(), sqlconn.NullID(actor.UserID), actor.Label)
	if err != nil {
		if sqlconn.IsUniqueViolation(err) {
			return domain.RemissAnswer{}, domain.Errorf(domain.ECONFLICT, "Partens svar ändrades samtidigt av någon annan. Läs in sidan och försök igen.")
		}
		return domain.RemissAnswer{}, fmt.Errorf("store remiss answer: %w", err)
	}
	for _, d := range newDocuments {
		var n int
		if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM case_documents WHERE id = ? AND case_id = ?`, d, r.CaseID); err != nil {
			return domain.RemissAnswer{}, fmt.Errorf("check document: %w", err)
		}
		if n == 0 {
			return domain.RemissAnswer{}, domain.FieldErrorf("file", "Handling %d finns inte i ärendet %s.", d, r.CaseNumber)
		}
		if !slices.Contains(keep, d) {
			keep = append(keep, d)
		}
	}
	for _, d := range keep {
		if _, err := c.db.Exec(ctx, `INSERT INTO remiss_answer_documents (answer_id, document_id) VALUES (?, ?)`, id, d); err != nil {
			return domain.RemissAnswer{}, fmt.Errorf("store remiss answer document: %w", err)
		}
	}
	verb := "Remissvar"
	if version > 1 {
		verb = "Ändrat remissvar"
	}
	if err := cases.AddEvent(ctx, c.db, domain.CaseEvent{CaseID: r.CaseID, Kind: domain.CaseEventRemiss,
		Note: fmt.Sprintf("%s från %s: %s", verb, p.PartyName, a.Position.Label())}); err != nil {
		return domain.RemissAnswer{}, err
	}
	after, err := c.Remiss(ctx, remissID)
	if err != nil {
		return domain.RemissAnswer{}, err
	}
	np, _ := after.Party(partyID)
	var before any
	if p.Answer != nil {
		before = answerAudit(p, *p.Answer)
	}
	if err := c.db.Audit(ctx, "answer", "remiss", remissID, before, answerAudit(np, *np.Answer)); err != nil {
		return domain.RemissAnswer{}, err
	}
	return *np.Answer, nil
}

func answerAudit(p domain.RemissParty, a domain.RemissAnswer) map[string]any {
	docs := []int64{}
	for _, d := range a.Documents {
		docs = append(docs, d.ID)
	}
	return map[string]any{"party": p.PartyName, "version": a.Version, "position": a.Position, "comments": a.Comments,
		"decision_body": a.DecisionBody, "decision_date": a.DecisionDate.String(), "decision_paragraph": a.DecisionParagraph,
		"received_on": a.ReceivedOn.String(), "documents": docs}
}

// SetRemissSummary saves the secretariat's summary of the answers; the
// audit trail keeps the earlier text.
func (c Remisser) SetRemissSummary(ctx context.Context, remissID int64, summary string) (domain.Remiss, error) {
	before, err := c.Remiss(ctx, remissID)
	if err != nil {
		return domain.Remiss{}, err
	}
	summary, err = domain.CheckRemissSummary(summary)
	if err != nil {
		return domain.Remiss{}, err
	}
	if summary == before.Summary {
		return before, nil
	}
	if _, err := c.db.Exec(ctx, `UPDATE remisser SET summary = ? WHERE id = ?`, summary, remissID); err != nil {
		return domain.Remiss{}, fmt.Errorf("save remiss summary: %w", err)
	}
	if err := c.db.Audit(ctx, "update_summary", "remiss", remissID, map[string]string{"summary": before.Summary},
		map[string]string{"summary": summary}); err != nil {
		return domain.Remiss{}, err
	}
	after := before
	after.Summary = summary
	return after, nil
}

// RemissReminder is one party of a remiss that has not answered and is due
// a reminder.
type RemissReminder struct {
	RemissID int64
	PartyID  int64
}

// RemissRemindersDue lists, for day today, the parties that have not
// answered a remiss whose last day is at most domain.RemissReminderDays
// away and not passed, sent before today, and that have not been reminded.
func (c Remisser) RemissRemindersDue(ctx context.Context, today domain.Date) ([]RemissReminder, error) {
	var rows []struct {
		RemissID int64 `db:"remiss_id"`
		PartyID  int64 `db:"party_id"`
	}
	err := c.db.Select(ctx, &rows, `SELECT rp.remiss_id, rp.party_id FROM remiss_parties rp JOIN remisser r ON r.id = rp.remiss_id
		WHERE rp.reminded_at IS NULL AND r.last_day >= ? AND r.last_day <= ? AND r.sent_on < ?
		AND NOT EXISTS (SELECT 1 FROM remiss_answers a WHERE a.remiss_id = rp.remiss_id AND a.party_id = rp.party_id)
		ORDER BY rp.remiss_id, rp.party_id`,
		sqlconn.Date(today), sqlconn.Date(today.AddDays(domain.RemissReminderDays)), sqlconn.Date(today))
	if err != nil {
		return nil, fmt.Errorf("read remiss reminders due: %w", err)
	}
	out := make([]RemissReminder, len(rows))
	for i, r := range rows {
		out[i] = RemissReminder{RemissID: r.RemissID, PartyID: r.PartyID}
	}
	return out, nil
}

// MarkRemissReminded records that the party was reminded; it reports
// whether this call did it (false when another already had).
func (c Remisser) MarkRemissReminded(ctx context.Context, remissID, partyID int64) (bool, error) {
	res, err := c.db.Exec(ctx, `UPDATE remiss_parties SET reminded_at = ? WHERE remiss_id = ? AND party_id = ? AND reminded_at IS NULL`,
		c.db.Now(), remissID, partyID)
	if err != nil {
		return false, fmt.Errorf("mark remiss reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
