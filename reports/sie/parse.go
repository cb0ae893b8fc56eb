package sie

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/shopspring/decimal"
)

// ParseError is a fault in an SIE file: the line it is on (0 when it concerns
// the file as a whole) and a Swedish message for the user. It unwraps to a
// domain error with code EINVALID, so the web layer shows the message as it is.
type ParseError struct {
	Line int
	Msg  string
}

// Error returns the message with the line: "rad 17: #TRANS saknar belopp".
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("rad %d: %s", e.Line, e.Msg)
}

// Unwrap returns the error as an EINVALID domain error.
func (e *ParseError) Unwrap() error {
	return &domain.Error{Code: domain.EINVALID, Message: e.Error()}
}

// maxIntegerDigits bounds the kronor part of an amount. The spec sets no limit
// and asks readers to guard their own (7.5–7.6); 15 digits (under 10^15 kr) keep
// any sum of a file's amounts well inside the int64 öre the store keeps.
const maxIntegerDigits = 15

// Warning is a fault in a record that Parse left out instead of refusing the
// file (see Options.Optional): the record's line and a Swedish message.
type Warning struct {
	Line int
	Msg  string
}

// String writes the warning with its line: "rad 12: kontotypen ...".
func (w Warning) String() string { return fmt.Sprintf("rad %d: %s", w.Line, w.Msg) }

// Options change how ParseWith treats faults.
type Options struct {
	// Optional are the labels (upper case, with the #: "#KTYP") of records
	// the reader can do without. A record of such a label that cannot be
	// read is left out with a Warning instead of refusing the file, unless
	// it is on the file's last line without a line feed, where a fault is
	// taken for a cut-off file. A fault in one #IB, #UB, #RES, #PSALDO or
	// #PBUDGET leaves out every record of that label, so that no total is
	// made of part of them. Faults in the syntax of a line (quotes, braces,
	// control characters) and in verifications always refuse the file.
	Optional []string
}

// Parse reads an SIE file of type 1, 2, 3, 4E or 4I. It reads the whole of r,
// so a caller that takes files from users should limit r's size. On any fault
// it returns a *ParseError and no File.
func Parse(r io.Reader) (*File, error) { return ParseWith(r, Options{}) }

// ParseWith is Parse with options: it refuses the file as Parse does, except
// for faults in the records o names optional, which it reports in
// File.Warnings.
func ParseWith(r io.Reader, o Options) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sie: read: %w", err)
	}
	enc, data, ok := detect(data)
	if !ok {
		return nil, &ParseError{Msg: "Filen börjar som UTF-8 men innehåller tecken som inte är giltig UTF-8."}
	}
	// A DOS end-of-file mark (Ctrl-Z) may close files from old programs.
	data = bytes.TrimRight(data, "\x1a")
	p := &parser{
		f:            &File{Encoding: enc, Skipped: map[string]int{}},
		dec:          newDecoder(enc),
		glyphs:       enc == CP437,
		seen:         map[string]int{},
		accounts:     map[string]int{},
		accountIndex: map[string]int{},
		dims:         map[int]int{},
		objects:      map[ObjectRef]int{},
		years:        map[int]int{},
		balances:     map[balanceKey]int{},
		periods:      map[periodKey]int{},
		vers:         map[[2]string]int{},
		intern:       map[string]string{},
		labels:       map[string]string{},
		optional:     map[string]bool{},
		dropped:      map[string]bool{},
	}
	for _, l := range o.Optional {
		p.optional[strings.ToUpper(l)] = true
	}
	if err := p.parse(data); err != nil {
		return nil, err
	}
	p.drop()
	return p.f, nil
}

// figureLabels are the optional labels whose records are left out all
// together when one of them is faulty.
var figureLabels = map[string]bool{"#IB": true, "#UB": true, "#RES": true, "#PSALDO": true, "#PBUDGET": true}

// warn keeps the fault of an optional record as a warning.
func (p *parser) warn(label string, err *ParseError) {
	msg := err.Msg + "; posten läses inte"
	if figureLabels[label] {
		if !p.dropped[label] {
			msg = err.Msg + "; därför läses ingen av filens " + label + "-poster"
		} else {
			msg = err.Msg
		}
		p.dropped[label] = true
	}
	p.f.Warnings = append(p.f.Warnings, Warning{Line: err.Line, Msg: msg})
}

// drop leaves out the records of the figure labels that had a fault.
func (p *parser) drop() {
	f := p.f
	for label := range p.dropped {
		switch label {
		case "#IB":
			f.Opening = nil
		case "#UB":
			f.Closing = nil
		case "#RES":
			f.Results = nil
		case "#PSALDO":
			f.PeriodBalances = nil
		case "#PBUDGET":
			f.PeriodBudgets = nil
		}
	}
}

type balanceKey struct {
	label   string
	year    int
	account string
}

