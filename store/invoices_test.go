package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// invoiceFixture is a committee of its own, PRV, with the demo parties as
// members (host first), every party with an address and all but Bräcke with
// the data an e-invoice needs, and the region's invoice settings. Its number
// series is its own, whatever the demo data has issued for GNS.
type invoiceFixture struct {
	db      *store.DB
	ctx     context.Context
	cm      domain.Committee
	parties []domain.Party
}

func newInvoiceFixture(t *testing.T, db *store.DB) *invoiceFixture {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	f := &invoiceFixture{db: db, ctx: ctx}
	err := db.InTx(ctx, func(c *store.Conn) error {
		for i, dp := range demo.Parties {
			p, err := c.PartyBySlug(ctx, dp.Slug)
			if err != nil {
				return err
			}
			d := domain.PartyDetails{Address: fmt.Sprintf("Box %d\n8%02d 82 Kommunorten", 100+i, 30+i)}
			if dp.Slug != "bracke" {
				d.InvoiceReference = "REF-" + dp.Slug
				if p.OrgNumber != "" {
					d.PeppolID = domain.PeppolID(p.OrgNumber)
				}
			}
			if p, err = c.UpdatePartyDetails(ctx, p.ID, d); err != nil {
				return err
			}
			f.parties = append(f.parties, p)
		}
		var err error
		f.cm, err = c.CreateCommittee(ctx, domain.Committee{Code: "PRV", Name: "Provnämnden", StartedOn: domain.MustDate("2018-07-01"), HostPartyID: f.parties[0].ID})
		if err != nil {
			return err
		}
		for i, p := range f.parties {
			if err := c.AddMembership(ctx, domain.Membership{CommitteeID: f.cm.ID, PartyID: p.ID, Position: i + 1, From: f.cm.StartedOn}); err != nil {
				return err
			}
		}
		_, err = c.SaveInvoiceSettings(ctx, f.settings())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *invoiceFixture) settings() finance.InvoiceSettings {
	s := finance.NewInvoiceSettings(f.cm.ID, &f.parties[0])
	s.Address, s.Bankgiro, s.ContributionAccount, s.InternalAccount = "Box 654\n831 27 Östersund", "5050-1055", "3540", "4950"
	return s
}

// allocation saves an allocation of the nine parties: the host's share
// first, then the same share for each of the others.
func (f *invoiceFixture) allocation(t *testing.T, kind finance.AllocationKind, title, hostShare, share string, change ...func(*finance.Allocation)) finance.Allocation {
	t.Helper()
	a := finance.Allocation{CommitteeID: f.cm.ID, Kind: kind, Title: title, Method: "equal", Unit: "ore", BudgetYear: 2021,
		Decision: "PRV § 42/2020", Total: decimal.Zero}
	for i, p := range f.parties {
		amount := decimal.RequireFromString(share)
		if i == 0 {
			amount = decimal.RequireFromString(hostShare)
		}
		a.Total = a.Total.Add(amount)
		a.Shares = append(a.Shares, finance.AllocationShare{PartyID: p.ID, PartyName: p.Name, Host: i == 0, Amount: amount,
			Quota: amount, Weight: decimal.NewFromInt(1), WeightKind: "equal"})
	}
	for _, ch := range change {
		ch(&a)
	}
	var saved finance.Allocation
	err := f.db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		saved, err = c.CreateAllocation(f.ctx, a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func (f *invoiceFixture) baseFunding(t *testing.T) finance.Allocation {
	return f.allocation(t, finance.AllocationBaseFunding, "Basfinansiering 2021", "101600", "101600")
}

func (f *invoiceFixture) issue(allocationID int64, date string) (finance.InvoiceRun, error) {
	var run finance.InvoiceRun
	err := f.db.InTx(f.ctx, func(c *store.Conn) error {
		var err error
		run, err = c.IssueInvoiceRun(f.ctx, allocationID, domain.MustDate(date), "")
		return err
	})
	return run, err
}

// counts describes what the invoicing tables hold, to show that a refused
// request stored nothing.
func (f *invoiceFixture) counts(t *testing.T) string {
	t.Helper()
	var out []string
	for _, table := range []string{"invoice_runs", "invoices", "invoice_transfers", "invoice_payments"} {
		var n int
		if err := f.db.SQL().QueryRowContext(f.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	var last int
	f.db.SQL().QueryRowContext(f.ctx, f.rebind("SELECT COALESCE(MAX(last_seq), 0) FROM invoice_counters WHERE committee_id = ?"), f.cm.ID).Scan(&last)
	return strings.Join(append(out, fmt.Sprintf("last_seq=%d", last)), " ")
}

func (f *invoiceFixture) rebind(q string) string {
	if f.db.Dialect() == store.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// rawAllocation writes a decided allocation behind the store's back, with
// shares of the given kronor (the first the host's) and a total that need
// not be their sum, and returns its id.
func (f *invoiceFixture) rawAllocation(t *testing.T, total int64, shares ...int64) int64 {
	t.Helper()
	q := func(query string) string {
		if f.db.Dialect() != store.Postgres {
			return query
		}
		for n := 1; strings.Contains(query, "?"); n++ {
			query = strings.Replace(query, "?", fmt.Sprintf("$%d", n), 1)
		}
		return query
	}
	var id int64
	err := f.db.SQL().QueryRowContext(f.ctx, q(`INSERT INTO allocations (committee_id, kind, title, method, unit, total_ore, decision, created_at, created_by)
		VALUES (?, 'project', 'Trasig fördelning', 'equal', 'ore', ?, 'PRV § 9/2021', ?, 'test') RETURNING id`), f.cm.ID, total*100, time.Now().UTC()).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	for i, amount := range shares {
		if _, err := f.db.SQL().ExecContext(f.ctx, q(`INSERT INTO allocation_shares (allocation_id, party_id, position, host, amount_ore, quota, weight, weight_kind, residue)
			VALUES (?, ?, ?, ?, ?, '0', '1', 'equal', FALSE)`), id, f.parties[i].ID, i+1, i == 0, amount*100); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func TestInvoiceSettings(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		s, err := db.Conn().InvoiceSettings(f.ctx, f.cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != "Region Jämtland Härjedalen" || s.VATNumber != "SE232100021401" || s.PaymentTermsDays != 30 || !s.OCRLengthDigit ||
			s.VATExemptionReason != finance.DefaultOutOfScopeReason || s.UpdatedBy != "ekonom@example.se" {
			t.Errorf("saved settings = %+v", s)
		}
		bad := f.settings()
		bad.Bankgiro = "1234-5678"
		err = db.InTx(f.ctx, func(c *store.Conn) error { _, err := c.SaveInvoiceSettings(f.ctx, bad); return err })
		var e *domain.Error
		if !errors.As(err, &e) || e.Field != "bankgiro" {
			t.Errorf("bad bankgiro: %v", err)
		}
		if again, _ := db.Conn().InvoiceSettings(f.ctx, f.cm.ID); again.Bankgiro != "5050-1055" {
			t.Errorf("a refused change was stored: %s", again.Bankgiro)
		}
		changed := f.settings()
		changed.PaymentTermsDays, changed.OCRPrefix = 20, "7"
		if err := db.InTx(f.ctx, func(c *store.Conn) error { _, err := c.SaveInvoiceSettings(f.ctx, changed); return err }); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Conn().InvoiceSettings(f.ctx, f.cm.ID); got.PaymentTermsDays != 20 || got.OCRPrefix != "7" {
			t.Errorf("after the change: %+v", got)
		}
		gns, _ := db.Conn().CommitteeByCode(f.ctx, "GNS")
		other, _ := db.Conn().CommitteeByCode(f.ctx, "PRV")
		if _, err := db.Conn().InvoiceSettings(f.ctx, other.ID+gns.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("settings of a committee without any: %v", err)
		}
	})
}

func TestIssueInvoiceRun(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		base := f.baseFunding(t)
		plan, err := db.Conn().PlanInvoiceRun(f.ctx, base.ID, domain.MustDate("2021-01-04"))
		if err != nil {
			t.Fatal(err)
		}
		if plan.Invoices() != 8 || len(plan.Transfers) != 1 || len(plan.PDFOnly) == 0 {
			t.Fatalf("plan: %d invoices, %d transfers, PDF only %v", plan.Invoices(), len(plan.Transfers), plan.PDFOnly)
		}
		var run finance.InvoiceRun
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			var err error
			run, err = c.IssueInvoiceRun(f.ctx, base.ID, domain.MustDate("2021-01-04"), plan.Fingerprint())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Invoices) != 8 || len(run.Transfers) != 1 || !run.Total().Equal(base.Total) || run.AllocationID != base.ID || run.CreatedBy != "ekonom@example.se" {
			t.Fatalf("run: %d documents, %d transfers, total %s", len(run.Invoices), len(run.Transfers), run.Total())
		}
		for i, inv := range run.Invoices {
			want := fmt.Sprintf("PRV-2021-%04d", i+1)
			if inv.Number != want || inv.Seq != i+1 || inv.Kind != finance.InvoiceKindInvoice || inv.Amount.String() != "101600" ||
				!finance.ValidOCR(inv.OCR, true) || inv.DueDate != domain.MustDate("2021-01-31") || inv.Status() != finance.InvoiceIssued ||
				inv.Buyer.Name != f.parties[i+1].Name || inv.Seller.Bankgiro != "5050-1055" || inv.Decision != "PRV § 42/2020" {
				t.Errorf("document %d = %+v", i, inv)
			}
		}
		if tr := run.Transfers[0]; tr.PartyName != "Region Jämtland Härjedalen" || tr.Amount.String() != "101600" || tr.LineText == "" {
			t.Errorf("transfer = %+v", tr)
		}
		bracke, _ := db.Conn().InvoiceByNumber(f.ctx, "prv-2021-0005")
		if bracke.Buyer.Name != "Bräcke kommun" || bracke.OCR != "2021000506" || len(bracke.EInvoiceGap()) != 3 {
			t.Errorf("Bräcke's invoice = %+v", bracke)
		}

		// The buyer on an issued invoice is a snapshot: a new address does not change it.
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.UpdatePartyDetails(f.ctx, bracke.PartyID, domain.PartyDetails{Address: "Ny väg 1\n840 60 Bräcke"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := db.Conn().InvoiceByNumber(f.ctx, bracke.Number); again.Buyer.Address != bracke.Buyer.Address {
			t.Errorf("the invoice's address followed the register: %q", again.Buyer.Address)
		}

		// The refund continues the same series with credit notes.
		refund := f.allocation(t, finance.AllocationRefund, "Återbetalning av överskott", "-52010.12", "-52010.11")
		rr, err := f.issue(refund.ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Invoices) != 8 || rr.Invoices[0].Number != "PRV-2021-0009" || rr.Invoices[7].Number != "PRV-2021-0016" ||
			rr.Invoices[0].Kind != finance.InvoiceKindCreditNote || rr.Invoices[0].OCR != "" || !rr.Invoices[0].Refund() ||
			rr.Transfers[0].Amount.String() != "-52010.12" || !rr.Total().Equal(refund.Total) {
			t.Errorf("refund run: %+v", rr)
		}
		runs, err := db.Conn().InvoiceRuns(f.ctx, f.cm.ID)
		if err != nil || len(runs) != 2 || runs[0].ID != rr.ID || len(runs[1].Invoices) != 8 {
			t.Errorf("runs = %d, %v", len(runs), err)
		}
		if got, ok, _ := db.Conn().RunOfAllocation(f.ctx, base.ID); !ok || got.ID != run.ID {
			t.Errorf("RunOfAllocation = %v, %v", got.ID, ok)
		}
		if years, _ := db.Conn().InvoiceYears(f.ctx, f.cm.ID); len(years) != 1 || years[0] != 2021 {
			t.Errorf("years = %v", years)
		}
	})
}

// TestIssueRunIsAllOrNothing kills a run between two documents: nothing of
// it may remain, and the numbers it took are given back, so the next run
// starts at 0001 with no gap.
func TestIssueRunIsAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		base := f.baseFunding(t)
		before := f.counts(t)
		fault := errors.New("the server was killed")
		store.SetAfterDocument(t, func(stored int) error {
			if stored == 3 {
				return fault
			}
			return nil
		})
		if _, err := f.issue(base.ID, "2021-01-04"); !errors.Is(err, fault) {
			t.Fatalf("issue with a fault after 3 documents: %v", err)
		}
		if after := f.counts(t); after != before {
			t.Fatalf("after the failed run: %s, before: %s", after, before)
		}
		store.SetAfterDocument(t, nil)
		run, err := f.issue(base.ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		for i, inv := range run.Invoices {
			if want := fmt.Sprintf("PRV-2021-%04d", i+1); inv.Number != want {
				t.Errorf("document %d is %s, want %s: the failed run left a gap", i, inv.Number, want)
			}
		}
	})
}

func TestIssueRunRefuses(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		issued := f.baseFunding(t)
		if _, err := f.issue(issued.ID, "2021-02-01"); err != nil {
			t.Fatal(err)
		}
		old := f.allocation(t, finance.AllocationProject, "Projekt A", "100", "100")
		correction := old
		correction.ID, correction.SupersedesID, correction.Shares[0].Amount = 0, old.ID, decimal.RequireFromString("200")
		correction.Total = correction.Sum()
		if err := db.InTx(f.ctx, func(c *store.Conn) error { _, err := c.CreateAllocation(f.ctx, correction); return err }); err != nil {
			t.Fatal(err)
		}
		unchanged := f.allocation(t, finance.AllocationProject, "Projekt B", "100", "100")
		noDecision := f.allocation(t, finance.AllocationProject, "Projekt C", "100", "100", func(a *finance.Allocation) { a.Decision = "" })
		broken := f.rawAllocation(t, 900, 100, 99) // cannot be saved through the store: the shares sum to 199
		ok := f.allocation(t, finance.AllocationProject, "Projekt D", "100", "100")

		// A stale preview is refused.
		err := db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.IssueInvoiceRun(f.ctx, unchanged.ID, domain.MustDate("2021-02-01"), "0123456789abcdef0123")
			return err
		})
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "ändrats sedan förhandsgranskningen") {
			t.Errorf("issuing with a stale fingerprint: %v", err)
		}

		for _, tt := range []struct {
			name       string
			allocation int64
			date       string
			before     func(t *testing.T)
			code       string
			want       string
		}{
			{"the same allocation twice", issued.ID, "2021-02-01", nil, domain.ECONFLICT, "redan fakturerad"},
			{"a superseded allocation", old.ID, "2021-02-01", nil, domain.ECONFLICT, "är ersatt av fördelning"},
			{"an unknown allocation", 999999, "2021-02-01", nil, domain.ENOTFOUND, "finns inte"},
			{"a date before the series' last", ok.ID, "2021-01-31", nil, domain.EINVALID, "redan en faktura daterad 2021-02-01"},
			{"no decision", noDecision.ID, "2021-02-01", nil, domain.ECONFLICT, "förslag utan beslut"},
			{"shares that do not sum", broken, "2021-02-01", nil, domain.EINVALID, "summerar till 199,00\u00a0kr men fördelningens belopp är 900,00\u00a0kr"},
			{"a party without an address", ok.ID, "2021-02-01", func(t *testing.T) {
				for _, i := range []int{2, 5} {
					if err := db.InTx(f.ctx, func(c *store.Conn) error {
						_, err := c.UpdatePartyDetails(f.ctx, f.parties[i].ID, domain.PartyDetails{})
						return err
					}); err != nil {
						t.Fatal(err)
					}
				}
			}, domain.ECONFLICT, "Åre kommun och Bräcke kommun saknar adress"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if tt.before != nil {
					tt.before(t)
				}
				before := f.counts(t)
				_, err := f.issue(tt.allocation, tt.date)
				if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.want) {
					t.Errorf("%v, want %s with %q", err, tt.code, tt.want)
				}
				if after := f.counts(t); after != before {
					t.Errorf("a refused run stored something: %s, before %s", after, before)
				}
			})
		}
	})
}

