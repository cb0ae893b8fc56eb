package store_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

var clockForm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// FuzzParseClock feeds the meeting time reader what forms and the API send:
// an accepted time is TT:MM of a real time of day and reads back as itself;
// a refused one is a field error naming the field.
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "9:00", "09.00", " 23:59 ", "24:00", "9:60", "+9:00", "-1:00", "0900", "9:0", "", "１:００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		clock, err := store.ParseClock("start_time", "Starttiden", s)
		if err != nil {
			var e *domain.Error
			if domain.ErrorCode(err) != domain.EINVALID || !errors.As(err, &e) || e.Field != "start_time" {
				t.Fatalf("ParseClock(%q): %v, want a field error on start_time", s, err)
			}
			return
		}
		if !clockForm.MatchString(clock) {
			t.Fatalf("ParseClock(%q) = %q", s, clock)
		}
		if again, err := store.ParseClock("start_time", "Starttiden", clock); err != nil || again != clock {
			t.Fatalf("ParseClock(%q) = %q, read back as %q, %v", s, clock, again, err)
		}
	})
}
