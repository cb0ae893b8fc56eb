package domain

import (
	"context"
	"encoding/json"
	"time"

	"github.com/region-jh/gns/sv"
)

// Actor is who makes a change: the user behind a request or a command, for the
// audit trail. It travels in the context of the change.
type Actor struct {
	UserID int64 // 0 for the system itself (migrations, demo data)
	// Label names the actor in the audit trail: the user's e-mail address, or
	// e.g. "system (demo)".
	Label      string
	RemoteAddr string
	RequestID  string
}

type actorKey struct{}

// WithActor returns a context that carries the actor of the changes made in it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or the system actor when there
// is none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "system"}
}

// Session is a browser's login: created at the password step, complete once
// the second factor (when required) is given.
type Session struct {
	ID        int64
	UserID    int64
	CSRFToken string
	// MFADone is false between the password step and the two-factor step.
	MFADone    bool
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// APIToken is a named bearer token for the JSON API. It carries its user's
// roles. Only a hash of the token is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never expires
	RevokedAt  time.Time // zero: not revoked
	LastUsedAt time.Time
}

// Active reports whether the token may be used at time t.
func (t APIToken) Active(at time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || at.Before(t.ExpiresAt))
}

// TokenUseEvery is how often a token's last use is written: a program that
// polls the API with a token writes once a minute, not on every read.
const TokenUseEvery = time.Minute

// DayStart is the start of the Swedish day that t falls in (midnight in
// Stockholm), in UTC.
func DayStart(t time.Time) time.Time {
	y, m, d := t.In(sv.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, sv.Location()).UTC()
}

// UseToRecord reports whether a use of t at time now has anything to write:
// its last use a minute old or from an earlier day, or an address the token
// was not used from before (knownAddress false). The audit trail gets the
// token's first use of a day and its first use from an address; the other
// uses of a token, most reads, write nothing.
func (t APIToken) UseToRecord(now time.Time, knownAddress bool) bool {
	return !knownAddress || t.LastUsedAt.IsZero() || !now.Before(t.LastUsedAt.Add(TokenUseEvery)) ||
		t.LastUsedAt.Before(DayStart(now))
}

// AuditEntry is one line of the append-only audit trail: who did what to which
// entity, when, and the entity before and after.
type AuditEntry struct {
	ID          int64
	At          time.Time
	ActorUserID int64
	Actor       string
	// Action is what happened, e.g. "create", "update", "login", "login_failed".
	Action   string
	Entity   string
	EntityID string
	Before   json.RawMessage
	After    json.RawMessage
	// RemoteAddr and RequestID tie the entry to a request, when there was one.
	RemoteAddr string
	RequestID  string
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	ActorUserID int64
	Entity      string
	// Query is text the entry must hold in its actor, action, entity, id
	// or before/after values (case folded; SQLite folds ASCII letters only).
	Query    string
	From, To Date // inclusive, in UTC days
	Limit    int
	Offset   int
}
