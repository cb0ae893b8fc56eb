-- Invoicing: the contribution invoices and refund credit notes a committee's
-- host issues from saved allocations (shared/DOMAIN.md §8).
--
-- invoice_settings holds, per committee, the seller (the host region acting
-- for the committee) and the rules of its invoices. invoice_counters gives one
-- gap-free number series per committee and calendar year, shared by invoices
-- and credit notes; the counter is raised in the transaction that uses the
-- number, so a run that fails leaves no gap. invoice_runs records each
-- issuing: a run of an allocation (at most one per allocation) or the credit
-- of one invoice. invoices are the documents, with a snapshot of seller and
-- buyer as printed. invoice_transfers are the host's own shares (intern
-- omföring): part of the run, never invoiced. invoice_payments are payments
-- received for invoices and refunds paid out for credit notes.
--
-- Money is integer öre. An issued document is never deleted, and only its
-- sent, paid and credited fields change; triggers refuse anything else.

-- +goose Up
CREATE TABLE invoice_settings (
    committee_id         INTEGER PRIMARY KEY REFERENCES committees (id),
    seller_name          TEXT NOT NULL,
    seller_address       TEXT NOT NULL,
    seller_org_number    TEXT NOT NULL,
    seller_vat_number    TEXT NOT NULL,
    seller_peppol_id     TEXT NOT NULL DEFAULT '',
    f_tax                BOOLEAN NOT NULL DEFAULT TRUE,
    bankgiro             TEXT NOT NULL,
    contact_name         TEXT NOT NULL DEFAULT '',
    contact_email        TEXT NOT NULL DEFAULT '',
    contact_phone        TEXT NOT NULL DEFAULT '',
    payment_terms_days   INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 1 AND 365),
    ocr_length_digit     BOOLEAN NOT NULL,
    ocr_prefix           TEXT NOT NULL DEFAULT '',
    vat_category         TEXT NOT NULL CHECK (vat_category IN ('O', 'E')),
    vat_exemption_reason TEXT NOT NULL DEFAULT '',
    receivable_account   TEXT NOT NULL,
    contribution_account TEXT NOT NULL,
    internal_account     TEXT NOT NULL,
    -- demo marks made-up seller data (a test bankgiro) for the interface to flag
    demo                 BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at           TIMESTAMP NOT NULL,
    updated_by           TEXT NOT NULL
);

