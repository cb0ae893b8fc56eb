package meeting

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/domaintest"
)

func TestParseRegistryNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, err string }{
		{"KS 2020/123", "KS 2020/123", ""},
		{"  RS/1234/2020 ", "RS/1234/2020", ""},
		{"KS\t2019 /  12", "KS 2019 / 12", ""},
		{"Dnr 2020.456 (ÅK)", "Dnr 2020.456 (ÅK)", ""},
		{"2020-000123", "2020-000123", ""},
		{"", "", "Ange partens diarienummer"},
		{"   ", "", "Ange partens diarienummer"},
		{"KS ärende", "", "innehåller siffror"},
		{"KS 2020/1; DROP", "", "får bara innehålla"},
		{"<b>1</b>", "", "får bara innehålla"},
		{"KS 2020/1\nKS 2", "KS 2020/1 KS 2", ""},
		{strings.Repeat("1", MaxRegistryNumber+1), "", "högst 60 tecken"},
	} {
		got, err := ParseRegistryNumber(tc.in)
		if tc.err != "" {
			domaintest.CheckError(t, "ParseRegistryNumber("+tc.in+")", err, domain.EINVALID, "registry_number", tc.err)
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseRegistryNumber(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestUserRoleOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		r    Recipient
		want domain.Role
		ok   bool
	}{
		{Recipient{Kind: RecipientRole, Role: "Ekonom"}, domain.RoleEconomist, true},
		{Recipient{Kind: RecipientRole, Role: " ekonomen "}, domain.RoleEconomist, true},
		{Recipient{Kind: RecipientRole, Role: "Sekretariatet"}, domain.RoleSecretariat, true},
		{Recipient{Kind: RecipientRole, Role: "Revisorerna"}, domain.RoleAuditor, true},
		{Recipient{Kind: RecipientRole, Role: "Nämndens ledamöter"}, domain.RoleMember, true},
		{Recipient{Kind: RecipientRole, Role: "Regiondirektören"}, "", false},
		{Recipient{Kind: RecipientParty, Party: "ekonom"}, "", false},
	} {
		got, ok := UserRoleOf(tc.r)
		if got != tc.want || ok != tc.ok {
			t.Errorf("UserRoleOf(%+v) = %q, %v, want %q, %v", tc.r, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMayAcknowledge(t *testing.T) {
	t.Parallel()
	bracke := domain.User{Roles: []domain.RoleGrant{{Role: domain.RoleParty, CommitteeID: 1, PartyID: 6}}}
	for _, tc := range []struct {
		u    domain.User
		cm   int64
		d    Dispatch
		want bool
	}{
		{bracke, 1, Dispatch{PartyID: 6}, true},
		{bracke, 1, Dispatch{PartyID: 3}, false}, // another party's
		{bracke, 2, Dispatch{PartyID: 6}, false}, // another committee
		{bracke, 1, Dispatch{UserID: 9}, false},  // to a user, not a party
		{domain.User{Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: 1}}}, 1, Dispatch{PartyID: 6}, false}, // the secretariat
		{domain.User{Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}}, 1, Dispatch{PartyID: 6}, false},                       // admin
	} {
		if got := MayAcknowledge(tc.u, tc.cm, tc.d); got != tc.want {
			t.Errorf("MayAcknowledge(%+v, %d, %+v) = %v, want %v", tc.u.Roles, tc.cm, tc.d, got, tc.want)
		}
	}
}

// FuzzParseRegistryNumber: an accepted number is one trimmed line of at
// most MaxRegistryNumber characters with a digit, and reads back the same;
// a refused one is a field error.
func FuzzParseRegistryNumber(f *testing.F) {
	for _, s := range []string{"KS 2020/123", " RS/1234/2020 ", "", "KS", "a\x00b1", "1\n2", strings.Repeat("9", 61), "Dnr 2020.456 (ÅK)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRegistryNumber(s)
		if err != nil {
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Field != "registry_number" {
				t.Fatalf("ParseRegistryNumber(%q) error = %v, want a field error", s, err)
			}
			return
		}
		if got == "" || got != strings.TrimSpace(got) || strings.ContainsAny(got, "\n\r\t") || !utf8.ValidString(got) ||
			utf8.RuneCountInString(got) > MaxRegistryNumber || !strings.ContainsFunc(got, unicode.IsDigit) {
			t.Fatalf("ParseRegistryNumber(%q) = %q", s, got)
		}
		if again, err := ParseRegistryNumber(got); err != nil || again != got {
			t.Fatalf("ParseRegistryNumber(%q) = %q, %v, want it unchanged", got, again, err)
		}
	})
}
