package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// The case benchmarks measure registration (one transaction) and the case
// list on a register of 100 000 cases, next to a committee with 1 000, on
// both engines:
//
//	GNS_TEST_POSTGRES=... go test ./store -run '^$' -bench Cases -benchtime 2s
//
// The list must cost the same on both registers: every filter but free text
// is served by an index in number order and stops after one page, and the
// count stops at domain.MaxCaseCount.
func BenchmarkCases(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.NewSQLite}, {"postgres", storetest.NewPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			ctx := domain.WithActor(context.Background(), domain.Actor{Label: "benchmark"})
			big, small, handler := seedCaseRegisters(b, ctx, db)
			b.Run("register", func(b *testing.B) {
				today := domain.DateOf(time.Now())
				for i := 0; b.Loop(); i++ {
					err := db.InTx(ctx, func(c *store.Conn) error {
						_, err := c.RegisterCase(ctx, big, domain.Case{Title: fmt.Sprintf("Nytt ärende %d", i), Description: "Registrerat i en mätning.", RegisteredOn: today})
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, reg := range []struct {
				name string
				cm   domain.Committee
			}{{"1000", small}, {"100000", big}} {
				for _, q := range []struct {
					name string
					f    domain.CaseFilter
				}{
					{"first-page", domain.CaseFilter{}},
					{"deep-page", domain.CaseFilter{After: domain.CaseCursor{Year: 2000, Seq: 30}}},
					{"year", domain.CaseFilter{Year: 2010}},
					{"status", domain.CaseFilter{Status: domain.CaseClosed}},
					{"handler", domain.CaseFilter{HandlerID: handler}},
					{"text-common", domain.CaseFilter{Text: "upphandling"}},
					{"text-rare", domain.CaseFilter{Text: "lillsjöhögen"}},
				} {
					b.Run("list-"+reg.name+"/"+q.name, func(b *testing.B) {
						f := q.f
						f.CommitteeID, f.Limit = reg.cm.ID, 50
						for b.Loop() {
							if _, err := db.Conn().ListCases(ctx, f); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
		})
	}
}

// seedCaseRegisters fills a committee with 100 000 cases and another with
// 1 000, spread over the years 2000–2026 and the statuses, a fifth of them
// with a handler, with plain SQL in batches (registering them one by one
// would take the benchmark's time several times over). It returns the two
// committees and the handler.
func seedCaseRegisters(b *testing.B, ctx context.Context, db *store.DB) (big, small domain.Committee, handler int64) {
	b.Helper()
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		if big, err = c.CreateCommittee(ctx, domain.Committee{Code: "STOR", Name: "Stor nämnd", StartedOn: domain.MustDate("2000-01-01")}); err != nil {
			return err
		}
		if small, err = c.CreateCommittee(ctx, domain.Committee{Code: "LITEN", Name: "Liten nämnd", StartedOn: domain.MustDate("2000-01-01")}); err != nil {
			return err
		}
		u, err := c.CreateUser(ctx, domain.User{Email: "handlaggare@example.se", Name: "Handläggare",
			Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: big.ID}, {Role: domain.RoleSecretariat, CommitteeID: small.ID}}}, "hash")
		handler = u.ID
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	storetest.SeedCases(b, db, big.ID, 100_000, handler)
	storetest.SeedCases(b, db, small.ID, 1_000, handler)
	b.Logf("%s: seeded 101 000 cases in %v", db.Dialect(), time.Since(start).Round(time.Millisecond))
	return big, small, handler
}
