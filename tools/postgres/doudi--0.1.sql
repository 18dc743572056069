-- The doudi extension, version 0.1 (docs/postgres.md).
\echo Use "CREATE EXTENSION doudi" to load this file. \quit

-- Whether `bundle` is a bundle that verifies, and its digest (SHA-256 of its
-- canonical IR, as `doudi bundle` prints it). Refuses anything else (E4001).
CREATE FUNCTION @extschema@.bundle_digest(bundle bytea) RETURNS text
  AS 'MODULE_PATHNAME', 'doudi_pg_bundle_digest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Rule bundles by digest. A row is checked when written: its digest must be
-- the bundle's own. Every backend checks it again when it loads the bundle.
CREATE TABLE @extschema@.bundles (
  digest text PRIMARY KEY,
  bundle bytea NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bundle_has_this_digest CHECK (digest = @extschema@.bundle_digest(bundle))
);
-- Rows added after CREATE EXTENSION are the user's data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.bundles', '');

-- Stores a bundle (once) and returns its digest.
CREATE FUNCTION @extschema@.add_bundle(bundle bytea) RETURNS text LANGUAGE sql AS $$
  INSERT INTO @extschema@.bundles (digest, bundle) VALUES (@extschema@.bundle_digest(bundle), bundle)
    ON CONFLICT (digest) DO NOTHING;
  SELECT @extschema@.bundle_digest(bundle);
$$;

-- Decides `household` (a record of the bundle's schema) in `jurisdiction`
-- for the month of `month`, with the bundle named by `digest`. Returns the
-- decision as `doudi run --json` prints it: {"module", "jurisdiction",
-- "month", "outputs": {…}, "flags": […]} or, for an error result, "error".
-- A household the schema refuses, an unknown digest, jurisdiction or month
-- raise an error carrying the Doudi code and both messages.
--
-- COST 1000 (in operator costs): a decision is far dearer than an operator,
-- so the planner parallelises scans that decide and never computes a
-- decision twice to inline an expression.
--
-- IMMUTABLE: a digest names one bundle's content, verified against it when
-- loaded, and a bundle decides the same household the same way for ever (the
-- replay promise). The same arguments give the same answer, or an error if
-- the bundle is not stored here.
CREATE FUNCTION @extschema@.decide(digest text, jurisdiction text, month date, household jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_decide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

-- The same, except that a household the schema refuses gives
-- {"refused": [{"code", "zh", "en", "offset"}, …]} instead of an error, so one
-- bad row does not abort a query over many.
CREATE FUNCTION @extschema@.try_decide(digest text, jurisdiction text, month date, household jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_try_decide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

-- Where and when decisions are made, as one value: the bundle's digest, the
-- jurisdiction, the month. doudi.context(…) checks them; a literal
-- '(digest,会宁县,2022-06-01)'::doudi.context works too.
CREATE TYPE @extschema@.context AS (bundle text, jurisdiction text, month date);
CREATE FUNCTION @extschema@.context(bundle text, jurisdiction text, month date) RETURNS @extschema@.context
  AS 'MODULE_PATHNAME', 'doudi_pg_context' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- decide and try_decide in a context. The form to use across shards:
-- postgres_fdw sends an expression to a remote server only when every
-- collatable input comes from the foreign table's columns, so text arguments
-- written in the query keep the call on the coordinator; a context (and a
-- jsonpath to read the outputs, '$.outputs."月低保金"') carry no collation.
CREATE FUNCTION @extschema@.decide(context @extschema@.context, household jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_decide_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;
CREATE FUNCTION @extschema@.try_decide(context @extschema@.context, household jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_try_decide_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

-- decide and try_decide with the household given as a row, not as JSON: the
-- row's columns are the schema's fields by name (a column of a row type gives
-- a structure, an array of rows a list of structures such as 成员, an array
-- of scalars a list of values). Columns named in `ignore` (keys such as id,
-- household_id) are left out; any other column that is not a field is an
-- error, so that a misspelt column cannot leave its field at its default.
-- Values are read as JSON's would be (numeric and integers as numbers, an
-- amount in yuan; text; boolean; date, which for a year-month field must be
-- the 1st of the month; an enum type by its label) and checked by the same
-- code, so a household decides as it would written in JSON. NULL is no value
-- given: the field takes its default, is absent if optional, or is missing
-- (E2003), as a key left out of JSON:
--   SELECT doudi.decide_row(c, r, '{id,household_id,seq}')
--   FROM (SELECT h.*, coalesce(array_agg(m ORDER BY m.seq) FILTER (WHERE m.seq IS NOT NULL), '{}') AS "成员"
--         FROM households h LEFT JOIN members m ON m.household_id = h.id GROUP BY h.id) r
-- Not STRICT, for `ignore` may be NULL; a NULL context or household gives NULL.
CREATE FUNCTION @extschema@.decide_row(context @extschema@.context, household record, ignore text[] DEFAULT '{}') RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_decide_row' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
CREATE FUNCTION @extschema@.try_decide_row(context @extschema@.context, household record, ignore text[] DEFAULT '{}') RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_try_decide_row' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;

-- The decision log, kept in the database: each row one line of the log file
-- `doudi batch --log` writes, hash-chained in seq order, so that
--   psql -At -c 'SELECT line FROM doudi.decision_log ORDER BY seq' > decisions.log
--   doudi verify-log decisions.log
-- verifies it. Sensitive fields are keyed with doudi.log_key_file.
CREATE TABLE @extschema@.decision_log (
  seq bigint PRIMARY KEY,
  line text NOT NULL,
  is_context boolean NOT NULL
);
CREATE INDEX decision_log_contexts ON @extschema@.decision_log (seq) WHERE is_context;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.decision_log', '');

-- Decides as try_decide does and appends the decision (or the refused
-- household) to doudi.decision_log; returns the decision with its log "id".
-- Writers take turns (a transaction-level advisory lock); READ COMMITTED only.
CREATE FUNCTION @extschema@.decide_logged(context @extschema@.context, household jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'doudi_pg_decide_logged' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 1000;

-- A money output of a decision in 分 (integer), NULL if the decision has no
-- such output, it is not a number, or the decision ended in an error or a
-- refusal.
CREATE FUNCTION @extschema@.output_fen(decision jsonb, output text) RETURNS bigint
  AS 'MODULE_PATHNAME', 'doudi_pg_output_fen' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A decision's outputs as rows: (output, value), in the order jsonb keeps keys.
CREATE FUNCTION @extschema@.outputs(decision jsonb) RETURNS TABLE (output text, value jsonb)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT key, value FROM pg_catalog.jsonb_each(decision -> 'outputs') $$;
