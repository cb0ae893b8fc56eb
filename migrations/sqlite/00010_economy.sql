-- Economy: the committee's report rows and the mapping of ledger accounts to
-- them, the monthly outcome imported from the host's ledger (SIE 4 or CSV),
-- budgets in versions, the carry-forward of surpluses, and the interim
-- reports (tertialrapport, delårsrapport, årsbokslut) once finalised
-- (shared/DOMAIN.md §6.3 and §7).
--
-- Money is integer öre. Periods are calendar months written YYYYMM (202008).
-- History is never deleted: an import stays when a later one replaces it for
-- a period (ledger_current points at the import in force), a budget is revised
-- by a new version, a mapping range is retired rather than deleted, and a
-- finalised report is frozen with its PDF and figures. Triggers refuse any
-- other change.

-- +goose Up
CREATE TABLE report_rows (
    id           INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('revenue', 'cost', 'total')),
    -- for a total row: what it sums (revenue, cost or all detail rows)
    total_of     TEXT NOT NULL DEFAULT '' CHECK (total_of IN ('', 'revenue', 'cost', 'all')),
    UNIQUE (committee_id, key),
    UNIQUE (committee_id, position),
    CHECK ((kind = 'total') = (total_of <> ''))
);

CREATE TABLE account_ranges (
    id           INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    from_account TEXT NOT NULL,
    to_account   TEXT NOT NULL,
    row_id       INTEGER NOT NULL REFERENCES report_rows (id),
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT NOT NULL,
    removed_at   TIMESTAMP,
    removed_by   TEXT NOT NULL DEFAULT '',
    CHECK (length(from_account) = length(to_account) AND from_account <= to_account)
);
CREATE INDEX account_ranges_committee ON account_ranges (committee_id, from_account);

CREATE TABLE ledger_imports (
    id           INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    format       TEXT NOT NULL CHECK (format IN ('sie', 'csv')),
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BLOB NOT NULL,
    -- the fiscal year a CSV file was read for (NULL for SIE)
    year         INTEGER,
    -- what the file says about itself: company, organisation number, #OMFATTN
    company      TEXT NOT NULL DEFAULT '',
    org_number   TEXT NOT NULL DEFAULT '',
    through      TEXT,
    -- the periods the file covers, YYYYMM separated by commas
    periods      TEXT NOT NULL,
    -- account names and skipped balance accounts, as JSON
    details_json TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('preview', 'committed')),
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT NOT NULL,
    committed_at TIMESTAMP,
    committed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_imports_committee ON ledger_imports (committee_id, id);
-- The same file is read in once per committee.
CREATE UNIQUE INDEX ledger_imports_once ON ledger_imports (committee_id, sha256) WHERE status = 'committed';

-- ledger_actuals holds an import's monthly amounts in the ledger's signs
-- (debit positive), per account: dimension 0 and object '' for the account as
-- a whole, and one row per cost object for its part of the account.
CREATE TABLE ledger_actuals (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES ledger_imports (id),
    kind       TEXT NOT NULL CHECK (kind IN ('outcome', 'budget')),
    period     INTEGER NOT NULL CHECK (period BETWEEN 190001 AND 299912),
    account    TEXT NOT NULL,
    dimension  INTEGER NOT NULL DEFAULT 0,
    object     TEXT NOT NULL DEFAULT '',
    amount_ore BIGINT NOT NULL,
    UNIQUE (import_id, kind, period, account, dimension, object)
);

-- ledger_import_periods records, when an import is committed, which periods
-- it took over and from which earlier import.
CREATE TABLE ledger_import_periods (
    import_id   INTEGER NOT NULL REFERENCES ledger_imports (id),
    period      INTEGER NOT NULL,
    replaces_id INTEGER REFERENCES ledger_imports (id),
    PRIMARY KEY (import_id, period)
);

-- ledger_current is the import in force for each period of a committee.
CREATE TABLE ledger_current (
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    period       INTEGER NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES ledger_imports (id),
    PRIMARY KEY (committee_id, period)
);

