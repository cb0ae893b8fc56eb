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
    id          INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    reminded_on TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    open_ore    BIGINT NOT NULL CHECK (open_ore > 0),
    to_email    TEXT NOT NULL,
    mail_id     INTEGER NOT NULL REFERENCES mails (id),
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (invoice_id, seq)
);
-- +goose StatementBegin
CREATE TRIGGER invoice_reminders_no_update BEFORE UPDATE ON invoice_reminders
BEGIN
    SELECT RAISE(ABORT, 'a reminder sent is never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_reminders_no_delete BEFORE DELETE ON invoice_reminders
BEGIN
    SELECT RAISE(ABORT, 'a reminder sent is never deleted');
END;
-- +goose StatementEnd

DROP TRIGGER invoices_immutable;
UPDATE invoices SET sent_at = NULL, sent_by = '', sent_via = ''
 WHERE sent_at IS NOT NULL AND sent_channel = '';
-- +goose StatementBegin
CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
WHEN NEW.paid_ore < OLD.paid_ore OR NEW.credited_ore < OLD.credited_ore
  OR (OLD.sent_at IS NOT NULL AND (NEW.sent_at IS NOT OLD.sent_at OR NEW.sent_by IS NOT OLD.sent_by OR NEW.sent_via IS NOT OLD.sent_via))
  OR (NEW.sent_channel IS NOT OLD.sent_channel AND NOT (OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL))
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.run_id IS NOT OLD.run_id
  OR NEW.year IS NOT OLD.year OR NEW.seq IS NOT OLD.seq OR NEW.number IS NOT OLD.number OR NEW.kind IS NOT OLD.kind
  OR NEW.party_id IS NOT OLD.party_id OR NEW.buyer_name IS NOT OLD.buyer_name OR NEW.buyer_address IS NOT OLD.buyer_address
  OR NEW.buyer_org_number IS NOT OLD.buyer_org_number OR NEW.buyer_reference IS NOT OLD.buyer_reference
  OR NEW.buyer_peppol_id IS NOT OLD.buyer_peppol_id OR NEW.seller_name IS NOT OLD.seller_name
  OR NEW.seller_address IS NOT OLD.seller_address OR NEW.seller_org_number IS NOT OLD.seller_org_number
  OR NEW.seller_vat_number IS NOT OLD.seller_vat_number OR NEW.seller_peppol_id IS NOT OLD.seller_peppol_id
  OR NEW.f_tax IS NOT OLD.f_tax OR NEW.bankgiro IS NOT OLD.bankgiro OR NEW.contact_name IS NOT OLD.contact_name
  OR NEW.contact_email IS NOT OLD.contact_email OR NEW.contact_phone IS NOT OLD.contact_phone
  OR NEW.issue_date IS NOT OLD.issue_date OR NEW.due_date IS NOT OLD.due_date
  OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end
  OR NEW.line_text IS NOT OLD.line_text OR NEW.amount_ore IS NOT OLD.amount_ore
  OR NEW.vat_category IS NOT OLD.vat_category OR NEW.vat_exemption_reason IS NOT OLD.vat_exemption_reason
  OR NEW.ocr IS NOT OLD.ocr OR NEW.credits_invoice_id IS NOT OLD.credits_invoice_id
  OR NEW.credit_reason IS NOT OLD.credit_reason OR NEW.allocation_id IS NOT OLD.allocation_id
  OR NEW.allocation_kind IS NOT OLD.allocation_kind OR NEW.decision IS NOT OLD.decision
  OR NEW.case_number IS NOT OLD.case_number OR NEW.created_at IS NOT OLD.created_at
  OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is never changed: correct it with a credit note');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE invoice_reminders;
ALTER TABLE parties DROP COLUMN invoice_email;
