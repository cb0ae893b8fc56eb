package sie_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/region-jh/gns/reports/sie"
)

// benchTrans is the number of #TRANS rows in the benchmark's file.
const benchTrans = 200_000

// bigFile returns an SIE 4 file with benchTrans #TRANS rows: verifications of
// four rows each, half of them on cost object 6663, with texts in Swedish, in
// code page 437 as a ledger writes it.
func bigFile(tb testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("#FLAGGA 0\r\n#PROGRAM \"Testdata\" 1\r\n#FORMAT PC8\r\n#GEN 20200910\r\n#SIETYP 4\r\n")
	b.WriteString("#ORGNR 232100-0214\r\n#FNAMN \"Region J\x84mtland H\x84rjedalen\"\r\n#RAR 0 20200101 20201231\r\n")
	for _, a := range []string{"1510", "2440", "3611", "3620", "5110", "6550", "7690"} {
		fmt.Fprintf(&b, "#KONTO %s \"Konto %s \x94vrigt\"\r\n", a, a)
	}
	b.WriteString("#DIM 1 \"Objekt\"\r\n#OBJEKT 1 \"6663\" \"Serverdrift \x8fre kommun\"\r\n")
	kronor := func(ore int) string { return fmt.Sprintf("%d.%02d", ore/100, ore%100) }
	for v := 1; v <= benchTrans/4; v++ {
		date := fmt.Sprintf("2020%02d%02d", 1+v%12, 1+v%28)
		consult, sundry, staff := (1000+v%9000)*100+v%100, (10+v%90)*100+50, 25000
		fmt.Fprintf(&b, "#VER A %d %s \"Leverant\x94rsfaktura %d\" %s\r\n{\r\n", v, date, v, date)
		fmt.Fprintf(&b, "#TRANS 6550 {1 \"6663\"} %s %s \"Konsulttj\x84nst\"\r\n", kronor(consult), date)
		fmt.Fprintf(&b, "#TRANS 7690 {} %s\r\n", kronor(sundry))
		fmt.Fprintf(&b, "#TRANS 5110 {1 \"6663\"} %s\r\n", kronor(staff))
		fmt.Fprintf(&b, "#TRANS 2440 {} -%s\r\n}\r\n", kronor(consult+sundry+staff))
	}
	return b.Bytes()
}

func BenchmarkParse200kTrans(b *testing.B) {
	data := bigFile(b)
	f, err := sie.Parse(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, v := range f.Verifications {
		n += len(v.Transactions)
	}
	if n != benchTrans {
		b.Fatalf("the file has %d #TRANS rows, want %d", n, benchTrans)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := sie.Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
