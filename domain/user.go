package domain

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do in GNS. shared/DOMAIN.md §1 describes each.
type Role string

// The roles of GNS.
const (
	RoleAdmin       Role = "admin"       // systemadministratör: users, committees, settings
	RoleSecretariat Role = "secretariat" // sekretariatet: cases, meetings, minutes, uppdrag
	RoleEconomist   Role = "economist"   // ekonom: budget, allocations, invoices, reports
	RoleParty       Role = "party"       // partsrepresentant: one party's view, read-only
	RoleMember      Role = "member"      // ledamot/ersättare: meeting documents, justering
	RoleAuditor     Role = "auditor"     // revisor: reads everything, changes nothing
)

// Roles lists every role in the order the interface shows them.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleEconomist, RoleParty, RoleMember, RoleAuditor}

// AlwaysMFA are the roles that must log in with two factors whatever the
// settings say: they change the committee's records and money.
var AlwaysMFA = []Role{RoleAdmin, RoleSecretariat, RoleEconomist}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the role.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Systemadministratör"
	case RoleSecretariat:
		return "Sekretariat"
	case RoleEconomist:
		return "Ekonom"
	case RoleParty:
		return "Partsrepresentant"
	case RoleMember:
		return "Ledamot/ersättare"
	case RoleAuditor:
		return "Revisor"
	}
	return string(r)
}

// Global reports whether the role holds across every committee (admin,
// auditor) rather than in one committee.
func (r Role) Global() bool { return r == RoleAdmin || r == RoleAuditor }

// ParseRole reads a role by its code name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", FieldErrorf("role", "Okänd roll %q. Välj en av admin, secretariat, economist, party, member, auditor.", s)
	}
	return r, nil
}

// RoleGrant is one role a user holds: globally (admin, auditor), in one
// committee, or for one party of one committee (party).
type RoleGrant struct {
	ID          int64
	Role        Role
	CommitteeID int64 // 0 for a global role
	PartyID     int64 // set only for RoleParty
	// CommitteeCode and PartyName describe the scope for display.
	CommitteeCode string
	PartyName     string
}

// Validate checks that the grant's scope fits its role.
func (g RoleGrant) Validate() error {
	switch {
	case !g.Role.Valid():
		return FieldErrorf("role", "Okänd roll %q.", g.Role)
	case g.Role.Global() && (g.CommitteeID != 0 || g.PartyID != 0):
		return FieldErrorf("committee", "Rollen %s gäller alla nämnder och ska inte knytas till en nämnd.", g.Role.Label())
	case !g.Role.Global() && g.CommitteeID == 0:
		return FieldErrorf("committee", "Rollen %s gäller en nämnd: ange vilken.", g.Role.Label())
	case g.Role == RoleParty && g.PartyID == 0:
		return FieldErrorf("party", "En partsrepresentant företräder en part: ange vilken.")
	case g.Role != RoleParty && g.PartyID != 0:
		return FieldErrorf("party", "Bara rollen partsrepresentant knyts till en part.")
	}
	return nil
}

// String describes the grant in Swedish, e.g. "Ekonom (GNS)".
func (g RoleGrant) String() string {
	switch {
	case g.PartyName != "":
		return fmt.Sprintf("%s (%s, %s)", g.Role.Label(), g.CommitteeCode, g.PartyName)
	case g.CommitteeCode != "":
		return fmt.Sprintf("%s (%s)", g.Role.Label(), g.CommitteeCode)
	}
	return g.Role.Label()
}

// User is a person who logs in to GNS.
type User struct {
	ID    int64
	Email string
	Name  string
	Roles []RoleGrant
	// TOTPEnabled tells whether the user logs in with a second factor.
	TOTPEnabled bool
	// Demo marks the demo data's users; they may skip two-factor login while
	// demo users exist (and the demo banner shows).
	Demo       bool
	DisabledAt time.Time
	CreatedAt  time.Time
}

// Disabled reports whether the user may no longer log in.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }

// Has reports whether the user holds role r in any scope.
func (u User) Has(r Role) bool {
	for _, g := range u.Roles {
		if g.Role == r {
			return true
		}
	}
	return false
}

