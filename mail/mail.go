// Package mail sends GNS's e-mail over SMTP with github.com/wneessen/go-mail
// (a kept library: STARTTLS, implicit TLS, SMTP AUTH discovery, MIME
// multipart/alternative and attachments written correctly), and reads the
// settings that say where: GNS_SMTP_URL and GNS_MAIL_FROM. It knows nothing
// of the database; the outbox package decides what to send and when.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/region-jh/gns/domain"
)

// Config is where and how mail is sent.
type Config struct {
	// Host and Port are the SMTP server's.
	Host string
	Port int
	// ImplicitTLS is smtps://: TLS from the first byte (port 465 by
	// default). Otherwise smtp:// uses STARTTLS when the server offers it.
	ImplicitTLS bool
	Username    string
	Password    string
	// From is the sender's address; each mail gets the committee's name as
	// its display name.
	From string
	// TLS, when set, replaces the default TLS configuration (tests trust
	// their own certificate with it).
	TLS *tls.Config
}

// ParseURL reads GNS_SMTP_URL: smtp://[user[:password]@]host[:port] (port 25
// by default, STARTTLS when the server offers it) or smtps://… (implicit
// TLS, port 465 by default). Anything else is refused with a message that
// says what is wrong, never with the password in it.
func ParseURL(raw string) (Config, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return Config{}, fmt.Errorf("GNS_SMTP_URL is not a valid URL: %v", ue.Err)
		}
		return Config{}, errors.New("GNS_SMTP_URL is not a valid URL")
	}
	var c Config
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		c.Port = 25
	case "smtps":
		c.ImplicitTLS, c.Port = true, 465
	case "":
		return Config{}, errors.New("GNS_SMTP_URL has no scheme: write smtp://host:port (STARTTLS when offered) or smtps://host:port (implicit TLS)")
	default:
		return Config{}, fmt.Errorf("GNS_SMTP_URL has the scheme %q: use smtp:// (STARTTLS when offered) or smtps:// (implicit TLS)", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, errors.New("GNS_SMTP_URL names no host: write e.g. smtp://mail.example.se:587")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("GNS_SMTP_URL has the port %q: give a number from 1 to 65535", p)
		}
		c.Port = n
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Config{}, errors.New("GNS_SMTP_URL has something after the host and port: give only scheme, user, password, host and port")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// ParseFrom reads GNS_MAIL_FROM: one address (gns@region.se), optionally
// with a name, which is replaced by the committee's name on each mail.
func ParseFrom(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("GNS_MAIL_FROM is not set: give the address GNS sends from, e.g. gns@region.example.se")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("GNS_MAIL_FROM %q is not an e-mail address", s)
	}
	return a.Address, nil
}

// String describes the server without the password, for the log.
func (c Config) String() string {
	scheme := "smtp"
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	user := ""
	if c.Username != "" {
		user = c.Username + "@"
	}
	return fmt.Sprintf("%s://%s%s:%d", scheme, user, c.Host, c.Port)
}

// Sender sends mails to one SMTP server.
type Sender struct {
	cfg Config
	// Timeout bounds one connection (dial, TLS and the whole dialogue).
	Timeout time.Duration
}

// NewSender returns a Sender for cfg.
func NewSender(cfg Config) *Sender { return &Sender{cfg: cfg, Timeout: 30 * time.Second} }

// PermanentError is a refusal that trying again will not change (an
// invalid recipient address, a 5xx answer to the recipient).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Send delivers m over one SMTP connection, as multipart/alternative (plain
// text and HTML), with the committee's name beside the From address and a
// Message-ID made from the mail's id, so a copy is recognisable.
func (s *Sender) Send(ctx context.Context, m domain.Mail) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(m.FromName, s.cfg.From); err != nil {
		return &PermanentError{fmt.Errorf("avsändaren %q: %w", s.cfg.From, err)}
	}
	if err := msg.AddToFormat(m.ToName, m.ToEmail); err != nil {
		return &PermanentError{fmt.Errorf("mottagaren %q är inte en e-postadress", m.ToEmail)}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	domainPart := s.cfg.From[strings.LastIndex(s.cfg.From, "@")+1:]
	msg.SetMessageIDWithValue(fmt.Sprintf("gns-mail-%d@%s", m.ID, domainPart))
	msg.SetUserAgent("GNS")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Content),
			gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return &PermanentError{fmt.Errorf("bilagan %q: %w", a.Filename, err)}
		}
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.Timeout)}
	if s.cfg.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(s.cfg.TLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("SMTP-klient: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason == gomail.ErrSMTPRcptTo {
			return &PermanentError{err}
		}
		return err
	}
	return nil
}
