package web

import (
	"testing"
)

// TestBrowserAllocationKeys fills in the directive's key over three
// participants, renormalised, and then a mixed key, in the new-allocation
// form as the economist, and watches the live preview show the
// renormalisation and every part; the page must stay free of console errors
// and pass axe with the parts shown.
func TestBrowserAllocationKeys(t *testing.T) {
	t.Parallel()
	b := browserAs(t, "ekonom@demo.gns.example")
	b.Open("/namnder/GNS/fordelningar/ny")
	wantHeading(t, b, "Ny fördelning")
	choose := func(id, value string) {
		b.Exec(nil, "var e = document.getElementById(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change', {bubbles: true}))", id, value)
	}
	for _, slug := range []string{"region-jh", "ostersund", "are", "berg", "ragunda", "harjedalen"} {
		b.Click("#f-party_" + slug) // all take part in a new form: only three stay
	}
	choose("f-kind", "project")
	choose("f-method", "percent")
	b.Fill("#f-percent_bracke", "2,54")
	b.Fill("#f-percent_krokom", "5,81")
	b.Fill("#f-percent_stromsund", "4,60")
	b.Fill("#f-total", "300 000")
	waitForPreview(t, b, "12,95 %, inte 100 %")
	b.Click("#f-renormalise")
	waitForPreview(t, b, "fördelningsnyckel 2,54 % av de deltagandes 12,95 % = 19,6138996139 %", "58 841,70 kr", "300 000,00 kr", "= beloppet",
		"deras procentsatser summerar till 12,95 %")

	// Half in equal shares, half by the same key renormalised.
	choose("f-method", "mixed")
	b.Fill("#f-part1_percent", "50")
	b.Fill("#f-part2_percent", "50")
	choose("f-part2_method", "percent")
	b.Click("#f-part2_renormalise")
	waitForPreview(t, b, "Del 1: 50 % av beloppet, Lika delar.", "Del 2: 50 % av beloppet, Fast fördelningsnyckel.",
		"150 000,00 kr", "50 000,00 kr", "29 420,85 kr", "blandad nyckel: 50 % lika delar, 50 % fast nyckel omräknad över de deltagande")
	b.CheckConsole()
	b.CheckAxe()
	b.CheckPage("fordelning-blandad-nyckel")
}
