package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// caseFixture is a committee with a secretariat user, for the case tests.
type caseFixture struct {
	db        *store.DB
	ctx       context.Context
	gns, uph  domain.Committee
	handler   domain.User // secretariat of GNS
	economist domain.User // economist of GNS: no handler
	today     domain.Date
}

func newCaseFixture(t *testing.T, db *store.DB) *caseFixture {
	t.Helper()
	f := &caseFixture{db: db, ctx: domain.WithActor(context.Background(), domain.Actor{Label: "test"}), today: domain.MustDate("2026-03-02")}
	err := db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		if f.gns, err = c.CreateCommittee(f.ctx, domain.Committee{Code: "GNS", Name: "Gemensam nämnd för samverkan", StartedOn: domain.MustDate("2018-07-01")}); err != nil {
			return err
		}
		if f.uph, err = c.CreateCommittee(f.ctx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnden", StartedOn: domain.MustDate("2019-01-01")}); err != nil {
			return err
		}
		if f.handler, err = c.CreateUser(f.ctx, domain.User{Email: "sofia@example.se", Name: "Sofia Nordin",
			Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: f.gns.ID}}}, "hash"); err != nil {
			return err
		}
		f.economist, err = c.CreateUser(f.ctx, domain.User{Email: "erik@example.se", Name: "Erik Holm",
			Roles: []domain.RoleGrant{{Role: domain.RoleEconomist, CommitteeID: f.gns.ID}}}, "hash")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// register registers a case in GNS on the fixture's today.
func (f *caseFixture) register(t *testing.T, title, description string) domain.Case {
	t.Helper()
	k, err := f.tryRegister(f.gns, domain.Case{Title: title, Description: description, RegisteredOn: f.today})
	if err != nil {
		t.Fatalf("register %q: %v", title, err)
	}
	return k
}

func (f *caseFixture) tryRegister(cm domain.Committee, draft domain.Case) (domain.Case, error) {
	var k domain.Case
	err := f.db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		k, err = c.RegisterCase(f.ctx, cm, draft)
		return err
	})
	return k, err
}

func (f *caseFixture) tryImport(number string, draft domain.Case) (domain.Case, error) {
	n, err := domain.ParseCaseNumber(number)
	if err != nil {
		return domain.Case{}, err
	}
	draft.Number = n
	var k domain.Case
	err = f.db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		k, err = c.ImportCase(f.ctx, f.gns, draft, f.today)
		return err
	})
	return k, err
}

// change runs one change in a transaction.
func (f *caseFixture) change(fn func(c *store.Conn) error) error {
	return f.db.InTx(f.ctx, fn)
}

// rowCounts counts the rows of the case tables and the audit trail, to show
// that a refused change wrote nothing.
func (f *caseFixture) rowCounts(t *testing.T) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"cases", "case_counters", "case_documents", "case_links", "case_events", "audit_log"} {
		var n int
		if err := f.db.SQL().QueryRowContext(f.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", table, n))
	}
	var counters []string
	rows, err := f.db.SQL().QueryContext(f.ctx, "SELECT committee_id, year, last_seq FROM case_counters ORDER BY committee_id, year")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cm, year, last int
		rows.Scan(&cm, &year, &last)
		counters = append(counters, fmt.Sprintf("%d/%d:%d", cm, year, last))
	}
	return strings.Join(parts, " ") + " " + strings.Join(counters, ",")
}

func eventKinds(t *testing.T, db *store.DB, caseID int64) []string {
	t.Helper()
	events, err := db.Conn().CaseEvents(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, string(e.Kind))
	}
	return out
}

