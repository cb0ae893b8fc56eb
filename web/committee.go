package web

import (
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// The access rules of the registry's routes. The committee-level check (the
// role must be held in the committee concerned) is made by each handler.
var (
	// memberEditors manage a committee's members.
	memberEditors = access{roles: []domain.Role{domain.RoleAdmin, domain.RoleSecretariat}}
	// partyEditors edit a party: the admin everything, the secretariat of one
	// of the party's committees its address, invoice and contact fields.
	partyEditors = access{roles: []domain.Role{domain.RoleAdmin, domain.RoleSecretariat}}
	// populationEditors record population figures, which drive allocations.
	populationEditors = access{roles: []domain.Role{domain.RoleAdmin, domain.RoleSecretariat, domain.RoleEconomist}}
)

// registryRoutes registers the committee, party, member and population pages
// and their API.
func (s *Server) registryRoutes() {
	s.handle("GET", "/admin/namnder/ny", adminOnly, s.newCommitteeForm)
	s.handle("POST", "/admin/namnder", adminOnly, s.createCommittee)
	s.handle("POST", newCommitteeCheckPath, adminOnly, s.checkNewCommitteeField)
	s.handle("GET", "/namnder", loggedIn, s.committeeListPage)
	s.handle("GET", "/namnder/:code", loggedIn, s.committeePage)
	s.handle("GET", "/namnder/:code/redigera", adminOnly, s.editCommitteeForm)
	s.handle("POST", "/namnder/:code/redigera", adminOnly, s.editCommittee)
	s.handle("POST", "/namnder/:code/redigera/kontrollera", adminOnly, s.checkEditedCommitteeField)
	s.handle("POST", "/namnder/:code/parter", adminOnly, s.addMembership)
	s.handle("POST", "/namnder/:code/parter/:id/flytta", adminOnly, s.moveParty)
	s.handle("GET", "/namnder/:code/parter/:id/avsluta", adminOnly, s.endMembershipForm)
	s.handle("POST", "/namnder/:code/parter/:id/avsluta", adminOnly, s.endMembership)
	s.handle("POST", "/namnder/:code/styrdokument", adminOnly, s.uploadCommitteeDocument)
	s.handle("GET", "/namnder/:code/styrdokument/:id", loggedIn, s.downloadCommitteeDocument)

	s.handle("GET", "/namnder/:code/ledamoter", loggedIn, s.membersPage)
	s.handle("GET", "/namnder/:code/ledamoter/ny", memberEditors, s.newMemberForm)
	s.handle("POST", "/namnder/:code/ledamoter", memberEditors, s.createMember)
	s.handle("GET", "/namnder/:code/ledamoter/:id", memberEditors, s.editMemberForm)
	s.handle("POST", "/namnder/:code/ledamoter/:id", memberEditors, s.editMember)

	s.handle("GET", "/namnder/:code/invanare", loggedIn, s.populationsPage)
	s.handle("GET", "/namnder/:code/invanare/importera", populationEditors, s.importPopulationsForm)
	s.handle("POST", "/namnder/:code/invanare/importera", populationEditors, s.importPopulations)

	s.handle("GET", "/parter", loggedIn, s.partiesPage)
	s.handle("GET", "/admin/parter/ny", adminOnly, s.newPartyForm)
	s.handle("POST", "/admin/parter", adminOnly, s.createParty)
	s.handle("POST", newPartyCheckPath, adminOnly, s.checkNewPartyField)
	s.handle("GET", "/parter/:id", loggedIn, s.partyPage)
	s.handle("GET", "/parter/:id/redigera", partyEditors, s.editPartyForm)
	s.handle("POST", "/parter/:id/redigera", partyEditors, s.editParty)
	s.handle("POST", "/parter/:id/redigera/kontrollera", partyEditors, s.checkEditedPartyField)
	s.handle("POST", "/parter/:id/invanare", populationEditors, s.recordPopulation)

	s.handle("GET", "/api/v1/committees", loggedIn, s.apiCommittees)
	s.handle("GET", "/api/v1/committees/:code/parties", loggedIn, s.apiCommitteeParties)
	s.handle("GET", "/api/v1/parties/:id/populations", loggedIn, s.apiPopulations)
	s.handle("POST", "/api/v1/parties/:id/populations", populationEditors, s.apiRecordPopulation)
}

// committeeURL is the page of a committee.
func committeeURL(cm domain.Committee) string { return "/namnder/" + url.PathEscape(cm.Code) }

// registryCommittee reads the :code of a route as a committee the user may
// read; with roles, the user must also hold one of them in the committee.
// It answers the request itself when the user may not.
func (s *Server) registryCommittee(c *gin.Context, roles ...domain.Role) (domain.Committee, bool) {
	cm, err := s.readableCommittee(c, c.Param("code"))
	if err == nil && len(roles) > 0 && !currentUser(c).HasIn(cm.ID, roles...) {
		err = domain.Errorf(domain.EFORBIDDEN, "Du har inte behörighet att ändra det här i nämnden %s.", cm.Code)
	}
	if err != nil {
		s.fail(c, err)
		return domain.Committee{}, false
	}
	return cm, true
}

// saveForm saves a submitted form: when f has no errors yet it runs fn in one
// transaction as the request's actor and records fn's error on f. When f then
// has errors, the form is shown again through rerender with the status that
// fits; an internal error fails the request. saveForm reports whether the
// change was saved, which is the caller's cue to redirect.
func (s *Server) saveForm(c *gin.Context, f *form, fn func(tx *store.Conn) error, rerender func(status int)) bool {
	var err error
	if f.ok() {
		err = s.inTx(c, fn)
		if err := f.fail(err); err != nil {
			s.fail(c, err)
			return false
		}
	}
	if !f.ok() {
		rerender(formStatus(err))
		return false
	}
	return true
}

// pathID reads a numeric route parameter; anything else is not found.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, domain.Errorf(domain.ENOTFOUND, "Sidan finns inte.")
	}
	return id, nil
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
	PartyChoice, KindChoice choiceView
	// LatestPopulation is the latest reference date with figures.
	LatestPopulation domain.Date
	IsAdmin          bool
	CanEditMembers   bool
	PartyForm        *form
	DocumentForm     *form
}

