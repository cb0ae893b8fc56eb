package domain

import (
	"strconv"
	"testing"

	"github.com/region-jh/gns/sv"
)

// referenceCheckDigit computes the Luhn check digit for digits independently of
// luhnSum: weights 2, 1, 2, 1 ... from the right, each product's decimal digits
// added up, and the check digit the distance to the next multiple of ten.
func referenceCheckDigit(digits string) int {
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

func TestLuhnCheckDigit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"7992739871", 3}, // the textbook example
		{"1234567", 4},
		{"232100021", 4}, // Region Jämtland Härjedalen, 232100-0214
		{"212000252", 8}, // Östersunds kommun, 212000-2528
		{"0", 0},
		{"1", 8},
		{"5", 9}, // 5·2 = 10, digit sum 1, so 9 to reach 10
		{"0000000000", 0},
	}
	for _, tt := range tests {
		got, err := LuhnCheckDigit(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("LuhnCheckDigit(%q) = %d, %v, want %d, nil", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "12a", "12 3", "123-4", "١٢"} {
		_, err := LuhnCheckDigit(in)
		checkDomainError(t, "LuhnCheckDigit("+sv.Quote(in)+")", err, EINVALID, "", "bara innehålla siffror")
	}
}

func TestLuhnCheckDigitAgainstReference(t *testing.T) {
	t.Parallel()
	for n := 0; n < 100000; n += 7 {
		for _, s := range []string{strconv.Itoa(n), "00" + strconv.Itoa(n)} {
			got, err := LuhnCheckDigit(s)
			if want := referenceCheckDigit(s); err != nil || got != want {
				t.Fatalf("LuhnCheckDigit(%q) = %d, %v, want %d", s, got, err, want)
			}
		}
	}
}

func TestLuhnValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"79927398713", true},
		{"79927398710", false},
		{"2321000214", true},
		{"2321000215", false},
		{"2321000241", false}, // neighbouring digits swapped
		{"18", true},
		{"00", true},
		{"0", false}, // no payload
		{"", false},
		{"232100-0214", false}, // callers normalise first
		{" 2321000214", false},
	}
	for _, tt := range tests {
		if got := LuhnValid(tt.in); got != tt.want {
			t.Errorf("LuhnValid(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzLuhn(f *testing.F) {
	for _, s := range []string{"7992739871", "1234567", "0", "12a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, digits string) {
		check, err := LuhnCheckDigit(digits)
		if err != nil {
			if digits != "" && ASCIIDigitsOnly(digits) {
				t.Fatalf("LuhnCheckDigit(%q) refused digits: %v", digits, err)
			}
			return
		}
		full := digits + strconv.Itoa(check)
		if !LuhnValid(full) {
			t.Fatalf("LuhnValid(%q) = false for its own check digit", full)
		}
		if len(digits) > 100 {
			return // the checks below are quadratic; long inputs add nothing
		}
		if want := referenceCheckDigit(digits); check != want {
			t.Fatalf("LuhnCheckDigit(%q) = %d, want %d", digits, check, want)
		}
		// Luhn catches every single wrong digit.
		for i := range len(full) {
			b := []byte(full)
			b[i] = '0' + (b[i]-'0'+1)%10
			if LuhnValid(string(b)) {
				t.Fatalf("LuhnValid(%q) = true after changing digit %d of %q", b, i, full)
			}
		}
	})
}
