package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// benchCommittee is a committee with a host and 311 other parties, each with
// everything an e-invoice needs, and its invoice settings.
func benchCommittee(b *testing.B, db *store.DB) (domain.Committee, []domain.Party) {
	b.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "bench"})
	var cm domain.Committee
	var parties []domain.Party
	err := db.InTx(ctx, func(c *store.Conn) error {
		for i := range 312 {
			base := fmt.Sprintf("2120%05d", i)
			check, err := domain.LuhnCheckDigit(base)
			if err != nil {
				return err
			}
			org := fmt.Sprintf("%s-%s%d", base[:6], base[6:], check)
			p, err := c.CreateParty(ctx, domain.Party{Name: fmt.Sprintf("Kommun %03d", i), Kind: domain.PartyKindKommun, OrgNumber: org,
				PartyDetails: domain.PartyDetails{Address: fmt.Sprintf("Box %d\n831 82 Östersund", i+1), InvoiceReference: fmt.Sprintf("KS-%03d", i),
					PeppolID: domain.PeppolID(org)}})
			if err != nil {
				return err
			}
			parties = append(parties, p)
		}
		if cm, err := c.CreateCommittee(ctx, domain.Committee{Code: "STOR", Name: "Stora nämnden", StartedOn: domain.MustDate("2020-01-01"), HostPartyID: parties[0].ID}); err != nil {
			return err
		} else {
			for i, p := range parties {
				if err := c.AddMembership(ctx, domain.Membership{CommitteeID: cm.ID, PartyID: p.ID, Position: i + 1, From: cm.StartedOn}); err != nil {
					return err
				}
			}
			s := finance.NewInvoiceSettings(cm.ID, &parties[0])
			s.Bankgiro, s.ContributionAccount, s.InternalAccount = "5050-1055", "3540", "4950"
			_, err := c.SaveInvoiceSettings(ctx, s)
			return err
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	cm, err = db.Conn().CommitteeByCode(ctx, "STOR")
	if err != nil {
		b.Fatal(err)
	}
	return cm, parties
}

// BenchmarkIssueRun311 issues a run of 311 invoices (and the host's internal
// transfer) in one transaction on SQLite, then writes the run's PDF (one
// file, 311 pages) and every invoice's Peppol UBL, as the economist does
// after issuing.
func BenchmarkIssueRun311(b *testing.B) {
	db := storetest.NewSQLite(b)
	cm, parties := benchCommittee(b, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "bench"})
	b.ReportAllocs()
	var issuing, pdf, ubl time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := finance.Allocation{CommitteeID: cm.ID, Kind: finance.AllocationProject, Title: fmt.Sprintf("Projekt %d", i), Method: "equal",
			Unit: "ore", Total: decimal.NewFromInt(int64(1000 * len(parties))), BudgetYear: 2021, Decision: "STOR § 1/2021"}
		for j, p := range parties {
			a.Shares = append(a.Shares, finance.AllocationShare{PartyID: p.ID, PartyName: p.Name, Host: j == 0, Amount: decimal.NewFromInt(1000),
				Quota: decimal.NewFromInt(1000), Weight: decimal.NewFromInt(1), WeightKind: "equal"})
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { var err error; a, err = c.CreateAllocation(ctx, a); return err }); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		start := time.Now()
		var run finance.InvoiceRun
		if err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			run, err = c.IssueInvoiceRun(ctx, a.ID, domain.MustDate("2021-02-01"), "")
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if len(run.Invoices) != 311 {
			b.Fatalf("%d invoices", len(run.Invoices))
		}
		issued := time.Now()
		if _, err := invoice.PDF(run.Invoices, invoice.Options{Committee: cm.Name, Title: run.Title}); err != nil {
			b.Fatal(err)
		}
		written := time.Now()
		for _, inv := range run.Invoices {
			if _, err := invoice.UBL(inv); err != nil {
				b.Fatal(err)
			}
		}
		issuing, pdf, ubl = issuing+issued.Sub(start), pdf+written.Sub(issued), ubl+time.Since(written)
	}
	// The parts of the time, per run.
	n := float64(b.N)
	b.ReportMetric(float64(issuing.Milliseconds())/n, "issue-ms/op")
	b.ReportMetric(float64(pdf.Milliseconds())/n, "pdf-ms/op")
	b.ReportMetric(float64(ubl.Milliseconds())/n, "ubl-ms/op")
}
