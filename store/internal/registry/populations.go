package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type populationRow struct {
	ID               int64         `db:"id"`
	PartyID          int64         `db:"party_id"`
	ReferenceDate    sqlconn.Date  `db:"reference_date"`
	Inhabitants      int64         `db:"inhabitants"`
	Source           string        `db:"source"`
	RecordedAt       time.Time     `db:"recorded_at"`
	RecordedBy       string        `db:"recorded_by_label"`
	CorrectionReason string        `db:"correction_reason"`
	CorrectedAt      sql.NullTime  `db:"corrected_at"`
	SupersededBy     sql.NullInt64 `db:"superseded_by"`
}

const populationColumns = `id, party_id, reference_date, inhabitants, source, recorded_at, recorded_by_label,
	correction_reason, corrected_at, superseded_by`

func (r populationRow) domain() domain.PopulationRecord {
	return domain.PopulationRecord{
		Population: domain.Population{
			PartyID: r.PartyID, ReferenceDate: domain.Date(r.ReferenceDate), Inhabitants: r.Inhabitants, Source: r.Source,
		},
		ID: r.ID, RecordedAt: r.RecordedAt.UTC(), RecordedBy: r.RecordedBy, CorrectionReason: r.CorrectionReason,
		CorrectedAt: r.CorrectedAt.Time.UTC(), SupersededBy: r.SupersededBy.Int64,
	}
}

// checkCorrectionReason trims and checks the reason given for a correction.
func checkCorrectionReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if err := domain.CheckText("correction_reason", "Anledningen", reason, domain.MaxCorrectionLength); err != nil {
		return "", err
	}
	return reason, nil
}

// RecordPopulation records a party's population figure on a reference date.
// When the party has no figure for that date, the figure is added. When it
// has the same figure from the same source, nothing changes and changed is
// false. When it has another, the new figure is a correction: it needs a
// reason (without one the answer is ECONFLICT, naming the figure in force),
// and the earlier figure stays in the history, marked as superseded.
func (c Registry) RecordPopulation(ctx context.Context, p domain.Population, reason string) (rec domain.PopulationRecord, changed bool, err error) {
	p.Source = strings.TrimSpace(p.Source)
	if err := p.Validate(); err != nil {
		return rec, false, err
	}
	if reason, err = checkCorrectionReason(reason); err != nil {
		return rec, false, err
	}
	if _, err := c.PartyByID(ctx, p.PartyID); err != nil {
		return rec, false, err
	}
	current, found, err := c.currentPopulation(ctx, p.PartyID, p.ReferenceDate)
	if err != nil {
		return rec, false, err
	}
	switch {
	case found && current.Inhabitants == p.Inhabitants && current.Source == p.Source:
		return current, false, nil
	case found && reason == "":
		return rec, false, domain.Errorf(domain.ECONFLICT,
			"Parten har redan invånarantalet %d per %s (källa: %s). Ange en anledning till rättelsen för att ersätta det; det tidigare värdet sparas i historiken.",
			current.Inhabitants, current.ReferenceDate, current.Source)
	case !found:
		reason = ""
	}
	var old *domain.PopulationRecord
	if found {
		old = &current
	}
	rec, err = c.insertPopulation(ctx, p, reason, old)
	return rec, err == nil, err
}

// currentPopulation returns the figure in force for a party and date.
func (c Registry) currentPopulation(ctx context.Context, partyID int64, date domain.Date) (domain.PopulationRecord, bool, error) {
	var r populationRow
	err := c.db.Get(ctx, &r, "SELECT "+populationColumns+` FROM populations
		WHERE party_id = ? AND reference_date = ? AND corrected_at IS NULL`, partyID, sqlconn.Date(date))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.PopulationRecord{}, false, nil
	}
	if err != nil {
		return domain.PopulationRecord{}, false, fmt.Errorf("read population: %w", err)
	}
	return r.domain(), true, nil
}