func TestRegisterCase(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		first := f.register(t, "Sammanträdestider 2027", "Förslag på sammanträdesdagar.")
		second, err := f.tryRegister(f.gns, domain.Case{Title: "  Budget 2027 ", RegisteredOn: f.today, HandlerID: f.handler.ID})
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.tryRegister(f.uph, domain.Case{Title: "Upphandling av städtjänster", RegisteredOn: f.today})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			got  domain.Case
			want string
		}{{first, "GNS/1/2026"}, {second, "GNS/2/2026"}, {other, "UPH/1/2026"}} {
			if tt.got.Number.String() != tt.want {
				t.Errorf("number = %s, want %s", tt.got.Number, tt.want)
			}
		}
		if second.Title != "Budget 2027" || second.HandlerName != "Sofia Nordin" || second.Status != domain.CaseRegistered ||
			second.RegisteredOn != f.today || second.Imported || second.CommitteeID != f.gns.ID {
			t.Errorf("second case = %+v", second)
		}
		got, err := db.Conn().CaseByNumber(f.ctx, domain.CaseNumber{Prefix: "GNS", Seq: 1, Year: 2026})
		if err != nil || got.ID != first.ID || got.Description != "Förslag på sammanträdesdagar." {
			t.Errorf("CaseByNumber(GNS/1/2026) = %+v, %v", got, err)
		}
		if _, err := db.Conn().CaseByNumber(f.ctx, domain.CaseNumber{Prefix: "GNS", Seq: 3, Year: 2026}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("CaseByNumber(GNS/3/2026) error = %v, want not found", err)
		}
		if got := eventKinds(t, db, first.ID); strings.Join(got, ",") != "registered" {
			t.Errorf("timeline = %v, want registered", got)
		}
		entries, _, err := db.Conn().AuditEntries(f.ctx, domain.AuditFilter{Entity: "case"})
		if err != nil || len(entries) != 3 || entries[0].Action != "register" || !strings.Contains(string(entries[0].After), "UPH/1/2026") {
			t.Errorf("audit trail for cases = %+v, %v", entries, err)
		}
		years, err := db.Conn().CaseYears(f.ctx, f.gns.ID)
		if err != nil || len(years) != 1 || years[0] != 2026 {
			t.Errorf("CaseYears = %v, %v", years, err)
		}
		handlers, err := db.Conn().CaseHandlers(f.ctx, f.gns.ID)
		if err != nil || len(handlers) != 1 || handlers[0].ID != f.handler.ID {
			t.Errorf("CaseHandlers = %v, %v; want only the secretariat user", handlers, err)
		}
		// The new year starts at 1 again.
		next, err := f.tryRegister(f.gns, domain.Case{Title: "Nytt år", RegisteredOn: domain.MustDate("2027-01-01")})
		if err != nil || next.Number.String() != "GNS/1/2027" {
			t.Errorf("first case of 2027 = %s, %v", next.Number, err)
		}
		// The case list's filters read both in one query, in the same order.
		years, handlers, err = db.Conn().CaseListChoices(f.ctx, f.gns.ID)
		if err != nil || !slices.Equal(years, []int{2027, 2026}) || len(handlers) != 1 || handlers[0].ID != f.handler.ID || handlers[0].Name != f.handler.Name {
			t.Errorf("CaseListChoices = %v, %+v, %v; want 2027, 2026 and the secretariat user", years, handlers, err)
		}
	})
}

// TestConcurrentRegistration registers 50 cases at once: they must get 50
// distinct, consecutive numbers from 1.
func TestConcurrentRegistration(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		const n = 50
		var wg sync.WaitGroup
		seqs := make([]int, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				k, err := f.tryRegister(f.gns, domain.Case{Title: fmt.Sprintf("Ärende %d", i), RegisteredOn: f.today})
				seqs[i], errs[i] = k.Number.Seq, err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("registration %d: %v", i, err)
			}
		}
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("numbers = %v, want 1 … %d, each once", seqs, n)
			}
		}
		if got := f.register(t, "Efteråt", ""); got.Number.Seq != n+1 {
			t.Errorf("next number after %d = %d", n, got.Number.Seq)
		}
	})
}

