package minutes

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/meetings"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// isLockedMinutes reports whether err is a database trigger refusing a
// change to locked minutes: the store checks first, the trigger is the last
// line when another transaction locked the minutes in between.
func isLockedMinutes(err error) bool {
	return err != nil && strings.Contains(err.Error(), "justerade) and locked")
}

// openMinutes returns a meeting whose minutes may be written: it exists, is
// not cancelled and not locked. It first writes the meeting's row without
// changing it, so the row stays locked to this transaction: a justering that
// would lock the minutes waits until this change is committed, and sees it.
func (c Minutes) openMinutes(ctx context.Context, meetingID int64) (meeting.Meeting, error) {
	if _, err := c.db.Exec(ctx, `UPDATE meetings SET locked_at = locked_at WHERE id = ? AND locked_at IS NULL`, meetingID); err != nil {
		return meeting.Meeting{}, fmt.Errorf("minutes of meeting %d: %w", meetingID, err)
	}
	m, err := c.meetings().MeetingByID(ctx, meetingID)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if err := m.MinutesOpen(); err != nil {
		return meeting.Meeting{}, err
	}
	return m, nil
}

type paragraphRow struct {
	ID                int64          `db:"id"`
	CommitteeID       int64          `db:"committee_id"`
	MeetingID         int64          `db:"meeting_id"`
	Year              int            `db:"year"`
	Number            int            `db:"number"`
	AgendaItemID      sql.NullInt64  `db:"agenda_item_id"`
	CaseID            sql.NullInt64  `db:"case_id"`
	CaseCode          sql.NullString `db:"case_code"`
	CaseYear          sql.NullInt64  `db:"case_year"`
	CaseSeq           sql.NullInt64  `db:"case_seq"`
	Title             string         `db:"title"`
	Summary           string         `db:"summary"`
	Proposal          string         `db:"proposal"`
	PropositionOrder  string         `db:"proposition_order"`
	PropositionResult string         `db:"proposition_result"`
	Decision          string         `db:"decision"`
	Reservations      string         `db:"reservations"`
	DispatchTo        string         `db:"dispatch_to"`
	Basis             string         `db:"basis"`
	VotesYes          sql.NullInt64  `db:"votes_yes"`
	VotesNo           sql.NullInt64  `db:"votes_no"`
	VotesAbstain      sql.NullInt64  `db:"votes_abstain"`
	SecretBallot      bool           `db:"secret_ballot"`
	CreatedAt         time.Time      `db:"created_at"`
	UpdatedAt         time.Time      `db:"updated_at"`
}

const paragraphSelect = `SELECT p.id, p.committee_id, p.meeting_id, p.year, p.number, p.agenda_item_id, p.case_id,
	kc.code AS case_code, k.year AS case_year, k.seq AS case_seq, p.title, p.summary, p.proposal, p.proposition_order,
	p.proposition_result, p.decision, p.reservations, p.dispatch_to, p.basis, p.votes_yes, p.votes_no, p.votes_abstain,
	p.secret_ballot, p.created_at, p.updated_at
	FROM paragraphs p LEFT JOIN cases k ON k.id = p.case_id LEFT JOIN committees kc ON kc.id = k.committee_id`

