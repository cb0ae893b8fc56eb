-- Every allocation can be tied to the paragraph of the minutes that decided
-- it (a proposal has none yet, only its case). The immutability trigger is
-- written again so that it covers the new column too.

-- +goose Up
ALTER TABLE allocations ADD COLUMN paragraph_id INTEGER REFERENCES paragraphs (id);
CREATE INDEX allocations_paragraph ON allocations (paragraph_id);
DROP TRIGGER allocations_immutable;
-- +goose StatementBegin
CREATE TRIGGER allocations_immutable BEFORE UPDATE ON allocations
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.kind IS NOT OLD.kind
  OR NEW.title IS NOT OLD.title OR NEW.method IS NOT OLD.method OR NEW.unit IS NOT OLD.unit
  OR NEW.total_ore IS NOT OLD.total_ore OR NEW.host_share IS NOT OLD.host_share
  OR NEW.reference_date IS NOT OLD.reference_date OR NEW.budget_year IS NOT OLD.budget_year
  OR NEW.cost_object IS NOT OLD.cost_object OR NEW.case_id IS NOT OLD.case_id
  OR NEW.decision IS NOT OLD.decision OR NEW.stated_share_ore IS NOT OLD.stated_share_ore
  OR NEW.supersedes_id IS NOT OLD.supersedes_id OR NEW.created_at IS NOT OLD.created_at
  OR NEW.created_by IS NOT OLD.created_by OR NEW.paragraph_id IS NOT OLD.paragraph_id
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable: supersede it with a new one');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER allocations_immutable;
DROP INDEX allocations_paragraph;
ALTER TABLE allocations DROP COLUMN paragraph_id;
-- +goose StatementBegin
CREATE TRIGGER allocations_immutable BEFORE UPDATE ON allocations
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.kind IS NOT OLD.kind
  OR NEW.title IS NOT OLD.title OR NEW.method IS NOT OLD.method OR NEW.unit IS NOT OLD.unit
  OR NEW.total_ore IS NOT OLD.total_ore OR NEW.host_share IS NOT OLD.host_share
  OR NEW.reference_date IS NOT OLD.reference_date OR NEW.budget_year IS NOT OLD.budget_year
  OR NEW.cost_object IS NOT OLD.cost_object OR NEW.case_id IS NOT OLD.case_id
  OR NEW.decision IS NOT OLD.decision OR NEW.stated_share_ore IS NOT OLD.stated_share_ore
  OR NEW.supersedes_id IS NOT OLD.supersedes_id OR NEW.created_at IS NOT OLD.created_at
  OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable: supersede it with a new one');
END;
-- +goose StatementEnd
