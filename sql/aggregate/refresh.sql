-- Incremental refresh for the launches in the temporary table `touched` (launch_id).
-- Each launch's contribution is recomputed into new_facts; the by-year and by-site sums move
-- by the difference between old and new contributions; only the touched years are re-derived.

CREATE TEMP TABLE new_facts ON COMMIT DROP AS
WITH masses AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS mass_kg, count(p.mass_kg)::integer AS mass_count
  FROM (SELECT DISTINCT lp.launch_id, lp.payload_id
        FROM launch_payloads lp JOIN touched t ON t.launch_id = lp.launch_id) lp
  JOIN payloads p ON p.id = lp.payload_id
  GROUP BY lp.launch_id
)
SELECT
  l.id AS launch_id,
  extract(year FROM l.date_utc AT TIME ZONE 'UTC')::integer AS year,
  NOT l.upcoming AS past,
  l.success,
  m.mass_kg AS payload_mass_kg,
  coalesce(m.mass_count, 0) AS payload_mass_count,
  CASE WHEN l.earliest_upcoming_date_utc IS NOT NULL
       THEN extract(epoch FROM l.date_utc - l.earliest_upcoming_date_utc) END AS delay_seconds,
  CASE WHEN l.static_fire_date_utc <= l.date_utc
       THEN extract(epoch FROM l.date_utc - l.static_fire_date_utc) END AS static_fire_lead_seconds,
  l.launchpad_id,
  l.date_utc,
  l.flight_number
FROM touched t
JOIN launches l ON l.id = t.launch_id
LEFT JOIN masses m ON m.launch_id = l.id;

CREATE TEMP TABLE year_delta ON COMMIT DROP AS
SELECT
  year,
  sum(sign) AS total_launches,
  sum(sign * (success IS TRUE)::integer) AS successful_launches,
  sum(sign * (success IS FALSE)::integer) AS failed_launches,
  sum(sign * coalesce(payload_mass_kg, 0)) AS payload_mass_kg_sum,
  sum(sign * payload_mass_count) AS payload_count,
  sum(sign * (payload_mass_count > 0)::integer) AS launches_with_payload_mass,
  sum(sign * coalesce(delay_seconds, 0)) AS delay_seconds_sum,
  sum(sign * (delay_seconds IS NOT NULL)::integer) AS delay_sample_size,
  sum(sign * coalesce(static_fire_lead_seconds, 0)) AS static_fire_lead_seconds_sum,
  sum(sign * (static_fire_lead_seconds IS NOT NULL)::integer) AS static_fire_sample_size
FROM (
  SELECT -1 AS sign, f.year, f.past, f.success, f.payload_mass_kg, f.payload_mass_count, f.delay_seconds, f.static_fire_lead_seconds
  FROM launch_facts f JOIN touched t ON t.launch_id = f.launch_id
  UNION ALL
  SELECT 1 AS sign, n.year, n.past, n.success, n.payload_mass_kg, n.payload_mass_count, n.delay_seconds, n.static_fire_lead_seconds
  FROM new_facts n
) contribution
WHERE past
GROUP BY year;

-- The same difference per launchpad (analytics question 4). A launch moved to another pad
-- leaves the old pad (-1) and joins the new one (+1); one no longer past leaves its pad.
CREATE TEMP TABLE site_delta ON COMMIT DROP AS
SELECT
  launchpad_id,
  sum(sign) AS total_launches,
  sum(sign * coalesce(payload_mass_kg, 0)) AS payload_mass_kg_sum,
  sum(sign * (payload_mass_count > 0)::integer) AS launches_with_payload_mass
FROM (
  SELECT -1 AS sign, f.launchpad_id, f.past, f.payload_mass_kg, f.payload_mass_count
  FROM launch_facts f JOIN touched t ON t.launch_id = f.launch_id
  UNION ALL
  SELECT 1 AS sign, n.launchpad_id, n.past, n.payload_mass_kg, n.payload_mass_count
  FROM new_facts n
) contribution
WHERE past AND launchpad_id IS NOT NULL
GROUP BY launchpad_id;

DELETE FROM launch_facts f USING touched t WHERE f.launch_id = t.launch_id;
INSERT INTO launch_facts (launch_id, year, past, success, payload_mass_kg, payload_mass_count,
                          delay_seconds, static_fire_lead_seconds, launchpad_id, date_utc, flight_number)
SELECT launch_id, year, past, success, payload_mass_kg, payload_mass_count,
       delay_seconds, static_fire_lead_seconds, launchpad_id, date_utc, flight_number
FROM new_facts;

INSERT INTO launch_aggregates_by_year AS y (
  year, total_launches, successful_launches, failed_launches, delay_sample_size,
  payload_mass_kg_sum, payload_count, launches_with_payload_mass, delay_seconds_sum,
  static_fire_lead_seconds_sum, static_fire_sample_size)
