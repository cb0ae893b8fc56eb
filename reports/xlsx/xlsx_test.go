package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestColumn(t *testing.T) {
	t.Parallel()
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := Column(i); got != want {
			t.Errorf("Column(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestWrite checks the sheet's cells, the escaping, the frozen rows and the
// sheet name, and that the same sheet gives the same bytes.
func TestWrite(t *testing.T) {
	t.Parallel()
	s := Sheet{Name: "Arvoden: 2020/2021 [utkast] med ett mycket långt namn", Widths: []float64{40, 12.5}, FreezeRows: 2,
		Rows: [][]Cell{{Text("Rad & <rubrik>", Title)}, nil, {Number(decimal.RequireFromString("0.10"), Decimal2), Formula("SUM(A3:A3)", decimal.RequireFromString("0.1"), BoldDecimal2)}}}
	b, err := Write(s)
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
	sheet := parts["xl/worksheets/sheet1.xml"]
	for _, want := range []string{
		`<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>`, `<col min="2" max="2" width="12.5" customWidth="1"/>`,
		`<c r="A1" s="5" t="inlineStr"><is><t xml:space="preserve">Rad &amp; &lt;rubrik&gt;</t></is></c>`, `<row r="2"></row>`,
		`<c r="A3" s="8"><v>0.1</v></c>`, `<c r="B3" s="9"><f>SUM(A3:A3)</f><v>0.1</v></c>`,
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet lacks %s:\n%s", want, sheet)
		}
	}
	if !strings.Contains(parts["xl/workbook.xml"], `name="Arvoden- 2020-2021 -utkast- med"`) {
		t.Errorf("workbook = %s", parts["xl/workbook.xml"])
	}
	if again, _ := Write(s); !bytes.Equal(again, b) {
		t.Error("the same sheet gave different bytes")
	}
}
