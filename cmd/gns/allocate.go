package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

const allocateAbout = `Splits an amount between parties exactly, the way the committee's decisions do,
and shows every share with its quota and whether it received a leftover unit.

Reads a JSON spec from --file or standard input, for example
  {"total": "468091.00", "method": "equal", "unit": "ore",
   "parties": [{"id": "region-jh", "name": "Region Jämtland Härjedalen", "host": true}, ...]}
method is equal, population (every party's "population"; with "host_share": "50"
the host pays a fixed 50 %), percent (every party's "percent", summing to exactly
100; with "renormalise": true they are the participants' entries in a larger key,
renormalised over them), direct (one party) or mixed ("parts": [{"percent": "50",
"method": "equal"}, {"percent": "50", "method": "population"}]: each part of the
total split by its own method); unit is ore (the default) or krona. Writes the result as JSON to standard output,
or a Swedish table with --format table. An invalid spec exits with status 2 and one
line on standard error naming the field.`

// runAllocate is `gns allocate`: a JSON spec in, the split out. Its input and
// output are a contract for scripts: see allocation.ParseSpec and
// allocation.Result.MarshalJSON.
func runAllocate(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "allocate", "[--file spec.json] [--format json|table]", allocateAbout)
	file := fs.String("file", "", "read the spec from this file instead of standard input")
	format := fs.String("format", "json", "output: json, or table for a table in Swedish")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q (the spec is read with --file or from standard input)", errUsage, fs.Arg(0))
	}
	write, ok := map[string]func(io.Writer, allocation.Result) error{
		"json":  writeAllocationJSON,
		"table": writeAllocationTable,
	}[*format]
	if !ok {
		return fmt.Errorf("%w: --format must be json or table, got %q", errUsage, *format)
	}

	in := env.stdin
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("read spec: %w", err)
		}
		in = bytes.NewReader(data)
	}
	spec, err := allocation.ParseSpec(in)
	if err != nil {
		return specError(err)
	}
	res, err := allocation.Allocate(spec)
	if err != nil {
		return specError(err)
	}
	// Write nothing until the whole output is ready, so that a failure never
	// leaves half a result on standard output.
	var out bytes.Buffer
	if err := write(&out, res); err != nil {
		return err
	}
	_, err = env.stdout.Write(out.Bytes())
	return err
}

// specError turns an invalid spec into a usage error (exit status 2) with the
// field and the problem on one line; other errors, such as failing to read
// standard input, stay failures.
func specError(err error) error {
	var fe *allocation.FieldError
	if errors.As(err, &fe) {
		return fmt.Errorf("%w: invalid spec: %s", errUsage, oneLine(fe.Error()))
	}
	return err
}

// writeAllocationJSON writes the result as indented JSON and a newline.
func writeAllocationJSON(w io.Writer, res allocation.Result) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// unitNames are the Swedish names of a unit: short after a number ("+1 öre",
// "+1 kr"), long in running text ("avrundat till hela kronor").
var unitNames = map[allocation.Unit]struct{ short, long string }{
	allocation.UnitOre:   {"öre", "öre"},
	allocation.UnitKrona: {"kr", "hela kronor"},
}

// writeAllocationTable writes the result as a table in Swedish: one row per
// party with the basis of its share, the exact quota, the amount and the
// leftover unit it received, then the sum and whether it equals the total.
func writeAllocationTable(w io.Writer, res allocation.Result) error {
	unit := unitNames[res.Unit]
	fmt.Fprintf(w, "Fördelning av %s, %s, avrundat till %s.\n\n", sv.Kronor(res.Total), methodName(res.Method, res.HostShare, res.KeySum), unit.long)
	sources, err := writeSharesTable(w, res.Shares, res.Sum, unit.short)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	if res.Sum.Equal(res.Total) {
		fmt.Fprintf(w, "Summan av andelarna är lika med beloppet att fördela, %s.\n", sv.Kronor(res.Total))
	} else {
		fmt.Fprintf(w, "Summan av andelarna, %s, skiljer sig från beloppet att fördela, %s.\n", sv.Kronor(res.Sum), sv.Kronor(res.Total))
	}
	if res.KeySum != nil {
		fmt.Fprintf(w, "Nyckeln är omräknad över de deltagande: deras procentsatser summerar till %s.\n", sv.ExactPercent(*res.KeySum))
	}
	for k, p := range res.Parts {
		rest := ""
		if p.Residue {
			rest = ", fick 1" + sv.NoBreakSpace + unit.short + " som blev över mellan delarna"
		}
		fmt.Fprintf(w, "\nDel %d: %s av beloppet, %s: exakt %s, avrundat %s%s.\n\n", k+1, sv.ExactPercent(p.Part.Percent),
			methodName(p.Part.Method, p.HostShare, p.KeySum), sv.Exact(p.Quota, 2), sv.Kronor(p.Total), rest)
		more, err := writeSharesTable(w, p.Shares, p.Sum, unit.short)
		if err != nil {
			return err
		}
		for _, src := range more {
			if !slices.Contains(sources, src) {
				sources = append(sources, src)
			}
		}
	}
	if len(res.Parts) > 0 && len(sources) > 0 {
		fmt.Fprintln(w)
	}
	for _, src := range sources {
		fmt.Fprintf(w, "Källa för invånarantal: %s.\n", strings.TrimSuffix(src, "."))
	}
	return nil
}

