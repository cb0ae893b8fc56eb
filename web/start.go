package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/cases"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// How much each section of a start page shows; each links to the whole list.
const (
	startCases       = 8
	startRecentCases = 5
	startMeetings    = 4
	startAllocations = 5
	startInvoices    = 8
	startRuns        = 3
	// startMinutesDays is how far back a held meeting whose minutes are not
	// yet justerade still shows on the secretariat's start page.
	startMinutesDays = 60
)

// startView is the start page: a section for each role the user holds, in
// each committee where the user holds it.
type startView struct {
	Secretariat []secretariatStart
	Economist   []economistStart
	Member      *memberStart
	Admin       bool
	// FailedMails is how many mails the queue gave up on (admin).
	FailedMails int
	Auditor     bool
	// NoRole is true for a user without any role: the page says whom to ask.
	NoRole bool
}

// secretariatStart is the secretariat's work in one committee.
type secretariatStart struct {
	Committee domain.Committee
	// MyCases are the open cases the user handles; MyTotal how many there
	// are in all (MyMore: more than could be counted).
	MyCases []domain.Case
	MyTotal int
	MyMore  bool
	MyURL   string
	// Recent are the newest registered cases.
	Recent   []domain.Case
	Meetings []meetingProgressLine
	Overdue  int
	// Undispatched are the justerade protokoll with paragraphs not yet
	// expedierade.
	Undispatched []store.Undispatched
}

// meetingProgressLine is a meeting with where its kallelse and minutes stand.
type meetingProgressLine struct {
	meetings.Line
	Kallelse string
	Minutes  string
	// MinutesURL is set once there is something of the minutes to open.
	MinutesURL string
}

// economistStart is the economist's work in one committee.
type economistStart struct {
	Committee domain.Committee
	Proposals []store.AllocationLine
	Decided   []store.AllocationLine
	Invoices  store.OpenInvoices
	Runs      []store.RunSummary
	Today     domain.Date
	// Cycles are the guided path of the latest budget years: budget,
	// base-funding allocation, invoice run.
	Cycles []yearCycle
}

// yearCycle is one year's funding on the guided path, with its steps.
type yearCycle struct {
	finance.YearCycle
	Steps []finance.CycleStep
}

// startCycles is how many budget years the economist's path shows.
const startCycles = 2

// memberStart is what a member (ledamot or ersättare) needs: the coming
// meetings of the member's committees and the minutes to approve.
type memberStart struct {
	Meetings []memberMeeting
	// Justera are the meetings whose minutes the user is to approve.
	Justera []meetings.Line
	// Votes are the live votes open now in the user's committees: the
	// way to the page where the member votes.
	Votes []meeting.LiveVote
}

// memberMeeting is a coming meeting with its committee.
type memberMeeting struct {
	meetings.Line
	Committee string
	// KallelseURL is the kallelse PDF, once it is published.
	KallelseURL string
}

// startPage is "/": what each role needs first. A party representative's
// start page is the party's share (/var-andel).
func (s *Server) startPage(c *gin.Context) {
	u := kit.CurrentUser(c)
	if u.PartyOnly() {
		c.Redirect(http.StatusFound, "/var-andel")
		return
	}
	ctx := c.Request.Context()
	v, err := s.startOf(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "start", "Start", v)
}

// startOf gathers the start page of u: a few bounded reads per role and
// committee, none per row.
func (s *Server) startOf(ctx context.Context, u *domain.User) (startView, error) {
	v := startView{Admin: u.Has(domain.RoleAdmin), Auditor: u.Has(domain.RoleAuditor), NoRole: len(u.Roles) == 0}
	conn := s.DB.Conn()
	if v.Admin {
		counts, err := conn.MailCounts(ctx, nil)
		if err != nil {
			return v, err
		}
		v.FailedMails = counts[domain.MailFailed]
	}
	var committees map[int64]domain.Committee
	committeeOf := func(id int64) (domain.Committee, error) {
		if committees == nil {
			all, err := conn.Committees(ctx)
			if err != nil {
				return domain.Committee{}, err
			}
			committees = map[int64]domain.Committee{}
			for _, cm := range all {
				committees[cm.ID] = cm
			}
		}
		cm, ok := committees[id]
		if !ok {
			return cm, domain.Errorf(domain.ENOTFOUND, "Nämnden finns inte.")
		}
		return cm, nil
	}
	day := s.Today()
	var overdue map[int64]int
	var memberCommittees []domain.Committee
	for _, g := range u.Roles {
		if g.Role.Global() || g.Role == domain.RoleParty {
			continue
		}
		cm, err := committeeOf(g.CommitteeID)
		if err != nil {
			return v, err
		}
		switch g.Role {
		case domain.RoleSecretariat:
			if overdue == nil {
				if overdue, err = s.DB.Conn().OverdueAssignmentCounts(ctx, s.Today()); err != nil {
					return v, err
				}
			}
			sec, err := s.secretariatStartOf(ctx, u, cm, day)
			if err != nil {
				return v, err
			}
			sec.Overdue = overdue[cm.ID]
			v.Secretariat = append(v.Secretariat, sec)
		case domain.RoleEconomist:
			eco, err := s.economistStartOf(ctx, cm, day)
			if err != nil {
				return v, err
			}
			v.Economist = append(v.Economist, eco)
		case domain.RoleMember:
			memberCommittees = append(memberCommittees, cm)
		}
	}
	if len(memberCommittees) > 0 {
		m, err := s.memberStartOf(ctx, u, memberCommittees, day)
		if err != nil {
			return v, err
		}
		v.Member = &m
	}
	return v, nil
}

