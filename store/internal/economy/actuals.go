package economy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// importDetails is what an import keeps of its file besides the amounts.
type importDetails struct {
	AccountNames    map[string]string `json:"account_names,omitempty"`
	ObjectNames     map[string]string `json:"object_names,omitempty"`
	BalanceAccounts []string          `json:"balance_accounts,omitempty"`
	Warnings        []string          `json:"warnings,omitempty"`
}

type importRow struct {
	ID          int64          `db:"id"`
	CommitteeID int64          `db:"committee_id"`
	Format      string         `db:"format"`
	FileName    string         `db:"file_name"`
	SHA256      string         `db:"sha256"`
	Size        int64          `db:"size"`
	Year        sql.NullInt64  `db:"year"`
	Company     string         `db:"company"`
	OrgNumber   string         `db:"org_number"`
	Through     sqlconn.Date   `db:"through"`
	Periods     string         `db:"periods"`
	Details     string         `db:"details_json"`
	Status      string         `db:"status"`
	CreatedAt   time.Time      `db:"created_at"`
	CreatedBy   string         `db:"created_by"`
	CommittedAt sql.NullTime   `db:"committed_at"`
	CommittedBy sql.NullString `db:"committed_by"`
	DiscardedAt sql.NullTime   `db:"discarded_at"`
	DiscardedBy string         `db:"discarded_by"`
}

const importSelect = `SELECT id, committee_id, format, file_name, sha256, size, year, company, org_number, through, periods,
	details_json, status, created_at, created_by, committed_at, committed_by, discarded_at, discarded_by FROM ledger_imports`

func (r importRow) domain() (finance.Import, error) {
	imp := finance.Import{ID: r.ID, CommitteeID: r.CommitteeID, Status: finance.ImportStatus(r.Status), CreatedAt: r.CreatedAt.UTC(),
		CreatedBy: r.CreatedBy, CommittedBy: r.CommittedBy.String,
		LedgerFile: finance.LedgerFile{Format: finance.LedgerFormat(r.Format), FileName: r.FileName, SHA256: r.SHA256, Size: r.Size,
			Year: int(r.Year.Int64), Company: r.Company, OrgNumber: r.OrgNumber, Through: domain.Date(r.Through)}}
	if r.CommittedAt.Valid {
		imp.CommittedAt = r.CommittedAt.Time.UTC()
	}
	if r.DiscardedAt.Valid {
		imp.DiscardedAt, imp.DiscardedBy = r.DiscardedAt.Time.UTC(), r.DiscardedBy
	}
	for _, p := range strings.Split(r.Periods, ",") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return imp, fmt.Errorf("import %d: period %q", r.ID, p)
		}
		imp.Periods = append(imp.Periods, finance.PeriodFromInt(n))
	}
	var d importDetails
	if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
		return imp, fmt.Errorf("import %d: details: %w", r.ID, err)
	}
	imp.AccountNames, imp.ObjectNames, imp.BalanceAccounts, imp.Warnings = d.AccountNames, d.ObjectNames, d.BalanceAccounts, d.Warnings
	return imp, nil
}

