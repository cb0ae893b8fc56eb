package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// populationRowView is one party's line in the population table, formatted.
type populationRowView struct {
	Number  int
	Party   domain.MemberParty
	CanOpen bool
	Figure  *domain.PopulationRecord
	// Inhabitants and Share are "" for a party without a figure.
	Inhabitants, Share string
}

type populationsPage struct {
	Committee domain.Committee
	Date      domain.Date
	Dates     []domain.Date
	Rows      []populationRowView
	Total     string
	Missing   int
	CanRecord bool
	// Problem is what was wrong with the chosen date.
	Problem string
}

// populationsPage shows the population of a committee's parties on a
// reference date (?datum=, by default the latest with figures), each party's
// exact share of the total. Population figures are public statistics: every
// role of the committee may read the table.
func (s *Handlers) populationsPage(c *gin.Context) {
	cm, err := s.registryCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	p := populationsPage{Committee: cm, CanRecord: domain.CanRecordPopulations(*u, cm)}
	if p.Dates, err = conn.PopulationDates(ctx, cm.ID); err != nil {
		s.Fail(c, err)
		return
	}
	status := http.StatusOK
	switch v := c.Query("datum"); {
	case v != "":
		if p.Date, err = domain.ParseDateField("datum", "Datumet", v, true); err != nil {
			p.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
		}
	case len(p.Dates) > 0:
		p.Date = p.Dates[0]
	default:
		p.Date = s.Today()
	}
	if p.Problem == "" {
		tab, err := conn.PopulationTable(ctx, cm, p.Date)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for i, r := range tab.Rows {
			row := populationRowView{Number: i + 1, Party: r.Party, Figure: r.Figure, CanOpen: mayReadParty(u, r.Party.ID, []int64{cm.ID})}
			if r.Figure != nil {
				row.Inhabitants, row.Share = sv.Integer(r.Figure.Inhabitants), sv.Percent(r.Share, 2)
			}
			p.Rows = append(p.Rows, row)
		}
		p.Total, p.Missing = sv.Integer(tab.Total), tab.Missing
	}
	s.Render(c, status, "populations", "Invånarantal "+cm.Code, p)
}

func mayRecordPopulation(a partyAccess) bool { return a.RecordPopulation }

var errMayNotRecordPopulation = domain.Errorf(domain.EFORBIDDEN, "Bara sekretariatet och ekonomerna i partens nämnder kan registrera invånarantal.")

// populationForm is the party page's form for a population figure; a
// correction of a figure recorded before needs a reason.
type populationForm struct {
	ReferenceDate    string `form:"reference_date"`
	Inhabitants      string `form:"inhabitants"`
	Source           string `form:"source"`
	CorrectionReason string `form:"correction_reason"`
}

// recordPopulation records a figure from the party page's form.
func (s *Handlers) recordPopulation(c *gin.Context) {
	p, a, err := s.partyForChange(c, mayRecordPopulation, errMayNotRecordPopulation)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in populationForm
	f := kit.Bind(c, &in)
	pop := domain.Population{PartyID: p.ID, Source: in.Source}
	if pop.ReferenceDate, err = domain.ParseDateField("reference_date", "Referensdatumet", in.ReferenceDate, true); err != nil {
		f.Fail(err)
	}
	if pop.Inhabitants, err = domain.ParsePopulation(in.Inhabitants); err != nil {
		f.Fail(err)
	}
	var changed bool
	var rec domain.PopulationRecord
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		rec, changed, err = tx.RecordPopulation(c.Request.Context(), pop, in.CorrectionReason)
		if domain.ErrorCode(err) == domain.ECONFLICT {
			// A correction without a reason is answered on the reason's field.
			err = &domain.Error{Code: domain.ECONFLICT, Field: "correction_reason", Message: domain.ErrorMessage(err)}
		}
		return err
	}, func(status int) { s.renderParty(c, status, p, a, f) })
	if !saved {
		return
	}
	msg := fmt.Sprintf("%s har %s invånare per %s.", p.Name, sv.Integer(rec.Inhabitants), rec.ReferenceDate)
	switch {
	case !changed:
		msg = "Samma invånarantal och källa fanns redan. Inget är ändrat."
	case rec.CorrectionReason != "":
		msg += " Det tidigare värdet finns kvar i historiken."
	}
	s.Redirect(c, kit.PartyURL(p)+"#invanare", msg)
}

type importPage struct {
	Committee domain.Committee
	Form      *kit.Form
	// Lines are the bad lines of a refused file.
	Lines []domain.LineError
}

// importPopulationsForm shows the form for a population file.
func (s *Handlers) importPopulationsForm(c *gin.Context) {
	cm, err := s.changeableCommittee(c, domain.CanRecordPopulations)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "population_import", "Läs in invånarantal", importPage{Committee: cm, Form: kit.EmptyForm()})
}

// maxPopulationFile bounds a population file: a committee's parties over many
// years fit in a few kilobytes.
const maxPopulationFile = 1 << 20

// importForm goes with a population file: the reason for the corrections
// it makes, if any.
type importForm struct {
	CorrectionReason string `form:"correction_reason"`
}

