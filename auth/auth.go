// Package auth holds the cryptography of logging in: argon2id password hashes,
// random tokens stored only as hashes, TOTP two-factor codes (RFC 6238) with
// replay protection, single-use recovery codes, and the sealing of secrets at
// rest with a key from configuration.
package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters. They are stored with each
// hash, so raising them later leaves old hashes verifiable.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams follow OWASP's recommendation for argon2id (19 MiB,
// two passes, one lane).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Params is the cost used for new hashes. Tests lower it to run quickly.
var Params = DefaultPasswordParams

// HashPassword returns an argon2id hash of password in the PHC string format,
// $argon2id$v=19$m=...,t=...,p=...$salt$hash, with a fresh random salt.
func HashPassword(password string) string {
	salt := RandomBytes(16)
	p := Params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches the hash. A malformed hash
// is an error, not a mismatch.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false, errors.New("auth: not an argon2id hash")
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("auth: argon2id parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errors.New("auth: argon2id hash is not valid base64")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when a login names no known user, so the answer
// takes as long as for a real user and does not reveal whether it exists. It
// is made on the first such login, not when the program starts: an argon2id
// hash costs some 70 ms and 19 MiB, which every gns command (gns version, a
// report) paid before it began when this was a package variable. Made then,
// it also has the cost (Params) of the hashes made now.
var dummyHash = sync.OnceValue(func() string { return HashPassword("no such user, but take the time anyway") })

// SpendPasswordTime does the work of one password check and discards it.
func SpendPasswordTime(password string) { _, _ = CheckPassword(dummyHash(), password) }

// RandomBytes returns n bytes from the system's secure random source.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return b
}

// NewToken returns a new random token (256 bits, URL-safe) with prefix, and the
// hash under which it is stored. The token itself is shown once and never
// stored.
func NewToken(prefix string) (token, hash string) {
	token = prefix + base64.RawURLEncoding.EncodeToString(RandomBytes(32))
	return token, HashToken(token)
}

// HashToken returns the stored form of a token: its SHA-256 in hex. Tokens
// are random and long, so a fast hash suffices.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Sealer encrypts small secrets (TOTP keys) at rest with AES-256-GCM.
type Sealer struct{ aead cipher.AEAD }

// KeySize is the length of a sealing key in bytes.
const KeySize = 32

// ParseKey reads a sealing key written as base64 (standard or URL alphabet),
// which must decode to KeySize bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("the secret key must be %d random bytes in base64 (e.g. from: openssl rand -base64 32)", KeySize)
}

// NewSealer returns a Sealer for a KeySize-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("auth: sealing key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext and returns it as base64 text, nonce first.
func (s *Sealer) Seal(plaintext string) string {
	nonce := RandomBytes(s.aead.NonceSize())
	return base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plaintext), nil))
}

// Open decrypts what Seal returned. It fails when the text was changed or
// sealed with another key.
func (s *Sealer) Open(sealed string) (string, error) {
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errors.New("auth: sealed secret is malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errors.New("auth: sealed secret cannot be opened with this key")
	}
	return string(plain), nil
}

// TOTP parameters: RFC 6238 defaults that every authenticator app supports.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew is how many periods before and after now a code is accepted,
	// for clocks that are a little off.
	totpSkew = 1
)

// TOTPEnrolment is a new, not yet confirmed, two-factor secret.
type TOTPEnrolment struct {
	Secret string // base32, for manual entry
	URL    string // otpauth:// URL, what the QR code holds
	// QRDataURI is a PNG image of the QR code as a data: URI for an <img>.
	QRDataURI string
}

// NewTOTP creates a new TOTP secret for the account.
func NewTOTP(issuer, account string) (TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("auth: new TOTP secret: %w", err)
	}
	return enrolmentOf(key)
}

// TOTPEnrolmentOf shows an existing secret again (as text, URL and QR code).
func TOTPEnrolmentOf(issuer, account, secret string) (TOTPEnrolment, error) {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("period", strconv.Itoa(totpPeriod))
	v.Set("digits", strconv.Itoa(totpDigits.Length()))
	v.Set("algorithm", "SHA1")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("auth: TOTP key: %w", err)
	}
	return enrolmentOf(key)
}

func enrolmentOf(key *otp.Key) (TOTPEnrolment, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("auth: QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPEnrolment{}, err
	}
	return TOTPEnrolment{
		Secret:    key.Secret(),
		URL:       key.URL(),
		QRDataURI: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
	}, nil
}

// TOTPStep is the RFC 6238 time step a moment falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode returns the code for secret at time t (for tests and tools).
func TOTPCode(secret string, t time.Time) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(TOTPStep(t)), hotp.ValidateOpts{Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP checks a code against secret at time now, allowing one step of
// clock skew each way, and refuses any step at or before lastStep, so a code
// that was used once cannot be replayed within its window. It returns the step
// that matched, to be stored as the new lastStep.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	current := TOTPStep(now)
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		if s <= lastStep {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotp.ValidateOpts{Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodeCount is how many recovery codes a user gets at enrolment.
const RecoveryCodeCount = 10

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewRecoveryCodes returns RecoveryCodeCount single-use codes such as
// "K4MQ-2XD9-PL7T", each with 60 random bits.
func NewRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		s := recoveryEncoding.EncodeToString(RandomBytes(8))[:12]
		codes[i] = s[:4] + "-" + s[4:8] + "-" + s[8:]
	}
	return codes
}

// HashRecoveryCode returns the stored form of a recovery code, ignoring case,
// spaces and dashes in what the user typed.
func HashRecoveryCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	return HashToken("recovery:" + norm)
}

// NewPassword returns a random password for an admin to hand to a new user:
// 16 characters in four groups (80 random bits), e.g. "K4MQ-2XD9-PL7T-QW3E".
func NewPassword() string {
	s := recoveryEncoding.EncodeToString(RandomBytes(10))[:16]
	return s[:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:]
}