func (s *Server) secretariatStartOf(ctx context.Context, u *domain.User, cm domain.Committee, day domain.Date) (secretariatStart, error) {
	conn := s.DB.Conn()
	sec := secretariatStart{Committee: cm,
		MyURL: "/namnder/" + url.PathEscape(cm.Code) + "/arenden?status=" + cases.OpenFilter + "&handlaggare=" + strconv.FormatInt(u.ID, 10)}
	mine, err := conn.ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID, HandlerID: u.ID, Open: true, Limit: startCases})
	if err != nil {
		return sec, err
	}
	sec.MyCases, sec.MyTotal, sec.MyMore = mine.Cases, mine.Total, mine.More
	recent, err := conn.ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID, Limit: startRecentCases})
	if err != nil {
		return sec, err
	}
	sec.Recent = recent.Cases
	meetings, err := conn.MeetingsInProgress(ctx, cm.ID, day.AddDays(-startMinutesDays), day, startMeetings)
	if err != nil {
		return sec, err
	}
	for _, mp := range meetings {
		sec.Meetings = append(sec.Meetings, progressLine(mp))
	}
	if sec.Undispatched, err = conn.UndispatchedMinutes(ctx, cm.ID); err != nil {
		return sec, err
	}
	return sec, nil
}

// progressLine says where a meeting's kallelse and minutes stand.
func progressLine(mp store.MeetingProgress) meetingProgressLine {
	m := mp.Meeting
	l := meetingProgressLine{Line: meetings.LineOf(m), Kallelse: "Utkast"}
	if m.Published() {
		l.Kallelse = "Publicerad"
	}
	switch {
	case m.Locked():
		l.Minutes = "Justerat"
	case mp.Justerare > 0:
		l.Minutes = "Väntar på justering (" + strconv.Itoa(mp.Approved) + " av " + strconv.Itoa(mp.Justerare) + " har justerat)"
	case mp.Paragraphs > 0:
		l.Minutes = "Skrivs (" + strconv.Itoa(mp.Paragraphs) + " paragrafer)"
	default:
		l.Minutes = "Inte påbörjat"
	}
	if m.Locked() || mp.Paragraphs > 0 || mp.Justerare > 0 {
		l.MinutesURL = kit.MinutesURL(m.ID)
	}
	return l
}

func (s *Server) economistStartOf(ctx context.Context, cm domain.Committee, day domain.Date) (economistStart, error) {
	conn := s.DB.Conn()
	eco := economistStart{Committee: cm, Today: day}
	var err error
	if eco.Proposals, err = conn.RecentAllocations(ctx, cm.ID, false, startAllocations); err != nil {
		return eco, err
	}
	if eco.Decided, err = conn.RecentAllocations(ctx, cm.ID, true, startAllocations); err != nil {
		return eco, err
	}
	if eco.Invoices, err = conn.OpenInvoicesOf(ctx, cm.ID, day, startInvoices); err != nil {
		return eco, err
	}
	if eco.Runs, err = conn.RecentInvoiceRuns(ctx, cm.ID, startRuns); err != nil {
		return eco, err
	}
	cycles, err := conn.FundingCycles(ctx, cm.ID, startCycles)
	if err != nil {
		return eco, err
	}
	for _, y := range cycles {
		eco.Cycles = append(eco.Cycles, yearCycle{YearCycle: y, Steps: y.Steps(day)})
	}
	return eco, nil
}

func (s *Server) memberStartOf(ctx context.Context, u *domain.User, cms []domain.Committee, day domain.Date) (memberStart, error) {
	conn := s.DB.Conn()
	var m memberStart
	for _, cm := range cms {
		list, err := conn.UpcomingMeetings(ctx, cm.ID, day, startMeetings)
		if err != nil {
			return m, err
		}
		for _, mt := range list {
			mm := memberMeeting{Line: meetings.LineOf(mt), Committee: cm.Code}
			if mt.Published() {
				mm.KallelseURL = kit.MeetingURL(mt.ID) + "/kallelse.pdf"
			}
			m.Meetings = append(m.Meetings, mm)
		}
	}
	if len(cms) > 1 { // several committees: one list in date order
		slices.SortStableFunc(m.Meetings, func(a, b memberMeeting) int {
			if a.Date != b.Date {
				return a.Date.Time().Compare(b.Date.Time())
			}
			return strings.Compare(a.StartTime, b.StartTime)
		})
	}
	pending, err := conn.PendingJusteringar(ctx, u.ID, startMeetings)
	if err != nil {
		return m, err
	}
	for _, mt := range pending {
		if u.HasIn(mt.CommitteeID, domain.RoleMember) {
			m.Justera = append(m.Justera, meetings.LineOf(mt))
		}
	}
	if m.Votes, err = conn.OpenLiveVotesForUser(ctx, u.ID); err != nil {
		return m, err
	}
	return m, nil
}
