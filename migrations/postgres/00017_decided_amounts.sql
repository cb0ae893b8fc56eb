-- Money that follows the decision (issue 16 §§ 1–3).
--
-- allocation_shares.decided_ore: the amount the deciding paragraph states for
-- the party ("52 010 kr till respektive part"), signed like amount_ore; NULL
-- when the decision states none. allocations.pays_decided: the allocation is
-- invoiced or credited "enligt beslutets belopp" (the decided amounts), not
-- by the exact split (the default); the difference stays in the committee.
-- allocations.origin_years: the originating years a refund draws on, oldest
-- first, e.g. '2018,2019' ("återstående medel från 2018 och 2019").
--
-- carry_forward.kept_ore: of the money a refund drew from the year, what
-- stayed in the committee because the decision paid rounded amounts (the
-- 1,00 kr of 468 091 kr refunded as 9 × 52 010 kr). It is part of the year's
-- balance; the column only shows it.
--
-- meetings.minutes_notice: a notice every page and PDF of the meeting's
-- minutes shows, e.g. that the demo constructed them.
--
-- The allocations' immutability trigger compares whole rows, so it covers
-- the new columns as it is.

-- +goose Up
ALTER TABLE allocation_shares ADD COLUMN decided_ore BIGINT;
ALTER TABLE allocations ADD COLUMN pays_decided BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE allocations ADD COLUMN origin_years TEXT NOT NULL DEFAULT '';
ALTER TABLE carry_forward ADD COLUMN kept_ore BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN minutes_notice TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE meetings DROP COLUMN minutes_notice;
ALTER TABLE carry_forward DROP COLUMN kept_ore;
ALTER TABLE allocations DROP COLUMN origin_years;
ALTER TABLE allocations DROP COLUMN pays_decided;
ALTER TABLE allocation_shares DROP COLUMN decided_ore;
