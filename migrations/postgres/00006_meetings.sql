-- Meetings (sammanträden) and their minutes (protokoll): the year plan, the
-- kallelse with its föredragningslista, attendance, the paragraphs numbered per
-- committee and calendar year, yrkanden and voteringar, the justering that
-- locks the minutes, and the assignments (uppdrag) decisions give.
--
-- Once both justerare have approved, meetings.locked_at is set and triggers
-- refuse every change to the meeting's paragraphs, motions, votes and
-- attendance, whatever program tries.

-- +goose Up
CREATE TABLE meetings (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id      BIGINT NOT NULL REFERENCES committees (id),
    -- uid identifies the meeting in calendar feeds across edits.
    uid               TEXT NOT NULL UNIQUE,
    meeting_date      DATE NOT NULL,
    start_time        TEXT NOT NULL CHECK (start_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
    end_time          TEXT NOT NULL CHECK (end_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
    place             TEXT NOT NULL DEFAULT '',
    link              TEXT NOT NULL DEFAULT '',
    purpose           TEXT NOT NULL CHECK (purpose IN ('arsbokslut', 'tertialrapport', 'delarsrapport', 'budget', 'ovrigt')),
    municipalities    BOOLEAN NOT NULL DEFAULT TRUE,
    weekday_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    notes             TEXT NOT NULL DEFAULT '',
    cancelled_at      TIMESTAMPTZ,
    -- the kallelse is visible to members once published
    published_at      TIMESTAMPTZ,
    -- tid för justering, and the day the approval was announced (anslag)
    justering_due     DATE,
    announced_on      DATE,
    locked_at         TIMESTAMPTZ,
    minutes_sha256    TEXT,
    -- grows with every edit, for calendar feeds (SEQUENCE)
    sequence          INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CHECK (end_time > start_time)
);
CREATE INDEX meetings_committee ON meetings (committee_id, meeting_date);

-- Who was called and who came: one row per member per meeting.
CREATE TABLE meeting_attendance (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id          BIGINT NOT NULL REFERENCES meetings (id),
    member_id           BIGINT NOT NULL REFERENCES committee_members (id),
    present             BOOLEAN NOT NULL DEFAULT FALSE,
    -- tjänstgörande: a ledamot present, or an ersättare serving for one
    serving             BOOLEAN NOT NULL DEFAULT FALSE,
    serving_for         BIGINT REFERENCES committee_members (id),
    -- the paragraph numbers a member arrived at or left after, if not all
    arrived_at          INTEGER,
    left_after          INTEGER,
    UNIQUE (meeting_id, member_id)
);

-- The föredragningslista: the two standing items and one item per case.
CREATE TABLE agenda_items (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id    BIGINT NOT NULL REFERENCES meetings (id),
    position      INTEGER NOT NULL CHECK (position >= 1),
    kind          TEXT NOT NULL CHECK (kind IN ('agenda', 'justerare', 'case', 'other')),
    case_id       BIGINT REFERENCES cases (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    proposal      TEXT NOT NULL DEFAULT '',
    -- expedieras till: a JSON array of recipients ("parties", "party:<slug>", "role:<text>")
    dispatch_to   TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn', 'moved')),
    moved_to      BIGINT REFERENCES meetings (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'case') = (case_id IS NOT NULL))
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_case ON agenda_items (case_id);

-- The two justerare of a meeting, and their approvals.
CREATE TABLE meeting_justerare (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    member_id   BIGINT NOT NULL REFERENCES committee_members (id),
    approved_at TIMESTAMPTZ,
    approved_by BIGINT REFERENCES users (id),
    UNIQUE (meeting_id, member_id)
);

-- Paragraph numbers run per committee and calendar year across meetings.
CREATE TABLE paragraph_counters (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE paragraphs (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id       BIGINT NOT NULL REFERENCES committees (id),
    meeting_id         BIGINT NOT NULL REFERENCES meetings (id),
    year               INTEGER NOT NULL,
    number             INTEGER NOT NULL CHECK (number >= 1),
    agenda_item_id     BIGINT REFERENCES agenda_items (id),
    case_id            BIGINT REFERENCES cases (id),
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    proposal           TEXT NOT NULL DEFAULT '',
    -- propositionsordning: how the chair put the question, and the outcome
    proposition_order  TEXT NOT NULL DEFAULT '',
    proposition_result TEXT NOT NULL DEFAULT '',
    -- beslut: numbered points, one per line
    decision           TEXT NOT NULL DEFAULT '',
    reservations       TEXT NOT NULL DEFAULT '',
    dispatch_to        TEXT NOT NULL DEFAULT '[]',
    basis              TEXT NOT NULL DEFAULT '',
    -- the counted votering, when there was one
    votes_yes          INTEGER,
    votes_no           INTEGER,
    votes_abstain      INTEGER,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (committee_id, year, number)
);
CREATE INDEX paragraphs_meeting ON paragraphs (meeting_id, number);
CREATE INDEX paragraphs_case ON paragraphs (case_id);

-- yrkanden: a named member's motion in a paragraph
CREATE TABLE motions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs (id),
    position     INTEGER NOT NULL,
    member_id    BIGINT NOT NULL REFERENCES committee_members (id),
    text         TEXT NOT NULL
);
CREATE INDEX motions_paragraph ON motions (paragraph_id, position);

-- votering: each serving member's vote
CREATE TABLE votes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs (id),
    member_id    BIGINT NOT NULL REFERENCES committee_members (id),
    vote         TEXT NOT NULL CHECK (vote IN ('ja', 'nej', 'avstar')),
    UNIQUE (paragraph_id, member_id)
);

-- uppdrag given by a decision point, followed until done or withdrawn
CREATE TABLE assignments (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id      BIGINT NOT NULL REFERENCES committees (id),
    paragraph_id      BIGINT NOT NULL REFERENCES paragraphs (id),
    case_id           BIGINT REFERENCES cases (id),
    -- the assignee: a role (e.g. Regiondirektören) or a named person
    assignee          TEXT NOT NULL,
    assignee_user_id  BIGINT REFERENCES users (id),
    description       TEXT NOT NULL,
    due_on            DATE,
    report_meeting_id BIGINT REFERENCES meetings (id),
    status            TEXT NOT NULL CHECK (status IN ('givet', 'pagar', 'aterrapporterat', 'slutfort', 'ateraget')),
    withdrawn_by      BIGINT REFERENCES paragraphs (id),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'ateraget') = (withdrawn_by IS NOT NULL))
);
CREATE INDEX assignments_committee ON assignments (committee_id, status, due_on);
CREATE INDEX assignments_case ON assignments (case_id);

