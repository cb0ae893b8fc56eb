package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/region-jh/gns/domain"
)

type partyRow struct {
	ID               int64  `db:"id"`
	Slug             string `db:"slug"`
	Name             string `db:"name"`
	Kind             string `db:"kind"`
	OrgNumber        string `db:"org_number"`
	MunicipalityCode string `db:"municipality_code"`
}

func (r partyRow) domain() domain.Party {
	return domain.Party{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Kind: domain.PartyKind(r.Kind),
		OrgNumber: r.OrgNumber, MunicipalityCode: r.MunicipalityCode,
	}
}

type committeeRow struct {
	ID          int64         `db:"id"`
	Code        string        `db:"code"`
	Name        string        `db:"name"`
	StartedOn   dbDate        `db:"started_on"`
	HostPartyID sql.NullInt64 `db:"host_party_id"`
}

func (r committeeRow) domain() domain.Committee {
	return domain.Committee{
		ID: r.ID, Code: r.Code, Name: r.Name,
		StartedOn: domain.Date(r.StartedOn), HostPartyID: r.HostPartyID.Int64,
	}
}

// CreateParty stores a new party and returns it with its id.
func (c *Conn) CreateParty(ctx context.Context, p domain.Party) (domain.Party, error) {
	if p.Slug == "" || p.Name == "" || !p.Kind.Valid() {
		return domain.Party{}, domain.Errorf(domain.EINVALID, "En part behöver kortnamn, namn och typ (kommun eller region).")
	}
	id, err := c.insert(ctx, `INSERT INTO parties (slug, name, kind, org_number, municipality_code, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.Slug, p.Name, string(p.Kind), p.OrgNumber, p.MunicipalityCode, now())
	if err != nil {
		return domain.Party{}, fmt.Errorf("create party %s: %w", p.Slug, err)
	}
	p.ID = id
	if err := c.Audit(ctx, "create", "party", id, nil, p); err != nil {
		return domain.Party{}, err
	}
	return p, nil
}

// PartyBySlug returns the party with the given slug, or an ENOTFOUND error.
func (c *Conn) PartyBySlug(ctx context.Context, slug string) (domain.Party, error) {
	var r partyRow
	err := c.get(ctx, &r, `SELECT id, slug, name, kind, org_number, municipality_code FROM parties WHERE slug = ?`, slug)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Party{}, domain.Errorf(domain.ENOTFOUND, "Parten %q finns inte.", slug)
	}
	if err != nil {
		return domain.Party{}, fmt.Errorf("party %s: %w", slug, err)
	}
	return r.domain(), nil
}

// CreateCommittee stores a new committee and returns it with its id.
func (c *Conn) CreateCommittee(ctx context.Context, cm domain.Committee) (domain.Committee, error) {
	if cm.Code == "" || cm.Name == "" || cm.StartedOn.IsZero() {
		return domain.Committee{}, domain.Errorf(domain.EINVALID, "En nämnd behöver kod, namn och startdatum.")
	}
	host := sql.NullInt64{Int64: cm.HostPartyID, Valid: cm.HostPartyID != 0}
	id, err := c.insert(ctx, `INSERT INTO committees (code, name, started_on, host_party_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, cm.Code, cm.Name, dbDate(cm.StartedOn), host, now())
	if err != nil {
		return domain.Committee{}, fmt.Errorf("create committee %s: %w", cm.Code, err)
	}
	cm.ID = id
	if err := c.Audit(ctx, "create", "committee", id, nil, cm); err != nil {
		return domain.Committee{}, err
	}
	return cm, nil
}

// CommitteeByCode returns the committee with the given code, or an ENOTFOUND
// error.
func (c *Conn) CommitteeByCode(ctx context.Context, code string) (domain.Committee, error) {
	var r committeeRow
	err := c.get(ctx, &r, `SELECT id, code, name, started_on, host_party_id FROM committees WHERE code = ?`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Committee{}, domain.Errorf(domain.ENOTFOUND, "Nämnden %q finns inte.", code)
	}
	if err != nil {
		return domain.Committee{}, fmt.Errorf("committee %s: %w", code, err)
	}
	return r.domain(), nil
}

// AddMembership records that a party is a member of a committee from a date, at
// a place in the committee's party order.
func (c *Conn) AddMembership(ctx context.Context, m domain.Membership) error {
	if m.Position < 1 || m.From.IsZero() || (!m.To.IsZero() && m.To.Before(m.From)) {
		return domain.Errorf(domain.EINVALID, "Medlemskapet behöver en plats i partsordningen och giltiga datum.")
	}
	_, err := c.exec(ctx, `INSERT INTO committee_parties (committee_id, party_id, position, member_from, member_to, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.CommitteeID, m.PartyID, m.Position, dbDate(m.From), dbDate(m.To), now())
	if err != nil {
		return fmt.Errorf("add party %d to committee %d: %w", m.PartyID, m.CommitteeID, err)
	}
	return c.Audit(ctx, "add_member", "committee", m.CommitteeID, nil, m)
}

type memberPartyRow struct {
	partyRow
	CommitteeID int64  `db:"committee_id"`
	Position    int    `db:"position"`
	From        dbDate `db:"member_from"`
	To          dbDate `db:"member_to"`
}

// CommitteeOverviews lists every committee by code with the parties that are
// members of it on the given day, in the committee's party order.
func (c *Conn) CommitteeOverviews(ctx context.Context, day domain.Date) ([]domain.CommitteeOverview, error) {
	var committees []committeeRow
	if err := c.selectAll(ctx, &committees, `SELECT id, code, name, started_on, host_party_id FROM committees ORDER BY code`); err != nil {
		return nil, fmt.Errorf("list committees: %w", err)
	}
	var members []memberPartyRow
	err := c.selectAll(ctx, &members, `
		SELECT p.id, p.slug, p.name, p.kind, p.org_number, p.municipality_code,
		       m.committee_id, m.position, m.member_from, m.member_to
		FROM committee_parties m JOIN parties p ON p.id = m.party_id
		WHERE m.member_from <= ? AND (m.member_to IS NULL OR m.member_to >= ?)
		ORDER BY m.committee_id, m.position, p.name`, dbDate(day), dbDate(day))
	if err != nil {
		return nil, fmt.Errorf("list committee parties: %w", err)
	}
	out := make([]domain.CommitteeOverview, 0, len(committees))
	index := make(map[int64]int, len(committees))
	for _, r := range committees {
		index[r.ID] = len(out)
		out = append(out, domain.CommitteeOverview{Committee: r.domain()})
	}
	for _, r := range members {
		i, ok := index[r.CommitteeID]
		if !ok {
			continue
		}
		ov := &out[i]
		ov.Parties = append(ov.Parties, domain.MemberParty{
			Party: r.partyRow.domain(),
			Membership: domain.Membership{
				CommitteeID: r.CommitteeID, PartyID: r.ID, Position: r.Position,
				From: domain.Date(r.From), To: domain.Date(r.To),
			},
			Host: r.ID == ov.HostPartyID,
		})
	}
	return out, nil
}
