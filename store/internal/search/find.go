package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// candidates bounds how many matches a search ranks: the newest this many
// that the user may read. A rare word has fewer and is ranked in full; a
// word in most of a large register is ranked among its newest matches, so
// a search costs about the same whatever the word.
const candidates = 1000

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
	var rows []struct {
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
	var err error
	if db.Dialect() == sqlconn.Postgres {
		// The newest candidates the user may read, ranked; the headline
		// only for those shown.
		all := append([]any{q.tsquery()}, args...)
		all = append(all, limit)
		err = db.Select(ctx, &rows, `WITH q AS (SELECT to_tsquery('swedish', ?) AS q),
			c AS (SELECT e.* FROM search_entries e, q WHERE e.tsv @@ q.q AND `+filter+` ORDER BY e.id DESC LIMIT `+strconv.Itoa(candidates)+`),
			r AS (SELECT c.*, ts_rank(c.tsv, q.q) AS score FROM c, q ORDER BY score DESC, c.id DESC LIMIT ?)
			SELECT r.kind, r.object_id, r.committee_id, r.year, r.audience, r.party_id, r.ref, r.title, r.score,
				ts_headline('swedish', CASE WHEN r.body = '' THEN r.title ELSE left(r.body, 20000) END, q.q,
					'StartSel=`+domain.SnippetStart+`, StopSel=`+domain.SnippetEnd+`, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
			FROM r, q ORDER BY r.score DESC, r.id DESC`, all...)
	} else {
		// FTS5 walks the matches newest first and stops at the
		// candidates' bound; only those past it are ranked (bm25 is lower
		// for better matches, so its negation is the score).
		match := q.fts5()
		// The snippets are made for the results only, not for every
		// candidate ranked.
		err = db.Select(ctx, &rows, `WITH r AS (
				SELECT rowid AS id, -bm25(search_entries, 4.0, 1.0) AS score
				FROM search_entries WHERE search_entries MATCH ? AND `+filter+` AND rowid >= COALESCE((
					SELECT rowid FROM search_entries WHERE search_entries MATCH ? AND `+filter+`
					ORDER BY rowid DESC LIMIT 1 OFFSET `+strconv.Itoa(candidates-1)+`), 0)
				ORDER BY score DESC, rowid DESC LIMIT ?)
			SELECT kind, object_id, committee_id, year, audience, party_id, ref, title,
				snippet(search_entries, -1, char(2), char(3), '…', 16) AS snippet, r.score AS score
			FROM search_entries JOIN r ON r.id = search_entries.rowid
			WHERE search_entries MATCH ? ORDER BY r.score DESC, r.id DESC`, append(sqliteArgs(match, args, limit), match)...)
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

// sqliteArgs are the arguments of the SQLite query in the order of its
// placeholders: the match and filter of the outer query, those of the
// subquery, the limit.
func sqliteArgs(match string, filter []any, limit int) []any {
	out := append([]any{match}, filter...)
	out = append(out, match)
	out = append(out, filter...)
	return append(out, limit)
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
