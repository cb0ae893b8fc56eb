package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
)

const arvode2020 = "from=2020-01-01&to=2020-12-31"

// readCSV parses an arvode CSV (BOM, semicolons) into maps by column.
func readCSV(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("CSV: %v\n%s", err, b)
	}
	var out []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, c := range records[0] {
			row[c] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

// TestArvodeBasis: Bräcke's representative downloads the arvode basis of
// its members for 2020 as a page, CSV, XLSX, PDF and through the API; it
// cannot ask for another party's; the secretariat reads every party's.
func TestArvodeBasis(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		b.login("bracke@demo.gns.example", demo.Password)
		w := b.get("/namnder/GNS/arvoden?" + arvode2020)
		page := plain(w.Body.String())
		for _, want := range []string{"Arvodesunderlag 2020-01-01 – 2020-12-31", "utsedda av Bräcke kommun", "Daniel Danielsson (C)", "§§ 15–23", "3,5", "142"} {
			if w.Code != http.StatusOK || !strings.Contains(page, want) {
				t.Fatalf("Bräcke's basis page = %d, lacks %q", w.Code, want)
			}
		}
		w = b.get("/namnder/GNS/arvoden/underlag.csv?party=bracke&" + arvode2020)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		rows := readCSV(t, w.Body.Bytes())
		if len(rows) != 1 || rows[0]["ledamot"] != "Daniel Danielsson" || rows[0]["utsedd_av"] != "Bräcke kommun" || rows[0]["roll"] != "ledamot" ||
			rows[0]["sammantrade_datum"] != "2020-12-14" || rows[0]["tid_fran"] != "09:00" || rows[0]["tid_till"] != "12:00" ||
			rows[0]["paragrafer"] != "§§ 15–23" || rows[0]["arbetsinkomst_timmar"] != "3,50" || rows[0]["resa_km"] != "142,0" ||
			rows[0]["resa_fran"] != "Bräcke" || rows[0]["ovriga_kostnader_kr"] != "0,00" || rows[0]["ej_attesterade"] != "0" {
			t.Errorf("Bräcke's CSV = %v", rows)
		}
		if w := b.get("/namnder/GNS/arvoden/underlag.xlsx?" + arvode2020); w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
			t.Errorf("XLSX = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		w = b.get("/namnder/GNS/arvoden/underlag.pdf?" + arvode2020)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF = %d", w.Code)
		}
		text := pdftest.Text(t, w.Body.Bytes(), false)
		for _, want := range []string{"Arvodesunderlag 2020-01-01 – 2020-12-31", "Bräcke kommun", "Daniel Danielsson (C)", "3,5 tim", "142 km från Bräcke", "Underskrift"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q:\n%s", want, text)
			}
		}
		// Another party's basis, or one that does not exist, is forbidden.
		for _, path := range []string{"/namnder/GNS/arvoden?party=krokom", "/namnder/GNS/arvoden/underlag.csv?party=are", "/namnder/GNS/arvoden/underlag.pdf?party=nope"} {
			if w := b.get(path); w.Code != http.StatusForbidden {
				t.Errorf("Bräcke GET %s = %d, want 403", path, w.Code)
			}
		}
		if w := b.get("/namnder/GNS/arvoden?from=2020-13-01"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "inte ett datum") {
			t.Errorf("a bad date = %d", w.Code)
		}
		if w := b.get("/namnder/XYZ/arvoden"); w.Code != http.StatusNotFound {
			t.Errorf("an unknown committee = %d", w.Code)
		}

		// The API: text/csv for its own party, 403 for another's.
		token := tokenFor(t, db, "bracke@demo.gns.example")
		api := func(path string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			return rec
		}
		res := api("/api/v1/committees/GNS/arvode?party=bracke&" + arvode2020)
		if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "text/csv; charset=utf-8" || len(readCSV(t, res.Body.Bytes())) != 1 {
			t.Errorf("API = %d %s\n%s", res.Code, res.Header().Get("Content-Type"), res.Body)
		}
		if res := api("/api/v1/committees/GNS/arvode?party=are&" + arvode2020); res.Code != http.StatusForbidden {
			t.Errorf("API, another party = %d", res.Code)
		}

		// The secretariat reads every party, and a party with no members
		// present has an empty basis; an unknown slug is not found.
		sec := newBrowser(t, s.Handler())
		sec.login("sekretariat@demo.gns.example", demo.Password)
		if rows := readCSV(t, sec.get("/namnder/GNS/arvoden/underlag.csv?"+arvode2020).Body.Bytes()); len(rows) != 9 {
			t.Errorf("every party's basis has %d rows, want the nine ledamöter", len(rows))
		}
		if rows := readCSV(t, sec.get("/namnder/GNS/arvoden/underlag.csv?party=krokom&"+arvode2020).Body.Bytes()); len(rows) != 0 {
			t.Errorf("Krokom's basis = %v", rows)
		}
		if w := sec.get("/namnder/GNS/arvoden?party=nope"); w.Code != http.StatusNotFound {
			t.Errorf("an unknown party = %d", w.Code)
		}
		// The economist has no part in the basis.
		eco := newBrowser(t, s.Handler())
		eco.login("ekonom@demo.gns.example", demo.Password)
		if w := eco.get("/namnder/GNS/arvoden"); w.Code != http.StatusForbidden {
			t.Errorf("the economist's GET = %d", w.Code)
		}
	})
}

