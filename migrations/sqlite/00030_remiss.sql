-- Remiss: a case sent to some of the committee's parties for their opinion,
-- with the documents sent (case documents), the question and the last day to
-- answer. Each party's answer is kept in versions: a party may change its
-- answer until the last day, and every earlier version stays as history
-- (answers are never changed or removed; triggers enforce it). The answer in
-- force is a party's highest version; received_on is the day it came in
-- (the secretariat may register an answer that came by post or mail). reminded_at is when the party was
-- reminded before the last day (once).

-- +goose Up
CREATE TABLE remisser (
    id           INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    question     TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    sent_on      TEXT NOT NULL,
    last_day     TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT NOT NULL,
    CHECK (last_day > sent_on)
);
CREATE INDEX remisser_case ON remisser (case_id);

CREATE TABLE remiss_parties (
    remiss_id   INTEGER NOT NULL REFERENCES remisser (id),
    party_id    INTEGER NOT NULL REFERENCES parties (id),
    reminded_at TIMESTAMP,
    PRIMARY KEY (remiss_id, party_id)
);

CREATE TABLE remiss_documents (
    remiss_id   INTEGER NOT NULL REFERENCES remisser (id),
    document_id INTEGER NOT NULL REFERENCES case_documents (id),
    PRIMARY KEY (remiss_id, document_id)
);

CREATE TABLE remiss_answers (
    id                 INTEGER PRIMARY KEY,
    remiss_id          INTEGER NOT NULL,
    party_id           INTEGER NOT NULL,
    version            INTEGER NOT NULL CHECK (version >= 1),
    position           TEXT NOT NULL CHECK (position IN ('approves', 'approves_with_comments', 'rejects', 'abstains')),
    comments           TEXT NOT NULL DEFAULT '',
    decision_body      TEXT NOT NULL DEFAULT '',
    decision_date      TEXT,
    decision_paragraph TEXT NOT NULL DEFAULT '',
    received_on        TEXT NOT NULL,
    answered_at        TIMESTAMP NOT NULL,
    answered_by_user   INTEGER REFERENCES users (id),
    answered_by        TEXT NOT NULL,
    FOREIGN KEY (remiss_id, party_id) REFERENCES remiss_parties (remiss_id, party_id),
    UNIQUE (remiss_id, party_id, version)
);

CREATE TABLE remiss_answer_documents (
    answer_id   INTEGER NOT NULL REFERENCES remiss_answers (id),
    document_id INTEGER NOT NULL REFERENCES case_documents (id),
    PRIMARY KEY (answer_id, document_id)
);

-- +goose StatementBegin
CREATE TRIGGER remiss_answers_no_update BEFORE UPDATE ON remiss_answers
BEGIN
    SELECT RAISE(ABORT, 'a remiss answer is never changed: a new version is added');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER remiss_answers_no_delete BEFORE DELETE ON remiss_answers
BEGIN
    SELECT RAISE(ABORT, 'a remiss answer is never removed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER remiss_answers_no_delete;
DROP TRIGGER remiss_answers_no_update;
DROP TABLE remiss_answer_documents;
DROP TABLE remiss_answers;
DROP TABLE remiss_documents;
DROP TABLE remiss_parties;
DROP TABLE remisser;
