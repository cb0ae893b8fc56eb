// Package kit is what every area of the web interface shares: the Kit with
// the database and the page templates, the route table with an access rule
// for every route, rendering, error pages, forms, uploads and downloads, and
// the loaders that read a committee from the path and check the user's role
// in it. Each area (web/cases, web/meetings, ...) registers its routes and
// templates on one Kit; package web builds the Kit, the middleware and the
// server around it.
package kit

import (
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Kit holds what the handlers of every area share.
type Kit struct {
	// DB is the database every handler reads and changes.
	DB *store.DB
	// Log receives errors worth an operator's attention.
	Log *slog.Logger
	// Sealer seals and opens two-factor secrets at rest.
	Sealer *auth.Sealer
	// BaseURL is the address at which people reach GNS, scheme and host
	// without a trailing slash (https://gns.example.se): absolute links in
	// feeds and mail are built from it, never from the request's Host
	// header, which the client chooses (see ParseBaseURL).
	BaseURL string

	// hashSlots bounds the password and code checks made at once, and
	// hashWait is how long an attempt waits for a slot (see Attempt).
	hashSlots chan struct{}
	hashWait  time.Duration

	engine *gin.Engine
	pages  *pages
	// rules holds the access rule of every route, by "METHOD /path".
	rules map[string]Access
	// proxies are the addresses whose X-Forwarded-For and X-Forwarded-Proto
	// are believed (see TrustProxies); none by default.
	proxies []netip.Prefix
}

func init() { gin.SetMode(gin.ReleaseMode) }

// New builds a Kit on an engine with no routes yet. secretKey seals
// two-factor secrets (auth.KeySize bytes).
func New(db *store.DB, log *slog.Logger, secretKey []byte) (*Kit, error) {
	sealer, err := auth.NewSealer(secretKey)
	if err != nil {
		return nil, err
	}
	k := &Kit{DB: db, Log: log, Sealer: sealer, BaseURL: DefaultBaseURL, engine: gin.New(),
		pages: newPages(), rules: map[string]Access{}, hashSlots: newHashSlots(), hashWait: hashWait}
	k.engine.HandleMethodNotAllowed = true
	// gin believes X-Forwarded-For from anyone unless told otherwise: trust
	// no proxy until TrustProxies names them.
	if err := k.TrustProxies(nil); err != nil {
		return nil, err
	}
	k.engine.Use(k.markProxied)
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	return k, nil
}

// Engine is the gin engine the routes are registered on, for the server to
// add middleware and serve.
func (k *Kit) Engine() *gin.Engine { return k.engine }

// Rules returns the access rule of every route, by "METHOD /path", for the
// tests that check that no route is left without one.
func (k *Kit) Rules() map[string]Access { return k.rules }

// ReadableCommittee returns the committee with the code when the user has a
// role in it (or a global one). A committee the user has no role in is not
// found, with the same answer as one that does not exist.
func (s *Kit) ReadableCommittee(c *gin.Context, code string) (domain.Committee, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	cm, err := s.DB.Conn().CommitteeByCode(c.Request.Context(), code)
	if err != nil {
		return domain.Committee{}, err
	}
	if !CurrentUser(c).InCommittee(cm.ID) {
		return domain.Committee{}, domain.Errorf(domain.ENOTFOUND, "Nämnden %q finns inte.", code)
	}
	return cm, nil
}

// ReadableCase reads the case named by the route's :prefix, :seq and :year
// (zero-padded numbers are accepted) with its committee, when the user may
// read it; a case of a committee the user has no role in is not found.
func (s *Kit) ReadableCase(c *gin.Context) (domain.Committee, domain.Case, error) {
	raw := c.Param("prefix") + "/" + c.Param("seq") + "/" + c.Param("year")
	n, err := domain.ParseCaseNumber(raw)
	if err != nil {
		return domain.Committee{}, domain.Case{}, domain.Errorf(domain.ENOTFOUND, "Ärendet finns inte: %s", domain.ErrorMessage(err))
	}
	notFound := domain.Errorf(domain.ENOTFOUND, "Ärendet %s finns inte.", n)
	cm, err := s.ReadableCommittee(c, n.Prefix)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Committee{}, domain.Case{}, notFound
	}
	if err != nil {
		return domain.Committee{}, domain.Case{}, err
	}
	k, err := s.DB.Conn().CaseByNumber(c.Request.Context(), n)
	return cm, k, err
}

