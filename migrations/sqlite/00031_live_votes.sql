-- The meeting as it happens: votes the members cast from their own devices
-- (live_votes, live_ballots), jäv declared for a paragraph (paragraph_jav),
-- protokollsanteckningar (paragraph_notes), distance participation
-- (meeting_attendance.remote), sluten omröstning (paragraphs.secret_ballot:
-- the paragraph keeps the counts only) and a justerare's "begär ändring"
-- (minutes_change_requests).
--
-- A live vote is stored as it goes, so a restart loses no open vote; a
-- ballot changes until the vote is closed. Closing writes the ballots into
-- the paragraph's votering (votes) in the same transaction; a secret vote's
-- ballots lose their choice at closing and keep only that the member voted.
-- Jäv and notes are withdrawn, never deleted, and like the rest of the
-- minutes are refused by triggers once the minutes are locked.

-- +goose Up
ALTER TABLE meeting_attendance ADD COLUMN remote BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE paragraphs ADD COLUMN secret_ballot BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE live_votes (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id),
    paragraph_id  INTEGER NOT NULL REFERENCES paragraphs (id),
    -- 'proposition': ja/nej/avstår on the proposition; 'yrkanden': a choice
    -- between two named yrkanden (ja for the first, nej for the second).
    kind          TEXT NOT NULL CHECK (kind IN ('proposition', 'yrkanden')),
    secret        BOOLEAN NOT NULL DEFAULT FALSE,
    question      TEXT NOT NULL,
    yes_label     TEXT NOT NULL,
    no_label      TEXT NOT NULL,
    opened_at     TIMESTAMP NOT NULL,
    opened_by     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    ended_at      TIMESTAMP,
    ended_by      TEXT NOT NULL DEFAULT '',
    yes_count     INTEGER,
    no_count      INTEGER,
    abstain_count INTEGER
);
CREATE INDEX live_votes_meeting ON live_votes (meeting_id, id);
CREATE UNIQUE INDEX live_votes_one_open ON live_votes (paragraph_id) WHERE status = 'open';

CREATE TABLE live_ballots (
    vote_id    INTEGER NOT NULL REFERENCES live_votes (id),
    member_id  INTEGER NOT NULL REFERENCES committee_members (id),
    -- NULL once a secret vote is closed: only the counts are kept.
    choice     TEXT CHECK (choice IS NULL OR choice IN ('ja', 'nej', 'avstar')),
    cast_at    TIMESTAMP NOT NULL,
    cast_by    TEXT NOT NULL,
    PRIMARY KEY (vote_id, member_id)
);

CREATE TABLE paragraph_jav (
    id           INTEGER PRIMARY KEY,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id),
    member_id    INTEGER NOT NULL REFERENCES committee_members (id),
    declared_at  TIMESTAMP NOT NULL,
    declared_by  TEXT NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE UNIQUE INDEX paragraph_jav_once ON paragraph_jav (paragraph_id, member_id) WHERE withdrawn_at IS NULL;

CREATE TABLE paragraph_notes (
    id           INTEGER PRIMARY KEY,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id),
    member_id    INTEGER NOT NULL REFERENCES committee_members (id),
    text         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX paragraph_notes_paragraph ON paragraph_notes (paragraph_id, id);

CREATE TABLE minutes_change_requests (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id),
    member_id    INTEGER NOT NULL REFERENCES committee_members (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    comment      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX minutes_change_requests_meeting ON minutes_change_requests (meeting_id, id);

-- +goose StatementBegin
CREATE TRIGGER paragraph_jav_locked_insert BEFORE INSERT ON paragraph_jav
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = NEW.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraph_jav_locked_change BEFORE UPDATE ON paragraph_jav
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraph_jav_no_delete BEFORE DELETE ON paragraph_jav
BEGIN
    SELECT RAISE(ABORT, 'a jäv is withdrawn, never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraph_notes_locked_insert BEFORE INSERT ON paragraph_notes
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = NEW.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraph_notes_locked_change BEFORE UPDATE ON paragraph_notes
WHEN (SELECT m.locked_at FROM meetings m JOIN paragraphs p ON p.meeting_id = m.id WHERE p.id = OLD.paragraph_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the minutes are approved (justerade) and locked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER paragraph_notes_no_delete BEFORE DELETE ON paragraph_notes
BEGIN
    SELECT RAISE(ABORT, 'a protokollsanteckning is withdrawn, never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER paragraph_notes_no_delete;
DROP TRIGGER paragraph_notes_locked_change;
DROP TRIGGER paragraph_notes_locked_insert;
DROP TRIGGER paragraph_jav_no_delete;
DROP TRIGGER paragraph_jav_locked_change;
DROP TRIGGER paragraph_jav_locked_insert;
DROP TABLE minutes_change_requests;
DROP TABLE paragraph_notes;
DROP TABLE paragraph_jav;
DROP TABLE live_ballots;
DROP TABLE live_votes;
ALTER TABLE paragraphs DROP COLUMN secret_ballot;
ALTER TABLE meeting_attendance DROP COLUMN remote;
