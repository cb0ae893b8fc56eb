// Package mailtest runs a real SMTP server in the test's process
// (github.com/emersion/go-smtp as the receiving side), so that tests send
// mail over a real SMTP dialogue, not to a mock of the sender. The server
// can refuse mail or drop the connection, to test the paths that retry.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/region-jh/gns/mail"
)

// Message is one mail the server accepted.
type Message struct {
	From string
	To   []string
	// Raw is the message as it came, headers and body.
	Raw []byte
}

// Header returns a header of the message, decoded (RFC 2047).
func (m Message) Header(name string) string {
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return ""
	}
	v := msg.Header.Get(name)
	dec := new(mimeDecoder)
	if d, err := dec.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// Behaviour says what the server does with the next mail.
type Behaviour int

// What the server can do with a mail.
const (
	// Accept takes the mail.
	Accept Behaviour = iota
	// RefuseTemporarily answers 451 to the data (try again later).
	RefuseTemporarily
	// RefuseRecipient answers 550 to the recipient (no such user).
	RefuseRecipient
	// Drop closes the connection in the middle of the data.
	Drop
)

// Server is a running SMTP server.
type Server struct {
	// Addr is host:port of the server.
	Addr string
	srv  *smtp.Server
	l    net.Listener
	mu   sync.Mutex
	msgs []Message
	// next is the behaviour for the coming mails, one each; after them,
	// always.
	next   []Behaviour
	always Behaviour
	// Attempts counts the mails offered (DATA or RCPT reached).
	attempts int
}

// Start runs a server on a free local port until the test ends.
func Start(t testing.TB) *Server { return StartAt(t, "127.0.0.1:0") }

// StartAt runs a server on addr (host:port) until the test ends: a test
// that stopped a server starts it again on the same address.
func StartAt(t testing.TB, addr string) *Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: l.Addr().String(), l: l}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.AllowInsecureAuth = true
	go func() { _ = s.srv.Serve(l) }() // returns when closed at cleanup
	t.Cleanup(s.Stop)
	return s
}

// Stop closes the server: a client then finds nothing listening.
func (s *Server) Stop() {
	_ = s.l.Close() // also when Serve has not taken the listener yet
	_ = s.srv.Close()
}

// Config is a mail.Config that sends to this server from from.
func (s *Server) Config(from string) mail.Config {
	host, port, _ := net.SplitHostPort(s.Addr)
	c, _ := mail.ParseURL("smtp://" + host + ":" + port)
	c.From = from
	return c
}

// Then sets what the server does with the next mails, one behaviour each;
// after them it does always.
func (s *Server) Then(always Behaviour, next ...Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next, s.always = next, always
}

// Messages returns the mails accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait waits until n mails have been accepted (at most d) and returns them.
func (s *Server) Wait(t testing.TB, n int, d time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		got := s.Messages()
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				t.Fatalf("the SMTP server got %d mails in %s, want %d", len(got), d, n)
			}
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Attempts is how many mails were offered to the server.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

func (s *Server) behaviour() Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if len(s.next) > 0 {
		b := s.next[0]
		s.next = s.next[1:]
		return b
	}
	return s.always
}

// NewSession starts the dialogue with one client.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	from string
	to   []string
	b    Behaviour
	got  bool
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.got {
		ss.b, ss.got = ss.srv.behaviour(), true
	}
	if ss.b == RefuseRecipient {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Ingen sådan mottagare"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	switch ss.b {
	case RefuseTemporarily:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Försök igen senare"}
	case Drop:
		_ = ss.conn.Conn().Close()
		return errors.New("dropped")
	}
	ss.srv.mu.Lock()
	ss.srv.msgs = append(ss.srv.msgs, Message{From: ss.from, To: ss.to, Raw: raw})
	ss.srv.mu.Unlock()
	return nil
}

func (ss *session) Reset() { ss.from, ss.to, ss.got = "", nil, false }

func (ss *session) Logout() error { return nil }

// Body returns the decoded text of the message's part of the content type
// (text/plain or text/html).
func (m Message) Body(contentType string) string {
	return partText(m.Raw, contentType)
}

// Contains reports whether the message's decoded plain text holds s.
func (m Message) Contains(s string) bool { return strings.Contains(m.Body("text/plain"), s) }
