package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	start := time.Date(2021, 2, 8, 9, 0, 0, 0, stockholm)
	cal := Calendar{Name: "GNS sammanträden", Events: []Event{{
		UID:         "meeting-17@gns",
		Start:       start,
		End:         start.Add(3 * time.Hour),
		Summary:     "Sammanträde GNS: årsbokslut, budget; övrigt",
		Location:    "Regionens hus, sal Storsjön, och Teams",
		Description: "Föredragningslista:\n1. Fastställande av föredragningslista\n2. Val av justerare och tid för justering\n" + strings.Repeat("Ärendet gäller Härjedalens kommun. ", 5),
		Sequence:    2,
	}}}
	var buf bytes.Buffer
	if err := Write(&buf, cal, time.Date(2020, 12, 14, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("a line does not end in CRLF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold split a character: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
		"UID:meeting-17@gns\r\n",
		"DTSTART:20210208T080000Z\r\n", // 09.00 in Stockholm, winter time
		"DTEND:20210208T110000Z\r\n",
		"SEQUENCE:2\r\n",
		`SUMMARY:Sammanträde GNS: årsbokslut\, budget\; övrigt`,
		`DESCRIPTION:Föredragningslista:\n1. Fastställande av föredragningslista\n`,
		"END:VEVENT\r\nEND:VCALENDAR\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteRejectsBadEvents(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for name, e := range map[string]Event{
		"no UID":         {Start: now, End: now.Add(time.Hour), Summary: "x"},
		"ends too early": {UID: "u", Start: now, End: now, Summary: "x"},
	} {
		if err := Write(&bytes.Buffer{}, Calendar{Events: []Event{e}}, now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Sammanträde med Härjedalens, Östersunds och Åre kommuner i Regionens hus")
	f.Add(strings.Repeat("å", 200))
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var buf bytes.Buffer
		now := time.Unix(0, 0)
		if err := Write(&buf, Calendar{Events: []Event{{UID: "u", Start: now, End: now.Add(time.Hour), Summary: s}}}, now); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(buf.String(), "\r\n") {
			if len(line) > 75 || !utf8.ValidString(line) {
				t.Fatalf("bad line %q", line)
			}
		}
		unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
		if !strings.Contains(unfolded, "SUMMARY:"+escape(s)+"\r\n") {
			t.Fatalf("summary %q does not unfold to itself", s)
		}
	})
}
