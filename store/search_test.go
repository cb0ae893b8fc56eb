package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/migrations"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// demoUser reads a demo user by e-mail.
func demoUser(t *testing.T, db *store.DB, email string) domain.User {
	t.Helper()
	u, _, err := db.Conn().UserForLogin(context.Background(), email)
	if err != nil {
		t.Fatalf("demo user %s: %v", email, err)
	}
	return u
}

func loadDemoDB(ctx context.Context, db *store.DB) error {
	_, err := demo.Load(ctx, db)
	return err
}

// search runs a search as u and fails the test on an error.
func search(t *testing.T, db *store.DB, u domain.User, f domain.SearchFilter) []domain.SearchHit {
	t.Helper()
	hits, err := db.Conn().Search(context.Background(), u, f)
	if err != nil {
		t.Fatalf("search %+v: %v", f, err)
	}
	return hits
}

// has reports whether a hit of kind has ref (or title containing ref).
func has(hits []domain.SearchHit, kind domain.SearchKind, ref string) bool {
	for _, h := range hits {
		if h.Kind == kind && (h.Ref == ref || strings.Contains(h.Title, ref)) {
			return true
		}
	}
	return false
}

// TestSearchDemo: the searches of the issue find what the demo holds, on
// both engines: a name in a case's text and its tjänsteskrivelse, a
// definite form, a cost object, an invoice number, a word of a title, and
// "åre" finds "Åre".
func TestSearchDemo(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		t.Parallel()
		sec := demoUser(t, db, "sekretariat@demo.gns.example")
		for _, tc := range []struct {
			q    string
			kind domain.SearchKind
			ref  string
		}{
			{"Zakrisson", domain.SearchCase, "GNS/9/2020"},
			{"zakrisson", domain.SearchDocument, "GNS/9/2020"},
			{"6663", domain.SearchCase, "GNS/9/2020"},
			{"GNS-2021-0005", domain.SearchInvoice, "GNS-2021-0005"},
			{"dataskyddsombud", domain.SearchCase, "GNS/11/2018"},
			{"GNS/11/2018", domain.SearchCase, "GNS/11/2018"},
			{"ÅRE löneadministration", domain.SearchCase, "GNS/9/2020"},
		} {
			hits := search(t, db, sec, domain.SearchFilter{Text: tc.q})
			if !has(hits, tc.kind, tc.ref) {
				t.Errorf("%q: no %s %s among %d hits: %+v", tc.q, tc.kind, tc.ref, len(hits), hits)
			}
		}
		hits := search(t, db, sec, domain.SearchFilter{Text: "protokollet"})
		found := false
		for _, h := range hits {
			if strings.Contains(strings.ToLower(h.Snippet), domain.SnippetStart+"protokoll") {
				found = true
			}
		}
		if !found {
			t.Errorf(`"protokollet" marks no form of "protokoll" in %d hits: %+v`, len(hits), hits)
		}
		// The filters narrow.
		for _, h := range search(t, db, sec, domain.SearchFilter{Text: "GNS", Kind: domain.SearchInvoice, Year: 2021}) {
			if h.Kind != domain.SearchInvoice || h.Year != 2021 {
				t.Errorf("kind and year filter gave %+v", h)
			}
		}
		if hits := search(t, db, sec, domain.SearchFilter{Text: "dataskyddsombud", CommitteeID: 999999}); len(hits) != 0 {
			t.Errorf("another committee's filter gave %+v", hits)
		}
		// A snippet marks the words.
		hits = search(t, db, sec, domain.SearchFilter{Text: "dataskyddsombud"})
		if len(hits) == 0 || !strings.Contains(hits[0].Snippet, domain.SnippetStart) {
			t.Errorf("first hit has no marked word: %+v", hits)
		}
	})
}

