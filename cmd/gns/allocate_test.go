package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// allocated is the JSON result of gns allocate, as a script reads it.
type allocated struct {
	Total     string `json:"total"`
	Unit      string `json:"unit"`
	Method    string `json:"method"`
	HostShare string `json:"host_share"`
	Shares    []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Amount  string `json:"amount"`
		Quota   string `json:"quota"`
		Weight  string `json:"weight"`
		Residue bool   `json:"residue"`
	} `json:"shares"`
	Sum string `json:"sum"`
}

// committee lists the seeds' nine parties in the committee's own order, host
// first, with their populations on 31 December 2020.
var committee = []struct {
	id, name   string
	population int64
}{
	{"region-jh", "Region Jämtland Härjedalen", 0},
	{"ostersund", "Östersunds kommun", 63985},
	{"are", "Åre kommun", 12049},
	{"krokom", "Krokoms kommun", 15054},
	{"berg", "Bergs kommun", 7120},
	{"bracke", "Bräcke kommun", 6181},
	{"ragunda", "Ragunda kommun", 5208},
	{"stromsund", "Strömsunds kommun", 11488},
	{"harjedalen", "Härjedalens kommun", 10070},
}

// committeeSpec returns a spec for the nine parties: top holds the members of
// the top-level object besides "parties", and party(i) any members to add to
// the i-th party.
func committeeSpec(t *testing.T, top string, party func(i int) string) string {
	t.Helper()
	parts := make([]string, len(committee))
	for i, p := range committee {
		member := `{"id": "` + p.id + `", "name": "` + p.name + `"`
		if i == 0 {
			member += `, "host": true`
		}
		if extra := party(i); extra != "" {
			member += ", " + extra
		}
		parts[i] = member + "}"
	}
	return "{" + top + `, "parties": [` + strings.Join(parts, ",\n") + "]}"
}

// allocate runs gns allocate with stdin as standard input and returns the exit
// code, standard output and standard error.
func allocate(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	env, out, errs := testEnv(nil)
	env.stdin = strings.NewReader(stdin)
	code := run(context.Background(), env, append([]string{"allocate"}, args...))
	return code, out.String(), errs.String()
}

// allocateJSON runs gns allocate on spec, expects success and decodes the result.
func allocateJSON(t *testing.T, spec string, args ...string) allocated {
	t.Helper()
	code, out, errs := allocate(t, spec, args...)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var res allocated
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not the JSON result: %v\n%s", err, out)
	}
	return res
}

// checkAmounts compares each share's id, amount and residue with want, in
// the committee's order, and the sum with the total.
func checkAmounts(t *testing.T, res allocated, total string, want []string, residues ...string) {
	t.Helper()
	if res.Total != total || res.Sum != total {
		t.Errorf("total %s, sum %s, want both %s", res.Total, res.Sum, total)
	}
	if len(res.Shares) != len(committee) {
		t.Fatalf("%d shares, want %d", len(res.Shares), len(committee))
	}
	for i, s := range res.Shares {
		if s.ID != committee[i].id || s.Name != committee[i].name {
			t.Errorf("share %d is %s (%s), want %s in the given order", i, s.ID, s.Name, committee[i].id)
		}
		if s.Amount != want[i] {
			t.Errorf("%s: amount %s, want %s", s.ID, s.Amount, want[i])
		}
		if got, want := s.Residue, strings.Contains(" "+strings.Join(residues, " ")+" ", " "+s.ID+" "); got != want {
			t.Errorf("%s: residue %v, want %v", s.ID, got, want)
		}
	}
}

// hostThen returns the amounts of a split where the host gets host and the
// eight other parties others.
func hostThen(host, others string) []string {
	amounts := []string{host}
	for range len(committee) - 1 {
		amounts = append(amounts, others)
	}
	return amounts
}

