-- 008: drop json_text_array and json_int_array (001, redefined by 004) and the row types 004 made
-- for them. The load derived array columns from the raw jsonb with them; it now COPYs typed rows
-- prepared in the pipeline (functions/core/resources), so nothing calls them.
DROP FUNCTION IF EXISTS json_text_array(jsonb);
DROP FUNCTION IF EXISTS json_int_array(jsonb);
DROP TYPE IF EXISTS text_array_field;
DROP TYPE IF EXISTS integer_array_field;