// SaveImport keeps a file read from the host's ledger, with its bytes and
// amounts, as a preview: nothing of it counts until CommitImport. The same
// file again (by SHA-256) gives back the import already kept for it, a
// committed one first, so uploading a file twice never doubles it; a
// discarded preview is not given back, the file gets a new one.
func (c Economy) SaveImport(ctx context.Context, committeeID int64, lf finance.LedgerFile, content []byte) (finance.Import, error) {
	if _, err := c.registry().CommitteeByID(ctx, committeeID); err != nil {
		return finance.Import{}, err
	}
	if len(lf.Periods) == 0 || lf.SHA256 == "" {
		return finance.Import{}, fmt.Errorf("save import: a file without periods or hash")
	}
	var existing []importRow
	if err := c.db.Select(ctx, &existing, importSelect+` WHERE committee_id = ? AND sha256 = ? AND discarded_at IS NULL ORDER BY status, id`, committeeID, lf.SHA256); err != nil {
		return finance.Import{}, fmt.Errorf("save import: %w", err)
	}
	if len(existing) > 0 { // 'committed' sorts before 'preview'
		return c.ImportByID(ctx, existing[0].ID)
	}
	lf.FileName = domain.SanitizeFileName(lf.FileName)
	periods := make([]string, len(lf.Periods))
	for i, p := range lf.Periods {
		periods[i] = strconv.Itoa(p.Int())
	}
	details, err := json.Marshal(importDetails{AccountNames: lf.AccountNames, ObjectNames: lf.ObjectNames, BalanceAccounts: lf.BalanceAccounts, Warnings: lf.Warnings})
	if err != nil {
		return finance.Import{}, fmt.Errorf("save import: %w", err)
	}
	year := sql.NullInt64{Int64: int64(lf.Year), Valid: lf.Year != 0}
	at, by := c.db.Now(), domain.ActorFrom(ctx).Label
	id, err := c.db.Insert(ctx, `INSERT INTO ledger_imports (committee_id, format, file_name, sha256, size, content, year, company, org_number,
		through, periods, details_json, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'preview', ?, ?)`,
		committeeID, string(lf.Format), lf.FileName, lf.SHA256, int64(len(content)), content, year, lf.Company, lf.OrgNumber,
		sqlconn.Date(lf.Through), strings.Join(periods, ","), string(details), at, by)
	if err != nil {
		return finance.Import{}, fmt.Errorf("save import: %w", err)
	}
	if err := c.insertAmounts(ctx, id, "outcome", lf.Outcome); err != nil {
		return finance.Import{}, err
	}
	if err := c.insertAmounts(ctx, id, "budget", lf.Budget); err != nil {
		return finance.Import{}, err
	}
	if err := c.db.Audit(ctx, "preview", "ledger_import", id, nil, map[string]any{"file": lf.FileName, "format": lf.Format,
		"sha256": lf.SHA256, "periods": periods, "amounts": len(lf.Outcome)}); err != nil {
		return finance.Import{}, err
	}
	return c.ImportByID(ctx, id)
}

// amountBatch is how many amounts one INSERT writes.
const amountBatch = 200

