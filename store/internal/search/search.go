// Package search keeps the full-text index over cases, paragraphs, agenda
// items, assignments, case documents and invoices, and answers searches
// over it, on SQLite (FTS5) and PostgreSQL (tsvector, Swedish
// configuration, GIN).
//
// Triggers on the indexed tables note each changed object in
// search_pending; Flush, run by the store before every transaction commits,
// rewrites their entries from the tables, so the index changes in the same
// transaction as what it indexes, whatever path wrote it. Reindex rebuilds
// everything (gns reindex, and Migrate after the migration that adds the
// index).
package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/jmoiron/sqlx"

	"github.com/region-jh/gns/doctext"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// kindCodes give each kind the low three bits of its entries' ids: an
// entry's id is the object's id times 8 plus its kind's code, so an entry is
// replaced without first looking it up.
var kindCodes = map[domain.SearchKind]int64{
	domain.SearchCase: 1, domain.SearchParagraph: 2, domain.SearchAgenda: 3,
	domain.SearchAssignment: 4, domain.SearchDocument: 5, domain.SearchInvoice: 6,
}

// entryID is the id of the entry of kind k for the object id.
func entryID(k domain.SearchKind, id int64) int64 { return id*8 + kindCodes[k] }

// entry is one object as the index keeps it.
type entry struct {
	kind        domain.SearchKind
	objectID    int64
	committeeID int64
	year        int
	audience    domain.SearchAudience
	partyID     int64
	ref         string
	title, body string
}

// batch is how many objects one statement reads or writes.
const batch = 200

// Flush rewrites the entries of the objects the triggers noted as changed
// in this transaction (and any left by a write outside a transaction), and
// clears the notes. The store calls it before each commit.
func Flush(ctx context.Context, db *sqlconn.Conn) error {
	var pending []struct {
		Kind     string `db:"kind"`
		ObjectID int64  `db:"object_id"`
	}
	if err := db.Select(ctx, &pending, `SELECT kind, object_id FROM search_pending`); err != nil {
		return fmt.Errorf("search: read pending: %w", err)
	}
	if len(pending) == 0 {
		return nil
	}
	ids := map[domain.SearchKind][]int64{}
	for _, p := range pending {
		ids[domain.SearchKind(p.Kind)] = append(ids[domain.SearchKind(p.Kind)], p.ObjectID)
	}
	for _, k := range domain.SearchKinds {
		list := ids[k]
		for len(list) > 0 {
			n := min(len(list), batch)
			if err := refresh(ctx, db, k, list[:n]); err != nil {
				return err
			}
			list = list[n:]
		}
	}
	if _, err := db.Exec(ctx, `DELETE FROM search_pending`); err != nil {
		return fmt.Errorf("search: clear pending: %w", err)
	}
	return nil
}

// Ready reports whether the schema has the search index: a database at a
// version before it has nothing to flush.
func Ready(ctx context.Context, db *sqlconn.Conn) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_pending'`
	if db.Dialect() == sqlconn.Postgres {
		q = `SELECT COUNT(*) FROM pg_tables WHERE tablename = 'search_pending' AND schemaname = current_schema()`
	}
	var n int
	if err := db.Get(ctx, &n, q); err != nil {
		return false, fmt.Errorf("search: is there an index: %w", err)
	}
	return n > 0, nil
}

// refresh replaces the entries of kind k for the objects ids: removed, then
// written again from the objects that exist.
func refresh(ctx context.Context, db *sqlconn.Conn, k domain.SearchKind, ids []int64) error {
	entryIDs := make([]int64, len(ids))
	for i, id := range ids {
		entryIDs[i] = entryID(k, id)
	}
	if err := remove(ctx, db, entryIDs); err != nil {
		return err
	}
	q, args, err := sqlx.In(sources[k].query+" WHERE "+sources[k].id+" IN (?)", ids)
	if err != nil {
		return err
	}
	es, err := sources[k].load(ctx, db, q, args)
	if err != nil {
		return fmt.Errorf("search: read %s: %w", k, err)
	}
	return insert(ctx, db, es)
}

