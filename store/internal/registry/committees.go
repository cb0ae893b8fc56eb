package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type committeeRow struct {
	ID          int64         `db:"id"`
	Code        string        `db:"code"`
	Name        string        `db:"name"`
	StartedOn   sqlconn.Date  `db:"started_on"`
	HostPartyID sql.NullInt64 `db:"host_party_id"`
	ChairSigns  bool          `db:"chair_signs_minutes"`
}

const committeeColumns = "id, code, name, started_on, host_party_id, chair_signs_minutes"

func (r committeeRow) domain() domain.Committee {
	return domain.Committee{
		ID: r.ID, Code: r.Code, Name: r.Name,
		StartedOn: domain.Date(r.StartedOn), HostPartyID: r.HostPartyID.Int64, ChairSignsMinutes: r.ChairSigns,
	}
}

// CreateCommittee checks a new committee (domain.Committee.Normalize), stores
// it and returns it with its id. Its code must be unused. The host, when
// given, must be a party; it becomes a member through AddMembership.
func (c Registry) CreateCommittee(ctx context.Context, cm domain.Committee) (domain.Committee, error) {
	if err := cm.Normalize(); err != nil {
		return domain.Committee{}, err
	}
	if cm.HostPartyID != 0 {
		if _, err := c.PartyByID(ctx, cm.HostPartyID); err != nil {
			return domain.Committee{}, asFieldIfNotFound(err, "host_party_id", "Välj värdpart bland parterna.")
		}
	}
	host := sql.NullInt64{Int64: cm.HostPartyID, Valid: cm.HostPartyID != 0}
	id, err := c.db.Insert(ctx, `INSERT INTO committees (code, name, started_on, host_party_id, chair_signs_minutes, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, cm.Code, cm.Name, sqlconn.Date(cm.StartedOn), host, cm.ChairSignsMinutes, c.db.Now())
	if sqlconn.IsUniqueViolation(err) {
		return domain.Committee{}, domain.FieldErrorf("code", "Det finns redan en nämnd med koden %s.", cm.Code)
	}
	if err != nil {
		return domain.Committee{}, fmt.Errorf("create committee %s: %w", cm.Code, err)
	}
	cm.ID = id
	if err := c.db.Audit(ctx, "create", "committee", id, nil, cm); err != nil {
		return domain.Committee{}, err
	}
	return cm, nil
}

// asFieldIfNotFound turns an ENOTFOUND error into a field error with msg, and
// returns other errors as they are.
func asFieldIfNotFound(err error, field, msg string) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.FieldErrorf(field, "%s", msg)
	}
	return err
}

// CommitteeByCode returns the committee with the given code, or an ENOTFOUND
// error.
func (c Registry) CommitteeByCode(ctx context.Context, code string) (domain.Committee, error) {
	return c.committeeWhere(ctx, "code = ?", code)
}

// CommitteeByID returns the committee with the given id, or an ENOTFOUND error.
func (c Registry) CommitteeByID(ctx context.Context, id int64) (domain.Committee, error) {
	return c.committeeWhere(ctx, "id = ?", id)
}

func (c Registry) committeeWhere(ctx context.Context, cond string, arg any) (domain.Committee, error) {
	var r committeeRow
	err := c.db.Get(ctx, &r, "SELECT "+committeeColumns+" FROM committees WHERE "+cond, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Committee{}, domain.Errorf(domain.ENOTFOUND, "Nämnden finns inte.")
	}
	if err != nil {
		return domain.Committee{}, fmt.Errorf("read committee %v: %w", arg, err)
	}
	return r.domain(), nil
}

// Committees lists every committee by code.
func (c Registry) Committees(ctx context.Context) ([]domain.Committee, error) {
	var rows []committeeRow
	if err := c.db.Select(ctx, &rows, "SELECT "+committeeColumns+" FROM committees ORDER BY code"); err != nil {
		return nil, fmt.Errorf("list committees: %w", err)
	}
	return sqlconn.MapRows(rows, committeeRow.domain), nil
}

// UpdateCommittee changes a committee's name, start date and host. The code
// never changes: it is in every case number the committee has given. A new
// host must be a member of the committee on day (today, for the caller), and
// moves to the head of the party order.
func (c Registry) UpdateCommittee(ctx context.Context, cm domain.Committee, day domain.Date) (domain.Committee, error) {
	before, err := c.CommitteeByID(ctx, cm.ID)
	if err != nil {
		return domain.Committee{}, err
	}
	cm.Code = before.Code
	if err := cm.Normalize(); err != nil {
		return domain.Committee{}, err
	}
	if cm.HostPartyID == 0 && before.HostPartyID != 0 {
		return domain.Committee{}, domain.FieldErrorf("host_party_id", "Välj värdpart. En gemensam nämnd hör alltid till en värdpart.")
	}
	if cm.HostPartyID != before.HostPartyID {
		order, err := c.activeParties(ctx, cm.ID, day)
		if err != nil {
			return domain.Committee{}, err
		}
		ids := []int64{cm.HostPartyID}
		found := false
		for _, p := range order {
			if p.ID == cm.HostPartyID {
				found = true
			} else {
				ids = append(ids, p.ID)
			}
		}
		if !found {
			return domain.Committee{}, domain.FieldErrorf("host_party_id", "Värdparten måste vara medlem i nämnden. Lägg till parten först.")
		}
		if err := c.setPartyOrder(ctx, cm.ID, ids); err != nil {
			return domain.Committee{}, err
		}
	}
	host := sql.NullInt64{Int64: cm.HostPartyID, Valid: cm.HostPartyID != 0}
	if _, err := c.db.Exec(ctx, `UPDATE committees SET name = ?, started_on = ?, host_party_id = ?, chair_signs_minutes = ? WHERE id = ?`,
		cm.Name, sqlconn.Date(cm.StartedOn), host, cm.ChairSignsMinutes, cm.ID); err != nil {
		return domain.Committee{}, fmt.Errorf("update committee %s: %w", cm.Code, err)
	}
	if err := c.db.Audit(ctx, "update", "committee", cm.ID, before, cm); err != nil {
		return domain.Committee{}, err
	}
	return cm, nil
}

// AddMembership records that a party is a member of a committee from a date,
// at a place in the committee's party order; Position 0 puts it last. A
// party's memberships of one committee must not overlap.
func (c Registry) AddMembership(ctx context.Context, m domain.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if _, err := c.CommitteeByID(ctx, m.CommitteeID); err != nil {
		return err
	}
	p, err := c.PartyByID(ctx, m.PartyID)
	if err != nil {
		return asFieldIfNotFound(err, "party_id", "Välj en part i listan.")
	}
	existing, err := c.memberships(ctx, "m.committee_id = ? AND m.party_id = ?", m.CommitteeID, m.PartyID)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if overlaps(m.From, m.To, e.Membership.From, e.Membership.To) {
			return domain.FieldErrorf("member_from", "%s är redan medlem under perioden (sedan %s).", p.Name, e.Membership.From)
		}
	}
	if m.Position == 0 {
		if err := c.db.Get(ctx, &m.Position, `SELECT COALESCE(MAX(position), 0) + 1 FROM committee_parties WHERE committee_id = ?`, m.CommitteeID); err != nil {
			return fmt.Errorf("next party position: %w", err)
		}
	}
	_, err = c.db.Exec(ctx, `INSERT INTO committee_parties (committee_id, party_id, position, member_from, member_to, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.CommitteeID, m.PartyID, m.Position, sqlconn.Date(m.From), sqlconn.Date(m.To), c.db.Now())
	if sqlconn.IsUniqueViolation(err) {
		return domain.FieldErrorf("member_from", "%s är redan medlem från %s.", p.Name, m.From)
	}
	if err != nil {
		return fmt.Errorf("add party %d to committee %d: %w", m.PartyID, m.CommitteeID, err)
	}
	return c.db.Audit(ctx, "add_member", "committee", m.CommitteeID, nil, m)
}

// overlaps reports whether two periods share a day; a zero end is open.
func overlaps(from1, to1, from2, to2 domain.Date) bool {
	return (to2.IsZero() || !from1.After(to2)) && (to1.IsZero() || !from2.After(to1))
}

// EndMembership records the last day of a party's current membership of a
// committee. The host cannot leave: another host is chosen first.
func (c Registry) EndMembership(ctx context.Context, committeeID, partyID int64, last domain.Date) error {
	cm, err := c.CommitteeByID(ctx, committeeID)
	if err != nil {
		return err
	}
	if last.IsZero() {
		return domain.FieldErrorf("member_to", "Ange sista dagen som medlem.")
	}
	if partyID == cm.HostPartyID {
		return domain.Errorf(domain.ECONFLICT, "Värdparten kan inte lämna nämnden. Välj en annan värdpart först.")
	}
	ms, err := c.memberships(ctx, "m.committee_id = ? AND m.party_id = ? AND m.member_to IS NULL", committeeID, partyID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Parten har inget pågående medlemskap i nämnden.")
	}
	m := ms[0].Membership
	if last.Before(m.From) {
		return domain.FieldErrorf("member_to", "Medlemskapet kan inte sluta (%s) innan det börjar (%s).", last, m.From)
	}
	if _, err := c.db.Exec(ctx, `UPDATE committee_parties SET member_to = ? WHERE committee_id = ? AND party_id = ? AND member_from = ?`,
		sqlconn.Date(last), committeeID, partyID, sqlconn.Date(m.From)); err != nil {
		return fmt.Errorf("end membership: %w", err)
	}
	after := m
	after.To = last
	return c.db.Audit(ctx, "end_member", "committee", committeeID, m, after)
}

// MoveParty moves a party one place up or down in the committee's party order
// among the parties that are members on day. The host stays first.
func (c Registry) MoveParty(ctx context.Context, committeeID, partyID int64, up bool, day domain.Date) error {
	cm, err := c.CommitteeByID(ctx, committeeID)
	if err != nil {
		return err
	}
	order, err := c.activeParties(ctx, committeeID, day)
	if err != nil {
		return err
	}
	i := -1
	ids := make([]int64, len(order))
	for k, p := range order {
		ids[k] = p.ID
		if p.ID == partyID {
			i = k
		}
	}
	if i < 0 {
		return domain.Errorf(domain.ENOTFOUND, "Parten är inte medlem i nämnden.")
	}
	j := i + 1
	if up {
		j = i - 1
	}
	switch {
	case partyID == cm.HostPartyID:
		return domain.Errorf(domain.ECONFLICT, "Värdparten står alltid först i partsordningen.")
	case j < 0 || j >= len(ids) || ids[j] == cm.HostPartyID:
		return domain.Errorf(domain.ECONFLICT, "Parten kan inte flyttas längre åt det hållet.")
	}
	ids[i], ids[j] = ids[j], ids[i]
	return c.setPartyOrder(ctx, committeeID, ids)
}

// setPartyOrder numbers the given parties 1, 2, 3 … in the committee's party
// order, every membership of each party alike.
func (c Registry) setPartyOrder(ctx context.Context, committeeID int64, ids []int64) error {
	for i, id := range ids {
		if _, err := c.db.Exec(ctx, `UPDATE committee_parties SET position = ? WHERE committee_id = ? AND party_id = ?`, i+1, committeeID, id); err != nil {
			return fmt.Errorf("set party order: %w", err)
		}
	}
	return c.db.Audit(ctx, "reorder_parties", "committee", committeeID, nil, map[string][]int64{"party_ids": ids})
}

// activeParties returns the parties that are members of the committee on day,
// in the committee's order.
func (c Registry) activeParties(ctx context.Context, committeeID int64, day domain.Date) ([]domain.MemberParty, error) {
	return c.memberships(ctx, "m.committee_id = ? AND m.member_from <= ? AND (m.member_to IS NULL OR m.member_to >= ?)",
		committeeID, sqlconn.Date(day), sqlconn.Date(day))
}

// CommitteeParties returns every membership of the committee, past, present
// and future, in the committee's party order (host first), earlier
// memberships of a party before later ones.
func (c Registry) CommitteeParties(ctx context.Context, committeeID int64) ([]domain.MemberParty, error) {
	return c.memberships(ctx, "m.committee_id = ?", committeeID)
}

// CommitteePartiesOn returns the parties that are members of the committee on
// day, in the committee's party order (host first).
func (c Registry) CommitteePartiesOn(ctx context.Context, committeeID int64, day domain.Date) ([]domain.MemberParty, error) {
	return c.activeParties(ctx, committeeID, day)
}

// PartyMemberships returns the party's memberships of every committee, each
// with whether the party hosts that committee.
func (c Registry) PartyMemberships(ctx context.Context, partyID int64) ([]domain.MemberParty, error) {
	return c.memberships(ctx, "m.party_id = ?", partyID)
}

type memberPartyRow struct {
	partyRow
	CommitteeID int64         `db:"committee_id"`
	Position    int           `db:"position"`
	From        sqlconn.Date  `db:"member_from"`
	To          sqlconn.Date  `db:"member_to"`
	HostPartyID sql.NullInt64 `db:"host_party_id"`
}

// memberships selects memberships with their parties by cond on
// committee_parties m, ordered by committee, host first, then position.
func (c Registry) memberships(ctx context.Context, cond string, args ...any) ([]domain.MemberParty, error) {
	var rows []memberPartyRow
	err := c.db.Select(ctx, &rows, `
		SELECT `+partyColumns("p")+`, m.committee_id, m.position, m.member_from, m.member_to, cm.host_party_id
		FROM committee_parties m JOIN parties p ON p.id = m.party_id JOIN committees cm ON cm.id = m.committee_id
		WHERE `+cond+`
		ORDER BY m.committee_id, m.position, p.name, m.member_from`, args...)
	if err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	out := make([]domain.MemberParty, len(rows))
	for i, r := range rows {
		out[i] = domain.MemberParty{
			Party: r.partyRow.domain(),
			Membership: domain.Membership{
				CommitteeID: r.CommitteeID, PartyID: r.ID, Position: r.Position,
				From: domain.Date(r.From), To: domain.Date(r.To),
			},
			Host: r.HostPartyID.Valid && r.ID == r.HostPartyID.Int64,
		}
	}
	// The host leads the order whatever its number says.
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Membership.CommitteeID, out[j].Membership.CommitteeID; a != b {
			return a < b
		}
		return out[i].Host && !out[j].Host
	})
	return out, nil
}

// CommitteeOverviews lists every committee by code with the parties that are
// members of it on the given day, in the committee's party order.
func (c Registry) CommitteeOverviews(ctx context.Context, day domain.Date) ([]domain.CommitteeOverview, error) {
	committees, err := c.Committees(ctx)
	if err != nil {
		return nil, err
	}
	members, err := c.memberships(ctx, "m.member_from <= ? AND (m.member_to IS NULL OR m.member_to >= ?)", sqlconn.Date(day), sqlconn.Date(day))
	if err != nil {
		return nil, err
	}
	out := make([]domain.CommitteeOverview, 0, len(committees))
	index := make(map[int64]int, len(committees))
	for _, cm := range committees {
		index[cm.ID] = len(out)
		out = append(out, domain.CommitteeOverview{Committee: cm})
	}
	for _, m := range members {
		if i, ok := index[m.Membership.CommitteeID]; ok {
			out[i].Parties = append(out[i].Parties, m)
		}
	}
	return out, nil
}
