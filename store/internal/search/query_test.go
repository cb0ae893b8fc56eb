package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestParseQuery: words are folded and stemmed, identifiers and quoted
// phrases become phrases, and the engines' syntax gets nothing but words.
func TestParseQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in          string
		fts5, tsq   string
		wantEmpty   bool
		wantPhrases int
	}{
		{in: "protokollet", fts5: `(stems : "protokoll" OR "protokollet" OR "protokoll")`, tsq: "(protokollet | protokoll)"},
		{in: "ÅRE", fts5: `(stems : "åre" OR "åre")`, tsq: "(åre)"},
		{in: "6663", fts5: `"6663"`, tsq: "(6663)"},
		{in: "GNS-2021-0005", fts5: `"gns 2021 0005"`, tsq: "(gns <-> 2021 <-> 0005)"},
		{in: `"gemensam nämnd" kommunerna`, fts5: `"gemensam nämnd" AND (stems : "kommun" OR "kommunerna" OR "kommun")`, tsq: "(gemensam <-> nämnd) & (kommunerna | kommun)"},
		{in: `x AND "`, fts5: `"x" AND (stems : "and" OR "and")`, tsq: "(x) & (and)"},
		{in: `*)(:&|!<->`, wantEmpty: true},
		{in: "   ", wantEmpty: true},
	} {
		q := ParseQuery(tc.in)
		if q.Empty() != tc.wantEmpty {
			t.Errorf("%q: Empty() = %v", tc.in, q.Empty())
			continue
		}
		if tc.wantEmpty {
			continue
		}
		if got := q.fts5(); got != tc.fts5 {
			t.Errorf("%q: fts5 = %s, want %s", tc.in, got, tc.fts5)
		}
		if got := q.tsquery(); got != tc.tsq {
			t.Errorf("%q: tsquery = %s, want %s", tc.in, got, tc.tsq)
		}
	}
	if got := ParseQuery("protokollet från Åre").Words(); !reflect.DeepEqual(got, []string{"protokollet", "från", "åre"}) {
		t.Errorf("Words = %q", got)
	}
}

// FuzzParseQuery: any input gives at most 8 terms of words that hold only
// letters and digits, so the FTS5 and tsquery texts carry no syntax of the
// user's: every quote, colon and operator in them is one the parser wrote.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"protokollet", "GNS-2021-0005", `"a b" c`, `"`, "ÅÄÖ åäö", "a\u030a", "\xff\xfe", strings.Repeat("ord ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if len(q.Terms) > maxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, term := range q.Terms {
			if len(term.Words) == 0 {
				t.Fatalf("a term without words: %+v", q)
			}
			for _, w := range append(append([]string{}, term.Words...), term.Stem) {
				if !utf8.ValidString(w) || utf8.RuneCountInString(w) > maxWordRunes {
					t.Fatalf("word %q", w)
				}
				for _, r := range w {
					if !isWordRune(r) {
						t.Fatalf("word %q holds %q", w, r)
					}
				}
			}
		}
		fts, tsq := q.fts5(), q.tsquery()
		if strings.Count(fts, `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %s", fts)
		}
		if q.Empty() != (fts == "") || q.Empty() != (tsq == "") {
			t.Fatalf("empty query %+v gives %q and %q", q, fts, tsq)
		}
	})
}
