-- The aggregates recomputed from scratch, without launch_facts or running sums: the
-- slip baseline is read from the raw versions themselves. The incremental refresh must always
-- equal this. Two statements, so two results:
--   1. launch_aggregates and launch_aggregates_by_year: one row per year, plus the overall row
--      with year NULL;
--   2. launch_aggregates_by_site: one row per launchpad with past launches.
WITH baseline AS (
  SELECT id, min((document->>'date_utc')::timestamptz) AS first_upcoming_date_utc
  FROM raw_launches
  WHERE (document->>'upcoming')::boolean
  GROUP BY id
), masses AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS mass_kg, count(p.mass_kg) AS mass_count
  FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
  JOIN payloads p ON p.id = lp.payload_id
  GROUP BY lp.launch_id
), past AS (
  SELECT
    extract(year FROM l.date_utc AT TIME ZONE 'UTC')::integer AS year,
    l.success,
    coalesce(m.mass_kg, 0) AS mass_kg,
    coalesce(m.mass_count, 0) AS mass_count,
    extract(epoch FROM l.date_utc - b.first_upcoming_date_utc) AS delay_seconds,
    CASE WHEN l.static_fire_date_utc <= l.date_utc
         THEN extract(epoch FROM l.date_utc - l.static_fire_date_utc) END AS static_fire_lead_seconds
  FROM launches l
  LEFT JOIN baseline b ON b.id = l.id
  LEFT JOIN masses m ON m.launch_id = l.id
  WHERE NOT l.upcoming
)
SELECT
  year,
  count(*) AS total_launches,
  count(*) FILTER (WHERE success) AS successful_launches,
  count(*) FILTER (WHERE NOT success) AS failed_launches,
  ratio(count(*) FILTER (WHERE success), count(success)) AS success_rate,
  ratio(sum(mass_kg), sum(mass_count)) AS avg_payload_mass_kg,
  ratio(sum(mass_kg), count(*) FILTER (WHERE mass_count > 0)) AS avg_launch_payload_mass_kg,
  mean_hours(sum(delay_seconds), count(delay_seconds)) AS avg_delay_hours,
  (max(delay_seconds) / 3600)::double precision AS max_delay_hours,
  count(delay_seconds) AS delay_sample_size,
  mean_hours(sum(static_fire_lead_seconds), count(static_fire_lead_seconds)) AS avg_static_fire_lead_hours
FROM past
GROUP BY GROUPING SETS ((year), ())
ORDER BY year NULLS FIRST;

WITH masses AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS mass_kg
  FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
  JOIN payloads p ON p.id = lp.payload_id
  GROUP BY lp.launch_id
)
SELECT
  l.launchpad_id,
  count(*) AS total_launches,
  coalesce(sum(m.mass_kg), 0) AS payload_mass_kg_sum,
  count(m.mass_kg) AS launches_with_payload_mass
FROM launches l
LEFT JOIN masses m ON m.launch_id = l.id
WHERE NOT l.upcoming AND l.launchpad_id IS NOT NULL
GROUP BY l.launchpad_id
ORDER BY l.launchpad_id COLLATE "C";
