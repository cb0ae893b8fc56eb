// Package anslag serves the public anslagstavla: the notice, required by
// kommunallagen 8 kap. 12 §, that a committee's minutes are justerade, with
// the day of the anslag, the last day to appeal, where the minutes are kept
// and the protokoll as a PDF; and the same as an Atom feed for the host's
// website. It needs no login, and shows nothing else.
package anslag

import (
	"embed"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the anslagstavla on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Register adds the area's templates and routes to k.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.Handle("GET", "/anslagstavla", kit.Anyone, s.page)
	s.Handle("GET", "/anslagstavla.atom", kit.Anyone, s.feed)
	s.Handle("GET", "/anslagstavla/:id/protokoll.pdf", kit.Anyone, s.pdf)
	return s, nil
}

// Notice is one anslag: a committee's justerade minutes.
type Notice struct {
	Committee domain.Committee
	Meeting   meeting.Meeting
	// Day is the meeting's day in words.
	Day         string
	AnnouncedOn domain.Date
	AppealEnds  domain.Date
	// Current is true until the appeal period has ended; afterwards the
	// anslag is taken down and listed as history.
	Current bool
	// KeptAt says where the minutes are kept.
	KeptAt string
	PDF    string
}

// Board is the anslagstavla of one committee.
type Board struct {
	Committee domain.Committee
	Current   []Notice
	History   []Notice
}

// notices reads every anslag, newest first.
func (s *Handlers) notices(c *gin.Context) ([]Notice, error) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	ms, err := conn.AnnouncedMeetings(ctx)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	committees := map[int64]domain.Committee{}
	hosts := map[int64]string{}
	out := make([]Notice, 0, len(ms))
	for _, m := range slices.Backward(ms) {
		cm, ok := committees[m.CommitteeID]
		if !ok {
			if cm, err = conn.CommitteeByID(ctx, m.CommitteeID); err != nil {
				return nil, err
			}
			committees[cm.ID] = cm
			if cm.HostPartyID != 0 {
				host, err := conn.PartyByID(ctx, cm.HostPartyID)
				if err != nil {
					return nil, err
				}
				hosts[cm.ID] = host.Name
			}
		}
		kept := cm.Name + "s sekretariat"
		if h := hosts[cm.ID]; h != "" {
			kept += ", " + h
		}
		end := meeting.AppealPeriodEnd(m.AnnouncedOn)
		out = append(out, Notice{Committee: cm, Meeting: m, Day: kallelse.DayInText(m.Date), AnnouncedOn: m.AnnouncedOn,
			AppealEnds: end, Current: !today.After(end), KeptAt: kept, PDF: "/anslagstavla/" + strconv.FormatInt(m.ID, 10) + "/protokoll.pdf"})
	}
	return out, nil
}

func (s *Handlers) page(c *gin.Context) {
	all, err := s.notices(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var boards []*Board
	for _, n := range all {
		i := slices.IndexFunc(boards, func(b *Board) bool { return b.Committee.ID == n.Committee.ID })
		if i < 0 {
			boards = append(boards, &Board{Committee: n.Committee})
			i = len(boards) - 1
		}
		if n.Current {
			boards[i].Current = append(boards[i].Current, n)
		} else {
			boards[i].History = append(boards[i].History, n)
		}
	}
	c.Header("Cache-Control", "public, max-age=300")
	s.Render(c, http.StatusOK, "anslagstavla", "Anslagstavla", boards)
}

// pdf sends the protokoll of an announced meeting; any other meeting is
// not found, so nothing but the anslag is public.
func (s *Handlers) pdf(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.Fail(c, kit.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	m, err := conn.MeetingByID(ctx, id)
	if err != nil || m.AnnouncedOn.IsZero() || m.LockedAt.IsZero() {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Det finns inget anslag om det protokollet."))
		return
	}
	cm, err := conn.CommitteeByID(ctx, m.CommitteeID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	mins, err := protokoll.Load(ctx, conn, cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	b, err := protokoll.Protokoll(mins)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="Protokoll %s %s.pdf"`, cm.Code, m.Date))
	c.Data(http.StatusOK, "application/pdf", b)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// feed is the anslagstavla as Atom, newest anslag first, with absolute
// links from GNS_BASE_URL.
func (s *Handlers) feed(c *gin.Context) {
	all, err := s.notices(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := atomFeed{Title: "Anslagstavla – GNS", ID: s.BaseURL + "/anslagstavla", Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Link:   []atomLink{{Href: s.BaseURL + "/anslagstavla"}, {Href: s.BaseURL + "/anslagstavla.atom", Rel: "self", Type: "application/atom+xml"}},
		Author: atomAuthor{Name: "GNS"}}
	for _, n := range all {
		at := n.Meeting.LockedAt.UTC().Format(time.RFC3339)
		if at > f.Updated {
			f.Updated = at
		}
		f.Entries = append(f.Entries, atomEntry{
			Title:   fmt.Sprintf("%s: protokoll från sammanträdet %s är justerat", n.Committee.Name, n.Day),
			ID:      fmt.Sprintf("%s/anslagstavla/%d", s.BaseURL, n.Meeting.ID),
			Updated: at,
			Link:    atomLink{Href: s.BaseURL + n.PDF, Type: "application/pdf"},
			Summary: fmt.Sprintf("Anslaget den %s. Sista dag att överklaga: %s. Protokollet förvaras hos %s.", n.AnnouncedOn, n.AppealEnds, n.KeptAt),
		})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
