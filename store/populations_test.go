package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestPopulations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		date := domain.MustDate("2020-12-31")
		record := func(p domain.Population, reason string) (domain.PopulationRecord, bool, error) {
			var rec domain.PopulationRecord
			var changed bool
			err := inTx(db, func(c *store.Conn) error {
				var err error
				rec, changed, err = c.RecordPopulation(registryCtx, p, reason)
				return err
			})
			return rec, changed, err
		}

		first, changed, err := record(domain.Population{PartyID: f.ostersund.ID, ReferenceDate: date, Inhabitants: 63895, Source: " SCB "}, "")
		if err != nil || !changed || first.Source != "SCB" || first.RecordedBy != "test" {
			t.Fatalf("first figure = %+v, %v, %v", first, changed, err)
		}
		if _, changed, err := record(domain.Population{PartyID: f.ostersund.ID, ReferenceDate: date, Inhabitants: 63895, Source: "SCB"}, ""); err != nil || changed {
			t.Errorf("the same figure again: changed %v, %v; want no change", changed, err)
		}

		// Refused: no reason for a correction, bad figures, an unknown party.
		refused := []struct {
			name   string
			p      domain.Population
			reason string
			code   string
		}{
			{"correction without reason", domain.Population{PartyID: f.ostersund.ID, ReferenceDate: date, Inhabitants: 63985, Source: "SCB"}, " ", domain.ECONFLICT},
			{"zero", domain.Population{PartyID: f.berg.ID, ReferenceDate: date, Inhabitants: 0, Source: "SCB"}, "", domain.EINVALID},
			{"negative", domain.Population{PartyID: f.berg.ID, ReferenceDate: date, Inhabitants: -7120, Source: "SCB"}, "", domain.EINVALID},
			{"no date", domain.Population{PartyID: f.berg.ID, Inhabitants: 7120, Source: "SCB"}, "", domain.EINVALID},
			{"no source", domain.Population{PartyID: f.berg.ID, ReferenceDate: date, Inhabitants: 7120}, "", domain.EINVALID},
			{"source of 10 000 characters", domain.Population{PartyID: f.berg.ID, ReferenceDate: date, Inhabitants: 7120, Source: strings.Repeat("S", 10_000)}, "", domain.EINVALID},
			{"unknown party", domain.Population{PartyID: 999999, ReferenceDate: date, Inhabitants: 7120, Source: "SCB"}, "", domain.ENOTFOUND},
		}
		rows := count(t, db, "populations")
		for _, tt := range refused {
			if _, _, err := record(tt.p, tt.reason); domain.ErrorCode(err) != tt.code {
				t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
			}
		}
		if count(t, db, "populations") != rows {
			t.Error("refused figures left rows behind")
		}

		// A correction keeps the earlier value in the history.
		fixed, changed, err := record(domain.Population{PartyID: f.ostersund.ID, ReferenceDate: date, Inhabitants: 63985, Source: "SCB"}, "Siffrorna var omkastade")
		if err != nil || !changed || fixed.CorrectionReason != "Siffrorna var omkastade" {
			t.Fatalf("correction = %+v, %v, %v", fixed, changed, err)
		}
		if _, _, err := record(domain.Population{PartyID: f.berg.ID, ReferenceDate: date, Inhabitants: 7120, Source: "SCB"}, "ignored for a first figure"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := record(domain.Population{PartyID: f.berg.ID, ReferenceDate: domain.MustDate("2019-12-31"), Inhabitants: 7040, Source: "SCB"}, ""); err != nil {
			t.Fatal(err)
		}
		hist, err := c.PopulationHistory(registryCtx, f.ostersund.ID)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if !hist[0].Current() || hist[0].Inhabitants != 63985 || hist[1].Current() || hist[1].Inhabitants != 63895 || hist[1].SupersededBy != hist[0].ID {
			t.Errorf("history = %+v", hist)
		}
		berg, _ := c.PopulationHistory(registryCtx, f.berg.ID)
		if len(berg) != 2 || berg[0].CorrectionReason != "" {
			t.Errorf("Berg's history = %+v", berg)
		}

		tab, err := c.PopulationTable(registryCtx, f.cm, date)
		if err != nil {
			t.Fatal(err)
		}
		if tab.Total != 63985+7120 || tab.Missing != 1 || len(tab.Rows) != 3 || tab.Rows[0].Figure != nil || tab.Rows[1].Figure.Inhabitants != 63985 {
			t.Errorf("table = %+v", tab)
		}
		dates, err := c.PopulationDates(registryCtx, f.cm.ID)
		if err != nil || len(dates) != 2 || dates[0] != date {
			t.Errorf("dates = %v, %v", dates, err)
		}

		// The history cannot be rewritten behind the store's back.
		for _, stmt := range []string{
			"UPDATE populations SET inhabitants = 1",
			"UPDATE populations SET source = 'annan' WHERE corrected_at IS NULL",
			"DELETE FROM populations",
		} {
			if _, err := db.SQL().ExecContext(registryCtx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
		if _, err := db.SQL().ExecContext(registryCtx, fmt.Sprintf("UPDATE populations SET superseded_by = NULL WHERE id = %d", hist[1].ID)); err == nil {
			t.Error("a superseded figure was made current again")
		}
	})
}