func TestIssueRunWithoutSettings(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
		f := &invoiceFixture{db: db, ctx: ctx}
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			host, err := c.PartyBySlug(ctx, "region-jh")
			if err != nil {
				return err
			}
			f.parties = []domain.Party{host}
			f.cm, err = c.CreateCommittee(ctx, domain.Committee{Code: "NYA", Name: "Ny nämnd", StartedOn: domain.MustDate("2021-01-01"), HostPartyID: host.ID})
			if err != nil {
				return err
			}
			return c.AddMembership(ctx, domain.Membership{CommitteeID: f.cm.ID, PartyID: host.ID, Position: 1, From: f.cm.StartedOn})
		})
		if err != nil {
			t.Fatal(err)
		}
		a := f.allocation(t, finance.AllocationDirect, "Tjänst", "100", "100")
		if _, err := f.issue(a.ID, "2021-02-01"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "inga faktureringsuppgifter") {
			t.Errorf("issue without settings: %v", err)
		}
	})
}

func TestConcurrentRuns(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		const n = 4
		allocations := make([]finance.Allocation, n)
		for i := range allocations {
			allocations[i] = f.allocation(t, finance.AllocationProject, fmt.Sprintf("Projekt %d", i), "10", "10")
		}
		var wg sync.WaitGroup
		errs := make([]error, 2*n)
		start := make(chan struct{})
		for i := range 2 * n { // every allocation twice at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.issue(allocations[i%n].ID, "2021-02-01")
			}()
		}
		close(start)
		wg.Wait()
		failed := 0
		for _, err := range errs {
			if err != nil {
				if domain.ErrorCode(err) != domain.ECONFLICT {
					t.Errorf("unexpected error: %v", err)
				}
				failed++
			}
		}
		if failed != n {
			t.Errorf("%d of %d runs failed, want exactly %d (each allocation once)", failed, 2*n, n)
		}
		list, err := db.Conn().Invoices(f.ctx, finance.InvoiceFilter{CommitteeID: f.cm.ID})
		if err != nil || len(list) != 8*n {
			t.Fatalf("%d documents, %v", len(list), err)
		}
		seqs := make([]int, len(list))
		for i, inv := range list {
			seqs[i] = inv.Seq
		}
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("numbers %v, want 1 … %d each once", seqs, 8*n)
			}
		}
	})
}

