package domain

// Who keeps the committee register. The admin keeps every committee and
// party; the secretariat of a committee keeps its members, its cases and the
// details of its parties; the economists join the secretariat in recording
// population figures, which drive the allocations. The web routes are guarded
// by these role sets, and the predicates below narrow the check to the
// committee or party at hand.
var (
	// CaseWriters register and change a committee's cases.
	CaseWriters = []Role{RoleAdmin, RoleSecretariat}
	// MemberEditors manage a committee's members.
	MemberEditors = []Role{RoleAdmin, RoleSecretariat}
	// PartyEditors edit a party: the admin everything, the secretariat of
	// one of the party's committees its address, invoice and contact fields.
	PartyEditors = []Role{RoleAdmin, RoleSecretariat}
	// PopulationRecorders record population figures.
	PopulationRecorders = []Role{RoleAdmin, RoleSecretariat, RoleEconomist}
)

// CanWriteCases reports whether u may register and change the committee's
// cases: its secretariat and the admin. Everyone with a role in the committee
// reads them, as they are public records.
func CanWriteCases(u User, cm Committee) bool { return u.HasIn(cm.ID, CaseWriters...) }

// CanEditMembers reports whether u may add and change the committee's
// members: its secretariat and the admin.
func CanEditMembers(u User, cm Committee) bool { return u.HasIn(cm.ID, MemberEditors...) }

// CanRecordPopulations reports whether u may record population figures for
// the committee's parties, one at a time or from a file: its secretariat and
// economists, and the admin.
func CanRecordPopulations(u User, cm Committee) bool { return u.HasIn(cm.ID, PopulationRecorders...) }

// CanReadParty reports whether u may read the page of a party that is or has
// been a member of the committees: admin and auditor always; a party
// representative only the party represented; any other role of one of the
// committees. A party is not found for someone who may not read it.
func CanReadParty(u User, partyID int64, committeeIDs []int64) bool {
	if u.SeesAllCommittees() {
		return true
	}
	for _, g := range u.Roles {
		if g.Role == RoleParty {
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

// CanEditParty reports whether u may edit every field of a party (name,
// kind, numbers and details): the admin only.
func CanEditParty(u User) bool { return u.Has(RoleAdmin) }

// CanEditPartyDetails reports whether u may edit the address, invoice and
// contact fields of a party that is or has been a member of the committees:
// the admin, and the secretariat of one of the committees.
func CanEditPartyDetails(u User, committeeIDs []int64) bool {
	return CanEditParty(u) || inAnyCommittee(u, committeeIDs, RoleSecretariat)
}

// CanRecordPartyPopulation reports whether u may record and correct the
// population figures of a party that is or has been a member of the
// committees: the admin, and the secretariat and economists of one of the
// committees.
func CanRecordPartyPopulation(u User, committeeIDs []int64) bool {
	return CanEditParty(u) || inAnyCommittee(u, committeeIDs, RoleSecretariat, RoleEconomist)
}

// inAnyCommittee reports whether u holds one of the roles in one of the
// committees.
func inAnyCommittee(u User, committeeIDs []int64, roles ...Role) bool {
	for _, id := range committeeIDs {
		if u.HasIn(id, roles...) {
			return true
		}
	}
	return false
}
