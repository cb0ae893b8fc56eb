package kit

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
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
	"github.com/region-jh/gns/sv"
)

//go:embed templates/*.html
var templateFS embed.FS

// StaticFS holds the style sheet, the icon and the vendored htmx, served
// under /static/.
//
//go:embed static
var StaticFS embed.FS

// templateFuncs are the helpers every template may use; an area adds its own
// with AddPages.
var templateFuncs = template.FuncMap{
	"field":    field,
	"datetime": sv.DateTime,
	"date":     sv.Date,
	"kronor":   sv.Kronor,
	"integer":  sv.Integer,
	"percent":  func(d decimal.Decimal) string { return sv.Percent(d, 2) },
	// tkr writes an amount in whole thousands of kronor, as the economy's
	// tables do.
	"tkr": sv.Tkr,
	// paragraphs splits a text at blank lines into paragraphs of lines.
	"paragraphs": TextParagraphs,
	// dataURL marks a data: URI that GNS made itself (a QR code) as safe.
	"dataURL": func(s string) template.URL { return template.URL(s) },
}

// pages holds one template set per page: the shared layout, the partials of
// the page's area and the page.
type pages struct {
	sets map[string]*template.Template
}

func newPages() *pages { return &pages{sets: map[string]*template.Template{}} }

// AddPages parses the pages of an area: every .html file in the folder
// templates of fsys (an area embeds it) is a page named after the file,
// except files whose names begin with "_", which hold the area's partial
// templates and are parsed into each of its pages. Every page also gets the layout and its partials ("input",
// "errors", "csrf"), the kit's template functions and funcs. A page name
// that another area has taken already is an error.
func (k *Kit) AddPages(fsys fs.FS, funcs template.FuncMap) error {
	fsys, err := fs.Sub(fsys, "templates")
	if err != nil {
		return err
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	var partials, pageNames []string
	for _, name := range names {
		switch {
		case name == "layout.html":
		case strings.HasPrefix(name, "_"):
			partials = append(partials, name)
		default:
			pageNames = append(pageNames, name)
		}
	}
	for _, name := range pageNames {
		page := strings.TrimSuffix(name, ".html")
		if _, taken := k.pages.sets[page]; taken {
			return fmt.Errorf("template %s: two areas have a page of that name", page)
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(template.FuncMap{"person": k.Person}).Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
		if err == nil {
			t, err = t.ParseFS(fsys, append(partials, name)...)
		}
		if err != nil {
			return fmt.Errorf("template %s: %w", page, err)
		}
		k.pages.sets[page] = t
	}
	return nil
}

// ExecuteTemplate writes the template name of page's template set, for a
// part of a page that a handler renders once and keeps.
func (k *Kit) ExecuteTemplate(w io.Writer, page, name string, data any) error {
	t, ok := k.pages.sets[page]
	if !ok {
		return fmt.Errorf("no template for page %s", page)
	}
	return t.ExecuteTemplate(w, name, data)
}

// View is what every page's template gets: the page's own data under Data,
// and what the layout needs (the user for the navigation, the demo banner,
// the form token, a message from the previous request).
type View struct {
	Title string
	User  *domain.User
	// Demo is true while demo users can log in: every page says so.
	Demo  bool
	CSRF  string
	Flash string
	Data  any
	// Printed is when the page was made, which a printout says.
	Printed string
	// Draft is the form the user sent after the last session ended, given
	// back on its page after login (see drafts.go); nil on other pages.
	Draft *FormDraft
	// SessionIdle is, for a browser session, the seconds without use after
	// which it ends, for the warning before it does; 0 otherwise.
	SessionIdle int
}

// Render writes a whole page. It renders into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *Kit) Render(c *gin.Context, status int, page, title string, data any) {
	t, ok := s.pages.sets[page]
	if !ok {
		panic("web: no template for page " + page)
	}
	// The layout adds " – GNS"; a title that ends with the committee code
	// GNS would say it twice.
	title = strings.TrimSuffix(title, " – GNS")
	v := View{Title: title, User: CurrentUser(c), CSRF: s.CSRFToken(c), Flash: s.takeFlash(c), Data: data, Printed: sv.DateTime(s.DB.Now()),
		Draft: draftOf(c)}
	if sess := CurrentSession(c); sess != nil && sess.MFADone {
		v.SessionIdle = int(SessionIdle.Seconds())
	}
	// Asked for every page (an indexed look-up), so that no instance shows
	// the banner after another has ended demo mode: with the session when
	// there is one, in the same query.
	if demo, ok := c.Get(demoKey); ok {
		v.Demo = demo.(bool)
	} else {
		demo, err := s.DB.Conn().DemoUsersActive(c.Request.Context())
		if err != nil {
			s.Log.ErrorContext(c.Request.Context(), "demo banner", "error", err)
		}
		v.Demo = demo
	}
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

// SetFlash keeps a short message for the next page the browser shows, the
// success or notice after a POST-redirect-GET.
func (s *Kit) SetFlash(c *gin.Context, msg string) {
	s.SetCookie(c, FlashCookie, url.QueryEscape(msg), time.Minute)
	c.Set(FlashCookie, msg)
}

// takeFlash returns the message kept by setFlash and clears it.
func (s *Kit) takeFlash(c *gin.Context) string {
	if v, ok := c.Get(FlashCookie); ok { // set during this request, shown now
		s.ClearCookie(c, FlashCookie)
		return v.(string)
	}
	raw, err := c.Cookie(FlashCookie)
	if err != nil || raw == "" {
		return ""
	}
	s.ClearCookie(c, FlashCookie)
	msg, err := url.QueryUnescape(raw)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}

// Redirect answers a form POST with a redirect to a page that shows msg.
func (s *Kit) Redirect(c *gin.Context, to, msg string) {
	if msg != "" {
		s.SetFlash(c, msg)
	}
	c.Redirect(http.StatusSeeOther, to)
}

// ServeStatic serves the embedded style sheet and other assets, never a
// folder listing.
func ServeStatic(c *gin.Context) {
	name := path.Join("static", path.Clean("/"+c.Param("file")))
	b, err := fs.ReadFile(StaticFS, name)
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

// ConfirmPage is the confirm step before something that cannot be undone:
// what will happen, the button that does it and the way back.
type ConfirmPage struct {
	Heading string
	Text    string
	Action  string
	Button  string
	Back    string
}

// TextParagraphs splits text at blank lines into paragraphs of lines, so a
// page keeps the text's shape without inline styles.
func TextParagraphs(text string) [][]string {
	var out [][]string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.Split(p, "\n"))
		}
	}
	return out
}

// Person names who did something as a page shows it: the stored actor
// label of a change ("sparad av", "uppladdad av") is a user's e-mail address,
// shown as the user's name; the demo data's "system (demo)" as
// "GNS (demodata)"; anything else as it is. Templates call it as "person".
func (k *Kit) Person(label string) string {
	switch {
	case label == "system (demo)":
		return "GNS (demodata)"
	case !strings.Contains(label, "@"):
		return label
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	name, err := k.DB.Conn().NameByEmail(ctx, label)
	if err != nil || name == "" {
		return label
	}
	return name
}
