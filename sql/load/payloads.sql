-- Replaces the current rows of payloads that had an earlier version with their new version.
-- load.ts stages those rows in payloads_stage, a temporary table shaped like payloads, typed
-- by functions/core/store/rows.ts; payloads seen for the first time skip this statement and
-- are COPYed straight into payloads.
INSERT INTO payloads AS c SELECT * FROM payloads_stage
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  type = EXCLUDED.type,
  reused = EXCLUDED.reused,
  launch_id = EXCLUDED.launch_id,
  customers = EXCLUDED.customers,
  nationalities = EXCLUDED.nationalities,
  manufacturers = EXCLUDED.manufacturers,
  norad_ids = EXCLUDED.norad_ids,
  mass_kg = EXCLUDED.mass_kg,
  mass_lbs = EXCLUDED.mass_lbs,
  orbit = EXCLUDED.orbit,
  reference_system = EXCLUDED.reference_system,
  regime = EXCLUDED.regime,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;
