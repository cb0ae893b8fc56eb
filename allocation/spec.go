package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Method is a way of splitting a total between parties.
type Method string

// The allocation methods of the committee.
const (
	// MethodEqual splits the total in equal shares (lika delar).
	MethodEqual Method = "equal"
	// MethodPopulation splits the total in proportion to population, or,
	// with a host share, gives the host a fixed percentage and splits the
	// rest between the other parties in proportion to population.
	MethodPopulation Method = "population"
	// MethodPercent splits the total by a fixed key of percentages that sum
	// to exactly 100.
	MethodPercent Method = "percent"
	// MethodDirect gives the whole total to a single party.
	MethodDirect Method = "direct"
	// MethodMixed splits the total into parts by fixed percentages (Spec.Parts)
	// and each part between all the parties by a method of its own, such as
	// 50 % in equal shares and 50 % by population.
	MethodMixed Method = "mixed"
)

// methodNames lists the methods a spec may name, for errors.
const methodNames = "equal, population, percent, direct or mixed"

// Unit is the smallest amount a share is rounded to.
type Unit string

// The units a split can round to.
const (
	// UnitOre rounds to the öre (0.01 kr). It is the default.
	UnitOre Unit = "ore"
	// UnitKrona rounds to whole kronor.
	UnitKrona Unit = "krona"
)

// exponent returns the decimal exponent of the unit: -2 for öre, 0 for kronor.
func (u Unit) exponent() int32 {
	if u == UnitKrona {
		return 0
	}
	return -2
}

// Party is one participant in a split. Only the fields the method uses need to
// be set; the others are ignored.
type Party struct {
	// ID identifies the party; it must be unique within the spec.
	ID string
	// Name is the party's name, carried into its share.
	Name string
	// Host marks the committee's host party (värdkommun). At most one party
	// may be host; with a host share exactly one must be.
	Host bool
	// Order is the party's place in the committee's own list of parties,
	// lower first. It breaks ties between equal remainders.
	Order int
	// Population is the party's population, required by MethodPopulation
	// (except for the host when a host share is given).
	Population *int64
	// PopulationDate is the reference date of Population, shown with the share.
	PopulationDate string
	// PopulationSource names where Population comes from, shown with the share.
	PopulationSource string
	// Percent is the party's fixed percentage, required by MethodPercent
	// (and by a part of a mixed key that uses it).
	Percent *decimal.Decimal
}

// Part is one part of a mixed key (MethodMixed): a fixed percentage of the
// total, split between all the spec's parties by a method of its own.
type Part struct {
	// Percent is the part's share of the total in percent, greater than
	// zero; the parts' percentages sum to exactly 100.
	Percent decimal.Decimal
	// Method is the part's method: MethodEqual, MethodPopulation or
	// MethodPercent.
	Method Method
	// HostShare is the host's fixed percentage of the part under
	// MethodPopulation, as Spec.HostShare is for a whole split.
	HostShare *decimal.Decimal
	// Renormalise is Spec.Renormalise for the part's MethodPercent.
	Renormalise bool
}

// Spec says what to split and how: the input of Allocate.
type Spec struct {
	// Total is the amount to split. It must be a whole number of the unit;
	// a negative total (a refund) is split symmetrically.
	Total decimal.Decimal
	// Method is the allocation method.
	Method Method
	// Unit is the unit the shares are rounded to; empty means UnitOre.
	Unit Unit
	// HostShare is the host's fixed percentage under MethodPopulation, with
	// 0 < HostShare < 100, or nil for a plain population split. Other
	// methods ignore it.
	HostShare *decimal.Decimal
	// Renormalise says, under MethodPercent, that the parties' percentages
	// are their entries in a larger key (such as a project directive's key
	// over all the committee's parties) of which only they take part: the
	// key is renormalised exactly over them, each party paying its
	// percentage divided by the sum of the participants' percentages, which
	// must be greater than zero and at most 100. Without it the percentages
	// must sum to exactly 100: a key is never normalised silently. Other
	// methods ignore it.
	Renormalise bool
	// Parts are the parts of a mixed key, required by MethodMixed (at least
	// two); other methods ignore them.
	Parts []Part
	// Parties are the participants, in the order the shares are returned.
	Parties []Party
}

// unit returns the spec's unit with the default applied.
func (s Spec) unit() Unit {
	if s.Unit == "" {
		return UnitOre
	}
	return s.Unit
}

var hundred = decimal.NewFromInt(100)

