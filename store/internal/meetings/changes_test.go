package meetings

import "testing"

// TestParagraphList: the paragraph numbers of a refused year move, as the
// message names them.
func TestParagraphList(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		numbers []int
		want    string
	}{
		{[]int{4}, "paragrafen § 4/2026"},
		{[]int{1, 2, 3}, "paragraferna § 1–3/2026"},
		{[]int{1, 2, 5}, "paragraferna § 1–2 och § 5/2026"},
		{[]int{1, 3, 5, 6}, "paragraferna § 1, § 3 och § 5–6/2026"},
	} {
		if got := paragraphList(tt.numbers, 2026); got != tt.want {
			t.Errorf("paragraphList(%v) = %q, want %q", tt.numbers, got, tt.want)
		}
	}
}
