package sie

import (
	"github.com/shopspring/decimal"
)

// TotalKey names one monthly total: an account, a calendar month and an
// object. The zero Object is the account as a whole; a key with an object holds
// that object's part of the account, already inside the whole-account total.
type TotalKey struct {
	Account string
	Period  Period
	Object  ObjectRef
}

// PeriodTotals sums the file to the outcome per account, month and object, in
// SIE's signs (credit negative; see the package documentation).
//
// #PSALDO wins over #TRANS. For every fiscal year that has at least one
// #PSALDO record, the months of that year (from its #RAR, or the months its
// #PSALDO records name when the file has no #RAR for it) take their figures from
// #PSALDO alone. #TRANS rows count only in months outside those years: a file
// of type 4I, or a year exported without period balances. A row counts in the
// month of its own date, or of its verification's date when it has none (spec
// 11, #TRANS), once for the whole account and once for each object of its
// object list.
//
// The months of this year and last year are distinct calendar months, so the
// accumulated outcome for January–August 2020 and its comparison for 2019 are
// the sums over 202001–202008 and 201901–201908; the #RAR index (0 this year,
// -1 last year) only decides which records exist.
func (f *File) PeriodTotals() map[TotalKey]decimal.Decimal {
	totals := make(map[TotalKey]decimal.Decimal)
	covered := make(map[Period]bool)
	years := make(map[int]bool)
	for _, p := range f.PeriodBalances {
		add(totals, TotalKey{p.Account, p.Period, p.Object}, p.Amount)
		covered[p.Period] = true
		years[p.Year] = true
	}
	for index := range years {
		y, ok := f.Year(index)
		if !ok {
			continue
		}
		for m := PeriodOf(y.Start); !PeriodOf(y.End).Before(m); m = m.Next() {
			covered[m] = true
		}
	}
	for _, v := range f.Verifications {
		for _, t := range v.Transactions {
			date := t.Date
			if date.IsZero() {
				date = v.Date
			}
			month := PeriodOf(date)
			if covered[month] {
				continue
			}
			add(totals, TotalKey{t.Account, month, ObjectRef{}}, t.Amount)
			for _, o := range t.Objects {
				add(totals, TotalKey{t.Account, month, o}, t.Amount)
			}
		}
	}
	return totals
}

// BudgetTotals sums #PBUDGET to the budget per account, month and object, in
// SIE's signs, keyed like PeriodTotals.
func (f *File) BudgetTotals() map[TotalKey]decimal.Decimal {
	totals := make(map[TotalKey]decimal.Decimal)
	for _, p := range f.PeriodBudgets {
		add(totals, TotalKey{p.Account, p.Period, p.Object}, p.Amount)
	}
	return totals
}

func add(totals map[TotalKey]decimal.Decimal, key TotalKey, amount decimal.Decimal) {
	totals[key] = totals[key].Add(amount)
}
