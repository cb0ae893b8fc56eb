package minutes

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type liveVoteRow struct {
	ID           int64         `db:"id"`
	MeetingID    int64         `db:"meeting_id"`
	ParagraphID  int64         `db:"paragraph_id"`
	Year         int           `db:"year"`
	Number       int           `db:"number"`
	Title        string        `db:"title"`
	Kind         string        `db:"kind"`
	Secret       bool          `db:"secret"`
	Question     string        `db:"question"`
	YesLabel     string        `db:"yes_label"`
	NoLabel      string        `db:"no_label"`
	OpenedAt     time.Time     `db:"opened_at"`
	OpenedBy     string        `db:"opened_by"`
	Status       string        `db:"status"`
	EndedAt      sql.NullTime  `db:"ended_at"`
	EndedBy      string        `db:"ended_by"`
	YesCount     sql.NullInt64 `db:"yes_count"`
	NoCount      sql.NullInt64 `db:"no_count"`
	AbstainCount sql.NullInt64 `db:"abstain_count"`
}

const liveVoteSelect = `SELECT v.id, v.meeting_id, v.paragraph_id, p.year, p.number, p.title, v.kind, v.secret, v.question,
	v.yes_label, v.no_label, v.opened_at, v.opened_by, v.status, v.ended_at, v.ended_by, v.yes_count, v.no_count, v.abstain_count
	FROM live_votes v JOIN paragraphs p ON p.id = v.paragraph_id`

func (r liveVoteRow) domain() meeting.LiveVote {
	v := meeting.LiveVote{ID: r.ID, MeetingID: r.MeetingID, ParagraphID: r.ParagraphID, Paragraph: meeting.ParagraphRef(r.Number, r.Year),
		ParagraphNumber: r.Number, ParagraphTitle: r.Title, Kind: meeting.VoteKind(r.Kind), Secret: r.Secret, Question: r.Question,
		YesLabel: r.YesLabel, NoLabel: r.NoLabel, OpenedAt: r.OpenedAt.UTC(), OpenedBy: r.OpenedBy, Status: meeting.VoteStatus(r.Status),
		EndedBy: r.EndedBy}
	if r.EndedAt.Valid {
		v.EndedAt = r.EndedAt.Time.UTC()
	}
	if r.YesCount.Valid {
		v.Count = &meeting.VoteCount{Yes: int(r.YesCount.Int64), No: int(r.NoCount.Int64), Abstain: int(r.AbstainCount.Int64)}
	}
	return v
}

// liveVoteAudit is how a live vote appears in the audit trail.
type liveVoteAudit struct {
	Paragraph string `json:"paragraph"`
	Kind      string `json:"kind"`
	Secret    bool   `json:"secret,omitempty"`
	Question  string `json:"question"`
	Status    string `json:"status"`
	Result    string `json:"result,omitempty"`
}

func auditOfLiveVote(v meeting.LiveVote) liveVoteAudit {
	a := liveVoteAudit{Paragraph: v.Paragraph, Kind: string(v.Kind), Secret: v.Secret, Question: v.Question, Status: string(v.Status)}
	if v.Count != nil {
		a.Result = v.Count.String()
	}
	return a
}

func (c Minutes) liveVotesWhere(ctx context.Context, cond string, args ...any) ([]meeting.LiveVote, error) {
	var rows []liveVoteRow
	if err := c.db.Select(ctx, &rows, liveVoteSelect+" WHERE "+cond+" ORDER BY v.id", args...); err != nil {
		return nil, fmt.Errorf("read live votes: %w", err)
	}
	return domainRows(rows), nil
}

var errNoLiveVote = domain.Errorf(domain.ENOTFOUND, "Voteringen finns inte.")

// LiveVoteByID returns a live vote, or ENOTFOUND.
func (c Minutes) LiveVoteByID(ctx context.Context, id int64) (meeting.LiveVote, error) {
	list, err := c.liveVotesWhere(ctx, "v.id = ?", id)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	if len(list) == 0 {
		return meeting.LiveVote{}, errNoLiveVote
	}
	return list[0], nil
}

// MeetingLiveVotes returns a meeting's live votes, oldest first.
func (c Minutes) MeetingLiveVotes(ctx context.Context, meetingID int64) ([]meeting.LiveVote, error) {
	return c.liveVotesWhere(ctx, "v.meeting_id = ?", meetingID)
}