// TestSearchNeverLeaks: a party representative finds its own party's
// invoices and no other's, whatever it searches for; a member finds no
// invoice; what each finds passes CanReadSearchHit; a user with no role
// finds nothing.
func TestSearchNeverLeaks(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		party := demoUser(t, db, "bracke@demo.gns.example")
		member := demoUser(t, db, "ledamot@demo.gns.example")
		eco := demoUser(t, db, "ekonom@demo.gns.example")
		all := search(t, db, eco, domain.SearchFilter{Text: "GNS", Kind: domain.SearchInvoice})
		if len(all) < 16 {
			t.Fatalf("the economist finds %d invoices, want the demo's 16", len(all))
		}
		own := party.PartyIn(all[0].CommitteeID)
		for _, q := range []string{"GNS", "faktura", "kommun", "region", "OCR", "2021", "Krokom", "Åre"} {
			for _, u := range []domain.User{party, member} {
				for _, h := range search(t, db, u, domain.SearchFilter{Text: q}) {
					if !domain.CanReadSearchHit(u, h) {
						t.Errorf("%s finds %+v, which it may not read", u.Email, h)
					}
					if h.Kind == domain.SearchInvoice && (u.ID == member.ID || h.PartyID != own) {
						t.Errorf("%s finds another party's invoice %s (%s)", u.Email, h.Ref, h.Title)
					}
				}
			}
		}
		mine := search(t, db, party, domain.SearchFilter{Text: "GNS", Kind: domain.SearchInvoice})
		if len(mine) == 0 {
			t.Errorf("the party finds none of its invoices")
		}
		if hits := search(t, db, domain.User{ID: 12345, Email: "ingen@example.se"}, domain.SearchFilter{Text: "GNS"}); len(hits) != 0 {
			t.Errorf("a user without roles finds %+v", hits)
		}
		// Rebuilding the index changes no answer.
		before := search(t, db, eco, domain.SearchFilter{Text: "samverkan"})
		if _, err := db.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		after := search(t, db, eco, domain.SearchFilter{Text: "samverkan"})
		if len(before) != len(after) || len(before) == 0 {
			t.Errorf("samverkan: %d hits before the reindex, %d after", len(before), len(after))
		}
	})
}

// TestSearchFollowsChanges: the index changes in the transaction of each
// change: a new case is found at once, an edited title by its new words and
// not its old, and a draft agenda item is found by the secretariat, by a
// member only once the kallelse is published; a rolled-back change leaves
// nothing behind.
func TestSearchFollowsChanges(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", loadDemoDB, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		sec := demoUser(t, db, "sekretariat@demo.gns.example")
		member := demoUser(t, db, "ledamot@demo.gns.example")
		cm, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}
		var k domain.Case
		if err := db.InTx(ctx, func(c *store.Conn) error {
			k, err = c.RegisterCase(ctx, cm, domain.Case{Title: "Snöskottning vid Lillsjöhögen", Description: "Upphandling av snöröjning.", RegisteredOn: domain.MustDate("2026-01-10")})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, db, member, domain.SearchFilter{Text: "lillsjöhögen"}); !has(hits, domain.SearchCase, k.Number.String()) {
			t.Errorf("the new case is not found: %+v", hits)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.UpdateCase(ctx, k.ID, "Sandning vid Rådhuset", k.Description, 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, db, member, domain.SearchFilter{Text: "lillsjöhögen"}); len(hits) != 0 {
			t.Errorf("the old title is still found: %+v", hits)
		}
		if hits := search(t, db, member, domain.SearchFilter{Text: "sandning"}); !has(hits, domain.SearchCase, k.Number.String()) {
			t.Errorf("the new title is not found: %+v", hits)
		}
		_ = db.InTx(ctx, func(c *store.Conn) error {
			if _, err := c.RegisterCase(ctx, cm, domain.Case{Title: "Ångrat xylofonärende", RegisteredOn: domain.MustDate("2026-01-10")}); err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "ångrat")
		})
		if hits := search(t, db, sec, domain.SearchFilter{Text: "xylofonärende"}); len(hits) != 0 {
			t.Errorf("a rolled-back case is found: %+v", hits)
		}

		var m meeting.Meeting
		if err := db.InTx(ctx, func(c *store.Conn) error {
			m, err = c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: cm.ID, Date: domain.MustDate("2027-03-01"), StartTime: "09:00", EndTime: "12:00", Place: "Rådhuset", Purpose: meeting.PurposeOther})
			if err != nil {
				return err
			}
			_, err = c.AddAgendaItem(ctx, m.ID, meeting.AgendaItem{CaseID: k.ID, Title: k.Title, Description: "Vinterväghållning kring Rådhuset.", Kind: meeting.AgendaCase})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, db, sec, domain.SearchFilter{Text: "vinterväghållning"}); !has(hits, domain.SearchAgenda, "Snöskottning") {
			t.Errorf("the secretariat does not find the draft item: %+v", hits)
		}
		if hits := search(t, db, member, domain.SearchFilter{Text: "vinterväghållning"}); len(hits) != 0 {
			t.Errorf("a member finds an unpublished item: %+v", hits)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.PublishKallelse(ctx, m.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, db, member, domain.SearchFilter{Text: "vinterväghållning"}); !has(hits, domain.SearchAgenda, "Snöskottning") {
			t.Errorf("a member does not find the published item: %+v", hits)
		}
	})
}

