// Package economy serves the committee's economy: the chart of rows and the
// account mapping, imports of actuals from the ledger (SIE 4 or CSV), budgets,
// the carry-forward ledger, and the interim and annual reports with their PDF
// and XLSX.
package economy

import (
	"embed"
	"html/template"

	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Register adds the area's templates and routes to k and returns its
// handlers, whose exported methods other areas may use.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, template.FuncMap{"monthYear": interim.MonthYear, "monthName": sv.MonthName}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.routes()
	return s, nil
}
