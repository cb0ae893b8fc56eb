package web

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
)

// economyCommitteeSetup loads the demo and adds a second committee, SAM,
// hosted by the region with all nine parties and without any economy yet,
// with an economist of its own (a demo user, so no second factor), who is
// logged in on the browser returned.
func economyCommitteeSetup(t *testing.T, db *store.DB) (*Server, *browser, domain.Committee) {
	t.Helper()
	s, _ := newTestServer(t, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	var sam domain.Committee
	err := db.InTx(ctx, func(c *store.Conn) error {
		region, err := c.PartyBySlug(ctx, "region-jh")
		if err != nil {
			return err
		}
		sam, err = c.CreateCommittee(ctx, domain.Committee{Code: "SAM", Name: "Gemensam nämnd för samverkan (test)", StartedOn: domain.MustDate("2018-07-01"), HostPartyID: region.ID})
		if err != nil {
			return err
		}
		for i, p := range demo.Parties {
			party, err := c.PartyBySlug(ctx, p.Slug)
			if err != nil {
				return err
			}
			if err := c.AddMembership(ctx, domain.Membership{CommitteeID: sam.ID, PartyID: party.ID, Position: i + 1, From: sam.StartedOn}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	newUser(t, db, "ekonom@sam.example", domain.RoleGrant{Role: domain.RoleEconomist, CommitteeID: sam.ID}, true)
	b := newBrowser(t, s.Handler())
	if w := b.login("ekonom@sam.example", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("login = %d", w.Code)
	}
	return s, b, sam
}

// rowIDs reads the row ids of the mapping form's select, by row name.
func rowIDs(t *testing.T, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<option value="(\d+)"[^>]*>([^<]+)</option>`).FindAllStringSubmatch(page, -1) {
		out[m[2]] = m[1]
	}
	if len(out) == 0 {
		t.Fatalf("no rows in the form:\n%s", page)
	}
	return out
}

// flashAfter follows a redirect and returns the page it leads to.
func follow(t *testing.T, b *browser, w interface{ Header() http.Header }, code int) string {
	t.Helper()
	if code != http.StatusSeeOther {
		t.Fatalf("status %d, want a redirect:\n%s", code, b.last)
	}
	to := w.Header().Get("Location")
	if r := b.get(to); r.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", to, r.Code)
	}
	return html.UnescapeString(plain(b.last))
}

// mapDemoAccounts maps the demo's account ranges through the mapping form,
// range by range as the economist types them, and returns the row ids by
// row name.
func mapDemoAccounts(t *testing.T, b *browser, base string) map[string]string {
	t.Helper()
	b.get(base + "/kontoplan")
	ids := rowIDs(t, b.last)
	for _, r := range demo.AccountRanges {
		name := map[string]string{"forsaljning": "Försäljning", "sjukvardsartiklar": "Sjukvårdsart, övr mat o varor", "personalkostnader": "Personalkostnader",
			"konsultkostnader": "Konsultkostnader", "ovriga-kostnader": "Övriga kostnader", "avskrivningar": "Avskrivningar/finansnetto"}[r.Row]
		w := b.post(base+"/kontoplan", url.Values{"from_account": {r.From}, "to_account": {r.To}, "row": {ids[name]}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("mapping %s–%s = %d: %s", r.From, r.To, w.Code, b.last)
		}
	}
	return ids
}

var importLink = regexp.MustCompile(`/namnder/SAM/ekonomi/import/(\d+)`)

// TestEconomistMakesTheDelarsrapport is the "done when", tried as a
// new economist would: map the accounts, import the demo SIE file, see the
// preview, commit it (with the file's budget), make "Delårsrapport augusti
// 2020", check its table against the seed's figures, download the PDF and
// the XLSX, finalise it, and find the period locked.
func TestEconomistMakesTheDelarsrapport(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b, sam := economyCommitteeSetup(t, db)
		base := "/namnder/SAM/ekonomi"
		if w := b.get("/ekonomi"); w.Code != http.StatusFound || location(w) != base {
			t.Fatalf("/ekonomi = %d → %s", w.Code, location(w))
		}
		if w := b.get(base); w.Code != http.StatusOK || !strings.Contains(b.last, "Inget utfall är inläst") {
			t.Fatalf("overview = %d", w.Code)
		}

		// The mapping, range by range, as the economist types it.
		ids := mapDemoAccounts(t, b, base)
		// An overlapping range is refused on the form.
		w := b.post(base+"/kontoplan", url.Values{"from_account": {"3650"}, "to_account": {"3700"}, "row": {ids["Övriga intäkter"]}})
		if w.Code != http.StatusBadRequest || !strings.Contains(b.last, "överlappar 3600–3699") || !strings.Contains(b.last, `aria-invalid="true"`) {
			t.Errorf("overlap = %d", w.Code)
		}

		// Upload: the preview.
		b.get(base + "/import")
		w = b.postFile(base+"/import", url.Values{"format": {"sie"}}, demo.August2020FileName, demo.August2020SIE)
		page := follow(t, b, w, w.Code)
		for _, want := range []string{"Förhandsvisning, inte inläst", "Utfall per rad", "januari–december 2019", "januari–augusti 2020",
			"<th scope=\"row\">Försäljning</th>", "2 150 870,00 kr", "−615 154,00 kr", "−1 473 812,00 kr", "−19 030,00 kr",
			"Balanskontona 1510, 2440, 2920", "Läs in importen", "Spara även filens budget"} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview lacks %q", want)
			}
		}
		if n := strings.Count(page, "<td>ny</td>"); n != 20 {
			t.Errorf("%d periods marked new, want 20", n)
		}
		id := importLink.FindStringSubmatch(location(w))[1]
		if b.get(base + "/import/" + id + "?manad=2020-08"); !strings.Contains(b.last, "augusti 2020") {
			t.Error("the month view is missing")
		}

		// Commit, with the file's budget for 2020.
		w = b.post(base+"/import/"+id+"/las-in", url.Values{"save_budget": {"on"}, "budget_year": {"2020"}, "base_funding": {"914 400"}})
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "Importen är inläst: 20 perioder fick nytt utfall. Budget 2020 version 1 är sparad.") || !strings.Contains(page, "Inläst ") {
			t.Errorf("after commit:\n%s", page)
		}
		// The same file again is not read in twice.
		b.get(base + "/import")
		w = b.postFile(base+"/import", url.Values{"format": {"sie"}}, "kopia.se", demo.August2020SIE)
		if page := follow(t, b, w, w.Code); !strings.Contains(page, "Filen är redan inläst (import "+id+"). Inget har lästs in på nytt.") {
			t.Errorf("the same file again:\n%s", page)
		}

		// The report.
		b.get(base + "/rapporter")
		if !strings.Contains(b.last, `value="2020-08"`) {
			t.Error("the report form does not offer the latest month")
		}
		w = b.post(base+"/rapporter", url.Values{"period": {"2020-08"}})
		page = follow(t, b, w, w.Code)
		reportURL := location(w)
		for _, want := range []string{"<h1>Delårsrapport augusti 2020</h1>", "Utkast", "budget version 1",
			`<th scope="row">Försäljning</th><td class="num" title="2 150 870,00 kr">2 151</td><td class="num" title="1 610 000,00 kr">1 610</td><td class="num" title="540 870,00 kr">541</td><td class="num" title="2 204 421,00 kr">2 204</td><td class="num" title="−53 551,00 kr">−54</td>`,
			`<strong>Summa bruttokostnader</strong></th><td class="num" title="−2 169 900,00 kr"><strong>−2 170</strong></td><td class="num" title="−1 661 500,00 kr"><strong>−1 662</strong></td><td class="num" title="−508 400,00 kr"><strong>−508</strong></td>`,
			`<td class="num" title="32 470,00 kr"><strong>32</strong></td>`,
			"Avrundningsdifferenser kan förekomma", "Utfallet för januari–augusti 2020 är +32 tkr jämfört med budget."} {
			if !strings.Contains(page, want) {
				t.Errorf("the report page lacks %q", want)
			}
		}
		// The economist edits the events before finalising; HTML stays text.
		w = b.post(reportURL, url.Values{"summary": {"Ekonomiskt utfall\n\n<b>+32 tkr</b> mot budget."}, "events": {"Genomförandeprojektet Link2 är avslutat."},
			"income_comment": {"Basarvode 543 tkr."}, "cost_comment": {""}, "result_comment": {"Utfallet är +32 tkr jämfört med budget."}, "action": {"save"}})
		if page := follow(t, b, w, w.Code); !strings.Contains(page, "Texterna är sparade.") || !strings.Contains(b.last, "&lt;b&gt;&#43;32 tkr&lt;/b&gt;") {
			t.Errorf("saving the texts:\n%s", page)
		}

		// The PDF: row names and figures in Swedish format.
		w = b.get(reportURL + "/pdf")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !strings.Contains(w.Header().Get("Content-Disposition"), "SAM-delarsrapport-2020-08-v1.pdf") {
			t.Fatalf("PDF = %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"))
		}
		text := pdftest.Text(t, w.Body.Bytes(), true)
		for _, want := range []string{"Delårsrapport augusti 2020", "Innehållsförteckning", "Sammanfattning", "Händelser av väsentlig betydelse", "Ekonomiskt resultat",
			"Genomförandeprojektet Link2 är avslutat.", "<b>+32 tkr</b> mot budget.",
			"Försäljning 2 151 1 610 541 2 204 −54", "Personalkostnader −615 −615 0 −1 097 481", "Sjukvårdsart, övr mat o varor 0 0 0 −4 4",
			"Konsultkostnader −1 474 −1 015 −459 −1 386 −88", "Övriga kostnader −81 −32 −49 −11 −70", "Avskrivningar/finansnetto 0 0 0 −200 200",
			"Summa intäkter 2 151 1 610 541 2 204 −54", "Summa bruttokostnader −2 170 −1 662 −508 −2 697 527",
			"Summa verksamhetens nettokostnader −19 −52 32 −493 474", "Avrundningsdifferenser kan förekomma.", "Sida 1 av 3"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}

		// The XLSX: the table with numbers as numbers.
		w = b.get(reportURL + "/xlsx")
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("XLSX = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		sheet := xlsxSheet(t, w.Body.Bytes())
		for _, want := range []string{`<v>2150870</v>`, `<v>-1473812</v>`, `<f>B6-C6</f><v>540870</v>`, `<v>-19030</v>`, "Summa verksamhetens nettokostnader"} {
			if !strings.Contains(sheet, want) {
				t.Errorf("the sheet lacks %s", want)
			}
		}

		// Finalise: confirm, then frozen with its hash.
		if w := b.get(reportURL + "/faststall"); w.Code != http.StatusOK || !strings.Contains(b.last, "låses") {
			t.Fatalf("confirm = %d", w.Code)
		}
		w = b.post(reportURL+"/faststall", nil)
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "version 1 är fastställd") || !strings.Contains(page, "Fastställd ") || strings.Contains(page, "Spara texterna") {
			t.Errorf("after finalising:\n%s", page)
		}
		frozen := b.get(reportURL + "/pdf").Body.Bytes()
		ctx := context.Background()
		reports, _ := db.Conn().InterimReports(ctx, sam.ID)
		if len(reports) != 1 || !reports[0].Final() {
			t.Fatalf("reports = %+v", reports)
		}
		stored, _ := db.Conn().InterimReportPDF(ctx, reports[0].ID)
		if !bytes.Equal(frozen, stored) || !strings.Contains(pdftest.Text(t, frozen, true), "Fastställd") {
			t.Error("the downloaded PDF is not the frozen one")
		}
		if w := b.post(reportURL, url.Values{"summary": {"ändrad"}, "action": {"save"}}); w.Code != http.StatusConflict {
			t.Errorf("editing a finalised report = %d", w.Code)
		}

		// The months are locked: an import that changes March is refused whole.
		b.get(base + "/import")
		w = b.postFile(base+"/import", url.Values{"format": {"csv"}, "year": {"2020"}}, "mars.csv", []byte("konto;period;belopp\n3611;2020-03;-1000\n"))
		csvID := importLink.FindStringSubmatch(location(w))[1]
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "Perioden 2020-03 är låst") || strings.Contains(page, "Läs in importen") {
			t.Errorf("the locked period's preview:\n%s", page)
		}
		if w := b.post(base+"/import/"+csvID+"/las-in", nil); w.Code != http.StatusBadRequest || !strings.Contains(plain(b.last), "Perioden 2020-03 är låst") {
			t.Errorf("committing into a locked period = %d", w.Code)
		}

		// A new version keeps the first.
		w = b.post(reportURL+"/ny-version", nil)
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "Version 2 är påbörjad") || !strings.Contains(page, "Genomförandeprojektet Link2 är avslutat.") {
			t.Errorf("new version:\n%s", page)
		}

		// The budget PDF of 2020: the rows, the base funding in equal shares
		// (computed: no allocation is saved) and the payment plan.
		w = b.get(base + "/budget/2020/pdf")
		if w.Code != http.StatusOK {
			t.Fatalf("budget PDF = %d: %s", w.Code, b.last)
		}
		text = pdftest.Text(t, w.Body.Bytes(), true)
		for _, want := range []string{"Budget 2020", "Försäljning 2 415", "Basfinansieringen för 2020 är 914 400,00 kr", "Bräcke kommun lika delar, 1/9 101 600,00 kr", "Betalningsplan", "januari 2020"} {
			if !strings.Contains(text, want) {
				t.Errorf("the budget PDF lacks %q:\n%s", want, text)
			}
		}
	})
}

// xlsxSheet returns the first sheet of a workbook.
func xlsxSheet(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			r, _ := f.Open()
			data, _ := io.ReadAll(r)
			return string(data)
		}
	}
	t.Fatal("no sheet1.xml")
	return ""
}

// TestImportRejects uploads bad files: each is refused with a clear Swedish
// message tied to the file field, and nothing is kept.
func TestImportRejects(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b, sam := economyCommitteeSetup(t, db)
		base := "/namnder/SAM/ekonomi"
		good := string(demo.August2020SIE)
		tests := []struct {
			name   string
			format string
			year   string
			file   string
			data   string
			want   string
		}{
			{"truncated SIE", "sie", "", "kort.se", good[:len(good)/2], "SIE-filen kan inte läsas: rad "},
			{"malformed SIE", "sie", "", "fel.se", strings.Replace(good, "#RAR 0 20200101 20201231", "#RAR 0 2020-01-01 20201231", 1), "SIE-filen kan inte läsas: rad 10:"},
			{"CSV period outside the year", "csv", "2020", "fel.csv", "3611;2020-12;-1\n3611;2021-01;-1\n", "rad 2: perioden 2021-01 ligger utanför räkenskapsåret 2020"},
			{"CSV amount with letters", "csv", "2020", "fel.csv", "konto;period;belopp\n3611;2020-01;12 3a4\n", "rad 2: Beloppet"},
			{"CSV without a year", "csv", "", "fel.csv", "3611;2020-01;-1\n", "Ange räkenskapsåret"},
			{"no file", "sie", "", "", "", "Välj en fil"},
		}
		for _, tt := range tests {
			b.get(base + "/import")
			w := b.postFile(base+"/import", url.Values{"format": {tt.format}, "year": {tt.year}}, tt.file, []byte(tt.data))
			if w.Code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(plain(b.last)), tt.want) || !strings.Contains(b.last, "error-summary") {
				t.Errorf("%s: %d, want 400 with %q:\n%s", tt.name, w.Code, tt.want, b.last)
			}
		}
		if imports, _ := db.Conn().Imports(context.Background(), sam.ID); len(imports) != 0 {
			t.Errorf("refused files left %d imports", len(imports))
		}

		// An account no row takes: shown, and the commit refused.
		b.get(base + "/import")
		w := b.postFile(base+"/import", url.Values{"format": {"csv"}, "year": {"2020"}}, "okand.csv", []byte("3999;2020-01;-100\n"))
		id := importLink.FindStringSubmatch(location(w))[1]
		page := follow(t, b, w, w.Code)
		if !strings.Contains(page, "Konton utan rad") || !strings.Contains(page, "Kontot 3999 hör inte till någon rad") || strings.Contains(page, "Läs in importen") {
			t.Errorf("unmapped preview:\n%s", page)
		}
		if w := b.post(base+"/import/"+id+"/las-in", nil); w.Code != http.StatusBadRequest {
			t.Errorf("commit with an unmapped account = %d", w.Code)
		}
		if cov, _ := db.Conn().CoveredPeriods(context.Background(), sam.ID, finance.Period{Year: 2020, Month: 1}, finance.Period{Year: 2020, Month: 12}); len(cov) != 0 {
			t.Error("a refused import was read in")
		}

		// A file as BL Administration writes it (no final line break, #KTYP
		// 1930 O, #PBUDGET without {}): the preview lists the faults in the
		// records GNS does not use, with their lines (this committee has no
		// account mapping, so its accounts are the obstacles).
		bl, err := os.ReadFile("../reports/sie/testdata/bl-administration-2020-01.se")
		if err != nil {
			t.Fatal(err)
		}
		b.get(base + "/import")
		w = b.postFile(base+"/import", url.Values{"format": {"sie"}}, "bl.se", bl)
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "Att observera") || !strings.Contains(page, `SIE-filen, rad 11: kontotypen "O" ska vara T, S, K eller I`) ||
			!strings.Contains(page, "SIE-filen, rad 16: #PBUDGET") {
			t.Errorf("the BL file's preview:\n%s", page)
		}

		// A budget with a word for an amount: the field says so, nothing saved.
		b.get(base + "/budget/2021")
		w = b.post(base+"/budget/2021", url.Values{"base_funding": {"niohundra"}, "payment_months": {"13"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(plain(b.last)), `Beloppet "niohundra" är inte ett tal.`) || !strings.Contains(b.last, "nummer 1–12") {
			t.Errorf("bad budget = %d", w.Code)
		}
		if years, _ := db.Conn().BudgetYears(context.Background(), sam.ID); len(years) != 0 {
			t.Errorf("a refused budget was saved: %v", years)
		}
	})
}

// TestEconomyAccess checks who reads and who writes the economy of the demo
// committee, whose data the demo loads.
func TestEconomyAccess(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	ctx := context.Background()
	if _, err := demo.LoadEconomy(ctx, s.DB); err != nil {
		t.Fatal(err)
	}
	reports, _ := s.DB.Conn().Imports(ctx, 1)
	_ = reports
	// The staff read every page; the parties and members the decided
	// economy (budget, carry-forward, reports) but not the mapping or the
	// imports (TestEconomyOpenToParties goes further).
	pages := []string{"/namnder/GNS/ekonomi", "/namnder/GNS/ekonomi/kontoplan", "/namnder/GNS/ekonomi/budget/2021", "/namnder/GNS/ekonomi/overforingar",
		"/namnder/GNS/ekonomi/import", "/namnder/GNS/ekonomi/import/1", "/namnder/GNS/ekonomi/rapporter"}
	open := map[string]bool{"/namnder/GNS/ekonomi": true, "/namnder/GNS/ekonomi/budget/2021": true, "/namnder/GNS/ekonomi/overforingar": true, "/namnder/GNS/ekonomi/rapporter": true}
	for _, du := range demo.Users {
		b := newBrowser(t, s.Handler())
		b.login(du.Email, demo.Password)
		read := du.Role == domain.RoleEconomist || du.Role == domain.RoleSecretariat || du.Role == domain.RoleAdmin || du.Role == domain.RoleAuditor
		write := du.Role == domain.RoleEconomist || du.Role == domain.RoleAdmin
		for _, p := range pages {
			want := http.StatusForbidden
			if read || open[p] {
				want = http.StatusOK
			}
			if w := b.get(p); w.Code != want {
				t.Errorf("GET %s as %s = %d, want %d", p, du.Role, w.Code, want)
			}
			if read && strings.Contains(b.last, "Läs filen och förhandsgranska") != write && p == "/namnder/GNS/ekonomi/import" {
				t.Errorf("%s sees the upload form: %v", du.Role, !write)
			}
		}
		b.get("/konto")
		w := b.post("/namnder/GNS/ekonomi/rapporter", url.Values{"period": {"2020-08"}})
		if write && w.Code != http.StatusSeeOther || !write && w.Code != http.StatusForbidden {
			t.Errorf("POST a report as %s = %d", du.Role, w.Code)
		}
	}
	// The demo's report reads back with the seed's bottom line.
	b := newBrowser(t, s.Handler())
	b.login("revisor@demo.gns.example", demo.Password)
	b.get("/namnder/GNS/ekonomi/rapporter")
	id := regexp.MustCompile(`/namnder/GNS/ekonomi/rapporter/(\d+)`).FindStringSubmatch(b.last)
	if id == nil {
		t.Fatal("no report listed")
	}
	if w := b.get(id[0]); w.Code != http.StatusOK || !strings.Contains(plain(b.last), `title="32 470,00 kr"`) {
		t.Errorf("the auditor's view of the report = %d", w.Code)
	}
}

// TestBudgetAndCarryForwardPages saves budget versions and records
// carry-forward movements through the forms, refused input included.
func TestBudgetAndCarryForwardPages(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b, sam := economyCommitteeSetup(t, db)
		_ = s
		ctx := context.Background()
		base := "/namnder/SAM/ekonomi"

		// Budget: the first version, then a revision; both stay.
		if w := b.get(base + "/budget"); w.Code != http.StatusFound {
			t.Fatalf("budget index = %d", w.Code)
		}
		b.get(base + "/budget/2021")
		if !strings.Contains(b.last, "Det finns ingen budget för 2021.") {
			t.Error("an empty year does not say so")
		}
		rows, _ := db.Conn().ReportRows(ctx, sam.ID)
		field := func(key string) string {
			for _, r := range rows {
				if r.Key == key {
					return "row_" + itoa(r.ID)
				}
			}
			t.Fatalf("no row %s", key)
			return ""
		}
		w := b.post(base+"/budget/2021", url.Values{"base_funding": {"914 400"}, "payment_months": {"1"}, "decision": {"GNS/8/2020"},
			field("forsaljning"): {"2 415 000"}, field("personalkostnader"): {"−922 350"}})
		page := follow(t, b, w, w.Code)
		if !strings.Contains(page, "Budget 2021 version 1 är sparad.") || !strings.Contains(page, "−922 350,00 kr") || !strings.Contains(page, "1 492 650,00 kr") {
			t.Errorf("after the first version:\n%s", page)
		}
		w = b.post(base+"/budget/2021", url.Values{"base_funding": {"600000"}, "payment_months": {"1, 7"}, field("forsaljning"): {"1 200 000"}})
		page = follow(t, b, w, w.Code)
		if !strings.Contains(page, "version 2 är sparad") || !strings.Contains(page, "Version 1</a>, sparad") {
			t.Errorf("after the revision:\n%s", page)
		}
		if b.get(base + "/budget/2021?version=1"); !strings.Contains(plain(b.last), "914 400,00 kr") || !strings.Contains(b.last, "inte den gällande") {
			t.Error("the first version is not shown on request")
		}

		// Carry-forward: the 2018 result, an earmark, and a refund through a
		// refund allocation; an amount above what is left is refused.
		post := func(v url.Values) (int, string) {
			b.get(base + "/overforingar")
			w := b.post(base+"/overforingar", v)
			if w.Code == http.StatusSeeOther {
				return w.Code, follow(t, b, w, w.Code)
			}
			return w.Code, html.UnescapeString(plain(b.last))
		}
		if code, page := post(url.Values{"kind": {"result"}, "origin_year": {"2018"}, "date": {"2019-02-15"}, "amount": {"745 000"}}); code != http.StatusSeeOther ||
			!strings.Contains(page, "Årets resultat överfört till 2019") {
			t.Fatalf("result = %d:\n%s", code, page)
		}
		if code, page := post(url.Values{"kind": {"earmark"}, "origin_year": {"2018"}, "date": {"2020-02-14"}, "amount": {"417 000"},
			"purpose": {"Projekt Digital transformation"}, "decision": {"GNS § 8/2020"}}); code != http.StatusSeeOther || !strings.Contains(page, "Öronmärkt") {
			t.Fatalf("earmark = %d:\n%s", code, page)
		}
		if code, page := post(url.Values{"kind": {"use"}, "origin_year": {"2018"}, "date": {"2020-03-01"}, "amount": {"400 000"}, "decision": {"GNS § 9/2020"}}); code != http.StatusBadRequest ||
			!strings.Contains(page, "Beloppet 400 000,00 kr är mer än det som inte är öronmärkt") || !strings.Contains(b.last, `id="f-amount" name="amount" value="400 000"`) {
			t.Errorf("too much = %d:\n%s", code, page)
		}
		var refund finance.Allocation
		err := db.InTx(ctx, func(c *store.Conn) error {
			var shares []finance.AllocationShare
			parties, err := c.CommitteeParties(ctx, sam.ID)
			if err != nil {
				return err
			}
			for i, p := range parties {
				amount := "-46333.33"
				if i == 0 {
					amount = "-46333.36"
				}
				shares = append(shares, finance.AllocationShare{PartyID: p.ID, PartyName: p.Name, Host: i == 0, Amount: decimalOf(amount), Quota: decimalOf("-46333.3333333333"), Weight: decimalOf("1"), WeightKind: "equal"})
			}
			refund, err = c.CreateAllocation(ctx, finance.Allocation{CommitteeID: sam.ID, Kind: finance.AllocationRefund, Title: "Återbetalning av överskott 2018",
				Method: "equal", Unit: "ore", Total: decimalOf("-417000"), BudgetYear: 2020, Decision: "GNS § 40/2020", Shares: shares})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b.get(base + "/overforingar")
		earmark := regexp.MustCompile(`<option value="(\d+)">2018: Projekt Digital transformation`).FindStringSubmatch(b.last)
		if earmark == nil || !strings.Contains(b.last, "Återbetalning av överskott 2018") {
			t.Fatalf("the form does not offer the earmark and the refund:\n%s", b.last)
		}
		code, page := post(url.Values{"kind": {"refund"}, "origin_year": {"2018"}, "date": {"2020-12-14"}, "earmark": {earmark[1]}, "allocation": {itoa(refund.ID)}})
		if code != http.StatusSeeOther || !strings.Contains(page, "Återbetalt: 417 000,00 kr av medlen från 2018") || !strings.Contains(page, "fördelning "+itoa(refund.ID)) {
			t.Errorf("refund = %d:\n%s", code, page)
		}
		l, _ := db.Conn().CarryLedger(ctx, sam.ID)
		if y := l.Year(2018); !y.Balance().Equal(decimalOf("328000")) || !y.Refunded.Equal(decimalOf("417000")) || !y.Earmarked.IsZero() {
			t.Errorf("the ledger after the refund: %+v", y)
		}

		// The mapping: a range retired is gone from the mapping and stays in
		// the database.
		b.get(base + "/kontoplan")
		ids := rowIDs(t, b.last)
		b.post(base+"/kontoplan", url.Values{"from_account": {"3000"}, "row": {ids["Patientavgifter"]}})
		m, _ := db.Conn().AccountMapping(ctx, sam.ID)
		if len(m) != 1 || m[0].String() != "3000" {
			t.Fatalf("mapping = %+v", m)
		}
		b.get(base + "/kontoplan")
		if w := b.post(base+"/kontoplan/"+itoa(m[0].ID)+"/ta-bort", nil); w.Code != http.StatusSeeOther {
			t.Errorf("retire = %d", w.Code)
		}
		if m, _ := db.Conn().AccountMapping(ctx, sam.ID); len(m) != 0 {
			t.Errorf("the retired range is still in force")
		}
	})
}

func decimalOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }
