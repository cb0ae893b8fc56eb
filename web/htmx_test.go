package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// TestHtmxIsPinned checks that the vendored htmx is the pinned release: the
// embedded file's SHA-256 is htmxSHA256, it is the only htmx file, every
// page loads it with that digest as its integrity, it is served as
// JavaScript with the static files' cache header, and the content security
// policy it runs under allows neither eval nor inline script or style.
func TestHtmxIsPinned(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(kit.StaticFS, "static/"+kit.HtmxFile)
	if err != nil {
		t.Fatalf("the pinned htmx is not embedded: %v", err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != kit.HtmxSHA256 {
		t.Fatalf("static/%s has SHA-256 %s, want the pinned %s: the file changed (see htmx.go to upgrade)", kit.HtmxFile, got, kit.HtmxSHA256)
	}
	if !strings.Contains(string(b[:min(len(b), 20000)]), `version:"`+kit.HtmxVersion+`"`) {
		t.Errorf("static/%s does not say it is version %s", kit.HtmxFile, kit.HtmxVersion)
	}
	others, _ := fs.Glob(kit.StaticFS, "static/htmx*")
	if len(others) != 1 {
		t.Errorf("static holds %v, want only %s", others, kit.HtmxFile)
	}

	s, _ := newTestServer(t, storetest.NewSQLite(t))
	w := newBrowser(t, s.Handler()).get("/logga-in")
	integrity := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	script := `<script src="/static/` + kit.HtmxFile + `" integrity="` + integrity + `" defer></script>`
	if !strings.Contains(w.Body.String(), script) {
		t.Errorf("the layout does not load htmx as %s", script)
	}
	for _, want := range []string{`"allowEval":false`, `"includeIndicatorStyles":false`, `"allowScriptTags":false`, `"selfRequestsOnly":true`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("the layout's htmx-config lacks %s", want)
		}
	}
	csp := w.Header().Get("Content-Security-Policy")
	for _, bad := range []string{"unsafe-eval", "unsafe-inline", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("the content security policy %q allows %s", csp, bad)
		}
	}

	w = newBrowser(t, s.Handler()).get("/static/" + kit.HtmxFile)
	if w.Code != http.StatusOK || w.Body.String() != string(b) {
		t.Fatalf("GET /static/%s = %d, %d bytes; want 200 with the file", kit.HtmxFile, w.Code, w.Body.Len())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("htmx is served as %q, want text/javascript (the browser refuses other types with nosniff)", ct)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Errorf("htmx is served with Cache-Control %q, want the static files' max-age", cc)
	}
}

// livePreviewPath is the allocation form's live preview for the demo committee.
const livePreviewPath = "/namnder/GNS/fordelningar/forhandsgranska"

