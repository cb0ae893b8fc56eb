package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	imgpng "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// nb is a no-break space, as Swedish amounts are written.
const nb = "\u00a0"

var created = time.Date(2020, 9, 14, 9, 0, 0, 0, time.UTC)

// report builds a delårsrapport-like document whose appendix table has the
// given number of rows (about 22 rows a page).
func report(appendixRows int) *Document {
	d := New(Options{
		Title:   "Delårsrapport augusti 2020",
		Subject: "Delårsrapport för perioden januari–augusti 2020",
		Author:  "Region Jämtland Härjedalen",
		Creator: "GNS",
		Created: created,
		Header:  "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
		Footer:  "Region Jämtland Härjedalen · GNS/12/2020",
	})
	d.Title("Delårsrapport augusti 2020")
	d.KeyValues(
		KeyValue{"Nämnd", "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner"},
		KeyValue{"Period", "2020-01-01 – 2020-08-31"},
		KeyValue{"Sammanträde", "Måndag 14 september 2020, kl. 09.00–12.00"},
	)
	d.TableOfContents()
	d.Heading(1, "Sammanfattning")
	d.Paragraph("Nämndens parter är Region Jämtland Härjedalen och länets åtta kommuner, bland dem " +
		"Härjedalens kommun, Åre kommun och Östersunds kommun. Basfinansieringen för 2021 är " +
		"1" + nb + "234" + nb + "567,50" + nb + "kr, som delas lika mellan nämndens parter. " +
		"Ärendet är återremitterat till sekretariatet för komplettering före nästa sammanträde.")
	d.Heading(2, "Händelser av väsentlig betydelse")
	d.BulletList(
		"Utredningen av en sammanslagning av gemensamma nämnder sköts på framtiden.",
		"Återstående medel från 2018, totalt 468"+nb+"091"+nb+"kr, återbetalas till parterna.",
	)
	d.NumberedList(
		"Nämnden uppmanar parterna att ta Svenskt ramverk för digital samverkan i beaktande.",
		"Tidigare uppdrag till e-strateg återtas och ärendet avslutas.",
	)
	d.Heading(1, "Ekonomiskt resultat")
	d.Paragraph("Belopp i tkr. Avvikelse är utfall − budget; ett positivt tal är gynnsamt.")
	money := []Column{
		{Title: "Tkr", Width: 3.6},
		{Title: "Ack utfall", Width: 1, Align: AlignRight},
		{Title: "Ack budget", Width: 1, Align: AlignRight},
		{Title: "Avvikelse", Width: 1, Align: AlignRight},
		{Title: "Ack utfall fg år", Width: 1.1, Align: AlignRight},
		{Title: "Förändring mot fg år", Width: 1.2, Align: AlignRight},
	}
	d.Table(Table{
		Columns: money,
		Rows: []Row{
			{Cells: []string{"Försäljning", "2" + nb + "151", "1" + nb + "610", "541", "2" + nb + "204", "−53"}},
			{Cells: []string{"Summa intäkter", "2" + nb + "151", "1" + nb + "610", "541", "2" + nb + "204", "−53"}, Bold: true},
			{Cells: []string{"Personalkostnader", "−615", "−615", "0", "−1" + nb + "097", "482"}},
			{Cells: []string{"Konsultkostnader", "−1" + nb + "474", "−1" + nb + "015", "−459", "−1" + nb + "386", "−88"}},
			{Cells: []string{"Övriga kostnader", "−81", "−32", "−49", "−11", "−70"}},
			{Cells: []string{"Summa bruttokostnader", "−2" + nb + "170", "−1" + nb + "662", "−508", "−2" + nb + "698", "528"}, Bold: true},
		},
		Total: []string{"Summa verksamhetens nettokostnader", "−19", "−52", "33", "−494", "475"},
		Note:  "Avrundningsdifferenser kan förekomma.",
	})
	d.Note("Diagrammet visar ackumulerat utfall och budget per rad.")
	d.BarChart("Utfall mot budget per rad (tkr)", []string{"Ack utfall", "Ack budget"}, []Bar{
		{Label: "Försäljning", Values: []float64{2151, 1610}, Texts: []string{"2" + nb + "151", "1" + nb + "610"}},
		{Label: "Personalkostnader", Values: []float64{-615, -615}, Texts: []string{"−615", "−615"}},
		{Label: "Konsultkostnader", Values: []float64{-1474, -1015}, Texts: []string{"−1" + nb + "474", "−1" + nb + "015"}},
		{Label: "Övriga kostnader", Values: []float64{-81, -32}, Texts: []string{"−81", "−32"}},
	})
	d.Heading(1, "Bilaga: verifikationer")
	rows := make([]Row, appendixRows)
	for i := range rows {
		rows[i] = Row{Cells: []string{
			fmt.Sprintf("2020-%02d-%02d", i%8+1, i%28+1),
			fmt.Sprintf("Ver %d", 1000+i),
			fmt.Sprintf("Konsultarvode förstudie IT-serverdrift, Härjedalens kommun, del %d", i+1),
			fmt.Sprintf("−%d"+nb+"%03d,%02d", i+1, (i*37)%1000, i%100),
		}}
	}
	d.Table(Table{
		Columns: []Column{
			{Title: "Datum", Width: 1.2},
			{Title: "Verifikation", Width: 1.2},
			{Title: "Text", Width: 4},
			{Title: "Belopp, kr", Width: 1.3, Align: AlignRight},
		},
		Rows:  rows,
		Total: []string{"", "", "Summa", "−1" + nb + "234" + nb + "567,50"},
	})
	return d
}

