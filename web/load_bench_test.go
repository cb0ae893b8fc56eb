package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// BenchmarkPagesUnderLoad renders the share page ("Vår andel") and the case
// list with 32 concurrent clients, on the demo data and on a large
// installation: a committee of 311 parties (every Swedish municipality and
// region), ten years of allocations (base funding, a population split with a
// host share, a direct-billed service and a refund each year) and 100 000
// cases, on both engines. It reports the 50th and 99th percentile of the time
// to answer one request, measured through the real router and middleware
// (session lookup and the admission queue included). The server works on
// GNS_MAX_CONCURRENT requests at once, as in production (default
// DefaultMaxConcurrent):
//
//	GNS_TEST_POSTGRES=... go test ./web -run '^$' -bench PagesUnderLoad -benchtime 2000x
func BenchmarkPagesUnderLoad(b *testing.B) {
	auth.Params = auth.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	maxConcurrent, _ := strconv.Atoi(os.Getenv("GNS_MAX_CONCURRENT"))
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.NewSQLite}, {"postgres", storetest.NewPostgres}} {
		for _, data := range []struct {
			name string
			seed func(*testing.B, *store.DB, http.Handler) []loadPage
		}{{"demo", seedDemo}, {"large", seedLargeInstallation}} {
			b.Run(engine.name+"/"+data.name, func(b *testing.B) {
				db := engine.open(b)
				s, err := New(Config{DB: db, Logger: slog.New(slog.DiscardHandler), Version: "bench", SecretKey: testKey, MaxConcurrent: maxConcurrent})
				if err != nil {
					b.Fatal(err)
				}
				pages := data.seed(b, db, s.Handler())
				// Measure the steady state: the planner's statistics up to
				// date after the bulk load, as autovacuum would have them.
				analyze := "ANALYZE"
				if db.Dialect() == store.Postgres {
					analyze = "VACUUM ANALYZE"
				}
				if _, err := db.SQL().Exec(analyze); err != nil {
					b.Fatal(err)
				}
				for _, page := range pages {
					b.Run(page.name, func(b *testing.B) { loadPageParallel(b, s.Handler(), page) })
				}
			})
		}
	}
}

// loadPage is a page to load and the session cookie of the user who asks.
type loadPage struct {
	name, path string
	cookie     *http.Cookie
}

// loadPageParallel asks for page from 32 clients at once, each sending its
// next request as soon as the last is answered, and reports the percentiles
// of the answer times.
func loadPageParallel(b *testing.B, h http.Handler, page loadPage) {
	// Warm up as a running server is: statements prepared on the pool's
	// connections, caches filled.
	var warm sync.WaitGroup
	for range 32 {
		warm.Go(func() {
			for range 4 {
				req := httptest.NewRequest(http.MethodGet, page.path, nil)
				req.AddCookie(page.cookie)
				h.ServeHTTP(&discardWriter{header: http.Header{}}, req)
			}
		})
	}
	warm.Wait()
	var mu sync.Mutex
	var times []time.Duration
	b.SetParallelism(32 / runtime.GOMAXPROCS(0)) // 32 concurrent clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, page.path, nil)
			req.AddCookie(page.cookie)
			w := &discardWriter{header: http.Header{}}
			start := time.Now()
			h.ServeHTTP(w, req)
			mine = append(mine, time.Since(start))
			if w.status != http.StatusOK || w.written == 0 {
				b.Errorf("GET %s = %d (%d bytes)", page.path, w.status, w.written)
				return
			}
		}
		mu.Lock()
		times = append(times, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if len(times) > 0 {
		b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
		b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
	}
}

// discardWriter is a ResponseWriter that keeps the status and counts the
// body instead of keeping it, as a connection does: a recorder's growing
// buffer would be most of the allocations measured.
type discardWriter struct {
	header  http.Header
	status  int
	written int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.written += len(p)
	return len(p), nil
}

