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
    id                INTEGER PRIMARY KEY,
    committee_id      INTEGER NOT NULL REFERENCES committees (id),
    -- uid identifies the meeting in calendar feeds across edits.
    uid               TEXT NOT NULL UNIQUE,
    meeting_date      TEXT NOT NULL,
    start_time        TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    end_time          TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    place             TEXT NOT NULL DEFAULT '',
    link              TEXT NOT NULL DEFAULT '',
    purpose           TEXT NOT NULL CHECK (purpose IN ('arsbokslut', 'tertialrapport', 'delarsrapport', 'budget', 'ovrigt')),
    municipalities    BOOLEAN NOT NULL DEFAULT TRUE,
    weekday_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    notes             TEXT NOT NULL DEFAULT '',
    cancelled_at      TIMESTAMP,
    -- the kallelse is visible to members once published
    published_at      TIMESTAMP,
    -- tid för justering, and the day the approval was announced (anslag)
    justering_due     TEXT,
    announced_on      TEXT,
    locked_at         TIMESTAMP,
    minutes_sha256    TEXT,
    -- grows with every edit, for calendar feeds (SEQUENCE)
    sequence          INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (end_time > start_time)
);
CREATE INDEX meetings_committee ON meetings (committee_id, meeting_date);

-- Who was called and who came: one row per member per meeting.
CREATE TABLE meeting_attendance (
    id                  INTEGER PRIMARY KEY,
    meeting_id          INTEGER NOT NULL REFERENCES meetings (id),
    member_id           INTEGER NOT NULL REFERENCES committee_members (id),
    present             BOOLEAN NOT NULL DEFAULT FALSE,
    -- tjänstgörande: a ledamot present, or an ersättare serving for one
    serving             BOOLEAN NOT NULL DEFAULT FALSE,
    serving_for         INTEGER REFERENCES committee_members (id),
    -- the paragraph numbers a member arrived at or left after, if not all
    arrived_at          INTEGER,
    left_after          INTEGER,
    UNIQUE (meeting_id, member_id)
);

