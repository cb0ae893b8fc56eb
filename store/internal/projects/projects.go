// Package projects keeps a committee's projects (samverkansprojekt): their
// cost objects, key and participants over time, budgets, funding, the
// allocations that invoice them and their settlements.
package projects

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Projects holds the project methods, run on one connection. store.Conn
// embeds it, so callers reach them as methods of store.Conn.
type Projects struct{ db *sqlconn.Conn }

// New returns the project methods run on db.
func New(db *sqlconn.Conn) Projects { return Projects{db: db} }

type projectRow struct {
	ID             int64          `db:"id"`
	CommitteeID    int64          `db:"committee_id"`
	Name           string         `db:"name"`
	Description    string         `db:"description"`
	CaseID         sql.NullInt64  `db:"case_id"`
	Method         string         `db:"method"`
	HostShare      sql.NullString `db:"host_share"`
	PopulationDate sqlconn.Date   `db:"population_date"`
	Decision       string         `db:"decision"`
	ClosedOn       sqlconn.Date   `db:"closed_on"`
	CreatedAt      time.Time      `db:"created_at"`
	CreatedBy      string         `db:"created_by"`
}

func (r projectRow) domain() (finance.Project, error) {
	p := finance.Project{ID: r.ID, CommitteeID: r.CommitteeID, Name: r.Name, Description: r.Description, CaseID: r.CaseID.Int64,
		Method: r.Method, PopulationDate: domain.Date(r.PopulationDate), Decision: r.Decision, ClosedOn: domain.Date(r.ClosedOn),
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	if r.HostShare.Valid {
		d, err := decimal.NewFromString(r.HostShare.String)
		if err != nil {
			return finance.Project{}, fmt.Errorf("project %d host share: %w", r.ID, err)
		}
		p.HostShare = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	return p, nil
}

const projectColumns = `id, committee_id, name, description, case_id, method, host_share, population_date, decision, closed_on, created_at, created_by`

// CreateProject saves a new project with its cost objects. Its case, when
// given, must be one of the committee's; the name is unique in the
// committee.
func (c Projects) CreateProject(ctx context.Context, p finance.Project) (finance.Project, error) {
	if err := p.Validate(); err != nil {
		return finance.Project{}, err
	}
	if p.CaseID != 0 {
		cs, err := cases.New(c.db).CaseByID(ctx, p.CaseID)
		if err != nil || cs.CommitteeID != p.CommitteeID {
			return finance.Project{}, domain.FieldErrorf("case", "Ärendet finns inte i nämnden.")
		}
	}
	hostShare := sql.NullString{String: p.HostShare.Decimal.String(), Valid: p.HostShare.Valid}
	id, err := c.db.Insert(ctx, `INSERT INTO projects (committee_id, name, description, case_id, method, host_share, population_date, decision, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.CommitteeID, p.Name, p.Description, sqlconn.NullID(p.CaseID), p.Method, hostShare,
		sqlconn.Date(p.PopulationDate), p.Decision, c.db.Now(), domain.ActorFrom(ctx).Label)
	if sqlconn.IsUniqueViolation(err) {
		return finance.Project{}, domain.FieldErrorf("name", "Nämnden har redan ett projekt som heter %s.", p.Name)
	}
	if err != nil {
		return finance.Project{}, fmt.Errorf("create project: %w", err)
	}
	for _, o := range p.Objects {
		if _, err := c.db.Exec(ctx, `INSERT INTO project_objects (project_id, dimension, object, name) VALUES (?, ?, ?, ?)`,
			id, o.Dimension, o.Object, o.Name); err != nil {
			return finance.Project{}, fmt.Errorf("create project object: %w", err)
		}
	}
	saved, err := c.ProjectByID(ctx, id)
	if err != nil {
		return finance.Project{}, err
	}
	return saved, c.db.Audit(ctx, "create", "project", id, nil, auditOf(saved))
}

// auditOf is how a project appears in the audit trail.
func auditOf(p finance.Project) map[string]any {
	return map[string]any{"name": p.Name, "case_id": p.CaseID, "method": p.Method, "host_share": p.HostShare,
		"population_date": p.PopulationDate.String(), "decision": p.Decision, "objects": p.Objects, "closed_on": p.ClosedOn.String()}
}

// ProjectByID returns a project with its case number, cost objects and
// participants (earliest joined first, then in the committee's order), or
// ENOTFOUND.
func (c Projects) ProjectByID(ctx context.Context, id int64) (finance.Project, error) {
	var r projectRow
	err := c.db.Get(ctx, &r, `SELECT `+projectColumns+` FROM projects WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return finance.Project{}, domain.Errorf(domain.ENOTFOUND, "Projektet finns inte.")
	}
	if err != nil {
		return finance.Project{}, fmt.Errorf("read project: %w", err)
	}
	list, err := c.complete(ctx, []projectRow{r})
	if err != nil {
		return finance.Project{}, err
	}
	return list[0], nil
}

// Projects returns the committee's projects, by name.
func (c Projects) Projects(ctx context.Context, committeeID int64) ([]finance.Project, error) {
	var rows []projectRow
	if err := c.db.Select(ctx, &rows, `SELECT `+projectColumns+` FROM projects WHERE committee_id = ? ORDER BY name, id`, committeeID); err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	return c.complete(ctx, rows)
}

// PartyProjects returns the committee's projects the party takes or took
// part in, by name.
func (c Projects) PartyProjects(ctx context.Context, committeeID, partyID int64) ([]finance.Project, error) {
	var rows []projectRow
	if err := c.db.Select(ctx, &rows, `SELECT `+projectColumns+` FROM projects WHERE committee_id = ?
		AND id IN (SELECT project_id FROM project_participants WHERE party_id = ?) ORDER BY name, id`, committeeID, partyID); err != nil {
		return nil, fmt.Errorf("list party projects: %w", err)
	}
	return c.complete(ctx, rows)
}

// complete converts rows and adds each project's case number, objects and
// participants.
func (c Projects) complete(ctx context.Context, rows []projectRow) ([]finance.Project, error) {
	out := make([]finance.Project, 0, len(rows))
	for _, r := range rows {
		p, err := r.domain()
		if err != nil {
			return nil, err
		}
		if p.CaseID != 0 {
			cs, err := cases.New(c.db).CaseByID(ctx, p.CaseID)
			if err != nil {
				return nil, err
			}
			p.CaseNumber = cs.Number.String()
		}
		if err := c.db.Select(ctx, &p.Objects, `SELECT dimension AS "dimension", object AS "object", name AS "name"
			FROM project_objects WHERE project_id = ? ORDER BY dimension, object`, p.ID); err != nil {
			return nil, fmt.Errorf("read project objects: %w", err)
		}
		if p.Participants, err = c.participants(ctx, p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

type participantRow struct {
	ID         int64          `db:"id"`
	ProjectID  int64          `db:"project_id"`
	PartyID    int64          `db:"party_id"`
	PartyName  string         `db:"party_name"`
	PartySlug  string         `db:"party_slug"`
	Host       bool           `db:"host"`
	Order      sql.NullInt64  `db:"position"`
	Joined     sqlconn.Date   `db:"joined_on"`
	Left       sqlconn.Date   `db:"left_on"`
	KeyPercent sql.NullString `db:"key_percent"`
	Note       string         `db:"note"`
}

// participants reads a project's participants, earliest joined first, then
// in the committee's party order.
func (c Projects) participants(ctx context.Context, p finance.Project) ([]finance.Participant, error) {
	var rows []participantRow
	if err := c.db.Select(ctx, &rows, `SELECT pp.id, pp.project_id, pp.party_id, pa.name AS party_name, pa.slug AS party_slug,
		(cm.host_party_id IS NOT NULL AND cm.host_party_id = pp.party_id) AS host,
		(SELECT MIN(cp.position) FROM committee_parties cp WHERE cp.committee_id = cm.id AND cp.party_id = pp.party_id) AS position,
		pp.joined_on, pp.left_on, pp.key_percent, pp.note
		FROM project_participants pp JOIN parties pa ON pa.id = pp.party_id JOIN projects pr ON pr.id = pp.project_id
		JOIN committees cm ON cm.id = pr.committee_id
		WHERE pp.project_id = ? ORDER BY pp.joined_on, position, pp.id`, p.ID); err != nil {
		return nil, fmt.Errorf("read participants: %w", err)
	}
	out := make([]finance.Participant, len(rows))
	for i, r := range rows {
		out[i] = finance.Participant{ID: r.ID, ProjectID: r.ProjectID, PartyID: r.PartyID, PartyName: r.PartyName, PartySlug: r.PartySlug,
			Host: r.Host, Order: int(r.Order.Int64), Joined: domain.Date(r.Joined), Left: domain.Date(r.Left), Note: r.Note}
		if r.KeyPercent.Valid {
			d, err := decimal.NewFromString(r.KeyPercent.String)
			if err != nil {
				return nil, fmt.Errorf("participant %d key: %w", r.ID, err)
			}
			out[i].KeyPercent = decimal.NullDecimal{Decimal: d, Valid: true}
		}
	}
	return out, nil
}

// AddProjectParticipant records that a party of the committee joined the project
// (and, if given, when it left). A party takes part once at a time.
func (c Projects) AddProjectParticipant(ctx context.Context, pt finance.Participant) (finance.Participant, error) {
	p, err := c.ProjectByID(ctx, pt.ProjectID)
	if err != nil {
		return finance.Participant{}, err
	}
	var member int
	if err := c.db.Get(ctx, &member, `SELECT COUNT(*) FROM committee_parties WHERE committee_id = ? AND party_id = ?`, p.CommitteeID, pt.PartyID); err != nil {
		return finance.Participant{}, fmt.Errorf("add participant: %w", err)
	}
	if member == 0 {
		return finance.Participant{}, domain.FieldErrorf("party", "Parten är inte part i nämnden.")
	}
	if err := pt.Validate(p); err != nil {
		return finance.Participant{}, err
	}
	key := sql.NullString{String: pt.KeyPercent.Decimal.String(), Valid: pt.KeyPercent.Valid}
	id, err := c.db.Insert(ctx, `INSERT INTO project_participants (project_id, party_id, joined_on, left_on, key_percent, note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, pt.ProjectID, pt.PartyID, sqlconn.Date(pt.Joined), sqlconn.Date(pt.Left), key, pt.Note,
		c.db.Now(), domain.ActorFrom(ctx).Label)
	if err != nil {
		return finance.Participant{}, fmt.Errorf("add participant: %w", err)
	}
	pt.ID = id
	audit := map[string]any{"project_id": pt.ProjectID, "party_id": pt.PartyID, "joined": pt.Joined.String(), "left": pt.Left.String(), "key_percent": pt.KeyPercent}
	return pt, c.db.Audit(ctx, "join", "project_participant", id, nil, audit)
}

// EndProjectParticipation records the day a participant left the project. A
// leaving day once recorded is not changed.
func (c Projects) EndProjectParticipation(ctx context.Context, projectID, participantID int64, left domain.Date) (finance.Participant, error) {
	p, err := c.ProjectByID(ctx, projectID)
	if err != nil {
		return finance.Participant{}, err
	}
	for _, pt := range p.Participants {
		if pt.ID != participantID {
			continue
		}
		if !pt.Left.IsZero() {
			return finance.Participant{}, domain.Errorf(domain.ECONFLICT, "%s lämnade projektet redan %s.", pt.PartyName, pt.Left)
		}
		pt.Left = left
		if left.IsZero() {
			return finance.Participant{}, domain.FieldErrorf("left", "Ange dagen parten lämnade projektet.")
		}
		if err := pt.Validate(p); err != nil {
			return finance.Participant{}, err
		}
		if _, err := c.db.Exec(ctx, `UPDATE project_participants SET left_on = ? WHERE id = ? AND left_on IS NULL`, sqlconn.Date(left), pt.ID); err != nil {
			return finance.Participant{}, fmt.Errorf("end participation: %w", err)
		}
		return pt, c.db.Audit(ctx, "leave", "project_participant", pt.ID, map[string]string{"left": ""}, map[string]string{"left": left.String()})
	}
	return finance.Participant{}, domain.Errorf(domain.ENOTFOUND, "Deltagaren finns inte i projektet.")
}

// CloseProject records the day the project closed. Participants still in it
// leave on that day.
func (c Projects) CloseProject(ctx context.Context, projectID int64, day domain.Date) (finance.Project, error) {
	p, err := c.ProjectByID(ctx, projectID)
	if err != nil {
		return finance.Project{}, err
	}
	switch {
	case !p.ClosedOn.IsZero():
		return finance.Project{}, domain.Errorf(domain.ECONFLICT, "Projektet avslutades redan %s.", p.ClosedOn)
	case day.IsZero():
		return finance.Project{}, domain.FieldErrorf("closed_on", "Ange dagen projektet avslutades.")
	}
	for _, pt := range p.Participants {
		if pt.Left.IsZero() && day.Before(pt.Joined) {
			return finance.Project{}, domain.FieldErrorf("closed_on", "%s gick med %s, efter den dagen.", pt.PartyName, pt.Joined)
		}
	}
	if _, err := c.db.Exec(ctx, `UPDATE projects SET closed_on = ? WHERE id = ?`, sqlconn.Date(day), projectID); err != nil {
		return finance.Project{}, fmt.Errorf("close project: %w", err)
	}
	if _, err := c.db.Exec(ctx, `UPDATE project_participants SET left_on = ? WHERE project_id = ? AND left_on IS NULL`, sqlconn.Date(day), projectID); err != nil {
		return finance.Project{}, fmt.Errorf("close project: %w", err)
	}
	if err := c.db.Audit(ctx, "close", "project", projectID, nil, map[string]string{"closed_on": day.String()}); err != nil {
		return finance.Project{}, err
	}
	return c.ProjectByID(ctx, projectID)
}
