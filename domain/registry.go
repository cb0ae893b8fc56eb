package domain

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// This file holds the registry of committees: the parties' details, the
// committees' members and governing documents, and the population figures the
// population-weighted allocations are computed from.

// Limits on the registry's text fields, in characters.
const (
	MaxCommitteeNameLength = 300
	MaxPartyNameLength     = 200
	MaxSlugLength          = 40
	MaxAddressLength       = 500
	MaxInvoiceRefLength    = 100
	MaxPhoneLength         = 40
	MaxPoliticalPartyLen   = 8
	MaxDocumentTitleLength = 300
	MaxDecisionRefLength   = 300
	MaxCorrectionLength    = 500
)

// PartyDetails are the parts of a party the secretariat keeps up to date for
// invoicing and contact: the postal address, the invoice reference the party
// wants on its invoices (referenskod), its Peppol id for e-invoices, and a
// contact person.
type PartyDetails struct {
	// Address is the postal (invoice) address, one line per row.
	Address string
	// InvoiceReference is the buyer's reference (referenskod) that must be on
	// every invoice to the party for it to reach the right desk.
	InvoiceReference string
	// PeppolID is the party's Peppol participant id, e.g. 0007:2321000214.
	PeppolID string
	// InvoiceEmail is where the party's invoices, credit notes and
	// påminnelser are e-mailed (its invoice inbox, often a scanning
	// service); empty while not known.
	InvoiceEmail string
	ContactName  string
	ContactEmail string
	ContactPhone string
	// RegistryEmail is the party's registry address (registratorns
	// e-post), where expediering sends protokollsutdrag to be registered
	// in the party's own diarium.
	RegistryEmail string
}

// Normalize trims the details and checks them. Errors are field errors named
// after the form fields (address, invoice_reference, peppol_id, invoice_email,
// contact_name, contact_email, contact_phone, registry_email).
func (d *PartyDetails) Normalize() error {
	for _, step := range detailSteps {
		if err := step.check(d); err != nil {
			return err
		}
	}
	return nil
}

// detailSteps are PartyDetails.Normalize's steps in order, one per form
// field: each trims and normalises its own field and checks it. Party's
// CheckField runs one of them alone.
var detailSteps = []struct {
	field string
	check func(d *PartyDetails) error
}{
	{"address", func(d *PartyDetails) error {
		d.Address = strings.TrimSpace(strings.ReplaceAll(d.Address, "\r\n", "\n"))
		return CheckText("address", "Adressen", d.Address, MaxAddressLength)
	}},
	{"invoice_reference", func(d *PartyDetails) error {
		d.InvoiceReference = strings.TrimSpace(d.InvoiceReference)
		return CheckLine("invoice_reference", "Fakturareferensen", d.InvoiceReference, MaxInvoiceRefLength)
	}},
	{"peppol_id", func(d *PartyDetails) error {
		d.PeppolID = strings.TrimSpace(d.PeppolID)
		if d.PeppolID == "" {
			return nil
		}
		id, err := ParsePeppolID(d.PeppolID)
		if err != nil {
			return AsField(err, "peppol_id")
		}
		d.PeppolID = id
		return nil
	}},
	{"invoice_email", func(d *PartyDetails) error { return optionalEmail("invoice_email", &d.InvoiceEmail) }},
	{"contact_name", func(d *PartyDetails) error {
		d.ContactName = strings.TrimSpace(d.ContactName)
		return CheckLine("contact_name", "Kontaktpersonens namn", d.ContactName, MaxNameLength)
	}},
	{"contact_email", func(d *PartyDetails) error { return optionalEmail("contact_email", &d.ContactEmail) }},
	{"contact_phone", func(d *PartyDetails) error {
		d.ContactPhone = strings.TrimSpace(d.ContactPhone)
		return CheckPhone("contact_phone", d.ContactPhone)
	}},
	{"registry_email", func(d *PartyDetails) error { return optionalEmail("registry_email", &d.RegistryEmail) }},
}

