package interim

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/reports/xlsx"
	"github.com/region-jh/gns/sv"
)

const committee = "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner"

// august2020Table is the seed's table in exact kronor
// (reports/sie/testdata/README.md), with object 6663's revenue.
func august2020Table() finance.InterimTable {
	var rows []finance.ReportRow
	for i, r := range finance.DefaultReportRows {
		r.ID, r.Position = int64(i+1), i+1
		rows = append(rows, r)
	}
	id := map[string]int64{}
	for _, r := range rows {
		id[r.Key] = r.ID
	}
	d := decimal.RequireFromString
	actual := map[int64]decimal.Decimal{id["forsaljning"]: d("2150870"), id["personalkostnader"]: d("-615154"), id["konsultkostnader"]: d("-1473812"), id["ovriga-kostnader"]: d("-80934")}
	budget := map[int64]decimal.Decimal{id["forsaljning"]: d("1610000"), id["personalkostnader"]: d("-614900"), id["konsultkostnader"]: d("-1014600"), id["ovriga-kostnader"]: d("-32000")}
	prior := map[int64]decimal.Decimal{id["forsaljning"]: d("2204421"), id["personalkostnader"]: d("-1096577"), id["sjukvardsartiklar"]: d("-3862"),
		id["konsultkostnader"]: d("-1385643"), id["ovriga-kostnader"]: d("-11018"), id["avskrivningar"]: d("-200000")}
	t := finance.BuildInterimTable(finance.Period{Year: 2020, Month: time.August}, rows, actual, budget, prior)
	t.Objects = []finance.ObjectTotal{{Dimension: 1, Object: "6663", Name: "Serverdrift Åre kommun", RowName: "Försäljning", Kind: finance.RowRevenue, Amount: d("1607410")}}
	return t
}

func august2020Report() Report {
	tab := august2020Table()
	r := finance.InterimReport{Period: tab.Period, Version: 1, Title: Title(tab.Period), Status: finance.ReportDraft}
	DefaultTexts(&r, tab, []meeting.Paragraph{{Number: 8, Year: 2020, Title: "Återstående medel från 2018",
		Decision: "Återstående medel från 2018 används till att finansiera projekt Digital transformation."}})
	return Report{Committee: committee, Host: "Region Jämtland Härjedalen", Texts: r, Table: tab, Created: time.Date(2020, 9, 10, 8, 0, 0, 0, time.UTC)}
}

func TestTitles(t *testing.T) {
	t.Parallel()
	for p, want := range map[finance.Period]string{
		{Year: 2020, Month: time.August}:   "Delårsrapport augusti 2020",
		{Year: 2021, Month: time.April}:    "Tertialrapport april 2021",
		{Year: 2020, Month: time.December}: "Årsbokslut 2020",
		{Year: 2021, Month: time.March}:    "Ekonomisk uppföljning mars 2021",
	} {
		if got := Title(p); got != want {
			t.Errorf("Title(%v) = %q, want %q", p, got, want)
		}
	}
	if got := Span(finance.Period{Year: 2020, Month: time.August}); got != "januari–augusti 2020" {
		t.Errorf("Span = %q", got)
	}
	if got := SignedTkr(decimal.NewFromInt(32470)) + " " + SignedTkr(decimal.NewFromInt(-508400)) + " " + SignedTkr(decimal.NewFromInt(-400)); got != "+32 −508 0" {
		t.Errorf("SignedTkr = %q", got)
	}
	parts := Instalments(decimal.RequireFromString("101600.01"), 3)
	if len(parts) != 3 || parts[0].String() != "33866.67" || parts[2].String() != "33866.67" || !parts[0].Add(parts[1]).Add(parts[2]).Equal(decimal.RequireFromString("101600.01")) {
		t.Errorf("Instalments = %v", parts)
	}
}

