package kit

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultBaseURL is the address of GNS in development, where no base URL is
// configured: the default listen address.
const DefaultBaseURL = "http://localhost:8080"

// ParseBaseURL reads the address at which people reach GNS (GNS_BASE_URL),
// from which absolute links in feeds and mail are built, never from a
// request's Host header, which the client chooses. It must be an absolute
// http or https URL with a host and nothing after it but an optional "/":
// GNS serves from the root of its address, and a query, a fragment or a user
// name would end up in every link. It is returned without the trailing "/".
func ParseBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("no base URL given")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %v", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q must start with https:// (or http://), e.g. https://gns.example.se", s)
	case u.Host == "" || u.Hostname() == "" || u.Opaque != "":
		return "", fmt.Errorf("%q has no host name, e.g. https://gns.example.se", s)
	case u.User != nil:
		return "", fmt.Errorf("%q must not hold a user name or password", s)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(s, "?#"):
		return "", fmt.Errorf("%q must not have a query (?) or a fragment (#)", s)
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("%q must not have a path: GNS serves from the root of its address", s)
	}
	return u.Scheme + "://" + u.Host, nil
}
