package registry

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

type membersPage struct {
	Committee domain.Committee
	Today     domain.Date
	// Current are the members whose term has not ended; Former those whose
	// term has.
	Current, Former []domain.Member
	CanEdit         bool
}

// membersPage lists a committee's members, chair first and substitutes last,
// and those whose term has ended.
func (s *Handlers) membersPage(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	all, err := s.DB.Conn().Members(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := membersPage{Committee: cm, Today: s.Today(), CanEdit: domain.CanEditMembers(*kit.CurrentUser(c), cm)}
	for _, m := range all {
		if !m.To.IsZero() && m.To.Before(p.Today) {
			p.Former = append(p.Former, m)
		} else {
			p.Current = append(p.Current, m)
		}
	}
	s.Render(c, http.StatusOK, "members", "Ledamöter "+cm.Code, p)
}

type memberFormPage struct {
	Committee domain.Committee
	Member    domain.Member
	// New is true for the form that adds a member.
	New  bool
	Form *kit.Form
	// Role, AppointedBy and User are the form's select fields.
	Role, AppointedBy, User kit.ChoiceView
}

// memberForm is the form for a member or substitute of a committee.
type memberForm struct {
	Name           string `form:"name"`
	PoliticalParty string `form:"political_party"`
	Role           string `form:"role"`
	// AppointedBy is a party's id and UserID a user's, "" for none.
	AppointedBy string `form:"appointed_by"`
	TermFrom    string `form:"term_from"`
	TermTo      string `form:"term_to"`
	UserID      string `form:"user_id"`
	Email       string `form:"email"`
}

// memberFormOf fills the member form with m.
func memberFormOf(m domain.Member) memberForm {
	in := memberForm{Name: m.Name, PoliticalParty: m.PoliticalParty, Role: string(m.Role),
		TermFrom: m.From.String(), TermTo: m.To.String(), Email: m.Email}
	if m.AppointedBy != 0 {
		in.AppointedBy = strconv.FormatInt(m.AppointedBy, 10)
	}
	if m.UserID != 0 {
		in.UserID = strconv.FormatInt(m.UserID, 10)
	}
	return in
}

// member reads the member of the form; errors are recorded on f.
func (in memberForm) member(f *kit.Form) domain.Member {
	m := domain.Member{Name: in.Name, PoliticalParty: in.PoliticalParty, Role: domain.MemberRole(in.Role), Email: in.Email}
	var err error
	if m.From, err = domain.ParseDateField("term_from", "Mandatperiodens början", in.TermFrom, true); err != nil {
		f.Fail(err)
	}
	if m.To, err = domain.ParseDateField("term_to", "Mandatperiodens slut", in.TermTo, false); err != nil {
		f.Fail(err)
	}
	for _, id := range []struct {
		field, value string
		dst          *int64
	}{{"appointed_by", in.AppointedBy, &m.AppointedBy}, {"user_id", in.UserID, &m.UserID}} {
		if id.value != "" {
			if *id.dst, err = strconv.ParseInt(id.value, 10, 64); err != nil {
				f.Fail(domain.FieldErrorf(id.field, "Välj i listan."))
			}
		}
	}
	return m
}

func (s *Handlers) renderMemberForm(c *gin.Context, status int, cm domain.Committee, m domain.Member, isNew bool, f *kit.Form) {
	ctx := c.Request.Context()
	parties, err := s.DB.Conn().CommitteeParties(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// A party with several memberships is offered once.
	seen := map[int64]bool{}
	var choices []domain.Party
	for _, p := range parties {
		if !seen[p.ID] {
			seen[p.ID] = true
			choices = append(choices, p.Party)
		}
	}
	users, err := s.DB.Conn().MemberUsers(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	roles := make([]kit.Option, len(domain.MemberRoles))
	for i, r := range domain.MemberRoles {
		roles[i] = kit.Option{Value: string(r), Label: r.Label()}
	}
	userOpts := []kit.Option{{Value: "", Label: "Ingen"}}
	for _, u := range users {
		userOpts = append(userOpts, kit.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
	}
	page := memberFormPage{Committee: cm, Member: m, New: isNew, Form: f,
		Role: kit.Choice(f, "role", "Roll", "", roles),
		AppointedBy: kit.Choice(f, "appointed_by", "Utsedd av", "Kommunen eller regionen vars fullmäktige valde ledamoten.",
			partyOptions(choices, kit.Option{Value: "", Label: "Ej angiven"})),
		User: kit.Choice(f, "user_id", "Användare i GNS (valfritt)",
			"Användare med rollen ledamot/ersättare i nämnden. Kopplingen låter ledamoten läsa sina sammanträdeshandlingar.", userOpts),
	}
	title := "Ny ledamot eller ersättare"
	if !isNew {
		title = m.DisplayName()
	}
	s.Render(c, status, "member", title, page)
}

// newMemberForm shows the form for a new member.
func (s *Handlers) newMemberForm(c *gin.Context) {
	cm, err := s.changeableCommittee(c, domain.CanEditMembers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.FormOf(memberForm{Role: string(domain.MemberOrdinary)})
	s.renderMemberForm(c, http.StatusOK, cm, domain.Member{}, true, f)
}

// createMember adds a member to the committee.
func (s *Handlers) createMember(c *gin.Context) {
	cm, err := s.changeableCommittee(c, domain.CanEditMembers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in memberForm
	f := kit.Bind(c, &in)
	m := in.member(f)
	m.CommitteeID = cm.ID
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		m, err = tx.CreateMember(c.Request.Context(), m)
		return err
	}, func(status int) { s.renderMemberForm(c, status, cm, domain.Member{}, true, f) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm)+"/ledamoter", m.DisplayName()+" är tillagd som "+lowerFirst(m.Role.Label())+".")
	}
}

// memberFromPath reads the :id of a member route in a committee the user may
// change the members of.
func (s *Handlers) memberFromPath(c *gin.Context) (domain.Committee, domain.Member, error) {
	cm, err := s.changeableCommittee(c, domain.CanEditMembers)
	if err != nil {
		return domain.Committee{}, domain.Member{}, err
	}
	id, err := kit.PathID(c, "id")
	var m domain.Member
	if err == nil {
		m, err = s.DB.Conn().MemberByID(c.Request.Context(), cm.ID, id)
	}
	if err != nil {
		return domain.Committee{}, domain.Member{}, err
	}
	return cm, m, nil
}

// editMemberForm shows a member's form.
func (s *Handlers) editMemberForm(c *gin.Context) {
	cm, m, err := s.memberFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderMemberForm(c, http.StatusOK, cm, m, false, kit.FormOf(memberFormOf(m)))
}

// editMember saves a member's form. A member who leaves gets the end of the
// term; the member stays in the list of former members.
func (s *Handlers) editMember(c *gin.Context) {
	cm, m, err := s.memberFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in memberForm
	f := kit.Bind(c, &in)
	changed := in.member(f)
	changed.ID, changed.CommitteeID = m.ID, cm.ID
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.UpdateMember(c.Request.Context(), changed)
		return err
	}, func(status int) { s.renderMemberForm(c, status, cm, m, false, f) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm)+"/ledamoter", "Uppgifterna om "+changed.Name+" är sparade.")
	}
}

// lowerFirst returns s with its first letter in lower case, for a label in
// running text ("Vice ordförande" → "vice ordförande").
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
