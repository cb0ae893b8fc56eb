package web

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// TestBrowserHtmxAllocationPreview edits the new-allocation form as the
// economist and watches the preview under it follow the fields (htmx, no
// page load), explain a missing amount at its field, and leave the
// "Förhandsgranska" button's ordinary page flow as it was. The page must stay
// free of console errors (a content security policy violation, a script
// refused for its integrity, a failed request) and pass axe with the
// preview shown.
func TestBrowserHtmxAllocationPreview(t *testing.T) {
	t.Parallel()
	b := browserAs(t, "ekonom@demo.gns.example")
	b.Open("/namnder/GNS/fordelningar/ny")
	wantHeading(t, b, "Ny fördelning")

	var loaded struct {
		Version     string `json:"version"`
		AllowEval   bool   `json:"allowEval"`
		StyleInHead int    `json:"styles"`
	}
	b.Exec(&loaded, "return {version: window.htmx ? htmx.version : '', allowEval: !!(window.htmx && htmx.config.allowEval), styles: document.querySelectorAll('style').length}")
	if loaded.Version != kit.HtmxVersion || loaded.AllowEval || loaded.StyleInHead != 0 {
		t.Fatalf("htmx on the page: %+v; want version %s, allowEval off, no inline style element", loaded, kit.HtmxVersion)
	}
	b.Exec(nil, "window.__samePage = true")
	if got := previewText(b); got != "" {
		t.Errorf("the preview of an empty form shows %q, want nothing yet", got)
	}

	b.Fill("#f-total", "1 000 000")
	waitForPreview(t, b, "111 111,12 kr", "= beloppet")
	if got := previewText(b); !strings.Contains(got, "111 111,11 kr") || !strings.Contains(got, "Region Jämtland Härjedalen") {
		t.Errorf("the preview of 1 000 000 kr in nine shares shows %q", got)
	}
	// Screen readers hear one line, from the status region, not the table.
	var status string
	b.Exec(&status, "return document.getElementById('allocation-preview-status').innerText")
	if got := plain(status); got != "Förhandsgranskningen är uppdaterad: 1 000 000,00 kr fördelat på 9 parter." {
		t.Errorf("the status line says %q", got)
	}
	if b.Has("#allocation-preview [aria-live]") || b.Has("#allocation-preview[aria-live]") {
		t.Error("the preview table is itself a live region")
	}
	b.CheckPage("htmx-fordelning-forhandsvisning")

	// Another amount, and a party less: 900 000 kr in eight shares.
	b.Fill("#f-total", "900 000")
	b.Click("#f-party_are")
	waitForPreview(t, b, "112 500,00 kr", "= beloppet")
	if got := previewText(b); strings.Contains(got, "111 111") || strings.Contains(got, "Åre kommun") {
		t.Errorf("the preview still shows the earlier split: %q", got)
	}

	// No amount: the preview says so and links to the field.
	b.Find("#f-total").Clear()
	waitForPreview(t, b, "Ange beloppet som ska fördelas.")
	b.Exec(&status, "return document.getElementById('allocation-preview-status').innerText")
	if !strings.Contains(status, "kan inte visas ännu") {
		t.Errorf("without an amount the status line says %q", status)
	}
	if !b.Has("#allocation-preview a[href='#f-total']") || b.Has("#allocation-preview table") {
		t.Errorf("the preview without an amount does not link to the field or still shows a table: %q", previewText(b))
	}
	b.CheckConsole()
	b.CheckAxe()
	b.Screenshot("htmx-fordelning-forhandsvisning-fel")

	var samePage bool
	b.Exec(&samePage, "return window.__samePage === true")
	if !samePage {
		t.Fatal("the preview loaded a new page instead of updating the one shown")
	}

	// The button still sends the form as a page, which offers to save.
	b.Fill("#f-total", "900 000")
	b.Fill("#f-title", "Basfinansiering 2027")
	b.ClickAndWait("form button[value=preview]")
	if got := b.Path(); got != "/namnder/GNS/fordelningar" {
		t.Errorf("Förhandsgranska led to %s, want the form's page", got)
	}
	waitForPreview(t, b, "Förhandsgranskning: Basfinansiering 2027", "112 500,00 kr")
	if !b.Has("form button[value=save]") {
		t.Error("after Förhandsgranska the form offers no Spara fördelningen")
	}
	b.CheckPage("htmx-fordelning-sidans-forhandsgranskning")
}

// previewText returns the text of the allocation form's preview region, with
// plain spaces for the no-break spaces of amounts.
func previewText(b *browsertest.Browser) string {
	var s string
	b.Exec(&s, "var e = document.getElementById('allocation-preview'); return e ? e.innerText : ''")
	return strings.TrimSpace(plain(s))
}

// waitForPreview polls the preview region until it holds every one of
// wants, failing the test after five seconds.
func waitForPreview(t *testing.T, b *browsertest.Browser, wants ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := previewText(b)
		missing := ""
		for _, w := range wants {
			if !strings.Contains(got, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the preview lacks %q; it shows %q", missing, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
