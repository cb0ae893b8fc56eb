package registry

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// partyAccess is what the user may do with one party.
type partyAccess struct {
	// Committees are the committees the party is or has been a member of.
	Committees []int64
	// EditAll is the admin's edit: name, kind, numbers and details.
	EditAll bool
	// EditDetails is the secretariat's: address, invoice and contact fields.
	EditDetails bool
	// RecordPopulation lets the user record and correct population figures.
	RecordPopulation bool
}

// partyFromPath reads the :id of a party route as a party the user may read.
// A party the user may not read is not found: a party representative asking
// for another party gets the same answer as for one that does not exist.
func (s *Handlers) partyFromPath(c *gin.Context) (domain.Party, partyAccess, error) {
	notFound := domain.Errorf(domain.ENOTFOUND, "Parten finns inte.")
	id, err := kit.PathID(c, "id")
	if err != nil {
		return domain.Party{}, partyAccess{}, notFound
	}
	ctx := c.Request.Context()
	p, err := s.DB.Conn().PartyByID(ctx, id)
	if err != nil {
		return domain.Party{}, partyAccess{}, err
	}
	committees, err := s.DB.Conn().PartyCommitteeIDs(ctx, id)
	if err != nil {
		return domain.Party{}, partyAccess{}, err
	}
	u := kit.CurrentUser(c)
	if !mayReadParty(u, id, committees) {
		return domain.Party{}, partyAccess{}, notFound
	}
	a := partyAccess{Committees: committees, EditAll: domain.CanEditParty(*u),
		EditDetails: domain.CanEditPartyDetails(*u, committees), RecordPopulation: domain.CanRecordPartyPopulation(*u, committees)}
	return p, a, nil
}

type partyListLine struct {
	domain.Party
	Committees []string
}

type partiesPage struct {
	Parties []partyListLine
	IsAdmin bool
}