// committeePage shows a committee: its parties in order with their membership
// dates and the host marked, its members by role, its governing documents,
// and the way to its population table.
func (s *Server) committeePage(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	s.renderCommittee(c, http.StatusOK, cm, emptyForm(), emptyForm())
}

func (s *Server) renderCommittee(c *gin.Context, status int, cm domain.Committee, partyForm, docForm *form) {
	ctx := c.Request.Context()
	conn := s.db.Conn()
	u := currentUser(c)
	p := committeePage{Committee: cm, Today: today(), IsAdmin: u.Has(domain.RoleAdmin),
		CanEditMembers: u.HasIn(cm.ID, domain.RoleAdmin, domain.RoleSecretariat), PartyForm: partyForm, DocumentForm: docForm}
	all, err := conn.CommitteeParties(ctx, cm.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	current := map[int64]bool{}
	for _, mp := range all {
		line := partyLine{MemberParty: mp, CanOpen: mayReadPartyIn(u, mp.ID, []int64{cm.ID})}
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
			s.fail(c, err)
			return
		}
		for _, party := range parties {
			if !current[party.ID] {
				p.Candidates = append(p.Candidates, party)
			}
		}
		p.PartyChoice = choice(partyForm, "party_id", "Part", "", partyOptions(p.Candidates))
		kinds := make([]option, len(domain.GoverningDocKinds))
		for i, k := range domain.GoverningDocKinds {
			kinds[i] = option{Value: string(k), Label: k.Label()}
		}
		p.KindChoice = choice(docForm, "kind", "Dokument", "", kinds)
	}
	members, err := conn.Members(ctx, cm.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, m := range members {
		if m.ActiveOn(p.Today) {
			p.Members = append(p.Members, m)
		}
	}
	docs, err := conn.CommitteeDocuments(ctx, cm.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, k := range domain.GoverningDocKinds {
		g := documentGroup{Kind: k}
		for _, d := range docs {
			if d.Kind == k {
				g.Versions = append(g.Versions, documentLine{CommitteeDocument: d, Size: fileSize(d.Size)})
			}
		}
		p.Documents = append(p.Documents, g)
	}
	dates, err := conn.PopulationDates(ctx, cm.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(dates) > 0 {
		p.LatestPopulation = dates[0]
	}
	s.render(c, status, "committee", cm.Name, p)
}

// mayReadPartyIn reports whether u may read the party's page, the party being
// a member (now or before) of the given committees: admin and auditor always;
// a party representative only its own party; any other role of one of the
// committees.
func mayReadPartyIn(u *domain.User, partyID int64, committeeIDs []int64) bool {
	if u.SeesAllCommittees() {
		return true
	}
	for _, g := range u.Roles {
		if g.Role == domain.RoleParty {
			if g.PartyID == partyID {
				return true
			}
			continue
		}
		for _, id := range committeeIDs {
			if g.CommitteeID == id {
				return true
			}
		}
	}
	return false
}

type committeeFormPage struct {
	Committee domain.Committee
	// New is true for the form that creates a committee.
	New     bool
	Form    *form
	Parties []domain.Party
	// Host is the select field of the host party.
	Host choiceView
}

// newCommitteeForm shows the form for a new committee.
func (s *Server) newCommitteeForm(c *gin.Context) {
	s.renderCommitteeForm(c, http.StatusOK, domain.Committee{}, true, emptyForm())
}

func (s *Server) renderCommitteeForm(c *gin.Context, status int, cm domain.Committee, isNew bool, f *form) {
	ctx := c.Request.Context()
	var parties []domain.Party
	var err error
	if isNew {
		parties, err = s.db.Conn().Parties(ctx)
	} else {
		var members []domain.MemberParty
		members, err = s.db.Conn().CommitteePartiesOn(ctx, cm.ID, today())
		for _, m := range members {
			parties = append(parties, m.Party)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	title := "Ny nämnd"
	if !isNew {
		title = "Ändra " + cm.Code
	}
	var first []option
	hint := "En ny värdpart måste vara medlem i nämnden."
	if isNew {
		first = []option{{Value: "", Label: "Välj värdpart"}}
		hint = "Värdparten blir nämndens första part."
	}
	host := choice(f, "host_party_id", "Värdpart", hint, partyOptions(parties, first...))
	f.Check = newCommitteeCheckPath
	if !isNew {
		f.Check = committeeURL(cm) + "/redigera/kontrollera"
	}
	s.render(c, status, "committee_form", title, committeeFormPage{Committee: cm, New: isNew, Form: f, Parties: parties, Host: host})
}

// newCommitteeCheckPath checks one field of the form for a new committee.
const newCommitteeCheckPath = "/admin/namnder/kontrollera"

// checkNewCommitteeField checks one field of the form for a new committee.
func (s *Server) checkNewCommitteeField(c *gin.Context) {
	s.checkCommitteeField(c, newCommitteeCheckPath, "code", "name", "started_on")
}

// checkEditedCommitteeField checks one field of a committee's form; the code
// is not on it.
func (s *Server) checkEditedCommitteeField(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	s.checkCommitteeField(c, committeeURL(cm)+"/redigera/kontrollera", "name", "started_on")
}

// checkCommitteeField checks one of fields of the committee form (see
// checkField); the host's list offers only what may be chosen and is not
// checked. Whether a code is taken is told when the form is sent.
func (s *Server) checkCommitteeField(c *gin.Context, checkURL string, fields ...string) {
	s.checkField(c, checkURL, fields, fields, "committee_form", "committeeFieldCheck", func(f *form, name string) error {
		return committeeFromForm(f).CheckField(name) // a bad date is recorded on f
	})
}

// committeeFromForm reads the committee fields of f; errors are recorded on f.
func committeeFromForm(f *form) domain.Committee {
	cm := domain.Committee{Code: f.value("code"), Name: f.value("name")}
	var err error
	if cm.StartedOn, err = domain.ParseDateField("started_on", "Startdatumet", f.value("started_on"), true); err != nil {
		f.fail(err)
	}
	if v := f.value("host_party_id"); v != "" {
		if cm.HostPartyID, err = strconv.ParseInt(v, 10, 64); err != nil {
			f.Errors["host_party_id"] = "Välj värdpart i listan."
		}
	}
	return cm
}

// createCommittee creates a committee with its host as its first party, a
// member from the committee's start.
func (s *Server) createCommittee(c *gin.Context) {
	f := readForm(c, "code", "name", "started_on", "host_party_id")
	cm := committeeFromForm(f)
	if cm.HostPartyID == 0 && f.Errors["host_party_id"] == "" {
		f.Errors["host_party_id"] = "Välj värdpart. En gemensam nämnd hör alltid till en värdpart."
	}
	saved := s.saveForm(c, f, func(tx *store.Conn) error {
		ctx := c.Request.Context()
		var err error
		if cm, err = tx.CreateCommittee(ctx, cm); err != nil {
			return err
		}
		return tx.AddMembership(ctx, domain.Membership{CommitteeID: cm.ID, PartyID: cm.HostPartyID, Position: 1, From: cm.StartedOn})
	}, func(status int) { s.renderCommitteeForm(c, status, domain.Committee{}, true, f) })
	if saved {
		s.redirect(c, committeeURL(cm), "Nämnden är skapad med värdparten som första part. Lägg till övriga parter nedan.")
	}
}

// editCommitteeForm shows the form for a committee's name, start and host.
func (s *Server) editCommitteeForm(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	f := emptyForm()
	f.Values = map[string]string{"name": cm.Name, "started_on": cm.StartedOn.String(), "host_party_id": strconv.FormatInt(cm.HostPartyID, 10)}
	s.renderCommitteeForm(c, http.StatusOK, cm, false, f)
}

// editCommittee saves a committee's name, start and host.
func (s *Server) editCommittee(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	f := readForm(c, "name", "started_on", "host_party_id")
	changed := committeeFromForm(f)
	changed.ID, changed.Code = cm.ID, cm.Code
	saved := s.saveForm(c, f, func(tx *store.Conn) error {
		_, err := tx.UpdateCommittee(c.Request.Context(), changed, today())
		return err
	}, func(status int) { s.renderCommitteeForm(c, status, cm, false, f) })
	if saved {
		s.redirect(c, committeeURL(cm), "Nämnden är ändrad.")
	}
}

// addMembership makes a party a member of the committee from a date, last in
// the party order.
func (s *Server) addMembership(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	f := readForm(c, "party_id", "member_from")
	m := domain.Membership{CommitteeID: cm.ID}
	var err error
	if m.PartyID, err = strconv.ParseInt(f.value("party_id"), 10, 64); err != nil {
		f.Errors["party_id"] = "Välj en part i listan."
	}
	if m.From, err = domain.ParseDateField("member_from", "Datumet", f.value("member_from"), true); err != nil {
		f.fail(err)
	}
	saved := s.saveForm(c, f, func(tx *store.Conn) error { return tx.AddMembership(c.Request.Context(), m) },
		func(status int) { s.renderCommittee(c, status, cm, f, emptyForm()) })
	if saved {
		s.redirect(c, committeeURL(cm)+"#parter", "Parten är tillagd i nämnden.")
	}
}

// moveParty moves a party one place up or down in the party order.
func (s *Server) moveParty(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	id, err := pathID(c, "id")
	if err == nil {
		err = s.inTx(c, func(tx *store.Conn) error {
			return tx.MoveParty(c.Request.Context(), cm.ID, id, c.PostForm("riktning") == "upp", today())
		})
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirect(c, committeeURL(cm)+"#parter", "Partsordningen är ändrad.")
}

type endMembershipPage struct {
	Committee domain.Committee
	Party     domain.Party
	Form      *form
}

// endMembershipForm asks for the last day of a party's membership.
func (s *Server) endMembershipForm(c *gin.Context) {
	cm, party, ok := s.membershipTarget(c)
	if !ok {
		return
	}
	f := emptyForm()
	f.Values["member_to"] = today().String()
	s.render(c, http.StatusOK, "membership_end", "Avsluta medlemskap", endMembershipPage{Committee: cm, Party: party, Form: f})
}

// membershipTarget reads the committee and party of a membership route.
func (s *Server) membershipTarget(c *gin.Context) (domain.Committee, domain.Party, bool) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return cm, domain.Party{}, false
	}
	id, err := pathID(c, "id")
	var party domain.Party
	if err == nil {
		party, err = s.db.Conn().PartyByID(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return cm, party, false
	}
	return cm, party, true
}

// endMembership records the last day of a party's membership. The party
// stays in the committee's history.
func (s *Server) endMembership(c *gin.Context) {
	cm, party, ok := s.membershipTarget(c)
	if !ok {
		return
	}
	f := readForm(c, "member_to")
	last, err := domain.ParseDateField("member_to", "Sista dagen", f.value("member_to"), true)
	f.fail(err)
	saved := s.saveForm(c, f, func(tx *store.Conn) error { return tx.EndMembership(c.Request.Context(), cm.ID, party.ID, last) },
		func(status int) {
			s.render(c, status, "membership_end", "Avsluta medlemskap", endMembershipPage{Committee: cm, Party: party, Form: f})
		})
	if saved {
		s.redirect(c, committeeURL(cm)+"#parter", party.Name+" är medlem till och med "+last.String()+".")
	}
}

// uploadCommitteeDocument adds a version of a governing document with the
// decision that adopted it.
func (s *Server) uploadCommitteeDocument(c *gin.Context) {
	limitUpload(c)
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	f := readForm(c, "kind", "title", "decision_reference", "decided_on", "valid_from")
	d := domain.CommitteeDocument{CommitteeID: cm.ID, Kind: domain.GoverningDocKind(f.value("kind")), Title: f.value("title"), DecisionReference: f.value("decision_reference")}
	var err error
	if d.DecidedOn, err = domain.ParseDateField("decided_on", "Beslutsdatumet", f.value("decided_on"), true); err != nil {
		f.fail(err)
	}
	if d.ValidFrom, err = domain.ParseDateField("valid_from", "Giltig från", f.value("valid_from"), false); err != nil {
		f.fail(err)
	}
	name, content, err := readUpload(c)
	if err == nil {
		d.FileName = domain.SanitizeFileName(name)
		d.ContentType, err = domain.CheckDocument(d.FileName, content)
	}
	if err := f.fail(err); err != nil {
		s.fail(c, err)
		return
	}
	saved := s.saveForm(c, f, func(tx *store.Conn) error {
		var err error
		d, err = tx.AddCommitteeDocument(c.Request.Context(), d, content)
		return err
	}, func(status int) { s.renderCommittee(c, status, cm, emptyForm(), f) })
	if saved {
		s.redirect(c, committeeURL(cm)+"#styrdokument", d.Kind.Label()+", version "+strconv.Itoa(d.Version)+", är sparad.")
	}
}

// downloadCommitteeDocument sends a governing document under its file name,
// with its checksum.
func (s *Server) downloadCommitteeDocument(c *gin.Context) {
	cm, ok := s.registryCommittee(c)
	if !ok {
		return
	}
	id, err := pathID(c, "id")
	var d domain.CommitteeDocument
	var content []byte
	if err == nil {
		d, content, err = s.db.Conn().CommitteeDocumentContent(c.Request.Context(), cm.ID, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	sendAttachment(c, d.FileName, d.ContentType, d.SHA256, content)
}

// sendAttachment sends a stored file as a download under its name, with its
// SHA-256 checksum (hex) as a Repr-Digest (RFC 9530), and sandboxed so that a
// file opened in the browser cannot run anything.
func sendAttachment(c *gin.Context, name, contentType, sha256Hex string, content []byte) {
	h := c.Writer.Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if sum, err := hex.DecodeString(sha256Hex); err == nil {
		h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	}
	c.Data(http.StatusOK, contentType, content)
}

// choiceView is a select field: its options, the value chosen and its error,
// rendered with the same label, hint and error markup as the "input"
// template.
type choiceView struct {
	Name, Label, Hint string
	Error             string
	Options           []option
}

// option is one choice of a select field.
type option struct {
	Value, Label string
	Selected     bool
}

// choice builds the select field name of f from its options, marking the
// value f holds as chosen.
func choice(f *form, name, label, hint string, opts []option) choiceView {
	v := choiceView{Name: name, Label: label, Hint: hint, Error: f.Errors[name], Options: opts}
	for i := range v.Options {
		v.Options[i].Selected = v.Options[i].Value == f.Values[name]
	}
	return v
}

var choiceTemplate = template.Must(template.New("choice").Parse(`<div class="field"><label for="f-{{.Name}}">{{.Label}}</label>
  {{if .Hint}}<p class="hint" id="f-{{.Name}}-hint">{{.Hint}}</p>{{end}}
  <select id="f-{{.Name}}" name="{{.Name}}"{{if .Error}} aria-invalid="true"{{end}}{{if or .Error .Hint}} aria-describedby="{{if .Hint}}f-{{.Name}}-hint {{end}}{{if .Error}}f-{{.Name}}-error{{end}}"{{end}}>
    {{range .Options}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}
  </select>
  {{if .Error}}<p class="error" id="f-{{.Name}}-error">{{.Error}}</p>{{end}}
</div>`))

// HTML renders the field, escaped as any template output.
func (v choiceView) HTML() (template.HTML, error) {
	var b strings.Builder
	if err := choiceTemplate.Execute(&b, v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// partyOptions lists parties as options, after the given first options.
func partyOptions(parties []domain.Party, first ...option) []option {
	for _, p := range parties {
		first = append(first, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	return first
}
