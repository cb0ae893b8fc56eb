// Package domaintest holds checks that the tests of domain's subpackages
// share.
package domaintest

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
)

// CheckError fails the test unless err is a *domain.Error with the given
// code and field whose message contains msg ("" skips the message check).
func CheckError(t *testing.T, call string, err error, code, field, msg string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Errorf("%s error = %v, want a *domain.Error with code %q", call, err, code)
		return
	}
	if e.Code != code || e.Field != field {
		t.Errorf("%s error code, field = %q, %q, want %q, %q", call, e.Code, e.Field, code, field)
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("%s error message = %q, want it to contain %q", call, e.Message, msg)
	}
}

// LuhnCheckDigit computes the Luhn check digit of digits independently of
// domain's code: weights 2, 1, 2, 1 ... from the right, each product's decimal
// digits added up, and the check digit the distance to the next multiple of
// ten.
func LuhnCheckDigit(digits string) int {
	sum := 0
	for i := range len(digits) {
		weight := 1
		if (len(digits)-i)%2 == 1 {
			weight = 2
		}
		d, _ := strconv.Atoi(digits[i : i+1])
		for _, c := range strconv.Itoa(d * weight) {
			sum += int(c - '0')
		}
	}
	return (10 - sum%10) % 10
}