// partiesPage lists the parties the user may read, with the committees they
// belong to.
func (s *Handlers) partiesPage(c *gin.Context) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	parties, err := conn.Parties(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	committees, err := conn.Committees(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	codes := map[int64][]string{}
	ids := map[int64][]int64{}
	for _, cm := range committees {
		members, err := conn.CommitteeParties(ctx, cm.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, m := range members {
			if n := len(ids[m.ID]); n == 0 || ids[m.ID][n-1] != cm.ID {
				ids[m.ID] = append(ids[m.ID], cm.ID)
				codes[m.ID] = append(codes[m.ID], cm.Code)
			}
		}
	}
	u := kit.CurrentUser(c)
	p := partiesPage{IsAdmin: u.Has(domain.RoleAdmin)}
	for _, party := range parties {
		if mayReadParty(u, party.ID, ids[party.ID]) {
			p.Parties = append(p.Parties, partyListLine{Party: party, Committees: codes[party.ID]})
		}
	}
	s.Render(c, http.StatusOK, "parties", "Parter", p)
}

type partyMembershipLine struct {
	domain.MemberParty
	Committee domain.Committee
	CanOpen   bool
}

type populationLine struct {
	domain.PopulationRecord
	Inhabitants string
}

type partyPage struct {
	Party       domain.Party
	Access      partyAccess
	Memberships []partyMembershipLine
	History     []populationLine
	// AddressLines are the lines of the party's address.
	AddressLines []string
	// PeppolHint is the Peppol id the organisation number gives, shown when
	// none is recorded.
	PeppolHint string
	Form       *kit.Form
}

// partyPage shows a party: its numbers, invoice and contact details, its
// memberships, and every population figure recorded for it, corrections
// included.
func (s *Handlers) partyPage(c *gin.Context) {
	p, a, err := s.partyFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderParty(c, http.StatusOK, p, a, kit.FormOf(populationForm{Source: "SCB"}))
}

func (s *Handlers) renderParty(c *gin.Context, status int, p domain.Party, a partyAccess, f *kit.Form) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	page := partyPage{Party: p, Access: a, Form: f}
	if p.Address != "" {
		page.AddressLines = strings.Split(p.Address, "\n")
	}
	if p.PeppolID == "" {
		page.PeppolHint = domain.PeppolID(p.OrgNumber)
	}
	ms, err := conn.PartyMemberships(ctx, p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, m := range ms {
		cm, err := conn.CommitteeByID(ctx, m.Membership.CommitteeID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		page.Memberships = append(page.Memberships, partyMembershipLine{MemberParty: m, Committee: cm, CanOpen: u.InCommittee(cm.ID)})
	}
	hist, err := conn.PopulationHistory(ctx, p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, h := range hist {
		page.History = append(page.History, populationLine{PopulationRecord: h, Inhabitants: sv.Integer(h.Inhabitants)})
	}
	s.Render(c, status, "party", p.Name, page)
}

type partyFormPage struct {
	Party domain.Party
	// New is true for the form that creates a party.
	New bool
	// All is true when every field may be edited (the admin); otherwise only
	// the details.
	All   bool
	Form  *kit.Form
	Kinds []domain.PartyKind
}

// partyForm is the party form: every field for the admin, the details
// (address, invoice and contact fields) for the secretariat.
type partyForm struct {
	Name             string `form:"name"`
	Slug             string `form:"slug"`
	Kind             string `form:"kind"`
	OrgNumber        string `form:"org_number"`
	MunicipalityCode string `form:"municipality_code"`
	Address          string `form:"address"`
	InvoiceReference string `form:"invoice_reference"`
	PeppolID         string `form:"peppol_id"`
	InvoiceEmail     string `form:"invoice_email"`
	ContactName      string `form:"contact_name"`
	ContactEmail     string `form:"contact_email"`
	ContactPhone     string `form:"contact_phone"`
	RegistryEmail    string `form:"registry_email"`
}

// PartyFields are the fields of the party form, in its order.
var PartyFields = kit.FieldNames(&partyForm{})

// partyFormOf fills the party form with p.
func partyFormOf(p domain.Party) partyForm {
	return partyForm{
		Name: p.Name, Slug: p.Slug, Kind: string(p.Kind), OrgNumber: p.OrgNumber, MunicipalityCode: p.MunicipalityCode,
		Address: p.Address, InvoiceReference: p.InvoiceReference, PeppolID: p.PeppolID, InvoiceEmail: p.InvoiceEmail,
		ContactName: p.ContactName, ContactEmail: p.ContactEmail, ContactPhone: p.ContactPhone,
		RegistryEmail: p.RegistryEmail,
	}
}

// party is the party the form describes, to be normalised and checked.
func (in partyForm) party() domain.Party {
	return domain.Party{
		Name: in.Name, Slug: in.Slug, Kind: domain.PartyKind(in.Kind),
		OrgNumber: in.OrgNumber, MunicipalityCode: in.MunicipalityCode,
		PartyDetails: in.details(),
	}
}

// details are the form's address, invoice and contact fields.
func (in partyForm) details() domain.PartyDetails {
	return domain.PartyDetails{
		Address: in.Address, InvoiceReference: in.InvoiceReference, PeppolID: in.PeppolID, InvoiceEmail: in.InvoiceEmail,
		ContactName: in.ContactName, ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone,
		RegistryEmail: in.RegistryEmail,
	}
}

var partyKinds = []domain.PartyKind{domain.PartyKindKommun, domain.PartyKindRegion}

// newPartyForm shows the form for a new party.
func (s *Handlers) newPartyForm(c *gin.Context) {
	f := kit.FormOf(partyForm{Kind: string(domain.PartyKindKommun)})
	s.renderPartyForm(c, http.StatusOK, partyFormPage{New: true, All: true, Form: f})
}

// createParty registers a party.
func (s *Handlers) createParty(c *gin.Context) {
	var in partyForm
	f := kit.Bind(c, &in)
	var p domain.Party
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		p, err = tx.CreateParty(c.Request.Context(), in.party())
		return err
	}, func(status int) {
		s.renderPartyForm(c, status, partyFormPage{New: true, All: true, Form: f})
	})
	if saved {
		s.Redirect(c, kit.PartyURL(p), p.Name+" är registrerad. Lägg till den i en nämnd på nämndens sida.")
	}
}

// errMayNotEditParty answers a user who may read a party but not change it.
var errMayNotEditParty = domain.Errorf(domain.EFORBIDDEN, "Bara systemadministratören och sekretariatet i partens nämnder kan ändra partens uppgifter.")

// partyForChange is partyFromPath for a change that the user's access to the
// party must allow; otherwise its error is denied.
func (s *Handlers) partyForChange(c *gin.Context, may func(partyAccess) bool, denied error) (domain.Party, partyAccess, error) {
	p, a, err := s.partyFromPath(c)
	if err == nil && !may(a) {
		err = denied
	}
	if err != nil {
		return domain.Party{}, partyAccess{}, err
	}
	return p, a, nil
}

func mayEditDetails(a partyAccess) bool { return a.EditDetails }

// editPartyForm shows the form for a party: every field for the admin, the
// address, invoice and contact fields for the secretariat.
func (s *Handlers) editPartyForm(c *gin.Context) {
	p, a, err := s.partyForChange(c, mayEditDetails, errMayNotEditParty)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderPartyForm(c, http.StatusOK, partyFormPage{Party: p, All: a.EditAll, Form: kit.FormOf(partyFormOf(p))})
}

// editParty saves the party form.
func (s *Handlers) editParty(c *gin.Context) {
	p, a, err := s.partyForChange(c, mayEditDetails, errMayNotEditParty)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in partyForm
	f := kit.Bind(c, &in)
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		ctx := c.Request.Context()
		if a.EditAll {
			changed := in.party()
			changed.ID = p.ID
			_, err := tx.UpdateParty(ctx, changed)
			return err
		}
		_, err := tx.UpdatePartyDetails(ctx, p.ID, in.details())
		return err
	}, func(status int) {
		s.renderPartyForm(c, status, partyFormPage{Party: p, All: a.EditAll, Form: f})
	})
	if saved {
		s.Redirect(c, kit.PartyURL(p), "Uppgifterna är sparade.")
	}
}