var claimLink = regexp.MustCompile(`href="(/ersattningar/\d+)/(attestera|aterkalla|kvitto)"`)

// TestArvodeClaimsHTTP: the demo ledamot, linked to Daniel Danielsson,
// claims for the December 2020 meeting, withdraws a claim, and cannot claim
// for another member nor attest; the secretariat claims for another member
// and attests after a confirm step; Bräcke reads its member's receipt but not
// another party's.
func TestArvodeClaimsHTTP(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	s, _ := newTestServer(t, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	conn := db.Conn()
	cm, err := conn.CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	list, err := conn.Meetings(ctx, cm.ID, 2020)
	if err != nil {
		t.Fatal(err)
	}
	var decID int64
	for _, m := range list {
		if m.Date == demo.December2020.Date {
			decID = m.ID
		}
	}
	members, _ := conn.Members(ctx, cm.ID)
	ids := map[string]int64{}
	for _, m := range members {
		ids[m.Name] = m.ID
	}
	ledamot, _, err := conn.UserForLogin(ctx, "ledamot@demo.gns.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(c *store.Conn) error {
		m, err := c.MemberByID(ctx, cm.ID, ids["Daniel Danielsson"])
		if err != nil {
			return err
		}
		m.UserID = ledamot.ID
		_, err = c.UpdateMember(ctx, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	claims := "/sammantraden/" + itoa(decID) + "/ersattningar"

	mb := newBrowser(t, s.Handler())
	mb.login("ledamot@demo.gns.example", demo.Password)
	w := mb.get(claims)
	if page := plain(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "3,5 tim") || !strings.Contains(page, "Anspråket gäller dig: Daniel Danielsson (C)") {
		t.Fatalf("the member's claims page = %d\n%s", w.Code, page)
	}
	cost := url.Values{"kind": {"utlagg"}, "amount": {"120,50"}, "description": {"Parkering"}}
	if w := mb.postFile(claims, cost, "", nil); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Bifoga kvittot") {
		t.Errorf("a cost without a receipt = %d", w.Code)
	}
	if w := mb.postFile(claims, cost, "kvitto.txt", []byte("inte ett kvitto")); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "PDF, JPEG eller PNG") {
		t.Errorf("a receipt of the wrong type = %d", w.Code)
	}
	other := url.Values{"kind": {"arbetsinkomst"}, "hours": {"2"}, "member": {itoa(ids["Robert Hamberg"])}}
	if w := mb.postFile(claims, other, "", nil); w.Code != http.StatusForbidden {
		t.Errorf("a claim for another member = %d", w.Code)
	}
	mb.get(claims)
	if w := mb.postFile(claims, cost, "kvitto.pdf", testPDF); w.Code != http.StatusSeeOther {
		t.Fatalf("the member's cost claim = %d\n%s", w.Code, w.Body)
	}
	page := plain(mb.get(claims).Body.String())
	links := claimLink.FindAllStringSubmatch(page, -1)
	var mine string
	for _, l := range links {
		if l[2] == "aterkalla" {
			mine = l[1]
		}
	}
	if !strings.Contains(page, "120,50 kr: Parkering") || !strings.Contains(page, "Inlämnad") || mine == "" {
		t.Fatalf("the member's page after the claim:\n%s", page)
	}
	if w := mb.get(mine + "/attestera"); w.Code != http.StatusForbidden {
		t.Errorf("a member attests = %d", w.Code)
	}

	// Bräcke reads its member's receipt.
	br := newBrowser(t, s.Handler())
	br.login("bracke@demo.gns.example", demo.Password)
	if w := br.get(mine + "/kvitto"); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), testPDF) {
		t.Errorf("Bräcke's receipt = %d", w.Code)
	}

	// The member withdraws it after the confirm step; it stays, withdrawn.
	if w := mb.get(mine + "/aterkalla"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Återkalla anspråket") {
		t.Fatalf("confirm withdraw = %d", w.Code)
	}
	if w := mb.post(mine+"/aterkalla", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("withdraw = %d", w.Code)
	}
	if page := mb.get(claims).Body.String(); !strings.Contains(page, "Återkallad") {
		t.Error("the withdrawn claim is not shown as withdrawn")
	}
	if w := mb.post(mine+"/aterkalla", nil); w.Code != http.StatusConflict {
		t.Errorf("withdrawing twice = %d", w.Code)
	}

	// The secretariat claims for Robert Hamberg and attests it.
	sec := newBrowser(t, s.Handler())
	sec.login("sekretariat@demo.gns.example", demo.Password)
	sec.get(claims)
	robert := url.Values{"member": {itoa(ids["Robert Hamberg"])}, "kind": {"utlagg"}, "amount": {"64"}, "description": {"Tåg"}}
	if w := sec.postFile(claims, robert, "biljett.pdf", testPDF); w.Code != http.StatusSeeOther {
		t.Fatalf("the secretariat's claim = %d\n%s", w.Code, w.Body)
	}
	var robertsClaim string
	for _, l := range claimLink.FindAllStringSubmatch(sec.get(claims).Body.String(), -1) {
		if l[2] == "attestera" {
			robertsClaim = l[1]
		}
	}
	if robertsClaim == "" {
		t.Fatal("no claim to attest")
	}
	if page := plain(br.get(claims).Body.String()); !strings.Contains(page, "3,5 tim") || strings.Contains(page, "Tåg") || strings.Contains(page, "Robert Hamberg") {
		t.Errorf("Bräcke's claims page shows another party's member, or not its own:\n%s", page)
	}
	if w := br.get(robertsClaim + "/kvitto"); w.Code != http.StatusNotFound {
		t.Errorf("Bräcke reads another party's member's receipt: %d", w.Code)
	}
	if w := sec.get(robertsClaim + "/attestera"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "kan inte ändras") {
		t.Fatalf("confirm attest = %d", w.Code)
	}
	if w := sec.post(robertsClaim+"/attestera", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("attest = %d", w.Code)
	}
	if w := sec.post(robertsClaim+"/attestera", nil); w.Code != http.StatusConflict {
		t.Errorf("attesting twice = %d", w.Code)
	}
	if w := mb.get(robertsClaim + "/kvitto"); w.Code != http.StatusNotFound {
		t.Errorf("a member reads another member's receipt: %d", w.Code)
	}
	rows := readCSV(t, sec.get("/namnder/GNS/arvoden/underlag.csv?"+arvode2020).Body.Bytes())
	for _, r := range rows {
		if r["ledamot"] == "Robert Hamberg" && r["ovriga_kostnader_kr"] != "64,00" {
			t.Errorf("Robert's row = %v", r)
		}
		if r["ledamot"] == "Daniel Danielsson" && r["ovriga_kostnader_kr"] != "0,00" {
			t.Errorf("the withdrawn claim counts: %v", r)
		}
	}
	// The member's own basis shows only their line.
	if page := plain(mb.get("/namnder/GNS/arvoden?" + arvode2020).Body.String()); !strings.Contains(page, "Daniel Danielsson") || strings.Contains(page, "Robert Hamberg") {
		t.Errorf("the member's basis:\n%s", page)
	}
	if w := mb.get("/namnder/GNS/arvoden?party=bracke"); w.Code != http.StatusForbidden {
		t.Errorf("a member asks for a party = %d", w.Code)
	}
}
