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
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// populations2020 are the figures of 31 December 2020 (SCB) for the eight
// municipalities; the region has none.
var populations2020 = map[string]int64{
	"berg": 7120, "bracke": 6181, "harjedalen": 10070, "krokom": 15054,
	"ragunda": 5208, "stromsund": 11488, "are": 12049, "ostersund": 63985,
}

// economySetup loads the demo and the 2020 population figures (unless the
// demo has them) and returns a browser logged in as the demo economist.
func economySetup(t *testing.T, db *store.DB) (*Server, *browser) {
	t.Helper()
	s, _ := newTestServer(t, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(c *store.Conn) error {
		for slug, n := range populations2020 {
			p, err := c.PartyBySlug(ctx, slug)
			if err != nil {
				return err
			}
			if _, _, err := c.RecordPopulation(ctx, domain.Population{PartyID: p.ID, ReferenceDate: domain.MustDate("2020-12-31"), Inhabitants: n, Source: "SCB, folkmängd 31 december 2020"}, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.Handler())
	b.login("ekonom@demo.gns.example", demo.Password)
	return s, b
}

func allParties(v url.Values) url.Values {
	for _, p := range demo.Parties {
		v.Set("party_"+p.Slug, "on")
	}
	return v
}

var amountCell = regexp.MustCompile(`<td class="num">(−?[0-9 ]+,[0-9]{2} kr)</td>`)

// plain turns the no-break spaces of Swedish amounts into plain ones, so tests
// can be written with ordinary spaces.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

func TestAllocationPreviewAndSave(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := economySetup(t, db)
		if w := b.get("/namnder/GNS/fordelningar"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), demo.Allocations[0].Title) {
			t.Fatalf("list with the demo's allocations = %d", w.Code)
		}
		b.get("/namnder/GNS/fordelningar/ny")
		form := allParties(url.Values{"kind": {"refund"}, "title": {"Återbetalning av överskott"}, "total": {"468 091,00"},
			"method": {"equal"}, "unit": {"ore"}, "stated_share": {"52 010"}, "decision": {"GNS § 8/2020"}, "action": {"preview"}})
		w := b.post("/namnder/GNS/fordelningar", form)
		body := plain(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(body, "Spara fördelningen") {
			t.Fatalf("preview = %d", w.Code)
		}
		cells := amountCell.FindAllStringSubmatch(body, -1)
		// Each party's share and the decision's amount beside it, then the sums.
		if len(cells) != 20 || !strings.Contains(cells[0][1], "52 010,12") || !strings.Contains(cells[1][1], "52 010,00") ||
			!strings.Contains(cells[18][1], "468 091,00") || !strings.Contains(cells[2][1], "52 010,11") || !strings.Contains(cells[19][1], "468 090,00") {
			t.Fatalf("preview amounts = %v", cells)
		}
		if !strings.Contains(body, "468 090,00 kr") || !strings.Contains(body, "1,00 kr") {
			t.Error("preview does not show the decision text's 1 kr difference")
		}
		if list, _ := db.Conn().Allocations(context.Background(), 1); len(list) != demo.SavedAllocations() {
			t.Fatal("the preview saved something")
		}
		form.Set("action", "save")
		w = b.post("/namnder/GNS/fordelningar", form)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/fordelningar/") {
			t.Fatalf("save = %d → %q", w.Code, location(w))
		}
		page := plain(b.get(location(w)).Body.String())
		for _, want := range []string{"Återbetalning av överskott", "−52 010,12", "lika delar, 1/9", "= beloppet", "GNS § 8/2020", "Rätta"} {
			if !strings.Contains(page, want) {
				t.Errorf("allocation page lacks %q", want)
			}
		}
		list, _ := db.Conn().Allocations(context.Background(), 1)
		if len(list) != 1+demo.SavedAllocations() || list[0].Total.String() != "-468091" || list[0].CreatedBy != "ekonom@demo.gns.example" {
			t.Fatalf("saved = %+v", list)
		}
		// A correction supersedes it and keeps it visible.
		b.get("/namnder/GNS/fordelningar/ny?ersatter=" + itoa(list[0].ID))
		if !strings.Contains(plain(b.last), `value="468 091,00"`) {
			t.Error("the correction form is not filled with the allocation to correct")
		}
		form.Set("supersedes", itoa(list[0].ID))
		form.Set("title", "Återbetalning av överskott (rättad)")
		if w := b.post("/namnder/GNS/fordelningar", form); w.Code != http.StatusSeeOther {
			t.Fatalf("correction = %d", w.Code)
		}
		if old := b.get(kit.AllocationURL(list[0].ID)).Body.String(); !strings.Contains(old, "Ersatt.") {
			t.Error("the corrected allocation does not say it was superseded")
		}
	})
}

