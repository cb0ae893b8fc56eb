package meeting

import "time"

// Absence is a förhinder: a member's report that they cannot attend a
// meeting, so that the secretariat calls in an ersättare.
type Absence struct {
	MeetingID  int64
	MemberID   int64
	MemberName string
	ReportedAt time.Time
	// ReportedBy is the user who reported it (the member's own user).
	ReportedBy int64
}
