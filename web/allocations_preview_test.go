package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestAllocationPreviewRefusesWhatSavingRefuses: the live preview, the
// Förhandsgranska button and the API's preview show exactly the error that
// saving gives, for each case where they once differed (amounts the
// database cannot hold, a correction of an allocation that does not exist
// or is already corrected, a deciding paragraph of another case); nothing is
// saved.
func TestAllocationPreviewRefusesWhatSavingRefuses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, b := economySetup(t, db)
		h := s.Handler()
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
		if err != nil {
			t.Fatal(err)
		}
		// § 42/2020 decided case GNS/8/2020; GNS/2/2020 is another case.
		err = db.InTx(ctx, func(c *store.Conn) error {
			k, err := c.CaseByNumber(ctx, domain.CaseNumber{Prefix: "GNS", Seq: 8, Year: 2020})
			if err != nil {
				return err
			}
			m, err := c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: cm.ID, Date: domain.MustDate("2020-12-14"), StartTime: "09:00", EndTime: "12:00",
				Place: "Regionens hus", Purpose: meeting.PurposeBudget, Municipalities: true})
			if err != nil {
				return err
			}
			_, err = c.ImportParagraph(ctx, meeting.Paragraph{CommitteeID: cm.ID, MeetingID: m.ID, Year: 2020, Number: 42, CaseID: k.ID,
				Title: "Budget 2021", Decision: "Basfinansieringen 2021 fastställs till 914 400 kr."})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// An allocation already corrected by another.
		list, err := db.Conn().Allocations(ctx, cm.ID)
		if err != nil || len(list) == 0 {
			t.Fatal(list, err)
		}
		old := list[len(list)-1]
		b.get("/namnder/GNS/fordelningar/ny")
		w := b.post("/namnder/GNS/fordelningar", allParties(url.Values{"kind": {"project"}, "title": {"Rättelse"}, "total": {"100"}, "method": {"equal"},
			"supersedes": {itoa(old.ID)}, "action": {"save"}}))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("correcting %d = %d: %s", old.ID, w.Code, plain(b.last))
		}
		saved, _ := db.Conn().Allocations(ctx, cm.ID)

		all := `[{"id":"region-jh"},{"id":"ostersund"},{"id":"are"},{"id":"krokom"},{"id":"berg"},{"id":"bracke"},{"id":"ragunda"},{"id":"stromsund"},{"id":"harjedalen"}]`
		for _, tt := range []struct {
			name string
			form url.Values
			api  string
			want string // what saving says
		}{
			{"a total the database cannot hold",
				url.Values{"kind": {"project"}, "title": {"Stort"}, "total": {"100 000 000 000 000 000"}, "method": {"equal"}},
				`{"kind": "project", "title": "Stort", "total": "100000000000000000.00", "method": "equal", "parties": ` + all + `}`,
				"för stort"},
			{"a negative total the database cannot hold",
				url.Values{"kind": {"refund"}, "title": {"Stort"}, "total": {"100 000 000 000 000 000"}, "method": {"equal"}},
				`{"kind": "refund", "title": "Stort", "total": "-100000000000000000.00", "method": "equal", "parties": ` + all + `}`,
				"för stort"},
			{"a stated share the database cannot hold",
				url.Values{"kind": {"project"}, "title": {"Angivet"}, "total": {"900"}, "method": {"equal"}, "stated_share": {"100 000 000 000 000 000"}},
				`{"kind": "project", "title": "Angivet", "total": "900.00", "method": "equal", "stated_share": "100000000000000000.00", "parties": ` + all + `}`,
				"för stort"},
			{"a correction of an allocation that does not exist",
				url.Values{"kind": {"project"}, "title": {"Rättelse"}, "total": {"900"}, "method": {"equal"}, "supersedes": {"999999"}},
				`{"kind": "project", "title": "Rättelse", "total": "900.00", "method": "equal", "supersedes": 999999, "parties": ` + all + `}`,
				"Fördelningen som ska ersättas finns inte i nämnden."},
			{"a correction of an allocation already corrected",
				url.Values{"kind": {"project"}, "title": {"Rättelse"}, "total": {"900"}, "method": {"equal"}, "supersedes": {itoa(old.ID)}},
				`{"kind": "project", "title": "Rättelse", "total": "900.00", "method": "equal", "supersedes": ` + itoa(old.ID) + `, "parties": ` + all + `}`,
				"är redan ersatt av fördelning"},
			{"a deciding paragraph of another case",
				url.Values{"kind": {"refund"}, "title": {"Återbetalning"}, "total": {"900"}, "method": {"equal"}, "case": {"GNS/2/2020"}, "paragraph": {"§ 42/2020"}},
				`{"kind": "refund", "title": "Återbetalning", "total": "-900.00", "method": "equal", "case": "GNS/2/2020", "paragraph": "§ 42/2020", "parties": ` + all + `}`,
				"§ 42/2020 gäller ett annat ärende än fördelningens."},
		} {
			t.Run(tt.name, func(t *testing.T) {
				form := allParties(tt.form)
				answers := map[string]string{}
				for _, action := range []string{"save", "preview"} {
					b.get("/namnder/GNS/fordelningar/ny")
					form.Set("action", action)
					w := b.post("/namnder/GNS/fordelningar", form)
					if w.Code == http.StatusOK || w.Code == http.StatusSeeOther {
						answers["form "+action] = "accepted"
					} else {
						answers["form "+action] = plain(w.Body.String())
					}
				}
				b.get("/namnder/GNS/fordelningar/ny")
				form.Del("action")
				w := b.post("/namnder/GNS/fordelningar/forhandsgranska", form)
				if body := plain(w.Body.String()); w.Code != http.StatusOK || strings.Contains(body, "= beloppet") {
					answers["live preview"] = "accepted"
				} else {
					answers["live preview"] = body
				}
				token := tokenFor(t, db, "ekonom@demo.gns.example")
				for name, path := range map[string]string{"API save": "/api/v1/committees/GNS/allocations", "API preview": "/api/v1/committees/GNS/allocations/preview"} {
					code, out := apiCall(t, h, token, "POST", path, tt.api)
					if code < 400 {
						answers[name] = "accepted"
					} else {
						b, _ := json.Marshal(out)
						answers[name] = string(b)
					}
				}
				for name, got := range answers {
					if !strings.Contains(got, tt.want) {
						t.Errorf("%s: %.300s\nwant the refusal %q", name, got, tt.want)
					}
				}
			})
		}
		if after, _ := db.Conn().Allocations(ctx, cm.ID); len(after) != len(saved) {
			t.Errorf("%d allocations saved by refused requests", len(after)-len(saved))
		}
	})
}
