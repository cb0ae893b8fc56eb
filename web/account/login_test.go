package account

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	tests := []struct {
		next string
		keep bool
	}{
		// Paths on this site are kept as they are.
		{"/", true},
		{"/namnder", true},
		{"/namnder/GNS/sammantraden?ar=2026#maj", true},
		{"/sok?q=%C3%A5rsredovisning+2026", true},
		{"/sok?q=a%2Fb", true},
		{"/arenden/12/", true},
		{"/a//b", true}, // a doubled slash after the first segment stays on the host

		// Not a path at all.
		{"", false},
		{"namnder", false},
		{"https://evil.example/", false},
		{"https:evil.example", false},
		{"https:/evil.example", false},
		{"javascript:alert(1)", false},
		{"mailto:a@evil.example", false},

		// Another host, written plainly or hidden from a simple check.
		{"//evil.example", false},
		{"///evil.example", false},
		{"/\\evil.example", false},
		{"\\/evil.example", false},
		{"\\\\evil.example", false},
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/\r/evil.example", false},
		{"\t//evil.example", false},
		{" //evil.example", false},
		{"/ /evil.example", false},
		{"/\x00/evil.example", false},
		{"/\x7f/evil.example", false},
		{"/a\\b", false},
		{"/%09/evil.example", false},
		{"/%0a/evil.example", false},
		{"/%2F/evil.example", false},
		{"/%2fevil.example", false},
		{"/%5Cevil.example", false},
		{"/%5cevil.example", false},
		{"/%zz", false},

		// Look-alike slashes, raw and percent-encoded.
		{"/\u2215evil.example", false},           // division slash
		{"/\uff0fevil.example", false},           // fullwidth solidus
		{"/\u2044evil.example", false},           // fraction slash
		{"/\uff3cevil.example", false},           // fullwidth reverse solidus
		{"\uff0f\uff0fevil.example", false},      // no ASCII slash at all
		{"/%E2%88%95evil.example", false},        // division slash, encoded
		{"/%EF%BC%8Fevil.example", false},        // fullwidth solidus, encoded
		{"/@evil.example", true},                 // a path segment, not userinfo
		{"/.evil.example", true},                 // a path segment
		{"/..//evil.example", true},              // resolves to //evil.example as a path
		{"/?next=//evil.example", true},          // a query may hold anything
		{"/#//evil.example", true},               // so may a fragment
		{"/" + strings.Repeat("a", 2000), true},  // long but local
		{"/\u00e5rsm\u00f6te", false},            // GNS's paths are ASCII
		{"/%C3%A5rsm%C3%B6te", false},            // also when encoded
		{"/sok?q=\u00e5rsm\u00f6te", false},      // raw non-ASCII, never in an escaped request URI
		{"/sok?q=%C3%A5rsm%C3%B6te&x=%0A", true}, // escaped, anything goes in a query
		{"/kalender/gns_cal_abc.ics", true},
	}
	for _, tt := range tests {
		got := safeNext(tt.next)
		want := "/"
		if tt.keep {
			want = tt.next
		}
		if got != want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, want)
		}
		if err := checkLocal(got); err != nil {
			t.Error(err)
		}
	}
}

// FuzzSafeNext checks that whatever safeNext keeps is a path on this site:
// url.Parse finds no scheme and no host, and a browser-style resolution
// against https://gns.example/ stays on that host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/namnder?x=1#y", "//evil.example", "/\t/evil.example", "/\\evil.example",
		"\\/evil.example", "/%09/evil.example", "https:evil.example", "/\uff0fevil.example", "/%2F%2Fevil", "/..//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither the input nor /", next, got)
		}
		if err := checkLocal(got); err != nil {
			t.Fatal(err)
		}
	})
}

// checkLocal reports why next, kept by safeNext and read as a browser reads
// a Location header, is not a path on https://gns.example/, or nil.
func checkLocal(next string) error {
	u, err := url.Parse(next)
	if err != nil {
		return fmt.Errorf("safeNext kept %q, which does not parse: %v", next, err)
	}
	if u.Scheme != "" || u.Host != "" || u.User != nil {
		return fmt.Errorf("safeNext kept %q, with scheme %q and host %q", next, u.Scheme, u.Host)
	}
	base, _ := url.Parse("https://gns.example/")
	b, err := url.Parse(browserNormal(next))
	if err != nil {
		return fmt.Errorf("safeNext kept %q, which a browser reads as %q, which does not parse: %v", next, browserNormal(next), err)
	}
	if r := base.ResolveReference(b); r.Scheme != "https" || r.Host != "gns.example" || r.User != nil {
		return fmt.Errorf("safeNext kept %q, which a browser on https://gns.example/ takes to %s", next, r)
	}
	// The path a server sees, decoded once, does not start another host
	// either.
	if p := browserNormal(u.Path); strings.HasPrefix(p, "//") {
		return fmt.Errorf("safeNext kept %q, whose decoded path %q starts with //", next, u.Path)
	}
	return nil
}

// browserNormal does to a relative URL what the WHATWG URL parser does
// before it reads an address of a special scheme (https): leading and
// trailing C0 controls and spaces go, tabs and line breaks go wherever they
// are, and a backslash counts as a slash.
func browserNormal(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	return strings.ReplaceAll(s, "\\", "/")
}