// optionalEmail trims the address in *s and writes it normalised; empty is
// allowed (not known yet), anything else must be one address.
func optionalEmail(field string, s *string) error {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return nil
	}
	email, _, err := NormalizeEmail(*s)
	if err != nil {
		return AsField(err, field)
	}
	*s = email
	return nil
}

// Normalize trims the party's fields, puts the organisation number in the form
// NNNNNN-NNNN, makes a slug from the name when none is given, and checks every
// field. Errors are field errors named after the form fields (name, slug,
// kind, org_number, municipality_code and those of PartyDetails), in Swedish.
func (p *Party) Normalize() error {
	for _, step := range partySteps {
		if err := step.check(p); err != nil {
			return err
		}
	}
	return p.PartyDetails.Normalize()
}

// partySteps are Party.Normalize's own steps in order, one per form field,
// before those of its details. Each trims and normalises its own field and
// checks it; CheckField runs one of them alone.
var partySteps = []struct {
	field string
	check func(p *Party) error
}{
	{"name", func(p *Party) error {
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" {
			return FieldErrorf("name", "Ange partens namn, t.ex. Bergs kommun.")
		}
		return CheckLine("name", "Namnet", p.Name, MaxPartyNameLength)
	}},
	{"slug", func(p *Party) error {
		p.Slug = strings.TrimSpace(p.Slug)
		if p.Slug == "" {
			if strings.TrimSpace(p.Name) == "" {
				// Nothing to make it from: the name's own step says so
				// (Normalize never gets here without a name).
				return nil
			}
			p.Slug = MakeSlug(p.Name)
		}
		return CheckSlug(p.Slug)
	}},
	{"kind", func(p *Party) error {
		if !p.Kind.Valid() {
			return FieldErrorf("kind", "Välj om parten är en kommun eller en region.")
		}
		return nil
	}},
	{"org_number", func(p *Party) error {
		p.OrgNumber = strings.TrimSpace(p.OrgNumber)
		if p.OrgNumber == "" {
			return nil
		}
		n, err := ParseOrgNumber(p.OrgNumber)
		if err != nil {
			return AsField(err, "org_number")
		}
		p.OrgNumber = n
		return nil
	}},
	{"municipality_code", func(p *Party) error {
		p.MunicipalityCode = strings.TrimSpace(p.MunicipalityCode)
		return checkMunicipalityCode(p.Kind, p.MunicipalityCode)
	}},
}

// CheckField checks one field of the party with the rule Normalize checks it
// with, and no other field: a form can then tell about a field as soon as the
// user leaves it, before the rest is filled in. The other fields are only
// context: the kind decides how long a municipality code is, and an empty
// slug is made from the name. p itself is not changed. A name that is not a
// field of the party is an EINVALID error with no field.
func (p Party) CheckField(field string) error {
	for _, step := range partySteps {
		if step.field == field {
			return step.check(&p)
		}
	}
	for _, step := range detailSteps {
		if step.field == field {
			return step.check(&p.PartyDetails)
		}
	}
	return Errorf(EINVALID, "Parten har inget fält som heter %q.", field)
}

// checkMunicipalityCode checks a kommunkod: four digits for a municipality,
// two (the länskod) for a region; empty when not known.
func checkMunicipalityCode(kind PartyKind, code string) error {
	if code == "" {
		return nil
	}
	want := 4
	if kind == PartyKindRegion {
		want = 2
	}
	if len(code) != want || !ASCIIDigitsOnly(code) {
		if kind == PartyKindRegion {
			return FieldErrorf("municipality_code", "En regions kod är länskoden, två siffror, t.ex. 23.")
		}
		return FieldErrorf("municipality_code", "Kommunkoden ska vara fyra siffror, t.ex. 2380.")
	}
	return nil
}

