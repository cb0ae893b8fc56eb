package meeting

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// The kinds of Recipient on an "expedieras till" list.
const (
	RecipientParties = "parties" // all the committee's parties
	RecipientParty   = "party"   // one party, by slug
	RecipientRole    = "role"    // a role or function, e.g. "Ekonom"
)

// Limits on the recipients of a paragraph or an agenda item.
const (
	// MaxRecipients is the most recipients one "expedieras till" list holds.
	MaxRecipients = 40
	// MaxRecipientRole is the longest role name, in characters.
	MaxRecipientRole = 120
)

// Code writes the recipient as it is stored: "parties", "party:<slug>" or
// "role:<name>".
func (r Recipient) Code() string {
	switch r.Kind {
	case RecipientParty:
		return RecipientParty + ":" + r.Party
	case RecipientRole:
		return RecipientRole + ":" + r.Role
	}
	return r.Kind
}

// ParseRecipientCode reads a recipient written by Code.
func ParseRecipientCode(s string) (Recipient, error) {
	kind, value, _ := strings.Cut(s, ":")
	switch {
	case kind == RecipientParties && value == "":
		return Recipient{Kind: RecipientParties}, nil
	case kind == RecipientParty && value != "":
		return Recipient{Kind: RecipientParty, Party: value}, nil
	case kind == RecipientRole && strings.TrimSpace(value) != "":
		return Recipient{Kind: RecipientRole, Role: value}, nil
	}
	return Recipient{}, fmt.Errorf("recipient %q: want parties, party:<slug> or role:<name>", s)
}

// Label names the recipient as the minutes write it: "Nämndens parter", the
// party's name (looked up in parties; the slug when it is not there), or the
// role.
func (r Recipient) Label(parties []domain.Party) string {
	switch r.Kind {
	case RecipientParties:
		return "Nämndens parter"
	case RecipientParty:
		for _, p := range parties {
			if p.Slug == r.Party {
				return p.Name
			}
		}
		return r.Party
	}
	return r.Role
}

// allPartiesWords are the ways a secretary writes "all the parties".
var allPartiesWords = map[string]bool{"nämndens parter": true, "alla parter": true, "parterna": true, "parter": true}

// ParseRecipientList reads an "expedieras till" list as the secretariat types
// it, one recipient a line (commas separate too): "Nämndens parter" (or "Alla
// parter") for every party, a party's name or slug for that party, anything
// else as a role or function ("Ekonom", "Sekretariatet"). Duplicates are
// dropped. Errors are about the field.
func ParseRecipientList(field, text string, parties []domain.Party) ([]Recipient, error) {
	var out []Recipient
	seen := map[string]bool{}
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		line = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "."))
		if line == "" {
			continue
		}
		r := Recipient{Kind: RecipientRole, Role: line}
		folded := domain.FoldSwedish(line)
		if allPartiesWords[folded] {
			r = Recipient{Kind: RecipientParties}
		}
		for _, p := range parties {
			if folded == domain.FoldSwedish(p.Name) || folded == p.Slug {
				r = Recipient{Kind: RecipientParty, Party: p.Slug}
			}
		}
		if r.Kind == RecipientRole {
			if err := domain.CheckText(field, "Mottagaren", line, MaxRecipientRole); err != nil {
				return nil, err
			}
		}
		if seen[r.Code()] {
			continue
		}
		seen[r.Code()] = true
		out = append(out, r)
	}
	if len(out) > MaxRecipients {
		return nil, domain.FieldErrorf(field, "Ange högst %d mottagare.", MaxRecipients)
	}
	return out, nil
}

// FormatRecipientList writes recipients one a line, as ParseRecipientList
// reads them back.
func FormatRecipientList(list []Recipient, parties []domain.Party) string {
	lines := make([]string, len(list))
	for i, r := range list {
		lines[i] = r.Label(parties)
	}
	return strings.Join(lines, "\n")
}

// ExpandRecipients turns a list into the recipients that each get a
// protokollsutdrag: "Nämndens parter" becomes every party in parties (in the
// committee's order), and each party or role comes once.
func ExpandRecipients(list []Recipient, parties []domain.Party) []Recipient {
	var out []Recipient
	seen := map[string]bool{}
	add := func(r Recipient) {
		if !seen[r.Code()] {
			seen[r.Code()] = true
			out = append(out, r)
		}
	}
	for _, r := range list {
		if r.Kind == RecipientParties {
			for _, p := range parties {
				add(Recipient{Kind: RecipientParty, Party: p.Slug})
			}
			continue
		}
		add(r)
	}
	return out
}