func TestImportPopulations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		imp := func(csv, reason string) (store.ImportResult, error) {
			lines, err := domain.ParsePopulationCSV([]byte(csv))
			if err != nil {
				return store.ImportResult{}, err
			}
			var res store.ImportResult
			err = inTx(db, func(c *store.Conn) error {
				var err error
				res, err = c.ImportPopulations(registryCtx, f.cm, lines, reason)
				return err
			})
			return res, err
		}
		const header = "party,reference_date,population,source\n"

		// A bad line anywhere refuses the whole file, naming every bad line.
		_, err := imp(header+
			"ostersund,2020-12-31,63985,SCB\n"+ // 2
			"Okänd kommun,2020-12-31,100,SCB\n"+ // 3: not a party of the committee
			"2380,2020-12-31,63985,SCB\n"+ // 4: Östersund again, by kommunkod
			"berg,2020-12-31,7120,SCB\n", "") // 5
		var ie *domain.ImportError
		if !errors.As(err, &ie) || len(ie.Lines) != 2 || ie.Lines[0].Line != 3 || ie.Lines[1].Line != 4 || !strings.Contains(ie.Lines[1].Message, "rad 2") {
			t.Fatalf("import with bad lines: %v", err)
		}
		if n := count(t, db, "populations"); n != 0 {
			t.Fatalf("a refused import stored %d figures", n)
		}

		res, err := imp(header+
			"ostersund,2020-12-31,63985,SCB\n"+
			"Region Jämtland Härjedalen,2019-12-31,100000,Testvärde\n"+ // by name, for the parser
			"212000-2528,2019-12-31,63776,SCB\n"+ // by org number
			"2326,2020-12-31,7120,\"SCB, 31 december 2020\"\n", "")
		if err != nil || res != (store.ImportResult{Added: 4}) {
			t.Fatalf("import = %+v, %v", res, err)
		}

		// Importing again changes nothing; a different figure needs a reason.
		if res, err := imp(header+"berg,2020-12-31,7120,\"SCB, 31 december 2020\"\n", ""); err != nil || res != (store.ImportResult{Unchanged: 1}) {
			t.Errorf("the same file again = %+v, %v", res, err)
		}
		if _, err := imp(header+"berg,2020-12-31,7121,SCB\n", ""); !errors.As(err, &ie) || !strings.Contains(ie.Lines[0].Message, "anledning") {
			t.Errorf("a correction without a reason: %v", err)
		}
		res, err = imp(header+"berg,2020-12-31,7121,SCB\nostersund,2020-12-31,63985,SCB\n", "Rättad enligt SCB")
		if err != nil || res != (store.ImportResult{Corrected: 1, Unchanged: 1}) {
			t.Errorf("correcting import = %+v, %v", res, err)
		}
		hist, _ := c.PopulationHistory(registryCtx, f.berg.ID)
		if len(hist) != 2 || hist[0].Inhabitants != 7121 || hist[0].CorrectionReason != "Rättad enligt SCB" || hist[1].Current() {
			t.Errorf("Berg's history after the correction = %+v", hist)
		}
		entries, _, _ := c.AuditEntries(registryCtx, domain.AuditFilter{Entity: "population"})
		if len(entries) != 5 || entries[0].Action != "correct" {
			t.Errorf("audit of populations: %d entries", len(entries))
		}
	})
}