// Validate checks that the spec can be allocated. It returns nil or a
// *FieldError naming the first invalid field.
func (s Spec) Validate() error {
	unit := s.unit()
	if unit != UnitOre && unit != UnitKrona {
		return fieldErrorf(CodeUnknownUnit, "unit", "unknown unit %q (want ore or krona)", string(s.Unit))
	}
	switch s.Method {
	case MethodEqual, MethodPopulation, MethodPercent, MethodDirect, MethodMixed:
	case "":
		return fieldErrorf(CodeMissing, "method", "missing (want %s)", methodNames)
	default:
		return fieldErrorf(CodeUnknownMethod, "method", "unknown method %q (want %s)", string(s.Method), methodNames)
	}
	if !s.Total.Shift(2).IsInteger() {
		return fieldErrorf(CodeTooManyDecimals, "total", "%s has more than two decimals", s.Total)
	}
	if unit == UnitKrona && !s.Total.IsInteger() {
		return fieldErrorf(CodeNotWholeKronor, "total", "%s is not a whole number of kronor", s.Total.StringFixed(2))
	}

	if len(s.Parties) == 0 {
		return fieldErrorf(CodeNoParties, "parties", "no participating parties")
	}
	// Only a spec with a repeated id needs the map that names the first
	// repetition; a sort finds whether there is one with less garbage.
	var seen map[string]int
	if hasDuplicateID(s.Parties) {
		seen = make(map[string]int, len(s.Parties))
	}
	host := -1
	for i, p := range s.Parties {
		if strings.TrimSpace(p.ID) == "" {
			return partyErrorf(CodeMissing, i, "id", "missing")
		}
		if seen != nil {
			if j, ok := seen[p.ID]; ok {
				return partyErrorf(CodeDuplicateID, i, "id", "duplicate id %q (same as parties[%d])", p.ID, j)
			}
			seen[p.ID] = i
		}
		if p.Host {
			if host >= 0 {
				return partyErrorf(CodeSecondHost, i, "host", "a second host (parties[%d] is host too)", host)
			}
			host = i
		}
	}
	if s.Method == MethodMixed {
		return s.validateParts(host >= 0)
	}
	return s.validateMethod(host >= 0)
}

// hasDuplicateID reports whether two parties have the same id.
func hasDuplicateID(parties []Party) bool {
	if len(parties) < 2 {
		return false
	}
	ids := make([]string, len(parties))
	for i, p := range parties {
		ids[i] = p.ID
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return true
		}
	}
	return false
}

// validateMethod applies the rules of the spec's method (not MethodMixed)
// to parties already checked; hasHost tells whether one of them is host.
func (s Spec) validateMethod(hasHost bool) error {
	switch s.Method {
	case MethodDirect:
		if len(s.Parties) != 1 {
			return fieldErrorf(CodeDirectNeedsOne, "parties", "method direct needs exactly one party, got %d", len(s.Parties)).with(decimal.NewFromInt(int64(len(s.Parties))))
		}
	case MethodPercent:
		if s.Renormalise {
			return CheckKeySubset(s.Parties)
		}
		return CheckPercentages(s.Parties)
	case MethodPopulation:
		if h := s.HostShare; h != nil {
			if h.Sign() <= 0 || h.Cmp(hundred) >= 0 {
				return fieldErrorf(CodeHostShareRange, "host_share", "must be greater than 0 and less than 100, got %s", h).with(*h)
			}
			if !hasHost {
				return fieldErrorf(CodeHostShareNoHost, "host_share", "needs a host among the parties, but none is flagged host")
			}
			if len(s.Parties) < 2 {
				return fieldErrorf(CodeHostShareAlone, "parties", "host_share needs at least one party besides the host")
			}
		}
		for i, p := range s.Parties {
			if s.HostShare != nil && p.Host {
				continue // the host's population is not used
			}
			if p.Population == nil {
				return partyErrorf(CodePopulationMissing, i, "population", "missing for method population (party %q)", p.ID)
			}
			if *p.Population <= 0 {
				return partyErrorf(CodePopulationNotPositive, i, "population", "must be greater than zero, got %d (party %q)", *p.Population, p.ID).with(decimal.NewFromInt(*p.Population))
			}
		}
	}
	return nil
}

