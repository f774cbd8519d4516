-- Question 1 asked of PostgreSQL directly: success rate by year and its change year over year.
WITH yearly AS (
  SELECT extract(year FROM date_utc AT TIME ZONE 'UTC')::int AS year,
         count(*)::int AS launches,
         count(*) FILTER (WHERE success)::int AS successful,
         count(*) FILTER (WHERE NOT success)::int AS failed,
         (count(*) FILTER (WHERE success))::float8 / nullif(count(success), 0) AS success_rate
  FROM launches
  WHERE NOT upcoming
  GROUP BY 1)
SELECT *, success_rate - lag(success_rate) OVER (ORDER BY year) AS change_vs_previous_year
FROM yearly
ORDER BY year
