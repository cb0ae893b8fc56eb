package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestDemoMeetings(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 { // the second load adds nothing
			if _, err := demo.Load(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		c := db.Conn()
		cm, err := c.CommitteeByCode(ctx, demo.CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := c.Meetings(ctx, cm.ID, 2021)
		if err != nil || len(plan) != 4 {
			t.Fatalf("2021 plan = %+v, %v", plan, err)
		}
		for i, m := range plan {
			if m.Date != demo.YearPlan2021[i].Date || m.Date.Weekday() != time.Monday || m.Purpose != demo.YearPlan2021[i].Purpose ||
				m.StartTime != "09:00" || m.Place != demo.MeetingPlace || m.Published() {
				t.Errorf("2021 meeting %d = %+v", i, m)
			}
		}
		// 2020 also holds the historical meetings of the demo minutes
		// (demo/minutes.go); December is the last.
		dec, err := c.Meetings(ctx, cm.ID, 2020)
		if err == nil && len(dec) > 0 {
			dec = dec[len(dec)-1:]
		}
		if err != nil || len(dec) != 1 || dec[0].Date.String() != "2020-12-14" || !dec[0].Published() {
			t.Fatalf("2020 meetings = %+v, %v", dec, err)
		}
		items, err := c.AgendaItems(ctx, dec[0].ID)
		if err != nil || len(items) != 11 {
			t.Fatalf("December 2020 items = %d, %v", len(items), err)
		}
		var got []string
		for _, it := range items {
			got = append(got, strings.TrimSpace(it.CaseNumber+" "+it.Title))
		}
		want := []string{
			"Fastställande av föredragningslista",
			"Val av justerare och tid för justering",
			"GNS/10/2020 Sammanträdestider 2021",
			"GNS/8/2020 Budget 2021",
			"GNS/6/2020 Revisionsrapport granskning av gemensamma nämnd för samverkan",
			"GNS/2/2020 Återstående medel från 2018",
			"GNS/14/2019 Svenskt ramverk för digital samverkan",
			"GNS/8/2019 Avslut av Projekt Digital transformation",
			"GNS/11/2018 Gemensamt dataskyddsombud",
			"GNS/3/2019 Gemensam IT-serverdrift",
			"GNS/9/2020 Delårsrapport per augusti 2020",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("items:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if it := items[3]; len(it.DispatchTo) != 1 || it.DispatchTo[0].Kind != "parties" || !strings.HasPrefix(it.Proposal, "Basfinansieringen för 2021") {
			t.Errorf("Budget 2021 item = %+v", it)
		}
		if it := items[4]; it.Proposal != "Uppdraget till regiondirektören återtas och ärendet avslutas." {
			t.Errorf("GNS/6/2020 proposal = %q, want the kallelse's", it.Proposal)
		}
	})
}
