package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestDemoCases(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		conn := db.Conn()
		want := map[string]string{
			"GNS/11/2018": "Gemensamt dataskyddsombud",
			"GNS/3/2019":  "Gemensam IT-serverdrift",
			"GNS/8/2019":  "Avslut av Projekt Digital transformation",
			"GNS/14/2019": "Svenskt ramverk för digital samverkan",
			"GNS/2/2020":  "Återstående medel från 2018",
			"GNS/6/2020":  "Revisionsrapport granskning av gemensamma nämnd för samverkan",
			"GNS/8/2020":  "Budget 2021",
			"GNS/9/2020":  "Delårsrapport per augusti 2020",
			"GNS/10/2020": "Sammanträdestider 2021",
		}
		closed := map[string]bool{"GNS/14/2019": true, "GNS/8/2019": true, "GNS/6/2020": true}
		for number, title := range want {
			n, _ := domain.ParseCaseNumber(number)
			k, err := conn.CaseByNumber(ctx, n)
			if err != nil {
				t.Errorf("%s: %v", number, err)
				continue
			}
			// The December 2020 minutes (constructed from the kallelse)
			// decided every case; those whose decision ends them are closed.
			status := domain.CaseDecided
			if closed[number] {
				status = domain.CaseClosed
			}
			if k.Title != title || !k.Imported || k.Status != status || k.HandlerName != "Sofia Nordin" || k.Description == "" {
				t.Errorf("%s = %q (imported %v, %s, handler %q)", number, k.Title, k.Imported, k.Status, k.HandlerName)
			}
			docs, err := conn.CaseDocuments(ctx, k.ID)
			if err != nil || len(docs) != 1 || docs[0].Kind != domain.CaseDocumentOfficerReport || docs[0].ContentType != "text/plain; charset=utf-8" {
				t.Errorf("%s documents = %+v, %v", number, docs, err)
			}
		}
		n, _ := domain.ParseCaseNumber("GNS/10/2020")
		k, _ := conn.CaseByNumber(ctx, n)
		if !strings.Contains(k.Description, "måndagar eller fredagar") || strings.Contains(k.Description, "förslag\n") {
			t.Errorf("GNS/10/2020 description = %q", k.Description)
		}
		docs, _ := conn.CaseDocuments(ctx, k.ID)
		_, memo, err := conn.CaseDocumentContent(ctx, k.ID, docs[0].ID)
		if err != nil || !strings.Contains(string(memo), "Måndag 3 maj (tertialrapport per april)") || !strings.Contains(string(memo), "2020-11-09") {
			t.Errorf("tjänsteskrivelse of GNS/10/2020:\n%s", memo)
		}
		n, _ = domain.ParseCaseNumber("GNS/2/2020")
		refund, _ := conn.CaseByNumber(ctx, n)
		links, err := conn.CaseLinks(ctx, refund.ID)
		if err != nil || len(links) != 2 || links[0].Number.String() != "GNS/8/2019" || links[1].Number.String() != "GNS/14/2019" {
			t.Errorf("links of GNS/2/2020 = %+v, %v", links, err)
		}
		cm, _ := conn.CommitteeByCode(ctx, demo.CommitteeCode)
		years, _ := conn.CaseYears(ctx, cm.ID)
		if len(years) != 3 || years[0] != 2020 || years[2] != 2018 {
			t.Errorf("years with cases = %v", years)
		}
		// A second load changes nothing.
		loaded, err := demo.Load(ctx, db)
		if err != nil || loaded {
			t.Errorf("second Load = %v, %v", loaded, err)
		}
		page, err := conn.ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID})
		if err != nil || page.Total != len(demo.Cases) {
			t.Errorf("cases after two loads = %d, %v", page.Total, err)
		}
	})
}
