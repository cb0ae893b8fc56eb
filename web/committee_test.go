package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// registrySetup is a server with the demo committee, its registry and users.
type registrySetup struct {
	s   *Server
	db  *store.DB
	ctx context.Context
	gns domain.Committee
}

func newRegistrySetup(t *testing.T, db *store.DB) *registrySetup {
	t.Helper()
	s, _ := newTestServer(t, db)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	gns, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	return &registrySetup{s: s, db: db, ctx: ctx, gns: gns}
}

// as returns a browser logged in as the demo user with the given role.
func (rs *registrySetup) as(t *testing.T, role domain.Role) *browser {
	t.Helper()
	for _, u := range demo.Users {
		if u.Role == role {
			b := newBrowser(t, rs.s.Handler())
			if w := b.login(u.Email, demo.Password); w.Code != http.StatusSeeOther {
				t.Fatalf("login as %s = %d", role, w.Code)
			}
			b.get("/konto") // a page with the form token
			return b
		}
	}
	t.Fatalf("no demo user with role %s", role)
	return nil
}

// party returns a demo party by slug.
func (rs *registrySetup) party(t *testing.T, slug string) domain.Party {
	t.Helper()
	p, err := rs.db.Conn().PartyBySlug(rs.ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rows counts the rows of a table.
func (rs *registrySetup) rows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := rs.db.SQL().QueryRowContext(rs.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// inOrder fails unless the texts occur in body in the given order.
func inOrder(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	last := -1
	for _, s := range texts {
		i := strings.Index(body, s)
		switch {
		case i < 0:
			t.Errorf("%s lacks %q", what, s)
		case i < last:
			t.Errorf("%s: %q is out of order", what, s)
		default:
			last = i
		}
	}
}

func TestCommitteePage(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleSecretariat)
		w := b.get("/namnder/GNS")
		if w.Code != http.StatusOK {
			t.Fatalf("GET /namnder/GNS = %d", w.Code)
		}
		body := w.Body.String()
		var names []string
		for _, p := range demo.Parties {
			names = append(names, ">"+p.Name+"<")
		}
		inOrder(t, "the committee page", body, names...)
		for _, want := range []string{demo.Committee.Name, "värdpart", "232100-0214", "212000-2528", "saknas", "2018-07-01",
			"Robert Hamberg (M)", "Ordförande", "Susanne Hansson (S)", "Vice ordförande", "Anders Edvinsson (S)", "Ersättare",
			`/namnder/GNS/invanare?datum=2020-12-31`, "Reglemente", "Samarbetsöverenskommelse", "/namnder/GNS/ledamoter/ny"} {
			if !strings.Contains(body, want) {
				t.Errorf("committee page lacks %q", want)
			}
		}
		if strings.Contains(body, "/flytta") || strings.Contains(body, "/styrdokument\"") || strings.Contains(body, "Ändra nämnden") {
			t.Error("the secretariat sees the admin's controls")
		}

		// A party representative reads the page but opens only its own party.
		pb := rs.as(t, domain.RoleParty)
		body = pb.get("/namnder/GNS").Body.String()
		bracke, are := rs.party(t, "bracke"), rs.party(t, "are")
		if !strings.Contains(body, `href="/parter/`+itoa(bracke.ID)+`"`) || strings.Contains(body, `href="/parter/`+itoa(are.ID)+`"`) {
			t.Error("the party representative gets links to the wrong parties")
		}

		// Unknown committees, and committees the user has no role in, are not found.
		if err := db.InTx(rs.ctx, func(c *store.Conn) error {
			_, err := c.CreateCommittee(rs.ctx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnd", StartedOn: domain.MustDate("2020-01-01")})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/namnder/XYZ", "/namnder/UPH", "/namnder/UPH/ledamoter", "/namnder/UPH/invanare"} {
			if w := b.get(path); w.Code != http.StatusNotFound {
				t.Errorf("GET %s as the GNS secretariat = %d, want 404", path, w.Code)
			}
		}
		if w := rs.as(t, domain.RoleAuditor).get("/namnder/UPH"); w.Code != http.StatusOK {
			t.Errorf("the auditor reading UPH = %d", w.Code)
		}
	})
}

func TestAdminManagesCommittees(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleAdmin)
		ostersund, berg := rs.party(t, "ostersund"), rs.party(t, "berg")

		// Bad input: a clear error, nothing created.
		b.get("/admin/namnder/ny")
		for name, form := range map[string]url.Values{
			"code taken":          {"code": {"gns"}, "name": {"X"}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(berg.ID)}},
			"code with digit":     {"code": {"UP1"}, "name": {"X"}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(berg.ID)}},
			"no host":             {"code": {"UPH"}, "name": {"X"}, "started_on": {"2021-01-01"}},
			"unknown host":        {"code": {"UPH"}, "name": {"X"}, "started_on": {"2021-01-01"}, "host_party_id": {"999999"}},
			"date in wrong form":  {"code": {"UPH"}, "name": {"X"}, "started_on": {"1/1/2021"}, "host_party_id": {itoa(berg.ID)}},
			"name of 10 000 char": {"code": {"UPH"}, "name": {strings.Repeat("n", 10_000)}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(berg.ID)}},
		} {
			before := rs.rows(t, "committees")
			w := b.post("/admin/namnder", form)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") || rs.rows(t, "committees") != before {
				t.Errorf("%s: %d; want 400 with the errors and nothing created", name, w.Code)
			}
		}

		w := b.post("/admin/namnder", url.Values{"code": {"uph"}, "name": {"Upphandlingsnämnd <script>alert(1)</script>"}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(berg.ID)}})
		if w.Code != http.StatusSeeOther || location(w) != "/namnder/UPH" {
			t.Fatalf("create committee = %d → %q", w.Code, location(w))
		}
		body := b.get("/namnder/UPH").Body.String()
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("HTML in the committee's name is not shown as text")
		}
		uph, _ := db.Conn().CommitteeByCode(rs.ctx, "UPH")
		if uph.HostPartyID != berg.ID {
			t.Errorf("UPH's host = %d, want Berg", uph.HostPartyID)
		}

		// Parties join, move and leave.
		if w := b.post("/namnder/UPH/parter", url.Values{"party_id": {itoa(ostersund.ID)}, "member_from": {"2021-13-01"}}); w.Code != http.StatusBadRequest {
			t.Errorf("joining on a bad date = %d, want 400", w.Code)
		}
		if w := b.post("/namnder/UPH/parter", url.Values{"party_id": {itoa(berg.ID)}, "member_from": {"2021-06-01"}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "redan medlem") {
			t.Errorf("joining twice = %d, want 400 saying so", w.Code)
		}
		for _, p := range []domain.Party{ostersund, rs.party(t, "are")} {
			if w := b.post("/namnder/UPH/parter", url.Values{"party_id": {itoa(p.ID)}, "member_from": {"2021-01-01"}}); w.Code != http.StatusSeeOther {
				t.Fatalf("add %s = %d", p.Slug, w.Code)
			}
		}
		are := rs.party(t, "are")
		b.post("/namnder/UPH/parter/"+itoa(are.ID)+"/flytta", url.Values{"riktning": {"upp"}})
		inOrder(t, "UPH after moving Åre up", b.get("/namnder/UPH").Body.String(), ">Bergs kommun<", ">Åre kommun<", ">Östersunds kommun<")
		if w := b.post("/namnder/UPH/parter/"+itoa(berg.ID)+"/flytta", url.Values{"riktning": {"ned"}}); w.Code != http.StatusConflict {
			t.Errorf("moving the host = %d, want 409", w.Code)
		}
		if w := b.get("/namnder/UPH/parter/" + itoa(ostersund.ID) + "/avsluta"); w.Code != http.StatusOK {
			t.Errorf("end membership form = %d", w.Code)
		}
		if w := b.post("/namnder/UPH/parter/"+itoa(ostersund.ID)+"/avsluta", url.Values{"member_to": {"2020-01-01"}}); w.Code != http.StatusBadRequest {
			t.Errorf("ending before the start = %d, want 400", w.Code)
		}
		if w := b.post("/namnder/UPH/parter/"+itoa(ostersund.ID)+"/avsluta", url.Values{"member_to": {"2021-06-30"}}); w.Code != http.StatusSeeOther {
			t.Errorf("end membership = %d", w.Code)
		}
		if w := b.post("/namnder/UPH/parter/"+itoa(berg.ID)+"/avsluta", url.Values{"member_to": {"2021-06-30"}}); w.Code != http.StatusConflict {
			t.Errorf("the host leaving = %d, want 409", w.Code)
		}
		if body := b.get("/namnder/UPH").Body.String(); !strings.Contains(body, "Tidigare parter") || !strings.Contains(body, "2021-06-30") {
			t.Error("the party that left is not among the former parties")
		}

		// A new host must be a member; the code never changes.
		if w := b.post("/namnder/UPH/redigera", url.Values{"name": {"Upphandlingsnämnden"}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(rs.party(t, "krokom").ID)}}); w.Code != http.StatusBadRequest {
			t.Errorf("a host that is not a member = %d, want 400", w.Code)
		}
		if w := b.post("/namnder/UPH/redigera", url.Values{"code": {"XYZ"}, "name": {"Upphandlingsnämnden"}, "started_on": {"2021-01-01"}, "host_party_id": {itoa(are.ID)}}); w.Code != http.StatusSeeOther {
			t.Errorf("edit committee = %d", w.Code)
		}
		uph, _ = db.Conn().CommitteeByCode(rs.ctx, "UPH")
		if uph.Name != "Upphandlingsnämnden" || uph.HostPartyID != are.ID {
			t.Errorf("UPH after the edit = %+v", uph)
		}

		// Only the admin changes committees.
		sb := rs.as(t, domain.RoleSecretariat)
		for _, path := range []string{"/namnder/GNS/parter", "/namnder/GNS/redigera", "/namnder/GNS/parter/" + itoa(berg.ID) + "/flytta"} {
			if w := sb.post(path, url.Values{"party_id": {itoa(berg.ID)}, "member_from": {"2021-01-01"}}); w.Code != http.StatusForbidden {
				t.Errorf("POST %s as the secretariat = %d, want 403", path, w.Code)
			}
		}
	})
}

