package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/sv"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password, name, email string
		wantErr               string
	}{
		{"Storsjöbadet-i-juli", "Anna Berg", "anna@example.se", ""},
		{"korta11", "Anna Berg", "anna@example.se", "minst 12"},
		{strings.Repeat("a", 12), "Anna Berg", "anna@example.se", "ett enda tecken"},
		{"annasberg-2026-lösen", "Anna Svensson", "x@example.se", "namn"},
		{"Hej-anna@example.se!", "Kim Ek", "anna@example.se", "namn eller din e-postadress"},
		{"mitt-anna-lösenord", "Kim Ek", "anna@example.se", "e-postadress"},
		{"Ek-och-björk-i-skogen", "Kim Ek", "kim@example.se", ""}, // "ek" is too short to count
		{strings.Repeat("ab", 129), "Kim", "k@example.se", "högst 256"},
		{"ogiltig-\xff-utf8-text", "Kim", "k@example.se", "ogiltiga tecken"},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.password, tt.name, tt.email)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckPassword(%q) = %v, want nil", tt.password, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.wantErr)):
			t.Errorf("CheckPassword(%q) = %v, want an error about %q", tt.password, err, tt.wantErr)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, email, fold string
		ok              bool
	}{
		{" Anna.Berg@Region.se ", "Anna.Berg@Region.se", "anna.berg@region.se", true},
		{"", "", "", false},
		{"anna", "", "", false},
		{"anna@localhost", "", "", false},
		{"Anna <anna@example.se>", "", "", false},
		{strings.Repeat("a", 250) + "@example.se", "", "", false},
	}
	for _, tt := range tests {
		email, fold, err := NormalizeEmail(tt.in)
		if (err == nil) != tt.ok || email != tt.email || fold != tt.fold {
			t.Errorf("NormalizeEmail(%q) = %q, %q, %v", tt.in, email, fold, err)
		}
	}
}

func TestRoleGrantValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		g  RoleGrant
		ok bool
	}{
		{RoleGrant{Role: RoleAdmin}, true},
		{RoleGrant{Role: RoleAdmin, CommitteeID: 1}, false},
		{RoleGrant{Role: RoleEconomist, CommitteeID: 1}, true},
		{RoleGrant{Role: RoleEconomist}, false},
		{RoleGrant{Role: RoleParty, CommitteeID: 1, PartyID: 2}, true},
		{RoleGrant{Role: RoleParty, CommitteeID: 1}, false},
		{RoleGrant{Role: RoleMember, CommitteeID: 1, PartyID: 2}, false},
		{RoleGrant{Role: "kung"}, false},
	}
	for _, tt := range tests {
		if err := tt.g.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v.Validate() = %v, want ok %v", tt.g, err, tt.ok)
		}
	}
	u := User{Roles: []RoleGrant{{Role: RoleEconomist, CommitteeID: 1}}}
	if !u.InCommittee(1) || u.InCommittee(2) || u.Has(RoleAdmin) || !u.HasAny(RoleAdmin, RoleEconomist) {
		t.Errorf("scope checks wrong for %+v", u)
	}
	if admin := (User{Roles: []RoleGrant{{Role: RoleAdmin}}}); !admin.InCommittee(2) {
		t.Error("an admin does not see every committee")
	}
}

func TestTokenUseToRecord(t *testing.T) {
	t.Parallel()
	se := sv.Location()
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, se)
	last := time.Date(2026, 3, 10, 23, 59, 30, 0, se)
	for _, tt := range []struct {
		name   string
		last   time.Time
		now    time.Time
		known  bool
		record bool
	}{
		{"first use", time.Time{}, last, false, true},
		{"within the minute", noon, noon.Add(59 * time.Second), true, false},
		{"a minute on", noon, noon.Add(time.Minute), true, true},
		{"a new address within the minute", noon, noon.Add(time.Second), false, true},
		{"a new Swedish day within the minute", last, time.Date(2026, 3, 11, 0, 0, 5, 0, se), true, true},
		{"midnight in UTC is not a new day", time.Date(2026, 3, 10, 23, 59, 50, 0, time.UTC), time.Date(2026, 3, 11, 0, 0, 10, 0, time.UTC), true, false},
		{"the day a clock change starts on", time.Date(2026, 3, 29, 0, 0, 1, 0, se), time.Date(2026, 3, 29, 0, 0, 30, 0, se), true, false},
	} {
		tok := APIToken{LastUsedAt: tt.last.UTC()}
		if got := tok.UseToRecord(tt.now.UTC(), tt.known); got != tt.record {
			t.Errorf("%s: UseToRecord = %v, want %v", tt.name, got, tt.record)
		}
	}
	if got, want := DayStart(time.Date(2026, 7, 1, 1, 30, 0, 0, se)), time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("DayStart in summer time = %v, want %v", got, want)
	}
}
