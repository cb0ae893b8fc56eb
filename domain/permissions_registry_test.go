package domain

import "testing"

func TestRegistryPermissions(t *testing.T) {
	t.Parallel()
	gns, other := Committee{ID: 1, Code: "GNS"}, Committee{ID: 2, Code: "ANN"}
	grant := func(r Role, committee, party int64) User {
		return User{Roles: []RoleGrant{{Role: r, CommitteeID: committee, PartyID: party}}}
	}
	admin, auditor := grant(RoleAdmin, 0, 0), grant(RoleAuditor, 0, 0)
	secretariat, economist := grant(RoleSecretariat, 1, 0), grant(RoleEconomist, 1, 0)
	member, rep := grant(RoleMember, 1, 0), grant(RoleParty, 1, 7)
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"admin writes cases", CanWriteCases(admin, gns), true},
		{"secretariat writes its cases", CanWriteCases(secretariat, gns), true},
		{"secretariat not another committee's", CanWriteCases(secretariat, other), false},
		{"economist reads cases only", CanWriteCases(economist, gns), false},
		{"auditor changes nothing", CanWriteCases(auditor, gns), false},
		{"secretariat edits members", CanEditMembers(secretariat, gns), true},
		{"member does not edit members", CanEditMembers(member, gns), false},
		{"economist records populations", CanRecordPopulations(economist, gns), true},
		{"economist not another committee's", CanRecordPopulations(economist, other), false},
		{"auditor records no population", CanRecordPopulations(auditor, gns), false},
		{"auditor reads any party", CanReadParty(auditor, 9, nil), true},
		{"representative reads own party", CanReadParty(rep, 7, []int64{1}), true},
		{"representative not another party", CanReadParty(rep, 8, []int64{1}), false},
		{"member reads the committee's parties", CanReadParty(member, 8, []int64{2, 1}), true},
		{"member not another committee's parties", CanReadParty(member, 8, []int64{2}), false},
		{"admin edits a party", CanEditParty(admin), true},
		{"secretariat not every field", CanEditParty(secretariat), false},
		{"secretariat edits details", CanEditPartyDetails(secretariat, []int64{2, 1}), true},
		{"secretariat not another committee's party", CanEditPartyDetails(secretariat, []int64{2}), false},
		{"economist edits no details", CanEditPartyDetails(economist, []int64{1}), false},
		{"economist records a party's figure", CanRecordPartyPopulation(economist, []int64{1}), true},
		{"admin records a party's figure", CanRecordPartyPopulation(admin, nil), true},
		{"member records no figure", CanRecordPartyPopulation(member, []int64{1}), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