-- The history of an assignment: given, status changes, reassignments.
CREATE TABLE assignment_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('given', 'status', 'reassigned', 'withdrawn')),
    from_status   TEXT,
    to_status     TEXT,
    from_assignee TEXT,
    to_assignee   TEXT,
    paragraph_id  BIGINT REFERENCES paragraphs (id),
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignment_events_assignment ON assignment_events (assignment_id, id);

-- Locked minutes: nothing in a locked meeting's minutes changes again.
-- +goose StatementBegin
CREATE FUNCTION minutes_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    meeting BIGINT;
    locked  TIMESTAMPTZ;
    rec     RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;
    IF TG_TABLE_NAME = 'paragraphs' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'a paragraph is never deleted';
        END IF;
        meeting := rec.meeting_id;
    ELSIF TG_TABLE_NAME = 'meeting_attendance' THEN
        meeting := rec.meeting_id;
    ELSE
        SELECT p.meeting_id INTO meeting FROM paragraphs p WHERE p.id = rec.paragraph_id;
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
CREATE TRIGGER paragraphs_locked BEFORE INSERT OR UPDATE OR DELETE ON paragraphs
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
CREATE TRIGGER motions_locked BEFORE INSERT OR UPDATE OR DELETE ON motions
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
CREATE TRIGGER votes_locked BEFORE INSERT OR UPDATE OR DELETE ON votes
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
CREATE TRIGGER attendance_locked BEFORE INSERT OR UPDATE ON meeting_attendance
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
-- +goose StatementBegin
CREATE FUNCTION meetings_lock_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.locked_at IS NOT NULL AND (NEW.locked_at IS DISTINCT FROM OLD.locked_at
        OR NEW.minutes_sha256 IS DISTINCT FROM OLD.minutes_sha256
        OR NEW.meeting_date IS DISTINCT FROM OLD.meeting_date OR NEW.committee_id IS DISTINCT FROM OLD.committee_id) THEN
        RAISE EXCEPTION 'the minutes are approved (justerade) and locked';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER meetings_lock_is_final BEFORE UPDATE ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_lock_is_final();

-- +goose Down
DROP TRIGGER meetings_lock_is_final ON meetings;
DROP FUNCTION meetings_lock_is_final();
DROP TRIGGER attendance_locked ON meeting_attendance;
DROP TRIGGER votes_locked ON votes;
DROP TRIGGER motions_locked ON motions;
DROP TRIGGER paragraphs_locked ON paragraphs;
DROP FUNCTION minutes_locked();
DROP TABLE assignment_events;
DROP TABLE assignments;
DROP TABLE votes;
DROP TABLE motions;
DROP TABLE paragraphs;
DROP TABLE paragraph_counters;
DROP TABLE meeting_justerare;
DROP TABLE agenda_items;
DROP TABLE meeting_attendance;
DROP TABLE meetings;
