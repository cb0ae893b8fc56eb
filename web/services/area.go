// Package services serves the services a committee bills to one party:
// billed from the costs on a cost object in the host's ledger (serverdrift,
// Objekt 6663, Åre kommun) or as staff time × a rate (the e-strateg's days
// for Bräcke kommun). A bill becomes a direct allocation that the ordinary
// invoicing issues, after its own confirm step.
package services

import (
	"embed"
	"html/template"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Who works with the services: the economist (and the admin) makes them
// and bills them; the secretariat and the auditor read them. A party sees
// what it is billed on Vår andel and its invoices, not the services' pages.
var (
	serviceMakers  = domain.AllocationMakers
	serviceReaders = domain.AllocationReaders
	serviceWrite   = kit.Roles(serviceMakers...)
	serviceRead    = kit.Roles(serviceReaders...)
)

// Register adds the area's templates and routes to k.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, template.FuncMap{"unitLabel": finance.UnitLabel}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.Handle("GET", "/namnder/:code/tjanster", serviceRead, s.servicesPage)
	s.Handle("POST", "/namnder/:code/tjanster", serviceWrite, s.createService)
	s.Handle("GET", "/tjanster/:id", serviceRead, s.servicePage)
	s.Handle("GET", "/tjanster/:id/underlag", serviceWrite, s.billPreview)
	s.Handle("POST", "/tjanster/:id/underlag", serviceWrite, s.createBill)
	s.Handle("GET", "/api/v1/committees/:code/services", serviceRead, s.apiServices)
	s.Handle("POST", "/api/v1/committees/:code/services", serviceWrite, s.apiCreateService)
	s.Handle("GET", "/api/v1/services/:id", serviceRead, s.apiService)
	s.Handle("POST", "/api/v1/services/:id/bills/preview", serviceWrite, s.apiPreviewBill)
	s.Handle("POST", "/api/v1/services/:id/bills", serviceWrite, s.apiCreateBill)
	return s, nil
}