func TestPaymentsAndCreditNotes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		number := run.Invoices[4].Number // Bräcke's
		today := domain.MustDate("2021-02-15")
		pay := func(amount, on string) (finance.Invoice, error) {
			var inv finance.Invoice
			err := db.InTx(f.ctx, func(c *store.Conn) error {
				var err error
				inv, err = c.RegisterPayment(f.ctx, number, finance.Payment{Amount: decimal.RequireFromString(amount), PaidOn: domain.MustDate(on), Note: "Bankgiro"}, today)
				return err
			})
			return inv, err
		}
		credit := func(num, amount, reason string) (finance.Invoice, error) {
			var cn finance.Invoice
			err := db.InTx(f.ctx, func(c *store.Conn) error {
				var err error
				cn, err = c.CreditInvoice(f.ctx, num, decimal.RequireFromString(amount), reason, domain.MustDate("2021-02-01"))
				return err
			})
			return cn, err
		}
		inv, err := pay("50000", "2021-01-28")
		if err != nil {
			t.Fatal(err)
		}
		if inv.Status() != finance.InvoicePartlyPaid || inv.Open().String() != "51600" {
			t.Errorf("after a partial payment: %s, open %s", inv.Status(), inv.Open())
		}
		for _, tt := range []struct {
			name, amount string
			field        string
		}{
			{"larger than open", "51600.01", "amount"},
			{"negative", "-100", "amount"},
			{"zero", "0", "amount"},
		} {
			before := f.counts(t)
			_, err := pay(tt.amount, "2021-01-29")
			var e *domain.Error
			if !errors.As(err, &e) || e.Field != tt.field {
				t.Errorf("payment %s: %v", tt.name, err)
			}
			if after := f.counts(t); after != before {
				t.Errorf("a refused payment was stored: %s", after)
			}
		}
		before := f.counts(t)
		if _, err := credit(number, "51600.01", "Fel belopp"); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "högst det obetalda beloppet") {
			t.Errorf("credit for more than open: %v", err)
		}
		if _, err := credit(run.Invoices[0].Number, "-5", "Fel"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("negative credit: %v", err)
		}
		if after := f.counts(t); after != before {
			t.Errorf("a refused credit was stored: %s", after)
		}
		cn, err := credit(number, "1600", "Basfinansieringen sänkt")
		if err != nil {
			t.Fatal(err)
		}
		if cn.Number != "PRV-2021-0009" || cn.Kind != finance.InvoiceKindCreditNote || cn.CreditsNumber != number ||
			cn.CreditsIssueDate != domain.MustDate("2021-01-04") || cn.Buyer.Name != "Bräcke kommun" || cn.RunID == run.ID || cn.OCR != "" {
			t.Errorf("credit note = %+v", cn)
		}
		if _, err := credit(cn.Number, "1", "Fel"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("crediting a credit note: %v", err)
		}
		inv, err = pay("50000", "2021-02-10")
		if err != nil {
			t.Fatal(err)
		}
		if inv.Status() != finance.InvoicePaid || !inv.Open().IsZero() || inv.Credited.String() != "1600" {
			t.Errorf("after paying the rest: %s, open %s, credited %s", inv.Status(), inv.Open(), inv.Credited)
		}
		if _, err := pay("1", "2021-02-10"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("paying a paid invoice: %v", err)
		}
		payments, err := db.Conn().Payments(f.ctx, inv.ID)
		if err != nil || len(payments) != 2 || payments[1].Amount.String() != "50000" || payments[1].CreatedBy != "ekonom@example.se" {
			t.Errorf("payments = %+v, %v", payments, err)
		}
		notes, _ := db.Conn().CreditNotesOf(f.ctx, inv.ID)
		if len(notes) != 1 || notes[0].Number != cn.Number {
			t.Errorf("credit notes of %s = %v", number, notes)
		}
		// A whole invoice credited.
		whole, err := credit(run.Invoices[0].Number, "101600", "Fakturerad i fel nämnd")
		if err != nil {
			t.Fatal(err)
		}
		if credited, _ := db.Conn().InvoiceByNumber(f.ctx, whole.CreditsNumber); credited.Status() != finance.InvoiceCredited {
			t.Errorf("a fully credited invoice is %s", credited.Status())
		}
	})
}

