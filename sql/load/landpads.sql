-- Replaces the current rows of landpads that had an earlier version with their new version.
-- load.ts stages those rows in landpads_stage, a temporary table shaped like landpads, typed
-- by functions/core/store/rows.ts; landpads seen for the first time skip this statement and
-- are COPYed straight into landpads.
INSERT INTO landpads AS c SELECT * FROM landpads_stage
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  full_name = EXCLUDED.full_name,
  status = EXCLUDED.status,
  type = EXCLUDED.type,
  locality = EXCLUDED.locality,
  region = EXCLUDED.region,
  latitude = EXCLUDED.latitude,
  longitude = EXCLUDED.longitude,
  landing_attempts = EXCLUDED.landing_attempts,
  landing_successes = EXCLUDED.landing_successes,
  details = EXCLUDED.details,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;
