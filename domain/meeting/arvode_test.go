package meeting

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func TestParagraphRanges(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{14}, "§ 14"},
		{[]int{15, 16, 17, 18, 19, 20, 21, 22, 23}, "§§ 15–23"},
		{[]int{8, 10, 11, 12}, "§§ 8, 10–12"},
		{[]int{1, 3}, "§§ 1, 3"},
	} {
		if got := ParagraphRanges(c.in); got != c.want {
			t.Errorf("ParagraphRanges(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPresentAtAndRole(t *testing.T) {
	t.Parallel()
	ns := []int{15, 16, 17, 18}
	for _, c := range []struct {
		name string
		a    Attendance
		want string
		role ArvodeRole
	}{
		{"absent", Attendance{Member: domain.Member{Role: domain.MemberOrdinary}}, "", ArvodeLedamot},
		{"throughout", Attendance{Present: true, Serving: true, Member: domain.Member{Role: domain.MemberChair}}, "§§ 15–18", ArvodeLedamot},
		{"arrived late", Attendance{Present: true, Serving: true, ArrivedAt: 17, Member: domain.Member{Role: domain.MemberSubstitute}}, "§§ 17–18", ArvodeServingSubstitute},
		{"left early", Attendance{Present: true, LeftAfter: 15, Member: domain.Member{Role: domain.MemberSubstitute}}, "§ 15", ArvodeSubstitute},
	} {
		if got := ParagraphRanges(PresentAt(c.a, ns)); got != c.want || RoleOf(c.a) != c.role {
			t.Errorf("%s: %q %s, want %q %s", c.name, got, RoleOf(c.a), c.want, c.role)
		}
	}
}

func TestParseClaim(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		in      ClaimInput
		receipt bool
		field   string
		check   func(Claim) bool
	}{
		{"hours", ClaimInput{Kind: "arbetsinkomst", Hours: "3,5"}, false, "", func(c Claim) bool { return c.Hours.Equal(decimal.RequireFromString("3.5")) }},
		{"hours with a point", ClaimInput{Kind: "arbetsinkomst", Hours: "7.25"}, false, "", func(c Claim) bool { return c.Hours.String() == "7.25" }},
		{"too many hours", ClaimInput{Kind: "arbetsinkomst", Hours: "25"}, false, "hours", nil},
		{"no hours", ClaimInput{Kind: "arbetsinkomst", Hours: ""}, false, "hours", nil},
		{"zero hours", ClaimInput{Kind: "arbetsinkomst", Hours: "0"}, false, "hours", nil},
		{"three decimals", ClaimInput{Kind: "arbetsinkomst", Hours: "1,125"}, false, "hours", nil},
		{"travel", ClaimInput{Kind: "resa", Km: "84,5", From: " Bräcke ", Hours: "9"}, false, "", func(c Claim) bool { return c.Km.String() == "84.5" && c.From == "Bräcke" && c.Hours.IsZero() }},
		{"km in hundredths", ClaimInput{Kind: "resa", Km: "84,55", From: "Bräcke"}, false, "km", nil},
		{"travel without from", ClaimInput{Kind: "resa", Km: "84"}, false, "from", nil},
		{"cost", ClaimInput{Kind: "utlagg", Amount: "120,50", Description: "Parkering"}, true, "", func(c Claim) bool { return c.Amount.String() == "120.5" }},
		{"cost without receipt", ClaimInput{Kind: "utlagg", Amount: "120", Description: "Parkering"}, false, "file", nil},
		{"cost without description", ClaimInput{Kind: "utlagg", Amount: "120"}, true, "description", nil},
		{"negative cost", ClaimInput{Kind: "utlagg", Amount: "-120", Description: "x"}, true, "amount", nil},
		{"unknown kind", ClaimInput{Kind: "middag"}, false, "kind", nil},
	} {
		got, err := ParseClaim(c.in, c.receipt)
		if c.field != "" {
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Field != c.field {
				t.Errorf("%s: error = %v, want one on %s", c.name, err, c.field)
			}
			continue
		}
		if err != nil || !c.check(got) {
			t.Errorf("%s: %+v, %v", c.name, got, err)
		}
	}
}

// FuzzParseClaim checks that any input is either refused with a field error
// or gives a claim within the limits.
func FuzzParseClaim(f *testing.F) {
	f.Add("arbetsinkomst", "3,5", "", "", "", "")
	f.Add("resa", "", "84,5", "Bräcke", "", "")
	f.Add("utlagg", "", "", "", "120,50", "Parkering")
	f.Fuzz(func(t *testing.T, kind, hours, km, from, amount, desc string) {
		c, err := ParseClaim(ClaimInput{Kind: kind, Hours: hours, Km: km, From: from, Amount: amount, Description: desc}, true)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if c.Hours.GreaterThan(MaxClaimHours) || c.Km.GreaterThan(MaxClaimKm) || c.Amount.GreaterThan(MaxClaimAmount) ||
			c.Hours.Sign() < 0 || c.Km.Sign() < 0 || c.Amount.Sign() < 0 || c.Hours.Exponent() < -2 || c.Km.Exponent() < -1 {
			t.Fatalf("claim out of bounds: %+v", c)
		}
	})
}
