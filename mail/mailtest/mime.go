package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
)

type mimeDecoder = mime.WordDecoder

// partText finds the first part of contentType in a raw message and returns
// it decoded.
func partText(raw []byte, contentType string) string {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return findPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, contentType)
}

func findPart(ct, cte string, body io.Reader, want string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if s := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, want); s != "" {
				return s
			}
		}
	}
	if mt != want {
		return ""
	}
	var r io.Reader = body
	switch strings.ToLower(cte) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// Attachment is a file that came with a message.
type Attachment struct {
	Filename    string
	ContentType string
	Content     []byte
}

// Attachments returns the message's attached files (parts with a
// Content-Disposition of attachment), decoded, in their order.
func (m Message) Attachments() []Attachment {
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return nil
	}
	var out []Attachment
	collectAttachments(msg.Header.Get("Content-Type"), msg.Body, &out)
	return out
}

func collectAttachments(ct string, body io.Reader, out *[]Attachment) {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			return
		}
		pct := p.Header.Get("Content-Type")
		disp, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp != "attachment" {
			collectAttachments(pct, p, out)
			continue
		}
		var r io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, _ := io.ReadAll(r)
		name := dparams["filename"]
		if d, err := new(mimeDecoder).DecodeHeader(name); err == nil {
			name = d
		}
		ctype, _, _ := mime.ParseMediaType(pct)
		*out = append(*out, Attachment{Filename: name, ContentType: ctype, Content: b})
	}
}