func TestImportCase(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		k, err := f.tryImport("GNS/11/2018", domain.Case{Title: "Gemensamt dataskyddsombud", Status: domain.CaseOnAgenda, HandlerID: f.handler.ID})
		if err != nil {
			t.Fatal(err)
		}
		if k.Number.String() != "GNS/11/2018" || !k.Imported || k.Status != domain.CaseOnAgenda || !k.RegisteredOn.IsZero() {
			t.Errorf("imported case = %+v", k)
		}
		if _, err := f.tryImport("GNS/03/2019", domain.Case{Title: "Gemensam IT-serverdrift", RegisteredOn: domain.MustDate("2019-02-15")}); err != nil {
			t.Fatal(err)
		}
		if got := eventKinds(t, db, k.ID); strings.Join(got, ",") != "imported" {
			t.Errorf("timeline of an imported case = %v", got)
		}

		before := f.rowCounts(t)
		for _, tt := range []struct {
			number string
			draft  domain.Case
			code   string
			msg    string
		}{
			{"GNS/11/2018", domain.Case{Title: "Dubblett"}, domain.ECONFLICT, "redan registrerat"},
			{"GNS/3/2019", domain.Case{Title: "Dubblett"}, domain.ECONFLICT, "redan registrerat"},
			{"UPH/12/2018", domain.Case{Title: "Annan nämnd"}, domain.EINVALID, "hör inte till nämnden GNS"},
			{"GNS/1/2027", domain.Case{Title: "Framtiden"}, domain.EINVALID, "efter innevarande år"},
			{"GNS/4/2019", domain.Case{Title: "Fel år", RegisteredOn: domain.MustDate("2020-01-02")}, domain.EINVALID, "Registreringsdagen"},
			{"GNS/4/2019", domain.Case{Title: ""}, domain.EINVALID, "Ange en titel"},
			{"GNS/4/2019", domain.Case{Title: "Okänd status", Status: "paused"}, domain.EINVALID, "Okänd status"},
		} {
			_, err := f.tryImport(tt.number, tt.draft)
			if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.msg) {
				t.Errorf("import %s %q: error = %v, want %s with %q", tt.number, tt.draft.Title, err, tt.code, tt.msg)
			}
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused imports wrote something:\nbefore %s\nafter  %s", before, after)
		}

		// The counter continues after the highest number of the year: GNS/11/2018
		// was imported, so the next registration in 2018 is 12.
		next, err := f.tryRegister(f.gns, domain.Case{Title: "Sent registrerat", RegisteredOn: domain.MustDate("2018-12-30")})
		if err != nil || next.Number.String() != "GNS/12/2018" {
			t.Fatalf("registration after the import = %s, %v; want GNS/12/2018", next.Number, err)
		}
		// A lower free number can still be imported, and does not lower the counter.
		if _, err := f.tryImport("GNS/5/2018", domain.Case{Title: "Äldre ärende", Status: domain.CaseClosed}); err != nil {
			t.Fatal(err)
		}
		next, err = f.tryRegister(f.gns, domain.Case{Title: "Ännu ett", RegisteredOn: domain.MustDate("2018-12-31")})
		if err != nil || next.Number.String() != "GNS/13/2018" {
			t.Errorf("registration after importing a lower number = %s, %v; want GNS/13/2018", next.Number, err)
		}
		// An import above this year's counter moves it up: registration never
		// hands out the imported number.
		f.register(t, "Första 2026", "")
		if _, err := f.tryImport("GNS/7/2026", domain.Case{Title: "Från det gamla diariet"}); err != nil {
			t.Fatal(err)
		}
		if got := f.register(t, "Efter importen", ""); got.Number.String() != "GNS/8/2026" {
			t.Errorf("registration after importing GNS/7/2026 = %s, want GNS/8/2026", got.Number)
		}
	})
}

