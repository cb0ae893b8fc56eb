package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/swedish"

	"github.com/region-jh/gns/domain"
)

// Limits on a query: more than anyone types into a search box, and a bound
// on the work one query asks of the database.
const (
	maxQueryRunes = 200
	maxTerms      = 8
	maxWordRunes  = 64
)

// Term is one part of a query that a match must contain: a single word,
// matched by its stem as a prefix (so "protokollet" finds "protokoll" and
// "protokollen"), or several words that must stand together in that order,
// as a quoted phrase or an identifier such as GNS-2021-0005 or GNS/10/2020.
type Term struct {
	// Words are the term's words, folded (domain.FoldSwedish), letters and
	// digits only.
	Words []string
	// Stem is what a single word is matched by as a prefix; "" matches the
	// word exactly (a number, or a word too short to stem).
	Stem string
}

// Query is a parsed search: every term must match.
type Query struct{ Terms []Term }

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// Words returns every word of the query, for marking them in a text.
func (q Query) Words() []string {
	var out []string
	for _, t := range q.Terms {
		out = append(out, t.Words...)
	}
	return out
}

// ParseQuery reads what a user typed into the search box: words, "quoted
// phrases", and identifiers whose parts are joined by punctuation (case and
// invoice numbers). Case is folded as domain.FoldSwedish does; everything
// but letters and digits separates words. The query is cut at 200
// characters and 8 terms, each word at 64 characters. It never fails: a
// query of no words is Empty.
func ParseQuery(s string) Query {
	if r := []rune(s); len(r) > maxQueryRunes {
		s = string(r[:maxQueryRunes])
	}
	s = domain.FoldSwedish(s)
	var q Query
	add := func(chunk string) {
		if len(q.Terms) == maxTerms {
			return
		}
		words := splitWords(chunk)
		switch len(words) {
		case 0:
			return
		case 1:
			q.Terms = append(q.Terms, Term{Words: words, Stem: stem(words[0])})
		default:
			q.Terms = append(q.Terms, Term{Words: words})
		}
	}
	for i := 0; ; i++ {
		before, quoted, found := strings.Cut(s, `"`)
		for _, f := range strings.Fields(before) {
			add(f)
		}
		if !found {
			break
		}
		phrase, rest, _ := strings.Cut(quoted, `"`)
		add(phrase)
		s = rest
	}
	return q
}

// splitWords splits a folded text at everything that is not a letter or a
// digit, cutting each word at maxWordRunes.
func splitWords(s string) []string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
	for i, w := range words {
		if r := []rune(w); len(r) > maxWordRunes {
			words[i] = string(r[:maxWordRunes])
		}
	}
	return words
}

// isWordRune reports whether r belongs to a word, as the engines' tokenizers
// see it.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// definite are the endings of the Swedish definite forms that the Snowball
// stemmer keeps ("protokollet", "beslutets"): a word that ends in one is
// matched by what comes before it too.
var definite = []string{"ets", "et"}

// stem returns the prefix a single word is matched by: its Swedish Snowball
// stem without a definite ending, or "" to match the word exactly (numbers,
// and words of fewer than three letters).
func stem(w string) string {
	if len([]rune(w)) < 3 || strings.IndexFunc(w, unicode.IsLetter) < 0 {
		return ""
	}
	env := snowballstem.NewEnv(w)
	swedish.Stem(env)
	s := env.Current()
	for _, end := range definite {
		if t, ok := strings.CutSuffix(s, end); ok && len([]rune(t)) >= 5 {
			s = t
			break
		}
	}
	if len([]rune(s)) < 3 {
		return w
	}
	return s
}

// stemOf is the stem a word is indexed and found by: stem's, or the word
// itself where stem keeps it whole.
func stemOf(w string) string {
	if s := stem(w); s != "" {
		return s
	}
	return w
}

// stems is the stems column of a text: the stem of each of its words.
func stems(text string) string {
	words := splitWords(domain.FoldSwedish(text))
	for i, w := range words {
		words[i] = stemOf(w)
	}
	return strings.Join(words, " ")
}

// fts5 writes the query in SQLite FTS5's syntax: a single word is found by
// its stem in the stems column or as it is written (which is what the
// snippet marks), words that stand together as one phrase, the terms
// joined by AND. Every word is matched whole: a prefix query makes FTS5
// merge the lists of every word it covers, which for a common stem costs
// many times an exact one (see BenchmarkSearch). The words hold letters and
// digits only, so nothing the user typed becomes syntax.
func (q Query) fts5() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		if t.Stem != "" {
			w, s := t.Words[0], stemOf(t.Words[0])
			exact := `"` + w + `"`
			if s != w {
				exact += ` OR "` + s + `"`
			}
			parts = append(parts, `(stems : "`+s+`" OR `+exact+`)`)
			continue
		}
		parts = append(parts, `"`+strings.Join(t.Words, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

// fts5Title writes the query for FTS5 restricted to the title: each term's
// word, or its stem as a word of its own, in the title. It ranks the
// matches of a common word (see sqliteSearch).
func (q Query) fts5Title() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		if t.Stem != "" {
			w, s := t.Words[0], stemOf(t.Words[0])
			exact := `"` + w + `"`
			if s != w {
				exact += ` OR "` + s + `"`
			}
			parts = append(parts, "("+exact+")")
			continue
		}
		parts = append(parts, `"`+strings.Join(t.Words, " ")+`"`)
	}
	return "title : (" + strings.Join(parts, " AND ") + ")"
}

// tsquery writes the query for PostgreSQL's to_tsquery with the Swedish
// configuration, which stems each word as it stemmed the index: a single
// word is matched by its lexeme or that of its stem without a definite
// ending ("protokollet | protokoll"), words that stand together are joined
// by <->, the terms by &. Lexemes are matched whole, not as prefixes: a
// GIN index answers a common lexeme from one posting list, and the planner
// can tell a common one from a rare one, while a prefix costs a scan of the
// index and is estimated blindly (see BenchmarkSearch). The words hold
// letters and digits only, so nothing the user typed becomes syntax.
func (q Query) tsquery() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		if t.Stem != "" && t.Stem != t.Words[0] {
			parts = append(parts, "("+t.Words[0]+" | "+t.Stem+")")
			continue
		}
		parts = append(parts, "("+strings.Join(t.Words, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
}