// requireTool finds a poppler-utils program. CI must never skip silently.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found (CI is set): install poppler-utils", name)
	}
	t.Skipf("%s not found: apt-get install poppler-utils to run this test", name)
	return ""
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(requireTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// writeTemp writes a built document to a temporary file.
func writeTemp(t *testing.T, d *Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.WriteTo(f); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTextReadsBack(t *testing.T) {
	t.Parallel()
	path := writeTemp(t, report(120))
	// pdftotext turns no-break spaces into spaces; flat also joins lines.
	text := strings.ReplaceAll(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"), nb, " ")
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Delårsrapport augusti 2020",
		"Härjedalens kommun",
		"Ärendet är återremitterat",
		"Åre kommun och Östersunds kommun",
		"1 234 567,50 kr",
		"−1 474",
		"Avrundningsdifferenser kan förekomma.",
		"Innehållsförteckning",
		"utfall − budget",
		"2020-01-01 – 2020-08-31",
		"Summa verksamhetens nettokostnader",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	// Amounts joined by no-break spaces are never split across lines.
	for _, want := range []string{"1 234 567,50 kr", "468 091 kr", "−1 474"} {
		if !regexp.MustCompile(`(?m)^.*` + regexp.QuoteMeta(want) + `.*$`).MatchString(text) {
			t.Errorf("%q is not on one line", want)
		}
	}

	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	n := len(pages)
	if n < 4 {
		t.Fatalf("got %d pages, want the appendix table to span several", n)
	}
	for i, p := range pages {
		want := fmt.Sprintf("Sida %d av %d", i+1, n)
		if !strings.Contains(p, want) {
			t.Errorf("page %d lacks footer %q", i+1, want)
		}
		if i > 0 && !strings.Contains(p, "Gemensam nämnd för samverkan") {
			t.Errorf("page %d lacks the running header", i+1)
		}
	}
	// The table header repeats on every page the appendix continues on.
	last := pages[n-1]
	if !strings.Contains(last, "Verifikation") || !strings.Contains(last, "Belopp, kr") {
		t.Errorf("last page lacks the repeated table header:\n%s", last)
	}

	// Every contents entry names the page its heading is on.
	entry := regexp.MustCompile(`(?m)^\s*(\S.*?)[ .]*\s(\d+)\s*$`)
	contents := pages[0]
	for _, title := range []string{"Sammanfattning", "Händelser av väsentlig betydelse", "Ekonomiskt resultat", "Bilaga: verifikationer"} {
		var page int
		for _, m := range entry.FindAllStringSubmatch(contents, -1) {
			if strings.TrimSpace(m[1]) == title {
				page, _ = strconv.Atoi(m[2])
			}
		}
		if page < 1 || page > n {
			t.Errorf("contents entry %q has no valid page number:\n%s", title, contents)
			continue
		}
		onPage := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(title) + `\s*$`)
		if !onPage.MatchString(pages[page-1]) {
			t.Errorf("contents says %q is on page %d, but it is not there", title, page)
		}
	}
}

func TestWrapKeepsNoBreakSpaces(t *testing.T) {
	t.Parallel()
	r := newRenderer(New(Options{Created: created}), layout{})
	r.font(regular, bodySize, colText)
	amount := "1" + nb + "234" + nb + "567,50" + nb + "kr"
	text := "Basfinansieringen är " + amount + " för året."
	// Wide enough for the text up to "1 234", too narrow for the amount.
	width := r.f.GetStringWidth("Basfinansieringen är 1 234 ")
	lines := r.wrap(text, width)
	if len(lines) < 2 || lines[0] != "Basfinansieringen är" || !strings.HasPrefix(lines[1], amount) {
		t.Errorf("wrap = %q, want the amount whole at the start of line 2", lines)
	}
	// A word wider than the line is cut, without losing runes.
	long := strings.Repeat("Å", 200)
	if got := strings.Join(r.wrap(long, 30), ""); got != long {
		t.Errorf("cutting a long word lost text: %d runes", len([]rune(got)))
	}
}

func TestFontsEmbedded(t *testing.T) {
	t.Parallel()
	path := writeTemp(t, report(60))
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", out)
	}
	// Column bounds come from the dashes under the header.
	var cols [][2]int
	for _, m := range regexp.MustCompile(`-+`).FindAllStringIndex(lines[1], -1) {
		cols = append(cols, [2]int{m[0], m[1]})
	}
	field := func(line string, i int) string {
		a, b := cols[i][0], min(cols[i][1], len(line))
		if a >= len(line) {
			return ""
		}
		return strings.TrimSpace(line[a:b])
	}
	fonts := lines[2:]
	if len(fonts) < 3 {
		t.Errorf("got %d fonts, want regular, bold and italic:\n%s", len(fonts), out)
	}
	for _, l := range fonts {
		name, typ, emb := field(l, 0), field(l, 1), field(l, 3)
		if emb != "yes" {
			t.Errorf("font %s is not embedded:\n%s", name, out)
		}
		if strings.HasPrefix(typ, "Type 1") || strings.Contains(name, "Helvetica") {
			t.Errorf("core font %s (%s) used:\n%s", name, typ, out)
		}
		if !strings.Contains(strings.ToLower(name), "liberation") {
			t.Errorf("unexpected font %s", name)
		}
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, err := report(80).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := report(80).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("two builds of the same document differ")
		}
	}
	// Bytes may be called again on the same Document.
	d := report(10)
	x, _ := d.Bytes()
	y, _ := d.Bytes()
	if !bytes.Equal(x, y) {
		t.Fatal("Bytes twice on one Document differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20200914090000)")) {
		t.Error("creation date not fixed from Options.Created")
	}
}

