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

// SIE builds the SIE 4I import file of documents and internal transfers for
// the host's ledger, with the accounts of the settings: one verification per
// document, the receivable against the contribution account (a credit note
// the other way round), and one per internal transfer, the host's own
// account against the contribution account. Verifications have no series or
// number, so the ledger numbers them, and are dated on the issue date;
// generated is the file's date. Write it with sie.Write.
func SIE(s finance.InvoiceSettings, docs []finance.Invoice, transfers []finance.InternalTransfer, issue, generated domain.Date) *sie.File {
	f := &sie.File{
		Program: "GNS", Generated: generated,
		Company: sie.Company{Name: s.Name, OrgNumber: s.OrgNumber},
		Accounts: []sie.Account{
			{Number: s.ReceivableAccount, Name: ReceivableAccountName},
			{Number: s.ContributionAccount, Name: ContributionAccountName},
		},
	}
	if len(transfers) > 0 {
		f.Accounts = append(f.Accounts, sie.Account{Number: s.InternalAccount, Name: InternalAccountName})
	}
	for _, d := range docs {
		amount := d.Signed()
		f.Verifications = append(f.Verifications, sie.Verification{
			Date: d.IssueDate,
			Text: Heading(d) + " " + d.Buyer.Name,
			Transactions: []sie.Transaction{
				{Account: s.ReceivableAccount, Amount: amount, Text: d.Buyer.Name},
				{Account: s.ContributionAccount, Amount: amount.Neg(), Text: d.Number},
			},
		})
	}
	for _, t := range transfers {
		f.Verifications = append(f.Verifications, sie.Verification{
			Date: issue,
			Text: "Intern omföring " + t.PartyName,
			Transactions: []sie.Transaction{
				{Account: s.InternalAccount, Amount: t.Amount, Text: t.LineText},
				{Account: s.ContributionAccount, Amount: t.Amount.Neg(), Text: t.PartyName},
			},
		})
	}
	return f
}
