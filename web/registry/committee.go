package registry

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// The access rules of the registry's routes. The committee-level check (the
// role must be held in the committee or party concerned) is made by each
// handler with the predicates of package domain.
var (
	// memberEditors manage a committee's members (domain.CanEditMembers).
	memberEditors = kit.Roles(domain.MemberEditors...)
	// partyEditors edit a party: the admin everything, the secretariat of one
	// of the party's committees its address, invoice and contact fields
	// (domain.CanEditParty, domain.CanEditPartyDetails).
	partyEditors = kit.Roles(domain.PartyEditors...)
	// populationEditors record population figures, which drive allocations
	// (domain.CanRecordPopulations, domain.CanRecordPartyPopulation).
	populationEditors = kit.Roles(domain.PopulationRecorders...)
)

// routes registers the committee, party, member and population pages
// and their API.
func (s *Handlers) routes() {
	s.Handle("GET", "/admin/namnder/ny", kit.AdminOnly, s.newCommitteeForm)
	s.Handle("POST", "/admin/namnder", kit.AdminOnly, s.createCommittee)
	s.Handle("POST", NewCommitteeCheckPath, kit.AdminOnly, s.checkNewCommitteeField)
	s.Handle("GET", "/namnder", kit.LoggedIn, s.committeeListPage)
	s.Handle("GET", "/namnder/:code", kit.LoggedIn, s.committeePage)
	s.Handle("GET", "/namnder/:code/redigera", kit.AdminOnly, s.editCommitteeForm)
	s.Handle("POST", "/namnder/:code/redigera", kit.AdminOnly, s.editCommittee)
	s.Handle("POST", "/namnder/:code/redigera/kontrollera", kit.AdminOnly, s.checkEditedCommitteeField)
	s.Handle("POST", "/namnder/:code/parter", kit.AdminOnly, s.addMembership)
	s.Handle("POST", "/namnder/:code/parter/:id/flytta", kit.AdminOnly, s.moveParty)
	s.Handle("GET", "/namnder/:code/parter/:id/avsluta", kit.AdminOnly, s.endMembershipForm)
	s.Handle("POST", "/namnder/:code/parter/:id/avsluta", kit.AdminOnly, s.endMembership)
	s.Handle("POST", "/namnder/:code/styrdokument", kit.AdminOnly, s.uploadCommitteeDocument)
	s.Handle("GET", "/namnder/:code/styrdokument/:id", kit.LoggedIn, s.downloadCommitteeDocument)

	s.Handle("GET", "/namnder/:code/ledamoter", kit.LoggedIn, s.membersPage)
	s.Handle("GET", "/namnder/:code/ledamoter/ny", memberEditors, s.newMemberForm)
	s.Handle("POST", "/namnder/:code/ledamoter", memberEditors, s.createMember)
	s.Handle("GET", "/namnder/:code/ledamoter/:id", memberEditors, s.editMemberForm)
	s.Handle("POST", "/namnder/:code/ledamoter/:id", memberEditors, s.editMember)

	s.Handle("GET", "/namnder/:code/invanare", kit.LoggedIn, s.populationsPage)
	s.Handle("GET", "/namnder/:code/invanare/importera", populationEditors, s.importPopulationsForm)
	s.Handle("POST", "/namnder/:code/invanare/importera", populationEditors, s.importPopulations)

	s.Handle("GET", "/parter", kit.LoggedIn, s.partiesPage)
	s.Handle("GET", "/admin/parter/ny", kit.AdminOnly, s.newPartyForm)
	s.Handle("POST", "/admin/parter", kit.AdminOnly, s.createParty)
	s.Handle("POST", NewPartyCheckPath, kit.AdminOnly, s.checkNewPartyField)
	s.Handle("GET", "/parter/:id", kit.LoggedIn, s.partyPage)
	s.Handle("GET", "/parter/:id/redigera", partyEditors, s.editPartyForm)
	s.Handle("POST", "/parter/:id/redigera", partyEditors, s.editParty)
	s.Handle("POST", "/parter/:id/redigera/kontrollera", partyEditors, s.checkEditedPartyField)
	s.Handle("POST", "/parter/:id/invanare", populationEditors, s.recordPopulation)

	s.Handle("GET", "/api/v1/committees", kit.LoggedIn, s.apiCommittees)
	s.Handle("GET", "/api/v1/committees/:code/parties", kit.LoggedIn, s.apiCommitteeParties)
	s.Handle("GET", "/api/v1/parties/:id/populations", kit.LoggedIn, s.apiPopulations)
	s.Handle("POST", "/api/v1/parties/:id/populations", populationEditors, s.apiRecordPopulation)
}

