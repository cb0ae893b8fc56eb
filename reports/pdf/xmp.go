package pdf

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// xmp returns the document's XMP metadata packet: title, author, subject and
// language (dc:language) as Dublin Core, with the dates and the producer, so
// that readers and archives that read XMP rather than the Info dictionary
// (PDF/A validators, screen readers choosing a voice) get them too.
func xmp(o Options) []byte {
	lang := o.Language
	if lang == "" {
		lang = "sv-SE"
	}
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(cleanText(s, true, true)))
		return b.String()
	}
	date := o.Created.UTC().Format(time.RFC3339)
	var b strings.Builder
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
`)
	b.WriteString(`<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(o.Title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + esc(o.Author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(o.Subject) + `</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>` + esc(lang) + `</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>` + date + `</xmp:CreateDate>
<xmp:ModifyDate>` + date + `</xmp:ModifyDate>
<xmp:CreatorTool>` + esc(o.Creator) + `</xmp:CreatorTool>
<pdf:Producer>GNS (gofpdf)</pdf:Producer>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
	return []byte(b.String())
}

var (
	metadataObject = regexp.MustCompile(`(?m)^(\d+) 0 obj\n<< /Type /Metadata /Subtype /XML`)
	startXref      = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`)
)

// withCatalogEntries adds to the PDF's catalog what gofpdf leaves out: the
// reference to the XMP metadata stream it writes (without it, readers do
// not find the stream) and the document language (/Lang), which screen
// readers use. gofpdf writes the catalog as the last object before the
// cross-reference table, so only the table's own offset (startxref) moves.
// A PDF not laid out that way is returned unchanged.
func withCatalogEntries(b []byte, lang string) []byte {
	if lang == "" {
		lang = "sv-SE"
	}
	cat := bytes.LastIndex(b, []byte("/Type /Catalog"))
	xref := startXref.FindSubmatchIndex(b)
	if cat < 0 || xref == nil || bytes.Contains(b[cat:], []byte(" 0 obj")) {
		return b
	}
	add := " /Lang (" + lang + ")"
	if m := metadataObject.FindSubmatch(b); m != nil {
		add += " /Metadata " + string(m[1]) + " 0 R"
	}
	at := cat + len("/Type /Catalog")
	old, err := strconv.Atoi(string(b[xref[2]:xref[3]]))
	if err != nil || old < at {
		return b
	}
	out := make([]byte, 0, len(b)+len(add)+4)
	out = append(out, b[:at]...)
	out = append(out, add...)
	out = append(out, b[at:xref[2]]...)
	out = append(out, strconv.Itoa(old+len(add))...)
	out = append(out, b[xref[3]:]...)
	return out
}
