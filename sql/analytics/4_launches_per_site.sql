-- Launches per launch site, with the average total payload mass per launch
-- (Trino, catalog postgresql, schema public).
-- launches: past launches (past = NOT upcoming), counted per launchpad; every launchpad is
--   listed, with 0 where nothing launched from it. Read from launch_aggregates_by_site, the
--   per-launchpad running sums the aggregate step keeps (equal to a recomputation from
--   scratch), so Trino reads one row per site instead of grouping every launch itself.
-- avg_payload_mass_per_launch_kg: mean, over the site's past launches with at least one known
--   payload mass, of the sum of their distinct payloads' known masses; NULL if none. Computed
--   here from the exact sum and count.
-- order: launches descending, then site name.
SELECT
  pad.name AS site,
  pad.full_name AS site_full_name,
  coalesce(s.total_launches, 0) AS launches,
  CAST(s.payload_mass_kg_sum AS double) / nullif(s.launches_with_payload_mass, 0) AS avg_payload_mass_per_launch_kg
FROM launchpads pad
LEFT JOIN launch_aggregates_by_site s ON s.launchpad_id = pad.id
ORDER BY launches DESC, site