func TestRegisterCaseBadInput(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		f.register(t, "Ett första ärende", "")
		before := f.rowCounts(t)
		for _, tt := range []struct {
			name  string
			draft domain.Case
			field string
		}{
			{"no title", domain.Case{Title: "   "}, "title"},
			{"title of 10 000 characters", domain.Case{Title: strings.Repeat("å", 10_000)}, "title"},
			{"title on two lines", domain.Case{Title: "Rad ett\nRad två"}, "title"},
			{"control character", domain.Case{Title: "Bell\a"}, "title"},
			{"invalid UTF-8", domain.Case{Title: "Budget \xff"}, "title"},
			{"description too long", domain.Case{Title: "Budget", Description: strings.Repeat("x", domain.MaxCaseDescription+1)}, "description"},
			{"handler not in the secretariat", domain.Case{Title: "Budget", HandlerID: f.economist.ID}, "handler"},
			{"unknown handler", domain.Case{Title: "Budget", HandlerID: 999999}, "handler"},
		} {
			tt.draft.RegisteredOn = f.today
			_, err := f.tryRegister(f.gns, tt.draft)
			var e *domain.Error
			if !asError(err, &e) || e.Code != domain.EINVALID || e.Field != tt.field {
				t.Errorf("%s: error = %v, want invalid %s", tt.name, err, tt.field)
			}
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused registrations wrote something:\nbefore %s\nafter  %s", before, after)
		}
		// HTML is text like any other: stored as given, escaped when shown.
		k := f.register(t, `<script>alert("x")</script>`, "")
		if k.Title != `<script>alert("x")</script>` || k.Number.Seq != 2 {
			t.Errorf("case with HTML in the title = %+v", k)
		}
	})
}

func asError(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestCaseLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		k := f.register(t, "Budget 2027", "Basfinansiering.")
		var err error
		step := func(name string, fn func(c *store.Conn) (domain.Case, error)) domain.Case {
			t.Helper()
			var got domain.Case
			if err := f.change(func(c *store.Conn) error { var err error; got, err = fn(c); return err }); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return got
		}
		k = step("edit", func(c *store.Conn) (domain.Case, error) {
			return c.UpdateCase(f.ctx, k.ID, "Budget 2027 för nämnden", "Basfinansiering 914 400 kr.", f.handler.ID)
		})
		if k.Title != "Budget 2027 för nämnden" || k.HandlerID != f.handler.ID {
			t.Errorf("after edit: %+v", k)
		}
		unchanged := f.rowCounts(t)
		step("edit with no change", func(c *store.Conn) (domain.Case, error) {
			return c.UpdateCase(f.ctx, k.ID, k.Title, k.Description, k.HandlerID)
		})
		if f.rowCounts(t) != unchanged {
			t.Error("an edit that changes nothing was recorded")
		}
		k = step("prepare", func(c *store.Conn) (domain.Case, error) {
			return c.SetCaseStatus(f.ctx, k.ID, domain.CaseInPreparation, "Tjänsteskrivelse skrivs.")
		})
		k = step("close", func(c *store.Conn) (domain.Case, error) { return c.CloseCase(f.ctx, k.ID, "Beslutat 2026-12-14.") })
		if !k.Closed() || k.ClosedAt.IsZero() {
			t.Errorf("after closing: %+v", k)
		}

		before := f.rowCounts(t)
		for _, tt := range []struct {
			name string
			fn   func(c *store.Conn) (domain.Case, error)
			code string
		}{
			{"close again", func(c *store.Conn) (domain.Case, error) { return c.CloseCase(f.ctx, k.ID, "") }, domain.ECONFLICT},
			{"edit a closed case", func(c *store.Conn) (domain.Case, error) { return c.UpdateCase(f.ctx, k.ID, "Ny titel", "", 0) }, domain.ECONFLICT},
			{"status of a closed case", func(c *store.Conn) (domain.Case, error) {
				return c.SetCaseStatus(f.ctx, k.ID, domain.CaseDecided, "")
			}, domain.ECONFLICT},
			{"closed as a status", func(c *store.Conn) (domain.Case, error) {
				return c.SetCaseStatus(f.ctx, k.ID, domain.CaseClosed, "")
			}, domain.EINVALID},
			{"link from a closed case", func(c *store.Conn) (domain.Case, error) {
				return c.AddCaseLink(f.ctx, k.ID, domain.CaseNumber{Prefix: "GNS", Seq: 1, Year: 2026})
			}, domain.ECONFLICT},
			{"unknown case", func(c *store.Conn) (domain.Case, error) { return c.ReopenCase(f.ctx, 999999, "") }, domain.ENOTFOUND},
		} {
			_, err := tt.fn(db.Conn())
			if domain.ErrorCode(err) != tt.code {
				t.Errorf("%s: error = %v, want %s", tt.name, err, tt.code)
			}
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused changes wrote something:\nbefore %s\nafter  %s", before, after)
		}

		k = step("reopen", func(c *store.Conn) (domain.Case, error) { return c.ReopenCase(f.ctx, k.ID, "Nytt underlag.") })
		if k.Status != domain.CaseInPreparation || !k.ClosedAt.IsZero() {
			t.Errorf("after reopening: %+v", k)
		}
		if _, err = db.Conn().ReopenCase(f.ctx, k.ID, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("reopening an open case: %v, want conflict", err)
		}
		if _, err = db.Conn().SetCaseStatus(f.ctx, k.ID, domain.CaseInPreparation, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("setting the status it has: %v, want invalid", err)
		}
		if _, err = db.Conn().SetCaseStatus(f.ctx, k.ID, domain.CaseOnAgenda, strings.Repeat("x", domain.MaxCaseNote+1)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a note that is too long: %v, want invalid", err)
		}

		events, err := db.Conn().CaseEvents(f.ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			got = append(got, fmt.Sprintf("%s %s→%s %s", e.Kind, e.FromStatus, e.ToStatus, e.Note))
		}
		want := []string{
			"registered →registered ",
			"edited → titel, beskrivning, handläggare",
			"status_changed registered→in_preparation Tjänsteskrivelse skrivs.",
			"closed in_preparation→closed Beslutat 2026-12-14.",
			"reopened closed→in_preparation Nytt underlag.",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if events[1].Actor != "test" {
			t.Errorf("actor = %q, want the label of the context's actor", events[1].Actor)
		}
		actions := map[string]bool{}
		entries, _, _ := db.Conn().AuditEntries(f.ctx, domain.AuditFilter{Entity: "case"})
		for _, e := range entries {
			actions[e.Action] = true
		}
		for _, a := range []string{"register", "update", "set_status", "close", "reopen"} {
			if !actions[a] {
				t.Errorf("audit trail lacks %s: %v", a, actions)
			}
		}
	})
}