func TestDefaultTexts(t *testing.T) {
	t.Parallel()
	r := august2020Report().Texts
	for _, want := range []string{
		"Utfallet för januari–augusti 2020 är +32 tkr jämfört med budget.",
	} {
		if !strings.Contains(plainSpaces(r.Summary), want) {
			t.Errorf("summary %q lacks %q", r.Summary, want)
		}
	}
	if r.Events != "Återstående medel från 2018 (§ 8/2020): Återstående medel från 2018 används till att finansiera projekt Digital transformation." {
		t.Errorf("events = %q", r.Events)
	}
	if got := plainSpaces(r.IncomeComment); !strings.Contains(got, "Intäkterna är 2 151 tkr mot budgeterade 1 610 tkr, en avvikelse på +541 tkr.") ||
		!strings.Contains(got, "Objekt 6663 (Serverdrift Åre kommun), försäljning: 1 607 tkr.") {
		t.Errorf("income comment = %q", got)
	}
	if got := plainSpaces(r.CostComment); got != "Bruttokostnaderna är −2 170 tkr mot budgeterade −1 662 tkr, en avvikelse på −508 tkr." {
		t.Errorf("cost comment = %q", got)
	}
	if got := plainSpaces(r.ResultComment + " " + r.PriorComment); !strings.Contains(got, "Utfallet är +32 tkr jämfört med budget.") || !strings.Contains(got, "mot −493 tkr samma period föregående år, en förändring på +474 tkr") {
		t.Errorf("result comment = %q", got)
	}
}

func plainSpaces(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

// TestInterimPDFReadsBack builds the seed's delårsrapport and reads it back:
// title, contents, the sections, every row with its figures in tkr, the
// totals computed exactly (−2 170, −19, +32; the seed's own cells agree here
// only by luck of rounding), the rounding note, page numbers and embedded
// fonts.
func TestInterimPDFReadsBack(t *testing.T) {
	t.Parallel()
	b, err := BuildPDF(august2020Report())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b, true)
	for _, want := range []string{
		"Delårsrapport augusti 2020",
		committee,
		"Innehållsförteckning",
		"Sammanfattning", "Händelser av väsentlig betydelse", "Ekonomiskt resultat",
		"Återstående medel från 2018 (§ 8/2020)",
		"Patientavgifter 0 0 0 0 0",
		"Försäljning 2 151 1 610 541 2 204 −54",
		"Summa intäkter 2 151 1 610 541 2 204 −54",
		"Personalkostnader −615 −615 0 −1 097 481",
		"Sjukvårdsart, övr mat o varor 0 0 0 −4 4",
		"Konsultkostnader −1 474 −1 015 −459 −1 386 −88",
		"Övriga kostnader −81 −32 −49 −11 −70",
		"Avskrivningar/finansnetto 0 0 0 −200 200",
		"Summa bruttokostnader −2 170 −1 662 −508 −2 697 527",
		"Summa verksamhetens nettokostnader −19 −52 32 −493 474",
		"Avrundningsdifferenser kan förekomma.",
		"Sammanfattning Ekonomiskt utfall Utfallet för januari–augusti 2020 är +32 tkr jämfört med budget.",
		"Verksamhet Se Händelser av väsentlig betydelse.",
		"Verksamhetens utfall mot föregående år Verksamhetens nettokostnader är −19 tkr för januari–augusti 2020, mot −493 tkr samma period föregående år, en förändring på +474 tkr.",
		"Verksamhetens intäkter",
		"Objekt 6663 (Serverdrift Åre kommun), försäljning: 1 607 tkr.",
		"Utfall och budget per rad, tkr",
		"Utkast, version 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	pages := regexp.MustCompile(`Sida 1 av (\d+)`).FindStringSubmatch(text)
	if pages == nil || pages[1] != "3" {
		t.Errorf("page numbers: %v", pages)
	}
	if !regexp.MustCompile(`Sammanfattning[ .]*1 Händelser av väsentlig betydelse[ .]*1 Ekonomiskt resultat[ .]*2`).MatchString(text) {
		t.Errorf("table of contents with page numbers not found:\n%s", text)
	}
	lines := pdftest.Fonts(t, b)
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 5 || f[len(f)-5] != "yes" || !strings.Contains(f[0], "liberation") {
			t.Errorf("font not embedded: %s", l)
		}
	}
	if len(lines) == 0 {
		t.Error("no fonts")
	}
	again, err := BuildPDF(august2020Report())
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("two builds differ (err %v)", err)
	}
}

