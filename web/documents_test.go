package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
)

// TestKallelsePDFCarriesItsTjansteskrivelser: the demo's published kallelse
// of 14 December 2020, downloaded by a member, carries the tjänsteskrivelse
// of each case after the agenda, with a contents list, and says in Swedish
// metadata what it is.
func TestKallelsePDFCarriesItsTjansteskrivelser(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newMinutesWorld(t, db)
		list, _ := db.Conn().Meetings(w.ctx, w.gns.ID, 2020)
		if len(list) == 0 {
			t.Fatal("no demo meeting in 2020")
		}
		b := w.as(t, "ledamot@demo.gns.example")
		r := b.get("/sammantraden/" + itoa(list[len(list)-1].ID) + "/kallelse.pdf")
		if r.Code != http.StatusOK {
			t.Fatalf("kallelse.pdf = %d", r.Code)
		}
		text := pdftest.Text(t, r.Body.Bytes(), false)
		for _, want := range []string{"Innehållsförteckning", "Bilagor", "Bilaga 1: Tjänsteskrivelse – ", "Regiondirektörens förslag", "I tjänsten"} {
			if !strings.Contains(text, want) {
				t.Errorf("the kallelse lacks %q", want)
			}
		}
		if strings.Count(text, "Ärendebeskrivning") < 2 {
			t.Error("the tjänsteskrivelser are not in the kallelse")
		}
		info, meta := pdftest.Info(t, r.Body.Bytes())
		if info["Title"] != "Kallelse 2020-12-14" || !strings.HasPrefix(info["Subject"], "Kallelse till sammanträde") || info["Author"] == "" ||
			!strings.Contains(meta, "sv-SE") {
			t.Errorf("metadata = %v\n%s", info, meta)
		}
	})
}
