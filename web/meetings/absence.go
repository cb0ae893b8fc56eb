package meetings

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// Absentees are the users who report förhinder: members.
var Absentees = kit.Roles(domain.RoleMember)

// absenceRoutes registers "Anmäl förhinder", the member's report that they
// cannot attend a meeting, reached from the meeting page and the link in
// the kallelse mail.
func (s *Handlers) absenceRoutes() {
	s.Handle("GET", "/sammantraden/:id/forhinder", Absentees, s.confirmAbsence)
	s.Handle("POST", "/sammantraden/:id/forhinder", Absentees, s.reportAbsence)
}

// absentMember finds the meeting and the member the user is in it: a member
// whose term covers the day, linked to the user; the kallelse must be
// published and the meeting still to come.
func (s *Handlers) absentMember(c *gin.Context) (domain.Committee, meeting.Meeting, domain.Member, error) {
	cm, m, err := s.MeetingFor(c, []domain.Role{domain.RoleMember})
	if err != nil {
		return cm, m, domain.Member{}, err
	}
	switch {
	case m.Cancelled():
		return cm, m, domain.Member{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt.", m.Date)
	case !m.Published():
		return cm, m, domain.Member{}, domain.Errorf(domain.ECONFLICT, "Kallelsen till sammanträdet den %s är inte publicerad ännu.", m.Date)
	case m.Date.Before(s.Today()):
		return cm, m, domain.Member{}, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s har redan hållits.", m.Date)
	}
	members, err := s.DB.Conn().Members(c.Request.Context(), cm.ID)
	if err != nil {
		return cm, m, domain.Member{}, err
	}
	u := kit.CurrentUser(c)
	for _, mb := range members {
		if mb.UserID == u.ID && mb.ActiveOn(m.Date) {
			return cm, m, mb, nil
		}
	}
	return cm, m, domain.Member{}, domain.Errorf(domain.EFORBIDDEN, "Du är inte kallad till sammanträdet som ledamot eller ersättare.")
}

func (s *Handlers) confirmAbsence(c *gin.Context) {
	_, m, mb, err := s.absentMember(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	day := kallelse.DayInText(m.Date)
	p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: kit.MeetingURL(m.ID),
		Heading: "Anmäl förhinder till sammanträdet " + day + "?",
		Text:    mb.DisplayName() + " kan inte delta. Nämndens sekretariat får veta det med e-post och kallar in en ersättare.",
		Button:  "Anmäl förhinder"}
	s.Render(c, http.StatusOK, "confirm", p.Heading, p)
}

func (s *Handlers) reportAbsence(c *gin.Context) {
	cm, m, mb, err := s.absentMember(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	msg := "Förhindret är redan anmält."
	err = s.InTx(c, func(tx *store.Conn) error {
		created, err := tx.ReportAbsence(ctx, m.ID, mb.ID, kit.CurrentUser(c).ID)
		if err != nil || !created {
			return err
		}
		n, err := app.AbsenceMails(ctx, tx, cm, m, mb, s.BaseURL)
		msg = "Ditt förhinder är anmält. " + s.MailNotice(n, "sekretariatet")
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID), msg)
}
