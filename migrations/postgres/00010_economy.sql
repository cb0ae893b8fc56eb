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
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
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
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    from_account TEXT NOT NULL,
    to_account   TEXT NOT NULL,
    row_id       BIGINT NOT NULL REFERENCES report_rows (id),
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL,
    removed_at   TIMESTAMPTZ,
    removed_by   TEXT NOT NULL DEFAULT '',
    CHECK (length(from_account) = length(to_account) AND from_account <= to_account)
);
CREATE INDEX account_ranges_committee ON account_ranges (committee_id, from_account);

CREATE TABLE ledger_imports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    format       TEXT NOT NULL CHECK (format IN ('sie', 'csv')),
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BYTEA NOT NULL,
    -- the fiscal year a CSV file was read for (NULL for SIE)
    year         INTEGER,
    -- what the file says about itself: company, organisation number, #OMFATTN
    company      TEXT NOT NULL DEFAULT '',
    org_number   TEXT NOT NULL DEFAULT '',
    through      DATE,
    -- the periods the file covers, YYYYMM separated by commas
    periods      TEXT NOT NULL,
    -- account names and skipped balance accounts, as JSON
    details_json TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('preview', 'committed')),
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL,
    committed_at TIMESTAMPTZ,
    committed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_imports_committee ON ledger_imports (committee_id, id);
-- The same file is read in once per committee.
CREATE UNIQUE INDEX ledger_imports_once ON ledger_imports (committee_id, sha256) WHERE status = 'committed';

-- ledger_actuals holds an import's monthly amounts in the ledger's signs
-- (debit positive), per account: dimension 0 and object '' for the account as
-- a whole, and one row per cost object for its part of the account.
CREATE TABLE ledger_actuals (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id  BIGINT NOT NULL REFERENCES ledger_imports (id),
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
    import_id   BIGINT NOT NULL REFERENCES ledger_imports (id),
    period      INTEGER NOT NULL,
    replaces_id BIGINT REFERENCES ledger_imports (id),
    PRIMARY KEY (import_id, period)
);

-- ledger_current is the import in force for each period of a committee.
CREATE TABLE ledger_current (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    period       INTEGER NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES ledger_imports (id),
    PRIMARY KEY (committee_id, period)
);

CREATE TABLE budgets (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id     BIGINT NOT NULL REFERENCES committees (id),
    year             INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    version          INTEGER NOT NULL CHECK (version >= 1),
    base_funding_ore BIGINT NOT NULL CHECK (base_funding_ore >= 0),
    -- the months the base funding is invoiced in, e.g. '1' (January)
    payment_months   TEXT NOT NULL,
    decision         TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT NOT NULL,
    UNIQUE (committee_id, year, version)
);

-- budget_lines: month 0 is the row's annual amount; months 1–12, when given,
-- spread it and sum to it.
CREATE TABLE budget_lines (
    budget_id  BIGINT NOT NULL REFERENCES budgets (id),
    row_id     BIGINT NOT NULL REFERENCES report_rows (id),
    month      INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (budget_id, row_id, month)
);

CREATE TABLE carry_forward (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    origin_year   INTEGER NOT NULL CHECK (origin_year BETWEEN 1900 AND 2999),
    kind          TEXT NOT NULL CHECK (kind IN ('result', 'earmark', 'release', 'use', 'refund')),
    amount_ore    BIGINT NOT NULL,
    entry_date    DATE NOT NULL,
    purpose       TEXT NOT NULL DEFAULT '',
    decision      TEXT NOT NULL DEFAULT '',
    paragraph_id  BIGINT REFERENCES paragraphs (id),
    allocation_id BIGINT REFERENCES allocations (id),
    earmark_id    BIGINT REFERENCES carry_forward (id),
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK (kind = 'result' OR amount_ore > 0),
    CHECK ((kind = 'refund') = (allocation_id IS NOT NULL))
);
CREATE INDEX carry_forward_committee ON carry_forward (committee_id, origin_year, id);
CREATE UNIQUE INDEX carry_forward_one_result ON carry_forward (committee_id, origin_year) WHERE kind = 'result';

CREATE TABLE interim_reports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id   BIGINT NOT NULL REFERENCES committees (id),
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
    pdf            BYTEA,
    pdf_sha256     TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finalised_at   TIMESTAMPTZ,
    finalised_by   TEXT NOT NULL DEFAULT '',
    UNIQUE (committee_id, period, version),
    CHECK ((status = 'final') = (pdf IS NOT NULL AND pdf_sha256 IS NOT NULL AND figures_json IS NOT NULL AND finalised_at IS NOT NULL))
);
CREATE UNIQUE INDEX interim_reports_one_draft ON interim_reports (committee_id, period) WHERE status = 'draft';