CREATE TABLE budgets (
    id               INTEGER PRIMARY KEY,
    committee_id     INTEGER NOT NULL REFERENCES committees (id),
    year             INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    version          INTEGER NOT NULL CHECK (version >= 1),
    base_funding_ore BIGINT NOT NULL CHECK (base_funding_ore >= 0),
    -- the months the base funding is invoiced in, e.g. '1' (January)
    payment_months   TEXT NOT NULL,
    decision         TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    created_by       TEXT NOT NULL,
    UNIQUE (committee_id, year, version)
);

-- budget_lines: month 0 is the row's annual amount; months 1–12, when given,
-- spread it and sum to it.
CREATE TABLE budget_lines (
    budget_id  INTEGER NOT NULL REFERENCES budgets (id),
    row_id     INTEGER NOT NULL REFERENCES report_rows (id),
    month      INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (budget_id, row_id, month)
);

CREATE TABLE carry_forward (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committees (id),
    origin_year   INTEGER NOT NULL CHECK (origin_year BETWEEN 1900 AND 2999),
    kind          TEXT NOT NULL CHECK (kind IN ('result', 'earmark', 'release', 'use', 'refund')),
    amount_ore    BIGINT NOT NULL,
    entry_date    TEXT NOT NULL,
    purpose       TEXT NOT NULL DEFAULT '',
    decision      TEXT NOT NULL DEFAULT '',
    paragraph_id  INTEGER REFERENCES paragraphs (id),
    allocation_id INTEGER REFERENCES allocations (id),
    earmark_id    INTEGER REFERENCES carry_forward (id),
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK (kind = 'result' OR amount_ore > 0),
    CHECK ((kind = 'refund') = (allocation_id IS NOT NULL))
);
CREATE INDEX carry_forward_committee ON carry_forward (committee_id, origin_year, id);
CREATE UNIQUE INDEX carry_forward_one_result ON carry_forward (committee_id, origin_year) WHERE kind = 'result';

CREATE TABLE interim_reports (
    id             INTEGER PRIMARY KEY,
    committee_id   INTEGER NOT NULL REFERENCES committees (id),
    period         INTEGER NOT NULL CHECK (period BETWEEN 190001 AND 299912),
    version        INTEGER NOT NULL CHECK (version >= 1),
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    events         TEXT NOT NULL DEFAULT '',
    income_comment TEXT NOT NULL DEFAULT '',
    cost_comment   TEXT NOT NULL DEFAULT '',
    result_comment TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('draft', 'final')),
    figures_json   TEXT,
    figures_sha256 TEXT,
    pdf            BLOB,
    pdf_sha256     TEXT,
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    finalised_at   TIMESTAMP,
    finalised_by   TEXT NOT NULL DEFAULT '',
    UNIQUE (committee_id, period, version),
    CHECK ((status = 'final') = (pdf IS NOT NULL AND pdf_sha256 IS NOT NULL AND figures_json IS NOT NULL AND finalised_at IS NOT NULL))
);
CREATE UNIQUE INDEX interim_reports_one_draft ON interim_reports (committee_id, period) WHERE status = 'draft';

-- +goose StatementBegin
CREATE TRIGGER account_ranges_retire_only BEFORE UPDATE ON account_ranges
WHEN OLD.removed_at IS NOT NULL OR NEW.removed_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.from_account IS NOT OLD.from_account
  OR NEW.to_account IS NOT OLD.to_account OR NEW.row_id IS NOT OLD.row_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a mapping range is only ever retired, once');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER account_ranges_no_delete BEFORE DELETE ON account_ranges
BEGIN
    SELECT RAISE(ABORT, 'a mapping range is never deleted: retire it');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_rows_no_delete BEFORE DELETE ON report_rows