// insertAmounts writes an import's amounts in batches.
func (c Economy) insertAmounts(ctx context.Context, importID int64, kind string, list []finance.LedgerAmount) error {
	for start := 0; start < len(list); start += amountBatch {
		batch := list[start:min(start+amountBatch, len(list))]
		args := make([]any, 0, len(batch)*7)
		for _, a := range batch {
			ore, err := sqlconn.ToOre(a.Amount)
			if err != nil {
				return domain.Errorf(domain.EINVALID, "Konto %s, %s: %s", a.Account, a.Period, domain.ErrorMessage(err))
			}
			args = append(args, importID, kind, a.Period.Int(), a.Account, a.Dimension, a.Object, ore)
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
		if _, err := c.db.Exec(ctx, `INSERT INTO ledger_actuals (import_id, kind, period, account, dimension, object, amount_ore) VALUES `+values, args...); err != nil {
			if sqlconn.IsUniqueViolation(err) {
				return domain.Errorf(domain.EINVALID, "Filen har samma konto och period två gånger.")
			}
			return fmt.Errorf("save import amounts: %w", err)
		}
	}
	return nil
}

// ImportByID returns an import without its amounts, or ENOTFOUND; a
// committed import has the periods it took over.
func (c Economy) ImportByID(ctx context.Context, id int64) (finance.Import, error) {
	var r importRow
	err := c.db.Get(ctx, &r, importSelect+` WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.Import{}, domain.Errorf(domain.ENOTFOUND, "Importen finns inte.")
	}
	if err != nil {
		return finance.Import{}, fmt.Errorf("read import %d: %w", id, err)
	}
	imp, err := r.domain()
	if err != nil {
		return imp, err
	}
	var taken []struct {
		Period   int           `db:"period"`
		Replaces sql.NullInt64 `db:"replaces_id"`
	}
	if err := c.db.Select(ctx, &taken, `SELECT period, replaces_id FROM ledger_import_periods WHERE import_id = ? ORDER BY period`, id); err != nil {
		return imp, fmt.Errorf("read import %d: %w", id, err)
	}
	for _, t := range taken {
		ch := finance.PeriodChange{Period: finance.PeriodFromInt(t.Period), Change: finance.ChangeNew, Replaces: t.Replaces.Int64}
		if t.Replaces.Valid {
			ch.Change = finance.ChangeReplace
		}
		imp.Taken = append(imp.Taken, ch)
	}
	return imp, nil
}

// Imports lists a committee's imports, newest first, previews included.
func (c Economy) Imports(ctx context.Context, committeeID int64) ([]finance.Import, error) {
	var rows []importRow
	if err := c.db.Select(ctx, &rows, importSelect+` WHERE committee_id = ? ORDER BY id DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	return sqlconn.MapRowsErr(rows, importRow.domain)
}

// ImportContent returns the bytes of an imported file, as uploaded.
func (c Economy) ImportContent(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	if err := c.db.Get(ctx, &b, `SELECT content FROM ledger_imports WHERE id = ?`, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, domain.Errorf(domain.ENOTFOUND, "Importen finns inte.")
		}
		return nil, fmt.Errorf("read import %d: %w", id, err)
	}
	return b, nil
}

type amountRow struct {
	ImportID  int64  `db:"import_id"`
	Period    int    `db:"period"`
	Account   string `db:"account"`
	Dimension int    `db:"dimension"`
	Object    string `db:"object"`
	AmountOre int64  `db:"amount_ore"`
}

func (r amountRow) amount() finance.LedgerAmount {
	return finance.LedgerAmount{Period: finance.PeriodFromInt(r.Period), Account: r.Account, Dimension: r.Dimension, Object: r.Object, Amount: sqlconn.FromOre(r.AmountOre)}
}

// importAmounts returns an import's amounts of a kind (outcome or budget).
func (c Economy) importAmounts(ctx context.Context, importID int64, kind string) ([]amountRow, error) {
	var rows []amountRow
	if err := c.db.Select(ctx, &rows, `SELECT import_id, period, account, dimension, object, amount_ore FROM ledger_actuals
		WHERE import_id = ? AND kind = ? ORDER BY period, account, dimension, object`, importID, kind); err != nil {
		return nil, fmt.Errorf("read import amounts: %w", err)
	}
	return rows, nil
}

// currentImports returns the import in force for each period of a committee.
func (c Economy) currentImports(ctx context.Context, committeeID int64) (map[finance.Period]int64, error) {
	var rows []struct {
		Period   int   `db:"period"`
		ImportID int64 `db:"import_id"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT period, import_id FROM ledger_current WHERE committee_id = ?`, committeeID); err != nil {
		return nil, fmt.Errorf("read imports in force: %w", err)
	}
	out := make(map[finance.Period]int64, len(rows))
	for _, r := range rows {
		out[finance.PeriodFromInt(r.Period)] = r.ImportID
	}
	return out, nil
}

// fingerprint is a period's outcome as a comparable set of amounts.
func fingerprint(rows []amountRow, p finance.Period) map[string]int64 {
	out := map[string]int64{}
	for _, r := range rows {
		if r.Period == p.Int() {
			out[r.Account+"|"+strconv.Itoa(r.Dimension)+"|"+r.Object] = r.AmountOre
		}
	}
	return out
}

// fallOf tells whether a month's outcome falls to zero or by more than half
// when the amounts was are replaced by now, measured on the accounts as a
// whole (dimension 0) summed without sign, so that costs and revenue both
// count; it returns the fall and both sums in kronor.
func fallOf(was, now map[string]int64) (string, decimal.Decimal, decimal.Decimal) {
	sum := func(m map[string]int64) int64 {
		var n int64
		for k, v := range m {
			if !strings.HasSuffix(k, "|0|") {
				continue
			}
			if v < 0 {
				v = -v
			}
			n += v
		}
		return n
	}
	before, after := sum(was), sum(now)
	fall := ""
	switch {
	case before != 0 && after == 0:
		fall = finance.FallToZero
	case after*2 < before:
		fall = finance.FallHalf
	}
	return fall, sqlconn.FromOre(before), sqlconn.FromOre(after)
}

// heldPeriods lists, in order, the periods for which an import has at least
// one amount other than zero.
func heldPeriods(rows []amountRow) []finance.Period {
	var out []finance.Period
	for _, r := range rows {
		if r.AmountOre == 0 {
			continue
		}
		p := finance.PeriodFromInt(r.Period)
		if len(out) == 0 || out[len(out)-1] != p {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b finance.Period) int { return a.Int() - b.Int() })
	return out
}

func sameAmounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// PreviewImport shows what committing an import would do, computed now
// against the committee's mapping, the imports in force and the locked
// periods: the outcome per report row and period in the report's signs, the
// accounts no row takes, for each period whether it is new, replaces the
// import in force or is the same, and the problems that stop the commit (an
// unmapped account, a change to a locked period).
func (c Economy) PreviewImport(ctx context.Context, id int64) (finance.ImportPreview, error) {
	imp, err := c.ImportByID(ctx, id)
	if err != nil {
		return finance.ImportPreview{}, err
	}
	v := finance.ImportPreview{Import: imp, Totals: map[int64]map[finance.Period]decimal.Decimal{}}
	if v.Rows, err = c.ReportRows(ctx, imp.CommitteeID); err != nil {
		return v, err
	}
	m, err := c.AccountMapping(ctx, imp.CommitteeID)
	if err != nil {
		return v, err
	}
	amounts, err := c.importAmounts(ctx, id, "outcome")
	if err != nil {
		return v, err
	}
	unmapped := map[string]decimal.Decimal{}
	for _, a := range amounts {
		if a.Dimension != 0 || a.Object != "" {
			continue
		}
		amount := sqlconn.FromOre(a.AmountOre).Neg() // report sign
		row, n := m.RowOf(a.Account)
		if n != 1 {
			unmapped[a.Account] = unmapped[a.Account].Add(amount)
			continue
		}
		p := finance.PeriodFromInt(a.Period)
		if v.Totals[row] == nil {
			v.Totals[row] = map[finance.Period]decimal.Decimal{}
		}
		v.Totals[row][p] = v.Totals[row][p].Add(amount)
	}
	for _, r := range v.Rows {
		if !r.IsTotal() {
			continue
		}
		v.Totals[r.ID] = map[finance.Period]decimal.Decimal{}
		for _, d := range v.Rows {
			if r.Sums(d) {
				for p, amount := range v.Totals[d.ID] {
					v.Totals[r.ID][p] = v.Totals[r.ID][p].Add(amount)
				}
			}
		}
	}
	for account, total := range unmapped {
		v.Unmapped = append(v.Unmapped, finance.UnmappedAccount{Account: account, Name: imp.AccountNames[account], Total: total})
	}
	slices.SortFunc(v.Unmapped, func(a, b finance.UnmappedAccount) int { return strings.Compare(a.Account, b.Account) })
	for _, u := range v.Unmapped {
		name := u.Account
		if u.Name != "" {
			name += " " + u.Name
		}
		v.Problems = append(v.Problems, fmt.Sprintf("Kontot %s hör inte till någon rad i kontoplanen. Lägg till det under Kontoplan och förhandsgranska igen.", name))
	}
	v.Held = heldPeriods(amounts)
	if err := c.periodChanges(ctx, &v, amounts); err != nil {
		return v, err
	}
	if err := c.importWarnings(ctx, &v); err != nil {
		return v, err
	}
	if imp.Status == finance.ImportStatusPreview {
		var dup []importRow
		if err := c.db.Select(ctx, &dup, importSelect+` WHERE committee_id = ? AND sha256 = ? AND status = 'committed'`, imp.CommitteeID, imp.SHA256); err != nil {
			return v, fmt.Errorf("preview import: %w", err)
		}
		if len(dup) > 0 {
			d, err := dup[0].domain()
			if err != nil {
				return v, err
			}
			v.Duplicate = &d
		}
	}
	return v, nil
}

// periodChanges fills in what the import does to each period it covers, and
// the locked periods it would change as problems. A committed import shows
// what it did.
func (c Economy) periodChanges(ctx context.Context, v *finance.ImportPreview, amounts []amountRow) error {
	imp := v.Import
	if imp.Status == finance.ImportStatusCommitted {
		v.Changes = imp.Taken
		return nil
	}
	current, err := c.currentImports(ctx, imp.CommitteeID)
	if err != nil {
		return err
	}
	locked := map[int]finance.Period{}
	inForce := map[int64][]amountRow{}
	for _, p := range imp.Periods {
		if _, ok := locked[p.Year]; !ok {
			if locked[p.Year], err = c.LockedThrough(ctx, imp.CommitteeID, p.Year); err != nil {
				return err
			}
		}
		ch := finance.PeriodChange{Period: p, Change: finance.ChangeNew}
		ch.Locked = !locked[p.Year].IsZero() && !locked[p.Year].Before(p)
		if cur, ok := current[p]; ok {
			if _, read := inForce[cur]; !read {
				if inForce[cur], err = c.importAmounts(ctx, cur, "outcome"); err != nil {
					return err
				}
			}
			ch.Change, ch.Replaces = finance.ChangeReplace, cur
			now, was := fingerprint(amounts, p), fingerprint(inForce[cur], p)
			if sameAmounts(now, was) {
				ch.Change = finance.ChangeSame
			} else {
				ch.Fall, ch.Before, ch.After = fallOf(was, now)
			}
		}
		if ch.Fall != "" {
			v.Falls = append(v.Falls, ch)
		}
		if ch.Locked && ch.Change != finance.ChangeSame {
			v.Problems = append(v.Problems, fmt.Sprintf("Perioden %s är låst eftersom rapporten per %s är fastställd, och filen har andra siffror för den. Inget läses in.", p, locked[p.Year]))
		}
		v.Changes = append(v.Changes, ch)
	}
	return nil
}

// importWarnings notes what the economist should look at but which does not
// stop the import.
func (c Economy) importWarnings(ctx context.Context, v *finance.ImportPreview) error {
	imp := v.Import
	if imp.OrgNumber != "" {
		cm, err := c.registry().CommitteeByID(ctx, imp.CommitteeID)
		if err != nil {
			return err
		}
		if cm.HostPartyID != 0 {
			host, err := c.registry().PartyByID(ctx, cm.HostPartyID)
			if err != nil {
				return err
			}
			fileOrg, err := domain.ParseOrgNumber(imp.OrgNumber)
			if err != nil {
				fileOrg = imp.OrgNumber
			}
			if host.OrgNumber != "" && fileOrg != host.OrgNumber {
				v.Warnings = append(v.Warnings, fmt.Sprintf("Filen gäller organisationsnummer %s (%s), men nämndens värdpart %s har %s.", imp.OrgNumber, imp.Company, host.Name, host.OrgNumber))
			}
		}
	}
	v.Warnings = append(v.Warnings, imp.Warnings...)
	if len(imp.BalanceAccounts) > 0 {
		v.Warnings = append(v.Warnings, "Balanskontona "+strings.Join(imp.BalanceAccounts, ", ")+" ingår inte i resultatrapporten och läses inte in.")
	}
	var budgetRows int
	if err := c.db.Get(ctx, &budgetRows, `SELECT COUNT(*) FROM ledger_actuals WHERE import_id = ? AND kind = 'budget'`, imp.ID); err != nil {
		return fmt.Errorf("preview import: %w", err)
	}
	if budgetRows > 0 && imp.Status == finance.ImportStatusPreview {
		v.Warnings = append(v.Warnings, "Filen har budget (#PBUDGET). Den kan sparas som en ny budgetversion när importen läses in.")
	}
	return nil
}

// CommitImport is CommitImportConfirmed without the confirmation of falls:
// an import that would replace a month's outcome with zero, or with less
// than half, is refused.
func (c Economy) CommitImport(ctx context.Context, id int64) (finance.Import, error) {
	return c.CommitImportConfirmed(ctx, id, false)
}

// CommitImportConfirmed makes an import the one in force for every period
// where it changes the figures; the imports it replaces stay, with the
// history of which import took over which period. An import with problems
// (an unmapped account, a change to a locked period) is refused whole, and
// so is a file that is already committed or a discarded preview. An import
// that would replace a month's outcome with zero or with less than half
// (ImportPreview.Falls) is refused unless fallsConfirmed (EINVALID on the
// field confirm_falls, naming the months).
func (c Economy) CommitImportConfirmed(ctx context.Context, id int64, fallsConfirmed bool) (finance.Import, error) {
	imp, err := c.ImportByID(ctx, id)
	if err != nil {
		return finance.Import{}, err
	}
	if err := c.lockEconomy(ctx, imp.CommitteeID); err != nil {
		return finance.Import{}, err
	}
	v, err := c.PreviewImport(ctx, id)
	if err != nil {
		return finance.Import{}, err
	}
	switch {
	case imp.Status == finance.ImportStatusCommitted:
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Importen %d är redan inläst.", id)
	case imp.Discarded():
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Importen %d är kasserad och kan inte läsas in. Ladda upp filen igen om den ska läsas in.", id)
	case v.Duplicate != nil:
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Filen är redan inläst som import %d. Inget läses in en gång till.", v.Duplicate.ID)
	case len(v.Problems) > 0:
		return finance.Import{}, domain.Errorf(domain.EINVALID, "Importen kan inte läsas in: %s", strings.Join(v.Problems, " "))
	case len(v.Falls) > 0 && !fallsConfirmed:
		var months []string
		for _, ch := range v.Falls {
			months = append(months, ch.FallText())
		}
		return finance.Import{}, domain.FieldErrorf("confirm_falls", "Importen minskar utfallet kraftigt: %s Bekräfta att det är avsikten innan importen läses in.", strings.Join(months, " "))
	}
	at, by := c.db.Now(), domain.ActorFrom(ctx).Label
	if _, err := c.db.Exec(ctx, `UPDATE ledger_imports SET status = 'committed', committed_at = ?, committed_by = ? WHERE id = ? AND status = 'preview' AND discarded_at IS NULL`, at, by, id); err != nil {
		if sqlconn.IsUniqueViolation(err) {
			return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Filen är redan inläst.")
		}
		return finance.Import{}, fmt.Errorf("commit import %d: %w", id, err)
	}
	var changed []string
	for _, ch := range v.Changes {
		if ch.Change == finance.ChangeSame {
			continue
		}
		replaces := sql.NullInt64{Int64: ch.Replaces, Valid: ch.Replaces != 0}
		if _, err := c.db.Exec(ctx, `INSERT INTO ledger_import_periods (import_id, period, replaces_id) VALUES (?, ?, ?)`, id, ch.Period.Int(), replaces); err != nil {
			return finance.Import{}, fmt.Errorf("commit import %d: %w", id, err)
		}
		if _, err := c.db.Exec(ctx, `INSERT INTO ledger_current (committee_id, period, import_id) VALUES (?, ?, ?)
			ON CONFLICT (committee_id, period) DO UPDATE SET import_id = excluded.import_id`, imp.CommitteeID, ch.Period.Int(), id); err != nil {
			return finance.Import{}, fmt.Errorf("commit import %d: %w", id, err)
		}
		changed = append(changed, ch.Period.String()+" "+ch.Label())
	}
	if err := c.db.Audit(ctx, "commit", "ledger_import", id, nil, map[string]any{"file": imp.FileName, "sha256": imp.SHA256, "periods": changed}); err != nil {
		return finance.Import{}, err
	}
	return c.ImportByID(ctx, id)
}

// DiscardImport discards a preview the economist will not commit: it stays,
// with who discarded it and when, but is never committed, and the same file
// uploaded again gets a new preview. A committed import, or one already
// discarded, is refused (ECONFLICT).
func (c Economy) DiscardImport(ctx context.Context, id int64) (finance.Import, error) {
	imp, err := c.ImportByID(ctx, id)
	if err != nil {
		return finance.Import{}, err
	}
	switch {
	case imp.Status == finance.ImportStatusCommitted:
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Importen %d är inläst och kan inte kasseras.", id)
	case imp.Discarded():
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Importen %d är redan kasserad.", id)
	}
	res, err := c.db.Exec(ctx, `UPDATE ledger_imports SET discarded_at = ?, discarded_by = ? WHERE id = ? AND status = 'preview' AND discarded_at IS NULL`,
		c.db.Now(), domain.ActorFrom(ctx).Label, id)
	if err != nil {
		return finance.Import{}, fmt.Errorf("discard import %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return finance.Import{}, domain.Errorf(domain.ECONFLICT, "Importen ändrades av någon annan under tiden. Ladda om sidan.")
	}
	if err := c.db.Audit(ctx, "discard", "ledger_import", id, nil, map[string]any{"file": imp.FileName, "sha256": imp.SHA256}); err != nil {
		return finance.Import{}, err
	}
	return c.ImportByID(ctx, id)
}

// OutcomeByAccount sums the outcome in force of each account over the months
// from..to, for the account as a whole, in the ledger's signs.
func (c Economy) OutcomeByAccount(ctx context.Context, committeeID int64, from, to finance.Period) (map[string]decimal.Decimal, error) {
	var rows []struct {
		Account string `db:"account"`
		Ore     int64  `db:"ore"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT a.account, SUM(a.amount_ore) AS ore FROM ledger_current lc
		JOIN ledger_actuals a ON a.import_id = lc.import_id AND a.period = lc.period
		WHERE lc.committee_id = ? AND lc.period BETWEEN ? AND ? AND a.kind = 'outcome' AND a.dimension = 0 AND a.object = ''
		GROUP BY a.account`, committeeID, from.Int(), to.Int()); err != nil {
		return nil, fmt.Errorf("sum outcome: %w", err)
	}
	out := make(map[string]decimal.Decimal, len(rows))
	for _, r := range rows {
		out[r.Account] = sqlconn.FromOre(r.Ore)
	}
	return out, nil
}

// OutcomeByObject sums the outcome in force per account and cost object over
// the months from..to, in the ledger's signs.
func (c Economy) OutcomeByObject(ctx context.Context, committeeID int64, from, to finance.Period) ([]finance.LedgerAmount, error) {
	var rows []amountRow
	if err := c.db.Select(ctx, &rows, `SELECT 0 AS import_id, 0 AS period, a.account, a.dimension, a.object, SUM(a.amount_ore) AS amount_ore
		FROM ledger_current lc JOIN ledger_actuals a ON a.import_id = lc.import_id AND a.period = lc.period
		WHERE lc.committee_id = ? AND lc.period BETWEEN ? AND ? AND a.kind = 'outcome' AND a.object <> ''
		GROUP BY a.account, a.dimension, a.object ORDER BY a.dimension, a.object, a.account`, committeeID, from.Int(), to.Int()); err != nil {
		return nil, fmt.Errorf("sum outcome per object: %w", err)
	}
	out := make([]finance.LedgerAmount, len(rows))
	for i, r := range rows {
		out[i] = r.amount()
		out[i].Period = finance.Period{}
	}
	return out, nil
}

// CoveredPeriods returns the months from..to that have an import in force.
func (c Economy) CoveredPeriods(ctx context.Context, committeeID int64, from, to finance.Period) ([]finance.Period, error) {
	var list []int
	if err := c.db.Select(ctx, &list, `SELECT period FROM ledger_current WHERE committee_id = ? AND period BETWEEN ? AND ? ORDER BY period`,
		committeeID, from.Int(), to.Int()); err != nil {
		return nil, fmt.Errorf("read covered periods: %w", err)
	}
	out := make([]finance.Period, len(list))
	for i, n := range list {
		out[i] = finance.PeriodFromInt(n)
	}
	return out, nil
}

// objectNames returns the names the committed imports give the cost
// objects, the latest import's name winning.
func (c Economy) objectNames(ctx context.Context, committeeID int64) (map[string]string, error) {
	var details []string
	if err := c.db.Select(ctx, &details, `SELECT details_json FROM ledger_imports WHERE committee_id = ? AND status = 'committed' ORDER BY id`, committeeID); err != nil {
		return nil, fmt.Errorf("read object names: %w", err)
	}
	out := map[string]string{}
	for _, s := range details {
		var d importDetails
		if err := json.Unmarshal([]byte(s), &d); err != nil {
			return nil, fmt.Errorf("read object names: %w", err)
		}
		for k, v := range d.ObjectNames {
			out[k] = v
		}
	}
	return out, nil
}

// ImportBudgetYears returns the years an import has budget (#PBUDGET) for.
func (c Economy) ImportBudgetYears(ctx context.Context, importID int64) ([]int, error) {
	var periods []int
	if err := c.db.Select(ctx, &periods, `SELECT DISTINCT period FROM ledger_actuals WHERE import_id = ? AND kind = 'budget' ORDER BY period`, importID); err != nil {
		return nil, fmt.Errorf("read import budget years: %w", err)
	}
	var years []int
	for _, p := range periods {
		if y := p / 100; !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	return years, nil
}
