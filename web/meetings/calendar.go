package meetings

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/ical"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// calendarTokenPrefix starts every calendar address's token, so a leaked
// one is recognised for what it is.
const calendarTokenPrefix = "gns_cal_"

// calendarRoutes registers the iCalendar feeds and the page that manages a
// user's own calendar address.
//
// A committee's feed is read with a session, by every role of the
// committee, like its year plan. A calendar application subscribes without
// a session, so a user's own feed (the meetings of every committee the user
// has a role in) is read through a secret address: a random token in the
// URL, of which only the hash is stored, that the user can replace or turn
// off under Min kalender. The feed holds what the year plan shows (day,
// time, place, purpose, a link to the meeting), never the kallelse itself.
func (s *Handlers) calendarRoutes() {
	s.Handle("GET", "/namnder/:code/sammantraden.ics", kit.LoggedIn, s.committeeFeed)
	s.Handle("GET", "/kalender", kit.LoggedIn, s.calendarPage)
	s.Handle("POST", "/kalender", kit.LoggedIn, s.newCalendarAddress)
	s.Handle("POST", "/kalender/stang-av", kit.LoggedIn, s.removeCalendarAddress)
	s.Handle("GET", "/kalender/:file", kit.Anyone, s.userFeed)
}

// feedFrom is how far back a feed goes: every meeting a committee has had
// in GNS (a committee meets a few times a year, so the whole history stays
// small, and a calendar shows past meetings where they were).
var feedFrom = domain.Date{Year: 2000, Month: time.January, Day: 1}

