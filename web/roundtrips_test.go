package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// The busiest pages reach the database in few round trips: what belongs
// together is read in one query (the session with its user and roles; the
// case list's filters with its count), so a page's time does not grow with
// the database's distance. Each page has a budget of statements (BEGIN and
// COMMIT count); a change that adds a query per page shows here first.
func TestHotPagesRoundTrips(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		h := s.Handler()
		users := map[string]*browser{}
		for _, email := range []string{"sekretariat@demo.gns.example", "ekonom@demo.gns.example", "bracke@demo.gns.example", "ledamot@demo.gns.example"} {
			users[email] = newBrowser(t, h)
			users[email].login(email, demo.Password)
		}
		token := tokenFor(t, db, "sekretariat@demo.gns.example")
		for _, tt := range []struct {
			name, user, path string
			api              bool
			max              int64
		}{
			// Issues 18 and 19 added sections (protokoll to expediera,
			// justering states, open votes) at a statement each: to be
			// batched again (issue 23).
			{"start page, secretariat", "sekretariat@demo.gns.example", "/", false, 11},
			{"start page, economist", "ekonom@demo.gns.example", "/", false, 7}, // one more for the year's funding cycle (issue 17)
			{"start page, member", "ledamot@demo.gns.example", "/", false, 5},   // one more: votes open now (issue 19)
			{"case list", "sekretariat@demo.gns.example", kit.CasesURL("GNS"), false, 4},
			{"case list, API", "", "/api/v1/committees/GNS/cases", true, 3},
			// The case page names where the case has been: its agenda items,
			// their meetings, its paragraphs (with their yrkanden and votes)
			// and its allocations, one query each however many there are. The
			// newest demo case was decided in the December 2020 minutes.
			// Issue 19 added the case's remisser and issue 17 its projects.
			{"case page", "sekretariat@demo.gns.example", kit.CaseURL(newestCase(t, db, "GNS")), false, 15},
			// Issue 17's projects (each project's years, settlements and
			// account: a loop to be batched, issue 23), issue 18's utdrag to
			// acknowledge and issue 19's arvode link.
			{"Vår andel", "bracke@demo.gns.example", "/var-andel", false, 20},
			{"invoice list", "ekonom@demo.gns.example", kit.InvoicesURL("GNS"), false, 10},
		} {
			ctx, statements := store.CountStatements(context.Background())
			req := httptest.NewRequest(http.MethodGet, tt.path, nil).WithContext(ctx)
			var w *httptest.ResponseRecorder
			if tt.api {
				req.Header.Set("Authorization", "Bearer "+token)
				// The first use of the token is recorded; measure a read.
				first := httptest.NewRequest(http.MethodGet, tt.path, nil)
				first.Header.Set("Authorization", "Bearer "+token)
				h.ServeHTTP(httptest.NewRecorder(), first)
				w = httptest.NewRecorder()
				h.ServeHTTP(w, req)
			} else {
				w = users[tt.user].do(req)
			}
			if w.Code != http.StatusOK {
				t.Errorf("%s: GET %s = %d", tt.name, tt.path, w.Code)
				continue
			}
			if n := statements(); n > tt.max {
				t.Errorf("%s: %d statements, want at most %d", tt.name, n, tt.max)
			}
		}
	})
}
