package meeting

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
)

func TestCheckMeetingDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		day                  string
		municipal, confirmed bool
		ok                   bool
	}{
		{"2021-02-08", true, false, true},  // a Monday (the seed's plan)
		{"2020-12-18", true, false, true},  // a Friday
		{"2027-03-10", true, false, false}, // a Wednesday
		{"2027-03-10", true, true, true},   // confirmed exception
		{"2027-03-10", false, false, true}, // municipalities not taking part
	}
	for _, tt := range tests {
		err := CheckMeetingDay(domain.MustDate(tt.day), tt.municipal, tt.confirmed)
		if (err == nil) != tt.ok {
			t.Errorf("CheckMeetingDay(%s, %v, %v) = %v, want ok %v", tt.day, tt.municipal, tt.confirmed, err, tt.ok)
		}
		if err != nil && !strings.Contains(domain.ErrorMessage(err), "onsdag") {
			t.Errorf("message %q does not name the weekday", domain.ErrorMessage(err))
		}
	}
}

func TestEasterAndHolidays(t *testing.T) {
	t.Parallel()
	for year, want := range map[int]string{2019: "2019-04-21", 2020: "2020-04-12", 2021: "2021-04-04", 2024: "2024-03-31", 2027: "2027-03-28", 2038: "2038-04-25"} {
		if got := easterSunday(year); got != domain.MustDate(want) {
			t.Errorf("Easter %d = %v, want %s", year, got, want)
		}
	}
	for _, tt := range []struct {
		day     string
		working bool
	}{
		{"2021-01-04", true}, {"2021-01-06", false}, {"2021-04-02", false}, {"2021-04-05", false},
		{"2021-05-13", false}, {"2021-06-25", false}, {"2021-06-24", true}, {"2021-11-06", false},
		{"2020-12-24", false}, {"2020-12-31", false}, {"2021-12-30", true}, {"2021-06-06", false},
	} {
		if got := IsSwedishWorkingDay(domain.MustDate(tt.day)); got != tt.working {
			t.Errorf("IsSwedishWorkingDay(%s) = %v, want %v", tt.day, got, tt.working)
		}
	}
}

func TestAppealPeriodEnd(t *testing.T) {
	t.Parallel()
	tests := []struct{ announced, end string }{
		{"2020-12-14", "2021-01-04"}, // a Monday three weeks later
		{"2021-06-04", "2021-06-28"}, // 25 June is midsommarafton, then the weekend
		{"2020-12-03", "2020-12-28"}, // 24 December is julafton, then juldagen and a weekend
		{"2021-03-12", "2021-04-06"}, // 2 April is långfredagen, 5 April annandag påsk
	}
	for _, tt := range tests {
		if got := AppealPeriodEnd(domain.MustDate(tt.announced)); got != domain.MustDate(tt.end) {
			t.Errorf("AppealPeriodEnd(%s) = %v, want %s", tt.announced, got, tt.end)
		}
	}
}

func TestCountVotes(t *testing.T) {
	t.Parallel()
	serving := []int64{1, 2, 3}
	names := map[int64]string{1: "Robert Hamberg", 2: "Susanne Hansson", 3: "Ann Åsling", 9: "Ersättare Nio"}
	tests := []struct {
		name    string
		votes   map[int64]Vote
		want    VoteCount
		wantErr string
	}{
		{"all voted", map[int64]Vote{1: VoteYes, 2: VoteNo, 3: VoteAbstain}, VoteCount{1, 1, 1}, ""},
		{"one missing", map[int64]Vote{1: VoteYes, 2: VoteNo}, VoteCount{}, "Ann Åsling tjänstgör men saknar röst"},
		{"not serving", map[int64]Vote{1: VoteYes, 2: VoteNo, 3: VoteYes, 9: VoteNo}, VoteCount{}, "Ersättare Nio tjänstgör inte"},
		{"unknown vote", map[int64]Vote{1: VoteYes, 2: "kanske", 3: VoteYes}, VoteCount{}, "Okänd röst"},
	}
	for _, tt := range tests {
		got, err := CountVotes(serving, tt.votes, names)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(domain.ErrorMessage(err), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if s := (VoteCount{5, 3, 1}).String(); s != "5 ja, 3 nej, 1 avstår" {
		t.Errorf("VoteCount.String() = %q", s)
	}
}

func TestAssignmentTransitions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to AssignmentStatus
		para     int64
		ok       bool
	}{
		{AssignmentGiven, AssignmentInProgress, 0, true},
		{AssignmentInProgress, AssignmentReported, 0, true},
		{AssignmentReported, AssignmentInProgress, 0, true},
		{AssignmentReported, AssignmentCompleted, 0, true},
		{AssignmentGiven, AssignmentWithdrawn, 0, false},
		{AssignmentGiven, AssignmentWithdrawn, 14, true},
		{AssignmentCompleted, AssignmentInProgress, 0, false},
		{AssignmentWithdrawn, AssignmentGiven, 0, false},
		{AssignmentGiven, AssignmentGiven, 0, false},
		{AssignmentGiven, "okänd", 0, false},
	}
	for _, tt := range tests {
		if err := CheckAssignmentTransition(tt.from, tt.to, tt.para); (err == nil) != tt.ok {
			t.Errorf("%s → %s (paragraph %d) = %v, want ok %v", tt.from, tt.to, tt.para, err, tt.ok)
		}
	}
}
