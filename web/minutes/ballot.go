package minutes

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// The members' side of a live vote: the open votes a member's user is
// offered (/rosta, reached from the start page, refreshing itself while
// open), and the ballot page where the member votes and may change the vote
// until the secretariat closes it.

// myVote is one open vote as a member sees it in the list.
type myVote struct {
	Vote meeting.LiveVote
	URL  string
	// Refused says why the member cannot vote (not serving, jäv); Choice
	// is the member's vote so far.
	Refused string
	Choice  string
}

// myVotesOf lists the open votes the user is offered, with where the user
// stands in each.
func (s *Handlers) myVotesOf(ctx context.Context, u *domain.User) ([]myVote, error) {
	votes, err := s.DB.Conn().OpenLiveVotesForUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []myVote
	for _, v := range votes {
		b, err := s.ballotOf(ctx, u, v)
		if err != nil {
			return nil, err
		}
		if b.Member.ID == 0 {
			continue // not called to the meeting
		}
		out = append(out, myVote{Vote: v, URL: BallotURL(v.ID), Refused: b.Refused, Choice: b.Choice})
	}
	return out, nil
}

// myVotesPage lists the open votes for the member (the page reloads its
// list every three seconds, so a member can keep it open).
func (s *Handlers) myVotesPage(c *gin.Context) {
	list, err := s.myVotesOf(c.Request.Context(), kit.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "votes_member", "Votering", list)
}