SELECT year, total_launches, successful_launches, failed_launches, delay_sample_size,
       payload_mass_kg_sum, payload_count, launches_with_payload_mass, delay_seconds_sum,
       static_fire_lead_seconds_sum, static_fire_sample_size
FROM year_delta
ON CONFLICT (year) DO UPDATE SET
  total_launches = y.total_launches + EXCLUDED.total_launches,
  successful_launches = y.successful_launches + EXCLUDED.successful_launches,
  failed_launches = y.failed_launches + EXCLUDED.failed_launches,
  delay_sample_size = y.delay_sample_size + EXCLUDED.delay_sample_size,
  payload_mass_kg_sum = y.payload_mass_kg_sum + EXCLUDED.payload_mass_kg_sum,
  payload_count = y.payload_count + EXCLUDED.payload_count,
  launches_with_payload_mass = y.launches_with_payload_mass + EXCLUDED.launches_with_payload_mass,
  delay_seconds_sum = y.delay_seconds_sum + EXCLUDED.delay_seconds_sum,
  static_fire_lead_seconds_sum = y.static_fire_lead_seconds_sum + EXCLUDED.static_fire_lead_seconds_sum,
  static_fire_sample_size = y.static_fire_sample_size + EXCLUDED.static_fire_sample_size;

DELETE FROM launch_aggregates_by_year WHERE total_launches = 0;

INSERT INTO launch_aggregates_by_site AS s (
  launchpad_id, total_launches, payload_mass_kg_sum, launches_with_payload_mass)
SELECT launchpad_id, total_launches, payload_mass_kg_sum, launches_with_payload_mass
FROM site_delta
ON CONFLICT (launchpad_id) DO UPDATE SET
  total_launches = s.total_launches + EXCLUDED.total_launches,
  payload_mass_kg_sum = s.payload_mass_kg_sum + EXCLUDED.payload_mass_kg_sum,
  launches_with_payload_mass = s.launches_with_payload_mass + EXCLUDED.launches_with_payload_mass,
  updated_at = now();

DELETE FROM launch_aggregates_by_site WHERE total_launches = 0;

-- The maximum cannot be moved by a difference: it is looked up per touched year through
-- the (year, delay_seconds) index, which costs the same whatever the history's size.
UPDATE launch_aggregates_by_year y SET
  success_rate = ratio(successful_launches, successful_launches + failed_launches),
  avg_payload_mass_kg = ratio(payload_mass_kg_sum, payload_count),
  avg_launch_payload_mass_kg = ratio(payload_mass_kg_sum, launches_with_payload_mass),
  avg_delay_hours = mean_hours(delay_seconds_sum, delay_sample_size),
  max_delay_hours = (SELECT max(f.delay_seconds) / 3600 FROM launch_facts f
                     WHERE f.year = y.year AND f.past AND f.delay_seconds IS NOT NULL)::double precision,
  avg_static_fire_lead_hours = mean_hours(static_fire_lead_seconds_sum, static_fire_sample_size),
  updated_at = now()
WHERE y.year IN (SELECT year FROM year_delta);

INSERT INTO launch_aggregates AS a (
  total_launches, successful_launches, failed_launches, success_rate, avg_payload_mass_kg,
  avg_launch_payload_mass_kg, avg_delay_hours, max_delay_hours, delay_sample_size,
  avg_static_fire_lead_hours, updated_at)
SELECT
  coalesce(sum(total_launches), 0),
  coalesce(sum(successful_launches), 0),
  coalesce(sum(failed_launches), 0),
  ratio(sum(successful_launches), sum(successful_launches) + sum(failed_launches)),
  ratio(sum(payload_mass_kg_sum), sum(payload_count)),
  ratio(sum(payload_mass_kg_sum), sum(launches_with_payload_mass)),
  mean_hours(sum(delay_seconds_sum), sum(delay_sample_size)),
  max(max_delay_hours),
  coalesce(sum(delay_sample_size), 0),
  mean_hours(sum(static_fire_lead_seconds_sum), sum(static_fire_sample_size)),
  now()
FROM launch_aggregates_by_year
ON CONFLICT (singleton) DO UPDATE SET
  total_launches = EXCLUDED.total_launches,
  successful_launches = EXCLUDED.successful_launches,
  failed_launches = EXCLUDED.failed_launches,
  success_rate = EXCLUDED.success_rate,
  avg_payload_mass_kg = EXCLUDED.avg_payload_mass_kg,
  avg_launch_payload_mass_kg = EXCLUDED.avg_launch_payload_mass_kg,
  avg_delay_hours = EXCLUDED.avg_delay_hours,
  max_delay_hours = EXCLUDED.max_delay_hours,
  delay_sample_size = EXCLUDED.delay_sample_size,
  avg_static_fire_lead_hours = EXCLUDED.avg_static_fire_lead_hours,
  updated_at = EXCLUDED.updated_at;