// insertPopulation stores a checked figure; when old is set, the new figure
// supersedes it. The old row is first marked corrected, so the new one can be
// the single current figure, then pointed at its successor.
func (c Registry) insertPopulation(ctx context.Context, p domain.Population, reason string, old *domain.PopulationRecord) (domain.PopulationRecord, error) {
	at := c.db.Now()
	if old != nil {
		if _, err := c.db.Exec(ctx, `UPDATE populations SET corrected_at = ? WHERE id = ?`, at, old.ID); err != nil {
			return domain.PopulationRecord{}, fmt.Errorf("mark population corrected: %w", err)
		}
	}
	a := domain.ActorFrom(ctx)
	by := sql.NullInt64{Int64: a.UserID, Valid: a.UserID != 0}
	id, err := c.db.Insert(ctx, `INSERT INTO populations (party_id, reference_date, inhabitants, source, recorded_at, recorded_by, recorded_by_label, correction_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.PartyID, sqlconn.Date(p.ReferenceDate), p.Inhabitants, p.Source, at, by, a.Label, reason)
	if sqlconn.IsUniqueViolation(err) {
		return domain.PopulationRecord{}, domain.Errorf(domain.ECONFLICT, "Någon annan registrerade ett invånarantal för samma part och datum nyss. Ladda om sidan och försök igen.")
	}
	if err != nil {
		return domain.PopulationRecord{}, fmt.Errorf("record population: %w", err)
	}
	rec := domain.PopulationRecord{Population: p, ID: id, RecordedAt: at, RecordedBy: a.Label, CorrectionReason: reason}
	if old == nil {
		return rec, c.db.Audit(ctx, "create", "population", id, nil, rec)
	}
	if _, err := c.db.Exec(ctx, `UPDATE populations SET superseded_by = ? WHERE id = ?`, id, old.ID); err != nil {
		return domain.PopulationRecord{}, fmt.Errorf("supersede population: %w", err)
	}
	return rec, c.db.Audit(ctx, "correct", "population", id, old, rec)
}

// PopulationHistory returns every figure ever recorded for the party, the
// latest reference date first and, within a date, the figure in force before
// the ones it replaced.
func (c Registry) PopulationHistory(ctx context.Context, partyID int64) ([]domain.PopulationRecord, error) {
	var rows []populationRow
	err := c.db.Select(ctx, &rows, "SELECT "+populationColumns+` FROM populations WHERE party_id = ?
		ORDER BY reference_date DESC, id DESC`, partyID)
	if err != nil {
		return nil, fmt.Errorf("population history: %w", err)
	}
	return sqlconn.MapRows(rows, populationRow.domain), nil
}

// PopulationTable returns the population of the committee's parties on a
// reference date: the parties that are members on that date, in the
// committee's order, each with its figure in force and its share.
func (c Registry) PopulationTable(ctx context.Context, cm domain.Committee, date domain.Date) (domain.PopulationTable, error) {
	parties, err := c.activeParties(ctx, cm.ID, date)
	if err != nil {
		return domain.PopulationTable{}, err
	}
	var rows []populationRow
	err = c.db.Select(ctx, &rows, "SELECT "+populationColumns+` FROM populations
		WHERE reference_date = ? AND corrected_at IS NULL
		AND party_id IN (SELECT party_id FROM committee_parties WHERE committee_id = ?)`, sqlconn.Date(date), cm.ID)
	if err != nil {
		return domain.PopulationTable{}, fmt.Errorf("population table: %w", err)
	}
	figures := make(map[int64]domain.PopulationRecord, len(rows))
	for _, r := range rows {
		figures[r.PartyID] = r.domain()
	}
	return domain.NewPopulationTable(cm, date, parties, figures), nil
}

// PopulationDates lists the reference dates for which any of the committee's
// parties has a figure, the latest first.
func (c Registry) PopulationDates(ctx context.Context, committeeID int64) ([]domain.Date, error) {
	var raw []sqlconn.Date
	err := c.db.Select(ctx, &raw, `SELECT DISTINCT reference_date FROM populations
		WHERE corrected_at IS NULL AND party_id IN (SELECT party_id FROM committee_parties WHERE committee_id = ?)
		ORDER BY reference_date DESC`, committeeID)
	if err != nil {
		return nil, fmt.Errorf("population dates: %w", err)
	}
	return sqlconn.MapRows(raw, func(d sqlconn.Date) domain.Date { return domain.Date(d) }), nil
}

// ImportResult counts what a population import did.
type ImportResult struct {
	Added, Corrected, Unchanged int
}

// ImportPopulations records the figures of a population file for the
// committee's parties, all or nothing. Each line's party is found among the
// parties that are or have been members of the committee, by slug, kommunkod,
// organisation number or name. A line for a party and date that already have
// the same figure changes nothing; another figure is a correction, allowed
// only when reason is given. Every line is checked before anything is
// written: when any is bad, the result is a *domain.ImportError naming each
// bad line, and nothing is stored.
func (c Registry) ImportPopulations(ctx context.Context, cm domain.Committee, lines []domain.PopulationLine, reason string) (ImportResult, error) {
	plan, err := c.planImport(ctx, cm, lines, reason)
	if err != nil {
		return ImportResult{}, err
	}
	if len(plan.bad) > 0 {
		return ImportResult{}, &domain.ImportError{Lines: plan.bad}
	}
	res := ImportResult{Unchanged: plan.unchanged}
	for _, t := range plan.writes {
		r := ""
		if t.old != nil {
			r = plan.reason
			res.Corrected++
		} else {
			res.Added++
		}
		if _, err := c.insertPopulation(ctx, t.pop, r, t.old); err != nil {
			return ImportResult{}, err
		}
	}
	return res, nil
}

// CheckPopulationLines checks lines of a population file as ImportPopulations
// does, writing nothing, and returns the bad ones. It lets a file whose other
// lines are malformed be reported in full at once.
func (c Registry) CheckPopulationLines(ctx context.Context, cm domain.Committee, lines []domain.PopulationLine, reason string) ([]domain.LineError, error) {
	plan, err := c.planImport(ctx, cm, lines, reason)
	return plan.bad, err
}

// importPlan is what an import will do: the figures to write, the lines that
// change nothing, and the bad lines.
type importPlan struct {
	reason    string
	writes    []importWrite
	unchanged int
	bad       []domain.LineError
}

type importWrite struct {
	pop domain.Population
	old *domain.PopulationRecord
}

// planImport resolves and checks every line of an import against the
// committee's parties and the figures in force.
func (c Registry) planImport(ctx context.Context, cm domain.Committee, lines []domain.PopulationLine, reason string) (importPlan, error) {
	var plan importPlan
	var err error
	if plan.reason, err = checkCorrectionReason(reason); err != nil {
		return plan, err
	}
	parties, err := c.CommitteeParties(ctx, cm.ID)
	if err != nil {
		return plan, err
	}
	byKey := map[string]domain.Party{}
	for _, mp := range parties {
		p := mp.Party
		for _, k := range []string{p.Slug, p.MunicipalityCode, p.OrgNumber, strings.ReplaceAll(p.OrgNumber, "-", ""), p.Name} {
			if k != "" {
				byKey[domain.FoldSwedish(k)] = p
			}
		}
	}
	bad := func(line int, format string, args ...any) {
		plan.bad = append(plan.bad, domain.LineError{Line: line, Message: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	for _, l := range lines {
		if err := l.Population.Validate(); err != nil {
			bad(l.Line, "%s", domain.ErrorMessage(err))
			continue
		}
		p, ok := byKey[domain.FoldSwedish(l.Party)]
		if !ok {
			bad(l.Line, "Parten %q finns inte i nämnden %s. Ange kortnamn, kommunkod, organisationsnummer eller namn.", l.Party, cm.Code)
			continue
		}
		key := fmt.Sprintf("%d|%s", p.ID, l.ReferenceDate)
		if first, dup := seen[key]; dup {
			bad(l.Line, "%s per %s finns redan på rad %d.", p.Name, l.ReferenceDate, first)
			continue
		}
		seen[key] = l.Line
		pop := l.Population
		pop.PartyID = p.ID
		current, found, err := c.currentPopulation(ctx, p.ID, pop.ReferenceDate)
		if err != nil {
			return plan, err
		}
		switch {
		case found && current.Inhabitants == pop.Inhabitants && current.Source == pop.Source:
			plan.unchanged++
		case found && plan.reason == "":
			bad(l.Line, "%s har redan invånarantalet %d per %s (källa: %s). Ange en anledning till rättelse för att ersätta det.",
				p.Name, current.Inhabitants, current.ReferenceDate, current.Source)
		case found:
			plan.writes = append(plan.writes, importWrite{pop, &current})
		default:
			plan.writes = append(plan.writes, importWrite{pop, nil})
		}
	}
	return plan, nil
}
