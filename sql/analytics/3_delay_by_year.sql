-- Average and maximum delay in hours by year (Trino, catalog postgresql, schema public).
-- Reads launch_facts (one row per launch, kept by the aggregate step); past launches only;
-- year = UTC calendar year of date_utc.
-- schedule slip (delay_seconds): date_utc minus the earliest date_utc recorded for the launch
--   while it was upcoming (from its raw versions); launches never seen upcoming do not count.
--   Negative if a launch moved earlier.
-- static fire lead (static_fire_lead_seconds): date_utc minus static_fire_date_utc, where a
--   static fire is recorded and is not later than the launch (later ones are data errors).
-- hours = seconds / 3600; NULL where a year has no sample. The aggregation runs in PostgreSQL.
WITH yearly AS (
  SELECT
    year,
    avg(delay_seconds) AS avg_slip_seconds,
    max(delay_seconds) AS max_slip_seconds,
    count(delay_seconds) AS slip_sample_size,
    avg(static_fire_lead_seconds) AS avg_lead_seconds,
    max(static_fire_lead_seconds) AS max_lead_seconds,
    count(static_fire_lead_seconds) AS static_fire_sample_size
  FROM launch_facts
  WHERE past
  GROUP BY year
)
SELECT
  year,
  CAST(avg_slip_seconds AS double) / 3600 AS avg_slip_hours,
  CAST(max_slip_seconds AS double) / 3600 AS max_slip_hours,
  slip_sample_size,
  CAST(avg_lead_seconds AS double) / 3600 AS avg_static_fire_lead_hours,
  CAST(max_lead_seconds AS double) / 3600 AS max_static_fire_lead_hours,
  static_fire_sample_size
FROM yearly
ORDER BY year
