package app

import (
	"bytes"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
)

// ReadLedgerFile reads an uploaded export of the host's ledger: SIE 4, or a
// CSV for the given year. With format empty it tells the two apart by the
// content (an SIE file starts with a #-record).
func ReadLedgerFile(format, name string, data []byte, year int) (finance.LedgerFile, error) {
	if format == "" {
		format = string(finance.LedgerCSV)
		if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"), []byte("#")) {
			format = string(finance.LedgerSIE)
		}
	}
	switch finance.LedgerFormat(format) {
	case finance.LedgerSIE:
		return interim.ReadSIE(name, data)
	case finance.LedgerCSV:
		return interim.ReadCSV(name, data, year)
	}
	return finance.LedgerFile{}, domain.FieldErrorf("format", "Välj filens format: SIE 4 eller CSV.")
}
