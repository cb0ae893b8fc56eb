package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// candidates bounds how many matches a search ranks: the newest this many
// that the user may read. A rare word has fewer and is ranked in full; a
// word in most of a large register is ranked among its newest matches, so
// a search costs about the same whatever the word.
const candidates = 500

// Search finds what u may read that matches f.Text, best first: a filter of
// the user's committees and roles narrows the query in the database, and
// every hit is checked again with domain.CanReadSearchHit before it is
// returned.
func Search(ctx context.Context, db *sqlconn.Conn, u domain.User, f domain.SearchFilter) ([]domain.SearchHit, error) {
	q := ParseQuery(f.Text)
	if q.Empty() {
		return nil, nil
	}
	scope, scopeArgs := scopeOf(u)
	if scope == "" {
		return nil, nil
	}
	var (
		where = []string{scope}
		args  = scopeArgs
	)
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.CommitteeID != 0 {
		where, args = append(where, "committee_id = ?"), append(args, f.CommitteeID)
	}
	if f.Year != 0 {
		where, args = append(where, "year = ?"), append(args, f.Year)
	}
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxSearchResults {
		limit = domain.MaxSearchResults
	}
	filter := strings.Join(where, " AND ")
	var (
		rows []hitRow
		err  error
	)
	if db.Dialect() == sqlconn.Postgres {
		// The newest candidates the user may read, ranked; the headline
		// only for those shown. The query is given again, not taken from q, so the planner sees
		// it and can tell a common word from a rare one.
		all := append([]any{q.tsquery(), q.tsquery()}, args...)
		all = append(all, limit)
		err = db.Select(ctx, &rows, `WITH q AS (SELECT to_tsquery('swedish', ?) AS q),
			c AS (SELECT e.id, e.tsv FROM search_entries e WHERE e.tsv @@ to_tsquery('swedish', ?) AND `+filter+` ORDER BY e.id DESC LIMIT `+strconv.Itoa(candidates)+`),
			r AS (SELECT c.id, ts_rank(c.tsv, q.q) AS score FROM c, q ORDER BY score DESC, c.id DESC LIMIT ?)
			SELECT e.id, e.kind, e.object_id, e.committee_id, e.year, e.audience, e.party_id, e.ref, e.title, r.score,
				ts_headline('swedish', CASE WHEN e.body = '' THEN e.title ELSE left(e.body, 20000) END, q.q,
					'StartSel=`+domain.SnippetStart+`, StopSel=`+domain.SnippetEnd+`, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
			FROM r JOIN search_entries e ON e.id = r.id, q ORDER BY r.score DESC, r.id DESC`, all...)
	} else {
		rows, err = sqliteSearch(ctx, db, q, filter, args, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]domain.SearchHit, 0, len(rows))
	for _, r := range rows {
		h := domain.SearchHit{Kind: domain.SearchKind(r.Kind), ObjectID: r.ObjectID, CommitteeID: r.CommitteeID, Year: r.Year,
			Audience: domain.SearchAudience(r.Audience), PartyID: r.PartyID, Ref: r.Ref, Title: r.Title, Snippet: r.Snippet, Score: r.Score}
		if domain.CanReadSearchHit(u, h) {
			out = append(out, h)
		}
	}
	return out, nil
}

// hitRow is a search result as the database returns it.
type hitRow struct {
	ID          int64   `db:"id"`
	Kind        string  `db:"kind"`
	ObjectID    int64   `db:"object_id"`
	CommitteeID int64   `db:"committee_id"`
	Year        int     `db:"year"`
	Audience    string  `db:"audience"`
	PartyID     int64   `db:"party_id"`
	Ref         string  `db:"ref"`
	Title       string  `db:"title"`
	Snippet     string  `db:"snippet"`
	Score       float64 `db:"score"`
}

