package demo_test

import (
	"context"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestLoadIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, want := range []bool{true, false} {
			loaded, err := demo.Load(ctx, db)
			if err != nil {
				t.Fatalf("Load #%d: %v", i+1, err)
			}
			if loaded != want {
				t.Errorf("Load #%d loaded = %v, want %v", i+1, loaded, want)
			}
		}
		ov, err := db.Conn().CommitteeOverviews(ctx, domain.MustDate("2021-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if len(ov) != 1 || ov[0].Code != "GNS" {
			t.Fatalf("committees = %+v, want only GNS", ov)
		}
		if got := len(ov[0].Parties); got != 9 {
			t.Fatalf("GNS has %d parties, want 9", got)
		}
		first, last := ov[0].Parties[0], ov[0].Parties[8]
		if first.Name != "Region Jämtland Härjedalen" || !first.Host {
			t.Errorf("first party = %s (host %v), want the host region", first.Name, first.Host)
		}
		if last.Name != "Härjedalens kommun" || last.Host {
			t.Errorf("last party = %s (host %v), want Härjedalens kommun, not host", last.Name, last.Host)
		}
	})
}
