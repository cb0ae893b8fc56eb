// Package cases serves the case register: the list of a committee's cases with
// its filters, registering and changing cases, their documents, links and
// timeline, and the cases API.
package cases

import (
	"embed"

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
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.routes()
	return s, nil
}
