package minutes

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// The meeting as it happens: the secretariat runs the meeting from its
// agenda (attendance, then item by item), opens a vote on a paragraph, sees
// the counts live (htmx polling) and closes it into the paragraph's
// votering; the members vote from their own devices; jäv and
// protokollsanteckningar are recorded on the paragraph.

// liveRoutes registers the pages of the running meeting and of voting.
func (s *Handlers) liveRoutes() {
	s.Handle("GET", "/sammantraden/:id/genomfor", meetings.Writers, s.runPage)
	s.Handle("POST", "/paragrafer/:id/voteringar", meetings.Writers, s.openVote)
	s.Handle("POST", "/paragrafer/:id/jav", meetings.Writers, s.javStep(false))
	s.Handle("POST", "/paragrafer/:id/jav/aterta", meetings.Writers, s.javStep(true))
	s.Handle("POST", "/paragrafer/:id/anteckningar", meetings.Writers, s.addNote)
	s.Handle("GET", "/voteringar/:id", meetings.Writers, s.votePage)
	s.Handle("GET", "/voteringar/:id/stallning", meetings.Writers, s.voteTally)
	s.Handle("POST", "/voteringar/:id/registrera", meetings.Writers, s.recordBallot)
	s.Handle("GET", "/voteringar/:id/avsluta", meetings.Writers, s.confirmVoteStep(true))
	s.Handle("POST", "/voteringar/:id/avsluta", meetings.Writers, s.voteStepDone(true))
	s.Handle("GET", "/voteringar/:id/avbryt", meetings.Writers, s.confirmVoteStep(false))
	s.Handle("POST", "/voteringar/:id/avbryt", meetings.Writers, s.voteStepDone(false))
	s.Handle("GET", "/rosta", justerareAccess, s.myVotesPage)
	s.Handle("GET", "/rosta/lista", justerareAccess, s.myVotesList)
	s.Handle("GET", "/rosta/:id", justerareAccess, s.ballotPage)
	s.Handle("POST", "/rosta/:id", justerareAccess, s.castBallot)
	s.Handle("POST", "/rosta/:id/jav", justerareAccess, s.declareOwnJav)
	s.Handle("POST", "/sammantraden/:id/begar-andring", justerareAccess, s.requestChange)
}

// VoteURL is the secretariat's page of a live vote; BallotURL a member's.
func VoteURL(id int64) string   { return "/voteringar/" + strconv.FormatInt(id, 10) }
func BallotURL(id int64) string { return "/rosta/" + strconv.FormatInt(id, 10) }

// runURL is the page the secretariat runs a meeting from.
func runURL(meetingID int64) string { return kit.MeetingURL(meetingID) + "/genomfor" }

// runItem is one item of the agenda on the run page, with its paragraph
// once recorded.
type runItem struct {
	Number    int
	Item      meeting.AgendaItem
	Paragraph *paragraphLine
	// NewURL records the item as a paragraph.
	NewURL string
	// Serving are the members serving at the paragraph (jäv excluded);
	// Called every member called, for jäv and notes.
	Serving int
	Votes   []meeting.LiveVote
}

// runView is the page the secretariat runs a meeting from.
type runView struct {
	Committee  domain.Committee
	Meeting    meetings.Line
	Attendance []meeting.Attendance
	Names      map[int64]string
	Recorded   bool
	Items      []runItem
	Called     []domain.Member
	Form       *kit.Form
	// FormFor is the paragraph whose form Form's errors belong to.
	FormFor int64
	Open    bool
}

// runPage shows the meeting as the secretariat runs it: attendance as a
// compact table, then the agenda item by item with each paragraph's jäv,
// protokollsanteckningar and votes.
func (s *Handlers) runPage(c *gin.Context) {
	cm, m, err := s.meetings.MeetingFor(c, meetings.Editors)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderRun(c, http.StatusOK, cm, m, nil, 0)
}

