-- Question 3 asked of PostgreSQL directly: average and maximum delay in hours by year, for the
-- schedule slip (since the earliest date announced while upcoming) and the static fire lead.
WITH delays AS (
  SELECT extract(year FROM date_utc AT TIME ZONE 'UTC')::int AS year,
         extract(epoch FROM date_utc - earliest_upcoming_date_utc) / 3600 AS slip_hours,
         CASE WHEN static_fire_date_utc <= date_utc THEN extract(epoch FROM date_utc - static_fire_date_utc) / 3600 END AS lead_hours
  FROM launches
  WHERE NOT upcoming)
SELECT year,
       avg(slip_hours) AS avg_slip_hours,
       max(slip_hours) AS max_slip_hours,
       count(slip_hours) AS slip_sample_size,
       avg(lead_hours) AS avg_static_fire_lead_hours,
       max(lead_hours) AS max_static_fire_lead_hours,
       count(lead_hours) AS static_fire_sample_size
FROM delays
GROUP BY year
ORDER BY year
