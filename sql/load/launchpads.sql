-- Replaces the current rows of launchpads that had an earlier version with their new version.
-- load.ts stages those rows in launchpads_stage, a temporary table shaped like launchpads, typed
-- by functions/core/store/rows.ts; launchpads seen for the first time skip this statement and
-- are COPYed straight into launchpads.
INSERT INTO launchpads AS c SELECT * FROM launchpads_stage
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  full_name = EXCLUDED.full_name,
  status = EXCLUDED.status,
  locality = EXCLUDED.locality,
  region = EXCLUDED.region,
  timezone = EXCLUDED.timezone,
  latitude = EXCLUDED.latitude,
  longitude = EXCLUDED.longitude,
  launch_attempts = EXCLUDED.launch_attempts,
  launch_successes = EXCLUDED.launch_successes,
  rocket_ids = EXCLUDED.rocket_ids,
  details = EXCLUDED.details,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;
