package web

import (
	"context"
	"fmt"
	"io"
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

	"github.com/gin-gonic/gin"
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

// BenchmarkPagesUnderLoad asks for the busiest pages with 32 concurrent
// clients, on the demo data and on a large installation: a committee of 311
// parties (every Swedish municipality and region), ten years of allocations
// (base funding, a population split with a host share, a direct-billed
// service and a refund each year) and 100 000 cases, beside a small
// committee of 1 000 cases, on both engines. The pages are the share page
// ("Vår andel"), the case list (as a page and through the API), a case, the
// secretariat's start page and, on the demo, the invoice list; "case-list-
// small" is the small committee's case list, whose plan must fit the small
// committee and not the installation (see store.openPostgres).
//
// Each request goes over a loopback connection to the real server (router,
// middleware, session lookup and admission queue included); each group first
// loads a gin hello-world the same way ("gin-hello"), so the pages'
// requests per second can be read against it from the same run (the
// pct-of-gin metric). Reported: the 50th and 99th percentile of the time to
// answer one request and the requests per second. The server works on
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
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
				defer client.CloseIdleConnections()
				hello := httptest.NewServer(ginHello())
				defer hello.Close()
				var helloRate float64
				b.Run("gin-hello", func(b *testing.B) { helloRate = loadPageParallel(b, client, hello.URL, loadPage{path: "/"}) })
				srv := httptest.NewServer(s.Handler())
				defer srv.Close()
				for _, page := range pages {
					b.Run(page.name, func(b *testing.B) {
						if rate := loadPageParallel(b, client, srv.URL, page); helloRate > 0 {
							b.ReportMetric(100*rate/helloRate, "pct-of-gin")
						}
					})
				}
			})
		}
	}
}

// ginHello is the reference the pages are measured against: gin's
// hello-world, in release mode as GNS runs.
func ginHello() http.Handler {
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "Hello, World!") })
	return r
}

// loadPage is a page to load and the credentials of the user who asks: a
// session cookie, or an API token.
type loadPage struct {
	name, path string
	cookie     *http.Cookie
	token      string
}

// request is a request for the page on the server at base.
func (p loadPage) request(b *testing.B, base string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, base+p.path, nil)
	if err != nil {
		b.Fatal(err)
	}
	if p.cookie != nil {
		req.AddCookie(p.cookie)
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	return req
}

// get asks for the page once and reads the whole answer.
func (p loadPage) get(b *testing.B, client *http.Client, base string) error {
	resp, err := client.Do(p.request(b, base))
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && (resp.StatusCode != http.StatusOK || n == 0) {
		err = fmt.Errorf("GET %s = %d (%d bytes)", p.path, resp.StatusCode, n)
	}
	return err
}

// loadPageParallel asks for page from 32 clients at once, each sending its
// next request as soon as the last is answered, reports the percentiles of
// the answer times and the requests per second, and returns the latter.
func loadPageParallel(b *testing.B, client *http.Client, base string, page loadPage) float64 {
	// Warm up as a running server is: connections open, statements
	// prepared on the pool's connections, caches filled.
	var warm sync.WaitGroup
	for range 32 {
		warm.Go(func() {
			for range 4 {
				if err := page.get(b, client, base); err != nil {
					b.Error(err)
				}
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
			start := time.Now()
			err := page.get(b, client, base)
			mine = append(mine, time.Since(start))
			if err != nil {
				b.Error(err)
				return
			}
		}
		mu.Lock()
		times = append(times, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if len(times) == 0 {
		return 0
	}
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
	rate := float64(len(times)) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "req/s")
	return rate
}

// seedDemo loads the demo committee and logs in its party representative
// (Bräcke), its secretariat and its economist.
func seedDemo(b *testing.B, db *store.DB, h http.Handler) []loadPage {
	if _, err := demo.Load(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	secretariat := loginCookie(b, h, "sekretariat@demo.gns.example", demo.Password)
	return []loadPage{
		{name: "share-page", path: "/var-andel", cookie: loginCookie(b, h, "bracke@demo.gns.example", demo.Password)},
		{name: "case-list", path: kit.CasesURL("GNS"), cookie: secretariat},
		{name: "case-list-api", path: "/api/v1/committees/GNS/cases", token: tokenFor(b, db, "sekretariat@demo.gns.example")},
		{name: "case-page", path: kit.CaseURL(newestCase(b, db, "GNS")), cookie: secretariat},
		{name: "start-secretariat", path: "/", cookie: secretariat},
		{name: "invoice-list", path: kit.InvoicesURL("GNS"), cookie: loginCookie(b, h, "ekonom@demo.gns.example", demo.Password)},
	}
}

// newestCase is the number of the newest case of the committee code.
func newestCase(b testing.TB, db *store.DB, code string) domain.CaseNumber {
	ctx := context.Background()
	cm, err := db.Conn().CommitteeByCode(ctx, code)
	if err != nil {
		b.Fatal(err)
	}
	page, err := db.Conn().ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID, Limit: 1})
	if err != nil || len(page.Cases) == 0 {
		b.Fatalf("no case in %s: %v", code, err)
	}
	return page.Cases[0].Number
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

// seedLargeInstallation stores the large installation and, beside it, a
// small committee of ten parties and 1 000 cases, and logs in a party
// representative and a secretariat user of each committee.
func seedLargeInstallation(b *testing.B, db *store.DB, h http.Handler) []loadPage {
	b.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "benchmark"})
	var cm, small domain.Committee
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
		small, err = c.CreateCommittee(ctx, domain.Committee{Code: "LITEN", Name: "Nämnd med tio kommuner", StartedOn: domain.MustDate("2015-01-01"), HostPartyID: parties[1].ID})
		if err != nil {
			return err
		}
		for i, p := range parties {
			if err := c.AddMembership(ctx, domain.Membership{CommitteeID: cm.ID, PartyID: p.ID, Position: i + 1, From: cm.StartedOn}); err != nil {
				return err
			}
			if i >= 1 && i <= 10 {
				if err := c.AddMembership(ctx, domain.Membership{CommitteeID: small.ID, PartyID: p.ID, Position: i, From: small.StartedOn}); err != nil {
					return err
				}
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
		for _, u := range []domain.User{
			{Email: "part@example.se", Name: "Parts Representant", Roles: []domain.RoleGrant{{Role: domain.RoleParty, CommitteeID: cm.ID, PartyID: parties[100].ID}}},
			{Email: "sekr@example.se", Name: "Sekre Tariat", Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: cm.ID}}},
			{Email: "liten@example.se", Name: "Liten Sekreterare", Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: small.ID}}},
		} {
			u.Demo = true
			if _, err := c.CreateUser(ctx, u, auth.HashPassword(testPassword)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	storetest.SeedCases(b, db, cm.ID, 100_000, 0)
	storetest.SeedCases(b, db, small.ID, 1_000, 0)
	secretariat := loginCookie(b, h, "sekr@example.se", testPassword)
	return []loadPage{
		{name: "share-page", path: "/var-andel?ar=2025", cookie: loginCookie(b, h, "part@example.se", testPassword)},
		{name: "case-list", path: kit.CasesURL(cm.Code), cookie: secretariat},
		{name: "case-list-small", path: kit.CasesURL(small.Code), cookie: loginCookie(b, h, "liten@example.se", testPassword)},
		{name: "case-list-api", path: "/api/v1/committees/STOR/cases", token: tokenFor(b, db, "sekr@example.se")},
		{name: "case-page", path: kit.CaseURL(newestCase(b, db, cm.Code)), cookie: secretariat},
		{name: "start-secretariat", path: "/", cookie: secretariat},
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