type periodKey struct {
	label   string
	year    int
	period  Period
	account string
	object  ObjectRef
}

// parser holds the state of one Parse.
type parser struct {
	f   *File
	dec decoder

	line int
	last bool // the line being read is the last and has no line feed
	// amounts counts the amounts read, twoDecimals those written with two
	// decimals, to tell a last amount cut short.
	amounts, twoDecimals int
	ver                  *Verification // the verification whose block is open, or nil
	trans                []Transaction // the rows of ver, collected here and copied once
	balance              sum           // the sum of the rows of ver
	awaitOpen            bool          // a #VER was read; its { line must come next
	records              int           // records read, to tell an empty file

	// ksumma is 0 before a #KSUMMA, 1 between the opening and the closing
	// one, 2 after; crc and crcBare accumulate the checksum with and without
	// the # of each label.
	ksumma       int
	ksummaLine   int
	crc, crcBare uint32

	seen         map[string]int // single records (#FNAMN ...) → line
	accounts     map[string]int // account → line of its #KONTO
	accountIndex map[string]int // account → index in f.Accounts
	dims         map[int]int
	objects      map[ObjectRef]int
	years        map[int]int
	balances     map[balanceKey]int
	periods      map[periodKey]int
	vers         map[[2]string]int
	intern       map[string]string // ASCII field contents
	labels       map[string]string // labels as written → in upper case
	optional     map[string]bool   // Options.Optional
	dropped      map[string]bool   // figure labels left out after a fault
	glyphs       bool              // code page 437: bytes 0x14 and 0x15 are ¶ and §

	// reused for every line
	rec    rec
	fields []field
	items  [][]byte
}

// label returns the label of a record in upper case, sharing one string per
// label.
func (p *parser) label(b []byte) string {
	if s, ok := p.labels[string(b)]; ok {
		return s
	}
	s := strings.ToUpper(string(b))
	p.labels[string(b)] = s
	return s
}

// text decodes b, sharing one string for each ASCII value: account and object
// numbers repeat on every #TRANS of a large file.
func (p *parser) text(b []byte) string {
	if !isASCII(b) {
		return p.dec.str(b)
	}
	if s, ok := p.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	p.intern[s] = s
	return s
}

// field is one field of a record: its content (the quotes and escapes
// removed), or the items of an object list.
type field struct {
	b      []byte
	list   [][]byte
	isList bool
}