// registryCommittee reads the :code of a route as a committee the user may
// read.
func (s *Handlers) registryCommittee(c *gin.Context) (domain.Committee, error) {
	return s.ReadableCommittee(c, c.Param("code"))
}

// changeableCommittee is registryCommittee for a change that may, a
// predicate of package domain, must allow the user in the committee.
func (s *Handlers) changeableCommittee(c *gin.Context, may func(domain.User, domain.Committee) bool) (domain.Committee, error) {
	cm, err := s.registryCommittee(c)
	if err == nil && !may(*kit.CurrentUser(c), cm) {
		err = domain.Errorf(domain.EFORBIDDEN, "Du har inte behörighet att ändra det här i nämnden %s.", cm.Code)
	}
	if err != nil {
		return domain.Committee{}, err
	}
	return cm, nil
}

// partyLine is a party on the committee page.
type partyLine struct {
	domain.MemberParty
	// CanOpen tells whether the viewer may open the party's page.
	CanOpen bool
	// Number is the party's place among the current parties, from 1.
	Number int
	// CanMoveUp and CanMoveDown tell which way the party can move in the
	// order; the host stays first.
	CanMoveUp, CanMoveDown bool
}

// documentGroup is one kind of governing document with its versions, the
// one in force first.
type documentGroup struct {
	Kind     domain.GoverningDocKind
	Versions []documentLine
}

type documentLine struct {
	domain.CommitteeDocument
	Size string
}

type committeePage struct {
	Committee domain.Committee
	HostName  string
	Today     domain.Date
	Parties   []partyLine
	Former    []partyLine
	// Members are the members whose term covers today, in kallelse order.
	Members   []domain.Member
	Documents []documentGroup
	// Candidates are the parties that can be added as members.
	Candidates []domain.Party
	// PartyChoice and KindChoice are the select fields of the admin's forms.
	PartyChoice, KindChoice kit.ChoiceView
	// LatestPopulation is the latest reference date with figures.
	LatestPopulation domain.Date
	IsAdmin          bool
	CanEditMembers   bool
	PartyForm        *kit.Form
	DocumentForm     *kit.Form
}

// committeePage shows a committee: its parties in order with their membership
// dates and the host marked, its members by role, its governing documents,
// and the way to its population table.
func (s *Handlers) committeePage(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderCommittee(c, http.StatusOK, cm, kit.EmptyForm(), kit.EmptyForm())
}

