-- Justering: each justerare's approval records the SHA-256 of the minutes PDF
-- (the justeringsexemplar) that justerare approved, so the minutes lock only
-- when both approved the same document. Once the minutes are locked, the
-- justerare, the meeting's time, place and tid för justering, and the anslag
-- day once given, never change again.

-- +goose Up
ALTER TABLE meeting_justerare ADD COLUMN approved_sha256 TEXT;

-- +goose StatementBegin
CREATE TRIGGER justerare_locked_insert BEFORE INSERT ON meeting_justerare
WHEN (SELECT locked_at FROM meetings WHERE id = NEW.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER justerare_locked_update BEFORE UPDATE ON meeting_justerare
WHEN (SELECT locked_at FROM meetings WHERE id = OLD.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER justerare_locked_delete BEFORE DELETE ON meeting_justerare
WHEN (SELECT locked_at FROM meetings WHERE id = OLD.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meetings_minutes_final BEFORE UPDATE ON meetings
WHEN OLD.locked_at IS NOT NULL AND (NEW.start_time IS NOT OLD.start_time OR NEW.end_time IS NOT OLD.end_time
    OR NEW.place IS NOT OLD.place OR NEW.link IS NOT OLD.link OR NEW.justering_due IS NOT OLD.justering_due
    OR NEW.cancelled_at IS NOT OLD.cancelled_at)
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meetings_anslag BEFORE UPDATE ON meetings
WHEN (NEW.announced_on IS NOT NULL AND NEW.locked_at IS NULL)
    OR (OLD.announced_on IS NOT NULL AND NEW.announced_on IS NOT OLD.announced_on)
BEGIN
    SELECT RAISE(ABORT, 'the anslag is given once, after the justering');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER meetings_anslag;
DROP TRIGGER meetings_minutes_final;
DROP TRIGGER justerare_locked_delete;
DROP TRIGGER justerare_locked_update;
DROP TRIGGER justerare_locked_insert;
ALTER TABLE meeting_justerare DROP COLUMN approved_sha256;