// TestMigrationIndexesExistingData: a database with data from before the
// search index gets it indexed by the migration that adds it.
func TestMigrationIndexesExistingData(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		dialect, fsys := goose.DialectSQLite3, migrations.SQLite()
		if db.Dialect() == store.Postgres {
			dialect, fsys = goose.DialectPostgres, migrations.Postgres()
		}
		p, err := goose.NewProvider(dialect, db.SQL(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		// The demo needs the whole schema: load it, then take the
		// database back to before the search index (the later migrations'
		// down steps too), as a database from before it would be.
		if err := loadDemoDB(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 18); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		sec := demoUser(t, db, "sekretariat@demo.gns.example")
		if hits := search(t, db, sec, domain.SearchFilter{Text: "Zakrisson"}); !has(hits, domain.SearchCase, "GNS/9/2020") {
			t.Errorf("after the migration, Zakrisson finds %+v", hits)
		}
	})
}

// TestSearchCommonWord: a word in more entries than a search ranks (the
// candidates) gives its newest candidates, with the word in the title
// first; a rare word in the same register is found too. On SQLite the
// common word's hits come newest first among those with it in the title.
func TestSearchCommonWord(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		var cm domain.Committee
		if err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			cm, err = c.CreateCommittee(ctx, domain.Committee{Code: "STOR", Name: "Stor nämnd", StartedOn: domain.MustDate("2000-01-01")})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// "upphandling" is in every tenth title and every tenth
		// description: some 1 000 entries, more than the candidates.
		storetest.SeedCases(t, db, cm.ID, 10_001, 0)
		if _, err := db.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		admin := domain.User{ID: 1, Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}}
		hits := search(t, db, admin, domain.SearchFilter{Text: "upphandling", Limit: 60})
		if len(hits) != 60 {
			t.Fatalf("hits = %d, want 60", len(hits))
		}
		for i, h := range hits[:20] {
			if !strings.Contains(strings.ToLower(h.Title), "upphandling") {
				t.Fatalf("hit %d (%q) lacks the word in its title, before other hits that have it", i, h.Title)
			}
			if db.Dialect() == store.SQLite && i > 0 && h.ObjectID > hits[i-1].ObjectID {
				t.Errorf("hit %d (case %d) is newer than hit %d (case %d)", i, h.ObjectID, i-1, hits[i-1].ObjectID)
			}
		}
		rare := search(t, db, admin, domain.SearchFilter{Text: "lillsjöhögen"})
		if len(rare) != 1 || !strings.Contains(rare[0].Title, "Lillsjöhögen") {
			t.Errorf("the rare word: %d hits %+v, want the case with it", len(rare), rare)
		}
	})
}
