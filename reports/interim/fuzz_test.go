package interim

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// checkLedgerFile checks what the readers promise of a file they accept:
// months covered, sorted, each a valid period; amounts not zero, with at
// most two decimals, on digit accounts, in covered or valid months.
func checkLedgerFile(t *testing.T, lf finance.LedgerFile) {
	t.Helper()
	if len(lf.Periods) == 0 {
		t.Fatal("an accepted file covers no month")
	}
	if !slices.IsSortedFunc(lf.Periods, func(a, b finance.Period) int { return a.Int() - b.Int() }) {
		t.Fatalf("periods not sorted: %v", lf.Periods)
	}
	for _, p := range lf.Periods {
		if !p.Valid() {
			t.Fatalf("period %v is not a valid month", p)
		}
	}
	for _, list := range [][]finance.LedgerAmount{lf.Outcome, lf.Budget} {
		for _, a := range list {
			if a.Amount.IsZero() || !a.Amount.Shift(2).IsInteger() || !a.Period.Valid() || finance.CheckAccount("file", a.Account) != nil {
				t.Fatalf("amount %+v: zero, sub-öre, an invalid month or account", a)
			}
		}
	}
}

// refused checks that an error is a domain EINVALID error with a message.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Message == "" {
		t.Fatalf("%s: %v, want an EINVALID domain error with a message", what, err)
	}
}

// FuzzReadCSV feeds the ledger CSV reader arbitrary files: it must never
// panic (an unclosed quote did), refuse with an EINVALID error naming the
// line, and whatever it accepts lies in the year given.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"konto;period;belopp;objekt\n3611;2020-01;-1 000,50;6663\n3611;202002;12\n1510;2020-03;5\n",
		"3611,2020-01,\"-67932,50\"\n4010,2020-02,100.25\n",
		"\xef\xbb\xbf3611;2020-01;1\n",
		"\"abc\n", "3611,2020-01,\"1\n", "36\"11;2020-01;1\n", "3611;2020-13;1\n", "3611;2021-01;1\n",
		"3611;2020-01;1,234\n", "", "\n\n", "a;b;c;d;e\n",
	} {
		f.Add([]byte(s), 2020)
	}
	f.Fuzz(func(t *testing.T, data []byte, year int) {
		lf, err := ReadCSV("utfall.csv", data, year)
		if err != nil {
			refused(t, "ReadCSV", err)
			if msg := domain.ErrorMessage(err); strings.Contains(msg, "rad ") && !strings.Contains(msg, "Inget är inläst") {
				t.Fatalf("a line error that does not say nothing is read: %q", msg)
			}
			return
		}
		checkLedgerFile(t, lf)
		for _, p := range lf.Periods {
			if p.Year != year {
				t.Fatalf("period %v outside the year %d", p, year)
			}
		}
	})
}

// FuzzReadSIE feeds the SIE reader of the interim report arbitrary files
// (reports/sie's FuzzParse covers the parser itself): no panic, EINVALID
// when refused, valid months and amounts when accepted, and every warning
// names a line of the file.
func FuzzReadSIE(f *testing.F) {
	for _, name := range []string{august2020, "../sie/testdata/fortnox-2020-02.se", "../sie/testdata/bl-administration-2020-01.se", "../sie/testdata/payex-2020-02.se"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"#FLAGGA 0\n#SIETYP 4\n#RAR 0 20200101 20201231\n#KONTO 3611 \"Försäljning\"\n#PSALDO 0 202008 3611 {} -100.50\n",
		"#FLAGGA 0\n#SIETYP 4\n#VALUTA EUR\n#PSALDO 0 202008 3611 {} -1\n",
		"#FLAGGA 0\n#SIETYP 4\n#RAR 0 19000101 21991231\n#OMFATTN 20200831\n#VER \"\" \"\" 20200105 \"x\"\n{\n#TRANS 3611 {1 \"6663\"} -5\n#TRANS 1510 {} 5\n}\n",
		"#FLAGGA 0\n#SIETYP 4\n#RAR 0 00010101 99991231\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lf, err := ReadSIE("fil.se", data)
		if err != nil {
			refused(t, "ReadSIE", err)
			return
		}
		checkLedgerFile(t, lf)
		for _, w := range lf.Warnings {
			if !strings.HasPrefix(w, "SIE-filen, rad ") && !strings.HasPrefix(w, "SIE-filen har ") {
				t.Fatalf("warning %q names no line", w)
			}
		}
	})
}
