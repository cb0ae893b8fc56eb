package app

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

func TestReadLedgerFileTellsTheFormatsApart(t *testing.T) {
	csv := []byte("3010,202001,-1000\n5410,202001,250\n")
	tests := []struct {
		name, format string
		data         []byte
		want         finance.LedgerFormat
	}{
		{"demo.se", "", demo.August2020SIE, finance.LedgerSIE},
		{"demo.se", "sie", demo.August2020SIE, finance.LedgerSIE},
		{"utfall.csv", "", csv, finance.LedgerCSV},
		{"utfall.csv", "csv", csv, finance.LedgerCSV},
	}
	for _, tt := range tests {
		lf, err := ReadLedgerFile(tt.format, tt.name, tt.data, 2020)
		if err != nil {
			t.Errorf("ReadLedgerFile(%q, %s): %v", tt.format, tt.name, err)
			continue
		}
		if lf.Format != tt.want || lf.FileName != tt.name {
			t.Errorf("ReadLedgerFile(%q, %s) = %s %s, want %s", tt.format, tt.name, lf.Format, lf.FileName, tt.want)
		}
	}
	// A byte-order mark and blank lines before the first #-record still
	// make an SIE file: the SIE reader, not the CSV one, finds it empty.
	_, err := ReadLedgerFile("", "bom.se", []byte("\xef\xbb\xbf \r\n#FLAGGA 0\r\n#SIETYP 4\r\n"), 2020)
	if !strings.Contains(domain.ErrorMessage(err), "inga periodsaldon") {
		t.Errorf("an SIE file after a byte-order mark = %v, want the SIE reader's error", err)
	}
	_, err = ReadLedgerFile("xls", "utfall.xls", csv, 2020)
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown format = %v, want a field error", err)
	}
}
