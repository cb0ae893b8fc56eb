package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/cases"
	"github.com/region-jh/gns/web/kit"
)

// testPDF is the smallest file the type check takes for a PDF.
var testPDF = []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// postFile submits a multipart form with one file, with the form token of
// the last page.
func (b *browser) postFile(path string, fields url.Values, fileName string, content []byte) *httptest.ResponseRecorder {
	b.t.Helper()
	body, contentType := multipartBody(b.t, fields, fileName, content, b.csrf)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", contentType)
	return b.do(req)
}

// multipartBody builds a multipart form with the fields, a csrf_token when
// given, and a file in the field "file" when fileName is not empty.
func multipartBody(t testing.TB, fields url.Values, fileName string, content []byte, csrf string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField(kit.CSRFField, csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileName != "" {
		w, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// caseSetup is a server with the demo committee and users, plus a second
// committee (UPH) with a secretariat user of its own.
type caseSetup struct {
	s   *Server
	db  *store.DB
	ctx context.Context
	gns domain.Committee
	uph domain.Committee
	// year is this year: new cases are numbered in it.
	year int
}

func newCaseSetup(t *testing.T, db *store.DB) *caseSetup {
	t.Helper()
	s, _ := newTestServer(t, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	cs := &caseSetup{s: s, db: db, ctx: ctx, year: today().Year}
	var err error
	if cs.gns, err = db.Conn().CommitteeByCode(ctx, "GNS"); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(c *store.Conn) error {
		cs.uph, err = c.CreateCommittee(ctx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnden", StartedOn: domain.MustDate("2019-01-01")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	newUser(t, db, "uph@example.se", domain.RoleGrant{Role: domain.RoleSecretariat, CommitteeID: cs.uph.ID}, true)
	return cs
}

// as returns a browser logged in as a demo user (or the UPH secretary).
func (cs *caseSetup) as(t *testing.T, email string) *browser {
	t.Helper()
	b := newBrowser(t, cs.s.Handler())
	password := demo.Password
	if !strings.HasSuffix(email, "@demo.gns.example") {
		password = testPassword
	}
	if w := b.login(email, password); w.Code != http.StatusSeeOther {
		t.Fatalf("login as %s = %d", email, w.Code)
	}
	return b
}

// number is the n-th case number of this year in GNS.
func (cs *caseSetup) number(n int) string { return fmt.Sprintf("GNS/%d/%d", n, cs.year) }

// url is the page of the n-th case of this year in GNS.
func (cs *caseSetup) url(n int) string { return fmt.Sprintf("/arenden/GNS/%d/%d", n, cs.year) }

// counts is the number of rows in the case tables, to show that refused
// input wrote nothing.
func (cs *caseSetup) counts(t *testing.T) string {
	t.Helper()
	var out []string
	for _, table := range []string{"cases", "case_counters", "case_documents", "case_links", "case_events"} {
		var n int
		if err := cs.db.SQL().QueryRowContext(cs.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

// TestSecretariatHandlesACase registers, finds, documents, links, closes and
// reopens a case through the pages, as the committee's secretariat does, and
// checks that bad input is refused in Swedish and changes nothing.
func TestSecretariatHandlesACase(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		b := cs.as(t, "sekretariat@demo.gns.example")
		if w := b.get("/arenden"); w.Code != http.StatusFound || location(w) != "/namnder/GNS/arenden" {
			t.Fatalf("GET /arenden = %d → %q", w.Code, location(w))
		}
		if w := b.get("/namnder/GNS/arenden"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Registrera ärende") {
			t.Fatalf("case list = %d, no way to register", w.Code)
		}

		// Register.
		if w := b.get("/namnder/GNS/arenden/ny"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<textarea id="f-description"`) {
			t.Fatalf("new case form = %d", w.Code)
		}
		w := b.post("/namnder/GNS/arenden", url.Values{"title": {"Gemensam <b>serverdrift</b> i Åre"}, "description": {"Första stycket.\n\nAndra stycket,\nmed radbrytning."}})
		if w.Code != http.StatusSeeOther || location(w) != cs.url(1) {
			t.Fatalf("register = %d → %q; want %s", w.Code, location(w), cs.url(1))
		}
		page := b.get(cs.url(1)).Body.String()
		for _, want := range []string{"är registrerat", cs.number(1), "Gemensam &lt;b&gt;serverdrift&lt;/b&gt; i Åre", "<p>Andra stycket,<br>med radbrytning.</p>", "registrerat", "Sofia Nordin"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		if strings.Contains(page, "<b>serverdrift</b>") {
			t.Error("HTML in the title is rendered as HTML")
		}
		if w := b.get(strings.Replace(cs.url(1), "/1/", "/01/", 1)); w.Code != http.StatusMovedPermanently || location(w) != cs.url(1) {
			t.Errorf("zero-padded address = %d → %q, want the canonical one", w.Code, location(w))
		}

		// The list shows the title as text too, and the year filter keeps
		// the year chosen.
		list := b.get("/namnder/GNS/arenden?ar=" + itoa(int64(cs.year))).Body.String()
		if !strings.Contains(list, "Gemensam &lt;b&gt;serverdrift&lt;/b&gt; i Åre") || strings.Contains(list, "<b>serverdrift</b>") {
			t.Error("the case list does not show the title as escaped text")
		}
		if want := `<a href="` + cs.url(1) + `">` + cs.number(1) + `</a>`; !strings.Contains(list, want) {
			t.Errorf("the case list lacks the link %s", want)
		}
		if want := `<option value="` + itoa(int64(cs.year)) + `" selected>`; !strings.Contains(list, want) {
			t.Errorf("the year filter does not keep the chosen year (%s)", want)
		}

		// Find: by text in any case, by number, by status.
		for _, q := range []string{"åre", "ÅRE", "serverdrift", "andra stycket"} {
			if body := b.get("/namnder/GNS/arenden?sok=" + url.QueryEscape(q)).Body.String(); !strings.Contains(body, cs.number(1)) {
				t.Errorf("search %q does not find the case", q)
			}
		}
		if w := b.get("/namnder/GNS/arenden?sok=" + url.QueryEscape("gns/01/"+itoa(int64(cs.year)))); w.Code != http.StatusFound || location(w) != cs.url(1) {
			t.Errorf("search by number = %d → %q", w.Code, location(w))
		}
		if body := b.get("/namnder/GNS/arenden?sok=kallelse").Body.String(); !strings.Contains(body, "Inga ärenden matchar sökningen") {
			t.Error("a search without matches does not say so")
		}
		if w := b.get("/namnder/GNS/arenden?ar=tjugo"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "fyra siffror") {
			t.Errorf("list with a bad year = %d", w.Code)
		}

		// Document: upload, see the checksum, download.
		b.get(cs.url(1))
		w = b.postFile(cs.url(1)+"/handlingar", url.Values{"kind": {"officer_report"}, "title": {"Tjänsteskrivelse"}}, `C:\Dokument\tjänsteskrivelse "utkast".pdf`, testPDF)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("upload = %d: %s", w.Code, w.Body)
		}
		sum := sha256.Sum256(testPDF)
		page = b.get(cs.url(1)).Body.String()
		if !strings.Contains(page, hex.EncodeToString(sum[:])) || !strings.Contains(page, "tjänsteskrivelse _utkast_.pdf") {
			t.Error("the case page does not show the document with its checksum and safe name")
		}
		k, _ := db.Conn().CaseByNumber(cs.ctx, domain.CaseNumber{Prefix: "GNS", Seq: 1, Year: cs.year})
		docs, _ := db.Conn().CaseDocuments(cs.ctx, k.ID)
		if len(docs) != 1 {
			t.Fatalf("documents = %v", docs)
		}
		w = b.get(cs.url(1) + "/handlingar/" + itoa(docs[0].ID))
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), testPDF) || w.Header().Get("Content-Type") != "application/pdf" {
			t.Errorf("download = %d, %q", w.Code, w.Header().Get("Content-Type"))
		}
		// A PDF opens in the browser (inline, not sandboxed: a browser shows
		// no PDF in a sandboxed document), and downloads on request.
		if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, "utf-8''tj%C3%A4nsteskrivelse%20_utkast_.pdf") {
			t.Errorf("Content-Disposition = %q, want the PDF inline", cd)
		}
		if csp := w.Header().Get("Content-Security-Policy"); csp != "default-src 'none'; object-src 'self'" {
			t.Errorf("the PDF shown in the browser has the policy %q", csp)
		}
		w = b.get(cs.url(1) + "/handlingar/" + itoa(docs[0].ID) + "?ladda-ned=1")
		if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "utf-8''tj%C3%A4nsteskrivelse%20_utkast_.pdf") ||
			!strings.HasPrefix(w.Header().Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download on request: Content-Disposition = %q, policy %q", cd, w.Header().Get("Content-Security-Policy"))
		}
		if !strings.Contains(page, "?ladda-ned=1") {
			t.Error("the case page offers no download of the PDF")
		}
		if w.Header().Get("Repr-Digest") == "" {
			t.Error("the download carries no checksum")
		}

		// Refused input, each with a Swedish message and nothing written.
		before := cs.counts(t)
		for _, tt := range []struct {
			name, path string
			fields     url.Values
			file       string
			content    []byte
			status     int
			want       string
		}{
			{"title of 10 000 characters", "/namnder/GNS/arenden", url.Values{"title": {strings.Repeat("x", 10_000)}}, "", nil, http.StatusBadRequest, "Titeln får vara högst 300 tecken."},
			{"no title", "/namnder/GNS/arenden", url.Values{"title": {"  "}}, "", nil, http.StatusBadRequest, "Ange en titel för ärendet."},
			{"another committee's number", "/namnder/GNS/arenden", url.Values{"title": {"X"}, "number": {"UPH/3/2019"}}, "", nil, http.StatusBadRequest, "hör inte till nämnden GNS"},
			{"a taken number", "/namnder/GNS/arenden", url.Values{"title": {"X"}, "number": {cs.number(1)}}, "", nil, http.StatusConflict, "är redan registrerat"},
			{"a number that is no number", "/namnder/GNS/arenden", url.Values{"title": {"X"}, "number": {"GNS-3-2019"}}, "", nil, http.StatusBadRequest, "ska skrivas PREFIX/löpnummer/år"},
			{"a handler outside the secretariat", "/namnder/GNS/arenden", url.Values{"title": {"X"}, "handler": {"3"}}, "", nil, http.StatusBadRequest, "nämndens sekretariat"},
			{"a file over the limit", cs.url(1) + "/handlingar", url.Values{"kind": {"attachment"}}, "stor.pdf", append(append([]byte{}, testPDF...), make([]byte, domain.MaxCaseDocumentSize)...), http.StatusBadRequest, "för stor: högst 20 MB"},
			{"a program", cs.url(1) + "/handlingar", url.Values{"kind": {"attachment"}}, "verktyg.exe", []byte("MZ\x90\x00"), http.StatusBadRequest, "filtyp som inte tas emot"},
			{"a program named .pdf", cs.url(1) + "/handlingar", url.Values{"kind": {"attachment"}}, "faktura.pdf", []byte("MZ\x90\x00"), http.StatusBadRequest, "innehållet är inte PDF"},
			{"no file", cs.url(1) + "/handlingar", url.Values{"kind": {"attachment"}}, "", nil, http.StatusBadRequest, "Välj en fil"},
			{"a link to another committee's case", cs.url(1) + "/kopplingar", url.Values{"case": {"UPH/1/2020"}}, "", nil, http.StatusBadRequest, "hör inte till nämnden GNS"},
			{"a link to itself", cs.url(1) + "/kopplingar", url.Values{"case": {cs.number(1)}}, "", nil, http.StatusBadRequest, "sig självt"},
			{"a status that does not exist", cs.url(1) + "/status", url.Values{"status": {"pausad"}}, "", nil, http.StatusBadRequest, "Okänd status"},
			{"the status it has", cs.url(1) + "/status", url.Values{"status": {"registered"}}, "", nil, http.StatusBadRequest, "har redan status registrerat"},
		} {
			b.get(cs.url(1))
			var w *httptest.ResponseRecorder
			if strings.HasSuffix(tt.path, "/handlingar") {
				w = b.postFile(tt.path, tt.fields, tt.file, tt.content)
			} else {
				w = b.post(tt.path, tt.fields)
			}
			body := w.Body.String()
			if w.Code != tt.status || !strings.Contains(body, tt.want) || !strings.Contains(body, "error-summary") {
				t.Errorf("%s: %d, want %d with %q in an error summary", tt.name, w.Code, tt.status, tt.want)
			}
			if after := cs.counts(t); after != before {
				t.Errorf("%s wrote something: %s → %s", tt.name, before, after)
				before = after
			}
		}

		// Status, a second case and a link, closing and reopening.
		b.get(cs.url(1))
		if w := b.post(cs.url(1)+"/status", url.Values{"status": {"in_preparation"}, "note": {"Remiss ute."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("status = %d", w.Code)
		}
		b.get("/namnder/GNS/arenden/ny")
		b.post("/namnder/GNS/arenden", url.Values{"title": {"Budget"}, "handler": {""}})
		b.get(cs.url(2))
		if w := b.post(cs.url(2)+"/kopplingar", url.Values{"case": {cs.number(1)}}); w.Code != http.StatusSeeOther {
			t.Fatalf("link = %d", w.Code)
		}
		if w := b.get(cs.url(1) + "/avsluta"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Avsluta ärende "+cs.number(1)) {
			t.Fatalf("close confirmation = %d", w.Code)
		}
		if w := b.post(cs.url(1)+"/avsluta", url.Values{"note": {"Beslutat § 12."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("close = %d", w.Code)
		}
		page = b.get(cs.url(1)).Body.String()
		for _, want := range []string{"avslutat", "Återöppna ärendet", cs.number(2), "Beslutat § 12.", "Remiss ute.", "Handling tillagd", "Kopplat till ärende"} {
			if !strings.Contains(page, want) {
				t.Errorf("closed case page lacks %q", want)
			}
		}
		// "Not closed" leaves the closed case out.
		if body := b.get("/namnder/GNS/arenden?status=oppna").Body.String(); strings.Contains(body, ">"+cs.number(1)+"<") || !strings.Contains(body, ">"+cs.number(2)+"<") {
			t.Error("the filter for cases not closed does not leave out the closed case")
		}
		if strings.Contains(page, `action="`+cs.url(1)+`/handlingar"`) {
			t.Error("a closed case offers the upload form")
		}
		if w := b.get(cs.url(1) + "/andra"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Återöppna det först") {
			t.Errorf("editing a closed case = %d", w.Code)
		}
		if w := b.post(cs.url(1)+"/avsluta", nil); w.Code != http.StatusConflict {
			t.Errorf("closing again = %d, want 409", w.Code)
		}
		b.get(cs.url(1) + "/ateroppna")
		if w := b.post(cs.url(1)+"/ateroppna", url.Values{"note": {"Nytt underlag."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("reopen = %d", w.Code)
		}
		b.get(cs.url(1) + "/andra")
		if w := b.post(cs.url(1)+"/andra", url.Values{"title": {"Gemensam serverdrift"}, "description": {"Ny beskrivning."}, "handler": {""}}); w.Code != http.StatusSeeOther {
			t.Fatalf("edit = %d", w.Code)
		}
		k, _ = db.Conn().CaseByNumber(cs.ctx, domain.CaseNumber{Prefix: "GNS", Seq: 1, Year: cs.year})
		if k.Title != "Gemensam serverdrift" || k.HandlerID != 0 || k.Status != domain.CaseInPreparation {
			t.Errorf("after reopening and editing: %+v", k)
		}
		// The list filters by status and handler.
		if body := b.get("/namnder/GNS/arenden?status=in_preparation").Body.String(); !strings.Contains(body, cs.number(1)) || strings.Contains(body, ">"+cs.number(2)+"<") {
			t.Error("the status filter does not work")
		}
	})
}

// TestCaseAccess checks who may read and change cases: everyone with a role
// in the committee reads (cases are public records), only its secretariat
// and admin change, and a user without a role in the committee gets 404.
func TestCaseAccess(t *testing.T) {
	t.Parallel()
	cs := newCaseSetup(t, storetest.NewSQLite(t))
	admin := cs.as(t, "admin@demo.gns.example")
	admin.get("/namnder/GNS/arenden/ny")
	if w := admin.post("/namnder/GNS/arenden", url.Values{"title": {"Registrerat av administratören"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("admin registers = %d", w.Code)
	}
	caseURL := cs.url(1)
	writes := []string{caseURL + "/status", caseURL + "/avsluta", caseURL + "/andra", caseURL + "/kopplingar", "/namnder/GNS/arenden"}
	for _, tt := range []struct {
		email       string
		read, write int
	}{
		{"sekretariat@demo.gns.example", http.StatusOK, 0},
		{"admin@demo.gns.example", http.StatusOK, 0},
		{"ekonom@demo.gns.example", http.StatusOK, http.StatusForbidden},
		{"bracke@demo.gns.example", http.StatusOK, http.StatusForbidden},
		{"ledamot@demo.gns.example", http.StatusOK, http.StatusForbidden},
		{"revisor@demo.gns.example", http.StatusOK, http.StatusForbidden},
		{"uph@example.se", http.StatusNotFound, http.StatusNotFound},
	} {
		b := cs.as(t, tt.email)
		for _, path := range []string{caseURL, "/namnder/GNS/arenden", "/api/v1/cases/GNS/1/" + itoa(int64(cs.year)), "/api/v1/committees/GNS/cases"} {
			if w := b.get(path); w.Code != tt.read {
				t.Errorf("GET %s as %s = %d, want %d", path, tt.email, w.Code, tt.read)
			}
		}
		if tt.write == 0 {
			continue
		}
		b.get("/konto")
		for _, path := range writes {
			if w := b.post(path, url.Values{"title": {"x"}, "status": {"decided"}, "case": {cs.number(1)}}); w.Code != tt.write {
				t.Errorf("POST %s as %s = %d, want %d", path, tt.email, w.Code, tt.write)
			}
		}
	}
	// The UPH secretary cannot tell a GNS case from a missing one.
	b := cs.as(t, "uph@example.se")
	exists, missing := b.get(caseURL).Body.String(), b.get(cs.url(99)).Body.String()
	if strings.Replace(exists, "/1/", "/99/", -1) != missing {
		t.Error("a case of another committee answers differently from a missing one")
	}
	if w := b.get("/arenden"); w.Code != http.StatusFound || location(w) != "/namnder/UPH/arenden" {
		t.Errorf("the UPH secretary's case list = %d → %q", w.Code, location(w))
	}
	nobody := newUser(t, cs.db, "ingen@example.se", domain.RoleGrant{}, true)
	nb := cs.as(t, nobody.Email)
	if w := nb.get("/arenden"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "ingen roll i någon nämnd") {
		t.Errorf("a user without roles: /arenden = %d", w.Code)
	}
}

// TestCaseListPages pages through more cases than one page holds.
func TestCaseListPages(t *testing.T) {
	t.Parallel()
	cs := newCaseSetup(t, storetest.NewSQLite(t))
	err := cs.db.InTx(cs.ctx, func(c *store.Conn) error {
		for i := 1; i <= cases.PageSize*2+5; i++ {
			if _, err := c.RegisterCase(cs.ctx, cs.gns, domain.Case{Title: fmt.Sprintf("Ärende %d", i), RegisteredOn: today()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := cs.as(t, "ledamot@demo.gns.example")
	body := b.get("/namnder/GNS/arenden").Body.String()
	older := regexpLink(body, "Äldre ärenden")
	if !strings.Contains(body, fmt.Sprintf("%d ärenden", 105+len(demo.Cases))) || !strings.Contains(body, ">"+cs.number(105)+"<") || strings.Contains(body, ">"+cs.number(55)+"<") || older == "" || regexpLink(body, "Nyare ärenden") != "" {
		t.Fatalf("first page: count, newest, page break or links wrong (older %q)", older)
	}
	body = b.get("/namnder/GNS/arenden" + older).Body.String()
	if !strings.Contains(body, ">"+cs.number(55)+"<") || !strings.Contains(body, ">"+cs.number(6)+"<") || strings.Contains(body, ">"+cs.number(5)+"<") {
		t.Error("second page does not hold 55 … 6")
	}
	third := b.get("/namnder/GNS/arenden" + regexpLink(body, "Äldre ärenden")).Body.String()
	if !strings.Contains(third, ">"+cs.number(1)+"<") || regexpLink(third, "Äldre ärenden") != "" {
		t.Error("third page does not end with case 1")
	}
	back := b.get("/namnder/GNS/arenden" + regexpLink(third, "Nyare ärenden")).Body.String()
	if !strings.Contains(back, ">"+cs.number(55)+"<") || !strings.Contains(back, ">"+cs.number(6)+"<") {
		t.Error("back from the third page is not the second page")
	}
	if w := b.get("/namnder/GNS/arenden?efter=x"); w.Code != http.StatusBadRequest {
		t.Errorf("a bad cursor = %d, want 400", w.Code)
	}
}

// regexpLink returns the query of the pager link with the text, "" if none.
func regexpLink(body, text string) string {
	i := strings.Index(body, `">`+text+`</a>`)
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(body[:i], `href="`)
	return strings.ReplaceAll(body[j+len(`href="`):i], "&amp;", "&")
}

// caseAPI calls the API with a bearer token and decodes the JSON answer.
func caseAPI(t *testing.T, h http.Handler, token, method, path string, body any) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out map[string]any
	json.Unmarshal(w.Body.Bytes(), &out)
	return w, out
}

// apiError returns the error object of an API answer.
func apiError(body map[string]any) map[string]any {
	e, _ := body["error"].(map[string]any)
	return e
}

// TestCaseAPI registers, finds, documents, links and closes cases through the
// JSON API, and checks its errors.
func TestCaseAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		h := cs.s.Handler()
		token := tokenFor(t, db, "sekretariat@demo.gns.example")
		w, body := caseAPI(t, h, token, "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": "Sammanträdestider 2027", "description": "Förslag på dagar i Åre."})
		if w.Code != http.StatusCreated || body["number"] != cs.number(1) || w.Header().Get("Location") != "/api/v1/cases/"+strings.TrimPrefix(cs.url(1), "/arenden/") {
			t.Fatalf("register = %d %v, Location %q", w.Code, body, w.Header().Get("Location"))
		}
		if events, _ := body["events"].([]any); len(events) != 1 {
			t.Errorf("events of a new case = %v", body["events"])
		}
		w, body = caseAPI(t, h, token, "GET", "/api/v1/cases/GNS/01/"+itoa(int64(cs.year)), nil)
		if w.Code != http.StatusOK || body["title"] != "Sammanträdestider 2027" || body["status"] != "registered" || body["url"] != cs.url(1) {
			t.Errorf("GET the case = %d %v", w.Code, body)
		}
		w, body = caseAPI(t, h, token, "GET", "/api/v1/committees/GNS/cases?q=%C3%85RE&year="+itoa(int64(cs.year)), nil)
		if cases, _ := body["cases"].([]any); w.Code != http.StatusOK || len(cases) != 1 || body["total"] != float64(1) || body["after"] != nil {
			t.Errorf("search = %d %v", w.Code, body)
		}

		// Errors are JSON with the right status and nothing is written.
		before := cs.counts(t)
		for _, tt := range []struct {
			name, method, path string
			body               any
			status             int
			code, field        string
		}{
			{"bad JSON", "POST", "/api/v1/committees/GNS/cases", `{"title": `, 400, "invalid", ""},
			{"unknown field", "POST", "/api/v1/committees/GNS/cases", `{"titel": "x"}`, 400, "invalid", ""},
			{"empty body", "POST", "/api/v1/committees/GNS/cases", ``, 400, "invalid", ""},
			{"title of 10 000 characters", "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": strings.Repeat("x", 10_000)}, 400, "invalid", "title"},
			{"another committee's number", "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": "x", "number": "UPH/1/2019"}, 400, "invalid", "number"},
			{"a taken number", "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": "x", "number": cs.number(1)}, 409, "conflict", "number"},
			{"a committee without a role", "POST", "/api/v1/committees/UPH/cases", map[string]string{"title": "x"}, 404, "not_found", ""},
			{"no such committee", "GET", "/api/v1/committees/XYZ/cases", nil, 404, "not_found", ""},
			{"no such case", "GET", "/api/v1/cases/GNS/99/2020", nil, 404, "not_found", ""},
			{"not a case number", "GET", "/api/v1/cases/GNS/x/2020", nil, 404, "not_found", ""},
			{"a bad status filter", "GET", "/api/v1/committees/GNS/cases?status=open", nil, 400, "invalid", "status"},
			{"a bad limit", "GET", "/api/v1/committees/GNS/cases?limit=1000", nil, 400, "invalid", "limit"},
			{"a bad status", "POST", "/api/v1/cases/GNS/1/" + itoa(int64(cs.year)) + "/status", map[string]string{"status": "closed"}, 400, "invalid", "status"},
			{"reopening an open case", "POST", "/api/v1/cases/GNS/1/" + itoa(int64(cs.year)) + "/reopen", nil, 409, "conflict", ""},
			{"a link to a missing case", "POST", "/api/v1/cases/GNS/1/" + itoa(int64(cs.year)) + "/links", map[string]string{"case": "GNS/77/2019"}, 400, "invalid", "case"},
			{"changing the number", "POST", "/api/v1/cases/GNS/1/" + itoa(int64(cs.year)), map[string]string{"number": "GNS/2/2019"}, 400, "invalid", "number"},
		} {
			w, body := caseAPI(t, h, token, tt.method, tt.path, tt.body)
			e := apiError(body)
			fields, _ := e["fields"].(map[string]any)
			if w.Code != tt.status || e["code"] != tt.code || e["message"] == "" || (tt.field != "" && fields[tt.field] == nil) {
				t.Errorf("%s: %d %v; want %d %s on %q", tt.name, w.Code, body, tt.status, tt.code, tt.field)
			}
		}
		if after := cs.counts(t); after != before {
			t.Errorf("refused API calls wrote something: %s → %s", before, after)
		}
		if w, body := caseAPI(t, h, tokenFor(t, db, "ledamot@demo.gns.example"), "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": "x"}); w.Code != http.StatusForbidden || apiError(body)["code"] != "forbidden" {
			t.Errorf("a member registering = %d %v", w.Code, body)
		}

		// Documents: upload over the API and download.
		base := "/api/v1/cases/GNS/1/" + itoa(int64(cs.year))
		upload := func(name string, content []byte) (*httptest.ResponseRecorder, map[string]any) {
			buf, ct := multipartBody(t, url.Values{"kind": {"decision_basis"}}, name, content, "")
			req := httptest.NewRequest("POST", base+"/documents", buf)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", ct)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			var out map[string]any
			json.Unmarshal(w.Body.Bytes(), &out)
			return w, out
		}
		w, body = upload("underlag.pdf", testPDF)
		sum := sha256.Sum256(testPDF)
		if w.Code != http.StatusCreated || body["sha256"] != hex.EncodeToString(sum[:]) || body["kind"] != "decision_basis" {
			t.Fatalf("upload = %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, token, "GET", body["url"].(string), nil); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), testPDF) {
			t.Errorf("download = %d", w.Code)
		}
		before = cs.counts(t)
		if w, body := upload("stor.pdf", append(append([]byte{}, testPDF...), make([]byte, domain.MaxCaseDocumentSize)...)); w.Code != http.StatusBadRequest || !strings.Contains(apiError(body)["message"].(string), "för stor") {
			t.Errorf("upload over the limit = %d %v", w.Code, body)
		}
		if w, body := upload("bild.png", testPDF); w.Code != http.StatusBadRequest || apiError(body)["fields"] == nil {
			t.Errorf("upload of the wrong type = %d %v", w.Code, body)
		}
		if after := cs.counts(t); after != before {
			t.Errorf("refused uploads wrote something: %s → %s", before, after)
		}

		// Change, link, status, close and reopen.
		caseAPI(t, h, token, "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": "Budget 2027"})
		u, _, _ := db.Conn().UserForLogin(cs.ctx, "sekretariat@demo.gns.example")
		if w, body := caseAPI(t, h, token, "POST", base, map[string]any{"handler_id": u.ID}); w.Code != http.StatusOK || body["handler"].(map[string]any)["name"] != "Sofia Nordin" || body["title"] != "Sammanträdestider 2027" {
			t.Errorf("update = %d %v", w.Code, body)
		}
		if w, body := caseAPI(t, h, token, "POST", base+"/links", map[string]string{"case": cs.number(2)}); w.Code != http.StatusCreated || body["number"] != cs.number(2) {
			t.Errorf("link = %d %v", w.Code, body)
		}
		if w, body := caseAPI(t, h, token, "POST", base+"/status", map[string]string{"status": "on_agenda", "note": "Till sammanträdet."}); w.Code != http.StatusOK || body["status"] != "on_agenda" {
			t.Errorf("status = %d %v", w.Code, body)
		}
		if w, body := caseAPI(t, h, token, "POST", base+"/close", map[string]string{"note": "Klart."}); w.Code != http.StatusOK || body["status"] != "closed" || body["closed_at"] == nil {
			t.Errorf("close = %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, token, "POST", base+"/documents", nil); w.Code != http.StatusConflict {
			t.Errorf("a document for a closed case = %d, want 409", w.Code)
		}
		w, body = caseAPI(t, h, token, "POST", base+"/reopen", nil)
		if w.Code != http.StatusOK || body["status"] != "in_preparation" {
			t.Errorf("reopen = %d %v", w.Code, body)
		}
		var kinds []string
		for _, e := range body["events"].([]any) {
			kinds = append(kinds, e.(map[string]any)["kind"].(string))
		}
		if got := strings.Join(kinds, " "); got != "registered document_added edited link_added status_changed closed reopened" {
			t.Errorf("timeline = %s", got)
		}
		if links := body["links"].([]any); len(links) != 1 || links[0].(map[string]any)["number"] != cs.number(2) {
			t.Errorf("links = %v", links)
		}
	})
}

// TestSimultaneousAPIRegistrations sends 50 registrations at once through the
// API: they get 50 distinct, consecutive numbers.
func TestSimultaneousAPIRegistrations(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		cs := newCaseSetup(t, db)
		token := tokenFor(t, db, "sekretariat@demo.gns.example")
		const n = 50
		var wg sync.WaitGroup
		seqs := make([]int, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				w, body := caseAPI(t, cs.s.Handler(), token, "POST", "/api/v1/committees/GNS/cases", map[string]string{"title": fmt.Sprintf("Samtidigt ärende %d", i)})
				if w.Code != http.StatusCreated {
					t.Errorf("registration %d = %d %v", i, w.Code, body)
					return
				}
				seq, _ := body["seq"].(float64)
				seqs[i] = int(seq)
			}()
		}
		close(start)
		wg.Wait()
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("numbers = %v, want 1 … %d each once", seqs, n)
			}
		}
	})
}

