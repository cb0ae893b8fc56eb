-- Attachments of a kept mail (issue 18): the invoice's PDF and UBL file, a
-- protokollsutdrag. Each mail row keeps its own copies, so Utskick shows and
-- the queue sends exactly what was composed, also after the document it came
-- from has changed. Never deleted, like the mails.

-- +goose Up
CREATE TABLE mail_attachments (
    id           BIGSERIAL PRIMARY KEY,
    mail_id      BIGINT NOT NULL REFERENCES mails (id),
    position     INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    UNIQUE (mail_id, position)
);

-- +goose Down
DROP TABLE mail_attachments;
