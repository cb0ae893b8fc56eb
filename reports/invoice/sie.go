package invoice

import (
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/sie"
)

// The names the SIE export gives the accounts it uses, for #KONTO. The
// host's ledger keeps its own names; these say what the export uses each
// account for.
const (
	ReceivableAccountName   = "Kundfordringar"
	ContributionAccountName = "Bidrag från nämndens parter"
	InternalAccountName     = "Värdpartens andel, intern omföring"
)

// ChartType is the #KPTYP of the export: the BAS chart the account numbers
// of the settings are read against when the receiving ledger does not have
// them. The export's #KONTO records name what each account is used for.
const ChartType = "EUBAS97"

// CostObjectDimension is the dimension of a direct-billed service's cost
// object (6663) on the export's #TRANS: SIE's dimension 1, kostnadsställe,
// where the host's ledger keeps its objects (the economy's imports read
// objects in the same dimension).
const CostObjectDimension = 1

// CostObjectDimensionName is the #DIM name of CostObjectDimension.
const CostObjectDimensionName = "Kostnadsställe/objekt"

// SIE builds the SIE 4I import file of a run's documents and internal
// transfers for the host's ledger, with the accounts of the settings: one
// verification per document, the receivable against the contribution
// account (a credit note the other way round), and one per internal
// transfer, the host's own account against the contribution account. The
// contribution row of a document carries the cost object of its allocation
// (costObjects, by allocation ID; a transfer takes the run's allocation's),
// which #DIM and #OBJEKT declare. Verifications have no series or number, so
// the ledger numbers them, and are dated on the issue date; generated is the
// file's date and version GNS's (#PROGRAM "GNS" version). Write it with
// sie.Write.
func SIE(s finance.InvoiceSettings, run finance.InvoiceRun, costObjects map[int64]string, version string, generated domain.Date) *sie.File {
	f := &sie.File{
		Program: "GNS", ProgramVersion: version, Generated: generated, ChartType: ChartType,
		Company: sie.Company{Name: s.Name, OrgNumber: s.OrgNumber},
		Accounts: []sie.Account{
			{Number: s.ReceivableAccount, Name: ReceivableAccountName},
			{Number: s.ContributionAccount, Name: ContributionAccountName},
		},
	}
	if len(run.Transfers) > 0 {
		f.Accounts = append(f.Accounts, sie.Account{Number: s.InternalAccount, Name: InternalAccountName})
	}
	declared := map[string]bool{}
	object := func(allocationID int64) []sie.ObjectRef {
		number := costObjects[allocationID]
		if number == "" {
			return nil
		}
		if !declared[number] {
			if len(declared) == 0 {
				f.Dimensions = append(f.Dimensions, sie.Dimension{Number: CostObjectDimension, Name: CostObjectDimensionName})
			}
			declared[number] = true
			f.Objects = append(f.Objects, sie.Object{Dimension: CostObjectDimension, Number: number, Name: "Objekt " + number})
		}
		return []sie.ObjectRef{{Dimension: CostObjectDimension, Number: number}}
	}
	for _, d := range run.Invoices {
		amount := d.Signed()
		f.Verifications = append(f.Verifications, sie.Verification{
			Date: d.IssueDate,
			Text: Heading(d) + " " + d.Buyer.Name,
			Transactions: []sie.Transaction{
				{Account: s.ReceivableAccount, Amount: amount, Text: d.Buyer.Name},
				{Account: s.ContributionAccount, Objects: object(d.AllocationID), Amount: amount.Neg(), Text: d.Number},
			},
		})
	}
	for _, t := range run.Transfers {
		f.Verifications = append(f.Verifications, sie.Verification{
			Date: run.IssueDate,
			Text: "Intern omföring " + t.PartyName,
			Transactions: []sie.Transaction{
				{Account: s.InternalAccount, Amount: t.Amount, Text: t.LineText},
				{Account: s.ContributionAccount, Objects: object(run.AllocationID), Amount: t.Amount.Neg(), Text: t.PartyName},
			},
		})
	}
	return f
}