-- +goose StatementBegin
CREATE FUNCTION economy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the economy keeps its history', TG_OP, TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION account_ranges_retire_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.removed_at IS NOT NULL OR NEW.removed_at IS NULL
       OR (to_jsonb(NEW) - 'removed_at' - 'removed_by') IS DISTINCT FROM (to_jsonb(OLD) - 'removed_at' - 'removed_by') THEN
        RAISE EXCEPTION 'a mapping range is only ever retired, once';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION ledger_imports_commit_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'preview' OR NEW.status <> 'committed'
       OR (to_jsonb(NEW) - 'status' - 'committed_at' - 'committed_by') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'committed_at' - 'committed_by') THEN
        RAISE EXCEPTION 'an import changes only by being committed, once';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION interim_reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'final' THEN
        RAISE EXCEPTION 'a finalised report is frozen: make a new version';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER account_ranges_retire_only BEFORE UPDATE ON account_ranges
    FOR EACH ROW EXECUTE FUNCTION account_ranges_retire_only();
CREATE TRIGGER ledger_imports_commit_only BEFORE UPDATE ON ledger_imports
    FOR EACH ROW EXECUTE FUNCTION ledger_imports_commit_only();
CREATE TRIGGER interim_reports_frozen BEFORE UPDATE ON interim_reports
    FOR EACH ROW EXECUTE FUNCTION interim_reports_frozen();
CREATE TRIGGER account_ranges_no_delete BEFORE DELETE ON account_ranges
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER report_rows_no_delete BEFORE DELETE ON report_rows
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_imports_no_delete BEFORE DELETE ON ledger_imports
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_current_no_delete BEFORE DELETE ON ledger_current
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER interim_reports_no_delete BEFORE DELETE ON interim_reports
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_actuals_no_change BEFORE UPDATE OR DELETE ON ledger_actuals
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_import_periods_no_change BEFORE UPDATE OR DELETE ON ledger_import_periods
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER budgets_no_change BEFORE UPDATE OR DELETE ON budgets
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER budget_lines_no_change BEFORE UPDATE OR DELETE ON budget_lines
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER carry_forward_no_change BEFORE UPDATE OR DELETE ON carry_forward
    FOR EACH ROW EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER account_ranges_no_truncate BEFORE TRUNCATE ON account_ranges
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER report_rows_no_truncate BEFORE TRUNCATE ON report_rows
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_imports_no_truncate BEFORE TRUNCATE ON ledger_imports
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_current_no_truncate BEFORE TRUNCATE ON ledger_current
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER interim_reports_no_truncate BEFORE TRUNCATE ON interim_reports
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_actuals_no_truncate BEFORE TRUNCATE ON ledger_actuals
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER ledger_import_periods_no_truncate BEFORE TRUNCATE ON ledger_import_periods
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER budgets_no_truncate BEFORE TRUNCATE ON budgets
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER budget_lines_no_truncate BEFORE TRUNCATE ON budget_lines
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();
CREATE TRIGGER carry_forward_no_truncate BEFORE TRUNCATE ON carry_forward
    FOR EACH STATEMENT EXECUTE FUNCTION economy_refuse_change();

-- +goose Down
DROP TRIGGER carry_forward_no_truncate ON carry_forward;
DROP TRIGGER budget_lines_no_truncate ON budget_lines;
DROP TRIGGER budgets_no_truncate ON budgets;
DROP TRIGGER ledger_import_periods_no_truncate ON ledger_import_periods;
DROP TRIGGER ledger_actuals_no_truncate ON ledger_actuals;
DROP TRIGGER interim_reports_no_truncate ON interim_reports;
DROP TRIGGER ledger_current_no_truncate ON ledger_current;
DROP TRIGGER ledger_imports_no_truncate ON ledger_imports;
DROP TRIGGER report_rows_no_truncate ON report_rows;
DROP TRIGGER account_ranges_no_truncate ON account_ranges;
DROP TRIGGER carry_forward_no_change ON carry_forward;
DROP TRIGGER budget_lines_no_change ON budget_lines;
DROP TRIGGER budgets_no_change ON budgets;
DROP TRIGGER ledger_import_periods_no_change ON ledger_import_periods;
DROP TRIGGER ledger_actuals_no_change ON ledger_actuals;
DROP TRIGGER interim_reports_no_delete ON interim_reports;
DROP TRIGGER ledger_current_no_delete ON ledger_current;
DROP TRIGGER ledger_imports_no_delete ON ledger_imports;
DROP TRIGGER report_rows_no_delete ON report_rows;
DROP TRIGGER account_ranges_no_delete ON account_ranges;
DROP TRIGGER interim_reports_frozen ON interim_reports;
DROP TRIGGER ledger_imports_commit_only ON ledger_imports;
DROP TRIGGER account_ranges_retire_only ON account_ranges;
DROP FUNCTION interim_reports_frozen();
DROP FUNCTION ledger_imports_commit_only();
DROP FUNCTION account_ranges_retire_only();
DROP FUNCTION economy_refuse_change();
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
