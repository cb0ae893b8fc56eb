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
	// SubstituteID is the ersättare the secretariat called in for the
	// member (0: none yet), SubstituteName their name, CalledAt and
	// CalledBy when and by whom.
	SubstituteID   int64
	SubstituteName string
	CalledAt       time.Time
	CalledBy       string
}
