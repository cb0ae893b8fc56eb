package sqlconn

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestToOre(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"468091.00", 46809100, true},
		{"-52010.11", -5201011, true},
		{"0.01", 1, true},
		{"0.005", 0, false},
		{"92233720368547758.08", 0, false},
		{"92233720368547758.07", 9223372036854775807, true},
	}
	for _, tt := range tests {
		got, err := ToOre(decimal.RequireFromString(tt.in))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ToOre(%s) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err == nil && !FromOre(got).Equal(decimal.RequireFromString(tt.in)) {
			t.Errorf("FromOre(ToOre(%s)) = %s", tt.in, FromOre(got))
		}
	}
}