// TestBrowserCasePages takes the secretariat through the case pages in a
// browser: the list, a demo case, the form (with its errors) and closing,
// each checked for console errors, WCAG 2.1 AA (axe-core), fit and focus.
func TestBrowserCasePages(t *testing.T) {
	t.Parallel()
	b := browserAs(t, "sekretariat@demo.gns.example")
	b.Open("/arenden")
	wantHeading(t, b, "Ärenden – GNS")
	b.CheckPage("arenden")
	b.Fill("#f-sok", "ÅRE")
	b.ClickAndWait("form.filters button[type=submit]")
	if rows := b.FindAll("main tbody tr"); len(rows) == 0 {
		t.Error("searching for ÅRE finds no demo case")
	}
	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
		b.Resize(vp)
		b.Open("/arenden/GNS/3/2019")
		wantHeading(t, b, "Gemensam IT-serverdrift")
		b.CheckPage("arende-" + vp.Name)
		b.CheckFocusVisible()
	}
	b.Resize(browsertest.Desktop)

	b.Open("/namnder/GNS/arenden/ny")
	wantHeading(t, b, "Registrera ärende i GNS")
	b.CheckPage("arende-ny")
	b.ClickAndWait("main form button[type=submit]")
	wantFieldError(t, b, "title", "Ange en titel")
	b.CheckPage("arende-ny-fel", http.StatusBadRequest)
	b.Fill("#f-title", "Budget 2027")
	b.ClickAndWait("main form button[type=submit]")
	number := fmt.Sprintf("/arenden/GNS/1/%d", today().Year)
	if b.Path() != number {
		t.Fatalf("after registering the browser is at %s, want %s", b.Path(), number)
	}
	wantHeading(t, b, "Budget 2027")
	b.Open(number + "/avsluta")
	b.CheckPage("arende-avsluta")
	b.ClickAndWait("main form button[type=submit]")
	if !strings.Contains(b.Text(".facts"), "avslutat") {
		t.Errorf("after closing the case shows %q", b.Text(".facts"))
	}
}

