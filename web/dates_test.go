package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// rangeMessage ends the message of every date outside 1900-01-01 …
// 2199-12-31.
const rangeMessage = "måste ligga mellan 1900-01-01 och 2199-12-31."

// TestDatesOutsideTheRangeAnswer400 sends the dates that used to answer 500
// (or be stored on SQLite only) through the real router on both engines: a
// token valid through 9999-12-31, a population and a member's term from
// 0000-01-01, by form and by API. Each answers 400 and stores nothing.
func TestDatesOutsideTheRangeAnswer400(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)

		// The API token form.
		b := rs.as(t, domain.RoleSecretariat)
		tokens := rs.rows(t, "api_tokens")
		for _, day := range []string{"9999-12-31", "0000-01-01", "2200-01-01"} {
			if w := b.post("/konto/nycklar", url.Values{"name": {"Skript"}, "expires": {day}}); w.Code != http.StatusBadRequest {
				t.Errorf("token valid through %s = %d, want 400", day, w.Code)
			}
		}
		if rs.rows(t, "api_tokens") != tokens {
			t.Error("a token with an expiry outside the range was stored")
		}

		// A population figure, by form and by API.
		berg := rs.party(t, "berg")
		econ := rs.as(t, domain.RoleEconomist)
		econ.get("/parter/" + itoa(berg.ID))
		populations := rs.rows(t, "populations")
		for _, day := range []string{"0000-01-01", "1899-12-31", "9999-12-31"} {
			w := econ.post("/parter/"+itoa(berg.ID)+"/invanare", url.Values{"reference_date": {day}, "inhabitants": {"7100"}, "source": {"SCB"}})
			if w.Code != http.StatusBadRequest || !strings.Contains(plain(w.Body.String()), "Referensdatumet "+rangeMessage) {
				t.Errorf("population form on %s = %d, want 400 with the range", day, w.Code)
			}
		}
		token := tokenFor(t, db, "ekonom@demo.gns.example")
		code, out := apiCall(t, rs.s.Handler(), token, http.MethodPost, "/api/v1/parties/"+itoa(berg.ID)+"/populations",
			`{"reference_date": "0000-01-01", "population": 7100, "source": "SCB"}`)
		if code != http.StatusBadRequest || !strings.Contains(toJSON(out), "Referensdatumet "+rangeMessage) {
			t.Errorf("population API on 0000-01-01 = %d %v, want 400 with the range", code, out)
		}
		if rs.rows(t, "populations") != populations {
			t.Error("a population outside the range was stored")
		}

		// A member's term.
		b.get("/namnder/GNS/ledamoter/ny")
		members := rs.rows(t, "committee_members")
		for field, label := range map[string]string{"term_from": "Mandatperiodens början", "term_to": "Mandatperiodens slut"} {
			form := url.Values{"name": {"Kim Ek"}, "political_party": {"S"}, "role": {"ersattare"}, "term_from": {"2023-01-01"}}
			form.Set(field, "0000-01-01")
			if field == "term_to" {
				form.Set(field, "9999-12-31")
			}
			w := b.post("/namnder/GNS/ledamoter", form)
			if w.Code != http.StatusBadRequest || !strings.Contains(plain(w.Body.String()), label+" "+rangeMessage) {
				t.Errorf("member with %s %s = %d, want 400 with the range", field, form.Get(field), w.Code)
			}
		}
		if rs.rows(t, "committee_members") != members {
			t.Error("a member with a term outside the range was stored")
		}
	})
}