// MakeSlug makes a party's short identifier from its name: lower-case ASCII
// letters and digits with hyphens between words, å, ä and ö written as a, a
// and o ("Östersunds kommun" gives "ostersunds-kommun").
func MakeSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range FoldSwedish(name) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â', 'ã':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'õ', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú', 'ù', 'û':
			r = 'u'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case 'æ':
			r = 'a'
		}
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= MaxSlugLength {
				break
			}
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String(), "-")
}

// CheckSlug checks a party's short identifier: 1–40 lower-case ASCII letters
// and digits, words joined by single hyphens.
func CheckSlug(s string) error {
	ok := s != "" && len(s) <= MaxSlugLength && s[0] != '-' && s[len(s)-1] != '-' && !strings.Contains(s, "--")
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '-'
	}
	if !ok {
		return FieldErrorf("slug", "Kortnamnet får bara innehålla a–z, 0–9 och bindestreck mellan orden, högst %d tecken, t.ex. ostersund.", MaxSlugLength)
	}
	return nil
}

// Normalize trims the committee's fields, writes its code in upper case and
// checks them. The code is the prefix of the committee's case numbers, so it
// follows the case-number rules: 2–10 letters A–Z. Errors are field errors
// (code, name, started_on).
func (c *Committee) Normalize() error {
	for _, step := range committeeSteps {
		if err := step.check(c); err != nil {
			return err
		}
	}
	return nil
}

// committeeSteps are Committee.Normalize's steps in order, one per form
// field; CheckField runs one of them alone.
var committeeSteps = []struct {
	field string
	check func(c *Committee) error
}{
	{"code", func(c *Committee) error {
		code, ok := caseNumberPrefix(strings.TrimSpace(c.Code))
		if !ok {
			return FieldErrorf("code", "Koden ska vara %d–%d bokstäver A–Z, t.ex. GNS. Den blir prefix i nämndens diarienummer.", CaseNumberPrefixMin, CaseNumberPrefixMax)
		}
		c.Code = code
		return nil
	}},
	{"name", func(c *Committee) error {
		c.Name = strings.TrimSpace(c.Name)
		if c.Name == "" {
			return FieldErrorf("name", "Ange nämndens namn.")
		}
		return CheckLine("name", "Namnet", c.Name, MaxCommitteeNameLength)
	}},
	{"started_on", func(c *Committee) error {
		if c.StartedOn.IsZero() {
			return FieldErrorf("started_on", "Ange från vilket datum nämnden finns.")
		}
		return CheckDateRange("started_on", "Startdatumet", c.StartedOn)
	}},
}

// CheckField checks one field of the committee with the rule Normalize
// checks it with, and no other field, for a form that tells about a field as
// soon as the user leaves it. c itself is not changed. A name that is not a
// field of the committee is an EINVALID error with no field.
func (c Committee) CheckField(field string) error {
	for _, step := range committeeSteps {
		if step.field == field {
			return step.check(&c)
		}
	}
	return Errorf(EINVALID, "Nämnden har inget fält som heter %q.", field)
}

// Validate checks a membership's place in the party order and its dates.
func (m Membership) Validate() error {
	switch {
	case m.Position < 0:
		return FieldErrorf("position", "Platsen i partsordningen måste vara ett positivt tal.")
	case m.From.IsZero():
		return FieldErrorf("member_from", "Ange från vilket datum parten är medlem.")
	case !m.To.IsZero() && m.To.Before(m.From):
		return FieldErrorf("member_to", "Medlemskapet kan inte sluta (%s) innan det börjar (%s).", m.To, m.From)
	}
	if err := CheckDateRange("member_from", "Datumet", m.From); err != nil {
		return err
	}
	return CheckDateRange("member_to", "Sista dagen", m.To)
}

// MemberRole is a member's place in the committee: chair, vice chair, member
// (ledamot) or substitute (ersättare).
type MemberRole string

// The roles a member can have in a committee.
const (
	MemberChair      MemberRole = "ordforande"
	MemberViceChair  MemberRole = "vice_ordforande"
	MemberOrdinary   MemberRole = "ledamot"
	MemberSubstitute MemberRole = "ersattare"
)

