package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestLedgerUploadWithUnclosedQuote uploads a CSV whose first field opens a
// quote that never closes: the reader used to panic (500); now the form
// names the line and nothing is saved.
func TestLedgerUploadWithUnclosedQuote(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, b, _ := economyCommitteeSetup(t, db)
		base := "/namnder/SAM/ekonomi"
		rs := &registrySetup{db: db, ctx: t.Context()}
		before := rs.rows(t, "ledger_imports")
		b.get(base + "/import")
		for _, data := range []string{"\"abc\n", "3611;2021-01;1\n\"3611;2021-02;2\n"} {
			w := b.postFile(base+"/import", url.Values{"format": {"csv"}, "year": {"2021"}}, "utfall.csv", []byte(data))
			if w.Code != http.StatusBadRequest || !strings.Contains(b.last, "CSV-filen kan inte läsas: rad ") || !strings.Contains(b.last, "citattecknen stämmer inte") {
				t.Errorf("upload of %q = %d, want 400 naming the line", data, w.Code)
			}
		}
		if got := rs.rows(t, "ledger_imports"); got != before {
			t.Errorf("imports %d → %d after refused uploads", before, got)
		}
	})
}
