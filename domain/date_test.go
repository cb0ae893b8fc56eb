package domain

import (
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