// MemberRoles lists the roles in the order a kallelse lists the members.
var MemberRoles = []MemberRole{MemberChair, MemberViceChair, MemberOrdinary, MemberSubstitute}

// Valid reports whether r is a known role.
func (r MemberRole) Valid() bool {
	for _, k := range MemberRoles {
		if r == k {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the role.
func (r MemberRole) Label() string {
	switch r {
	case MemberChair:
		return "Ordförande"
	case MemberViceChair:
		return "Vice ordförande"
	case MemberOrdinary:
		return "Ledamot"
	case MemberSubstitute:
		return "Ersättare"
	}
	return string(r)
}

// Rank orders roles as a kallelse does: chair first, substitutes last.
func (r MemberRole) Rank() int {
	for i, k := range MemberRoles {
		if r == k {
			return i
		}
	}
	return len(MemberRoles)
}

// Member is an elected member of a committee for a term: a ledamot or an
// ersättare, the chair and the vice chair being ledamöter too.
type Member struct {
	ID          int64
	CommitteeID int64
	Name        string
	// PoliticalParty is the political party's letters, e.g. "M", "S", "C".
	PoliticalParty string
	// AppointedBy is the party (municipality or region) that appointed the
	// member; 0 when not recorded.
	AppointedBy     int64
	AppointedByName string
	Role            MemberRole
	From            Date
	// To is the last day of the term; the zero Date means until further notice.
	To Date
	// UserID links the member to a user with the member role, 0 for none.
	UserID   int64
	UserName string
	// Email is the member's own address, for a member without a user;
	// UserEmail the linked user's (empty when the user is disabled).
	Email     string
	UserEmail string
}

// MailAddress is where the member gets mail: the linked user's address, or
// the member's own; "" when there is none.
func (m Member) MailAddress() string {
	if m.UserEmail != "" {
		return m.UserEmail
	}
	return m.Email
}

// StandsInFor reports whether the ersättare sub may be called in for the
// member m, who has förhinder: an ersättare of the same political party
// (when m has one) and, when both record the party that appointed them, of
// the same appointing party.
func (sub Member) StandsInFor(m Member) bool {
	if sub.Role != MemberSubstitute || sub.ID == m.ID {
		return false
	}
	if m.PoliticalParty != "" && sub.PoliticalParty != m.PoliticalParty {
		return false
	}
	return m.AppointedBy == 0 || sub.AppointedBy == 0 || sub.AppointedBy == m.AppointedBy
}

// ActiveOn reports whether the member's term covers the day.
func (m Member) ActiveOn(d Date) bool {
	return !d.Before(m.From) && (m.To.IsZero() || !d.After(m.To))
}

// DisplayName is the name with the political party as a kallelse writes it:
// "Robert Hamberg (M)".
func (m Member) DisplayName() string {
	if m.PoliticalParty == "" {
		return m.Name
	}
	return m.Name + " (" + m.PoliticalParty + ")"
}

// Normalize trims the member's fields and checks them. Errors are field
// errors (name, political_party, role, term_from, term_to).
func (m *Member) Normalize() error {
	name, err := CheckName(m.Name)
	if err != nil {
		return err
	}
	m.Name = name
	if m.PoliticalParty, err = ParsePoliticalParty(m.PoliticalParty); err != nil {
		return err
	}
	if !m.Role.Valid() {
		return FieldErrorf("role", "Välj roll: ordförande, vice ordförande, ledamot eller ersättare.")
	}
	if m.Email = strings.TrimSpace(m.Email); m.Email != "" {
		norm, _, err := NormalizeEmail(m.Email)
		if err != nil {
			return FieldErrorf("email", "Skriv en e-postadress som namn@exempel.se, eller lämna fältet tomt.")
		}
		m.Email = norm
	}
	if m.From.IsZero() {
		return FieldErrorf("term_from", "Ange när mandatperioden börjar.")
	}
	if !m.To.IsZero() && m.To.Before(m.From) {
		return FieldErrorf("term_to", "Mandatperioden kan inte sluta (%s) innan den börjar (%s).", m.To, m.From)
	}
	if err := CheckDateRange("term_from", "Mandatperiodens början", m.From); err != nil {
		return err
	}
	return CheckDateRange("term_to", "Mandatperiodens slut", m.To)
}

// ParsePoliticalParty reads a political party's letters as a kallelse writes
// them, "M" or "(M)", and returns them in upper case. Local parties have
// letters of their own, so any 1–8 letters are accepted.
func ParsePoliticalParty(s string) (string, error) {
	p := strings.TrimSpace(s)
	if strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
		p = strings.TrimSpace(p[1 : len(p)-1])
	}
	if p == "" {
		return "", FieldErrorf("political_party", "Ange partibeteckningen, t.ex. M, S eller C.")
	}
	if !utf8.ValidString(p) || utf8.RuneCountInString(p) > MaxPoliticalPartyLen {
		return "", FieldErrorf("political_party", "Partibeteckningen får vara högst %d bokstäver, t.ex. KD.", MaxPoliticalPartyLen)
	}
	for _, r := range p {
		if !unicode.IsLetter(r) {
			return "", FieldErrorf("political_party", "Partibeteckningen får bara innehålla bokstäver, t.ex. M, S eller KD.")
		}
	}
	return strings.ToUpper(p), nil
}

// GoverningDocKind is the kind of a committee's governing document.
type GoverningDocKind string

// The governing documents of a joint committee: the reglemente adopted by every
// party's council, and the agreement on how the parties cooperate and share
// the costs.
const (
	GoverningReglemente GoverningDocKind = "reglemente"
	GoverningAgreement  GoverningDocKind = "samarbetsoverenskommelse"
)

// GoverningDocKinds lists the kinds in the order the committee page shows them.
var GoverningDocKinds = []GoverningDocKind{GoverningReglemente, GoverningAgreement}

// Valid reports whether k is a known kind.
func (k GoverningDocKind) Valid() bool { return k == GoverningReglemente || k == GoverningAgreement }

// Label returns the Swedish name of the kind.
func (k GoverningDocKind) Label() string {
	switch k {
	case GoverningReglemente:
		return "Reglemente"
	case GoverningAgreement:
		return "Samarbetsöverenskommelse"
	}
	return string(k)
}

// CommitteeDocument is one version of a governing document. Versions are
// numbered per committee and kind from 1; a new decision adds a version and
// the earlier ones stay, so it can always be shown which reglemente applied
// when.
type CommitteeDocument struct {
	ID          int64
	CommitteeID int64
	Kind        GoverningDocKind
	Version     int
	Title       string
	// DecisionReference says which decision adopted this version, e.g.
	// "Regionfullmäktige 2018-04-24 § 85".
	DecisionReference string
	DecidedOn         Date
	// ValidFrom is when the version applies; the zero Date when not stated.
	ValidFrom   Date
	FileName    string
	ContentType string
	Size        int64
	// SHA256 is the hex checksum of the file, so a copy can be verified.
	SHA256     string
	UploadedAt time.Time
	UploadedBy string
}

// Normalize trims the document's fields and checks them. The file itself
// (its type, size and name) is checked where it is received. Errors are field
// errors (kind, title, decision_reference, decided_on, valid_from, file).
func (d *CommitteeDocument) Normalize() error {
	d.Title = strings.TrimSpace(d.Title)
	d.DecisionReference = strings.TrimSpace(d.DecisionReference)
	switch {
	case !d.Kind.Valid():
		return FieldErrorf("kind", "Välj vilket slags styrdokument det är: reglemente eller samarbetsöverenskommelse.")
	case d.Title == "":
		return FieldErrorf("title", "Ange dokumentets titel.")
	}
	if err := CheckLine("title", "Titeln", d.Title, MaxDocumentTitleLength); err != nil {
		return err
	}
	if d.DecisionReference == "" {
		return FieldErrorf("decision_reference", "Ange beslutet som antog dokumentet, t.ex. Regionfullmäktige 2018-04-24 § 85.")
	}
	if err := CheckLine("decision_reference", "Beslutsreferensen", d.DecisionReference, MaxDecisionRefLength); err != nil {
		return err
	}
	if d.DecidedOn.IsZero() {
		return FieldErrorf("decided_on", "Ange beslutsdatum.")
	}
	if !d.ValidFrom.IsZero() && d.ValidFrom.Before(d.DecidedOn) {
		return FieldErrorf("valid_from", "Dokumentet kan inte gälla (%s) före beslutet (%s).", d.ValidFrom, d.DecidedOn)
	}
	if d.FileName == "" || d.Size <= 0 || d.SHA256 == "" || d.ContentType == "" {
		return FieldErrorf("file", "Välj filen med dokumentet.")
	}
	return nil
}

// PopulationRecord is a population figure as recorded: when and by whom, and,
// once a correction has replaced it, when and by which record. A record is
// never changed otherwise, so the history shows every figure ever used.
type PopulationRecord struct {
	Population
	ID         int64
	RecordedAt time.Time
	RecordedBy string
	// CorrectionReason says why this record replaced an earlier one; "" for a
	// first figure.
	CorrectionReason string
	// CorrectedAt and SupersededBy are set once a correction replaced this
	// record.
	CorrectedAt  time.Time
	SupersededBy int64
}

// Current reports whether the record is the figure in force for its party and
// reference date.
func (r PopulationRecord) Current() bool { return r.CorrectedAt.IsZero() }

// PopulationRow is one party's line in a population table.
type PopulationRow struct {
	Party MemberParty
	// Figure is the party's current figure on the table's date, nil when the
	// party has none.
	Figure *PopulationRecord
	// Share is the party's share of the total in per cent, exact to ten
	// decimals; zero when the party has no figure.
	Share decimal.Decimal
}

// PopulationTable is the population of a committee's parties on one reference
// date, with each party's share of the total: the basis of a
// population-weighted allocation.
type PopulationTable struct {
	Committee     Committee
	ReferenceDate Date
	Rows          []PopulationRow
	Total         int64
	// Missing counts the parties without a figure on the date.
	Missing int
}

// SharePlaces is the number of decimals a population share is computed to.
const SharePlaces = 10

// NewPopulationTable builds the table for the parties (in the committee's
// order) from their current figures on date, keyed by party id. Shares are in
// per cent of the total of the parties that have a figure.
func NewPopulationTable(cm Committee, date Date, parties []MemberParty, figures map[int64]PopulationRecord) PopulationTable {
	t := PopulationTable{Committee: cm, ReferenceDate: date}
	for _, p := range parties {
		row := PopulationRow{Party: p}
		if f, ok := figures[p.ID]; ok {
			row.Figure = &f
			t.Total += f.Inhabitants
		} else {
			t.Missing++
		}
		t.Rows = append(t.Rows, row)
	}
	if t.Total > 0 {
		total := decimal.NewFromInt(t.Total)
		for i, r := range t.Rows {
			if r.Figure != nil {
				t.Rows[i].Share = decimal.NewFromInt(r.Figure.Inhabitants*100).DivRound(total, SharePlaces)
			}
		}
	}
	return t
}

// PopulationLine is one line of a population import: the party as the file
// names it (slug, kommunkod, organisation number or name) and the figure.
type PopulationLine struct {
	// Line is the line's number in the file, from 1 for the header.
	Line  int
	Party string
	Population
}

// LineError is what is wrong with one line of an imported file.
type LineError struct {
	Line    int
	Message string
}

// ImportError lists every bad line of an import that was refused as a whole.
// It unwraps to an EINVALID Error whose message says how many lines are bad
// and that nothing was saved.
type ImportError struct {
	Lines []LineError
}

// Error implements the error interface.
func (e *ImportError) Error() string {
	parts := make([]string, 0, len(e.Lines))
	for _, l := range e.Lines {
		parts = append(parts, "rad "+strconv.Itoa(l.Line)+": "+l.Message)
	}
	return "invalid import: " + strings.Join(parts, "; ")
}

// Unwrap gives the error's code and summary message.
func (e *ImportError) Unwrap() error {
	n := len(e.Lines)
	if n == 1 {
		return Errorf(EINVALID, "En rad i filen är felaktig. Inget har sparats; rätta raden och läs in filen igen.")
	}
	return Errorf(EINVALID, "%d rader i filen är felaktiga. Inget har sparats; rätta raderna och läs in filen igen.", n)
}

// ParseDateField reads an ISO date typed into a form field or an API field,
// within MinDate … MaxDate (see ParseDate). Empty input gives the zero Date, or an error when required. Errors are field
// errors naming field, with label, the field's Swedish name in the definite
// form, leading the message.
func ParseDateField(field, label, s string, required bool) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return Date{}, FieldErrorf(field, "%s saknas: skriv ÅÅÅÅ-MM-DD, t.ex. 2020-12-31.", label)
		}
		return Date{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, FieldErrorf(field, "%s %s är inget giltigt datum: skriv ÅÅÅÅ-MM-DD, t.ex. 2020-12-31.", label, sv.Quote(s))
	}
	d := DateOf(t)
	if err := CheckDateRange(field, label, d); err != nil {
		return Date{}, err
	}
	return d, nil
}

