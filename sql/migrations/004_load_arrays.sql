-- 004: jsonb arrays to SQL arrays without a subquery per value.
-- The 001 versions ran ARRAY(SELECT jsonb_array_elements_text(...)) as a separate SQL-function
-- execution for every value (a third of a payload load's time, measured). These are plain
-- expressions the planner inlines into the load statements: STABLE like jsonb_populate_record,
-- a single use of the argument. NULL stays NULL; the loaded documents are validated, so the
-- value is always an array or null (anything else is now an error, not a silent NULL).
CREATE TYPE text_array_field AS (a text[]);
CREATE TYPE integer_array_field AS (a integer[]);

CREATE OR REPLACE FUNCTION json_text_array(value jsonb) RETURNS text[]
  LANGUAGE sql STABLE AS $$
  SELECT (jsonb_populate_record(NULL::text_array_field, jsonb_build_object('a', value))).a $$;
CREATE OR REPLACE FUNCTION json_int_array(value jsonb) RETURNS integer[]
  LANGUAGE sql STABLE AS $$
  SELECT (jsonb_populate_record(NULL::integer_array_field, jsonb_build_object('a', value))).a $$;
