package pdf

import (
	"encoding/binary"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// The embedded font has no glyph for some characters people type or paste
// (a check mark ✓, the non-breaking hyphen U+2011); gofpdf would print them
// as empty boxes or nothing. clean replaces each with a character the font
// has: a look-alike from the table below, else the character's base letter
// (NFKD), else "?".

// lookAlikes are replacements for characters outside the font.
var lookAlikes = map[rune]string{
	'\u2010': "-", '\u2011': "-", '\u2012': "–", '\u2015': "—", '\u2212': "−",
	'\u2713': "√", '\u2714': "√", '\u2611': "[x]", '\u2610': "[ ]", '\u2612': "[x]",
	'\u2717': "×", '\u2718': "×", '\u2022': "•", '\u25CF': "•", '\u2192': "->",
	'\u2190': "<-", '\u21D2': "=>", '\u2026': "...", '\u202F': "\u00a0", '\u2007': "\u00a0",
	'\u200B': "", '\u2060': "", '\uFEFF': "",
}

var (
	glyphsOnce sync.Once
	glyphs     map[rune]bool
)

// hasGlyph reports whether every face of the embedded font has a glyph for
// c (the faces cover the same characters; the regular face is read).
func hasGlyph(c rune) bool {
	glyphsOnce.Do(func() { glyphs = cmapRunes(faces[regular]) })
	if glyphs == nil { // the font could not be read: trust it
		return true
	}
	return glyphs[c]
}

// printable returns c, or what the font can print instead of it.
func printable(c rune) string {
	if hasGlyph(c) {
		return string(c)
	}
	if s, ok := lookAlikes[c]; ok {
		return s
	}
	out := []rune{}
	for _, d := range norm.NFKD.String(string(c)) {
		if hasGlyph(d) && d >= ' ' && !isMark(d) {
			out = append(out, d)
		}
	}
	if len(out) > 0 {
		return string(out)
	}
	return "?"
}

// isMark reports whether d is a combining mark (NFKD splits é into e and one).
func isMark(d rune) bool { return d >= 0x0300 && d <= 0x036F }

// cmapRunes reads the characters a TrueType font maps to glyphs, from its
// cmap table's Unicode BMP subtable (format 4); nil when there is none.
func cmapRunes(ttf []byte) map[rune]bool {
	u16 := func(off int) int {
		if off < 0 || off+2 > len(ttf) {
			return -1
		}
		return int(binary.BigEndian.Uint16(ttf[off:]))
	}
	u32 := func(off int) int {
		if off < 0 || off+4 > len(ttf) {
			return -1
		}
		return int(binary.BigEndian.Uint32(ttf[off:]))
	}
	cmap := -1
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil
	}
	sub := -1
	for i, n := 0, u16(cmap+2); i < n; i++ {
		rec := cmap + 4 + 8*i
		platform, encoding := u16(rec), u16(rec+2)
		if (platform == 3 && encoding == 1) || (platform == 0 && encoding <= 3) {
			if off := u32(rec + 4); off > 0 && u16(cmap+off) == 4 {
				sub = cmap + off
				break
			}
		}
	}
	if sub < 0 {
		return nil
	}
	segs := u16(sub+6) / 2
	ends, starts := sub+14, sub+16+2*segs
	deltas, offsets := starts+2*segs, starts+4*segs
	out := map[rune]bool{}
	for s := 0; s < segs; s++ {
		end, start := u16(ends+2*s), u16(starts+2*s)
		delta, ro := u16(deltas+2*s), u16(offsets+2*s)
		if end < 0 || start < 0 || delta < 0 || ro < 0 {
			return nil
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			glyph := (c + delta) & 0xFFFF
			if ro != 0 {
				g := u16(offsets + 2*s + ro + 2*(c-start))
				if g <= 0 {
					continue
				}
				glyph = (g + delta) & 0xFFFF
			}
			if glyph != 0 {
				out[rune(c)] = true
			}
		}
	}
	return out
}