func (p *parser) errf(line int, format string, args ...any) *ParseError {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// parse reads the lines of a file. The last line may lack its line feed, as
// the files of many programs do (spec 5.5 asks for one); a file cut off in
// the middle is told by other means: a #VER block without its closing brace,
// a #KSUMMA without its closing record, or a last record that cannot be read
// (a field or a list cut short, a missing field), which is refused even when
// its label is optional.
func (p *parser) parse(data []byte) error {
	for len(data) > 0 {
		p.line++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data, p.last = data, nil, true
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if err := p.parseLine(line); err != nil {
			var pe *ParseError
			if p.last && errors.As(err, &pe) {
				pe.Msg += " (raden är filens sista och saknar radslut: filen är troligen avkortad)"
			}
			return err
		}
	}
	switch {
	case p.ver != nil || p.awaitOpen:
		return p.errf(p.ver.Line, "filen tar slut mitt i verifikationen som börjar här (raden } saknas); filen är troligen avkortad")
	case p.ksumma == 1:
		return p.errf(p.ksummaLine, "filen har en inledande #KSUMMA men ingen avslutande; filen är troligen avkortad")
	case p.records == 0:
		return &ParseError{Msg: "Filen innehåller inga SIE-poster."}
	}
	return nil
}

func (p *parser) parseLine(line []byte) error {
	for _, c := range line {
		if c < 0x20 && c != '\t' && !(p.glyphs && (c == 0x14 || c == 0x15)) || c == 0x7F {
			return p.errf(p.line, "raden innehåller ett otillåtet styrtecken (tecken %d)", c)
		}
	}
	trimmed := bytes.Trim(line, " \t")
	switch {
	case len(trimmed) == 0:
		return nil
	case string(trimmed) == "{":
		return p.openBlock()
	case string(trimmed) == "}":
		return p.closeBlock()
	case p.awaitOpen:
		return p.errf(p.line, "verifikationen på rad %d ska följas av en rad med bara {", p.ver.Line)
	case trimmed[0] != '#':
		return p.errf(p.line, "raden börjar inte med en etikett som #KONTO; är det en SIE-fil?")
	}
	fields, err := p.tokenize(trimmed)
	if err != nil {
		return err
	}
	p.records++
	label := p.label(fields[0].b)
	p.rec = rec{p: p, line: p.line, label: label, f: fields, decimals: -1}
	r := &p.rec
	if p.last {
		if err := p.cutOff(r, false); err != nil {
			return err
		}
	}
	if err := p.readRecord(r); err != nil {
		return err
	}
	if p.last {
		return p.cutOff(r, true)
	}
	p.countDecimals(r)
	return nil
}

// readRecord reads a record by its label.
func (p *parser) readRecord(r *rec) error {
	label := r.label
	if label == "#KSUMMA" {
		return p.ksummaRecord(r)
	}
	switch p.ksumma {
	case 1:
		p.checksum(r.f)
	case 2:
		return p.errf(p.line, "%s står efter den avslutande #KSUMMA, som ska vara filens sista post", label)
	}
	if p.ver != nil {
		return p.blockRecord(r)
	}
	err := p.record(r)
	var pe *ParseError
	if err != nil && p.optional[label] && !p.last && errors.As(err, &pe) {
		p.warn(label, pe)
		return nil
	}
	return err
}

// countDecimals notes how the file writes its amounts, so that the last
// record can be compared with the others.
func (p *parser) countDecimals(r *rec) {
	if r.decimals >= 0 {
		p.amounts++
		if r.decimals == 2 {
			p.twoDecimals++
		}
	}
}

// cutOff refuses the last record of a file that ends without a line feed when
// it looks cut short: a label Parse does not know (a label cut off, such as
// #PSA), or, once the record has been read, an amount with fewer decimals than
// the two every earlier amount of the file has (-679 cut from -67932.50). A
// fault in reading the record is reported by the caller.
func (p *parser) cutOff(r *rec, read bool) error {
	if !read {
		_, known := recordReaders[r.label]
		switch r.label {
		case "#VER", "#TRANS", "#RTRANS", "#BTRANS", "#KSUMMA":
			known = true
		}
		if !known {
			return p.errf(r.line, "filen slutar utan radslut med den okända posten %s; filen är troligen avkortad", r.label)
		}
		return nil
	}
	if r.decimals >= 0 && r.decimals != 2 && p.amounts > 0 && p.twoDecimals == p.amounts {
		return p.errf(r.line, "filens sista rad saknar radslut och dess belopp har inte två decimaler som filens övriga belopp; filen är troligen avkortad")
	}
	return nil
}

// tokenize splits a record into fields. The first field is the label.
func (p *parser) tokenize(s []byte) ([]field, error) {
	fields, items := p.fields[:0], p.items[:0]
	start := 0 // of the open object list in items
	inList := false
	for i := 0; ; {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '{':
			if inList {
				return nil, p.errf(p.line, "en objektlista kan inte innehålla en annan objektlista")
			}
			inList, start = true, len(items)
			i++
		case '}':
			if !inList {
				return nil, p.errf(p.line, "raden har } utan ett { före")
			}
			fields = append(fields, field{list: items[start:len(items):len(items)], isList: true})
			inList = false
			i++
		default:
			tok, n, err := p.token(s[i:])
			if err != nil {
				return nil, err
			}
			i += n
			if inList {
				items = append(items, tok)
			} else {
				fields = append(fields, field{b: tok})
			}
		}
	}
	if inList {
		return nil, p.errf(p.line, "objektlistan avslutas inte med }")
	}
	p.fields, p.items = fields, items
	return fields, nil
}

// token reads one field at the start of s, quoted or not, and returns its
// content and the number of bytes it took.
func (p *parser) token(s []byte) ([]byte, int, error) {
	if s[0] == '"' {
		var out []byte // allocated only when the field has \"
		start := 1
		for i := 1; i < len(s); i++ {
			switch {
			case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
				out = append(out, s[start:i]...)
				start = i + 1 // the quote itself is content
				i++
			case s[i] == '"':
				if i+1 < len(s) && !isDelimiter(s[i+1]) {
					return nil, 0, p.errf(p.line, "ett mellanslag saknas efter det citerade fältet %s", s[:i+1])
				}
				if out == nil {
					return s[1:i], i + 1, nil
				}
				return append(out, s[start:i]...), i + 1, nil
			}
		}
		return nil, 0, p.errf(p.line, "citattecknet som börjar fältet %s avslutas aldrig", s)
	}
	var out []byte
	start := 0
	i := 0
	for ; i < len(s) && !isDelimiter(s[i]); i++ {
		if s[i] != '"' {
			continue
		}
		if i == 0 || s[i-1] != '\\' {
			return nil, 0, p.errf(p.line, "fältet %s innehåller ett citattecken; inuti ett fält skrivs det \\\"", s[:i+1])
		}
		out = append(out, s[start:i-1]...)
		start = i
	}
	if out == nil {
		return s[:i], i, nil
	}
	return append(out, s[start:i]...), i, nil
}

func isDelimiter(c byte) bool { return c == ' ' || c == '\t' || c == '{' || c == '}' }