// myVotesList answers the list page's polling.
func (s *Handlers) myVotesList(c *gin.Context) {
	list, err := s.myVotesOf(c.Request.Context(), kit.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.RenderFragment(c, http.StatusOK, "votes_member", "myVotes", list)
}

// ballotView is a member's page of one live vote.
type ballotView struct {
	Committee domain.Committee
	Meeting   meetings.Line
	Vote      meeting.LiveVote
	Member    domain.Member
	// Refused says why the member cannot vote; Choice and Current the
	// member's vote so far.
	Refused string
	Choice  string
	Current meeting.Vote
	Options []ballotOption
	Form    *kit.Form
	URL     string
}

type ballotOption struct {
	Value, Label string
	Chosen       bool
}

// ballotOf works out the member the user votes as in v (the called member
// linked to the user), whether they may vote, and their vote so far.
func (s *Handlers) ballotOf(ctx context.Context, u *domain.User, v meeting.LiveVote) (ballotView, error) {
	b := ballotView{Vote: v, URL: BallotURL(v.ID)}
	conn := s.DB.Conn()
	att, err := conn.Attendance(ctx, v.MeetingID)
	if err != nil {
		return b, err
	}
	for _, a := range att {
		if a.Member.UserID == u.ID && u.ID != 0 {
			b.Member = a.Member
			break
		}
	}
	if b.Member.ID == 0 {
		b.Refused = "Du är inte kallad till sammanträdet och kan inte rösta."
		return b, nil
	}
	p, err := conn.ParagraphByID(ctx, v.ParagraphID)
	if err != nil {
		return b, err
	}
	if err := meeting.CheckVoter(v, p, att, b.Member.ID, b.Member.DisplayName()); err != nil {
		if domain.IsFault(err) {
			return b, err
		}
		b.Refused = domain.ErrorMessage(err)
	}
	ballots, err := conn.LiveBallots(ctx, v.ID)
	if err != nil {
		return b, err
	}
	if c, ok := ballots[b.Member.ID]; ok {
		b.Current, b.Choice = c, v.ChoiceLabel(c)
	}
	for _, c := range v.Choices() {
		b.Options = append(b.Options, ballotOption{Value: string(c), Label: v.ChoiceLabel(c), Chosen: c == b.Current})
	}
	return b, nil
}

// ballotPage shows a member the vote: the question and a button for each
// answer, or why the member cannot vote.
func (s *Handlers) ballotPage(c *gin.Context) {
	cm, m, v, err := s.liveVoteFor(c, domain.RoleMember)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderBallot(c, http.StatusOK, cm, m, v, kit.EmptyForm())
}

func (s *Handlers) renderBallot(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, v meeting.LiveVote, f *kit.Form) {
	b, err := s.ballotOf(c.Request.Context(), kit.CurrentUser(c), v)
	if err != nil {
		s.Fail(c, err)
		return
	}
	b.Committee, b.Meeting, b.Form = cm, meetings.LineOf(m), f
	if b.Refused != "" && v.Open() && status == http.StatusOK {
		status = http.StatusForbidden
	}
	s.Render(c, status, "vote_member", "Votering "+v.Paragraph, b)
}

// castBallot records the member's vote, or changes it.
func (s *Handlers) castBallot(c *gin.Context) {
	cm, m, v, err := s.liveVoteFor(c, domain.RoleMember)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	f := kit.ReadForm(c, "choice")
	choice, err := meeting.ParseVote(f.Value("choice"))
	if err != nil {
		f.Fail(domain.FieldErrorf("choice", "Välj ja, nej eller avstår."))
	}
	b, err := s.ballotOf(ctx, kit.CurrentUser(c), v)
	if err != nil {
		s.Fail(c, err)
		return
	}
	save := func(tx *store.Conn) error {
		if b.Member.ID == 0 {
			return domain.Errorf(domain.EFORBIDDEN, "%s", b.Refused)
		}
		return tx.CastBallot(ctx, v.ID, b.Member.ID, choice)
	}
	if !s.Submit(c, f, save, func(status int) { s.renderBallot(c, status, cm, m, v, f) }) {
		return
	}
	s.Redirect(c, BallotURL(v.ID), "Din röst är registrerad: "+v.ChoiceLabel(choice)+". Du kan ändra den tills voteringen avslutas.")
}

// declareOwnJav records that the member declares jäv in the vote's
// paragraph: from then the member neither serves nor votes there.
func (s *Handlers) declareOwnJav(c *gin.Context) {
	cm, m, v, err := s.liveVoteFor(c, domain.RoleMember)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	b, err := s.ballotOf(ctx, kit.CurrentUser(c), v)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.EmptyForm()
	save := func(tx *store.Conn) error {
		if b.Member.ID == 0 {
			return domain.Errorf(domain.EFORBIDDEN, "%s", b.Refused)
		}
		if !v.Open() {
			return domain.Errorf(domain.ECONFLICT, "Voteringen i %s är %s.", v.Paragraph, v.Status.Word())
		}
		return tx.DeclareJav(ctx, v.ParagraphID, b.Member.ID)
	}
	if !s.Submit(c, f, save, func(status int) { s.renderBallot(c, status, cm, m, v, f) }) {
		return
	}
	s.Redirect(c, BallotURL(v.ID), "Du har anmält jäv i "+v.Paragraph+" och deltar inte i handläggningen där.")
}

// requestChange records a justerare's "begär ändring" on a paragraph.
func (s *Handlers) requestChange(c *gin.Context) {
	cm, m, j, a, err := s.approveFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.ReadForm(c, "paragraph", "comment")
	pid, err := kit.ParseID("paragraph", f.Value("paragraph"), "Välj paragrafen i listan.")
	if err == nil && pid == 0 {
		err = domain.FieldErrorf("paragraph", "Välj paragrafen i listan.")
	}
	if err != nil {
		f.Fail(err)
	}
	ctx := c.Request.Context()
	save := func(tx *store.Conn) error {
		p, err := tx.ParagraphByID(ctx, pid)
		if err == nil && p.MeetingID != m.ID {
			err = domain.FieldErrorf("paragraph", "Välj en paragraf i protokollet.")
		}
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			err = domain.FieldErrorf("paragraph", "Välj en paragraf i protokollet.")
		}
		if err != nil {
			return err
		}
		_, err = tx.RequestChange(ctx, pid, a.Justerare.MemberID, kit.CurrentUser(c).ID, f.Values["comment"])
		return err
	}
	if !s.Submit(c, f, save, func(status int) { s.renderApproveWith(c, status, cm, m, j, a, kit.EmptyForm(), f) }) {
		return
	}
	s.Redirect(c, "/sammantraden/"+c.Param("id")+"/justera#begar-andring", "Din begäran om ändring är skickad till sekretariatet.")
}