// docxBytes is a minimal Office Open XML word document: the parts a sniffer
// looks for.
func docxBytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCaseDocuments(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		k := f.register(t, "Budget 2027", "")
		add := func(d domain.CaseDocument, content []byte) (domain.CaseDocument, error) {
			var got domain.CaseDocument
			err := f.change(func(c *store.Conn) error {
				var err error
				got, err = c.AddCaseDocument(f.ctx, k.ID, d, content)
				return err
			})
			return got, err
		}
		pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
		doc, err := add(domain.CaseDocument{Kind: domain.CaseDocumentOfficerReport, FileName: `C:\Users\sofia\Tjänsteskrivelse "Budget".pdf`}, pdf)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(pdf)
		if doc.SHA256 != hex.EncodeToString(sum[:]) || doc.Size != int64(len(pdf)) || doc.ContentType != "application/pdf" ||
			doc.FileName != "Tjänsteskrivelse _Budget_.pdf" || doc.Title != "Tjänsteskrivelse _Budget_" {
			t.Errorf("stored document = %+v", doc)
		}
		if _, err := add(domain.CaseDocument{Kind: domain.CaseDocumentAttachment, Title: "Underlag", FileName: "underlag.docx"}, docxBytes(t)); err != nil {
			t.Fatal(err)
		}
		got, content, err := db.Conn().CaseDocumentContent(f.ctx, k.ID, doc.ID)
		if err != nil || !bytes.Equal(content, pdf) || got.SHA256 != doc.SHA256 {
			t.Errorf("read back = %+v, %d bytes, %v", got, len(content), err)
		}
		other := f.register(t, "Annat ärende", "")
		if _, _, err := db.Conn().CaseDocumentContent(f.ctx, other.ID, doc.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a document read through another case: %v, want not found", err)
		}

		before := f.rowCounts(t)
		for _, tt := range []struct {
			name    string
			d       domain.CaseDocument
			content []byte
			msg     string
		}{
			{"over the limit", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "stor.pdf"},
				append([]byte("%PDF-"), make([]byte, domain.MaxCaseDocumentSize)...), "för stor"},
			{"a program", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "program.exe"}, []byte("MZ\x90\x00"), "filtyp som inte tas emot"},
			{"a program named .pdf", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "faktura.pdf"}, []byte("MZ\x90\x00\x03"), "innehållet är inte PDF"},
			{"a PDF named .docx", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "brev.docx"}, pdf, "innehållet är inte Word"},
			{"empty", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "tom.txt"}, nil, "tom"},
			{"unknown kind", domain.CaseDocument{Kind: "protokoll", FileName: "a.pdf"}, pdf, "Välj vilken sorts handling"},
			{"title of 10 000 characters", domain.CaseDocument{Kind: domain.CaseDocumentAttachment, Title: strings.Repeat("x", 10_000), FileName: "a.pdf"}, pdf, "högst"},
		} {
			_, err := add(tt.d, tt.content)
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tt.msg) {
				t.Errorf("%s: error = %v, want invalid with %q", tt.name, err, tt.msg)
			}
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused documents wrote something:\nbefore %s\nafter  %s", before, after)
		}

		docs, err := db.Conn().CaseDocuments(f.ctx, k.ID)
		if err != nil || len(docs) != 2 || docs[0].ID != doc.ID || docs[1].Kind != domain.CaseDocumentAttachment {
			t.Errorf("CaseDocuments = %+v, %v", docs, err)
		}
		events, _ := db.Conn().CaseEvents(f.ctx, k.ID)
		if len(events) != 3 || events[1].Kind != domain.CaseEventDocumentAdded || events[1].DocumentTitle != doc.Title {
			t.Errorf("timeline after two documents = %+v", events)
		}
		// A closed case takes no documents.
		if err := f.change(func(c *store.Conn) error { _, err := c.CloseCase(f.ctx, k.ID, ""); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := add(domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "sen.pdf"}, pdf); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("document for a closed case: %v, want conflict", err)
		}
	})
}

