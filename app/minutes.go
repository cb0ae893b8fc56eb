package app

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

// ApproveMinutes records u's approval (justering) of the minutes of meeting
// meetingID of committee cm, in one transaction of its own: the store takes
// the meeting's row and checks that u may approve the minutes now
// (meeting.CanJustera and the state of the minutes), the justeringsexemplar
// is built from the minutes as that transaction sees them, and its SHA-256
// is recorded with the approval, which locks the minutes when the other
// justerare approved the same hash. seen is the hash of the exemplar u read:
// when the minutes have changed since, nothing is recorded and the error
// (ECONFLICT) says so. The day of the approval is today by the database's
// clock in Swedish time. When the approval locks the minutes, the
// secretariat is told by mail (JusteratMails), links built from baseURL. It
// returns the justering as it became.
func ApproveMinutes(ctx context.Context, db *store.DB, cm domain.Committee, meetingID int64, u domain.User, seen, baseURL string) (meeting.Justering, error) {
	today := domain.DateOf(db.Now().In(sv.Location()))
	var after meeting.Justering
	err := db.InTx(ctx, func(tx *store.Conn) error {
		if err := tx.CheckApproval(ctx, meetingID, u, today); err != nil {
			return err
		}
		sum, err := protokoll.ExemplarHash(ctx, tx, cm, meetingID)
		if err != nil {
			return err
		}
		if sum != seen {
			return domain.Errorf(domain.ECONFLICT, "Protokollet har ändrats sedan du öppnade sidan. Läs det nya justeringsexemplaret och justera igen.")
		}
		if after, err = tx.ApproveMinutes(ctx, meetingID, u, today, sum); err != nil || !after.Locked() {
			return err
		}
		m, err := tx.MeetingByID(ctx, meetingID)
		if err != nil {
			return err
		}
		_, err = JusteratMails(ctx, tx, cm, m, after, baseURL)
		return err
	})
	return after, err
}
