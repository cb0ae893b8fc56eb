package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// caseWords make the seeded cases' titles; "lillsjöhögen" is a rare word, in
// one case in 10 000.
var caseWords = []string{"upphandling", "budget", "delårsrapport", "samverkan", "IT-serverdrift", "dataskydd", "Åre kommun", "revision", "sammanträdestider", "Östersund"}

// SeedCases fills a committee's register with n cases spread over the years
// 2000–2026 and the statuses, a fifth of them with the given handler (0 for
// none), with plain SQL in batches: registering them one by one would take a
// benchmark's time several times over. It is for benchmarks and load tests.
func SeedCases(tb testing.TB, db *store.DB, committeeID int64, n int, handler int64) {
	tb.Helper()
	ctx := context.Background()
	const years = 27 // 2000 … 2026
	perYear := (n + years - 1) / years
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	var rows []string
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cases (committee_id, year, seq, title, description, search_text, handler_user_id,
			status, registered_on, imported, created_at, updated_at, closed_at) VALUES `+strings.Join(rows, ", ")); err != nil {
			tb.Fatal(err)
		}
		rows = rows[:0]
	}
	for i := range n {
		year, seq := 2000+i/perYear, i%perYear+1
		title := fmt.Sprintf("Ärende %d om %s", i, caseWords[i%len(caseWords)])
		if i%10_000 == 5_000 {
			title += " vid Lillsjöhögen"
		}
		description := "Beskrivning av " + strings.ToLower(caseWords[(i/7)%len(caseWords)]) + " för parterna."
		status := domain.OpenCaseStatuses[i%len(domain.OpenCaseStatuses)]
		closedAt := "NULL"
		if i%3 == 0 {
			status, closedAt = domain.CaseClosed, "'2020-06-01 12:00:00+00:00'"
		}
		h := "NULL"
		if handler != 0 && i%5 == 0 {
			h = fmt.Sprint(handler)
		}
		rows = append(rows, fmt.Sprintf("(%d, %d, %d, '%s', '%s', '%s', %s, '%s', '%d-03-01', FALSE, '2020-06-01 12:00:00+00:00', '2020-06-01 12:00:00+00:00', %s)",
			committeeID, year, seq, title, description, domain.CaseFolded(title, description), h, status, year, closedAt))
		if len(rows) == 500 {
			flush()
		}
	}
	flush()
	for y := 2000; y < 2000+years; y++ {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO case_counters (committee_id, year, last_seq) VALUES (%d, %d, %d)`, committeeID, y, perYear)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	// The search index, as the transactions of a running GNS would have
	// kept it.
	if _, err := db.Reindex(ctx); err != nil {
		tb.Fatal(err)
	}
	// Fresh statistics, as autovacuum (PostgreSQL) or a long-running
	// database would have them.
	if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}