// seedDemo loads the demo committee and logs in its party representative
// (Bräcke) and its secretariat.
func seedDemo(b *testing.B, db *store.DB, h http.Handler) []loadPage {
	if _, err := demo.Load(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	return []loadPage{
		{"share-page", "/var-andel", loginCookie(b, h, "bracke@demo.gns.example", demo.Password)},
		{"case-list", "/namnder/GNS/arenden", loginCookie(b, h, "sekretariat@demo.gns.example", demo.Password)},
	}
}

// loginCookie logs in through the login form and returns the session cookie.
func loginCookie(b *testing.B, h http.Handler, email, password string) *http.Cookie {
	br := newBrowser(b, h)
	br.login(email, password)
	ck := br.cookies[kit.SessionCookie]
	if ck == nil {
		b.Fatalf("%s could not log in", email)
	}
	return ck
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seedLargeInstallation stores the large installation and logs in a party
// representative and a secretariat user.
func seedLargeInstallation(b *testing.B, db *store.DB, h http.Handler) []loadPage {
	b.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "benchmark"})
	var cm domain.Committee
	var parties []domain.Party
	err := db.InTx(ctx, func(c *store.Conn) error {
		for i := range 311 {
			kind := domain.PartyKindKommun
			if i == 0 {
				kind = domain.PartyKindRegion
			}
			p, err := c.CreateParty(ctx, domain.Party{Slug: fmt.Sprintf("part-%03d", i), Name: fmt.Sprintf("Part %03d", i), Kind: kind})
			if err != nil {
				return err
			}
			parties = append(parties, p)
		}
		var err error
		cm, err = c.CreateCommittee(ctx, domain.Committee{Code: "STOR", Name: "Nämnd med alla Sveriges kommuner och regioner", StartedOn: domain.MustDate("2015-01-01"), HostPartyID: parties[0].ID})
		if err != nil {
			return err
		}
		for i, p := range parties {
			if err := c.AddMembership(ctx, domain.Membership{CommitteeID: cm.ID, PartyID: p.ID, Position: i + 1, From: cm.StartedOn}); err != nil {
				return err
			}
			pop := domain.Population{PartyID: p.ID, ReferenceDate: domain.MustDate("2015-12-31"), Inhabitants: int64(2500 + (i*7919)%60000), Source: "SCB"}
			if _, _, err := c.RecordPopulation(ctx, pop, ""); err != nil {
				return err
			}
		}
		for year := 2016; year <= 2025; year++ {
			for _, a := range largeAllocations(b, cm, parties, year) {
				if _, err := c.CreateAllocation(ctx, a); err != nil {
					return err
				}
			}
		}
		_, err = c.CreateUser(ctx, domain.User{Email: "part@example.se", Name: "Parts Representant", Demo: true,
			Roles: []domain.RoleGrant{{Role: domain.RoleParty, CommitteeID: cm.ID, PartyID: parties[100].ID}}}, auth.HashPassword(testPassword))
		if err != nil {
			return err
		}
		_, err = c.CreateUser(ctx, domain.User{Email: "sekr@example.se", Name: "Sekre Tariat", Demo: true,
			Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: cm.ID}}}, auth.HashPassword(testPassword))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	storetest.SeedCases(b, db, cm.ID, 100_000, 0)
	return []loadPage{
		{"share-page", "/var-andel?ar=2025", loginCookie(b, h, "part@example.se", testPassword)},
		{"case-list", "/namnder/STOR/arenden", loginCookie(b, h, "sekr@example.se", testPassword)},
	}
}

// largeAllocations are one year's allocations over all the parties.
func largeAllocations(b *testing.B, cm domain.Committee, parties []domain.Party, year int) []finance.Allocation {
	b.Helper()
	var out []finance.Allocation
	for _, k := range []struct {
		kind   finance.AllocationKind
		method allocation.Method
		total  string
		host   string
	}{
		{finance.AllocationBaseFunding, allocation.MethodEqual, "31100000.00", ""},
		{finance.AllocationProject, allocation.MethodPopulation, "12345678.90", "50"},
		{finance.AllocationDirect, allocation.MethodDirect, "250000.00", ""},
		{finance.AllocationRefund, allocation.MethodEqual, "-468091.00", ""},
	} {
		spec := allocation.Spec{Total: decimal.RequireFromString(k.total), Method: k.method}
		if k.host != "" {
			h := decimal.RequireFromString(k.host)
			spec.HostShare = &h
		}
		ps := parties
		if k.method == allocation.MethodDirect {
			ps = parties[100:101]
		}
		for i, p := range ps {
			pop := int64(2500 + (i*7919)%60000)
			spec.Parties = append(spec.Parties, allocation.Party{ID: p.Slug, Name: p.Name, Host: p.ID == cm.HostPartyID, Order: i, Population: &pop, PopulationDate: "2015-12-31", PopulationSource: "SCB"})
		}
		res, err := allocation.Allocate(spec)
		if err != nil {
			b.Fatal(err)
		}
		a := finance.Allocation{CommitteeID: cm.ID, Kind: k.kind, Title: fmt.Sprintf("%s %d", k.kind.Label(), year), Method: string(res.Method),
			Unit: string(res.Unit), Total: res.Total, BudgetYear: year, Decision: fmt.Sprintf("STOR § %d/%d", 10, year-1)}
		for i, sh := range res.Shares {
			a.Shares = append(a.Shares, finance.AllocationShare{PartyID: ps[i].ID, PartyName: sh.Name, Host: sh.Host, Amount: sh.Amount,
				Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind), Residue: sh.Residue})
		}
		out = append(out, a)
	}
	return out
}
