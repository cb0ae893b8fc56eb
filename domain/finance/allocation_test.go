package finance

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

// TestCheckAmount: an amount is kept as whole öre in a signed 64-bit
// integer; anything else is refused on its field.
func TestCheckAmount(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"0", ""},
		{"914400.00", ""},
		{"-468091.00", ""},
		{"0.01", ""},
		{"92233720368547758.07", ""},
		{"-92233720368547758.07", ""},
		{"0.001", "bråkdelar av ett öre"},
		{"-10.005", "bråkdelar av ett öre"},
		{"92233720368547758.08", "för stort"},
		{"-92233720368547758.08", "för stort"},
		{"100000000000000000", "för stort"},
	} {
		err := CheckAmount("total", decimal.RequireFromString(tt.in))
		var e *domain.Error
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckAmount(%s) = %v, want nil", tt.in, err)
		case tt.want != "" && (!errors.As(err, &e) || !strings.Contains(e.Message, tt.want) || e.Field != "total"):
			t.Errorf("CheckAmount(%s) = %v, want an error on total with %q", tt.in, err, tt.want)
		}
	}
}
