package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
)

// directiveKey is the 2015 project directive's fixed key (seed 004).
var directiveKey = map[string]string{
	"region-jh": "50,00", "berg": "2,77", "bracke": "2,54", "harjedalen": "4,02", "krokom": "5,81",
	"ragunda": "2,13", "stromsund": "4,60", "are": "4,16", "ostersund": "23,97",
}

// TestDirectiveKeyOverSubset: the directive's key over Digital
// transformation's three first participants is renormalised exactly over
// them, and the page, the invoice basis and the API show each key
// percentage, their sum and the renormalised share.
func TestDirectiveKeyOverSubset(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := economySetup(t, db)
		b.get("/namnder/GNS/fordelningar/ny")
		form := url.Values{"kind": {"project"}, "title": {"Digital transformation, etapp 1"}, "total": {"300 000,00"},
			"method": {"percent"}, "unit": {"ore"}, "decision": {"GNS § 8/2020"}, "action": {"preview"}}
		for _, slug := range []string{"bracke", "krokom", "stromsund"} {
			form.Set("party_"+slug, "on")
			form.Set("percent_"+slug, directiveKey[slug])
		}
		// Without renormalising, 12,95 % is refused as a key.
		w := b.post("/namnder/GNS/fordelningar", form)
		if body := plain(w.Body.String()); w.Code != http.StatusBadRequest || !strings.Contains(body, "12,95 %, inte 100 %") {
			t.Fatalf("key of 12,95 %% without renormalising = %d", w.Code)
		}
		form.Set("renormalise", "on")
		w = b.post("/namnder/GNS/fordelningar", form)
		body := plain(w.Body.String())
		if w.Code != http.StatusOK {
			t.Fatalf("preview = %d", w.Code)
		}
		for _, want := range []string{
			"fördelningsnyckel 2,54 % av de deltagandes 12,95 % = 19,6138996139 %",
			"fördelningsnyckel 5,81 % av de deltagandes 12,95 % = 44,8648648649 %",
			"fördelningsnyckel 4,6 % av de deltagandes 12,95 % = 35,5212355212 %",
			"58 841,70 kr", "134 594,59 kr", "106 563,71 kr", "300 000,00 kr", "= beloppet",
			"deras procentsatser summerar till 12,95 %",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		form.Set("action", "save")
		w = b.post("/namnder/GNS/fordelningar", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save = %d", w.Code)
		}
		page := plain(b.get(location(w)).Body.String())
		if !strings.Contains(page, "2,54 % av de deltagandes 12,95 % = 19,6138996139 %") || !strings.Contains(page, "58 841,70 kr") {
			t.Error("the allocation page does not show the renormalisation")
		}
		id := strings.TrimPrefix(location(w), "/fordelningar/")
		code, out := apiCall(t, s.Handler(), tokenFor(t, db, "ekonom@demo.gns.example"), "GET", "/api/v1/allocations/"+id, "")
		if code != http.StatusOK || out["renormalise"] != true || out["key_sum"] != "12.95" || out["sum"] != "300000.00" {
			t.Fatalf("API = %d %v", code, out)
		}
		var bracke map[string]any
		for _, sh := range out["shares"].([]any) {
			if sh := sh.(map[string]any); sh["name"] == "Bräcke kommun" {
				bracke = sh
			}
		}
		if bracke["weight"] != "2.54" || bracke["key_share"] != "19.6138996139" || bracke["key_fraction"] != "254/1295" || bracke["amount"] != "58841.70" {
			t.Errorf("Bräcke's share = %v", bracke)
		}
		// The correction form keeps the key and its renormalisation.
		b.get("/namnder/GNS/fordelningar/ny?ersatter=" + id)
		if !strings.Contains(b.last, `id="f-renormalise" name="renormalise" value="on" checked`) || !strings.Contains(b.last, `name="percent_bracke" value="2,54"`) {
			t.Error("the correction form lacks the renormalised key")
		}
		// The invoice line says what the party pays by.
		b.get("/fordelningar/" + id + "/fakturera")
		if !strings.Contains(plain(b.last), "Digital transformation, etapp 1, fördelningsnyckel 5,81 % av de deltagandes 12,95 % = 44,8648648649 %, enligt beslut GNS § 8/2020") {
			t.Error("the invoice run's preview does not explain the renormalised key")
		}
	})
}

