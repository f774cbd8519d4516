-- Launch success rate by year, year over year (Trino, catalog postgresql, schema public).
-- launches: past launches only (upcoming = false), one row per launch id (current version).
-- year: UTC calendar year of date_utc.
-- success_rate: successful / launches with a known outcome (success IS NOT NULL); NULL if none.
-- change_vs_previous_year: success_rate minus the previous listed year's rate (NULL for the first).
WITH yearly AS (
  SELECT
    year(date_utc AT TIME ZONE 'UTC') AS year,
    count(*) AS launches,
    count_if(success) AS successful,
    count_if(NOT success) AS failed,
    count(success) AS known_outcome
  FROM launches
  WHERE NOT upcoming
  GROUP BY year(date_utc AT TIME ZONE 'UTC')
)
SELECT
  year,
  launches,
  successful,
  failed,
  CAST(successful AS double) / nullif(known_outcome, 0) AS success_rate,
  CAST(successful AS double) / nullif(known_outcome, 0)
    - lag(CAST(successful AS double) / nullif(known_outcome, 0)) OVER (ORDER BY year) AS change_vs_previous_year
FROM yearly
ORDER BY year
