package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type partyRow struct {
	ID               int64  `db:"id"`
	Slug             string `db:"slug"`
	Name             string `db:"name"`
	Kind             string `db:"kind"`
	OrgNumber        string `db:"org_number"`
	MunicipalityCode string `db:"municipality_code"`
	Address          string `db:"address"`
	InvoiceReference string `db:"invoice_reference"`
	PeppolID         string `db:"peppol_id"`
	InvoiceEmail     string `db:"invoice_email"`
	ContactName      string `db:"contact_name"`
	ContactEmail     string `db:"contact_email"`
	ContactPhone     string `db:"contact_phone"`
	RegistryEmail    string `db:"registry_email"`
}

// partyColumns lists the columns of a partyRow, each prefixed with the table
// alias a ("p." for "p"), or bare for "".
func partyColumns(a string) string {
	cols := []string{"id", "slug", "name", "kind", "org_number", "municipality_code",
		"address", "invoice_reference", "peppol_id", "invoice_email", "contact_name", "contact_email", "contact_phone", "registry_email"}
	if a != "" {
		for i, c := range cols {
			cols[i] = a + "." + c
		}
	}
	return strings.Join(cols, ", ")
}

func (r partyRow) domain() domain.Party {
	return domain.Party{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Kind: domain.PartyKind(r.Kind),
		OrgNumber: r.OrgNumber, MunicipalityCode: r.MunicipalityCode,
		PartyDetails: domain.PartyDetails{
			Address: r.Address, InvoiceReference: r.InvoiceReference, PeppolID: r.PeppolID, InvoiceEmail: r.InvoiceEmail,
			ContactName: r.ContactName, ContactEmail: r.ContactEmail, ContactPhone: r.ContactPhone,
			RegistryEmail: r.RegistryEmail,
		},
	}
}