// TestMixedKey: half in equal shares, half by population, over the seven
// participants of Digital transformation; every part shown, the sum exact.
func TestMixedKey(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := economySetup(t, db)
		seven := []string{"ostersund", "are", "krokom", "berg", "bracke", "stromsund", "harjedalen"}
		b.get("/namnder/GNS/fordelningar/ny")
		form := url.Values{"kind": {"project"}, "title": {"Digital transformation 2020"}, "total": {"700 000,01"},
			"method": {"mixed"}, "unit": {"ore"}, "reference_date": {"2020-12-31"}, "action": {"preview"},
			"part1_percent": {"50"}, "part1_method": {"equal"}, "part2_percent": {"50 %"}, "part2_method": {"population"}}
		for _, slug := range seven {
			form.Set("party_"+slug, "on")
		}
		w := b.post("/namnder/GNS/fordelningar", form)
		body := plain(w.Body.String())
		if w.Code != http.StatusOK {
			t.Fatalf("preview = %d", w.Code)
		}
		for _, want := range []string{
			"Del 1: 50 % av beloppet, Lika delar.", "Exakt 350 000,005 kr, avrundat till 350 000,01 kr (&#43;1 öre när beloppet delades mellan delarna)",
			"Del 2: 50 % av beloppet, Efter invånarantal.", "avrundat till 350 000,00 kr.",
			"blandad nyckel: 50 % lika delar, 50 % efter invånarantal; sammanlagt", "invånare 63 985 av 125 947 per 2020-12-31",
			"700 000,01 kr", "350 000,01 kr", "350 000,00 kr",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		form.Set("action", "save")
		w = b.post("/namnder/GNS/fordelningar", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save = %d: %s", w.Code, w.Body.String())
		}
		id := strings.TrimPrefix(location(w), "/fordelningar/")
		a, err := db.Conn().AllocationByID(context.Background(), int64(atoi(t, id)))
		if err != nil || a.Method != "mixed" || len(a.Parts) != 2 || len(a.Shares) != 7 {
			t.Fatalf("saved = %+v, %v", a, err)
		}
		if !a.Sum().Equal(a.Total) || !a.Parts[0].Sum().Equal(a.Parts[0].Total) || !a.Parts[1].Sum().Equal(a.Parts[1].Total) ||
			!a.Parts[0].Total.Add(a.Parts[1].Total).Equal(a.Total) || a.Parts[0].Total.String() != "350000.01" || !a.Parts[0].Residue {
			t.Errorf("saved parts do not add up: %+v", a.Parts)
		}
		for i, sh := range a.Shares {
			if !sh.Amount.Equal(a.Parts[0].Shares[i].Amount.Add(a.Parts[1].Shares[i].Amount)) || sh.WeightKind != "mixed" {
				t.Errorf("%s: %s is not the sum of its parts", sh.PartyName, sh.Amount)
			}
		}
		code, out := apiCall(t, s.Handler(), tokenFor(t, db, "revisor@demo.gns.example"), "GET", "/api/v1/allocations/"+id, "")
		parts, _ := out["parts"].([]any)
		if code != http.StatusOK || out["method"] != "mixed" || len(parts) != 2 {
			t.Fatalf("API = %d %v", code, out)
		}
		if p := parts[1].(map[string]any); p["method"] != "population" || p["total"] != "350000.00" || p["sum"] != "350000.00" || len(p["shares"].([]any)) != 7 {
			t.Errorf("part 2 = %v", p)
		}
		// The correction form is filled with the parts.
		b.get("/namnder/GNS/fordelningar/ny?ersatter=" + id)
		if !strings.Contains(b.last, `name="part2_percent" value="50"`) || !strings.Contains(b.last, `<option value="population" selected>`) {
			t.Error("the correction form lacks the mixed key's parts")
		}
	})
}

