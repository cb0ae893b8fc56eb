package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestOnce: a key is done once; a rolled-back transaction leaves it undone;
// DoneAt says when.
func TestOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		once := func(key string) bool {
			var first bool
			if err := f.change(func(c *store.Conn) error {
				var err error
				first, err = c.Once(f.ctx, key)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return first
		}
		if !once("justerat:meeting:1") || once("justerat:meeting:1") {
			t.Error("a key is not done exactly once")
		}
		errUndo := errors.New("undone")
		err := f.change(func(c *store.Conn) error {
			if first, err := c.Once(f.ctx, "justerat:meeting:2"); err != nil || !first {
				t.Errorf("Once in the transaction = %v, %v", first, err)
			}
			return errUndo
		})
		if !errors.Is(err, errUndo) {
			t.Fatal(err)
		}
		if at, err := db.Conn().DoneAt(f.ctx, "justerat:meeting:2"); err != nil || !at.IsZero() {
			t.Errorf("a rolled-back key is done at %v, %v", at, err)
		}
		if !once("justerat:meeting:2") {
			t.Error("a rolled-back key cannot be done again")
		}
		if at, err := db.Conn().DoneAt(f.ctx, "justerat:meeting:1"); err != nil || at.IsZero() {
			t.Errorf("DoneAt of a done key = %v, %v", at, err)
		}
		if err := f.change(func(c *store.Conn) error {
			return c.ForgetDone(f.ctx, "justerat:meeting:1", db.Now().Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if at, _ := db.Conn().DoneAt(f.ctx, "justerat:meeting:1"); !at.IsZero() {
			t.Error("ForgetDone kept the key")
		}
		if at, _ := db.Conn().DoneAt(f.ctx, "justerat:meeting:2"); at.IsZero() {
			t.Error("ForgetDone removed a key with another prefix")
		}
		if err := f.change(func(c *store.Conn) error { _, err := c.Once(f.ctx, " "); return err }); err == nil {
			t.Error("an empty key was accepted")
		}
	})
}

// TestCallInSubstitute: an ersättare of the same party is called in for a
// ledamot with förhinder; one of another party, a ledamot, one already
// called in, or a call for an ersättare or a member without förhinder is
// refused and writes nothing.
func TestCallInSubstitute(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newMinutesFixture(t, db)
		if err := f.change(func(c *store.Conn) error {
			for _, id := range []int64{f.vice.ID, f.bo.ID} {
				if _, err := c.ReportAbsence(f.ctx, f.mtg.ID, id, 0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		call := func(member, sub int64) error {
			return f.change(func(c *store.Conn) error { _, err := c.CallInSubstitute(f.ctx, f.mtg.ID, member, sub); return err })
		}
		before := f.rows(t)
		wantCode(t, "no förhinder", call(f.therese.ID, f.maria.ID), domain.ENOTFOUND, "inte anmält förhinder")
		wantCode(t, "another party", call(f.vice.ID, f.bo.ID), domain.EINVALID, "ett annat parti")
		wantCode(t, "a ledamot", call(f.vice.ID, f.therese.ID), domain.EINVALID, "inte ersättare")
		wantCode(t, "for an ersättare", call(f.bo.ID, f.maria.ID), domain.ECONFLICT, "ersätts inte")
		wantCode(t, "no such member", call(f.vice.ID, 999999), domain.EINVALID, "Välj en ersättare")
		if after := f.rows(t); after != before {
			t.Errorf("refused call-ins wrote:\n%s\nwas\n%s", after, before)
		}
		if err := call(f.vice.ID, f.maria.ID); err != nil {
			t.Fatal(err)
		}
		absences, _ := db.Conn().Absences(f.ctx, f.mtg.ID)
		if absences[0].MemberID != f.vice.ID || absences[0].SubstituteID != f.maria.ID || absences[0].SubstituteName != "Maria Jakobsson" ||
			absences[0].CalledAt.IsZero() || absences[0].CalledBy != "test" {
			t.Errorf("the call-in = %+v", absences[0])
		}
		wantCode(t, "the same twice", call(f.vice.ID, f.maria.ID), domain.EINVALID, "redan inkallad")
	})
}
