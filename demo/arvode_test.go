package demo

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestDemoArvode loads the demo twice and finds Bräcke's arvode basis for
// 2020: its ledamot at the December meeting, present for §§ 15–23, with the
// demo's attested claims, added once.
func TestDemoArvode(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		for range 2 {
			if _, err := Load(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		c := db.Conn()
		cm, err := c.CommitteeByCode(ctx, CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}
		bracke, err := c.PartyBySlug(ctx, "bracke")
		if err != nil {
			t.Fatal(err)
		}
		lines, err := c.ArvodeBasis(ctx, store.BasisFilter{CommitteeID: cm.ID, PartyID: bracke.ID, From: domain.MustDate("2020-01-01"), To: domain.MustDate("2020-12-31")})
		if err != nil || len(lines) != 1 {
			t.Fatalf("Bräcke's basis 2020 = %+v, %v", lines, err)
		}
		l := lines[0]
		hours, km, amount, pending := l.Totals()
		if l.Member.Name != "Daniel Danielsson" || l.Meeting.Date != December2020.Date || l.Role != meeting.ArvodeLedamot ||
			meeting.ParagraphRanges(l.Paragraphs) != "§§ 15–23" || len(l.Claims) != 2 || !hours.Equal(decimal.RequireFromString("3.5")) ||
			!km.Equal(decimal.NewFromInt(142)) || !amount.IsZero() || pending != 0 {
			t.Errorf("Bräcke's line = %+v; %s h, %s km, %s kr, %d pending", l, hours, km, amount, pending)
		}
	})
}
