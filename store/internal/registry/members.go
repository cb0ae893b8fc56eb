package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type memberRow struct {
	ID              int64          `db:"id"`
	CommitteeID     int64          `db:"committee_id"`
	Name            string         `db:"name"`
	PoliticalParty  string         `db:"political_party"`
	AppointedBy     sql.NullInt64  `db:"appointed_by"`
	AppointedByName sql.NullString `db:"appointed_by_name"`
	Role            string         `db:"role"`
	From            sqlconn.Date   `db:"term_from"`
	To              sqlconn.Date   `db:"term_to"`
	UserID          sql.NullInt64  `db:"user_id"`
	UserName        sql.NullString `db:"user_name"`
	Email           string         `db:"email"`
	UserEmail       sql.NullString `db:"user_email"`
}

func (r memberRow) domain() domain.Member {
	return domain.Member{
		ID: r.ID, CommitteeID: r.CommitteeID, Name: r.Name, PoliticalParty: r.PoliticalParty,
		AppointedBy: r.AppointedBy.Int64, AppointedByName: r.AppointedByName.String, Role: domain.MemberRole(r.Role),
		From: domain.Date(r.From), To: domain.Date(r.To), UserID: r.UserID.Int64, UserName: r.UserName.String,
		Email: r.Email, UserEmail: r.UserEmail.String,
	}
}

const memberSelect = `SELECT m.id, m.committee_id, m.name, m.political_party, m.appointed_by, p.name AS appointed_by_name,
	m.role, m.term_from, m.term_to, m.user_id, u.name AS user_name, m.email,
	CASE WHEN u.disabled_at IS NULL THEN u.email END AS user_email
	FROM committee_members m LEFT JOIN parties p ON p.id = m.appointed_by LEFT JOIN users u ON u.id = m.user_id`

// memberAudit is how a member appears in the audit trail.
type memberAudit struct {
	Name           string `json:"name"`
	PoliticalParty string `json:"political_party"`
	AppointedBy    int64  `json:"appointed_by,omitempty"`
	Role           string `json:"role"`
	From           string `json:"term_from"`
	To             string `json:"term_to,omitempty"`
	UserID         int64  `json:"user_id,omitempty"`
	Email          string `json:"email,omitempty"`
}

func auditOfMember(m domain.Member) memberAudit {
	return memberAudit{Name: m.Name, PoliticalParty: m.PoliticalParty, AppointedBy: m.AppointedBy, Role: string(m.Role),
		From: m.From.String(), To: m.To.String(), UserID: m.UserID, Email: m.Email}
}