// CreateParty checks a new party (domain.Party.Normalize), stores it and
// returns it with its id. Its slug, organisation number and kommunkod must not
// belong to another party.
func (c Registry) CreateParty(ctx context.Context, p domain.Party) (domain.Party, error) {
	if err := p.Normalize(); err != nil {
		return domain.Party{}, err
	}
	if err := c.checkPartyUnique(ctx, p); err != nil {
		return domain.Party{}, err
	}
	id, err := c.db.Insert(ctx, `INSERT INTO parties (slug, name, kind, org_number, municipality_code,
		address, invoice_reference, peppol_id, invoice_email, contact_name, contact_email, contact_phone, registry_email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Slug, p.Name, string(p.Kind), p.OrgNumber, p.MunicipalityCode,
		p.Address, p.InvoiceReference, p.PeppolID, p.InvoiceEmail, p.ContactName, p.ContactEmail, p.ContactPhone, p.RegistryEmail, c.db.Now())
	if sqlconn.IsUniqueViolation(err) {
		return domain.Party{}, errPartyTaken
	}
	if err != nil {
		return domain.Party{}, fmt.Errorf("create party %s: %w", p.Slug, err)
	}
	p.ID = id
	if err := c.db.Audit(ctx, "create", "party", id, nil, p); err != nil {
		return domain.Party{}, err
	}
	return p, nil
}

// errPartyTaken answers the rare race where another party took the same slug,
// organisation number or kommunkod between the check and the write.
var errPartyTaken = domain.Errorf(domain.ECONFLICT, "En annan part fick samma kortnamn, organisationsnummer eller kommunkod nyss. Ladda om sidan och försök igen.")

// checkPartyUnique refuses a slug, organisation number or kommunkod that
// another party than p has, naming that party.
func (c Registry) checkPartyUnique(ctx context.Context, p domain.Party) error {
	checks := []struct{ column, field, value, what string }{
		{"slug", "slug", p.Slug, "Kortnamnet"},
		{"org_number", "org_number", p.OrgNumber, "Organisationsnumret"},
		{"municipality_code", "municipality_code", p.MunicipalityCode, "Kommunkoden"},
	}
	for _, ck := range checks {
		if ck.value == "" {
			continue
		}
		var other []string
		err := c.db.Select(ctx, &other, "SELECT name FROM parties WHERE "+ck.column+" = ? AND id <> ?", ck.value, p.ID)
		if err != nil {
			return fmt.Errorf("check party %s: %w", ck.column, err)
		}
		if len(other) > 0 {
			return domain.FieldErrorf(ck.field, "%s %s används redan av %s.", ck.what, ck.value, other[0])
		}
	}
	return nil
}

// PartyByID returns the party with the given id, or an ENOTFOUND error.
func (c Registry) PartyByID(ctx context.Context, id int64) (domain.Party, error) {
	return c.partyWhere(ctx, "id = ?", id)
}

// PartyBySlug returns the party with the given slug, or an ENOTFOUND error.
func (c Registry) PartyBySlug(ctx context.Context, slug string) (domain.Party, error) {
	return c.partyWhere(ctx, "slug = ?", slug)
}

func (c Registry) partyWhere(ctx context.Context, cond string, arg any) (domain.Party, error) {
	var r partyRow
	err := c.db.Get(ctx, &r, "SELECT "+partyColumns("")+" FROM parties WHERE "+cond, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Party{}, domain.Errorf(domain.ENOTFOUND, "Parten finns inte.")
	}
	if err != nil {
		return domain.Party{}, fmt.Errorf("read party %v: %w", arg, err)
	}
	return r.domain(), nil
}

// Parties lists every party in Swedish alphabetical order.
func (c Registry) Parties(ctx context.Context) ([]domain.Party, error) {
	var rows []partyRow
	if err := c.db.Select(ctx, &rows, "SELECT "+partyColumns("")+" FROM parties"); err != nil {
		return nil, fmt.Errorf("list parties: %w", err)
	}
	out := sqlconn.MapRows(rows, partyRow.domain)
	sort.SliceStable(out, func(i, j int) bool {
		return domain.SwedishSortKey(out[i].Name) < domain.SwedishSortKey(out[j].Name)
	})
	return out, nil
}

// UpdateParty replaces every field of a party but its id, after the same
// checks as CreateParty. It is the administrator's edit; the secretariat's is
// UpdatePartyDetails.
func (c Registry) UpdateParty(ctx context.Context, p domain.Party) (domain.Party, error) {
	before, err := c.PartyByID(ctx, p.ID)
	if err != nil {
		return domain.Party{}, err
	}
	if err := p.Normalize(); err != nil {
		return domain.Party{}, err
	}
	if err := c.checkPartyUnique(ctx, p); err != nil {
		return domain.Party{}, err
	}
	_, err = c.db.Exec(ctx, `UPDATE parties SET slug = ?, name = ?, kind = ?, org_number = ?, municipality_code = ?,
		address = ?, invoice_reference = ?, peppol_id = ?, invoice_email = ?, contact_name = ?, contact_email = ?, contact_phone = ?,
		registry_email = ? WHERE id = ?`,
		p.Slug, p.Name, string(p.Kind), p.OrgNumber, p.MunicipalityCode,
		p.Address, p.InvoiceReference, p.PeppolID, p.InvoiceEmail, p.ContactName, p.ContactEmail, p.ContactPhone, p.RegistryEmail, p.ID)
	if sqlconn.IsUniqueViolation(err) {
		return domain.Party{}, errPartyTaken
	}
	if err != nil {
		return domain.Party{}, fmt.Errorf("update party %d: %w", p.ID, err)
	}
	if err := c.db.Audit(ctx, "update", "party", p.ID, before, p); err != nil {
		return domain.Party{}, err
	}
	return p, nil
}

// UpdatePartyDetails replaces a party's address, invoice and contact fields,
// leaving its name, kind and numbers as they are.
func (c Registry) UpdatePartyDetails(ctx context.Context, id int64, d domain.PartyDetails) (domain.Party, error) {
	p, err := c.PartyByID(ctx, id)
	if err != nil {
		return domain.Party{}, err
	}
	p.PartyDetails = d
	return c.UpdateParty(ctx, p)
}

// PartyCommitteeIDs returns the committees the party is or has been a member
// of.
func (c Registry) PartyCommitteeIDs(ctx context.Context, partyID int64) ([]int64, error) {
	var ids []int64
	err := c.db.Select(ctx, &ids, `SELECT DISTINCT committee_id FROM committee_parties WHERE party_id = ? ORDER BY committee_id`, partyID)
	if err != nil {
		return nil, fmt.Errorf("committees of party %d: %w", partyID, err)
	}
	return ids, nil
}
