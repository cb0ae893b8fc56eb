-- Whether the committee's reglemente has the ordförande sign the minutes
-- (issue 20): the protokoll then has the ordförande's signature line beside
-- the sekreterare and the justerare. Off by default: the justeringsexemplar
-- never shows it, so minutes justerade before a change keep their hash.

-- +goose Up
ALTER TABLE committees ADD COLUMN chair_signs_minutes BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE committees DROP COLUMN chair_signs_minutes;