// validateParts applies the rules of a mixed key: at least two parts, each
// with a percentage greater than zero and a method of its own (equal,
// population or percent) whose rules hold for the parties, and percentages
// that sum to exactly 100. A problem within a part is reported with
// FieldError.Part set to its index.
func (s Spec) validateParts(hasHost bool) error {
	if len(s.Parts) < 2 {
		return fieldErrorf(CodePartsTooFew, "parts", "method mixed needs at least two parts, got %d", len(s.Parts)).with(decimal.NewFromInt(int64(len(s.Parts))))
	}
	sum := decimal.Zero
	for k, p := range s.Parts {
		switch p.Method {
		case MethodEqual, MethodPopulation, MethodPercent:
		case "":
			return partErrorf(CodeMissing, k, "method", "missing (want equal, population or percent)")
		default:
			return partErrorf(CodePartMethod, k, "method", "method %q cannot be a part of a mixed key (want equal, population or percent)", string(p.Method))
		}
		if p.Percent.Sign() <= 0 {
			return partErrorf(CodePartPercentNotPositive, k, "percent", "must be greater than zero, got %s", p.Percent).with(p.Percent)
		}
		sum = sum.Add(p.Percent)
	}
	if !sum.Equal(hundred) {
		return fieldErrorf(CodePartSum, "parts", "the parts' percentages sum to %s, want exactly 100", sum).with(sum)
	}
	for k, p := range s.Parts {
		if err := s.partSpec(p).validateMethod(hasHost); err != nil {
			return inPart(k, err)
		}
	}
	return nil
}

// partSpec is the spec of one part of a mixed key, over the whole total; the
// split uses the part's own total instead.
func (s Spec) partSpec(p Part) Spec {
	return Spec{Total: s.Total, Method: p.Method, Unit: s.Unit, HostShare: p.HostShare, Renormalise: p.Renormalise, Parties: s.Parties}
}

// CheckPercentages checks a fixed key of percentages, the rule of
// MethodPercent: every party has a percentage greater than zero, and the
// percentages sum to exactly 100. It returns nil or a *FieldError with
// CodePercentMissing or CodePercentNotPositive for the first party at fault,
// or CodePercentSum with the sum. Validate applies it; the web form applies
// it too, with its own words for each code.
func CheckPercentages(parties []Party) error {
	sum, err := percentSum(parties)
	if err != nil {
		return err
	}
	if !sum.Equal(hundred) {
		return fieldErrorf(CodePercentSum, "parties", "percentages sum to %s, want exactly 100", sum).with(sum)
	}
	return nil
}

// CheckKeySubset checks the participants' entries of a larger fixed key, the
// rule of MethodPercent with Spec.Renormalise: every party has a percentage
// greater than zero, and together they hold at most 100 % of the key. It
// returns nil or a *FieldError with CodePercentMissing or
// CodePercentNotPositive for the first party at fault, or CodeKeySubsetSum
// with the sum.
func CheckKeySubset(parties []Party) error {
	sum, err := percentSum(parties)
	if err != nil {
		return err
	}
	if sum.Cmp(hundred) > 0 {
		return fieldErrorf(CodeKeySubsetSum, "parties", "the participants' percentages sum to %s, more than the whole key's 100", sum).with(sum)
	}
	return nil
}

// percentSum checks that every party has a percentage greater than zero and
// returns their sum.
func percentSum(parties []Party) (decimal.Decimal, error) {
	sum := decimal.Zero
	for i, p := range parties {
		if p.Percent == nil {
			return sum, partyErrorf(CodePercentMissing, i, "percent", "missing for method percent (party %q)", p.ID)
		}
		if p.Percent.Sign() <= 0 {
			return sum, partyErrorf(CodePercentNotPositive, i, "percent", "must be greater than zero, got %s (party %q)", p.Percent, p.ID).with(*p.Percent)
		}
		sum = sum.Add(*p.Percent)
	}
	return sum, nil
}

