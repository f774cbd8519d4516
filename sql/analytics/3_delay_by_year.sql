-- Average and maximum delay in hours by year (Trino, catalog postgresql, schema public).
-- launches: past launches (upcoming = false); year: UTC calendar year of date_utc.
-- schedule slip: date_utc minus earliest_upcoming_date_utc, the earliest date_utc recorded
--   for the launch while it was upcoming (kept by the pipeline from the raw versions);
--   launches never seen upcoming do not count. Can be negative if a launch moved earlier.
-- static fire lead: date_utc minus static_fire_date_utc, where a static fire is recorded and
--   is not later than the launch (later ones are data errors and are left out).
-- hours: milliseconds / 3.6e6 (double); NULL where a year has no sample.
SELECT
  year(date_utc AT TIME ZONE 'UTC') AS year,
  avg(date_diff('millisecond', earliest_upcoming_date_utc, date_utc) / 3.6e6) AS avg_slip_hours,
  max(date_diff('millisecond', earliest_upcoming_date_utc, date_utc) / 3.6e6) AS max_slip_hours,
  count(earliest_upcoming_date_utc) AS slip_sample_size,
  avg(CASE WHEN static_fire_date_utc <= date_utc
           THEN date_diff('millisecond', static_fire_date_utc, date_utc) / 3.6e6 END) AS avg_static_fire_lead_hours,
  max(CASE WHEN static_fire_date_utc <= date_utc
           THEN date_diff('millisecond', static_fire_date_utc, date_utc) / 3.6e6 END) AS max_static_fire_lead_hours,
  count_if(static_fire_date_utc <= date_utc) AS static_fire_sample_size
FROM launches
WHERE NOT upcoming
GROUP BY year(date_utc AT TIME ZONE 'UTC')
ORDER BY year
