package money

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
	"github.com/shopspring/decimal"
)

func TestHTMLPieces(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in string
		max      int
		want     []string
	}{
		{"empty", "", 4, nil},
		{"fits", "<p>\n", 8, []string{"<p>\n"}},
		{"cut at line ends", "<a>\n<b>\n<c>\n", 9, []string{"<a>\n<b>\n", "<c>\n"}},
		{"no line end", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a long line", "ab\ncdefgh\n", 4, []string{"ab\n", "cdef", "gh\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := htmlPieces(tt.in, tt.max)
			var joined strings.Builder
			for _, p := range got {
				if len(p) > tt.max {
					t.Errorf("piece %q is longer than %d", p, tt.max)
				}
				joined.WriteString(string(p))
			}
			if joined.String() != tt.in || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("htmlPieces(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

// TestHistoryChartIsKeptByItsFigures: the kept drawing is the one drawn for
// the same figures, and other figures get their own.
func TestHistoryChartIsKeptByItsFigures(t *testing.T) {
	t.Parallel()
	s := &Handlers{charts: kit.NewImmutableCache[string, template.HTML](10)}
	bars := func(amount string) []stackedBar {
		return []stackedBar{{Label: "2021", Segments: []barSegment{{Label: "Basfinansiering", Value: decimal.RequireFromString(amount), Class: "k-base"}}}}
	}
	first := s.historyChart(bars("101600.00"))
	if first != stackedBarsSVG(bars("101600.00"), "Betalningar per år och slag") || !strings.Contains(string(first), sv.Kronor(decimal.RequireFromString("101600"))) {
		t.Fatalf("the chart is not the drawing of its figures: %s", first)
	}
	if again := s.historyChart(bars("101600.00")); again != first {
		t.Error("the same figures gave another drawing")
	}
	if other := s.historyChart(bars("99000.00")); other == first || !strings.Contains(string(other), sv.Kronor(decimal.RequireFromString("99000"))) {
		t.Errorf("other figures gave the kept drawing: %s", other)
	}
	if none := s.historyChart(nil); none != "" {
		t.Errorf("no figures drew %q", none)
	}
}
