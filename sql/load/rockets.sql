-- Replaces the current rows of rockets that had an earlier version with their new version.
-- load.ts stages those rows in rockets_stage, a temporary table shaped like rockets, typed
-- by functions/core/store/rows.ts; rockets seen for the first time skip this statement and
-- are COPYed straight into rockets.
INSERT INTO rockets AS c SELECT * FROM rockets_stage
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  type = EXCLUDED.type,
  active = EXCLUDED.active,
  stages = EXCLUDED.stages,
  boosters = EXCLUDED.boosters,
  cost_per_launch = EXCLUDED.cost_per_launch,
  success_rate_pct = EXCLUDED.success_rate_pct,
  first_flight = EXCLUDED.first_flight,
  country = EXCLUDED.country,
  company = EXCLUDED.company,
  height_m = EXCLUDED.height_m,
  diameter_m = EXCLUDED.diameter_m,
  mass_kg = EXCLUDED.mass_kg,
  description = EXCLUDED.description,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;
