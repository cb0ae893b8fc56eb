package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestDemoInvoices(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 { // the second load adds nothing
			if _, err := demo.Load(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		c := db.Conn()
		gns, _ := c.CommitteeByCode(ctx, demo.CommitteeCode)
		settings, err := c.InvoiceSettings(ctx, gns.ID)
		if err != nil || !settings.Demo || settings.OrgNumber != "232100-0214" || settings.VATNumber != "SE232100021401" {
			t.Fatalf("settings = %+v, %v", settings, err)
		}
		runs, err := c.InvoiceRuns(ctx, gns.ID)
		if err != nil || len(runs) != 4 {
			t.Fatalf("runs = %d, %v", len(runs), err)
		}
		// Newest first: the bill of serverdrift (loadServices), the
		// settlement of Projekt Digital transformation (TestDemoProject),
		// the refund and the base funding.
		server, refund, base := runs[0], runs[2], runs[3]
		if len(server.Invoices) != 1 || server.Invoices[0].Number != "GNS-2020-0001" || server.Invoices[0].Buyer.Name != "Åre kommun" ||
			server.Invoices[0].Amount.StringFixed(2) != "1607410.00" || !strings.Contains(server.Invoices[0].LineText, "kostnadsobjekt 6663") ||
			server.Invoices[0].PeriodStart != domain.MustDate("2020-01-01") || server.Invoices[0].PeriodEnd != domain.MustDate("2020-08-31") {
			t.Fatalf("server operations run: %+v", server.Invoices)
		}
		if base.Title != "Basfinansiering 2021" || len(base.Invoices) != 8 || len(base.Transfers) != 1 || base.IssueDate != domain.MustDate("2021-01-04") {
			t.Fatalf("base funding run: %q, %d documents, %d transfers", base.Title, len(base.Invoices), len(base.Transfers))
		}
		for i, inv := range base.Invoices {
			if inv.Kind != finance.InvoiceKindInvoice || inv.Amount.StringFixed(2) != "101600.00" || inv.Seq != i+1 || inv.DueDate != domain.MustDate("2021-01-31") {
				t.Errorf("base funding document %d = %s %s %s", i, inv.Number, inv.Kind, inv.Amount)
			}
		}
		if tr := base.Transfers[0]; tr.PartyName != "Region Jämtland Härjedalen" || tr.Amount.StringFixed(2) != "101600.00" {
			t.Errorf("the region's share = %+v", tr)
		}
		if len(refund.Invoices) != 8 || refund.Invoices[0].Number != "GNS-2021-0009" || refund.Invoices[0].Kind != finance.InvoiceKindCreditNote ||
			refund.Invoices[0].Amount.StringFixed(2) != "52010.00" || refund.Transfers[0].Amount.StringFixed(2) != "-52010.00" || refund.Total().StringFixed(2) != "-468090.00" {
			t.Errorf("refund run: %d documents, first %+v", len(refund.Invoices), refund.Invoices[0])
		}
		for _, inv := range refund.Invoices {
			if inv.Amount.StringFixed(2) != "52010.00" || inv.Decision != refund.Invoices[0].Decision {
				t.Errorf("refund credit note %s to %s = %s (%s), want the decided 52010.00", inv.Number, inv.Buyer.Name, inv.Amount, inv.Decision)
			}
		}
		// Bräcke: base funding, refund and its settlement of Digital transformation.
		bracke, _ := c.PartyBySlug(ctx, "bracke")
		own, err := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID, PartyIDs: []int64{bracke.ID}})
		if err != nil || len(own) != 3 || own[0].Status() != finance.InvoiceIssued || own[0].Buyer.Address == "" || len(own[0].EInvoiceGap()) == 0 {
			t.Errorf("Bräcke's documents = %d, %v", len(own), err)
		}
		paid, _ := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID, Status: finance.InvoicePaid})
		partly, _ := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID, Status: finance.InvoicePartlyPaid})
		if len(paid) != 2 || len(partly) != 1 {
			t.Errorf("paid %d, partly paid %d; want 2 and 1", len(paid), len(partly))
		}
		ostersund, _ := c.PartyBySlug(ctx, "ostersund")
		if ostersund.Address == "" || ostersund.InvoiceReference != "KS-2380" || ostersund.PeppolID != "" {
			t.Errorf("Östersund's register entry = %+v", ostersund.PartyDetails)
		}
		if own, _ := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID, PartyIDs: []int64{ostersund.ID}}); len(own[0].EInvoiceGap()) != 0 || own[0].Buyer.PeppolID != "0007:2120002528" {
			t.Errorf("Östersund's invoice cannot be an e-invoice: %+v", own[0].Buyer)
		}
	})
}