// OpenLiveVotesForUser returns the open live votes in the committees where
// the user is linked to a member: what a member's start page offers. Whether
// the member serves at each is for CheckVoter.
func (c Minutes) OpenLiveVotesForUser(ctx context.Context, userID int64) ([]meeting.LiveVote, error) {
	return c.liveVotesWhere(ctx, `v.status = 'open' AND p.committee_id IN (SELECT committee_id FROM committee_members WHERE user_id = ?)`, userID)
}

// LiveBallots returns the ballots of a live vote by member id. A closed
// secret vote has none left: only its counts.
func (c Minutes) LiveBallots(ctx context.Context, voteID int64) (map[int64]meeting.Vote, error) {
	var rows []struct {
		MemberID int64          `db:"member_id"`
		Choice   sql.NullString `db:"choice"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT member_id, choice FROM live_ballots WHERE vote_id = ?`, voteID); err != nil {
		return nil, fmt.Errorf("ballots of vote %d: %w", voteID, err)
	}
	out := make(map[int64]meeting.Vote, len(rows))
	for _, r := range rows {
		if r.Choice.Valid {
			out[r.MemberID] = meeting.Vote(r.Choice.String)
		}
	}
	return out, nil
}

// OpenLiveVote opens a vote on a paragraph's proposition, or between two of
// its yrkanden (first and second, by yrkande id), for the members serving at
// it to cast from their own devices; secret makes it a sluten omröstning. The
// attendance must be recorded, and one vote at a time is open on a
// paragraph (ECONFLICT).
func (c Minutes) OpenLiveVote(ctx context.Context, paragraphID int64, kind meeting.VoteKind, secret bool, first, second int64) (meeting.LiveVote, error) {
	p, m, err := c.openParagraph(ctx, paragraphID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	v, err := meeting.NewLiveVote(p, kind, secret, first, second)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	att, err := c.meetings().Attendance(ctx, m.ID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	if len(meeting.ServingAtParagraph(att, p)) == 0 {
		return meeting.LiveVote{}, domain.Errorf(domain.ECONFLICT, "Ingen tjänstgör vid %s. Registrera närvaron innan voteringen öppnas.", p.Ref())
	}
	at, by := c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO live_votes (meeting_id, paragraph_id, kind, secret, question, yes_label, no_label, opened_at, opened_by, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`, m.ID, p.ID, string(v.Kind), v.Secret, v.Question, v.YesLabel, v.NoLabel, at, by)
	if sqlconn.IsUniqueViolation(err) {
		return meeting.LiveVote{}, domain.Errorf(domain.ECONFLICT, "En votering i %s pågår redan. Avsluta eller avbryt den först.", p.Ref())
	}
	if err != nil {
		return meeting.LiveVote{}, fmt.Errorf("open vote in %s: %w", p.Ref(), err)
	}
	stored, err := c.LiveVoteByID(ctx, id)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	return stored, c.db.Audit(ctx, "open", "live_vote", id, nil, auditOfLiveVote(stored))
}

// lockedLiveVote reads a vote and holds its row for this transaction, so a
// ballot and the closing of the vote are ordered.
func (c Minutes) lockedLiveVote(ctx context.Context, voteID int64) (meeting.LiveVote, error) {
	if _, err := c.db.Exec(ctx, `UPDATE live_votes SET status = status WHERE id = ?`, voteID); err != nil {
		return meeting.LiveVote{}, fmt.Errorf("vote %d: %w", voteID, err)
	}
	return c.LiveVoteByID(ctx, voteID)
}

// CastBallot records a member's vote in an open live vote, or changes it:
// votes change until the vote is closed. The member must serve at the
// vote's paragraph and not have declared jäv there (EFORBIDDEN otherwise).
// For a secret vote the audit trail records that the member voted, not how.
func (c Minutes) CastBallot(ctx context.Context, voteID, memberID int64, choice meeting.Vote) error {
	v, err := c.lockedLiveVote(ctx, voteID)
	if err != nil {
		return err
	}
	if _, err := meeting.ParseVote(string(choice)); err != nil || choice == "" {
		return domain.FieldErrorf("choice", "Välj ja, nej eller avstår.")
	}
	p, err := c.ParagraphByID(ctx, v.ParagraphID)
	if err != nil {
		return err
	}
	att, err := c.meetings().Attendance(ctx, v.MeetingID)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("Ledamot %d", memberID)
	for _, a := range att {
		if a.MemberID == memberID {
			name = a.Member.DisplayName()
		}
	}
	if err := meeting.CheckVoter(v, p, att, memberID, name); err != nil {
		return err
	}
	before, err := c.LiveBallots(ctx, voteID)
	if err != nil {
		return err
	}
	if _, err := c.db.Exec(ctx, `INSERT INTO live_ballots (vote_id, member_id, choice, cast_at, cast_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (vote_id, member_id) DO UPDATE SET choice = excluded.choice, cast_at = excluded.cast_at, cast_by = excluded.cast_by`,
		voteID, memberID, string(choice), c.db.Now(), domain.ActorFrom(ctx).Label); err != nil {
		return fmt.Errorf("ballot in vote %d: %w", voteID, err)
	}
	type ballotAudit struct {
		Vote   int64  `json:"vote"`
		Member string `json:"member"`
		Choice string `json:"choice,omitempty"`
	}
	a := ballotAudit{Vote: voteID, Member: name}
	if !v.Secret {
		a.Choice = string(choice)
	}
	action := "cast"
	if _, ok := before[memberID]; ok {
		action = "change"
	}
	return c.db.Audit(ctx, action, "live_ballot", voteID, nil, a)
}

// CloseLiveVote ends an open vote and writes it into its paragraph: each
// member's vote as the paragraph's votering, checked against who serves
// with the rules of a typed votering (each serving member votes once, no one
// else votes), and the voteringsproposition with the result appended to the
// propositionsordning. A secret vote (sluten omröstning) writes only the
// counts, and its ballots lose their choice. Refused (the vote stays open)
// while a serving member has not voted.
func (c Minutes) CloseLiveVote(ctx context.Context, voteID int64) (meeting.LiveVote, error) {
	v, err := c.lockedLiveVote(ctx, voteID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	if !v.Open() {
		return meeting.LiveVote{}, domain.Errorf(domain.ECONFLICT, "Voteringen i %s är redan %s.", v.Paragraph, v.Status.Word())
	}
	p, err := c.ParagraphByID(ctx, v.ParagraphID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	m, err := c.openMinutes(ctx, p.MeetingID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	ballots, err := c.LiveBallots(ctx, voteID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	att, err := c.meetings().Attendance(ctx, m.ID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	names := map[int64]string{}
	for _, a := range att {
		names[a.MemberID] = a.Member.DisplayName()
	}
	count, err := meeting.CountVotes(meeting.ServingAtParagraph(att, p), ballots, names)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	order := v.PropositionText(count)
	if p.PropositionOrder != "" {
		order = p.PropositionOrder + "\n\n" + order
	}
	p.PropositionOrder = order
	if v.Secret {
		p.Votes, p.SecretBallot, p.Count = nil, true, &count
	} else {
		p.Votes, p.SecretBallot = ballots, false
	}
	if _, err := c.UpdateParagraph(ctx, p); err != nil {
		return meeting.LiveVote{}, err
	}
	if v.Secret {
		if _, err := c.db.Exec(ctx, `UPDATE live_ballots SET choice = NULL WHERE vote_id = ?`, voteID); err != nil {
			return meeting.LiveVote{}, fmt.Errorf("close secret vote %d: %w", voteID, err)
		}
	}
	return c.endLiveVote(ctx, v, meeting.VoteClosed, &count)
}

// CancelLiveVote ends an open vote without writing anything into its
// paragraph (avbruten). Its ballots are kept, a secret vote's without their
// choice.
func (c Minutes) CancelLiveVote(ctx context.Context, voteID int64) (meeting.LiveVote, error) {
	v, err := c.lockedLiveVote(ctx, voteID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	if !v.Open() {
		return meeting.LiveVote{}, domain.Errorf(domain.ECONFLICT, "Voteringen i %s är redan %s.", v.Paragraph, v.Status.Word())
	}
	if v.Secret {
		if _, err := c.db.Exec(ctx, `UPDATE live_ballots SET choice = NULL WHERE vote_id = ?`, voteID); err != nil {
			return meeting.LiveVote{}, fmt.Errorf("cancel secret vote %d: %w", voteID, err)
		}
	}
	return c.endLiveVote(ctx, v, meeting.VoteCancelled, nil)
}

func (c Minutes) endLiveVote(ctx context.Context, v meeting.LiveVote, status meeting.VoteStatus, count *meeting.VoteCount) (meeting.LiveVote, error) {
	yes, no, abstain := voteColumns(count)
	if _, err := c.db.Exec(ctx, `UPDATE live_votes SET status = ?, ended_at = ?, ended_by = ?, yes_count = ?, no_count = ?, abstain_count = ?
		WHERE id = ?`, string(status), c.db.Now(), domain.ActorFrom(ctx).Label, yes, no, abstain, v.ID); err != nil {
		return meeting.LiveVote{}, fmt.Errorf("end vote %d: %w", v.ID, err)
	}
	after, err := c.LiveVoteByID(ctx, v.ID)
	if err != nil {
		return meeting.LiveVote{}, err
	}
	return after, c.db.Audit(ctx, string(status), "live_vote", v.ID, auditOfLiveVote(v), auditOfLiveVote(after))
}

// DeclareJav records that a member called to the meeting declares jäv in a
// paragraph: from then the member does not serve there (ServingAtParagraph).
// A member who already made a yrkande or voted in the paragraph, or who voted
// in its open live vote, is refused: the secretariat corrects that first.
func (c Minutes) DeclareJav(ctx context.Context, paragraphID, memberID int64) error {
	p, m, err := c.openParagraph(ctx, paragraphID)
	if err != nil {
		return err
	}
	mb, err := c.calledMember(ctx, m, memberID)
	if err != nil {
		return err
	}
	for _, j := range p.Jav {
		if j.MemberID == memberID {
			return &domain.Error{Code: domain.ECONFLICT, Field: "member", Message: fmt.Sprintf("%s har redan anmält jäv i %s.", mb.DisplayName(), p.Ref())}
		}
	}
	for _, mo := range p.Motions {
		if mo.MemberID == memberID {
			return domain.FieldErrorf("member", "%s har ett yrkande i %s. Ta bort yrkandet innan jäv anmäls.", mb.DisplayName(), p.Ref())
		}
	}
	if _, ok := p.Votes[memberID]; ok {
		return domain.FieldErrorf("member", "%s har röstat i voteringen i %s. Ändra voteringen innan jäv anmäls.", mb.DisplayName(), p.Ref())
	}
	var cast int
	if err := c.db.Get(ctx, &cast, `SELECT COUNT(*) FROM live_ballots b JOIN live_votes v ON v.id = b.vote_id
		WHERE v.paragraph_id = ? AND v.status = 'open' AND b.member_id = ?`, p.ID, memberID); err != nil {
		return fmt.Errorf("jäv in %s: %w", p.Ref(), err)
	}
	if cast > 0 {
		return domain.FieldErrorf("member", "%s har röstat i den pågående voteringen i %s. Avbryt voteringen innan jäv anmäls.", mb.DisplayName(), p.Ref())
	}
	if _, err := c.db.Exec(ctx, `INSERT INTO paragraph_jav (paragraph_id, member_id, declared_at, declared_by) VALUES (?, ?, ?, ?)`,
		p.ID, memberID, c.db.Now(), domain.ActorFrom(ctx).Label); err != nil {
		if isLockedMinutes(err) {
			return meeting.ErrMinutesLocked(m)
		}
		return fmt.Errorf("jäv in %s: %w", p.Ref(), err)
	}
	return c.db.Audit(ctx, "declare_jav", "paragraph", p.ID, nil, map[string]string{"paragraph": p.Ref(), "member": mb.DisplayName()})
}

// WithdrawJav withdraws a member's jäv in a paragraph (kept in the history,
// no longer in force).
func (c Minutes) WithdrawJav(ctx context.Context, paragraphID, memberID int64) error {
	p, m, err := c.openParagraph(ctx, paragraphID)
	if err != nil {
		return err
	}
	res, err := c.db.Exec(ctx, `UPDATE paragraph_jav SET withdrawn_at = ? WHERE paragraph_id = ? AND member_id = ? AND withdrawn_at IS NULL`,
		c.db.Now(), p.ID, memberID)
	if isLockedMinutes(err) {
		return meeting.ErrMinutesLocked(m)
	}
	if err != nil {
		return fmt.Errorf("withdraw jäv in %s: %w", p.Ref(), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Ingen jäv är anmäld för ledamoten i %s.", p.Ref())
	}
	return c.db.Audit(ctx, "withdraw_jav", "paragraph", p.ID, map[string]any{"paragraph": p.Ref(), "member_id": memberID}, nil)
}

// openParagraph reads a paragraph whose minutes may be written, with its
// meeting (openMinutes).
func (c Minutes) openParagraph(ctx context.Context, paragraphID int64) (meeting.Paragraph, meeting.Meeting, error) {
	p, err := c.ParagraphByID(ctx, paragraphID)
	if err != nil {
		return meeting.Paragraph{}, meeting.Meeting{}, err
	}
	m, err := c.openMinutes(ctx, p.MeetingID)
	return p, m, err
}

// calledMember returns a member the meeting calls, or a field error.
func (c Minutes) calledMember(ctx context.Context, m meeting.Meeting, memberID int64) (domain.Member, error) {
	att, err := c.meetings().Attendance(ctx, m.ID)
	if err != nil {
		return domain.Member{}, err
	}
	for _, a := range att {
		if a.MemberID == memberID {
			return a.Member, nil
		}
	}
	return domain.Member{}, domain.FieldErrorf("member", "Välj en ledamot eller ersättare som är kallad till sammanträdet.")
}

// AddNote records a member's protokollsanteckning on a paragraph.
func (c Minutes) AddNote(ctx context.Context, paragraphID, memberID int64, text string) (meeting.Note, error) {
	text, err := meeting.CheckNote(text)
	if err != nil {
		return meeting.Note{}, err
	}
	p, m, err := c.openParagraph(ctx, paragraphID)
	if err != nil {
		return meeting.Note{}, err
	}
	mb, err := c.calledMember(ctx, m, memberID)
	if err != nil {
		return meeting.Note{}, err
	}
	id, err := c.db.Insert(ctx, `INSERT INTO paragraph_notes (paragraph_id, member_id, text, created_at, created_by) VALUES (?, ?, ?, ?, ?)`,
		p.ID, memberID, text, c.db.Now(), domain.ActorFrom(ctx).Label)
	if isLockedMinutes(err) {
		return meeting.Note{}, meeting.ErrMinutesLocked(m)
	}
	if err != nil {
		return meeting.Note{}, fmt.Errorf("protokollsanteckning in %s: %w", p.Ref(), err)
	}
	n := meeting.Note{ID: id, ParagraphID: p.ID, MemberID: memberID, MemberName: mb.DisplayName(), Text: text}
	return n, c.db.Audit(ctx, "add_note", "paragraph", p.ID, nil, map[string]string{"paragraph": p.Ref(), "member": n.MemberName, "text": text})
}

// RequestChange records a justerare's "begär ändring": a comment on a
// paragraph of minutes not yet locked, by the member the user approves as,
// for the secretariat to see on the minutes page.
func (c Minutes) RequestChange(ctx context.Context, paragraphID, memberID, userID int64, comment string) (meeting.ChangeRequest, error) {
	comment, err := meeting.CheckChangeRequest(comment)
	if err != nil {
		return meeting.ChangeRequest{}, err
	}
	p, m, err := c.openParagraph(ctx, paragraphID)
	if err != nil {
		return meeting.ChangeRequest{}, err
	}
	id, err := c.db.Insert(ctx, `INSERT INTO minutes_change_requests (meeting_id, paragraph_id, member_id, user_id, comment, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.ID, p.ID, memberID, userID, comment, c.db.Now())
	if err != nil {
		return meeting.ChangeRequest{}, fmt.Errorf("change request on %s: %w", p.Ref(), err)
	}
	if err := c.db.Audit(ctx, "request_change", "paragraph", p.ID, nil, map[string]string{"paragraph": p.Ref(), "comment": comment}); err != nil {
		return meeting.ChangeRequest{}, err
	}
	list, err := c.changeRequestsWhere(ctx, "r.id = ?", id)
	if err != nil || len(list) == 0 {
		return meeting.ChangeRequest{}, err
	}
	return list[0], nil
}

// ChangeRequests returns the justerare's change requests on a meeting's
// minutes, oldest first.
func (c Minutes) ChangeRequests(ctx context.Context, meetingID int64) ([]meeting.ChangeRequest, error) {
	return c.changeRequestsWhere(ctx, "r.meeting_id = ?", meetingID)
}

func (c Minutes) changeRequestsWhere(ctx context.Context, cond string, args ...any) ([]meeting.ChangeRequest, error) {
	var rows []struct {
		ID          int64     `db:"id"`
		MeetingID   int64     `db:"meeting_id"`
		ParagraphID int64     `db:"paragraph_id"`
		Year        int       `db:"year"`
		Number      int       `db:"number"`
		MemberID    int64     `db:"member_id"`
		Name        string    `db:"name"`
		Party       string    `db:"political_party"`
		Comment     string    `db:"comment"`
		CreatedAt   time.Time `db:"created_at"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT r.id, r.meeting_id, r.paragraph_id, p.year, p.number, r.member_id, mb.name,
		mb.political_party, r.comment, r.created_at FROM minutes_change_requests r JOIN paragraphs p ON p.id = r.paragraph_id
		JOIN committee_members mb ON mb.id = r.member_id WHERE `+cond+` ORDER BY r.id`, args...); err != nil {
		return nil, fmt.Errorf("read change requests: %w", err)
	}
	out := make([]meeting.ChangeRequest, len(rows))
	for i, r := range rows {
		out[i] = meeting.ChangeRequest{ID: r.ID, MeetingID: r.MeetingID, ParagraphID: r.ParagraphID, Paragraph: meeting.ParagraphRef(r.Number, r.Year),
			MemberID: r.MemberID, MemberName: domain.Member{Name: r.Name, PoliticalParty: r.Party}.DisplayName(), Comment: r.Comment, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// readJavAndNotes fills in the jäv and protokollsanteckningar in force of
// the paragraphs byID.
func (c Minutes) readJavAndNotes(ctx context.Context, byID map[int64]*meeting.Paragraph, in string, ids []any) error {
	var jav []struct {
		ID          int64     `db:"id"`
		ParagraphID int64     `db:"paragraph_id"`
		MemberID    int64     `db:"member_id"`
		Name        string    `db:"name"`
		Party       string    `db:"political_party"`
		DeclaredAt  time.Time `db:"declared_at"`
		DeclaredBy  string    `db:"declared_by"`
	}
	if err := c.db.Select(ctx, &jav, `SELECT j.id, j.paragraph_id, j.member_id, mb.name, mb.political_party, j.declared_at, j.declared_by
		FROM paragraph_jav j JOIN committee_members mb ON mb.id = j.member_id
		WHERE j.withdrawn_at IS NULL AND j.paragraph_id IN `+in+` ORDER BY j.id`, ids...); err != nil {
		return fmt.Errorf("read jäv: %w", err)
	}
	for _, r := range jav {
		p := byID[r.ParagraphID]
		p.Jav = append(p.Jav, meeting.Jav{ID: r.ID, ParagraphID: r.ParagraphID, MemberID: r.MemberID,
			MemberName: domain.Member{Name: r.Name, PoliticalParty: r.Party}.DisplayName(), DeclaredAt: r.DeclaredAt.UTC(), DeclaredBy: r.DeclaredBy})
	}
	var notes []struct {
		ID          int64     `db:"id"`
		ParagraphID int64     `db:"paragraph_id"`
		MemberID    int64     `db:"member_id"`
		Name        string    `db:"name"`
		Party       string    `db:"political_party"`
		Text        string    `db:"text"`
		CreatedAt   time.Time `db:"created_at"`
		CreatedBy   string    `db:"created_by"`
	}
	if err := c.db.Select(ctx, &notes, `SELECT n.id, n.paragraph_id, n.member_id, mb.name, mb.political_party, n.text, n.created_at, n.created_by
		FROM paragraph_notes n JOIN committee_members mb ON mb.id = n.member_id
		WHERE n.withdrawn_at IS NULL AND n.paragraph_id IN `+in+` ORDER BY n.id`, ids...); err != nil {
		return fmt.Errorf("read protokollsanteckningar: %w", err)
	}
	for _, r := range notes {
		p := byID[r.ParagraphID]
		p.Notes = append(p.Notes, meeting.Note{ID: r.ID, ParagraphID: r.ParagraphID, MemberID: r.MemberID,
			MemberName: domain.Member{Name: r.Name, PoliticalParty: r.Party}.DisplayName(), Text: r.Text, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy})
	}
	return nil
}