func TestPopulationSplitWithHostShare(t *testing.T) {
	t.Parallel()
	_, b := economySetup(t, storetest.NewSQLite(t))
	b.get("/namnder/GNS/fordelningar/ny")
	w := b.post("/namnder/GNS/fordelningar", allParties(url.Values{"kind": {"project"}, "title": {"Projekt enligt direktivet 2015"},
		"total": {"1 000 000"}, "method": {"population"}, "host_share": {"50"}, "reference_date": {"2020-12-31"}, "action": {"preview"}}))
	body := plain(w.Body.String())
	if w.Code != http.StatusOK {
		t.Fatalf("preview = %d: %s", w.Code, body)
	}
	for _, want := range []string{"500 000,00", "värdpart, fast andel 50,00", "50 % av beloppet, 500 000,00 kr, fördelat efter invånarantal: 63 985 av 131 155 per 2020-12-31", "1 000 000,00", "= beloppet"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
}

func TestAllocationFormRejects(t *testing.T) {
	t.Parallel()
	s, b := economySetup(t, storetest.NewSQLite(t))
	b.get("/namnder/GNS/fordelningar/ny")
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"letters in total", allParties(url.Values{"kind": {"project"}, "title": {"x"}, "total": {"12a"}, "method": {"equal"}}), "inte ett tal"},
		{"three decimals", allParties(url.Values{"kind": {"project"}, "title": {"x"}, "total": {"10,005"}, "method": {"equal"}}), "två decimaler"},
		{"no parties", url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"equal"}}, "minst en deltagande part"},
		{"percent not 100", url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"percent"},
			"party_are": {"on"}, "percent_are": {"60"}, "party_berg": {"on"}, "percent_berg": {"39,99"}}, "99,99 %, inte 100"},
		{"percent zero", url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"percent"},
			"party_are": {"on"}, "percent_are": {"0"}, "party_berg": {"on"}, "percent_berg": {"100"}}, "större än noll"},
		{"no figures on the date", allParties(url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"population"}, "reference_date": {"2019-12-31"}}),
			"saknas för Region Jämtland Härjedalen, Östersunds kommun"},
		{"base funding by population", allParties(url.Values{"kind": {"base_funding"}, "title": {"x"}, "total": {"100"}, "method": {"population"}}), "lika delar"},
		{"direct to two", url.Values{"kind": {"direct"}, "title": {"x"}, "total": {"100"}, "method": {"direct"}, "party_are": {"on"}, "party_berg": {"on"}}, "exakt en part"},
		{"case of another committee", allParties(url.Values{"kind": {"project"}, "title": {"x"}, "total": {"100"}, "method": {"equal"}, "case": {"UPH/1/2020"}}), "hör inte till nämnden"},
		{"title of 10 000 characters", allParties(url.Values{"kind": {"project"}, "title": {strings.Repeat("x", 10_000)}, "total": {"100"}, "method": {"equal"}}), "högst"},
	}
	for _, tt := range tests {
		tt.form.Set("action", "save")
		w := b.post("/namnder/GNS/fordelningar", tt.form)
		if w.Code != http.StatusBadRequest || !strings.Contains(plain(w.Body.String()), tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.name, w.Code, tt.want)
		}
	}
	if list, _ := s.DB.Conn().Allocations(context.Background(), 1); len(list) != demo.SavedAllocations() {
		t.Errorf("%d allocations saved by rejected forms", len(list))
	}
}

func TestAllocationAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := economySetup(t, db)
		h := s.Handler()
		economist := tokenFor(t, db, "ekonom@demo.gns.example")
		seven := `[{"id":"ostersund"},{"id":"are"},{"id":"krokom"},{"id":"berg"},{"id":"bracke"},{"id":"stromsund"},{"id":"harjedalen"}]`
		code, out := apiCall(t, h, economist, "POST", "/api/v1/committees/GNS/allocations/preview",
			`{"total": "700000.00", "method": "population", "reference_date": "2020-12-31", "parties": `+seven+`}`)
		if code != http.StatusOK || out["sum"] != "700000.00" || len(out["shares"].([]any)) != 7 {
			t.Fatalf("preview = %d %v", code, out)
		}
		first := out["shares"].([]any)[0].(map[string]any)
		if first["name"] != "Östersunds kommun" || first["population"] != float64(63985) || first["population_source"] != "SCB, folkmängd 31 december 2020" {
			t.Errorf("Östersund's share = %v", first)
		}
		code, out = apiCall(t, h, economist, "POST", "/api/v1/committees/GNS/allocations",
			`{"kind": "base_funding", "title": "Basfinansiering 2021", "budget_year": 2021, "total": "914400.00", "method": "equal",
			  "parties": [{"id":"region-jh"},{"id":"ostersund"},{"id":"are"},{"id":"krokom"},{"id":"berg"},{"id":"bracke"},{"id":"ragunda"},{"id":"stromsund"},{"id":"harjedalen"}]}`)
		if code != http.StatusCreated || out["sum"] != "914400.00" {
			t.Fatalf("create = %d %v", code, out)
		}
		for _, sh := range out["shares"].([]any) {
			if sh.(map[string]any)["amount"] != "101600.00" {
				t.Errorf("base funding share = %v, want 101600.00", sh)
			}
		}
		path := "/api/v1/allocations/" + itoa(int64(out["id"].(float64)))
		if code, got := apiCall(t, h, tokenFor(t, db, "revisor@demo.gns.example"), "GET", path, ""); code != http.StatusOK || got["title"] != "Basfinansiering 2021" {
			t.Errorf("GET %s as auditor = %d %v", path, code, got)
		}
		party := tokenFor(t, db, "bracke@demo.gns.example")
		// Not decided: a proposal is not found for a party user (a decided
		// allocation is open to it, see TestEconomyOpenToParties).
		if code, _ := apiCall(t, h, party, "GET", path, ""); code != http.StatusNotFound {
			t.Errorf("GET %s as a party user = %d, want 404", path, code)
		}
		if code, _ := apiCall(t, h, tokenFor(t, db, "revisor@demo.gns.example"), "POST", "/api/v1/committees/GNS/allocations", `{}`); code != http.StatusForbidden {
			t.Errorf("POST as auditor = %d, want 403", code)
		}

		bad := []struct {
			name, body, field string
		}{
			{"total not a number", `{"total": "abc", "method": "equal", "parties": [{"id":"are"}]}`, "total"},
			{"more than two decimals", `{"total": "1.001", "method": "equal", "parties": [{"id":"are"}]}`, "total"},
			{"unknown party", `{"total": "100.00", "method": "equal", "parties": [{"id":"oslo"}]}`, "parties"},
			{"duplicate party", `{"total": "100.00", "method": "equal", "parties": [{"id":"are"},{"id":"are"}]}`, "parties"},
			{"percent key", `{"total": "100.00", "method": "percent", "parties": [{"id":"are","percent":"50"},{"id":"berg","percent":"49"}]}`, "parties"},
			{"negative weight", `{"total": "100.00", "method": "population", "parties": [{"id":"are","population":-5}]}`, "parties"},
			{"unknown field", `{"total": "100.00", "method": "equal", "parties": [{"id":"are"}], "extra": 1}`, ""},
			{"no populations", `{"total": "100.00", "method": "population", "reference_date": "2019-12-31", "parties": [{"id":"are"}]}`, "reference_date"},
		}
		for _, tt := range bad {
			code, out := apiCall(t, h, economist, "POST", "/api/v1/committees/GNS/allocations", tt.body)
			e, _ := out["error"].(map[string]any)
			if code != http.StatusBadRequest || e["code"] != "invalid" || e["message"] == "" {
				t.Errorf("%s: %d %v, want 400 invalid", tt.name, code, out)
				continue
			}
			if fields, _ := e["fields"].(map[string]any); tt.field != "" && fields[tt.field] == nil {
				t.Errorf("%s: fields = %v, want %q", tt.name, fields, tt.field)
			}
		}
		if list, _ := db.Conn().Allocations(context.Background(), 1); len(list) != 1+demo.SavedAllocations() {
			t.Errorf("%d allocations after the bad requests, want the demo's and 1", len(list))
		}
	})
}

// TestAllocationTiedToParagraph: an allocation names the paragraph that
// decided it by its number; the page links to it; a paragraph the committee's
// minutes do not have is refused.
func TestAllocationTiedToParagraph(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := economySetup(t, db)
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		cm, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		var para meeting.Paragraph
		err := db.InTx(ctx, func(c *store.Conn) error {
			m, err := c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: cm.ID, Date: domain.MustDate("2020-12-14"), StartTime: "09:00", EndTime: "12:00",
				Place: "Regionens hus", Purpose: meeting.PurposeBudget, Municipalities: true})
			if err != nil {
				return err
			}
			para, err = c.ImportParagraph(ctx, meeting.Paragraph{CommitteeID: cm.ID, MeetingID: m.ID, Year: 2020, Number: 42,
				Title: "Budget 2021", Decision: "Basfinansieringen 2021 fastställs till 914 400 kr."})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b.get("/namnder/GNS/fordelningar/ny")
		form := allParties(url.Values{"kind": {"base_funding"}, "title": {"Basfinansiering 2021"}, "total": {"914 400"},
			"method": {"equal"}, "budget_year": {"2021"}, "paragraph": {"§ 42/2020"}, "action": {"save"}})
		w := b.post("/namnder/GNS/fordelningar", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save with a paragraph = %d: %s", w.Code, plain(w.Body.String()))
		}
		page := b.get(location(w)).Body.String()
		if !strings.Contains(page, `<a href="/paragrafer/`+itoa(para.ID)+`">GNS § 42/2020</a>`) {
			t.Error("the allocation page does not link to its deciding paragraph")
		}
		form.Set("paragraph", "§ 43/2020")
		if w := b.post("/namnder/GNS/fordelningar", form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "finns inte i nämndens protokoll") {
			t.Errorf("an unknown paragraph = %d, want 400 naming it", w.Code)
		}
		code, out := apiCall(t, s.Handler(), tokenFor(t, db, "ekonom@demo.gns.example"), "POST", "/api/v1/committees/GNS/allocations",
			`{"kind": "project", "title": "Projekt", "total": "100.00", "method": "direct", "paragraph": "§ 42/2020", "parties": [{"id":"are"}]}`)
		if code != http.StatusCreated || out["decision"] != "GNS § 42/2020" || out["paragraph_id"] != float64(para.ID) {
			t.Errorf("API create with a paragraph = %d %v", code, out)
		}
	})
}