CREATE TABLE invoice_counters (
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL CHECK (last_seq >= 1),
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE invoice_runs (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committees (id),
    kind          TEXT NOT NULL CHECK (kind IN ('allocation', 'credit')),
    -- an allocation is invoiced once: a second run of it is refused here too
    allocation_id INTEGER UNIQUE REFERENCES allocations (id),
    title         TEXT NOT NULL,
    issue_date    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK ((kind = 'allocation') = (allocation_id IS NOT NULL))
);
CREATE INDEX invoice_runs_committee ON invoice_runs (committee_id, id);

CREATE TABLE invoices (
    id                   INTEGER PRIMARY KEY,
    committee_id         INTEGER NOT NULL REFERENCES committees (id),
    run_id               INTEGER NOT NULL REFERENCES invoice_runs (id),
    year                 INTEGER NOT NULL,
    seq                  INTEGER NOT NULL CHECK (seq >= 1),
    number               TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    party_id             INTEGER NOT NULL REFERENCES parties (id),
    -- the buyer and the seller as printed on the document
    buyer_name           TEXT NOT NULL,
    buyer_address        TEXT NOT NULL CHECK (buyer_address <> ''),
    buyer_org_number     TEXT NOT NULL,
    buyer_reference      TEXT NOT NULL,
    buyer_peppol_id      TEXT NOT NULL,
    seller_name          TEXT NOT NULL,
    seller_address       TEXT NOT NULL,
    seller_org_number    TEXT NOT NULL,
    seller_vat_number    TEXT NOT NULL,
    seller_peppol_id     TEXT NOT NULL,
    f_tax                BOOLEAN NOT NULL,
    bankgiro             TEXT NOT NULL,
    contact_name         TEXT NOT NULL,
    contact_email        TEXT NOT NULL,
    contact_phone        TEXT NOT NULL,
    issue_date           TEXT NOT NULL,
    due_date             TEXT,
    period_start         TEXT,
    period_end           TEXT,
    line_text            TEXT NOT NULL,
    amount_ore           BIGINT NOT NULL CHECK (amount_ore > 0),
    vat_category         TEXT NOT NULL CHECK (vat_category IN ('O', 'E')),
    vat_exemption_reason TEXT NOT NULL,
    ocr                  TEXT NOT NULL DEFAULT '',
    -- a credit note corrects an invoice, or pays out a refund decided in
    -- decision (case_number)
    credits_invoice_id   INTEGER REFERENCES invoices (id),
    credit_reason        TEXT NOT NULL DEFAULT '',
    allocation_id        INTEGER REFERENCES allocations (id),
    allocation_kind      TEXT NOT NULL DEFAULT '',
    decision             TEXT NOT NULL DEFAULT '',
    case_number          TEXT NOT NULL DEFAULT '',
    -- the status fields, the only ones that change
    paid_ore             BIGINT NOT NULL DEFAULT 0 CHECK (paid_ore >= 0),
    credited_ore         BIGINT NOT NULL DEFAULT 0 CHECK (credited_ore >= 0),
    sent_at              TIMESTAMP,
    sent_by              TEXT NOT NULL DEFAULT '',
    sent_via             TEXT NOT NULL DEFAULT '' CHECK (sent_via IN ('', 'pdf', 'ubl')),
    created_at           TIMESTAMP NOT NULL,
    created_by           TEXT NOT NULL,
    UNIQUE (committee_id, year, seq),
    CHECK (paid_ore + credited_ore <= amount_ore),
    CHECK (kind = 'credit_note' OR credits_invoice_id IS NULL),
    CHECK (kind = 'invoice' OR credited_ore = 0),
    CHECK (kind = 'credit_note' OR ocr <> ''),
    CHECK (kind = 'credit_note' OR due_date IS NOT NULL)
);
CREATE INDEX invoices_run ON invoices (run_id, seq);
CREATE INDEX invoices_party ON invoices (party_id, committee_id);
CREATE INDEX invoices_credits ON invoices (credits_invoice_id);

CREATE TABLE invoice_transfers (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES invoice_runs (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    party_name   TEXT NOT NULL,
    amount_ore   BIGINT NOT NULL CHECK (amount_ore <> 0),
    line_text    TEXT NOT NULL,
    period_start TEXT,
    period_end   TEXT,
    UNIQUE (run_id, party_id)
);

CREATE TABLE invoice_payments (
    id         INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    paid_on    TEXT NOT NULL,
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id, id);

-- An issued document changes only in its status fields: sent once, paid and
-- credited amounts that only grow.
-- +goose StatementBegin
CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
WHEN NEW.paid_ore < OLD.paid_ore OR NEW.credited_ore < OLD.credited_ore
  OR (OLD.sent_at IS NOT NULL AND (NEW.sent_at IS NOT OLD.sent_at OR NEW.sent_by IS NOT OLD.sent_by OR NEW.sent_via IS NOT OLD.sent_via))
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
-- +goose StatementBegin
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_runs_no_update BEFORE UPDATE ON invoice_runs
BEGIN
    SELECT RAISE(ABORT, 'an invoice run is never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_runs_no_delete BEFORE DELETE ON invoice_runs
BEGIN
    SELECT RAISE(ABORT, 'an invoice run is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_transfers_no_update BEFORE UPDATE ON invoice_transfers
BEGIN
    SELECT RAISE(ABORT, 'an internal transfer is never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_transfers_no_delete BEFORE DELETE ON invoice_transfers
BEGIN
    SELECT RAISE(ABORT, 'an internal transfer is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_payments_no_update BEFORE UPDATE ON invoice_payments
BEGIN
    SELECT RAISE(ABORT, 'a registered payment is never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_payments_no_delete BEFORE DELETE ON invoice_payments
BEGIN
    SELECT RAISE(ABORT, 'a registered payment is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_counters_no_delete BEFORE DELETE ON invoice_counters
BEGIN
    SELECT RAISE(ABORT, 'an invoice number series is never removed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_counters_only_up BEFORE UPDATE ON invoice_counters
WHEN NEW.last_seq < OLD.last_seq OR NEW.committee_id IS NOT OLD.committee_id OR NEW.year IS NOT OLD.year
BEGIN
    SELECT RAISE(ABORT, 'invoice numbers are never reused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER invoice_counters_only_up;
DROP TRIGGER invoice_counters_no_delete;
DROP TRIGGER invoice_payments_no_delete;
DROP TRIGGER invoice_payments_no_update;
DROP TRIGGER invoice_transfers_no_delete;
DROP TRIGGER invoice_transfers_no_update;
DROP TRIGGER invoice_runs_no_delete;
DROP TRIGGER invoice_runs_no_update;
DROP TRIGGER invoices_no_delete;
DROP TRIGGER invoices_immutable;
DROP TABLE invoice_payments;
DROP TABLE invoice_transfers;
DROP TABLE invoices;
DROP TABLE invoice_runs;
DROP TABLE invoice_counters;
DROP TABLE invoice_settings;
