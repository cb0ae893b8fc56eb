package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

func TestPopulationTable(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		var total int64
		for _, n := range demo.Populations {
			total += n
		}
		// Every role of the committee reads the table; it is public statistics.
		for _, role := range []domain.Role{domain.RoleParty, domain.RoleMember, domain.RoleSecretariat, domain.RoleAuditor} {
			b := rs.as(t, role)
			w := b.get("/namnder/GNS/invanare?datum=2020-12-31")
			if w.Code != http.StatusOK {
				t.Fatalf("the table as %s = %d", role, w.Code)
			}
			body := w.Body.String()
			share := sv.Percent(decimal.NewFromInt(63985*100).DivRound(decimal.NewFromInt(total), 10), 2)
			inOrder(t, "the population table", body, "Region Jämtland Härjedalen", "saknas", "Östersunds kommun", sv.Integer(63985), share,
				"Härjedalens kommun", sv.Integer(10070), "Summa", sv.Integer(total), "100,00&nbsp;%")
			if !strings.Contains(body, "1 part saknar invånarantal per 2020-12-31") {
				t.Errorf("as %s: the table does not say the region lacks a figure", role)
			}
			if strings.Contains(body, "/invanare/importera") != (role == domain.RoleSecretariat) {
				t.Errorf("as %s: the import link is shown wrongly", role)
			}
		}
		b := rs.as(t, domain.RoleParty)
		if w := b.get("/namnder/GNS/invanare"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), sv.Integer(63985)) {
			t.Errorf("the table without a date = %d; want the latest date's figures", w.Code)
		}
		if w := b.get("/namnder/GNS/invanare?datum=31/12/2020"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "ÅÅÅÅ-MM-DD") {
			t.Errorf("a date in the wrong form = %d", w.Code)
		}
		if w := b.get("/namnder/GNS/invanare?datum=2019-12-31"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "9 parter saknar") {
			t.Errorf("a date without figures = %d", w.Code)
		}
	})
}