func TestGoverningDocuments(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleAdmin)
		b.get("/namnder/GNS")
		fields := url.Values{"kind": {"reglemente"}, "title": {"Reglemente för gemensam nämnd"}, "decision_reference": {"Regionfullmäktige 2018-04-24 § 85"},
			"decided_on": {"2018-04-24"}, "valid_from": {"2018-07-01"}}

		// Refused: no decision, a title of 10 000 characters, a bad date, a
		// program named .pdf, no file. Nothing is stored.
		bad := map[string]func() (url.Values, string, []byte){
			"no decision": func() (url.Values, string, []byte) {
				f := copyValues(fields)
				f.Del("decision_reference")
				return f, "r.pdf", testPDF
			},
			"long title": func() (url.Values, string, []byte) {
				f := copyValues(fields)
				f.Set("title", strings.Repeat("t", 10_000))
				return f, "r.pdf", testPDF
			},
			"bad date": func() (url.Values, string, []byte) {
				f := copyValues(fields)
				f.Set("decided_on", "24 april 2018")
				return f, "r.pdf", testPDF
			},
			"valid too early": func() (url.Values, string, []byte) {
				f := copyValues(fields)
				f.Set("valid_from", "2018-01-01")
				return f, "r.pdf", testPDF
			},
			"not a PDF": func() (url.Values, string, []byte) { return fields, "r.pdf", []byte("MZ\x90\x00 a program") },
			"no file":   func() (url.Values, string, []byte) { return fields, "", nil },
		}
		for name, mk := range bad {
			f, fileName, content := mk()
			w := b.postFile("/namnder/GNS/styrdokument", f, fileName, content)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") {
				t.Errorf("%s: %d, want 400 with the errors", name, w.Code)
			}
		}
		if n := rs.rows(t, "committee_documents"); n != 0 {
			t.Fatalf("refused uploads stored %d documents", n)
		}

		for i := 1; i <= 2; i++ {
			w := b.postFile("/namnder/GNS/styrdokument", fields, "Reglemente GNS.pdf", testPDF)
			if w.Code != http.StatusSeeOther || !strings.Contains(b.get(location(w)).Body.String(), "version "+itoa(int64(i))) {
				t.Fatalf("upload %d = %d", i, w.Code)
			}
		}
		docs, _ := db.Conn().CommitteeDocuments(rs.ctx, rs.gns.ID)
		if len(docs) != 2 || docs[0].Version != 2 {
			t.Fatalf("documents = %+v", docs)
		}
		body := b.get("/namnder/GNS").Body.String()
		if !strings.Contains(body, "Regionfullmäktige 2018-04-24 § 85") || !strings.Contains(body, "gällande") {
			t.Error("the committee page does not show the versions with their decision")
		}

		// Every role of the committee reads the documents; nobody else does.
		pb := rs.as(t, domain.RoleParty)
		w := pb.get("/namnder/GNS/styrdokument/" + itoa(docs[1].ID))
		if w.Code != http.StatusOK || w.Body.String() != string(testPDF) || w.Header().Get("Content-Type") != "application/pdf" ||
			!strings.Contains(w.Header().Get("Content-Disposition"), "attachment") || w.Header().Get("Repr-Digest") == "" {
			t.Errorf("download = %d %q %v", w.Code, w.Header().Get("Content-Type"), w.Header())
		}
		if w := pb.get("/namnder/GNS/styrdokument/999999"); w.Code != http.StatusNotFound {
			t.Errorf("an unknown document = %d, want 404", w.Code)
		}
		if w := rs.as(t, domain.RoleSecretariat).postFile("/namnder/GNS/styrdokument", fields, "r.pdf", testPDF); w.Code != http.StatusForbidden {
			t.Errorf("the secretariat uploading = %d, want 403", w.Code)
		}
	})
}

func copyValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestChairSignsMinutes: the admin records that the committee's reglemente
// has the ordförande sign the minutes; the committee page says so, the form
// keeps the choice, and the protokoll of a justerat meeting gets the
// ordförande's signature line naming the one who chaired.
func TestChairSignsMinutes(t *testing.T) {
	t.Parallel()
	db := demoSQLite(t)
	w := newMinutesWorld(t, db)
	gns, err := db.Conn().CommitteeByCode(w.ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	if gns.ChairSignsMinutes {
		t.Fatal("the demo committee starts with the ordförande signing")
	}
	// edit sends the committee's form as b, with the box ticked or not.
	edit := func(b *browser, chairSigns bool) *httptest.ResponseRecorder {
		b.get("/namnder/GNS/redigera")
		form := url.Values{"name": {gns.Name}, "started_on": {gns.StartedOn.String()}, "host_party_id": {itoa(gns.HostPartyID)}}
		if chairSigns {
			form.Set("chair_signs_minutes", "ja")
		}
		return b.post("/namnder/GNS/redigera", form)
	}
	sec := w.as(t, "sekretariat@demo.gns.example")
	if r := edit(sec, true); r.Code != http.StatusForbidden || !strings.Contains(sec.last, "behörighet") {
		t.Errorf("the secretariat changing the setting = %d, want 403", r.Code)
	}
	adm := w.as(t, "admin@demo.gns.example")
	if r := edit(adm, true); r.Code != http.StatusSeeOther {
		t.Fatalf("edit = %d: %s", r.Code, adm.last)
	}
	if gns, _ = db.Conn().CommitteeByCode(w.ctx, "GNS"); !gns.ChairSignsMinutes {
		t.Fatal("the setting was not saved")
	}
	if page := text(adm.get("/namnder/GNS").Body.String()); !strings.Contains(page, "undertecknas avsekreteraren och ordföranden") {
		t.Errorf("the committee page does not tell who signs:\n%s", page)
	}
	if body := adm.get("/namnder/GNS/redigera").Body.String(); !strings.Contains(body, `value="ja" aria-describedby="f-chair_signs_minutes-hint" checked`) {
		t.Errorf("the form does not keep the choice:\n%s", body)
	}
	// A held meeting with its ordförande present: the protokoll (here the
	// draft; the justering block is the same) has the ordförande's line.
	mid := mondayMeeting(t, sec, recentMonday())
	robert := w.members["Robert Hamberg"]
	sec.get("/sammantraden/" + mid + "/narvaro")
	if r := sec.post("/sammantraden/"+mid+"/narvaro", url.Values{"present_" + itoa(robert.ID): {"1"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("attendance = %d: %s", r.Code, sec.last)
	}
	r := sec.get("/sammantraden/" + mid + "/protokoll.pdf")
	if r.Code != http.StatusOK {
		t.Fatalf("protokoll = %d", r.Code)
	}
	if pdf := pdfText(t, r.Body.Bytes()); !strings.Contains(pdf, "Ordförande .....") || !strings.Contains(pdf, robert.DisplayName()) {
		t.Errorf("the protokoll lacks the ordförande's line for %s:\n%s", robert.DisplayName(), pdf)
	}
	if r := edit(adm, false); r.Code != http.StatusSeeOther {
		t.Fatalf("edit back = %d", r.Code)
	}
	if gns, _ = db.Conn().CommitteeByCode(w.ctx, "GNS"); gns.ChairSignsMinutes {
		t.Error("unticking the box did not turn the setting off")
	}
}