func TestInvoiceListAndSent(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{run.Invoices[0].ID, run.Invoices[1].ID}
		mark := func(via string, ids ...int64) int {
			var n int
			if err := db.InTx(f.ctx, func(c *store.Conn) error {
				var err error
				n, err = c.MarkInvoicesSent(f.ctx, ids, via)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := mark(finance.SentViaPeppol, ids[0]); n != 1 {
			t.Errorf("marked %d", n)
		}
		if n := mark(finance.SentViaPost, ids...); n != 1 {
			t.Errorf("marking two, one already sent: %d", n)
		}
		// Opening a PDF or exporting an e-invoice is no channel to mark,
		// and e-mail is what GNS sends itself (ClaimInvoiceEmailed).
		for _, via := range []string{"pdf", "ubl", finance.SentViaEmail, "", "fax"} {
			err := db.InTx(f.ctx, func(c *store.Conn) error {
				_, err := c.MarkInvoicesSent(f.ctx, []int64{run.Invoices[2].ID}, via)
				return err
			})
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("marking sent via %q: %v, want invalid", via, err)
			}
		}
		first, _ := db.Conn().InvoiceByID(f.ctx, ids[0])
		if first.SentVia != finance.SentViaPeppol || first.SentLabel() != "Peppol" || first.SentBy != "ekonom@example.se" || first.Status() != finance.InvoiceSent {
			t.Errorf("the first send record was not kept: %+v", first)
		}
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.RegisterPayment(f.ctx, run.Invoices[2].Number, finance.Payment{Amount: decimal.NewFromInt(101600), PaidOn: domain.MustDate("2021-01-20")}, domain.MustDate("2021-03-01"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		bracke := f.parties[5]
		for _, tt := range []struct {
			name   string
			filter finance.InvoiceFilter
			want   int
		}{
			{"all", finance.InvoiceFilter{}, 8},
			{"the year", finance.InvoiceFilter{Year: 2021}, 8},
			{"another year", finance.InvoiceFilter{Year: 2020}, 0},
			{"one party", finance.InvoiceFilter{PartyIDs: []int64{bracke.ID}}, 1},
			{"no party", finance.InvoiceFilter{PartyIDs: []int64{}}, 0},
			{"sent", finance.InvoiceFilter{Status: finance.InvoiceSent}, 2},
			{"paid", finance.InvoiceFilter{Status: finance.InvoicePaid}, 1},
			{"overdue in February", finance.InvoiceFilter{Overdue: true, Today: domain.MustDate("2021-02-01")}, 7},
			{"overdue in January", finance.InvoiceFilter{Overdue: true, Today: domain.MustDate("2021-01-31")}, 0},
			{"credit notes", finance.InvoiceFilter{Kind: finance.InvoiceKindCreditNote}, 0},
			{"the run", finance.InvoiceFilter{RunID: run.ID}, 8},
		} {
			tt.filter.CommitteeID = f.cm.ID
			list, err := db.Conn().Invoices(f.ctx, tt.filter)
			if err != nil || len(list) != tt.want {
				t.Errorf("%s: %d documents, %v; want %d", tt.name, len(list), err, tt.want)
			}
		}
	})
}

// TestIssuedInvoicesNeverChange tries to change issued records behind the
// store's back: the triggers refuse everything but the status fields.
func TestIssuedInvoicesNeverChange(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		run, err := f.issue(f.baseFunding(t).ID, "2021-01-04")
		if err != nil {
			t.Fatal(err)
		}
		err = db.InTx(f.ctx, func(c *store.Conn) error {
			_, err := c.RegisterPayment(f.ctx, run.Invoices[0].Number, finance.Payment{Amount: decimal.NewFromInt(100), PaidOn: domain.MustDate("2021-01-20")}, domain.MustDate("2021-03-01"))
			if err == nil {
				_, err = c.MarkInvoicesSent(f.ctx, []int64{run.Invoices[0].ID}, finance.SentViaPost)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"UPDATE invoices SET amount_ore = 1",
			"UPDATE invoices SET buyer_address = 'Någon annanstans'",
			"UPDATE invoices SET number = number || 'X'",
			"UPDATE invoices SET issue_date = due_date",
			"UPDATE invoices SET paid_ore = 0",
			"UPDATE invoices SET sent_via = 'ubl' WHERE sent_at IS NOT NULL",
			"UPDATE invoices SET sent_channel = 'other' WHERE sent_at IS NOT NULL",
			"UPDATE invoices SET sent_channel = 'post' WHERE sent_at IS NULL",
			"UPDATE invoices SET sent_channel = 'fax', sent_at = created_at WHERE sent_at IS NULL",
			"DELETE FROM invoices",
			"UPDATE invoice_runs SET title = 'Ändrad'",
			"DELETE FROM invoice_runs",
			"UPDATE invoice_transfers SET amount_ore = 1",
			"DELETE FROM invoice_transfers",
			"UPDATE invoice_payments SET amount_ore = 1",
			"DELETE FROM invoice_payments",
			"UPDATE invoice_counters SET last_seq = 1",
			"DELETE FROM invoice_counters",
		} {
			if _, err := db.SQL().ExecContext(f.ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
		if _, err := db.SQL().ExecContext(f.ctx, "UPDATE invoices SET paid_ore = paid_ore + 1 WHERE paid_ore = 0 AND kind = 'invoice'"); err != nil {
			t.Errorf("the status fields cannot change: %v", err)
		}
	})
}