func (s *Handlers) renderCommittee(c *gin.Context, status int, cm domain.Committee, partyForm, docForm *kit.Form) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	p := committeePage{Committee: cm, Today: s.Today(), IsAdmin: u.Has(domain.RoleAdmin),
		CanEditMembers: domain.CanEditMembers(*u, cm), PartyForm: partyForm, DocumentForm: docForm}
	all, err := conn.CommitteeParties(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	current := map[int64]bool{}
	for _, mp := range all {
		line := partyLine{MemberParty: mp, CanOpen: mayReadParty(u, mp.ID, []int64{cm.ID})}
		if mp.Host {
			p.HostName = mp.Name
		}
		if !mp.Membership.To.IsZero() && mp.Membership.To.Before(p.Today) {
			p.Former = append(p.Former, line)
			continue
		}
		current[mp.ID] = true
		p.Parties = append(p.Parties, line)
	}
	for i := range p.Parties {
		line := &p.Parties[i]
		line.Number = i + 1
		line.CanMoveUp = !line.Host && i > 0 && !p.Parties[i-1].Host
		line.CanMoveDown = !line.Host && i < len(p.Parties)-1
	}
	if p.IsAdmin {
		parties, err := conn.Parties(ctx)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, party := range parties {
			if !current[party.ID] {
				p.Candidates = append(p.Candidates, party)
			}
		}
		p.PartyChoice = kit.Choice(partyForm, "party_id", "Part", "", partyOptions(p.Candidates))
		kinds := make([]kit.Option, len(domain.GoverningDocKinds))
		for i, k := range domain.GoverningDocKinds {
			kinds[i] = kit.Option{Value: string(k), Label: k.Label()}
		}
		p.KindChoice = kit.Choice(docForm, "kind", "Dokument", "", kinds)
	}
	members, err := conn.Members(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, m := range members {
		if m.ActiveOn(p.Today) {
			p.Members = append(p.Members, m)
		}
	}
	docs, err := conn.CommitteeDocuments(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, k := range domain.GoverningDocKinds {
		g := documentGroup{Kind: k}
		for _, d := range docs {
			if d.Kind == k {
				g.Versions = append(g.Versions, documentLine{CommitteeDocument: d, Size: kit.FileSize(d.Size)})
			}
		}
		p.Documents = append(p.Documents, g)
	}
	dates, err := conn.PopulationDates(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(dates) > 0 {
		p.LatestPopulation = dates[0]
	}
	s.Render(c, status, "committee", cm.Name, p)
}

// mayReadParty is domain.CanReadParty for the user, of a party that is or
// has been a member of the committees.
func mayReadParty(u *domain.User, partyID int64, committeeIDs []int64) bool {
	return domain.CanReadParty(*u, partyID, committeeIDs)
}

type committeeFormPage struct {
	Committee domain.Committee
	// New is true for the form that creates a committee.
	New     bool
	Form    *kit.Form
	Parties []domain.Party
	// Host is the select field of the host party.
	Host kit.ChoiceView
}

// committeeForm is the form for a committee: a new one with its code, or
// the name, start and host of one.
type committeeForm struct {
	Code      string `form:"code"`
	Name      string `form:"name"`
	StartedOn string `form:"started_on"`
	// HostPartyID is a party's id, "" for none chosen.
	HostPartyID string `form:"host_party_id"`
	// ChairSigns is "ja" when the ordförande signs the minutes.
	ChairSigns string `form:"chair_signs_minutes"`
}

// committee reads the committee of the form; errors are recorded on f.
func (in committeeForm) committee(f *kit.Form) domain.Committee {
	cm := domain.Committee{Code: in.Code, Name: in.Name, ChairSignsMinutes: in.ChairSigns != ""}
	var err error
	if cm.StartedOn, err = domain.ParseDateField("started_on", "Startdatumet", in.StartedOn, true); err != nil {
		f.Fail(err)
	}
	if in.HostPartyID != "" {
		if cm.HostPartyID, err = strconv.ParseInt(in.HostPartyID, 10, 64); err != nil {
			f.Fail(domain.FieldErrorf("host_party_id", "Välj värdpart i listan."))
		}
	}
	return cm
}

// newCommitteeForm shows the form for a new committee.
func (s *Handlers) newCommitteeForm(c *gin.Context) {
	s.renderCommitteeForm(c, http.StatusOK, domain.Committee{}, true, kit.FormOf(committeeForm{}))
}

func (s *Handlers) renderCommitteeForm(c *gin.Context, status int, cm domain.Committee, isNew bool, f *kit.Form) {
	ctx := c.Request.Context()
	var parties []domain.Party
	var err error
	if isNew {
		parties, err = s.DB.Conn().Parties(ctx)
	} else {
		var members []domain.MemberParty
		members, err = s.DB.Conn().CommitteePartiesOn(ctx, cm.ID, s.Today())
		for _, m := range members {
			parties = append(parties, m.Party)
		}
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	title := "Ny nämnd"
	if !isNew {
		title = "Ändra " + cm.Code
	}
	var first []kit.Option
	hint := "En ny värdpart måste vara medlem i nämnden."
	if isNew {
		first = []kit.Option{{Value: "", Label: "Välj värdpart"}}
		hint = "Värdparten blir nämndens första part."
	}
	host := kit.Choice(f, "host_party_id", "Värdpart", hint, partyOptions(parties, first...))
	f.Check = NewCommitteeCheckPath
	if !isNew {
		f.Check = kit.CommitteeURL(cm) + "/redigera/kontrollera"
	}
	s.Render(c, status, "committee_form", title, committeeFormPage{Committee: cm, New: isNew, Form: f, Parties: parties, Host: host})
}

// NewCommitteeCheckPath checks one field of the form for a new committee.
const NewCommitteeCheckPath = "/admin/namnder/kontrollera"

// checkNewCommitteeField checks one field of the form for a new committee.
func (s *Handlers) checkNewCommitteeField(c *gin.Context) {
	s.checkCommitteeField(c, NewCommitteeCheckPath, "code", "name", "started_on")
}

// checkEditedCommitteeField checks one field of a committee's form; the code
// is not on it.
func (s *Handlers) checkEditedCommitteeField(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.checkCommitteeField(c, kit.CommitteeURL(cm)+"/redigera/kontrollera", "name", "started_on")
}

// checkCommitteeField checks one of fields of the committee form (see
// kit.CheckField); the host's list offers only what may be chosen and is not
// checked. Whether a code is taken is told when the form is sent.
func (s *Handlers) checkCommitteeField(c *gin.Context, checkURL string, fields ...string) {
	s.CheckField(c, checkURL, fields, fields, "committee_form", "committeeFieldCheck", func(f *kit.Form, name string) error {
		// The typed form is read from the same request as f; only the
		// checked field's rule runs, and its errors go to f.
		var in committeeForm
		kit.Bind(c, &in)
		return in.committee(f).CheckField(name) // a bad date is recorded on f
	})
}

// createCommittee creates a committee with its host as its first party, a
// member from the committee's start.
func (s *Handlers) createCommittee(c *gin.Context) {
	var in committeeForm
	f := kit.Bind(c, &in)
	cm := in.committee(f)
	if cm.HostPartyID == 0 && f.Errors["host_party_id"] == "" {
		f.Fail(domain.FieldErrorf("host_party_id", "Välj värdpart. En gemensam nämnd hör alltid till en värdpart."))
	}
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		ctx := c.Request.Context()
		var err error
		if cm, err = tx.CreateCommittee(ctx, cm); err != nil {
			return err
		}
		return tx.AddMembership(ctx, domain.Membership{CommitteeID: cm.ID, PartyID: cm.HostPartyID, Position: 1, From: cm.StartedOn})
	}, func(status int) { s.renderCommitteeForm(c, status, domain.Committee{}, true, f) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm), "Nämnden är skapad med värdparten som första part. Lägg till övriga parter nedan.")
	}
}

// editCommitteeForm shows the form for a committee's name, start and host.
func (s *Handlers) editCommitteeForm(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := committeeForm{Name: cm.Name, StartedOn: cm.StartedOn.String(), HostPartyID: strconv.FormatInt(cm.HostPartyID, 10)}
	if cm.ChairSignsMinutes {
		in.ChairSigns = "ja"
	}
	s.renderCommitteeForm(c, http.StatusOK, cm, false, kit.FormOf(in))
}

// editCommittee saves a committee's name, start and host; the code stays.
func (s *Handlers) editCommittee(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in committeeForm
	f := kit.Bind(c, &in)
	changed := in.committee(f)
	changed.ID, changed.Code = cm.ID, cm.Code
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.UpdateCommittee(c.Request.Context(), changed, s.Today())
		return err
	}, func(status int) { s.renderCommitteeForm(c, status, cm, false, f) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm), "Nämnden är ändrad.")
	}
}