// TestAllocationLivePreview drives the allocation form's live preview
// through the router: the form asks for it, the fragment shows the split
// that "Förhandsgranska" shows, problems are explained in Swedish and linked
// to their fields, nothing is ever saved, and the route keeps to the form's
// role rule, form token and same-origin check.
func TestAllocationLivePreview(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := economySetup(t, db)
		ctx := context.Background()
		saved := func() int {
			list, err := db.Conn().Allocations(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		before := saved()

		page := b.get("/namnder/GNS/fordelningar/ny").Body.String()
		for _, want := range []string{`hx-post="` + livePreviewPath + `"`, `hx-target="#allocation-preview"`, `<div id="allocation-preview">`, `<p id="allocation-preview-status" class="visually-hidden" role="status"></p>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the new allocation form lacks %s", want)
			}
		}

		// Happy path: no title yet, the split of 1 000 000 kr in nine equal shares.
		form := allParties(url.Values{"kind": {"base_funding"}, "total": {"1 000 000"}, "method": {"equal"}, "unit": {"ore"}})
		w := b.post(livePreviewPath, form)
		body := plain(w.Body.String())
		if w.Code != http.StatusOK || strings.Contains(body, "<html") || strings.Contains(body, "<form") {
			t.Fatalf("live preview = %d, want 200 with the fragment only:\n%s", w.Code, body)
		}
		if cells := amountCell.FindAllStringSubmatch(body, -1); len(cells) != 10 || cells[0][1] != "111 111,12 kr" || cells[1][1] != "111 111,11 kr" || cells[9][1] != "1 000 000,00 kr" {
			t.Errorf("live preview amounts = %v, want 111 111,12 kr, then 111 111,11 kr, summing to 1 000 000,00 kr", cells)
		}
		for _, want := range []string{`<h2 id="preview-heading">Förhandsgranskning</h2>`, "= beloppet", "Förhandsgranskningen följer formuläret"} {
			if !strings.Contains(body, want) {
				t.Errorf("live preview lacks %q", want)
			}
		}
		if strings.Contains(body, "Spara fördelningen") || strings.Contains(body, "error-summary") {
			t.Error("the live preview of a good form shows a save button or errors")
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("live preview Cache-Control = %q, want no-store", w.Header().Get("Cache-Control"))
		}

		// The same split as the page's own preview, which also needs the title.
		form.Set("title", "Basfinansiering 2027")
		form.Set("action", "preview")
		fw := b.post("/namnder/GNS/fordelningar", form)
		full := plain(fw.Body.String())
		if fw.Code != http.StatusOK {
			t.Fatalf("the page's preview = %d", fw.Code)
		}
		live := plain(b.post(livePreviewPath, form).Body.String())
		table := func(s string) string {
			i := strings.Index(s, `<table class="allocation">`)
			if i < 0 {
				return ""
			}
			s = s[i:]
			return s[:strings.Index(s, "</table>")+len("</table>")]
		}
		if table(full) == "" || table(full) != table(live) {
			t.Errorf("the live preview's table differs from the page's:\npage: %s\nlive: %s", table(full), table(live))
		}
		if !strings.Contains(live, "Förhandsgranskning: Basfinansiering 2027") {
			t.Error("the live preview does not name the allocation by its title")
		}

		// Rejected input: explained in Swedish, linked to the field, no table.
		for name, tc := range map[string]struct {
			change url.Values
			field  string
			want   string
		}{
			"unreadable total":   {url.Values{"total": {"tusen kronor"}}, "total", "är inte ett tal"},
			"no total":           {url.Values{"total": {""}}, "total", "Ange beloppet som ska fördelas."},
			"refund by number":   {url.Values{"kind": {"refund"}, "method": {"population"}, "reference_date": {"2020-12-31"}}, "method", "fördelas i lika delar"},
			"percent not 100":    {url.Values{"kind": {"project"}, "method": {"percent"}, "percent_berg": {"50"}, "percent_bracke": {"40"}}, "parties", "summerar till"},
			"bad host share":     {url.Values{"kind": {"project"}, "method": {"population"}, "reference_date": {"2020-12-31"}, "host_share": {"hälften"}}, "host_share", "Ange värdpartens andel i procent"},
			"bad reference date": {url.Values{"kind": {"project"}, "method": {"population"}, "reference_date": {"31/12"}}, "reference_date", "ÅÅÅÅ-MM-DD"},
		} {
			f := allParties(url.Values{"kind": {"base_funding"}, "total": {"1 000 000"}, "method": {"equal"}, "unit": {"ore"}})
			if tc.change.Get("method") == "percent" {
				f = url.Values{"kind": {"project"}, "total": {"1 000 000"}, "unit": {"ore"}, "party_berg": {"on"}, "party_bracke": {"on"}}
			}
			for k, v := range tc.change {
				f[k] = v
			}
			w := b.post(livePreviewPath, f)
			body := plain(w.Body.String())
			if w.Code != http.StatusOK || !strings.Contains(body, "Förhandsgranskningen kan inte visas ännu") {
				t.Errorf("%s: %d, want 200 saying the preview cannot be shown:\n%s", name, w.Code, body)
				continue
			}
			if !strings.Contains(body, `<a href="#f-`+tc.field+`">`) || !strings.Contains(body, tc.want) {
				t.Errorf("%s: the answer does not link field %s to %q:\n%s", name, tc.field, tc.want, body)
			}
			if strings.Contains(body, `<table`) {
				t.Errorf("%s: a table is shown for input that cannot be split", name)
			}
		}
		if got := saved(); got != before {
			t.Fatalf("the live preview saved allocations: %d → %d", before, got)
		}

		// Even asked to save, the live preview only previews.
		form.Set("action", "save")
		if w := b.post(livePreviewPath, form); w.Code != http.StatusOK || saved() != before {
			t.Errorf("live preview with action=save = %d, %d allocations; want 200 and nothing saved", w.Code, saved())
		}

		// htmx's own request: same-origin fetch metadata and the HX-Request
		// header, the form token in the form's fields.
		htmxReq := func(site string) *http.Request {
			form.Set(kit.CSRFField, b.csrf)
			req := httptest.NewRequest(http.MethodPost, livePreviewPath, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("Sec-Fetch-Site", site)
			return req
		}
		if w := b.do(htmxReq("same-origin")); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<table class="allocation">`) {
			t.Errorf("a same-origin htmx request = %d, want 200 with the table", w.Code)
		}
		if w := b.do(htmxReq("cross-site")); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "annan webbplats") {
			t.Errorf("a cross-site POST = %d %q, want 403 from the cross-origin protection", w.Code, w.Body.String())
		}
		form.Set(kit.CSRFField, "fel")
		if w := b.post(livePreviewPath, form); w.Code != http.StatusForbidden {
			t.Errorf("live preview with a wrong form token = %d, want 403", w.Code)
		}
		form.Del(kit.CSRFField)

		// Only those who make allocations: the secretariat reads them but
		// gets 403 here, as on the form.
		for _, email := range []string{"sekretariat@demo.gns.example", "revisor@demo.gns.example", "bracke@demo.gns.example"} {
			ob := newBrowser(t, s.Handler())
			ob.login(email, demo.Password)
			ob.get("/konto")
			if w := ob.post(livePreviewPath, form); w.Code != http.StatusForbidden {
				t.Errorf("live preview as %s = %d, want 403", email, w.Code)
			}
		}
		if got := saved(); got != before {
			t.Fatalf("allocations changed: %d → %d", before, got)
		}
	})
}