// TestMixedKeyAPI: the API takes a mixed key and a renormalised key as
// `gns allocate` does, and refuses what the form refuses.
func TestMixedKeyAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := economySetup(t, db)
		h := s.Handler()
		economist := tokenFor(t, db, "ekonom@demo.gns.example")
		three := `[{"id":"bracke","percent":"2.54"},{"id":"krokom","percent":"5.81"},{"id":"stromsund","percent":"4.60"}]`
		code, out := apiCall(t, h, economist, "POST", "/api/v1/committees/GNS/allocations",
			`{"kind":"project","title":"Blandad","total":"100000.00","method":"mixed","reference_date":"2020-12-31",
			  "parts":[{"percent":"30","method":"percent","renormalise":true},{"percent":"70","method":"population"}],"parties":`+three+`}`)
		if code != http.StatusCreated || out["sum"] != "100000.00" {
			t.Fatalf("create = %d %v", code, out)
		}
		parts := out["parts"].([]any)
		if p := parts[0].(map[string]any); p["renormalise"] != true || p["key_sum"] != "12.95" || p["total"] != "30000.00" {
			t.Errorf("part 1 = %v", p)
		}
		bad := []struct{ name, body, field string }{
			{"subset over 100", `{"total":"100.00","method":"percent","renormalise":true,"parties":[{"id":"are","percent":"60"},{"id":"berg","percent":"41"}]}`, "parties"},
			{"renormalise without a key", `{"total":"100.00","method":"equal","renormalise":true,"parties":[{"id":"are"}]}`, "renormalise"},
			{"parts without mixed", `{"total":"100.00","method":"equal","parts":[{"percent":"100","method":"equal"}],"parties":[{"id":"are"}]}`, "parts"},
			{"one part", `{"total":"100.00","method":"mixed","parts":[{"percent":"100","method":"equal"}],"parties":[{"id":"are"}]}`, "parts"},
			{"parts sum to 90", `{"total":"100.00","method":"mixed","parts":[{"percent":"40","method":"equal"},{"percent":"50","method":"equal"}],"parties":[{"id":"are"}]}`, "parts"},
			{"part direct", `{"total":"100.00","method":"mixed","parts":[{"percent":"50","method":"direct"},{"percent":"50","method":"equal"}],"parties":[{"id":"are"}]}`, "part1_method"},
			{"part percent not a number", `{"total":"100.00","method":"mixed","parts":[{"percent":"hälften","method":"equal"},{"percent":"50","method":"equal"}],"parties":[{"id":"are"}]}`, "part1_percent"},
			{"part host share over 100", `{"total":"100.00","method":"mixed","parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"population","host_share":"150"}],"reference_date":"2020-12-31","parties":[{"id":"region-jh"},{"id":"are"}]}`, "part2_host_share"},
			{"part key not 100", `{"total":"100.00","method":"mixed","parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"percent"}],"parties":[{"id":"are","percent":"60"},{"id":"berg","percent":"30"}]}`, "parties"},
			{"mixed base funding", `{"kind":"base_funding","title":"x","total":"100.00","method":"mixed","parts":[{"percent":"50","method":"equal"},{"percent":"50","method":"equal"}],"parties":[{"id":"are"}]}`, "method"},
		}
		for _, tt := range bad {
			code, out := apiCall(t, h, economist, "POST", "/api/v1/committees/GNS/allocations/preview", tt.body)
			e, _ := out["error"].(map[string]any)
			if code != http.StatusBadRequest || e["code"] != "invalid" {
				t.Errorf("%s: %d %v, want 400 invalid", tt.name, code, out)
				continue
			}
			if fields, _ := e["fields"].(map[string]any); fields[tt.field] == nil {
				t.Errorf("%s: fields = %v, want %q", tt.name, fields, tt.field)
			}
		}
		if list, _ := db.Conn().Allocations(context.Background(), 1); len(list) != 1+demo.SavedAllocations() {
			t.Errorf("%d allocations, want the demo's and 1", len(list))
		}
	})
}

// atoi reads an id from a path.
func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// TestAllocationKeysFormRejects: the form refuses a key that cannot be
// split, in Swedish at the field, and saves nothing.
func TestAllocationKeysFormRejects(t *testing.T) {
	t.Parallel()
	s, b := economySetup(t, demoSQLite(t))
	b.get("/namnder/GNS/fordelningar/ny")
	mixed := func(parts url.Values) url.Values {
		v := allParties(url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"mixed"}, "reference_date": {"2020-12-31"}})
		for k, x := range parts {
			v[k] = x
		}
		return v
	}
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"subset over 100", url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"percent"}, "renormalise": {"on"},
			"party_are": {"on"}, "percent_are": {"60"}, "party_berg": {"on"}, "percent_berg": {"40,01"}}, "summerar till 100,01 %: en del av en nyckel kan inte vara mer än 100 %"},
		{"no parts", mixed(nil), "minst två delar"},
		{"parts sum to 90", mixed(url.Values{"part1_percent": {"40"}, "part1_method": {"equal"}, "part2_percent": {"50"}, "part2_method": {"equal"}}), "Delarna summerar till 90 % av beloppet"},
		{"part percent not a number", mixed(url.Values{"part1_percent": {"hälften"}, "part1_method": {"equal"}, "part2_percent": {"50"}, "part2_method": {"equal"}}), "Ange hur många procent av beloppet del 1 gäller"},
		{"part host share not a number", mixed(url.Values{"part1_percent": {"50"}, "part1_method": {"equal"}, "part2_percent": {"50"}, "part2_method": {"population"}, "part2_host_share": {"hälften"}}), "Ange värdpartens andel i procent"},
		{"part key of 70 %", mixed(url.Values{"part1_percent": {"50"}, "part1_method": {"equal"}, "part3_percent": {"50"}, "part3_method": {"percent"},
			"percent_region-jh": {"50"}, "percent_ostersund": {"20"}}), "Ange en andel i procent större än noll för Åre kommun"},
		{"mixed base funding", mixed(url.Values{"kind": {"base_funding"}, "part1_percent": {"50"}, "part1_method": {"equal"}, "part2_percent": {"50"}, "part2_method": {"equal"}}), "fördelas i lika delar"},
	}
	for _, tt := range tests {
		tt.form.Set("action", "save")
		w := b.post("/namnder/GNS/fordelningar", tt.form)
		if body := plain(w.Body.String()); w.Code != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.name, w.Code, tt.want)
		}
	}
	if list, _ := s.DB.Conn().Allocations(context.Background(), 1); len(list) != demo.SavedAllocations() {
		t.Errorf("%d allocations saved by rejected forms", len(list))
	}
}