// ReadableCommitteeAmong is ReadableCommittee together with every committee
// the user can read (ReadableCommittees), from one query: for the pages that
// offer to switch to another committee.
func (s *Kit) ReadableCommitteeAmong(c *gin.Context, code string) (domain.Committee, []domain.Committee, error) {
	committees, err := s.ReadableCommittees(c)
	if err != nil {
		return domain.Committee{}, nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	i := slices.IndexFunc(committees, func(cm domain.Committee) bool { return cm.Code == code })
	if i < 0 {
		return domain.Committee{}, nil, domain.Errorf(domain.ENOTFOUND, "Nämnden %q finns inte.", code)
	}
	return committees[i], committees, nil
}

// InTx runs one store change as the request's actor.
func (s *Kit) InTx(c *gin.Context, fn func(tx *store.Conn) error) error {
	return s.DB.InTx(c.Request.Context(), fn)
}

// ReadableCommittees lists the committees the user has a role in (all of them
// for admin and auditor), by code.
func (s *Kit) ReadableCommittees(c *gin.Context) ([]domain.Committee, error) {
	all, err := s.DB.Conn().Committees(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []domain.Committee
	for _, cm := range all {
		if CurrentUser(c).InCommittee(cm.ID) {
			out = append(out, cm)
		}
	}
	return out, nil
}

// TrustProxies names the reverse proxies in front of the server: only a
// request whose peer address is in one of them has its X-Forwarded-For (the
// client's address, for the login limit and the audit trail) and its
// X-Forwarded-Proto (whether cookies are Secure) believed. Anyone else could
// write those headers, so with no proxies (the default) they are ignored.
func (k *Kit) TrustProxies(proxies []netip.Prefix) error {
	names := make([]string, len(proxies))
	for i, p := range proxies {
		names[i] = p.Masked().String()
	}
	if err := k.engine.SetTrustedProxies(names); err != nil {
		return err
	}
	k.proxies = append([]netip.Prefix(nil), proxies...)
	return nil
}

// proxiedKey marks a request that came through a trusted proxy.
const proxiedKey = "gns.proxied"

// markProxied notes whether the request came from a trusted proxy, for Secure.
func (k *Kit) markProxied(c *gin.Context) {
	if len(k.proxies) > 0 {
		if addr, err := netip.ParseAddr(c.RemoteIP()); err == nil {
			addr = addr.Unmap()
			for _, p := range k.proxies {
				if p.Contains(addr) {
					c.Set(proxiedKey, true)
					break
				}
			}
		}
	}
	c.Next()
}

// ParseProxies reads a list of trusted proxies: addresses or CIDR ranges
// (10.0.0.5, 10.0.0.0/24, fd00::/8), separated by commas. An empty list is
// no proxies.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range (such as 10.0.0.5 or 10.0.0.0/24)", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// MailNotice says, after a change that kept n mails, whether they are being
// sent or only kept under Utskick (no SMTP server configured).
func (s *Kit) MailNotice(n int, to string) string {
	switch {
	case n == 0:
		return "Inga brev skickades: ingen av " + to + " har en e-postadress eller vill ha brevet."
	case s.DB.SendsMail():
		return fmt.Sprintf("%d brev till %s skickas (se Utskick).", n, to)
	default:
		return fmt.Sprintf("%d brev till %s finns under Utskick; de skickas inte, eftersom ingen e-postserver är inställd.", n, to)
	}
}