func TestInterimXLSX(t *testing.T) {
	t.Parallel()
	b, err := BuildXLSX(august2020Report())
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		parts[f.Name] = string(data)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/styles.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("the workbook lacks %s", name)
		}
	}
	sheet := parts["xl/worksheets/sheet1.xml"]
	for _, want := range []string{
		`<t xml:space="preserve">Försäljning</t>`,
		`<c r="B6" s="1"><v>2150870</v></c>`, // Försäljning, Ack utfall: a number in exact kronor
		`<c r="D6" s="1"><f>B6-C6</f><v>540870</v></c>`,
		`<f>SUM(B5,B6,B7,B8)</f><v>2150870</v>`,                                                                      // Summa intäkter
		`<f>SUM(B5,B6,B7,B8,B10,B11,B12,B13,B14,B15,B16,B17,B18,B19,B20,B21)</f><v>-19030</v>`,                       // the bottom line
		`<c r="E23" s="3"><f>SUM(E5,E6,E7,E8,E10,E11,E12,E13,E14,E15,E16,E17,E18,E19,E20,E21)</f><v>-492679</v></c>`, // last year
		"Avrundningsdifferenser kan förekomma.",
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet1.xml lacks %s", want)
		}
	}
	if !strings.Contains(parts["xl/workbook.xml"], `name="Delårsrapport augusti 2020"`) || !strings.Contains(parts["xl/styles.xml"], `formatCode="#,##0,;\-#,##0,;0"`) {
		t.Error("sheet name or tkr format missing")
	}
	again, _ := BuildXLSX(august2020Report())
	if !bytes.Equal(b, again) {
		t.Error("two builds differ")
	}
}