func (s *Handlers) renderRun(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, f *kit.Form, formFor int64) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	att, err := conn.Attendance(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	items, err := conn.AgendaItems(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	paras, err := conn.MeetingParagraphs(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	votes, err := conn.MeetingLiveVotes(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if f == nil {
		f = kit.EmptyForm()
	}
	v := runView{Committee: cm, Meeting: meetings.LineOf(m), Attendance: att, Names: map[int64]string{}, Form: f, FormFor: formFor,
		Open: m.MinutesOpen() == nil}
	for _, a := range att {
		v.Names[a.MemberID] = a.Member.DisplayName()
		v.Recorded = v.Recorded || a.Present
		v.Called = append(v.Called, a.Member)
	}
	byItem := map[int64]meeting.Paragraph{}
	for _, p := range paras {
		byItem[p.AgendaItemID] = p
	}
	line := func(p meeting.Paragraph) runItem {
		l := lineOfParagraph(p)
		it := runItem{Paragraph: &l, Serving: len(meeting.ServingAtParagraph(att, p))}
		for _, lv := range votes {
			if lv.ParagraphID == p.ID {
				it.Votes = append(it.Votes, lv)
			}
		}
		return it
	}
	n := 0
	for _, it := range items {
		if it.Status != meeting.AgendaActive {
			continue
		}
		n++
		ri := runItem{Number: n, Item: it, NewURL: fmt.Sprintf("%s/paragrafer/ny?punkt=%d", kit.MeetingURL(m.ID), it.ID)}
		if p, ok := byItem[it.ID]; ok {
			ri = line(p)
			ri.Number, ri.Item = n, it
		}
		v.Items = append(v.Items, ri)
	}
	for _, p := range paras {
		if p.AgendaItemID == 0 {
			v.Items = append(v.Items, line(p)) // a paragraph with no agenda item
		}
	}
	s.Render(c, status, "meeting_run", "Genomför sammanträdet "+m.Date.String()+" – "+cm.Code, v)
}

// writableParagraph reads the paragraph of a /paragrafer/:id route for a
// change by the secretariat, with its meeting's committee.
func (s *Handlers) runParagraphFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.Paragraph, bool) {
	cm, m, p, _, err := s.writableParagraphFor(c)
	if err != nil {
		s.Fail(c, err)
		return cm, m, p, false
	}
	return cm, m, p, true
}

// runSubmit saves a change made from the run page and goes back to the
// paragraph on it, or shows the page again with the error.
func (s *Handlers) runSubmit(c *gin.Context, f *kit.Form, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, save func(tx *store.Conn) error, msg string) {
	if !s.Submit(c, f, save, func(status int) { s.renderRun(c, status, cm, m, f, p.ID) }) {
		return
	}
	s.Redirect(c, fmt.Sprintf("%s#p-%d", runURL(m.ID), p.ID), msg)
}

// openVote opens a live vote on a paragraph and shows its page.
func (s *Handlers) openVote(c *gin.Context) {
	cm, m, p, ok := s.runParagraphFor(c)
	if !ok {
		return
	}
	f := kit.ReadForm(c, "kind", "secret", "first", "second")
	kind := meeting.VoteKind(f.Value("kind"))
	first, err1 := kit.ParseID("first", f.Value("first"), "Välj ett yrkande i listan.")
	second, err2 := kit.ParseID("second", f.Value("second"), "Välj ett yrkande i listan.")
	for _, err := range []error{err1, err2} {
		if err != nil {
			f.Fail(err)
		}
	}
	var v meeting.LiveVote
	ctx := c.Request.Context()
	save := func(tx *store.Conn) error {
		var err error
		v, err = tx.OpenLiveVote(ctx, p.ID, kind, f.Value("secret") != "", first, second)
		return err
	}
	if !s.Submit(c, f, save, func(status int) { s.renderRun(c, status, cm, m, f, p.ID) }) {
		return
	}
	s.Redirect(c, VoteURL(v.ID), "Voteringen i "+p.Ref()+" är öppen. De tjänstgörande ledamöterna kan rösta nu.")
}

// memberOf reads the member field of a form as one of the called members.
func memberOf(f *kit.Form) int64 {
	id, err := kit.ParseID("member", f.Value("member"), "Välj ledamoten i listan.")
	if err != nil {
		f.Fail(err)
	} else if id == 0 {
		f.Fail(domain.FieldErrorf("member", "Välj ledamoten i listan."))
	}
	return id
}

// javStep records a member's jäv in a paragraph, or withdraws it.
func (s *Handlers) javStep(withdraw bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		cm, m, p, ok := s.runParagraphFor(c)
		if !ok {
			return
		}
		f := kit.ReadForm(c, "member")
		member := memberOf(f)
		ctx := c.Request.Context()
		save, msg := func(tx *store.Conn) error { return tx.DeclareJav(ctx, p.ID, member) }, "Jäv är anmält i "+p.Ref()+"."
		if withdraw {
			save, msg = func(tx *store.Conn) error { return tx.WithdrawJav(ctx, p.ID, member) }, "Jävet i "+p.Ref()+" är återtaget."
		}
		s.runSubmit(c, f, cm, m, p, save, msg)
	}
}

// addNote records a member's protokollsanteckning on a paragraph.
func (s *Handlers) addNote(c *gin.Context) {
	cm, m, p, ok := s.runParagraphFor(c)
	if !ok {
		return
	}
	f := kit.ReadForm(c, "member", "note")
	member := memberOf(f)
	s.runSubmit(c, f, cm, m, p, func(tx *store.Conn) error {
		_, err := tx.AddNote(c.Request.Context(), p.ID, member, f.Values["note"])
		return err
	}, "Protokollsanteckningen är införd i "+p.Ref()+".")
}

// liveVoteFor reads the vote of a /voteringar/:id or /rosta/:id route with
// its meeting and committee; a user with none of roles in the committee
// gets "not found".
func (s *Handlers) liveVoteFor(c *gin.Context, roles ...domain.Role) (domain.Committee, meeting.Meeting, meeting.LiveVote, error) {
	ctx := c.Request.Context()
	id, err := kit.PathID(c, "id")
	var v meeting.LiveVote
	if err == nil {
		v, err = s.DB.Conn().LiveVoteByID(ctx, id)
	}
	var m meeting.Meeting
	var cm domain.Committee
	if err == nil {
		m, err = s.DB.Conn().MeetingByID(ctx, v.MeetingID)
	}
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, m.CommitteeID)
	}
	if err == nil && !kit.CurrentUser(c).HasIn(cm.ID, roles...) {
		err = domain.Errorf(domain.ENOTFOUND, "Voteringen finns inte.")
	}
	if err != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
		err = domain.Errorf(domain.ENOTFOUND, "Voteringen finns inte.")
	}
	return cm, m, v, err
}

// tallyView is how a vote stands, for the secretariat.
type tallyView struct {
	Vote  meeting.LiveVote
	Tally meeting.LiveTally
	// Ballots are the members' votes in the attendance's order (none for a
	// secret vote); Waiting the serving members without a vote, for the
	// secretariat to record a vote given aloud.
	Ballots []voteLine
	Waiting []domain.Member
	Serving []domain.Member
	URL     string
}

// tallyOf counts a vote's ballots against who serves at its paragraph.
func (s *Handlers) tallyOf(ctx context.Context, v meeting.LiveVote) (tallyView, error) {
	conn := s.DB.Conn()
	t := tallyView{Vote: v, URL: VoteURL(v.ID)}
	p, err := conn.ParagraphByID(ctx, v.ParagraphID)
	if err != nil {
		return t, err
	}
	att, err := conn.Attendance(ctx, v.MeetingID)
	if err != nil {
		return t, err
	}
	ballots, err := conn.LiveBallots(ctx, v.ID)
	if err != nil {
		return t, err
	}
	names, members := map[int64]string{}, map[int64]domain.Member{}
	for _, a := range att {
		names[a.MemberID], members[a.MemberID] = a.Member.DisplayName(), a.Member
	}
	serving := meeting.ServingAtParagraph(att, p)
	t.Tally = meeting.Tally(serving, ballots, names)
	for _, id := range serving {
		t.Serving = append(t.Serving, members[id])
		b, ok := ballots[id]
		switch {
		case !ok:
			t.Waiting = append(t.Waiting, members[id])
		case !v.Secret:
			t.Ballots = append(t.Ballots, voteLine{Name: names[id], Vote: v.ChoiceLabel(b)})
		}
	}
	return t, nil
}

// voteView is the secretariat's page of a live vote.
type voteView struct {
	Committee    domain.Committee
	Meeting      meetings.Line
	Tally        tallyView
	Form         *kit.Form
	RunURL       string
	Paragraph    string
	ParagraphURL string
}

// votePage shows a live vote to the secretariat: the question, the counts
// as they come in (the tally reloads itself every two seconds), and the
// buttons to close or cancel it.
func (s *Handlers) votePage(c *gin.Context) {
	cm, m, v, err := s.liveVoteFor(c, meetings.Editors...)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderVote(c, http.StatusOK, cm, m, v, nil)
}

