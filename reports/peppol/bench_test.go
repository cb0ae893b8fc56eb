package peppol

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/region-jh/gns/domain/finance"
)

// run311 is a year's run of 311 invoices: the base funding of nine parties
// and the rest service invoices with a few lines each, every one to a party
// of its own number.
func run311(b testing.TB) []Document {
	docs := make([]Document, 0, 311)
	for i := range 311 {
		var d Document
		if i%9 == 0 || i < 9 {
			d = baseFundingInvoice(b)
		} else {
			d = serviceInvoice(b)
			d.Lines = append(d.Lines, Line{Description: fmt.Sprintf("Licenser, %d st", i), Quantity: dec("4"), Price: dec("125.50"), Amount: dec("502.00"), VAT: VATStandard, VATRate: dec("25")})
		}
		d.Number = fmt.Sprintf("2021-%04d", i+1)
		ocr, err := finance.NewOCR(fmt.Sprintf("2021%04d", i+1), true)
		if err != nil {
			b.Fatal(err)
		}
		d.Payment.PaymentID = ocr
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkBuild311 builds the 311 invoices of a run, each written and then
// checked against every rule by Build.
func BenchmarkBuild311(b *testing.B) {
	docs := run311(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, err := Build(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCheck checks one invoice, the part of Build that reads the XML
// back.
func BenchmarkCheck(b *testing.B) {
	doc := mustBuild(b, serviceInvoice(b))
	b.ReportAllocs()
	for b.Loop() {
		if v := Check(doc); len(v) > 0 {
			b.Fatal(v)
		}
	}
}

// FuzzCheck feeds Check arbitrary bytes: it must never panic, whatever it
// is given, since it reads documents other systems may have written.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add([]byte(compact(b)))
	}
	f.Add([]byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		Check(doc)
	})
}