func TestBudgetPDF(t *testing.T) {
	t.Parallel()
	rows := make([]finance.ReportRow, 0, len(finance.DefaultReportRows))
	for i, r := range finance.DefaultReportRows {
		r.ID, r.Position = int64(i+1), i+1
		rows = append(rows, r)
	}
	d := decimal.RequireFromString
	// The base funding split as the allocation engine splits it (app tests
	// the split): 914 400 kr in nine equal shares of 101 600 kr.
	base := finance.Allocation{Kind: finance.AllocationBaseFunding, Title: "Basfinansiering 2021", Method: "equal", Unit: "ore", Total: d("914400"), BudgetYear: 2021}
	for i, name := range []string{"Region Jämtland Härjedalen", "Östersunds kommun", "Åre kommun", "Krokoms kommun", "Bergs kommun", "Bräcke kommun", "Ragunda kommun", "Strömsunds kommun", "Härjedalens kommun"} {
		base.Shares = append(base.Shares, finance.AllocationShare{PartyID: int64(i + 1), PartyName: name, Position: i + 1, Host: i == 0,
			Amount: d("101600"), Quota: d("101600"), Weight: decimal.NewFromInt(1), WeightKind: "equal"})
	}
	project := finance.Allocation{ID: 7, Kind: finance.AllocationProject, Title: "Projekt Digital transformation", Method: "population", Total: d("100000"),
		ReferenceDate: domain.MustDate("2020-12-31"), Decision: "GNS § 12/2021",
		Shares: []finance.AllocationShare{{PartyName: "Bräcke kommun", Amount: d("27000"), WeightKind: "population", Population: 6181, PopulationDate: domain.MustDate("2020-12-31")},
			{PartyName: "Krokoms kommun", Amount: d("73000"), WeightKind: "population", Population: 15054, PopulationDate: domain.MustDate("2020-12-31")}}}
	b2021 := finance.Budget{Year: 2021, Version: 2, BaseFunding: d("914400"), PaymentMonths: []time.Month{time.January, time.July}, Decision: "GNS/8/2020",
		Lines: []finance.BudgetLine{{RowID: 2, Annual: d("2415000")}, {RowID: 6, Annual: d("-922350")}}, CreatedBy: "ekonom", CreatedAt: time.Date(2020, 12, 14, 9, 0, 0, 0, time.UTC)}
	b2020 := finance.Budget{Year: 2020, Lines: []finance.BudgetLine{{RowID: 2, Annual: d("2400000")}}}
	report := BudgetReport{Committee: committee, Host: "Region Jämtland Härjedalen", Rows: rows, Budget: b2021, Previous: &b2020,
		Base: base, Projects: []finance.Allocation{project, subsetProject(), mixedProject()}, Created: time.Date(2020, 12, 14, 9, 0, 0, 0, time.UTC)}
	x, err := BuildBudgetXLSX(report)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		r, _ := f.Open()
		sheet, _ := io.ReadAll(r)
		for _, want := range []string{`<c r="B6" s="1"><v>2415000</v></c>`, `<c r="D6" s="1"><f>B6-C6</f><v>15000</v></c>`, `<f>SUM(B10,B11,B12,B13,B14,B15,B16,B17,B18,B19,B20,B21)</f><v>-922350</v>`} {
			if !strings.Contains(string(sheet), want) {
				t.Errorf("the budget sheet lacks %s", want)
			}
		}
	}
	b, err := BuildBudgetPDF(report)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b, true)
	for _, want := range []string{
		"Budget 2021", "Budget per rad", "Försäljning 2 415 2 400 15", "Personalkostnader −922 0 −922",
		"Summa verksamhetens nettokostnader 1 493 2 400 −907",
		"Basfinansieringen för 2021 är 914 400,00 kr, som delas lika mellan nämndens 9 parter.",
		"Bergs kommun lika delar, 1/9 101 600,00 kr", "Summa 914 400,00 kr",
		"Projekt Digital transformation", "efter invånarantal per 2020-12-31", "Bräcke kommun 6 181 invånare per 2020-12-31 27 000,00 kr",
		"Betalningsplan", "faktureras i förskott i januari 2021 och juli 2021",
		"Etapp 1 enligt direktivet", "omräknad över de deltagande parterna (deras procentsatser summerar till 12,95 %)",
		"Bräcke kommun fördelningsnyckel 2,54 % av de 58 841,70 kr deltagandes 12,95 % = 19,6138996139 %",
		"Blandad nyckel", "med blandad nyckel, varje del för sig: 50 % (500,01 kr) i lika delar mellan 2 parter, 50 % (500,00 kr) efter invånarantal",
		"A blandad nyckel: 50 % lika delar, 50 % efter 375,01 kr invånarantal; sammanlagt 37,5 % av beloppet",
		"Östersunds kommun 50 800,00 50 800,00 101 600,00",
		"Sida 1 av",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the budget PDF lacks %q:\n%s", want, text)
		}
	}
}

// subsetProject is the 2015 directive's key over Digital transformation's
// three first participants, renormalised over them.
func subsetProject() finance.Allocation {
	d := decimal.RequireFromString
	a := finance.Allocation{ID: 8, Kind: finance.AllocationProject, Title: "Etapp 1 enligt direktivet", Method: "percent", Total: d("300000")}
	for _, s := range []struct{ name, pct, amount string }{{"Bräcke kommun", "2.54", "58841.70"}, {"Krokoms kommun", "5.81", "134594.59"}, {"Strömsunds kommun", "4.60", "106563.71"}} {
		a.Shares = append(a.Shares, finance.AllocationShare{PartyName: s.name, Amount: d(s.amount), Weight: d(s.pct), WeightKind: "percent"})
	}
	return a
}