func TestCaseLinks(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		a := f.register(t, "Återstående medel", "")
		b := f.register(t, "Projekt Digital transformation", "")
		link := func(from domain.Case, to string) error {
			n, err := domain.ParseCaseNumber(to)
			if err != nil {
				return err
			}
			return f.change(func(c *store.Conn) error { _, err := c.AddCaseLink(f.ctx, from.ID, n); return err })
		}
		if err := link(a, "GNS/02/2026"); err != nil {
			t.Fatal(err)
		}
		before := f.rowCounts(t)
		for _, tt := range []struct{ to, code, msg string }{
			{"GNS/2/2026", domain.ECONFLICT, "redan kopplade"},
			{"GNS/1/2026", domain.EINVALID, "sig självt"},
			{"UPH/1/2026", domain.EINVALID, "hör inte till nämnden GNS"},
			{"GNS/9/2026", domain.EINVALID, "finns inte"},
		} {
			err := link(a, tt.to)
			if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.msg) {
				t.Errorf("link to %s: %v, want %s with %q", tt.to, err, tt.code, tt.msg)
			}
		}
		if err := link(b, "GNS/1/2026"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("linking the other way round: %v, want conflict (already linked)", err)
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused links wrote something:\nbefore %s\nafter  %s", before, after)
		}
		for _, tt := range []struct{ from, to domain.Case }{{a, b}, {b, a}} {
			links, err := db.Conn().CaseLinks(f.ctx, tt.from.ID)
			if err != nil || len(links) != 1 || links[0].ID != tt.to.ID {
				t.Errorf("links of %s = %+v, %v", tt.from.Number, links, err)
			}
			events, _ := db.Conn().CaseEvents(f.ctx, tt.from.ID)
			if last := events[len(events)-1]; last.Kind != domain.CaseEventLinkAdded || last.Related != tt.to.Number || last.RelatedID != tt.to.ID {
				t.Errorf("last event of %s = %+v", tt.from.Number, last)
			}
		}
	})
}

