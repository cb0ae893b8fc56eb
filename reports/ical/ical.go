// Package ical writes iCalendar (RFC 5545) feeds that calendar applications
// can subscribe to: the committees' meeting plans. Lines end in CRLF and are
// folded at 75 octets without splitting a UTF-8 character; text is escaped;
// times are written in UTC, so no time zone definitions are needed.
package ical

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one feed.
type Calendar struct {
	// Name is shown by calendar applications (X-WR-CALNAME).
	Name   string
	Events []Event
}

// Event is one meeting in the feed.
type Event struct {
	// UID identifies the event across versions of the feed: it must stay the
	// same when the meeting is edited, so calendars update it instead of
	// adding a second one.
	UID         string
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	// Sequence grows with every edit of the event (RFC 5545 3.8.7.4).
	Sequence     int
	LastModified time.Time
	// Cancelled marks a meeting that was called off.
	Cancelled bool
}

// Write writes the calendar. stamp is the DTSTAMP of every event: the time
// the feed was made.
func Write(w io.Writer, cal Calendar, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	lw := lineWriter{w: bw}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:-//GNS//Gemensamma nämnder//SV")
	lw.line("CALSCALE:GREGORIAN")
	lw.line("METHOD:PUBLISH")
	if cal.Name != "" {
		lw.line("X-WR-CALNAME:" + escape(cal.Name))
	}
	for _, e := range cal.Events {
		if e.UID == "" {
			return fmt.Errorf("ical: event %q has no UID", e.Summary)
		}
		if !e.End.After(e.Start) {
			return fmt.Errorf("ical: event %q ends before it starts", e.Summary)
		}
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + escape(e.UID))
		lw.line("DTSTAMP:" + utc(stamp))
		lw.line("DTSTART:" + utc(e.Start))
		lw.line("DTEND:" + utc(e.End))
		lw.line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
		if !e.LastModified.IsZero() {
			lw.line("LAST-MODIFIED:" + utc(e.LastModified))
		}
		lw.line("SUMMARY:" + escape(e.Summary))
		if e.Location != "" {
			lw.line("LOCATION:" + escape(e.Location))
		}
		if e.Description != "" {
			lw.line("DESCRIPTION:" + escape(e.Description))
		}
		if e.URL != "" {
			lw.line("URL:" + e.URL)
		}
		if e.Cancelled {
			lw.line("STATUS:CANCELLED")
		} else {
			lw.line("STATUS:CONFIRMED")
		}
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return bw.Flush()
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escape escapes TEXT values (RFC 5545 3.3.11).
var escaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func escape(s string) string { return escaper.Replace(s) }

// lineWriter writes content lines ending in CRLF, folded so that no line is
// longer than 75 octets; a fold never splits a UTF-8 character.
type lineWriter struct {
	w   *bufio.Writer
	err error
}

const maxOctets = 75

func (l *lineWriter) line(s string) {
	if l.err != nil {
		return
	}
	limit := maxOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		l.write(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = maxOctets - 1 // the continuation line starts with a space
	}
	l.write(s + "\r\n")
}

func (l *lineWriter) write(s string) {
	if l.err == nil {
		_, l.err = l.w.WriteString(s)
	}
}
