package sie_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/sie"
)

// testFiles lists the SIE files in testdata.
func testFiles(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob("testdata/*.se")
	if err != nil || len(names) == 0 {
		t.Fatalf("no SIE files in testdata: %v", err)
	}
	return names
}

// FuzzParse feeds Parse arbitrary bytes. It must never panic, it must refuse
// with a *ParseError, and whatever it accepts must write, unless Write refuses
// an identifier code page 437 cannot hold, and read back to the same content.
func FuzzParse(f *testing.F) {
	for _, name := range testFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		withHeader(`#VER "" "" 20200101 "Porto"`, "{", `#TRANS 1910 {"1" "456" "7" "47"} -1000.00 "" "a\"b" 2 x`, "#TRANS 6250 {} 1000", "}"),
		withHeader(`#PSALDO 0 202008 3611 {1 "6663"} -67932.5 3`, "#RAR 0 20200101 20201231", `#OBJEKT 1 "Åre" "Objekt \"Å\""`),
		"#FLAGGA 0\r\n#KSUMMA\r\n#FNAMN X\r\n#KSUMMA 1234\r\n",
		"\xef\xbb\xbf#FNAMN \"Łódź\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := sie.Parse(bytes.NewReader(data))
		if err != nil {
			var pe *sie.ParseError
			if !errors.As(err, &pe) || file != nil {
				t.Fatalf("Parse = %v, %v; want a *ParseError and no File", file, err)
			}
			return
		}
		var out bytes.Buffer
		if err := sie.Write(&out, file); err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || !hasUnwritableIdentifier(file) && sie.Sanitize(file.ChartType) == file.ChartType {
				t.Fatalf("Write refused a parsed file: %v", err)
			}
			return
		}
		again, err := sie.Parse(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("Parse of the written file: %v\n%s", err, out.Bytes())
		}
		same(t, "file read back", normalized(again), normalized(file))
	})
}

// hasUnwritableIdentifier reports whether f has a series, verification number
// or object number that Write cannot write as it is.
func hasUnwritableIdentifier(f *sie.File) bool {
	bad := func(s string) bool { return sie.Sanitize(s) != s }
	for _, o := range f.Objects {
		if bad(o.Number) {
			return true
		}
	}
	for _, p := range append(append([]sie.PeriodBalance{}, f.PeriodBalances...), f.PeriodBudgets...) {
		if bad(p.Object.Number) {
			return true
		}
	}
	for _, v := range f.Verifications {
		if bad(v.Series) || bad(v.Number) {
			return true
		}
		for _, t := range v.Transactions {
			for _, o := range t.Objects {
				if bad(o.Number) {
					return true
				}
			}
		}
	}
	return false
}

// FuzzParseWith feeds ParseWith, with the optional records a reader of the
// outcome can do without, arbitrary bytes. It must never panic and must
// refuse with a *ParseError; a file strict Parse accepts it must read alike
// and without warnings; every warning names a line of the file; and what it
// accepts must write and read back, strictly, to the same content.
func FuzzParseWith(f *testing.F) {
	for _, name := range testFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		withHeader("#KONTO 1930 Bank", "#KTYP 1930 O", "#PBUDGET 0 202001 3611 -76200.00", "#UB 0 1930 1", "#UB 0 1930 2") + "#KPTYP BAS2014",
		withHeader(`#VER "" "" 20200101 "GNS `+"\x15"+` 8"`, "{", "#TRANS 1910 {} -1", "#TRANS 6250 {} 1", "}"),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := sie.ParseWith(bytes.NewReader(data), lenient)
		if err != nil {
			var pe *sie.ParseError
			if !errors.As(err, &pe) || file != nil {
				t.Fatalf("ParseWith = %v, %v; want a *ParseError and no File", file, err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, w := range file.Warnings {
			if w.Line < 1 || w.Line > lines || w.Msg == "" {
				t.Fatalf("warning %+v outside the file's %d lines", w, lines)
			}
		}
		if strict, err := sie.Parse(bytes.NewReader(data)); err == nil {
			if len(file.Warnings) > 0 {
				t.Fatalf("warnings for a file strict Parse accepts: %v", file.Warnings)
			}
			same(t, "lenient against strict", normalized(file), normalized(strict))
		}
		var out bytes.Buffer
		if err := sie.Write(&out, file); err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || !hasUnwritableIdentifier(file) && sie.Sanitize(file.ChartType) == file.ChartType {
				t.Fatalf("Write refused a parsed file: %v", err)
			}
			return
		}
		again, err := sie.Parse(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("Parse of the written file: %v\n%s", err, out.Bytes())
		}
		same(t, "file read back", normalized(again), normalized(file))
	})
}
