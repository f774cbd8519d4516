-- The current-state rows of the raw versions this merge appended ($1 < version_id <= $2; one per id).
WITH appended AS (
  SELECT version_id, id, content_hash, document AS d FROM raw_launchpads WHERE version_id > $1 AND version_id <= $2
)
INSERT INTO launchpads AS c (
  id, name, full_name, status, locality, region, timezone, latitude, longitude,
  launch_attempts, launch_successes, rocket_ids, details, version_id, content_hash, updated_at)
SELECT
  id,
  d->>'name',
  d->>'full_name',
  d->>'status',
  d->>'locality',
  d->>'region',
  d->>'timezone',
  (d->>'latitude')::double precision,
  (d->>'longitude')::double precision,
  (d->>'launch_attempts')::integer,
  (d->>'launch_successes')::integer,
  json_text_array(d->'rockets'),
  d->>'details',
  version_id, content_hash, now()
FROM appended
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