// sqliteSearch runs a search on SQLite in three steps, none of which reads
// every match of a common word: the rowid of the oldest of the newest
// candidates the user may read (FTS5 walks the matches newest first and
// stops there); the ranking; and the results' snippets.
//
// A word with fewer matches than the candidates is ranked by bm25 (lower is
// better, so its negation is the score). bm25 weighs a word by how rare it
// is in the whole index, which FTS5 finds by reading every match of it, so
// a common word is ranked another way: the candidates with the words in
// their title first, then the others, newest first in each (scores 2 and 1).
func sqliteSearch(ctx context.Context, db *sqlconn.Conn, query Query, filter string, args []any, limit int) ([]hitRow, error) {
	match := query.fts5()
	var from []int64
	if err := db.Select(ctx, &from, `SELECT rowid FROM search_entries WHERE search_entries MATCH ? AND `+filter+`
		ORDER BY rowid DESC LIMIT 1 OFFSET `+strconv.Itoa(candidates-1), append([]any{match}, args...)...); err != nil {
		return nil, err
	}
	var (
		ranked []scored
		err    error
	)
	if len(from) == 0 {
		ranked, err = rankedBy(ctx, db, `-bm25(search_entries, 4.0, 1.0, 1.0)`, match, 0, filter, args, limit, nil)
	} else {
		ranked, err = rankedBy(ctx, db, `2`, query.fts5Title(), from[0], filter, args, limit, nil)
		if err == nil && len(ranked) < limit {
			ranked, err = rankedBy(ctx, db, `1`, match, from[0], filter, args, limit, ranked)
		}
	}
	if err != nil || len(ranked) == 0 {
		return nil, err
	}
	ids := make([]int64, len(ranked))
	for i, r := range ranked {
		ids[i] = r.ID
	}
	q, qargs, err := sqlx.In(`SELECT rowid AS id, kind, object_id, committee_id, year, audience, party_id, ref, title,
			CASE WHEN body = '' THEN snippet(search_entries, 0, char(2), char(3), '…', 16)
			ELSE snippet(search_entries, 1, char(2), char(3), '…', 16) END AS snippet
		FROM search_entries WHERE search_entries MATCH ? AND rowid IN (?)`, match, ids)
	if err != nil {
		return nil, err
	}
	var rows []hitRow
	if err := db.Select(ctx, &rows, q, qargs...); err != nil {
		return nil, err
	}
	byID := make(map[int64]hitRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]hitRow, 0, len(ranked))
	for _, r := range ranked {
		if h, ok := byID[r.ID]; ok {
			h.Score = r.Score
			out = append(out, h)
		}
	}
	return out, nil
}

// scored is a matching entry and its score.
type scored struct {
	ID    int64   `db:"id"`
	Score float64 `db:"score"`
}

// rankedBy appends to have the best entries matching match from the rowid
// from on, by the score expression, until there are limit; entries already
// in have keep their place.
func rankedBy(ctx context.Context, db *sqlconn.Conn, score, match string, from int64, filter string, args []any, limit int, have []scored) ([]scored, error) {
	var rows []scored
	all := append([]any{match, from}, args...)
	if err := db.Select(ctx, &rows, `SELECT rowid AS id, `+score+` AS score
		FROM search_entries WHERE search_entries MATCH ? AND rowid >= ? AND `+filter+`
		ORDER BY score DESC, rowid DESC LIMIT ?`, append(all, limit)...); err != nil {
		return nil, err
	}
	seen := make(map[int64]bool, len(have))
	for _, r := range have {
		seen[r.ID] = true
	}
	for _, r := range rows {
		if len(have) == limit {
			break
		}
		if !seen[r.ID] {
			have = append(have, r)
		}
	}
	return have, nil
}

// scopeOf writes what u may read as a condition on the entries: every
// entry of a committee where u holds a role, drafts where u reads them,
// invoices where u is staff or the invoiced party. An admin or auditor
// reads everything; a user without roles nothing ("" is returned).
func scopeOf(u domain.User) (string, []any) {
	if u.HasAny(domain.RoleAdmin, domain.RoleAuditor) {
		return "1 = 1", nil
	}
	var (
		conds []string
		args  []any
	)
	for _, g := range u.Roles {
		if g.CommitteeID == 0 {
			continue
		}
		auds := []string{"'" + string(domain.AudienceCommittee) + "'"}
		if u.HasIn(g.CommitteeID, domain.DraftReaders...) {
			auds = append(auds, "'"+string(domain.AudienceDrafts)+"'")
		}
		if u.HasIn(g.CommitteeID, domain.AllocationReaders...) {
			auds = append(auds, "'"+string(domain.AudienceInvoice)+"'")
		}
		conds = append(conds, "(committee_id = ? AND audience IN ("+strings.Join(auds, ", ")+"))")
		args = append(args, g.CommitteeID)
		if g.Role == domain.RoleParty && g.PartyID != 0 {
			conds = append(conds, "(committee_id = ? AND audience = '"+string(domain.AudienceInvoice)+"' AND party_id = ?)")
			args = append(args, g.CommitteeID, g.PartyID)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}