// ParseSpec reads a JSON spec and validates it. Decoding is strict: unknown
// fields, repeated fields, trailing data and values of the wrong JSON type are
// errors. Every problem with the input is reported as a *FieldError; only a
// failure to read r is reported otherwise. The order of "parties" is the
// committee's party order: Party.Order is set to the index.
//
// The spec looks like this ("unit" defaults to "ore"; "host_share",
// "renormalise", "parts", "population" and "percent" are only needed where
// the method uses them):
//
//	{"total": "468091.00", "method": "population", "unit": "ore", "host_share": "50",
//	 "parties": [{"id": "region-jh", "name": "Region Jämtland Härjedalen", "host": true,
//	              "population": 130000, "population_date": "2020-11-01",
//	              "population_source": "SCB", "percent": "50.00"}]}
//
// A key's entries for a subset of its parties, renormalised over them:
//
//	{"total": "100000.00", "method": "percent", "renormalise": true,
//	 "parties": [{"id": "bracke", "percent": "2.54"}, {"id": "krokom", "percent": "5.81"},
//	             {"id": "stromsund", "percent": "4.60"}]}
//
// A mixed key, each part with its own method (and "host_share" or
// "renormalise" where that method uses them):
//
//	{"total": "100000.00", "method": "mixed",
//	 "parts": [{"percent": "50", "method": "equal"}, {"percent": "50", "method": "population"}],
//	 "parties": [{"id": "bracke", "population": 6700}, {"id": "krokom", "population": 15000}]}
func ParseSpec(r io.Reader) (Spec, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Spec{}, fmt.Errorf("read spec: %w", err)
	}
	members, err := readObject(data, "", "spec")
	if err != nil {
		return Spec{}, err
	}
	fields := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		switch m.key {
		case "total", "method", "unit", "host_share", "renormalise", "parts", "parties":
			fields[m.key] = m.raw
		default:
			return Spec{}, fieldErrorf(CodeUnknownField, m.field, "unknown field")
		}
	}

	var s Spec
	total, ok, err := jsonDecimal(fields["total"], "total")
	if err != nil {
		return Spec{}, err
	}
	if !ok {
		return Spec{}, fieldErrorf(CodeMissing, "total", "missing")
	}
	s.Total = *total
	method, _, err := jsonString(fields["method"], "method")
	if err != nil {
		return Spec{}, err
	}
	s.Method = Method(method)
	unit, _, err := jsonString(fields["unit"], "unit")
	if err != nil {
		return Spec{}, err
	}
	s.Unit = Unit(unit)
	if s.HostShare, _, err = jsonDecimal(fields["host_share"], "host_share"); err != nil {
		return Spec{}, err
	}
	if s.Renormalise, err = jsonBool(fields["renormalise"], "renormalise"); err != nil {
		return Spec{}, err
	}
	if s.Parts, err = parseParts(fields["parts"]); err != nil {
		return Spec{}, err
	}
	if s.Parties, err = parseParties(fields["parties"]); err != nil {
		return Spec{}, err
	}
	if err := s.Validate(); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// parseParties decodes the "parties" array.
