// Package money serves the committee's money: allocations (the split of an
// amount between the parties, previewed and saved), invoices and credit notes
// with their runs, payments and exports, and each party's own view of what it
// pays (Vår andel).
package money

import (
	"embed"
	"html/template"

	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
	// fragments caches rendered views of things that never change.
	fragments *kit.ImmutableCache[string, []template.HTML]
	// allocationStats caches what explains the shares of saved allocations.
	allocationStats *kit.ImmutableCache[int64, store.AllocationStats]
	// charts caches drawings by the figures they show.
	charts *kit.ImmutableCache[string, template.HTML]
}

// Register adds the area's templates and routes to k and returns its
// handlers, whose exported methods other areas may use.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, template.FuncMap{"methodLabel": methodLabel, "sentChannels": sentChannelOptions, "partRows": partRows,
		"reminderDays": func() int { return finance.ReminderDays }, "exactPercent": sv.ExactPercent}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k,
		fragments:       kit.NewImmutableCache[string, []template.HTML](2000),
		allocationStats: kit.NewImmutableCache[int64, store.AllocationStats](10000),
		charts:          kit.NewImmutableCache[string, template.HTML](2000)}
	s.allocationRoutes()
	s.shareRoutes()
	s.invoiceRoutes()
	s.paymentFileRoutes()
	return s, nil
}