// writeFeed builds the calendar of the committees' meetings and sends it.
func (s *Handlers) writeFeed(c *gin.Context, name string, cms []domain.Committee) {
	ctx := c.Request.Context()
	cal := ical.Calendar{Name: name}
	base := s.BaseURL
	for _, cm := range cms {
		list, err := s.DB.Conn().MeetingsFrom(ctx, cm.ID, feedFrom)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, m := range list {
			cal.Events = append(cal.Events, meetingEvent(cm, m, base))
		}
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, cal, s.DB.Now()); err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Header("Content-Disposition", `inline; filename="sammantraden.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// meetingEvent is a meeting as a calendar event: its times in Swedish time,
// its UID for life, its sequence from the edits.
func meetingEvent(cm domain.Committee, m meeting.Meeting, base string) ical.Event {
	start, end := meetingTimes(m)
	summary := "Sammanträde " + cm.Code
	if m.Purpose != "" && m.Purpose != meeting.PurposeOther {
		summary += " – " + m.Purpose.Label()
	}
	if m.Cancelled() {
		summary = "INSTÄLLT: " + summary
	}
	var desc []string
	desc = append(desc, cm.Name)
	if m.Link != "" {
		desc = append(desc, "Digitalt: "+m.Link)
	}
	desc = append(desc, "Sammanträdet i GNS: "+base+kit.MeetingURL(m.ID))
	location := m.Place
	if location == "" && m.Link != "" {
		location = m.Link
	}
	return ical.Event{UID: m.UID, Start: start, End: end, Summary: summary, Location: location,
		Description: strings.Join(desc, "\n"), URL: base + kit.MeetingURL(m.ID), Sequence: m.Sequence,
		LastModified: m.UpdatedAt, Cancelled: m.Cancelled()}
}

// committeeFeed is a committee's meetings as an iCalendar feed.
func (s *Handlers) committeeFeed(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.Roles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.writeFeed(c, "Sammanträden "+cm.Code, []domain.Committee{cm})
}

// committeesOf lists the committees a user has a role in (all of them for
// admin and auditor).
func (s *Handlers) committeesOf(ctx context.Context, u *domain.User) ([]domain.Committee, error) {
	all, err := s.DB.Conn().Committees(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.Committee
	for _, cm := range all {
		if u.InCommittee(cm.ID) {
			out = append(out, cm)
		}
	}
	return out, nil
}

// userFeed is a user's own feed, read through the secret address
// /kalender/<token>.ics.
func (s *Handlers) userFeed(c *gin.Context) {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	notFound := domain.Errorf(domain.ENOTFOUND, "Kalendern finns inte. Adressen kan ha ersatts av en ny under Min kalender i GNS.")
	if !ok || !strings.HasPrefix(token, calendarTokenPrefix) {
		s.Fail(c, notFound)
		return
	}
	// On the pool, not in a transaction: a poll writes only when the last
	// use is a minute old, and then one statement.
	u, err := s.DB.Conn().UserByCalendarToken(c.Request.Context(), auth.HashToken(token))
	if err != nil {
		s.Fail(c, err)
		return
	}
	cms, err := s.committeesOf(c.Request.Context(), &u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.writeFeed(c, "GNS sammanträden – "+u.Name, cms)
}

// calendarView is the page about the user's calendar address.
type calendarView struct {
	Token store.CalendarToken
	Has   bool
	// NewURL is the address just made, shown this once.
	NewURL string
	// NewWebcal is NewURL for a calendar program. html/template lets no
	// webcal: link through on its own, so it is marked safe: it is the
	// configured base URL (kit.ParseBaseURL) and a token of URL-safe
	// characters, nothing a request chose.
	NewWebcal  template.URL
	Committees []calendarCommittee
}

// calendarCommittee is a committee's feed, as the page links it.
type calendarCommittee struct {
	domain.Committee
	FeedURL string
}

// calendarPage shows whether the user has a calendar address, and the
// committees' own feeds.
func (s *Handlers) calendarPage(c *gin.Context) {
	s.renderCalendar(c, http.StatusOK, "")
}

func (s *Handlers) renderCalendar(c *gin.Context, status int, newToken string) {
	ctx := c.Request.Context()
	u := kit.CurrentUser(c)
	v := calendarView{}
	t, err := s.DB.Conn().CalendarTokenOf(ctx, u.ID)
	switch domain.ErrorCode(err) {
	case "":
		v.Token, v.Has = t, true
	case domain.ENOTFOUND:
	default:
		s.Fail(c, err)
		return
	}
	if newToken != "" {
		// The address comes from the configured base URL, never from the
		// request's Host header: a forged Host must not make the page show
		// an address on another server that would then receive the token.
		v.NewURL = s.BaseURL + "/kalender/" + newToken + ".ics"
		_, hostPath, _ := strings.Cut(v.NewURL, "://")
		v.NewWebcal = template.URL("webcal://" + hostPath)
	}
	cms, err := s.committeesOf(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, cm := range cms {
		v.Committees = append(v.Committees, calendarCommittee{Committee: cm, FeedURL: "/namnder/" + url.PathEscape(cm.Code) + "/sammantraden.ics"})
	}
	s.Render(c, status, "meeting_calendar", "Min kalender", v)
}

// newCalendarAddress makes a new secret calendar address and shows it once;
// an earlier address stops working.
func (s *Handlers) newCalendarAddress(c *gin.Context) {
	token, hash := auth.NewToken(calendarTokenPrefix)
	u := kit.CurrentUser(c)
	if err := s.InTx(c, func(tx *store.Conn) error { return tx.SetCalendarToken(c.Request.Context(), u.ID, hash) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderCalendar(c, http.StatusCreated, token)
}

// removeCalendarAddress turns the user's calendar address off.
func (s *Handlers) removeCalendarAddress(c *gin.Context) {
	u := kit.CurrentUser(c)
	var had bool
	err := s.InTx(c, func(tx *store.Conn) error {
		var err error
		had, err = tx.RemoveCalendarToken(c.Request.Context(), u.ID)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	msg := "Du hade ingen kalenderadress."
	if had {
		msg = "Kalenderadressen är avstängd. Kalendrar som prenumererade på den får inga fler uppdateringar."
	}
	s.Redirect(c, "/kalender", msg)
}