// The case page says where the case has been: the meetings it was on, the
// paragraphs that decided it and the allocation split under it, to those who
// may read them.
func TestCasePageShowsMeetingsDecisionsAndAllocations(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		for _, c := range []struct {
			who       string
			wantMoney bool
		}{{"ekonom", true}, {"bracke", true}, {"ledamot", true}} {
			b := newBrowser(t, s.Handler())
			b.login(c.who+"@demo.gns.example", demo.Password)
			r := b.get("/arenden/GNS/2/2020")
			page := text(r.Body.String())
			for _, want := range []string{"Sammanträden och beslut", "Sammanträde 2020-12-14, punkt 6: Återstående medel från 2018", "Beslut: § 8/2020 Återstående medel från 2018"} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the case page lacks %q:\n%s", c.who, want, page)
				}
			}
			if got := strings.Contains(page, "Återbetalning av återstående medel från 2018 och 2019 – −468 091,00 kr, beslut GNS § 8/2020"); got != c.wantMoney {
				t.Errorf("%s: the case page shows its allocation: %v, want %v", c.who, got, c.wantMoney)
			}
		}
		// Who made a change is named, not given as an address or a system
		// label: a document the secretariat uploads, the demo's allocations.
		b := newBrowser(t, s.Handler())
		b.login("sekretariat@demo.gns.example", demo.Password)
		b.get("/arenden/GNS/2/2020")
		if r := b.postFile("/arenden/GNS/2/2020/handlingar", url.Values{"kind": {"officer_report"}, "title": {"Komplettering"}}, "komplettering.pdf", testPDF); r.Code != http.StatusSeeOther {
			t.Fatalf("upload = %d", r.Code)
		}
		page := text(b.get("/arenden/GNS/2/2020").Body.String())
		if !strings.Contains(page, "Sofia Nordin") || strings.Contains(page, "sekretariat@demo.gns.example") || strings.Contains(page, "system (demo)") {
			t.Errorf("the case page names uploaders by address or system label:\n%s", page)
		}
		if page := text(b.get("/fordelningar/1").Body.String()); !strings.Contains(page, "av GNS (demodata)") || strings.Contains(page, "system (demo)") {
			t.Errorf("the allocation page does not say the demo data saved it:\n%s", page)
		}
	})
}
