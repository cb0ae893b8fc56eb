-- The sekreterare of a meeting: the person the protokoll names as its
-- sekreterare and who certifies its protokollsutdrag ("Rätt utdraget
-- betygar"). Chosen with the justerare, before the justering; fixed once the
-- minutes are locked. Empty for meetings from before (their extracts are
-- certified by the secretariat).

-- +goose Up
ALTER TABLE meetings ADD COLUMN secretary TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE TRIGGER meetings_secretary_final BEFORE UPDATE ON meetings
WHEN OLD.locked_at IS NOT NULL AND NEW.secretary IS NOT OLD.secretary
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER meetings_secretary_final;
ALTER TABLE meetings DROP COLUMN secretary;
