package meetings

import (
	"context"
	"net/http"
	"strconv"

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
	s.Handle("GET", "/sammantraden/:id/forhinder/:member/kalla-in", Writers, s.confirmCallIn)
	s.Handle("POST", "/sammantraden/:id/forhinder/:member/kalla-in", Writers, s.callIn)
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

// absenceLine is a förhinder on the meeting page, for the secretariat: a
// ledamot's is replaced by an ersättare called in from Candidates, in the
// order they stand (none once the meeting is cancelled or justerad).
type absenceLine struct {
	meeting.Absence
	Ledamot    bool
	Open       bool
	Candidates []domain.Member
}

// absenceLines are the meeting's förhinder with the ersättare to call in.
func (s *Handlers) absenceLines(ctx context.Context, m meeting.Meeting) ([]absenceLine, error) {
	conn := s.DB.Conn()
	absences, err := conn.Absences(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]absenceLine, len(absences))
	for i, a := range absences {
		mb, err := conn.MemberByID(ctx, m.CommitteeID, a.MemberID)
		if err != nil {
			return nil, err
		}
		out[i] = absenceLine{Absence: a, Ledamot: mb.Role != domain.MemberSubstitute, Open: !m.Cancelled() && !m.Locked()}
		if out[i].Ledamot && out[i].Open {
			if out[i].Candidates, err = app.SubstitutesFor(ctx, conn, m, mb); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// callInFor reads a call-in route: the meeting (the secretariat's), the
// ledamot with förhinder (:member) and the chosen ersättare (?ersattare=).
func (s *Handlers) callInFor(c *gin.Context) (domain.Committee, meeting.Meeting, domain.Member, domain.Member, error) {
	var none domain.Member
	cm, m, err := s.MeetingFor(c, Editors)
	if err != nil {
		return cm, m, none, none, err
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	absentID, err := strconv.ParseInt(c.Param("member"), 10, 64)
	if err != nil || absentID < 1 {
		return cm, m, none, none, domain.Errorf(domain.ENOTFOUND, "Ledamoten finns inte.")
	}
	absent, err := conn.MemberByID(ctx, cm.ID, absentID)
	if err != nil {
		return cm, m, none, none, err
	}
	subID, err := kit.ParseID("ersattare", c.Query("ersattare"), "Välj en ersättare i listan.")
	if err == nil && subID == 0 {
		err = domain.FieldErrorf("ersattare", "Välj en ersättare i listan.")
	}
	if err != nil {
		return cm, m, absent, none, err
	}
	sub, err := conn.MemberByID(ctx, cm.ID, subID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		err = domain.FieldErrorf("ersattare", "Välj en ersättare i listan.")
	}
	return cm, m, absent, sub, err
}

// confirmCallIn asks before the ersättare is called in and sent the
// kallelse.
func (s *Handlers) confirmCallIn(c *gin.Context) {
	_, m, absent, sub, err := s.callInFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := kit.ConfirmPage{Action: c.Request.URL.Path + "?ersattare=" + strconv.FormatInt(sub.ID, 10), Back: kit.MeetingURL(m.ID) + "#forhinder",
		Heading: "Kalla in " + sub.Name + " för " + absent.Name + "?",
		Text: sub.DisplayName() + " kallas in som ersättare för " + absent.DisplayName() + " till sammanträdet " + kallelse.DayInText(m.Date) +
			" och får kallelsen med e-post. Närvarolistan utgår sedan från att " + sub.Name + " tjänstgör för " + absent.Name + ".",
		Button: "Kalla in " + sub.Name}
	s.Render(c, http.StatusOK, "confirm", p.Heading, p)
}

// callIn calls the ersättare in and sends the kallelse.
func (s *Handlers) callIn(c *gin.Context) {
	cm, m, absent, sub, err := s.callInFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var msg string
	err = s.InTx(c, func(tx *store.Conn) error {
		n, err := app.CallIn(ctx, tx, cm, m, absent, sub, s.BaseURL)
		msg = sub.Name + " är inkallad för " + absent.Name + ". " + s.MailNotice(n, "ersättaren")
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#forhinder", msg)
}
