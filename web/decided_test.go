package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// TestAllocationPaysDecidedAmounts: through the form, a refund "enligt
// beslutets belopp" shows the exact split beside the decided amounts and
// the 1,00 kr that stays in the committee; its run credits 52 010,00 kr to
// each party. A per-party amount off by more than rounding to whole kronor
// explains is refused until confirmed (issue 16 §1).
func TestAllocationPaysDecidedAmounts(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := economySetup(t, db)
		ctx := context.Background()
		b.get("/namnder/GNS/fordelningar/ny")
		form := allParties(url.Values{"kind": {"refund"}, "title": {"Återbetalning enligt beslutet"}, "total": {"468 091,00"},
			"method": {"equal"}, "unit": {"ore"}, "stated_share": {"52 010"}, "basis": {"decided"}, "budget_year": {"2021"},
			"decision": {"GNS § 99/2020"}, "action": {"save"}})
		w := b.post("/namnder/GNS/fordelningar", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save = %d: %s", w.Code, plain(w.Body.String()))
		}
		allocURL := location(w)
		page := html.UnescapeString(plain(b.get(allocURL).Body.String()))
		for _, want := range []string{"Enligt beslutet", "−52 010,12 kr", "−52 010,00 kr", "+0,11 kr", "−468 090,00 kr",
			"Faktureras enligt beslutets belopp.", "Skillnaden, 1,00 kr, stannar i nämnden"} {
			if !strings.Contains(page, want) {
				t.Errorf("allocation page lacks %q", want)
			}
		}
		id := allocURL[strings.LastIndex(allocURL, "/")+1:]
		preview := "/fordelningar/" + id + "/fakturera"
		w = b.get(preview + "?datum=2021-02-10")
		fp := regexp.MustCompile(`name="fingerprint" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
		if w.Code != http.StatusOK || fp == nil || !strings.Contains(plain(w.Body.String()), "52 010,00") {
			t.Fatalf("run preview = %d: %s", w.Code, plain(w.Body.String()))
		}
		if w = b.post(preview, url.Values{"issue_date": {"2021-02-10"}, "fingerprint": {fp[1]}}); w.Code != http.StatusSeeOther {
			t.Fatalf("issue = %d: %s", w.Code, plain(w.Body.String()))
		}
		cm, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		docs, _ := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, Kind: finance.InvoiceKindCreditNote})
		n := 0
		for _, d := range docs {
			if d.IssueDate == domain.MustDate("2021-02-10") {
				n++
				if d.Amount.StringFixed(2) != "52010.00" {
					t.Errorf("%s to %s = %s, want 52010.00", d.Number, d.Buyer.Name, d.Amount)
				}
			}
		}
		if n != 8 {
			t.Errorf("%d credit notes issued, want 8", n)
		}

		// Per party: one amount 100 kr off the exact share.
		form = allParties(url.Values{"kind": {"base_funding"}, "title": {"Bas enligt beslutet"}, "total": {"914 400"},
			"method": {"equal"}, "basis": {"decided"}, "action": {"save"}})
		for _, slug := range []string{"region-jh", "ostersund", "are", "krokom", "berg", "bracke", "ragunda", "stromsund", "harjedalen"} {
			form.Set("decided_"+slug, "101 600")
		}
		form.Set("decided_are", "101 700")
		w = b.post("/namnder/GNS/fordelningar", form)
		if body := plain(w.Body.String()); w.Code != http.StatusBadRequest || !strings.Contains(body, "Åre kommun 101 700,00 kr (exakt 101 600,00 kr)") ||
			!strings.Contains(body, "bekräfta") {
			t.Fatalf("unconfirmed = %d: %s", w.Code, body)
		}
		form.Set("confirm_decided", "on")
		if w = b.post("/namnder/GNS/fordelningar", form); w.Code != http.StatusSeeOther {
			t.Fatalf("confirmed = %d: %s", w.Code, plain(w.Body.String()))
		}
		page = html.UnescapeString(plain(b.get(location(w)).Body.String()))
		for _, want := range []string{"+100,00 kr", "Ekonomen har bekräftat", "Skillnaden, 100,00 kr"} {
			if !strings.Contains(page, want) {
				t.Errorf("confirmed allocation page lacks %q", want)
			}
		}
	})
}

// TestAllocationAPIDecided: the API takes decided amounts per party and
// returns them with the difference and what stays in the committee.
func TestAllocationAPIDecided(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := economySetup(t, db)
		token := tokenFor(t, db, "ekonom@demo.gns.example")
		body := `{"kind": "refund", "title": "Återbetalning", "total": "-468091.00", "method": "equal", "budget_year": 2021,
			"decision": "GNS § 99/2020", "stated_share": "-52010", "pays_decided": true, "origin_years": [2018, 2019], "parties": [` + allJSON() + `]}`
		code, out := apiCall(t, s.Handler(), token, "POST", "/api/v1/committees/GNS/allocations", body)
		if code != http.StatusCreated || out["kept"] != "1.00" || out["decided_difference"] != "1.00" || out["pays_decided"] != true {
			t.Fatalf("create = %d %v", code, out)
		}
		shares, _ := out["shares"].([]any)
		if len(shares) != 9 || shares[0].(map[string]any)["decided"] != "-52010.00" || shares[0].(map[string]any)["amount"] != "-52010.12" {
			t.Errorf("shares = %v", shares)
		}
		if years, _ := out["origin_years"].([]any); len(years) != 2 {
			t.Errorf("origin_years = %v", out["origin_years"])
		}
		code, out = apiCall(t, s.Handler(), token, "POST", "/api/v1/committees/GNS/allocations/preview",
			`{"kind": "refund", "title": "Å", "total": "-900.00", "method": "equal", "decided": {"are": "-200"}, "parties": [`+allJSON()+`]}`)
		if e, _ := out["error"].(map[string]any); code != http.StatusBadRequest || e["fields"].(map[string]any)["confirm_decided"] == nil {
			t.Errorf("unconfirmed preview = %d %v", code, out)
		}
	})
}

// allJSON lists the demo parties for an API body.
func allJSON() string {
	var parts []string
	for _, slug := range []string{"region-jh", "ostersund", "are", "krokom", "berg", "bracke", "ragunda", "stromsund", "harjedalen"} {
		parts = append(parts, `{"id": "`+slug+`"}`)
	}
	return strings.Join(parts, ", ")
}
