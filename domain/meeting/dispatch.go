package meeting

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/domain"
)

// Dispatch is one protokollsutdrag sent to one recipient at expediering: a
// party (to its registry address) or a user of a role (e.g. the economist).
// A recipient gets a paragraph's utdrag once; a dispatch is never changed.
type Dispatch struct {
	ID          int64
	ParagraphID int64
	// Recipient names who got it, once per paragraph: "party:<id>" or
	// "user:<id>".
	Recipient string
	// Label is whom the utdrag was made out to ("Bräcke kommun", "Ekonom").
	Label    string
	PartyID  int64
	UserID   int64
	ToEmail  string
	ToName   string
	MailID   int64
	SentAt   time.Time
	SentBy   int64
	SentName string
	// MailStatus is where the mail that carried the utdrag stands.
	MailStatus domain.MailStatus
	// Receipts are the party's acknowledgements, oldest first: the last is
	// in force, earlier ones are history (a corrected diarienummer).
	Receipts []Receipt
}

// Receipt is a party user's acknowledgement that the party received a
// protokollsutdrag, with the number the party's own diarium gave it.
type Receipt struct {
	ID             int64
	DispatchID     int64
	RegistryNumber string
	At             time.Time
	By             int64
	ByName         string
}

// Received returns the receipt in force, if any.
func (d Dispatch) Received() (Receipt, bool) {
	if len(d.Receipts) == 0 {
		return Receipt{}, false
	}
	return d.Receipts[len(d.Receipts)-1], true
}

// RegistryNumber is the party's diarienummer in force, "" before any
// receipt.
func (d Dispatch) RegistryNumber() string {
	r, _ := d.Received()
	return r.RegistryNumber
}

// PartyRecipient and UserRecipient are the Recipient keys of a dispatch.
func PartyRecipient(partyID int64) string { return "party:" + strconv.FormatInt(partyID, 10) }

// UserRecipient is the Recipient key of a dispatch to a user.
func UserRecipient(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// MaxRegistryNumber is the longest diarienummer a party may record, in
// characters.
const MaxRegistryNumber = 60

// ParseRegistryNumber reads the number a party's own diarium gave a
// protokollsutdrag, as the party writes it ("KS 2020/123", "RS/1234/2020",
// "2020.456"): one line of letters, digits, spaces and / - . : _ ( ), with at
// least one digit, at most MaxRegistryNumber characters. Spaces are
// collapsed. Errors are about the field registry_number.
func ParseRegistryNumber(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", domain.FieldErrorf("registry_number", "Ange partens diarienummer för utdraget, t.ex. KS 2020/123.")
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxRegistryNumber {
		return "", domain.FieldErrorf("registry_number", "Diarienumret får vara högst %d tecken.", MaxRegistryNumber)
	}
	digit := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLetter(r), r == ' ', strings.ContainsRune("/-.:_()", r):
		default:
			return "", domain.FieldErrorf("registry_number", "Diarienumret får bara innehålla bokstäver, siffror, mellanslag och / - . : _ ( ), inte %q.", r)
		}
	}
	if !digit {
		return "", domain.FieldErrorf("registry_number", "Ett diarienummer innehåller siffror, t.ex. KS 2020/123.")
	}
	return s, nil
}

// recipientRoles are the words on an "expedieras till" list that name a
// role whose users GNS can send to, folded (domain.FoldSwedish).
var recipientRoles = map[string]domain.Role{
	"ekonom": domain.RoleEconomist, "ekonomen": domain.RoleEconomist, "ekonomer": domain.RoleEconomist,
	"nämndens ekonom": domain.RoleEconomist, "controller": domain.RoleEconomist,
	"sekretariat": domain.RoleSecretariat, "sekretariatet": domain.RoleSecretariat, "nämndsekreterare": domain.RoleSecretariat,
	"nämndsekreteraren": domain.RoleSecretariat, "nämndens sekretariat": domain.RoleSecretariat,
	"revisor": domain.RoleAuditor, "revisorer": domain.RoleAuditor, "revisorerna": domain.RoleAuditor, "revisionen": domain.RoleAuditor,
	"ledamöter": domain.RoleMember, "ledamöterna": domain.RoleMember, "nämndens ledamöter": domain.RoleMember,
}

// UserRoleOf returns the role whose users a role recipient on an
// "expedieras till" list stands for ("Ekonom" → economist), or false for a
// function GNS has no users of ("Regiondirektören").
func UserRoleOf(r Recipient) (domain.Role, bool) {
	if r.Kind != RecipientRole {
		return "", false
	}
	role, ok := recipientRoles[domain.FoldSwedish(strings.TrimSpace(r.Role))]
	return role, ok
}

// DispatchRoles are the roles whose users expediering offers as
// recipients, in the order offered.
var DispatchRoles = []domain.Role{domain.RoleEconomist, domain.RoleSecretariat, domain.RoleAuditor, domain.RoleMember}

// MayAcknowledge reports whether u may acknowledge receipt of a dispatch
// for its party: a representative of that very party in the committee.
func MayAcknowledge(u domain.User, committeeID int64, d Dispatch) bool {
	if d.PartyID == 0 {
		return false
	}
	for _, g := range u.Roles {
		if g.Role == domain.RoleParty && g.CommitteeID == committeeID && g.PartyID == d.PartyID {
			return true
		}
	}
	return false
}