// renderPartyForm shows the party form, new or for a party, with its fields
// checked one at a time as the user leaves them (checkPartyField).
func (s *Handlers) renderPartyForm(c *gin.Context, status int, page partyFormPage) {
	title := "Ny part"
	page.Form.Check = NewPartyCheckPath
	if !page.New {
		title = "Ändra " + page.Party.Name
		page.Form.Check = kit.PartyURL(page.Party) + "/redigera/kontrollera"
	}
	page.Kinds = partyKinds
	s.Render(c, status, "party_form", title, page)
}

// NewPartyCheckPath checks one field of the form for a new party.
const NewPartyCheckPath = "/admin/parter/kontrollera"

// detailFields are the party form's fields that the secretariat may edit.
var detailFields = []string{"address", "invoice_reference", "peppol_id", "invoice_email", "contact_name", "contact_email", "contact_phone", "registry_email"}

// checkNewPartyField checks one field of the form for a new party: the
// admin's, like the form.
func (s *Handlers) checkNewPartyField(c *gin.Context) {
	s.checkPartyField(c, NewPartyCheckPath, PartyFields)
}

// checkEditedPartyField checks one field of a party's form, for those who
// may edit the party, and only a field their form has.
func (s *Handlers) checkEditedPartyField(c *gin.Context) {
	p, a, err := s.partyForChange(c, mayEditDetails, errMayNotEditParty)
	if err != nil {
		s.Fail(c, err)
		return
	}
	fields := detailFields
	if a.EditAll {
		fields = PartyFields
	}
	s.checkPartyField(c, kit.PartyURL(p)+"/redigera/kontrollera", fields)
}

// checkPartyField checks one field of the party form (see kit.CheckField). The
// other fields are the context of the rule (the kind for the municipality
// code, the name for an empty slug), never checked: a field the user has not
// reached yet says nothing. The kind's radio buttons are not checked alone.
func (s *Handlers) checkPartyField(c *gin.Context, checkURL string, fields []string) {
	checkable := slices.DeleteFunc(slices.Clone(fields), func(n string) bool { return n == "kind" })
	s.CheckField(c, checkURL, checkable, PartyFields, "party_form", "partyFieldCheck", func(f *kit.Form, name string) error {
		// The typed form is read from the same request as f.
		var in partyForm
		kit.Bind(c, &in)
		return in.party().CheckField(name)
	})
}

// apiCommittees answers GET /api/v1/committees: the committees the user has a
// role in (all for admin and auditor).
func (s *Handlers) apiCommittees(c *gin.Context) {
	ctx := c.Request.Context()
	all, err := s.DB.Conn().Committees(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := kit.CurrentUser(c)
	out := []gin.H{}
	for _, cm := range all {
		if !u.InCommittee(cm.ID) {
			continue
		}
		out = append(out, gin.H{"id": cm.ID, "code": cm.Code, "name": cm.Name, "started_on": cm.StartedOn, "host_party_id": nullInt(cm.HostPartyID)})
	}
	c.JSON(http.StatusOK, gin.H{"committees": out})
}

// apiCommitteeParties answers GET /api/v1/committees/{code}/parties: the
// parties that are members on a date (today unless ?date= says), in the
// committee's order with the host first. The invoice and contact fields are
// given only for parties whose page the user may read.
func (s *Handlers) apiCommitteeParties(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	day := s.Today()
	if v := c.Query("date"); v != "" {
		var err error
		if day, err = domain.ParseDateField("date", "Datumet", v, true); err != nil {
			s.Fail(c, err)
			return
		}
	}
	parties, err := s.DB.Conn().CommitteePartiesOn(c.Request.Context(), cm.ID, day)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := kit.CurrentUser(c)
	out := make([]gin.H, len(parties))
	for i, p := range parties {
		h := gin.H{"id": p.ID, "slug": p.Slug, "name": p.Name, "kind": p.Kind, "host": p.Host, "order": i + 1,
			"org_number": nullString(p.OrgNumber), "municipality_code": nullString(p.MunicipalityCode),
			"member_from": p.Membership.From, "member_to": p.Membership.To}
		if mayReadParty(u, p.ID, []int64{cm.ID}) {
			h["address"] = nullString(p.Address)
			h["invoice_reference"] = nullString(p.InvoiceReference)
			h["peppol_id"] = nullString(p.PeppolID)
			h["invoice_email"] = nullString(p.InvoiceEmail)
			h["contact"] = gin.H{"name": nullString(p.ContactName), "email": nullString(p.ContactEmail), "phone": nullString(p.ContactPhone)}
			h["registry_email"] = nullString(p.RegistryEmail)
		}
		out[i] = h
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "date": day, "parties": out})
}

// nullString gives "" as JSON null: a value not known.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullInt gives 0 as JSON null.
func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