// CheckLine checks a one-line text field: CheckText's rules and no line
// breaks or tabs.
func CheckLine(field, label, s string, max int) error {
	if err := CheckText(field, label, s, max); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\r\n\t") {
		return FieldErrorf(field, "%s ska stå på en rad.", label)
	}
	return nil
}

// CheckPhone checks a telephone number: digits with spaces, hyphens,
// parentheses and a leading plus, at least five digits.
func CheckPhone(field, s string) error {
	if s == "" {
		return nil
	}
	digits := 0
	for i, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')' || (r == '+' && i == 0):
		default:
			return FieldErrorf(field, "Telefonnumret får bara innehålla siffror, mellanslag, bindestreck, parenteser och ett inledande +.")
		}
	}
	if digits < 5 || len(s) > MaxPhoneLength {
		return FieldErrorf(field, "Telefonnumret ska ha 5–%d tecken, t.ex. 063-14 75 00.", MaxPhoneLength)
	}
	return nil
}

// AsField returns err as an EINVALID error about field, keeping its message.
func AsField(err error, field string) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: EINVALID, Field: field, Message: e.Message}
	}
	return err
}

// MaxImportLines bounds the figures one population file may hold, far above
// the parties of any committee times the years anyone imports at once.
const MaxImportLines = 5000

