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
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	all, err := s.DB.Conn().Members(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := membersPage{Committee: cm, Today: s.Today(), CanEdit: kit.CurrentUser(c).HasIn(cm.ID, memberEditors.Roles()...)}
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

var memberFields = []string{"name", "political_party", "role", "appointed_by", "term_from", "term_to", "user_id"}

func memberValues(m domain.Member) map[string]string {
	v := map[string]string{"name": m.Name, "political_party": m.PoliticalParty, "role": string(m.Role),
		"term_from": m.From.String(), "term_to": m.To.String()}
	if m.AppointedBy != 0 {
		v["appointed_by"] = strconv.FormatInt(m.AppointedBy, 10)
	}
	if m.UserID != 0 {
		v["user_id"] = strconv.FormatInt(m.UserID, 10)
	}
	return v
}

// memberFromForm reads the member fields of f; errors are recorded on f.
func memberFromForm(f *kit.Form) domain.Member {
	m := domain.Member{Name: f.Values["name"], PoliticalParty: f.Values["political_party"], Role: domain.MemberRole(f.Value("role"))}
	var err error
	if m.From, err = domain.ParseDateField("term_from", "Mandatperiodens början", f.Value("term_from"), true); err != nil {
		f.Fail(err)
	}
	if m.To, err = domain.ParseDateField("term_to", "Mandatperiodens slut", f.Value("term_to"), false); err != nil {
		f.Fail(err)
	}
	for name, dst := range map[string]*int64{"appointed_by": &m.AppointedBy, "user_id": &m.UserID} {
		if v := f.Value(name); v != "" {
			if *dst, err = strconv.ParseInt(v, 10, 64); err != nil {
				f.Errors[name] = "Välj i listan."
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
	cm, ok := s.registryCommittee(c, memberEditors.Roles()...)
	if !ok {
		return
	}
	f := kit.EmptyForm()
	f.Values["role"] = string(domain.MemberOrdinary)
	s.renderMemberForm(c, http.StatusOK, cm, domain.Member{}, true, f)
}

// createMember adds a member to the committee.
func (s *Handlers) createMember(c *gin.Context) {
	cm, ok := s.registryCommittee(c, memberEditors.Roles()...)
	if !ok {
		return
	}
	f := kit.ReadForm(c, memberFields...)
	m := memberFromForm(f)
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
func (s *Handlers) memberFromPath(c *gin.Context) (domain.Committee, domain.Member, bool) {
	cm, ok := s.registryCommittee(c, memberEditors.Roles()...)
	if !ok {
		return cm, domain.Member{}, false
	}
	id, err := kit.PathID(c, "id")
	var m domain.Member
	if err == nil {
		m, err = s.DB.Conn().MemberByID(c.Request.Context(), cm.ID, id)
	}
	if err != nil {
		s.Fail(c, err)
		return cm, m, false
	}
	return cm, m, true
}

// editMemberForm shows a member's form.
func (s *Handlers) editMemberForm(c *gin.Context) {
	cm, m, ok := s.memberFromPath(c)
	if !ok {
		return
	}
	f := kit.EmptyForm()
	f.Values = memberValues(m)
	s.renderMemberForm(c, http.StatusOK, cm, m, false, f)
}

// editMember saves a member's form. A member who leaves gets the end of the
// term; the member stays in the list of former members.
func (s *Handlers) editMember(c *gin.Context) {
	cm, m, ok := s.memberFromPath(c)
	if !ok {
		return
	}
	f := kit.ReadForm(c, memberFields...)
	changed := memberFromForm(f)
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