// Reindex rebuilds the whole index from the tables and returns how many
// entries it wrote. Run it in one transaction.
func Reindex(ctx context.Context, db *sqlconn.Conn) (int, error) {
	if _, err := db.Exec(ctx, `DELETE FROM search_entries`); err != nil {
		return 0, fmt.Errorf("search: clear index: %w", err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM search_pending`); err != nil {
		return 0, fmt.Errorf("search: clear pending: %w", err)
	}
	total := 0
	for _, k := range domain.SearchKinds {
		src := sources[k]
		size := batch
		if k == domain.SearchDocument {
			size = 20 // each row holds a file
		}
		for after := int64(0); ; {
			q := src.query + " WHERE " + src.id + " > ? ORDER BY " + src.id + " LIMIT " + strconv.Itoa(size)
			es, err := src.load(ctx, db, q, []any{after})
			if err != nil {
				return total, fmt.Errorf("search: read %s: %w", k, err)
			}
			if len(es) == 0 {
				break
			}
			if err := insert(ctx, db, es); err != nil {
				return total, err
			}
			total += len(es)
			after = es[len(es)-1].objectID
		}
	}
	if db.Dialect() == sqlconn.SQLite {
		// One b-tree for the whole index instead of the many segments a
		// bulk load leaves: snippets and the newest-first walk seek in one
		// place (FTS5's 'optimize'; later changes are merged as they come).
		if _, err := db.Exec(ctx, `INSERT INTO search_entries (search_entries) VALUES ('optimize')`); err != nil {
			return total, fmt.Errorf("search: optimize index: %w", err)
		}
	}
	return total, nil
}

// remove deletes the entries with the ids.
func remove(ctx context.Context, db *sqlconn.Conn, ids []int64) error {
	col := "id"
	if db.Dialect() == sqlconn.SQLite {
		col = "rowid"
	}
	q, args, err := sqlx.In(`DELETE FROM search_entries WHERE `+col+` IN (?)`, ids)
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("search: remove entries: %w", err)
	}
	return nil
}

// insert writes entries, many to a statement.
func insert(ctx context.Context, db *sqlconn.Conn, es []entry) error {
	for len(es) > 0 {
		n := min(len(es), 50)
		var (
			rows []string
			args []any
		)
		for _, e := range es[:n] {
			title, body := clean(e.title), clean(e.body)
			args = append(args, entryID(e.kind, e.objectID), string(e.kind), e.objectID, e.committeeID, e.year, string(e.audience), e.partyID, e.ref, title, body)
			if db.Dialect() == sqlconn.Postgres {
				rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, setweight(to_tsvector('swedish', ?), 'A') || setweight(to_tsvector('swedish', ?), 'B'))")
				args = append(args, words(title), words(body))
			} else {
				rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, stems(title+"\n"+body))
			}
		}
		q := `INSERT INTO search_entries (rowid, kind, object_id, committee_id, year, audience, party_id, ref, title, body, stems) VALUES `
		if db.Dialect() == sqlconn.Postgres {
			q = `INSERT INTO search_entries (id, kind, object_id, committee_id, year, audience, party_id, ref, title, body, tsv) VALUES `
		}
		if _, err := db.Exec(ctx, q+strings.Join(rows, ", "), args...); err != nil {
			return fmt.Errorf("search: write entries: %w", err)
		}
		es = es[n:]
	}
	return nil
}

// clean keeps text fit for the index: valid UTF-8 without control
// characters other than line breaks and tabs (the snippet marks are control
// characters).
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// words is text as PostgreSQL's Swedish configuration reads it for the
// index: folded, with everything but letters and digits a space, so that
// identifiers (GNS-2021-0005, GNS/10/2020) become their parts as they do in
// a query, and both engines see the same words.
func words(s string) string {
	return strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return ' '
	}, domain.FoldSwedish(s))
}

// source reads the entries of one kind: query selects the rows (the caller
// adds a WHERE on the column id), load makes the entries.
type source struct {
	query, id string
	load      func(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error)
}

// lines joins the non-empty texts with line breaks.
func lines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

func caseNumber(code string, seq, year int) string {
	return domain.CaseNumber{Prefix: code, Seq: seq, Year: year}.String()
}

// sources are the indexed tables, one per kind.
var sources = map[domain.SearchKind]source{
	domain.SearchCase: {
		query: `SELECT c.id, c.committee_id, c.year, c.seq, cm.code, c.title, c.description FROM cases c JOIN committees cm ON cm.id = c.committee_id`,
		id:    "c.id",
		load:  loadCases,
	},
	domain.SearchParagraph: {
		query: `SELECT p.id, p.committee_id, p.year, p.number, p.title, p.summary, p.proposal, p.proposition_order,
			p.proposition_result, p.decision, p.reservations, m.locked_at IS NOT NULL AS locked,
			COALESCE(cm.code, '') AS code, COALESCE(c.seq, 0) AS seq, COALESCE(c.year, 0) AS case_year
			FROM paragraphs p JOIN meetings m ON m.id = p.meeting_id
			LEFT JOIN cases c ON c.id = p.case_id LEFT JOIN committees cm ON cm.id = c.committee_id`,
		id:   "p.id",
		load: loadParagraphs,
	},
	domain.SearchAgenda: {
		query: `SELECT a.id, m.committee_id, m.meeting_date, a.meeting_id, a.title, a.description, a.proposal,
			m.published_at IS NOT NULL AS published,
			COALESCE(cm.code, '') AS code, COALESCE(c.seq, 0) AS seq, COALESCE(c.year, 0) AS case_year
			FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
			LEFT JOIN cases c ON c.id = a.case_id LEFT JOIN committees cm ON cm.id = c.committee_id`,
		id:   "a.id",
		load: loadAgenda,
	},
	domain.SearchAssignment: {
		query: `SELECT s.id, s.committee_id, p.year, p.number, s.assignee, s.description,
			COALESCE(cm.code, '') AS code, COALESCE(c.seq, 0) AS seq, COALESCE(c.year, 0) AS case_year
			FROM assignments s JOIN paragraphs p ON p.id = s.paragraph_id
			LEFT JOIN cases c ON c.id = s.case_id LEFT JOIN committees cm ON cm.id = c.committee_id`,
		id:   "s.id",
		load: loadAssignments,
	},
	domain.SearchDocument: {
		query: `SELECT d.id, c.committee_id, c.year, c.seq, cm.code, d.title, d.file_name, d.content_type, d.content
			FROM case_documents d JOIN cases c ON c.id = d.case_id JOIN committees cm ON cm.id = c.committee_id`,
		id:   "d.id",
		load: loadDocuments,
	},
	domain.SearchInvoice: {
		query: `SELECT i.id, i.committee_id, i.year, i.number, i.kind, i.party_id, i.buyer_name, i.buyer_org_number,
			i.buyer_reference, i.ocr, i.line_text, i.decision, i.case_number, i.credit_reason
			FROM invoices i`,
		id:   "i.id",
		load: loadInvoices,
	},
}

// loadCases reads cases, which every role of the committee reads.
func loadCases(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []struct {
		ID          int64  `db:"id"`
		CommitteeID int64  `db:"committee_id"`
		Year        int    `db:"year"`
		Seq         int    `db:"seq"`
		Code        string `db:"code"`
		Title       string `db:"title"`
		Description string `db:"description"`
	}
	if err := db.Select(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		n := caseNumber(r.Code, r.Seq, r.Year)
		out[i] = entry{kind: domain.SearchCase, objectID: r.ID, committeeID: r.CommitteeID, year: r.Year,
			audience: domain.AudienceCommittee, ref: n, title: r.Title, body: lines(n, r.Description)}
	}
	return out, nil
}

type paragraphRow struct {
	ID                int64  `db:"id"`
	CommitteeID       int64  `db:"committee_id"`
	Year              int    `db:"year"`
	Number            int    `db:"number"`
	Title             string `db:"title"`
	Summary           string `db:"summary"`
	Proposal          string `db:"proposal"`
	PropositionOrder  string `db:"proposition_order"`
	PropositionResult string `db:"proposition_result"`
	Decision          string `db:"decision"`
	Reservations      string `db:"reservations"`
	Locked            bool   `db:"locked"`
	Code              string `db:"code"`
	Seq               int    `db:"seq"`
	CaseYear          int    `db:"case_year"`
}

// loadParagraphs reads paragraphs with their yrkanden (motions); minutes
// not yet justerade are for those who read drafts.
func loadParagraphs(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []paragraphRow
	if err := db.Select(ctx, &rows, q, args...); err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	mq, margs, err := sqlx.In(`SELECT paragraph_id, text FROM motions WHERE paragraph_id IN (?) ORDER BY paragraph_id, position`, ids)
	if err != nil {
		return nil, err
	}
	var motions []struct {
		ParagraphID int64  `db:"paragraph_id"`
		Text        string `db:"text"`
	}
	if err := db.Select(ctx, &motions, mq, margs...); err != nil {
		return nil, err
	}
	byParagraph := map[int64][]string{}
	for _, m := range motions {
		byParagraph[m.ParagraphID] = append(byParagraph[m.ParagraphID], m.Text)
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		aud := domain.AudienceDrafts
		if r.Locked {
			aud = domain.AudienceCommittee
		}
		n := ""
		if r.Seq != 0 {
			n = caseNumber(r.Code, r.Seq, r.CaseYear)
		}
		out[i] = entry{kind: domain.SearchParagraph, objectID: r.ID, committeeID: r.CommitteeID, year: r.Year, audience: aud,
			ref: meeting.ParagraphRef(r.Number, r.Year), title: r.Title,
			body: lines(meeting.ParagraphRef(r.Number, r.Year), n, r.Summary, r.Proposal, strings.Join(byParagraph[r.ID], "\n"),
				r.PropositionOrder, r.PropositionResult, r.Decision, r.Reservations)}
	}
	return out, nil
}

// loadAgenda reads agenda items; an unpublished kallelse's items are for
// those who read drafts.
func loadAgenda(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []struct {
		ID          int64  `db:"id"`
		CommitteeID int64  `db:"committee_id"`
		Date        string `db:"meeting_date"`
		MeetingID   int64  `db:"meeting_id"`
		Title       string `db:"title"`
		Description string `db:"description"`
		Proposal    string `db:"proposal"`
		Published   bool   `db:"published"`
		Code        string `db:"code"`
		Seq         int    `db:"seq"`
		CaseYear    int    `db:"case_year"`
	}
	if err := db.Select(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		aud := domain.AudienceDrafts
		if r.Published {
			aud = domain.AudienceCommittee
		}
		year, _ := strconv.Atoi(r.Date[:min(4, len(r.Date))])
		n := ""
		if r.Seq != 0 {
			n = caseNumber(r.Code, r.Seq, r.CaseYear)
		}
		out[i] = entry{kind: domain.SearchAgenda, objectID: r.ID, committeeID: r.CommitteeID, year: year, audience: aud,
			ref: strconv.FormatInt(r.MeetingID, 10), title: r.Title, body: lines(n, r.Description, r.Proposal)}
	}
	return out, nil
}

// loadAssignments reads assignments (uppdrag), which every role of the
// committee reads.
func loadAssignments(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []struct {
		ID          int64  `db:"id"`
		CommitteeID int64  `db:"committee_id"`
		Year        int    `db:"year"`
		Number      int    `db:"number"`
		Assignee    string `db:"assignee"`
		Description string `db:"description"`
		Code        string `db:"code"`
		Seq         int    `db:"seq"`
		CaseYear    int    `db:"case_year"`
	}
	if err := db.Select(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		n := ""
		if r.Seq != 0 {
			n = caseNumber(r.Code, r.Seq, r.CaseYear)
		}
		out[i] = entry{kind: domain.SearchAssignment, objectID: r.ID, committeeID: r.CommitteeID, year: r.Year,
			audience: domain.AudienceCommittee, ref: meeting.ParagraphRef(r.Number, r.Year), title: "Uppdrag till " + r.Assignee,
			body: lines(r.Description, meeting.ParagraphRef(r.Number, r.Year), n)}
	}
	return out, nil
}

// loadDocuments reads case documents with the text of their files; a file
// whose text cannot be read is indexed by its title and name.
func loadDocuments(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []struct {
		ID          int64  `db:"id"`
		CommitteeID int64  `db:"committee_id"`
		Year        int    `db:"year"`
		Seq         int    `db:"seq"`
		Code        string `db:"code"`
		Title       string `db:"title"`
		FileName    string `db:"file_name"`
		ContentType string `db:"content_type"`
		Content     []byte `db:"content"`
	}
	if err := db.Select(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		text, _ := doctext.Text(r.ContentType, r.Content) // an unreadable file is found by its name
		n := caseNumber(r.Code, r.Seq, r.Year)
		out[i] = entry{kind: domain.SearchDocument, objectID: r.ID, committeeID: r.CommitteeID, year: r.Year,
			audience: domain.AudienceCommittee, ref: n, title: r.Title, body: lines(r.FileName, n, text)}
	}
	return out, nil
}

// loadInvoices reads invoices and credit notes, for the committee's staff
// and the invoiced party.
func loadInvoices(ctx context.Context, db *sqlconn.Conn, q string, args []any) ([]entry, error) {
	var rows []struct {
		ID           int64  `db:"id"`
		CommitteeID  int64  `db:"committee_id"`
		Year         int    `db:"year"`
		Number       string `db:"number"`
		Kind         string `db:"kind"`
		PartyID      int64  `db:"party_id"`
		BuyerName    string `db:"buyer_name"`
		OrgNumber    string `db:"buyer_org_number"`
		Reference    string `db:"buyer_reference"`
		OCR          string `db:"ocr"`
		LineText     string `db:"line_text"`
		Decision     string `db:"decision"`
		CaseNumber   string `db:"case_number"`
		CreditReason string `db:"credit_reason"`
	}
	if err := db.Select(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		what := "Faktura"
		if r.Kind == "credit_note" {
			what = "Kreditfaktura"
		}
		ocr := ""
		if r.OCR != "" {
			ocr = "OCR " + r.OCR
		}
		out[i] = entry{kind: domain.SearchInvoice, objectID: r.ID, committeeID: r.CommitteeID, year: r.Year,
			audience: domain.AudienceInvoice, partyID: r.PartyID, ref: r.Number,
			title: what + " " + r.Number + " till " + r.BuyerName,
			body:  lines(r.Number, ocr, r.BuyerName, r.OrgNumber, r.Reference, r.LineText, r.Decision, r.CaseNumber, r.CreditReason)}
	}
	return out, nil
}
