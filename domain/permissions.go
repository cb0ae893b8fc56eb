package domain

// Who works with a committee's money: the economist (and the admin) makes
// allocations, issues invoices and keeps the economy; the secretariat, the
// admin and the auditor read them. The web routes are guarded by these role
// sets, and each handler narrows the check to the committee at hand.
var (
	// AllocationMakers make allocations and keep the economy.
	AllocationMakers = []Role{RoleEconomist, RoleAdmin}
	// AllocationReaders read allocations and the economy.
	AllocationReaders = []Role{RoleEconomist, RoleSecretariat, RoleAdmin, RoleAuditor}
)
