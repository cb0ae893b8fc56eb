package auth

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func init() { Params = PasswordParams{Memory: 64, Time: 1, Threads: 1} }

func TestPasswordHash(t *testing.T) {
	h := HashPassword("Storsjöbadet-i-juli")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q does not carry its parameters", h)
	}
	if h == HashPassword("Storsjöbadet-i-juli") {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tt := range []struct {
		password string
		want     bool
	}{{"Storsjöbadet-i-juli", true}, {"storsjöbadet-i-juli", false}, {"", false}} {
		if got, err := CheckPassword(h, tt.password); err != nil || got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
	// A hash made with other parameters still verifies: they travel with it.
	Params = PasswordParams{Memory: 128, Time: 2, Threads: 1}
	defer func() { Params = PasswordParams{Memory: 64, Time: 1, Threads: 1} }()
	if ok, _ := CheckPassword(h, "Storsjöbadet-i-juli"); !ok {
		t.Error("an old hash no longer verifies after the parameters changed")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=64,t=1,p=1$!!$!!"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) accepted a malformed hash", bad)
		}
	}
}

// The dummy hash that unknown e-mails are checked against is made on the
// first login that needs it, not when the package starts (which every gns
// command paid): so it has the parameters this test binary set in its init,
// after the package's own initialisation.
func TestDummyHashIsMadeOnFirstUse(t *testing.T) {
	SpendPasswordTime("a password for nobody")
	want := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", Params.Memory, Params.Time, Params.Threads)
	first := dummyHash()
	if !strings.HasPrefix(first, want) {
		t.Errorf("dummy hash %q was not made with the parameters in use (%s): made at package initialisation?", first, want)
	}
	SpendPasswordTime("another password for nobody")
	if again := dummyHash(); again != first {
		t.Error("the dummy hash is made anew on each use")
	}
}

// RFC 6238 appendix B, SHA-1, with the six low digits of its eight-digit codes.
func TestTOTPAgainstRFC6238(t *testing.T) {
	t.Parallel()
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, tt := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := TOTPCode(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.code {
			t.Errorf("TOTPCode at %d = %q, %v; want %s", tt.unix, got, err, tt.code)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	t.Parallel()
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	now := time.Unix(1111111111, 0) // step 37037037
	step := TOTPStep(now)
	code := func(d time.Duration) string { c, _ := TOTPCode(secret, now.Add(d)); return c }
	tests := []struct {
		name     string
		code     string
		lastStep int64
		wantOK   bool
	}{
		{"current", code(0), 0, true},
		{"with spaces", code(0)[:3] + " " + code(0)[3:], 0, true},
		{"previous step (clock skew)", code(-30 * time.Second), 0, true},
		{"next step (clock skew)", code(30 * time.Second), 0, true},
		{"two steps old", code(-60 * time.Second), 0, false},
		{"replayed: step already used", code(0), step, false},
		{"wrong", "000000", 0, false},
		{"too short", "12345", 0, false},
		{"letters", "abcdef", 0, false},
	}
	for _, tt := range tests {
		got, ok := CheckTOTP(secret, tt.code, now, tt.lastStep)
		if ok != tt.wantOK {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.wantOK)
		}
		if ok && (got < step-1 || got > step+1) {
			t.Errorf("%s: step %d, want within one of %d", tt.name, got, step)
		}
	}
}

func TestEnrolmentShowsTheSameSecretAgain(t *testing.T) {
	t.Parallel()
	e, err := NewTOTP("GNS", "anna@example.se")
	if err != nil {
		t.Fatal(err)
	}
	again, err := TOTPEnrolmentOf("GNS", "anna@example.se", e.Secret)
	if err != nil || again.Secret != e.Secret || !strings.HasPrefix(again.QRDataURI, "data:image/png;base64,") {
		t.Errorf("TOTPEnrolmentOf = %+v, %v; want the same secret with a QR code", again, err)
	}
	if !strings.HasPrefix(e.URL, "otpauth://totp/GNS:anna@example.se?") {
		t.Errorf("URL = %q", e.URL)
	}
}

func TestSealer(t *testing.T) {
	t.Parallel()
	key, err := ParseKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := NewSealer(key)
	sealed := s.Seal("JBSWY3DPEHPK3PXP")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || sealed == s.Seal("JBSWY3DPEHPK3PXP") {
		t.Error("sealing shows the secret or is deterministic")
	}
	if got, err := s.Open(sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("Open = %q, %v", got, err)
	}
	other, _ := NewSealer(RandomBytes(KeySize))
	if _, err := other.Open(sealed); err == nil {
		t.Error("another key opened the secret")
	}
	tampered := []byte(sealed)
	tampered[len(tampered)-2] ^= 1
	if _, err := s.Open(string(tampered)); err == nil {
		t.Error("a changed sealed secret was opened")
	}
	for _, bad := range []string{"", "kort", "MDEy"} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted a key that is not 32 bytes", bad)
		}
	}
}

func TestRecoveryCodesAndTokens(t *testing.T) {
	t.Parallel()
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || seen[c] {
			t.Errorf("recovery code %q is malformed or repeated", c)
		}
		seen[c] = true
	}
	if len(codes) != RecoveryCodeCount {
		t.Errorf("%d codes, want %d", len(codes), RecoveryCodeCount)
	}
	if HashRecoveryCode(codes[0]) != HashRecoveryCode(" "+strings.ToLower(strings.ReplaceAll(codes[0], "-", ""))+" ") {
		t.Error("a recovery code typed in lower case without dashes does not match")
	}
	tok, hash := NewToken("gns_")
	if !strings.HasPrefix(tok, "gns_") || HashToken(tok) != hash || strings.Contains(hash, tok[4:]) {
		t.Errorf("token %q, hash %q", tok, hash)
	}
	if p := NewPassword(); len(p) != 19 {
		t.Errorf("generated password %q, want 16 characters in four groups", p)
	}
}