func (r paragraphRow) domain() meeting.Paragraph {
	p := meeting.Paragraph{
		ID: r.ID, CommitteeID: r.CommitteeID, MeetingID: r.MeetingID, Year: r.Year, Number: r.Number,
		AgendaItemID: r.AgendaItemID.Int64, CaseID: r.CaseID.Int64, Title: r.Title, Summary: r.Summary, Proposal: r.Proposal,
		PropositionOrder: r.PropositionOrder, PropositionResult: r.PropositionResult, Decision: r.Decision,
		Reservations: r.Reservations, DispatchTo: meetings.DecodeRecipients(r.DispatchTo), Basis: r.Basis,
		SecretBallot: r.SecretBallot, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.CaseCode.Valid {
		p.CaseNumber = domain.CaseNumber{Prefix: r.CaseCode.String, Year: int(r.CaseYear.Int64), Seq: int(r.CaseSeq.Int64)}.String()
	}
	if r.VotesYes.Valid {
		p.Count = &meeting.VoteCount{Yes: int(r.VotesYes.Int64), No: int(r.VotesNo.Int64), Abstain: int(r.VotesAbstain.Int64)}
	}
	return p
}

// paragraphAudit is how a paragraph appears in the audit trail.
type paragraphAudit struct {
	Ref               string            `json:"paragraph"`
	MeetingID         int64             `json:"meeting_id"`
	AgendaItemID      int64             `json:"agenda_item_id,omitempty"`
	Case              string            `json:"case,omitempty"`
	Title             string            `json:"title"`
	Summary           string            `json:"summary,omitempty"`
	Proposal          string            `json:"proposal,omitempty"`
	Motions           []string          `json:"motions,omitempty"`
	PropositionOrder  string            `json:"proposition_order,omitempty"`
	PropositionResult string            `json:"proposition_result,omitempty"`
	Votes             map[string]string `json:"votes,omitempty"`
	SecretBallot      string            `json:"secret_ballot,omitempty"`
	Decision          string            `json:"decision,omitempty"`
	Reservations      string            `json:"reservations,omitempty"`
	DispatchTo        []string          `json:"dispatch_to,omitempty"`
	Basis             string            `json:"basis,omitempty"`
}

func auditOfParagraph(p meeting.Paragraph) paragraphAudit {
	a := paragraphAudit{Ref: p.Ref(), MeetingID: p.MeetingID, AgendaItemID: p.AgendaItemID, Case: p.CaseNumber, Title: p.Title,
		Summary: p.Summary, Proposal: p.Proposal, PropositionOrder: p.PropositionOrder, PropositionResult: p.PropositionResult,
		Decision: p.Decision, Reservations: p.Reservations, DispatchTo: meetings.RecipientCodes(p.DispatchTo), Basis: p.Basis}
	for _, m := range p.Motions {
		a.Motions = append(a.Motions, m.MemberName+": "+m.Text)
	}
	if p.SecretBallot && p.Count != nil {
		a.SecretBallot = p.Count.String()
	}
	if len(p.Votes) > 0 {
		a.Votes = map[string]string{}
		for id, v := range p.Votes {
			a.Votes[fmt.Sprint(id)] = string(v)
		}
	}
	return a
}

// CreateParagraph writes a new paragraph (§) into a meeting's minutes and
// gives it the next number of the committee's year (the year of the
// meeting's date): one atomic upsert on the committee's paragraph counter in
// this transaction, so simultaneous paragraphs get distinct, consecutive
// numbers and a refused paragraph leaves no gap. The paragraph may come from
// an item of the meeting's föredragningslista (p.AgendaItemID), which gives
// it its case; an item gets one paragraph. Yrkanden must come from members
// serving at the paragraph; a votering (p.Votes) must hold exactly one vote
// of each member serving at it, and is counted. The paragraph's case moves to
// beslutat with a timeline entry naming the paragraph, or is closed when
// closeCase is set (as when the decision ends the case: "ärendet
// avslutas"). A cancelled meeting or locked minutes are not written to
// (ECONFLICT).
func (c Minutes) CreateParagraph(ctx context.Context, p meeting.Paragraph, closeCase bool) (meeting.Paragraph, error) {
	m, err := c.openMinutes(ctx, p.MeetingID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	k, err := c.checkParagraphLinks(ctx, m, &p)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if k.ID != 0 && k.Closed() {
		return meeting.Paragraph{}, domain.FieldErrorf("case", "Ärendet %s är avslutat. Återöppna det innan ett nytt beslut protokollförs.", k.Number)
	}
	if err := p.Normalize(); err != nil {
		return meeting.Paragraph{}, err
	}
	p.Year = m.Date.Year
	if err := c.db.Get(ctx, &p.Number, `INSERT INTO paragraph_counters (committee_id, year, last_number) VALUES (?, ?, 1)
		ON CONFLICT (committee_id, year) DO UPDATE SET last_number = paragraph_counters.last_number + 1
		RETURNING last_number`, m.CommitteeID, p.Year); err != nil {
		return meeting.Paragraph{}, fmt.Errorf("create paragraph: next number: %w", err)
	}
	stored, err := c.insertParagraph(ctx, m, p, "create")
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if k.ID != 0 {
		note := fmt.Sprintf("Beslut i %s, sammanträdet den %s.", stored.Ref(), m.Date)
		switch {
		case closeCase:
			_, err = cases.ChangeStatus(ctx, c.db, k, domain.CaseClosed, domain.CaseEventClosed, note, "close")
		case k.Status != domain.CaseDecided:
			_, err = cases.ChangeStatus(ctx, c.db, k, domain.CaseDecided, domain.CaseEventStatusChanged, note, "set_status")
		}
		if err != nil {
			return meeting.Paragraph{}, err
		}
	}
	return stored, nil
}

// ImportParagraph writes a paragraph of historical minutes under the number
// it has in the paper minutes (p.Number, e.g. § 38 of 2019). The number must
// be free in the committee's year: a taken number is refused (ECONFLICT on
// the field "number"). The counter is raised to at least the number, so a
// paragraph created later never gets a taken number. The case's status is
// left as it is: the import records history, it does not decide anything.
func (c Minutes) ImportParagraph(ctx context.Context, p meeting.Paragraph) (meeting.Paragraph, error) {
	m, err := c.openMinutes(ctx, p.MeetingID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if p.Number < 1 || p.Number > 9999 {
		return meeting.Paragraph{}, domain.FieldErrorf("number", "Ange paragrafens nummer i originalprotokollet, 1–9999.")
	}
	if _, err := c.checkParagraphLinks(ctx, m, &p); err != nil {
		return meeting.Paragraph{}, err
	}
	if err := p.Normalize(); err != nil {
		return meeting.Paragraph{}, err
	}
	p.Year = m.Date.Year
	// The counter first: its row lock orders this import after (or before)
	// any new paragraph of the same year.
	if _, err := c.db.Exec(ctx, `INSERT INTO paragraph_counters (committee_id, year, last_number) VALUES (?, ?, ?)
		ON CONFLICT (committee_id, year) DO UPDATE SET last_number =
			CASE WHEN paragraph_counters.last_number < excluded.last_number THEN excluded.last_number ELSE paragraph_counters.last_number END`,
		m.CommitteeID, p.Year, p.Number); err != nil {
		return meeting.Paragraph{}, fmt.Errorf("import paragraph: counter: %w", err)
	}
	var taken int
	if err := c.db.Get(ctx, &taken, `SELECT COUNT(*) FROM paragraphs WHERE committee_id = ? AND year = ? AND number = ?`,
		m.CommitteeID, p.Year, p.Number); err != nil {
		return meeting.Paragraph{}, fmt.Errorf("import paragraph: %w", err)
	}
	if taken > 0 {
		return meeting.Paragraph{}, errParagraphTaken(p.Number, p.Year)
	}
	return c.insertParagraph(ctx, m, p, "import")
}

func errParagraphTaken(number, year int) error {
	return &domain.Error{Code: domain.ECONFLICT, Field: "number",
		Message: fmt.Sprintf("%s finns redan i nämndens protokoll. Ett paragrafnummer används en gång per år.", meeting.ParagraphRef(number, year))}
}

// checkParagraphLinks checks the agenda item and case a paragraph is tied
// to, taking the case from the item, and returns the case (zero for none).
func (c Minutes) checkParagraphLinks(ctx context.Context, m meeting.Meeting, p *meeting.Paragraph) (domain.Case, error) {
	p.CommitteeID = m.CommitteeID
	if p.AgendaItemID != 0 {
		it, err := c.meetings().AgendaItemByID(ctx, p.AgendaItemID)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && it.MeetingID != m.ID) {
			return domain.Case{}, domain.FieldErrorf("agenda_item", "Punkten finns inte på sammanträdets föredragningslista.")
		}
		if err != nil {
			return domain.Case{}, err
		}
		if it.Status != meeting.AgendaActive {
			return domain.Case{}, domain.FieldErrorf("agenda_item", "Punkten %q är återtagen eller flyttad och kan inte protokollföras här.", it.Title)
		}
		if p.CaseID != 0 && p.CaseID != it.CaseID {
			return domain.Case{}, domain.FieldErrorf("case", "Paragrafen hör till punktens ärende %s.", it.CaseNumber)
		}
		p.CaseID = it.CaseID
		var used int
		if err := c.db.Get(ctx, &used, `SELECT COUNT(*) FROM paragraphs WHERE agenda_item_id = ? AND id <> ?`, it.ID, p.ID); err != nil {
			return domain.Case{}, fmt.Errorf("paragraph of agenda item: %w", err)
		}
		if used > 0 {
			return domain.Case{}, &domain.Error{Code: domain.ECONFLICT, Field: "agenda_item",
				Message: fmt.Sprintf("Punkten %q är redan protokollförd i en paragraf.", it.Title)}
		}
	}
	if p.CaseID == 0 {
		return domain.Case{}, nil
	}
	k, err := c.cases().CaseByID(ctx, p.CaseID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && k.CommitteeID != m.CommitteeID) {
		return domain.Case{}, domain.FieldErrorf("case", "Ärendet finns inte bland nämndens ärenden.")
	}
	return k, err
}

// checkParagraphPeople checks a paragraph's recipients, yrkanden and
// votering against the committee and the meeting's attendance, fills in the
// yrkande makers' names and counts the votes.
func (c Minutes) checkParagraphPeople(ctx context.Context, m meeting.Meeting, p *meeting.Paragraph) error {
	var err error
	if p.DispatchTo, err = c.meetings().CheckRecipients(ctx, m.CommitteeID, p.DispatchTo); err != nil {
		return err
	}
	if p.SecretBallot {
		// A sluten omröstning keeps its counts (from a closed live vote)
		// and no member's vote.
		if len(p.Votes) > 0 || p.Count == nil {
			return domain.FieldErrorf("votes", "En sluten omröstning redovisar bara antalet röster, inte hur var och en röstade.")
		}
	}
	if len(p.Motions) == 0 && len(p.Votes) == 0 {
		if !p.SecretBallot {
			p.Count = nil
		}
		return nil
	}
	attendance, err := c.meetings().Attendance(ctx, m.ID)
	if err != nil {
		return err
	}
	recorded := false
	names := map[int64]string{}
	members := map[int64]domain.Member{}
	for _, a := range attendance {
		recorded = recorded || a.Present
		names[a.MemberID], members[a.MemberID] = a.Member.DisplayName(), a.Member
	}
	serving := meeting.ServingAtParagraph(attendance, *p)
	isServing := map[int64]bool{}
	for _, id := range serving {
		isServing[id] = true
	}
	for i := range p.Motions {
		mo := &p.Motions[i]
		mb, ok := members[mo.MemberID]
		if !ok {
			mb, err = c.registry().MemberByID(ctx, m.CommitteeID, mo.MemberID)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.FieldErrorf("motions", "Yrkande %d: ledamoten finns inte i nämnden.", i+1)
			}
			if err != nil {
				return err
			}
		}
		mo.MemberName = mb.DisplayName()
		switch {
		case recorded && !isServing[mb.ID]:
			return domain.FieldErrorf("motions", "Yrkande %d: %s tjänstgör inte vid %s och kan inte yrka.", i+1, mb.DisplayName(), p.Ref())
		case !recorded && !mb.ActiveOn(m.Date):
			return domain.FieldErrorf("motions", "Yrkande %d: %s var inte ledamot eller ersättare den %s.", i+1, mb.DisplayName(), m.Date)
		}
	}
	if len(p.Votes) == 0 {
		if !p.SecretBallot {
			p.Count = nil
		}
		return nil
	}
	if !recorded {
		return domain.FieldErrorf("votes", "Registrera närvaron vid sammanträdet innan en votering förs in: rösterna räknas mot de tjänstgörande ledamöterna.")
	}
	count, err := meeting.CountVotes(serving, p.Votes, names)
	if err != nil {
		return err
	}
	p.Count = &count
	return nil
}

// insertParagraph stores a checked paragraph with its yrkanden and votes.
func (c Minutes) insertParagraph(ctx context.Context, m meeting.Meeting, p meeting.Paragraph, action string) (meeting.Paragraph, error) {
	if err := c.checkParagraphPeople(ctx, m, &p); err != nil {
		return meeting.Paragraph{}, err
	}
	at := c.db.Now()
	yes, no, abstain := voteColumns(p.Count)
	id, err := c.db.Insert(ctx, `INSERT INTO paragraphs (committee_id, meeting_id, year, number, agenda_item_id, case_id, title, summary,
		proposal, proposition_order, proposition_result, decision, reservations, dispatch_to, basis, votes_yes, votes_no, votes_abstain,
		secret_ballot, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.CommitteeID, m.ID, p.Year, p.Number, sqlconn.NullID(p.AgendaItemID), sqlconn.NullID(p.CaseID), p.Title, p.Summary, p.Proposal,
		p.PropositionOrder, p.PropositionResult, p.Decision, p.Reservations, meetings.EncodeRecipients(p.DispatchTo), p.Basis,
		yes, no, abstain, p.SecretBallot, at, at)
	switch {
	case sqlconn.IsUniqueViolation(err):
		return meeting.Paragraph{}, errParagraphTaken(p.Number, p.Year)
	case isLockedMinutes(err):
		return meeting.Paragraph{}, meeting.ErrMinutesLocked(m)
	case err != nil:
		return meeting.Paragraph{}, fmt.Errorf("store paragraph %s: %w", p.Ref(), err)
	}
	if err := c.writeMotionsAndVotes(ctx, id, p); err != nil {
		return meeting.Paragraph{}, err
	}
	stored, err := c.ParagraphByID(ctx, id)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if err := c.db.Audit(ctx, action, "paragraph", id, nil, auditOfParagraph(stored)); err != nil {
		return meeting.Paragraph{}, err
	}
	return stored, nil
}

func voteColumns(count *meeting.VoteCount) (yes, no, abstain sql.NullInt64) {
	if count == nil {
		return
	}
	return sql.NullInt64{Int64: int64(count.Yes), Valid: true}, sql.NullInt64{Int64: int64(count.No), Valid: true},
		sql.NullInt64{Int64: int64(count.Abstain), Valid: true}
}

// writeMotionsAndVotes replaces a paragraph's yrkanden and votes with p's.
func (c Minutes) writeMotionsAndVotes(ctx context.Context, paragraphID int64, p meeting.Paragraph) error {
	for _, q := range []string{`DELETE FROM motions WHERE paragraph_id = ?`, `DELETE FROM votes WHERE paragraph_id = ?`} {
		if _, err := c.db.Exec(ctx, q, paragraphID); err != nil {
			return fmt.Errorf("paragraph %s: %w", p.Ref(), err)
		}
	}
	for i, mo := range p.Motions {
		if _, err := c.db.Exec(ctx, `INSERT INTO motions (paragraph_id, position, member_id, text) VALUES (?, ?, ?, ?)`,
			paragraphID, i+1, mo.MemberID, mo.Text); err != nil {
			return fmt.Errorf("yrkande of %s: %w", p.Ref(), err)
		}
	}
	ids := make([]int64, 0, len(p.Votes))
	for id := range p.Votes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if _, err := c.db.Exec(ctx, `INSERT INTO votes (paragraph_id, member_id, vote) VALUES (?, ?, ?)`, paragraphID, id, string(p.Votes[id])); err != nil {
			return fmt.Errorf("vote in %s: %w", p.Ref(), err)
		}
	}
	return nil
}

// UpdateParagraph changes a paragraph of minutes that are not yet locked:
// its title and texts, yrkanden, votering and recipients, with the checks of
// CreateParagraph. Its number, meeting, agenda item and case stay. Locked
// minutes are refused (ECONFLICT), and the database refuses them too.
// Nothing is recorded when nothing changes.
func (c Minutes) UpdateParagraph(ctx context.Context, p meeting.Paragraph) (meeting.Paragraph, error) {
	before, err := c.ParagraphByID(ctx, p.ID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	m, err := c.openMinutes(ctx, before.MeetingID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	p.CommitteeID, p.MeetingID, p.Year, p.Number = before.CommitteeID, before.MeetingID, before.Year, before.Number
	p.AgendaItemID, p.CaseID, p.CaseNumber = before.AgendaItemID, before.CaseID, before.CaseNumber
	p.Jav, p.Notes = before.Jav, before.Notes
	if before.SecretBallot && !p.SecretBallot && len(p.Votes) == 0 && p.Count == nil {
		// The paragraph form does not show a sluten omröstning's counts:
		// an edit keeps them.
		p.SecretBallot, p.Count = true, before.Count
	}
	if err := p.Normalize(); err != nil {
		return meeting.Paragraph{}, err
	}
	if err := c.checkParagraphPeople(ctx, m, &p); err != nil {
		return meeting.Paragraph{}, err
	}
	beforeAudit, afterAudit := auditOfParagraph(before), auditOfParagraph(p)
	if reflect.DeepEqual(beforeAudit, afterAudit) {
		return before, nil
	}
	yes, no, abstain := voteColumns(p.Count)
	_, err = c.db.Exec(ctx, `UPDATE paragraphs SET title = ?, summary = ?, proposal = ?, proposition_order = ?, proposition_result = ?,
		decision = ?, reservations = ?, dispatch_to = ?, basis = ?, votes_yes = ?, votes_no = ?, votes_abstain = ?, secret_ballot = ?,
		updated_at = ? WHERE id = ?`, p.Title, p.Summary, p.Proposal, p.PropositionOrder, p.PropositionResult, p.Decision, p.Reservations,
		meetings.EncodeRecipients(p.DispatchTo), p.Basis, yes, no, abstain, p.SecretBallot, c.db.Now(), p.ID)
	if isLockedMinutes(err) {
		return meeting.Paragraph{}, meeting.ErrMinutesLocked(m)
	}
	if err != nil {
		return meeting.Paragraph{}, fmt.Errorf("update paragraph %s: %w", before.Ref(), err)
	}
	if err := c.writeMotionsAndVotes(ctx, p.ID, p); err != nil {
		return meeting.Paragraph{}, err
	}
	after, err := c.ParagraphByID(ctx, p.ID)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if err := c.db.Audit(ctx, "update", "paragraph", p.ID, beforeAudit, auditOfParagraph(after)); err != nil {
		return meeting.Paragraph{}, err
	}
	return after, nil
}

// ParagraphByID returns a paragraph with its yrkanden and votes, or
// ENOTFOUND.
func (c Minutes) ParagraphByID(ctx context.Context, id int64) (meeting.Paragraph, error) {
	list, err := c.paragraphsWhere(ctx, "p.id = ?", id)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if len(list) == 0 {
		return meeting.Paragraph{}, domain.Errorf(domain.ENOTFOUND, "Paragrafen finns inte.")
	}
	return list[0], nil
}

// MeetingParagraphs returns a meeting's minutes: its paragraphs in number
// order, with yrkanden and votes.
func (c Minutes) MeetingParagraphs(ctx context.Context, meetingID int64) ([]meeting.Paragraph, error) {
	return c.paragraphsWhere(ctx, "p.meeting_id = ?", meetingID)
}

// CaseParagraphs returns the paragraphs that decided in a case, oldest first.
func (c Minutes) CaseParagraphs(ctx context.Context, caseID int64) ([]meeting.Paragraph, error) {
	return c.paragraphsWhere(ctx, "p.case_id = ?", caseID)
}

// ParagraphByNumber returns the committee's paragraph with a number in a
// year, or ENOTFOUND.
func (c Minutes) ParagraphByNumber(ctx context.Context, committeeID int64, year, number int) (meeting.Paragraph, error) {
	list, err := c.paragraphsWhere(ctx, "p.committee_id = ? AND p.year = ? AND p.number = ?", committeeID, year, number)
	if err != nil {
		return meeting.Paragraph{}, err
	}
	if len(list) == 0 {
		return meeting.Paragraph{}, domain.Errorf(domain.ENOTFOUND, "%s finns inte i nämndens protokoll.", meeting.ParagraphRef(number, year))
	}
	return list[0], nil
}

type motionRow struct {
	ID          int64  `db:"id"`
	ParagraphID int64  `db:"paragraph_id"`
	MemberID    int64  `db:"member_id"`
	Name        string `db:"name"`
	Party       string `db:"political_party"`
	Text        string `db:"text"`
}

type voteRow struct {
	ParagraphID int64  `db:"paragraph_id"`
	MemberID    int64  `db:"member_id"`
	Vote        string `db:"vote"`
}

func (c Minutes) paragraphsWhere(ctx context.Context, cond string, args ...any) ([]meeting.Paragraph, error) {
	out, err := c.paragraphHeadsWhere(ctx, cond, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := make(map[int64]*meeting.Paragraph, len(out))
	ids := make([]any, len(out))
	for i := range out {
		byID[out[i].ID], ids[i] = &out[i], out[i].ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	var motions []motionRow
	if err := c.db.Select(ctx, &motions, `SELECT mo.id, mo.paragraph_id, mo.member_id, mb.name, mb.political_party, mo.text
		FROM motions mo JOIN committee_members mb ON mb.id = mo.member_id
		WHERE mo.paragraph_id IN `+in+` ORDER BY mo.paragraph_id, mo.position`, ids...); err != nil {
		return nil, fmt.Errorf("read yrkanden: %w", err)
	}
	for _, r := range motions {
		mb := domain.Member{Name: r.Name, PoliticalParty: r.Party}
		p := byID[r.ParagraphID]
		p.Motions = append(p.Motions, meeting.Motion{ID: r.ID, MemberID: r.MemberID, MemberName: mb.DisplayName(), Text: r.Text})
	}
	var votes []voteRow
	if err := c.db.Select(ctx, &votes, `SELECT paragraph_id, member_id, vote FROM votes WHERE paragraph_id IN `+in, ids...); err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	for _, r := range votes {
		p := byID[r.ParagraphID]
		if p.Votes == nil {
			p.Votes = map[int64]meeting.Vote{}
		}
		p.Votes[r.MemberID] = meeting.Vote(r.Vote)
	}
	if err := c.readJavAndNotes(ctx, byID, in, ids); err != nil {
		return nil, err
	}
	return out, nil
}

// paragraphHeadsWhere is paragraphsWhere without the motions and votes.
func (c Minutes) paragraphHeadsWhere(ctx context.Context, cond string, args ...any) ([]meeting.Paragraph, error) {
	var rows []paragraphRow
	if err := c.db.Select(ctx, &rows, paragraphSelect+" WHERE "+cond+" ORDER BY p.year, p.number", args...); err != nil {
		return nil, fmt.Errorf("read paragraphs: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return domainRows(rows), nil
}

// DispatchedTo lists the paragraphs of approved (justerade) minutes whose
// "expedieras till" names the party or all the committee's parties, newest
// first, with the assignments they gave: what a party representative is sent.
// The paragraphs come without their motions and votes; the decision is what
// is sent (ParagraphByID has the rest).
func (c Minutes) DispatchedTo(ctx context.Context, committeeID int64, partySlug string) ([]meeting.Paragraph, map[int64][]meeting.Assignment, error) {
	list, err := c.paragraphHeadsWhere(ctx, `p.committee_id = ?
		AND p.meeting_id IN (SELECT id FROM meetings WHERE committee_id = ? AND locked_at IS NOT NULL)
		AND (p.dispatch_to LIKE ? OR p.dispatch_to LIKE ?)`,
		committeeID, committeeID, `%"`+meeting.RecipientParties+`"%`, `%"`+meeting.RecipientParty+`:`+partySlug+`"%`)
	if err != nil {
		return nil, nil, err
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	given := map[int64][]meeting.Assignment{}
	if len(list) == 0 {
		return list, given, nil
	}
	ids := make([]any, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	assignments, err := c.assignmentsWhere(ctx, "a.paragraph_id IN "+in, ids...)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range assignments {
		given[a.ParagraphID] = append(given[a.ParagraphID], a)
	}
	return list, given, nil
}
