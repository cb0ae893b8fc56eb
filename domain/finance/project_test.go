package finance

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func TestParticipantInMonth(t *testing.T) {
	t.Parallel()
	d := domain.MustDate
	for _, c := range []struct {
		joined, left string
		month        time.Month
		want         bool
	}{
		{"2020-05-20", "", time.April, false},
		{"2020-05-20", "", time.May, true}, // joining on the 20th carries May
		{"2020-05-31", "", time.May, true}, // also on the last day
		{"2020-02-01", "2020-09-03", time.September, true},
		{"2020-02-01", "2020-08-31", time.September, false},
		{"2020-02-01", "2020-09-01", time.September, true}, // left on the first: September counts
		{"2019-11-01", "", time.January, true},
	} {
		pt := Participant{Joined: d(c.joined)}
		if c.left != "" {
			pt.Left = d(c.left)
		}
		if got := pt.InMonth(2020, c.month); got != c.want {
			t.Errorf("joined %s left %q, %s: %v, want %v", c.joined, c.left, c.month, got, c.want)
		}
	}
}

func TestParticipationStretches(t *testing.T) {
	t.Parallel()
	d := domain.MustDate
	// Digital transformation: three from February, four more from May, all
	// leaving when the project closed on 14 December 2020.
	var parts []Participant
	for id := int64(1); id <= 7; id++ {
		joined := "2020-02-01"
		if id > 3 {
			joined = "2020-05-01"
		}
		parts = append(parts, Participant{PartyID: id, Joined: d(joined), Left: d("2020-12-14")})
	}
	got := ParticipationStretches(parts, 2020, time.January, time.December)
	if len(got) != 2 || got[0].From != time.February || got[0].To != time.April || len(got[0].PartyIDs) != 3 ||
		got[1].From != time.May || got[1].To != time.December || len(got[1].PartyIDs) != 7 {
		t.Fatalf("stretches = %+v", got)
	}
	if got[0].Months()+got[1].Months() != 11 {
		t.Errorf("months = %d + %d, want 11", got[0].Months(), got[1].Months())
	}
	// A gap without participants splits the stretches and is left out.
	gap := []Participant{{PartyID: 1, Joined: d("2021-01-01"), Left: d("2021-02-10")}, {PartyID: 1, Joined: d("2021-06-01")}}
	got = ParticipationStretches(gap, 2021, time.January, time.December)
	if len(got) != 2 || got[0].Months() != 2 || got[1].From != time.June || got[1].Months() != 7 {
		t.Fatalf("with a gap: %+v", got)
	}
	if got := ParticipationStretches(nil, 2021, time.January, time.December); len(got) != 0 {
		t.Fatalf("no participants: %+v", got)
	}
}

func TestProjectValidate(t *testing.T) {
	t.Parallel()
	ok := Project{Name: "Digital transformation", Method: ProjectEqual, Objects: []ProjectObject{{Dimension: 1, Object: "6670"}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid project refused: %v", err)
	}
	h := decimal.NullDecimal{Decimal: decimal.NewFromInt(100), Valid: true}
	for name, c := range map[string]struct {
		change func(*Project)
		field  string
	}{
		"no name":         {func(p *Project) { p.Name = " " }, "name"},
		"unknown method":  {func(p *Project) { p.Method = "mixed" }, "method"},
		"population date": {func(p *Project) { p.Method = ProjectPopulation }, "population_date"},
		"host share 100": {func(p *Project) {
			p.Method, p.PopulationDate, p.HostShare = ProjectPopulation, domain.MustDate("2020-12-31"), h
		}, "host_share"},
		"no object":  {func(p *Project) { p.Objects = nil }, "objects"},
		"twice":      {func(p *Project) { p.Objects = append(p.Objects, p.Objects[0]) }, "objects"},
		"bad object": {func(p *Project) { p.Objects = []ProjectObject{{Dimension: 1, Object: "66 70"}} }, "objects"},
	} {
		p := ok
		p.Objects = append([]ProjectObject(nil), ok.Objects...)
		c.change(&p)
		err := p.Validate()
		if errorField(err) != c.field {
			t.Errorf("%s: error %v, want on field %s", name, err, c.field)
		}
	}
	// Overlapping stretches of one party are refused.
	p := ok
	p.Participants = []Participant{{ID: 1, PartyID: 5, PartyName: "Bräcke kommun", Joined: domain.MustDate("2020-02-01")}}
	if err := (Participant{PartyID: 5, Joined: domain.MustDate("2020-05-01")}).Validate(p); errorField(err) != "joined" {
		t.Errorf("overlap: %v", err)
	}
	if err := (Participant{PartyID: 5, Joined: domain.MustDate("2020-05-01"), Left: domain.MustDate("2020-04-01")}).Validate(ok); errorField(err) != "left" {
		t.Errorf("left before joined: %v", err)
	}
}

// errorField returns the field of a *domain.Error, or "".
func errorField(err error) string {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
