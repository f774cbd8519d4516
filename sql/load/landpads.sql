WITH last AS (
  -- A response may list one id twice: the later occurrence wins. Only the narrow columns
  -- are grouped, so the documents themselves are never sorted.
  SELECT id, max(ordinal) AS ordinal FROM stage GROUP BY id
), latest AS (
  SELECT s.id, s.content_hash, s.document FROM stage s JOIN last USING (id, ordinal)
), appended AS (
  INSERT INTO raw_landpads (id, content_hash, document, run_id)
  SELECT s.id, s.content_hash, s.document, $1
  FROM latest s LEFT JOIN landpads c ON c.id = s.id
  WHERE c.content_hash IS DISTINCT FROM s.content_hash
  RETURNING version_id, id, content_hash, document AS d
), upserted AS (
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
  updated_at = EXCLUDED.updated_at
RETURNING id
)
INSERT INTO changed (id) SELECT id FROM upserted;
