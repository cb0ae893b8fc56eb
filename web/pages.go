package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

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
		t, err := template.New("layout.html").ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", page, err)
		}
		p.sets[page] = t
	}
	return p, nil
}

// render writes a whole page. It renders into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *Server) render(c *gin.Context, status int, page string, data any) {
	t, ok := s.pages.sets[page]
	if !ok {
		panic("web: no template for page " + page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		panic(fmt.Errorf("render %s: %w", page, err))
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
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
