package kit

import (
	"bytes"
	"fmt"

	"github.com/gin-gonic/gin"
)

// The pages work without JavaScript. Where a script helps (the allocation
// Form's preview that follows the fields as they are edited), it is htmx,
// vendored and pinned: one release, served from the binary under
// /static/htmx-<version>.min.js (see serveStatic), no CDN and no build step.
//
// The file is dist/htmx.min.js of the npm package htmx.org, version
// HtmxVersion (https://www.npmjs.com/package/htmx.org/v/2.0.11, tarball
// https://registry.npmjs.org/htmx.org/-/htmx.org-2.0.11.tgz, licence 0BSD),
// copied unchanged. TestHtmxIsPinned fails when the embedded file's SHA-256
// is not htmxSHA256, and the layout loads it with the same digest as its
// integrity attribute, so a changed file is refused by the browser too. To
// upgrade: npm pack htmx.org@<version>, copy dist/htmx.min.js to
// static/htmx-<version>.min.js, remove the old file, and update the three
// constants and the script element in templates/layout.html.
//
// The layout's htmx-config meta element keeps htmx inside the content
// security policy (no 'unsafe-eval', no 'unsafe-inline'): no eval
// (allowEval), no inline style element for request indicators
// (includeIndicatorStyles), no script elements run from swapped content
// (allowScriptTags), requests only to this origin (selfRequestsOnly) and no
// copies of pages in localStorage (historyEnabled, historyCacheSize).
const (
	HtmxVersion = "2.0.11"
	HtmxFile    = "htmx-" + HtmxVersion + ".min.js"
	HtmxSHA256  = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
)

// RenderFragment writes one named template of a page's template set as an
// HTML fragment, for htmx to swap into the page. Like render, it renders into
// a buffer first, so a template error becomes a clean 500.
func (s *Kit) RenderFragment(c *gin.Context, status int, page, name string, data any) {
	t, ok := s.pages.sets[page]
	if !ok {
		panic("web: no template for page " + page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		panic(fmt.Errorf("render %s in %s: %w", name, page, err))
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
