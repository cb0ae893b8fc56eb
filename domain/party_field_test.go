package domain

import (
	"fmt"
	"strings"
	"testing"
)

// TestPartyCheckField checks that one field checked alone gets the message
// Normalize gives for it, whatever the other fields hold, that the other
// fields never answer for it, and that the party is left as it was.
func TestPartyCheckField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		party   Party
		field   string
		wantMsg string // "" for no error
	}{
		{Party{Name: " "}, "name", "Ange partens namn"},
		{Party{Name: "Bergs\nkommun"}, "name", "på en rad"},
		{Party{Name: "Bergs kommun"}, "name", ""},
		{Party{Slug: "Östersund"}, "slug", "a–z"},
		{Party{Slug: "a--b"}, "slug", "bindestreck"},
		{Party{Slug: "berg"}, "slug", ""},
		{Party{}, "slug", ""},                          // no name yet: the name answers for it
		{Party{Name: "Östersunds kommun"}, "slug", ""}, // made from the name
		{Party{Name: "!!!"}, "slug", "a–z"},            // a name no slug can be made from
		{Party{Kind: "stad"}, "kind", "kommun eller en region"},
		{Party{OrgNumber: "212000-2529"}, "org_number", "fel kontrollsiffra"},
		{Party{OrgNumber: "212000-252"}, "org_number", "NNNNNN-NNNN"},
		{Party{OrgNumber: "811228-9874"}, "org_number", "minst 20"},
		{Party{OrgNumber: " 2120002528 "}, "org_number", ""},
		{Party{}, "org_number", ""},
		{Party{MunicipalityCode: "238"}, "municipality_code", "fyra siffror"},
		{Party{Kind: PartyKindRegion, MunicipalityCode: "2380"}, "municipality_code", "två siffror"},
		{Party{Kind: PartyKindRegion, MunicipalityCode: "23"}, "municipality_code", ""},
		{Party{PartyDetails: PartyDetails{Address: strings.Repeat("a", 501)}}, "address", "högst 500"},
		{Party{PartyDetails: PartyDetails{InvoiceReference: strings.Repeat("R", 101)}}, "invoice_reference", "högst 100"},
		{Party{PartyDetails: PartyDetails{PeppolID: "0088:2120002528"}}, "peppol_id", "0007:"},
		{Party{PartyDetails: PartyDetails{PeppolID: "0007:2120002529"}}, "peppol_id", "kontrollsiffra"},
		{Party{PartyDetails: PartyDetails{PeppolID: "0007:2120002528"}}, "peppol_id", ""},
		{Party{PartyDetails: PartyDetails{ContactName: "A\tB"}}, "contact_name", "på en rad"},
		{Party{PartyDetails: PartyDetails{ContactEmail: "ekonomi"}}, "contact_email", "giltig e-postadress"},
		{Party{PartyDetails: PartyDetails{ContactEmail: "ekonomi@berg.se"}}, "contact_email", ""},
		{Party{PartyDetails: PartyDetails{ContactPhone: "112"}}, "contact_phone", "5–40"},
		{Party{PartyDetails: PartyDetails{ContactPhone: "ring växeln"}}, "contact_phone", "bara innehålla siffror"},
	}
	for _, tt := range tests {
		// Every other field is wrong: none of them may answer.
		p := tt.party
		if tt.field != "name" {
			p.Name = strings.Repeat("x", 10_000)
		}
		if tt.field != "org_number" {
			p.OrgNumber = "1"
		}
		if tt.field != "contact_email" {
			p.ContactEmail = "inte en adress"
		}
		if tt.field != "kind" && p.Kind == "" {
			p.Kind = PartyKindKommun
		}
		if tt.field == "slug" {
			p.Name = tt.party.Name
		}
		before := p
		err := p.CheckField(tt.field)
		call := fmt.Sprintf("%s of %#v", tt.field, tt.party)
		if tt.wantMsg == "" {
			if err != nil {
				t.Errorf("CheckField(%s) = %v, want no error", call, err)
			}
		} else {
			checkDomainError(t, "CheckField("+call+")", err, EINVALID, tt.field, tt.wantMsg)
		}
		if p != before {
			t.Errorf("CheckField(%s) changed the party: %+v → %+v", call, before, p)
		}
	}

	// What the form cannot hold.
	for _, field := range []string{"", "id", "Name", "csrf_token", "population"} {
		checkDomainError(t, "CheckField("+field+")", Party{}.CheckField(field), EINVALID, "", "inget fält")
	}
}

// TestCommitteeCheckField checks one field of a committee alone, with the
// message Normalize gives for it, the other fields wrong.
func TestCommitteeCheckField(t *testing.T) {
	t.Parallel()
	day := MustDate("2021-01-01")
	tests := []struct {
		c       Committee
		field   string
		wantMsg string
	}{
		{Committee{Code: "G"}, "code", "2–10 bokstäver"},
		{Committee{Code: "GNS1"}, "code", "2–10 bokstäver"},
		{Committee{Code: " gns "}, "code", ""},
		{Committee{Code: "GNS", Name: " "}, "name", "Ange nämndens namn"},
		{Committee{Name: "Gemensam\nnämnd"}, "name", "på en rad"},
		{Committee{Name: "Gemensam nämnd"}, "name", ""},
		{Committee{Code: "GNS", Name: "Gemensam nämnd"}, "started_on", "Ange från vilket datum"},
		{Committee{StartedOn: day}, "started_on", ""},
	}
	for _, tt := range tests {
		c := tt.c
		if tt.field != "code" {
			c.Code = "x"
		}
		if tt.field != "name" {
			c.Name = ""
		}
		before := c
		err := c.CheckField(tt.field)
		call := fmt.Sprintf("%s of %#v", tt.field, tt.c)
		if tt.wantMsg == "" {
			if err != nil {
				t.Errorf("CheckField(%s) = %v, want no error", call, err)
			}
		} else {
			checkDomainError(t, "CheckField("+call+")", err, EINVALID, tt.field, tt.wantMsg)
		}
		if c != before {
			t.Errorf("CheckField(%s) changed the committee", call)
		}
	}
	checkDomainError(t, "CheckField(host_party_id)", Committee{}.CheckField("host_party_id"), EINVALID, "", "inget fält")
}
