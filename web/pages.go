package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/sv"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templateFuncs are the helpers every template may use.
var templateFuncs = template.FuncMap{
	"field":       field,
	"datetime":    sv.DateTime,
	"date":        sv.Date,
	"word":        auditWord,
	"kronor":      sv.Kronor,
	"integer":     sv.Integer,
	"percent":     func(d decimal.Decimal) string { return sv.Percent(d, 2) },
	"methodLabel": methodLabel,
	// tkr writes an amount in whole thousands of kronor, as the economy's
	// tables do; monthYear a period as "augusti 2020".
	"tkr":       sv.Tkr,
	"monthYear": interim.MonthYear,
	// paragraphs splits a text at blank lines into paragraphs of lines.
	"paragraphs": textParagraphs,
	// dataURL marks a data: URI that GNS made itself (a QR code) as safe.
	"dataURL": func(s string) template.URL { return template.URL(s) },
}

// pages holds one template set per page: the shared layout plus the page.
type pages struct {
	sets map[string]*template.Template
}

func loadPages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", page, err)
		}
		p.sets[page] = t
	}
	return p, nil
}

// view is what every page's template gets: the page's own data under Data,
// and what the layout needs (the user for the navigation, the demo banner,
// the form token, a message from the previous request).
type view struct {
	Title string
	User  *domain.User
	// Demo is true while demo users can log in: every page says so.
	Demo  bool
	CSRF  string
	Flash string
	Data  any
	// Printed is when the page was made, which a printout says.
	Printed string
}

// render writes a whole page. It renders into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *Server) render(c *gin.Context, status int, page, title string, data any) {
	t, ok := s.pages.sets[page]
	if !ok {
		panic("web: no template for page " + page)
	}
	v := view{Title: title, User: currentUser(c), CSRF: s.csrfToken(c), Flash: s.takeFlash(c), Data: data, Printed: sv.DateTime(time.Now())}
	ctx := c.Request.Context()
	demo, err := s.demo.get(func() (bool, error) { return s.db.Conn().DemoUsersActive(ctx) })
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "demo banner", "error", err)
	}
	v.Demo = demo
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledRender {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := t.Execute(buf, v); err != nil {
		panic(fmt.Errorf("render %s: %w", page, err))
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderBuffers are the buffers pages are rendered into, reused so that a
// large page (every party's share of an allocation is some 100 kB) is not
// grown from nothing for every request. Buffers past maxPooledRender are
// left to the garbage collector.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledRender = 1 << 20

// setFlash keeps a short message for the next page the browser shows, the
// success or notice after a POST-redirect-GET.
func (s *Server) setFlash(c *gin.Context, msg string) {
	s.setCookie(c, flashCookie, url.QueryEscape(msg), time.Minute)
	c.Set(flashCookie, msg)
}

// takeFlash returns the message kept by setFlash and clears it.
func (s *Server) takeFlash(c *gin.Context) string {
	if v, ok := c.Get(flashCookie); ok { // set during this request, shown now
		s.clearCookie(c, flashCookie)
		return v.(string)
	}
	raw, err := c.Cookie(flashCookie)
	if err != nil || raw == "" {
		return ""
	}
	s.clearCookie(c, flashCookie)
	msg, err := url.QueryUnescape(raw)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}

// redirect answers a form POST with a redirect to a page that shows msg.
func (s *Server) redirect(c *gin.Context, to, msg string) {
	if msg != "" {
		s.setFlash(c, msg)
	}
	c.Redirect(http.StatusSeeOther, to)
}

// serveStatic serves the embedded style sheet and other assets, never a
// folder listing.
func serveStatic(c *gin.Context) {
	name := path.Join("static", path.Clean("/"+c.Param("file")))
	b, err := fs.ReadFile(staticFS, name)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	http.ServeContent(c.Writer, c.Request, name, startTime, bytes.NewReader(b))
}

// startTime stands in for the modification time of the embedded assets, which
// change only when the binary does.
var startTime = time.Now()