// Limits on a paragraph's text.
const (
	// MaxParagraphTitle is the longest title (one line), in characters.
	MaxParagraphTitle = 300
	// MaxParagraphText is the longest of each text part (sammanfattning,
	// förslag, beslut ...), in characters: several pages.
	MaxParagraphText = 15_000
	// MaxMotionText is the longest yrkande, in characters.
	MaxMotionText = 3_000
	// MaxMotions is the most yrkanden one paragraph records.
	MaxMotions = 30
)

// Ref names the paragraph with its year, as other paragraphs and the
// assignment register refer to it: "§ 38/2019".
func (p Paragraph) Ref() string { return ParagraphRef(p.Number, p.Year) }

// ParagraphRef writes a paragraph reference, "§ 38/2019".
func ParagraphRef(number, year int) string { return fmt.Sprintf("§ %d/%d", number, year) }

// pointPrefix is a point number a secretary typed before a decision point or
// a beslutsunderlag ("1.", "2)", "-", "•").
var pointPrefix = regexp.MustCompile(`^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s*`)

// lines splits text into its non-empty lines without the typed numbering.
func pointLines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(pointPrefix.ReplaceAllString(l, "")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// DecisionPoints returns the beslut's points, one per line, without any
// numbering the secretary typed: the minutes number them.
func (p Paragraph) DecisionPoints() []string { return pointLines(p.Decision) }

// BasisItems returns the beslutsunderlag, one document per line.
func (p Paragraph) BasisItems() []string { return pointLines(p.Basis) }

// Normalize trims the paragraph's text and checks it: a title is required,
// each text part and yrkande is bounded, each yrkande names its member and
// says something. Errors are field errors (title, summary, proposal,
// proposition_order, proposition_result, decision, reservations, basis,
// motions).
func (p *Paragraph) Normalize() error {
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" {
		return domain.FieldErrorf("title", "Ange paragrafens rubrik.")
	}
	if strings.ContainsAny(p.Title, "\r\n") {
		return domain.FieldErrorf("title", "Rubriken ska vara en rad.")
	}
	if err := domain.CheckText("title", "Rubriken", p.Title, MaxParagraphTitle); err != nil {
		return err
	}
	for _, part := range []struct {
		field, label string
		text         *string
	}{
		{"summary", "Sammanfattningen", &p.Summary},
		{"proposal", "Förslaget till beslut", &p.Proposal},
		{"proposition_order", "Propositionsordningen", &p.PropositionOrder},
		{"proposition_result", "Propositionsordningens utfall", &p.PropositionResult},
		{"decision", "Beslutet", &p.Decision},
		{"reservations", "Reservationerna", &p.Reservations},
		{"basis", "Beslutsunderlaget", &p.Basis},
	} {
		*part.text = strings.TrimSpace(strings.ReplaceAll(*part.text, "\r\n", "\n"))
		if err := domain.CheckText(part.field, part.label, *part.text, MaxParagraphText); err != nil {
			return err
		}
	}
	if len(p.Motions) > MaxMotions {
		return domain.FieldErrorf("motions", "En paragraf kan ha högst %d yrkanden.", MaxMotions)
	}
	for i := range p.Motions {
		m := &p.Motions[i]
		m.Text = strings.TrimSpace(strings.ReplaceAll(m.Text, "\r\n", "\n"))
		if m.MemberID == 0 {
			return domain.FieldErrorf("motions", "Yrkande %d: välj vem som yrkar.", i+1)
		}
		if m.Text == "" {
			return domain.FieldErrorf("motions", "Yrkande %d: skriv vad som yrkas.", i+1)
		}
		if err := domain.CheckText("motions", fmt.Sprintf("Yrkande %d", i+1), m.Text, MaxMotionText); err != nil {
			return err
		}
	}
	if len(p.DispatchTo) > MaxRecipients {
		return domain.FieldErrorf("dispatch_to", "Ange högst %d mottagare.", MaxRecipients)
	}
	return nil
}

// ParseVote reads a vote: "ja", "nej" or "avstår" ("avstar"), in any case.
func ParseVote(s string) (Vote, error) {
	switch domain.FoldSwedish(strings.TrimSpace(s)) {
	case "ja":
		return VoteYes, nil
	case "nej":
		return VoteNo, nil
	case "avstår", "avstar":
		return VoteAbstain, nil
	}
	return "", domain.FieldErrorf("votes", "Okänd röst %s: ange ja, nej eller avstår.", sv.Quote(s))
}

// ServingAt returns the members who serve at paragraph number n, in the
// order of the attendance list.
func ServingAt(attendance []Attendance, n int) []int64 {
	var out []int64
	for _, a := range attendance {
		if a.ServingAt(n) {
			out = append(out, a.MemberID)
		}
	}
	return out
}

