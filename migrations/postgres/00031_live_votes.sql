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
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id    BIGINT NOT NULL REFERENCES meetings (id),
    paragraph_id  BIGINT NOT NULL REFERENCES paragraphs (id),
    -- 'proposition': ja/nej/avstår on the proposition; 'yrkanden': a choice
    -- between two named yrkanden (ja for the first, nej for the second).
    kind          TEXT NOT NULL CHECK (kind IN ('proposition', 'yrkanden')),
    secret        BOOLEAN NOT NULL DEFAULT FALSE,
    question      TEXT NOT NULL,
    yes_label     TEXT NOT NULL,
    no_label      TEXT NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    opened_by     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    ended_at      TIMESTAMPTZ,
    ended_by      TEXT NOT NULL DEFAULT '',
    yes_count     INTEGER,
    no_count      INTEGER,
    abstain_count INTEGER
);
CREATE INDEX live_votes_meeting ON live_votes (meeting_id, id);
CREATE UNIQUE INDEX live_votes_one_open ON live_votes (paragraph_id) WHERE status = 'open';

CREATE TABLE live_ballots (
    vote_id    BIGINT NOT NULL REFERENCES live_votes (id),
    member_id  BIGINT NOT NULL REFERENCES committee_members (id),
    -- NULL once a secret vote is closed: only the counts are kept.
    choice     TEXT CHECK (choice IS NULL OR choice IN ('ja', 'nej', 'avstar')),
    cast_at    TIMESTAMPTZ NOT NULL,
    cast_by    TEXT NOT NULL,
    PRIMARY KEY (vote_id, member_id)
);

CREATE TABLE paragraph_jav (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs (id),
    member_id    BIGINT NOT NULL REFERENCES committee_members (id),
    declared_at  TIMESTAMPTZ NOT NULL,
    declared_by  TEXT NOT NULL,
    withdrawn_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX paragraph_jav_once ON paragraph_jav (paragraph_id, member_id) WHERE withdrawn_at IS NULL;

CREATE TABLE paragraph_notes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs (id),
    member_id    BIGINT NOT NULL REFERENCES committee_members (id),
    text         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL,
    withdrawn_at TIMESTAMPTZ
);
CREATE INDEX paragraph_notes_paragraph ON paragraph_notes (paragraph_id, id);

CREATE TABLE minutes_change_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id   BIGINT NOT NULL REFERENCES meetings (id),
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs (id),
    member_id    BIGINT NOT NULL REFERENCES committee_members (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    comment      TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX minutes_change_requests_meeting ON minutes_change_requests (meeting_id, id);

-- +goose StatementBegin
CREATE FUNCTION minutes_history_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a jäv or protokollsanteckning is withdrawn, never deleted';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER paragraph_jav_locked BEFORE INSERT OR UPDATE ON paragraph_jav
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
CREATE TRIGGER paragraph_jav_no_delete BEFORE DELETE ON paragraph_jav
    FOR EACH ROW EXECUTE FUNCTION minutes_history_no_delete();
CREATE TRIGGER paragraph_notes_locked BEFORE INSERT OR UPDATE ON paragraph_notes
    FOR EACH ROW EXECUTE FUNCTION minutes_locked();
CREATE TRIGGER paragraph_notes_no_delete BEFORE DELETE ON paragraph_notes
    FOR EACH ROW EXECUTE FUNCTION minutes_history_no_delete();

-- +goose Down
DROP TRIGGER paragraph_notes_no_delete ON paragraph_notes;
DROP TRIGGER paragraph_notes_locked ON paragraph_notes;
DROP TRIGGER paragraph_jav_no_delete ON paragraph_jav;
DROP TRIGGER paragraph_jav_locked ON paragraph_jav;
DROP FUNCTION minutes_history_no_delete();
DROP TABLE minutes_change_requests;
DROP TABLE paragraph_notes;
DROP TABLE paragraph_jav;
DROP TABLE live_ballots;
DROP TABLE live_votes;
ALTER TABLE paragraphs DROP COLUMN secret_ballot;
ALTER TABLE meeting_attendance DROP COLUMN remote;
