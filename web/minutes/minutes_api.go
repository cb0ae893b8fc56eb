package minutes

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// paragraphJSON is a paragraph as the API shows it.
type paragraphJSON struct {
	ID                int64                    `json:"id"`
	Committee         string                   `json:"committee"`
	MeetingID         int64                    `json:"meeting_id"`
	Year              int                      `json:"year"`
	Number            int                      `json:"number"`
	Ref               string                   `json:"ref"`
	AgendaItemID      int64                    `json:"agenda_item_id,omitempty"`
	Case              string                   `json:"case,omitempty"`
	Title             string                   `json:"title"`
	Summary           string                   `json:"summary"`
	Proposal          string                   `json:"proposal"`
	Motions           []motionJSON             `json:"motions"`
	PropositionOrder  string                   `json:"proposition_order"`
	PropositionResult string                   `json:"proposition_result"`
	Votes             []voteJSON               `json:"votes"`
	VoteCount         *voteCountJSON           `json:"vote_count"`
	Decision          string                   `json:"decision"`
	DecisionPoints    []string                 `json:"decision_points"`
	Reservations      string                   `json:"reservations"`
	DispatchTo        []meetings.RecipientJSON `json:"dispatch_to"`
	Basis             []string                 `json:"basis"`
	Locked            bool                     `json:"locked"`
	CreatedAt         time.Time                `json:"created_at"`
	UpdatedAt         time.Time                `json:"updated_at"`
	URL               string                   `json:"url"`
	APIURL            string                   `json:"api_url"`
}

type motionJSON struct {
	MemberID int64  `json:"member_id"`
	Member   string `json:"member,omitempty"`
	Text     string `json:"text"`
}

type voteJSON struct {
	MemberID int64        `json:"member_id"`
	Member   string       `json:"member,omitempty"`
	Vote     meeting.Vote `json:"vote"`
}

type voteCountJSON struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
}

// toParagraphJSON writes a paragraph for the API; names maps member ids to
// names for the votes.
func toParagraphJSON(cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, parties []domain.Party, names map[int64]string, order []int64) paragraphJSON {
	out := paragraphJSON{ID: p.ID, Committee: cm.Code, MeetingID: p.MeetingID, Year: p.Year, Number: p.Number, Ref: p.Ref(),
		AgendaItemID: p.AgendaItemID, Case: p.CaseNumber, Title: p.Title, Summary: p.Summary, Proposal: p.Proposal,
		Motions: []motionJSON{}, PropositionOrder: p.PropositionOrder, PropositionResult: p.PropositionResult, Votes: []voteJSON{},
		Decision: p.Decision, DecisionPoints: p.DecisionPoints(), Reservations: p.Reservations, DispatchTo: []meetings.RecipientJSON{},
		Basis: p.BasisItems(), Locked: m.Locked(), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		URL: kit.ParagraphURL(p.ID), APIURL: kit.ParagraphAPIURL(p.ID)}
	if out.DecisionPoints == nil {
		out.DecisionPoints = []string{}
	}
	if out.Basis == nil {
		out.Basis = []string{}
	}
	for _, mo := range p.Motions {
		out.Motions = append(out.Motions, motionJSON{MemberID: mo.MemberID, Member: mo.MemberName, Text: mo.Text})
	}
	for _, id := range order {
		if v, ok := p.Votes[id]; ok {
			out.Votes = append(out.Votes, voteJSON{MemberID: id, Member: names[id], Vote: v})
		}
	}
	if p.Count != nil {
		out.VoteCount = &voteCountJSON{Yes: p.Count.Yes, No: p.Count.No, Abstain: p.Count.Abstain}
	}
	for _, r := range p.DispatchTo {
		out.DispatchTo = append(out.DispatchTo, meetings.RecipientJSON{Code: r.Code(), Label: r.Label(parties)})
	}
	return out
}

// paragraphsJSON writes paragraphs of one meeting for the API, the votes in
// the attendance's order.
func (s *Handlers) paragraphsJSON(ctx context.Context, cm domain.Committee, m meeting.Meeting, paras []meeting.Paragraph) ([]paragraphJSON, error) {
	mins, err := s.minutesOf(ctx, cm, m)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	var order []int64
	for _, a := range mins.Attendance {
		names[a.MemberID] = a.Member.DisplayName()
		order = append(order, a.MemberID)
	}
	out := make([]paragraphJSON, len(paras))
	for i, p := range paras {
		out[i] = toParagraphJSON(cm, m, p, mins.Parties, names, order)
	}
	return out, nil
}

