package finance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/domaintest"
	"github.com/region-jh/gns/sv"
)

// referenceOCR builds an OCR reference with domaintest.LuhnCheckDigit, independently
// of NewOCR.
func referenceOCR(base string, withLengthDigit bool) string {
	s := base
	if withLengthDigit {
		s += strconv.Itoa((len(base) + 2) % 10)
	}
	return s + strconv.Itoa(domaintest.LuhnCheckDigit(s))
}

func TestNewOCR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base       string
		withLength bool
		want       string
	}{
		// Worked by hand: 1234567 has Luhn sum 26, check digit 4.
		{"1234567", false, "12345674"},
		// Length digit 9 (nine digits in all), then 12345679 has sum 40, check 0.
		{"1234567", true, "123456790"},
		{"7992739871", false, "79927398713"},
		{"1", false, "18"},
		{"1", true, "133"},
		{"2021000017", true, referenceOCR("2021000017", true)}, // length digit 2 of 12
		{strings.Repeat("9", 24), false, referenceOCR(strings.Repeat("9", 24), false)},
		{strings.Repeat("1", 23), true, referenceOCR(strings.Repeat("1", 23), true)},
		{"0000", false, "00000"},
	}
	for _, tt := range tests {
		got, err := NewOCR(tt.base, tt.withLength)
		if err != nil || got != tt.want {
			t.Errorf("NewOCR(%q, %v) = %q, %v, want %q, nil", tt.base, tt.withLength, got, err, tt.want)
		}
		if want := referenceOCR(tt.base, tt.withLength); got != want {
			t.Errorf("NewOCR(%q, %v) = %q, reference gives %q", tt.base, tt.withLength, got, want)
		}
		if !ValidOCR(got, tt.withLength) {
			t.Errorf("ValidOCR(%q, %v) = false for NewOCR's own result", got, tt.withLength)
		}
	}
}

func TestNewOCRErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base       string
		withLength bool
		wantMsg    string
	}{
		{"", false, "bara innehålla siffror"},
		{"12 34", false, "bara innehålla siffror"},
		{"12-34", true, "bara innehålla siffror"},
		{strings.Repeat("1", 25), false, "högst 25 siffror, men underlaget ger 26"},
		{strings.Repeat("1", 24), true, "högst 25 siffror, men underlaget ger 26"},
	}
	for _, tt := range tests {
		_, err := NewOCR(tt.base, tt.withLength)
		domaintest.CheckError(t, "NewOCR("+sv.Quote(tt.base)+")", err, domain.EINVALID, "", tt.wantMsg)
	}
}

func TestValidOCR(t *testing.T) {
	t.Parallel()
	wrongLength := "12345678" + strconv.Itoa(domaintest.LuhnCheckDigit("12345678")) // length digit 8 in a 9-digit reference
	tests := []struct {
		in         string
		withLength bool
		want       bool
	}{
		{"12345674", false, true},
		{"12345675", false, false},
		{"12345647", false, false}, // swapped digits
		{"123456790", true, true},
		{"123456790", false, true}, // a length digit is just a digit without the agreement
		{"12345674", true, false},  // Luhn-valid, but 7 is not the length 8
		{wrongLength, true, false},
		{wrongLength, false, true},
		{"18", false, true},
		{"18", true, false}, // too short to hold a length digit
		{"0", false, false},
		{"", false, false},
		{"1234 5674", false, false},
		{referenceOCR(strings.Repeat("9", 24), false), false, true},
		{referenceOCR(strings.Repeat("9", 25), false), false, false}, // 26 digits
	}
	for _, tt := range tests {
		if got := ValidOCR(tt.in, tt.withLength); got != tt.want {
			t.Errorf("ValidOCR(%q, %v) = %v, want %v", tt.in, tt.withLength, got, tt.want)
		}
	}
}

func FuzzNewOCR(f *testing.F) {
	f.Add("1234567", false)
	f.Add("1234567", true)
	f.Add("", true)
	f.Add("12a", false)
	f.Add(strings.Repeat("9", 24), true)
	f.Fuzz(func(t *testing.T, base string, withLength bool) {
		ocr, err := NewOCR(base, withLength)
		if err != nil {
			domaintest.CheckError(t, "NewOCR", err, domain.EINVALID, "", "")
			return
		}
		if want := referenceOCR(base, withLength); ocr != want {
			t.Fatalf("NewOCR(%q, %v) = %q, reference gives %q", base, withLength, ocr, want)
		}
		if !ValidOCR(ocr, withLength) {
			t.Fatalf("ValidOCR(%q, %v) = false for NewOCR's own result", ocr, withLength)
		}
		for i := range len(ocr) {
			b := []byte(ocr)
			b[i] = '0' + (b[i]-'0'+3)%10
			if ValidOCR(string(b), withLength) {
				t.Fatalf("ValidOCR(%q) = true after changing digit %d of %q", b, i, ocr)
			}
		}
	})
}

func FuzzValidOCR(f *testing.F) {
	f.Add("12345674", false)
	f.Add("123456790", true)
	f.Add("1234 5674", false)
	f.Fuzz(func(t *testing.T, s string, withLength bool) {
		if !ValidOCR(s, withLength) {
			return
		}
		base := s[:len(s)-1]
		if withLength {
			base = s[:len(s)-2]
		}
		if ocr, err := NewOCR(base, withLength); err != nil || ocr != s {
			t.Fatalf("ValidOCR(%q, %v) = true, but NewOCR(%q) = %q, %v", s, withLength, base, ocr, err)
		}
	})
}
