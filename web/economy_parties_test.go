package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// economyFixture is the demo committee with its economy, a finalised
// delårsrapport per August 2020 and a draft tertialrapport per April, made
// by the economist through the pages.
type economyFixture struct {
	s                  *Server
	final, draft       string // report page addresses
	decided, proposal  int64  // allocation ids
	ownInvoice, others string // invoice numbers: Bräcke's and another party's
	run                int64
}

func newEconomyFixture(t *testing.T) economyFixture {
	t.Helper()
	s, _ := newTestServer(t, demoSQLite(t))
	ctx := context.Background()
	if _, err := demo.LoadEconomy(ctx, s.DB); err != nil {
		t.Fatal(err)
	}
	f := economyFixture{s: s}
	b := newBrowser(t, s.Handler())
	b.login("ekonom@demo.gns.example", demo.Password)
	report := func(period string) string {
		b.get("/namnder/GNS/ekonomi/rapporter")
		w := b.post("/namnder/GNS/ekonomi/rapporter", url.Values{"period": {period}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("starting the report for %s = %d", period, w.Code)
		}
		return location(w)
	}
	f.final = report("2020-08")
	b.get(f.final + "/faststall")
	if w := b.post(f.final+"/faststall", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("finalising = %d: %s", w.Code, plain(b.last))
	}
	f.draft = report("2020-04")

	cm, err := s.DB.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.DB.Conn().Allocations(ctx, cm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		switch {
		case a.Decided() && f.decided == 0 && a.Kind == finance.AllocationBaseFunding:
			f.decided = a.ID
		case !a.Decided() && f.proposal == 0:
			f.proposal = a.ID
		}
	}
	invoices, err := s.DB.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invoices {
		switch {
		case strings.HasPrefix(inv.Buyer.Name, "Bräcke") && f.ownInvoice == "":
			f.ownInvoice = inv.Number
		case !strings.HasPrefix(inv.Buyer.Name, "Bräcke") && f.others == "":
			f.others, f.run = inv.Number, inv.RunID
		}
	}
	if f.decided == 0 || f.proposal == 0 || f.ownInvoice == "" || f.others == "" {
		t.Fatalf("the demo lacks what the test needs: %+v", f)
	}
	return f
}

// TestEconomyOpenToParties opens the decided economy to a party
// representative and a member: the budget and its PDF, the finalised report
// with its PDF and XLSX, the decided allocations with every party's share
// (the party's own marked) and the carry-forward ledger. It also checks that
// no route gives them too much: drafts are not found, and imports, the
// account mapping, invoice settings, runs and other parties' invoices are
// refused.
func TestEconomyOpenToParties(t *testing.T) {
	t.Parallel()
	f := newEconomyFixture(t)
	alloc := func(id int64) string { return "/fordelningar/" + itoa(id) }
	for _, who := range []struct {
		email string
		role  domain.Role
	}{{"bracke@demo.gns.example", domain.RoleParty}, {"ledamot@demo.gns.example", domain.RoleMember}} {
		t.Run(string(who.role), func(t *testing.T) {
			b := newBrowser(t, f.s.Handler())
			b.login(who.email, demo.Password)
			for _, p := range []string{"/namnder/GNS/ekonomi", "/namnder/GNS/ekonomi/budget/2021", "/namnder/GNS/ekonomi/budget/2021/pdf",
				"/namnder/GNS/ekonomi/overforingar", "/namnder/GNS/ekonomi/rapporter", f.final, f.final + "/pdf", f.final + "/xlsx",
				"/namnder/GNS/fordelningar", alloc(f.decided)} {
				if w := b.get(p); w.Code != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", p, w.Code)
				}
			}
			if w := b.get("/ekonomi"); w.Code != http.StatusFound || location(w) != "/namnder/GNS/ekonomi" {
				t.Errorf("GET /ekonomi = %d → %q", w.Code, location(w))
			}
			if w := b.get("/fordelningar"); w.Code != http.StatusFound {
				t.Errorf("GET /fordelningar = %d", w.Code)
			}
			page := plain(b.get("/namnder/GNS/ekonomi").Body.String())
			if strings.Contains(page, "/ekonomi/import") || strings.Contains(page, "/ekonomi/kontoplan") || strings.Contains(page, "/rapporter/"+f.draft[strings.LastIndex(f.draft, "/")+1:]+`"`) {
				t.Errorf("the economy page shows staff links or the draft:\n%s", page)
			}
			list := b.get("/namnder/GNS/ekonomi/rapporter").Body.String()
			if !strings.Contains(list, f.final+`"`) || strings.Contains(list, f.draft+`"`) {
				t.Errorf("the report list: final shown %v, draft shown %v", strings.Contains(list, f.final+`"`), strings.Contains(list, f.draft+`"`))
			}
			allocations := b.get("/namnder/GNS/fordelningar").Body.String()
			if !strings.Contains(allocations, alloc(f.decided)+`"`) || strings.Contains(allocations, alloc(f.proposal)+`"`) {
				t.Error("the allocation list shows a proposal or lacks the decided allocation")
			}
			page = plain(b.get(alloc(f.decided)).Body.String())
			own := regexp.MustCompile(`<tr class="own">\s*<th scope="row">Bräcke kommun`).MatchString(page)
			if n := strings.Count(page, "<th scope=\"row\">") - 1; n != 9 || own != (who.role == domain.RoleParty) || strings.Contains(page, "/fakturera") {
				t.Errorf("the decided allocation shows %d shares, own marked %v, invoicing link %v", n, own, strings.Contains(page, "/fakturera"))
			}

			// No route gives them too much.
			for _, p := range []string{f.draft, f.draft + "/pdf", f.draft + "/xlsx", alloc(f.proposal)} {
				if w := b.get(p); w.Code != http.StatusNotFound {
					t.Errorf("GET draft %s = %d, want 404", p, w.Code)
				}
			}
			refused := []string{"/namnder/GNS/ekonomi/import", "/namnder/GNS/ekonomi/import/1", "/namnder/GNS/ekonomi/import/1/fil",
				"/namnder/GNS/ekonomi/kontoplan", "/namnder/GNS/fakturainstallningar", "/faktureringar/" + itoa(f.run),
				"/faktureringar/" + itoa(f.run) + "/sie", "/fakturor/" + f.others, "/fakturor/" + f.others + "/pdf", f.final + "/faststall",
				"/namnder/GNS/fordelningar/ny", alloc(f.decided) + "/fakturera"}
			if who.role == domain.RoleMember {
				refused = append(refused, "/fakturor/"+f.ownInvoice)
			}
			for _, p := range refused {
				if w := b.get(p); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 403 or 404", p, w.Code)
				}
			}
			b.get("/konto")
			for _, p := range []string{"/namnder/GNS/ekonomi/rapporter", "/namnder/GNS/ekonomi/budget/2021", "/namnder/GNS/ekonomi/overforingar",
				"/namnder/GNS/ekonomi/import", f.draft, f.draft + "/faststall", "/namnder/GNS/fakturainstallningar"} {
				if w := b.post(p, url.Values{"period": {"2020-04"}}); w.Code != http.StatusForbidden {
					t.Errorf("POST %s = %d, want 403", p, w.Code)
				}
			}
		})
	}
	// A party's own invoice stays readable to it.
	b := newBrowser(t, f.s.Handler())
	b.login("bracke@demo.gns.example", demo.Password)
	if w := b.get("/fakturor/" + f.ownInvoice); w.Code != http.StatusOK {
		t.Errorf("Bräcke's own invoice = %d", w.Code)
	}
}