func TestListCases(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		for _, tt := range []struct{ number, title, description string }{
			{"GNS/11/2018", "Gemensamt dataskyddsombud", "Frågan initierades av kommunchefsgruppen."},
			{"GNS/3/2019", "Gemensam IT-serverdrift", "Serverdrift fakturerat ÅRE KOMMUN."},
			{"GNS/8/2019", "Projekt Digital transformation", "Bräcke, Krokom och Strömsund; senare Åre."},
			{"GNS/14/2019", "Svenskt ramverk för digital samverkan", "100% digitalt_först"},
		} {
			if _, err := f.tryImport(tt.number, domain.Case{Title: tt.title, Description: tt.description}); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i <= 21; i++ {
			k := f.register(t, fmt.Sprintf("Ärende nummer %d", i), "Löpande ärende.")
			if i%3 == 0 {
				if err := f.change(func(c *store.Conn) error {
					_, err := c.UpdateCase(f.ctx, k.ID, k.Title, k.Description, f.handler.ID)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			if i%4 == 0 {
				if err := f.change(func(c *store.Conn) error { _, err := c.CloseCase(f.ctx, k.ID, ""); return err }); err != nil {
					t.Fatal(err)
				}
			}
		}
		numbers := func(p domain.CasePage) string {
			var s []string
			for _, k := range p.Cases {
				s = append(s, k.Number.String())
			}
			return strings.Join(s, " ")
		}
		list := func(filter domain.CaseFilter) domain.CasePage {
			t.Helper()
			filter.CommitteeID = f.gns.ID
			p, err := db.Conn().ListCases(f.ctx, filter)
			if err != nil {
				t.Fatalf("ListCases(%+v): %v", filter, err)
			}
			return p
		}
		for _, tt := range []struct {
			name   string
			filter domain.CaseFilter
			want   string
		}{
			{"year", domain.CaseFilter{Year: 2019}, "GNS/14/2019 GNS/8/2019 GNS/3/2019"},
			{"Swedish folding", domain.CaseFilter{Text: "åre"}, "GNS/8/2019 GNS/3/2019"},
			{"upper case", domain.CaseFilter{Text: "ÅRE kommun"}, "GNS/3/2019"},
			{"title and description", domain.CaseFilter{Text: "gemensam"}, "GNS/3/2019 GNS/11/2018"},
			{"percent is literal", domain.CaseFilter{Text: "100%"}, "GNS/14/2019"},
			{"underscore is literal", domain.CaseFilter{Text: "l_f"}, ""},
			{"underscore matches itself", domain.CaseFilter{Text: "digitalt_först"}, "GNS/14/2019"},
			{"status", domain.CaseFilter{Status: domain.CaseClosed}, "GNS/20/2026 GNS/16/2026 GNS/12/2026 GNS/8/2026 GNS/4/2026"},
			{"handler", domain.CaseFilter{HandlerID: f.handler.ID, Status: domain.CaseClosed}, "GNS/12/2026"},
			{"no match", domain.CaseFilter{Text: "kallelse"}, ""},
		} {
			p := list(tt.filter)
			if got := numbers(p); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
			if p.Total != len(p.Cases) || p.More || !p.Older.IsZero() || !p.Newer.IsZero() {
				t.Errorf("%s: total %d, more %v, older %v, newer %v", tt.name, p.Total, p.More, p.Older, p.Newer)
			}
		}

		// Pages of ten through the 25 cases and back again.
		p1 := list(domain.CaseFilter{Limit: 10})
		if numbers(p1) != "GNS/21/2026 GNS/20/2026 GNS/19/2026 GNS/18/2026 GNS/17/2026 GNS/16/2026 GNS/15/2026 GNS/14/2026 GNS/13/2026 GNS/12/2026" ||
			p1.Total != 25 || !p1.Newer.IsZero() || p1.Older != (domain.CaseCursor{Year: 2026, Seq: 12}) {
			t.Fatalf("first page: %s; total %d, newer %v, older %v", numbers(p1), p1.Total, p1.Newer, p1.Older)
		}
		p2 := list(domain.CaseFilter{Limit: 10, After: p1.Older})
		p3 := list(domain.CaseFilter{Limit: 10, After: p2.Older})
		if numbers(p3) != "GNS/1/2026 GNS/14/2019 GNS/8/2019 GNS/3/2019 GNS/11/2018" || !p3.Older.IsZero() || p3.Newer.IsZero() {
			t.Errorf("last page: %s; older %v, newer %v", numbers(p3), p3.Older, p3.Newer)
		}
		back := list(domain.CaseFilter{Limit: 10, Before: p3.Newer})
		if numbers(back) != numbers(p2) || back.Older != p2.Older || back.Newer != p2.Newer {
			t.Errorf("back from the last page: %s (older %v, newer %v), want %s (older %v, newer %v)",
				numbers(back), back.Older, back.Newer, numbers(p2), p2.Older, p2.Newer)
		}
		first := list(domain.CaseFilter{Limit: 10, Before: back.Newer})
		if numbers(first) != numbers(p1) || !first.Newer.IsZero() {
			t.Errorf("back to the first page: %s, newer %v", numbers(first), first.Newer)
		}
		if p := list(domain.CaseFilter{Year: 2026, Limit: 5, After: domain.CaseCursor{Year: 2026, Seq: 3}}); numbers(p) != "GNS/2/2026 GNS/1/2026" {
			t.Errorf("year and cursor: %s", numbers(p))
		}
		if _, err := db.Conn().ListCases(f.ctx, domain.CaseFilter{CommitteeID: f.gns.ID, Text: strings.Repeat("ord ", 11)}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a search of eleven words: %v, want invalid", err)
		}
		if p := list(domain.CaseFilter{}); len(p.Cases) != 25 {
			t.Errorf("default page size shows %d of 25", len(p.Cases))
		}
		if p, _ := db.Conn().ListCases(f.ctx, domain.CaseFilter{CommitteeID: f.uph.ID}); len(p.Cases) != 0 || p.Total != 0 {
			t.Errorf("UPH lists %s", numbers(p))
		}
	})
}

func TestCaseCountIsBounded(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	f := newCaseFixture(t, db)
	err := f.change(func(c *store.Conn) error {
		for i := range domain.MaxCaseCount + 5 {
			if _, err := c.RegisterCase(f.ctx, f.gns, domain.Case{Title: fmt.Sprintf("Ärende %d", i), RegisteredOn: f.today}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Conn().ListCases(f.ctx, domain.CaseFilter{CommitteeID: f.gns.ID, Limit: 10})
	if err != nil || p.Total != domain.MaxCaseCount || !p.More || len(p.Cases) != 10 {
		t.Errorf("list of %d cases: total %d, more %v, %d shown, %v", domain.MaxCaseCount+5, p.Total, p.More, len(p.Cases), err)
	}
}

// TestCaseHistoryIsKept checks that the database itself refuses to delete a
// case or to change or delete its documents and timeline.
func TestCaseHistoryIsKept(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newCaseFixture(t, db)
		k := f.register(t, "Budget 2027", "")
		if err := f.change(func(c *store.Conn) error {
			_, err := c.AddCaseDocument(f.ctx, k.ID, domain.CaseDocument{Kind: domain.CaseDocumentAttachment, FileName: "a.txt"}, []byte("Underlag\n"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"DELETE FROM cases",
			"DELETE FROM case_documents",
			"UPDATE case_documents SET title = 'annat'",
			"DELETE FROM case_events",
			"UPDATE case_events SET note = 'annat'",
		} {
			if _, err := db.SQL().ExecContext(f.ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
		if got, err := db.Conn().CaseByID(f.ctx, k.ID); err != nil || got.Title != "Budget 2027" {
			t.Errorf("the case after the attempts: %+v, %v", got, err)
		}
	})
}
