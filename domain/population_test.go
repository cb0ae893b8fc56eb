package domain

import (
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/sv"
)

func TestParsePopulation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
	}{
		{"63985", 63985},
		{"63 985", 63985},
		{"63\u00a0985", 63985},
		{"63\u202f985", 63985},
		{"63\u2009985", 63985},
		{" 1 234 567 ", 1234567},
		{"0063985", 63985},
		{"1", 1},
	}
	for _, tt := range tests {
		got, err := ParsePopulation(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePopulation(%q) = %d, %v, want %d, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestParsePopulationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, wantMsg string }{
		{"", "Ange invånarantalet"},
		{"   ", "Ange invånarantalet"},
		{"0", "Invånarantalet måste vara större än noll."},
		{"000", "måste vara större än noll"},
		{"-5", "måste vara större än noll"},
		{"\u22125", "måste vara större än noll"}, // the minus sign
		{"63985,5", "Invånarantalet måste vara ett heltal."},
		{"63985.5", "måste vara ett heltal"},
		{"63.985", "måste vara ett heltal"},
		{"63985,0", "måste vara ett heltal"},
		{"abc", "Invånarantalet får bara innehålla siffror"},
		{"63 985 invånare", "får bara innehålla siffror"},
		{"+5", "får bara innehålla siffror"},
		{"-", "får bara innehålla siffror"},
		{"1e5", "får bara innehålla siffror"},
		{"٦٣٩٨٥", "får bara innehålla siffror"},
		{"99999999999999999999", "orimligt stort"},
	}
	for _, tt := range tests {
		_, err := ParsePopulation(tt.in)
		checkDomainError(t, "ParsePopulation("+sv.Quote(tt.in)+")", err, EINVALID, "inhabitants", tt.wantMsg)
	}
}

func TestPopulationValidate(t *testing.T) {
	t.Parallel()
	valid := Population{PartyID: 2, ReferenceDate: MustDate("2020-11-01"), Inhabitants: 63985, Source: "SCB, folkmängd 1 november 2020"}
	if err := valid.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v, want nil", valid, err)
	}
	tests := []struct {
		change    func(*Population)
		wantField string
		wantMsg   string
	}{
		{func(p *Population) { p.Inhabitants = 0 }, "inhabitants", "större än noll"},
		{func(p *Population) { p.Inhabitants = -1 }, "inhabitants", "större än noll"},
		{func(p *Population) { p.ReferenceDate = Date{} }, "reference_date", "vilket datum"},
		{func(p *Population) { p.Source = "" }, "source", "Ange källan"},
		{func(p *Population) { p.Source = " \t" }, "source", "Ange källan"},
		{func(p *Population) { p.Source = strings.Repeat("ö", 201) }, "source", "Källan får vara högst 200 tecken."},
		{func(p *Population) { p.Source = "SCB\x00" }, "source", "styrtecken"},
	}
	for i, tt := range tests {
		p := valid
		tt.change(&p)
		checkDomainError(t, "case "+strconv.Itoa(i)+": Validate", p.Validate(), EINVALID, tt.wantField, tt.wantMsg)
	}
	p := valid
	p.Source = strings.Repeat("ö", 200)
	if err := p.Validate(); err != nil {
		t.Errorf("Validate with a 200-character source = %v, want nil", err)
	}
}

func FuzzParsePopulation(f *testing.F) {
	for _, s := range []string{"63985", "63 985", "63\u00a0985", "63985,5", "-5", "0", "abc", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParsePopulation(s)
		if err != nil {
			checkDomainError(t, "ParsePopulation", err, EINVALID, "inhabitants", "")
			return
		}
		if n <= 0 {
			t.Fatalf("ParsePopulation(%q) = %d, want > 0", s, n)
		}
		for _, written := range []string{strconv.FormatInt(n, 10), sv.Integer(int64(n))} {
			if again, err := ParsePopulation(written); err != nil || again != n {
				t.Fatalf("ParsePopulation(%q) = %d, %v, want %d", written, again, err, n)
			}
		}
	})
}
