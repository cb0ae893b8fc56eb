package domain

// PartyKind tells whether a party is a municipality or a region.
type PartyKind string

// The kinds of party a committee can have.
const (
	PartyKindKommun PartyKind = "kommun"
	PartyKindRegion PartyKind = "region"
)

// Valid reports whether k is a known kind.
func (k PartyKind) Valid() bool { return k == PartyKindKommun || k == PartyKindRegion }

// Label returns the Swedish word for the kind.
func (k PartyKind) Label() string {
	switch k {
	case PartyKindKommun:
		return "Kommun"
	case PartyKindRegion:
		return "Region"
	}
	return string(k)
}

// Party is a municipality (kommun) or region that can be a member of committees.
type Party struct {
	ID int64
	// Slug is the party's stable short identifier used in URLs, exports and
	// allocation specs, e.g. "region-jh" or "ostersund".
	Slug string
	Name string
	Kind PartyKind
	// OrgNumber is the organisation number, NNNNNN-NNNN, when known.
	OrgNumber string
	// MunicipalityCode is the four-digit kommunkod (two digits, länskod, for a region).
	MunicipalityCode string
	// PartyDetails are the address, invoice and contact fields (registry.go).
	PartyDetails
}

// Committee is a joint committee (gemensam nämnd). Its Code is the prefix of its
// case numbers, e.g. "GNS".
type Committee struct {
	ID        int64
	Code      string
	Name      string
	StartedOn Date
	// HostPartyID is the host party (värdkommun or värdregion), 0 if not yet set.
	HostPartyID int64
	// ChairSignsMinutes is true where the committee's reglemente has the
	// ordförande sign the minutes: the protokoll then has a signature line
	// for the one who chaired the meeting.
	ChairSignsMinutes bool
}

// Membership is a party's membership of a committee over a period, with the
// party's place in the committee's own party order (host first).
type Membership struct {
	CommitteeID int64
	PartyID     int64
	// Position is the party's place in the committee's party order, from 1.
	Position int
	From     Date
	// To is the last day of membership; the zero Date means still a member.
	To Date
}

// ActiveOn reports whether the membership covers the given day.
func (m Membership) ActiveOn(d Date) bool {
	if d.Before(m.From) {
		return false
	}
	return m.To.IsZero() || !d.After(m.To)
}

// MemberParty is a party as a member of one committee: the party, its membership
// and whether it is the committee's host.
type MemberParty struct {
	Party
	Membership Membership
	Host       bool
}

// CommitteeOverview is a committee with the parties that are members of it on a
// given day, in the committee's party order.
type CommitteeOverview struct {
	Committee
	Parties []MemberParty
}