// HasAny reports whether the user holds any of the roles.
func (u User) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// SeesAllCommittees reports whether the user reads every committee (admin and
// auditor).
func (u User) SeesAllCommittees() bool { return u.HasAny(RoleAdmin, RoleAuditor) }

// InCommittee reports whether the user holds any role in the committee, or a
// global one.
func (u User) InCommittee(committeeID int64) bool {
	if u.SeesAllCommittees() {
		return true
	}
	for _, g := range u.Roles {
		if g.CommitteeID == committeeID {
			return true
		}
	}
	return false
}

// HasIn reports whether the user holds one of the roles in the committee. A
// global role (admin, auditor) among them counts in every committee.
func (u User) HasIn(committeeID int64, roles ...Role) bool {
	for _, g := range u.Roles {
		for _, r := range roles {
			if g.Role == r && (g.Role.Global() || g.CommitteeID == committeeID) {
				return true
			}
		}
	}
	return false
}

// MaxEmailLength and MaxNameLength bound the fields a user is made of.
const (
	MaxEmailLength = 254
	MaxNameLength  = 200
)

// NormalizeEmail checks an e-mail address and returns it trimmed, with the
// folded (lower-case) form that makes addresses unique regardless of case.
func NormalizeEmail(s string) (email, fold string, err error) {
	email = strings.TrimSpace(s)
	switch {
	case email == "":
		return "", "", FieldErrorf("email", "Ange en e-postadress.")
	case !utf8.ValidString(email) || utf8.RuneCountInString(email) > MaxEmailLength:
		return "", "", FieldErrorf("email", "E-postadressen får vara högst %d tecken.", MaxEmailLength)
	}
	a, perr := mail.ParseAddress(email)
	if perr != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "", "", FieldErrorf("email", "%q är ingen giltig e-postadress.", email)
	}
	return email, strings.ToLower(email), nil
}

// CheckName checks a person's name.
func CheckName(s string) (string, error) {
	name := strings.TrimSpace(s)
	switch {
	case name == "":
		return "", FieldErrorf("name", "Ange ett namn.")
	case !utf8.ValidString(name):
		return "", FieldErrorf("name", "Namnet innehåller ogiltiga tecken.")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", FieldErrorf("name", "Namnet får vara högst %d tecken.", MaxNameLength)
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return "", FieldErrorf("name", "Namnet innehåller ogiltiga tecken.")
		}
	}
	return name, nil
}

// Password length limits. The upper bound keeps hashing cheap enough that a
// long input cannot be used to tire the server.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// CheckPassword applies the password rules: at least MinPasswordLength
// characters, not made of the user's own name or e-mail address, and not one
// character repeated. Length matters more than character classes, so none are
// required.
func CheckPassword(password, name, email string) error {
	if !utf8.ValidString(password) {
		return FieldErrorf("password", "Lösenordet innehåller ogiltiga tecken.")
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return FieldErrorf("password", "Lösenordet måste ha minst %d tecken.", MinPasswordLength)
	case n > MaxPasswordLength:
		return FieldErrorf("password", "Lösenordet får ha högst %d tecken.", MaxPasswordLength)
	}
	folded := strings.ToLower(password)
	if strings.Trim(folded, folded[:1]) == "" {
		return FieldErrorf("password", "Lösenordet får inte bestå av ett enda tecken upprepat.")
	}
	var own []string
	if e := strings.ToLower(strings.TrimSpace(email)); e != "" {
		own = append(own, e)
		if at := strings.IndexByte(e, '@'); at > 0 {
			own = append(own, e[:at])
		}
	}
	for _, part := range strings.Fields(strings.ToLower(name)) {
		if utf8.RuneCountInString(part) >= 3 {
			own = append(own, part)
		}
	}
	for _, o := range own {
		if utf8.RuneCountInString(o) >= 3 && strings.Contains(folded, o) {
			return FieldErrorf("password", "Lösenordet får inte innehålla ditt namn eller din e-postadress.")
		}
	}
	return nil
}

// PartyOnly reports whether every role of u is a party representative's: such
// a user sees the party's own pages only.
func (u User) PartyOnly() bool {
	for _, g := range u.Roles {
		if g.Role != RoleParty {
			return false
		}
	}
	return len(u.Roles) > 0
}