// membershipForm adds a party to a committee from a date.
type membershipForm struct {
	PartyID    string `form:"party_id"`
	MemberFrom string `form:"member_from"`
}

// addMembership makes a party a member of the committee from a date, last in
// the party order.
func (s *Handlers) addMembership(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in membershipForm
	f := kit.Bind(c, &in)
	m := domain.Membership{CommitteeID: cm.ID}
	if m.PartyID, err = strconv.ParseInt(in.PartyID, 10, 64); err != nil {
		f.Fail(domain.FieldErrorf("party_id", "Välj en part i listan."))
	}
	if m.From, err = domain.ParseDateField("member_from", "Datumet", in.MemberFrom, true); err != nil {
		f.Fail(err)
	}
	saved := s.Submit(c, f, func(tx *store.Conn) error { return tx.AddMembership(c.Request.Context(), m) },
		func(status int) { s.renderCommittee(c, status, cm, f, kit.EmptyForm()) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm)+"#parter", "Parten är tillagd i nämnden.")
	}
}

// moveForm is the button that moves a party in the party order: "upp" moves
// it up, anything else down.
type moveForm struct {
	Direction string `form:"riktning"`
}

// moveParty moves a party one place up or down in the party order.
func (s *Handlers) moveParty(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in moveForm
	kit.Bind(c, &in) // a value that cannot be read moves down, as any other
	id, err := kit.PathID(c, "id")
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			return tx.MoveParty(c.Request.Context(), cm.ID, id, in.Direction == "upp", s.Today())
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.CommitteeURL(cm)+"#parter", "Partsordningen är ändrad.")
}