// mixedProject is 1 000,01 kr by a mixed key: half in equal shares, half by
// population (1 and 3 inhabitants).
func mixedProject() finance.Allocation {
	d := decimal.RequireFromString
	share := func(name, amount, weight, kind string, pop int64) finance.AllocationShare {
		return finance.AllocationShare{PartyName: name, Amount: d(amount), Weight: d(weight), WeightKind: kind, Population: pop}
	}
	return finance.Allocation{ID: 9, Kind: finance.AllocationProject, Title: "Blandad nyckel", Method: "mixed", Total: d("1000.01"),
		Shares: []finance.AllocationShare{share("A", "375.01", "37.5", "mixed", 0), share("B", "625.00", "62.5", "mixed", 0)},
		Parts: []finance.AllocationPart{
			{Percent: d("50"), Method: "equal", Total: d("500.01"), Residue: true, Shares: []finance.AllocationShare{share("A", "250.01", "1", "equal", 0), share("B", "250.00", "1", "equal", 0)}},
			{Percent: d("50"), Method: "population", Total: d("500.00"), Shares: []finance.AllocationShare{share("A", "125.00", "1", "population", 1), share("B", "375.00", "3", "population", 3)}},
		}}
}

// BenchmarkInterimReportPDF builds the delårsrapport of August 2020: table,
// texts, bar chart and table of contents, laid out until the page numbers
// settle.
func BenchmarkInterimReportPDF(b *testing.B) {
	r := august2020Report()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuildPDF(r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSubheading: the Sammanfattning's sub-headings are short lines that do
// not end as sentences do.
func TestSubheading(t *testing.T) {
	t.Parallel()
	for block, want := range map[string]bool{
		"Ekonomiskt utfall": true, "Verksamhet": true, "Se punkt ekonomiskt utfall.": false,
		"Utfallet är +32 tkr jämfört med budget": true, "Två rader\nmed text": false,
		"Verksamhets intäkter består av:": false,
		"En mycket lång rad som fortsätter och fortsätter utan att sluta med punkt någonstans": false,
	} {
		if got := Subheading(block); got != want {
			t.Errorf("Subheading(%q) = %v, want %v", block, got, want)
		}
	}
}

// TestXLSXNearZero checks that an amount between −500 and 0 kr, which the PDF
// shows as 0 tkr, gets the style whose format has no minus for negatives, and
// that the others keep the tkr format with its minus.
func TestXLSXNearZero(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		amount string
		bold   bool
		want   xlsx.Style
	}{
		{"-254", false, xlsx.NearZeroTkr},
		{"-254", true, xlsx.NearZeroBoldTkr},
		{"-499.99", false, xlsx.NearZeroTkr},
		{"-500", false, xlsx.Tkr}, // −1 tkr, as sv.Tkr rounds it
		{"0", false, xlsx.Tkr},
		{"254", false, xlsx.Tkr},
		{"-254000", true, xlsx.BoldTkr},
	} {
		d := decimal.RequireFromString(c.amount)
		if got := amountStyle(d, c.bold); got != c.want {
			t.Errorf("amountStyle(%s, %v) = %d, want %d", c.amount, c.bold, got, c.want)
		}
		if shows := sv.Tkr(d); (c.want == xlsx.NearZeroTkr || c.want == xlsx.NearZeroBoldTkr) != (shows == "0" && d.Sign() < 0) {
			t.Errorf("the PDF shows %s as %q, the workbook style is %d", c.amount, shows, c.want)
		}
	}
	r := august2020Report()
	r.Table.Lines[1].Actual = decimal.NewFromInt(-254)
	b, err := BuildXLSX(r)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		parts[f.Name] = string(data)
	}
	if !strings.Contains(parts["xl/worksheets/sheet1.xml"], `<c r="B6" s="6"><v>-254</v></c>`) {
		t.Errorf("−254 kr is not in the near-zero style:\n%s", parts["xl/worksheets/sheet1.xml"][:2000])
	}
	if !strings.Contains(parts["xl/styles.xml"], `<numFmt numFmtId="165" formatCode="#,##0,;#,##0,;0"/>`) || !strings.Contains(parts["xl/styles.xml"], `<cellXfs count="10">`) {
		t.Error("styles.xml lacks the near-zero format")
	}
}
