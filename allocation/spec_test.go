package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// specJSON builds a spec document from the given top-level members and party
// objects, so the error table below stays short.
func specJSON(top string, parties ...string) string {
	s := "{" + top
	if parties != nil {
		if top != "" {
			s += ","
		}
		s += `"parties":[` + strings.Join(parties, ",") + "]"
	}
	return s + "}"
}

func TestParseSpecErrors(t *testing.T) {
	t.Parallel()
	const eq = `"total":"100.00","method":"equal"`
	const pop = `"total":"100.00","method":"population"`
	const pct = `"total":"100.00","method":"percent"`
	a, b := `{"id":"a"}`, `{"id":"b"}`
	tests := []struct {
		name      string
		in        string
		wantField string
		wantText  string
	}{
		{"empty input", "", "spec", "empty input"},
		{"malformed JSON", `{"total": `, "spec", "malformed JSON"},
		{"bad token", `{"total": tru}`, "spec", "malformed JSON at byte"},
		{"not an object", `["total"]`, "spec", "must be a JSON object"},
		{"null document", `null`, "spec", "must be a JSON object"},
		{"trailing data", specJSON(eq, a) + ` {}`, "spec", "unexpected data after the JSON object"},
		{"unknown field", specJSON(eq+`,"colour":"red"`, a), "colour", "unknown field"},
		{"field in other case", specJSON(`"Total":"1.00","method":"equal"`, a), "Total", "unknown field"},
		{"repeated field", specJSON(eq+`,"total":"200.00"`, a), "total", "appears more than once"},
		{"empty key", specJSON(eq+`,"":1`, a), `""`, "unknown field"},
		{"repeated empty key", `{"":1,"":2}`, `""`, "appears more than once"},
		{"empty party key", specJSON(eq, `{"id":"a","":1}`), `parties[0].""`, "unknown field"},
		{"unknown party field", specJSON(eq, a, `{"id":"b","colour":"red"}`), "parties[1].colour", "unknown field"},
		{"repeated party field", specJSON(eq, a, `{"id":"b","id":"c"}`), "parties[1].id", "appears more than once"},
		{"total missing", specJSON(`"method":"equal"`, a), "total", "missing"},
		{"total null", specJSON(`"total":null,"method":"equal"`, a), "total", "missing"},
		{"total a JSON number", specJSON(`"total":100.00,"method":"equal"`, a), "total", "must be a JSON string holding a decimal"},
		{"total not a number", specJSON(`"total":"abc","method":"equal"`, a), "total", `not a decimal number: "abc"`},
		{"total empty", specJSON(`"total":"","method":"equal"`, a), "total", "not a decimal number"},
		{"total with exponent", specJSON(`"total":"1e5","method":"equal"`, a), "total", "not a decimal number"},
		{"total with comma", specJSON(`"total":"100,50","method":"equal"`, a), "total", "not a decimal number"},
		{"total with plus", specJSON(`"total":"+100.50","method":"equal"`, a), "total", "not a decimal number"},
		{"total with space", specJSON(`"total":" 100.50","method":"equal"`, a), "total", "not a decimal number"},
		{"total ends in point", specJSON(`"total":"100.","method":"equal"`, a), "total", "not a decimal number"},
		{"total more than two decimals", specJSON(`"total":"100.005","method":"equal"`, a), "total", "100.005 has more than two decimals"},
		{"total not whole kronor", specJSON(`"total":"468091.50","method":"equal","unit":"krona"`, a), "total", "468091.50 is not a whole number of kronor"},
		{"unknown unit", specJSON(eq+`,"unit":"sek"`, a), "unit", `unknown unit "sek"`},
		{"unit not a string", specJSON(eq+`,"unit":1`, a), "unit", "must be a JSON string"},
		{"method missing", specJSON(`"total":"100.00"`, a), "method", "missing"},
		{"unknown method", specJSON(`"total":"100.00","method":"weighted"`, a), "method", `unknown method "weighted"`},
		{"method not a string", specJSON(`"total":"100.00","method":true`, a), "method", "must be a JSON string"},
		{"parties missing", specJSON(eq), "parties", "missing"},
		{"parties empty", specJSON(eq + `,"parties":[]`), "parties", "no participating parties"},
		{"parties not an array", specJSON(eq + `,"parties":{"id":"a"}`), "parties", "must be a JSON array"},
		{"party not an object", specJSON(eq, a, `"b"`), "parties[1]", "must be a JSON object"},
		{"party id missing", specJSON(eq, a, `{"name":"B"}`), "parties[1].id", "missing"},
		{"party id empty", specJSON(eq, a, `{"id":""}`), "parties[1].id", "missing"},
		{"party id not a string", specJSON(eq, a, `{"id":2}`), "parties[1].id", "must be a JSON string"},
		{"party name not a string", specJSON(eq, `{"id":"a","name":["A"]}`), "parties[0].name", "must be a JSON string"},
		{"duplicate party id", specJSON(eq, a, b, a), "parties[2].id", `duplicate id "a" (same as parties[0])`},
		{"host not a boolean", specJSON(eq, `{"id":"a","host":"yes"}`), "parties[0].host", "must be true or false"},
		{"two hosts", specJSON(eq, `{"id":"a","host":true}`, b, `{"id":"c","host":true}`), "parties[2].host", "a second host (parties[0] is host too)"},
		{"population missing", specJSON(pop, `{"id":"a","population":5}`, b), "parties[1].population", `missing for method population (party "b")`},
		{"population zero", specJSON(pop, `{"id":"a","population":0}`), "parties[0].population", `must be greater than zero, got 0 (party "a")`},
		{"population negative", specJSON(pop, `{"id":"a","population":-5}`), "parties[0].population", "got -5"},
		{"population fractional", specJSON(pop, `{"id":"a","population":1.5}`), "parties[0].population", "must be a whole number"},
		{"population with exponent", specJSON(pop, `{"id":"a","population":1e5}`), "parties[0].population", "must be a whole number"},
		{"population too large", specJSON(pop, `{"id":"a","population":99999999999999999999}`), "parties[0].population", "fits in 64 bits"},
		{"population a string", specJSON(pop, `{"id":"a","population":"130000"}`), "parties[0].population", "must be a JSON integer"},
		{"population date not a string", specJSON(pop, `{"id":"a","population":1,"population_date":20201101}`), "parties[0].population_date", "must be a JSON string"},
		{"population source not a string", specJSON(pop, `{"id":"a","population":1,"population_source":false}`), "parties[0].population_source", "must be a JSON string"},
		{"percent missing", specJSON(pct, `{"id":"a","percent":"100"}`, b), "parties[1].percent", `missing for method percent (party "b")`},
		{"percent zero", specJSON(pct, `{"id":"a","percent":"100"}`, `{"id":"b","percent":"0.00"}`), "parties[1].percent", "must be greater than zero, got 0"},
		{"percent negative", specJSON(pct, `{"id":"a","percent":"110"}`, `{"id":"b","percent":"-10"}`), "parties[1].percent", "got -10"},
		{"percent not a number", specJSON(pct, `{"id":"a","percent":"50 %"}`), "parties[0].percent", `not a decimal number: "50 %"`},
		{"percent a JSON number", specJSON(pct, `{"id":"a","percent":100}`), "parties[0].percent", "must be a JSON string"},
		{"percent sums to 99.99", specJSON(pct, `{"id":"a","percent":"50.00"}`, `{"id":"b","percent":"49.99"}`), "parties", "percentages sum to 99.99, want exactly 100"},
		{"percent sums to 100.01", specJSON(pct, `{"id":"a","percent":"50.01"}`, `{"id":"b","percent":"50"}`), "parties", "sum to 100.01"},
		{"host share zero", specJSON(pop+`,"host_share":"0"`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", "got 0"},
		{"host share 100", specJSON(pop+`,"host_share":"100.00"`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", "less than 100, got 100"},
		{"host share negative", specJSON(pop+`,"host_share":"-5"`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", "got -5"},
		{"host share above 100", specJSON(pop+`,"host_share":"150"`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", "got 150"},
		{"host share not a number", specJSON(pop+`,"host_share":"half"`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", `not a decimal number: "half"`},
		{"host share a JSON number", specJSON(pop+`,"host_share":50`, `{"id":"a","host":true}`, `{"id":"b","population":1}`), "host_share", "must be a JSON string"},
		{"host share without host", specJSON(pop+`,"host_share":"50"`, `{"id":"a","population":1}`, `{"id":"b","population":1}`), "host_share", "none is flagged host"},
		{"host share with two hosts", specJSON(pop+`,"host_share":"50"`, `{"id":"a","host":true}`, `{"id":"b","host":true,"population":1}`), "parties[1].host", "a second host"},
		{"host share with host alone", specJSON(pop+`,"host_share":"50"`, `{"id":"a","host":true}`), "parties", "at least one party besides the host"},
		{"host share, other without population", specJSON(pop+`,"host_share":"50"`, `{"id":"a","host":true}`, b), "parties[1].population", `party "b"`},
		{"direct with two parties", specJSON(`"total":"100.00","method":"direct"`, a, b), "parties", "method direct needs exactly one party, got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ParseSpec(%s) = %+v, want an error", tt.in, spec)
			}
			checkFieldError(t, err, tt.wantField, tt.wantText)
		})
	}
}

func TestParseSpecReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	_, err := ParseSpec(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want it to wrap %v", err, boom)
	}
}

func TestParseSpec(t *testing.T) {
	t.Parallel()
	in := `{"total": "-468091.00", "method": "population", "unit": "krona", "host_share": "50",
	  "parties": [
	    {"id": "region-jh", "name": "Region Jämtland Härjedalen", "host": true, "percent": "50.00"},
	    {"id": "are", "name": "Åre kommun", "population": 11700, "population_date": "2020-11-01",
	     "population_source": "SCB", "host": false, "percent": null},
	    {"id": "berg", "name": null, "population": 7000}]}`
	spec, err := ParseSpec(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseSpec: %v", err)
	}
	if got, want := spec.Total.StringFixed(2), "-468091.00"; got != want {
		t.Errorf("total = %s, want %s", got, want)
	}
	if spec.Method != MethodPopulation || spec.Unit != UnitKrona {
		t.Errorf("method, unit = %q, %q, want population, krona", spec.Method, spec.Unit)
	}
	if spec.HostShare == nil || spec.HostShare.String() != "50" {
		t.Errorf("host share = %v, want 50", spec.HostShare)
	}
	if len(spec.Parties) != 3 {
		t.Fatalf("got %d parties, want 3", len(spec.Parties))
	}
	for i, p := range spec.Parties {
		if p.Order != i {
			t.Errorf("%s: order = %d, want %d", p.ID, p.Order, i)
		}
	}
	are := spec.Parties[1]
	if are.Name != "Åre kommun" || are.Population == nil || *are.Population != 11700 ||
		are.PopulationDate != "2020-11-01" || are.PopulationSource != "SCB" || are.Host || are.Percent != nil {
		t.Errorf("are = %+v, want its fields decoded", are)
	}
	if r := spec.Parties[0]; !r.Host || r.Population != nil || r.Percent == nil || r.Percent.String() != "50" {
		t.Errorf("region = %+v, want host with percent 50 and no population", r)
	}
}

func TestParseSpecIgnoresUnusedFields(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in string }{
		{"host share with equal", `{"total":"1.00","method":"equal","host_share":"250","parties":[{"id":"a"}]}`},
		{"host share with direct", `{"total":"1.00","method":"direct","host_share":"0","parties":[{"id":"a"}]}`},
		{"percent with population", `{"total":"1.00","method":"population","parties":[{"id":"a","population":3,"percent":"-1"}]}`},
		{"population with percent", `{"total":"1.00","method":"percent","parties":[{"id":"a","population":-3,"percent":"100"}]}`},
		{"host population with host share", `{"total":"1.00","method":"population","host_share":"50","parties":[{"id":"a","host":true,"population":-1},{"id":"b","population":2}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParseSpec: %v", err)
			}
			res, err := Allocate(spec)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			if !res.Sum.Equal(spec.Total) {
				t.Errorf("sum = %s, want %s", res.Sum, spec.Total)
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	t.Parallel()
	specs, err := filepath.Glob(filepath.Join("testdata", "spec", "*.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs under testdata/spec: %v", err)
	}
	for _, path := range specs {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := ParseSpec(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("ParseSpec: %v", err)
			}
			res, err := Allocate(spec)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("JSON differs from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestFormatQuota(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"101600", "101600.00"},
		{"52010.1111111111", "52010.1111111111"},
		{"-52010.1111111111", "-52010.1111111111"},
		{"0.5", "0.50"},
		{"21532.186", "21532.186"},
		{"0", "0.00"},
	}
	for _, tt := range tests {
		if got := formatQuota(decp(tt.in).Round(QuotaPlaces)); got != tt.want {
			t.Errorf("formatQuota(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestCheckPercentagesCodes checks the codes and values a fixed key's
// problems carry, which the web form turns into its own words.
func TestCheckPercentagesCodes(t *testing.T) {
	t.Parallel()
	d := func(s string) *decimal.Decimal { v := decimal.RequireFromString(s); return &v }
	tests := []struct {
		name      string
		parties   []Party
		code      Code
		party     int
		value     string
		wantField string
	}{
		{"missing", []Party{{ID: "a", Percent: d("100")}, {ID: "b"}}, CodePercentMissing, 1, "0", "parties[1].percent"},
		{"zero", []Party{{ID: "a", Percent: d("0")}, {ID: "b", Percent: d("100")}}, CodePercentNotPositive, 0, "0", "parties[0].percent"},
		{"negative", []Party{{ID: "a", Percent: d("110")}, {ID: "b", Percent: d("-10")}}, CodePercentNotPositive, 1, "-10", "parties[1].percent"},
		{"sum", []Party{{ID: "a", Percent: d("50")}, {ID: "b", Percent: d("49.99")}}, CodePercentSum, -1, "99.99", "parties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPercentages(tt.parties)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *FieldError", err, err)
			}
			if fe.Code != tt.code || fe.Party != tt.party || !fe.Value.Equal(decimal.RequireFromString(tt.value)) || fe.Field != tt.wantField {
				t.Errorf("got code %q, party %d, value %s, field %q; want %q, %d, %s, %q", fe.Code, fe.Party, fe.Value, fe.Field, tt.code, tt.party, tt.value, tt.wantField)
			}
			spec := Spec{Total: decimal.NewFromInt(100), Method: MethodPercent, Parties: tt.parties}
			if verr := spec.Validate(); verr == nil || verr.Error() != err.Error() {
				t.Errorf("Validate = %v, want the same as CheckPercentages: %v", verr, err)
			}
		})
	}
	if err := CheckPercentages([]Party{{ID: "a", Percent: d("60")}, {ID: "b", Percent: d("40")}}); err != nil {
		t.Errorf("a key summing to 100: %v", err)
	}
}
