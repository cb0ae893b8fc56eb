package domain

// Who works with a committee's money: the economist (and the admin) makes
// allocations, issues invoices and keeps the economy; the secretariat, the
// admin and the auditor read them, drafts, imports and invoices included.
// Those who pay for the committee, the parties' representatives and the
// members, read what has been decided: the budget, the finalised reports,
// every decided allocation and the carry-forward ledger. The web routes are
// guarded by these role sets, and each handler narrows the check to the
// committee at hand and, for economy viewers, to what is decided.
var (
	// AllocationMakers make allocations and keep the economy.
	AllocationMakers = []Role{RoleEconomist, RoleAdmin}
	// AllocationReaders read allocations and the economy, drafts and imports
	// included: the staff.
	AllocationReaders = []Role{RoleEconomist, RoleSecretariat, RoleAdmin, RoleAuditor}
	// EconomyViewers read the decided economy: the budget and its PDF,
	// finalised interim reports (PDF and XLSX), decided allocations with
	// every party's share, and the carry-forward ledger. Drafts, imports,
	// invoice settings and other parties' invoices stay with
	// AllocationReaders.
	EconomyViewers = []Role{RoleEconomist, RoleSecretariat, RoleAdmin, RoleAuditor, RoleParty, RoleMember}
)

// PartyIn returns the party u represents in the committee (a party
// representative's grant there), or 0.
func (u User) PartyIn(committeeID int64) int64 {
	for _, g := range u.Roles {
		if g.Role == RoleParty && g.CommitteeID == committeeID {
			return g.PartyID
		}
	}
	return 0
}
