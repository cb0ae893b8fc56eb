// Package allocation splits money exactly between the parties of a committee.
//
// It is pure: no database, no I/O. Every split is computed exactly and rounded to
// the unit (öre or krona) with the largest-remainder method, so the shares always
// sum to the total.
//
// A Spec names the total, the method and the participating parties; Allocate
// validates it and returns a Result with one Share per party. The methods are
// MethodEqual (lika delar), MethodPopulation (in proportion to population, or
// with Spec.HostShare a fixed percentage for the host and the rest by
// population), MethodPercent (a fixed key summing to exactly 100, or with
// Spec.Renormalise a larger key's entries for the participants only,
// renormalised exactly over them), MethodDirect (everything to one party)
// and MethodMixed (parts of the total by fixed percentages, each split by a
// method of its own; see PartResult for how the total and each part's
// residue are divided). Any method works over any subset of the committee's
// parties.
//
// Each party's quota is exact, everyone gets the quota rounded down
// to the unit, and the units left over go one each to the largest remainders.
// Equal remainders go to the larger quota, then the host, then the lower
// Party.Order (the committee's own order), then the lower id, so the result does
// not depend on the order the parties are passed in. A negative total (a
// refund) is split as its absolute value and every share negated. Each share
// records its quota, its weight and where the weight came from, and whether it
// received a leftover unit, so a party can see why it pays what it pays.
//
// The arithmetic is exact either way: in machine integers (64-bit weights and
// totals, 128-bit products through math/bits) when the total in units, every
// weight and their sum fit, as they do for whole öre and whole inhabitants,
// and with math/big otherwise. Both paths give the same result to the last
// digit (a property test and a fuzz target compare them, near the limits of
// 64 bits too).
//
// ParseSpec reads the JSON form of a Spec strictly, and Result encodes itself
// as JSON; together they are the contract of the `gns allocate` command.
// Invalid input is reported as a *FieldError naming the field and the problem.
package allocation
