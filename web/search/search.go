// Package search serves the search over everything the user may read: the
// page behind the search box in the header (/sok) and GET /api/v1/search.
// A case number typed in the box still opens the case.
package search

import (
	"embed"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's page and API on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Register adds the area's templates and routes to k and returns its
// handlers.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.Handle("GET", "/sok", kit.LoggedIn, s.searchPage)
	s.Handle("GET", "/api/v1/search", kit.LoggedIn, s.apiSearch)
	return s, nil
}

// pageLimit is how many results the page shows.
const pageLimit = 60

// request is a search as the page's form or the API's query asks for it,
// read and checked.
type request struct {
	Text       string
	Kind       domain.SearchKind
	Committee  domain.Committee
	Year       int
	Committees []domain.Committee
}

// readRequest reads q, kind, committee (a code) and year from the query
// string; a bad value is a field error naming it.
func (s *Handlers) readRequest(c *gin.Context) (request, error) {
	r := request{Text: strings.TrimSpace(c.Query("q"))}
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		return r, err
	}
	r.Committees = cms
	if v := c.Query("kind"); v != "" {
		r.Kind = domain.SearchKind(v)
		if !r.Kind.Valid() {
			return r, domain.FieldErrorf("kind", "Okänd sorts träff %q: välj ärenden, paragrafer, punkter, uppdrag, handlingar eller fakturor.", v)
		}
	}
	if v := strings.TrimSpace(c.Query("committee")); v != "" {
		found := false
		for _, cm := range cms {
			if strings.EqualFold(cm.Code, v) {
				r.Committee, found = cm, true
			}
		}
		if !found {
			return r, domain.FieldErrorf("committee", "Nämnden %q finns inte bland dem du har en roll i.", v)
		}
	}
	if v := strings.TrimSpace(c.Query("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < domain.CaseNumberYearMin || y > 9999 {
			return r, domain.FieldErrorf("year", "Året ska skrivas med fyra siffror, t.ex. 2020.")
		}
		r.Year = y
	}
	return r, nil
}

// find runs the search of r for the user of c.
func (s *Handlers) find(c *gin.Context, r request, limit int) ([]domain.SearchHit, error) {
	return s.DB.Conn().Search(c.Request.Context(), *kit.CurrentUser(c),
		domain.SearchFilter{Text: r.Text, Kind: r.Kind, CommitteeID: r.Committee.ID, Year: r.Year, Limit: limit})
}

// result is one hit as the page and the API show it.
type result struct {
	domain.SearchHit
	URL       string
	Committee string
}

// results makes the hits into results with their links and committee codes.
func results(hits []domain.SearchHit, cms []domain.Committee) []result {
	codes := map[int64]string{}
	for _, cm := range cms {
		codes[cm.ID] = cm.Code
	}
	out := make([]result, 0, len(hits))
	for _, h := range hits {
		out = append(out, result{SearchHit: h, URL: hitURL(h), Committee: codes[h.CommitteeID]})
	}
	return out
}

// hitURL is the page a hit links to.
func hitURL(h domain.SearchHit) string {
	id := strconv.FormatInt(h.ObjectID, 10)
	switch h.Kind {
	case domain.SearchCase, domain.SearchDocument:
		n, err := domain.ParseCaseNumber(h.Ref)
		if err != nil {
			return ""
		}
		if h.Kind == domain.SearchDocument {
			return kit.CaseURL(n) + "/handlingar/" + id
		}
		return kit.CaseURL(n)
	case domain.SearchParagraph:
		return kit.ParagraphURL(h.ObjectID)
	case domain.SearchAgenda:
		m, err := strconv.ParseInt(h.Ref, 10, 64)
		if err != nil {
			return ""
		}
		return kit.MeetingURL(m)
	case domain.SearchAssignment:
		return kit.AssignmentURL(h.ObjectID)
	case domain.SearchInvoice:
		return kit.InvoiceURL(h.Ref)
	}
	return ""
}

// segment is a piece of a snippet, marked when it is a word found.
type segment struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// segments splits a snippet at its marks.
func segments(snippet string) []segment {
	var out []segment
	for snippet != "" {
		before, rest, found := strings.Cut(snippet, domain.SnippetStart)
		if before != "" {
			out = append(out, segment{Text: before})
		}
		if !found {
			break
		}
		marked, after, _ := strings.Cut(rest, domain.SnippetEnd)
		if marked != "" {
			out = append(out, segment{Text: marked, Mark: true})
		}
		snippet = after
	}
	return out
}