// apiParagraphs answers GET /api/v1/meetings/{id}/paragraphs: the minutes'
// paragraphs in number order, to those who may read the minutes.
func (s *Handlers) apiParagraphs(c *gin.Context) {
	cm, m, j, _, err := s.minutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	paras, err := s.DB.Conn().MeetingParagraphs(c.Request.Context(), m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out, err := s.paragraphsJSON(c.Request.Context(), cm, m, paras)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"meeting_id": m.ID, "locked": m.Locked(), "minutes_sha256": j.SHA256, "paragraphs": out})
}

// apiParagraph answers GET /api/v1/paragraphs/{id}.
func (s *Handlers) apiParagraph(c *gin.Context) {
	cm, m, p, _, err := s.paragraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out, err := s.paragraphsJSON(c.Request.Context(), cm, m, []meeting.Paragraph{p})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out[0])
}

// paragraphRequestJSON writes a paragraph.
type paragraphRequestJSON struct {
	AgendaItemID      int64        `json:"agenda_item_id"`
	Case              string       `json:"case"`
	Title             string       `json:"title"`
	Summary           string       `json:"summary"`
	Proposal          string       `json:"proposal"`
	Motions           []motionJSON `json:"motions"`
	PropositionOrder  string       `json:"proposition_order"`
	PropositionResult string       `json:"proposition_result"`
	Votes             []voteJSON   `json:"votes"`
	Decision          string       `json:"decision"`
	Reservations      string       `json:"reservations"`
	DispatchTo        []string     `json:"dispatch_to"`
	Basis             string       `json:"basis"`
	CloseCase         bool         `json:"close_case"`
}

// paragraphOfRequest turns the request into a paragraph of meeting m; the store
// checks the rest.
func (s *Handlers) paragraphOfRequest(c *gin.Context, cm domain.Committee, m meeting.Meeting, body paragraphRequestJSON) (meeting.Paragraph, error) {
	p := meeting.Paragraph{MeetingID: m.ID, AgendaItemID: body.AgendaItemID, Title: body.Title, Summary: body.Summary,
		Proposal: body.Proposal, PropositionOrder: body.PropositionOrder, PropositionResult: body.PropositionResult,
		Decision: body.Decision, Reservations: body.Reservations, Basis: body.Basis}
	if body.Case != "" {
		n, err := domain.ParseCaseNumber(body.Case)
		if err != nil {
			return p, domain.FieldErrorf("case", "%s", domain.ErrorMessage(err))
		}
		k, err := s.DB.Conn().CaseByNumber(c.Request.Context(), n)
		if err != nil || k.CommitteeID != cm.ID {
			return p, domain.FieldErrorf("case", "Ärendet %s finns inte bland nämndens ärenden.", n)
		}
		p.CaseID = k.ID
	}
	for _, mo := range body.Motions {
		p.Motions = append(p.Motions, meeting.Motion{MemberID: mo.MemberID, Text: mo.Text})
	}
	for _, v := range body.Votes {
		vote, err := meeting.ParseVote(string(v.Vote))
		if err != nil {
			return p, err
		}
		if p.Votes == nil {
			p.Votes = map[int64]meeting.Vote{}
		}
		if _, dup := p.Votes[v.MemberID]; dup {
			return p, domain.FieldErrorf("votes", "Ledamot %d har två röster i voteringen.", v.MemberID)
		}
		p.Votes[v.MemberID] = vote
	}
	for _, code := range body.DispatchTo {
		r, err := meeting.ParseRecipientCode(code)
		if err != nil {
			return p, domain.FieldErrorf("dispatch_to", "Okänd mottagare %q: ange \"parties\", \"party:<slug>\" eller \"role:<namn>\".", code)
		}
		p.DispatchTo = append(p.DispatchTo, r)
	}
	return p, nil
}

// apiCreateParagraph answers POST /api/v1/meetings/{id}/paragraphs: it
// writes a paragraph with the next number and answers 201 with it.
func (s *Handlers) apiCreateParagraph(c *gin.Context) {
	cm, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body paragraphRequestJSON
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	p, err := s.paragraphOfRequest(c, cm, m, body)
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			p, err = tx.CreateParagraph(c.Request.Context(), p, body.CloseCase)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	out, err := s.paragraphsJSON(c.Request.Context(), cm, m, []meeting.Paragraph{p})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", out[0].APIURL)
	c.JSON(http.StatusCreated, out[0])
}
