package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// BenchmarkSearch measures a search on the large set (100 000 cases beside
// a committee of 1 000, and a tjänsteskrivelse for every fifth case) for a
// rare word (one case in 10 000) and a common one (in a tenth of the cases'
// titles and descriptions, and in every document), with one client and with
// 32 at once, on both engines, as the secretariat (who reads everything of
// the committee):
//
//	GNS_TEST_POSTGRES=... go test ./store -run '^$' -bench Search -benchtime 400x
//
// It reports the 50th and 99th percentile of the searches' times.
func BenchmarkSearch(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.NewSQLite}, {"postgres", storetest.NewPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			ctx := domain.WithActor(context.Background(), domain.Actor{Label: "benchmark"})
			big, _, handler := seedCaseRegisters(b, ctx, db)
			start := time.Now()
			seedDocuments(b, db, big.ID, 5)
			n, err := db.Reindex(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d documents and reindex (%d entries) in %v", db.Dialect(), 100_000/5, n, time.Since(start).Round(time.Millisecond))
			u, err := db.Conn().UserByID(ctx, handler)
			if err != nil {
				b.Fatal(err)
			}
			for _, q := range []struct{ name, text string }{{"rare", "lillsjöhögen"}, {"common", "upphandling"}} {
				for _, clients := range []int{1, 32} {
					b.Run(fmt.Sprintf("%s/clients-%d", q.name, clients), func(b *testing.B) {
						benchSearch(b, db, u, domain.SearchFilter{Text: q.text, Limit: 60}, clients)
					})
				}
			}
		})
	}
}

// benchSearch runs b.N searches from clients goroutines at once and reports
// the percentiles of their times.
func benchSearch(b *testing.B, db *store.DB, u domain.User, f domain.SearchFilter, clients int) {
	ctx := context.Background()
	if hits, err := db.Conn().Search(ctx, u, f); err != nil || len(hits) == 0 {
		b.Fatalf("search %q: %d hits, %v", f.Text, len(hits), err)
	}
	times := make([]time.Duration, b.N)
	var (
		wg   sync.WaitGroup
		next = make(chan int, b.N)
	)
	for i := range b.N {
		next <- i
	}
	close(next)
	b.ResetTimer()
	for range clients {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				if _, err := db.Conn().Search(ctx, u, f); err != nil {
					b.Error(err)
					return
				}
				times[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// seedDocuments gives every every-th case of a committee a plain-text
// tjänsteskrivelse of some 150 words, with plain SQL in batches.
func seedDocuments(b *testing.B, db *store.DB, committeeID int64, every int) {
	b.Helper()
	ctx := context.Background()
	var ids []int64
	rows, err := db.SQL().QueryContext(ctx, fmt.Sprintf("SELECT id FROM cases WHERE committee_id = %d AND id %% %d = 0 ORDER BY id", committeeID, every))
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	text := strings.Repeat("Tjänsteskrivelse om upphandling och samverkan mellan parterna i nämnden, med förslag till beslut. ", 10)
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	var vals []string
	flush := func() {
		if len(vals) == 0 {
			return
		}
		q := `INSERT INTO case_documents (case_id, kind, title, file_name, content_type, size, sha256, content, uploaded_by_label, created_at) VALUES ` + strings.Join(vals, ", ")
		if _, err := tx.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
		vals = vals[:0]
	}
	content := "X'" + fmt.Sprintf("%x", text) + "'"
	if db.Dialect() == store.Postgres {
		content = "'\\x" + fmt.Sprintf("%x", text) + "'::bytea"
	}
	for _, id := range ids {
		vals = append(vals, fmt.Sprintf("(%d, 'officer_report', 'Tjänsteskrivelse %d', 'tjansteskrivelse-%d.txt', 'text/plain; charset=utf-8', %d, 'x', %s, 'benchmark', '2020-06-01 12:00:00+00:00')",
			id, id, id, len(text), content))
		if len(vals) == 200 {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