BEGIN
    SELECT RAISE(ABORT, 'a report row is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_imports_commit_only BEFORE UPDATE ON ledger_imports
WHEN OLD.status <> 'preview' OR NEW.status <> 'committed'
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.format IS NOT OLD.format
  OR NEW.file_name IS NOT OLD.file_name OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size IS NOT OLD.size
  OR NEW.content IS NOT OLD.content OR NEW.year IS NOT OLD.year OR NEW.periods IS NOT OLD.periods
  OR NEW.details_json IS NOT OLD.details_json OR NEW.company IS NOT OLD.company
  OR NEW.org_number IS NOT OLD.org_number OR NEW.through IS NOT OLD.through
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'an import changes only by being committed, once');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_imports_no_delete BEFORE DELETE ON ledger_imports
BEGIN
    SELECT RAISE(ABORT, 'an import is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_actuals_no_update BEFORE UPDATE ON ledger_actuals
BEGIN
    SELECT RAISE(ABORT, 'imported amounts never change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_actuals_no_delete BEFORE DELETE ON ledger_actuals
BEGIN
    SELECT RAISE(ABORT, 'imported amounts are never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_import_periods_no_update BEFORE UPDATE ON ledger_import_periods
BEGIN
    SELECT RAISE(ABORT, 'the history of imports never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_import_periods_no_delete BEFORE DELETE ON ledger_import_periods
BEGIN
    SELECT RAISE(ABORT, 'the history of imports is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_current_no_delete BEFORE DELETE ON ledger_current
BEGIN
    SELECT RAISE(ABORT, 'a period keeps an import in force once it has one');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER budgets_no_update BEFORE UPDATE ON budgets
BEGIN
    SELECT RAISE(ABORT, 'a budget version never changes: save a new version');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER budgets_no_delete BEFORE DELETE ON budgets
BEGIN
    SELECT RAISE(ABORT, 'a budget version is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER budget_lines_no_update BEFORE UPDATE ON budget_lines
BEGIN
    SELECT RAISE(ABORT, 'a budget version never changes: save a new version');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER budget_lines_no_delete BEFORE DELETE ON budget_lines
BEGIN
    SELECT RAISE(ABORT, 'a budget version is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER carry_forward_no_update BEFORE UPDATE ON carry_forward
BEGIN
    SELECT RAISE(ABORT, 'a carry-forward movement never changes: record a new one');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER carry_forward_no_delete BEFORE DELETE ON carry_forward
BEGIN
    SELECT RAISE(ABORT, 'a carry-forward movement is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER interim_reports_frozen BEFORE UPDATE ON interim_reports
WHEN OLD.status = 'final'
BEGIN
    SELECT RAISE(ABORT, 'a finalised report is frozen: make a new version');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER interim_reports_no_delete BEFORE DELETE ON interim_reports
BEGIN
    SELECT RAISE(ABORT, 'a report is never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER interim_reports_no_delete;
DROP TRIGGER interim_reports_frozen;
DROP TRIGGER carry_forward_no_delete;
DROP TRIGGER carry_forward_no_update;
DROP TRIGGER budget_lines_no_delete;
DROP TRIGGER budget_lines_no_update;
DROP TRIGGER budgets_no_delete;
DROP TRIGGER budgets_no_update;
DROP TRIGGER ledger_current_no_delete;
DROP TRIGGER ledger_import_periods_no_delete;
DROP TRIGGER ledger_import_periods_no_update;
DROP TRIGGER ledger_actuals_no_delete;
DROP TRIGGER ledger_actuals_no_update;
DROP TRIGGER ledger_imports_no_delete;
DROP TRIGGER ledger_imports_commit_only;
DROP TRIGGER report_rows_no_delete;
DROP TRIGGER account_ranges_no_delete;
DROP TRIGGER account_ranges_retire_only;
DROP TABLE interim_reports;
DROP TABLE carry_forward;
DROP TABLE budget_lines;
DROP TABLE budgets;
DROP TABLE ledger_current;
DROP TABLE ledger_import_periods;
DROP TABLE ledger_actuals;
DROP TABLE ledger_imports;
DROP TABLE account_ranges;
DROP TABLE report_rows;
