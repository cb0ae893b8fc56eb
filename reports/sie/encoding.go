package sie

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// utf8BOM is the byte order mark some programs put before UTF-8 text.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// cp437Runes and win1252Runes decode one byte of each single-byte character
// set; cp437Bytes encodes the non-ASCII characters code page 437 has.
var (
	cp437Runes   = withGlyphs(byteTable(charmap.CodePage437))
	win1252Runes = byteTable(charmap.Windows1252)
	cp437Bytes   = reverseTable(cp437Runes)
)

// The two characters Swedish text needs from the graphic signs IBM gave the
// control codes of code page 437: ¶ (0x14) and § (0x15). "GNS § 42/2020" is
// how a decision is cited, and programs on Windows write § in PC8 files as
// 0x15 (Windows' own code page 437 tables map § there), so Write writes it
// there and Parse reads 0x14 and 0x15 as these signs in a code page 437 file,
// and as forbidden control characters in any other.
const (
	pilcrowByte = 0x14
	sectionByte = 0x15
)

// withGlyphs puts ¶ and § at their bytes in a code page 437 table; the
// charmap package decodes those bytes as control characters.
func withGlyphs(t *[256]rune) *[256]rune {
	t[pilcrowByte], t[sectionByte] = '¶', '§'
	return t
}

func byteTable(m *charmap.Charmap) *[256]rune {
	var t [256]rune
	for i := range t {
		t[i] = m.DecodeByte(byte(i))
	}
	return &t
}

func reverseTable(t *[256]rune) map[rune]byte {
	m := make(map[rune]byte, 130)
	for i := 0x80; i < 0x100; i++ {
		m[t[i]] = byte(i)
	}
	for _, b := range []byte{pilcrowByte, sectionByte} {
		if t[b] >= 0x80 {
			m[t[b]] = b
		}
	}
	return m
}

// detect decides the character set of a whole file, as the package
// documentation describes, and returns the data without a byte order mark.
// ok is false for a file that starts with the UTF-8 byte order mark but is not
// valid UTF-8.
func detect(data []byte) (enc Encoding, rest []byte, ok bool) {
	if bytes.HasPrefix(data, utf8BOM) {
		rest = data[len(utf8BOM):]
		return UTF8, rest, utf8.Valid(rest)
	}
	var high, cp437Letters, win1252Letters int
	not1252 := false
	for _, b := range data {
		switch {
		case b < 0x80:
			continue
		case b <= 0x9A || b >= 0xA0 && b <= 0xA5:
			cp437Letters++
		case b >= 0xC0 && b != 0xD7 && b != 0xF7:
			win1252Letters++
		}
		switch b {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			// Undefined in Windows-1252; ü, ì, Å, É and ¥ in code page 437.
			not1252 = true
		}
		high++
	}
	switch {
	case high == 0:
		return CP437, data, true
	case utf8.Valid(data):
		return UTF8, data, true
	case not1252 || win1252Letters <= cp437Letters:
		return CP437, data, true
	}
	return Windows1252, data, true
}

// decoder turns the bytes of one field into a string.
type decoder struct {
	table *[256]rune // nil for UTF-8
}

func newDecoder(enc Encoding) decoder {
	switch enc {
	case UTF8:
		return decoder{}
	case Windows1252:
		return decoder{table: win1252Runes}
	}
	return decoder{table: cp437Runes}
}

func (d decoder) str(b []byte) string {
	if d.table == nil || isASCII(b) {
		return string(b)
	}
	var s strings.Builder
	s.Grow(2 * len(b))
	for _, c := range b {
		s.WriteRune(d.table[c])
	}
	return s.String()
}

// isASCII reports whether b is the same text in every character set Parse
// reads: no byte above 127, and none of the bytes that are ¶ and § in code
// page 437 (Parse lets them through only in such a file).
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 || c == pilcrowByte || c == sectionByte {
			return false
		}
	}
	return true
}

// asciiReplacements are written for characters code page 437 lacks but
// Swedish text often has.
var asciiReplacements = map[rune]string{
	'\u2013': "-", '\u2014': "-", '\u2212': "-", // en dash, em dash, minus sign
	'\u2018': "'", '\u2019': "'", '\u201A': "'",
	'\u201C': `"`, '\u201D': `"`, '\u201E': `"`,
	'\u2026': "...",
	'\u20AC': "EUR",
}

// Sanitize returns s as Write will write it: control characters become spaces,
// characters that code page 437 lacks become their ASCII form (dashes, quotes,
// the ellipsis, € as EUR) or "?", and a trailing backslash becomes "/". Text
// that Sanitize leaves unchanged reads back from a written file exactly.
func Sanitize(s string) string {
	clean := true
	for _, r := range s {
		if !writable(r) {
			clean = false
			break
		}
	}
	if clean && !strings.HasSuffix(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case writable(r):
			b.WriteRune(r)
		case r < 0x20 || r == 0x7F:
			b.WriteByte(' ')
		case asciiReplacements[r] != "":
			b.WriteString(asciiReplacements[r])
		default:
			b.WriteByte('?')
		}
	}
	out := b.String()
	if strings.HasSuffix(out, `\`) {
		out = out[:len(out)-1] + "/"
	}
	return out
}

// writable reports whether r can be written in a text field as it is.
func writable(r rune) bool {
	if r < 0x80 {
		return r >= 0x20 && r != 0x7F
	}
	_, ok := cp437Bytes[r]
	return ok
}

// appendCP437 appends r, which Sanitize has let through, in code page 437.
func appendCP437(buf []byte, r rune) []byte {
	if r < 0x80 && r >= 0x20 {
		return append(buf, byte(r))
	}
	return append(buf, cp437Bytes[r])
}
