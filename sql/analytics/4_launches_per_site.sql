-- Launches per launch site, with the average total payload mass per launch
-- (Trino, catalog postgresql, schema public).
-- launches: past launches (upcoming = false), counted per launchpad; every launchpad is
--   listed, with 0 where nothing launched from it.
-- avg_payload_mass_per_launch_kg: mean, over the site's past launches with at least one
--   known payload mass, of the sum of their distinct payloads' known masses; NULL if none.
-- order: launches descending, then site name.
WITH launch_mass AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS total_payload_mass_kg
  FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
  JOIN payloads p ON p.id = lp.payload_id
  WHERE p.mass_kg IS NOT NULL
  GROUP BY lp.launch_id
), per_site AS (
  SELECT l.launchpad_id, count(*) AS launches, avg(CAST(m.total_payload_mass_kg AS double)) AS avg_payload_mass_per_launch_kg
  FROM launches l
  LEFT JOIN launch_mass m ON m.launch_id = l.id
  WHERE NOT l.upcoming
  GROUP BY l.launchpad_id
)
SELECT
  pad.name AS site,
  pad.full_name AS site_full_name,
  coalesce(s.launches, 0) AS launches,
  s.avg_payload_mass_per_launch_kg
FROM launchpads pad
LEFT JOIN per_site s ON s.launchpad_id = pad.id
ORDER BY launches DESC, site