func TestAllocateWorkedCases(t *testing.T) {
	t.Parallel()
	noExtra := func(int) string { return "" }

	t.Run("base funding in equal shares", func(t *testing.T) {
		res := allocateJSON(t, committeeSpec(t, `"total": "914400.00", "method": "equal"`, noExtra))
		checkAmounts(t, res, "914400.00", hostThen("101600.00", "101600.00"))
		if q := res.Shares[4].Quota; q != "101600.00" {
			t.Errorf("quota %s, want 101600.00", q)
		}
	})

	t.Run("refund in öre", func(t *testing.T) {
		res := allocateJSON(t, committeeSpec(t, `"total": "468091.00", "method": "equal", "unit": "ore"`, noExtra))
		checkAmounts(t, res, "468091.00", hostThen("52010.12", "52010.11"), "region-jh")
		if res.Unit != "ore" || res.Method != "equal" {
			t.Errorf("unit %q, method %q", res.Unit, res.Method)
		}
		for _, s := range res.Shares {
			if s.Quota != "52010.1111111111" || s.Weight != "1" {
				t.Errorf("%s: quota %s, weight %s, want 52010.1111111111 and 1", s.ID, s.Quota, s.Weight)
			}
		}
	})

	t.Run("refund in whole kronor", func(t *testing.T) {
		res := allocateJSON(t, committeeSpec(t, `"total": "468091", "method": "equal", "unit": "krona"`, noExtra))
		checkAmounts(t, res, "468091.00", hostThen("52011.00", "52010.00"), "region-jh")
	})

	t.Run("population with a host share of 50 %", func(t *testing.T) {
		spec := committeeSpec(t, `"total": "1000000.00", "method": "population", "host_share": "50"`, func(i int) string {
			if i == 0 {
				return ""
			}
			return fmt.Sprintf(`"population": %d, "population_date": "2020-12-31", "population_source": "SCB"`, committee[i].population)
		})
		res := allocateJSON(t, spec)
		// Worked out by hand: the host pays 500 000,00; the others share
		// 500 000,00 by population (131 155 inhabitants in all), and the four
		// öre left after rounding down go to the largest remainders.
		checkAmounts(t, res, "1000000.00", []string{
			"500000.00", "243928.94", "45934.20", "57390.11", "27143.46",
			"23563.72", "19854.37", "43795.51", "38389.69",
		}, "ostersund", "are", "berg", "stromsund")
		if res.HostShare != "50" || res.Shares[0].Weight != "50" || res.Shares[1].Weight != "63985" {
			t.Errorf("host share %q, weights %s and %s", res.HostShare, res.Shares[0].Weight, res.Shares[1].Weight)
		}
		if q := res.Shares[1].Quota; q != "243928.939041592" {
			t.Errorf("Östersund's quota %s, want 243928.939041592", q)
		}
	})
}

// TestAllocateMatchesGolden runs the allocation package's test specs through
// the command and compares the output with that package's golden results, so
// the command's JSON is the library's JSON to the byte.
func TestAllocateMatchesGolden(t *testing.T) {
	t.Parallel()
	specs, err := filepath.Glob(filepath.Join("..", "..", "allocation", "testdata", "spec", "*.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs: %v", err)
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(filepath.Dir(spec), "..", "golden", filepath.Base(spec)))
			if err != nil {
				t.Fatal(err)
			}
			code, out, errs := allocate(t, "", "--file", spec)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			if out != string(want) {
				t.Errorf("output differs from the golden file:\ngot:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no-such-spec.json")
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  string
	}{
		{
			name:     "percentages not summing to 100",
			stdin:    `{"total": "100.00", "method": "percent", "parties": [{"id": "a", "percent": "50"}, {"id": "b", "percent": "49.99"}]}`,
			wantCode: 2, wantErr: "gns allocate: invalid spec: parties: percentages sum to 99.99, want exactly 100",
		},
		{
			name:     "malformed JSON",
			stdin:    `{"total": "100.00", "method": "equal", "parties": [`,
			wantCode: 2, wantErr: "gns allocate: invalid spec: spec: malformed JSON",
		},
		{
			name:     "empty input",
			stdin:    "",
			wantCode: 2, wantErr: "gns allocate: invalid spec: spec: empty input",
		},
		{
			name:     "unknown method",
			stdin:    `{"total": "100.00", "method": "lottery", "parties": [{"id": "a"}]}`,
			wantCode: 2, wantErr: `gns allocate: invalid spec: method: unknown method "lottery"`,
		},
		{
			name:     "missing population names the party",
			stdin:    `{"total": "100.00", "method": "population", "parties": [{"id": "a", "population": 5}, {"id": "b"}]}`,
			wantCode: 2, wantErr: `gns allocate: invalid spec: parties[1].population: missing for method population (party "b")`,
		},
		{
			name:     "a field with a line break stays on one line",
			stdin:    `{"total": "100.00", "method": "equal", "parties": [{"id": "a", "x\ny": 1}]}`,
			wantCode: 2, wantErr: "gns allocate: invalid spec: parties[0].x y: unknown field",
		},
		{
			name: "unknown format", args: []string{"--format", "xml"},
			wantCode: 2, wantErr: `gns allocate: --format must be json or table, got "xml"`,
		},
		{
			name: "stray argument", args: []string{"spec.json"},
			wantCode: 2, wantErr: `gns allocate: unexpected argument "spec.json"`,
		},
		{
			name: "unreadable file", args: []string{"--file", missing},
			wantCode: 1, wantErr: "gns allocate: read spec: open " + missing + ": no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := allocate(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, errs)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if !strings.HasPrefix(errs, tt.wantErr) {
				t.Errorf("stderr = %q, want it to start with %q", errs, tt.wantErr)
			}
			if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
				t.Errorf("stderr = %q, want exactly one line", errs)
			}
		})
	}
}

func TestAllocateFromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "spec.json")
	spec := `{"total": "5000.00", "method": "direct", "parties": [{"id": "are", "name": "Åre kommun"}]}`
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	// Standard input is ignored when --file is given.
	res := allocateJSON(t, "not JSON", "--file", path)
	if len(res.Shares) != 1 || res.Shares[0].Amount != "5000.00" || res.Method != "direct" {
		t.Errorf("direct split from a file: %+v", res)
	}
}

func TestAllocateTable(t *testing.T) {
	t.Parallel()
	spec := committeeSpec(t, `"total": "468091.00", "method": "equal"`, func(int) string { return "" })
	code, out, errs := allocate(t, spec, "--format", "table")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	nb := func(s string) string { return strings.ReplaceAll(s, "_", "\u00a0") }
	for _, want := range []string{
		"Fördelning av 468_091,00_kr, lika delar, avrundat till öre.",
		"Part", "Underlag", "Kvot", "Andel", "Rest",
		"52_010,12  +1_öre",
		"Östersunds kommun           lika delar  52_010,1111111111   52_010,11\n",
		"Summa ",
		"468_091,00\n",
		"Summan av andelarna är lika med beloppet att fördela, 468_091,00_kr.",
	} {
		if !strings.Contains(out, nb(want)) {
			t.Errorf("table lacks %q:\n%s", nb(want), out)
		}
	}
	if strings.Count(out, "+1\u00a0öre") != 1 {
		t.Errorf("want exactly one residue mark, for the host:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space in %q", line)
		}
	}

	t.Run("bases", func(t *testing.T) {
		for file, want := range map[string][]string{
			"project_host_share.json": {"värdpart 50_%", "64_000_inv. per 2020-11-01", "Källa för invånarantal: made up for the test."},
			"percent_krona.json":      {"23,97_%", "234_046,00  +1_kr", "avrundat till hela kronor"},
			"refund_equal.json":       {"−52_010,12  −1_öre", "−468_091,00"},
			"directive_subset.json": {"omräknad över de deltagande (12,95_%)", "2,54_% → 19,6138996139_%", "58_841,70  +1_öre",
				"deras procentsatser summerar till 12,95_%."},
			"mixed_equal_population.json": {"blandad nyckel", "blandad, 25,8974_% av beloppet", "Del 1: 50_% av beloppet, lika delar: exakt 234_045,50, avrundat 234_045,50_kr.",
				"Del 2: 50_% av beloppet, efter invånarantal", "15_000_inv. per 2020-11-01", "\nKälla för invånarantal: made up for the test."},
		} {
			path := filepath.Join("..", "..", "allocation", "testdata", "spec", file)
			code, out, errs := allocate(t, "", "--file", path, "--format", "table")
			if code != 0 {
				t.Fatalf("%s: exit %d, %s", file, code, errs)
			}
			for _, w := range want {
				if !strings.Contains(out, nb(w)) {
					t.Errorf("%s: table lacks %q:\n%s", file, nb(w), out)
				}
			}
		}
	})
}