// CheckJusterare checks the choice of justerare: exactly two different
// members, both serving (tjänstgörande) at the meeting. names gives the
// members' names for the messages. The error is about the field "justerare".
func CheckJusterare(memberIDs []int64, attendance []Attendance, names map[int64]string) error {
	if len(memberIDs) != 2 || memberIDs[0] == 0 || memberIDs[1] == 0 {
		return domain.FieldErrorf("justerare", "Välj två justerare.")
	}
	if memberIDs[0] == memberIDs[1] {
		return domain.FieldErrorf("justerare", "Välj två olika justerare.")
	}
	serving := map[int64]bool{}
	for _, a := range attendance {
		serving[a.MemberID] = serving[a.MemberID] || a.Serving
	}
	for _, id := range memberIDs {
		if !serving[id] {
			return domain.FieldErrorf("justerare", "%s tjänstgör inte vid sammanträdet och kan inte vara justerare. Välj bland de tjänstgörande ledamöterna.", nameOf(names, id))
		}
	}
	return nil
}

// JusterareApproval is one justerare as the justering records it: the
// member, when and by which user the minutes were approved, and the SHA-256
// of the minutes PDF the justerare approved.
type JusterareApproval struct {
	Justerare
	// ApproverName is the name of the user who approved.
	ApproverName string
	// SHA256 is the hash of the justeringsexemplar approved, in hex.
	SHA256 string
}

// Approved reports whether this justerare has approved the minutes.
func (j JusterareApproval) Approved() bool { return !j.ApprovedAt.IsZero() }

// Justering is where the approval of a meeting's minutes stands.
type Justering struct {
	MeetingID int64
	// Due is the tid för justering.
	Due       domain.Date
	Justerare []JusterareApproval
	// LockedAt is when the second approval locked the minutes; SHA256 the
	// hash of the PDF both approved.
	LockedAt time.Time
	SHA256   string
	// AnnouncedOn is the anslag day; AppealEnds the last day to appeal.
	AnnouncedOn domain.Date
	// Secretary is the sekreterare's name: the protokoll names them, and
	// they certify its extracts. Empty for minutes from before it was asked.
	Secretary string
}

// Locked reports whether both justerare have approved and the minutes are
// locked.
func (j Justering) Locked() bool { return !j.LockedAt.IsZero() }

// JusterareFor returns the justerare of j that u is: the first whose member
// is linked to u, when u is an active user with the member role in the
// committee (committeeID); nil when u is none of them. A justerare reads the
// minutes before they are justerade, and approves them (CanJustera).
func (j Justering) JusterareFor(u domain.User, committeeID int64) *JusterareApproval {
	if u.ID == 0 || u.Disabled() || !u.HasIn(committeeID, domain.RoleMember) {
		return nil
	}
	for i := range j.Justerare {
		if j.Justerare[i].UserID == u.ID {
			return &j.Justerare[i]
		}
	}
	return nil
}

// CanJustera is the rule of who may approve (justera) the minutes of m,
// whose justering is j: an active user with the member role in the
// committee, who logs in with two factors (a demo user need not while demo
// users can log in, which demo tells), and who is one of the meeting's
// justerare (JusterareFor). It returns the justerare u approves as. The
// store records an approval only when it holds, and the pages ask it before
// they offer one; its errors (EFORBIDDEN) say why not.
func CanJustera(u domain.User, m Meeting, j Justering, demo bool) (*JusterareApproval, error) {
	if u.Disabled() || !u.HasIn(m.CommitteeID, domain.RoleMember) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ledamöter kan justera protokoll.")
	}
	if !u.TOTPEnabled && !(u.Demo && demo) {
		return nil, ErrJusteringNeedsTwoFactor
	}
	if x := j.JusterareFor(u, m.CommitteeID); x != nil {
		return x, nil
	}
	return nil, domain.Errorf(domain.EFORBIDDEN, "Du är inte justerare av protokollet från sammanträdet den %s.", m.Date)
}

// ErrJusteringNeedsTwoFactor is CanJustera's answer to a user without
// two-factor login; the pages guide the user to turn it on and come back.
var ErrJusteringNeedsTwoFactor = domain.Errorf(domain.EFORBIDDEN, "Justering kräver tvåstegsverifiering. Aktivera den under Mitt konto; du behöver inte logga in igen.")

// ErrMinutesLocked is the answer to any change of m's minutes once they are
// justerade and locked.
func ErrMinutesLocked(m Meeting) error {
	return domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är justerat och låst. Inget i det kan ändras.", m.Date)
}

// MinutesOpen refuses a change to m's minutes (ECONFLICT) once they are
// justerade and locked, or when the meeting was cancelled and has no
// minutes.
func (m Meeting) MinutesOpen() error {
	switch {
	case m.Locked():
		return ErrMinutesLocked(m)
	case m.Cancelled():
		return domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt och har inget protokoll.", m.Date)
	}
	return nil
}

