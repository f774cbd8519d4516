-- Launch success rate by year, year over year (Trino, catalog postgresql, schema public).
-- Reads launch_facts: one row per launch (its current version), kept by the aggregate step
-- from the typed current state; year = UTC calendar year of date_utc.
-- launches: past launches only (past = NOT upcoming).
-- success_rate: successful / launches with a known outcome (success IS NOT NULL); NULL if none.
-- change_vs_previous_year: success_rate minus the previous listed year's rate (NULL for the first).
-- The inner count is grouped by integer and boolean columns only, so PostgreSQL computes it
-- (aggregation pushdown); Trino pivots the few rows that come back.
WITH by_outcome AS (
  SELECT year, success, count(*) AS launches
  FROM launch_facts
  WHERE past
  GROUP BY year, success
), yearly AS (
  SELECT
    year,
    sum(launches) AS launches,
    coalesce(sum(launches) FILTER (WHERE success), 0) AS successful,
    coalesce(sum(launches) FILTER (WHERE NOT success), 0) AS failed
  FROM by_outcome
  GROUP BY year
)
SELECT
  year,
  launches,
  successful,
  failed,
  CAST(successful AS double) / nullif(successful + failed, 0) AS success_rate,
  CAST(successful AS double) / nullif(successful + failed, 0)
    - lag(CAST(successful AS double) / nullif(successful + failed, 0)) OVER (ORDER BY year) AS change_vs_previous_year
FROM yearly
ORDER BY year