type endMembershipPage struct {
	Committee domain.Committee
	Party     domain.Party
	Form      *kit.Form
}

// membershipEndForm is the last day of a party's membership.
type membershipEndForm struct {
	MemberTo string `form:"member_to"`
}

// endMembershipForm asks for the last day of a party's membership.
func (s *Handlers) endMembershipForm(c *gin.Context) {
	cm, party, err := s.membershipTarget(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.FormOf(membershipEndForm{MemberTo: s.Today().String()})
	s.Render(c, http.StatusOK, "membership_end", "Avsluta medlemskap", endMembershipPage{Committee: cm, Party: party, Form: f})
}

// membershipTarget reads the committee and party of a membership route.
func (s *Handlers) membershipTarget(c *gin.Context) (domain.Committee, domain.Party, error) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		return domain.Committee{}, domain.Party{}, err
	}
	id, err := kit.PathID(c, "id")
	var party domain.Party
	if err == nil {
		party, err = s.DB.Conn().PartyByID(c.Request.Context(), id)
	}
	if err != nil {
		return domain.Committee{}, domain.Party{}, err
	}
	return cm, party, nil
}

// endMembership records the last day of a party's membership. The party
// stays in the committee's history.
func (s *Handlers) endMembership(c *gin.Context) {
	cm, party, err := s.membershipTarget(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in membershipEndForm
	f := kit.Bind(c, &in)
	last, err := domain.ParseDateField("member_to", "Sista dagen", in.MemberTo, true)
	f.Fail(err)
	saved := s.Submit(c, f, func(tx *store.Conn) error { return tx.EndMembership(c.Request.Context(), cm.ID, party.ID, last) },
		func(status int) {
			s.Render(c, status, "membership_end", "Avsluta medlemskap", endMembershipPage{Committee: cm, Party: party, Form: f})
		})
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm)+"#parter", party.Name+" är medlem till och med "+last.String()+".")
	}
}

// committeeDocumentForm is a version of a governing document; the file
// comes as the upload "file".
type committeeDocumentForm struct {
	Kind              string `form:"kind"`
	Title             string `form:"title"`
	DecisionReference string `form:"decision_reference"`
	DecidedOn         string `form:"decided_on"`
	ValidFrom         string `form:"valid_from"`
}

// uploadCommitteeDocument adds a version of a governing document with the
// decision that adopted it.
func (s *Handlers) uploadCommitteeDocument(c *gin.Context) {
	kit.LimitUpload(c)
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in committeeDocumentForm
	f := kit.Bind(c, &in)
	d := domain.CommitteeDocument{CommitteeID: cm.ID, Kind: domain.GoverningDocKind(in.Kind), Title: in.Title, DecisionReference: in.DecisionReference}
	if d.DecidedOn, err = domain.ParseDateField("decided_on", "Beslutsdatumet", in.DecidedOn, true); err != nil {
		f.Fail(err)
	}
	if d.ValidFrom, err = domain.ParseDateField("valid_from", "Giltig från", in.ValidFrom, false); err != nil {
		f.Fail(err)
	}
	name, content, err := kit.ReadUpload(c)
	if err == nil {
		d.FileName = domain.SanitizeFileName(name)
		d.ContentType, err = domain.CheckDocument(d.FileName, content)
	}
	f.Fail(err) // an internal error fails the request in Submit
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		d, err = tx.AddCommitteeDocument(c.Request.Context(), d, content)
		return err
	}, func(status int) { s.renderCommittee(c, status, cm, kit.EmptyForm(), f) })
	if saved {
		s.Redirect(c, kit.CommitteeURL(cm)+"#styrdokument", d.Kind.Label()+", version "+strconv.Itoa(d.Version)+", är sparad.")
	}
}

// downloadCommitteeDocument sends a governing document under its file name,
// with its checksum.
func (s *Handlers) downloadCommitteeDocument(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id")
	var d domain.CommitteeDocument
	var content []byte
	if err == nil {
		d, content, err = s.DB.Conn().CommitteeDocumentContent(c.Request.Context(), cm.ID, id)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	kit.SendAttachment(c, d.FileName, d.ContentType, d.SHA256, content)
}

// partyOptions lists parties as options, after the given first options.
func partyOptions(parties []domain.Party, first ...kit.Option) []kit.Option {
	for _, p := range parties {
		first = append(first, kit.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	return first
}
