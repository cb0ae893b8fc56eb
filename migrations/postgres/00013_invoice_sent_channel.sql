-- Sending an invoice is an explicit act: the economist marks a document (or
-- every document of a run) as sent and says how it went out. Opening its PDF
-- or downloading its e-invoice no longer counts as sending it. The channel of
-- such a mark is kept in sent_channel; sent_via keeps what documents sent
-- before this change were recorded with (a PDF opened, an e-invoice
-- exported). Like the rest of the send record, the channel is written once,
-- together with sent_at.

-- +goose Up
ALTER TABLE invoices ADD COLUMN sent_channel TEXT NOT NULL DEFAULT ''
    CHECK (sent_channel IN ('', 'email', 'peppol', 'post', 'other'));
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued invoice is never deleted';
    END IF;
    IF NEW.paid_ore < OLD.paid_ore OR NEW.credited_ore < OLD.credited_ore
       OR (OLD.sent_at IS NOT NULL AND (NEW.sent_at IS DISTINCT FROM OLD.sent_at
           OR NEW.sent_by IS DISTINCT FROM OLD.sent_by OR NEW.sent_via IS DISTINCT FROM OLD.sent_via))
       OR (NEW.sent_channel IS DISTINCT FROM OLD.sent_channel AND NOT (OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL))
       OR (to_jsonb(NEW) - 'paid_ore' - 'credited_ore' - 'sent_at' - 'sent_by' - 'sent_via' - 'sent_channel')
          IS DISTINCT FROM (to_jsonb(OLD) - 'paid_ore' - 'credited_ore' - 'sent_at' - 'sent_by' - 'sent_via' - 'sent_channel') THEN
        RAISE EXCEPTION 'an issued invoice is never changed: correct it with a credit note';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
ALTER TABLE invoices DROP COLUMN sent_channel;