-- The föredragningslista: the two standing items and one item per case.
CREATE TABLE agenda_items (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id),
    position      INTEGER NOT NULL CHECK (position >= 1),
    kind          TEXT NOT NULL CHECK (kind IN ('agenda', 'justerare', 'case', 'other')),
    case_id       INTEGER REFERENCES cases (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    proposal      TEXT NOT NULL DEFAULT '',
    -- expedieras till: a JSON array of recipients ("parties", "party:<slug>", "role:<text>")
    dispatch_to   TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn', 'moved')),
    moved_to      INTEGER REFERENCES meetings (id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK ((kind = 'case') = (case_id IS NOT NULL))
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_case ON agenda_items (case_id);

-- The two justerare of a meeting, and their approvals.
CREATE TABLE meeting_justerare (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    member_id   INTEGER NOT NULL REFERENCES committee_members (id),
    approved_at TIMESTAMP,
    approved_by INTEGER REFERENCES users (id),
    UNIQUE (meeting_id, member_id)
);

-- Paragraph numbers run per committee and calendar year across meetings.
CREATE TABLE paragraph_counters (
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE paragraphs (
    id                 INTEGER PRIMARY KEY,
    committee_id       INTEGER NOT NULL REFERENCES committees (id),
    meeting_id         INTEGER NOT NULL REFERENCES meetings (id),
    year               INTEGER NOT NULL,
    number             INTEGER NOT NULL CHECK (number >= 1),
    agenda_item_id     INTEGER REFERENCES agenda_items (id),
    case_id            INTEGER REFERENCES cases (id),
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
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (committee_id, year, number)
);
CREATE INDEX paragraphs_meeting ON paragraphs (meeting_id, number);
CREATE INDEX paragraphs_case ON paragraphs (case_id);

-- yrkanden: a named member's motion in a paragraph
CREATE TABLE motions (
    id           INTEGER PRIMARY KEY,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id),
    position     INTEGER NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES committee_members (id),
    text         TEXT NOT NULL
);
CREATE INDEX motions_paragraph ON motions (paragraph_id, position);

-- votering: each serving member's vote
CREATE TABLE votes (
    id           INTEGER PRIMARY KEY,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id),
    member_id    INTEGER NOT NULL REFERENCES committee_members (id),
    vote         TEXT NOT NULL CHECK (vote IN ('ja', 'nej', 'avstar')),
    UNIQUE (paragraph_id, member_id)
);

-- uppdrag given by a decision point, followed until done or withdrawn
CREATE TABLE assignments (
    id                INTEGER PRIMARY KEY,
    committee_id      INTEGER NOT NULL REFERENCES committees (id),
    paragraph_id      INTEGER NOT NULL REFERENCES paragraphs (id),
    case_id           INTEGER REFERENCES cases (id),
    -- the assignee: a role (e.g. Regiondirektören) or a named person
    assignee          TEXT NOT NULL,
    assignee_user_id  INTEGER REFERENCES users (id),
    description       TEXT NOT NULL,
    due_on            TEXT,
    report_meeting_id INTEGER REFERENCES meetings (id),
    status            TEXT NOT NULL CHECK (status IN ('givet', 'pagar', 'aterrapporterat', 'slutfort', 'ateraget')),
    withdrawn_by      INTEGER REFERENCES paragraphs (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK ((status = 'ateraget') = (withdrawn_by IS NOT NULL))
);
CREATE INDEX assignments_committee ON assignments (committee_id, status, due_on);
CREATE INDEX assignments_case ON assignments (case_id);

-- The history of an assignment: given, status changes, reassignments.
CREATE TABLE assignment_events (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments (id),
    at            TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('given', 'status', 'reassigned', 'withdrawn')),
    from_status   TEXT,
    to_status     TEXT,
    from_assignee TEXT,
    to_assignee   TEXT,
    paragraph_id  INTEGER REFERENCES paragraphs (id),
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignment_events_assignment ON assignment_events (assignment_id, id);

-- Locked minutes: nothing in a locked meeting's minutes changes again.
-- +goose StatementBegin
CREATE TRIGGER paragraphs_locked_insert BEFORE INSERT ON paragraphs
WHEN (SELECT locked_at FROM meetings WHERE id = NEW.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraphs_locked_update BEFORE UPDATE ON paragraphs
WHEN (SELECT locked_at FROM meetings WHERE id = OLD.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraphs_no_delete BEFORE DELETE ON paragraphs
BEGIN
    SELECT RAISE(ABORT, 'a paragraph is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER motions_locked_insert BEFORE INSERT ON motions
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = NEW.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER motions_locked_change BEFORE UPDATE ON motions
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER motions_locked_delete BEFORE DELETE ON motions
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER votes_locked_insert BEFORE INSERT ON votes
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = NEW.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER votes_locked_change BEFORE UPDATE ON votes
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER votes_locked_delete BEFORE DELETE ON votes
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER attendance_locked_change BEFORE UPDATE ON meeting_attendance
WHEN (SELECT locked_at FROM meetings WHERE id = OLD.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER attendance_locked_insert BEFORE INSERT ON meeting_attendance
WHEN (SELECT locked_at FROM meetings WHERE id = NEW.meeting_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meetings_lock_is_final BEFORE UPDATE ON meetings
WHEN OLD.locked_at IS NOT NULL AND (NEW.locked_at IS NOT OLD.locked_at OR NEW.minutes_sha256 IS NOT OLD.minutes_sha256
    OR NEW.meeting_date IS NOT OLD.meeting_date OR NEW.committee_id IS NOT OLD.committee_id)
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER meetings_lock_is_final;
DROP TRIGGER attendance_locked_insert;
DROP TRIGGER attendance_locked_change;
DROP TRIGGER votes_locked_delete;
DROP TRIGGER votes_locked_change;
DROP TRIGGER votes_locked_insert;
DROP TRIGGER motions_locked_delete;
DROP TRIGGER motions_locked_change;
DROP TRIGGER motions_locked_insert;
DROP TRIGGER paragraphs_no_delete;
DROP TRIGGER paragraphs_locked_update;
DROP TRIGGER paragraphs_locked_insert;
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