func TestRecordPopulationForm(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		berg := rs.party(t, "berg")
		path := "/parter/" + itoa(berg.ID) + "/invanare"
		b := rs.as(t, domain.RoleEconomist)
		b.get("/parter/" + itoa(berg.ID))
		rows := rs.rows(t, "populations")
		for name, form := range map[string]url.Values{
			"zero":            {"reference_date": {"2021-12-31"}, "inhabitants": {"0"}, "source": {"SCB"}},
			"decimals":        {"reference_date": {"2021-12-31"}, "inhabitants": {"7120,5"}, "source": {"SCB"}},
			"letters":         {"reference_date": {"2021-12-31"}, "inhabitants": {"sju tusen"}, "source": {"SCB"}},
			"date wrong form": {"reference_date": {"31.12.2021"}, "inhabitants": {"7100"}, "source": {"SCB"}},
			"no source":       {"reference_date": {"2021-12-31"}, "inhabitants": {"7100"}, "source": {" "}},
		} {
			if w := b.post(path, form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") {
				t.Errorf("%s: %d, want 400 with the errors", name, w.Code)
			}
		}
		if rs.rows(t, "populations") != rows {
			t.Fatal("refused figures were stored")
		}
		if w := b.post(path, url.Values{"reference_date": {"2021-12-31"}, "inhabitants": {"7 081"}, "source": {"SCB"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("record = %d", w.Code)
		}
		w := b.post(path, url.Values{"reference_date": {"2020-12-31"}, "inhabitants": {"7121"}, "source": {"SCB"}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Ange en anledning") {
			t.Errorf("a correction without a reason = %d", w.Code)
		}
		if w := b.post(path, url.Values{"reference_date": {"2020-12-31"}, "inhabitants": {"7121"}, "source": {"SCB"}, "correction_reason": {"Felskrivning"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("a correction = %d", w.Code)
		}
		body := b.get("/parter/" + itoa(berg.ID)).Body.String()
		inOrder(t, "Berg's history", body, sv.Integer(7081), "<del>"+sv.Integer(7120)+"</del>")
		if !strings.Contains(body, "Felskrivning") || !strings.Contains(body, sv.Integer(7121)) {
			t.Error("the party page does not show the correction")
		}
		if !contains(auditActions(t, db, "population"), "correct") {
			t.Error("the correction is not in the audit trail")
		}
		// Members and party representatives only read.
		for _, role := range []domain.Role{domain.RoleMember, domain.RoleParty} {
			if w := rs.as(t, role).post(path, url.Values{"reference_date": {"2022-12-31"}, "inhabitants": {"7000"}, "source": {"SCB"}}); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
				t.Errorf("recording as %s = %d, want 403 or 404", role, w.Code)
			}
		}
	})
}

func TestPopulationImport(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleEconomist)
		if w := b.get("/namnder/GNS/invanare/importera"); w.Code != http.StatusOK {
			t.Fatalf("import form = %d", w.Code)
		}
		rows := rs.rows(t, "populations")
		bad := "party,reference_date,population,source\n" +
			"berg,2021-12-31,7081,SCB\n" + // 2: good
			"bracke,2021-12-31,-6100,SCB\n" + // 3: negative
			"Storuman,2021-12-31,5900,SCB\n" + // 4: not a party of GNS
			"krokom,2021/12/31,15200,SCB\n" + // 5: date
			"2326,2021-12-31,7081,SCB\n" // 6: Berg again
		w := b.postFile("/namnder/GNS/invanare/importera", nil, "invanare.csv", []byte(bad))
		body := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(body, "4 rader i filen är felaktiga") {
			t.Fatalf("a bad file = %d", w.Code)
		}
		for _, line := range []string{">3<", ">4<", ">5<", ">6<"} {
			if !strings.Contains(body, `<th scope="row">`+line[1:]) {
				t.Errorf("the bad line %s is not named", line)
			}
		}
		if strings.Contains(body, `<th scope="row">2<`) {
			t.Error("a good line is named as bad")
		}
		if rs.rows(t, "populations") != rows {
			t.Fatal("a refused file stored figures")
		}
		for name, content := range map[string]string{
			"empty":           "",
			"wrong header":    "kommun;år;antal\n",
			"not UTF-8":       "party,reference_date,population,source\n\xc5re,2021-12-31,12000,SCB\n",
			"HTML in a party": "party,reference_date,population,source\n<script>x</script>,2021-12-31,12000,SCB\n",
		} {
			w := b.postFile("/namnder/GNS/invanare/importera", nil, "f.csv", []byte(content))
			if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "<script>x") {
				t.Errorf("%s: %d, want 400 with the text escaped", name, w.Code)
			}
		}
		if w := b.postFile("/namnder/GNS/invanare/importera", nil, "", nil); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Välj filen") {
			t.Errorf("no file = %d", w.Code)
		}

		good := "Part;Referensdatum;Invånarantal;Källa\nberg;2021-12-31;7 081;SCB\nÅre kommun;2021-12-31;12 000;SCB\n212000-2528;2020-12-31;63985;SCB, folkmängd 31 december 2020\n"
		w = b.postFile("/namnder/GNS/invanare/importera", nil, "invanare.csv", []byte(good))
		if w.Code != http.StatusSeeOther || location(w) != "/namnder/GNS/invanare?datum=2021-12-31" {
			t.Fatalf("a good file = %d → %q", w.Code, location(w))
		}
		if body := b.get(location(w)).Body.String(); !strings.Contains(body, "2 nya, 0 rättade och 1 oförändrade") || !strings.Contains(body, sv.Integer(12000)) {
			t.Error("the table after the import lacks the figures or the summary")
		}
		// A correcting file needs a reason.
		fix := "party,reference_date,population,source\nare,2021-12-31,12001,SCB\n"
		if w := b.postFile("/namnder/GNS/invanare/importera", nil, "f.csv", []byte(fix)); w.Code != http.StatusBadRequest {
			t.Errorf("a correction without a reason = %d", w.Code)
		}
		if w := b.postFile("/namnder/GNS/invanare/importera", url.Values{"correction_reason": {"Rättat enligt SCB"}}, "f.csv", []byte(fix)); w.Code != http.StatusSeeOther {
			t.Errorf("a correction with a reason = %d", w.Code)
		}
		if w := rs.as(t, domain.RoleParty).get("/namnder/GNS/invanare/importera"); w.Code != http.StatusForbidden {
			t.Errorf("the import form for a party representative = %d, want 403", w.Code)
		}
	})
}