func parseParties(raw json.RawMessage) ([]Party, error) {
	if isAbsent(raw) {
		return nil, fieldErrorf(CodeMissing, "parties", "missing")
	}
	items, err := jsonObjects(raw, "parties", "party")
	if err != nil {
		return nil, err
	}
	parties := make([]Party, len(items))
	for i, members := range items {
		p := &parties[i]
		p.Order = i
		for _, m := range members {
			field := m.field
			switch m.key {
			case "id":
				p.ID, _, err = jsonString(m.raw, field)
			case "name":
				p.Name, _, err = jsonString(m.raw, field)
			case "host":
				p.Host, err = jsonBool(m.raw, field)
			case "population":
				p.Population, err = jsonInt(m.raw, field)
			case "population_date":
				p.PopulationDate, _, err = jsonString(m.raw, field)
			case "population_source":
				p.PopulationSource, _, err = jsonString(m.raw, field)
			case "percent":
				p.Percent, _, err = jsonDecimal(m.raw, field)
			default:
				err = fieldErrorf(CodeUnknownField, field, "unknown field")
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return parties, nil
}

// parseParts decodes the "parts" array of a mixed key; absent or null is none.
func parseParts(raw json.RawMessage) ([]Part, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	items, err := jsonObjects(raw, "parts", "part")
	if err != nil {
		return nil, err
	}
	parts := make([]Part, len(items))
	for k, members := range items {
		p := &parts[k]
		percent := false
		for _, m := range members {
			field := m.field
			switch m.key {
			case "percent":
				var d *decimal.Decimal
				if d, percent, err = jsonDecimal(m.raw, field); percent {
					p.Percent = *d
				}
			case "method":
				var method string
				method, _, err = jsonString(m.raw, field)
				p.Method = Method(method)
			case "host_share":
				p.HostShare, _, err = jsonDecimal(m.raw, field)
			case "renormalise":
				p.Renormalise, err = jsonBool(m.raw, field)
			default:
				err = fieldErrorf(CodeUnknownField, field, "unknown field")
			}
			if err != nil {
				return nil, err
			}
		}
		if !percent {
			return nil, partErrorf(CodeMissing, k, "percent", "missing")
		}
	}
	return parts, nil
}

// jsonObjects decodes the array named name, whose elements must be JSON
// objects (each a what), into each object's members.
func jsonObjects(raw json.RawMessage, name, what string) ([][]member, error) {
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, fieldErrorf(CodeWrongType, name, "must be a JSON array of %s objects", what)
	}
	out := make([][]member, len(items))
	for i, item := range items {
		path := fmt.Sprintf("%s[%d]", name, i)
		members, err := readObject(item, path, path)
		if err != nil {
			return nil, err
		}
		out[i] = members
	}
	return out, nil
}

// member is one key and its raw value in a JSON object.
type member struct {
	key   string
	field string // the path of the member, for errors
	raw   json.RawMessage
}

// readObject decodes data, which must be exactly one JSON object, into its
// members in document order. path prefixes the names of the members in errors;
// name names the object itself.
func readObject(data []byte, path, name string) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, fieldErrorf(CodeMalformed, name, "empty input, want a JSON object")
	}
	if err != nil {
		return nil, malformed(name, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fieldErrorf(CodeMalformed, name, "must be a JSON object")
	}
	var members []member
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(name, err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, malformed(name, err)
		}
		field := key
		if key == "" {
			field = `""` // so that an empty key still names a field
		}
		if path != "" {
			field = path + "." + field
		}
		if seen[key] {
			return nil, fieldErrorf(CodeRepeatedField, field, "appears more than once")
		}
		seen[key] = true
		members = append(members, member{key: key, field: field, raw: raw})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, malformed(name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fieldErrorf(CodeMalformed, name, "unexpected data after the JSON object")
	}
	return members, nil
}

// malformed turns a JSON syntax error into a *FieldError for name.
func malformed(name string, err error) *FieldError {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fieldErrorf(CodeMalformed, name, "malformed JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fieldErrorf(CodeMalformed, name, "malformed JSON: unexpected end of input")
	default:
		return fieldErrorf(CodeMalformed, name, "malformed JSON: %v", err)
	}
}

// isAbsent reports whether a raw value is missing or JSON null.
func isAbsent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// jsonString decodes a JSON string; ok is false when the value is absent or null.
func jsonString(raw json.RawMessage, field string) (s string, ok bool, err error) {
	if isAbsent(raw) {
		return "", false, nil
	}
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false, fieldErrorf(CodeWrongType, field, "must be a JSON string")
	}
	return s, true, nil
}

// jsonBool decodes a JSON boolean; absent or null is false.
func jsonBool(raw json.RawMessage, field string) (bool, error) {
	if isAbsent(raw) {
		return false, nil
	}
	var b bool
	if json.Unmarshal(raw, &b) != nil {
		return false, fieldErrorf(CodeWrongType, field, "must be true or false")
	}
	return b, nil
}

// jsonInt decodes a JSON integer; absent or null is nil.
func jsonInt(raw json.RawMessage, field string) (*int64, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
			return nil, fieldErrorf(CodeWrongType, field, "must be a whole number that fits in 64 bits, got %s", raw)
		}
		return nil, fieldErrorf(CodeWrongType, field, "must be a JSON integer")
	}
	return &n, nil
}

// jsonDecimal decodes a JSON string holding a decimal number with an optional
// minus sign and decimal point, such as "-468091.00"; ok is false when the
// value is absent or null.
func jsonDecimal(raw json.RawMessage, field string) (d *decimal.Decimal, ok bool, err error) {
	s, ok, err := jsonString(raw, field)
	if err != nil {
		return nil, false, fieldErrorf(CodeWrongType, field, `must be a JSON string holding a decimal number, like "468091.00"`)
	}
	if !ok {
		return nil, false, nil
	}
	if !isDecimal(s) {
		return nil, false, fieldErrorf(CodeNotDecimal, field, `not a decimal number: %q (want digits with a decimal point, like "468091.00")`, s)
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return nil, false, fieldErrorf(CodeNotDecimal, field, "not a decimal number: %q", s)
	}
	return &v, true, nil
}