// importPopulations reads a population file for the committee's parties: every
// line is checked, and either every figure is recorded or none is, with each
// bad line named by its number.
func (s *Handlers) importPopulations(c *gin.Context) {
	cm, err := s.changeableCommittee(c, domain.CanRecordPopulations)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in importForm
	f := kit.Bind(c, &in)
	p := importPage{Committee: cm, Form: f}
	data, err := readPopulationFile(c)
	var lines []domain.PopulationLine
	if err == nil {
		lines, err = domain.ParsePopulationCSV(data)
	}
	// bad lists the bad lines, found in the file or by the save.
	var bad *domain.ImportError
	if errors.As(err, &bad) {
		// The well-formed lines are checked too, so every bad line is named.
		more, cerr := s.DB.Conn().CheckPopulationLines(c.Request.Context(), cm, lines, in.CorrectionReason)
		if cerr != nil {
			err = cerr
		} else {
			all := append(bad.Lines, more...)
			sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
			bad = &domain.ImportError{Lines: all}
			err = bad
		}
	}
	f.Fail(err)
	var res store.ImportResult
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		res, err = tx.ImportPopulations(c.Request.Context(), cm, lines, in.CorrectionReason)
		errors.As(err, &bad)
		return err
	}, func(status int) {
		if bad != nil {
			p.Lines = bad.Lines
		}
		s.Render(c, status, "population_import", "Läs in invånarantal", p)
	})
	if !saved {
		return
	}
	msg := fmt.Sprintf("Filen är inläst: %d nya, %d rättade och %d oförändrade invånarantal.", res.Added, res.Corrected, res.Unchanged)
	s.Redirect(c, kit.PopulationsURL(cm, lines[0].ReferenceDate), msg)
}

// readPopulationFile reads the uploaded file in the field "file".
func readPopulationFile(c *gin.Context) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, domain.FieldErrorf("file", "Välj filen med invånarantal.")
	}
	if fh.Size > maxPopulationFile {
		return nil, domain.FieldErrorf("file", "Filen är för stor: högst 1 MB.")
	}
	r, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer func() { _ = r.Close() }() // only read: closing it loses nothing
	data, err := io.ReadAll(io.LimitReader(r, maxPopulationFile+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

// apiPopulationBody is the body of POST /api/v1/parties/{id}/populations.
type apiPopulationBody struct {
	ReferenceDate    string          `json:"reference_date"`
	Population       json.RawMessage `json:"population"`
	Source           string          `json:"source"`
	CorrectionReason string          `json:"correction_reason"`
}

// apiPopulationFields maps the store's field names to the API's.
var apiPopulationFields = map[string]string{"inhabitants": "population"}

// apiPopulations answers GET /api/v1/parties/{id}/populations: every figure
// recorded for the party, corrections included. A party the user may not
// read, such as another party for a party representative, is not found.
func (s *Handlers) apiPopulations(c *gin.Context) {
	p, _, err := s.partyFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	hist, err := s.DB.Conn().PopulationHistory(c.Request.Context(), p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]gin.H, len(hist))
	for i, h := range hist {
		out[i] = populationJSON(h)
	}
	c.JSON(http.StatusOK, gin.H{"party": gin.H{"id": p.ID, "slug": p.Slug, "name": p.Name}, "populations": out})
}

func populationJSON(r domain.PopulationRecord) gin.H {
	h := gin.H{"id": r.ID, "party_id": r.PartyID, "reference_date": r.ReferenceDate, "population": r.Inhabitants, "source": r.Source,
		"current": r.Current(), "recorded_at": r.RecordedAt, "recorded_by": r.RecordedBy,
		"correction_reason": nullString(r.CorrectionReason), "corrected_at": nil, "superseded_by": nullInt(r.SupersededBy)}
	if !r.CorrectedAt.IsZero() {
		h["corrected_at"] = r.CorrectedAt
	}
	return h
}

// apiRecordPopulation answers POST /api/v1/parties/{id}/populations: 201 with
// a new figure or correction, 200 when the same figure was there, 409 when
// another figure is there and no correction_reason is given.
func (s *Handlers) apiRecordPopulation(c *gin.Context) {
	p, _, err := s.partyForChange(c, mayRecordPopulation, errMayNotRecordPopulation)
	if err != nil {
		s.Fail(c, err)
		return
	}
	pop, reason, err := readPopulationBody(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	pop.PartyID = p.ID
	var rec domain.PopulationRecord
	var changed bool
	err = s.InTx(c, func(tx *store.Conn) error {
		rec, changed, err = tx.RecordPopulation(c.Request.Context(), pop, reason)
		return err
	})
	if err != nil {
		s.Fail(c, renameField(err, apiPopulationFields))
		return
	}
	status := http.StatusCreated
	if !changed {
		status = http.StatusOK
	}
	c.JSON(status, populationJSON(rec))
}

// readPopulationBody reads and checks the JSON body of a population.
func readPopulationBody(c *gin.Context) (domain.Population, string, error) {
	var body apiPopulationBody
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return domain.Population{}, "", domain.Errorf(domain.EINVALID, "Kroppen ska vara ett JSON-objekt med reference_date, population, source och vid rättelse correction_reason.")
	}
	var pop domain.Population
	var err error
	if pop.ReferenceDate, err = domain.ParseDateField("reference_date", "Referensdatumet", body.ReferenceDate, true); err != nil {
		return pop, "", err
	}
	// A JSON integer only: not a string, not a fraction, not an exponent.
	n, err := strconv.ParseInt(string(body.Population), 10, 64)
	if err != nil || n <= 0 {
		return pop, "", domain.FieldErrorf("population", "Invånarantalet ska vara ett heltal större än noll, t.ex. 63985.")
	}
	pop.Inhabitants, pop.Source = n, strings.TrimSpace(body.Source)
	return pop, body.CorrectionReason, nil
}

// renameField gives a field error the name the API uses for the field.
func renameField(err error, names map[string]string) error {
	var e *domain.Error
	if errors.As(err, &e) && names[e.Field] != "" {
		return &domain.Error{Code: e.Code, Field: names[e.Field], Message: e.Message}
	}
	return err
}
