package arvode

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
)

// basis is Bräcke's basis for 2020 with one meeting, a ledamot with three
// attested claims and a pending one, and a serving ersättare.
func basis() Basis {
	mt := meeting.Meeting{Date: domain.MustDate("2020-12-14"), StartTime: "09:00", EndTime: "12:00"}
	ledamot := domain.Member{Name: "Daniel Danielsson", PoliticalParty: "C", AppointedByName: "Bräcke kommun", Role: domain.MemberOrdinary}
	ersattare := domain.Member{Name: "Bo Karlsson", PoliticalParty: "C", AppointedByName: "Bräcke kommun", Role: domain.MemberSubstitute}
	return Basis{
		Committee: domain.Committee{Code: "GNS", Name: "Gemensam nämnd för samverkan"},
		Party:     domain.Party{Name: "Bräcke kommun"},
		From:      domain.MustDate("2020-01-01"), To: domain.MustDate("2020-12-31"),
		Made: time.Date(2021, 1, 11, 8, 0, 0, 0, time.UTC),
		Lines: []meeting.BasisLine{
			{Meeting: mt, Member: ledamot, Role: meeting.ArvodeLedamot, Paragraphs: []int{15, 16, 17, 18, 19, 20, 21, 22, 23}, Claims: []meeting.Claim{
				{Kind: meeting.ClaimIncome, Hours: decimal.RequireFromString("3.5"), Status: meeting.ClaimAttested},
				{Kind: meeting.ClaimTravel, Km: decimal.RequireFromString("84.5"), From: "Bräcke", Status: meeting.ClaimAttested},
				{Kind: meeting.ClaimTravel, Km: decimal.RequireFromString("84.5"), From: "Östersund", Status: meeting.ClaimAttested},
				{Kind: meeting.ClaimCost, Amount: decimal.RequireFromString("0.10"), Description: "Parkering", Status: meeting.ClaimAttested},
				{Kind: meeting.ClaimCost, Amount: decimal.RequireFromString("0.20"), Description: "Tåg", Status: meeting.ClaimAttested},
				{Kind: meeting.ClaimIncome, Hours: decimal.NewFromInt(4), Status: meeting.ClaimSubmitted},
			}},
			{Meeting: mt, Member: ersattare, Role: meeting.ArvodeServingSubstitute, Paragraphs: []int{17, 18}},
		},
	}
}

// TestCSVParsesBack reads the CSV back and finds every field, the numbers as
// exact decimals (0,10 + 0,20 is 0,30, not 0,30000000000000004).
func TestCSVParsesBack(t *testing.T) {
	t.Parallel()
	b := CSV(basis())
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 || strings.Join(records[0], ";") != strings.Join(Columns, ";") {
		t.Fatalf("records = %q", records)
	}
	row := map[string]string{}
	for i, c := range Columns {
		row[c] = records[1][i]
	}
	want := map[string]string{
		"namnd": "GNS", "sammantrade_datum": "2020-12-14", "tid_fran": "09:00", "tid_till": "12:00", "ledamot": "Daniel Danielsson",
		"parti": "C", "utsedd_av": "Bräcke kommun", "roll": "ledamot", "paragrafer": "§§ 15–23", "arbetsinkomst_timmar": "3,50",
		"resa_km": "169,0", "resa_fran": "Bräcke; Östersund", "ovriga_kostnader_kr": "0,30", "ovriga_kostnader_avser": "Parkering; Tåg", "ej_attesterade": "1",
	}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
	amount, err := decimal.NewFromString(strings.Replace(row["ovriga_kostnader_kr"], ",", ".", 1))
	if err != nil || !amount.Equal(decimal.RequireFromString("0.1").Add(decimal.RequireFromString("0.2"))) {
		t.Errorf("amount %q read back as %s, %v", row["ovriga_kostnader_kr"], amount, err)
	}
	if records[2][7] != "tjanstgorande_ersattare" || records[2][8] != "§§ 17–18" || records[2][9] != "0,00" {
		t.Errorf("second row = %q", records[2])
	}
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	b, err := XLSX(basis())
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet string
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			sheet = string(data)
		}
	}
	for _, want := range []string{
		`<t xml:space="preserve">arbetsinkomst_timmar</t>`, `<t xml:space="preserve">Daniel Danielsson</t>`,
		`<c r="J5" s="8"><v>3.5</v></c>`, `<c r="K5" s="8"><v>169</v></c>`, `<c r="M5" s="8"><v>0.3</v></c>`,
		`<c r="J7" s="9"><f>SUM(J5:J6)</f><v>3.5</v></c>`, `<c r="M7" s="9"><f>SUM(M5:M6)</f><v>0.3</v></c>`,
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet lacks %s", want)
		}
	}
	again, _ := XLSX(basis())
	if !bytes.Equal(b, again) {
		t.Error("the same basis gave different bytes")
	}
}

func TestPDF(t *testing.T) {
	t.Parallel()
	b, err := PDF(basis())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b, false)
	for _, want := range []string{
		"Arvodesunderlag 2020-01-01 – 2020-12-31", "Bräcke kommun", "Daniel Danielsson (C)", "Tjänstgörande ersättare",
		"§§ 15–23", "3,5 tim", "169 km från Bräcke; Östersund", "0,30 kr", "1 anspråk väntar på attest", "Underskrift", "Namnförtydligande",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	empty := basis()
	empty.Lines = nil
	b, err = PDF(empty)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b, false); !strings.Contains(text, "Inga ledamöter eller ersättare var närvarande") {
		t.Errorf("empty PDF:\n%s", text)
	}
}