// CreateMember checks a new member of a committee and stores it, with the
// address the member gets mail at when not linked to a user (Email). The
// appointing party, when given, must be a party of the committee; the linked
// user, when given, must have the member role in the committee; and the
// committee has one chair at a time.
func (c Registry) CreateMember(ctx context.Context, m domain.Member) (domain.Member, error) {
	if err := c.checkMember(ctx, &m); err != nil {
		return domain.Member{}, err
	}
	at := c.db.Now()
	id, err := c.db.Insert(ctx, `INSERT INTO committee_members (committee_id, name, political_party, appointed_by, role, term_from, term_to, user_id, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.CommitteeID, m.Name, m.PoliticalParty, sqlconn.NullID(m.AppointedBy), string(m.Role), sqlconn.Date(m.From), sqlconn.Date(m.To), sqlconn.NullID(m.UserID), m.Email, at, at)
	if err != nil {
		return domain.Member{}, fmt.Errorf("create member: %w", err)
	}
	if err := c.db.Audit(ctx, "create", "member", id, nil, auditOfMember(m)); err != nil {
		return domain.Member{}, err
	}
	return c.MemberByID(ctx, m.CommitteeID, id)
}

// UpdateMember changes a member's name, party, role, term, user link and
// e-mail address,
// after the same checks as CreateMember. A member who leaves is given the end
// of the term; members are never deleted.
func (c Registry) UpdateMember(ctx context.Context, m domain.Member) (domain.Member, error) {
	before, err := c.MemberByID(ctx, m.CommitteeID, m.ID)
	if err != nil {
		return domain.Member{}, err
	}
	if err := c.checkMember(ctx, &m); err != nil {
		return domain.Member{}, err
	}
	_, err = c.db.Exec(ctx, `UPDATE committee_members SET name = ?, political_party = ?, appointed_by = ?, role = ?, term_from = ?, term_to = ?, user_id = ?, email = ?, updated_at = ?
		WHERE id = ? AND committee_id = ?`,
		m.Name, m.PoliticalParty, sqlconn.NullID(m.AppointedBy), string(m.Role), sqlconn.Date(m.From), sqlconn.Date(m.To), sqlconn.NullID(m.UserID), m.Email, c.db.Now(), m.ID, m.CommitteeID)
	if err != nil {
		return domain.Member{}, fmt.Errorf("update member %d: %w", m.ID, err)
	}
	if err := c.db.Audit(ctx, "update", "member", m.ID, auditOfMember(before), auditOfMember(m)); err != nil {
		return domain.Member{}, err
	}
	return c.MemberByID(ctx, m.CommitteeID, m.ID)
}

// checkMember normalizes m and checks it against the committee.
func (c Registry) checkMember(ctx context.Context, m *domain.Member) error {
	if err := m.Normalize(); err != nil {
		return err
	}
	if _, err := c.CommitteeByID(ctx, m.CommitteeID); err != nil {
		return err
	}
	if m.AppointedBy != 0 {
		var n int
		if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM committee_parties WHERE committee_id = ? AND party_id = ?`, m.CommitteeID, m.AppointedBy); err != nil {
			return fmt.Errorf("check appointing party: %w", err)
		}
		if n == 0 {
			return domain.FieldErrorf("appointed_by", "Välj en av nämndens parter som utsett ledamoten.")
		}
	}
	if m.UserID != 0 {
		var n int
		if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND role = ? AND committee_id = ?`,
			m.UserID, string(domain.RoleMember), m.CommitteeID); err != nil {
			return fmt.Errorf("check member user: %w", err)
		}
		if n == 0 {
			return domain.FieldErrorf("user_id", "Användaren har inte rollen ledamot/ersättare i nämnden. Välj en användare i listan.")
		}
	}
	if m.Role == domain.MemberChair {
		all, err := c.Members(ctx, m.CommitteeID)
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.ID != m.ID && o.Role == domain.MemberChair && overlaps(m.From, m.To, o.From, o.To) {
				return domain.FieldErrorf("role", "%s är ordförande under samma period (från %s). Avsluta den mandatperioden först.", o.DisplayName(), o.From)
			}
		}
	}
	return nil
}

// MemberByID returns a member of the committee, or ENOTFOUND.
func (c Registry) MemberByID(ctx context.Context, committeeID, id int64) (domain.Member, error) {
	var r memberRow
	err := c.db.Get(ctx, &r, memberSelect+" WHERE m.id = ? AND m.committee_id = ?", id, committeeID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Member{}, domain.Errorf(domain.ENOTFOUND, "Ledamoten finns inte.")
	}
	if err != nil {
		return domain.Member{}, fmt.Errorf("read member %d: %w", id, err)
	}
	return r.domain(), nil
}

// Members lists every member the committee has had, chair first and
// substitutes last as a kallelse lists them; within a role the latest term
// first, and in the order they were entered (the secretariat's order) within a
// term.
func (c Registry) Members(ctx context.Context, committeeID int64) ([]domain.Member, error) {
	var rows []memberRow
	if err := c.db.Select(ctx, &rows, memberSelect+" WHERE m.committee_id = ? ORDER BY m.term_from DESC, m.id", committeeID); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	out := sqlconn.MapRows(rows, memberRow.domain)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Role.Rank() < out[j].Role.Rank() })
	return out, nil
}

// MemberUsers lists the users who have the member role in the committee, the
// users a member can be linked to, without their roles.
func (c Registry) MemberUsers(ctx context.Context, committeeID int64) ([]domain.User, error) {
	var rows []access.UserRow
	if err := c.db.Select(ctx, &rows, `SELECT `+access.UserColumns+` FROM users WHERE id IN
		(SELECT user_id FROM user_roles WHERE role = ? AND committee_id = ?)`, string(domain.RoleMember), committeeID); err != nil {
		return nil, fmt.Errorf("member users: %w", err)
	}
	out := sqlconn.MapRows(rows, access.UserRow.User)
	sort.SliceStable(out, func(i, j int) bool { return domain.SwedishSortKey(out[i].Name) < domain.SwedishSortKey(out[j].Name) })
	return out, nil
}

// SetMemberEmail sets the address a member without a user of their own gets
// mail at (kallelser); "" removes it. A member linked to a user gets mail at
// the user's address.
func (c Registry) SetMemberEmail(ctx context.Context, committeeID, id int64, email string) error {
	before, err := c.MemberByID(ctx, committeeID, id)
	if err != nil {
		return err
	}
	if email != "" {
		norm, _, err := domain.NormalizeEmail(email)
		if err != nil {
			return domain.FieldErrorf("email", "Skriv en e-postadress som namn@exempel.se.")
		}
		email = norm
	}
	if _, err := c.db.Exec(ctx, `UPDATE committee_members SET email = ?, updated_at = ? WHERE id = ? AND committee_id = ?`,
		email, c.db.Now(), id, committeeID); err != nil {
		return fmt.Errorf("set member %d e-mail: %w", id, err)
	}
	return c.db.Audit(ctx, "update", "member", id, map[string]string{"email": before.Email}, map[string]string{"email": email})
}
