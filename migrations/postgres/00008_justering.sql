-- Justering: each justerare's approval records the SHA-256 of the minutes PDF
-- (the justeringsexemplar) that justerare approved, so the minutes lock only
-- when both approved the same document. Once the minutes are locked, the
-- justerare, the meeting's time, place and tid för justering, and the anslag
-- day once given, never change again.

-- +goose Up
ALTER TABLE meeting_justerare ADD COLUMN approved_sha256 TEXT;

-- +goose StatementBegin
CREATE FUNCTION justerare_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    meeting BIGINT;
    locked  TIMESTAMPTZ;
BEGIN
    IF TG_OP = 'DELETE' THEN meeting := OLD.meeting_id; ELSE meeting := NEW.meeting_id; END IF;
    IF TG_OP = 'UPDATE' AND OLD.meeting_id IS DISTINCT FROM NEW.meeting_id THEN
        RAISE EXCEPTION 'a justerare belongs to one meeting';
    END IF;
    SELECT m.locked_at INTO locked FROM meetings m WHERE m.id = meeting;
    IF locked IS NOT NULL THEN
        RAISE EXCEPTION 'the minutes are approved (justerade) and locked';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER justerare_locked BEFORE INSERT OR UPDATE OR DELETE ON meeting_justerare
    FOR EACH ROW EXECUTE FUNCTION justerare_locked();

-- +goose StatementBegin
CREATE FUNCTION meetings_minutes_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.locked_at IS NOT NULL AND (NEW.start_time IS DISTINCT FROM OLD.start_time
        OR NEW.end_time IS DISTINCT FROM OLD.end_time OR NEW.place IS DISTINCT FROM OLD.place
        OR NEW.link IS DISTINCT FROM OLD.link OR NEW.justering_due IS DISTINCT FROM OLD.justering_due
        OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at) THEN
        RAISE EXCEPTION 'the minutes are approved (justerade) and locked';
    END IF;
    IF (NEW.announced_on IS NOT NULL AND NEW.locked_at IS NULL)
        OR (OLD.announced_on IS NOT NULL AND NEW.announced_on IS DISTINCT FROM OLD.announced_on) THEN
        RAISE EXCEPTION 'the anslag is given once, after the justering';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER meetings_minutes_final BEFORE UPDATE ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_minutes_final();

-- +goose Down
DROP TRIGGER meetings_minutes_final ON meetings;
DROP FUNCTION meetings_minutes_final();
DROP TRIGGER justerare_locked ON meeting_justerare;
DROP FUNCTION justerare_locked();
ALTER TABLE meeting_justerare DROP COLUMN approved_sha256;
