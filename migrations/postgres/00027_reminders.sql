-- Reminders, digests and calling in an ersättare (issue 18, "What is sent").
--
-- done_once: what GNS does once only, by a key: a periodic job's run for one
-- period ("job:assignment-digest:2026-12-07"), a mail about one event (the
-- minutes ready for justering, the reminder the day before). The key is
-- written in the transaction that does the work, so two gns serve on one
-- database never both do it, and a rolled-back attempt leaves it undone.
--
-- kallelse_changes.mailed_at: when the members and the parties' contacts were
-- told of the change ("kallelsen är ändrad"); NULL until then.
--
-- meeting_absences.substitute_id: the ersättare the secretariat called in
-- for the member who reported förhinder, with when and by whom; the
-- attendance form starts from it. One ersättare stands in for one member at a
-- meeting.

-- +goose Up
CREATE TABLE done_once (
    key     TEXT PRIMARY KEY,
    done_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE kallelse_changes ADD COLUMN mailed_at TIMESTAMPTZ;

ALTER TABLE meeting_absences ADD COLUMN substitute_id BIGINT REFERENCES committee_members (id);
ALTER TABLE meeting_absences ADD COLUMN called_at TIMESTAMPTZ;
ALTER TABLE meeting_absences ADD COLUMN called_by TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX meeting_absences_substitute ON meeting_absences (meeting_id, substitute_id)
    WHERE substitute_id IS NOT NULL;

-- +goose Down
DROP INDEX meeting_absences_substitute;
ALTER TABLE meeting_absences DROP COLUMN called_by;
ALTER TABLE meeting_absences DROP COLUMN called_at;
ALTER TABLE meeting_absences DROP COLUMN substitute_id;
ALTER TABLE kallelse_changes DROP COLUMN mailed_at;
DROP TABLE done_once;
