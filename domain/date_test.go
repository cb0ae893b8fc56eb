package domain

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2020-12-14", Date{2020, time.December, 14}, false},
		{"2024-02-29", Date{2024, time.February, 29}, false},
		{"2023-02-29", Date{}, true},
		{"2020-13-01", Date{}, true},
		{"14 december 2020", Date{}, true},
		{"", Date{}, true},
		{"1900-01-01", Date{1900, time.January, 1}, false},
		{"2199-12-31", Date{2199, time.December, 31}, false},
		{"1899-12-31", Date{}, true},
		{"2200-01-01", Date{}, true},
		{"0000-01-01", Date{}, true},
		{"9999-12-31", Date{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q, want the input back", tt.in, got.String())
		}
	}
}

// TestDateRange checks the one range of every date field, 1900-01-01 …
// 2199-12-31, through each way a date is read: ParseDate, ParseDateField, a
// JSON body and CheckDateRange.
func TestDateRange(t *testing.T) {
	for _, in := range []string{"0000-01-01", "0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"} {
		_, err := ParseDate(in)
		checkDomainError(t, "ParseDate("+in+")", err, EINVALID, "", "Datumet måste ligga mellan 1900-01-01 och 2199-12-31.")
		_, err = ParseDateField("term_from", "Datumet", in, true)
		checkDomainError(t, "ParseDateField("+in+")", err, EINVALID, "term_from", "Datumet måste ligga mellan 1900-01-01 och 2199-12-31.")
		var d Date
		err = json.Unmarshal([]byte(`"`+in+`"`), &d)
		checkDomainError(t, "UnmarshalJSON("+in+")", err, EINVALID, "", DateRangeMessage)
		if err == nil || err.Error() != DateRangeMessage {
			t.Errorf("UnmarshalJSON(%s) error text %v, want the Swedish message alone", in, err)
		}
	}
	for _, in := range []string{"1900-01-01", "2199-12-31"} {
		if _, err := ParseDateField("d", "Datumet", in, true); err != nil {
			t.Errorf("ParseDateField(%s) = %v, want it accepted", in, err)
		}
	}
	if err := CheckDateRange("d", "Dagen", Date{}); err != nil {
		t.Errorf("CheckDateRange(zero) = %v, want no date to pass", err)
	}
	checkDomainError(t, "CheckDateRange(2200-01-01)", CheckDateRange("d", "Dagen", Date{2200, time.January, 1}), EINVALID, "d", "Dagen måste ligga mellan 1900-01-01 och 2199-12-31.")
	if MinDate.AddDays(-1).InRange() || !MinDate.InRange() || !MaxDate.InRange() || MaxDate.AddDays(1).InRange() || (Date{}).InRange() {
		t.Error("InRange does not match MinDate … MaxDate")
	}
}

// FuzzParseDate checks every reader of a typed date: no panic; an accepted
// date lies in MinDate … MaxDate and writes back as the input; a refused one
// gives an EINVALID error (a field error from ParseDateField), and the JSON
// reader agrees with ParseDate.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-12-14", "2024-02-29", "2023-02-29", "1900-01-01", "2199-12-31", "0000-01-01", "9999-12-31", "2020-13-01", " 2020-12-31 ", "+2020-01-01", "2020-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			checkDomainError(t, "ParseDate", err, EINVALID, "", "Datumet")
		} else if !d.InRange() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, outside the range or not the input", s, d)
		}
		var j Date
		jerr := json.Unmarshal([]byte(strconv.Quote(s)), &j)
		if (jerr == nil) != (err == nil) || j != d {
			t.Fatalf("UnmarshalJSON(%q) = %v, %v; ParseDate = %v, %v", s, j, jerr, d, err)
		}
		fd, ferr := ParseDateField("f", "Datumet", s, true)
		if ferr != nil {
			checkDomainError(t, "ParseDateField", ferr, EINVALID, "f", "Datumet")
			return
		}
		if !fd.InRange() || fd.String() != strings.TrimSpace(s) {
			t.Fatalf("ParseDateField(%q) = %v", s, fd)
		}
	})
}

func TestMembershipActiveOn(t *testing.T) {
	t.Parallel()
	open := Membership{From: MustDate("2018-07-01")}
	closed := Membership{From: MustDate("2018-07-01"), To: MustDate("2020-12-31")}
	tests := []struct {
		m    Membership
		day  string
		want bool
	}{
		{open, "2018-06-30", false},
		{open, "2018-07-01", true},
		{open, "2030-01-01", true},
		{closed, "2020-12-31", true},
		{closed, "2021-01-01", false},
	}
	for _, tt := range tests {
		if got := tt.m.ActiveOn(MustDate(tt.day)); got != tt.want {
			t.Errorf("%+v.ActiveOn(%s) = %v, want %v", tt.m, tt.day, got, tt.want)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	t.Parallel()
	internal := errTest("connection refused to 10.0.0.1")
	if got := ErrorCode(internal); got != EINTERNAL {
		t.Errorf("ErrorCode(internal) = %q, want %q", got, EINTERNAL)
	}
	if got := ErrorMessage(internal); got == internal.Error() {
		t.Errorf("ErrorMessage leaked the internal text %q", got)
	}
	e := FieldErrorf("name", "Namnet saknas.")
	wrapped := wrap(e)
	if got := ErrorCode(wrapped); got != EINVALID {
		t.Errorf("ErrorCode(wrapped) = %q, want %q", got, EINVALID)
	}
	if got := ErrorMessage(wrapped); got != "Namnet saknas." {
		t.Errorf("ErrorMessage(wrapped) = %q", got)
	}
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error should have empty code and message")
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

func wrap(err error) error { return &wrapper{err} }

type wrapper struct{ err error }

func (w *wrapper) Error() string { return "context: " + w.err.Error() }
func (w *wrapper) Unwrap() error { return w.err }
