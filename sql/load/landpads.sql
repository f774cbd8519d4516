-- The current-state rows of the raw versions this merge appended ($1 < version_id <= $2; one per id).
WITH appended AS (
  SELECT version_id, id, content_hash, document AS d FROM raw_landpads WHERE version_id > $1 AND version_id <= $2
)
INSERT INTO landpads AS c (
  id, name, full_name, status, type, locality, region, latitude, longitude,
  landing_attempts, landing_successes, details, version_id, content_hash, updated_at)
SELECT
  id,
  d->>'name',
  d->>'full_name',
  d->>'status',
  d->>'type',
  d->>'locality',
  d->>'region',
  (d->>'latitude')::double precision,
  (d->>'longitude')::double precision,
  (d->>'landing_attempts')::integer,
  (d->>'landing_successes')::integer,
  d->>'details',
  version_id, content_hash, now()
FROM appended
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
