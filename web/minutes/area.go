// Package minutes serves the minutes of a meeting: paragraphs with yrkanden and
// votes, justering with two-factor, the protokoll and its extracts, and the
// register of assignments (uppdrag) the decisions give, with their API.
package minutes

import (
	"embed"

	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
	// meetings are the meeting pages the minutes build on: loading a
	// meeting and its committee's parties.
	meetings *meetings.Handlers
}

// Register adds the area's templates and routes to k, on the meeting
// pages m, and returns its handlers.
func Register(k *kit.Kit, m *meetings.Handlers) (*Handlers, error) {
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k, meetings: m}
	s.routes()
	return s, nil
}