// AppealEnds returns the last day of the appeal period, or the zero Date
// before the anslag.
func (j Justering) AppealEnds() domain.Date {
	if j.AnnouncedOn.IsZero() {
		return domain.Date{}
	}
	return AppealPeriodEnd(j.AnnouncedOn)
}

// Limits on an assignment.
const (
	MaxAssignee            = 200
	MaxAssignmentText      = 3_000
	MaxAssignmentEventNote = 1_000
)

// ParseAssignmentStatus reads a status by its code name; the error is about
// the field "status".
func ParseAssignmentStatus(s string) (AssignmentStatus, error) {
	for _, st := range AssignmentStatuses {
		if string(st) == strings.TrimSpace(s) {
			return st, nil
		}
	}
	return "", domain.FieldErrorf("status", "Okänd status %s. Välj givet, pågår, återrapporterat, slutfört eller återtaget.", sv.Quote(s))
}

// CheckAssignee checks an assignee (a role such as "Regiondirektören" or a
// person's name) and returns it trimmed. The error is about the field
// "assignee".
func CheckAssignee(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", domain.FieldErrorf("assignee", "Ange vem som får uppdraget: en roll (t.ex. Regiondirektören) eller en person.")
	}
	if strings.ContainsAny(s, "\r\n") {
		return "", domain.FieldErrorf("assignee", "Ange mottagaren av uppdraget på en rad.")
	}
	return s, domain.CheckText("assignee", "Mottagaren", s, MaxAssignee)
}

// Normalize trims an assignment's assignee and description and checks them.
// Errors are about the fields "assignee" and "description".
func (a *Assignment) Normalize() error {
	var err error
	if a.Assignee, err = CheckAssignee(a.Assignee); err != nil {
		return err
	}
	a.Description = strings.TrimSpace(strings.ReplaceAll(a.Description, "\r\n", "\n"))
	if a.Description == "" {
		return domain.FieldErrorf("description", "Beskriv uppdraget.")
	}
	return domain.CheckText("description", "Beskrivningen", a.Description, MaxAssignmentText)
}

// AssignmentEventKind is what happened to an assignment.
type AssignmentEventKind string

// The kinds of assignment event.
const (
	AssignmentEventGiven      AssignmentEventKind = "given"
	AssignmentEventStatus     AssignmentEventKind = "status"
	AssignmentEventReassigned AssignmentEventKind = "reassigned"
	AssignmentEventWithdrawn  AssignmentEventKind = "withdrawn"
)

// Label returns the Swedish description of the event kind.
func (k AssignmentEventKind) Label() string {
	switch k {
	case AssignmentEventGiven:
		return "Givet"
	case AssignmentEventStatus:
		return "Ny status"
	case AssignmentEventReassigned:
		return "Ny mottagare"
	case AssignmentEventWithdrawn:
		return "Återtaget"
	}
	return string(k)
}

// AssignmentEvent is one entry in an assignment's history.
type AssignmentEvent struct {
	ID           int64
	AssignmentID int64
	At           time.Time
	Actor        string
	Kind         AssignmentEventKind
	FromStatus   AssignmentStatus
	ToStatus     AssignmentStatus
	FromAssignee string
	ToAssignee   string
	// ParagraphID is the decision behind the event, when there is one, and
	// Paragraph names it ("§ 14/2020").
	ParagraphID int64
	Paragraph   string
	Note        string
}

// AssignmentFilter selects assignments from a committee's register (or those
// due at one meeting).
type AssignmentFilter struct {
	CommitteeID int64
	// Status, when set, is the one status to list; Open lists the open
	// ones (given, in progress, reported back).
	Status AssignmentStatus
	Open   bool
	// Overdue lists open assignments past their due date on Today.
	Overdue bool
	Today   domain.Date
	// Assignee matches the assignee's name, ignoring case.
	Assignee string
	CaseID   int64
	// ReportMeetingID lists the assignments to report back at a meeting.
	ReportMeetingID int64
}

// ParseParagraphRef reads a reference to a paragraph as the minutes write
// it, "§ 14/2020" (also "§14/2020" or "14/2020"), and returns its number and
// year. Errors are about the field.
func ParseParagraphRef(field, s string) (number, year int, err error) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "§"))
	n, y, ok := strings.Cut(t, "/")
	number, err1 := strconv.Atoi(strings.TrimSpace(n))
	year, err2 := strconv.Atoi(strings.TrimSpace(y))
	if !ok || err1 != nil || err2 != nil || number < 1 || number > 9999 || year < 1900 || year > 9999 {
		return 0, 0, domain.FieldErrorf(field, "Ange paragrafen som i protokollet: § nummer/år, t.ex. § 14/2020.")
	}
	return number, year, nil
}