func TestParallelBuilds(t *testing.T) {
	t.Parallel()
	want, err := report(50).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = report(50).Bytes() })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatalf("build %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("parallel build %d differs from the serial one", i)
		}
	}
}

func TestInvalidInputIsAnError(t *testing.T) {
	t.Parallel()
	cases := map[string]func(d *Document){
		"row cells": func(d *Document) {
			d.Table(Table{Columns: []Column{{Title: "A"}, {Title: "B"}}, Rows: []Row{{Cells: []string{"bara en"}}}})
		},
		"total cells":   func(d *Document) { d.Table(Table{Columns: []Column{{Title: "A"}}, Total: []string{"a", "b"}}) },
		"no columns":    func(d *Document) { d.Table(Table{}) },
		"heading level": func(d *Document) { d.Heading(4, "Fyra") },
		"broken png":    func(d *Document) { d.Image([]byte("\x89PNG\r\n\x1a\nnot really a png"), 30) },
		"unknown image": func(d *Document) { d.Image([]byte("GNS"), 30) },
		"chart values": func(d *Document) {
			d.BarChart("Diagram", []string{"Utfall", "Budget"}, []Bar{{Label: "Rad", Values: []float64{1}}})
		},
		"two contents": func(d *Document) { d.TableOfContents(); d.TableOfContents() },
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			d := New(Options{Created: created})
			d.Paragraph("Före felet.")
			build(d)
			d.Paragraph("Efter felet.")
			if b, err := d.Bytes(); err == nil {
				t.Fatalf("Bytes returned %d bytes and no error", len(b))
			}
			var buf bytes.Buffer
			if _, err := d.WriteTo(&buf); err == nil || buf.Len() != 0 {
				t.Fatalf("WriteTo: err %v, wrote %d bytes", err, buf.Len())
			}
		})
	}
}

func TestAwkwardText(t *testing.T) {
	t.Parallel()
	d := New(Options{Created: created, Header: "Rad ett\nrad två\tflik"})
	d.Heading(1, "")
	d.Paragraph("")
	d.Paragraph("Emoji 😀, styrtecken \x00\x07, ogiltig UTF-8 \xff, tab\tslut, CR\r\nLF")
	d.Paragraph(strings.Repeat("Långtordutanmellanslag", 20))
	d.KeyValues(KeyValue{"", ""})
	d.BulletList()
	d.BarChart("Tomt", []string{"A"}, nil)
	d.BarChart("Noll", []string{"A"}, []Bar{{Label: "Noll", Values: []float64{0}}})
	if _, err := d.Bytes(); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{}).Bytes(); err != nil {
		t.Fatalf("empty document: %v", err)
	}
}

func TestImage(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	img.Set(0, 0, color.RGBA{R: 31, G: 56, B: 100, A: 255})
	var png bytes.Buffer
	if err := imgpng.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	d := New(Options{Created: created})
	d.Image(png.Bytes(), 40)
	d.Paragraph("Under bilden.")
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("/Subtype /Image")) {
		t.Error("no image object in the PDF")
	}
}

func BenchmarkTwentyPageReport(b *testing.B) {
	// 400 two-line appendix rows make the report 20 pages long.
	var size int
	for b.Loop() {
		out, err := report(400).Bytes()
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
