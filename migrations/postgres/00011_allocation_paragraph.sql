-- Every allocation can be tied to the paragraph of the minutes that decided
-- it (a proposal has none yet, only its case). The immutability trigger
-- compares whole rows, so it covers the new column as it is.

-- +goose Up
ALTER TABLE allocations ADD COLUMN paragraph_id BIGINT REFERENCES paragraphs (id);
CREATE INDEX allocations_paragraph ON allocations (paragraph_id);

-- +goose Down
DROP INDEX allocations_paragraph;
ALTER TABLE allocations DROP COLUMN paragraph_id;
