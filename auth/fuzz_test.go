package auth

import (
	"bytes"
	"encoding/base64"
	"testing"
	"time"
)

// FuzzCheckTOTP feeds CheckTOTP what a user types at login: it must never
// panic, accept only the six-digit code of a step in the window after
// lastStep, and accept that code however it is spaced.
func FuzzCheckTOTP(f *testing.F) {
	const secret = "JBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	code, err := TOTPCode(secret, now)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{code, " " + code[:3] + " " + code[3:] + " ", "000000", "12345", "1234567", "abcdef", "", "１２３４５６"} {
		f.Add(s, int64(0))
	}
	f.Add(code, TOTPStep(now))
	f.Fuzz(func(t *testing.T, typed string, lastStep int64) {
		step, ok := CheckTOTP(secret, typed, now, lastStep)
		if !ok {
			if step != 0 {
				t.Fatalf("CheckTOTP(%q) refused with step %d", typed, step)
			}
			return
		}
		current := TOTPStep(now)
		if step <= lastStep || step < current-totpSkew || step > current+totpSkew {
			t.Fatalf("CheckTOTP(%q, lastStep %d) accepted step %d outside the window around %d", typed, lastStep, step, current)
		}
		want, err := TOTPCode(secret, time.Unix(step*30, 0))
		if err != nil || !bytes.Equal(bytes.ReplaceAll(bytes.TrimSpace([]byte(typed)), []byte(" "), nil), []byte(want)) {
			t.Fatalf("CheckTOTP(%q) accepted step %d, whose code is %q", typed, step, want)
		}
	})
}

// FuzzParseKey: an accepted key is KeySize bytes and reads back from its
// standard base64.
func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", " MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n", "c2hvcnQ=", "", "!!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			return
		}
		if len(k) != KeySize {
			t.Fatalf("ParseKey(%q) = %d bytes", s, len(k))
		}
		if again, err := ParseKey(base64.StdEncoding.EncodeToString(k)); err != nil || !bytes.Equal(again, k) {
			t.Fatalf("ParseKey(%q) does not read back: %v", s, err)
		}
	})
}