func (s *Handlers) renderVote(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, v meeting.LiveVote, f *kit.Form) {
	t, err := s.tallyOf(c.Request.Context(), v)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if f == nil {
		f = kit.EmptyForm()
	}
	s.Render(c, status, "live_vote", "Votering "+v.Paragraph+" – "+cm.Code, voteView{Committee: cm, Meeting: meetings.LineOf(m), Tally: t,
		Form: f, RunURL: runURL(m.ID), Paragraph: v.Paragraph, ParagraphURL: kit.ParagraphURL(v.ParagraphID)})
}

// voteTally answers the page's polling with the tally as it stands now.
func (s *Handlers) voteTally(c *gin.Context) {
	_, _, v, err := s.liveVoteFor(c, meetings.Editors...)
	if err != nil {
		s.Fail(c, err)
		return
	}
	t, err := s.tallyOf(c.Request.Context(), v)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.RenderFragment(c, http.StatusOK, "live_vote", "tally", t)
}

// recordBallot records, for the secretariat, the vote of a serving member
// given aloud or on paper (a member without a device).
func (s *Handlers) recordBallot(c *gin.Context) {
	cm, m, v, err := s.liveVoteFor(c, meetings.Editors...)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.ReadForm(c, "member", "choice")
	member := memberOf(f)
	choice, err := meeting.ParseVote(f.Value("choice"))
	if err != nil {
		f.Fail(domain.FieldErrorf("choice", "Välj ja, nej eller avstår."))
	}
	save := func(tx *store.Conn) error { return tx.CastBallot(c.Request.Context(), v.ID, member, choice) }
	if !s.Submit(c, f, save, func(status int) { s.renderVote(c, status, cm, m, v, f) }) {
		return
	}
	s.Redirect(c, VoteURL(v.ID), "Rösten är registrerad.")
}

// confirmVoteStep asks before a vote is closed (written into its
// paragraph) or cancelled.
func (s *Handlers) confirmVoteStep(closing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, _, v, err := s.liveVoteFor(c, meetings.Editors...)
		if err == nil && !v.Open() {
			err = domain.Errorf(domain.ECONFLICT, "Voteringen i %s är redan %s.", v.Paragraph, v.Status.Word())
		}
		var t tallyView
		if err == nil {
			t, err = s.tallyOf(c.Request.Context(), v)
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: VoteURL(v.ID)}
		if closing {
			p.Heading = "Avsluta voteringen i " + v.Paragraph + "?"
			p.Text = fmt.Sprintf("%d av %d tjänstgörande har röstat. Voteringen förs in i paragrafen och kan inte öppnas igen; ingen kan ändra sin röst efter detta.", t.Tally.Cast, t.Tally.Serving)
			if !v.Secret {
				p.Text += " Resultat hittills: " + t.Tally.Count.String() + "."
			}
			if len(t.Tally.Waiting) > 0 {
				p.Text += fmt.Sprintf(" Alla tjänstgörande måste ha röstat först; %d saknas.", len(t.Tally.Waiting))
			}
			p.Button = "Avsluta och för in i " + v.Paragraph
		} else {
			p.Heading = "Avbryt voteringen i " + v.Paragraph + "?"
			p.Text = "Rösterna förs inte in i paragrafen. Voteringen står kvar som avbruten; en ny votering kan öppnas."
			p.Button = "Avbryt voteringen"
		}
		s.Render(c, http.StatusOK, "confirm", p.Heading, p)
	}
}

// voteStepDone closes a vote into its paragraph, or cancels it, after the
// confirm step.
func (s *Handlers) voteStepDone(closing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		cm, m, v, err := s.liveVoteFor(c, meetings.Editors...)
		if err != nil {
			s.Fail(c, err)
			return
		}
		ctx := c.Request.Context()
		f := kit.EmptyForm()
		save := func(tx *store.Conn) error {
			var err error
			if closing {
				_, err = tx.CloseLiveVote(ctx, v.ID)
			} else {
				_, err = tx.CancelLiveVote(ctx, v.ID)
			}
			return err
		}
		if !s.Submit(c, f, save, func(status int) { s.renderVote(c, status, cm, m, v, f) }) {
			return
		}
		if closing {
			s.Redirect(c, kit.ParagraphURL(v.ParagraphID), "Voteringen är avslutad och införd i "+v.Paragraph+".")
			return
		}
		s.Redirect(c, VoteURL(v.ID), "Voteringen är avbruten.")
	}
}
