package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// TestDemoMoneyFollowsTheDecision follows the demo's refund as a
// municipality's representative would (issue 16 §§1–3): the allocation
// pays the decided 52 010 kr per party and shows the 1,00 kr kept; its
// decision is a paragraph of the December 2020 minutes, which say on the
// page and in the PDFs that the demo constructed them; the carry-forward
// ledger shows what was refunded per year and the kept krona.
func TestDemoMoneyFollowsTheDecision(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		b.login("bracke@demo.gns.example", demo.Password)
		ctx := context.Background()
		cm, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		list, err := db.Conn().Allocations(ctx, cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		var refund finance.Allocation
		for _, a := range list {
			if a.Kind == finance.AllocationRefund {
				refund = a
			}
		}
		get := func(path string) string {
			t.Helper()
			w := b.get(path)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", path, w.Code)
			}
			return html.UnescapeString(plain(w.Body.String()))
		}
		page := get(kit.AllocationURL(refund.ID))
		for _, want := range []string{refund.Decision, "Konstruerat för demon", "Faktureras enligt beslutets belopp.", "−52 010,00 kr",
			"−52 010,11 kr", "Skillnaden, 1,00 kr, stannar i nämnden och bokförs i balanseringsregistret under 2019 års medel", "er part"} {
			if !strings.Contains(page, want) {
				t.Errorf("the refund's page lacks %q", want)
			}
		}
		para := get("/paragrafer/" + itoa(refund.ParagraphID))
		for _, want := range []string{demo.ConstructedNotice, "468 091 kr återbetalas med 52 010 kr till respektive part"} {
			if !strings.Contains(para, want) {
				t.Errorf("the deciding paragraph's page lacks %q", want)
			}
		}
		ledger := get("/namnder/GNS/ekonomi/overforingar")
		for _, want := range []string{"Medel från 2019", "417 000,00 kr", "51 090,00 kr", "kvar i nämnden 1,00 kr", "Varav kvar efter avrundning"} {
			if !strings.Contains(ledger, want) {
				t.Errorf("the carry-forward ledger lacks %q", want)
			}
		}
		p, _ := db.Conn().ParagraphByID(ctx, refund.ParagraphID)
		w := b.get("/sammantraden/" + itoa(p.MeetingID) + "/protokoll.pdf")
		if w.Code != http.StatusOK {
			t.Fatalf("minutes PDF = %d", w.Code)
		}
		if text := pdfText(t, w.Body.Bytes()); !strings.Contains(text, "Konstruerat för demon – seeds saknar decemberprotokollet") ||
			!strings.Contains(text, "52 010 kr till respektive part") || !strings.Contains(text, "konstruerat och låst i GNS") {
			t.Errorf("the December minutes PDF does not say it is constructed:\n%s", text)
		}
	})
}

// TestRefundRunPreviewShowsTheBooking: the preview of a refund that names
// its originating years says how the ledger will book it, and refuses
// (with nothing to confirm) a refund the years cannot hold.
func TestRefundRunPreviewShowsTheBooking(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := economySetup(t, db)
		save := func(title, total string) string {
			t.Helper()
			b.get("/namnder/GNS/fordelningar/ny")
			w := b.post("/namnder/GNS/fordelningar", allParties(url.Values{"kind": {"refund"}, "title": {title}, "total": {total},
				"method": {"equal"}, "budget_year": {"2021"}, "decision": {"GNS § 99/2020"}, "origin_years": {"2019"}, "action": {"save"}}))
			if w.Code != http.StatusSeeOther {
				t.Fatalf("save %s = %d: %s", title, w.Code, plain(w.Body.String()))
			}
			return location(w)
		}
		// After the demo's refund 2019 keeps 1,00 kr.
		small := save("Återbetalning av det som blev kvar", "0,09")
		w := b.get(small + "/fakturera?datum=2021-02-10")
		if body := plain(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(body, "Medel från 2019: återbetalt 0,09 kr") {
			t.Errorf("preview of a refund the ledger holds = %d", w.Code)
		}
		big := save("För stor återbetalning", "900")
		w = b.get(big + "/fakturera?datum=2021-02-10")
		if body := plain(w.Body.String()); w.Code < 400 || !strings.Contains(body, "2019 har bara 1,00 kr kvar") || strings.Contains(body, `name="fingerprint"`) {
			t.Errorf("preview of a refund the years cannot hold = %d", w.Code)
		}
	})
}