// populationColumns maps the accepted column names, in English as the
// documented format has them and in Swedish as a secretariat may write them,
// to the columns of a population file.
var populationColumns = map[string]string{
	"party": "party", "part": "party",
	"reference_date": "reference_date", "referensdatum": "reference_date", "datum": "reference_date",
	"population": "population", "invånarantal": "population", "invånare": "population", "folkmängd": "population",
	"source": "source", "källa": "source",
}

// ParsePopulationCSV reads a population file: a header line naming the
// columns party, reference_date, population and source (in any order), then
// one figure per line. The separator is a comma, or a semicolon as Swedish
// spreadsheets write it; the text is UTF-8, with or without a byte order mark;
// blank lines are skipped. The party column names a party by slug, kommunkod,
// organisation number or name, which the store resolves.
//
// Every line is checked, not just up to the first bad one: when any line is
// bad the error is an *ImportError listing each bad line by its number in the
// file (the header being line 1). The good lines are returned with it, so that
// a caller can check them further and report every bad line at once; they
// must not be stored while the error stands.
func ParsePopulationCSV(data []byte) ([]PopulationLine, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, Errorf(EINVALID, "Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8” och försök igen.")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errorf(EINVALID, "Filen är tom. Den ska börja med raden party,reference_date,population,source.")
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	header, err := r.Read()
	if err != nil {
		return nil, Errorf(EINVALID, "Filens första rad går inte att läsa som CSV.")
	}
	index := map[string]int{}
	for i, h := range header {
		col, ok := populationColumns[FoldSwedish(h)]
		if !ok {
			return nil, &ImportError{Lines: []LineError{{1, fmt.Sprintf("Okänd kolumn %s. Kolumnerna ska vara party, reference_date, population och source.", sv.Quote(h))}}}
		}
		if _, dup := index[col]; dup {
			return nil, &ImportError{Lines: []LineError{{1, fmt.Sprintf("Kolumnen %s finns två gånger.", col)}}}
		}
		index[col] = i
	}
	for _, col := range []string{"party", "reference_date", "population", "source"} {
		if _, ok := index[col]; !ok {
			return nil, &ImportError{Lines: []LineError{{1, fmt.Sprintf("Kolumnen %s saknas. Kolumnerna ska vara party, reference_date, population och source.", col)}}}
		}
	}
	var lines []PopulationLine
	var bad []LineError
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad = append(bad, LineError{line, "Raden går inte att läsa som CSV (kontrollera citattecknen). Resten av filen har inte lästs."})
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(lines)+len(bad) >= MaxImportLines {
			bad = append(bad, LineError{line, fmt.Sprintf("Filen har fler än %d rader. Dela upp den.", MaxImportLines)})
			break
		}
		if len(rec) != len(header) {
			bad = append(bad, LineError{line, fmt.Sprintf("Raden har %d fält, men rubrikraden har %d.", len(rec), len(header))})
			continue
		}
		pl, err := parsePopulationRecord(rec, index)
		if err != nil {
			bad = append(bad, LineError{line, ErrorMessage(err)})
			continue
		}
		pl.Line = line
		lines = append(lines, pl)
	}
	if len(bad) > 0 {
		return lines, &ImportError{Lines: bad}
	}
	if len(lines) == 0 {
		return nil, Errorf(EINVALID, "Filen har inga invånarantal, bara rubrikraden.")
	}
	return lines, nil
}

