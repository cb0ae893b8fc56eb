package app

import (
	"bytes"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/interim"
)

// ReadLedgerFile reads an uploaded export of the host's ledger: SIE 4, or a
// CSV for the given year. With format empty it tells the two apart by the
// content (an SIE file starts with a #-record).
func ReadLedgerFile(format, name string, data []byte, year int) (domain.LedgerFile, error) {
	if format == "" {
		format = string(domain.LedgerCSV)
		if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"), []byte("#")) {
			format = string(domain.LedgerSIE)
		}
	}
	switch domain.LedgerFormat(format) {
	case domain.LedgerSIE:
		return interim.ReadSIE(name, data)
	case domain.LedgerCSV:
		return interim.ReadCSV(name, data, year)
	}
	return domain.LedgerFile{}, domain.FieldErrorf("format", "Välj filens format: SIE 4 eller CSV.")
}