// SnippetHTML is the snippet with the words found in <mark>, the rest
// escaped.
func (r result) SnippetHTML() template.HTML {
	var b strings.Builder
	for _, s := range segments(r.Snippet) {
		if s.Mark {
			b.WriteString("<mark>" + html.EscapeString(s.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return template.HTML(b.String()) // every piece is escaped above
}

// group is the results of one kind.
type group struct {
	Kind    domain.SearchKind
	Label   string
	Results []result
}

// grouped puts results in groups by kind, in domain.SearchKinds' order,
// keeping their rank within each group.
func grouped(rs []result) []group {
	var out []group
	for _, k := range domain.SearchKinds {
		g := group{Kind: k, Label: k.Label()}
		for _, r := range rs {
			if r.Kind == k {
				g.Results = append(g.Results, r)
			}
		}
		if len(g.Results) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// option is one choice of a filter's list.
type option struct {
	Value, Label string
	Selected     bool
}

// searchView is the search page.
type searchView struct {
	Request   request
	Kinds     []option
	Cms       []option
	Year      string
	Searched  bool
	Problem   string
	Groups    []group
	Total     int
	Truncated bool
}

// searchPage answers the search box: a case number goes straight to the
// case; other text is searched for in everything the user may read.
func (s *Handlers) searchPage(c *gin.Context) {
	if n, err := domain.ParseCaseNumber(c.Query("q")); err == nil {
		c.Redirect(http.StatusFound, kit.CaseURL(n))
		return
	}
	r, err := s.readRequest(c)
	v := searchView{Request: r, Year: c.Query("year")}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			s.Fail(c, err)
			return
		}
		v.Problem = domain.ErrorMessage(err)
	}
	v.Kinds = []option{{Value: "", Label: "Allt"}}
	for _, k := range domain.SearchKinds {
		v.Kinds = append(v.Kinds, option{Value: string(k), Label: k.Label(), Selected: k == r.Kind})
	}
	v.Cms = []option{{Value: "", Label: "Alla nämnder"}}
	for _, cm := range r.Committees {
		v.Cms = append(v.Cms, option{Value: cm.Code, Label: cm.Code, Selected: cm.ID == r.Committee.ID})
	}
	status := http.StatusOK
	if v.Problem != "" {
		status = http.StatusBadRequest
	} else if r.Text != "" {
		hits, err := s.find(c, r, pageLimit)
		if err != nil {
			s.Fail(c, err)
			return
		}
		rs := results(hits, r.Committees)
		v.Searched, v.Groups, v.Total, v.Truncated = true, grouped(rs), len(rs), len(hits) == pageLimit
	}
	title := "Sök"
	if r.Text != "" {
		title = "Sök: " + r.Text
	}
	s.Render(c, status, "search", title, v)
}

// hitJSON is one result of GET /api/v1/search.
type hitJSON struct {
	Kind      domain.SearchKind `json:"kind"`
	KindLabel string            `json:"kind_label"`
	Title     string            `json:"title"`
	URL       string            `json:"url"`
	Committee string            `json:"committee"`
	Year      int               `json:"year"`
	Ref       string            `json:"ref"`
	ID        int64             `json:"id"`
	Score     float64           `json:"score"`
	Snippet   []segment         `json:"snippet"`
}

// apiSearch answers GET /api/v1/search?q=&kind=&committee=&year=: the
// results best first, each with its kind, link and marked snippet, and how
// many of each kind.
func (s *Handlers) apiSearch(c *gin.Context) {
	r, err := s.readRequest(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if r.Text == "" {
		s.Fail(c, domain.FieldErrorf("q", "Skriv vad du söker efter i q."))
		return
	}
	limit := domain.MaxSearchResults
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.MaxSearchResults {
			s.Fail(c, domain.FieldErrorf("limit", "limit ska vara ett heltal från 1 till %d.", domain.MaxSearchResults))
			return
		}
		limit = n
	}
	hits, err := s.find(c, r, limit)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]hitJSON, 0, len(hits))
	counts := map[domain.SearchKind]int{}
	for _, h := range results(hits, r.Committees) {
		out = append(out, hitJSON{Kind: h.Kind, KindLabel: h.Kind.Label(), Title: h.Title, URL: h.URL, Committee: h.Committee,
			Year: h.Year, Ref: h.Ref, ID: h.ObjectID, Score: h.Score, Snippet: segments(h.Snippet)})
		counts[h.Kind]++
	}
	c.JSON(http.StatusOK, gin.H{"query": r.Text, "results": out, "counts": counts, "more": len(hits) == limit})
}
