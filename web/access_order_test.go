package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// TestAPIWriteWithoutCredentialsIs401: an API request that changes something
// but carries neither a session nor a token is told to log in (401, JSON),
// not that a form expired (403).
func TestAPIWriteWithoutCredentialsIs401(t *testing.T) {
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		req := httptest.NewRequest(method, "/api/v1/committees/GNS/cases", strings.NewReader(`{"title": "Ett ärende"}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if method != http.MethodPost && w.Code == http.StatusMethodNotAllowed {
			continue // the route has no such method; 405 whatever the credentials
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Errorf("%s without credentials: not JSON: %s", method, w.Body)
			continue
		}
		if w.Code != http.StatusUnauthorized || body.Error.Code != domain.EUNAUTHORIZED {
			t.Errorf("%s without credentials = %d %+v, want 401 %q", method, w.Code, body.Error, domain.EUNAUTHORIZED)
		}
	}

	// A page's form without a token is still refused as before.
	req := httptest.NewRequest(http.MethodPost, "/namnder/GNS/arenden", strings.NewReader("title=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Errorf("a page's form without session or token = %d, want 403", w.Code)
	}
}

// chunkedUpload is a multipart body of n bytes' file, read in pieces of
// unknown total length, as a client sends it in chunks.
type chunkedUpload struct {
	head, tail string
	n          int64
}

func (u *chunkedUpload) Read(p []byte) (int, error) {
	switch {
	case u.head != "":
		k := copy(p, u.head)
		u.head = u.head[k:]
		return k, nil
	case u.n > 0:
		k := int64(len(p))
		k = min(k, u.n)
		for i := range p[:k] {
			p[i] = 'x'
		}
		u.n -= k
		return int(k), nil
	case u.tail != "":
		k := copy(p, u.tail)
		u.tail = u.tail[k:]
		return k, nil
	}
	return 0, io.EOF
}

// TestChunkedOversizedUploadIs413: a body over the 32 MB limit sent without
// a Content-Length is answered 413 when the limit is reached while the form
// token is read, not 403 for a token the form never got to.
func TestChunkedOversizedUploadIs413(t *testing.T) {
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	b := newBrowser(t, s.Handler())
	b.login("a@example.se", testPassword)

	head := "--GNSgrans\r\nContent-Disposition: form-data; name=\"" + kit.CSRFField + "\"\r\n\r\n" + b.csrf + "\r\n" +
		"--GNSgrans\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stor.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
	// The token comes first, as a browser sends the fields in order; the
	// body must still be refused as a whole.
	body := &chunkedUpload{head: head, n: kit.MaxRequestBody + 1<<20, tail: "\r\n--GNSgrans--\r\n"}
	req := httptest.NewRequest(http.MethodPost, "/logga-ut", body)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "multipart/form-data; boundary=GNSgrans")
	w := b.do(req)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "högst 32 MB") {
		t.Errorf("a chunked POST over 32 MB = %d, want 413 with a clear message", w.Code)
	}
	if w := b.get("/"); w.Code != http.StatusOK {
		t.Errorf("the oversized logout ended the session: %d", w.Code)
	}
}