// checksum adds a record to the #KSUMMA checksum: the label and the field
// contents, without separators, enclosing quotes and braces (spec 10.14).
func (p *parser) checksum(fields []field) {
	label := fields[0].b
	p.crc = crc32.Update(p.crc, crc32.IEEETable, label)
	p.crcBare = crc32.Update(p.crcBare, crc32.IEEETable, bytes.TrimPrefix(label, []byte{'#'}))
	for _, f := range fields[1:] {
		items := f.list
		if !f.isList {
			items = [][]byte{f.b}
		}
		for _, b := range items {
			p.crc = crc32.Update(p.crc, crc32.IEEETable, b)
			p.crcBare = crc32.Update(p.crcBare, crc32.IEEETable, b)
		}
	}
}

func (p *parser) ksummaRecord(r *rec) error {
	switch {
	case p.ver != nil:
		return p.errf(r.line, "#KSUMMA får inte stå inuti en verifikation; verifikationen på rad %d saknar sin avslutande }", p.ver.Line)
	case p.ksumma == 0 && len(r.f) == 1:
		p.ksumma, p.ksummaLine = 1, r.line
		return nil
	case p.ksumma == 0:
		return p.errf(r.line, "#KSUMMA med en kontrollsumma saknar den inledande #KSUMMA")
	case p.ksumma == 2:
		return p.errf(r.line, "filen har mer än en avslutande #KSUMMA")
	case len(r.f) == 1 || r.f[1].isList:
		return p.errf(r.line, "den avslutande #KSUMMA saknar kontrollsumma")
	}
	p.ksumma = 2
	want, err := strconv.ParseInt(string(r.f[1].b), 10, 64)
	if err != nil || want < -1<<31 || want >= 1<<32 {
		return p.errf(r.line, "kontrollsumman %q är inte ett 32-bitars heltal", r.f[1].b)
	}
	if got := uint32(want); got != p.crc && got != p.crcBare {
		return p.errf(r.line, "kontrollsumman stämmer inte med innehållet (filen anger %d, innehållet ger %d); filen kan vara skadad eller ändrad", want, p.crc)
	}
	p.f.Checksummed = true
	return nil
}

func (p *parser) openBlock() error {
	if !p.awaitOpen {
		return p.errf(p.line, "raden { står inte direkt efter en #VER")
	}
	p.awaitOpen = false
	return nil
}

func (p *parser) closeBlock() error {
	if p.ver == nil || p.awaitOpen {
		return p.errf(p.line, "raden } avslutar ingen verifikation")
	}
	v := p.ver
	if total := p.balance.total(); !total.IsZero() {
		return p.errf(v.Line, "verifikationen %s är inte i balans: summan av dess #TRANS är %s, ska vara 0", v.Name(), total.StringFixed(2))
	}
	if len(p.trans) > 0 {
		v.Transactions = append([]Transaction(nil), p.trans...)
	}
	p.f.Verifications = append(p.f.Verifications, *v)
	p.ver, p.trans = nil, p.trans[:0]
	return nil
}

// blockRecord reads a record inside the braces of a #VER.
func (p *parser) blockRecord(r *rec) error {
	switch r.label {
	case "#TRANS":
		t, ore := r.transaction()
		if r.err != nil {
			return r.err
		}
		p.trans = append(p.trans, t)
		p.balance.add(ore)
		return nil
	case "#RTRANS", "#BTRANS":
		p.f.Skipped[r.label]++
		return nil
	}
	if _, known := recordReaders[r.label]; known || r.label == "#VER" {
		return p.errf(r.line, "%s får inte stå inuti en verifikation; verifikationen på rad %d saknar sin avslutande }", r.label, p.ver.Line)
	}
	p.f.Skipped[r.label]++
	return nil
}

// record reads a record outside verifications.
func (p *parser) record(r *rec) error {
	switch r.label {
	case "#TRANS", "#RTRANS", "#BTRANS":
		return p.errf(r.line, "%s får bara stå inuti en verifikation (mellan { och } efter en #VER)", r.label)
	case "#VER":
		return r.verification()
	}
	read, ok := recordReaders[r.label]
	if !ok {
		p.f.Skipped[r.label]++
		return nil
	}
	return read(r)
}

// sum adds amounts in öre while the total fits an int64, and as decimals
// after that.
type sum struct {
	ore  int64
	big  decimal.Decimal
	over bool
}

func (s *sum) add(ore int64) {
	if t := s.ore + ore; !s.over && (ore >= 0) == (t >= s.ore) {
		s.ore = t
		return
	}
	if !s.over {
		s.over, s.big = true, decimal.New(s.ore, -2)
	}
	s.big = s.big.Add(decimal.New(ore, -2))
}

func (s *sum) total() decimal.Decimal {
	if s.over {
		return s.big
	}
	return decimal.New(s.ore, -2)
}