// parsePopulationRecord checks one line of a population file.
func parsePopulationRecord(rec []string, index map[string]int) (PopulationLine, error) {
	pl := PopulationLine{Party: strings.TrimSpace(rec[index["party"]])}
	if pl.Party == "" {
		return pl, FieldErrorf("party", "Ange parten (kortnamn, kommunkod, organisationsnummer eller namn).")
	}
	var err error
	if pl.ReferenceDate, err = ParseDateField("reference_date", "Referensdatumet", rec[index["reference_date"]], true); err != nil {
		return pl, err
	}
	if pl.Inhabitants, err = ParsePopulation(rec[index["population"]]); err != nil {
		return pl, err
	}
	pl.Source = strings.TrimSpace(rec[index["source"]])
	return pl, pl.Population.Validate()
}

// SwedishSortKey returns a key that sorts Swedish names in Swedish
// alphabetical order with a plain string comparison: case and spacing are
// folded, å, ä and ö come after z in that order, and other accented letters
// sort with their base letter (é with e).
func SwedishSortKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'å':
			return '{'
		case 'ä', 'æ':
			return '|'
		case 'ö', 'ø':
			return '}'
		case 'á', 'à', 'â', 'ã':
			return 'a'
		case 'é', 'è', 'ê', 'ë':
			return 'e'
		case 'í', 'ì', 'î', 'ï':
			return 'i'
		case 'ó', 'ò', 'ô', 'õ':
			return 'o'
		case 'ú', 'ù', 'û':
			return 'u'
		case 'ü':
			return 'y'
		}
		return r
	}, FoldSwedish(s))
}