// writeSharesTable writes shares as a table: one row per party with the
// basis of its share, the exact quota, the amount and the leftover unit it
// received, then the sum. It returns the sources of the population figures.
func writeSharesTable(w io.Writer, shares []allocation.Share, sum decimal.Decimal, unit string) ([]string, error) {
	rows := [][]string{{"Part", "Underlag", "Kvot", "Andel", "Rest"}}
	var sources []string
	for _, s := range shares {
		rest := ""
		if s.Residue {
			sign := "+"
			if s.Amount.Sign() < 0 {
				sign = sv.MinusSign
			}
			rest = sign + "1" + sv.NoBreakSpace + unit
		}
		rows = append(rows, []string{s.Name, basis(s), sv.Exact(s.Quota, 2), sv.Amount(s.Amount), rest})
		if src := s.WeightSource.Source; src != "" && !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
	}
	rows = append(rows, []string{"Summa", "", "", sv.Amount(sum), ""})
	alignNumbers(rows, 2, 3)

	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return sources, nil
}

// methodName says in Swedish how a split was made: by method, with the
// host share and a renormalised key's sum where they apply.
func methodName(m allocation.Method, hostShare, keySum *decimal.Decimal) string {
	switch m {
	case allocation.MethodEqual:
		return "lika delar"
	case allocation.MethodPopulation:
		if hostShare != nil {
			return "värdparten " + hostPercent(*hostShare) + ", övriga efter invånarantal"
		}
		return "efter invånarantal"
	case allocation.MethodPercent:
		if keySum != nil {
			return "fast fördelningsnyckel i procent, omräknad över de deltagande (" + sv.ExactPercent(*keySum) + ")"
		}
		return "fast fördelningsnyckel i procent"
	case allocation.MethodDirect:
		return "direkt till en part"
	case allocation.MethodMixed:
		return "blandad nyckel"
	}
	return string(m)
}

// basis says in Swedish what a share was computed from: its weight and where
// the weight came from.
func basis(s allocation.Share) string {
	switch s.WeightSource.Kind {
	case allocation.WeightEqual:
		return "lika delar"
	case allocation.WeightPopulation:
		text := sv.Integer(s.Weight.IntPart()) + sv.NoBreakSpace + "inv."
		if date := s.WeightSource.ReferenceDate; date != "" {
			text += " per " + date
		}
		return text
	case allocation.WeightPercent:
		if s.KeyFraction() != nil {
			return sv.ExactPercent(s.Weight) + " → " + sv.Exact(s.KeyShare, 2) + sv.NoBreakSpace + "%"
		}
		return sv.Exact(s.Weight, 2) + sv.NoBreakSpace + "%"
	case allocation.WeightMixed:
		return "blandad, " + sv.ExactPercent(s.Weight.Round(4)) + " av beloppet"
	case allocation.WeightHostShare:
		return "värdpart " + hostPercent(s.Weight)
	case allocation.WeightDirect:
		return "hela beloppet"
	}
	return s.Weight.String()
}

// hostPercent writes a host share exactly as decided: "50 %", "37,5 %".
func hostPercent(d decimal.Decimal) string {
	return sv.Exact(d, 0) + sv.NoBreakSpace + "%"
}

// alignNumbers lines up the numbers in the given columns on their decimal
// commas: it pads each cell on the right to the most decimals in its column
// and then on the left to the widest cell, so that tabwriter's left-aligned
// columns show the numbers right-aligned. Widths are counted in runes, as
// tabwriter counts them.
func alignNumbers(rows [][]string, columns ...int) {
	for _, c := range columns {
		decimals := func(cell string) int {
			if i := strings.LastIndexByte(cell, ','); i >= 0 {
				return utf8.RuneCountInString(cell[i+1:])
			}
			return -1 // a heading: aligned on its right edge
		}
		most := 0
		for _, row := range rows {
			most = max(most, decimals(row[c]))
		}
		width := 0
		for _, row := range rows {
			if d := decimals(row[c]); d >= 0 {
				row[c] += strings.Repeat(" ", most-d)
			}
			width = max(width, utf8.RuneCountInString(row[c]))
		}
		for _, row := range rows {
			row[c] = fmt.Sprintf("%*s", width, row[c])
		}
	}
}