// isDecimal reports whether s is an optional minus sign, digits, and optionally
// a point followed by digits. It rejects exponents, signs like "+", spaces and
// decimal commas, which decimal.NewFromString would accept or misread.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	return allDigits(intPart) && (!hasPoint || allDigits(frac))
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// resultJSON is the JSON form of a Result.
type resultJSON struct {
	Total       string      `json:"total"`
	Unit        Unit        `json:"unit"`
	Method      Method      `json:"method"`
	HostShare   string      `json:"host_share,omitempty"`
	Renormalise bool        `json:"renormalise,omitempty"`
	KeySum      string      `json:"key_sum,omitempty"`
	Parts       []partJSON  `json:"parts,omitempty"`
	Shares      []shareJSON `json:"shares"`
	Sum         string      `json:"sum"`
}

// partJSON is the JSON form of a PartResult.
type partJSON struct {
	Percent     string      `json:"percent"`
	Method      Method      `json:"method"`
	HostShare   string      `json:"host_share,omitempty"`
	Renormalise bool        `json:"renormalise,omitempty"`
	KeySum      string      `json:"key_sum,omitempty"`
	Total       string      `json:"total"`
	Quota       string      `json:"quota"`
	Residue     bool        `json:"residue"`
	Shares      []shareJSON `json:"shares"`
	Sum         string      `json:"sum"`
}

// shareJSON is the JSON form of a Share.
type shareJSON struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Amount       string           `json:"amount"`
	Quota        string           `json:"quota"`
	Weight       string           `json:"weight"`
	WeightSource weightSourceJSON `json:"weight_source"`
	KeyShare     string           `json:"key_share,omitempty"`
	KeyFraction  string           `json:"key_fraction,omitempty"`
	Residue      bool             `json:"residue"`
}

// weightSourceJSON is the JSON form of a WeightSource.
type weightSourceJSON struct {
	Kind          WeightKind `json:"kind"`
	ReferenceDate string     `json:"reference_date,omitempty"`
	Source        string     `json:"source,omitempty"`
}

// MarshalJSON encodes the result for the CLI and other programs: amounts as
// strings with exactly two decimals, quotas with two to ten decimals, weights
// as exact decimals, and the shares in the order the parties were given. A
// key renormalised over its participants adds "renormalise", "key_sum" and
// each share's "key_share" (percent, ten decimals) and exact "key_fraction"
// (such as "254/1295"); a mixed key adds "parts", each part with its
// percentage, method, total, exact quota and shares.
func (r Result) MarshalJSON() ([]byte, error) {
	out := resultJSON{
		Total:       r.Total.StringFixed(2),
		Unit:        r.Unit,
		Method:      r.Method,
		HostShare:   optDecimal(r.HostShare),
		Renormalise: r.Renormalise,
		KeySum:      optDecimal(r.KeySum),
		Shares:      sharesJSON(r.Shares),
		Sum:         r.Sum.StringFixed(2),
	}
	for _, p := range r.Parts {
		out.Parts = append(out.Parts, partJSON{
			Percent: p.Part.Percent.String(), Method: p.Part.Method, HostShare: optDecimal(p.HostShare),
			Renormalise: p.Part.Renormalise, KeySum: optDecimal(p.KeySum), Total: p.Total.StringFixed(2),
			Quota: formatQuota(p.Quota), Residue: p.Residue, Shares: sharesJSON(p.Shares), Sum: p.Sum.StringFixed(2),
		})
	}
	return json.Marshal(out)
}

// optDecimal writes an optional decimal exactly, or "" when it is nil.
func optDecimal(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// sharesJSON is the JSON form of shares.
func sharesJSON(shares []Share) []shareJSON {
	out := make([]shareJSON, len(shares))
	for i, s := range shares {
		out[i] = shareJSON{
			ID:     s.PartyID,
			Name:   s.Name,
			Amount: s.Amount.StringFixed(2),
			Quota:  formatQuota(s.Quota),
			Weight: s.Weight.String(),
			WeightSource: weightSourceJSON{
				Kind:          s.WeightSource.Kind,
				ReferenceDate: s.WeightSource.ReferenceDate,
				Source:        s.WeightSource.Source,
			},
			Residue: s.Residue,
		}
		if f := s.KeyFraction(); f != nil {
			out[i].KeyShare, out[i].KeyFraction = formatQuota(s.KeyShare), f.RatString()
		}
	}
	return out
}

// formatQuota writes a quota with QuotaPlaces decimals, dropping trailing zeros
// but keeping at least two, so "101600.00" and "52010.1111111111".
func formatQuota(q decimal.Decimal) string {
	s := q.StringFixed(QuotaPlaces)
	cut := len(s) - QuotaPlaces + 2
	return s[:cut] + strings.TrimRight(s[cut:], "0")
}
