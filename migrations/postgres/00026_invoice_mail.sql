-- Sending invoices by e-mail and reminding (issue 18).
--
-- parties.invoice_email is where a party's invoices, credit notes and
-- påminnelser go by e-mail ("Skicka" on a run); empty while not known.
--
-- invoice_reminders records each påminnelse of an overdue invoice: its
-- number in order (1, 2, ...), the day, the new due date and what was left
-- to pay that day, the address and the mail it went in, who sent it. Never
-- changed or deleted.
--
-- Documents recorded as sent before sending became an explicit act (the PDF
-- opened, the e-invoice downloaded: sent_via 'pdf' or 'ubl', no channel) are
-- not sent by the issue's rule: they become unsent again, so the economist
-- can send them or mark them with the channel they went by. What happened
-- stays in the audit trail (the 'send' entries of those days).

-- +goose Up
ALTER TABLE parties ADD COLUMN invoice_email TEXT NOT NULL DEFAULT '';

CREATE TABLE invoice_reminders (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id  BIGINT NOT NULL REFERENCES invoices (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    reminded_on DATE NOT NULL,
    due_date    DATE NOT NULL,
    open_ore    BIGINT NOT NULL CHECK (open_ore > 0),
    to_email    TEXT NOT NULL,
    mail_id     BIGINT NOT NULL REFERENCES mails (id),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (invoice_id, seq)
);
CREATE TRIGGER invoice_reminders_no_change BEFORE UPDATE OR DELETE ON invoice_reminders
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoice_reminders_no_truncate BEFORE TRUNCATE ON invoice_reminders
    FOR EACH STATEMENT EXECUTE FUNCTION invoicing_refuse_change();

ALTER TABLE invoices DISABLE TRIGGER invoices_immutable;
UPDATE invoices SET sent_at = NULL, sent_by = '', sent_via = ''
 WHERE sent_at IS NOT NULL AND sent_channel = '';
ALTER TABLE invoices ENABLE TRIGGER invoices_immutable;

-- +goose Down
DROP TABLE invoice_reminders;
ALTER TABLE parties DROP COLUMN invoice_email;
