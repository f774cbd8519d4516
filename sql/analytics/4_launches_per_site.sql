-- Launches per launch site, with the average total payload mass per launch
-- (Trino, catalog postgresql, schema public).
-- launches: past launches (past = NOT upcoming) from launch_facts (one row per launch, kept
--   by the aggregate step), counted per launchpad; every launchpad is listed, with 0 where
--   nothing launched from it.
-- avg_payload_mass_per_launch_kg: mean, over the site's past launches with at least one known
--   payload mass, of the sum of their distinct payloads' known masses; NULL if none.
-- order: launches descending, then site name.
WITH per_site AS (
  SELECT launchpad_id, count(*) AS launches, avg(CAST(payload_mass_kg AS double)) AS avg_payload_mass_per_launch_kg
  FROM launch_facts
  WHERE past
  GROUP BY launchpad_id
)
SELECT
  pad.name AS site,
  pad.full_name AS site_full_name,
  coalesce(s.launches, 0) AS launches,
  s.avg_payload_mass_per_launch_kg
FROM launchpads pad
LEFT JOIN per_site s ON s.launchpad_id = pad.id
ORDER BY launches DESC, site
