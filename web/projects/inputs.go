package projects

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// The inputs of the project writes, read from a form or, with the same
// names, from an API's JSON body. Every value is text, checked here with
// Swedish messages on the field.

type projectInput struct {
	Name           string `form:"name" json:"name"`
	Description    string `form:"description" json:"description"`
	Case           string `form:"case" json:"case"`
	Method         string `form:"method" json:"method"`
	PopulationDate string `form:"population_date" json:"population_date"`
	HostShare      string `form:"host_share" json:"host_share"`
	Decision       string `form:"decision" json:"decision"`
	// Objects are the cost objects, separated by commas or spaces, each a
	// number ("6670") or dimension and number ("1/6670").
	Objects string `form:"objects" json:"objects"`
}

// project checks the input and returns the project for the committee.
func (in projectInput) project(ctxCase func(string) (int64, error), cm domain.Committee) (finance.Project, error) {
	p := finance.Project{CommitteeID: cm.ID, Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description),
		Method: in.Method, Decision: strings.TrimSpace(in.Decision)}
	if in.Case != "" {
		id, err := ctxCase(in.Case)
		if err != nil {
			return p, err
		}
		p.CaseID = id
	}
	if in.PopulationDate != "" {
		d, err := domain.ParseDateField("population_date", "Referensdatumet", in.PopulationDate, false)
		if err != nil {
			return p, err
		}
		p.PopulationDate = d
	}
	if in.HostShare != "" {
		h, err := domain.ParseAmount(in.HostShare)
		if err != nil {
			return p, domain.FieldErrorf("host_share", "Ange värdpartens andel i procent, t.ex. 50.")
		}
		p.HostShare = decimal.NullDecimal{Decimal: h, Valid: true}
	}
	for _, f := range strings.FieldsFunc(in.Objects, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		o := finance.ProjectObject{Dimension: 1, Object: f}
		if dim, obj, ok := strings.Cut(f, "/"); ok {
			n, err := strconv.Atoi(dim)
			if err != nil {
				return p, domain.FieldErrorf("objects", "Kostnadsobjektet ”%s” går inte att läsa: skriv t.ex. 6670 eller 1/6670 (dimension/objekt).", f)
			}
			o = finance.ProjectObject{Dimension: n, Object: obj}
		}
		p.Objects = append(p.Objects, o)
	}
	if err := domain.CheckText("description", "Beskrivningen", p.Description, 5000); err != nil {
		return p, err
	}
	return p, p.Validate()
}

type participantInput struct {
	Party      string `form:"party" json:"party"`
	Joined     string `form:"joined" json:"joined"`
	Left       string `form:"left" json:"left"`
	KeyPercent string `form:"key_percent" json:"key_percent"`
	Note       string `form:"note" json:"note"`
}

// participant checks the input; the party is given by id.
func (in participantInput) participant(projectID int64) (finance.Participant, error) {
	pt := finance.Participant{ProjectID: projectID, Note: strings.TrimSpace(in.Note)}
	id, err := strconv.ParseInt(in.Party, 10, 64)
	if err != nil || id <= 0 {
		return pt, domain.FieldErrorf("party", "Välj parten.")
	}
	pt.PartyID = id
	if pt.Joined, err = domain.ParseDateField("joined", "Dagen parten gick med", in.Joined, true); err != nil {
		return pt, err
	}
	if pt.Left, err = domain.ParseDateField("left", "Dagen parten lämnade", in.Left, false); err != nil {
		return pt, err
	}
	if in.KeyPercent != "" {
		k, err := domain.ParseAmount(in.KeyPercent)
		if err != nil {
			return pt, domain.FieldErrorf("key_percent", "Ange procent i nyckeln som ett tal, t.ex. 2,54.")
		}
		pt.KeyPercent = decimal.NullDecimal{Decimal: k, Valid: true}
	}
	return pt, domain.CheckLine("note", "Anteckningen", pt.Note, 300)
}

type budgetInput struct {
	Year   string `form:"year" json:"year"`
	Row    string `form:"row" json:"row"`
	Amount string `form:"amount" json:"amount"`
}

// line checks the input.
func (in budgetInput) line(projectID int64) (finance.ProjectBudgetLine, error) {
	l := finance.ProjectBudgetLine{ProjectID: projectID}
	var err error
	if l.Year, err = year("year", in.Year); err != nil {
		return l, err
	}
	if l.RowID, err = strconv.ParseInt(in.Row, 10, 64); err != nil {
		return l, domain.FieldErrorf("row", "Välj en rad ur kontoplanen.")
	}
	if l.Amount, err = amount("amount", in.Amount); err != nil {
		return l, err
	}
	return l, nil
}

type fundingInput struct {
	Year     string `form:"year" json:"year"`
	Kind     string `form:"kind" json:"kind"`
	Party    string `form:"party" json:"party"`
	Funder   string `form:"funder" json:"funder"`
	Status   string `form:"status" json:"status"`
	Decision string `form:"decision" json:"decision"`
	Amount   string `form:"amount" json:"amount"`
	Note     string `form:"note" json:"note"`
}

// funding checks the input.
func (in fundingInput) funding(projectID int64) (finance.ProjectFunding, error) {
	f := finance.ProjectFunding{ProjectID: projectID, Kind: finance.FundingKind(in.Kind), Funder: in.Funder, Status: finance.FundingStatus(in.Status),
		Decision: in.Decision, Note: in.Note}
	var err error
	if f.Year, err = year("year", in.Year); err != nil {
		return f, err
	}
	if in.Party != "" {
		if f.PartyID, err = strconv.ParseInt(in.Party, 10, 64); err != nil {
			return f, domain.FieldErrorf("party", "Välj parten.")
		}
	}
	if f.Amount, err = amount("amount", in.Amount); err != nil {
		return f, err
	}
	return f, f.Validate()
}

type advanceInput struct {
	Allocation string `form:"allocation" json:"allocation"`
	Year       string `form:"year" json:"year"`
}

type closeInput struct {
	ClosedOn string `form:"closed_on" json:"closed_on"`
	Confirm  bool   `form:"confirm" json:"confirm"`
}

type leftInput struct {
	Left string `form:"left" json:"left"`
}

type settleInput struct {
	Decision    string `form:"decision" json:"decision"`
	IssueDate   string `form:"issue_date" json:"issue_date"`
	Fingerprint string `form:"fingerprint" json:"fingerprint"`
}

// year reads a year with four digits.
func year(field, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < domain.MinYear || n > domain.MaxYear {
		return 0, domain.FieldErrorf(field, "Ange året med fyra siffror, t.ex. 2020.")
	}
	return n, nil
}

// amount reads an amount in kronor, Swedish or plain.
func amount(field, v string) (decimal.Decimal, error) {
	if strings.TrimSpace(v) == "" {
		return decimal.Zero, domain.FieldErrorf(field, "Ange ett belopp i kronor.")
	}
	d, err := domain.ParseAmount(v)
	if err != nil {
		return decimal.Zero, domain.FieldErrorf(field, "%s", domain.ErrorMessage(err))
	}
	return d, finance.CheckAmount(field, d)
}
