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
    committee_id         BIGINT PRIMARY KEY REFERENCES committees (id),
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
    updated_at           TIMESTAMPTZ NOT NULL,
    updated_by           TEXT NOT NULL
);

CREATE TABLE invoice_counters (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL CHECK (last_seq >= 1),
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE invoice_runs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    kind          TEXT NOT NULL CHECK (kind IN ('allocation', 'credit')),
    -- an allocation is invoiced once: a second run of it is refused here too
    allocation_id BIGINT UNIQUE REFERENCES allocations (id),
    title         TEXT NOT NULL,
    issue_date    DATE NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK ((kind = 'allocation') = (allocation_id IS NOT NULL))
);
CREATE INDEX invoice_runs_committee ON invoice_runs (committee_id, id);

CREATE TABLE invoices (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id         BIGINT NOT NULL REFERENCES committees (id),
    run_id               BIGINT NOT NULL REFERENCES invoice_runs (id),
    year                 INTEGER NOT NULL,
    seq                  INTEGER NOT NULL CHECK (seq >= 1),
    number               TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    party_id             BIGINT NOT NULL REFERENCES parties (id),
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
    issue_date           DATE NOT NULL,
    due_date             DATE,
    period_start         DATE,
    period_end           DATE,
    line_text            TEXT NOT NULL,
    amount_ore           BIGINT NOT NULL CHECK (amount_ore > 0),
    vat_category         TEXT NOT NULL CHECK (vat_category IN ('O', 'E')),
    vat_exemption_reason TEXT NOT NULL,
    ocr                  TEXT NOT NULL DEFAULT '',
    -- a credit note corrects an invoice, or pays out a refund decided in
    -- decision (case_number)
    credits_invoice_id   BIGINT REFERENCES invoices (id),
    credit_reason        TEXT NOT NULL DEFAULT '',
    allocation_id        BIGINT REFERENCES allocations (id),
    allocation_kind      TEXT NOT NULL DEFAULT '',
    decision             TEXT NOT NULL DEFAULT '',
    case_number          TEXT NOT NULL DEFAULT '',
    -- the status fields, the only ones that change
    paid_ore             BIGINT NOT NULL DEFAULT 0 CHECK (paid_ore >= 0),
    credited_ore         BIGINT NOT NULL DEFAULT 0 CHECK (credited_ore >= 0),
    sent_at              TIMESTAMPTZ,
    sent_by              TEXT NOT NULL DEFAULT '',
    sent_via             TEXT NOT NULL DEFAULT '' CHECK (sent_via IN ('', 'pdf', 'ubl')),
    created_at           TIMESTAMPTZ NOT NULL,
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
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       BIGINT NOT NULL REFERENCES invoice_runs (id),
    party_id     BIGINT NOT NULL REFERENCES parties (id),
    party_name   TEXT NOT NULL,
    amount_ore   BIGINT NOT NULL CHECK (amount_ore <> 0),
    line_text    TEXT NOT NULL,
    period_start DATE,
    period_end   DATE,
    UNIQUE (run_id, party_id)
);

CREATE TABLE invoice_payments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    paid_on    DATE NOT NULL,
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id, id);

-- An issued document changes only in its status fields: sent once, paid and
-- credited amounts that only grow.
-- +goose StatementBegin
CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued invoice is never deleted';
    END IF;
    IF NEW.paid_ore < OLD.paid_ore OR NEW.credited_ore < OLD.credited_ore
       OR (OLD.sent_at IS NOT NULL AND (NEW.sent_at IS DISTINCT FROM OLD.sent_at
           OR NEW.sent_by IS DISTINCT FROM OLD.sent_by OR NEW.sent_via IS DISTINCT FROM OLD.sent_via))
       OR (to_jsonb(NEW) - 'paid_ore' - 'credited_ore' - 'sent_at' - 'sent_by' - 'sent_via')
          IS DISTINCT FROM (to_jsonb(OLD) - 'paid_ore' - 'credited_ore' - 'sent_at' - 'sent_by' - 'sent_via') THEN
        RAISE EXCEPTION 'an issued invoice is never changed: correct it with a credit note';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
-- +goose StatementBegin
CREATE FUNCTION invoicing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: issued invoicing records are kept as they are', TG_OP, TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER invoice_runs_no_change BEFORE UPDATE OR DELETE ON invoice_runs
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoice_transfers_no_change BEFORE UPDATE OR DELETE ON invoice_transfers
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoice_payments_no_change BEFORE UPDATE OR DELETE ON invoice_payments
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoice_counters_no_delete BEFORE DELETE ON invoice_counters
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoicing_no_truncate BEFORE TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER invoice_payments_no_truncate BEFORE TRUNCATE ON invoice_payments
    FOR EACH STATEMENT EXECUTE FUNCTION invoicing_refuse_change();
-- +goose StatementBegin
CREATE FUNCTION invoice_counters_only_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.last_seq < OLD.last_seq OR NEW.committee_id <> OLD.committee_id OR NEW.year <> OLD.year THEN
        RAISE EXCEPTION 'invoice numbers are never reused';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER invoice_counters_only_up BEFORE UPDATE ON invoice_counters
    FOR EACH ROW EXECUTE FUNCTION invoice_counters_only_up();

-- +goose Down
DROP TRIGGER invoice_counters_only_up ON invoice_counters;
DROP FUNCTION invoice_counters_only_up();
DROP TRIGGER invoice_payments_no_truncate ON invoice_payments;
DROP TRIGGER invoicing_no_truncate ON invoices;
DROP TRIGGER invoice_counters_no_delete ON invoice_counters;
DROP TRIGGER invoice_payments_no_change ON invoice_payments;
DROP TRIGGER invoice_transfers_no_change ON invoice_transfers;
DROP TRIGGER invoice_runs_no_change ON invoice_runs;
DROP FUNCTION invoicing_refuse_change();
DROP TRIGGER invoices_immutable ON invoices;
DROP FUNCTION invoices_immutable();
DROP TABLE invoice_payments;
DROP TABLE invoice_transfers;
DROP TABLE invoices;
DROP TABLE invoice_runs;
DROP TABLE invoice_counters;
DROP TABLE invoice_settings;
