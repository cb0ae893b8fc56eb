package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// exactAmount is how the API writes money: a decimal string with two
// decimals, never a JSON number.
var exactAmount = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

func amountOf(t *testing.T, v any) decimal.Decimal {
	t.Helper()
	s, ok := v.(string)
	if !ok || !exactAmount.MatchString(s) {
		t.Fatalf("amount %#v is not an exact decimal string", v)
	}
	return decimal.RequireFromString(s)
}

// TestEconomyAPI reads the budgets, the carry-forward ledger, the reports
// with their table and the imports through the API, with the same access as
// the pages: a party representative and a member read the decided economy,
// not drafts or imports.
func TestEconomyAPI(t *testing.T) {
	t.Parallel()
	f := newEconomyFixture(t)
	h, db := f.s.Handler(), f.s.DB
	economist := tokenFor(t, db, "ekonom@demo.gns.example")
	party := tokenFor(t, db, "bracke@demo.gns.example")
	member := tokenFor(t, db, "ledamot@demo.gns.example")
	finalID := f.final[strings.LastIndex(f.final, "/")+1:]
	draftID := f.draft[strings.LastIndex(f.draft, "/")+1:]

	for name, token := range map[string]string{"economist": economist, "party": party, "member": member} {
		code, out := apiCall(t, h, token, "GET", "/api/v1/committees/GNS/budgets?year=2021", "")
		if code != http.StatusOK || out["count"] != float64(1) {
			t.Fatalf("budgets 2021 as %s = %d %v", name, code, out)
		}
		b := out["budgets"].([]any)[0].(map[string]any)
		if !amountOf(t, b["base_funding"]).Equal(decimal.NewFromInt(914400)) || b["current"] != true || b["pdf_url"] != "/namnder/GNS/ekonomi/budget/2021/pdf" {
			t.Errorf("budget 2021 = %v", b)
		}
		sum := decimal.Zero
		for _, l := range b["lines"].([]any) {
			sum = sum.Add(amountOf(t, l.(map[string]any)["annual"]))
		}
		if !sum.Equal(amountOf(t, b["total"])) {
			t.Errorf("the lines sum to %s, the total says %s", sum, b["total"])
		}

		code, out = apiCall(t, h, token, "GET", "/api/v1/committees/GNS/carry-forward", "")
		if code != http.StatusOK {
			t.Fatalf("carry-forward as %s = %d %v", name, code, out)
		}
		total := out["total"].(map[string]any)
		balance := decimal.Zero
		for _, y := range out["years"].([]any) {
			balance = balance.Add(amountOf(t, y.(map[string]any)["balance"]))
		}
		if years := out["years"].([]any); len(years) == 0 || years[0].(map[string]any)["origin_year"] != float64(2018) || !balance.Equal(amountOf(t, total["balance"])) {
			t.Errorf("carry-forward = %v", out)
		}

		code, out = apiCall(t, h, token, "GET", "/api/v1/committees/GNS/reports", "")
		want := 1
		if name == "economist" {
			want = 2
		}
		if code != http.StatusOK || out["count"] != float64(want) {
			t.Errorf("reports as %s = %d, count %v, want %d", name, code, out["count"], want)
		}

		code, out = apiCall(t, h, token, "GET", "/api/v1/reports/"+finalID, "")
		if code != http.StatusOK || out["status"] != "final" || out["title"] != "Delårsrapport augusti 2020" {
			t.Fatalf("the final report as %s = %d %v", name, code, out)
		}
		table := out["table"].(map[string]any)
		detail := decimal.Zero
		for _, l := range table["lines"].([]any) {
			line := l.(map[string]any)
			actual, budget := amountOf(t, line["actual"]), amountOf(t, line["budget"])
			if !actual.Sub(budget).Equal(amountOf(t, line["deviation"])) {
				t.Errorf("%s: deviation %s ≠ %s − %s", line["name"], line["deviation"], actual, budget)
			}
			if line["total"] == false {
				detail = detail.Add(actual)
			}
		}
		if result := table["result"].(map[string]any); !detail.Equal(amountOf(t, result["actual"])) {
			t.Errorf("the rows sum to %s, the result says %s", detail, result["actual"])
		}

		code, _ = apiCall(t, h, token, "GET", "/api/v1/reports/"+draftID, "")
		if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[name == "economist"]; code != want {
			t.Errorf("the draft as %s = %d, want %d", name, code, want)
		}
		code, out = apiCall(t, h, token, "GET", "/api/v1/committees/GNS/imports", "")
		if want := map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[name == "economist"]; code != want {
			t.Errorf("imports as %s = %d, want %d", name, code, want)
		}
		if name == "economist" {
			imp := out["imports"].([]any)[0].(map[string]any)
			if imp["status"] != "committed" || len(imp["periods"].([]any)) != 20 || imp["format"] != "sie" {
				t.Errorf("import = %v", imp)
			}
		}
	}

	// Refused input and things that are not there.
	for _, c := range []struct {
		path string
		code int
	}{
		{"/api/v1/committees/GNS/budgets?year=tjugo", http.StatusBadRequest},
		{"/api/v1/committees/XYZ/budgets", http.StatusNotFound},
		{"/api/v1/reports/999999", http.StatusNotFound},
		{"/api/v1/reports/x", http.StatusNotFound},
	} {
		if code, out := apiCall(t, h, economist, "GET", c.path, ""); code != c.code {
			t.Errorf("GET %s = %d %v, want %d", c.path, code, out, c.code)
		}
	}
	if code, out := apiCall(t, h, economist, "GET", "/api/v1/committees/GNS/budgets", ""); code != http.StatusOK || out["count"].(float64) < 2 {
		t.Errorf("budgets of every year = %d %v", code, out["count"])
	}
}
